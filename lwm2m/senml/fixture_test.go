package senml

import (
	"strconv"
	"strings"
	"testing"

	"github.com/iotwire/iotwire/internal/codectest"
	"github.com/iotwire/iotwire/lwm2m"
	"github.com/iotwire/iotwire/lwm2m/path"
)

// The fixture is shared by the allocation tests, the benchmarks and the
// fuzz targets; it lives outside allocs_test.go, which the noopt tag leaves out.

// The shared bodies of the allocation tests and the benchmarks.
type fixture struct {
	device  []byte // vector senml_json_device_3_0_spec
	base    path.Path
	reg     *lwm2m.Registry
	recs    []Resolved
	raw     []Record
	escaped []byte // escapes and vd: the scratch buffer
	many    []byte // 40 records: the duplicate index
	bad     []byte // vector senml_json_invalid_duplicate_resource
	buf     []byte
	dec     JSONDecoder
	z       Resolver
}

func newFixture(tb testing.TB) *fixture {
	f := &fixture{
		device: []byte(codectest.VectorByName(tb, "senml_json_device_3_0_spec").Text),
		base:   path.Instance(3, 0),
		reg:    lwm2m.CoreRegistry(),
		escaped: []byte(`[{"bn":"/3/0/","n":"0","vs":"Open \"Mobile\" Alliance"},{"n":"1","vs":"caf\u00e9"},` +
			`{"n":"2","vs":"\ud83d\ude00"},{"bn":"/0/0/","n":"3","vd":"MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gunVTLw7onLRnrq0_IzW7yWR7QkrmBL7jTKEn5u-qKhbwKfBstIs-bMY2Zkp18gnTxKLxoS2tFczGkPLPgizskuemMghRniWaoLcyehkd3qqGElvW_VDL5AaWTg0nLVkjRo9z-40RQzuVaE8AkAFmxZzow3x-VJYKdjykkJ0iT9wCS0DRTXu269V264Vf_3jvredZiKRkgwlL9xNAwxXFg0x_XFw005UWVRIkdgcKWTjpBP2dPwVZ4WWC-9aGVd-Gyn1o0CLelf4rEjGoXbAAEgAqeGUxrcIlbjXfbcmw"}]`),
		bad: []byte(codectest.VectorByName(tb, "senml_json_invalid_duplicate_resource").Text),
	}
	var err error
	if f.recs, err = decodeAllJSON(f.device, f.base, f.reg); err != nil {
		tb.Fatal(err)
	}
	if f.raw, err = rawRecords(f.device, Limits{}); err != nil {
		tb.Fatal(err)
	}
	var b strings.Builder
	b.WriteString(`[{"bn":"/31024/0/","n":"0","v":0}`)
	for i := 1; i < 40; i++ {
		b.WriteString(`,{"n":"` + strconv.Itoa(i) + `","v":` + strconv.Itoa(i) + `}`)
	}
	f.many = []byte(b.String() + "]")
	f.buf = make([]byte, 0, 2*len(f.device))
	// Warm the reusable decoder and resolver on every input.
	for _, in := range [][]byte{f.escaped, f.many} {
		f.reuse(tb, in, -1)
	}
	return f
}

func (f *fixture) decode(tb testing.TB) {
	n := 0
	if err := DecodeJSON(f.device, f.base, f.reg, func(Resolved) error { n++; return nil }); err != nil || n != 16 {
		tb.Fatal(n, err)
	}
}

// reuse resolves in with the fixture's decoder and resolver.
func (f *fixture) reuse(tb testing.TB, in []byte, want int) {
	f.dec.Reset(in, Limits{})
	f.z.Reset(path.Path{}, f.reg)
	n := 0
	if err := f.dec.Resolve(&f.z, func(Resolved) error { n++; return nil }); err != nil || want >= 0 && n != want {
		tb.Fatal(n, err)
	}
}

func (f *fixture) next(tb testing.TB) {
	f.dec.Reset(f.device, Limits{})
	n := 0
	for _, ok := f.dec.Next(); ok; _, ok = f.dec.Next() {
		n++
	}
	if f.dec.Err() != nil || n != 16 {
		tb.Fatal(n, f.dec.Err())
	}
}

func (f *fixture) encode(tb testing.TB) {
	var err error
	if f.buf, err = EncodeJSON(f.buf[:0], f.base, f.recs); err != nil || len(f.buf) != len(f.device) {
		tb.Fatal(err)
	}
}

func (f *fixture) append(tb testing.TB) {
	var err error
	if f.buf, err = AppendJSON(f.buf[:0], f.raw); err != nil || len(f.buf) != len(f.device) {
		tb.Fatal(err)
	}
}
