package main

// The JSON mapping of MQTT 3.1.1 and 5.0 packets (--proto mqtt3, mqtt5), as
// the JSON contract describes it. Every key that applies to a packet type is
// written, in the contract's order, with "properties" last and omitted when
// empty. Keys that a version lacks take the value the packet implies: a
// 3.1.1 PUBACK has "reason_code": 0, a 3.1.1 UNSUBACK "reason_codes": [], a
// 3.1.1 subscription "no_local": false.
//
// encode reads the same keys. A missing key takes its zero value (false, 0,
// "", []), except "type", which is required; "protocol_level" defaults to the
// --proto version; "will", "username" and "password" are sent only when
// present. A key that does not apply to the packet type is an error.

import (
	"errors"
	"math"
	"strconv"

	"github.com/iotwire/iotwire/mqttpkt"
)

// mqttCodec returns the codec of --proto mqtt3 (v = V311) or mqtt5 (v = V5).
func mqttCodec(v mqttpkt.Version) codec {
	return codec{
		decode: func(dst, unit []byte, _ *options) ([]byte, error) { return mqttDecodeUnit(dst, unit, v) },
		encode: func(dst, obj []byte, _ *options) ([]byte, error) { return mqttEncodeObject(dst, obj, v) },
	}
}

// mqttDecodeUnit appends one JSON line per packet of unit.
func mqttDecodeUnit(dst, unit []byte, v mqttpkt.Version) ([]byte, error) {
	for off := 0; off < len(unit); {
		p, n, err := mqttpkt.Decode(unit[off:], v)
		if err != nil {
			return dst, mqttError(err, off)
		}
		dst = append(appendMQTTJSON(dst, p), '\n')
		off += n
	}
	return dst, nil
}

// mqttError turns an mqttpkt error into a unit error whose message names
// the packet ("PUBLISH topic name: wildcard character in topic name
// [MQTT-3.3.2-2]") and whose offset counts from the start of the unit; the
// packet started at base. Encode errors have no offset: they report base.
func mqttError(err error, base int) *unitError {
	var e *mqttpkt.Error
	if !errors.As(err, &e) {
		return &unitError{Msg: err.Error(), Offset: base}
	}
	msg := e.Message()
	if e.Packet != 0 {
		msg = e.Packet.String() + " " + msg
	}
	return &unitError{Msg: msg, Offset: base + max(e.Offset, 0)}
}

// appendMQTTJSON appends the JSON object of p, without a newline.
func appendMQTTJSON(dst []byte, p mqttpkt.Packet) []byte {
	w := jsonWriter{b: dst}
	w.open('{')
	w.strField("type", p.PacketType().String())
	var props *mqttpkt.Properties
	switch p := p.(type) {
	case *mqttpkt.Connect:
		w.strField("protocol_name", p.ProtocolName())
		w.uintField("protocol_level", uint64(p.Version))
		w.boolField("clean_start", p.CleanStart)
		w.uintField("keep_alive", uint64(p.KeepAlive))
		w.strField("client_id", string(p.ClientID))
		if p.WillFlag {
			w.key("will")
			w.open('{')
			w.strField("topic", string(p.Will.Topic))
			w.hexField("payload", p.Will.Payload)
			w.uintField("qos", uint64(p.Will.QoS))
			w.boolField("retain", p.Will.Retain)
			writeMQTTProps(&w, &p.Will.Props, false)
			w.close('}')
		}
		if p.Username != nil {
			w.strField("username", string(p.Username))
		}
		if p.Password != nil {
			w.hexField("password", p.Password)
		}
		props = &p.Props
	case *mqttpkt.Connack:
		w.boolField("session_present", p.SessionPresent)
		w.uintField("reason_code", uint64(p.ReasonCode))
		props = &p.Props
	case *mqttpkt.Publish:
		w.boolField("dup", p.Dup)
		w.uintField("qos", uint64(p.QoS))
		w.boolField("retain", p.Retain)
		w.strField("topic", string(p.Topic))
		if p.QoS > 0 {
			w.uintField("packet_id", uint64(p.PacketID))
		}
		w.hexField("payload", p.Payload)
		writeMQTTProps(&w, &p.Props, true)
	case *mqttpkt.Ack:
		w.uintField("packet_id", uint64(p.PacketID))
		w.uintField("reason_code", uint64(p.ReasonCode))
		props = &p.Props
	case *mqttpkt.Subscribe:
		w.uintField("packet_id", uint64(p.PacketID))
		w.key("subscriptions")
		w.open('[')
		for _, s := range p.Subscriptions {
			w.open('{')
			w.strField("filter", string(s.Filter))
			w.uintField("qos", uint64(s.QoS))
			w.boolField("no_local", s.NoLocal)
			w.boolField("retain_as_published", s.RetainAsPublished)
			w.uintField("retain_handling", uint64(s.RetainHandling))
			w.close('}')
		}
		w.close(']')
		props = &p.Props
	case *mqttpkt.Suback:
		w.uintField("packet_id", uint64(p.PacketID))
		writeReasonCodes(&w, p.ReasonCodes)
		props = &p.Props
	case *mqttpkt.Unsubscribe:
		w.uintField("packet_id", uint64(p.PacketID))
		w.key("filters")
		w.open('[')
		for _, f := range p.Filters {
			w.str(string(f))
		}
		w.close(']')
		props = &p.Props
	case *mqttpkt.Unsuback:
		w.uintField("packet_id", uint64(p.PacketID))
		writeReasonCodes(&w, p.ReasonCodes)
		props = &p.Props
	case *mqttpkt.Disconnect:
		w.uintField("reason_code", uint64(p.ReasonCode))
		props = &p.Props
	case *mqttpkt.Auth:
		w.uintField("reason_code", uint64(p.ReasonCode))
		props = &p.Props
	}
	if props != nil {
		writeMQTTProps(&w, props, false)
	}
	w.close('}')
	return w.b
}

