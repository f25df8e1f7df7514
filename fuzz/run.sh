#!/usr/bin/env bash
# fuzz/run.sh DURATION: runs every native fuzz target of the repository (the
# main module and every nested module, this one included) for DURATION each
# (a go test -fuzztime value such as 5s, 10m or 2h). It stops at the first
# crasher, which go test leaves under the package's testdata/fuzz/FuzzXxx/,
# where the package's plain tests replay it from then on: commit it with the
# fix. To fuzz for hours, give a long DURATION, or run one target by hand:
#   cd fuzz && go test -run '^$' -fuzz '^FuzzMQTT5Paho$' -fuzztime 8h .
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:?usage: fuzz/run.sh DURATION (such as 5s or 1h)}

modules=(. $(git ls-files '*/go.mod' 2>/dev/null | xargs -r -n1 dirname))
for m in "${modules[@]}"; do
  for pkg in $(cd "$m" && go list ./...); do
    for target in $(cd "$m" && go test -list '^Fuzz' "$pkg" | grep '^Fuzz' || true); do
      echo "-- $pkg $target"
      # The fuzzing engine sometimes ends a run that found nothing with
      # "context deadline exceeded" when its time is up. That is not a
      # finding: retry (up to 5 tries; about 1 run in 10 ends so on this
      # 2-core machine). A written failing input fails at once.
      for try in 1 2 3 4 5; do
        if out=$(cd "$m" && go test -run '^$' -fuzz "^${target}\$" -fuzztime "$DURATION" "$pkg" 2>&1); then
          echo "$out" | tail -n 1
          break
        fi
        echo "$out"
        if grep -q 'Failing input written' <<<"$out" || ! grep -q 'context deadline exceeded' <<<"$out" || [ "$try" = 5 ]; then
          exit 1
        fi
        echo "-- $pkg $target: engine timed out without a finding, retrying"
      done
    done
  done
done
echo "fuzz: every target ran $DURATION without a finding"
