package mqttbridge

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/iotwire/iotwire/coapmsg"
	"github.com/iotwire/iotwire/lwm2m"
	"github.com/iotwire/iotwire/lwm2m/path"
	"github.com/iotwire/iotwire/lwm2m/senml"
)

var testTime = time.Date(2026, 1, 2, 15, 4, 5, 123e6, time.UTC)

func TestRegistrationJSON(t *testing.T) {
	r := Registration{Endpoint: "dev1", Event: EventRegistered, Location: "/rd/1", Lifetime: 300, Version: "1.2",
		Binding: "UQ", SMSNumber: "+15550001", Queue: true,
		Objects:   []ObjectLink{{Path: path.Instance(1, 0)}, {Path: path.Instance(3, 0), Version: "1.1"}, {Path: path.Object(5)}},
		Transport: "udp", Address: "127.0.0.1:56830", Time: testTime}
	b, err := EncodeRegistration(&r)
	if err != nil {
		t.Fatal(err)
	}
	const want = `{"endpoint":"dev1","event":"registered","location":"/rd/1","lifetime":300,"lwm2m":"1.2","binding":"UQ",` +
		`"sms":"+15550001","queue":true,"objects":[{"path":"/1/0"},{"path":"/3/0","ver":"1.1"},{"path":"/5"}],` +
		`"transport":"udp","address":"127.0.0.1:56830","time":"2026-01-02T15:04:05.123Z"}`
	if string(b) != want {
		t.Errorf("EncodeRegistration:\n got %s\nwant %s", b, want)
	}
	back, err := DecodeRegistration(b)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, r) {
		t.Errorf("round trip: %+v, want %+v", back, r)
	}
	// Unknown keys are ignored: the contract may grow.
	if _, err := DecodeRegistration([]byte(`{"endpoint":"x","event":"updated","new_key":[1],"time":"2026-01-02T15:04:05Z"}`)); err != nil {
		t.Errorf("unknown key: %v", err)
	}
	for _, s := range []string{`{"event":"registered"}`, `{"endpoint":"x","objects":[{"path":"3/0"}]}`, `[]`} {
		if _, err := DecodeRegistration([]byte(s)); err == nil {
			t.Errorf("DecodeRegistration(%s): no error", s)
		}
	}
}

