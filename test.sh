#!/usr/bin/env bash
# Runs every test of the repository: vet, unit, interop and example tests with
# the race detector in every module, then each native fuzz target for a few
# seconds (FUZZTIME, default 5s). Interop tests need mosquitto, tshark and
# libcoap's tools on PATH (.ci/run installs them); with CI=true a missing peer
# fails its test instead of skipping it.
set -euo pipefail
cd "$(dirname "$0")"
FUZZTIME=${FUZZTIME:-5s}

modules=(. $(git ls-files '*/go.mod' 2>/dev/null | xargs -r -n1 dirname))
for m in "${modules[@]}"; do
  echo "== go vet + go test -race: $m"
  (cd "$m" && go vet ./... && go test -race -count=1 ./...)
done

echo "== fuzz targets, $FUZZTIME each"
for m in "${modules[@]}"; do
  for pkg in $(cd "$m" && go list ./...); do
    for target in $(cd "$m" && go test -list '^Fuzz' "$pkg" | grep '^Fuzz' || true); do
      echo "-- $pkg $target"
      # The fuzzing engine sometimes ends a run that found nothing with
      # "context deadline exceeded" when its time is up. That is not a finding:
      # retry (up to 3 tries). A written failing input fails at once.
      for try in 1 2 3; do
        if out=$(cd "$m" && go test -run '^$' -fuzz "^${target}\$" -fuzztime "$FUZZTIME" "$pkg" 2>&1); then
          echo "$out" | tail -n 1
          break
        fi
        echo "$out"
        if grep -q 'Failing input written' <<<"$out" || ! grep -q 'context deadline exceeded' <<<"$out" || [ "$try" = 3 ]; then
          exit 1
        fi
        echo "-- $pkg $target: engine timed out without a finding, retrying"
      done
    done
  done
done
echo "all tests passed"