func writeReasonCodes(w *jsonWriter, codes []mqttpkt.ReasonCode) {
	w.key("reason_codes")
	w.open('[')
	for _, c := range codes {
		w.uint(uint64(c))
	}
	w.close(']')
}

// mqttProp maps one MQTT 5.0 property to its JSON key. Exactly one accessor
// is set, except for Subscription Identifier and User Property, which
// writeMQTTProps and readMQTTProps handle by id.
type mqttProp struct {
	id   mqttpkt.PropID
	name string
	u8   func(*mqttpkt.Properties) *uint8
	u16  func(*mqttpkt.Properties) *uint16
	u32  func(*mqttpkt.Properties) *uint32
	str  func(*mqttpkt.Properties) *[]byte // UTF-8 string
	bin  func(*mqttpkt.Properties) *[]byte // binary data: hex in JSON
}

// mqttProps lists the properties in identifier order, which is the order
// of the JSON keys and of the encoded properties.
var mqttProps = [...]mqttProp{
	{id: mqttpkt.PropPayloadFormat, name: "payload_format_indicator", u8: func(p *mqttpkt.Properties) *uint8 { return &p.PayloadFormat }},
	{id: mqttpkt.PropMessageExpiry, name: "message_expiry_interval", u32: func(p *mqttpkt.Properties) *uint32 { return &p.MessageExpiry }},
	{id: mqttpkt.PropContentType, name: "content_type", str: func(p *mqttpkt.Properties) *[]byte { return &p.ContentType }},
	{id: mqttpkt.PropResponseTopic, name: "response_topic", str: func(p *mqttpkt.Properties) *[]byte { return &p.ResponseTopic }},
	{id: mqttpkt.PropCorrelationData, name: "correlation_data", bin: func(p *mqttpkt.Properties) *[]byte { return &p.CorrelationData }},
	{id: mqttpkt.PropSubscriptionID}, // subscription_identifiers (PUBLISH) or subscription_identifier
	{id: mqttpkt.PropSessionExpiry, name: "session_expiry_interval", u32: func(p *mqttpkt.Properties) *uint32 { return &p.SessionExpiry }},
	{id: mqttpkt.PropAssignedClientID, name: "assigned_client_identifier", str: func(p *mqttpkt.Properties) *[]byte { return &p.AssignedClientID }},
	{id: mqttpkt.PropServerKeepAlive, name: "server_keep_alive", u16: func(p *mqttpkt.Properties) *uint16 { return &p.ServerKeepAlive }},
	{id: mqttpkt.PropAuthMethod, name: "authentication_method", str: func(p *mqttpkt.Properties) *[]byte { return &p.AuthMethod }},
	{id: mqttpkt.PropAuthData, name: "authentication_data", bin: func(p *mqttpkt.Properties) *[]byte { return &p.AuthData }},
	{id: mqttpkt.PropRequestProblemInfo, name: "request_problem_information", u8: func(p *mqttpkt.Properties) *uint8 { return &p.RequestProblemInfo }},
	{id: mqttpkt.PropWillDelay, name: "will_delay_interval", u32: func(p *mqttpkt.Properties) *uint32 { return &p.WillDelay }},
	{id: mqttpkt.PropRequestResponseInfo, name: "request_response_information", u8: func(p *mqttpkt.Properties) *uint8 { return &p.RequestResponseInfo }},
	{id: mqttpkt.PropResponseInfo, name: "response_information", str: func(p *mqttpkt.Properties) *[]byte { return &p.ResponseInfo }},
	{id: mqttpkt.PropServerReference, name: "server_reference", str: func(p *mqttpkt.Properties) *[]byte { return &p.ServerReference }},
	{id: mqttpkt.PropReasonString, name: "reason_string", str: func(p *mqttpkt.Properties) *[]byte { return &p.ReasonString }},
	{id: mqttpkt.PropReceiveMaximum, name: "receive_maximum", u16: func(p *mqttpkt.Properties) *uint16 { return &p.ReceiveMaximum }},
	{id: mqttpkt.PropTopicAliasMaximum, name: "topic_alias_maximum", u16: func(p *mqttpkt.Properties) *uint16 { return &p.TopicAliasMaximum }},
	{id: mqttpkt.PropTopicAlias, name: "topic_alias", u16: func(p *mqttpkt.Properties) *uint16 { return &p.TopicAlias }},
	{id: mqttpkt.PropMaximumQoS, name: "maximum_qos", u8: func(p *mqttpkt.Properties) *uint8 { return &p.MaximumQoS }},
	{id: mqttpkt.PropRetainAvailable, name: "retain_available", u8: func(p *mqttpkt.Properties) *uint8 { return &p.RetainAvailable }},
	{id: mqttpkt.PropUserProperty, name: "user_properties"},
	{id: mqttpkt.PropMaximumPacketSize, name: "maximum_packet_size", u32: func(p *mqttpkt.Properties) *uint32 { return &p.MaximumPacketSize }},
	{id: mqttpkt.PropWildcardSubAvailable, name: "wildcard_subscription_available", u8: func(p *mqttpkt.Properties) *uint8 { return &p.WildcardSubAvailable }},
	{id: mqttpkt.PropSubIDAvailable, name: "subscription_identifier_available", u8: func(p *mqttpkt.Properties) *uint8 { return &p.SubIDAvailable }},
	{id: mqttpkt.PropSharedSubAvailable, name: "shared_subscription_available", u8: func(p *mqttpkt.Properties) *uint8 { return &p.SharedSubAvailable }},
}

