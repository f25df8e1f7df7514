package smpp

import (
	"bytes"
	"errors"
	"io"
	"testing"

	"github.com/iotwire/iotwire/internal/codectest"
)

func fuzzSeeds(f *testing.F) {
	for _, v := range vectors {
		f.Add(codectest.Unhex(f, v.hex))
	}
	for _, c := range errorCases {
		f.Add(codectest.Unhex(f, c.hex))
	}
}

// isResp reports whether p is a response type whose body rules make
// re-encoding non-canonical (see the package doc).
func isResp(p codec) bool {
	switch p.(type) {
	case *SubmitSMResp, *DeliverSMResp, *BindResp:
		return true
	}
	return false
}

// FuzzDecodePDU decodes a PDU by its command_id and checks: no panic, no
// mutation of the input, errors of this package with offsets inside it,
// the TLV accessors, and decode -> encode -> decode a fixpoint whose
// encoding is the size Len says and equals the input, but for the bodies
// of responses (one octet more or less).
func FuzzDecodePDU(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		orig := bytes.Clone(b)
		p, n, err := decodeAny(b)
		if !bytes.Equal(b, orig) {
			t.Fatal("Decode modified its input")
		}
		if err != nil {
			codectest.CheckFuzzError(t, err, len(b), errorAt, ErrTruncated, ErrMalformed, ErrLimit, ErrUnsupported)
			return
		}
		if n < HeaderLen || n > len(b) {
			t.Fatalf("n = %d of %d", n, len(b))
		}
		touchTLVs(p)
		out, err := p.AppendBinary(nil)
		if err != nil {
			t.Fatalf("decoded %s but cannot encode: %v", show(p), err)
		}
		if len(out) != p.Len() {
			t.Fatalf("Len %d, encoded %d", p.Len(), len(out))
		}
		if !bytes.Equal(out, b[:n]) && (!isResp(p) || len(out) > n+1) {
			t.Fatalf("re-encoded\n %x\nfrom\n %x", out, b[:n])
		}
		q, m, err := decodeAny(out)
		if err != nil || m != len(out) {
			t.Fatalf("cannot decode own encoding %x: %v", out, err)
		}
		if show(q) != show(p) {
			t.Fatalf("not a fixpoint:\n %s\n %s", show(p), show(q))
		}
		out2, _ := q.AppendBinary(nil)
		if !bytes.Equal(out, out2) {
			t.Fatalf("encodings differ:\n %x\n %x", out, out2)
		}
	})
}

// touchTLVs runs the TLV accessors of p, which must not panic.
func touchTLVs(p codec) {
	var tl TLVs
	switch p := p.(type) {
	case *SubmitSM:
		tl = p.TLVs
		p.Validate()
	case *DeliverSM:
		tl = p.TLVs
		p.Validate()
	case *BindResp:
		tl = p.TLVs
	}
	tl.MessagePayload()
	tl.SAR()
	tl.SourcePort()
	tl.DestinationPort()
	tl.ReceiptedMessageID()
	tl.MessageState()
	tl.SCInterfaceVersion()
}

// FuzzTLVs checks that a region checkTLVs accepts iterates to its end
// without error, and that the iterator never panics on any region.
func FuzzTLVs(f *testing.F) {
	f.Add([]byte{0x04, 0x24, 0x00, 0x01, 0x41})
	f.Add([]byte{0x02, 0x0c, 0x00, 0x02, 0x01, 0x02, 0x02, 0x0e, 0x00, 0x01, 0x03, 0x02, 0x0f, 0x00, 0x01, 0x01})
	f.Add([]byte{0x00, 0x1e, 0x00, 0x02, 0x31, 0x00, 0x04, 0x27, 0x00, 0x01, 0x02})
	f.Fuzz(func(t *testing.T, b []byte) {
		_, err := checkTLVs(b, 0, "fuzz")
		it := TLVs(b).Iter()
		total := 0
		for it.Next() {
			total += 4 + len(it.TLV().Value)
		}
		touchTLVs(&SubmitSM{TLVs: b})
		if err == nil && (it.Err() != nil || total != len(b)) {
			t.Fatalf("accepted region iterates %d of %d: %v", total, len(b), it.Err())
		}
		if err == nil {
			out, err := (&SubmitSM{TLVs: b}).AppendBinary(nil)
			if err != nil && !errors.Is(err, ErrLimit) {
				t.Fatalf("accepted TLVs do not encode: %v", err)
			}
			_ = out
		}
	})
}

// chunked returns the input in reads of sizes taken from sizes, cycling.
type chunked struct {
	b     []byte
	sizes []byte
	i     int
}

func (c *chunked) Read(p []byte) (int, error) {
	if len(c.b) == 0 {
		return 0, io.EOF
	}
	n := 1
	if len(c.sizes) > 0 {
		n = int(c.sizes[c.i%len(c.sizes)])%64 + 1
		c.i++
	}
	n = min(n, len(p), len(c.b))
	copy(p, c.b[:n])
	c.b = c.b[n:]
	return n, nil
}

// FuzzReader frames a stream read in chunks of fuzzed sizes with a limit
// of 512 octets and checks: no panic; every PDU as long as its header
// says, between 16 and the limit; the PDUs a prefix of the stream; the
// end io.EOF or an error of this package.
func FuzzReader(f *testing.F) {
	all, _ := stream(f)
	f.Add(all, []byte{1, 7, 63})
	f.Add(codectest.Unhex(f, `000003e8 00000004 00000000 00000001`), []byte{3})
	f.Fuzz(func(t *testing.T, b, sizes []byte) {
		r := NewReader(&chunked{b: b, sizes: sizes}, 512)
		var got []byte
		for {
			h, pdu, err := r.Next()
			if err != nil {
				if err != io.EOF {
					var e *Error
					if !errors.As(err, &e) {
						t.Fatalf("%T %v", err, err)
					}
				}
				break
			}
			if int(h.Length) != len(pdu) || len(pdu) < HeaderLen || len(pdu) > 512 {
				t.Fatalf("PDU of %d octets, header says %d", len(pdu), h.Length)
			}
			got = append(got, pdu...)
		}
		if !bytes.HasPrefix(b, got) {
			t.Fatal("PDUs are not a prefix of the stream")
		}
	})
}
