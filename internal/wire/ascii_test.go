package wire

import "testing"

func refCheck(s []byte, topic bool) bool {
	for _, c := range s {
		if c == 0 || c >= 0x80 || topic && (c == '+' || c == '#') {
			return false
		}
	}
	return true
}

func TestASCII(t *testing.T) {
	for n := 0; n <= 24; n++ {
		s := make([]byte, n)
		for i := range s {
			s[i] = 'x'
		}
		if !PlainASCII(s) || !TopicASCII(s) {
			t.Fatalf("%q rejected", s)
		}
		for pos := 0; pos < n; pos++ {
			for bad := 0; bad < 256; bad++ {
				s[pos] = byte(bad)
				if PlainASCII(s) != refCheck(s, false) || TopicASCII(s) != refCheck(s, true) {
					t.Fatalf("%q: plain %v topic %v", s, PlainASCII(s), TopicASCII(s))
				}
			}
			s[pos] = 'x'
		}
	}
}

func FuzzASCII(f *testing.F) {
	f.Add([]byte("sensors/room1/temperature"))
	f.Fuzz(func(t *testing.T, s []byte) {
		if PlainASCII(s) != refCheck(s, false) || TopicASCII(s) != refCheck(s, true) {
			t.Fatalf("%q", s)
		}
	})
}
