package device

import (
	"net"
	"strings"
	"time"

	"github.com/iotwire/iotwire/coapmsg"
	"github.com/iotwire/iotwire/examples/internal/device/content"
	"github.com/iotwire/iotwire/lwm2m"
	"github.com/iotwire/iotwire/lwm2m/path"
)

// The Security Modes of /0/x/2 (LwM2M Core E.1).
const (
	SecurityPSK   = 0
	SecurityNoSec = 3
)

// str is a String value of text.
func str(s string) lwm2m.Value { return lwm2m.StringValue([]byte(s)) }

// addCoreObjects adds the core objects and their first instances.
func (c *Client) addCoreObjects() error {
	core := func(id uint16, impl Object) {
		def, _ := c.reg.Object(id)
		impl.Def = *def
		c.st.objects[id] = &object{def: def, impl: &impl, inst: map[uint16]*instance{}}
	}
	core(0, Object{})
	core(1, Object{OnExecute: c.executeServer})
	core(3, Object{OnExecute: c.executeDevice, OnRead: c.readDevice, OnWrite: c.writeDevice})
	core(4, Object{})
	core(5, Object{OnExecute: c.executeFirmware, OnWrite: c.writeFirmware})

	cfg := &c.cfg
	set := func(p path.Path, v lwm2m.Value) {
		if err := c.st.set(p, v, true); err != nil {
			panic("device: core object value " + p.String() + ": " + err.Error()) // a bug in this file
		}
	}
	// Security (LwM2M Core E.1) and Server (E.2): one account.
	mode := int64(SecurityNoSec)
	if len(cfg.PSKKey) > 0 {
		mode = SecurityPSK
	}
	uri, bootstrap := cfg.ServerURI, false
	if cfg.BootstrapURI != "" {
		uri, bootstrap = cfg.BootstrapURI, true
	}
	set(path.Resource(0, 0, 0), str(uri))
	set(path.Resource(0, 0, 1), lwm2m.BoolValue(bootstrap))
	set(path.Resource(0, 0, 2), lwm2m.IntegerValue(mode))
	set(path.Resource(0, 0, 3), lwm2m.OpaqueValue(cfg.PSKIdentity))
	set(path.Resource(0, 0, 4), lwm2m.OpaqueValue(nil))
	set(path.Resource(0, 0, 5), lwm2m.OpaqueValue(cfg.PSKKey))
	if !bootstrap {
		set(path.Resource(0, 0, 10), lwm2m.IntegerValue(1))
		set(path.Resource(1, 0, 0), lwm2m.IntegerValue(1))
		set(path.Resource(1, 0, 1), lwm2m.IntegerValue(int64(cfg.Lifetime/time.Second)))
		set(path.Resource(1, 0, 6), lwm2m.BoolValue(false))
		set(path.Resource(1, 0, 7), str(cfg.Binding))
	}

	// Device (E.4).
	info := cfg.Info
	if info.Manufacturer == "" {
		info.Manufacturer = "iotwire"
	}
	if info.Model == "" {
		info.Model = "example-device"
	}
	if info.Serial == "" {
		info.Serial = cfg.Endpoint
	}
	if info.FirmwareVersion == "" {
		info.FirmwareVersion = "1.0.0"
	}
	set(path.Resource(3, 0, 0), str(info.Manufacturer))
	set(path.Resource(3, 0, 1), str(info.Model))
	set(path.Resource(3, 0, 2), str(info.Serial))
	set(path.Resource(3, 0, 3), str(info.FirmwareVersion))
	set(path.Resource(3, 0, 9), lwm2m.IntegerValue(100))  // Battery Level, %
	set(path.Resource(3, 0, 10), lwm2m.IntegerValue(512)) // Memory Free, KiB
	set(path.ResourceInstance(3, 0, 11, 0), lwm2m.IntegerValue(0))
	set(path.Resource(3, 0, 14), str("+00:00"))
	set(path.Resource(3, 0, 15), str("UTC"))
	set(path.Resource(3, 0, 16), str("US")) // Supported Binding and Modes

	// Connectivity Monitoring (E.5): Ethernet (41) for IP, GSM (0) for SMS.
	bearer := int64(41)
	if cfg.Binding == "S" {
		bearer = 0
	}
	set(path.Resource(4, 0, 0), lwm2m.IntegerValue(bearer))
	set(path.ResourceInstance(4, 0, 1, 0), lwm2m.IntegerValue(bearer))
	set(path.Resource(4, 0, 2), lwm2m.IntegerValue(0))
	set(path.ResourceInstance(4, 0, 4, 0), str(""))

	// Firmware Update (E.6): push delivery only.
	set(path.Resource(5, 0, 1), str(""))
	set(path.Resource(5, 0, 3), lwm2m.IntegerValue(StateIdle))
	set(path.Resource(5, 0, 5), lwm2m.IntegerValue(ResultInitial))
	set(path.Resource(5, 0, 6), str(""))
	set(path.Resource(5, 0, 7), str(""))
	set(path.Resource(5, 0, 9), lwm2m.IntegerValue(1)) // Delivery Method: push only
	return nil
}

