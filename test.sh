#!/usr/bin/env bash
# Runs every test of the repository: vet, unit, interop and example tests with
# the race detector in every module, then each native fuzz target for a few
# seconds (FUZZTIME, default 5s) through fuzz/run.sh. Interop tests need
# mosquitto, tshark and libcoap's tools on PATH (.ci/run installs them); with
# CI=true a missing peer fails its test instead of skipping it.
set -euo pipefail
cd "$(dirname "$0")"
FUZZTIME=${FUZZTIME:-5s}

modules=(. $(git ls-files '*/go.mod' 2>/dev/null | xargs -r -n1 dirname))
for m in "${modules[@]}"; do
  echo "== go vet + go test -race: $m"
  (cd "$m" && go vet ./... && go test -race -count=1 ./...)
done

echo "== fuzz targets, $FUZZTIME each"
fuzz/run.sh "$FUZZTIME"
echo "all tests passed"
