package lwcbor_test

import (
	"encoding/hex"
	"fmt"

	"github.com/iotwire/iotwire/lwm2m"
	"github.com/iotwire/iotwire/lwm2m/lwcbor"
	"github.com/iotwire/iotwire/lwm2m/path"
)

func ExampleDecode() {
	// A Read-Composite response: {[3, 0]: {0: "OMA", 9: 95}, [1, 0, 1]: 86400}.
	payload, _ := hex.DecodeString("a2820300a200634f4d4109185f830100011a00015180")
	err := lwcbor.Decode(payload, path.Path{}, lwm2m.CoreRegistry(), func(p path.Path, v lwm2m.Value) error {
		switch v.Type() {
		case lwm2m.String:
			s, _ := v.Bytes()
			fmt.Printf("%v string %q\n", p, s)
		case lwm2m.Integer:
			i, _ := v.Integer()
			fmt.Println(p, "integer", i)
		}
		return nil
	})
	fmt.Println(err)
	// Output:
	// /3/0/0 string "OMA"
	// /3/0/9 integer 95
	// /1/0/1 integer 86400
	// <nil>
}

func ExampleEncode() {
	recs := []lwcbor.Record{
		{Path: path.ResourceInstance(3, 0, 7, 0), Value: lwm2m.IntegerValue(3800)},
		{Path: path.ResourceInstance(3, 0, 7, 1), Value: lwm2m.IntegerValue(5000)},
		{Path: path.Resource(3, 0, 9), Value: lwm2m.IntegerValue(95)},
		{Path: path.Resource(6, 0, 0), Value: lwm2m.FloatValue(-30)},
	}
	// {[3, 0]: {7: {0: 3800, 1: 5000}, 9: 95}, [6, 0, 0]: -30.0}, the
	// float in half precision.
	out, err := lwcbor.Encode(nil, path.Path{}, recs)
	fmt.Printf("%x %v\n", out, err)

	// A path twice is an error, and out is returned unchanged.
	out, err = lwcbor.Encode(out[:0], path.Path{}, append(recs, recs[2]))
	fmt.Println(len(out), err)
	// Output:
	// a2820300a207a200190ed80119138809185f83060000f9cf80 <nil>
	// 0 lwcbor: encode path /3/0/9: path holds a value twice [LwM2M Core 7.4.7: a path holds either a value or nested entries, once]
}

func ExampleValues() {
	// Anjay's output for a Read of /13/26: indefinite-length maps. Without
	// a registry, values take the type of their CBOR item.
	payload, _ := hex.DecodeString("bf820d181abf01182a03bf15fb40516b851eb851ec1825f4ffffff")
	it := lwcbor.NewValues(payload, path.Instance(13, 26), nil, lwcbor.Limits{})
	for it.Next() {
		fmt.Println(it.Path(), it.Value().Type(), "at", it.Offset())
	}
	fmt.Println(it.Err())

	// A bad payload: 65535 is MAX_ID.
	it = lwcbor.NewValues([]byte{0xa1, 0x19, 0xff, 0xff, 0xf6}, path.Path{}, nil, lwcbor.Limits{})
	it.Next()
	fmt.Println(it.Err())
	// Output:
	// /13/26/1 unsigned at 7
	// /13/26/3/21 float at 12
	// /13/26/3/37 boolean at 23
	// <nil>
	// lwcbor: key at offset 1: identifier above 65534 [LwM2M Core 7.1: MAX_ID 65535 is reserved]
}
