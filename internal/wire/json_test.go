package wire

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// tokens scans b and writes its tokens back without white space, the way
// json.Compact does; it returns the error, if any.
func tokens(b []byte, depth int) (string, JSONError) {
	var s JSONScanner
	s.Reset(b, depth)
	var out []byte
	prevValue := false // the previous token ended a value or was a name
	for {
		t, ok := s.Next()
		if !ok {
			break
		}
		if prevValue && t.Kind != JSONEndArray && t.Kind != JSONEndObject {
			out = append(out, ',')
		}
		switch t.Kind {
		case JSONBeginArray:
			out = append(out, '[')
		case JSONEndArray:
			out = append(out, ']')
		case JSONBeginObject:
			out = append(out, '{')
		case JSONEndObject:
			out = append(out, '}')
		case JSONName:
			out = append(append(append(out, '"'), t.Raw...), '"', ':')
		case JSONString:
			out = append(append(append(out, '"'), t.Raw...), '"')
		case JSONNumber:
			out = append(out, t.Raw...)
		case JSONTrue, JSONFalse, JSONNull:
			out = append(out, t.Kind.String()...)
		}
		switch t.Kind {
		case JSONEndArray, JSONEndObject, JSONString, JSONNumber, JSONTrue, JSONFalse, JSONNull:
			prevValue = true
		default:
			prevValue = false
		}
	}
	return string(out), s.Err()
}

func TestJSONScannerValid(t *testing.T) {
	for _, in := range []string{
		`[]`, `{}`, ` [ ] `, "\t\r\n{}\n", `0`, `-0`, `-0.0e+0`, `1E9`, `"x"`, `true`, `false`, `null`,
		`[1,2.5,-3e-7,"a",true,false,null,{},[]]`,
		`{"a":{"b":[{"c":null}]},"d":"\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00"}`,
		`[{"bn":"/3/0/","n":"0","vs":"Open Mobile Alliance"},{"n":"1","v":1}]`,
		"\"h\u00e9llo \u4e16\u754c \U0001F600\"",
		`"\u0000"`, `123456789012345678901234567890`,
	} {
		got, err := tokens([]byte(in), 0)
		if err.Status != JSONOK {
			t.Errorf("%q: %+v", in, err)
			continue
		}
		var want bytes.Buffer
		if e := json.Compact(&want, []byte(in)); e != nil {
			t.Fatalf("%q: encoding/json: %v", in, e)
		}
		if got != want.String() {
			t.Errorf("%q: tokens give %q, json.Compact %q", in, got, want.String())
		}
	}
}

