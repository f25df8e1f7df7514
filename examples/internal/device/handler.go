package device

import (
	"errors"

	"github.com/iotwire/iotwire/coapmsg"
	"github.com/iotwire/iotwire/examples/internal/coapep"
	"github.com/iotwire/iotwire/examples/internal/device/content"
	"github.com/iotwire/iotwire/lwm2m"
	"github.com/iotwire/iotwire/lwm2m/link"
	"github.com/iotwire/iotwire/lwm2m/op"
	"github.com/iotwire/iotwire/lwm2m/path"
)

// handle serves one request from the server, on the endpoint's read
// goroutine: op maps it to an operation, the store answers it.
func (s *session) handle(r *coapep.Request) {
	c := s.c
	var req op.Request
	if err := req.Parse(r.Msg, s.role); err != nil {
		var oe *op.Error
		code := coapmsg.BadRequest
		if errors.As(err, &oe) && oe.Code != 0 {
			code = oe.Code
		}
		c.log.Info("← refused", "code", code, "err", err)
		r.Resp.Code = code
		return
	}
	// A Block1 transfer (RFC 7959 2.5): gather the blocks, answer 2.31
	// Continue until the last, then serve the whole request.
	blk, isBlock, err := r.Msg.Block1(false)
	if err != nil {
		r.Resp.Code = coapmsg.BadOption
		return
	}
	if isBlock {
		if done := s.block1(r, &req, blk); !done {
			return
		}
	}
	resp := s.serve(&req)
	if isBlock {
		defer r.Resp.SetBlock1(coapmsg.Block{Num: blk.Num, More: false, SZX: blk.SZX})
	}
	s.reply(r, &resp)
}

// reply builds resp with op (which checks that the code is one the
// operation allows) into the endpoint's response.
func (s *session) reply(r *coapep.Request, resp *op.Response) {
	m, err := s.bd.Response(resp)
	if err != nil {
		s.c.log.Error("bad response", "err", err)
		r.Resp.Code = coapmsg.InternalServerError
		return
	}
	m.CopyTo(r.Resp, nil)
}

func (s *session) fail(req *op.Request, err error) op.Response {
	code := codeOf(err)
	s.c.log.Info("← "+req.Kind.String(), "path", req.Path, "code", code, "err", err)
	return op.Reply(req, code)
}

// serve answers an operation.
func (s *session) serve(req *op.Request) op.Response {
	switch req.Kind {
	case op.KindRead, op.KindBootstrapRead:
		return s.read(req)
	case op.KindObserve:
		return s.observe(req)
	case op.KindCancelObservation:
		s.cancelObservation(req.Token)
		return s.read(req)
	case op.KindDiscover, op.KindBootstrapDiscover:
		return s.discover(req)
	case op.KindWrite, op.KindBootstrapWrite:
		return s.write(req)
	case op.KindWriteAttributes:
		return s.writeAttributes(req)
	case op.KindExecute:
		return s.execute(req)
	case op.KindCreate:
		return s.create(req)
	case op.KindDelete, op.KindBootstrapDelete:
		return s.delete(req)
	case op.KindBootstrapFinish:
		s.c.log.Info("← Bootstrap-Finish")
		if np, ok := s.pc.(*notifyingPC); ok {
			np.arm()
		}
		select {
		case s.finished <- struct{}{}:
		default:
		}
		return op.Reply(req, coapmsg.Changed)
	}
	// Read-, Write- and Observe-Composite are not implemented here.
	return op.Reply(req, coapmsg.NotImplemented)
}

// responseFormat picks the format of a read: the server's Accept, else
// SenML CBOR for LwM2M 1.1 and TLV for 1.0 (see the package documentation).
func (s *session) responseFormat(req *op.Request) coapmsg.MediaType {
	if req.HasAccept {
		return req.Accept
	}
	if s.c.cfg.Version.Minor == 0 {
		return coapmsg.AppLwM2MTLV
	}
	return coapmsg.AppSenMLCBOR
}

// render reads p and encodes it in format f.
func (s *session) render(p path.Path, f coapmsg.MediaType, mode readMode) ([]byte, []content.Record, error) {
	c := s.c
	c.mu.Lock()
	recs, err := c.st.read(nil, p, mode)
	if err == nil && content.Single(f) {
		err = singleCheck(c.st, p, f, recs)
	}
	c.mu.Unlock()
	if err != nil {
		return nil, nil, err
	}
	if !content.Supported(f) {
		return nil, nil, &CodeError{coapmsg.NotAcceptable, "format not supported"}
	}
	out, err := content.Encode(nil, f, p, recs)
	if err != nil {
		return nil, nil, &CodeError{coapmsg.NotAcceptable, err.Error()}
	}
	return out, recs, nil
}

