package mqttbridge

import (
	"errors"
	"io"
	"strconv"
	"sync"
	"time"

	"github.com/iotwire/iotwire/mqttpkt"
)

// The receiving side of Client: the reader goroutine, which handles
// acknowledgements itself and never waits for handlers; the queue of
// received messages; the dispatcher goroutine, which runs the handlers and
// acknowledges after them; and the keep-alive pinger.

// protocolError ends the connection with a DISCONNECT carrying rc
// (MQTT 5.0 4.13: on a protocol error the receiver closes the connection,
// sending a DISCONNECT with a reason code first).
func (c *Client) protocolError(rc mqttpkt.ReasonCode, err error) {
	c.conn.WritePacket(&mqttpkt.Disconnect{Version: mqttpkt.V5, ReasonCode: rc})
	c.fail(&ConnError{Op: "protocol", Err: err})
}

// readLoop reads packets until the connection ends. It never waits for
// handlers, so acknowledgements of our publishes are always read.
func (c *Client) readLoop() {
	defer c.wg.Done()
	defer c.inbox.close() // only the reader pushes
	var (
		in       map[uint16]string // inbound topic aliases
		pub      mqttpkt.Publish
		ack      mqttpkt.Ack
		suback   mqttpkt.Suback
		unsuback mqttpkt.Unsuback
		disc     mqttpkt.Disconnect
	)
	for {
		if c.keepAlive > 0 {
			// We ping every half interval: 1.5 intervals of silence is a
			// dead broker (the rule MQTT 5.0 3.1.2.10 gives the server).
			c.conn.SetReadDeadline(time.Now().Add(c.keepAlive * 3 / 2))
		}
		h, b, err := c.conn.NextPacket()
		if err != nil {
			var pe *mqttpkt.Error
			if errors.As(err, &pe) { // a malformed or too large packet
				c.protocolError(pe.ReasonCode(), err)
				return
			}
			if err == io.EOF {
				err = io.ErrUnexpectedEOF // the broker closed without DISCONNECT
			}
			c.fail(&ConnError{Op: "read", Err: err})
			return
		}
		switch h.Type {
		case mqttpkt.TypePublish:
			if _, err := pub.Decode(b, mqttpkt.V5); err != nil {
				c.protocolError(decodeReason(err), err)
				return
			}
			if !c.receive(&pub, &in) {
				return
			}
		case mqttpkt.TypePuback:
			if _, err := decodePuback(&ack, b); err != nil {
				c.protocolError(decodeReason(err), err)
				return
			}
			c.acknowledged(ack.PacketID, mqttpkt.TypePuback, ack.ReasonCode, ack.Props.ReasonString, nil)
		case mqttpkt.TypeSuback:
			if _, err := suback.Decode(b, mqttpkt.V5); err != nil {
				c.protocolError(decodeReason(err), err)
				return
			}
			c.acknowledged(suback.PacketID, mqttpkt.TypeSuback, 0, nil, suback.ReasonCodes)
		case mqttpkt.TypeUnsuback:
			if _, err := unsuback.Decode(b, mqttpkt.V5); err != nil {
				c.protocolError(decodeReason(err), err)
				return
			}
			c.acknowledged(unsuback.PacketID, mqttpkt.TypeUnsuback, 0, nil, unsuback.ReasonCodes)
		case mqttpkt.TypePingresp:
			// Its arrival has reset the read deadline: nothing else to do.
		case mqttpkt.TypeDisconnect:
			disc.Decode(b, mqttpkt.V5)
			c.fail(&ReasonError{Packet: mqttpkt.TypeDisconnect, Code: disc.ReasonCode, Reason: string(disc.Props.ReasonString)})
			return
		default:
			// PUBREC/PUBREL/PUBCOMP cannot come: we never send or accept
			// QoS 2. CONNACK twice, SUBSCRIBE and the like are server-bound.
			c.protocolError(mqttpkt.ReasonCode(0x82), errors.New("unexpected "+h.Type.String()+" from the broker"))
			return
		}
	}
}

