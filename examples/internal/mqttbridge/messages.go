package mqttbridge

import (
	"encoding/json"
	"errors"
	"strconv"
	"time"

	"github.com/iotwire/iotwire/coapmsg"
	"github.com/iotwire/iotwire/lwm2m"
	"github.com/iotwire/iotwire/lwm2m/path"
	"github.com/iotwire/iotwire/lwm2m/senml"
)

// Operations, as the "op" of commands, results and data messages.
const (
	OpRead    = "read"    // Read (LwM2M Core 6.3.1 / 5.4.1)
	OpWrite   = "write"   // Write (6.3.3)
	OpExecute = "execute" // Execute (6.3.5)
	OpObserve = "observe" // Observe (6.4.1)
	OpCancel  = "cancel"  // Cancel Observation (6.4.2)
	OpNotify  = "notify"  // data: a notification of an observation (6.4.3)
	OpSend    = "send"    // data: a Send from the device (6.4.5)
)

// Events and reasons of the registration topics.
const (
	EventRegistered    = "registered"   // Register (LwM2M Core 6.2.1)
	EventUpdated       = "updated"      // Update (6.2.2)
	ReasonDeregistered = "deregistered" // De-register (6.2.3)
	ReasonExpired      = "expired"      // the lifetime ran out without an Update
)

// Registration is the payload of <prefix>/<endpoint>/registration:
//
//	{"endpoint":"dev1","event":"registered","location":"/rd/1","lifetime":300,
//	 "lwm2m":"1.2","binding":"U","objects":[{"path":"/1/0"},{"path":"/3/0","ver":"1.1"}],
//	 "transport":"udp","address":"127.0.0.1:56830","time":"2026-01-02T15:04:05.123Z"}
type Registration struct {
	Endpoint  string       `json:"endpoint"`
	Event     string       `json:"event"`               // EventRegistered or EventUpdated
	Location  string       `json:"location,omitempty"`  // the Location-Path the server assigned, such as "/rd/1"
	Lifetime  int64        `json:"lifetime,omitempty"`  // seconds (lt)
	Version   string       `json:"lwm2m,omitempty"`     // the LwM2M version (lwm2m), such as "1.2"
	Binding   string       `json:"binding,omitempty"`   // b: "U", "UQ", "S", "T", ...
	SMSNumber string       `json:"sms,omitempty"`       // sms
	Queue     bool         `json:"queue,omitempty"`     // Q: queue mode
	Objects   []ObjectLink `json:"objects,omitempty"`   // the registered objects and instances
	Transport string       `json:"transport,omitempty"` // "udp", "dtls", "sms", ...
	Address   string       `json:"address,omitempty"`   // the device's address on that transport
	Time      time.Time    `json:"time"`                // when the gateway handled it
}

// ObjectLink is one object or object instance of a registration's link
// list (LwM2M Core 6.2.1.1), such as </3/0> or </3>;ver=1.1.
type ObjectLink struct {
	Path    path.Path `json:"path"`
	Version string    `json:"ver,omitempty"`
}

// Deregistration is the payload of <prefix>/<endpoint>/deregistered:
//
//	{"endpoint":"dev1","reason":"deregistered","time":"2026-01-02T15:04:05.123Z"}
type Deregistration struct {
	Endpoint string    `json:"endpoint"`
	Reason   string    `json:"reason"` // ReasonDeregistered or ReasonExpired
	Time     time.Time `json:"time"`
}

// Data is the payload of <prefix>/<endpoint>/data/<object>/<instance>/<resource>[/<ri>]:
// one resource value of a notification or a Send.
//
//	{"endpoint":"dev1","op":"notify","path":"/3/0/13","type":"time","value":1767366245,
//	 "received":"2026-01-02T15:04:05.123Z"}
//
// "time" (seconds) is added when the device gave the value a time (SenML
// "t", LwM2M Core 7.4.5); "received" is when the gateway got it.
type Data struct {
	Endpoint string
	Op       string // OpNotify or OpSend
	Record   senml.Resolved
	Received time.Time
}

type dataJSON struct {
	Endpoint string `json:"endpoint"`
	Op       string `json:"op"`
	record
	Received time.Time `json:"received"`
}

// EncodeData renders a data message.
func EncodeData(d *Data) ([]byte, error) {
	return marshal(dataJSON{Endpoint: d.Endpoint, Op: d.Op, record: toRecord(d.Record), Received: d.Received})
}

// DecodeData reads a data message.
func DecodeData(b []byte) (Data, error) {
	var j dataJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return Data{}, err
	}
	r, err := fromRecord(j.record)
	if err != nil {
		return Data{}, err
	}
	return Data{Endpoint: j.Endpoint, Op: j.Op, Record: r, Received: j.Received}, nil
}

