package lwjson_test

import (
	"fmt"

	"github.com/iotwire/iotwire/lwm2m"
	"github.com/iotwire/iotwire/lwm2m/lwjson"
	"github.com/iotwire/iotwire/lwm2m/path"
)

func ExampleDecode() {
	// A Read of /3/0/7 (Power Source Voltage), timestamped, with bt after
	// e as Wakaama and Leshan allow.
	payload := []byte(`{"bn":"/3/0/7/","e":[{"n":"0","v":3800,"t":-5},{"n":"1","v":5000}],"bt":1367491215}`)
	err := lwjson.Decode(payload, path.Resource(3, 0, 7), lwm2m.CoreRegistry(), func(r lwjson.Record) error {
		mv, _ := r.Value.Integer()
		fmt.Println(r.Path, r.Value.Type(), mv, "at", int64(r.Time))
		return nil
	})
	fmt.Println(err)
	// Output:
	// /3/0/7/0 integer 3800 at 1367491210
	// /3/0/7/1 integer 5000 at 1367491215
	// <nil>
}

func ExampleDecoder() {
	// A reusable Decoder; a string for an Integer resource is an error.
	var d lwjson.Decoder
	reg := lwm2m.CoreRegistry()
	for _, payload := range []string{
		`{"bn":"/1/0/","e":[{"n":"0","v":123},{"n":"1","v":300},{"n":"7","sv":"U"}]}`,
		`{"bn":"/1/0/","e":[{"n":"1","sv":"300"}]}`,
	} {
		d.Reset([]byte(payload), path.Instance(1, 0), reg, lwjson.Limits{})
		for r, ok := d.Next(); ok; r, ok = d.Next() {
			fmt.Println(r.Path, r.Value.Type())
		}
		fmt.Println(d.Err())
	}
	// Output:
	// /1/0/0 integer
	// /1/0/1 integer
	// /1/0/7 string
	// <nil>
	// lwjson: sv /1/0/1 at offset 28: an integer resource takes v [LwM2M 1.0 6.4.4: the value field follows the resource type]
}

func ExampleEncode() {
	recs := []lwjson.Record{
		{Path: path.Resource(3, 0, 0), Value: lwm2m.StringValue([]byte("Open Mobile Alliance"))},
		{Path: path.ResourceInstance(3, 0, 6, 0), Value: lwm2m.IntegerValue(1)},
		{Path: path.Resource(3, 0, 13), Value: lwm2m.TimeValue(1367491215)},
		{Path: path.Resource(3, 0, 17), Value: lwm2m.OpaqueValue([]byte{1, 2, 3, 4, 5})},
	}
	out, err := lwjson.Encode(nil, path.Instance(3, 0), recs)
	fmt.Println(string(out), err)
	// Output:
	// {"bn":"/3/0/","e":[{"n":"0","sv":"Open Mobile Alliance"},{"n":"6/0","v":1},{"n":"13","v":1367491215},{"n":"17","sv":"AQIDBAU="}]} <nil>
}
