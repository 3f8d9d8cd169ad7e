#!/usr/bin/env bash
# GET /ipxe/{uuid} serving custom ipxe-script Secrets with client binding `enforce` against the same
# with `off`: two services (one per mode) on the same generated configs, measured in turns by the
# same wrk and wrk script, same run, loopback only. Every config's systemIPs include 127.0.0.1, the
# load generator's address, so under enforce every request is checked and served. Prints a table,
# the ratio enforce/off per round and over all rounds, and PASS/FAIL for the target (>= 0.95: enforce
# within 5 % of off). See bench/README.md.
#
# Environment (all optional):
#   BENCH_DURATION=15s     wrk -d of each measured run
#   BENCH_CONNECTIONS=64   wrk -c
#   BENCH_THREADS=2        wrk -t
#   BENCH_WARMUP=10s       wrk -d of each of the two warm-up passes of each service
#   BENCH_ROUNDS=3         measured rounds; each measures both services, in alternating order
#   BENCH_CONFIGS=1000     IPXEBootConfigs generated, each with an ipxeScriptSecretRef
#   BENCH_SECRETS=50       ipxe-script Secrets they share (round robin)
#   BENCH_HEAP=384m        -Xmx of each service (embedded mode holds a second copy of every object)
#   BENCH_KEEP=0           1: keep the temp dir (manifests, logs, wrk outputs) and print its path
#   JAVA_OPTS_EXTRA=       more JVM options for both services
set -euo pipefail

DURATION=${BENCH_DURATION:-15s}
CONNECTIONS=${BENCH_CONNECTIONS:-64}
THREADS=${BENCH_THREADS:-2}
WARMUP=${BENCH_WARMUP:-10s}
ROUNDS=${BENCH_ROUNDS:-3}
CONFIGS=${BENCH_CONFIGS:-1000}
SECRETS=${BENCH_SECRETS:-50}
BENCH_HEAP=${BENCH_HEAP:-384m}
KEEP=${BENCH_KEEP:-0}
TARGET_RATIO=0.95
MODES=(enforce off)

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)
JAR=$ROOT/target/boot-operator.jar

# shellcheck source=bench/lib.sh
. "$BENCH_DIR/lib.sh"
install_missing wrk:wrk curl:curl python3:python3
ensure_jar