// EncodeRegistration renders a registration message.
func EncodeRegistration(r *Registration) ([]byte, error) { return marshal(r) }

// DecodeRegistration reads a registration message.
func DecodeRegistration(b []byte) (Registration, error) {
	var r Registration
	if err := json.Unmarshal(b, &r); err != nil {
		return Registration{}, err
	}
	if r.Endpoint == "" {
		return Registration{}, errors.New("registration without endpoint")
	}
	return r, nil
}

// EncodeDeregistration renders a de-registration message.
func EncodeDeregistration(d *Deregistration) ([]byte, error) { return marshal(d) }

// DecodeDeregistration reads a de-registration message.
func DecodeDeregistration(b []byte) (Deregistration, error) {
	var d Deregistration
	if err := json.Unmarshal(b, &d); err != nil {
		return Deregistration{}, err
	}
	if d.Endpoint == "" {
		return Deregistration{}, errors.New("de-registration without endpoint")
	}
	return d, nil
}

// Command is an operation requested over MQTT, the payload of
// <prefix>/<endpoint>/command:
//
//	{"id":"7","op":"read","path":"/3/0"}
//	{"op":"write","path":"/1/0/1","value":600}
//	{"op":"write","path":"/3/0/13","type":"time","value":"2026-01-02T15:04:05Z"}
//	{"op":"write","path":"/1/0","values":[{"path":"/1/0/1","type":"integer","value":600},{"path":"/1/0/2","value":30}]}
//	{"op":"execute","path":"/3/0/4","args":"0='now'"}
//	{"op":"observe","path":"/3/0/13"}
//	{"op":"cancel","path":"/3/0/13"}
//
// "id" is optional and echoed in the result. A write gives either one
// "value" for the resource (or resource instance) at "path", or "values"
// records under "path". A value's type comes from "type" when given, else
// from the object model of the resource (DecodeCommand's registry), else
// from the JSON value (see InferValue).
type Command struct {
	ID     string
	Op     string // OpRead, OpWrite, OpExecute, OpObserve or OpCancel
	Path   path.Path
	Values []senml.Resolved // OpWrite
	Args   string           // OpExecute: the arguments (LwM2M Core 5.4.5), such as "0='x',1"
}

type commandJSON struct {
	ID     string          `json:"id,omitempty"`
	Op     string          `json:"op"`
	Path   string          `json:"path"`
	Type   string          `json:"type,omitempty"`
	Value  json.RawMessage `json:"value,omitempty"`
	Values []record        `json:"values,omitempty"`
	Args   string          `json:"args,omitempty"`
}

// EncodeCommand renders a command, the way an MQTT client of the gateway
// writes one.
func EncodeCommand(c *Command) ([]byte, error) {
	j := commandJSON{ID: c.ID, Op: c.Op, Path: c.Path.String(), Args: c.Args}
	if len(c.Values) == 1 && c.Values[0].Path == c.Path && !c.Values[0].HasTime {
		v := c.Values[0].Value
		j.Type, j.Value = v.Type().String(), AppendValue(nil, v)
	} else {
		j.Values = toRecords(c.Values)
	}
	return marshal(j)
}

// DecodeCommand reads and checks a command. reg types values that come
// without "type" (nil means lwm2m.CoreRegistry()). Errors are meant for the
// result's "error".
func DecodeCommand(b []byte, reg *lwm2m.Registry) (Command, error) {
	var j commandJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return Command{}, errors.New("not a JSON command: " + err.Error())
	}
	c := Command{ID: j.ID, Op: j.Op, Args: j.Args}
	switch j.Op {
	case OpRead, OpWrite, OpExecute, OpObserve, OpCancel:
	case "":
		return c, errors.New(`missing "op" (read, write, execute, observe or cancel)`)
	default:
		return c, errors.New("unknown op " + strconv.Quote(j.Op) + " (read, write, execute, observe or cancel)")
	}
	if j.Path == "" {
		return c, errors.New(`missing "path"`)
	}
	p, err := path.Parse(j.Path)
	if err != nil {
		return c, errors.New("path " + strconv.Quote(j.Path) + ": " + err.Error())
	}
	c.Path = p
	if reg == nil {
		reg = lwm2m.CoreRegistry()
	}
	hasValue := j.Value != nil
	switch j.Op {
	case OpExecute:
		if p.Level() != path.ResourceLevel {
			return c, errors.New("execute needs a resource path such as /3/0/4")
		}
	case OpWrite:
		switch {
		case hasValue && j.Values != nil:
			return c, errors.New(`write takes "value" or "values", not both`)
		case hasValue:
			if p.Level() < path.ResourceLevel {
				return c, errors.New(`"value" needs a resource path; use "values" for an object instance`)
			}
			v, err := typedValue(p, j.Type, j.Value, reg)
			if err != nil {
				return c, err
			}
			c.Values = []senml.Resolved{{Path: p, Value: v}}
		case len(j.Values) > 0:
			for _, r := range j.Values {
				rp, err := path.Parse(r.Path)
				if err != nil {
					return c, errors.New("path " + strconv.Quote(r.Path) + ": " + err.Error())
				}
				if !p.Contains(rp) || rp.Level() < path.ResourceLevel {
					return c, errors.New("value path " + r.Path + " is not a resource under " + j.Path)
				}
				v, err := typedValue(rp, r.Type, r.Value, reg)
				if err != nil {
					return c, err
				}
				res := senml.Resolved{Path: rp, Value: v}
				if r.Time != nil {
					res.Time, res.HasTime = *r.Time, true
				}
				c.Values = append(c.Values, res)
			}
		default:
			return c, errors.New(`write needs "value" or "values"`)
		}
	}
	if j.Op != OpWrite && (hasValue || j.Values != nil) {
		return c, errors.New(j.Op + " takes no value")
	}
	if j.Op != OpExecute && j.Args != "" {
		return c, errors.New(`only execute takes "args"`)
	}
	return c, nil
}

