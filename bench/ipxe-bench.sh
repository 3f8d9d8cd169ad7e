#!/usr/bin/env bash
# GET /ipxe/{uuid} throughput and latency of boot-operator with 10,000 IPXEBootConfigs loaded,
# against nginx serving the same rendered script as a static file: same load generator (wrk),
# same wrk script, same run, loopback only. Prints a table, the ratio and PASS/FAIL for the targets
# (service >= 0.5 x nginx req/s, service p99 < 20 ms at 64 connections). See bench/README.md.
#
# Environment (all optional):
#   BENCH_DURATION=20s     wrk -d of each measured run
#   BENCH_CONNECTIONS=64   wrk -c
#   BENCH_THREADS=2        wrk -t
#   BENCH_WARMUP=8s        wrk -d of the random-UUID warm-up of each target (the service also gets
#                          one sequential pass over all UUIDs before it)
#   BENCH_CONFIGS=10000    number of IPXEBootConfigs generated
#   BENCH_LOGGING_RUN=1    also measure the service with the per-request INFO log line on (0: skip)
#   BENCH_PRESET_CONDITIONS=1  generate each config with the status a running fleet has (state
#                          Ready, IgnitionSecretReady and IPXEScriptFetched; steady state: neither the
#                          controller nor serving writes anything); 0: without, so the controller
#                          writes 10,000 statuses after start and the warm-up triggers one background
#                          status patch per config; the script waits for both to drain
#   BENCH_RECONCILE_WAIT=400  at most this many seconds to wait, after the service is ready, for
#                          the controllers' work queue to empty before measuring
#   NGINX_WORKERS=auto     nginx worker_processes (auto = one per core)
#   BENCH_PROFILE=0        1: record the measured service run (request log off) with JFR and print
#                          its hottest frames after the table (bench/jfr-hotspots.sh); JFR costs a
#                          few percent, so use a run without it for the figures
#   BENCH_KEEP=0           1: keep the temp dir (manifests, logs, wrk outputs) and print its path
#   BENCH_HEAP=512m        service -Xmx; embedded mode keeps a second copy of every object in the
#                          in-process API server, so 10,000 configs need more than production does
#   JAVA_OPTS_EXTRA=       more JVM options for the service
set -euo pipefail

DURATION=${BENCH_DURATION:-20s}
CONNECTIONS=${BENCH_CONNECTIONS:-64}
THREADS=${BENCH_THREADS:-2}
WARMUP=${BENCH_WARMUP:-8s}
CONFIGS=${BENCH_CONFIGS:-10000}
LOGGING_RUN=${BENCH_LOGGING_RUN:-1}
NGINX_WORKERS=${NGINX_WORKERS:-auto}
PRESET_CONDITIONS=${BENCH_PRESET_CONDITIONS:-1}
KEEP=${BENCH_KEEP:-0}
PROFILE=${BENCH_PROFILE:-0}
BENCH_HEAP=${BENCH_HEAP:-512m}
TARGET_RATIO=0.5
TARGET_P99_MS=20

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)
JAR=$ROOT/target/boot-operator.jar

# shellcheck source=bench/lib.sh
. "$BENCH_DIR/lib.sh"
install_missing wrk:wrk nginx:nginx-light curl:curl python3:python3
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
ensure_jar

