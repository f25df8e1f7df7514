package wire

import "testing"

func TestCleanASCII(t *testing.T) {
	ref := func(s []byte, a, b byte) bool {
		for _, c := range s {
			if c == 0 || c >= 0x80 || c == a || c == b {
				return false
			}
		}
		return true
	}
	for n := 0; n <= 20; n++ {
		for pos := 0; pos < n; pos++ {
			for _, bad := range []byte{0, 0x80, 0xff, '+', '#', 'a'} {
				s := make([]byte, n)
				for i := range s {
					s[i] = 'x'
				}
				s[pos] = bad
				if got, want := CleanASCII(s, '+', '#'), ref(s, '+', '#'); got != want {
					t.Fatalf("%q: got %v", s, got)
				}
				if got, want := PlainASCII(s), ref(s, 1, 1); got != want {
					t.Fatalf("plain %q: got %v", s, got)
				}
			}
		}
	}
}

func FuzzCleanASCII(f *testing.F) {
	f.Add([]byte("sensors/room1/temperature"), byte('+'), byte('#'))
	f.Fuzz(func(t *testing.T, s []byte, a, b byte) {
		want := true
		for _, c := range s {
			if c == 0 || c >= 0x80 || c == a || c == b {
				want = false
			}
		}
		if CleanASCII(s, a, b) != want {
			t.Fatalf("%q %q %q", s, a, b)
		}
	})
}