// typedValue reads the value of the resource at p: of type typ when
// given, else of the resource's type in reg, else inferred.
func typedValue(p path.Path, typ string, raw json.RawMessage, reg *lwm2m.Registry) (lwm2m.Value, error) {
	fail := func(err error) (lwm2m.Value, error) {
		return lwm2m.Value{}, errors.New(p.String() + ": " + err.Error())
	}
	if raw == nil {
		return fail(errors.New("missing value"))
	}
	if typ != "" {
		t, ok := lwm2m.ParseType(typ)
		if !ok {
			return fail(errors.New("unknown type " + strconv.Quote(typ)))
		}
		v, err := ParseValue(t, raw)
		if err != nil {
			return fail(err)
		}
		return v, nil
	}
	o, _ := p.ObjectID()
	r, _ := p.ResourceID()
	if def, ok := reg.Resource(o, r); ok && def.Type != lwm2m.None {
		v, err := ParseValue(def.Type, raw)
		if err != nil {
			return fail(err)
		}
		return v, nil
	}
	v, err := InferValue(raw)
	if err != nil {
		return fail(err)
	}
	return v, nil
}

// Result is the answer to a command, published to the command's Response
// Topic with its Correlation Data:
//
//	{"id":"7","endpoint":"dev1","op":"read","path":"/3/0/13","code":"2.05",
//	 "values":[{"path":"/3/0/13","type":"time","value":1767366245}]}
//	{"endpoint":"dev1","op":"write","path":"/3/0/1","code":"4.05","error":"Method Not Allowed"}
//
// "code" is the CoAP response code of the LwM2M operation (LwM2M Core
// 6.3, 6.4): 2.xx on success; the gateway's own failures are 4.00 (bad
// command), 5.04 (no answer in time), 5.03 (the gateway stopped) and 5.00
// (anything else).
type Result struct {
	ID       string
	Endpoint string
	Op       string
	Path     path.Path
	Code     coapmsg.Code
	Values   []senml.Resolved // read and observe
	Error    string
}

type resultJSON struct {
	ID       string   `json:"id,omitempty"`
	Endpoint string   `json:"endpoint"`
	Op       string   `json:"op,omitempty"`
	Path     string   `json:"path,omitempty"`
	Code     string   `json:"code"`
	Values   []record `json:"values,omitempty"`
	Error    string   `json:"error,omitempty"`
}

// OK reports whether the code is a success (class 2).
func (r *Result) OK() bool { return r.Code.Class() == 2 }

// EncodeResult renders a result.
func EncodeResult(r *Result) ([]byte, error) {
	j := resultJSON{ID: r.ID, Endpoint: r.Endpoint, Op: r.Op, Code: r.Code.Dotted(), Values: toRecords(r.Values), Error: r.Error}
	if r.Op != "" {
		j.Path = r.Path.String()
	}
	return marshal(j)
}

// DecodeResult reads a result.
func DecodeResult(b []byte) (Result, error) {
	var j resultJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return Result{}, err
	}
	code, ok := coapmsg.ParseCode(j.Code)
	if !ok {
		return Result{}, errors.New("result code " + strconv.Quote(j.Code) + " is not c.dd")
	}
	r := Result{ID: j.ID, Endpoint: j.Endpoint, Op: j.Op, Code: code, Error: j.Error}
	if j.Path != "" {
		p, err := path.Parse(j.Path)
		if err != nil {
			return Result{}, errors.New("path " + strconv.Quote(j.Path) + ": " + err.Error())
		}
		r.Path = p
	}
	vals, err := fromRecords(j.Values)
	if err != nil {
		return Result{}, err
	}
	r.Values = vals
	return r, nil
}