# ---------------------------------------------------------------- temp dir and cleanup
WORK=$(mktemp -d /tmp/ipxe-bench.XXXXXX)
chmod 755 "$WORK"
SERVICE_PID=
NGINX_PID=
cleanup() {
  local rc=$?
  if [ -n "$NGINX_PID" ] && kill -0 "$NGINX_PID" 2>/dev/null; then
    kill "$NGINX_PID" 2>/dev/null || true
    wait "$NGINX_PID" 2>/dev/null || true
  fi
  if [ -n "$SERVICE_PID" ] && kill -0 "$SERVICE_PID" 2>/dev/null; then
    kill "$SERVICE_PID" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$SERVICE_PID" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$SERVICE_PID" 2>/dev/null || true
    wait "$SERVICE_PID" 2>/dev/null || true
  fi
  if [ "$KEEP" = 1 ]; then
    log "kept $WORK"
  else
    rm -rf "$WORK"
  fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------- free loopback ports
read -r BOOT_PORT IMAGE_PORT METRICS_PORT HEALTH_PORT NGINX_PORT < <(python3 - <<'EOF'
import socket
socks = []
for _ in range(5):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
for s in socks:
    s.close()
EOF
)

# ---------------------------------------------------------------- manifests
MANIFESTS=$WORK/manifests
mkdir -p "$MANIFESTS"
UUIDS=$WORK/uuids.txt
log "generating $CONFIGS IPXEBootConfigs"
PYTHONPATH="$BENCH_DIR" PYTHONDONTWRITEBYTECODE=1 python3 - "$CONFIGS" "$MANIFESTS/ipxebootconfigs.yaml" "$UUIDS" "$IMAGE_PORT" "$PRESET_CONDITIONS" <<'EOF'
import random, sys
from ipxe_fleet import READY_STATUS, write_fleet
count, manifest, uuid_file, image_port = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
status = READY_STATUS if sys.argv[5] == "1" else ""
rng = random.Random(20240611)
def digest():
    return "%064x" % rng.getrandbits(256)
# A realistic fleet: a few OS image versions shared by many machines, each URL ~200 characters.
versions = []
for v in range(8):
    version = "1877.%d" % v
    versions.append({part: ("http://boot-operator-image-proxy.metal-system.svc.cluster.local:%s/image"
                            "?imageName=ghcr.io%%2Fironcore-dev%%2Fos-images%%2Fgardenlinux"
                            "&layerDigest=sha256%%3A%s&version=%s" % (image_port, digest(), version))
                     for part in ("kernel", "initrd", "squashfs")})
write_fleet(count, manifest, uuid_file, versions, status, rng)
EOF
LAST_UUID=$(tail -n 1 "$UUIDS")
FIRST_UUID=$(head -n 1 "$UUIDS")

# ---------------------------------------------------------------- service
LOGBACK=$WORK/logback-bench.xml
cp "$BENCH_DIR/logback-bench.xml" "$LOGBACK"
SERVICE_LOG=$WORK/service.log
log "starting the service (-Xmx${BENCH_HEAP}, boot port $BOOT_PORT, logback $BENCH_DIR/logback-bench.xml: boot.requests at WARN)"
START_TS=$(date +%s)
# shellcheck disable=SC2086
# loopback only: the configs name ghcr.io layers, which neither prefetch nor any controller may fetch here
BOOT_CLUSTER=embedded BOOT_MANIFESTS_DIR=$MANIFESTS BOOT_IMAGE_PREFETCH=false BOOT_ALLOWED_REGISTRIES=127.0.0.1 \
BOOT_BOOT_SERVER_ADDRESS=127.0.0.1:$BOOT_PORT \
BOOT_IMAGE_PROXY_SERVER_ADDRESS=127.0.0.1:$IMAGE_PORT \
BOOT_METRICS_BIND_ADDRESS=127.0.0.1:$METRICS_PORT \
BOOT_HEALTH_PROBE_BIND_ADDRESS=127.0.0.1:$HEALTH_PORT \
  java -Xmx${BENCH_HEAP} -Dlogback.configurationFile="$LOGBACK" ${JAVA_OPTS_EXTRA:-} -jar "$JAR" \
  >"$SERVICE_LOG" 2>&1 &
SERVICE_PID=$!

wait_for() { # wait_for DESCRIPTION SECONDS URL: until URL answers 200
  local what=$1 deadline=$(( $(date +%s) + $2 )) url=$3
  until [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$url" || true)" = 200 ]; do
    kill -0 "$SERVICE_PID" 2>/dev/null || { tail -n 30 "$SERVICE_LOG" >&2; die "service exited while waiting for $what"; }
    [ "$(date +%s)" -lt "$deadline" ] || { tail -n 30 "$SERVICE_LOG" >&2; die "timed out waiting for $what"; }
    sleep 0.5
  done
}
wait_for "/readyz" 240 "http://127.0.0.1:$HEALTH_PORT/readyz"
wait_for "the last generated UUID" 120 "http://127.0.0.1:$BOOT_PORT/ipxe/$LAST_UUID"
wait_for "the first generated UUID" 30 "http://127.0.0.1:$BOOT_PORT/ipxe/$FIRST_UUID"
log "service ready with $CONFIGS configs after $(( $(date +%s) - START_TS ))s"

# ---------------------------------------------------------------- nginx with the same script
NGINX_ROOT=$WORK/www
mkdir -p "$NGINX_ROOT" "$WORK/nginx-tmp"
curl -sf -o "$NGINX_ROOT/ipxe-script" "http://127.0.0.1:$BOOT_PORT/ipxe/$LAST_UUID"
chmod 755 "$NGINX_ROOT"; chmod 644 "$NGINX_ROOT/ipxe-script"
SCRIPT_BYTES=$(wc -c <"$NGINX_ROOT/ipxe-script")
cat >"$WORK/nginx.conf" <<EOF
worker_processes $NGINX_WORKERS;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
$(nginx_temp_paths "$WORK/nginx-tmp")
  keepalive_requests 100000000;
  keepalive_timeout 75s;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $NGINX_ROOT;
    default_type "text/plain; charset=utf-8";
    # every /ipxe/{uuid} gets the one rendered script, as a static file
    location /ipxe/ { try_files /ipxe-script =404; }
  }
}
EOF
"$NGINX" -p "$WORK" -c "$WORK/nginx.conf" -g 'daemon off;' 2>>"$WORK/nginx-error.log" &
NGINX_PID=$!
for _ in $(seq 50); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$NGINX_PORT/ipxe/$FIRST_UUID" || true)" = 200 ] && break
  kill -0 "$NGINX_PID" 2>/dev/null || { cat "$WORK/nginx-error.log" >&2; die "nginx did not start"; }
  sleep 0.1
