package mqttbridge

// Client tests against a scripted broker: the test plays the broker's side
// of one connection with mqttpkt on 127.0.0.1, so that it can send what
// real brokers rarely do (a small Receive Maximum, topic aliases, refusals,
// protocol violations) and see every packet the client sends.

import (
	"bytes"
	"context"
	"errors"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/iotwire/iotwire/mqttpkt"
	"github.com/iotwire/iotwire/transport/tcp"
)

// fakeBroker is the broker's end of one client connection.
type fakeBroker struct {
	t       *testing.T
	m       *tcp.MQTTConn
	connect *mqttpkt.Connect // what the client sent
}

// fakeSession dials a client with o to a scripted broker that answers
// CONNECT with ack.
func fakeSession(t *testing.T, ack *mqttpkt.Connack, o Options) (*Client, *fakeBroker) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	type result struct {
		c   *Client
		err error
	}
	res := make(chan result, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), ioTimeout)
		defer cancel()
		c, err := Dial(ctx, "mqtt://"+ln.Addr().String(), o)
		res <- result{c, err}
	}()
	ln.(*net.TCPListener).SetDeadline(time.Now().Add(ioTimeout))
	nc, err := ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	f := &fakeBroker{t: t, m: tcp.NewMQTT(nc, &tcp.Options{WriteTimeout: ioTimeout})}
	t.Cleanup(func() { f.m.Close() })
	f.connect = recvAs[*mqttpkt.Connect](f)
	ack.Version = mqttpkt.V5
	f.send(ack)
	r := <-res
	if r.err != nil {
		t.Fatalf("Dial: %v", r.err)
	}
	t.Cleanup(func() { r.c.Close() })
	return r.c, f
}

func (f *fakeBroker) send(p mqttpkt.Packet) {
	f.t.Helper()
	if err := f.m.WritePacket(p); err != nil {
		f.t.Fatalf("broker write %v: %v", p.PacketType(), err)
	}
}

// recv reads the client's next packet; PINGREQs are answered and skipped
// unless the caller asks for one.
func (f *fakeBroker) recv(wantPing bool) mqttpkt.Packet {
	f.t.Helper()
	for {
		f.m.SetReadDeadline(time.Now().Add(ioTimeout))
		h, b, err := f.m.NextPacket()
		if err != nil {
			f.t.Fatalf("broker read: %v", err)
		}
		if h.Type == mqttpkt.TypeConnect {
			p := new(mqttpkt.Connect)
			if _, err := p.Decode(b); err != nil {
				f.t.Fatalf("decode CONNECT: %v", err)
			}
			c := new(mqttpkt.Connect)
			p.CopyTo(c, nil)
			return c
		}
		p, _, err := mqttpkt.Decode(b, mqttpkt.V5)
		if err != nil {
			f.t.Fatalf("decode % x: %v", b, err)
		}
		if h.Type == mqttpkt.TypePingreq && !wantPing {
			f.send(&mqttpkt.Pingresp{})
			continue
		}
		return copyPacket(p)
	}
}

// copyPacket detaches a decoded packet from the read buffer.
func copyPacket(p mqttpkt.Packet) mqttpkt.Packet {
	switch q := p.(type) {
	case *mqttpkt.Publish:
		var c mqttpkt.Publish
		q.CopyTo(&c, nil)
		return &c
	case *mqttpkt.Subscribe:
		c := *q
		c.Subscriptions = nil
		for _, s := range q.Subscriptions {
			s.Filter = bytes.Clone(s.Filter)
			c.Subscriptions = append(c.Subscriptions, s)
		}
		c.Props.SubscriptionIDs = append([]uint32(nil), q.Props.SubscriptionIDs...)
		return &c
	case *mqttpkt.Unsubscribe:
		c := *q
		c.Filters = nil
		for _, fl := range q.Filters {
			c.Filters = append(c.Filters, bytes.Clone(fl))
		}
		return &c
	}
	return p // no byte strings the tests read
}

func recvAs[T mqttpkt.Packet](f *fakeBroker) T {
	f.t.Helper()
	p := f.recv(false)
	q, ok := p.(T)
	if !ok {
		f.t.Fatalf("broker got %v, want %T", p.PacketType(), q)
	}
	return q
}

