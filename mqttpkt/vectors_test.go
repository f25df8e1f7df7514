package mqttpkt

import (
	"bytes"
	"errors"
	"testing"
)

// Hand-assembled vectors from the layouts in the specifications. Each hex
// layout is annotated field by field.
func TestVectors(t *testing.T) {
	t.Run("connect-v311-spec-3.1.2.10", func(t *testing.T) {
		// MQTT 3.1.1 section 3.1.2.10, Figure 3.6 (variable header non-normative
		// example: level 4, flags 0xCE, keep alive 10), with a payload added.
		b := unhex(t, `
			10 1c                       // CONNECT, remaining length 28
			00 04 4d 51 54 54           // protocol name "MQTT"
			04                          // protocol level 4
			ce                          // user name, password, will QoS 1, will, clean session
			00 0a                       // keep alive 10
			00 02 63 31                 // client id "c1"
			00 01 77                    // will topic "w"
			00 02 62 79                 // will message "by"
			00 01 75                    // user name "u"
			00 02 70 77                 // password "pw"`)
		var p Connect
		n, err := p.Decode(b)
		if err != nil || n != len(b) {
			t.Fatal(n, err)
		}
		if p.Version != V311 || !p.CleanStart || p.KeepAlive != 10 || string(p.ClientID) != "c1" ||
			!p.WillFlag || p.Will.QoS != 1 || p.Will.Retain || string(p.Will.Topic) != "w" ||
			string(p.Will.Payload) != "by" || string(p.Username) != "u" || string(p.Password) != "pw" {
			t.Fatalf("%+v", p)
		}
		if got := mustEncode(t, &p); !bytes.Equal(got, b) {
			t.Fatalf("re-encode %x", got)
		}
	})
	t.Run("connect-v5-spec-3.1.2.12", func(t *testing.T) {
		// MQTT 5.0 section 3.1.2.12, Figure 3-6 (variable header example: level
		// 5, flags 0xC2, keep alive 10, Session Expiry Interval 10).
		b := unhex(t, `
			10 19                       // CONNECT, remaining length 25
			00 04 4d 51 54 54           // "MQTT"
			05                          // protocol version 5
			c2                          // user name, password, clean start
			00 0a                       // keep alive 10
			05                          // property length 5
			11 00 00 00 0a              // Session Expiry Interval 10
			00 00                       // client id ""
			00 01 75                    // user name "u"
			00 02 70 77                 // password "pw"`)
		var p Connect
		if n, err := p.Decode(b); err != nil || n != len(b) {
			t.Fatal(n, err)
		}
		if p.Version != V5 || p.Props.SessionExpiry != 10 || !p.Props.Has(PropSessionExpiry) || len(p.ClientID) != 0 || p.ClientID == nil {
			t.Fatalf("%+v", p)
		}
		if got := mustEncode(t, &p); !bytes.Equal(got, b) {
			t.Fatalf("re-encode %x", got)
		}
	})
	t.Run("connect-v31-mqisdp", func(t *testing.T) {
		// MQTT 3.1 CONNECT as sent by old clients: "MQIsdp", level 3.
		b := unhex(t, `
			10 12 00 06 4d 51 49 73 64 70   // CONNECT, "MQIsdp"
			03 02 00 3c                     // level 3, clean session, keep alive 60
			00 04 61 62 63 64               // client id "abcd"`)
		var p Connect
		if n, err := p.Decode(b); err != nil || n != len(b) || p.Version != V31 || p.ProtocolName() != "MQIsdp" {
			t.Fatal(n, err, p.Version)
		}
		if got := mustEncode(t, &p); !bytes.Equal(got, b) {
			t.Fatalf("re-encode %x", got)
		}
	})
	t.Run("publish-v5-props", func(t *testing.T) {
		b := unhex(t, `
			32 1c                       // PUBLISH QoS 1, remaining length 28
			00 03 61 2f 62              // topic "a/b"
			00 07                       // packet id 7
			12                          // property length 18
			02 00 00 00 3c              // Message Expiry Interval 60
			23 00 05                    // Topic Alias 5
			26 00 01 6b 00 01 76        // User Property k=v
			0b 81 01                    // Subscription Identifier 129
			68 69                       // payload "hi"`)
		var p Publish
		if n, err := p.Decode(b, V5); err != nil || n != len(b) {
			t.Fatal(n, err)
		}
		if string(p.Topic) != "a/b" || p.PacketID != 7 || p.Props.MessageExpiry != 60 || p.Props.TopicAlias != 5 ||
			len(p.Props.SubscriptionIDs) != 1 || p.Props.SubscriptionIDs[0] != 129 || string(p.Payload) != "hi" {
			t.Fatalf("%+v", p)
		}
		if v, ok := p.Props.User.Get("k"); !ok || string(v) != "v" {
			t.Fatal("user property")
		}
		// Canonical order is ascending property id: the re-encoding decodes the same.
		c := mustEncode(t, &p)
		var q Publish
		if _, err := q.Decode(c, V5); err != nil || !bytes.Equal(mustEncode(t, &q), c) {
			t.Fatal(err)
		}
	})
	t.Run("puback-v5-short-forms", func(t *testing.T) {
		// MQTT 5.0 3.4.2.1: reason code and property length may be omitted.
		for _, c := range []struct {
			hex   string
			rc    ReasonCode
			canon string
		}{
			{"40 02 00 01", 0, "40020001"},
			{"40 03 00 01 00", 0, "40020001"},
			{"40 04 00 01 10 00", 0x10, "4003000110"},
			{"40 03 00 01 10", 0x10, "4003000110"},
		} {
			var a Ack
			b := unhex(t, c.hex)
			if n, err := a.Decode(b, V5); err != nil || n != len(b) || a.ReasonCode != c.rc {
				t.Fatalf("%s: %v %v", c.hex, err, a.ReasonCode)
			}
			if got := mustEncode(t, &a); !bytes.Equal(got, unhex(t, c.canon)) {
				t.Fatalf("%s: canonical %x", c.hex, got)
			}
		}
	})
	t.Run("disconnect-v5-0-bytes", func(t *testing.T) {
		var d Disconnect
		if _, err := d.Decode([]byte{0xe0, 0}, V5); err != nil || d.ReasonCode != 0 {
			t.Fatal(err)
		}
	})
	t.Run("user-properties-mixed", func(t *testing.T) {
		// User properties interleaved with others keep their order.
		b := unhex(t, `
			e0 14 00                    // DISCONNECT, reason 0
			12                          // property length 18
			26 00 01 61 00 01 31        // a=1
			1f 00 01 78                 // Reason String "x"
			26 00 01 62 00 01 32        // b=2`)
		var d Disconnect
		if _, err := d.Decode(b, V5); err != nil {
			t.Fatal(err)
		}
		var got []string
		for it := d.Props.User.Iter(); it.Next(); {
			k, v := it.Pair()
			got = append(got, string(k)+"="+string(v))
		}
		if len(got) != 2 || got[0] != "a=1" || got[1] != "b=2" || string(d.Props.ReasonString) != "x" {
			t.Fatal(got)
		}
		d.Props.User.Add("c", "3")
		out := mustEncode(t, &d)
		var e Disconnect
		if _, err := e.Decode(out, V5); err != nil || e.Props.User.Len() != 3 {
			t.Fatal(err, e.Props.User.Len())
		}
	})
}

