package device

import (
	"bytes"
	"context"
	"errors"
	"math"
	"time"

	"github.com/iotwire/iotwire/coapmsg"
	"github.com/iotwire/iotwire/examples/internal/coapep"
	"github.com/iotwire/iotwire/examples/internal/device/content"
	"github.com/iotwire/iotwire/lwm2m/link"
	"github.com/iotwire/iotwire/lwm2m/op"
	"github.com/iotwire/iotwire/lwm2m/path"
)

// observation is one Observe a server made (LwM2M Core 6.4.1): the token
// notifications carry, the path and format, and what was last sent. Its
// fields are guarded by the Client's mutex.
type observation struct {
	token  []byte
	path   path.Path
	format coapmsg.MediaType
	attrs  op.Attributes // given with the Observe itself (LwM2M 1.2)

	dirty   bool // a value under path changed since the last notification
	last    []byte
	lastNum float64
	hasNum  bool
	lastAt  time.Time
	mid     uint16 // Message ID of the last NON notification
	midSet  bool
}

// observe answers Observe: a Read whose response carries the Observe
// option, after which notifications follow (RFC 7641 section 3).
func (s *session) observe(req *op.Request) op.Response {
	c := s.c
	f := s.responseFormat(req)
	out, recs, err := s.render(req.Path, f, readServer)
	if err != nil {
		return s.fail(req, err)
	}
	c.mu.Lock()
	o := &observation{token: append([]byte(nil), req.Token...), path: req.Path, format: f, attrs: req.Attrs,
		last: out, lastAt: time.Now()}
	o.lastNum, o.hasNum = numeric(recs, req.Path)
	kept := s.obs[:0]
	for _, x := range s.obs {
		if !bytes.Equal(x.token, o.token) {
			kept = append(kept, x)
		}
	}
	s.obs = append(kept, o)
	s.seq++
	seq := s.seq
	c.mu.Unlock()
	s.poke()
	c.log.Info("← Observe", "path", req.Path, "format", f, "bytes", len(out))
	resp := op.Reply(req, coapmsg.Content)
	resp.Observe, resp.HasObserve = seq, true
	resp.ContentFormat, resp.HasContentFormat, resp.Payload = f, true, out
	return resp
}

// numeric returns the value of a single numeric resource, for the gt, lt
// and st conditions.
func numeric(recs []content.Record, p path.Path) (float64, bool) {
	if len(recs) != 1 || recs[0].Path != p {
		return 0, false
	}
	v := recs[0].Value
	if f, ok := v.Float(); ok {
		return f, true
	}
	if i, ok := v.Integer(); ok {
		return float64(i), true
	}
	if u, ok := v.Unsigned(); ok {
		return float64(u), true
	}
	return 0, false
}

// cancelObservation ends the observation with token (a GET with Observe 1,
// RFC 7641 section 3.6).
func (s *session) cancelObservation(token []byte) {
	c := s.c
	c.mu.Lock()
	defer c.mu.Unlock()
	for i, o := range s.obs {
		if bytes.Equal(o.token, token) {
			s.obs = append(s.obs[:i], s.obs[i+1:]...)
			return
		}
	}
}

// dropObservationsLocked ends the observations of what a Delete removed.
func (s *session) dropObservationsLocked(p path.Path) {
	kept := s.obs[:0]
	for _, o := range s.obs {
		if !p.Contains(o.path) {
			kept = append(kept, o)
		}
	}
	s.obs = kept
}

// changed marks the observations that see p; the client's mutex is held.
func (s *session) changed(p path.Path) {
	hit := false
	for _, o := range s.obs {
		if o.path.Contains(p) || p.Contains(o.path) {
			o.dirty, hit = true, true
		}
	}
	if hit {
		s.poke()
	}
}

func (s *session) poke() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// attrsFor returns the notification attributes in force for p: the
// Default Minimum and Maximum Periods of the Server Object, overridden by
// the attributes written on the object, the instance, the resource and the
// resource instance, in that order (LwM2M Core 1.1 5.1.2, attribute
// inheritance), then by those given with the Observe.
func (c *Client) attrsFor(p path.Path, given op.Attributes) op.Attributes {
	var a op.Attributes
	if srv := c.st.objects[1]; srv != nil {
		for _, i := range sortedKeys(srv.inst) {
			if v, ok := c.getInt(path.Resource(1, i, 2)); ok {
				a.Set, a.Pmin = a.Set|link.AttrPmin, v
			}
			if v, ok := c.getInt(path.Resource(1, i, 3)); ok {
				a.Set, a.Pmax = a.Set|link.AttrPmax, v
			}
			break
		}
	}
	merge := func(n op.Attributes) {
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
	}
	for n := 1; n <= p.Len(); n++ {
		q := p
		for q.Len() > n {
			q = q.Parent()
		}
		if x, ok := c.attrs[q]; ok {
			merge(x)
		}
	}
	merge(given)
	return a
}

