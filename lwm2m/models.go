package lwm2m

import (
	"slices"
	"strings"
	"sync"
	"sync/atomic"
)

const ruleModel = "LwM2M Core Appendix D"

// MaxID is the largest object or resource ID; 65535 (MAX_ID) is reserved
// (LwM2M Core 7.1).
const MaxID = 65534

// Operations is the set of operations a resource allows, as the Operations
// column of an object definition gives it (LwM2M Core Appendix D.1): R, W,
// RW, E, or none for resources that only the Bootstrap-Server reaches (the
// Security and OSCORE objects).
type Operations uint8

// The operations.
const (
	OpRead    Operations = 1 << iota // R: Read, Observe, Discover, Write-Attributes
	OpWrite                          // W: Write
	OpExecute                        // E: Execute
)

// String returns "R", "W", "RW", "E" or "" (none), the spelling of the
// object definition XML; other combinations are written as their letters
// in R, W, E order.
func (o Operations) String() string {
	switch o {
	case 0:
		return ""
	case OpRead:
		return "R"
	case OpWrite:
		return "W"
	case OpRead | OpWrite:
		return "RW"
	case OpExecute:
		return "E"
	}
	var b []byte
	for i, c := range "RWE" {
		if o&(1<<i) != 0 {
			b = append(b, byte(c))
		}
	}
	if o >= 1<<3 {
		b = append(b, '?')
	}
	return string(b)
}

// ParseOperations parses the Operations column of an object definition:
// "R", "W", "RW", "E" or "" (surrounding spaces ignored).
func ParseOperations(s string) (Operations, bool) {
	switch strings.TrimSpace(s) {
	case "":
		return 0, true
	case "R":
		return OpRead, true
	case "W":
		return OpWrite, true
	case "RW":
		return OpRead | OpWrite, true
	case "E":
		return OpExecute, true
	}
	return 0, false
}

// ResourceDef is one row of an object definition's resource table (LwM2M
// Core Appendix D.1).
type ResourceDef struct {
	ID        uint16
	Name      string
	Type      Type       // None for an executable resource
	Ops       Operations // 0 when no LwM2M Server may access it
	Multiple  bool       // Multiple (true) or Single instances
	Mandatory bool       // Mandatory (true) or Optional
}

// ObjectDef is an object definition (LwM2M Core Appendix D.1): its
// identity, instance rules and resources.
type ObjectDef struct {
	ID        uint16
	Name      string
	URN       string // such as "urn:oma:lwm2m:oma:3:1.2"; may be empty
	Version   string // Object Version, "1.0" when empty (LwM2M Core 7.2.2)
	Multiple  bool   // Multiple (true) or Single instances
	Mandatory bool   // Mandatory (true) or Optional
	Resources []ResourceDef
}