done
cmp -s "$NGINX_ROOT/ipxe-script" <(curl -sf "http://127.0.0.1:$NGINX_PORT/ipxe/$LAST_UUID") \
  || die "nginx does not serve the rendered script"
log "nginx (worker_processes $NGINX_WORKERS, access_log off) on port $NGINX_PORT serves the ${SCRIPT_BYTES}-byte script"

# ---------------------------------------------------------------- load
LUA=$BENCH_DIR/ipxe-uuids.lua
run_wrk() { # run_wrk NAME PORT DURATION MODE: writes $WORK/wrk-NAME.txt
  local name=$1 port=$2 duration=$3 mode=${4:-random}
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$duration" --timeout 5s --latency -s "$LUA" \
    "http://127.0.0.1:$port" -- "$UUIDS" "$mode" >"$WORK/wrk-$name.txt" 2>&1 \
    || { cat "$WORK/wrk-$name.txt" >&2; die "wrk $name failed"; }
}
field() { # field NAME KEY: a value from the BENCH line of wrk-NAME.txt
  grep '^BENCH ' "$WORK/wrk-$1.txt" | tr ' ' '\n' | sed -n "s/^$2=//p"
}
metric_sum() { # metric_sum NAME: the sum of a Prometheus metric's samples on the metrics port
  curl -s --max-time 5 "http://127.0.0.1:$METRICS_PORT/metrics" \
    | awk -v m="$1" '$1 == m || index($1, m "{") == 1 { s += $NF } END { printf "%d\n", s }'
}

# Right after start the ipxebootconfig controller reconciles every config once (and, without the
# preset status, writes 10,000 statuses to the in-process API server, ~1 core for minutes). A running
# fleet is past that: wait until its work queue is empty, so the measured runs see the steady state.
RECONCILE_DEADLINE=$(( $(date +%s) + ${BENCH_RECONCILE_WAIT:-400} )); empty_polls=0
while [ "$empty_polls" -lt 2 ]; do
  if [ "$(metric_sum boot_reconcile_queue_depth)" = 0 ]; then empty_polls=$(( empty_polls + 1 )); else empty_polls=0; fi
  [ "$(date +%s)" -lt "$RECONCILE_DEADLINE" ] || { log "warning: reconcile queue not empty ($(metric_sum boot_reconcile_queue_depth))"; break; }
  sleep 1