// passes applies the Change Value Conditions (LwM2M Core 1.1 5.1.2, gt,
// lt and st) to a numeric resource going from last to cur: with none set
// every change counts; otherwise one of them must hold.
func passes(a op.Attributes, last, cur float64) bool {
	any, hit := false, false
	if a.Has(link.AttrGt) {
		any = true
		hit = hit || (last > a.Gt) != (cur > a.Gt)
	}
	if a.Has(link.AttrLt) {
		any = true
		hit = hit || (last < a.Lt) != (cur < a.Lt)
	}
	if a.Has(link.AttrSt) {
		any = true
		hit = hit || math.Abs(cur-last) >= a.St
	}
	return !any || hit
}

// notifier sends the notifications of the session's observations: when a
// value under an observed path changes, no sooner than pmin after the
// last one, and at least every pmax (LwM2M Core 1.1 5.1.2).
func (s *session) notifier(ctx context.Context) {
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	var bd op.Builder
	for {
		wait := s.notifyDue(ctx, &bd)
		if wait < 0 {
			wait = time.Hour
		}
		timer.Reset(wait)
		select {
		case <-ctx.Done():
			return
		case <-s.wake:
		case <-timer.C:
		}
	}
}

// notifyDue sends what is due and returns the time until the next check,
// or -1 when nothing is pending.
func (s *session) notifyDue(ctx context.Context, bd *op.Builder) time.Duration {
	c := s.c
	now := time.Now()
	next := time.Duration(-1)
	soon := func(d time.Duration) {
		if d > 0 && (next < 0 || d < next) {
			next = d
		}
	}
	type job struct {
		o     *observation
		force bool
		attrs op.Attributes
	}
	var jobs []job
	c.mu.Lock()
	if s.location == "" {
		c.mu.Unlock()
		return -1
	}
	for _, o := range s.obs {
		a := c.attrsFor(o.path, o.attrs)
		pmin := time.Duration(a.Pmin) * time.Second
		pmax := time.Duration(a.Pmax) * time.Second
		since := now.Sub(o.lastAt)
		force := a.Has(link.AttrPmax) && pmax > 0 && pmax >= pmin && since >= pmax
		switch {
		case force:
			jobs = append(jobs, job{o, true, a})
		case o.dirty && since >= pmin:
			jobs = append(jobs, job{o, false, a})
		case o.dirty:
			soon(pmin - since)
		}
		if a.Has(link.AttrPmax) && pmax > 0 {
			soon(pmax - since)
		}
	}
	c.mu.Unlock()

	for _, j := range jobs {
		o := j.o
		c.mu.Lock()
		p, f := o.path, o.format
		c.mu.Unlock()
		out, recs, err := s.render(p, f, readServer)
		if err != nil {
			// The path is gone (a Delete): the observation ends.
			c.mu.Lock()
			s.removeObservationLocked(o)
			c.mu.Unlock()
			continue
		}
		num, isNum := numeric(recs, p)
		c.mu.Lock()
		o.dirty = false
		skip := !j.force && (bytes.Equal(out, o.last) || isNum && o.hasNum && !passes(j.attrs, o.lastNum, num))
		if skip || !s.hasObservationLocked(o) {
			c.mu.Unlock()
			continue
		}
		s.seq++
		seq := s.seq
		o.last, o.lastAt, o.lastNum, o.hasNum = out, time.Now(), num, isNum
		token := o.token
		c.mu.Unlock()
		if pmax := time.Duration(j.attrs.Pmax) * time.Second; j.attrs.Has(link.AttrPmax) && pmax > 0 {
			soon(pmax)
		}

		n := op.Notify(&op.Request{Token: token}, seq)
		if !c.cfg.NonConfirmable {
			n.Type = coapmsg.Confirmable
		}
		n.ContentFormat, n.HasContentFormat, n.Payload = f, true, out
		m, err := bd.Response(&n)
		if err != nil {
			c.log.Error("notification", "err", err)
			continue
		}
		err = s.ep.Send(ctx, m, s.server)
		switch {
		case err == nil:
			c.notified.Add(1)
			c.log.Info("→ Notify", "path", p, "seq", seq, "values", content.FormatRecords(recs))
			if m.Type == coapmsg.NonConfirmable {
				c.mu.Lock()
				o.mid, o.midSet = m.MessageID, true
				c.mu.Unlock()
			}
		case errors.Is(err, coapep.ErrReset), errors.Is(err, coapep.ErrTimeout):
			// RFC 7641 3.6 and 4.5: a Reset, or no acknowledgement, ends
			// the observation.
			c.log.Info("observation ended", "path", p, "reason", err)
			c.mu.Lock()
			s.removeObservationLocked(o)
			c.mu.Unlock()
		default:
			if ctx.Err() != nil {
				return -1
			}
			c.log.Warn("notification not sent", "path", p, "err", err)
		}
	}
	return next
}

func (s *session) hasObservationLocked(o *observation) bool {
	for _, x := range s.obs {
		if x == o {
			return true
		}
	}
	return false
}

func (s *session) removeObservationLocked(o *observation) {
	for i, x := range s.obs {
		if x == o {
			s.obs = append(s.obs[:i], s.obs[i+1:]...)
			return
		}
	}
}

// Observations returns the paths the server observes, for logs and tests.
func (c *Client) Observations() []path.Path {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.sess == nil {
		return nil
	}
	var ps []path.Path
	for _, o := range c.sess.obs {
		ps = append(ps, o.path)
	}
	return ps
}
