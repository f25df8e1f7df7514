package main

import (
	"strings"
	"testing"
)

// mqttVector is one canonical packet and its JSON object. The hex is laid
// out field by field; the command ignores the spaces. Layouts follow MQTT
// 3.1.1 and 5.0 chapter 3 (one section per packet type); the vectors were
// checked by hand against those layouts.
type mqttVector struct {
	name  string
	proto string
	hex   string
	json  string
}

var mqttVectors = []mqttVector{
	// MQTT 3.1.1 (and the 3.1 CONNECT).
	{"connect-311-min", "mqtt3",
		// hdr | "MQTT" | level 4 | flags: clean session | keep alive 60 | client id "c1"
		"10 0e 0004 4d515454 04 02 003c 0002 6331",
		`{"type":"CONNECT","protocol_name":"MQTT","protocol_level":4,"clean_start":true,"keep_alive":60,"client_id":"c1"}`},
	{"connect-311-will-user-pass", "mqtt3",
		// flags d4: user name, password, will QoS 2, will | keep alive 0 | "dev" | will topic "w" | will payload "bye" | user "u" | password 7077
		"10 1e 0004 4d515454 04 d4 0000 0003 646576 0001 77 0003 627965 0001 75 0002 7077",
		`{"type":"CONNECT","protocol_name":"MQTT","protocol_level":4,"clean_start":false,"keep_alive":0,"client_id":"dev","will":{"topic":"w","payload":"627965","qos":2,"retain":false},"username":"u","password":"7077"}`},
	{"connect-31", "mqtt3",
		// MQTT 3.1: "MQIsdp" | level 3 | clean session | keep alive 10 | "c1"
		"10 10 0006 4d5149736470 03 02 000a 0002 6331",
		`{"type":"CONNECT","protocol_name":"MQIsdp","protocol_level":3,"clean_start":true,"keep_alive":10,"client_id":"c1"}`},
	{"connect-level5-under-mqtt3", "mqtt3",
		// A CONNECT reports its own level: 5, with properties (len 5: Session Expiry 10) | empty client id
		"10 12 0004 4d515454 05 02 001e 05 11 0000000a 0000",
		`{"type":"CONNECT","protocol_name":"MQTT","protocol_level":5,"clean_start":true,"keep_alive":30,"client_id":"","properties":{"session_expiry_interval":10}}`},
	{"connack-311-session-present", "mqtt3", "20 02 01 00",
		`{"type":"CONNACK","session_present":true,"reason_code":0}`},
	{"connack-311-not-authorized", "mqtt3", "20 02 00 05",
		`{"type":"CONNACK","session_present":false,"reason_code":5}`},
	{"publish-311-qos0", "mqtt3",
		// topic "a/b" | payload "hi\n"; no packet identifier at QoS 0
		"30 08 0003 612f62 68690a",
		`{"type":"PUBLISH","dup":false,"qos":0,"retain":false,"topic":"a/b","payload":"68690a"}`},
	{"publish-311-qos1-dup-retain", "mqtt3",
		// flags b: DUP, QoS 1, RETAIN | topic `temp/°C "q"` (12 bytes, JSON escapes) | id 10 | payload 00ff
		"3b 12 000c 74656d702fc2b04320227122 000a 00ff",
		`{"type":"PUBLISH","dup":true,"qos":1,"retain":true,"topic":"temp/°C \"q\"","packet_id":10,"payload":"00ff"}`},
	{"publish-311-qos2-empty-payload", "mqtt3", "34 05 0001 78 ffff",
		`{"type":"PUBLISH","dup":false,"qos":2,"retain":false,"topic":"x","packet_id":65535,"payload":""}`},
	{"puback-311", "mqtt3", "40 02 0001", `{"type":"PUBACK","packet_id":1,"reason_code":0}`},
	{"pubrec-311", "mqtt3", "50 02 0002", `{"type":"PUBREC","packet_id":2,"reason_code":0}`},
	{"pubrel-311", "mqtt3", "62 02 0003", `{"type":"PUBREL","packet_id":3,"reason_code":0}`},
	{"pubcomp-311", "mqtt3", "70 02 0004", `{"type":"PUBCOMP","packet_id":4,"reason_code":0}`},
	{"subscribe-311", "mqtt3",
		// id 5 | "a/#" QoS 1 | "+/b" QoS 2
		"82 0e 0005 0003 612f23 01 0003 2b2f62 02",
		`{"type":"SUBSCRIBE","packet_id":5,"subscriptions":[{"filter":"a/#","qos":1,"no_local":false,"retain_as_published":false,"retain_handling":0},{"filter":"+/b","qos":2,"no_local":false,"retain_as_published":false,"retain_handling":0}]}`},
	{"suback-311", "mqtt3", "90 04 0005 01 80",
		`{"type":"SUBACK","packet_id":5,"reason_codes":[1,128]}`},
	{"unsubscribe-311", "mqtt3", "a2 0c 0006 0003 612f23 0003 2b2f62",
		`{"type":"UNSUBSCRIBE","packet_id":6,"filters":["a/#","+/b"]}`},
	{"unsuback-311", "mqtt3", "b0 02 0006", `{"type":"UNSUBACK","packet_id":6,"reason_codes":[]}`},
	{"pingreq-311", "mqtt3", "c0 00", `{"type":"PINGREQ"}`},
	{"pingresp-311", "mqtt3", "d0 00", `{"type":"PINGRESP"}`},
	{"disconnect-311", "mqtt3", "e0 00", `{"type":"DISCONNECT","reason_code":0}`},

	// MQTT 5.0.
	{"connect-5-min", "mqtt5",
		// level 5 | no flags | keep alive 0 | properties len 0 | "c1"
		"10 0f 0004 4d515454 05 00 0000 00 0002 6331",
		`{"type":"CONNECT","protocol_name":"MQTT","protocol_level":5,"clean_start":false,"keep_alive":0,"client_id":"c1"}`},
	{"connect-5-all-properties", "mqtt5",
		// flags 6e: password, will retain, will QoS 1, will, clean start | keep alive 60
		// | properties len 53: 11 Session Expiry | 15 Auth Method | 16 Auth Data | 17 Req Problem Info 0
		//   | 19 Req Response Info 1 | 21 Receive Max | 22 Topic Alias Max 0 | 26 User a=1 | 26 User a=2 | 27 Max Packet Size
		// | client id "dev" | will properties len 41: 01 Payload Format 0 | 02 Msg Expiry | 03 Content Type
		//   | 08 Response Topic | 09 Correlation Data | 18 Will Delay | 26 User k=v
		// | will topic "w" | will payload "off" | password "" (present, empty; no user name)
		"10 79 0004 4d515454 05 6e 003c" +
			" 35 11 ffffffff 15 000b 534352414d2d5348412d31 16 0002 0102 17 00 19 01 21 ffff 22 0000" +
			" 26 0001 61 0001 31 26 0001 61 0001 32 27 10000004" +
			" 0003 646576" +
			" 29 01 00 02 0000003c 03 000a 746578742f706c61696e 08 0001 72 09 0002 cafe 18 00000005 26 0001 6b 0001 76" +
			" 0001 77 0003 6f6666 0000",
		`{"type":"CONNECT","protocol_name":"MQTT","protocol_level":5,"clean_start":true,"keep_alive":60,"client_id":"dev",` +
			`"will":{"topic":"w","payload":"6f6666","qos":1,"retain":true,"properties":{"payload_format_indicator":0,"message_expiry_interval":60,"content_type":"text/plain","response_topic":"r","correlation_data":"cafe","will_delay_interval":5,"user_properties":[["k","v"]]}},` +
			`"password":"",` +
			`"properties":{"session_expiry_interval":4294967295,"authentication_method":"SCRAM-SHA-1","authentication_data":"0102","request_problem_information":0,"request_response_information":1,"receive_maximum":65535,"topic_alias_maximum":0,"user_properties":[["a","1"],["a","2"]],"maximum_packet_size":268435460}}`},
	{"connack-5-all-properties", "mqtt5",
		// flags 0 | reason 0 | properties len 89: 11 Session Expiry 0 | 12 Assigned Client Id | 13 Server Keep Alive
		// | 15 Auth Method | 16 Auth Data | 1a Response Info | 1c Server Reference | 1f Reason String | 21 Receive Max
		// | 22 Topic Alias Max | 24 Maximum QoS 0 | 25 Retain Available 0 | 26 User "é"="✓" | 27 Max Packet Size
		// | 28 Wildcard Sub 0 | 29 Sub Id Available 0 | 2a Shared Sub 1
		"20 5c 00 00 59 11 00000000 12 0006 6175746f2d31 13 0078 15 000b 534352414d2d5348412d31 16 0001 ff" +
			" 1a 0002 7269 1c 000a 6f746865723a31383833 1f 0002 6f6b 21 0001 22 0005 24 00 25 00" +
			" 26 0002 c3a9 0003 e29c93 27 00000080 28 00 29 00 2a 01",
		`{"type":"CONNACK","session_present":false,"reason_code":0,"properties":{"session_expiry_interval":0,"assigned_client_identifier":"auto-1","server_keep_alive":120,"authentication_method":"SCRAM-SHA-1","authentication_data":"ff","response_information":"ri","server_reference":"other:1883","reason_string":"ok","receive_maximum":1,"topic_alias_maximum":5,"maximum_qos":0,"retain_available":0,"user_properties":[["é","✓"]],"maximum_packet_size":128,"wildcard_subscription_available":0,"subscription_identifier_available":0,"shared_subscription_available":1}}`},
	{"connack-5-not-authorized", "mqtt5", "20 03 00 87 00",
		`{"type":"CONNACK","session_present":false,"reason_code":135}`},
	{"publish-5-qos0", "mqtt5", "30 09 0003 612f62 00 68690a",
		`{"type":"PUBLISH","dup":false,"qos":0,"retain":false,"topic":"a/b","payload":"68690a"}`},
	{"publish-5-qos2-properties", "mqtt5",
		// flags d: DUP, QoS 2, RETAIN | "s/1" | id 7 | properties len 23: 08 Response Topic | 09 Correlation Data ""
		// | 0b Sub Id 1 | 0b Sub Id 268435455 | 23 Topic Alias 3 | payload 01
		"3d 20 0003 732f31 0007 17 08 0007 7265706c792f31 09 0000 0b 01 0b ffffff7f 23 0003 01",
		`{"type":"PUBLISH","dup":true,"qos":2,"retain":true,"topic":"s/1","packet_id":7,"payload":"01","properties":{"response_topic":"reply/1","correlation_data":"","subscription_identifiers":[1,268435455],"topic_alias":3}}`},
	{"publish-5-topic-alias-only", "mqtt5",
		// empty topic name, allowed with a Topic Alias (MQTT 5.0 3.3.2.1)
		"30 06 0000 03 23 0003",
		`{"type":"PUBLISH","dup":false,"qos":0,"retain":false,"topic":"","payload":"","properties":{"topic_alias":3}}`},
	{"puback-5-short", "mqtt5", "40 02 0001", `{"type":"PUBACK","packet_id":1,"reason_code":0}`},
	{"puback-5-reason", "mqtt5", "40 03 0001 10", `{"type":"PUBACK","packet_id":1,"reason_code":16}`},
	{"pubrec-5-properties", "mqtt5",
		// id 2 | 0x80 Unspecified error | properties len 12: 1f Reason String "no" | 26 User x=y
		"50 10 0002 80 0c 1f 0002 6e6f 26 0001 78 0001 79",
		`{"type":"PUBREC","packet_id":2,"reason_code":128,"properties":{"reason_string":"no","user_properties":[["x","y"]]}}`},
	{"pubrel-5-not-found", "mqtt5", "62 03 0003 92", `{"type":"PUBREL","packet_id":3,"reason_code":146}`},
	{"pubcomp-5", "mqtt5", "70 02 0004", `{"type":"PUBCOMP","packet_id":4,"reason_code":0}`},
	{"subscribe-5", "mqtt5",
		// id 5 | properties len 10: 0b Sub Id 128 | 26 User k=v
		// | "a/#" options 1e: retain handling 1, RAP, NL, QoS 2 | "$share/g/b" options 20: retain handling 2
		"82 20 0005 0a 0b 8001 26 0001 6b 0001 76 0003 612f23 1e 000a 2473686172652f672f62 20",
		`{"type":"SUBSCRIBE","packet_id":5,"subscriptions":[{"filter":"a/#","qos":2,"no_local":true,"retain_as_published":true,"retain_handling":1},{"filter":"$share/g/b","qos":0,"no_local":false,"retain_as_published":false,"retain_handling":2}],"properties":{"subscription_identifier":128,"user_properties":[["k","v"]]}}`},
	{"suback-5", "mqtt5",
		// id 5 | properties len 10: 1f Reason String "partial" | codes
		"90 13 0005 0a 1f 0007 7061727469616c 00 01 02 80 8f 9e",
		`{"type":"SUBACK","packet_id":5,"reason_codes":[0,1,2,128,143,158],"properties":{"reason_string":"partial"}}`},
	{"unsubscribe-5", "mqtt5", "a2 0f 0006 07 26 0001 6b 0001 76 0003 612f23",
		`{"type":"UNSUBSCRIBE","packet_id":6,"filters":["a/#"],"properties":{"user_properties":[["k","v"]]}}`},
	{"unsuback-5", "mqtt5", "b0 05 0006 00 00 11",
		`{"type":"UNSUBACK","packet_id":6,"reason_codes":[0,17]}`},
	{"pingreq-5", "mqtt5", "c0 00", `{"type":"PINGREQ"}`},
	{"pingresp-5", "mqtt5", "d0 00", `{"type":"PINGRESP"}`},
	{"disconnect-5-short", "mqtt5", "e0 00", `{"type":"DISCONNECT","reason_code":0}`},
	{"disconnect-5-with-will", "mqtt5", "e0 01 04", `{"type":"DISCONNECT","reason_code":4}`},
	{"disconnect-5-properties", "mqtt5",
		// reason 0 | properties len 16: 11 Session Expiry 0 | 1c Server Reference "b2" | 1f Reason String "bye"
		"e0 12 00 10 11 00000000 1c 0002 6232 1f 0003 627965",
		`{"type":"DISCONNECT","reason_code":0,"properties":{"session_expiry_interval":0,"server_reference":"b2","reason_string":"bye"}}`},
	{"auth-5-short", "mqtt5", "f0 00", `{"type":"AUTH","reason_code":0}`},
	{"auth-5-continue", "mqtt5",
		// 0x18 Continue authentication | properties len 18: 15 Auth Method | 16 Auth Data 00
		"f0 14 18 12 15 000b 534352414d2d5348412d31 16 0001 00",
		`{"type":"AUTH","reason_code":24,"properties":{"authentication_method":"SCRAM-SHA-1","authentication_data":"00"}}`},
}

