package device

import (
	"errors"
	"slices"

	"github.com/iotwire/iotwire/coapmsg"
	"github.com/iotwire/iotwire/examples/internal/device/content"
	"github.com/iotwire/iotwire/lwm2m"
	"github.com/iotwire/iotwire/lwm2m/path"
)

// Object is an LwM2M Object the client serves: its definition and the hooks
// that give it behaviour. The values of its instances live in the client's
// store (read them with [Client.Get], change them with [Client.Set]); the
// hooks run on the transport's read goroutine, without the store's lock, so
// they may call Get and Set but must not wait for another exchange with the
// server (start a goroutine for that).
type Object struct {
	// Def is the object's definition (LwM2M Core Appendix D.1). It is
	// added to the client's registry unless the registry already holds
	// that Object ID.
	Def lwm2m.ObjectDef
	// OnWrite, when not nil, is called with the values a server writes to
	// instance inst, before they are stored. An error refuses the write:
	// a *CodeError gives its response code, any other error 4.00. Return
	// [Handled] to accept the write without storing the values.
	OnWrite func(inst uint16, recs []content.Record) error
	// OnExecute runs an executable resource; args are the Execute
	// arguments (LwM2M Core 6.3.5). nil answers 4.05 Method Not Allowed.
	OnExecute func(inst, res uint16, args []byte) error
	// OnRead, when not nil, gives the current value of a resource that
	// changes by itself (a clock); it reports false to use the stored
	// value.
	OnRead func(inst, res uint16) (lwm2m.Value, bool)
	// Creatable lets a server Create and Delete instances (LwM2M Core
	// 6.3.6 and 6.3.7); the core objects are not.
	Creatable bool
}

// CodeError is an error with the CoAP response code the client answers.
type CodeError struct {
	Code coapmsg.Code
	Msg  string
}

// Error describes the error.
func (e *CodeError) Error() string { return "device: " + e.Code.String() + ": " + e.Msg }

// Handled is returned by an OnWrite hook that took care of the values
// itself: the write succeeds and nothing is stored.
var Handled = errors.New("device: write handled by the object")

// Errors of the store.
var (
	ErrNotFound   = errors.New("device: no such object, instance or resource")
	ErrNotAllowed = errors.New("device: operation not allowed on this resource")
)

func codeOf(err error) coapmsg.Code {
	var ce *CodeError
	switch {
	case errors.As(err, &ce):
		return ce.Code
	case errors.Is(err, ErrNotFound):
		return coapmsg.NotFound
	case errors.Is(err, ErrNotAllowed):
		return coapmsg.MethodNotAllowed
	}
	return coapmsg.BadRequest
}

// The store: objects, their instances and resource values. Every method
// expects the Client's mutex to be held.
type object struct {
	def  *lwm2m.ObjectDef
	impl *Object
	inst map[uint16]*instance
}

type instance struct {
	res map[uint16]*resource
}

// resource holds a single value, or the instances of a multiple resource.
type resource struct {
	value lwm2m.Value
	multi map[uint16]lwm2m.Value
}

type store struct {
	reg     *lwm2m.Registry
	objects map[uint16]*object
}

func (s *store) object(id uint16) *object { return s.objects[id] }