// setIPAddress fills /4/0/4 with the transport's local address.
func (c *Client) setIPAddress(a net.Addr) {
	if a == nil {
		return
	}
	addr := a.String()
	if host, _, err := net.SplitHostPort(addr); err == nil {
		addr = host
	}
	c.Set(path.ResourceInstance(4, 0, 4, 0), str(addr))
}

// executeServer runs the executable resources of the Server Object:
// Registration Update Trigger (/1/x/8) sends an Update now.
func (c *Client) executeServer(inst, res uint16, args []byte) error {
	if res == 8 {
		c.requestUpdate()
		return nil
	}
	return ErrNotAllowed
}

// executeDevice runs Reboot (/3/0/4) and Reset Error Code (/3/0/12).
func (c *Client) executeDevice(inst, res uint16, args []byte) error {
	switch res {
	case 4:
		c.log.Info("reboot requested")
		if c.cfg.OnReboot != nil {
			go c.cfg.OnReboot()
		}
		return nil
	case 12:
		c.mu.Lock()
		c.st.remove(path.Resource(3, 0, 11))
		err := c.st.set(path.ResourceInstance(3, 0, 11, 0), lwm2m.IntegerValue(0), false)
		c.changedLocked(path.Resource(3, 0, 11))
		c.mu.Unlock()
		return err
	}
	return ErrNotAllowed
}

// readDevice gives Current Time (/3/0/13): the clock plus the offset a
// server set by writing it.
func (c *Client) readDevice(inst, res uint16) (lwm2m.Value, bool) {
	if res != 13 {
		return lwm2m.Value{}, false
	}
	return lwm2m.TimeValue(time.Now().Add(c.clockOffset()).Unix()), true
}

func (c *Client) clockOffset() time.Duration { return time.Duration(c.clock.Load()) }

// writeDevice takes a write of Current Time as a clock offset; UTC Offset
// and Timezone are stored as written.
func (c *Client) writeDevice(inst uint16, recs []content.Record) error {
	for _, r := range recs {
		if r.Path.Len() == 3 && r.Path.ID(2) == 13 {
			t, ok := r.Value.Time()
			if !ok {
				return &CodeError{coapmsg.BadRequest, "Current Time is a Time"}
			}
			c.clock.Store(int64(time.Until(time.Unix(t, 0))))
		}
		if r.Path.Len() == 3 && r.Path.ID(2) == 14 {
			b, _ := r.Value.Bytes()
			if s := string(b); s != "" && !strings.HasPrefix(s, "+") && !strings.HasPrefix(s, "-") {
				return &CodeError{coapmsg.BadRequest, "UTC Offset is +hh:mm or -hh:mm"}
			}
		}
	}
	return nil
}

// TemperatureObject returns the IPSO Temperature object (3303, OMA LwM2M
// registry 3303.xml version 1.1), with the resources a simple sensor has:
// Sensor Value, Sensor Units, Min and Max Measured Value and the Reset of
// both. Add it with AddObject, create an instance and Set its values;
// resetMinMax is called when a server executes 5605. A server may Create
// and Delete instances.
func TemperatureObject(resetMinMax func(inst uint16)) Object {
	o := Object{Def: TemperatureDef, Creatable: true}
	o.OnExecute = func(inst, res uint16, args []byte) error {
		if res != 5605 {
			return ErrNotAllowed
		}
		if resetMinMax != nil {
			resetMinMax(inst)
		}
		return nil
	}
	return o
}

// TemperatureDef is the definition of the IPSO Temperature object (3303)
// that TemperatureObject serves; a server registers it to type the values.
var TemperatureDef = lwm2m.ObjectDef{
	ID: 3303, Name: "Temperature", URN: "urn:oma:lwm2m:ext:3303:1.1", Version: "1.1", Multiple: true,
	Resources: []lwm2m.ResourceDef{
		{ID: 5601, Name: "Min Measured Value", Type: lwm2m.Float, Ops: lwm2m.OpRead},
		{ID: 5602, Name: "Max Measured Value", Type: lwm2m.Float, Ops: lwm2m.OpRead},
		{ID: 5605, Name: "Reset Min and Max Measured Values", Type: lwm2m.None, Ops: lwm2m.OpExecute},
		{ID: 5700, Name: "Sensor Value", Type: lwm2m.Float, Ops: lwm2m.OpRead, Mandatory: true},
		{ID: 5701, Name: "Sensor Units", Type: lwm2m.String, Ops: lwm2m.OpRead},
	},
}
