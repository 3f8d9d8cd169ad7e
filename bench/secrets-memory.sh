#!/usr/bin/env bash
# Memory with many unreferenced Secrets: the service (its own JVM, -Xmx128m, BOOT_CLUSTER=kubernetes)
# against an API server (bench/SecretsApiServer.java, another JVM) holding the samples and 2,000
# Secrets of 256 KiB that no boot config references, then against the same API server without them.
# Per run: time to /readyz 200, heap used after a full GC (jcmd GC.run, GC.heap_info), and the
# watched-Secret count. Target: ready at -Xmx128m, heap within 16 MiB of the run without the Secrets.
# Environment: BENCH_RUNS (1), BENCH_SECRETS (2000), BENCH_SECRET_KIB (256), BENCH_HEAP (128m),
# BENCH_READY_TIMEOUT (180 s), BENCH_JAR (target/boot-operator.jar: another build to compare),
# BENCH_REFERENCED (0: IPXEBootConfigs each naming a small Secret of its own, to see what watches cost),
# BENCH_KEEP (0: 1 keeps the temp dir with the logs). Only loopback is used: the SBC controllers (which would
# resolve the samples' images on ghcr.io) and prefetching are off, and the registry allowlist is loopback.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
JAR=${BENCH_JAR:-$ROOT/target/boot-operator.jar}
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"
RUNS=${BENCH_RUNS:-1}
SECRETS=${BENCH_SECRETS:-2000}
KIB=${BENCH_SECRET_KIB:-256}
HEAP=${BENCH_HEAP:-128m}
READY_TIMEOUT=${BENCH_READY_TIMEOUT:-180}
REFERENCED=${BENCH_REFERENCED:-0}
service_bench_workdir secrets-memory


install_missing curl:curl python3:python3 jcmd:openjdk-17-jdk-headless
ensure_jar
# start_api COUNT: the API server with COUNT unreferenced Secrets; sets API_PID and KUBECONFIG_FILE
start_api() {
  KUBECONFIG_FILE="$WORK/kubeconfig-$1"
  start_mock_api 6g "$WORK/api-$1.log" "$KUBECONFIG_FILE" "$1" "$KIB" "$REFERENCED"
  log "API server $(grep -m1 '^created' "$WORK/api-$1.log" || true); $(grep -m1 '^READY' "$WORK/api-$1.log")"
}

# heap_used_kib PID: heap used (KiB) right after two full GCs
heap_used_kib() {
  jcmd "$1" GC.run >/dev/null; jcmd "$1" GC.run >/dev/null
  jcmd "$1" GC.heap_info | grep -m1 -o 'used [0-9]*K' | tr -dc '0-9'
}

# measure COUNT RUN: prints "ready_ms heap_kib watched" for one service run, or "failed <why>"
measure() {
  local count=$1 run=$2 boot image metrics health start elapsed ms
  read -r boot image metrics health < <(free_ports 4)
  local out="$WORK/service-$count-$run.log"
  start=$(date +%s%N)
  BOOT_CLUSTER=kubernetes KUBECONFIG="$KUBECONFIG_FILE" BOOT_IPXE_SERVICE_URL="http://127.0.0.1:$boot" \
    BOOT_BOOT_SERVER_ADDRESS="127.0.0.1:$boot" BOOT_IMAGE_PROXY_SERVER_ADDRESS="127.0.0.1:$image" \
    BOOT_METRICS_BIND_ADDRESS="127.0.0.1:$metrics" BOOT_HEALTH_PROBE_BIND_ADDRESS="127.0.0.1:$health" \
    BOOT_CONTROLLERS=ipxebootconfig,httpbootconfig BOOT_IMAGE_PREFETCH=false BOOT_ALLOWED_REGISTRIES=127.0.0.1 \
    BOOT_METRICS_SECURE=false \
    java -Xmx"$HEAP" -XX:+ExitOnOutOfMemoryError -Dlogback.configurationFile="$ROOT/bench/logback-bench.xml" \
    -jar "$JAR" > "$out" 2>&1 &
  SERVICE_PID=$!
  until curl -sf -o /dev/null "http://127.0.0.1:$health/readyz"; do
    if ! kill -0 "$SERVICE_PID" 2>/dev/null; then
      wait "$SERVICE_PID" 2>/dev/null || true; SERVICE_PID=""
      echo "failed: exited before ready ($(grep -m1 -o 'OutOfMemoryError[^"]*' "$out" || echo "see $out"))"
      return 0
    fi
    elapsed=$(( ($(date +%s%N) - start) / 1000000000 ))
    if [ "$elapsed" -ge "$READY_TIMEOUT" ]; then
      stop_pid "$SERVICE_PID"; SERVICE_PID=""
      echo "failed: not ready after ${READY_TIMEOUT}s"
      return 0
    fi
    sleep 0.1
  done
  ms=$(( ($(date +%s%N) - start) / 1000000 ))
  sleep 5   # let the start-up reconciles finish
  local heap watched
  heap=$(heap_used_kib "$SERVICE_PID")
  watched=$(curl -sf "http://127.0.0.1:$metrics/metrics" | awk '/^boot_watched_secrets /{print $2}')
  stop_pid "$SERVICE_PID"; SERVICE_PID=""
  echo "$ms $heap ${watched:-n/a}"
}

declare -A RESULT
for count in 0 "$SECRETS"; do
  start_api "$count"
  for run in $(seq "$RUNS"); do
    RESULT[$count,$run]=$(measure "$count" "$run")
    log "$count Secrets, run $run: ${RESULT[$count,$run]}"
  done
  stop_pid "$API_PID"; API_PID=""
done

echo
echo "service $JAR at -Xmx$HEAP; $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg)"
printf '%-34s %-10s %-16s %s\n' "API server holds" "run" "to /readyz" "heap after full GC (watched Secrets)"
status=0
for run in $(seq "$RUNS"); do
  for count in 0 "$SECRETS"; do
    read -r ms heap watched <<< "${RESULT[$count,$run]}"
    if [ "$ms" = "failed:" ]; then
      printf '%-34s %-10s %s\n' "samples + $count x ${KIB} KiB Secrets" "$run" "${RESULT[$count,$run]}"
      status=1
    else
      printf '%-34s %-10s %-16s %s\n' "samples + $count x ${KIB} KiB Secrets" "$run" "${ms} ms" \
        "$(awk -v k="$heap" 'BEGIN { printf "%.1f MiB", k / 1024 }') ($watched)"
    fi
  done
  read -r _ base _ <<< "${RESULT[0,$run]}"
  read -r ms loaded _ <<< "${RESULT[$SECRETS,$run]}"
  if [ "$ms" != "failed:" ] && [ "${base:-}" != "" ]; then
    diff=$(awk -v a="$loaded" -v b="$base" 'BEGIN { printf "%.1f", (a - b) / 1024 }')
    verdict=$(awk -v d="$diff" 'BEGIN { print (d <= 16 ? "PASS" : "FAIL") }')
    [ "$verdict" = PASS ] || status=1
    echo "run $run: heap difference ${diff} MiB (target <= 16 MiB): $verdict"
  fi
done
exit $status