// decodePuback decodes a PUBACK, tolerating a success reason code that
// MQTT 5.0 3.4.2.1 does not list for PUBACK: mochi-mqtt 2.7.9 answers a
// QoS 1 PUBLISH with 0x01 (Granted QoS 1, a SUBACK code). Any code below
// 0x80 means success (MQTT 5.0 2.4), so the client reads it as 0x00 rather
// than dropping the connection over it.
func decodePuback(ack *mqttpkt.Ack, b []byte) (int, error) {
	n, err := ack.Decode(b, mqttpkt.V5)
	var pe *mqttpkt.Error
	if err != nil && errors.As(err, &pe) && pe.Field == "reason code" && pe.Offset < len(b) && b[pe.Offset] < 0x80 {
		b[pe.Offset] = 0 // b is the framer's buffer, ours until the next read
		n, err = ack.Decode(b, mqttpkt.V5)
	}
	return n, err
}

// decodeReason is the DISCONNECT reason code for a packet that did not decode.
func decodeReason(err error) mqttpkt.ReasonCode {
	var pe *mqttpkt.Error
	if errors.As(err, &pe) {
		return pe.ReasonCode()
	}
	return 0x81 // Malformed Packet
}

// receive queues a PUBLISH for the handlers and reports whether the
// connection goes on.
func (c *Client) receive(p *mqttpkt.Publish, aliases *map[uint16]string) bool {
	topic := string(p.Topic)
	if a := p.Props.TopicAlias; a != 0 {
		// MQTT 5.0 3.3.2.3.4: an alias above our Topic Alias Maximum is a
		// protocol error (0x94 Topic Alias invalid); a name sets the alias,
		// an empty name uses it.
		if a > c.opts.TopicAliasMaximum {
			c.protocolError(0x94, errors.New("topic alias "+strconv.Itoa(int(a))+" above our maximum"))
			return false
		}
		if *aliases == nil {
			*aliases = make(map[uint16]string)
		}
		if topic != "" {
			(*aliases)[a] = topic
		} else if topic = (*aliases)[a]; topic == "" {
			c.protocolError(0x82, errors.New("unknown topic alias "+strconv.Itoa(int(a))))
			return false
		}
	}
	var in inbound
	in.m = Message{Topic: topic, Payload: append([]byte(nil), p.Payload...), QoS: p.QoS, Retain: p.Retain}
	getProps(&in.m.Props, &p.Props)
	in.subIDs = append(in.subIDs, p.Props.SubscriptionIDs...)
	switch p.QoS {
	case mqttpkt.QoS0:
		if c.inbox.len() >= c.opts.QoS0Buffer {
			c.dropped.Add(1) // QoS 0 is at most once: drop rather than stall
			return true
		}
	case mqttpkt.QoS1:
		// MQTT 5.0 3.3.4: more unacknowledged QoS 1 messages than our
		// Receive Maximum is a protocol error (0x93).
		if c.unacked.Load() >= int32(c.recvMax) {
			c.protocolError(0x93, errors.New("receive maximum exceeded"))
			return false
		}
		c.unacked.Add(1)
		in.packetID = p.PacketID
	default:
		// We subscribe with QoS 1 at most (MQTT-3.8.4-8: the broker must
		// not send more than the granted QoS).
		c.protocolError(0x9B, errors.New("QoS 2 message on a QoS 1 subscription"))
		return false
	}
	// The queue holds at most QoS0Buffer QoS 0 messages (admitted while it
	// is shorter) and ReceiveMaximum QoS 1 messages.
	c.inbox.push(in)
	return true
}

// queue is the list of received messages between the reader, which never
// waits for it, and the dispatcher. Its length is bounded by what the
// reader admits (see receive); its memory follows the backlog.
type queue struct {
	mu     sync.Mutex
	items  []inbound
	closed bool
	ready  chan struct{} // signalled after a push or close; one consumer
}

func (q *queue) init() { q.ready = make(chan struct{}, 1) }

func (q *queue) len() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.items)
}