// writeMQTTProps writes "properties" unless p is empty. Subscription
// Identifiers are an array in PUBLISH and a number elsewhere (SUBSCRIBE).
func writeMQTTProps(w *jsonWriter, p *mqttpkt.Properties, publish bool) {
	if p.Empty() {
		return
	}
	w.key("properties")
	w.open('{')
	for _, d := range &mqttProps {
		if !p.Has(d.id) {
			continue
		}
		switch {
		case d.id == mqttpkt.PropSubscriptionID && publish:
			w.key("subscription_identifiers")
			w.open('[')
			for _, id := range p.SubscriptionIDs {
				w.uint(uint64(id))
			}
			w.close(']')
		case d.id == mqttpkt.PropSubscriptionID:
			w.uintField("subscription_identifier", uint64(p.SubscriptionIDs[0]))
		case d.id == mqttpkt.PropUserProperty:
			w.key(d.name)
			w.open('[')
			for it := p.User.Iter(); it.Next(); {
				k, v := it.Pair()
				w.open('[')
				w.str(string(k))
				w.str(string(v))
				w.close(']')
			}
			w.close(']')
		case d.u8 != nil:
			w.uintField(d.name, uint64(*d.u8(p)))
		case d.u16 != nil:
			w.uintField(d.name, uint64(*d.u16(p)))
		case d.u32 != nil:
			w.uintField(d.name, uint64(*d.u32(p)))
		case d.str != nil:
			w.strField(d.name, string(*d.str(p)))
		case d.bin != nil:
			w.hexField(d.name, *d.bin(p))
		}
	}
	w.close('}')
}

