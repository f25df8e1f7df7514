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
// Without a tshark binary the test skips, or fails when CI=true.
// To add a case, append a coapPcapCase to coapTsharkCases; fields derived
// from the message are checked for every case, and want adds fields of
// tshark's own vocabulary (media type names). Find field names with:
// tshark -G fields | grep -P '^F\t[^\t]*\tcoap\.'

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/iotwire/iotwire/coapmsg"
)

// coapPcap builds a classic libpcap file
// (https://wiki.wireshark.org/Development/LibpcapFileFormat) of link type
// RAW (101): every record is a bare IPv4 packet.
type coapPcap struct {
	b      []byte
	ts     time.Time
	frames int // records written; tshark numbers frames from 1
	ipID   uint16
}

func newCoAPPcap() *coapPcap {
	w := &coapPcap{ts: time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)}
	le := binary.LittleEndian
	w.b = le.AppendUint32(w.b, 0xa1b2c3d4) // magic: microsecond timestamps, written little-endian
	w.b = le.AppendUint16(w.b, 2)          // version 2.4
	w.b = le.AppendUint16(w.b, 4)
	w.b = le.AppendUint32(w.b, 0)     // thiszone
	w.b = le.AppendUint32(w.b, 0)     // sigfigs
	w.b = le.AppendUint32(w.b, 65535) // snaplen
	w.b = le.AppendUint32(w.b, 101)   // LINKTYPE_RAW
	return w
}

// record appends one packet and returns its frame number.
func (w *coapPcap) record(pkt []byte) int {
	le := binary.LittleEndian
	w.ts = w.ts.Add(time.Millisecond)
	w.b = le.AppendUint32(w.b, uint32(w.ts.Unix()))
	w.b = le.AppendUint32(w.b, uint32(w.ts.Nanosecond()/1000))
	w.b = le.AppendUint32(w.b, uint32(len(pkt))) // captured length
	w.b = le.AppendUint32(w.b, uint32(len(pkt))) // original length
	w.b = append(w.b, pkt...)
	w.frames++
	return w.frames
}

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
	return w.record(p)
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

// runTsharkCoAP runs tshark -T fields on file and returns one map per frame
// number, from field name to value.
func runTsharkCoAP(t *testing.T, bin, file string, fields []string) map[int]map[string]string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	args := []string{"-n", "-r", file, "-T", "fields", "-E", "header=y", "-E", "separator=/t",
		"-E", "aggregator=|", "-E", "occurrence=a"}
	for _, f := range fields {
		args = append(args, "-e", f)
	}
	cmd := exec.CommandContext(ctx, bin, args...)
	// A private configuration directory: no personal preferences change the dissection.
	cmd.Env = append(os.Environ(), "WIRESHARK_CONFIG_DIR="+t.TempDir())
	cmd.WaitDelay = time.Second
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s: %v (context: %v)\nstderr:\n%s", cmd, err, ctx.Err(), stderr.String())
	}
	lines := strings.Split(strings.TrimRight(stdout.String(), "\n"), "\n")
	if len(lines) < 2 {
		t.Fatalf("tshark printed no frames\nstdout:\n%s\nstderr:\n%s", stdout.String(), stderr.String())
	}
	header := strings.Split(lines[0], "\t")
	if !slices.Equal(header, fields) {
		t.Fatalf("tshark header %q, want %q", header, fields)
	}
	frames := make(map[int]map[string]string)
	for _, line := range lines[1:] {
		cols := strings.Split(line, "\t")
		if len(cols) != len(fields) {
			t.Fatalf("tshark line has %d columns, want %d: %q", len(cols), len(fields), line)
		}
		m := make(map[string]string, len(fields))
		for i, f := range fields {
			m[f] = cols[i]
		}
		n, err := strconv.Atoi(m["frame.number"])
		if err != nil {
			t.Fatalf("tshark line without a frame number: %q", line)
		}
		frames[n] = m
	}
	return frames
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
	var names, deltas, deltaExts, lengths, lengthExts, blockNums, blockMs []string
	strs := map[string][]string{}
	prev := 0
	for i, o := range m.Options {
		names = append(names, "#"+strconv.Itoa(i+1)+": "+o.Number.Name())
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
		case coapmsg.Observe, coapmsg.MaxAge, coapmsg.Size1:
			v, _ := o.Uint()
			f := map[coapmsg.OptionNumber]string{coapmsg.Observe: "coap.opt.observe", coapmsg.MaxAge: "coap.opt.max_age", coapmsg.Size1: "coap.opt.size1"}[o.Number]
			strs[f] = append(strs[f], strconv.FormatUint(v, 10))
		case coapmsg.Block1, coapmsg.Block2:
			blk, err := coapmsg.DecodeBlock(o.Value, false)
			if err != nil {
				panic(err) // the cases are built with SetBlock1 and SetBlock2
			}
			blockNums = append(blockNums, strconv.Itoa(int(blk.Num)))
			blockMs = append(blockMs, map[bool]string{false: "0", true: "1"}[blk.More])
		}
		if field != "" {
			strs[field] = append(strs[field], string(o.Value))
		}
	}
	want["coap.opt.name"] = strings.Join(names, "|")
	want["coap.opt.delta"] = strings.Join(deltas, "|")
	want["coap.opt.delta_ext"] = strings.Join(deltaExts, "|")
	want["coap.opt.length"] = strings.Join(lengths, "|")
	want["coap.opt.length_ext"] = strings.Join(lengthExts, "|")
	want["coap.opt.block_number"] = strings.Join(blockNums, "|")
	want["coap.opt.block_mflag"] = strings.Join(blockMs, "|")
	for _, f := range []string{"coap.opt.uri_path", "coap.opt.uri_query", "coap.opt.uri_host", "coap.opt.location_path",
		"coap.opt.proxy_uri", "coap.opt.etag", "coap.opt.observe", "coap.opt.max_age", "coap.opt.size1"} {
		want[f] = strings.Join(strs[f], "|")
	}
	return want
}

