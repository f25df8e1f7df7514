package mqttbridge

import (
	"context"
	"errors"
	"strconv"

	"github.com/iotwire/iotwire/mqttpkt"
)

// The sending side of Client: packet identifiers, the in-flight window,
// topic aliases, PUBLISH, SUBSCRIBE and UNSUBSCRIBE, and the mapping of
// message properties to MQTT 5.0 properties.

// register reserves a packet identifier for p (MQTT 5.0 2.2.1: unique
// among the packets in flight).
func (c *Client) register(p *pending) (uint16, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.err != nil {
		return 0, c.err
	}
	for range 65535 {
		c.nextID++
		if c.nextID == 0 {
			c.nextID = 1
		}
		if c.pending[c.nextID] == nil {
			c.pending[c.nextID] = p
			return c.nextID, nil
		}
	}
	return 0, errors.New("mqttbridge: no free packet identifier")
}

// unregister drops a pending packet that was not sent.
func (c *Client) unregister(id uint16) { c.take(id) }

// take removes the pending packet id and returns it, or nil when it is
// gone (acknowledged, or failed by fail): whoever takes it completes it.
func (c *Client) take(id uint16) *pending {
	c.mu.Lock()
	defer c.mu.Unlock()
	p := c.pending[id]
	delete(c.pending, id)
	return p
}