// Resource returns the definition of resource id. o.Resources must be
// sorted by ID, as they are in every definition a [Registry] holds; the
// lookup is a direct index when the resources are numbered 0, 1, 2, ...
// and a binary search otherwise.
func (o *ObjectDef) Resource(id uint16) (*ResourceDef, bool) {
	rs := o.Resources
	if int(id) < len(rs) && rs[id].ID == id {
		return &rs[id], true
	}
	lo, hi := 0, len(rs)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if rs[m].ID < id {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo < len(rs) && rs[lo].ID == id {
		return &rs[lo], true
	}
	return nil, false
}

// Registry maps object IDs to object definitions. The zero value is an
// empty registry ready to use.
//
// A Registry is safe for concurrent use: Object and Resource read an
// immutable snapshot without locking or allocating, and Register and
// Replace publish a new snapshot (copy on write), so registering while
// other goroutines look up is safe, if slower than registering everything
// at start-up. The definitions a lookup returns belong to the registry and
// must not be modified.
type Registry struct {
	mu   sync.Mutex                   // serializes writers
	objs atomic.Pointer[[]*ObjectDef] // sorted by ID; never modified once published
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry { return new(Registry) }

// CoreRegistry returns a new registry holding the objects defined by the
// LwM2M Core specification 1.2 (Appendix E): LwM2M Security (0), LwM2M
// Server (1), Access Control (2), Device (3), Connectivity Monitoring (4),
// Firmware Update (5), Location (6), Connectivity Statistics (7), LwM2M
// OSCORE (21), LwM2M COSE (23) and MQTT Server (24). Each call returns a
// fresh registry that the caller may extend.
func CoreRegistry() *Registry {
	r := new(Registry)
	objs := make([]*ObjectDef, 0, len(coreObjects))
	for i := range coreObjects {
		o := cloneObject(&coreObjects[i])
		if err := validateObject(o); err != nil {
			panic("lwm2m: invalid core object: " + err.Error()) // a bug in models_core.go
		}
		objs = append(objs, o)
	}
	slices.SortFunc(objs, func(a, b *ObjectDef) int { return int(a.ID) - int(b.ID) })
	r.objs.Store(&objs)
	return r
}

// Register adds o to the registry. It copies o and its resources (sorted
// by ID) and checks them: IDs at most 65534, a name, no resource ID twice,
// operations R, W, RW, E or none, a type on every resource that is not
// executable (type none "exclusively concerns Executable Resource",
// Appendix C), a known type, a version of the
// form "major.minor" and a URN starting "urn:oma:lwm2m:". Errors wrap
// ErrModel; an ID already registered gives ErrDuplicate (use Replace).
func (r *Registry) Register(o ObjectDef) error { return r.add(&o, false) }

// Replace is Register that overwrites a definition with the same ID
// instead of failing. Definitions returned by earlier lookups keep their
// old content.
func (r *Registry) Replace(o ObjectDef) error { return r.add(&o, true) }

func (r *Registry) add(o *ObjectDef, replace bool) error {
	c := cloneObject(o)
	if err := validateObject(c); err != nil {
		return err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	var cur []*ObjectDef
	if p := r.objs.Load(); p != nil {
		cur = *p
	}
	i, found := slices.BinarySearchFunc(cur, c.ID, func(d *ObjectDef, id uint16) int { return int(d.ID) - int(id) })
	if found && !replace {
		return modelErr(int(c.ID), -1, ErrDuplicate, ruleModel, "object ID already registered")
	}
	next := make([]*ObjectDef, 0, len(cur)+1)
	next = append(next, cur[:i]...)
	next = append(next, c)
	if found {
		i++
	}
	next = append(next, cur[i:]...)
	r.objs.Store(&next)
	return nil
}

// Object returns the definition of object id.
func (r *Registry) Object(id uint16) (*ObjectDef, bool) {
	p := r.objs.Load()
	if p == nil {
		return nil, false
	}
	objs := *p
	lo, hi := 0, len(objs)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if objs[m].ID < id {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo < len(objs) && objs[lo].ID == id {
		return objs[lo], true
	}
	return nil, false
}

// Resource returns the definition of resource res of object obj.
func (r *Registry) Resource(obj, res uint16) (*ResourceDef, bool) {
	o, ok := r.Object(obj)
	if !ok {
		return nil, false
	}
	return o.Resource(res)
}

// Objects appends the registered definitions to dst in object ID order and
// returns the extended slice.
func (r *Registry) Objects(dst []*ObjectDef) []*ObjectDef {
	if p := r.objs.Load(); p != nil {
		dst = append(dst, *p...)
	}
	return dst
}

// cloneObject copies o with its resources sorted by ID.
func cloneObject(o *ObjectDef) *ObjectDef {
	c := *o
	c.Resources = slices.Clone(o.Resources)
	slices.SortStableFunc(c.Resources, func(a, b ResourceDef) int { return int(a.ID) - int(b.ID) })
	return &c
}

// validateObject checks a definition whose resources are sorted by ID.
func validateObject(o *ObjectDef) error {
	obj := int(o.ID)
	switch {
	case o.ID > MaxID:
		return modelErr(obj, -1, ErrModel, "LwM2M Core 7.1", "object ID 65535 (MAX_ID) is reserved")
	case strings.TrimSpace(o.Name) == "":
		return modelErr(obj, -1, ErrModel, ruleModel, "object without a name")
	case o.Version != "" && !validVersion(o.Version):
		return modelErr(obj, -1, ErrModel, "LwM2M Core 7.2.2", "object version is not major.minor")
	case o.URN != "" && !strings.HasPrefix(o.URN, "urn:oma:lwm2m:"):
		return modelErr(obj, -1, ErrModel, "LwM2M Core 7.2.2", "object URN does not start with urn:oma:lwm2m:")
	}
	for i := range o.Resources {
		rd := &o.Resources[i]
		res := int(rd.ID)
		switch {
		case rd.ID > MaxID:
			return modelErr(obj, res, ErrModel, "LwM2M Core 7.1", "resource ID 65535 (MAX_ID) is reserved")
		case i > 0 && o.Resources[i-1].ID == rd.ID:
			return modelErr(obj, res, ErrModel, ruleModel, "resource ID defined twice")
		case strings.TrimSpace(rd.Name) == "":
			return modelErr(obj, res, ErrModel, ruleModel, "resource without a name")
		case rd.Type > Corelnk:
			return modelErr(obj, res, ErrModel, ruleTypes, "unknown resource type")
		}
		switch rd.Ops {
		case 0, OpRead, OpWrite, OpRead | OpWrite:
			if rd.Type == None {
				return modelErr(obj, res, ErrModel, ruleTypes, "type none is for executable resources only")
			}
		case OpExecute:
		default:
			return modelErr(obj, res, ErrModel, ruleModel, "operations are not R, W, RW, E or none")
		}
	}
	return nil
}

// validVersion reports whether s is "major.minor", each 1 to 3 digits
// (LwM2M Core 7.2.2).
func validVersion(s string) bool {
	major, minor, ok := strings.Cut(s, ".")
	return ok && digits(major) && digits(minor)
}

func digits(s string) bool {
	if len(s) == 0 || len(s) > 3 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}
