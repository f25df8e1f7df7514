package tlv_test

import (
	"bytes"
	"encoding/hex"
	"fmt"

	"github.com/iotwire/iotwire/lwm2m"
	"github.com/iotwire/iotwire/lwm2m/path"
	"github.com/iotwire/iotwire/lwm2m/tlv"
)

// A Read of /3/0/7 (Power Source Voltage) answered by Wakaama: one
// Multiple Resource TLV with two Resource Instances.
var voltages, _ = hex.DecodeString("88070842000ed842011388")

func ExampleDecode() {
	reg := lwm2m.CoreRegistry()
	err := tlv.Decode(voltages, path.Resource(3, 0, 7), reg, func(p path.Path, v lwm2m.Value) error {
		mv, _ := v.Integer()
		fmt.Println(p, v.Type(), mv)
		return nil
	})
	fmt.Println(err)
	// Output:
	// /3/0/7/0 integer 3800
	// /3/0/7/1 integer 5000
	// <nil>
}

func ExampleValues() {
	// Write to /3/0: Current Time (13) and UTC Offset (14).
	payload, _ := hex.DecodeString("c40d5182428fc60e2b30323a3030")
	it := tlv.NewValues(payload, path.Instance(3, 0), lwm2m.CoreRegistry(), tlv.Limits{})
	for it.Next() {
		switch v := it.Value(); v.Type() {
		case lwm2m.Time:
			sec, _ := v.Time()
			fmt.Println(it.Path(), "time", sec)
		case lwm2m.String:
			s, _ := v.Bytes()
			fmt.Printf("%v string %q\n", it.Path(), s)
		}
	}
	fmt.Println(it.Err())
	// Output:
	// /3/0/13 time 1367491215
	// /3/0/14 string "+02:00"
	// <nil>
}

func ExampleReader() {
	r := tlv.NewReader(voltages, path.Resource(3, 0, 7), tlv.Limits{})
	for e, ok := r.Next(); ok; e, ok = r.Next() {
		fmt.Println(e.Kind, e.ID, "at", e.Offset)
		c := r.Children()
		for ce, ok := c.Next(); ok; ce, ok = c.Next() {
			fmt.Printf("  %v %d = % x\n", ce.Kind, ce.ID, ce.Value)
		}
	}
	fmt.Println(r.Err())

	// A bad payload: Resource 65535 is MAX_ID.
	r = tlv.NewReader([]byte{0xe1, 0xff, 0xff, 0x00}, path.Instance(3, 0), tlv.Limits{})
	r.Next()
	fmt.Println(r.Err())
	// Output:
	// multiple resource 7 at 0
	//   resource instance 0 = 0e d8
	//   resource instance 1 = 13 88
	// <nil>
	// tlv: identifier at offset 1: 65535 is reserved [LwM2M Core 7.1: MAX_ID 65535 is reserved]
}

func ExampleWriter() {
	var w tlv.Writer
	w.Reset(make([]byte, 0, 64))
	w.Begin(tlv.ObjectInstance, 0)
	w.Value(tlv.Resource, 0, lwm2m.IntegerValue(1))          // Short Server ID
	w.Value(tlv.Resource, 1, lwm2m.IntegerValue(86400))      // Lifetime
	w.Value(tlv.Resource, 6, lwm2m.BoolValue(true))          // Notification Storing
	w.Value(tlv.Resource, 7, lwm2m.StringValue([]byte("U"))) // Binding
	w.End()
	out, err := w.Bytes()
	fmt.Printf("%x %v\n", out, err)
	// Output:
	// 08000fc10001c40100015180c10601c10755 <nil>
}

// Decode -> modify -> Encode. Decoded strings alias the payload: copy what
// must outlive it.
func ExampleEncode() {
	payload, _ := hex.DecodeString("c800144f70656e204d6f62696c6520416c6c69616e6365c10964")
	base := path.Instance(3, 0)
	var recs []tlv.Record
	err := tlv.Decode(payload, base, lwm2m.CoreRegistry(), func(p path.Path, v lwm2m.Value) error {
		if p == path.Resource(3, 0, 9) { // Battery Level
			v = lwm2m.IntegerValue(42)
		}
		recs = append(recs, tlv.Record{Path: p, Value: v})
		return nil
	})
	if err != nil {
		panic(err)
	}
	manufacturer, _ := recs[0].Value.Bytes()
	kept := bytes.Clone(manufacturer) // survives reuse of payload
	out, err := tlv.Encode(nil, base, recs)
	clear(payload)
	fmt.Printf("%x %v %s\n", out[len(out)-3:], err, kept)
	// Output:
	// c1092a <nil> Open Mobile Alliance
}

func ExampleAppendValue() {
	for _, v := range []lwm2m.Value{
		lwm2m.IntegerValue(-1), lwm2m.IntegerValue(3800), lwm2m.UnsignedValue(200),
		lwm2m.FloatValue(1.5), lwm2m.FloatValue(0.1), lwm2m.ObjlnkValue(lwm2m.ObjLink{Object: 66, Instance: 1}),
	} {
		b, _ := tlv.AppendValue(nil, v)
		back, _ := tlv.DecodeValue(v.Type(), b)
		fmt.Printf("%-8v % x %v\n", v.Type(), b, back.Equal(v))
	}
	// Output:
	// integer  ff true
	// integer  0e d8 true
	// unsigned c8 true
	// float    3f c0 00 00 true
	// float    3f b9 99 99 99 99 99 9a true
	// objlnk   00 42 00 01 true
}
