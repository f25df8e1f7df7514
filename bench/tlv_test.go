package bench

import (
	"bytes"
	"encoding/hex"
	"reflect"
	"strings"
	"testing"

	"github.com/iotwire/iotwire/lwm2m/path"
	"github.com/iotwire/iotwire/lwm2m/senml"
	"github.com/iotwire/iotwire/lwm2m/tlv"
)

// The TLV case (msg=tlv-3-0-read) measures lwm2m/tlv alone: there is no Go
// package for OMA TLV that an application could use instead (we know of no
// standalone one), so there is no peer and no ratio. It runs under
// BenchmarkDecode and BenchmarkEncode.
//
// Decoding walks the payload with a tlv.Values over the request path /3/0,
// typed by the core object models, into a reused slice of records; encoding
// is tlv.Encode of those records into a reused buffer.

// tlvDevice is the response to a Read of the Device object instance /3/0
// in the TLV example of LwM2M TS 1.1 section 7.4.3.1 (TS 1.0 6.4.3.1): 16
// values, resources 0-3, 6-11, 13, 14 and 16, with the Multiple Resources
// 6, 7, 8 and 11. Vector tlv_device_3_0_resources_spec of
// shared/vectors/lwm2m.json, and the first line of
// ../testdata/lwm2m-device.tlv.hex (copied, so that the benchmark input
// stays fixed). It holds the same records as the senml-*-device-3-0 cases.
const tlvDevice = "c8 00 14 4f70656e204d6f62696c6520416c6c69616e6365 c8 01 16 4c69676874776569676874204d324d20436c69656e74 " +
	"c8 02 09 333435303030313233 c3 03 312e30 86 06 41 00 01 41 01 05 88 07 08 42 00 0ed8 42 01 1388 " +
	"87 08 41 00 7d 42 01 0384 c1 09 64 c1 0a 0f 83 0b 41 00 00 c4 0d 5182428f c6 0e 2b30323a3030 c1 10 55"

// tlvCase is the one TLV payload of the comparison.
type tlvCase struct {
	name string
	base path.Path
	wire []byte
}

func tlvCases(tb testing.TB) []*tlvCase {
	wire, err := hex.DecodeString(strings.ReplaceAll(tlvDevice, " ", ""))
	if err != nil {
		tb.Fatal(err)
	}
	return []*tlvCase{{name: "tlv-3-0-read", base: path.Instance(3, 0), wire: wire}}
}

// tlvDecode decodes c into recs[:0], typed by the core object models.
func tlvDecode(c *tlvCase, recs []tlv.Record) ([]tlv.Record, error) {
	recs = recs[:0]
	it := tlv.NewValues(c.wire, c.base, coreModels, tlv.Limits{})
	for it.Next() {
		recs = append(recs, tlv.Record{Path: it.Path(), Value: it.Value()})
	}
	return recs, it.Err()
}

// runTLV runs the TLV cases, decode or encode.
func runTLV(b *testing.B, encode bool) {
	for _, c := range tlvCases(b) {
		b.Run("msg="+c.name, func(b *testing.B) {
			b.Run("impl=iotwire", func(b *testing.B) {
				b.ReportAllocs()
				b.SetBytes(int64(len(c.wire)))
				recs, err := tlvDecode(c, make([]tlv.Record, 0, 32))
				if err != nil {
					b.Fatal(err)
				}
				if encode {
					buf := make([]byte, 0, 2*len(c.wire))
					for b.Loop() {
						if buf, err = tlv.Encode(buf[:0], c.base, recs); err != nil {
							b.Fatal(err)
						}
					}
					return
				}
				for b.Loop() {
					if recs, err = tlvDecode(c, recs); err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
}

// TestSameTLV checks the TLV case without a peer: its records are the
// ones lwm2m/senml reads from the SenML JSON Device case (the same object
// instance in another format), and encoding them gives back the payload,
// which is in the canonical form.
func TestSameTLV(t *testing.T) {
	var sj *senmlCase
	for _, c := range senmlCases(t) {
		if c.name == "senml-json-device-3-0" {
			sj = c
		}
	}
	var s senmlIot
	if err := s.decode(sj); err != nil {
		t.Fatal(err)
	}
	want := s.flat()
	for _, c := range tlvCases(t) {
		t.Run(c.name, func(t *testing.T) {
			recs, err := tlvDecode(c, nil)
			if err != nil {
				t.Fatalf("decode %x: %v", c.wire, err)
			}
			var got senmlIot
			for _, r := range recs {
				got.recs = append(got.recs, senml.Resolved{Path: r.Path, Value: r.Value})
			}
			if !reflect.DeepEqual(got.flat(), want) {
				t.Errorf("TLV records\n%+v\nSenML records\n%+v", got.flat(), want)
			}
			out, err := tlv.Encode(nil, c.base, recs)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(out, c.wire) {
				t.Errorf("re-encoded\n%x\nwant\n%x", out, c.wire)
			}
		})
	}
}