done
log "reconcile queue empty $(( $(date +%s) - START_TS ))s after start: $(metric_sum boot_reconciles_total) reconciles"

# The first delivery of each config writes its IPXEScriptFetched condition (one background status
# patch per config). One sequential pass touches every config, then we wait for those writes to
# drain, so the measured runs see the steady state (conditions already set) and not 10,000 patches.
log "warm-up: service, one sequential pass over all $CONFIGS UUIDs, then random for $WARMUP"
SEQ_SECONDS=$(( CONFIGS / 2000 + 3 ))
run_wrk warmup-seq "$BOOT_PORT" "${SEQ_SECONDS}s" sequential
[ "$(field warmup-seq requests)" -ge "$CONFIGS" ] || log "warning: sequential pass made only $(field warmup-seq requests) requests"
prev=-1; drain_deadline=$(( $(date +%s) + 90 ))
while :; do
  now=$(metric_sum boot_delivery_condition_writes_total)
  [ "$now" -ge "$CONFIGS" ] && break
  [ "$now" = "$prev" ] && break
  [ "$(date +%s)" -lt "$drain_deadline" ] || { log "warning: condition writes still draining ($now)"; break; }
  prev=$now; sleep 2
done
log "condition writes after warm-up: $(metric_sum boot_delivery_condition_writes_total)"
run_wrk warmup-service "$BOOT_PORT" "$WARMUP"
log "warm-up: nginx for $WARMUP"
run_wrk warmup-nginx "$NGINX_PORT" "$WARMUP"

writes_before=$(metric_sum boot_delivery_condition_writes_total)
reconciles_before=$(metric_sum boot_reconciles_total)
LOAD_BEFORE=$(cut -d' ' -f1 /proc/loadavg)
log "measuring nginx: wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency"
run_wrk nginx "$NGINX_PORT" "$DURATION"
log "measuring service (request log off): wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency"
[ "$PROFILE" != 1 ] || jcmd "$SERVICE_PID" JFR.start name=bench settings=profile method-profiling=max >/dev/null
run_wrk service "$BOOT_PORT" "$DURATION"
if [ "$PROFILE" = 1 ]; then
  jcmd "$SERVICE_PID" JFR.stop name=bench filename="$WORK/service.jfr" >/dev/null
  "$BENCH_DIR/jfr-hotspots.sh" "$WORK/service.jfr" >"$WORK/profile.txt" 2>&1 || true
fi
RUNS=(nginx service)
if [ "$LOGGING_RUN" = 1 ]; then
  sed -i 's|<logger name="boot.requests" level="WARN"/>|<logger name="boot.requests" level="INFO"/>|' "$LOGBACK"
  lines_before=$(grep -c 'boot.requests' "$SERVICE_LOG" || true)
  for _ in $(seq 40); do # logback rescans its file every second
    curl -s -o /dev/null "http://127.0.0.1:$BOOT_PORT/ipxe/$FIRST_UUID"
    [ "$(grep -c 'boot.requests' "$SERVICE_LOG" || true)" -gt "$lines_before" ] && break
    sleep 0.25
  done
  if [ "$(grep -c 'boot.requests' "$SERVICE_LOG" || true)" -gt "$lines_before" ]; then
    # the JIT recompiles the request path for the line now taken; a service logging all along is past that
    log "warm-up: service with the request log on for $WARMUP"
    run_wrk warmup-service-log "$BOOT_PORT" "$WARMUP"
    log "measuring service (request log on: one INFO line per request to a file): wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency"
    run_wrk service-log "$BOOT_PORT" "$DURATION"
    RUNS+=(service-log)
  else
    log "warning: could not switch the request log on; skipping that run"
  fi
fi
LOAD_AFTER=$(cut -d' ' -f1 /proc/loadavg)
writes_during=$(( $(metric_sum boot_delivery_condition_writes_total) - writes_before ))
reconciles_during=$(( $(metric_sum boot_reconciles_total) - reconciles_before ))

