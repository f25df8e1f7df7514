package bench

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"reflect"
	"strconv"
	"testing"

	"github.com/iotwire/iotwire/lwm2m"
	"github.com/iotwire/iotwire/lwm2m/path"
	"github.com/iotwire/iotwire/lwm2m/senml"
)

// The SenML cases (msg=senml-*) compare lwm2m/senml with the general
// decoders an application would otherwise use: encoding/json for SenML
// JSON and fxamacker/cbor for SenML CBOR, each into the Go structs of
// senml_peers_test.go. They run under BenchmarkDecode and BenchmarkEncode.
//
// iotwire decodes with a reused senml.JSONDecoder or CBORDecoder and a
// reused Resolver, which resolves every record to an LwM2M path and a value
// typed by the core object models (more than the peers do: they leave base
// names, base times and types to the application); it encodes resolved
// records with EncodeJSON / EncodeCBOR, which also choose the base name.

// The payloads are vectors of ../shared/vectors/lwm2m.json (facts, copied):
// the Device object read of LwM2M Core 1.1 Table 7.4.4-2 (16 records) and
// the timestamped Temperature series of Table 7.4.4-3, in both encodings.
const (
	senmlDeviceJSON = `[{"bn":"/3/0/","n":"0","vs":"Open Mobile Alliance"},{"n":"1","vs":"Lightweight M2M Client"},{"n":"2","vs":"345000123"},{"n":"3","vs":"1.0"},{"n":"6/0","v":1},{"n":"6/1","v":5},{"n":"7/0","v":3800},{"n":"7/1","v":5000},{"n":"8/0","v":125},{"n":"8/1","v":900},{"n":"9","v":100},{"n":"10","v":15},{"n":"11/0","v":0},{"n":"13","v":1367491215},{"n":"14","vs":"+02:00"},{"n":"16","vs":"U"}]`
	senmlSeriesJSON = `[{"bn":"/72/","bt":25462634,"n":"1/2","v":22.4,"t":-5},{"n":"1/2","v":22.9,"t":-30},{"n":"1/2","v":24.1,"t":-50}]`
	senmlDeviceCBOR = "90a321652f332f302f00613003744f70656e204d6f62696c6520416c6c69616e6365a200613103764c69676874776569676874204d324d20436c69656e74a20061320369333435303030313233a20061330363312e30a20063362f300201a20063362f310205a20063372f3002190ed8a20063372f3102191388a20063382f3002187da20063382f3102190384a2006139021864a200623130020fa2006431312f300200a200623133021a5182428fa20062313403662b30323a3030a200623136036155"
	senmlSeriesCBOR = "83a521642f37322f221a0184876a0063312f3202fb40366666666666660624a30063312f3202fb4036e6666666666606381da30063312f3202fb403819999999999a063831"
)

// senmlCase is one SenML payload of the comparison.
type senmlCase struct {
	name string
	cbor bool
	base path.Path
	wire []byte
}

func senmlCases(tb testing.TB) []*senmlCase {
	unhex := func(s string) []byte {
		b, err := hex.DecodeString(s)
		if err != nil {
			tb.Fatal(err)
		}
		return b
	}
	return []*senmlCase{
		{name: "senml-json-device-3-0", base: path.Instance(3, 0), wire: []byte(senmlDeviceJSON)},
		{name: "senml-json-series", base: path.Object(72), wire: []byte(senmlSeriesJSON)},
		{name: "senml-cbor-device-3-0", cbor: true, base: path.Instance(3, 0), wire: unhex(senmlDeviceCBOR)},
		{name: "senml-cbor-series", cbor: true, base: path.Object(72), wire: unhex(senmlSeriesCBOR)},
	}
}

var coreModels = lwm2m.CoreRegistry()

// senmlIot decodes with lwm2m/senml, reusing its decoders and resolver.
type senmlIot struct {
	jd   senml.JSONDecoder
	cd   senml.CBORDecoder
	z    senml.Resolver
	recs []senml.Resolved
}

func (s *senmlIot) decode(c *senmlCase) error {
	s.recs = s.recs[:0]
	s.z.Reset(c.base, coreModels)
	keep := func(r senml.Resolved) error { s.recs = append(s.recs, r); return nil }
	if c.cbor {
		s.cd.Reset(c.wire, senml.Limits{})
		return s.cd.Resolve(&s.z, keep)
	}
	s.jd.Reset(c.wire, senml.Limits{})
	return s.jd.Resolve(&s.z, keep)
}

func (s *senmlIot) encode(dst []byte, c *senmlCase) ([]byte, error) {
	if c.cbor {
		return senml.EncodeCBOR(dst, c.base, s.recs)
	}
	return senml.EncodeJSON(dst, c.base, s.recs)
}

