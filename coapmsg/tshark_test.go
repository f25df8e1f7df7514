package coapmsg_test

// tshark (Wireshark's CoAP dissector) as an independent decoding oracle:
// TestTshark encodes messages with coapmsg, writes them as UDP datagrams to
// or from port 5683 in a pcap file, runs `tshark -T fields` on it and
// compares what tshark read with what was encoded: type, code, message ID,
// token, each option (Uri-Path segments, Uri-Query, Uri-Host, Location-Path,
// Content-Format, Accept, Observe, Block1 and Block2 number, M and SZX,
// Size1, ETag, Proxy-Uri, Max-Age), option value lengths and payload length.
// tshark must report nothing malformed and no expert message.
//
// checkWireWithTshark does the same for the traffic of the libcoap interop
// tests, with fields expected from what coapmsg decodes.
//
// Without a tshark binary the test skips, or fails when CI=true.
// To add a case, append a coapPcapCase to coapTsharkCases; fields derived
// from the message are checked for every case, and want adds fields of
// tshark's own vocabulary (media type names). Find field names with:
// tshark -G fields | grep -P '^F\t[^\t]*\tcoap\.'

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/iotwire/iotwire/coapmsg"
	"github.com/iotwire/iotwire/internal/codectest"
)

// coapPcap is the capture the tests write: a codectest.Pcap plus the
// IPv4 identification counter of the datagrams it builds.
type coapPcap struct {
	*codectest.Pcap
	ipID uint16
}

func newCoAPPcap() *coapPcap { return &coapPcap{Pcap: codectest.NewPcap()} }

// udp writes one IPv4+UDP datagram and returns its frame number. The IPv4
// header checksum is computed; the UDP checksum is 0, "not computed",
// which IPv4 allows (RFC 768).
func (w *coapPcap) udp(src, dst [4]byte, sport, dport uint16, payload []byte) int {
	const ipLen, udpLen = 20, 8
	total := ipLen + udpLen + len(payload)
	if total > 0xffff {
		panic("datagram too large for IPv4")
	}
	be := binary.BigEndian
	w.ipID++
	p := make([]byte, 0, total)
	p = append(p, 0x45, 0)                // version 4, IHL 5 words; DSCP/ECN
	p = be.AppendUint16(p, uint16(total)) // total length
	p = be.AppendUint16(p, w.ipID)        // identification
	p = be.AppendUint16(p, 0x4000)        // don't fragment, offset 0
	p = append(p, 64, 17)                 // TTL, protocol UDP
	p = be.AppendUint16(p, 0)             // header checksum, below
	p = append(p, src[:]...)
	p = append(p, dst[:]...)
	var sum uint32
	for i := 0; i < ipLen; i += 2 {
		sum += uint32(be.Uint16(p[i:]))
	}
	for sum > 0xffff {
		sum = sum&0xffff + sum>>16
	}
	be.PutUint16(p[10:], ^uint16(sum))
	p = be.AppendUint16(p, sport)
	p = be.AppendUint16(p, dport)
	p = be.AppendUint16(p, uint16(udpLen+len(payload)))
	p = be.AppendUint16(p, 0) // checksum not computed
	p = append(p, payload...)
	return w.Record(p)
}

// coapPcapCase is one CoAP message in one UDP datagram. toServer sends it
// from the client to port 5683, otherwise from port 5683 to the client.
// want holds extra expected fields: several occurrences of a field in one
// frame are joined with "|" in wire order; "" means the field is absent.
type coapPcapCase struct {
	name     string
	toServer bool
	msg      *coapmsg.Message
	want     map[string]string
}

