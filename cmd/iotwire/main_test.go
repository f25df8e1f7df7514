package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// runCmd runs the command in-process with stdin as standard input.
func runCmd(t *testing.T, stdin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(args, strings.NewReader(stdin), &out, &errOut)
	return out.String(), errOut.String(), code
}

// TestGolden decodes each example file of testdata/ and compares the output
// with its golden file (regenerate with -update), then encodes the output
// back and checks that it reproduces the input: the README's main job
// (mqtt5-session), a CoAP capture of an LwM2M client's session
// (coap-lwm2m: register, 2.01 Created, a TLV read of the Device object, an
// observe and a notification), Register and Discover link payloads, TLV
// payloads of the Device object, and the SMS-DELIVER and SMS-SUBMIT
// vectors of transport/sms/tpdu (modem PDUs, SMSC first).
func TestGolden(t *testing.T) {
	for _, c := range []struct {
		name, proto string
		objects     int
		args        []string
	}{
		{"mqtt5-session", "mqtt5", 7, nil},
		{"coap-lwm2m", "coap", 8, nil},
		{"register.link", "link", 5, nil},
		{"lwm2m-device.tlv", "tlv", 3, []string{"--base", "/3/0"}},
		{"lwm2m-device.senmljson", "senml+json", 1, []string{"--base", "/3/0"}},
		{"lwm2m-device.senmlcbor", "senml+cbor", 1, []string{"--base", "/3/0"}},
		{"lwm2m-device.lwm2mcbor", "lwm2m+cbor", 1, []string{"--base", "/3/0"}},
		{"lwm2m-device.lwm2mjson", "lwm2m+json", 1, []string{"--base", "/3/0"}},
		{"sms-deliver", "sms-deliver", 5, nil},
		{"sms-submit", "sms-submit", 10, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			hexFile := filepath.Join("..", "..", "testdata", c.name+".hex")
			golden := filepath.Join("..", "..", "testdata", c.name+".jsonl")
			args := append(append([]string{"decode", "--proto", c.proto}, c.args...), hexFile)
			out, errOut, code := runCmd(t, "", args...)
			if code != 0 {
				t.Fatalf("decode: exit %d: %s", code, errOut)
			}
			if *update {
				if err := os.WriteFile(golden, []byte(out), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if out != string(want) {
				t.Errorf("decode %s:\n got %s\nwant %s", hexFile, out, want)
			}
			if n := strings.Count(out, "\n"); n != c.objects {
				t.Errorf("decode gave %d objects, want %d (one per line)", n, c.objects)
			}
			raw, err := os.ReadFile(hexFile)
			if err != nil {
				t.Fatal(err)
			}
			var wantHex strings.Builder
			for line := range strings.Lines(string(raw)) {
				wantHex.WriteString(compact(line) + "\n")
			}
			args = append([]string{"encode", "--proto", c.proto}, c.args...)
			enc, errOut, code := runCmd(t, out, args...)
			if code != 0 || enc != wantHex.String() {
				t.Errorf("encode: exit %d, stderr %q\n got %s\nwant %s", code, errOut, enc, wantHex.String())
			}
		})
	}
}

func TestUnits(t *testing.T) {
	const (
		pingreq  = `{"type":"PINGREQ"}` + "\n"
		pingresp = `{"type":"PINGRESP"}` + "\n"
		disc     = `{"type":"DISCONNECT","reason_code":0}` + "\n"
	)
	tests := []struct {
		name  string
		args  []string
		stdin string
		want  string
	}{
		{"several packets per unit", []string{"decode", "--proto", "mqtt3"},
			"c000d000 e000\nc000\n", pingreq + pingresp + disc + pingreq},
		{"blank and white space lines skipped", []string{"decode", "--proto", "mqtt5"},
			"\n  \t\nC0 00\r\n\nD000", pingreq + pingresp},
		{"base64 in", []string{"decode", "--proto", "mqtt5", "--in", "base64"},
			"wADQAA==\n  4AA=\n0AA\n", pingreq + pingresp + disc + pingresp},
		{"raw in: one unit, newlines are data", []string{"decode", "--proto", "mqtt3", "--in", "raw"},
			"\xc0\x00\x30\x04\x00\x01a\n\xe0\x00",
			pingreq + `{"type":"PUBLISH","dup":false,"qos":0,"retain":false,"topic":"a","payload":"0a"}` + "\n" + disc},
		{"raw in: empty input holds no packet", []string{"decode", "--proto", "mqtt3", "--in", "raw"}, "", ""},
		{"--in=hex and --base accepted", []string{"decode", "--proto=mqtt5", "--in=hex", "--base", "/3/0", "-"},
			"c000\n", pingreq},
		{"flags after the file", []string{"decode", "-", "--proto", "mqtt3"}, "c000\n", pingreq},
		{"hex out", []string{"encode", "--proto", "mqtt3"}, pingreq + "\n" + pingresp, "c000\nd000\n"},
		{"base64 out", []string{"encode", "--proto", "mqtt5", "--out", "base64"},
			pingreq + `{"type":"PUBLISH","topic":"a","payload":"ff"}` + "\n", "wAA=\nMAUAAWEA/w==\n"},
		{"raw out: units back to back", []string{"encode", "--proto", "mqtt5", "--out", "raw"},
			pingreq + pingresp + disc, "\xc0\x00\xd0\x00\xe0\x00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, errOut, code := runCmd(t, tt.stdin, tt.args...)
			if code != 0 || errOut != "" || out != tt.want {
				t.Errorf("exit %d, stderr %q\n got %q\nwant %q", code, errOut, out, tt.want)
			}
		})
	}
}