// singleCheck refuses a single-value format for a multiple resource, and
// the opaque format for a value that is not Opaque (4.06).
func singleCheck(st store, p path.Path, f coapmsg.MediaType, recs []content.Record) error {
	if len(recs) != 1 || recs[0].Path != p {
		return &CodeError{coapmsg.NotAcceptable, "a single-value format for several values"}
	}
	if f == coapmsg.AppOctetStream && recs[0].Value.Type() != lwm2m.Opaque {
		return &CodeError{coapmsg.NotAcceptable, "opaque format for a value that is not opaque"}
	}
	return nil
}

func (s *session) readMode() readMode {
	if s.role == op.RoleClientFromBootstrap {
		return readBootstrap
	}
	return readServer
}

func (s *session) read(req *op.Request) op.Response {
	f := s.responseFormat(req)
	out, _, err := s.render(req.Path, f, s.readMode())
	if err != nil {
		return s.fail(req, err)
	}
	s.c.log.Info("← "+req.Kind.String(), "path", req.Path, "format", f, "bytes", len(out))
	resp := op.Reply(req, coapmsg.Content)
	resp.ContentFormat, resp.HasContentFormat, resp.Payload = f, true, out
	return resp
}

// discover answers Discover (LwM2M Core 6.3.2) and Bootstrap-Discover
// (6.1.7.3) in CoRE Link Format, with the attributes written at each level.
func (s *session) discover(req *op.Request) op.Response {
	c := s.c
	c.mu.Lock()
	out, err := s.discoverLinks(req)
	c.mu.Unlock()
	if err != nil {
		return s.fail(req, err)
	}
	c.log.Info("← "+req.Kind.String(), "path", req.Path, "links", string(out))
	resp := op.Reply(req, coapmsg.Content)
	resp.ContentFormat, resp.HasContentFormat, resp.Payload = coapmsg.AppLinkFormat, true, out
	return resp
}

func (s *session) discoverLinks(req *op.Request) ([]byte, error) {
	c := s.c
	st := &c.st
	p := req.Path
	if !st.exists(p) {
		return nil, ErrNotFound
	}
	var w link.Writer
	w.Reset(nil)
	if req.Kind == op.KindBootstrapDiscover {
		// LwM2M Core 6.1.7.3: the version, then the instances, with the
		// ssid and uri of the Security and Server instances.
		w.Link("/")
		w.Version("lwm2m", c.cfg.Version)
		for _, id := range st.ids() {
			if !p.IsRoot() && p.ID(0) != id {
				continue
			}
			obj := st.objects[id]
			if len(obj.inst) == 0 {
				w.PathLink(path.Object(id))
			}
			for _, i := range sortedKeys(obj.inst) {
				w.PathLink(path.Instance(id, i))
				switch id {
				case 0:
					if v, ok := st.get(path.Resource(0, i, 10)); ok {
						if n, _ := v.Integer(); n > 0 {
							w.Int("ssid", n)
						}
					}
					if v, ok := st.get(path.Resource(0, i, 0)); ok {
						b, _ := v.Bytes()
						w.ParamBytes("uri", b)
					}
				case 1:
					if v, ok := st.get(path.Resource(1, i, 0)); ok {
						n, _ := v.Integer()
						w.Int("ssid", n)
					}
				}
			}
		}
		return w.Bytes()
	}
	obj := st.objects[p.ID(0)]
	writeAttrs := func(q path.Path) {
		if a, ok := c.attrs[q]; ok {
			la := linkAttrs(a)
			w.Attrs(&la)
		}
	}
	resLink := func(i uint16, def *lwm2m.ResourceDef) {
		rp := path.Resource(obj.def.ID, i, def.ID)
		if !st.exists(rp) {
			return
		}
		w.PathLink(rp)
		if def.Multiple {
			if r := obj.inst[i].res[def.ID]; r != nil {
				w.Uint("dim", uint64(len(r.multi)))
			}
		}
		writeAttrs(rp)
	}
	switch p.Level() {
	case path.ObjectLevel:
		w.PathLink(p)
		if v := obj.def.Version; v != "" && v != "1.0" {
			w.Param("ver", v)
		}
		writeAttrs(p)
		for _, i := range sortedKeys(obj.inst) {
			w.PathLink(path.Instance(p.ID(0), i))
			writeAttrs(path.Instance(p.ID(0), i))
			for k := range obj.def.Resources {
				resLink(i, &obj.def.Resources[k])
			}
		}
	case path.InstanceLevel:
		w.PathLink(p)
		writeAttrs(p)
		for k := range obj.def.Resources {
			resLink(p.ID(1), &obj.def.Resources[k])
		}
	default:
		def, _ := obj.def.Resource(p.ID(2))
		resLink(p.ID(1), def)
	}
	return w.Bytes()
}

