package link

import (
	"errors"
	"math"
	"slices"
	"strings"
	"testing"
)

func firstLink(tb testing.TB, in string) Link {
	tb.Helper()
	r := NewReader([]byte(in))
	if !r.Next() {
		tb.Fatalf("%q: %v", in, r.Err())
	}
	return r.Link()
}

func attrsOf(tb testing.TB, in string) (Attrs, error) {
	tb.Helper()
	return firstLink(tb, in).Attrs()
}

func TestAttrsVectors(t *testing.T) {
	// LwM2M Core Discover on /3/0/7.
	a, err := attrsOf(t, `</3/0/7>;dim=8;pmin=10;pmax=60;gt=50;lt=42.2`)
	if err != nil || a.Set != AttrDim|AttrPmin|AttrPmax|AttrGt|AttrLt ||
		a.Dim != 8 || a.Pmin != 10 || a.Pmax != 60 || a.Gt != 50 || a.Lt != 42.2 {
		t.Errorf("discover: %+v %v", a, err)
	}
	if a.Set.String() != "dim|pmin|pmax|gt|lt" {
		t.Error(a.Set.String())
	}
	// The root link of a Register payload.
	a, err = attrsOf(t, `</>;rt="oma.lwm2m";ct=11543`)
	if err != nil || !a.HasResourceType(ResourceTypeLwM2M) || a.HasResourceType("oma") {
		t.Errorf("root: %+v %v", a, err)
	}
	if ct, ok := a.ContentFormat(); !ok || ct != 11543 {
		t.Errorf("ct %d", ct)
	}
	// Bootstrap-Discover.
	a, err = attrsOf(t, `</>;lwm2m=1.1`)
	if err != nil || a.LwM2M != (Version{1, 1}) || !a.Has(AttrLwM2M) || a.Has(AttrVer) {
		t.Errorf("lwm2m: %+v %v", a, err)
	}
	a, err = attrsOf(t, `</0/0>;ssid=101;uri="coaps://server_1.example.com"`)
	if err != nil || a.SSID != 101 || string(a.URI) != "coaps://server_1.example.com" {
		t.Errorf("bootstrap: %+v %v", a, err)
	}
	// Register with an Object Version; quoted values are equivalent (RFC 8288 3).
	for _, in := range []string{`</1>;ver=1.1`, `</1>;ver="1.1"`, `</1>;ver="1\.1"`} {
		if a, err = attrsOf(t, in); err != nil || a.Ver != (Version{1, 1}) || a.Ver.String() != "1.1" {
			t.Errorf("%s: %+v %v", in, a, err)
		}
	}
	// LwM2M 1.2 notification attributes.
	a, err = attrsOf(t, `</3303/0/5700>;epmin=1;epmax=3600;st=0.5;edge=1;con=0;hqmax=10;gt=-12.75`)
	if err != nil || a.Epmin != 1 || a.Epmax != 3600 || a.St != 0.5 || !a.Edge || a.Con || a.Hqmax != 10 || a.Gt != -12.75 {
		t.Errorf("1.2: %+v %v", a, err)
	}
	// RFC 6690 and RFC 7252 attributes; unknown ones are skipped.
	a, err = attrsOf(t, `</sensors/temp>;rt="temperature-c http://example.com/t";if="sensor";ct="0 41  60";sz=262144;obs;anchor="/x";rel="describedby";rev=alternate;title="x"`)
	if err != nil || a.Sz != 262144 || string(a.If) != "sensor" || string(a.Anchor) != "/x" ||
		string(a.Rel) != "describedby" || string(a.Rev) != "alternate" || !a.HasResourceType("http://example.com/t") {
		t.Errorf("rfc6690: %+v %v", a, err)
	}
	var cts []uint16
	for it := a.ContentFormats(); it.Next(); {
		cts = append(cts, it.Value())
	}
	if !slices.Equal(cts, []uint16{0, 41, 60}) {
		t.Errorf("ct %v", cts)
	}
	// Bounds.
	a, err = attrsOf(t, `</a>;dim=255;ssid=65534;pmin=9223372036854775807;sz=18446744073709551615;ver=65535.0`)
	if err != nil || a.Dim != 255 || a.SSID != 65534 || a.Pmin != math.MaxInt64 || a.Sz != math.MaxUint64 || a.Ver.Major != 65535 {
		t.Errorf("bounds: %+v %v", a, err)
	}
	// Escaped values are unescaped for checking and kept raw.
	a, err = attrsOf(t, `</a>;pmin="1\0";rt="oma\.lwm2m";ct="\4\0 \6\0"`)
	if err != nil || a.Pmin != 10 || string(a.RT) != `oma\.lwm2m` || !a.HasResourceType("oma.lwm2m") {
		t.Errorf("escaped: %+v %v", a, err)
	}
	cts = cts[:0]
	for it := a.ContentFormats(); it.Next(); {
		cts = append(cts, it.Value())
	}
	if !slices.Equal(cts, []uint16{40, 60}) {
		t.Errorf("escaped ct %v", cts)
	}
	var none Attrs
	if _, ok := none.ContentFormat(); ok || none.HasResourceType("") {
		t.Error("zero Attrs")
	}
}