WORK=$(mktemp -d /tmp/binding-bench.XXXXXX)
declare -A PID BOOT METRICS HEALTH
cleanup() {
  local rc=$? mode
  for mode in "${MODES[@]}"; do
    local pid=${PID[$mode]:-}
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null || true
      wait "$pid" 2>/dev/null || true
    fi
  done
  if [ "$KEEP" = 1 ]; then log "kept $WORK"; else rm -rf "$WORK"; fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------- free loopback ports, four per service
read -r -a PORTS < <(python3 - <<'PY'
import socket
socks = []
for _ in range(8):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
for s in socks:
    s.close()
PY
)

# ---------------------------------------------------------------- manifests
MANIFESTS=$WORK/manifests
mkdir -p "$MANIFESTS"
UUIDS=$WORK/uuids.txt
log "generating $CONFIGS IPXEBootConfigs with custom scripts from $SECRETS Secrets"
python3 - "$CONFIGS" "$SECRETS" "$MANIFESTS/bench.yaml" "$UUIDS" <<'PY'
import random, sys, uuid
count, secrets, manifest, uuid_file = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
rng = random.Random(20261207)
# The status of a fleet in steady state: Ready, and the delivery condition a bound delivery sets.
status = ("status:\n  state: Ready\n  conditions:\n"
          "  - type: IgnitionSecretReady\n    status: \"True\"\n    reason: NoIgnitionSecretRef\n"
          "    message: No ignitionSecretRef is set.\n"
          "    observedGeneration: 1\n    lastTransitionTime: \"2025-01-01T00:00:00Z\"\n"
          "  - type: IPXEScriptFetched\n    status: \"True\"\n    reason: IPXEScriptDelivered\n"
          "    message: IPXE script has been successfully delivered to the client.\n"
          "    observedGeneration: 1\n    lastTransitionTime: \"2025-01-01T00:00:00Z\"\n")
with open(manifest, "w") as out, open(uuid_file, "w") as ids:
    for s in range(secrets):
        script = ("#!ipxe\nset base http://boot.example:8083/image/%d\n"
                  "kernel ${base}/kernel console=ttyS0 ignition.config.url=http://boot.example:8082/ignition/${uuid}\n"
                  "initrd ${base}/initrd\nboot\n" % s)
        out.write("---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: bench-script-%03d\n  namespace: default\n"
                  "stringData:\n  ipxe-script: |\n" % s + "".join("    " + line + "\n" for line in script.splitlines()))
    for i in range(count):
        system_uuid = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        ids.write(system_uuid + "\n")
        out.write("---\napiVersion: boot.ironcore.dev/v1alpha1\nkind: IPXEBootConfig\n"
                  "metadata:\n  name: bench-%05d\n  namespace: default\n"
                  "spec:\n  systemUUID: %s\n  systemIPs:\n  - 10.%d.%d.%d\n  - 127.0.0.1\n"
                  "  kernelURL: http://boot.example/kernel\n  initrdURL: http://boot.example/initrd\n"
                  "  ipxeScriptSecretRef:\n    name: bench-script-%03d\n"
                  % (i, system_uuid, 200 + i // 65536, (i // 256) % 256, i % 256, i % secrets) + status)
PY
LAST_UUID=$(tail -n 1 "$UUIDS")

# ---------------------------------------------------------------- two services, one per mode
LOGBACK=$WORK/logback-bench.xml
cp "$BENCH_DIR/logback-bench.xml" "$LOGBACK"
i=0
for mode in "${MODES[@]}"; do
  BOOT[$mode]=${PORTS[$i]}; METRICS[$mode]=${PORTS[$((i + 2))]}; HEALTH[$mode]=${PORTS[$((i + 3))]}
  log "starting the service with boot.client-binding=$mode (-Xmx$BENCH_HEAP, boot port ${BOOT[$mode]})"
  # shellcheck disable=SC2086
  BOOT_CLUSTER=embedded BOOT_MANIFESTS_DIR=$MANIFESTS BOOT_CLIENT_BINDING=$mode \
  BOOT_IMAGE_PREFETCH=false BOOT_ALLOWED_REGISTRIES=127.0.0.1 \
  BOOT_BOOT_SERVER_ADDRESS=127.0.0.1:${BOOT[$mode]} \
  BOOT_IMAGE_PROXY_SERVER_ADDRESS=127.0.0.1:${PORTS[$((i + 1))]} \
  BOOT_METRICS_BIND_ADDRESS=127.0.0.1:${METRICS[$mode]} \
  BOOT_HEALTH_PROBE_BIND_ADDRESS=127.0.0.1:${HEALTH[$mode]} \
    java -Xmx$BENCH_HEAP -Dlogback.configurationFile="$LOGBACK" ${JAVA_OPTS_EXTRA:-} -jar "$JAR" \
    >"$WORK/service-$mode.log" 2>&1 &
  PID[$mode]=$!
  i=$((i + 4))
done

wait_for() { # wait_for MODE DESCRIPTION SECONDS URL: until URL answers 200
  local mode=$1 what=$2 deadline=$(( $(date +%s) + $3 )) url=$4
  until [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$url" || true)" = 200 ]; do
    kill -0 "${PID[$mode]}" 2>/dev/null || { tail -n 30 "$WORK/service-$mode.log" >&2; die "$mode service exited while waiting for $what"; }
    [ "$(date +%s)" -lt "$deadline" ] || { tail -n 30 "$WORK/service-$mode.log" >&2; die "timed out waiting for $what ($mode)"; }
    sleep 0.5
  done
}
metric_sum() { # metric_sum MODE NAME: the sum of a Prometheus metric's samples
  curl -s --max-time 5 "http://127.0.0.1:${METRICS[$1]}/metrics" \
    | awk -v m="$2" '$1 == m || index($1, m "{") == 1 { s += $NF } END { printf "%d\n", s }'
}
for mode in "${MODES[@]}"; do
  wait_for "$mode" "/readyz" 600 "http://127.0.0.1:${HEALTH[$mode]}/readyz"
  wait_for "$mode" "the last generated UUID" 120 "http://127.0.0.1:${BOOT[$mode]}/ipxe/$LAST_UUID"
done

# Both serve the custom script to the load generator's address; only enforce refuses another one.
for mode in "${MODES[@]}"; do
  curl -sf "http://127.0.0.1:${BOOT[$mode]}/ipxe/$LAST_UUID" | grep -q '^#!ipxe' || die "$mode: no custom script"
done
STRANGER_ENFORCE=$(curl -s -o /dev/null -w '%{http_code}' --interface 127.0.0.2 "http://127.0.0.1:${BOOT[enforce]}/ipxe/$LAST_UUID")
STRANGER_OFF=$(curl -s -o /dev/null -w '%{http_code}' --interface 127.0.0.2 "http://127.0.0.1:${BOOT[off]}/ipxe/$LAST_UUID")
[ "$STRANGER_ENFORCE" = 403 ] && [ "$STRANGER_OFF" = 200 ] \
  || die "from 127.0.0.2: enforce answered $STRANGER_ENFORCE (want 403), off $STRANGER_OFF (want 200)"
log "from 127.0.0.2 (not a machine address): enforce 403, off 200"

for mode in "${MODES[@]}"; do # the controllers' first pass over every config: wait until it is done
  deadline=$(( $(date +%s) + 300 )); empty=0
  while [ "$empty" -lt 2 ]; do
    if [ "$(metric_sum "$mode" boot_reconcile_queue_depth)" = 0 ]; then empty=$((empty + 1)); else empty=0; fi
    [ "$(date +%s)" -lt "$deadline" ] || { log "warning: $mode reconcile queue not empty"; break; }
    sleep 1
  done
done

# ---------------------------------------------------------------- load
LUA=$BENCH_DIR/ipxe-uuids.lua
run_wrk() { # run_wrk NAME MODE DURATION: writes $WORK/wrk-NAME.txt
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$3" --timeout 5s --latency -s "$LUA" \
    "http://127.0.0.1:${BOOT[$2]}" -- "$UUIDS" random >"$WORK/wrk-$1.txt" 2>&1 \
    || { cat "$WORK/wrk-$1.txt" >&2; die "wrk $1 failed"; }
}
field() { grep '^BENCH ' "$WORK/wrk-$1.txt" | tr ' ' '\n' | sed -n "s/^$2=//p"; }
errors() { echo $(( $(field "$1" err_connect) + $(field "$1" err_read) + $(field "$1" err_write) \
  + $(field "$1" err_status) + $(field "$1" err_timeout) )); }

# Two passes each, in turns: the JIT of a service on a busy machine needs more than one to settle.
for pass in 1 2; do
  for mode in "${MODES[@]}"; do
    log "warm-up $pass: $mode for $WARMUP"
    run_wrk "warmup-$mode-$pass" "$mode" "$WARMUP"
  done
done
LOAD_BEFORE=$(cut -d' ' -f1 /proc/loadavg)
for round in $(seq "$ROUNDS"); do
  order=("${MODES[@]}"); [ $((round % 2)) = 0 ] && order=(off enforce)
  for mode in "${order[@]}"; do
    log "round $round: $mode, wrk -t$THREADS -c$CONNECTIONS -d$DURATION"
    run_wrk "$mode-$round" "$mode" "$DURATION"
  done
done
LOAD_AFTER=$(cut -d' ' -f1 /proc/loadavg)

# ---------------------------------------------------------------- report
ms() { awk -v us="$1" 'BEGIN { printf "%.2f", us / 1000 }'; }
echo
echo "GET /ipxe/{uuid}, custom ipxe-script Secrets: $CONFIGS IPXEBootConfigs, $SECRETS Secrets, wrk -t$THREADS -c$CONNECTIONS -d$DURATION, random UUID, loopback, $(nproc) cores"
echo
printf '%-6s %-8s %12s %10s %10s %8s %12s\n' round binding "req/s" "p50 ms" "p99 ms" errors "enforce/off"
total_enforce=0; total_off=0; ratios=(); total_errors=0
for round in $(seq "$ROUNDS"); do
  ratio=$(awk -v a="$(field "enforce-$round" rps)" -v b="$(field "off-$round" rps)" 'BEGIN { printf "%.3f", a / b }')
  ratios+=("$ratio")
  for mode in "${MODES[@]}"; do
    run="$mode-$round"
    printf '%-6s %-8s %12s %10s %10s %8s %12s\n' "$round" "$mode" "$(field "$run" rps)" \
      "$(ms "$(field "$run" p50_us)")" "$(ms "$(field "$run" p99_us)")" "$(errors "$run")" \
      "$([ "$mode" = enforce ] && echo "$ratio" || echo)"
    total_errors=$(( total_errors + $(errors "$run") ))
  done
  total_enforce=$(awk -v a="$total_enforce" -v b="$(field "enforce-$round" rps)" 'BEGIN { print a + b }')
  total_off=$(awk -v a="$total_off" -v b="$(field "off-$round" rps)" 'BEGIN { print a + b }')
done
OVERALL=$(awk -v a="$total_enforce" -v b="$total_off" 'BEGIN { printf "%.3f", a / b }')
RANGE=$(printf '%s\n' "${ratios[@]}" | sort -n | sed -n '1p;$p' | paste -sd- -)
echo
echo "1-minute load average before/after the measured runs: $LOAD_BEFORE / $LOAD_AFTER ($(nproc) cores)"
echo "enforce/off: $OVERALL over $ROUNDS rounds (per round $RANGE); target >= $TARGET_RATIO; errors = $total_errors"
RESULT=$(awk -v r="$OVERALL" -v t="$TARGET_RATIO" -v e="$total_errors" 'BEGIN { print (r >= t && e == 0) ? "PASS" : "FAIL" }')
echo "RESULT: $RESULT"
[ "$RESULT" = PASS ] || exit 1
