package coapmsg

import "time"

// The Observe values of a GET or FETCH request (RFC 7641 section 2).
const (
	ObserveRegister   uint32 = 0 // add the client to the list of observers
	ObserveDeregister uint32 = 1 // remove the client from the list
)

// MaxObserve is the largest Observe value: the option holds 0 to 3 bytes,
// and notification sequence numbers are 24-bit and wrap around (RFC 7641
// sections 2 and 4.4).
const MaxObserve = 1<<24 - 1

// ObserveFreshness is how long a notification's sequence number orders it:
// a notification that arrives more than 128 seconds after the freshest one
// so far is newer whatever its number (RFC 7641 section 3.4).
const ObserveFreshness = 128 * time.Second

// Observe returns the Observe option of m (RFC 7641 section 2): in a
// request, ObserveRegister or ObserveDeregister; in a notification, its
// 24-bit sequence number. ok is false when the option is absent or longer
// than its 3 bytes.
func (m *Message) Observe() (v uint32, ok bool) {
	b, ok := m.Option(Observe)
	if !ok || len(b) > 3 {
		return 0, false
	}
	u, _ := decodeUint(b)
	return uint32(u), true
}

// SetObserve replaces the Observe options of m by one holding v modulo
// 2^24: a server may pass a running counter, since sequence numbers wrap
// around (RFC 7641 section 4.4). The value lives in the Message's own
// storage (see SetUint).
func (m *Message) SetObserve(v uint32) { m.SetUint(Observe, uint64(v&MaxObserve)) }

// ObserveNewer reports whether a notification with Observe value v2
// received at local time t2 is newer than the freshest one so far, with
// value v1 received at t1 (RFC 7641 section 3.4):
//
//	(V1 < V2 and V2 - V1 < 2^23) or
//	(V1 > V2 and V1 - V2 > 2^23) or
//	(T2 > T1 + 128 seconds)
//
// The values are taken modulo 2^24. A client keeps the newer notification
// and discards the other. Pass times from time.Now so that the monotonic
// clock readings are compared.
func ObserveNewer(v1 uint32, t1 time.Time, v2 uint32, t2 time.Time) bool {
	v1, v2 = v1&MaxObserve, v2&MaxObserve
	const half = 1 << 23
	return v1 < v2 && v2-v1 < half ||
		v1 > v2 && v1-v2 > half ||
		t2.After(t1.Add(ObserveFreshness))
}