func coapTsharkCases(t *testing.T) []coapPcapCase {
	tok4 := []byte{0xde, 0xad, 0xbe, 0xef}
	tok8 := []byte{1, 2, 3, 4, 5, 6, 7, 8}

	get := &coapmsg.Message{Type: coapmsg.Confirmable, Code: coapmsg.GET, MessageID: 0x1234, Token: tok4}
	get.SetPath([]byte("/sensors/temp"))
	get.SetQuery([]byte("unit=C&avg"))
	get.SetUint(coapmsg.Accept, uint64(coapmsg.AppJSON))

	// An LwM2M TLV resource (OMA LwM2M 1.1 TS Core 7.4.3): type 0xc8, id 0, length 5.
	content := &coapmsg.Message{Type: coapmsg.Acknowledgement, Code: coapmsg.Content, MessageID: 0x1234, Token: tok4,
		Payload: []byte{0xc8, 0x00, 0x05, 'h', 'e', 'l', 'l', 'o'}}
	content.SetUint(coapmsg.ContentFormat, uint64(coapmsg.AppLwM2MTLV))
	content.SetUint(coapmsg.MaxAge, 60)

	// A notification carrying block 5 of a body in 64-byte blocks (RFC 7641 with RFC 7959 3.4).
	notify := &coapmsg.Message{Type: coapmsg.NonConfirmable, Code: coapmsg.Content, MessageID: 0x2001, Token: tok8,
		Payload: bytes.Repeat([]byte("0123456789abcdef"), 4)}
	notify.SetObserve(0x012345) // a 3-byte value
	notify.SetOption(coapmsg.ETag, []byte{0xe7, 0xa9})
	notify.SetUint(coapmsg.ContentFormat, uint64(coapmsg.TextPlain))
	if err := notify.SetBlock2(coapmsg.Block{Num: 5, More: true, SZX: 2}); err != nil {
		t.Fatal(err)
	}
	notify.SetSize2(4096)

	// A 300-byte Proxy-Uri: the 2-byte extended length (RFC 7252 3.1).
	proxyURI := "coap://proxy.example.org/" + strings.Repeat("p", 300-len("coap://proxy.example.org/"))
	post := &coapmsg.Message{Type: coapmsg.Confirmable, Code: coapmsg.POST, MessageID: 0x3003, Token: []byte{0x42},
		Payload: []byte("x")}
	post.SetOption(coapmsg.ProxyURI, []byte(proxyURI))

	created := &coapmsg.Message{Type: coapmsg.Acknowledgement, Code: coapmsg.Created, MessageID: 0x3003, Token: []byte{0x42}}
	created.SetLocationPath([]byte("/rd/4521"))

	rst := &coapmsg.Message{Type: coapmsg.Reset, Code: coapmsg.Empty, MessageID: 0x2001}
	ping := &coapmsg.Message{Type: coapmsg.Confirmable, Code: coapmsg.Empty, MessageID: 0x4004}

	// Block1 upload of block 2 of 4096 bytes, without a token.
	put := &coapmsg.Message{Type: coapmsg.Confirmable, Code: coapmsg.PUT, MessageID: 0x5005,
		Payload: bytes.Repeat([]byte{0xa5}, 1024)}
	put.SetPath([]byte("/fw/image"))
	put.SetUint(coapmsg.ContentFormat, uint64(coapmsg.AppOctetStream))
	if err := put.SetBlock1(coapmsg.Block{Num: 2, More: true, SZX: 6}); err != nil {
		t.Fatal(err)
	}
	put.SetSize1(4096)
	cont := &coapmsg.Message{Type: coapmsg.Acknowledgement, Code: coapmsg.Continue, MessageID: 0x5005}
	if err := cont.SetBlock1(coapmsg.Block{Num: 2, More: true, SZX: 6}); err != nil {
		t.Fatal(err)
	}

	// Uri-Host then Request-Tag (292): an option delta of 281, the
	// 2-byte extended delta (RFC 7252 3.1).
	tagged := &coapmsg.Message{Type: coapmsg.NonConfirmable, Code: coapmsg.GET, MessageID: 0x6006, Token: []byte{0x77, 0x88}}
	tagged.SetOption(coapmsg.URIHost, []byte("example.net"))
	tagged.SetOption(coapmsg.RequestTag, []byte{1, 2})

	notFound := &coapmsg.Message{Type: coapmsg.NonConfirmable, Code: coapmsg.NotFound, MessageID: 0x6007, Token: []byte{0x77, 0x88},
		Payload: []byte("no such resource")}

	return []coapPcapCase{
		{"CON GET", true, get, map[string]string{"coap.opt.accept": "application/json"}},
		{"ACK 2.05 LwM2M TLV", false, content, map[string]string{"coap.opt.ctype": "application/vnd.oma.lwm2m+tlv"}},
		{"NON notification Block2", false, notify, map[string]string{"coap.opt.ctype": "text/plain; charset=utf-8"}},
		{"CON POST Proxy-Uri 300B", true, post, nil},
		{"ACK 2.01 Location-Path", false, created, nil},
		{"RST", true, rst, nil},
		{"CON ping", true, ping, nil},
		{"CON PUT Block1", true, put, map[string]string{"coap.opt.ctype": "application/octet-stream"}},
		{"ACK 2.31 Block1", false, cont, nil},
		// tshark 4.0 does not know Request-Tag (RFC 9175): it names it
		// "Unknown Option (292)", shows its value raw, and flags it
		// "Invalid Option Number 292" as malformed. It still has to find
		// the 2-byte extended delta 20 (289 - 269).
		{"NON GET Request-Tag", true, tagged, map[string]string{
			"coap.opt.name": "#1: Uri-Host|#2: Unknown Option (292)", "coap.opt.unknown": "0102",
			"_ws.malformed": "_ws.malformed", "_ws.expert.message": "Invalid Option Number 292"}},
		{"NON 4.04", false, notFound, nil},
	}
}

