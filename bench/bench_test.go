package bench

import (
	"bytes"
	"reflect"
	"testing"

	"github.com/iotwire/iotwire/mqttpkt"
)

// impl is one compared implementation.
type impl struct {
	name     string
	versions []mqttpkt.Version // the protocol versions it implements

	// benchDecode and benchEncode run the benchmark loop of case c after
	// their own setup: decode c.wire, or encode the case's packet value.
	benchDecode func(b *testing.B, c *benchCase)
	benchEncode func(b *testing.B, c *benchCase)

	// decodeOnce and encodeOnce are the same operations run once, for
	// TestSameMessage.
	decodeOnce func(c *benchCase) (msg, error)
	encodeOnce func(c *benchCase) ([]byte, error)
}

var impls = []impl{
	{"iotwire", []mqttpkt.Version{mqttpkt.V311, mqttpkt.V5},
		iotBenchDecode, iotBenchEncode, iotDecodeOnce, iotEncodeOnce},
	{"paho.golang", []mqttpkt.Version{mqttpkt.V5},
		pgBenchDecode, pgBenchEncode, pgDecodeOnce, pgEncodeOnce},
	{"paho.mqtt.golang", []mqttpkt.Version{mqttpkt.V311},
		pmBenchDecode, pmBenchEncode, pmDecodeOnce, pmEncodeOnce},
	{"mochi", []mqttpkt.Version{mqttpkt.V311, mqttpkt.V5},
		mochiBenchDecode, mochiBenchEncode, mochiDecodeOnce, mochiEncodeOnce},
}

func (im *impl) supports(v mqttpkt.Version) bool {
	for _, w := range im.versions {
		if w == v {
			return true
		}
	}
	return false
}

// run runs one sub-benchmark per case and supporting implementation.
// Encode benchmarks also report the size of the case's wire bytes, so that
// MB/s compares the same message across implementations.
func run(b *testing.B, fn func(im *impl) func(*testing.B, *benchCase)) {
	for _, c := range cases(b) {
		b.Run("msg="+c.name, func(b *testing.B) {
			for i := range impls {
				im := &impls[i]
				if !im.supports(c.v) {
					continue
				}
				b.Run("impl="+im.name, func(b *testing.B) {
					b.ReportAllocs()
					b.SetBytes(int64(len(c.wire)))
					fn(im)(b, c)
				})
			}
		})
	}
}

func BenchmarkDecode(b *testing.B) {
	run(b, func(im *impl) func(*testing.B, *benchCase) { return im.benchDecode })
	runCoAP(b, func(im *coapImpl) func(*testing.B, *coapCase) { return im.benchDecode })
	runSenML(b, false)
	runTLV(b, false)
}

func BenchmarkEncode(b *testing.B) {
	run(b, func(im *impl) func(*testing.B, *benchCase) { return im.benchEncode })
	runCoAP(b, func(im *coapImpl) func(*testing.B, *coapCase) { return im.benchEncode })
	runSenML(b, true)
	runTLV(b, true)
}

// TestSameMessage checks that every implementation reads the same message
// from the shared wire bytes, and that what each one encodes decodes with
// iotwire to that message.
func TestSameMessage(t *testing.T) {
	for _, c := range cases(t) {
		for i := range impls {
			im := &impls[i]
			if !im.supports(c.v) {
				continue
			}
			t.Run(c.name+"/"+im.name, func(t *testing.T) {
				got, err := im.decodeOnce(c)
				if err != nil {
					t.Fatalf("decode %x: %v", c.wire, err)
				}
				if !reflect.DeepEqual(got, c.want) {
					t.Errorf("decode %x:\n got %+v\nwant %+v", c.wire, got, c.want)
				}

				out, err := im.encodeOnce(c)
				if err != nil {
					t.Fatalf("encode: %v", err)
				}
				var d iotDecoder
				p, n, err := d.decode(out, c.v)
				if err != nil {
					t.Fatalf("iotwire rejects the %s encoding %x: %v", im.name, out, err)
				}
				if n != len(out) {
					t.Errorf("iotwire decoded %d of the %d bytes %x", n, len(out), out)
				}
				if got := iotMsg(p); !reflect.DeepEqual(got, c.want) {
					t.Errorf("iotwire decode of the %s encoding %x:\n got %+v\nwant %+v", im.name, out, got, c.want)
				}
				if !bytes.Equal(out, c.wire) {
					t.Logf("%s encodes %d bytes %x; iotwire %d bytes %x", im.name, len(out), out, len(c.wire), c.wire)
				}
			})
		}
	}
}