func TestDeregistrationJSON(t *testing.T) {
	d := Deregistration{Endpoint: "dev/1", Reason: ReasonExpired, Time: testTime}
	b, err := EncodeDeregistration(&d)
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"endpoint":"dev/1","reason":"expired","time":"2026-01-02T15:04:05.123Z"}`; string(b) != want {
		t.Errorf("got %s, want %s", b, want)
	}
	back, err := DecodeDeregistration(b)
	if err != nil || !reflect.DeepEqual(back, d) {
		t.Errorf("round trip: %+v, %v", back, err)
	}
	if _, err := DecodeDeregistration([]byte(`{"reason":"expired"}`)); err == nil {
		t.Error("no endpoint: no error")
	}
}

func TestDataJSON(t *testing.T) {
	tests := []struct {
		d    Data
		want string
	}{
		{Data{Endpoint: "dev1", Op: OpNotify, Record: senml.Resolved{Path: path.Resource(3, 0, 13), Value: lwm2m.TimeValue(1767366245)}, Received: testTime},
			`{"endpoint":"dev1","op":"notify","path":"/3/0/13","type":"time","value":1767366245,"received":"2026-01-02T15:04:05.123Z"}`},
		{Data{Endpoint: "dev1", Op: OpSend, Record: senml.Resolved{Path: path.Resource(3303, 0, 5700), Value: lwm2m.FloatValue(-4.5), Time: 1767366240, HasTime: true}, Received: testTime},
			`{"endpoint":"dev1","op":"send","path":"/3303/0/5700","type":"float","value":-4.5,"time":1767366240,"received":"2026-01-02T15:04:05.123Z"}`},
		{Data{Endpoint: "dev1", Op: OpNotify, Record: senml.Resolved{Path: path.ResourceInstance(3, 0, 7, 1), Value: lwm2m.OpaqueValue([]byte{0})}, Received: testTime},
			`{"endpoint":"dev1","op":"notify","path":"/3/0/7/1","type":"opaque","value":"AA==","received":"2026-01-02T15:04:05.123Z"}`},
	}
	for _, tt := range tests {
		b, err := EncodeData(&tt.d)
		if err != nil {
			t.Fatal(err)
		}
		if string(b) != tt.want {
			t.Errorf("EncodeData:\n got %s\nwant %s", b, tt.want)
		}
		back, err := DecodeData(b)
		if err != nil {
			t.Fatal(err)
		}
		if back.Endpoint != tt.d.Endpoint || back.Op != tt.d.Op || !back.Received.Equal(tt.d.Received) {
			t.Errorf("round trip: %+v", back)
		}
		checkRecords(t, []senml.Resolved{back.Record}, []senml.Resolved{tt.d.Record})
	}
	if _, err := DecodeData([]byte(`{"endpoint":"dev1","op":"notify","path":"/3/0/13","type":"time","value":"soon"}`)); err == nil {
		t.Error("bad value: no error")
	}
}

func TestCommandJSON(t *testing.T) {
	reg := lwm2m.CoreRegistry()
	tests := []struct {
		name string
		json string
		want Command
		// canon is EncodeCommand's output for want, when it differs from json.
		canon string
	}{
		{"read", `{"id":"7","op":"read","path":"/3/0"}`, Command{ID: "7", Op: OpRead, Path: path.Instance(3, 0)}, ""},
		{"read root", `{"op":"read","path":"/"}`, Command{Op: OpRead}, ""},
		{"observe", `{"op":"observe","path":"/3/0/13"}`, Command{Op: OpObserve, Path: path.Resource(3, 0, 13)}, ""},
		{"cancel", `{"op":"cancel","path":"/3/0/13"}`, Command{Op: OpCancel, Path: path.Resource(3, 0, 13)}, ""},
		{"execute", `{"op":"execute","path":"/3/0/4","args":"0='now'"}`, Command{Op: OpExecute, Path: path.Resource(3, 0, 4), Args: "0='now'"}, ""},
		{"write typed by the model", `{"op":"write","path":"/1/0/1","value":600}`,
			Command{Op: OpWrite, Path: path.Resource(1, 0, 1), Values: []senml.Resolved{{Path: path.Resource(1, 0, 1), Value: lwm2m.IntegerValue(600)}}},
			`{"op":"write","path":"/1/0/1","type":"integer","value":600}`},
		{"write model type from a string", `{"op":"write","path":"/3/0/13","value":"2026-01-02T15:04:05Z"}`,
			Command{Op: OpWrite, Path: path.Resource(3, 0, 13), Values: []senml.Resolved{{Path: path.Resource(3, 0, 13), Value: lwm2m.TimeValue(1767366245)}}},
			`{"op":"write","path":"/3/0/13","type":"time","value":1767366245}`},
		{"write explicit type", `{"op":"write","path":"/3303/0/5700","type":"float","value":20}`,
			Command{Op: OpWrite, Path: path.Resource(3303, 0, 5700), Values: []senml.Resolved{{Path: path.Resource(3303, 0, 5700), Value: lwm2m.FloatValue(20)}}},
			""},
		{"write inferred", `{"op":"write","path":"/32769/0/1","value":"on"}`,
			Command{Op: OpWrite, Path: path.Resource(32769, 0, 1), Values: []senml.Resolved{{Path: path.Resource(32769, 0, 1), Value: lwm2m.StringValue([]byte("on"))}}},
			`{"op":"write","path":"/32769/0/1","type":"string","value":"on"}`},
		{"write opaque", `{"op":"write","path":"/5/0/0","type":"opaque","value":"AQI="}`,
			Command{Op: OpWrite, Path: path.Resource(5, 0, 0), Values: []senml.Resolved{{Path: path.Resource(5, 0, 0), Value: lwm2m.OpaqueValue([]byte{1, 2})}}},
			""},
		{"write values", `{"op":"write","path":"/1/0","values":[{"path":"/1/0/1","value":60},{"path":"/1/0/3","type":"integer","value":30}]}`,
			Command{Op: OpWrite, Path: path.Instance(1, 0), Values: []senml.Resolved{
				{Path: path.Resource(1, 0, 1), Value: lwm2m.IntegerValue(60)},
				{Path: path.Resource(1, 0, 3), Value: lwm2m.IntegerValue(30)}}},
			`{"op":"write","path":"/1/0","values":[{"path":"/1/0/1","type":"integer","value":60},{"path":"/1/0/3","type":"integer","value":30}]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := DecodeCommand([]byte(tt.json), reg)
			if err != nil {
				t.Fatal(err)
			}
			if c.ID != tt.want.ID || c.Op != tt.want.Op || c.Path != tt.want.Path || c.Args != tt.want.Args {
				t.Errorf("got %+v, want %+v", c, tt.want)
			}
			checkRecords(t, c.Values, tt.want.Values)
			b, err := EncodeCommand(&c)
			if err != nil {
				t.Fatal(err)
			}
			canon := tt.canon
			if canon == "" {
				canon = tt.json
			}
			if string(b) != canon {
				t.Errorf("EncodeCommand:\n got %s\nwant %s", b, canon)
			}
			again, err := DecodeCommand(b, nil)
			if err != nil {
				t.Fatalf("decode of the encoding: %v", err)
			}
			checkRecords(t, again.Values, tt.want.Values)
		})
	}
}