// Malformed and protocol-breaking packets: each names its rule and offset.
func TestDecodeErrors(t *testing.T) {
	for _, c := range []struct {
		name   string
		v      Version
		hex    string
		class  error
		rule   string
		offset int
	}{
		{"reserved-type-0", V5, "00 00", ErrMalformed, "MQTT 5.0 2.1.2", 0},
		{"pubrel-flags-0", V311, "60 02 00 01", ErrMalformed, ruleFlags, 0},
		{"subscribe-flags-0", V5, "80 06 00 01 00 00 01 61", ErrMalformed, ruleFlags, 0},
		{"remaining-length-5-bytes", V5, "30 ff ff ff ff 01", ErrMalformed, "MQTT 5.0 1.5.5", 4},
		{"remaining-length-non-minimal", V5, "c0 80 00", ErrMalformed, "MQTT-1.5.5-1", 1},
		{"truncated-body", V311, "30 05 00 01 61", ErrTruncated, "", 5},
		{"publish-qos3", V311, "36 05 00 01 61 00 01", ErrMalformed, "MQTT-3.3.1-4", 0},
		{"publish-dup-qos0", V311, "38 03 00 01 61", ErrMalformed, "MQTT-3.3.1-2", 0},
		{"publish-wildcard-plus", V311, "30 05 00 03 61 2f 2b", ErrMalformed, "MQTT-3.3.2-2", 6},
		{"publish-wildcard-hash-v5", V5, "30 04 00 01 23 00", ErrMalformed, "MQTT-3.3.2-2", 4},
		{"publish-empty-topic-v311", V311, "30 02 00 00", ErrMalformed, "MQTT-4.7.3-1", 4},
		{"publish-empty-topic-no-alias-v5", V5, "30 03 00 00 00", ErrProtocol, "MQTT 5.0 3.3.2.1", 4},
		{"publish-nul-in-topic", V311, "30 04 00 02 61 00", ErrMalformed, "MQTT-4.7.3-2", 5},
		{"publish-bad-utf8", V311, "30 04 00 02 61 ff", ErrMalformed, "MQTT-1.5.3-1", 5},
		{"publish-surrogate-utf8", V5, "30 05 00 03 ed a0 80", ErrMalformed, "MQTT-1.5.4-1", 4},
		{"publish-packet-id-0", V311, "32 05 00 01 61 00 00", ErrProtocol, "MQTT-2.3.1-1", 5},
		{"publish-packet-id-0-v5", V5, "32 06 00 01 61 00 00 00", ErrProtocol, "MQTT-2.2.1-3", 5},
		{"publish-topic-past-end", V311, "30 03 00 05 61", ErrMalformed, "", 2},
		{"publish-topic-alias-0", V5, "30 07 00 01 61 03 23 00 00", ErrProtocol, "MQTT-3.3.2-8", 7},
		{"publish-duplicate-content-type", V5, "30 0c 00 01 61 08 03 00 01 78 03 00 01 79", ErrProtocol, "MQTT 5.0 2.2.2.2", 10},
		{"publish-unknown-property", V5, "30 06 00 01 61 02 7f 00", ErrMalformed, "MQTT 5.0 2.2.2.2", 6},
		{"publish-property-not-allowed", V5, "30 09 00 01 61 05 11 00 00 00 01", ErrMalformed, "MQTT 5.0 2.2.2.2", 6},
		{"publish-payload-format-2", V5, "30 07 00 01 61 02 01 02 00", ErrProtocol, "MQTT 5.0 2.2.2.2", 7},
		{"publish-property-length-past-end", V5, "30 05 00 01 61 09 01", ErrMalformed, "MQTT 5.0 2.2.2.1", 6},
		{"publish-subscription-id-0", V5, "30 07 00 01 61 02 0b 00 00", ErrProtocol, "MQTT 5.0 3.8.2.1.2", 7},
		{"publish-response-topic-wildcard", V5, "30 08 00 01 61 04 08 00 01 23", ErrProtocol, "MQTT-3.3.2-14", 9},
		{"connect-bad-name", V311, "10 0c 00 04 4d 51 54 58 04 02 00 3c 00 00", ErrUnsupported, "MQTT-3.1.2-1", 2},
		{"connect-level-6", V311, "10 0c 00 04 4d 51 54 54 06 02 00 3c 00 00", ErrUnsupported, "MQTT-3.1.2-2", 8},
		{"connect-reserved-flag", V311, "10 0c 00 04 4d 51 54 54 04 03 00 3c 00 00", ErrMalformed, "MQTT-3.1.2-3", 9},
		{"connect-will-qos-without-will", V311, "10 0c 00 04 4d 51 54 54 04 0a 00 3c 00 00", ErrMalformed, "MQTT-3.1.2-13", 9},
		{"connect-will-retain-without-will-v5", V5, "10 0d 00 04 4d 51 54 54 05 22 00 3c 00 00 00", ErrMalformed, "MQTT-3.1.2-13", 9},
		{"connect-will-retain-without-will", V311, "10 0c 00 04 4d 51 54 54 04 22 00 3c 00 00", ErrMalformed, "MQTT-3.1.2-15", 9},
		{"connect-will-qos-without-will-v5", V5, "10 0d 00 04 4d 51 54 54 05 0a 00 3c 00 00 00", ErrMalformed, "MQTT-3.1.2-11", 9},
		{"connect-will-qos3", V311, "10 11 00 04 4d 51 54 54 04 1e 00 3c 00 00 00 01 77 00 00", ErrMalformed, "MQTT-3.1.2-14", 9},
		{"connect-password-without-user", V311, "10 0e 00 04 4d 51 54 54 04 42 00 3c 00 00 00 00", ErrMalformed, "MQTT-3.1.2-22", 9},
		{"connect-empty-id-no-clean", V311, "10 0c 00 04 4d 51 54 54 04 00 00 3c 00 00", ErrProtocol, "MQTT-3.1.3-7", 12},
		{"connect-trailing-bytes", V311, "10 0d 00 04 4d 51 54 54 04 02 00 3c 00 00 ff", ErrMalformed, "", 14},
		{"connect-v31-long-id", V31, "10 26 00 06 4d 51 49 73 64 70 03 02 00 3c 00 18 616161616161616161616161616161616161616161616161", ErrProtocol, "MQTT 3.1 3.1", 14},
		{"connack-reserved-flags", V311, "20 02 02 00", ErrMalformed, "MQTT 3.1.1 3.2.2.1", 2},
		{"connack-return-code-6", V311, "20 02 00 06", ErrProtocol, "MQTT 3.1.1 3.2.2.3", 3},
		{"connack-session-present-refused", V311, "20 02 01 05", ErrProtocol, "MQTT-3.2.2-4", 2},
		{"connack-bad-reason-v5", V5, "20 03 00 10 00", ErrProtocol, "MQTT-3.2.2-8", 3},
		{"puback-v311-long", V311, "40 03 00 01 00", ErrMalformed, "", 4},
		{"puback-id-0", V311, "40 02 00 00", ErrProtocol, "MQTT-2.3.1-1", 2},
		{"pubrel-bad-reason-v5", V5, "62 03 00 01 10", ErrProtocol, "MQTT 5.0 2.4", 4},
		{"subscribe-empty", V311, "82 02 00 01", ErrProtocol, "MQTT-3.8.3-3", 4},
		{"subscribe-empty-v5", V5, "82 03 00 01 00", ErrProtocol, "MQTT-3.8.3-2", 5},
		{"subscribe-reserved-bits-v311", V311, "82 06 00 01 00 01 61 04", ErrMalformed, "MQTT-3-8.3-4", 7},
		{"subscribe-reserved-bits-v5", V5, "82 07 00 01 00 00 01 61 40", ErrMalformed, "MQTT-3.8.3-5", 8},
		{"subscribe-qos3", V5, "82 07 00 01 00 00 01 61 03", ErrMalformed, "MQTT 5.0 3.8.3.1", 8},
		{"subscribe-retain-handling-3", V5, "82 07 00 01 00 00 01 61 30", ErrProtocol, "MQTT 5.0 3.8.3.1", 8},
		{"subscribe-hash-not-last", V311, "82 08 00 01 00 03 23 2f 61 00", ErrMalformed, "MQTT-4.7.1-2", 6},
		{"subscribe-plus-in-level-v5", V5, "82 08 00 01 00 00 02 61 2b 00", ErrMalformed, "MQTT-4.7.1-2", 8},
		{"subscribe-shared-no-local", V5, "82 12 00 01 00 00 0c 24 73 68 61 72 65 2f 67 2f 61 2f 62 04", ErrProtocol, "MQTT-3.8.3-4", 19},
		{"subscribe-shared-empty-name", V5, "82 0d 00 01 00 00 08 24 73 68 61 72 65 2f 2f 00", ErrMalformed, "MQTT-4.8.2-1", 14},
		{"subscribe-two-subscription-ids", V5, "82 0b 00 01 04 0b 01 0b 02 00 01 61 00", ErrProtocol, "MQTT 5.0 2.2.2.2", 7},
		{"suback-bad-code-v311", V311, "90 03 00 01 03", ErrProtocol, "MQTT-3.9.3-2", 4},
		{"suback-empty", V5, "90 03 00 01 00", ErrProtocol, "MQTT 5.0 3.9.3", 5},
		{"unsubscribe-empty", V311, "a2 02 00 01", ErrProtocol, "MQTT-3.10.3-2", 4},
		{"unsuback-bad-code", V5, "b0 04 00 01 00 01", ErrProtocol, "MQTT-3.11.3-2", 5},
		{"pingreq-with-body", V311, "c0 01 00", ErrMalformed, "", 2},
		{"disconnect-v311-with-body", V311, "e0 01 00", ErrMalformed, "", 2},
		{"disconnect-bad-reason", V5, "e0 01 05", ErrProtocol, "MQTT 5.0 2.4", 2},
		{"auth-in-v311", V311, "f0 00", ErrMalformed, "MQTT 3.1.1 2.2.1", 0},
		{"auth-without-method", V5, "f0 01 18", ErrProtocol, "MQTT 5.0 3.15.2.2.2", 3},
		{"auth-data-without-method", V5, "f0 07 18 05 16 00 02 01 02", ErrProtocol, "MQTT 5.0 3.1.2.11.10", 9},
		{"receive-maximum-0", V5, "10 10 00 04 4d 51 54 54 05 02 00 3c 03 21 00 00 00 00", ErrProtocol, "MQTT 5.0 3.1.2.11.3", 14},
	} {
		t.Run(c.name, func(t *testing.T) {
			b := unhex(t, c.hex)
			_, _, err := Decode(b, c.v)
			if err == nil {
				t.Fatal("accepted")
			}
			if !errors.Is(err, c.class) {
				t.Fatalf("class: %v", err)
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("not *Error: %T %v", err, err)
			}
			if e.Rule != c.rule || e.Offset != c.offset {
				t.Fatalf("got rule %q offset %d, want %q %d (%v)", e.Rule, e.Offset, c.rule, c.offset, err)
			}
		})
	}
}