// Publish publishes m and returns once it is delivered to the broker: at
// QoS 0 when it is written, at QoS 1 when the PUBACK arrives. A full
// in-flight window makes it wait. m is not retained.
func (c *Client) Publish(ctx context.Context, m *Message) error {
	res := make(chan error, 1)
	if err := c.PublishAsync(ctx, m, func(err error) { res <- err }); err != nil {
		return err
	}
	select {
	case err := <-res:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// PublishAsync publishes m without waiting for the PUBACK: it waits only
// while the in-flight window is full, then writes the PUBLISH. done (which
// may be nil) is called exactly once with the outcome when PublishAsync
// returned nil: nil once the broker acknowledged (QoS 1) or the packet was
// written (QoS 0), else a [*ReasonError] or the error that ended the
// connection. It runs on the client's reader goroutine, or on the caller's
// (possibly before PublishAsync returns): it must be quick and must not
// publish. m is not retained.
func (c *Client) PublishAsync(ctx context.Context, m *Message, done func(error)) error {
	switch {
	case m.QoS > mqttpkt.QoS1 || m.QoS > c.maxQoS:
		return ErrQoS
	case m.Retain && !c.retainOK:
		return ErrRetain
	}
	if done == nil {
		done = func(error) {}
	}
	p := &mqttpkt.Publish{Version: mqttpkt.V5, QoS: m.QoS, Retain: m.Retain, Payload: m.Payload}
	setProps(&p.Props, &m.Props)
	var id uint16
	if m.QoS == mqttpkt.QoS1 {
		select {
		case c.slots <- struct{}{}:
		case <-ctx.Done():
			return ctx.Err()
		case <-c.done:
			return c.Err()
		}
		var err error
		if id, err = c.register(&pending{ack: mqttpkt.TypePuback, slot: true, done: done}); err != nil {
			<-c.slots
			return err
		}
		p.PacketID = id
	} else if err := c.Err(); err != nil {
		return err
	}
	c.wmu.Lock()
	p.Topic = []byte(m.Topic)
	alias, known := c.alias(m.Topic)
	if alias != 0 {
		p.Props.TopicAlias = alias
		if known {
			p.Topic = p.Topic[:0]
		}
	}
	var err error
	if n := p.Len(); c.maxPacket > 0 && n > c.maxPacket {
		err = ErrTooLarge
	} else if err = c.conn.WritePacket(p); err == nil && alias != 0 && !known {
		c.aliases[m.Topic] = alias
	}
	c.wmu.Unlock()
	if err != nil {
		var pe *mqttpkt.Error
		broken := err != ErrTooLarge && !errors.As(err, &pe) // an I/O error, not a bad message
		if broken {
			err = &ConnError{Op: "write", Err: err}
		}
		if id != 0 && c.take(id) == nil {
			// The connection ended meanwhile and fail completed the
			// message: done has had the outcome.
			return nil
		}
		if id != 0 {
			<-c.slots
		}
		if broken {
			c.fail(err)
			err = c.Err() // the first cause, such as ErrClosed
		}
		return err
	}
	if id == 0 {
		done(nil)
	}
	return nil
}

// alias returns the topic alias for topic, if aliases are in use, and
// whether the broker knows it already. The caller holds wmu and records a
// new alias once the PUBLISH that defines it is written.
func (c *Client) alias(topic string) (uint16, bool) {
	if c.aliasMax == 0 {
		return 0, false
	}
	if a, ok := c.aliases[topic]; ok {
		return a, true
	}
	if len(c.aliases) >= int(c.aliasMax) {
		return 0, false // every alias is taken: send the name
	}
	return uint16(len(c.aliases) + 1), false
}

// Flush waits until every QoS 1 message published so far is acknowledged
// (and its done function has returned).
func (c *Client) Flush(ctx context.Context) error {
	c.flushMu.Lock()
	defer c.flushMu.Unlock()
	n := 0
	defer func() {
		for range n {
			<-c.slots
		}
	}()
	for n < cap(c.slots) {
		select {
		case c.slots <- struct{}{}:
			n++
		case <-ctx.Done():
			return ctx.Err()
		case <-c.done:
			return c.Err()
		}
	}
	return nil
}

// Subscribe subscribes to the topic filters with QoS 1 and delivers the
// messages that match them to h. It returns once the broker has granted
// every filter; a refused filter gives a [*ReasonError] (the others stay
// subscribed).
func (c *Client) Subscribe(ctx context.Context, h Handler, filters ...string) error {
	if len(filters) == 0 {
		return errors.New("mqttbridge: Subscribe needs a topic filter")
	}
	s := &subscription{filters: filters, h: h}
	p := &mqttpkt.Subscribe{Version: mqttpkt.V5}
	for _, f := range filters {
		p.Subscriptions = append(p.Subscriptions, mqttpkt.Subscription{Filter: []byte(f), QoS: mqttpkt.QoS1})
	}
	c.mu.Lock()
	if c.subIDsOK {
		c.nextSub++
		s.id = c.nextSub
		p.Props.SubscriptionIDs = []uint32{s.id}
	}
	// Route from now on: messages may arrive before the SUBACK.
	c.subs = append(c.subs, s)
	c.mu.Unlock()
	codes, err := c.request(ctx, mqttpkt.TypeSuback, func(id uint16) mqttpkt.Packet { p.PacketID = id; return p })
	if err != nil {
		c.dropSub(s)
		return err
	}
	for i, rc := range codes {
		if rc >= 0x80 {
			return &ReasonError{Packet: mqttpkt.TypeSuback, Code: rc, Reason: "topic filter " + strconv.Quote(filters[min(i, len(filters)-1)])}
		}
	}
	return nil
}

// Unsubscribe removes the topic filters and their handlers.
func (c *Client) Unsubscribe(ctx context.Context, filters ...string) error {
	if len(filters) == 0 {
		return nil
	}
	p := &mqttpkt.Unsubscribe{Version: mqttpkt.V5}
	for _, f := range filters {
		p.Filters = append(p.Filters, []byte(f))
	}
	c.mu.Lock()
	kept := c.subs[:0]
	for _, s := range c.subs {
		s.filters = removeAll(s.filters, filters)
		if len(s.filters) > 0 {
			kept = append(kept, s)
		}
	}
	clear(c.subs[len(kept):])
	c.subs = kept
	c.mu.Unlock()
	codes, err := c.request(ctx, mqttpkt.TypeUnsuback, func(id uint16) mqttpkt.Packet { p.PacketID = id; return p })
	if err != nil {
		return err
	}
	for _, rc := range codes {
		if rc >= 0x80 && rc != 0x11 { // 0x11: No subscription existed
			return &ReasonError{Packet: mqttpkt.TypeUnsuback, Code: rc}
		}
	}
	return nil
}

func removeAll(list, drop []string) []string {
	out := make([]string, 0, len(list))
	for _, f := range list {
		found := false
		for _, d := range drop {
			found = found || f == d
		}
		if !found {
			out = append(out, f)
		}
	}
	return out
}

func (c *Client) dropSub(s *subscription) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i, x := range c.subs {
		if x == s {
			c.subs = append(c.subs[:i], c.subs[i+1:]...)
			return
		}
	}
}

// request sends the packet build returns for a packet identifier and
// waits for its acknowledgement of type ack.
func (c *Client) request(ctx context.Context, ack mqttpkt.PacketType, build func(id uint16) mqttpkt.Packet) ([]mqttpkt.ReasonCode, error) {
	p := &pending{ack: ack, codes: make(chan []mqttpkt.ReasonCode, 1), fail: make(chan error, 1)}
	id, err := c.register(p)
	if err != nil {
		return nil, err
	}
	pkt := build(id)
	if c.maxPacket > 0 && pkt.Len() > c.maxPacket {
		c.unregister(id)
		return nil, ErrTooLarge
	}
	if err := c.conn.WritePacket(pkt); err != nil {
		var pe *mqttpkt.Error
		if errors.As(err, &pe) {
			c.unregister(id)
			return nil, err
		}
		c.fail(&ConnError{Op: "write", Err: err})
		return nil, c.Err() // the first cause, such as ErrClosed
	}
	select {
	case codes := <-p.codes:
		return codes, nil
	case err := <-p.fail:
		return nil, err
	case <-ctx.Done():
		// The acknowledgement, if it comes, completes p into its buffered
		// channels; nobody waits for it.
		return nil, ctx.Err()
	}
}

// setProps copies message properties into packet properties.
func setProps(dst *mqttpkt.Properties, p *Props) {
	if p.ContentType != "" {
		dst.ContentType = []byte(p.ContentType)
	}
	if p.PayloadUTF8 {
		dst.PayloadFormat = 1
	}
	dst.MessageExpiry = p.MessageExpiry
	if p.ResponseTopic != "" {
		dst.ResponseTopic = []byte(p.ResponseTopic)
	}
	if len(p.CorrelationData) > 0 {
		dst.CorrelationData = p.CorrelationData
	}
	for _, u := range p.User {
		dst.User.Add(u.Key, u.Value)
	}
}

// getProps copies received packet properties into message properties.
func getProps(dst *Props, p *mqttpkt.Properties) {
	dst.ContentType = string(p.ContentType)
	dst.PayloadUTF8 = p.PayloadFormat == 1
	dst.MessageExpiry = p.MessageExpiry
	dst.ResponseTopic = string(p.ResponseTopic)
	if len(p.CorrelationData) > 0 {
		dst.CorrelationData = append([]byte(nil), p.CorrelationData...)
	}
	for it := p.User.Iter(); it.Next(); {
		k, v := it.Pair()
		dst.User = append(dst.User, UserProperty{string(k), string(v)})
	}
}