func TestAttrsErrors(t *testing.T) {
	for _, c := range []struct {
		in     string
		class  error
		field  string
		offset int
	}{
		{`</a>;dim=256`, ErrAttribute, "dim", 9},
		{`</a>;ssid=0`, ErrAttribute, "ssid", 10},
		{`</a>;ssid=65535`, ErrAttribute, "ssid", 10},
		{`</a>;pmin=-1`, ErrAttribute, "pmin", 10},
		{`</a>;pmin=01`, ErrAttribute, "pmin", 10},
		{`</a>;pmin=1.5`, ErrAttribute, "pmin", 10},
		{`</a>;pmax=9223372036854775808`, ErrAttribute, "pmax", 10},
		{`</a>;epmax=99999999999999999999`, ErrAttribute, "epmax", 11},
		{`</a>;gt=1e3`, ErrAttribute, "gt", 8},
		{`</a>;gt=.5`, ErrAttribute, "gt", 8},
		{`</a>;lt=5.`, ErrAttribute, "lt", 8},
		{`</a>;lt=+5`, ErrAttribute, "lt", 8},
		{`</a>;st=-1`, ErrAttribute, "st", 8},
		{`</a>;edge=2`, ErrAttribute, "edge", 10},
		{`</a>;con=true`, ErrAttribute, "con", 9},
		{`</a>;ver=1`, ErrAttribute, "ver", 9},
		{`</a>;ver=1.1.1`, ErrAttribute, "ver", 9},
		{`</a>;ver=01.1`, ErrAttribute, "ver", 9},
		{`</a>;lwm2m=1.65536`, ErrAttribute, "lwm2m", 11},
		{`</a>;pmin`, ErrAttribute, "pmin", 5},
		{`</a>;pmin=1;pmin=2`, ErrAttribute, "pmin", 12},
		{`</a>;rt="Temp"`, ErrAttribute, "rt", 9},
		{`</a>;rt=" a"`, ErrAttribute, "rt", 9},
		{`</a>;rt="a "`, ErrAttribute, "rt", 11},
		{`</a>;rt="a B"`, ErrAttribute, "rt", 11},
		{`</a>;rt=""`, ErrAttribute, "rt", 9},
		{`</a>;if="a_b"`, ErrAttribute, "if", 9},
		{`</a>;ct="0 65536"`, ErrAttribute, "ct", 11},
		{`</a>;ct=040`, ErrAttribute, "ct", 8},
		{`</a>;ct=""`, ErrAttribute, "ct", 9},
		{`</a>;ct="1,2"`, ErrAttribute, "ct", 9},
		{`</a>;sz=18446744073709551616`, ErrAttribute, "sz", 8},
		{`</a>;uri="/relative"`, ErrAttribute, "uri", 10},
		{`</a>;uri="coap://h/a b"`, ErrAttribute, "uri", 20},
		{`</a>;anchor="a b"`, ErrAttribute, "anchor", 14},
		{`</a>;anchor="a\ b"`, ErrAttribute, "anchor", 13}, // escaped: offset of the value
		{`</a>;rt="` + strings.Repeat(`\a`, 300) + `"`, ErrLimit, "rt", 9},
	} {
		_, err := attrsOf(t, c.in)
		var e *Error
		if !errors.Is(err, c.class) || !errors.As(err, &e) || e.Offset != c.offset || e.Field != c.field || e.Rule == "" {
			t.Errorf("%q: %v (want %s at %d)", c.in, err, c.field, c.offset)
		}
	}
}

func TestAttrString(t *testing.T) {
	for _, c := range []struct {
		a    Attr
		want string
	}{
		{0, "0"},
		{AttrPmin, "pmin"},
		{AttrAnchor, "anchor"},
		{AttrVer | AttrCT, "ver|ct"},
		{1 << 31, "0x80000000"},
		{AttrRT | 1<<30, "rt|0x40000000"},
	} {
		if got := c.a.String(); got != c.want {
			t.Errorf("%#x: %s", uint32(c.a), got)
		}
	}
	if len(attrDefs) != 22 || Attr(1)<<(len(attrDefs)-1) != AttrAnchor {
		t.Error("attrDefs and the Attr constants disagree")
	}
	for k := range attrDefs {
		if got := Attr(1 << k).String(); got != attrDefs[k].name || lookupAttr(got) != k {
			t.Errorf("attr %d: %s", k, got)
		}
	}
}