// runTsharkCoAP runs tshark -T fields on file, with the extra arguments
// extra (such as -d), and returns one map per frame number, from field
// name to value.
func runTsharkCoAP(t *testing.T, bin, file string, fields []string, extra ...string) map[int]map[string]string {
	t.Helper()
	return codectest.RunTshark(t, bin, file, fields, 20*time.Second, extra...)
}

// tsharkSplit splits an option's delta or length into tshark's nibble and
// extended fields (RFC 7252 3.1): the nibble, and the extended value or -1.
func tsharkSplit(v int) (nibble, ext int) {
	switch {
	case v < 13:
		return v, -1
	case v < 269:
		return 13, v - 13
	}
	return 14, v - 269
}

// tshark40Options are the option numbers tshark 4.0 knows. It names any
// other number "Unknown Option (N)", shows its value raw in
// coap.opt.unknown, and adds the expert message "Unknown Option Number N"
// for N from 2048 (experimental and vendor numbers) or "Invalid Option
// Number N", with the packet flagged malformed, below 2048: Echo (252, which
// tshark 4.0 names "No-Op"), No-Response (258) and Request-Tag (292) are
// "invalid".
var tshark40Options = []coapmsg.OptionNumber{coapmsg.IfMatch, coapmsg.URIHost, coapmsg.ETag, coapmsg.IfNoneMatch,
	coapmsg.Observe, coapmsg.URIPort, coapmsg.LocationPath, coapmsg.OSCORE, coapmsg.URIPath, coapmsg.ContentFormat,
	coapmsg.MaxAge, coapmsg.URIQuery, coapmsg.HopLimit, coapmsg.Accept, coapmsg.LocationQuery, coapmsg.Block2,
	coapmsg.Block1, coapmsg.Size2, coapmsg.ProxyURI, coapmsg.ProxyScheme, coapmsg.Size1}

// tsharkString is a string option value as tshark 4.0 shows it: it decodes
// these options as ASCII, so each byte from 0x80 on, such as either byte of
// the UTF-8 "\u00e9" (c3 a9), becomes one U+FFFD, where RFC 7252 3.2 makes
// them UTF-8 strings.
func tsharkString(b []byte) string {
	var s strings.Builder
	for _, c := range b {
		if c < 0x80 {
			s.WriteByte(c)
		} else {
			s.WriteRune('\uFFFD')
		}
	}
	return s.String()
}

