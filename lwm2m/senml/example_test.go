package senml_test

import (
	"fmt"

	"github.com/iotwire/iotwire/lwm2m"
	"github.com/iotwire/iotwire/lwm2m/path"
	"github.com/iotwire/iotwire/lwm2m/senml"
)

// A Read-Composite response (LwM2M Core 1.1 Table 7.4.4-7, as Wakaama
// tests it): full paths in n, typed by the core object models.
const composite = `[{"n":"/3/0/0","vs":"Open Mobile Alliance"},{"n":"/3/0/9","v":95},{"n":"/1/0/1","v":86400}]`

func ExampleDecodeJSON() {
	reg := lwm2m.CoreRegistry()
	var recs []senml.Resolved
	err := senml.DecodeJSON([]byte(composite), path.Path{}, reg, func(r senml.Resolved) error {
		recs = append(recs, r) // values alias the payload: keep it while recs is used
		return nil
	})
	fmt.Println(err)
	for _, r := range recs {
		switch v := r.Value; v.Type() {
		case lwm2m.String:
			s, _ := v.Bytes()
			fmt.Printf("%v %q\n", r.Path, s)
		case lwm2m.Integer:
			i, _ := v.Integer()
			fmt.Println(r.Path, i)
		}
	}
	// Output:
	// <nil>
	// /3/0/0 "Open Mobile Alliance"
	// /3/0/9 95
	// /1/0/1 86400
}

func ExampleEncodeJSON() {
	// A timestamped notification of a temperature (IPSO 3303, resource
	// 5700): a base name and a base time shorten the pack.
	recs := []senml.Resolved{
		{Path: path.Resource(3303, 0, 5700), Value: lwm2m.FloatValue(22.4), Time: 1700000000, HasTime: true},
		{Path: path.Resource(3303, 0, 5700), Value: lwm2m.FloatValue(22.9), Time: 1700000030, HasTime: true},
		{Path: path.Resource(3303, 0, 5700), Value: lwm2m.FloatValue(23.0), Time: 1700000060, HasTime: true},
	}
	out, err := senml.EncodeJSON(nil, path.Path{}, recs)
	fmt.Println(string(out), err)
	// Output:
	// [{"bn":"/3303/0/5700","bt":1700000000,"v":22.4},{"v":22.9,"t":30},{"v":23.0,"t":60}] <nil>
}

func ExampleJSONDecoder() {
	// The raw records, as on the wire, with a reusable decoder; then a
	// Resolver turns them into paths and values.
	payload := []byte(`[{"bn":"/3/0/","bt":1367491215,"n":"7/0","v":3800},{"n":"7/1","v":5000,"t":1}]`)
	var d senml.JSONDecoder
	d.Reset(payload, senml.Limits{})
	for r, ok := d.Next(); ok; r, ok = d.Next() {
		fmt.Printf("bn=%q n=%q v=%v t=%v\n", r.BaseName, r.Name, r.Value.Float(), r.Time.Float())
	}
	fmt.Println(d.Err())

	var z senml.Resolver
	z.Reset(path.Instance(3, 0), lwm2m.CoreRegistry())
	d.Reset(payload, senml.Limits{})
	err := d.Resolve(&z, func(r senml.Resolved) error {
		mv, _ := r.Value.Integer()
		fmt.Println(r.Path, r.Value.Type(), mv, "at", r.Time)
		return nil
	})
	fmt.Println(err)

	// A string for an Integer resource is an error, with its offset.
	d.Reset([]byte(`[{"n":"/3/0/9","vs":"95"}]`), senml.Limits{})
	z.Reset(path.Path{}, lwm2m.CoreRegistry())
	fmt.Println(d.Resolve(&z, func(senml.Resolved) error { return nil }))
	// Output:
	// bn="/3/0/" n="7/0" v=3800 t=0
	// bn="" n="7/1" v=5000 t=1
	// <nil>
	// /3/0/7/0 integer 3800 at 1.367491215e+09
	// /3/0/7/1 integer 5000 at 1.367491216e+09
	// <nil>
	// senml: vs /3/0/9 at offset 15: an integer resource takes v [LwM2M Core 7.4.5: the value field follows the resource type]
}

func ExampleAppendJSON() {
	// Raw records keep their numbers as sent: an integer stays one, and a
	// float keeps a fraction or exponent.
	recs := []senml.Record{
		{Fields: senml.BaseName | senml.Name | senml.Value, BaseName: []byte("/6/0/"), Name: []byte("0"), Value: senml.FloatNumber(-39)},
		{Fields: senml.Name | senml.Value, Name: []byte("1"), Value: senml.IntNumber(120)},
		{Fields: senml.Name | senml.DataValue, Name: []byte("3"), Data: []byte{0xab, 0xcd, 0xef}},
	}
	out, err := senml.AppendJSON(nil, recs)
	fmt.Println(string(out), err)
	// Output:
	// [{"bn":"/6/0/","n":"0","v":-39.0},{"n":"1","v":120},{"n":"3","vd":"q83v"}] <nil>
}