// expectClosed reads until the client closes the connection and returns
// the DISCONNECT it sent first, if any.
func (f *fakeBroker) expectClosed() *mqttpkt.Disconnect {
	f.t.Helper()
	var d *mqttpkt.Disconnect
	for {
		f.m.SetReadDeadline(time.Now().Add(ioTimeout))
		_, b, err := f.m.NextPacket()
		if err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				f.t.Fatal("the client did not close the connection")
			}
			return d
		}
		if p, _, err := mqttpkt.Decode(b, mqttpkt.V5); err == nil {
			if q, ok := p.(*mqttpkt.Disconnect); ok {
				d = q
			}
		}
	}
}

// TestClientHonoursConnack checks what the client sends in CONNECT and
// that it keeps to what CONNACK allows: Receive Maximum, Maximum Packet
// Size, Topic Alias Maximum, Maximum QoS, Retain Available, the Assigned
// Client Identifier.
func TestClientHonoursConnack(t *testing.T) {
	checkGoroutines(t)
	ack := &mqttpkt.Connack{}
	ack.Props.ReceiveMaximum = 3
	ack.Props.MaximumPacketSize = 200
	ack.Props.TopicAliasMaximum = 2
	ack.Props.MaximumQoS = 1
	ack.Props.Set(mqttpkt.PropRetainAvailable) // present with value 0
	ack.Props.AssignedClientID = []byte("assigned-1")
	will := &Message{Topic: "gw/status", Payload: []byte("offline"), QoS: 1, Retain: true, Props: Props{ContentType: "text/plain"}}
	c, f := fakeSession(t, ack, Options{ClientID: "", Username: "u", Password: "p", KeepAlive: 30 * time.Second,
		UseTopicAliases: true, TopicAliasMaximum: 4, MaxPacketSize: 4096, Will: will})
	ctx, cancel := context.WithTimeout(context.Background(), ioTimeout)
	defer cancel()

	conn := f.connect
	switch {
	case conn.Version != mqttpkt.V5 || !conn.CleanStart || conn.KeepAlive != 30:
		t.Errorf("CONNECT version %v clean %v keep alive %d", conn.Version, conn.CleanStart, conn.KeepAlive)
	case !bytes.HasPrefix(conn.ClientID, []byte("iotwire-")) || len(conn.ClientID) != 8+16:
		t.Errorf("generated client id %q", conn.ClientID)
	case string(conn.Username) != "u" || string(conn.Password) != "p":
		t.Errorf("credentials %q %q", conn.Username, conn.Password)
	case conn.Props.Has(mqttpkt.PropReceiveMaximum):
		t.Errorf("Receive Maximum %d sent; 65,535 is the default", conn.Props.ReceiveMaximum)
	case conn.Props.MaximumPacketSize != 4096 || conn.Props.TopicAliasMaximum != 4:
		t.Errorf("CONNECT properties: maximum packet size %d, topic alias maximum %d", conn.Props.MaximumPacketSize, conn.Props.TopicAliasMaximum)
	case !conn.WillFlag || string(conn.Will.Topic) != "gw/status" || string(conn.Will.Payload) != "offline" ||
		!conn.Will.Retain || conn.Will.QoS != 1 || string(conn.Will.Props.ContentType) != "text/plain":
		t.Errorf("will %+v", conn.Will)
	}
	if c.ClientID() != "assigned-1" {
		t.Errorf("ClientID = %q", c.ClientID())
	}
	if c.Inflight() != 3 {
		t.Errorf("Inflight = %d, want the broker's Receive Maximum 3", c.Inflight())
	}
	if err := c.Publish(ctx, &Message{Topic: "x", QoS: 2}); !errors.Is(err, ErrQoS) {
		t.Errorf("QoS 2: %v", err)
	}
	if err := c.Publish(ctx, &Message{Topic: "x", Retain: true}); !errors.Is(err, ErrRetain) {
		t.Errorf("retain: %v", err)
	}
	if err := c.Publish(ctx, &Message{Topic: "x", Payload: make([]byte, 200)}); !errors.Is(err, ErrTooLarge) {
		t.Errorf("201 bytes: %v", err)
	}
	if err := c.Publish(ctx, &Message{Topic: "x/#"}); err == nil {
		t.Error("wildcard topic: no error")
	}

	// Four QoS 1 messages with a window of 3: the fourth waits for a PUBACK.
	// Topics a, b, c, a with 2 aliases: a=1, b=2, c by name, then a by alias.
	results := make(chan error, 4)
	fourth := make(chan struct{})
	go func() {
		for i, topic := range []string{"a", "b", "c", "a"} {
			err := c.PublishAsync(ctx, &Message{Topic: topic, QoS: 1, Payload: []byte{byte(i)}}, func(err error) { results <- err })
			if err != nil {
				results <- err
			}
		}
		close(fourth)
	}()
	var ids []uint16
	wantTopic := []string{"a", "b", "c", ""}
	wantAlias := []uint16{1, 2, 0, 1}
	for i := range 4 {
		if i == 3 {
			select {
			case <-fourth:
				t.Error("the fourth message went out with 3 unacknowledged (Receive Maximum 3)")
			default:
			}
			f.send(&mqttpkt.Ack{Type: mqttpkt.TypePuback, Version: mqttpkt.V5, PacketID: ids[0]})
		}
		p := recvAs[*mqttpkt.Publish](f)
		if string(p.Topic) != wantTopic[i] || p.Props.TopicAlias != wantAlias[i] || p.Payload[0] != byte(i) {
			t.Errorf("PUBLISH %d: topic %q alias %d payload %v; want %q alias %d", i, p.Topic, p.Props.TopicAlias, p.Payload, wantTopic[i], wantAlias[i])
		}
		ids = append(ids, p.PacketID)
	}
	for _, id := range ids[1:] {
		f.send(&mqttpkt.Ack{Type: mqttpkt.TypePuback, Version: mqttpkt.V5, PacketID: id})
	}
	for range 4 {
		if err := <-results; err != nil {
			t.Errorf("publish: %v", err)
		}
	}
	if err := c.Flush(ctx); err != nil {
		t.Errorf("Flush: %v", err)
	}
	c.Close()
	if d := f.expectClosed(); d == nil || d.ReasonCode != 0 {
		t.Errorf("Close sent %v, want DISCONNECT 0x00", d)
	}
	if err := c.Publish(ctx, &Message{Topic: "x"}); !errors.Is(err, ErrClosed) {
		t.Errorf("Publish after Close: %v", err)
	}
	if err := c.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

// TestClientAcks checks PUBACK outcomes: a refusal, and mochi-mqtt's
// success code 0x01, which the client takes as success.
func TestClientAcks(t *testing.T) {
	checkGoroutines(t)
	c, f := fakeSession(t, &mqttpkt.Connack{}, Options{})
	ctx, cancel := context.WithTimeout(context.Background(), ioTimeout)
	defer cancel()
	res := make(chan error, 1)
	go func() { res <- c.Publish(ctx, &Message{Topic: "t", QoS: 1}) }()
	p := recvAs[*mqttpkt.Publish](f)
	ack := &mqttpkt.Ack{Type: mqttpkt.TypePuback, Version: mqttpkt.V5, PacketID: p.PacketID, ReasonCode: 0x87}
	ack.Props.ReasonString = []byte("no way")
	f.send(ack)
	var re *ReasonError
	if err := <-res; !errors.As(err, &re) || re.Code != 0x87 || re.Reason != "no way" || re.Packet != mqttpkt.TypePuback {
		t.Errorf("refused PUBLISH: %v", err)
	} else if want := "mqttbridge: PUBACK Not authorized (0x87): no way"; re.Error() != want {
		t.Errorf("error text %q, want %q", re.Error(), want)
	}

	go func() { res <- c.Publish(ctx, &Message{Topic: "t", QoS: 1}) }()
	p = recvAs[*mqttpkt.Publish](f)
	// PUBACK, remaining length 3, packet id, reason code 0x01.
	if err := f.m.WriteFrame([]byte{0x40, 3, byte(p.PacketID >> 8), byte(p.PacketID), 0x01}); err != nil {
		t.Fatal(err)
	}
	if err := <-res; err != nil {
		t.Errorf("PUBACK 0x01: %v", err)
	}
}

// TestClientSubscribe checks SUBSCRIBE (QoS 1, a Subscription Identifier
// per call), routing by Subscription Identifier, a refused filter,
// inbound topic aliases, acknowledgement after the handler, UNSUBSCRIBE.
func TestClientSubscribe(t *testing.T) {
	checkGoroutines(t)
	c, f := fakeSession(t, &mqttpkt.Connack{}, Options{TopicAliasMaximum: 2})
	ctx, cancel := context.WithTimeout(context.Background(), ioTimeout)
	defer cancel()
	got1, got2 := make(chan *Message, 4), make(chan *Message, 4)
	res := make(chan error, 1)
	subscribe := func(h Handler, filters ...string) *mqttpkt.Subscribe {
		go func() { res <- c.Subscribe(ctx, h, filters...) }()
		s := recvAs[*mqttpkt.Subscribe](f)
		codes := make([]mqttpkt.ReasonCode, len(s.Subscriptions))
		for i, sub := range s.Subscriptions {
			codes[i] = mqttpkt.ReasonCode(sub.QoS)
			if string(sub.Filter) == "refused/#" {
				codes[i] = 0x87
			}
		}
		f.send(&mqttpkt.Suback{Version: mqttpkt.V5, PacketID: s.PacketID, ReasonCodes: codes})
		return s
	}
	s1 := subscribe(func(m *Message) { got1 <- m }, "a/#", "b/+")
	if err := <-res; err != nil {
		t.Fatal(err)
	}
	s2 := subscribe(func(m *Message) { got2 <- m }, "a/x")
	if err := <-res; err != nil {
		t.Fatal(err)
	}
	if len(s1.Subscriptions) != 2 || s1.Subscriptions[0].QoS != 1 || len(s1.Props.SubscriptionIDs) != 1 ||
		len(s2.Props.SubscriptionIDs) != 1 || s1.Props.SubscriptionIDs[0] == s2.Props.SubscriptionIDs[0] {
		t.Fatalf("SUBSCRIBE %+v / %+v", s1, s2)
	}
	id1, id2 := s1.Props.SubscriptionIDs[0], s2.Props.SubscriptionIDs[0]

	pub := func(topic string, alias uint16, qos mqttpkt.QoS, id uint16, subIDs ...uint32) {
		p := &mqttpkt.Publish{Version: mqttpkt.V5, Topic: []byte(topic), QoS: qos, PacketID: id, Payload: []byte(topic)}
		p.Props.TopicAlias = alias
		p.Props.SubscriptionIDs = subIDs
		f.send(p)
	}
	pub("a/x", 1, 1, 10, id1, id2) // both subscriptions; defines alias 1
	pub("", 1, 0, 0, id2)          // alias 1 again: a/x, second subscription only
	pub("b/y", 0, 1, 11)           // no identifier: routed by filter
	for i, want := range []struct {
		ch    chan *Message
		topic string
		qos   mqttpkt.QoS
	}{{got1, "a/x", 1}, {got2, "a/x", 1}, {got2, "a/x", 0}, {got1, "b/y", 1}} {
		select {
		case m := <-want.ch:
			if m.Topic != want.topic || m.QoS != want.qos || string(m.Payload) != want.topic && m.QoS == 1 {
				t.Errorf("delivery %d: %q QoS %d payload %q", i, m.Topic, m.QoS, m.Payload)
			}
		case <-ctx.Done():
			t.Fatalf("delivery %d missing", i)
		}
	}
	for _, id := range []uint16{10, 11} {
		if a := recvAs[*mqttpkt.Ack](f); a.Type != mqttpkt.TypePuback || a.PacketID != id {
			t.Errorf("got %v %d, want PUBACK %d", a.Type, a.PacketID, id)
		}
	}
	if len(got1)+len(got2) != 0 {
		t.Error("extra deliveries")
	}

	// A refused filter.
	subscribe(func(*Message) {}, "refused/#")
	var re *ReasonError
	if err := <-res; !errors.As(err, &re) || re.Code != 0x87 {
		t.Errorf("refused subscription: %v", err)
	}

	go func() { res <- c.Unsubscribe(ctx, "a/#", "b/+") }()
	u := recvAs[*mqttpkt.Unsubscribe](f)
	if len(u.Filters) != 2 || string(u.Filters[1]) != "b/+" {
		t.Errorf("UNSUBSCRIBE filters %q", u.Filters)
	}
	f.send(&mqttpkt.Unsuback{Version: mqttpkt.V5, PacketID: u.PacketID, ReasonCodes: []mqttpkt.ReasonCode{0, 0x11}})
	if err := <-res; err != nil {
		t.Errorf("Unsubscribe: %v", err)
	}

	// An alias above our maximum (2) ends the connection: 0x94.
	pub("a/z", 3, 0, 0)
	if d := f.expectClosed(); d == nil || d.ReasonCode != 0x94 {
		t.Errorf("DISCONNECT %v, want 0x94 Topic Alias invalid", d)
	}
	<-c.Done()
	var ce *ConnError
	if err := c.Err(); !errors.As(err, &ce) || ce.Op != "protocol" {
		t.Errorf("Err = %v", err)
	}
}

// TestClientFlowControl checks that QoS 1 messages are acknowledged only
// when their handler has returned, that the client holds the broker to
// our Receive Maximum (0x93), and that QoS 0 messages beyond QoS0Buffer
// are dropped rather than queued.
func TestClientFlowControl(t *testing.T) {
	checkGoroutines(t)
	c, f := fakeSession(t, &mqttpkt.Connack{}, Options{ReceiveMaximum: 2, QoS0Buffer: 1})
	ctx, cancel := context.WithTimeout(context.Background(), ioTimeout)
	defer cancel()
	if f.connect.Props.ReceiveMaximum != 2 {
		t.Errorf("CONNECT Receive Maximum %d, want 2", f.connect.Props.ReceiveMaximum)
	}
	entered, release := make(chan string, 8), make(chan struct{})
	// On a failure, free the handler before the client's Close (cleanups
	// run last-registered first), which waits for the dispatcher.
	var once sync.Once
	free := func() { once.Do(func() { close(release) }) }
	t.Cleanup(free)
	res := make(chan error, 1)
	go func() {
		res <- c.Subscribe(ctx, func(m *Message) {
			entered <- m.Topic
			<-release
		}, "#")
	}()
	s := recvAs[*mqttpkt.Subscribe](f)
	f.send(&mqttpkt.Suback{Version: mqttpkt.V5, PacketID: s.PacketID, ReasonCodes: []mqttpkt.ReasonCode{1}})
	if err := <-res; err != nil {
		t.Fatal(err)
	}
	send := func(topic string, qos mqttpkt.QoS, id uint16) {
		f.send(&mqttpkt.Publish{Version: mqttpkt.V5, Topic: []byte(topic), QoS: qos, PacketID: id})
	}
	send("q0-1", 0, 0)
	if got := <-entered; got != "q0-1" { // the handler holds it
		t.Fatalf("handler got %q", got)
	}
	send("q0-2", 0, 0) // queued: the queue holds 1 QoS 0 message
	send("q0-3", 0, 0) // dropped
	send("q1-1", 1, 1) // QoS 1 messages always fit
	// The sends only reached the socket: wait until the client has read
	// q0-3 (and dropped it) before the handler lets the queue move.
	for deadline := time.Now().Add(ioTimeout); c.Dropped() < 1; {
		if time.Now().After(deadline) {
			t.Fatal("q0-3 was not dropped")
		}
		time.Sleep(time.Millisecond)
	}
	release <- struct{}{}
	for _, want := range []string{"q0-2", "q1-1"} {
		if got := <-entered; got != want {
			t.Errorf("handler got %q, want %q", got, want)
		}
		release <- struct{}{}
	}
	if a := recvAs[*mqttpkt.Ack](f); a.PacketID != 1 {
		t.Errorf("PUBACK %d, want 1", a.PacketID)
	}
	if n := c.Dropped(); n != 1 {
		t.Errorf("Dropped = %d, want 1", n)
	}
	// Three unacknowledged QoS 1 messages with Receive Maximum 2.
	send("q1-2", 1, 2)
	if got := <-entered; got != "q1-2" {
		t.Fatalf("handler got %q", got)
	}
	send("q1-3", 1, 3)
	send("q1-4", 1, 4)
	if d := f.expectClosed(); d == nil || d.ReasonCode != 0x93 {
		t.Errorf("DISCONNECT %v, want 0x93 Receive Maximum exceeded", d)
	}
	free() // let the dispatcher finish
	<-c.Done()
}

// TestClientKeepAlive checks that the client pings within the keep-alive
// interval the broker imposes (Server Keep Alive), and gives up on a
// broker that stops answering.
func TestClientKeepAlive(t *testing.T) {
	checkGoroutines(t)
	ack := &mqttpkt.Connack{}
	ack.Props.ServerKeepAlive = 1
	c, f := fakeSession(t, ack, Options{KeepAlive: time.Hour})
	if p := f.recv(true); p.PacketType() != mqttpkt.TypePingreq {
		t.Fatalf("got %v, want PINGREQ", p.PacketType())
	}
	f.send(&mqttpkt.Pingresp{})
	// No more answers: the client gives up after 1.5 s of silence.
	select {
	case <-c.Done():
	case <-time.After(ioTimeout):
		t.Fatal("the client kept a silent connection")
	}
	var ce *ConnError
	var ne net.Error
	if err := c.Err(); !errors.As(err, &ce) || !errors.As(err, &ne) || !ne.Timeout() {
		t.Errorf("Err = %v, want a read timeout", err)
	}
}

// TestClientServerDisconnect checks that a DISCONNECT from the broker ends
// the connection with its reason, and fails what waits for an
// acknowledgement.
func TestClientServerDisconnect(t *testing.T) {
	checkGoroutines(t)
	c, f := fakeSession(t, &mqttpkt.Connack{}, Options{})
	ctx, cancel := context.WithTimeout(context.Background(), ioTimeout)
	defer cancel()
	res := make(chan error, 1)
	go func() { res <- c.Publish(ctx, &Message{Topic: "t", QoS: 1}) }()
	recvAs[*mqttpkt.Publish](f)
	d := &mqttpkt.Disconnect{Version: mqttpkt.V5, ReasonCode: 0x8B}
	d.Props.ReasonString = []byte("maintenance")
	f.send(d)
	var re *ReasonError
	if err := <-res; !errors.As(err, &re) || re.Code != 0x8B || re.Packet != mqttpkt.TypeDisconnect {
		t.Errorf("pending Publish: %v", err)
	}
	<-c.Done()
	if err := c.Close(); !errors.As(err, &re) {
		t.Errorf("Close = %v, want the DISCONNECT", err)
	}
}

// TestDialErrors checks refused and failed connections.
func TestDialErrors(t *testing.T) {
	checkGoroutines(t)
	ctx, cancel := context.WithTimeout(context.Background(), ioTimeout)
	defer cancel()
	for _, url := range []string{"http://127.0.0.1:1", "127.0.0.1:1883", "mqtt://"} {
		if _, err := Dial(ctx, url, Options{}); err == nil {
			t.Errorf("Dial(%q): no error", url)
		}
	}
	// A closed port.
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln.Addr().String()
	ln.Close()
	var ce *ConnError
	if _, err := Dial(ctx, "mqtt://"+addr, Options{}); !errors.As(err, &ce) {
		t.Errorf("closed port: %v", err)
	}
	// A broker that refuses.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		nc, err := ln.Accept()
		if err != nil {
			return
		}
		defer nc.Close()
		m := tcp.NewMQTT(nc, nil)
		m.NextPacket()
		m.WritePacket(&mqttpkt.Connack{Version: mqttpkt.V5, ReasonCode: 0x86})
		m.NextPacket() // until the client closes
	}()
	var re *ReasonError
	if _, err := Dial(ctx, "mqtt://"+ln.Addr().String(), Options{}); !errors.As(err, &re) || re.Code != 0x86 {
		t.Errorf("refused: %v", err)
	}
	// A broker that never answers: ConnectTimeout.
	go func() {
		nc, err := ln.Accept()
		if err != nil {
			return
		}
		defer nc.Close()
		nc.Read(make([]byte, 1024))
		nc.Read(make([]byte, 1024)) // until the client gives up
	}()
	if _, err := Dial(ctx, "mqtt://"+ln.Addr().String(), Options{ConnectTimeout: 200 * time.Millisecond}); !errors.As(err, &ce) {
		t.Errorf("silent broker: %v", err)
	}
}