// tsharkExpect returns the tshark fields that follow from m alone.
func tsharkExpect(m *coapmsg.Message) map[string]string {
	want := map[string]string{
		"coap.type":          strconv.Itoa(int(m.Type)),
		"coap.code":          strconv.Itoa(int(m.Code)),
		"coap.mid":           strconv.Itoa(int(m.MessageID)),
		"coap.token":         hex.EncodeToString(m.Token),
		"coap.token_len":     strconv.Itoa(len(m.Token)),
		"_ws.malformed":      "",
		"_ws.expert.message": "",
	}
	var names, deltas, deltaExts, lengths, lengthExts, blockNums, blockMs, unknown, experts []string
	strs := map[string][]string{}
	prev := 0
	for i, o := range m.Options {
		name := o.Number.Name()
		if !slices.Contains(tshark40Options, o.Number) {
			name = "Unknown Option (" + strconv.Itoa(int(o.Number)) + ")"
			if o.Number == coapmsg.Echo {
				name = "No-Op"
			}
			v := hex.EncodeToString(o.Value)
			if v == "" {
				v = "<MISSING>" // how tshark 4.0 prints an empty bytes field
			}
			unknown = append(unknown, v)
			if o.Number >= 2048 {
				experts = append(experts, "Unknown Option Number "+strconv.Itoa(int(o.Number)))
			} else {
				experts = append(experts, "Invalid Option Number "+strconv.Itoa(int(o.Number)))
				want["_ws.malformed"] = "_ws.malformed"
			}
		}
		names = append(names, "#"+strconv.Itoa(i+1)+": "+name)
		d, dx := tsharkSplit(int(o.Number) - prev)
		l, lx := tsharkSplit(len(o.Value))
		prev = int(o.Number)
		deltas, lengths = append(deltas, strconv.Itoa(d)), append(lengths, strconv.Itoa(l))
		if dx >= 0 {
			deltaExts = append(deltaExts, strconv.Itoa(dx))
		}
		if lx >= 0 {
			lengthExts = append(lengthExts, strconv.Itoa(lx))
		}
		field := ""
		switch o.Number {
		case coapmsg.URIPath:
			field = "coap.opt.uri_path"
		case coapmsg.URIQuery:
			field = "coap.opt.uri_query"
		case coapmsg.URIHost:
			field = "coap.opt.uri_host"
		case coapmsg.LocationPath:
			field = "coap.opt.location_path"
		case coapmsg.ProxyURI:
			field = "coap.opt.proxy_uri"
		case coapmsg.ETag:
			strs["coap.opt.etag"] = append(strs["coap.opt.etag"], hex.EncodeToString(o.Value))
		case coapmsg.Observe, coapmsg.MaxAge, coapmsg.Size1, coapmsg.URIPort, coapmsg.HopLimit:
			v, _ := o.Uint()
			f := map[coapmsg.OptionNumber]string{coapmsg.Observe: "coap.opt.observe", coapmsg.MaxAge: "coap.opt.max_age",
				coapmsg.Size1: "coap.opt.size1", coapmsg.URIPort: "coap.opt.uri_port", coapmsg.HopLimit: "coap.opt.hop_limit"}[o.Number]
			strs[f] = append(strs[f], strconv.FormatUint(v, 10))
		case coapmsg.Block1, coapmsg.Block2:
			blk, err := coapmsg.DecodeBlock(o.Value, false)
			if err != nil { // shows as a difference
				blockNums, blockMs = append(blockNums, "coapmsg: "+err.Error()), append(blockMs, "?")
				break
			}
			blockNums = append(blockNums, strconv.Itoa(int(blk.Num)))
			blockMs = append(blockMs, map[bool]string{false: "0", true: "1"}[blk.More])
		}
		if field != "" {
			strs[field] = append(strs[field], tsharkString(o.Value))
		}
	}
	want["coap.opt.unknown"] = strings.Join(unknown, "|")
	want["_ws.expert.message"] = strings.Join(experts, "|")
	want["coap.opt.name"] = strings.Join(names, "|")
	want["coap.opt.delta"] = strings.Join(deltas, "|")
	want["coap.opt.delta_ext"] = strings.Join(deltaExts, "|")
	want["coap.opt.length"] = strings.Join(lengths, "|")
	want["coap.opt.length_ext"] = strings.Join(lengthExts, "|")
	want["coap.opt.block_number"] = strings.Join(blockNums, "|")
	want["coap.opt.block_mflag"] = strings.Join(blockMs, "|")
	for _, f := range []string{"coap.opt.uri_path", "coap.opt.uri_query", "coap.opt.uri_host", "coap.opt.location_path",
		"coap.opt.proxy_uri", "coap.opt.etag", "coap.opt.observe", "coap.opt.max_age", "coap.opt.size1",
		"coap.opt.uri_port", "coap.opt.hop_limit"} {
		want[f] = strings.Join(strs[f], "|")
	}
	return want
}