func (s *store) ids() []uint16 {
	ids := make([]uint16, 0, len(s.objects))
	for id := range s.objects {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

func sortedKeys[V any](m map[uint16]V) []uint16 {
	ids := make([]uint16, 0, len(m))
	for id := range m {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// createInstance adds an empty instance.
func (s *store) createInstance(o, i uint16) error {
	obj := s.objects[o]
	if obj == nil {
		return ErrNotFound
	}
	if _, ok := obj.inst[i]; ok {
		return &CodeError{coapmsg.BadRequest, "instance exists"}
	}
	if !obj.def.Multiple && len(obj.inst) > 0 {
		return &CodeError{coapmsg.BadRequest, "single-instance object"}
	}
	obj.inst[i] = &instance{res: map[uint16]*resource{}}
	return nil
}

// set stores v at p, a resource or resource instance path, creating the
// instance when create is set. Byte values are copied.
func (s *store) set(p path.Path, v lwm2m.Value, create bool) error {
	if p.Level() < path.ResourceLevel {
		return ErrNotFound
	}
	obj := s.objects[p.ID(0)]
	if obj == nil {
		return ErrNotFound
	}
	def, ok := obj.def.Resource(p.ID(2))
	if !ok {
		return ErrNotFound
	}
	in := obj.inst[p.ID(1)]
	if in == nil {
		if !create {
			return ErrNotFound
		}
		if err := s.createInstance(p.ID(0), p.ID(1)); err != nil {
			return err
		}
		in = obj.inst[p.ID(1)]
	}
	r := in.res[p.ID(2)]
	if r == nil {
		r = &resource{}
		in.res[p.ID(2)] = r
	}
	v = content.CloneValue(v)
	switch {
	case def.Multiple && p.Level() == path.ResourceInstanceLevel:
		if r.multi == nil {
			r.multi = map[uint16]lwm2m.Value{}
		}
		r.multi[p.ID(3)] = v
	case def.Multiple && v.Type() == lwm2m.None:
		r.multi = map[uint16]lwm2m.Value{} // an empty multiple resource
	case def.Multiple || p.Level() == path.ResourceInstanceLevel:
		return &CodeError{coapmsg.BadRequest, "resource multiplicity does not match the path"}
	default:
		r.value = v
	}
	return nil
}

// remove deletes the value at p (a resource or resource instance) or the
// instance at p.
func (s *store) remove(p path.Path) {
	obj := s.objects[p.ID(0)]
	if obj == nil || p.Len() < 2 {
		return
	}
	if p.Len() == 2 {
		delete(obj.inst, p.ID(1))
		return
	}
	in := obj.inst[p.ID(1)]
	if in == nil {
		return
	}
	if p.Len() == 3 {
		delete(in.res, p.ID(2))
	} else if r := in.res[p.ID(2)]; r != nil {
		delete(r.multi, p.ID(3))
	}
}

// exists reports whether p names something present: an object, an
// instance, a resource with a value (an executable resource counts when
// its instance exists), a resource instance.
func (s *store) exists(p path.Path) bool {
	if p.IsRoot() {
		return true
	}
	obj := s.objects[p.ID(0)]
	if obj == nil {
		return false
	}
	if p.Len() == 1 {
		return true
	}
	in := obj.inst[p.ID(1)]
	if in == nil {
		return false
	}
	if p.Len() == 2 {
		return true
	}
	def, ok := obj.def.Resource(p.ID(2))
	if !ok {
		return false
	}
	if def.Ops&lwm2m.OpExecute != 0 {
		return p.Len() == 3
	}
	r := in.res[p.ID(2)]
	if r == nil {
		return obj.impl.OnRead != nil && p.Len() == 3 && s.dynamic(obj, p.ID(1), p.ID(2))
	}
	if p.Len() == 3 {
		return true
	}
	_, ok = r.multi[p.ID(3)]
	return ok
}

func (s *store) dynamic(obj *object, inst, res uint16) bool {
	_, ok := obj.impl.OnRead(inst, res)
	return ok
}

// readMode says which resources a read includes.
type readMode uint8

const (
	readServer    readMode = iota // an LwM2M server: resources with R
	readBootstrap                 // a bootstrap server: every resource with a value
)

// read appends the records under p, in path order. A server may read
// resources with the R operation only; asking for another one directly is
// ErrNotAllowed, and it is left out of the reads of its instance or object.
func (s *store) read(dst []content.Record, p path.Path, mode readMode) ([]content.Record, error) {
	if p.IsRoot() {
		return dst, ErrNotAllowed
	}
	obj := s.objects[p.ID(0)]
	if obj == nil {
		return dst, ErrNotFound
	}
	if p.Len() == 1 {
		for _, i := range sortedKeys(obj.inst) {
			dst = s.readInstance(dst, obj, i, mode)
		}
		return dst, nil
	}
	if obj.inst[p.ID(1)] == nil {
		return dst, ErrNotFound
	}
	if p.Len() == 2 {
		return s.readInstance(dst, obj, p.ID(1), mode), nil
	}
	def, ok := obj.def.Resource(p.ID(2))
	switch {
	case !ok:
		return dst, ErrNotFound
	case !readable(def, mode):
		return dst, ErrNotAllowed
	case !s.exists(p):
		return dst, ErrNotFound
	}
	n := len(dst)
	dst = s.readResource(dst, obj, p.ID(1), def)
	if p.Len() == 4 {
		// Keep only the resource instance asked for.
		out := dst[:n]
		for _, r := range dst[n:] {
			if r.Path == p {
				out = append(out, r)
			}
		}
		dst = out
	}
	return dst, nil
}

func readable(def *lwm2m.ResourceDef, mode readMode) bool {
	if def.Ops&lwm2m.OpExecute != 0 {
		return false
	}
	return mode == readBootstrap || def.Ops&lwm2m.OpRead != 0
}

func (s *store) readInstance(dst []content.Record, obj *object, i uint16, mode readMode) []content.Record {
	for k := range obj.def.Resources {
		def := &obj.def.Resources[k]
		if readable(def, mode) {
			dst = s.readResource(dst, obj, i, def)
		}
	}
	return dst
}

// readResource appends the value, or the instance values, of one resource.
func (s *store) readResource(dst []content.Record, obj *object, i uint16, def *lwm2m.ResourceDef) []content.Record {
	p := path.Resource(obj.def.ID, i, def.ID)
	if obj.impl.OnRead != nil {
		if v, ok := obj.impl.OnRead(i, def.ID); ok {
			return append(dst, content.Record{Path: p, Value: v})
		}
	}
	r := obj.inst[i].res[def.ID]
	if r == nil {
		return dst
	}
	if !def.Multiple {
		return append(dst, content.Record{Path: p, Value: r.value})
	}
	for _, ri := range sortedKeys(r.multi) {
		dst = append(dst, content.Record{Path: path.ResourceInstance(obj.def.ID, i, def.ID, ri), Value: r.multi[ri]})
	}
	return dst
}

// get returns the value at a resource or resource instance path.
func (s *store) get(p path.Path) (lwm2m.Value, bool) {
	recs, err := s.read(nil, p, readBootstrap)
	if err != nil || len(recs) != 1 || recs[0].Path != p {
		return lwm2m.Value{}, false
	}
	return recs[0].Value, true
}
