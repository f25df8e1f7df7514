package lwjson

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
	device  []byte // vector lwjson_device_3_0_leshan
	base    path.Path
	reg     *lwm2m.Registry
	recs    []Record
	escaped []byte // escapes and an Opaque value: the scratch buffer
	many    []byte // 40 entries: the duplicate index
	bad     []byte // vector lwjson_invalid_duplicate_resource_leshan
	buf     []byte
	dec     Decoder
}

func newFixture(tb testing.TB) *fixture {
	f := &fixture{
		device:  []byte(codectest.VectorByName(tb, "lwjson_device_3_0_leshan").Text),
		base:    path.Instance(3, 0),
		reg:     lwm2m.CoreRegistry(),
		escaped: []byte(`{"bn":"/0/0/","e":[{"n":"0","sv":"coaps:\/\/leshan.eclipseprojects.io:5684"},{"n":"3","sv":"MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gunVTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxKLxoS2tFczGkPLPgizskuemMghRniWaoLcyehkd3qqGElvW/VDL5AaWTg0nLVkjRo9z+40RQzuVaE8AkAFmxZzow3x+VJYKdjykkJ0iT9wCS0DRTXu269V264Vf/3jvredZiKRkgwlL9xNAwxXFg0x/XFw005UWVRIkdgcKWTjpBP2dPwVZ4WWC+9aGVd+Gyn1o0CLelf4rEjGoXbAAEgAqeGUxrcIlbjXfbcmw=="}]}`),
		bad:     []byte(codectest.VectorByName(tb, "lwjson_invalid_duplicate_resource_leshan").Text),
	}
	var err error
	if f.recs, err = decodeAll(f.device, f.base, f.reg); err != nil {
		tb.Fatal(err)
	}
	var b strings.Builder
	b.WriteString(`{"bn":"/31024/0/","e":[{"n":"0","v":0}`)
	for i := 1; i < 40; i++ {
		b.WriteString(`,{"n":"` + strconv.Itoa(i) + `","v":` + strconv.Itoa(i) + `}`)
	}
	f.many = []byte(b.String() + "]}")
	f.buf = make([]byte, 0, 2*len(f.device))
	for _, in := range [][]byte{f.escaped, f.many} {
		f.reuse(tb, in, path.Path{}, -1)
	}
	return f
}

func (f *fixture) decode(tb testing.TB) {
	n := 0
	if err := Decode(f.device, f.base, f.reg, func(Record) error { n++; return nil }); err != nil || n != 16 {
		tb.Fatal(n, err)
	}
}

// reuse decodes in with the fixture's Decoder.
func (f *fixture) reuse(tb testing.TB, in []byte, base path.Path, want int) {
	f.dec.Reset(in, base, f.reg, Limits{})
	n := 0
	for _, ok := f.dec.Next(); ok; _, ok = f.dec.Next() {
		n++
	}
	if err := f.dec.Err(); err != nil || want >= 0 && n != want {
		tb.Fatal(n, err)
	}
}

func (f *fixture) encode(tb testing.TB) {
	var err error
	if f.buf, err = Encode(f.buf[:0], f.base, f.recs); err != nil || len(f.buf) != len(f.device) {
		tb.Fatal(err)
	}
}