// Fields read for every frame, besides those of tsharkExpect.
var tsharkCoAPFields = []string{"frame.number", "udp.srcport", "udp.dstport", "coap.opt.accept", "coap.opt.ctype",
	"coap.opt.block_size", "coap.payload_length", "coap.block_length", "coap.opt.unknown"}

// TestTsharkCoAP checks coapmsg's encoding against Wireshark's CoAP dissector.
func TestTsharkCoAP(t *testing.T) {
	bin := lookCoAPTool(t, "tshark", tsharkPaths...)
	t.Parallel()

	type sent struct {
		c    *coapPcapCase
		wire []byte
		want map[string]string
	}
	w := newCoAPPcap()
	cli, srv := [4]byte{192, 0, 2, 1}, [4]byte{192, 0, 2, 2}
	const cliPort, coapPort = 49152, 5683
	cases := coapTsharkCases(t)
	byFrame := make(map[int]sent)
	fieldSet := map[string]bool{}
	for i := range cases {
		c := &cases[i]
		b, err := encodeForPeer(t, c.name, c.msg)
		if err != nil {
			t.Fatal(err)
		}
		// Our own decoder agrees with what we encoded.
		if back := decodeFromPeer(t, c.name, b); back == nil || back.Len() != c.msg.Len() {
			t.Fatalf("%s: % x does not decode back", c.name, b)
		}
		var n int
		if c.toServer {
			n = w.udp(cli, srv, cliPort, coapPort, b)
		} else {
			n = w.udp(srv, cli, coapPort, cliPort, b)
		}
		want := tsharkExpect(c.msg)
		maps.Copy(want, c.want)
		byFrame[n] = sent{c, b, want}
		for k := range want {
			fieldSet[k] = true
		}
	}
	file := filepath.Join(t.TempDir(), "coap.pcap")
	if err := os.WriteFile(file, w.B, 0o644); err != nil {
		t.Fatal(err)
	}
	fields := slices.Clone(tsharkCoAPFields)
	for _, k := range slices.Sorted(maps.Keys(fieldSet)) {
		if !slices.Contains(fields, k) {
			fields = append(fields, k)
		}
	}
	frames := runTsharkCoAP(t, bin, file, fields)
	if len(frames) != w.Frames {
		t.Errorf("tshark read %d frames, the file has %d", len(frames), w.Frames)
	}

	for n := 1; n <= w.Frames; n++ {
		s := byFrame[n]
		got := frames[n]
		name := fmt.Sprintf("frame %d, %s (% x)", n, s.c.name, s.wire[:min(len(s.wire), 32)])
		if got == nil {
			t.Errorf("%s: missing from tshark's output", name)
			continue
		}
		sport, dport := strconv.Itoa(cliPort), strconv.Itoa(coapPort)
		if !s.c.toServer {
			sport, dport = dport, sport
		}
		s.want["udp.srcport"], s.want["udp.dstport"] = sport, dport
		checkTsharkFrame(t, name, got, s.c.msg, s.want)
	}
}

