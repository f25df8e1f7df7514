package smpp

import (
	"bytes"
	"testing"

	"github.com/iotwire/iotwire/internal/codectest"
)

// kinds are the vectors of each PDU kind that the allocation tests and the
// benchmarks decode and encode.
var kinds = []struct{ kind, vector string }{
	{"bind_transceiver", "bind_transceiver"},
	{"bind_transceiver_resp", "bind_transceiver_resp"},
	{"unbind", "unbind"},
	{"unbind_resp", "unbind_resp"},
	{"generic_nack", "generic_nack-invcmdid"},
	{"submit_sm-udh", "submit_sm-udh-binary"},
	{"submit_sm-payload-tlvs", "submit_sm-payload-sar-ports"},
	{"submit_sm_resp", "submit_sm_resp"},
	{"deliver_sm-receipt", "deliver_sm-receipt"},
	{"deliver_sm_resp", "deliver_sm_resp"},
	{"enquire_link", "enquire_link"},
	{"enquire_link_resp", "enquire_link_resp"},
}

// fixture holds the inputs shared by the allocation tests and benchmarks.
type fixture struct {
	wire map[string][]byte
	pdu  map[string]codec
	buf  []byte
	sm   SubmitSM
	cp   SubmitSM
	cbuf []byte
	bad  []byte
	rd   *Reader
	src  *bytes.Reader
	all  []byte
}

func vectorHex(tb testing.TB, name string) []byte {
	for _, v := range vectors {
		if v.name == name {
			return codectest.Unhex(tb, v.hex)
		}
	}
	tb.Fatalf("no vector %s", name)
	return nil
}

func newFixture(tb testing.TB) *fixture {
	f := &fixture{wire: map[string][]byte{}, pdu: map[string]codec{}, buf: make([]byte, 0, 512), cbuf: make([]byte, 0, 512)}
	for _, k := range kinds {
		b := vectorHex(tb, k.vector)
		h, _ := PeekHeader(b)
		f.wire[k.kind] = b
		f.pdu[k.kind] = newPDU(h.ID)
		f.decode(tb, k.kind)
	}
	if _, err := f.sm.Decode(f.wire["submit_sm-payload-tlvs"]); err != nil {
		tb.Fatal(err)
	}
	f.bad = codectest.Unhex(tb, `00000039000000050000000000000001000101393939393139393134353933000000363436340000000000000000080010c1e1e9edf3faf1fc`)
	f.all, _ = stream(tb)
	f.src = bytes.NewReader(f.all)
	f.rd = NewReader(f.src, 0)
	f.rd.Buffer(make([]byte, 8192))
	return f
}

func (f *fixture) decode(tb testing.TB, kind string) {
	if _, err := f.pdu[kind].Decode(f.wire[kind]); err != nil {
		tb.Fatal(err)
	}
}

func (f *fixture) encode(tb testing.TB, kind string) {
	var err error
	if f.buf, err = f.pdu[kind].AppendBinary(f.buf[:0]); err != nil {
		tb.Fatal(err)
	}
}

func (f *fixture) accessors(tb testing.TB) {
	tl := f.sm.TLVs
	if _, ok := tl.SAR(); !ok {
		tb.Fatal("no SAR")
	}
	if _, ok := tl.MessagePayload(); !ok {
		tb.Fatal("no payload")
	}
	tl.SourcePort()
	tl.DestinationPort()
	it := tl.Iter()
	for it.Next() {
	}
	if it.Err() != nil {
		tb.Fatal(it.Err())
	}
}

// next frames the next PDU of the stream of all vectors, rewinding at its end.
func (f *fixture) next(tb testing.TB) {
	if f.src.Len() == 0 && f.rd.Buffered() == 0 {
		f.src.Reset(f.all)
	}
	if _, _, err := f.rd.Next(); err != nil {
		tb.Fatal(err)
	}
}
