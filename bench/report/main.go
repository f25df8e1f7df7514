// Command report turns the output of the bench package's benchmarks into
// the Markdown tables of RESULTS.md: for every benchmark, case and
// implementation the median ns/op, B/op and allocs/op over the -count runs,
// and for iotwire the ratio of the fastest peer's median time to its own.
//
//	go test -run '^$' -bench . -count 6 > bench.txt
//	go run ./report bench.txt > tables.md
package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// key names one benchmark result: the top-level benchmark (Decode, Encode,
// Stream), its msg= case and impl= implementation.
type key struct{ bench, msg, impl string }

// samples holds the values of every run of one key.
type samples struct{ ns, bytes, allocs, mbs []float64 }

func main() {
	in := io.Reader(os.Stdin)
	if len(os.Args) > 1 {
		f, err := os.Open(os.Args[1])
		if err != nil {
			fmt.Fprintln(os.Stderr, "report:", err)
			os.Exit(1)
		}
		defer f.Close()
		in = f
	}
	res, order, hdr, err := parse(in)
	if err != nil {
		fmt.Fprintln(os.Stderr, "report:", err)
		os.Exit(1)
	}
	write(os.Stdout, res, order, hdr)
}

// parse reads go test -bench output.
func parse(r io.Reader) (map[key]*samples, []key, []string, error) {
	res := map[key]*samples{}
	var order []key
	var hdr []string
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line := sc.Text()
		for _, p := range []string{"goos:", "goarch:", "cpu:"} {
			if strings.HasPrefix(line, p) && !slices.Contains(hdr, line) {
				hdr = append(hdr, line)
			}
		}
		f := strings.Fields(line)
		if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") {
			continue
		}
		k, ok := parseName(f[0])
		if !ok {
			continue
		}
		s := res[k]
		if s == nil {
			s = &samples{}
			res[k] = s
			order = append(order, k)
		}
		for i := 2; i+1 < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				return nil, nil, nil, fmt.Errorf("%q: %v", line, err)
			}
			switch f[i+1] {
			case "ns/op":
				s.ns = append(s.ns, v)
			case "B/op":
				s.bytes = append(s.bytes, v)
			case "allocs/op":
				s.allocs = append(s.allocs, v)
			case "MB/s":
				s.mbs = append(s.mbs, v)
			}
		}
	}
	return res, order, hdr, sc.Err()
}

// parseName splits "BenchmarkDecode/msg=x/impl=y-2".
func parseName(name string) (key, bool) {
	parts := strings.Split(name, "/")
	if len(parts) != 3 || !strings.HasPrefix(parts[1], "msg=") || !strings.HasPrefix(parts[2], "impl=") {
		return key{}, false
	}
	impl := strings.TrimPrefix(parts[2], "impl=")
	if i := strings.LastIndexByte(impl, '-'); i > 0 {
		if _, err := strconv.Atoi(impl[i+1:]); err == nil {
			impl = impl[:i] // the GOMAXPROCS suffix
		}
	}
	return key{strings.TrimPrefix(parts[0], "Benchmark"), strings.TrimPrefix(parts[1], "msg="), impl}, true
}

func median(v []float64) float64 {
	if len(v) == 0 {
		return -1
	}
	s := slices.Clone(v)
	sort.Float64s(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func num(v float64) string {
	switch {
	case v < 0:
		return "–"
	case v >= 100:
		return strconv.FormatFloat(v, 'f', 0, 64)
	case v >= 10:
		return strconv.FormatFloat(v, 'f', 1, 64)
	}
	return strconv.FormatFloat(v, 'f', 2, 64)
}

// write prints one table per top-level benchmark.
func write(w io.Writer, res map[key]*samples, order []key, hdr []string) {
	for _, h := range hdr {
		fmt.Fprintf(w, "`%s`  \n", h)
	}
	var benches []string
	for _, k := range order {
		if !slices.Contains(benches, k.bench) {
			benches = append(benches, k.bench)
		}
	}
	for _, b := range benches {
		fmt.Fprintf(w, "\n### %s\n\n", b)
		fmt.Fprintln(w, "Medians over the runs. *peer/iotwire* is the fastest other implementation's time divided by iotwire's (above 1: iotwire is faster).")
		fmt.Fprintln(w)
		fmt.Fprintln(w, "| case | impl | ns/op | MB/s | B/op | allocs/op | peer/iotwire |")
		fmt.Fprintln(w, "|---|---|---:|---:|---:|---:|---:|")
		var msgs []string
		for _, k := range order {
			if k.bench == b && !slices.Contains(msgs, k.msg) {
				msgs = append(msgs, k.msg)
			}
		}
		for _, m := range msgs {
			var impls []string
			for _, k := range order {
				if k.bench == b && k.msg == m {
					impls = append(impls, k.impl)
				}
			}
			ours := -1.0
			best := -1.0
			bestName := ""
			for _, im := range impls {
				t := median(res[key{b, m, im}].ns)
				if im == "iotwire" {
					ours = t
				} else if best < 0 || t < best {
					best, bestName = t, im
				}
			}
			for _, im := range impls {
				s := res[key{b, m, im}]
				ratio := ""
				if im == "iotwire" && best > 0 && ours > 0 {
					ratio = fmt.Sprintf("%.2f× (%s)", best/ours, bestName)
				}
				fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s | %s |\n", m, im, num(median(s.ns)), num(median(s.mbs)),
					num(median(s.bytes)), num(median(s.allocs)), ratio)
			}
		}
	}
}