// checkTsharkFrame compares what tshark read from one frame, got, with
// the message m in it: the fields of want, the block size exponents and
// the payload length. It reports each difference with t.Errorf and
// returns how many there were.
func checkTsharkFrame(t *testing.T, name string, got map[string]string, m *coapmsg.Message, want map[string]string) int {
	t.Helper()
	bad := 0
	for _, k := range slices.Sorted(maps.Keys(want)) {
		if g, wv := got[k], want[k]; !strings.EqualFold(g, wv) { // tshark writes "Etag", "Max-age"
			if len(g) > 200 {
				g = g[:200] + "..."
			}
			t.Errorf("%s: tshark %s = %q, want %q", name, k, g, wv)
			bad++
		}
	}

	// Block size exponents: tshark 4.0 also shows the low three bits of
	// a Size2 value as an "Encoded Block Size", so compare the prefix
	// (anything goes after a Size2 alone).
	var szx []string
	for _, o := range m.Options {
		if o.Number == coapmsg.Block1 || o.Number == coapmsg.Block2 {
			blk, _ := coapmsg.DecodeBlock(o.Value, false)
			szx = append(szx, strconv.Itoa(int(blk.SZX)))
		}
	}
	_, size2 := m.Size2()
	if g := got["coap.opt.block_size"]; !strings.HasPrefix(g+"|", strings.Join(szx, "|")+"|") && !(len(szx) == 0 && (g == "" || size2)) {
		t.Errorf("%s: tshark coap.opt.block_size = %q, want %q first", name, g, strings.Join(szx, "|"))
		bad++
	}

	// The payload length: tshark shows a payload that carries a block
	// of a block-wise transfer as a block (coap.block_length).
	pl, bl := got["coap.payload_length"], got["coap.block_length"]
	switch {
	case len(m.Payload) == 0 && (pl != "" || bl != ""):
		t.Errorf("%s: no payload, tshark payload_length %q block_length %q", name, pl, bl)
		bad++
	case len(m.Payload) > 0 && pl != strconv.Itoa(len(m.Payload)) && bl != strconv.Itoa(len(m.Payload)):
		t.Errorf("%s: payload of %d bytes, tshark payload_length %q block_length %q", name, len(m.Payload), pl, bl)
		bad++
	}
	return bad
}

// tsharkPaths are where lookCoAPTool and coapToolPath look for tshark besides PATH.
var tsharkPaths = []string{"/usr/bin/tshark", "/usr/local/bin/tshark"}

// lookTsharkForWire returns the path of tshark for checkWireWithTshark. A
// missing tshark fails the test when CI=true (lookCoAPTool); otherwise it
// returns "" and the check of the traffic is skipped, not the interop test.
func lookTsharkForWire(t *testing.T) string {
	t.Helper()
	if os.Getenv("CI") == "true" {
		return lookCoAPTool(t, "tshark", tsharkPaths...)
	}
	bin := coapToolPath("tshark", tsharkPaths...)
	if bin == "" {
		t.Logf("tshark not found in PATH or %v: the traffic will not be checked against tshark (set CI=true to make this a failure)", tsharkPaths)
	}
	return bin
}