// linkAttrs converts notification attributes to their link form.
func linkAttrs(a op.Attributes) link.Attrs {
	return link.Attrs{Set: a.Set, Pmin: a.Pmin, Pmax: a.Pmax, Gt: a.Gt, Lt: a.Lt, St: a.St,
		Epmin: a.Epmin, Epmax: a.Epmax, Edge: a.Edge, Con: a.Con, Hqmax: a.Hqmax}
}

// write answers Write (LwM2M Core 6.3.3, replace with PUT, partial update
// with POST) and Bootstrap-Write (6.1.7.2).
func (s *session) write(req *op.Request) op.Response {
	c := s.c
	bootstrap := req.Kind == op.KindBootstrapWrite
	if !content.Supported(req.ContentFormat) {
		return s.fail(req, &CodeError{coapmsg.UnsupportedContentFormat, "format not supported"})
	}
	recs, err := content.Decode(req.ContentFormat, req.Path, c.reg, req.Payload)
	if err != nil {
		return s.fail(req, &CodeError{coapmsg.BadRequest, err.Error()})
	}
	p := req.Path
	// Check the target and every value before anything changes.
	c.mu.Lock()
	obj := c.st.objects[p.ID(0)]
	err = func() error {
		if obj == nil {
			return ErrNotFound
		}
		if !bootstrap && (p.Len() < 2 || obj.inst[p.ID(1)] == nil) {
			return ErrNotFound
		}
		for _, r := range recs {
			if r.Path.Len() < 2 {
				return &CodeError{coapmsg.BadRequest, "a value above the instance level"}
			}
			if r.Path.Len() == 2 {
				continue // an empty instance (TLV)
			}
			def, ok := obj.def.Resource(r.Path.ID(2))
			if !ok {
				return ErrNotFound
			}
			if !bootstrap && (def.Ops&lwm2m.OpWrite == 0) {
				return ErrNotAllowed
			}
		}
		return nil
	}()
	var impl *Object
	if obj != nil {
		impl = obj.impl
	}
	c.mu.Unlock()
	if err != nil {
		return s.fail(req, err)
	}
	if impl.OnWrite != nil && !bootstrap {
		inst := uint16(0)
		if p.Len() >= 2 {
			inst = p.ID(1)
		}
		if err := impl.OnWrite(inst, recs); err != nil {
			if errors.Is(err, Handled) {
				c.log.Info("← "+req.Kind.String(), "path", p, "format", req.ContentFormat, "bytes", len(req.Payload))
				return op.Reply(req, coapmsg.Changed)
			}
			return s.fail(req, err)
		}
	}
	c.mu.Lock()
	err = c.applyLocked(p, recs, !req.Partial, bootstrap)
	c.mu.Unlock()
	if err != nil {
		return s.fail(req, err)
	}
	c.log.Info("← "+req.Kind.String(), "path", p, "partial", req.Partial, "values", content.FormatRecords(recs))
	if !bootstrap {
		c.afterServerWrite(recs)
	}
	return op.Reply(req, coapmsg.Changed)
}

// applyLocked stores written records. A replace empties each multiple
// resource it writes first, so that its instance set becomes the written
// one (LwM2M Core 6.3.3); a replace of an instance replaces the resources
// it carries and leaves the others (a simplification: the specification
// replaces the whole instance).
func (c *Client) applyLocked(base path.Path, recs []content.Record, replace, create bool) error {
	if replace {
		cleared := map[path.Path]bool{}
		for _, r := range recs {
			if r.Path.Len() == 4 && base.Len() <= 3 {
				rp := r.Path.Parent()
				if !cleared[rp] {
					cleared[rp] = true
					c.st.remove(rp)
				}
			}
		}
	}
	objectsChanged := false
	for _, r := range recs {
		if r.Path.Len() == 2 {
			if !c.st.exists(r.Path) {
				if err := c.st.createInstance(r.Path.ID(0), r.Path.ID(1)); err != nil {
					return err
				}
				objectsChanged = true
			}
			continue
		}
		if !c.st.exists(r.Path.Parent()) && r.Path.Len() == 3 {
			objectsChanged = true
		}
		if err := c.st.set(r.Path, r.Value, create); err != nil {
			return err
		}
		c.changedLocked(r.Path)
	}
	if objectsChanged {
		c.objectsChangedLocked()
	}
	return nil
}