// Fields read for every frame, besides those of tsharkExpect.
var tsharkCoAPFields = []string{"frame.number", "udp.srcport", "udp.dstport", "coap.opt.accept", "coap.opt.ctype",
	"coap.opt.block_size", "coap.payload_length", "coap.block_length", "coap.opt.unknown"}

// TestTsharkCoAP checks coapmsg's encoding against Wireshark's CoAP dissector.
func TestTsharkCoAP(t *testing.T) {
	bin := lookCoAPTool(t, "tshark", "/usr/bin/tshark", "/usr/local/bin/tshark")
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
	if err := os.WriteFile(file, w.b, 0o644); err != nil {
		t.Fatal(err)
	}
	fields := slices.Clone(tsharkCoAPFields)
	for _, k := range slices.Sorted(maps.Keys(fieldSet)) {
		if !slices.Contains(fields, k) {
			fields = append(fields, k)
		}
	}
	frames := runTsharkCoAP(t, bin, file, fields)
	if len(frames) != w.frames {
		t.Errorf("tshark read %d frames, the file has %d", len(frames), w.frames)
	}

	for n := 1; n <= w.frames; n++ {
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
		for _, k := range slices.Sorted(maps.Keys(s.want)) {
			if g, wv := got[k], s.want[k]; !strings.EqualFold(g, wv) { // tshark writes "Etag", "Max-age"
				if len(g) > 200 {
					g = g[:200] + "..."
				}
				t.Errorf("%s: tshark %s = %q, want %q", name, k, g, wv)
			}
		}

		// Block size exponents: tshark 4.0 also shows the low three bits of
		// a Size2 value as an "Encoded Block Size", so compare the prefix.
		var szx []string
		for _, o := range s.c.msg.Options {
			if o.Number == coapmsg.Block1 || o.Number == coapmsg.Block2 {
				blk, _ := coapmsg.DecodeBlock(o.Value, false)
				szx = append(szx, strconv.Itoa(int(blk.SZX)))
			}
		}
		if g := got["coap.opt.block_size"]; !strings.HasPrefix(g+"|", strings.Join(szx, "|")+"|") && !(len(szx) == 0 && g == "") {
			t.Errorf("%s: tshark coap.opt.block_size = %q, want %q first", name, g, strings.Join(szx, "|"))
		}

		// The payload length: tshark shows a payload that carries a block
		// of a block-wise transfer as a block (coap.block_length).
		pl, bl := got["coap.payload_length"], got["coap.block_length"]
		switch {
		case len(s.c.msg.Payload) == 0 && (pl != "" || bl != ""):
			t.Errorf("%s: no payload, tshark payload_length %q block_length %q", name, pl, bl)
		case len(s.c.msg.Payload) > 0 && pl != strconv.Itoa(len(s.c.msg.Payload)) && bl != strconv.Itoa(len(s.c.msg.Payload)):
			t.Errorf("%s: payload of %d bytes, tshark payload_length %q block_length %q", name, len(s.c.msg.Payload), pl, bl)
		}
	}
}
