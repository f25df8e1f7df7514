package lwm2m

import (
	"errors"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// deviceSpec is the resource table of the Device object, version 1.2
// (LwM2M Core 1.2 E.4; OMA registry 3.xml): ID|Name|Operations|Instances|
// Mandatory|Type, written independently of models_core.go to cross-check
// the transcription.
const deviceSpec = `
0|Manufacturer|R|Single|Optional|String
1|Model Number|R|Single|Optional|String
2|Serial Number|R|Single|Optional|String
3|Firmware Version|R|Single|Optional|String
4|Reboot|E|Single|Mandatory|
5|Factory Reset|E|Single|Optional|
6|Available Power Sources|R|Multiple|Optional|Integer
7|Power Source Voltage|R|Multiple|Optional|Integer
8|Power Source Current|R|Multiple|Optional|Integer
9|Battery Level|R|Single|Optional|Integer
10|Memory Free|R|Single|Optional|Integer
11|Error Code|R|Multiple|Mandatory|Integer
12|Reset Error Code|E|Single|Optional|
13|Current Time|RW|Single|Optional|Time
14|UTC Offset|RW|Single|Optional|String
15|Timezone|RW|Single|Optional|String
16|Supported Binding and Modes|R|Single|Mandatory|String
17|Device Type|R|Single|Optional|String
18|Hardware Version|R|Single|Optional|String
19|Software Version|R|Single|Optional|String
20|Battery Status|R|Single|Optional|Integer
21|Memory Total|R|Single|Optional|Integer
22|ExtDevInfo|R|Multiple|Optional|Objlnk
`

func TestDeviceObject(t *testing.T) {
	reg := CoreRegistry()
	o, ok := reg.Object(3)
	if !ok {
		t.Fatal("no Device object")
	}
	if o.Name != "Device" || o.URN != "urn:oma:lwm2m:oma:3:1.2" || o.Version != "1.2" || o.Multiple || !o.Mandatory {
		t.Fatalf("object: %+v", *o)
	}
	rows := strings.Split(strings.TrimSpace(deviceSpec), "\n")
	if len(o.Resources) != len(rows) {
		t.Fatalf("%d resources, want %d", len(o.Resources), len(rows))
	}
	for i, row := range rows {
		f := strings.Split(row, "|")
		id, _ := strconv.Atoi(f[0])
		ops, ok1 := ParseOperations(f[2])
		typ, ok2 := ParseType(f[5])
		if !ok1 || !ok2 {
			t.Fatalf("bad spec row %q", row)
		}
		want := ResourceDef{uint16(id), f[1], typ, ops, f[3] == "Multiple", f[4] == "Mandatory"}
		if o.Resources[i] != want {
			t.Errorf("resource %d: %+v, want %+v", id, o.Resources[i], want)
		}
		r, ok := reg.Resource(3, uint16(id))
		if !ok || *r != want {
			t.Errorf("Resource(3, %d) = %+v, %v", id, r, ok)
		}
	}
}

func TestCoreRegistry(t *testing.T) {
	reg := CoreRegistry()
	var ids []uint16
	for _, o := range reg.Objects(nil) {
		ids = append(ids, o.ID)
		if err := validateObject(o); err != nil {
			t.Error(err)
		}
		for i := range o.Resources {
			r := &o.Resources[i]
			if got, ok := reg.Resource(o.ID, r.ID); !ok || got != r {
				t.Errorf("Resource(%d, %d) = %p, %v", o.ID, r.ID, got, ok)
			}
		}
	}
	if got, want := fmtIDs(ids), "0 1 2 3 4 5 6 7 21 23 24"; got != want {
		t.Errorf("core objects %s, want %s", got, want)
	}
	for _, c := range []struct {
		obj, res uint16
		name     string
		typ      Type
		ops      Operations
	}{
		{0, 0, "LwM2M Server URI", String, 0},
		{0, 5, "Secret Key", Opaque, 0},
		{1, 1, "Lifetime", Integer, OpRead | OpWrite},
		{1, 8, "Registration Update Trigger", None, OpExecute},
		{2, 2, "ACL", Integer, OpRead | OpWrite},
		{4, 4, "IP Addresses", String, OpRead},
		{5, 0, "Package", Opaque, OpWrite},
		{5, 2, "Update", None, OpExecute},
		{6, 0, "Latitude", Float, OpRead},
		{7, 6, "Start", None, OpExecute},
		{21, 0, "OSCORE Master Secret", Opaque, 0},
		{21, 3, "OSCORE AEAD Algorithm", Integer, 0},
		{23, 1, "AEAD Algorithm", Integer, 0},
		{24, 6, "Client Identifier", String, OpRead | OpWrite},
	} {
		r, ok := reg.Resource(c.obj, c.res)
		if !ok || r.Name != c.name || r.Type != c.typ || r.Ops != c.ops {
			t.Errorf("/%d/x/%d: %+v", c.obj, c.res, r)
		}
	}
	// Firmware Update has no resource 4; misses are reported.
	for _, c := range [][2]uint16{{5, 4}, {5, 15}, {3, 23}, {3, 65535}, {8, 0}, {65535, 0}, {22, 0}} {
		if r, ok := reg.Resource(c[0], c[1]); ok || r != nil {
			t.Errorf("Resource(%d, %d) = %+v", c[0], c[1], r)
		}
	}
	// Each call returns an independent registry.
	other := CoreRegistry()
	if err := other.Replace(ObjectDef{ID: 3, Name: "Mine"}); err != nil {
		t.Fatal(err)
	}
	if o, _ := reg.Object(3); o.Name != "Device" {
		t.Error("CoreRegistry instances share state")
	}
}

func fmtIDs(ids []uint16) string {
	var b []byte
	for i, id := range ids {
		if i > 0 {
			b = append(b, ' ')
		}
		b = strconv.AppendUint(b, uint64(id), 10)
	}
	return string(b)
}

func TestRegister(t *testing.T) {
	var reg Registry // the zero value is usable
	if _, ok := reg.Object(0); ok {
		t.Fatal("empty registry has an object")
	}
	res := []ResourceDef{
		{7, "Seven", Float, OpRead, false, true},
		{1, "One", Integer, OpRead | OpWrite, true, false},
		{3, "Go", None, OpExecute, false, false},
	}
	o := ObjectDef{ID: 33000, Name: "Sensor", URN: "urn:oma:lwm2m:x:33000", Version: "2.1", Multiple: true, Resources: res}
	if err := reg.Register(o); err != nil {
		t.Fatal(err)
	}
	res[0].Name = "changed" // Register copied
	got, ok := reg.Object(33000)
	if !ok || got.Name != "Sensor" || len(got.Resources) != 3 {
		t.Fatalf("%+v", got)
	}
	for i, id := range []uint16{1, 3, 7} {
		if got.Resources[i].ID != id {
			t.Fatalf("resources not sorted: %+v", got.Resources)
		}
	}
	if r, ok := reg.Resource(33000, 7); !ok || r.Name != "Seven" {
		t.Fatalf("%+v", r)
	}
	if r, ok := reg.Resource(33000, 2); ok {
		t.Fatalf("%+v", r)
	}
	err := reg.Register(ObjectDef{ID: 33000, Name: "Again"})
	var e *Error
	if !errors.Is(err, ErrDuplicate) || !errors.As(err, &e) || e.Object != 33000 || e.Offset != -1 {
		t.Fatal(err)
	}
	if err.Error() != "lwm2m: object 33000: object ID already registered [LwM2M Core Appendix D]" {
		t.Error(err)
	}
	old, _ := reg.Object(33000)
	if err := reg.Replace(ObjectDef{ID: 33000, Name: "Again"}); err != nil {
		t.Fatal(err)
	}
	if o, _ := reg.Object(33000); o.Name != "Again" || old.Name != "Sensor" {
		t.Fatal(o.Name, old.Name)
	}
	if err := reg.Replace(ObjectDef{ID: 10, Name: "New"}); err != nil {
		t.Fatal(err)
	}
	if err := reg.Register(ObjectDef{ID: 0, Name: "Zero"}); err != nil {
		t.Fatal(err)
	}
	var ids []uint16
	for _, o := range reg.Objects(nil) {
		ids = append(ids, o.ID)
	}
	if fmtIDs(ids) != "0 10 33000" {
		t.Fatal(ids)
	}
}

func TestRegisterErrors(t *testing.T) {
	ok := ResourceDef{0, "Fine", String, OpRead, false, false}
	for _, c := range []struct {
		name string
		o    ObjectDef
		res  int
	}{
		{"object-max-id", ObjectDef{ID: 65535, Name: "X"}, -1},
		{"object-no-name", ObjectDef{ID: 1, Name: " "}, -1},
		{"bad-version", ObjectDef{ID: 1, Name: "X", Version: "1"}, -1},
		{"bad-version-letters", ObjectDef{ID: 1, Name: "X", Version: "1.a"}, -1},
		{"bad-urn", ObjectDef{ID: 1, Name: "X", URN: "urn:x:1"}, -1},
		{"resource-max-id", ObjectDef{ID: 1, Name: "X", Resources: []ResourceDef{ok, {65535, "Y", String, OpRead, false, false}}}, 65535},
		{"duplicate-resource", ObjectDef{ID: 1, Name: "X", Resources: []ResourceDef{{5, "A", String, OpRead, false, false}, ok, {5, "B", Integer, OpRead, false, false}}}, 5},
		{"resource-no-name", ObjectDef{ID: 1, Name: "X", Resources: []ResourceDef{{2, "", String, OpRead, false, false}}}, 2},
		{"unknown-type", ObjectDef{ID: 1, Name: "X", Resources: []ResourceDef{{2, "A", Type(42), OpRead, false, false}}}, 2},
		{"none-readable", ObjectDef{ID: 1, Name: "X", Resources: []ResourceDef{{2, "A", None, OpRead, false, false}}}, 2},
		{"none-no-ops", ObjectDef{ID: 1, Name: "X", Resources: []ResourceDef{{2, "A", None, 0, false, false}}}, 2},
		{"read-execute", ObjectDef{ID: 1, Name: "X", Resources: []ResourceDef{{2, "A", None, OpRead | OpExecute, false, false}}}, 2},
		{"unknown-op", ObjectDef{ID: 1, Name: "X", Resources: []ResourceDef{{2, "A", String, 8, false, false}}}, 2},
	} {
		reg := NewRegistry()
		err := reg.Register(c.o)
		var e *Error
		if !errors.Is(err, ErrModel) || !errors.As(err, &e) || e.Object != int(c.o.ID) || e.Resource != c.res || e.Rule == "" {
			t.Errorf("%s: %v", c.name, err)
		}
		if _, found := reg.Object(c.o.ID); found {
			t.Errorf("%s: registered anyway", c.name)
		}
		if err := reg.Replace(c.o); !errors.Is(err, ErrModel) {
			t.Errorf("%s: Replace: %v", c.name, err)
		}
	}
}

func TestOperations(t *testing.T) {
	for _, s := range []string{"", "R", "W", "RW", "E"} {
		o, ok := ParseOperations(s)
		if !ok || o.String() != s {
			t.Errorf("%q: %v %q", s, ok, o.String())
		}
	}
	if o, ok := ParseOperations(" RW "); !ok || o != OpRead|OpWrite {
		t.Error(o, ok)
	}
	for _, s := range []string{"WR", "RWE", "X", "r"} {
		if _, ok := ParseOperations(s); ok {
			t.Errorf("%q accepted", s)
		}
	}
	if s := (OpRead | OpExecute).String(); s != "RE" {
		t.Error(s)
	}
	if s := Operations(0x11).String(); s != "R?" {
		t.Error(s)
	}
}

// TestRegistryConcurrent runs lookups while another goroutine registers
// (go test -race checks the copy-on-write publication).
func TestRegistryConcurrent(t *testing.T) {
	reg := CoreRegistry()
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				if r, ok := reg.Resource(3, 13); !ok || r.Type != Time {
					t.Error("lost /3/x/13")
					return
				}
				if o, ok := reg.Object(40000); ok && o.Name != "Dyn" {
					t.Error("torn object")
					return
				}
			}
		}()
	}
	for i := 0; i < 200; i++ {
		id := uint16(40000 + i)
		if err := reg.Register(ObjectDef{ID: id, Name: "Dyn", Resources: []ResourceDef{{0, "V", Integer, OpRead, false, true}}}); err != nil {
			t.Fatal(err)
		}
	}
	close(stop)
	wg.Wait()
	if n := len(reg.Objects(nil)); n != len(coreObjects)+200 {
		t.Fatal(n)
	}
}

// TestObjectDefResource checks the direct-index and binary-search paths.
func TestObjectDefResource(t *testing.T) {
	o := &ObjectDef{Resources: []ResourceDef{{0, "a", String, OpRead, false, false}, {1, "b", String, OpRead, false, false}, {5, "c", String, OpRead, false, false}, {900, "d", String, OpRead, false, false}}}
	for _, id := range []uint16{0, 1, 5, 900} {
		if r, ok := o.Resource(id); !ok || r.ID != id {
			t.Errorf("%d: %+v", id, r)
		}
	}
	for _, id := range []uint16{2, 3, 4, 6, 899, 901, 65535} {
		if _, ok := o.Resource(id); ok {
			t.Errorf("%d found", id)
		}
	}
	if _, ok := (&ObjectDef{}).Resource(0); ok {
		t.Error("empty object has a resource")
	}
}
