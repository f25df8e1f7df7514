package mqttpkt

import "testing"

// refFilterCheck is the byte-at-a-time statement of the filter rules that
// topicFilterCheck implements with faster scans.
func refFilterCheck(f []byte) (int, string) {
	if len(f) == 0 {
		return 0, msgEmptyTopic
	}
	if len(f) > 0xffff {
		return 0xffff, msgTopicTooLong
	}
	if bad, msg := checkUTF8(f); bad >= 0 {
		return bad, msg
	}
	for i, c := range f {
		switch c {
		case '#':
			if i != len(f)-1 || (i > 0 && f[i-1] != '/') {
				return i, msgHashPlace
			}
		case '+':
			if (i > 0 && f[i-1] != '/') || (i < len(f)-1 && f[i+1] != '/') {
				return i, msgPlusPlace
			}
		}
	}
	return -1, ""
}

func FuzzTopicFilter(f *testing.F) {
	for _, s := range []string{"a/+/b", "#", "a/#", "+", "a+/#", "#/+", "sport/tennis/#", "a/b\x00", "\xff/+", "+/+/#", "a/#b", "$share/g/a/+"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		gb, gm := topicFilterCheck(b)
		wb, wm := refFilterCheck(b)
		if gb != wb || gm != wm {
			t.Fatalf("%q: got %d %q, want %d %q", b, gb, gm, wb, wm)
		}
	})
}