func TestCommandErrors(t *testing.T) {
	tests := []struct{ json, msg string }{
		{`not json`, "not a JSON command"},
		{`{"path":"/3/0"}`, `missing "op"`},
		{`{"op":"delete","path":"/3/0"}`, `unknown op "delete"`},
		{`{"op":"read"}`, `missing "path"`},
		{`{"op":"read","path":"3/0"}`, `path "3/0"`},
		{`{"op":"read","path":"/3/0/1/2/3"}`, `path`},
		{`{"op":"read","path":"/3/0","value":1}`, "read takes no value"},
		{`{"op":"execute","path":"/3/0"}`, "execute needs a resource path"},
		{`{"op":"read","path":"/3/0","args":"x"}`, `only execute takes "args"`},
		{`{"op":"write","path":"/3/0/1"}`, `write needs "value" or "values"`},
		{`{"op":"write","path":"/3/0","value":1}`, `"value" needs a resource path`},
		{`{"op":"write","path":"/3/0/1","value":1,"values":[]}`, "not both"},
		{`{"op":"write","path":"/1/0/1","value":"soon"}`, "/1/0/1: integer value: want an integer"},
		{`{"op":"write","path":"/1/0/1","type":"int","value":1}`, `unknown type "int"`},
		{`{"op":"write","path":"/32769/0/1","value":[1]}`, "cannot tell the type"},
		{`{"op":"write","path":"/1/0","values":[{"path":"/3/0/1","value":1}]}`, "not a resource under /1/0"},
		{`{"op":"write","path":"/1/0","values":[{"path":"/1/0","value":1}]}`, "not a resource under /1/0"},
		{`{"op":"write","path":"/1/0","values":[{"path":"/1/0/1"}]}`, "missing value"},
	}
	for _, tt := range tests {
		_, err := DecodeCommand([]byte(tt.json), nil)
		if err == nil || !strings.Contains(err.Error(), tt.msg) {
			t.Errorf("DecodeCommand(%s) = %v, want an error with %q", tt.json, err, tt.msg)
		}
	}
}

func TestResultJSON(t *testing.T) {
	tests := []struct {
		r    Result
		want string
	}{
		{Result{ID: "7", Endpoint: "dev1", Op: OpRead, Path: path.Resource(3, 0, 13), Code: coapmsg.Content,
			Values: []senml.Resolved{{Path: path.Resource(3, 0, 13), Value: lwm2m.TimeValue(1767366245)}}},
			`{"id":"7","endpoint":"dev1","op":"read","path":"/3/0/13","code":"2.05","values":[{"path":"/3/0/13","type":"time","value":1767366245}]}`},
		{Result{Endpoint: "dev1", Op: OpExecute, Path: path.Resource(3, 0, 4), Code: coapmsg.MethodNotAllowed, Error: "Method Not Allowed"},
			`{"endpoint":"dev1","op":"execute","path":"/3/0/4","code":"4.05","error":"Method Not Allowed"}`},
		{Result{Endpoint: "dev1", Op: OpWrite, Path: path.Resource(1, 0, 1), Code: coapmsg.Changed},
			`{"endpoint":"dev1","op":"write","path":"/1/0/1","code":"2.04"}`},
		{Result{Endpoint: "dev1", Code: coapmsg.BadRequest, Error: "not a JSON command"},
			`{"endpoint":"dev1","code":"4.00","error":"not a JSON command"}`},
	}
	for _, tt := range tests {
		b, err := EncodeResult(&tt.r)
		if err != nil {
			t.Fatal(err)
		}
		if string(b) != tt.want {
			t.Errorf("EncodeResult:\n got %s\nwant %s", b, tt.want)
		}
		back, err := DecodeResult(b)
		if err != nil {
			t.Fatal(err)
		}
		if back.ID != tt.r.ID || back.Endpoint != tt.r.Endpoint || back.Op != tt.r.Op || back.Path != tt.r.Path ||
			back.Code != tt.r.Code || back.Error != tt.r.Error || back.OK() != (tt.r.Code.Class() == 2) {
			t.Errorf("round trip: %+v, want %+v", back, tt.r)
		}
		checkRecords(t, back.Values, tt.r.Values)
	}
	for _, s := range []string{`{"code":"205"}`, `{"code":"2.05","path":"x"}`, `{"code":"2.05","values":[{"path":"/1/0/1","type":"x"}]}`} {
		if _, err := DecodeResult([]byte(s)); err == nil {
			t.Errorf("DecodeResult(%s): no error", s)
		}
	}
}