func TestJSONScannerErrors(t *testing.T) {
	for _, c := range []struct {
		in     string
		status JSONStatus
		off    int
	}{
		{``, JSONTruncated, 0},
		{`   `, JSONTruncated, 3},
		{`[`, JSONTruncated, 1},
		{`[1`, JSONTruncated, 2},
		{`[1,`, JSONTruncated, 3},
		{`{"a"`, JSONTruncated, 4},
		{`{"a":`, JSONTruncated, 5},
		{`"abc`, JSONTruncated, 4},
		{`"\`, JSONTruncated, 2},
		{`"\u12`, JSONTruncated, 5},
		{`"\ud83d`, JSONTruncated, 7},
		{`"\ud83d\`, JSONTruncated, 8},
		{`"\ud83d\ude`, JSONTruncated, 11},
		{"\"\xe2\x82", JSONTruncated, 3},
		{`tru`, JSONTruncated, 3},
		{`-`, JSONTruncated, 1},
		{`1.`, JSONTruncated, 2},
		{`1e`, JSONTruncated, 2},
		{`1e+`, JSONTruncated, 3},
		{`[1,]`, JSONMalformed, 3},
		{`{"a":1,}`, JSONMalformed, 7},
		{`[1 2]`, JSONMalformed, 3},
		{`{"a" 1}`, JSONMalformed, 5},
		{`{"a":1 "b":2}`, JSONMalformed, 7},
		{`{1:2}`, JSONMalformed, 1},
		{`[}`, JSONMalformed, 1},
		{`{]`, JSONMalformed, 1},
		{`[1}`, JSONMalformed, 2},
		{`1 2`, JSONMalformed, 2},
		{`[] x`, JSONMalformed, 3},
		{`01`, JSONMalformed, 1},
		{`-01`, JSONMalformed, 2},
		{`+1`, JSONMalformed, 0},
		{`.5`, JSONMalformed, 0},
		{`1.e5`, JSONMalformed, 2},
		{`1e+x`, JSONMalformed, 3},
		{`-x`, JSONMalformed, 1},
		{`NaN`, JSONMalformed, 0},
		{`Infinity`, JSONMalformed, 0},
		{`True`, JSONMalformed, 0},
		{`nul1`, JSONMalformed, 3},
		{`'a'`, JSONMalformed, 0},
		{"\"a\tb\"", JSONMalformed, 2},
		{"\"a\x00b\"", JSONMalformed, 2},
		{`"\x"`, JSONMalformed, 1},
		{`"\u12g4"`, JSONMalformed, 1},
		{`"\U0041"`, JSONMalformed, 1},
		{`"\ude00"`, JSONMalformed, 1},
		{`"\ud83d"`, JSONMalformed, 1},
		{`"\ud83dx"`, JSONMalformed, 1},
		{`"\ud83d\u0041"`, JSONMalformed, 1},
		{`"\ud83d\n"`, JSONMalformed, 1},
		{"\"\xff\"", JSONMalformed, 1},
		{"\"\xc0\xaf\"", JSONMalformed, 1},         // overlong '/'
		{"\"\xed\xa0\x80\"", JSONMalformed, 1},     // an encoded surrogate
		{"\"\xf4\x90\x80\x80\"", JSONMalformed, 1}, // above U+10FFFF
		{"\xef\xbb\xbf[]", JSONMalformed, 0},       // byte order mark
		{"[\v]", JSONMalformed, 1},
		{"[\u00a0]", JSONMalformed, 1},
	} {
		_, err := tokens([]byte(c.in), 0)
		if err.Status != c.status || err.Offset != c.off {
			t.Errorf("%q: got %+v, want status %d at %d", c.in, err, c.status, c.off)
		}
		if err.Msg == "" || err.Rule == "" {
			t.Errorf("%q: no message or rule: %+v", c.in, err)
		}
		if c.status == JSONMalformed && json.Valid([]byte(c.in)) && utf8.ValidString(c.in) && !strings.Contains(c.in, `\ud`) {
			t.Errorf("%q: encoding/json accepts it", c.in)
		}
	}
}

func TestJSONScannerDepth(t *testing.T) {
	deep := func(n int) []byte { return []byte(strings.Repeat("[", n) + strings.Repeat("]", n)) }
	if _, err := tokens(deep(3), 3); err.Status != JSONOK {
		t.Fatal(err)
	}
	if _, err := tokens(deep(4), 3); err.Status != JSONLimit || err.Offset != 3 {
		t.Fatalf("%+v", err)
	}
	if _, err := tokens(deep(MaxJSONDepth), 0); err.Status != JSONOK {
		t.Fatal(err)
	}
	if _, err := tokens(deep(MaxJSONDepth+1), 1000); err.Status != JSONLimit {
		t.Fatal(err)
	}
	// Objects and arrays alternate, 60 levels deep.
	var b strings.Builder
	for i := 0; i < 30; i++ {
		b.WriteString(`{"a":[`)
	}
	for i := 0; i < 30; i++ {
		b.WriteString(`]}`)
	}
	if _, err := tokens([]byte(b.String()), 0); err.Status != JSONOK {
		t.Fatal(err)
	}
}

func TestJSONSkipValue(t *testing.T) {
	var s JSONScanner
	s.Reset([]byte(`{"x":[1,{"y":[]}],"z":2}`), 0)
	s.Next()
	if n, _ := s.Next(); string(n.Raw) != "x" {
		t.Fatal(n)
	}
	v, _ := s.Next()
	if !s.SkipValue(v) || s.Depth() != 1 {
		t.Fatal(s.Depth(), s.Err())
	}
	if n, _ := s.Next(); string(n.Raw) != "z" {
		t.Fatal(n)
	}
	v, _ = s.Next()
	if !s.SkipValue(v) || v.Kind != JSONNumber {
		t.Fatal(v)
	}
	if e, ok := s.Next(); !ok || e.Kind != JSONEndObject {
		t.Fatal(e)
	}
	if _, ok := s.Next(); ok || s.Failed() {
		t.Fatal(s.Err())
	}
}

func TestUnescapeJSON(t *testing.T) {
	for _, in := range []string{
		`plain`, ``, `a\"b`, `\\\/\b\f\n\r\t`, `\u00e9\u4E16`, `\ud83d\ude00!`, `x\u0000y`, `caf\u00e9 \u2028`,
	} {
		b := []byte(`"` + in + `"`)
		var s JSONScanner
		s.Reset(b, 0)
		tok, ok := s.Next()
		if !ok {
			t.Fatalf("%q: %+v", in, s.Err())
		}
		var want string
		if err := json.Unmarshal(b, &want); err != nil {
			t.Fatal(err)
		}
		dst := make([]byte, 3, 64)
		got, out := UnescapeJSON(dst, tok.Raw)
		if string(got) != want {
			t.Errorf("%q: got %q, want %q", in, got, want)
		}
		if !tok.Escaped {
			if len(got) > 0 && &got[0] != &tok.Raw[0] || len(out) != 3 {
				t.Errorf("%q: not an alias", in)
			}
		} else if len(out) != 3+len(want) || cap(got) != len(got) {
			t.Errorf("%q: out %d", in, len(out))
		}
	}
	// Unchecked input does not panic.
	for _, in := range []string{`\`, `\u`, `\u12`, `\ud800\u`, `\ud800\uzzzz`, `\q`} {
		UnescapeJSON(nil, []byte(in))
	}
}

func TestParseJSONNumber(t *testing.T) {
	for _, c := range []struct {
		in   string
		kind NumKind
		want any
	}{
		{"0", NumInt, int64(0)},
		{"-0", NumInt, int64(0)},
		{"1367491215", NumInt, int64(1367491215)},
		{"9223372036854775807", NumInt, int64(math.MaxInt64)},
		{"-9223372036854775808", NumInt, int64(math.MinInt64)},
		{"9223372036854775808", NumUint, uint64(1 << 63)},
		{"18446744073709551615", NumUint, uint64(math.MaxUint64)},
		{"18446744073709551616", NumFloat, 18446744073709551616.0},
		{"-9223372036854775809", NumFloat, -9223372036854775809.0},
		{"99999999999999999999", NumFloat, 1e20},
		{"123456789012345678901234567890", NumFloat, 1.2345678901234568e29},
		{"22.4", NumFloat, 22.4},
		{"-0.0", NumFloat, math.Copysign(0, -1)},
		{"1e2", NumFloat, 100.0},
		{"1E-400", NumFloat, 0.0},
		{"0.000000000000000000000000000000000000000000001", NumFloat, 1e-45},
	} {
		kind, bits, ok := ParseJSONNumber([]byte(c.in), strings.ContainsAny(c.in, ".eE") || len(c.in) > 20)
		if !ok || kind != c.kind {
			t.Errorf("%s: kind %d ok %v", c.in, kind, ok)
			continue
		}
		var got any
		switch kind {
		case NumInt:
			got = int64(bits)
		case NumUint:
			got = bits
		default:
			got = math.Float64frombits(bits)
		}
		if g, ok := got.(float64); ok {
			if math.Float64bits(g) != math.Float64bits(c.want.(float64)) {
				t.Errorf("%s: got %v, want %v", c.in, got, c.want)
			}
		} else if got != c.want {
			t.Errorf("%s: got %v, want %v", c.in, got, c.want)
		}
	}
	for _, in := range []string{"1e309", "-1e400", "1" + strings.Repeat("0", 400)} {
		if _, _, ok := ParseJSONNumber([]byte(in), true); ok {
			t.Errorf("%s accepted", in)
		}
	}
}

func TestAppendJSONFloat(t *testing.T) {
	for _, c := range []struct {
		f    float64
		want string
	}{
		{0, "0.0"},
		{math.Copysign(0, -1), "-0.0"},
		{20, "20.0"},
		{-30, "-30.0"},
		{22.4, "22.4"},
		{-128.8, "-128.8"},
		{0.101, "0.101"},
		{1699877805.766, "1699877805.766"},
		{1e20, "100000000000000000000.0"},
		{1e21, "1e21"},
		{1.5e300, "1.5e300"},
		{1e-6, "0.000001"},
		{1.5e-7, "1.5e-7"},
		{6.667e-11, "6.667e-11"},
		{math.MaxFloat64, "1.7976931348623157e308"},
		{5e-324, "5e-324"},
		{123456.789, "123456.789"},
	} {
		got, ok := AppendJSONFloat([]byte("x"), c.f)
		if !ok || string(got) != "x"+c.want {
			t.Errorf("%v: got %q, want %q", c.f, got, c.want)
		}
	}
	for _, f := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		if b, ok := AppendJSONFloat([]byte("x"), f); ok || string(b) != "x" {
			t.Errorf("%v: %q %v", f, b, ok)
		}
	}
}

// checkFloat checks that AppendJSONFloat(f) is valid JSON, a float to the
// scanner, the same bits back, and no longer than needed.
func checkFloat(t *testing.T, f float64) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return
	}
	b, ok := AppendJSONFloat(nil, f)
	if !ok {
		t.Fatalf("%v: not written", f)
	}
	var s JSONScanner
	s.Reset(b, 0)
	tok, ok := s.Next()
	if !ok || tok.Kind != JSONNumber || !tok.Float || len(tok.Raw) != len(b) {
		t.Fatalf("%v: %q is not one float token", f, b)
	}
	if _, ok := s.Next(); ok || s.Failed() {
		t.Fatalf("%v: %q: trailing data", f, b)
	}
	kind, bits, ok := ParseJSONNumber(tok.Raw, tok.Float)
	if !ok || kind != NumFloat || bits != math.Float64bits(f) {
		t.Fatalf("%v: %q reads back as %v", f, b, math.Float64frombits(bits))
	}
	if g := strconv.FormatFloat(f, 'g', -1, 64); len(b) > len(g)+22 {
		t.Fatalf("%v: %q much longer than %q", f, b, g)
	}
}

func TestAppendJSONString(t *testing.T) {
	for _, in := range []string{"", "plain", "a\"b\\c", "\x00\x01\x1f\x7f", "tab\tnl\ncr\rbs\bff\f", "é世界😀", "</script>\u2028"} {
		b, ok := AppendJSONString([]byte("x"), []byte(in))
		if !ok {
			t.Fatalf("%q", in)
		}
		var got string
		if err := json.Unmarshal(b[1:], &got); err != nil || got != in {
			t.Errorf("%q: %s -> %q %v", in, b, got, err)
		}
		if s, err := tokens(b[1:], 0); err.Status != JSONOK || s != string(b[1:]) {
			t.Errorf("%q: scanner: %+v", in, err)
		}
	}
	if b, ok := AppendJSONString([]byte("x"), []byte("a\xffb")); ok || string(b) != "x" {
		t.Errorf("invalid UTF-8: %q", b)
	}
}

func TestBase64(t *testing.T) {
	all := Base64Std | Base64URL | Base64Pad | Base64NoPad
	for n := 0; n < 12; n++ {
		src := make([]byte, n)
		for i := range src {
			src[i] = byte(0xfb + i*37)
		}
		for _, c := range []struct {
			url, pad bool
			enc      *base64.Encoding
			mode     Base64Mode
		}{
			{false, true, base64.StdEncoding, Base64Std | Base64Pad},
			{true, false, base64.RawURLEncoding, Base64URL | Base64NoPad},
			{false, false, base64.RawStdEncoding, Base64Std | Base64NoPad},
			{true, true, base64.URLEncoding, Base64URL | Base64Pad},
		} {
			enc := c.enc.AppendEncode(nil, src)
			for _, mode := range []Base64Mode{c.mode, all} {
				dec, off, msg := DecodeBase64([]byte("x"), enc, mode)
				if off >= 0 || !bytes.Equal(dec[1:], src) {
					t.Fatalf("%q mode %d: %x %d %s", enc, mode, dec, off, msg)
				}
			}
		}
	}
	for _, c := range []struct {
		in   string
		mode Base64Mode
		off  int
	}{
		{"AQIDBAU=", Base64URL | Base64NoPad, 7},
		{"AQIDBAU", Base64Std | Base64Pad, 7},
		{"AQIDBA=", Base64Std | Base64Pad, 6},
		{"AQIDB", Base64Std | Base64NoPad, 4},
		{"q83v+w", Base64URL | Base64NoPad, 4},
		{"q83v-w", Base64Std | Base64NoPad, 4},
		{"-+AA", Base64Std | Base64URL | Base64NoPad, 1},
		{"AQ=A", Base64Std | Base64Pad, 2},
		{"A===", Base64Std | Base64Pad, 1},
		{"AR", Base64Std | Base64NoPad, 1},
		{"AQN", Base64Std | Base64NoPad, 2},
		{"AQ I", Base64Std | Base64NoPad, 2},
		{"AQ\n", Base64Std | Base64NoPad, 2},
	} {
		dec, off, msg := DecodeBase64([]byte("x"), []byte(c.in), c.mode)
		if off != c.off || msg == "" || string(dec) != "x" {
			t.Errorf("%q: offset %d (%s), want %d; %q", c.in, off, msg, c.off, dec)
		}
	}
}

func TestJSONAllocs(t *testing.T) {
	if testing.Short() {
		t.Skip("allocation counts in -short mode are not checked")
	}
	in := []byte(`[{"bn":"/3/0/","n":"0","vs":"Open \u004Dobile","v":-1.25e3},{"n":"1","vb":true,"x":[null,{}]}]`)
	dst := make([]byte, 0, 64)
	long := []byte("0." + strings.Repeat("1", 40))
	out := make([]byte, 0, 64)
	bad := []byte(`[1,]`)
	for name, fn := range map[string]func(){
		"scan": func() {
			var s JSONScanner
			s.Reset(in, 0)
			for {
				tok, ok := s.Next()
				if !ok {
					break
				}
				switch tok.Kind {
				case JSONString, JSONName:
					UnescapeJSON(dst[:0], tok.Raw)
				case JSONNumber:
					ParseJSONNumber(tok.Raw, tok.Float)
				}
			}
			if s.Failed() {
				t.Fatal(s.Err())
			}
		},
		"long-number": func() { ParseJSONNumber(long, true) },
		"append": func() {
			out, _ = AppendJSONFloat(out[:0], 1699877805.766)
			out, _ = AppendJSONString(out, []byte("a\"b\x01"))
			out, _, _ = DecodeBase64(out, []byte("AQIDBAU"), Base64URL|Base64NoPad)
		},
		"error": func() {
			var s JSONScanner
			s.Reset(bad, 0)
			for _, ok := s.Next(); ok; _, ok = s.Next() {
			}
		},
	} {
		if n := testing.AllocsPerRun(100, fn); n != 0 {
			t.Errorf("%s: %v allocs", name, n)
		}
	}
}

// FuzzJSONScanner compares the scanner with encoding/json: a text the
// scanner accepts is valid for encoding/json and compacts to the same
// bytes; a text encoding/json accepts and the scanner rejects breaks a rule
// encoding/json does not check (UTF-8, paired surrogates) or the depth
// limit. Strings unescape as encoding/json decodes them, and numbers parse
// as strconv does.
func FuzzJSONScanner(f *testing.F) {
	for _, s := range []string{
		`[{"bn":"/3/0/","n":"0","vs":"Open Mobile Alliance"},{"n":"6/0","v":1}]`,
		`{"bn":"/3/0/","e":[{"n":"0","sv":"x"},{"n":"1","v":-1.5e-3,"t":-5}]}`,
		`["\ud83d\ude00\u00e9\n", 1e400, -0, 18446744073709551616, true, null]`,
		"[\"\xff\"]", `[1,]`, `01`, `{"a":1 }  `,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		orig := bytes.Clone(b)
		got, err := tokens(b, 0)
		if !bytes.Equal(b, orig) {
			t.Fatal("input modified")
		}
		valid := json.Valid(b)
		if err.Status == JSONOK {
			if !valid {
				t.Fatalf("accepted %q, encoding/json rejects it", b)
			}
			var want bytes.Buffer
			json.Compact(&want, b)
			if got != want.String() {
				t.Fatalf("%q: tokens %q, json.Compact %q", b, got, want.String())
			}
		} else {
			if err.Offset < 0 || err.Offset > len(b) {
				t.Fatalf("offset %d out of range", err.Offset)
			}
			if valid && err.Rule != RuleJSONUTF8 && err.Rule != RuleJSONEscapes && err.Status != JSONLimit {
				t.Fatalf("rejected %q (%+v), encoding/json accepts it", b, err)
			}
			return
		}
		// Values.
		var s JSONScanner
		s.Reset(b, 0)
		for tok, ok := s.Next(); ok; tok, ok = s.Next() {
			switch tok.Kind {
			case JSONString, JSONName:
				str, _ := UnescapeJSON(nil, tok.Raw)
				var want string
				if e := json.Unmarshal(append(append([]byte{'"'}, tok.Raw...), '"'), &want); e != nil || string(str) != want {
					t.Fatalf("%q unescapes to %q, encoding/json %q (%v)", tok.Raw, str, want, e)
				}
			case JSONNumber:
				kind, bits, ok := ParseJSONNumber(tok.Raw, tok.Float)
				want, e := strconv.ParseFloat(string(tok.Raw), 64)
				if !ok {
					if e == nil {
						t.Fatalf("%s rejected", tok.Raw)
					}
					continue
				}
				switch kind {
				case NumInt:
					if i, e := strconv.ParseInt(string(tok.Raw), 10, 64); e != nil || i != int64(bits) {
						t.Fatalf("%s: int %d", tok.Raw, int64(bits))
					}
				case NumUint:
					if u, e := strconv.ParseUint(string(tok.Raw), 10, 64); e != nil || u != bits || u <= math.MaxInt64 {
						t.Fatalf("%s: uint %d", tok.Raw, bits)
					}
				default:
					if math.Float64bits(want) != bits {
						t.Fatalf("%s: float %v, want %v", tok.Raw, math.Float64frombits(bits), want)
					}
					if !tok.Float {
						if _, e := strconv.ParseUint(strings.TrimPrefix(string(tok.Raw), "-"), 10, 64); e == nil && !strings.HasPrefix(string(tok.Raw), "-") {
							t.Fatalf("%s: integral literal read as float", tok.Raw)
						}
					}
					checkFloat(t, math.Float64frombits(bits))
				}
			}
		}
	})
}

// FuzzJSONAppend checks the appenders on arbitrary values.
func FuzzJSONAppend(f *testing.F) {
	f.Add(uint64(0x4036666666666666), []byte("a\"\x00é"))
	f.Add(uint64(1), []byte{0xff})
	f.Fuzz(func(t *testing.T, bits uint64, s []byte) {
		checkFloat(t, math.Float64frombits(bits))
		b, ok := AppendJSONString(nil, s)
		if ok != utf8.Valid(s) {
			t.Fatalf("%q: ok %v", s, ok)
		}
		if ok {
			var got string
			if err := json.Unmarshal(b, &got); err != nil || got != string(s) {
				t.Fatalf("%q -> %s -> %q %v", s, b, got, err)
			}
		}
		for _, url := range []bool{false, true} {
			enc := base64.StdEncoding.AppendEncode(nil, s)
			mode := Base64Std | Base64Pad
			if url {
				enc, mode = base64.RawURLEncoding.AppendEncode(nil, s), Base64URL|Base64NoPad
			}
			dec, off, _ := DecodeBase64(nil, enc, mode)
			if off >= 0 || !bytes.Equal(dec, s) {
				t.Fatalf("%x: %q decodes to %x", s, enc, dec)
			}
		}
		// DecodeBase64 accepts exactly what the strict std decoders do.
		_, off, _ := DecodeBase64(nil, s, Base64URL|Base64NoPad)
		_, err := base64.RawURLEncoding.Strict().DecodeString(string(s))
		if (off < 0) != (err == nil) && !bytes.ContainsAny(s, "\r\n") {
			t.Fatalf("%q: ours %d, encoding/base64 %v", s, off, err)
		}
	})
}

func TestDupSet(t *testing.T) {
	var s DupSet
	for round := 0; round < 3; round++ {
		s.Reset()
		for i := 0; i < 2000; i++ {
			k := DupKey{IDs: uint64(i % 50), Len: uint8(i % 3), HasTime: i%7 == 0, Time: uint64(i / 150)}
			if !s.Add(k) {
				t.Fatalf("round %d: key %d (%+v) reported twice", round, i, k)
			}
			if s.Add(k) {
				t.Fatalf("round %d: key %d (%+v) not found", round, i, k)
			}
			if i > 0 && s.Add(s.key(i/2)) {
				t.Fatalf("round %d: earlier key %d not found", round, i/2)
			}
		}
	}
	if n := testing.AllocsPerRun(10, func() {
		s.Reset()
		for i := 0; i < 2000; i++ {
			s.Add(DupKey{IDs: uint64(i)})
		}
	}); n != 0 && !testing.Short() {
		t.Errorf("reused DupSet: %v allocs", n)
	}
}

// TestDupSetAscending covers the fast path for ascending keys: a repeat of
// the last key, of an earlier one, and keys after the order breaks.
func TestDupSetAscending(t *testing.T) {
	for _, n := range []int{5, DupInline + 10} {
		var s DupSet
		for i := 0; i < n; i++ {
			if !s.Add(DupKey{IDs: uint64(i)}) {
				t.Fatalf("n %d: ascending key %d reported twice", n, i)
			}
		}
		if s.Add(DupKey{IDs: uint64(n - 1)}) || s.Add(DupKey{IDs: 0}) || s.Add(DupKey{IDs: uint64(n / 2)}) {
			t.Fatalf("n %d: a repeat went unseen", n)
		}
		// Out of order now: new keys below and above, then repeats of them.
		for _, k := range []DupKey{{IDs: 1, Len: 1}, {IDs: uint64(n) + 5}, {IDs: 2, HasTime: true, Time: 9}} {
			if !s.Add(k) || s.Add(k) {
				t.Fatalf("n %d: %+v", n, k)
			}
		}
		if s.Add(DupKey{IDs: uint64(n) + 5}) {
			t.Fatalf("n %d: repeat after the order broke went unseen", n)
		}
	}
}