// afterServerWrite reacts to writes of the Server Object: a new lifetime
// or binding goes to the server in an Update (LwM2M Core 6.2.2).
func (c *Client) afterServerWrite(recs []content.Record) {
	for _, r := range recs {
		if r.Path.Len() >= 3 && r.Path.ID(0) == 1 && (r.Path.ID(2) == 1 || r.Path.ID(2) == 7) {
			c.requestUpdate()
			return
		}
	}
}

// writeAttributes answers Write-Attributes (LwM2M Core 6.3.4): attributes
// with a value are set, those without one removed.
func (s *session) writeAttributes(req *op.Request) op.Response {
	c := s.c
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.st.exists(req.Path) {
		return s.fail(req, ErrNotFound)
	}
	a := c.attrs[req.Path]
	n := req.Attrs
	a.Set &^= n.Unset
	a.Set |= n.Set
	if n.Set&link.AttrPmin != 0 {
		a.Pmin = n.Pmin
	}
	if n.Set&link.AttrPmax != 0 {
		a.Pmax = n.Pmax
	}
	if n.Set&link.AttrGt != 0 {
		a.Gt = n.Gt
	}
	if n.Set&link.AttrLt != 0 {
		a.Lt = n.Lt
	}
	if n.Set&link.AttrSt != 0 {
		a.St = n.St
	}
	if n.Set&link.AttrEpmin != 0 {
		a.Epmin = n.Epmin
	}
	if n.Set&link.AttrEpmax != 0 {
		a.Epmax = n.Epmax
	}
	if n.Set&link.AttrEdge != 0 {
		a.Edge = n.Edge
	}
	if n.Set&link.AttrCon != 0 {
		a.Con = n.Con
	}
	if n.Set&link.AttrHqmax != 0 {
		a.Hqmax = n.Hqmax
	}
	if a.Set == 0 {
		delete(c.attrs, req.Path)
	} else {
		c.attrs[req.Path] = a
	}
	c.log.Info("← Write-Attributes", "path", req.Path, "attrs", a.Set)
	if s.wake != nil {
		s.poke()
	}
	return op.Reply(req, coapmsg.Changed)
}

// execute answers Execute (LwM2M Core 6.3.5).
func (s *session) execute(req *op.Request) op.Response {
	c := s.c
	p := req.Path
	c.mu.Lock()
	var impl *Object
	err := func() error {
		obj := c.st.objects[p.ID(0)]
		if obj == nil || obj.inst[p.ID(1)] == nil {
			return ErrNotFound
		}
		def, ok := obj.def.Resource(p.ID(2))
		if !ok {
			return ErrNotFound
		}
		if def.Ops&lwm2m.OpExecute == 0 || obj.impl.OnExecute == nil {
			return ErrNotAllowed
		}
		impl = obj.impl
		return nil
	}()
	c.mu.Unlock()
	if err == nil {
		err = impl.OnExecute(p.ID(1), p.ID(2), req.Payload)
	}
	if err != nil {
		return s.fail(req, err)
	}
	c.log.Info("← Execute", "path", p, "args", string(req.Payload))
	return op.Reply(req, coapmsg.Changed)
}

// create answers Create (LwM2M Core 6.3.6): the new instance's ID comes
// from the payload, or is the lowest free one.
func (s *session) create(req *op.Request) op.Response {
	c := s.c
	recs, err := content.Decode(req.ContentFormat, req.Path, c.reg, req.Payload)
	if err != nil {
		return s.fail(req, &CodeError{coapmsg.BadRequest, err.Error()})
	}
	c.mu.Lock()
	obj := c.st.objects[req.Path.ID(0)]
	var id uint16
	err = func() error {
		if obj == nil {
			return ErrNotFound
		}
		if !obj.impl.Creatable {
			return ErrNotAllowed
		}
		has := false
		for _, r := range recs {
			if r.Path.Len() < 2 || has && r.Path.ID(1) != id {
				return &CodeError{coapmsg.BadRequest, "values for more than one instance"}
			}
			id, has = r.Path.ID(1), true
		}
		if !has {
			for obj.inst[id] != nil {
				id++
			}
			recs = nil
		}
		if err := c.st.createInstance(obj.def.ID, id); err != nil {
			return err
		}
		return c.applyLocked(path.Instance(obj.def.ID, id), recs, true, false)
	}()
	c.mu.Unlock()
	if err != nil {
		return s.fail(req, err)
	}
	c.mu.Lock()
	c.objectsChangedLocked()
	c.mu.Unlock()
	created := path.Instance(req.Path.ID(0), id)
	c.log.Info("← Create", "path", created)
	resp := op.Reply(req, coapmsg.Created)
	resp.SetCreatedPath(created, make([]byte, 0, 12))
	return resp
}

