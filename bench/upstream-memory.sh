#!/usr/bin/env bash
# Which memory limit the service needs when it replaces the Go manager: the jar started as upstream's
# Deployment starts /manager (heap: half the container limit, -XX:MaxRAMPercentage=50), with upstream's
# arguments (--leader-elect, --metrics-bind-address, --ipxe-service-url), against an API server in another
# JVM (bench/SecretsApiServer.java, CRUD mock with the CRDs and k8s/samples). The container limit is given
# to the JVM as -XX:MaxRAM (no cgroup here). Per limit: ready or not, and the process's RSS after start
# and after BENCH_REQUESTS iPXE requests, peak RSS (VmHWM). Upstream's chart sets 128 Mi.
# Environment: BENCH_LIMITS ("128 256 384 512", MiB), BENCH_REQUESTS (2000), BENCH_JAR, BENCH_KEEP (0).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
JAR=${BENCH_JAR:-$ROOT/target/boot-operator.jar}
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"
LIMITS=${BENCH_LIMITS:-128 256 384 512}
REQUESTS=${BENCH_REQUESTS:-2000}
service_bench_workdir upstream-memory

install_missing curl:curl python3:python3
ensure_jar
start_mock_api 1g "$WORK/api.log" "$WORK/kubeconfig" 0 1 0

rss() { awk -v key="$2:" '$1 == key {printf "%.0f", $2 / 1024}' "/proc/$1/status"; }

printf '%-12s %-8s %-18s %-26s %s\n' "limit (MiB)" "heap" "RSS after start" "RSS after $REQUESTS requests" "peak RSS"
for limit in $LIMITS; do
  read -r boot image metrics health < <(free_ports 4)
  KUBECONFIG="$WORK/kubeconfig" BOOT_CLUSTER=kubernetes HOSTNAME=controller-manager-bench \
    java -XX:MaxRAM="${limit}m" -XX:MaxRAMPercentage=50 -XX:+ExitOnOutOfMemoryError \
    -Dlogback.configurationFile="$ROOT/bench/logback-bench.xml" -jar "$JAR" \
    --leader-elect --metrics-bind-address="127.0.0.1:$metrics" --ipxe-service-url="http://127.0.0.1:$boot" \
    --health-probe-bind-address="127.0.0.1:$health" --boot-server-address="127.0.0.1:$boot" \
    --image-proxy-server-address="127.0.0.1:$image" --boot.image-prefetch=false \
    --boot.allowed-registries=127.0.0.1 > "$WORK/service-$limit.log" 2>&1 &
  SERVICE_PID=$!
  ready=0
  for _ in $(seq 600); do
    curl -sf -o /dev/null "http://127.0.0.1:$health/readyz" && { ready=1; break; }
    kill -0 "$SERVICE_PID" 2>/dev/null || break
    sleep 0.2
  done
  if [ "$ready" = 0 ]; then
    printf '%-12s %s\n' "$limit" "not ready (see service-$limit.log; BENCH_KEEP=1)"
    stop_pid "$SERVICE_PID"; SERVICE_PID=""
    continue
  fi
  sleep 5
  started=$(rss "$SERVICE_PID" VmRSS)
  for _ in $(seq "$REQUESTS"); do curl -s -o /dev/null "http://127.0.0.1:$boot/ipxe/"; done
  printf '%-12s %-8s %-18s %-26s %s\n' "$limit" "$((limit / 2))m" "$started MiB" "$(rss "$SERVICE_PID" VmRSS) MiB" \
    "$(rss "$SERVICE_PID" VmHWM) MiB"
  stop_pid "$SERVICE_PID"; SERVICE_PID=""
done
