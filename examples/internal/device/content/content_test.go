package content

import (
	"testing"

	"github.com/iotwire/iotwire/coapmsg"
	"github.com/iotwire/iotwire/lwm2m"
	"github.com/iotwire/iotwire/lwm2m/path"
)

// TestRoundTrip encodes the Device Object instance in every format and
// decodes it back.
func TestRoundTrip(t *testing.T) {
	reg := lwm2m.CoreRegistry()
	recs := []Record{
		{Path: path.Resource(3, 0, 0), Value: lwm2m.StringValue([]byte("iotwire"))},
		{Path: path.ResourceInstance(3, 0, 6, 0), Value: lwm2m.IntegerValue(1)},
		{Path: path.ResourceInstance(3, 0, 6, 1), Value: lwm2m.IntegerValue(5)},
		{Path: path.Resource(3, 0, 9), Value: lwm2m.IntegerValue(87)},
		{Path: path.Resource(3, 0, 13), Value: lwm2m.TimeValue(1700000000)},
	}
	base := path.Instance(3, 0)
	for _, f := range append([]coapmsg.MediaType{coapmsg.AppLwM2MTLVOld}, Formats...) {
		b, err := Encode(nil, f, base, recs)
		if err != nil {
			t.Fatalf("%v: %v", f, err)
		}
		got, err := Decode(f, base, reg, b)
		if err != nil {
			t.Fatalf("%v: decode: %v", f, err)
		}
		if len(got) != len(recs) {
			t.Fatalf("%v: %d records", f, len(got))
		}
		for i := range recs {
			if got[i].Path != recs[i].Path || !got[i].Value.Equal(recs[i].Value) {
				t.Errorf("%v: record %d: %v %v", f, i, got[i].Path, got[i].Value)
			}
		}
		cl := Clone(got)
		if !cl[0].Value.Equal(recs[0].Value) {
			t.Errorf("%v: clone", f)
		}
	}
}

func TestSingle(t *testing.T) {
	reg := lwm2m.CoreRegistry()
	p := path.Resource(3, 0, 9)
	for _, f := range []coapmsg.MediaType{coapmsg.TextPlain, coapmsg.AppCBOR} {
		b, err := Encode(nil, f, p, []Record{{Path: p, Value: lwm2m.IntegerValue(42)}})
		if err != nil {
			t.Fatal(err)
		}
		got, err := Decode(f, p, reg, b)
		if err != nil || len(got) != 1 || !got[0].Value.Equal(lwm2m.IntegerValue(42)) {
			t.Errorf("%v: %v %v", f, got, err)
		}
	}
	if _, err := Decode(coapmsg.TextPlain, path.Resource(3, 0, 11), reg, []byte("0")); err == nil {
		t.Error("text for a multiple resource accepted")
	}
	if _, err := Encode(nil, coapmsg.TextPlain, path.Instance(3, 0), nil); err == nil {
		t.Error("text for an instance accepted")
	}
	if _, err := Decode(coapmsg.AppJSON, p, reg, []byte("1")); err == nil {
		t.Error("application/json accepted")
	}
}