func compact(hex string) string { return strings.Join(strings.Fields(hex), "") }

func TestMQTTVectors(t *testing.T) {
	for _, v := range mqttVectors {
		t.Run(v.name, func(t *testing.T) {
			out, errOut, code := runCmd(t, v.hex+"\n", "decode", "--proto", v.proto)
			if code != 0 || errOut != "" || out != v.json+"\n" {
				t.Errorf("decode: exit %d, stderr %q\n got %s\nwant %s", code, errOut, out, v.json)
			}
			out, errOut, code = runCmd(t, v.json+"\n", "encode", "--proto", v.proto)
			if want := compact(v.hex) + "\n"; code != 0 || errOut != "" || out != want {
				t.Errorf("encode: exit %d, stderr %q\n got %s want %s", code, errOut, out, want)
			}
		})
	}
}

// TestMQTTNonCanonical decodes packets that a sender may send but that
// mqttpkt encodes in a shorter or reordered form, and lists that form.
func TestMQTTNonCanonical(t *testing.T) {
	tests := []struct {
		name, proto, hex, json, canonical string
	}{
		{"puback-5-explicit-success", "mqtt5", "40 03 0001 00",
			`{"type":"PUBACK","packet_id":1,"reason_code":0}`, "40020001"},
		{"puback-5-empty-properties", "mqtt5", "40 04 0001 00 00",
			`{"type":"PUBACK","packet_id":1,"reason_code":0}`, "40020001"},
		{"disconnect-5-explicit-normal", "mqtt5", "e0 02 00 00",
			`{"type":"DISCONNECT","reason_code":0}`, "e000"},
		{"publish-5-properties-out-of-order", "mqtt5", "30 0a 0001 61 05 23 0001 01 01 ff",
			`{"type":"PUBLISH","dup":false,"qos":0,"retain":false,"topic":"a","payload":"ff","properties":{"payload_format_indicator":1,"topic_alias":1}}`,
			"30 0a 0001 61 05 01 01 23 0001 ff"},
		{"user-properties-split", "mqtt5", "50 13 0001 00 0f 26 0001 61 0001 62 1f 0000 26 0000 0000",
			`{"type":"PUBREC","packet_id":1,"reason_code":0,"properties":{"reason_string":"","user_properties":[["a","b"],["",""]]}}`,
			"50 13 0001 00 0f 1f 0000 26 0001 61 0001 62 26 0000 0000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, errOut, code := runCmd(t, tt.hex+"\n", "decode", "--proto", tt.proto)
			if code != 0 || out != tt.json+"\n" {
				t.Errorf("decode: exit %d, stderr %q\n got %s\nwant %s", code, errOut, out, tt.json)
			}
			out, errOut, code = runCmd(t, tt.json+"\n", "encode", "--proto", tt.proto)
			if want := compact(tt.canonical) + "\n"; code != 0 || out != want {
				t.Errorf("encode: exit %d, stderr %q\n got %s want %s", code, errOut, out, want)
			}
		})
	}
}

