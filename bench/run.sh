#!/usr/bin/env bash
# bench/run.sh [COUNT] [BENCHTIME]: runs every benchmark of this package
# COUNT times (default 6, enough for benchstat's confidence intervals) for
# BENCHTIME each (default 200ms), after the tests that check that the
# implementations read and write the same messages, and rewrites RESULTS.md:
# the machine, the commit, the median tables with the peer/iotwire ratios
# (./report) and benchstat's comparison (-col /impl). The raw output stays in
# bench.txt. Run it on an otherwise idle machine: it takes about 4 minutes
# with the defaults.
set -euo pipefail
cd "$(dirname "$0")"
COUNT=${1:-6}
BENCHTIME=${2:-200ms}
BENCHSTAT=golang.org/x/perf/cmd/benchstat@v0.0.0-20260908200009-22c9c6c9d4da

go test -count=1 -run '^Test' .
go test -run '^$' -bench . -count "$COUNT" -benchtime "$BENCHTIME" > bench.txt
go run "$BENCHSTAT" -col /impl -row .name,/msg bench.txt > benchstat.txt

cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//' || true)
{
  echo "# Peer comparison: iotwire vs paho.golang, paho.mqtt.golang, mochi, go-coap, encoding/json and fxamacker/cbor"
  echo
  echo "Written by \`bench/run.sh $COUNT $BENCHTIME\` on $(date -u +%F) (do not edit by hand: edit RESULTS.intro.md or run.sh)."
  echo
  echo "| | |"
  echo "|---|---|"
  echo "| CPU | $(nproc) × ${cpu:-unknown}; kernel $(uname -r) |"
  echo "| Go | $(go version | cut -d' ' -f3-) |"
  echo "| GOMAXPROCS | ${GOMAXPROCS:-$(nproc) (default)} |"
  echo "| iotwire | commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- .. || echo ' (with uncommitted changes)') |"
  echo "| peers | $(go list -m -f '{{.Path}} {{.Version}}' all | grep -E 'paho|mochi|go-coap|fxamacker' | paste -sd, - | sed 's/,/, /g') |"
  echo
  echo "Reproduce: \`bench/run.sh $COUNT $BENCHTIME\` (or \`go test -run '^\$' -bench . -count $COUNT -benchtime $BENCHTIME\` in bench/, then \`go run ./report bench.txt\`)."
  echo
  cat RESULTS.intro.md
  echo
  echo "## Results"
  echo
  go run ./report bench.txt
  echo
  echo "## benchstat -col /impl"
  echo
  echo '```'
  cat benchstat.txt
  echo '```'
} > RESULTS.md.new
mv RESULTS.md.new RESULTS.md
rm -f benchstat.txt
echo "bench: wrote RESULTS.md"
