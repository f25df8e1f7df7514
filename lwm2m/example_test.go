package lwm2m_test

import (
	"errors"
	"fmt"

	"github.com/iotwire/iotwire/lwm2m"
)

// A server reads /3/0/13 (Device, Current Time) in Plain Text: the registry
// gives the type, ParseText the value; AppendText writes a new one.
func ExampleParseText() {
	reg := lwm2m.CoreRegistry()
	def, _ := reg.Resource(3, 13)
	v, err := lwm2m.ParseText(def.Type, []byte("1476186613"), nil)
	if err != nil {
		panic(err)
	}
	sec, _ := v.Time()
	fmt.Println(def.Name, def.Type, def.Ops, sec)

	out, _ := lwm2m.AppendText(nil, lwm2m.TimeValue(sec+60))
	fmt.Printf("%s\n", out)

	_, err = lwm2m.ParseText(lwm2m.Boolean, []byte("true"), nil)
	fmt.Println(err, errors.Is(err, lwm2m.ErrMalformed))
	// Output:
	// Current Time time RW 1476186613
	// 1476186673
	// lwm2m: at offset 0: boolean is not 0 or 1 [LwM2M Core Appendix C] true
}

// Opaque values are base64 in Plain Text (LwM2M Core Table C.2). ParseText
// decodes them into the scratch buffer it is given; in the Opaque content
// format they are the raw payload, which the value aliases.
func ExampleParseText_opaque() {
	scratch := make([]byte, 0, 64)
	v, err := lwm2m.ParseText(lwm2m.Opaque, []byte("AQIDBAU="), scratch)
	if err != nil {
		panic(err)
	}
	b, _ := v.Bytes()
	fmt.Printf("% x\n", b)

	raw, _ := lwm2m.AppendOpaque(nil, v)
	w, _ := lwm2m.ParseOpaque(lwm2m.Opaque, raw)
	txt, _ := lwm2m.AppendText(nil, w)
	fmt.Printf("%d raw bytes, text %s\n", len(raw), txt)

	_, err = lwm2m.ParseOpaque(lwm2m.Integer, raw)
	fmt.Println(errors.Is(err, lwm2m.ErrUnsupported))
	// Output:
	// 01 02 03 04 05
	// 5 raw bytes, text AQIDBAU=
	// true
}

// Floats are written in plain decimal notation with the fewest digits that
// read back to the same bits, as in the Table C.2 example; exponents are
// accepted on input.
func ExampleAppendText() {
	v, _ := lwm2m.ParseText(lwm2m.Float, []byte("6.667e-11"), nil)
	out, _ := lwm2m.AppendText(nil, v)
	fmt.Printf("%s\n", out)
	out, _ = lwm2m.AppendText(out[:0], lwm2m.ObjlnkValue(lwm2m.NullObjLink))
	fmt.Printf("%s\n", out)
	// Output:
	// 0.00000000006667
	// 65535:65535
}

// An application adds its own objects to the core set. Registering an ID
// twice fails; Replace overwrites.
func ExampleRegistry_Register() {
	reg := lwm2m.CoreRegistry()
	err := reg.Register(lwm2m.ObjectDef{
		ID: 3303, Name: "Temperature", URN: "urn:oma:lwm2m:ext:3303", Version: "1.1",
		Multiple: true,
		Resources: []lwm2m.ResourceDef{
			{ID: 5700, Name: "Sensor Value", Type: lwm2m.Float, Ops: lwm2m.OpRead, Mandatory: true},
			{ID: 5701, Name: "Sensor Units", Type: lwm2m.String, Ops: lwm2m.OpRead},
			{ID: 5605, Name: "Reset Min and Max Measured Values", Type: lwm2m.None, Ops: lwm2m.OpExecute},
		},
	})
	if err != nil {
		panic(err)
	}
	r, _ := reg.Resource(3303, 5700)
	fmt.Println(r.Name, r.Type, r.Ops, r.Mandatory)

	err = reg.Register(lwm2m.ObjectDef{ID: 3, Name: "My Device"})
	fmt.Println(err)
	// Output:
	// Sensor Value float R true
	// lwm2m: object 3: object ID already registered [LwM2M Core Appendix D]
}

func ExampleCoreRegistry() {
	for _, o := range lwm2m.CoreRegistry().Objects(nil) {
		fmt.Printf("%2d %-24s %s %d resources\n", o.ID, o.Name, o.Version, len(o.Resources))
	}
	// Output:
	//  0 LwM2M Security           1.2 31 resources
	//  1 LwM2M Server             1.2 28 resources
	//  2 LwM2M Access Control     1.1 4 resources
	//  3 Device                   1.2 23 resources
	//  4 Connectivity Monitoring  1.3 14 resources
	//  5 Firmware Update          1.2 14 resources
	//  6 Location                 1.0 7 resources
	//  7 Connectivity Statistics  1.0 9 resources
	// 21 LwM2M OSCORE             2.0 7 resources
	// 23 LwM2M COSE               1.0 3 resources
	// 24 MQTT Server              1.0 9 resources
}