// TestMQTTRoundTrip feeds every vector of a version through decode and then
// encode as one stream, which must give back the input bytes.
func TestMQTTRoundTrip(t *testing.T) {
	for _, proto := range []string{"mqtt3", "mqtt5"} {
		var in strings.Builder
		for _, v := range mqttVectors {
			if v.proto == proto {
				in.WriteString(compact(v.hex) + "\n")
			}
		}
		js, errOut, code := runCmd(t, in.String(), "decode", "--proto", proto)
		if code != 0 {
			t.Fatalf("%s decode: exit %d: %s", proto, code, errOut)
		}
		out, errOut, code := runCmd(t, js, "encode", "--proto", proto)
		if code != 0 || out != in.String() {
			t.Errorf("%s: decode | encode: exit %d, stderr %q\n got %s\nwant %s", proto, code, errOut, out, in.String())
		}
	}
}

// TestMQTTEncodeDefaults covers hand-written JSON: missing keys take their
// zero values and CONNECT takes the level of --proto.
func TestMQTTEncodeDefaults(t *testing.T) {
	tests := []struct{ proto, json, hex string }{
		{"mqtt3", `{"type":"CONNECT","clean_start":true,"client_id":"c1"}`, "100e 0004 4d515454 04 02 0000 0002 6331"},
		{"mqtt5", `{"type":"CONNECT","client_id":"c1"}`, "100f 0004 4d515454 05 00 0000 00 0002 6331"},
		{"mqtt5", `{"type":"PUBLISH","topic":"a"}`, "3004000161 00"},
		{"mqtt5", `{"type":"PUBLISH","topic":"a","properties":{}}`, "3004000161 00"},
		{"mqtt3", `{"type":"PUBACK","packet_id":1}`, "40020001"},
		{"mqtt5", `{"type":"CONNACK","properties":{"maximum_qos":0}}`, "2005000002 2400"},
		{"mqtt5", ` { "type" : "PINGREQ" } `, "c000"},
		{"mqtt5", "{\"type\":\"PINGREQ\"}\r", "c000"},
	}
	for _, tt := range tests {
		out, errOut, code := runCmd(t, tt.json+"\n", "encode", "--proto", tt.proto)
		if want := compact(tt.hex) + "\n"; code != 0 || out != want {
			t.Errorf("encode %s %s: exit %d, stderr %q, got %q, want %q", tt.proto, tt.json, code, errOut, out, want)
		}
	}
}