// readMQTTProps reads the "properties" of o, if any, into p. Every property
// read is marked with Set, so that zero values are encoded too; which
// properties the packet allows is for mqttpkt to check.
func readMQTTProps(o *jsonObject, p *mqttpkt.Properties, publish bool, context string) {
	po := o.object("properties")
	if po == nil {
		return
	}
	if publish && po.has("subscription_identifier") {
		po.fail("subscription_identifier", "PUBLISH has subscription_identifiers, an array")
	} else if !publish && po.has("subscription_identifiers") {
		po.fail("subscription_identifiers", "only PUBLISH has several; use subscription_identifier")
	}
	for _, d := range &mqttProps {
		switch {
		case d.id == mqttpkt.PropSubscriptionID && publish:
			elems, names := po.array("subscription_identifiers")
			for i, e := range elems {
				p.SubscriptionIDs = append(p.SubscriptionIDs, uint32(po.uintOf(e, names[i], math.MaxUint32)))
			}
			continue // present when non-empty
		case d.id == mqttpkt.PropSubscriptionID:
			if po.has("subscription_identifier") {
				p.SubscriptionIDs = []uint32{uint32(po.uint("subscription_identifier", math.MaxUint32))}
			}
			continue
		case d.id == mqttpkt.PropUserProperty:
			elems, names := po.array(d.name)
			for i, e := range elems {
				pair, _ := po.arrayOf(e, names[i])
				if len(pair) != 2 {
					if pair != nil {
						po.failAt(e.off, names[i], "want a [name, value] pair")
					}
					continue
				}
				p.User.Add(po.strOf(pair[0], names[i]+"[0]"), po.strOf(pair[1], names[i]+"[1]"))
			}
			continue // present when non-empty
		case !po.has(d.name):
			continue
		case d.u8 != nil:
			*d.u8(p) = uint8(po.uint(d.name, math.MaxUint8))
		case d.u16 != nil:
			*d.u16(p) = uint16(po.uint(d.name, math.MaxUint16))
		case d.u32 != nil:
			*d.u32(p) = uint32(po.uint(d.name, math.MaxUint32))
		case d.str != nil:
			*d.str(p) = po.strBytes(d.name)
		case d.bin != nil:
			*d.bin(p) = po.hexBytes(d.name)
		}
		p.Set(d.id)
	}
	po.done(context)
}

// mqttEncodeObject appends the packet that the JSON object line describes.
func mqttEncodeObject(dst, line []byte, v mqttpkt.Version) ([]byte, error) {
	o, err := parseJSONObject(line)
	if err != nil {
		return dst, err
	}
	f, ok := o.take("type")
	if !ok {
		return dst, &unitError{Msg: `missing key "type"`}
	}
	name := o.strOf(f, "type")
	if err := o.err(); err != nil {
		return dst, err
	}
	t, ok := mqttpkt.ParsePacketType(name)
	if !ok {
		return dst, &unitError{Msg: "type: unknown MQTT packet type " + quote(name), Offset: f.off}
	}
	p := readMQTTPacket(o, t, v)
	if err := o.done(t.String()); err != nil {
		return dst, err
	}
	b, err := p.AppendBinary(dst)
	if err != nil {
		return dst, mqttError(err, 0)
	}
	return b, nil
}

