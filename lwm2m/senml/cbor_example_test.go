package senml_test

import (
	"encoding/hex"
	"fmt"

	"github.com/iotwire/iotwire/lwm2m"
	"github.com/iotwire/iotwire/lwm2m/path"
	"github.com/iotwire/iotwire/lwm2m/senml"
)

func ExampleDecodeCBOR() {
	// Wakaama's answer to a Read of /31024/10 (Accept: 112): bn
	// "/31024/10/", then 1 = 20, 3 = -30.0 as a half float, 5 = "".
	payload, _ := hex.DecodeString("83a3216a2f33313032342f31302f0061310214a200613302f9cf80a20061350360")
	err := senml.DecodeCBOR(payload, path.Instance(31024, 10), nil, func(r senml.Resolved) error {
		fmt.Println(r.Path, r.Value.Type())
		return nil
	})
	fmt.Println(err)
	// Output:
	// /31024/10/1 integer
	// /31024/10/3 float
	// /31024/10/5 string
	// <nil>
}

func ExampleCBORDecoder() {
	// Leshan writes bt as a decimal fraction, 4([0, 500000004]).
	payload, _ := hex.DecodeString("81a321662f302f302f3022c482001a1dcd6504036c53616d706c65537472696e67")
	var d senml.CBORDecoder
	d.Reset(payload, senml.Limits{})
	for r, ok := d.Next(); ok; r, ok = d.Next() {
		bt, _ := r.BaseTime.Int()
		fmt.Printf("bn %q bt %d vs %q\n", r.BaseName, bt, r.String)
	}
	fmt.Println(d.Err())

	// Labels ending in '_' must be understood (RFC 8428 4.4).
	d.Reset([]byte{0x81, 0xa1, 0x62, 'x', '_', 0x01}, senml.Limits{})
	d.Next()
	fmt.Println(d.Err())
	// Output:
	// bn "/0/0/0" bt 500000004 vs "SampleString"
	// <nil>
	// senml: record at offset 2: unknown label ending in '_' [RFC 8428 4.4: an unknown label ending in '_' MUST cause an error]
}

func ExampleEncodeCBOR() {
	recs := []senml.Resolved{
		{Path: path.Resource(3, 0, 0), Value: lwm2m.StringValue([]byte("OMA"))},
		{Path: path.Resource(3, 0, 9), Value: lwm2m.IntegerValue(95)},
		{Path: path.Resource(6, 0, 0), Value: lwm2m.FloatValue(-30)},
	}
	// A base name "/" would save no byte: each record has its full name,
	// and -30.0 is a half float.
	out, err := senml.EncodeCBOR(nil, path.Path{}, recs)
	fmt.Printf("%x %v\n", out, err)
	// Output:
	// 83a200662f332f302f3003634f4d41a200662f332f302f3902185fa200662f362f302f3002f9cf80 <nil>
}

func ExampleAppendCBOR() {
	recs := []senml.Record{
		{Fields: senml.BaseName | senml.Name | senml.Value, BaseName: []byte("/3/0/"), Name: []byte("9"), Value: senml.IntNumber(95)},
		{Fields: senml.Name | senml.Value | senml.Time, Name: []byte("9"), Value: senml.FloatNumber(94.5), Time: senml.IntNumber(-60)},
	}
	// [{-2: "/3/0/", 0: "9", 2: 95}, {0: "9", 2: 94.5 (f9 55e8), 6: -60}]
	out, err := senml.AppendCBOR(nil, recs)
	fmt.Printf("%x %v\n", out, err)
	// Output:
	// 82a321652f332f302f00613902185fa300613902f955e806383b <nil>
}
