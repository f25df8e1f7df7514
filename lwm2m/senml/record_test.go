package senml

import (
	"math"
	"testing"
)

func TestNumber(t *testing.T) {
	for _, c := range []struct {
		n       Number
		float   bool
		f       float64
		i       int64
		iok     bool
		u       uint64
		uok     bool
		comment string
	}{
		{Number{}, false, 0, 0, true, 0, true, "zero value is integer 0"},
		{IntNumber(-5), false, -5, -5, true, 0, false, ""},
		{UintNumber(7), false, 7, 7, true, 7, true, "small uint is an int"},
		{UintNumber(math.MaxUint64), false, 1 << 64, 0, false, math.MaxUint64, true, ""},
		{FloatNumber(20), true, 20, 20, true, 20, true, "integral float"},
		{FloatNumber(-0.5), true, -0.5, 0, false, 0, false, ""},
		{FloatNumber(1 << 63), true, 1 << 63, 0, false, 1 << 63, true, "2^63 fits uint64 only"},
		{FloatNumber(-(1 << 63)), true, -(1 << 63), math.MinInt64, true, 0, false, ""},
		{FloatNumber(1 << 64), true, 1 << 64, 0, false, 0, false, ""},
		{FloatNumber(math.NaN()), true, math.NaN(), 0, false, 0, false, ""},
	} {
		if c.n.IsFloat() != c.float {
			t.Errorf("%+v: IsFloat", c.n)
		}
		if f := c.n.Float(); f != c.f && !(math.IsNaN(f) && math.IsNaN(c.f)) {
			t.Errorf("%+v: Float %v", c.n, f)
		}
		if i, ok := c.n.Int(); ok != c.iok || ok && i != c.i {
			t.Errorf("%+v: Int %v %v", c.n, i, ok)
		}
		if u, ok := c.n.Uint(); ok != c.uok || ok && u != c.u {
			t.Errorf("%+v: Uint %v %v", c.n, u, ok)
		}
	}
	if UintNumber(3) != IntNumber(3) || FloatNumber(0) == IntNumber(0) || FloatNumber(0) == FloatNumber(math.Copysign(0, -1)) {
		t.Error("comparison")
	}
}

func TestNumberAdd(t *testing.T) {
	for _, c := range []struct{ a, b, want Number }{
		{IntNumber(1), IntNumber(2), IntNumber(3)},
		{IntNumber(-1), IntNumber(-2), IntNumber(-3)},
		{IntNumber(math.MaxInt64), IntNumber(1), UintNumber(1 << 63)},
		{IntNumber(math.MinInt64), IntNumber(-1), FloatNumber(-(1 << 63) - 1)},
		{UintNumber(math.MaxUint64), IntNumber(-1), UintNumber(math.MaxUint64 - 1)},
		{IntNumber(-1), UintNumber(math.MaxUint64), UintNumber(math.MaxUint64 - 1)},
		{UintNumber(math.MaxUint64), IntNumber(1), FloatNumber(1 << 64)},
		{UintNumber(1 << 63), IntNumber(math.MinInt64), IntNumber(0)},
		{IntNumber(1), FloatNumber(0.5), FloatNumber(1.5)},
		{FloatNumber(1e308), FloatNumber(1e308), FloatNumber(math.Inf(1))},
	} {
		if got := c.a.add(c.b); got != c.want {
			t.Errorf("%+v + %+v = %+v, want %+v", c.a, c.b, got, c.want)
		}
	}
}

func TestFieldLabels(t *testing.T) {
	for i := range numFields {
		f := Field(1) << i
		if fieldByLabel(f.Label()) != f || fieldIndex(f) != i {
			t.Errorf("field %d: %q", i, f.Label())
		}
	}
	if (BaseName|Name).Label() != "" || Field(0).Label() != "" || fieldByLabel("x") != 0 || fieldIndex(3) != -1 {
		t.Error("not a single field")
	}
	if ObjLinkValue != 1<<15 || BaseVersion != 1<<5 || Name != 1<<6 {
		t.Error("field bits moved")
	}
	r := Record{Fields: Name | Value}
	if !r.Has(Name) || !r.Has(Name|Value) || r.Has(Name|Time) {
		t.Error("Has")
	}
}

func TestLimits(t *testing.T) {
	var l Limits
	if l.maxRecords() != DefaultMaxRecords || l.maxDepth() != DefaultMaxDepth || l.maxStringLen() != DefaultMaxStringLen {
		t.Error("defaults")
	}
	l = Limits{MaxRecords: 3, MaxDepth: 2, MaxStringLen: 10}
	if l.maxRecords() != 3 || l.maxDepth() != 2 || l.maxStringLen() != 10 {
		t.Error("set")
	}
	l = Limits{MaxRecords: -1, MaxDepth: 65, MaxStringLen: 1<<30 + 1}
	if l.maxRecords() != DefaultMaxRecords || l.maxDepth() != DefaultMaxDepth || l.maxStringLen() != DefaultMaxStringLen {
		t.Error("out of range")
	}
}