// readMQTTPacket reads the keys of a packet of type t; errors stay in o.
func readMQTTPacket(o *jsonObject, t mqttpkt.PacketType, v mqttpkt.Version) mqttpkt.Packet {
	context := t.String() + " properties"
	packetID := func() uint16 { return uint16(o.uint("packet_id", math.MaxUint16)) }
	reasonCode := func() mqttpkt.ReasonCode { return mqttpkt.ReasonCode(o.uint("reason_code", math.MaxUint8)) }
	switch t {
	case mqttpkt.TypeConnect:
		p := &mqttpkt.Connect{Version: v}
		if o.has("protocol_level") {
			p.Version = mqttpkt.Version(o.uint("protocol_level", math.MaxUint8))
			if p.Version < mqttpkt.V31 || p.Version > mqttpkt.V5 {
				o.fail("protocol_level", "want 3 (MQTT 3.1), 4 (3.1.1) or 5 (5.0)")
			}
		}
		if o.has("protocol_name") {
			if name := o.str("protocol_name"); name != p.ProtocolName() {
				o.fail("protocol_name", "want "+quote(p.ProtocolName())+" for protocol_level "+strconv.Itoa(int(p.Version)))
			}
		}
		p.CleanStart = o.boolean("clean_start")
		p.KeepAlive = uint16(o.uint("keep_alive", math.MaxUint16))
		p.ClientID = o.strBytes("client_id")
		if w := o.object("will"); w != nil {
			p.WillFlag = true
			p.Will.Topic = w.strBytes("topic")
			p.Will.Payload = w.hexBytes("payload")
			p.Will.QoS = mqttpkt.QoS(w.uint("qos", 2))
			p.Will.Retain = w.boolean("retain")
			readMQTTProps(w, &p.Will.Props, false, "will properties")
			w.done("will")
		}
		p.Username = o.strBytes("username")
		p.Password = o.hexBytes("password")
		readMQTTProps(o, &p.Props, false, context)
		return p
	case mqttpkt.TypeConnack:
		p := &mqttpkt.Connack{Version: v, SessionPresent: o.boolean("session_present"), ReasonCode: reasonCode()}
		readMQTTProps(o, &p.Props, false, context)
		return p
	case mqttpkt.TypePublish:
		p := &mqttpkt.Publish{Version: v, Dup: o.boolean("dup"), QoS: mqttpkt.QoS(o.uint("qos", 2)),
			Retain: o.boolean("retain"), Topic: o.strBytes("topic"), PacketID: packetID(), Payload: o.hexBytes("payload")}
		readMQTTProps(o, &p.Props, true, context)
		return p
	case mqttpkt.TypePuback, mqttpkt.TypePubrec, mqttpkt.TypePubrel, mqttpkt.TypePubcomp:
		p := &mqttpkt.Ack{Type: t, Version: v, PacketID: packetID(), ReasonCode: reasonCode()}
		readMQTTProps(o, &p.Props, false, context)
		return p
	case mqttpkt.TypeSubscribe:
		p := &mqttpkt.Subscribe{Version: v, PacketID: packetID()}
		elems, names := o.array("subscriptions")
		for i, e := range elems {
			so := o.objectOf(e, names[i])
			p.Subscriptions = append(p.Subscriptions, mqttpkt.Subscription{
				Filter:            so.strBytes("filter"),
				QoS:               mqttpkt.QoS(so.uint("qos", 2)),
				NoLocal:           so.boolean("no_local"),
				RetainAsPublished: so.boolean("retain_as_published"),
				RetainHandling:    uint8(so.uint("retain_handling", 2)),
			})
			so.done("subscription")
		}
		readMQTTProps(o, &p.Props, false, context)
		return p
	case mqttpkt.TypeSuback:
		p := &mqttpkt.Suback{Version: v, PacketID: packetID(), ReasonCodes: readReasonCodes(o)}
		readMQTTProps(o, &p.Props, false, context)
		return p
	case mqttpkt.TypeUnsubscribe:
		p := &mqttpkt.Unsubscribe{Version: v, PacketID: packetID()}
		elems, names := o.array("filters")
		for i, e := range elems {
			p.Filters = append(p.Filters, []byte(o.strOf(e, names[i])))
		}
		readMQTTProps(o, &p.Props, false, context)
		return p
	case mqttpkt.TypeUnsuback:
		p := &mqttpkt.Unsuback{Version: v, PacketID: packetID(), ReasonCodes: readReasonCodes(o)}
		readMQTTProps(o, &p.Props, false, context)
		return p
	case mqttpkt.TypePingreq:
		return &mqttpkt.Pingreq{}
	case mqttpkt.TypePingresp:
		return &mqttpkt.Pingresp{}
	case mqttpkt.TypeDisconnect:
		p := &mqttpkt.Disconnect{Version: v, ReasonCode: reasonCode()}
		readMQTTProps(o, &p.Props, false, context)
		return p
	default: // TypeAuth: ParsePacketType returns no other type
		p := &mqttpkt.Auth{Version: v, ReasonCode: reasonCode()}
		readMQTTProps(o, &p.Props, false, context)
		return p
	}
}

func readReasonCodes(o *jsonObject) []mqttpkt.ReasonCode {
	elems, names := o.array("reason_codes")
	codes := make([]mqttpkt.ReasonCode, 0, len(elems))
	for i, e := range elems {
		codes = append(codes, mqttpkt.ReasonCode(o.uintOf(e, names[i], math.MaxUint8)))
	}
	return codes
}