// delete answers Delete (LwM2M Core 6.3.7) and Bootstrap-Delete (6.1.7.5),
// which keeps the bootstrap account and the Device Object instance.
func (s *session) delete(req *op.Request) op.Response {
	c := s.c
	p := req.Path
	c.mu.Lock()
	defer c.mu.Unlock()
	if req.Kind == op.KindDelete {
		obj := c.st.objects[p.ID(0)]
		if obj == nil || obj.inst[p.ID(1)] == nil {
			return s.fail(req, ErrNotFound)
		}
		if !obj.impl.Creatable {
			return s.fail(req, ErrNotAllowed)
		}
		c.st.remove(p)
	} else {
		for _, id := range c.st.ids() {
			if !p.IsRoot() && p.ID(0) != id {
				continue
			}
			obj := c.st.objects[id]
			for _, i := range sortedKeys(obj.inst) {
				ip := path.Instance(id, i)
				if p.Len() == 2 && ip != p || id == 3 {
					continue
				}
				if id == 0 {
					if v, ok := c.st.get(path.Resource(0, i, 1)); ok {
						if b, _ := v.Bool(); b {
							continue // the Bootstrap-Server Account stays
						}
					}
				}
				c.st.remove(ip)
			}
		}
	}
	s.dropObservationsLocked(p)
	c.objectsChangedLocked()
	c.log.Info("← "+req.Kind.String(), "path", p)
	return op.Reply(req, coapmsg.Deleted)
}

// upload is a Block1 transfer being received.
type upload struct {
	active bool
	from   string
	path   path.Path
	buf    []byte
	limit  int
}

// block1 takes one block of a request; it reports true when the last block
// has arrived and req.Payload holds the whole body.
func (s *session) block1(r *coapep.Request, req *op.Request, blk coapmsg.Block) bool {
	c := s.c
	u := &s.upload
	from := r.From.String()
	if blk.Num == 0 {
		limit := 64 << 10
		if req.Path == path.Resource(5, 0, 0) {
			limit = c.cfg.FirmwareMaxSize + maxImageHeader
		}
		*u = upload{active: true, from: from, path: req.Path, limit: limit}
		if size, ok := r.Msg.Size1(); ok && int(size) > limit {
			return s.tooLarge(r, req, u)
		}
		if req.Path == path.Resource(5, 0, 0) {
			if err := c.firmwareDownloading(); err != nil {
				*u = upload{}
				resp := s.fail(req, err)
				s.reply(r, &resp)
				return false
			}
		}
	} else if !u.active || u.from != from || u.path != req.Path || blk.Offset() != len(u.buf) {
		// RFC 7959 2.9.2: a block out of sequence.
		resp := op.Reply(req, coapmsg.RequestEntityIncomplete)
		s.reply(r, &resp)
		return false
	}
	u.buf = append(u.buf, req.Payload...)
	if len(u.buf) > u.limit {
		return s.tooLarge(r, req, u)
	}
	if blk.More {
		resp := op.Reply(req, coapmsg.Continue)
		s.reply(r, &resp)
		r.Resp.SetBlock1(blk)
		return false
	}
	req.Payload = u.buf
	*u = upload{}
	return true
}

// tooLarge refuses a transfer with 4.13 and the size accepted (RFC 7959
// 2.9.3); a firmware package ends with Update Result 2.
func (s *session) tooLarge(r *coapep.Request, req *op.Request, u *upload) bool {
	if u.path == path.Resource(5, 0, 0) {
		s.c.firmwareFailed(ResultNoStorage)
	}
	limit := u.limit
	*u = upload{}
	s.c.log.Info("← Block1 transfer too large", "path", req.Path, "limit", limit)
	resp := op.Reply(req, coapmsg.RequestEntityTooLarge)
	s.reply(r, &resp)
	r.Resp.SetSize1(uint32(limit))
	return false
}
