package lwcbor

import (
	"slices"

	"github.com/iotwire/iotwire/internal/wire"
	"github.com/iotwire/iotwire/lwm2m"
	"github.com/iotwire/iotwire/lwm2m/path"
)

// Record is one resolved value: what [Decode] reports and [Encode] takes.
type Record struct {
	Path  path.Path
	Value lwm2m.Value
}

// Encode appends the LwM2M CBOR payload that answers the request path base
// with the records recs, in their order, and is the inverse of Decode: for
// a payload in the canonical form below, Decode then Encode gives back the
// same bytes, and for any payload Decode accepts, the records decoded from
// Encode's output are the ones decoded from the payload.
//
// The canonical form is one definite-length map, with the shortest head for
// every integer, length and count, and values as [AppendValue] writes them
// (floats in the shortest exact width, Objlnk as text, None as null). When
// the record paths ascend ([path.Path.Compare]), the map nests shared
// prefixes: at each level the records are grouped by their next identifier,
// in order; a group of one record has as key all of its remaining
// identifiers and as value the record's value; a group of several records
// has as key the identifiers they all share from there on, and as value a
// map built the same way one level further down. A key is an unsigned
// integer for one identifier and an array of them for several. For /3/0/0
// and /3/0/1 this gives {[3, 0]: {0: v0, 1: v1}}, for /3/0/0 alone
// {[3, 0, 0]: v0}. When the paths do not ascend, every record has its whole
// path as key, in the given order: {[3, 0, 1]: v1, [3, 0, 0]: v0}.
//
// Every record path must lie under base (the root accepts every path), and
// a record with a value other than None must name a resource or a resource
// instance. A path may appear once, and not together with a path below it
// (Decode rejects both). Checking this allocates nothing while the paths
// ascend; otherwise Encode sorts a copy of the paths (one allocation).
//
// On error Encode returns b unchanged and an [*Error] with Offset -1.
func Encode(b []byte, base path.Path, recs []Record) ([]byte, error) {
	ascending := true
	for i := range recs {
		p, v := recs[i].Path, recs[i].Value
		switch {
		case p.IsRoot():
			return b, encErr("path", p, ErrMalformed, ruleKey, "record for the root path")
		case !base.Contains(p):
			return b, encErr("path", p, ErrMalformed, ruleBase, "record outside the request path")
		case v.Type() != lwm2m.None && p.Level() < path.ResourceLevel:
			return b, encErr("path", p, ErrMalformed, ruleCBOR, "a value needs a resource or resource instance path")
		case ValueLen(v) < 0:
			_, err := appendValue(nil, v)
			err.Path = p
			return b, err
		}
		if i > 0 && ascending {
			q := recs[i-1].Path
			ascending = q.Compare(p) < 0 && !q.Contains(p)
		}
	}
	if !ascending {
		if err := checkPaths(recs); err != nil {
			return b, err
		}
		b = wire.AppendCBORHead(b, wire.CBORMap, uint64(len(recs)))
		for i := range recs {
			b = appendKey(b, recs[i].Path, 0, recs[i].Path.Len())
			b, _ = appendValue(b, recs[i].Value)
		}
		return b, nil
	}
	return appendMap(b, recs, 0), nil
}

// checkPaths finds a path given twice, or given together with a path
// below it, in records that do not ascend.
func checkPaths(recs []Record) *Error {
	ps := make([]path.Path, len(recs))
	for i := range recs {
		ps[i] = recs[i].Path
	}
	slices.SortFunc(ps, path.Path.Compare)
	for i := 1; i < len(ps); i++ {
		switch {
		case ps[i-1] == ps[i]:
			return encErr("path", ps[i], ErrMalformed, ruleLeaf, "path holds a value twice")
		case ps[i-1].Contains(ps[i]):
			// In ascending order a path with paths below it comes
			// right before one of them.
			return encErr("path", ps[i-1], ErrMalformed, ruleLeaf, "path holds a value and nested values")
		}
	}
	return nil
}

// appendMap appends the map of recs, which ascend and share their first d
// identifiers, in the canonical form.
func appendMap(b []byte, recs []Record, d int) []byte {
	n := 0
	for i := 0; i < len(recs); i = groupEnd(recs, i, d) {
		n++
	}
	b = wire.AppendCBORHead(b, wire.CBORMap, uint64(n))
	for i := 0; i < len(recs); {
		j := groupEnd(recs, i, d)
		if j == i+1 {
			p := recs[i].Path
			b = appendKey(b, p, d, p.Len())
			b, _ = appendValue(b, recs[i].Value) // checked by Encode
		} else {
			l := sharedLen(recs[i:j], d)
			b = appendKey(b, recs[i].Path, d, l)
			b = appendMap(b, recs[i:j], l)
		}
		i = j
	}
	return b
}

// groupEnd returns the end of the group of records starting at i that share
// identifier d.
func groupEnd(recs []Record, i, d int) int {
	id := recs[i].Path.ID(d)
	j := i + 1
	for j < len(recs) && recs[j].Path.ID(d) == id {
		j++
	}
	return j
}

// sharedLen returns how many identifiers all of recs (at least two, which
// ascend and share identifier d, none a prefix of another) share.
func sharedLen(recs []Record, d int) int {
	first, last := recs[0].Path, recs[len(recs)-1].Path
	l := d + 1
	for l < first.Len() && l < last.Len() && first.ID(l) == last.ID(l) {
		l++
	}
	return l
}

// appendKey appends identifiers d to l-1 of p: an unsigned integer for one,
// an array for several.
func appendKey(b []byte, p path.Path, d, l int) []byte {
	if l-d > 1 {
		b = wire.AppendCBORHead(b, wire.CBORArray, uint64(l-d))
	}
	for i := d; i < l; i++ {
		b = wire.AppendCBORUint(b, uint64(p.ID(i)))
	}
	return b
}