// checkWireWithTshark writes the datagrams recorded in wire into a pcap,
// with their real addresses and ports, runs tshark once over it, and
// compares what tshark read from each frame with what coapmsg.Message.Decode
// reads from the same bytes. It does nothing if bin is "".
//
// Every port of the capture carries CoAP, and "-d udp.port==P,coap" is
// given for each port other than 5683: the server's, and the clients'
// ephemeral ports too, so that no dissector tshark registers on a port of
// the ephemeral range (BACnet on 47808, EtherNet/IP on 44818, ...) can
// claim a datagram whatever its bytes.
func checkWireWithTshark(t *testing.T, bin string, wire *coapWire) {
	t.Helper()
	if bin == "" {
		return
	}
	ds := wire.datagrams()
	if len(ds) == 0 {
		t.Errorf("tshark check: no datagram recorded")
		return
	}
	w := newCoAPPcap()
	ports := map[uint16]bool{}
	for _, d := range ds {
		src, dst := d.local, d.remote
		if !d.sent {
			src, dst = dst, src
		}
		w.udp(src.Addr().Unmap().As4(), dst.Addr().Unmap().As4(), src.Port(), dst.Port(), d.b)
		ports[src.Port()], ports[dst.Port()] = true, true
	}
	file := filepath.Join(t.TempDir(), "interop.pcap")
	if err := os.WriteFile(file, w.B, 0o644); err != nil {
		t.Fatal(err)
	}
	var decodeAs []string
	for _, p := range slices.Sorted(maps.Keys(ports)) {
		if p != 5683 {
			decodeAs = append(decodeAs, "-d", "udp.port=="+strconv.Itoa(int(p))+",coap")
		}
	}
	fields := slices.Clone(tsharkCoAPFields)
	for _, k := range slices.Sorted(maps.Keys(tsharkExpect(new(coapmsg.Message)))) {
		if !slices.Contains(fields, k) {
			fields = append(fields, k)
		}
	}
	fields = append(fields, "coap.request_first_in", "coap.response_first_in")
	start := time.Now()
	frames := runTsharkCoAP(t, bin, file, fields, decodeAs...)
	if len(frames) != len(ds) {
		t.Errorf("tshark read %d frames, the file has %d", len(frames), len(ds))
	}
	bad := 0
	mids := make([]int, len(ds)+1) // by frame number: the message ID coapmsg decoded, or -1
	for i, d := range ds {
		n := i + 1
		dir := "<-"
		if d.sent {
			dir = "->"
		}
		name := fmt.Sprintf("frame %d (%s %s %v, %d bytes: %s)", n, d.who, dir, d.remote, len(d.b), coapHexPrefix(d.b))
		got := frames[n]
		if got == nil {
			t.Errorf("%s: missing from tshark's output", name)
			continue
		}
		mids[n] = -1
		m := new(coapmsg.Message)
		if _, err := m.Decode(bytes.Clone(d.b)); err != nil {
			t.Errorf("%s: coapmsg: %v", name, err)
			bad++
			continue
		}
		mids[n] = int(m.MessageID)
		want := tsharkExpect(m)
		src, dst := d.local, d.remote
		if !d.sent {
			src, dst = dst, src
		}
		want["udp.srcport"], want["udp.dstport"] = strconv.Itoa(int(src.Port())), strconv.Itoa(int(dst.Port()))

		// tshark marks a message with the message ID of an earlier one as
		// "Retransmitted" (request_first_in or response_first_in): that is
		// no difference if coapmsg read that message ID in that frame too.
		for _, f := range []string{"coap.request_first_in", "coap.response_first_in"} {
			first := got[f]
			if first == "" {
				continue
			}
			if k, err := strconv.Atoi(first); err != nil || k <= 0 || k >= n || mids[k] != mids[n] {
				t.Errorf("%s: tshark %s = %q, where coapmsg read another message ID", name, f, first)
				bad++
				continue
			}
			experts := strings.Split(got["_ws.expert.message"], "|")
			if i := slices.Index(experts, "Retransmitted"); i >= 0 {
				got = maps.Clone(got)
				got["_ws.expert.message"] = strings.Join(slices.Delete(experts, i, i+1), "|")
			}
		}

		// Content-Format and Accept by media type name; tshark writes
		// "text/plain; charset=utf-8". tshark 4.0 shows an Accept of
		// length 0, the minimal encoding of 0 (RFC 7252 3.2) that
		// coap-client -A 0 sends, as "(null)", not as text/plain (an
		// empty Content-Format it reads as text/plain).
		for f, num := range map[string]coapmsg.OptionNumber{"coap.opt.ctype": coapmsg.ContentFormat, "coap.opt.accept": coapmsg.Accept} {
			var types []string
			for it := m.Values(num); it.Next(); {
				v, _ := coapmsg.Option{Number: num, Value: it.Value()}.Uint()
				if num == coapmsg.Accept && len(it.Value()) == 0 {
					types = append(types, "(null)")
					continue
				}
				types = append(types, coapmsg.MediaType(v).String())
			}
			norm := func(s string) string { return strings.ToLower(strings.ReplaceAll(s, " ", "")) }
			if g, w := got[f], strings.Join(types, "|"); norm(g) != norm(w) {
				t.Errorf("%s: tshark %s = %q, want %q", name, f, g, w)
				bad++
			}
		}
		bad += checkTsharkFrame(t, name, got, m, want)
		if bad > 50 {
			t.Errorf("tshark check: stopped at frame %d of %d after %d differences", n, len(ds), bad)
			break
		}
	}
	sent := 0
	for _, d := range ds {
		if d.sent {
			sent++
		}
	}
	t.Logf("tshark checked %d frames, %d sent by the test and %d by libcoap, in %v", len(ds), sent, len(ds)-sent, time.Since(start).Round(time.Millisecond))
}