// flat converts resolved records for comparison with the peers.
func (s *senmlIot) flat() []senmlFlat {
	var out []senmlFlat
	for _, r := range s.recs {
		f := senmlFlat{Name: r.Path.String()}
		if r.HasTime {
			f.Time = r.Time
		}
		v := r.Value
		switch v.Type() {
		case lwm2m.String:
			b, _ := v.Bytes()
			f.Kind, f.Val = "vs", string(b)
		case lwm2m.Integer:
			i, _ := v.Integer()
			f.Kind, f.Val = "v", strconv.FormatInt(i, 10)
		case lwm2m.Time:
			i, _ := v.Time()
			f.Kind, f.Val = "v", strconv.FormatInt(i, 10)
		case lwm2m.Float:
			x, _ := v.Float()
			f.Kind, f.Val = "v", fmtNum(x)
		case lwm2m.Boolean:
			x, _ := v.Bool()
			f.Kind, f.Val = "vb", strconv.FormatBool(x)
		default:
			f.Kind, f.Val = "?", v.Type().String()
		}
		out = append(out, f)
	}
	return out
}

// senmlPeerRecs returns the peer's records of case c, decoded once.
func senmlPeerJSON(tb testing.TB, c *senmlCase) []senmlJSONRec {
	recs, err := jsonDecodeRecs(c.wire, nil)
	if err != nil {
		tb.Fatal(err)
	}
	return recs
}

func senmlPeerCBOR(tb testing.TB, c *senmlCase) []senmlCBORRec {
	recs, err := cborDecodeRecs(c.wire, nil)
	if err != nil {
		tb.Fatal(err)
	}
	return recs
}

// runSenML runs the SenML cases: iotwire against encoding/json (JSON) or
// fxamacker/cbor (CBOR).
func runSenML(b *testing.B, encode bool) {
	for _, c := range senmlCases(b) {
		b.Run("msg="+c.name, func(b *testing.B) {
			b.Run("impl=iotwire", func(b *testing.B) {
				b.ReportAllocs()
				b.SetBytes(int64(len(c.wire)))
				var s senmlIot
				if err := s.decode(c); err != nil {
					b.Fatal(err)
				}
				if encode {
					buf := make([]byte, 0, 1024)
					for b.Loop() {
						var err error
						if buf, err = s.encode(buf[:0], c); err != nil {
							b.Fatal(err)
						}
					}
					return
				}
				for b.Loop() {
					if err := s.decode(c); err != nil {
						b.Fatal(err)
					}
				}
			})
			peer := "encoding-json"
			if c.cbor {
				peer = "fxamacker-cbor"
			}
			b.Run("impl="+peer, func(b *testing.B) {
				b.ReportAllocs()
				b.SetBytes(int64(len(c.wire)))
				var buf bytes.Buffer
				switch {
				case c.cbor && encode:
					recs := senmlPeerCBOR(b, c)
					for b.Loop() {
						if err := cborEncodeRecs(&buf, recs); err != nil {
							b.Fatal(err)
						}
					}
				case c.cbor:
					recs := senmlPeerCBOR(b, c)
					for b.Loop() {
						var err error
						if recs, err = cborDecodeRecs(c.wire, recs); err != nil {
							b.Fatal(err)
						}
					}
				case encode:
					recs := senmlPeerJSON(b, c)
					for b.Loop() {
						if err := jsonEncodeRecs(&buf, recs); err != nil {
							b.Fatal(err)
						}
					}
				default:
					recs := senmlPeerJSON(b, c)
					for b.Loop() {
						var err error
						if recs, err = jsonDecodeRecs(c.wire, recs); err != nil {
							b.Fatal(err)
						}
					}
				}
			})
		})
	}
}

// TestSameSenML checks that iotwire and the peer read the same records
// (names resolved with bn, values, times) from every case, and that what
// each one encodes decodes with lwm2m/senml to the same records.
func TestSameSenML(t *testing.T) {
	for _, c := range senmlCases(t) {
		t.Run(c.name, func(t *testing.T) {
			var s senmlIot
			if err := s.decode(c); err != nil {
				t.Fatal(err)
			}
			ours := s.flat()
			var peer []senmlFlat
			var peerOut bytes.Buffer
			if c.cbor {
				recs := senmlPeerCBOR(t, c)
				peer = flattenCBOR(recs)
				if err := cborEncodeRecs(&peerOut, recs); err != nil {
					t.Fatal(err)
				}
			} else {
				recs := senmlPeerJSON(t, c)
				peer = flattenJSON(recs)
				if err := jsonEncodeRecs(&peerOut, recs); err != nil {
					t.Fatal(err)
				}
			}
			if !reflect.DeepEqual(ours, peer) {
				t.Fatalf("records differ:\niotwire %+v\npeer    %+v", ours, peer)
			}
			out, err := s.encode(nil, c)
			if err != nil {
				t.Fatal(err)
			}
			for _, enc := range [][]byte{out, bytes.TrimSpace(peerOut.Bytes())} {
				var d senmlIot
				cc := *c
				cc.wire = enc
				if err := d.decode(&cc); err != nil {
					t.Fatalf("%s: %v", enc, err)
				}
				if got := d.flat(); !reflect.DeepEqual(got, ours) {
					t.Errorf("%s decodes to\n%+v\nwant %+v", fmt.Sprintf("%q", enc), got, ours)
				}
			}
		})
	}
}