func (q *queue) push(in inbound) {
	q.mu.Lock()
	q.items = append(q.items, in)
	q.mu.Unlock()
	q.signal()
}

func (q *queue) close() {
	q.mu.Lock()
	q.closed = true
	q.mu.Unlock()
	q.signal()
}

func (q *queue) signal() {
	select {
	case q.ready <- struct{}{}:
	default: // already signalled
	}
}

// pop returns the oldest message, waiting for one; false once the queue is
// closed and empty.
func (q *queue) pop() (inbound, bool) {
	for {
		q.mu.Lock()
		if len(q.items) > 0 {
			in := q.items[0]
			q.items[0] = inbound{} // release the payload
			q.items = q.items[1:]
			if len(q.items) == 0 {
				q.items = nil // let a grown backing array go
			}
			q.mu.Unlock()
			return in, true
		}
		closed := q.closed
		q.mu.Unlock()
		if closed {
			return inbound{}, false
		}
		<-q.ready
	}
}

// acknowledged completes the packet waiting for an acknowledgement.
func (c *Client) acknowledged(id uint16, t mqttpkt.PacketType, rc mqttpkt.ReasonCode, reason []byte, codes []mqttpkt.ReasonCode) {
	c.mu.Lock()
	p := c.pending[id]
	if p == nil || p.ack != t {
		c.mu.Unlock()
		// MQTT 5.0 4.13.1: an acknowledgement we did not ask for. Brokers
		// may repeat a PUBACK; ignoring it is harmless.
		return
	}
	delete(c.pending, id)
	c.mu.Unlock()
	var err error
	if rc >= 0x80 {
		err = &ReasonError{Packet: t, Code: rc, Reason: string(reason)}
	}
	c.finish(p, err, append([]mqttpkt.ReasonCode(nil), codes...))
}

// dispatch delivers queued messages to the handlers and acknowledges QoS 1
// messages after them, until the reader has stopped and the queue is empty.
func (c *Client) dispatch() {
	defer c.wg.Done()
	for {
		in, ok := c.inbox.pop()
		if !ok {
			return
		}
		c.deliver(&in)
		if in.packetID != 0 {
			if err := c.conn.WritePacket(&mqttpkt.Ack{Type: mqttpkt.TypePuback, Version: mqttpkt.V5, PacketID: in.packetID}); err != nil {
				c.fail(&ConnError{Op: "write", Err: err})
			}
			c.unacked.Add(-1)
		}
	}
}

// deliver calls the handlers of the subscriptions that match: by
// Subscription Identifier when the broker sent some (MQTT 5.0 3.3.2.3.8),
// else by topic filter.
func (c *Client) deliver(in *inbound) {
	c.mu.Lock()
	var hs []Handler
	for _, s := range c.subs {
		if s.matches(in) {
			hs = append(hs, s.h)
		}
	}
	c.mu.Unlock()
	for i, h := range hs {
		m := &in.m
		if i > 0 {
			cp := *m // each handler owns its message
			m = &cp
		}
		h(m)
	}
}

func (s *subscription) matches(in *inbound) bool {
	if s.id != 0 && len(in.subIDs) > 0 {
		for _, id := range in.subIDs {
			if id == s.id {
				return true
			}
		}
		return false
	}
	for _, f := range s.filters {
		if _, rest, ok, _ := mqttpkt.ParseShared([]byte(f)); ok {
			f = string(rest)
		}
		if mqttpkt.MatchTopic([]byte(f), []byte(in.m.Topic)) {
			return true
		}
	}
	return false
}

// ping sends PINGREQ every half keep-alive interval (MQTT 5.0 3.1.2.10
// asks for a packet within each interval).
func (c *Client) ping() {
	defer c.wg.Done()
	t := time.NewTicker(c.keepAlive / 2)
	defer t.Stop()
	for {
		select {
		case <-c.stopPing:
			return
		case <-t.C:
			if err := c.conn.WritePacket(&mqttpkt.Pingreq{}); err != nil {
				c.fail(&ConnError{Op: "keep alive", Err: err})
				return
			}
		}
	}
}
