#!/usr/bin/env bash
# fuzz/captures.sh: refreshes the seeds captured from real peers. It runs
# the interop tests of mqttpkt (against mosquitto) and coapmsg (against
# libcoap) with IOTWIRE_CAPTURE_DIR set, so that they write every packet,
# datagram and frame the peer sent as a Go fuzz corpus file, then keeps one
# per packet type (MQTT) or per type and code (CoAP), the largest one whose
# seed file stays within 512 bytes, as
# fuzz/testdata/fuzz/<Target>/capture-<kind>-<name>, and the same seeds for
# the packages' own FuzzDecode (mqttpkt, coapmsg) and FuzzDecodeTCP
# (coapmsg) under their testdata/fuzz. Seeds of an earlier
# run (capture-*) are replaced; other corpus files (crashers) are left
# alone. Needs mosquitto and libcoap's coap-server-notls and
# coap-client-notls (CI=true makes a missing one a failure).
set -euo pipefail
cd "$(dirname "$0")/.."
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
CI=true IOTWIRE_CAPTURE_DIR="$dir" PATH="$PATH:/usr/sbin:/usr/local/sbin" \
  go test -count=1 -run Interop ./mqttpkt/ ./coapmsg/

# kind of capture -> the differential targets it seeds
declare -A targets=(
  [mqtt-v5]="FuzzMQTT5Paho FuzzMQTT5Mochi"
  [mqtt-v311]="FuzzMQTT311PahoMQTT FuzzMQTT311Mochi"
  [coap-udp]="FuzzCoAPGoCoap"
  [coap-tcp]="FuzzCoAPTCPGoCoap"
)
for kind in "${!targets[@]}"; do
  for t in ${targets[$kind]}; do
    mkdir -p "fuzz/testdata/fuzz/$t"
    rm -f "fuzz/testdata/fuzz/$t/capture-$kind-"*
  done
  [ -d "$dir/$kind" ] || continue
  # File names are <name>-<hash>; keep the largest file of each name.
  for name in $(ls "$dir/$kind" | sed 's/-[0-9a-f]*$//' | sort -u); do
    best=$(find "$dir/$kind" -name "$name-*" -size -513c -printf '%s %p\n' | sort -n | tail -n 1 | cut -d' ' -f2-)
    [ -n "$best" ] || continue
    for t in ${targets[$kind]}; do
      cp "$best" "fuzz/testdata/fuzz/$t/capture-$kind-$name"
    done
  done
done
# The packages' own decoders get the same seeds: mqttpkt.FuzzDecode takes
# the packet and the protocol version, coapmsg's targets the bytes alone.
package_seeds() { # kind, corpus dir, extra corpus line or "", fuzz/ target to copy from
  local kind=$1 dst=$2 extra=$3
  mkdir -p "$dst"
  rm -f "$dst/capture-$kind-"*
  for f in fuzz/testdata/fuzz/$4/capture-$kind-*; do
    [ -e "$f" ] || continue
    {
      cat "$f"
      if [ -n "$extra" ]; then printf '%s\n' "$extra"; fi
    } > "$dst/$(basename "$f")"
  done
}
package_seeds mqtt-v5 mqttpkt/testdata/fuzz/FuzzDecode "byte('\\x05')" FuzzMQTT5Paho
package_seeds mqtt-v311 mqttpkt/testdata/fuzz/FuzzDecode "byte('\\x04')" FuzzMQTT311PahoMQTT
package_seeds coap-udp coapmsg/testdata/fuzz/FuzzDecode "" FuzzCoAPGoCoap
package_seeds coap-tcp coapmsg/testdata/fuzz/FuzzDecodeTCP "" FuzzCoAPTCPGoCoap
echo "fuzz: seeds refreshed under fuzz/testdata/fuzz, mqttpkt/testdata/fuzz and coapmsg/testdata/fuzz"