func TestFileInput(t *testing.T) {
	dir := t.TempDir()
	f := filepath.Join(dir, "in.hex")
	if err := os.WriteFile(f, []byte("c000\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := runCmd(t, "d000\n", "decode", "--proto", "mqtt3", f)
	if code != 0 || out != `{"type":"PINGREQ"}`+"\n" {
		t.Errorf("decode FILE: exit %d, stderr %q, got %q", code, errOut, out)
	}
	// --in raw reads the file as bytes.
	if err := os.WriteFile(f, []byte{0xd0, 0x00}, 0o644); err != nil {
		t.Fatal(err)
	}
	out, errOut, code = runCmd(t, "", "decode", "--in", "raw", "--proto", "mqtt3", f)
	if code != 0 || out != `{"type":"PINGRESP"}`+"\n" {
		t.Errorf("decode --in raw FILE: exit %d, stderr %q, got %q", code, errOut, out)
	}
}

// TestMalformed checks exit status 1, the exact stderr line, that the units
// before the bad one are written, and that nothing of the bad unit is.
func TestMalformed(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		stdin      string
		wantOut    string
		wantStderr string
	}{
		{"truncated packet after a good one in the same unit", []string{"decode", "--proto", "mqtt3"},
			"c000\nc000 4002\nd000\n", `{"type":"PINGREQ"}` + "\n",
			"iotwire: mqtt3: unit 2: PUBACK packet: input shorter than remaining length (offset 4)\n"},
		{"offset counts from the start of the unit", []string{"decode", "--proto", "mqtt3"},
			"c000 30 05 0003 612f2b\n", "",
			"iotwire: mqtt3: unit 1: PUBLISH topic name: wildcard character in topic name [MQTT-3.3.2-2] (offset 8)\n"},
		{"blank lines are not units", []string{"decode", "--proto", "mqtt5"},
			"\n\nc000\n\n20 02 00 00\n", `{"type":"PINGREQ"}` + "\n",
			"iotwire: mqtt5: unit 2: CONNACK property length: field exceeds remaining length (offset 4)\n"},
		{"AUTH before MQTT 5", []string{"decode", "--proto", "mqtt3"}, "f000\n", "",
			"iotwire: mqtt3: unit 1: AUTH packet type: AUTH is reserved before MQTT 5.0 [MQTT 3.1.1 2.2.1] (offset 0)\n"},
		{"reserved type", []string{"decode", "--proto", "mqtt5"}, "0000\n", "",
			"iotwire: mqtt5: unit 1: packet type: reserved packet type 0 [MQTT 5.0 2.1.2] (offset 0)\n"},
		{"invalid hex", []string{"decode", "--proto", "mqtt3"}, "c0 0g\n", "",
			`iotwire: mqtt3: unit 1: invalid hex character "g" (offset 4)` + "\n"},
		{"odd hex", []string{"decode", "--proto", "mqtt3"}, "c000\nc00\n", `{"type":"PINGREQ"}` + "\n",
			"iotwire: mqtt3: unit 2: odd number of hex digits (offset 3)\n"},
		{"invalid base64", []string{"decode", "--proto", "mqtt3", "--in", "base64"}, " w*A=\n", "",
			"iotwire: mqtt3: unit 1: invalid base64 (offset 2)\n"},
		{"raw: trailing byte", []string{"decode", "--proto", "mqtt3", "--in", "raw"}, "\xc0\x00\x40", "",
			"iotwire: mqtt3: unit 1: fixed header: need at least 2 bytes (offset 3)\n"},
		{"encode: packet rule", []string{"encode", "--proto", "mqtt5"},
			`{"type":"PINGREQ"}` + "\n" + `{"type":"PUBLISH","topic":"a/#"}` + "\n" + `{"type":"PINGREQ"}` + "\n", "c000\n",
			"iotwire: mqtt5: unit 2: PUBLISH topic name: wildcard character in topic name [MQTT-3.3.2-2] (offset 0)\n"},
		{"encode: reason code in 3.1.1", []string{"encode", "--proto", "mqtt3"},
			`{"type":"PUBACK","packet_id":1,"reason_code":16}`, "",
			"iotwire: mqtt3: unit 1: PUBACK reason code: reason codes need MQTT 5.0 (offset 0)\n"},
		{"encode: out of range", []string{"encode", "--proto", "mqtt5"},
			`{"type":"PUBLISH","qos":1,"topic":"a","packet_id":70000}`, "",
			"iotwire: mqtt5: unit 1: packet_id: want an integer 0 to 65535 (offset 50)\n"},
		{"encode: key not for this type", []string{"encode", "--proto", "mqtt5"},
			`{"type":"PUBACK","packet_id":1,"topic":"a"}`, "",
			"iotwire: mqtt5: unit 1: topic: unexpected key in PUBACK (offset 39)\n"},
		{"encode: keys are exact", []string{"encode", "--proto", "mqtt5"},
			`{"type":"PUBLISH","Topic":"a"}`, "",
			"iotwire: mqtt5: unit 1: Topic: unexpected key in PUBLISH (offset 26)\n"},
		{"encode: nested key", []string{"encode", "--proto", "mqtt5"},
			`{"type":"SUBSCRIBE","packet_id":1,"subscriptions":[{"filter":"a","qos":"1"}]}`, "",
			"iotwire: mqtt5: unit 1: subscriptions[0].qos: want an integer 0 to 2 (offset 71)\n"},
		{"encode: unknown property", []string{"encode", "--proto", "mqtt5"},
			`{"type":"PUBLISH","topic":"a","properties":{"qos":1}}`, "",
			"iotwire: mqtt5: unit 1: properties.qos: unexpected key in PUBLISH properties (offset 50)\n"},
		{"encode: property not allowed in the packet", []string{"encode", "--proto", "mqtt5"},
			`{"type":"PUBLISH","topic":"a","properties":{"maximum_qos":0}}`, "",
			"iotwire: mqtt5: unit 1: PUBLISH Maximum QoS: property not allowed in this packet [MQTT 5.0 2.2.2.2] (offset 0)\n"},
		{"encode: subscription_identifier in PUBLISH", []string{"encode", "--proto", "mqtt5"},
			`{"type":"PUBLISH","topic":"a","properties":{"subscription_identifier":1}}`, "",
			"iotwire: mqtt5: unit 1: properties.subscription_identifier: PUBLISH has subscription_identifiers, an array (offset 70)\n"},
		{"encode: bad hex", []string{"encode", "--proto", "mqtt5"},
			`{"type":"PUBLISH","topic":"a","payload":"abc"}`, "",
			"iotwire: mqtt5: unit 1: payload: want a hex string (offset 40)\n"},
		{"encode: wrong JSON type", []string{"encode", "--proto", "mqtt5"},
			`{"type":"PUBLISH","topic":"a","retain":1}`, "",
			"iotwire: mqtt5: unit 1: retain: want true or false (offset 39)\n"},
		{"encode: JSON syntax", []string{"encode", "--proto", "mqtt5"}, `{"type":"PUBLISH",x}`, "",
			"iotwire: mqtt5: unit 1: invalid JSON: invalid character 'x' looking for beginning of object key string (offset 18)\n"},
		{"encode: user property pair", []string{"encode", "--proto", "mqtt5"},
			`{"type":"PUBLISH","topic":"a","properties":{"user_properties":[["a",1]]}}`, "",
			"iotwire: mqtt5: unit 1: properties.user_properties[0][1]: want a string (offset 68)\n"},
		{"encode: subscription_identifiers in SUBSCRIBE", []string{"encode", "--proto", "mqtt5"},
			`{"type":"SUBSCRIBE","packet_id":1,"subscriptions":[{"filter":"a"}],"properties":{"subscription_identifiers":[1]}}`, "",
			"iotwire: mqtt5: unit 1: properties.subscription_identifiers: only PUBLISH has several; use subscription_identifier (offset 108)\n"},
		{"encode: will key", []string{"encode", "--proto", "mqtt5"},
			`{"type":"CONNECT","will":{"topic":"w","qos":1,"x":1}}`, "",
			"iotwire: mqtt5: unit 1: will.x: unexpected key in will (offset 50)\n"},
		{"encode: no type", []string{"encode", "--proto", "mqtt5"}, `{"topic":"a"}`, "",
			`iotwire: mqtt5: unit 1: missing key "type" (offset 0)` + "\n"},
		{"encode: unknown type", []string{"encode", "--proto", "mqtt5"}, `{"type":"RESERVED"}`, "",
			`iotwire: mqtt5: unit 1: type: unknown MQTT packet type "RESERVED" (offset 8)` + "\n"},
		{"encode: duplicate key", []string{"encode", "--proto", "mqtt5"}, `{"type":"PINGREQ","type":"PINGRESP"}`, "",
			"iotwire: mqtt5: unit 1: type: duplicate key (offset 25)\n"},
		{"encode: not an object", []string{"encode", "--proto", "mqtt5"}, `["PINGREQ"]`, "",
			"iotwire: mqtt5: unit 1: want a JSON object (offset 0)\n"},
		{"encode: two objects on a line", []string{"encode", "--proto", "mqtt5"}, `{"type":"PINGREQ"} {}`, "",
			"iotwire: mqtt5: unit 1: unexpected data after the object (offset 19)\n"},
		{"encode: truncated JSON", []string{"encode", "--proto", "mqtt5"}, `{"type":"PINGREQ"`, "",
			"iotwire: mqtt5: unit 1: invalid JSON: unexpected end of input (offset 17)\n"},
		{"encode: protocol_name mismatch", []string{"encode", "--proto", "mqtt3"},
			`{"type":"CONNECT","protocol_name":"MQTT","protocol_level":3,"client_id":"c"}`, "",
			`iotwire: mqtt3: unit 1: protocol_name: want "MQIsdp" for protocol_level 3 (offset 34)` + "\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, errOut, code := runCmd(t, tt.stdin, tt.args...)
			if code != 1 || out != tt.wantOut || errOut != tt.wantStderr {
				t.Errorf("exit %d, want 1\nstdout %q\n  want %q\nstderr %q\n  want %q", code, out, tt.wantOut, errOut, tt.wantStderr)
			}
		})
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestWriteError(t *testing.T) {
	for _, cmd := range []string{"decode", "encode"} {
		var errOut bytes.Buffer
		in := "c000\n"
		if cmd == "encode" {
			in = `{"type":"PINGREQ"}` + "\n"
		}
		code := run([]string{cmd, "--proto", "mqtt5"}, strings.NewReader(in), failWriter{}, &errOut)
		if code != 1 || errOut.String() != "iotwire: disk full\n" {
			t.Errorf("%s to a failing writer: exit %d, stderr %q", cmd, code, errOut.String())
		}
	}
}

func TestUsage(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		wantStderr string // the first line
	}{
		{"no command", nil, "iotwire: missing command"},
		{"unknown command", []string{"frob"}, `iotwire: unknown command "frob"`},
		{"missing --proto", []string{"decode"}, "iotwire: decode: missing --proto"},
		{"unknown protocol", []string{"decode", "--proto", "mqtt4"}, `iotwire: unknown protocol "mqtt4" (one of mqtt3, mqtt5, coap, coap+tcp, tlv, senml+json, senml+cbor, lwm2m+cbor, lwm2m+json, link, sms-deliver, sms-submit)`},
		{"bad --in", []string{"decode", "--proto", "mqtt3", "--in", "bin"}, "iotwire: decode: --in must be hex, base64 or raw"},
		{"bad --out", []string{"encode", "--proto", "mqtt3", "--out", "json"}, "iotwire: encode: --out must be hex, base64 or raw"},
		{"--in is for decode", []string{"encode", "--proto", "mqtt3", "--in", "hex"}, "iotwire: encode: flag provided but not defined: -in"},
		{"--out is for decode", []string{"decode", "--proto", "mqtt3", "--out", "hex"}, "iotwire: decode: flag provided but not defined: -out"},
		{"flag without value", []string{"decode", "--proto"}, "iotwire: decode: flag needs an argument: -proto"},
		{"two files", []string{"decode", "--proto", "mqtt3", "a", "b"}, "iotwire: decode: more than one input file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, errOut, code := runCmd(t, "", tt.args...)
			first, rest, _ := strings.Cut(errOut, "\n")
			if code != 2 || out != "" || first != tt.wantStderr || !strings.HasPrefix(rest, "usage: iotwire decode") {
				t.Errorf("exit %d, want 2; stdout %q\nstderr %q\n  want %q and a usage message", code, out, errOut, tt.wantStderr)
			}
		})
	}

	out, errOut, code := runCmd(t, "", "decode", "--proto", "mqtt3", filepath.Join(t.TempDir(), "missing.hex"))
	if code != 2 || out != "" || !strings.HasPrefix(errOut, "iotwire: open ") || strings.Count(errOut, "\n") != 1 {
		t.Errorf("missing file: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}

func TestNotSupportedYet(t *testing.T) {
	for _, p := range protocols {
		if _, ok := codecs[p]; ok {
			continue
		}
		for _, cmd := range []string{"decode", "encode"} {
			out, errOut, code := runCmd(t, "00\n", cmd, "--proto", p)
			if want := "iotwire: " + p + ": not supported yet\n"; code != 2 || out != "" || errOut != want {
				t.Errorf("%s --proto %s: exit %d, stdout %q, stderr %q, want exit 2 and %q", cmd, p, code, out, errOut, want)
			}
		}
	}
}

func TestHelp(t *testing.T) {
	for _, args := range [][]string{{"help"}, {"-h"}, {"--help"}, {"decode", "-h"}, {"encode", "--proto", "mqtt5", "--help"}} {
		out, errOut, code := runCmd(t, "", args...)
		if code != 0 || errOut != "" || !strings.HasPrefix(out, "iotwire turns") || !strings.Contains(out, "usage: iotwire decode") {
			t.Errorf("%q: exit %d, stderr %q, stdout %q", args, code, errOut, out)
		}
	}
}

func TestAppendJSONString(t *testing.T) {
	tests := []struct{ in, want string }{
		{`a"b\c`, `"a\"b\\c"`},
		{"\x00\x1f\n\t\r", `"\u0000\u001f\n\t\r"`},
		{"<&>", `"<&>"`},
		{"é✓😀", `"é✓😀"`},
		{"\u2028\u2029", `"\u2028\u2029"`},
		{"a\xffb", `"a\ufffdb"`},
		{"\xe2\x9c", `"\ufffd\ufffd"`},
	}
	for _, tt := range tests {
		got := string(appendJSONString(nil, tt.in))
		if got != tt.want {
			t.Errorf("appendJSONString(%q) = %s, want %s", tt.in, got, tt.want)
		}
		var back string
		if err := json.Unmarshal([]byte(got), &back); err != nil {
			t.Errorf("%s is not a JSON string: %v", got, err)
		}
	}
}