# ---------------------------------------------------------------- report
ms() { awk -v us="$1" 'BEGIN { printf "%.2f", us / 1000 }'; }
NGINX_RPS=$(field nginx rps)
echo
echo "GET /ipxe/{uuid}: $CONFIGS IPXEBootConfigs, wrk -t$THREADS -c$CONNECTIONS -d$DURATION, random UUID per request, loopback, $(nproc) cores"
echo "nginx: worker_processes $NGINX_WORKERS, access_log off, the ${SCRIPT_BYTES}-byte rendered script as a static file"
echo "service: java -Xmx${BENCH_HEAP} -jar target/boot-operator.jar, logback bench/logback-bench.xml (boot.requests at WARN unless noted)"
echo
printf '%-28s %12s %10s %10s %10s %10s %8s\n' target "req/s" "p50 ms" "p90 ms" "p99 ms" "max ms" errors
for run in "${RUNS[@]}"; do
  case $run in
    nginx) label="nginx (static file)";;
    service) label="service, request log off";;
    service-log) label="service, request log on";;
  esac
  errors=$(( $(field "$run" err_connect) + $(field "$run" err_read) + $(field "$run" err_write) \
    + $(field "$run" err_status) + $(field "$run" err_timeout) ))
  printf '%-28s %12s %10s %10s %10s %10s %8s\n' "$label" "$(field "$run" rps)" \
    "$(ms "$(field "$run" p50_us)")" "$(ms "$(field "$run" p90_us)")" "$(ms "$(field "$run" p99_us)")" \
    "$(ms "$(field "$run" max_us)")" "$errors"
done
echo
echo "1-minute load average before/after the measured runs: $LOAD_BEFORE / $LOAD_AFTER ($(nproc) cores; wrk, nginx and the service alone make about 2-3)"
awk -v a="$LOAD_AFTER" -v n="$(nproc)" 'BEGIN { exit !(a > 2 * n + 1) }' \
  && echo "warning: the machine was busy with other work; these figures are noisy, run again when it is quieter"
[ "$writes_during" -eq 0 ] || echo "note: $writes_during delivery-condition writes happened during the measured runs"
[ "$reconciles_during" -eq 0 ] || echo "note: $reconciles_during reconciles happened during the measured runs"

verdict() { # verdict RUN LABEL
  local run=$1 label=$2 rps ratio p99 errors ok=PASS
  rps=$(field "$run" rps)
  ratio=$(awk -v a="$rps" -v b="$NGINX_RPS" 'BEGIN { printf "%.3f", a / b }')
  p99=$(ms "$(field "$run" p99_us)")
  errors=$(( $(field "$run" err_status) + $(field "$run" err_timeout) + $(field "$run" err_connect) \
    + $(field "$run" err_read) + $(field "$run" err_write) ))
  local r_ok p_ok
  r_ok=$(awk -v r="$ratio" -v t="$TARGET_RATIO" 'BEGIN { print (r >= t) ? "PASS" : "FAIL" }')
  p_ok=$(awk -v p="$p99" -v t="$TARGET_P99_MS" 'BEGIN { print (p < t) ? "PASS" : "FAIL" }')
  echo "$label: ratio service/nginx = $ratio (target >= $TARGET_RATIO): $r_ok; p99 = $p99 ms (target < $TARGET_P99_MS ms): $p_ok; errors = $errors"
  [ "$r_ok" = PASS ] && [ "$p_ok" = PASS ] && [ "$errors" -eq 0 ] || ok=FAIL
  echo "$ok" >"$WORK/verdict-$run"
}
verdict service "request log off"
if [[ " ${RUNS[*]} " == *" service-log "* ]]; then
  verdict service-log "request log on "
fi
if [ "$PROFILE" = 1 ]; then
  echo
  echo "JFR profile of the service's measured run (recorded, so its figures above are a few percent low):"
  cat "$WORK/profile.txt"
fi
OVERALL=$(cat "$WORK/verdict-service")
echo "RESULT (request log off, the benchmark's setting): $OVERALL"
[ "$OVERALL" = PASS ] || exit 1
