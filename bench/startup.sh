#!/usr/bin/env bash
# Start-up: JVM start to the first /readyz 200 in embedded mode with k8s/samples (target < 5 s).
# Runs the measurement BENCH_RUNS times (default 3) and prints each and the median.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f target/boot-operator.jar ] || mvn -B -q -DskipTests package

runs=${BENCH_RUNS:-3}
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
times=()
for i in $(seq "$runs"); do
  boot=$(free_port); image=$(free_port); health=$(free_port); metrics=$(free_port)
  start=$(date +%s%N)
  # loopback only: the samples name ghcr.io images, which no controller or prefetch may fetch here
  BOOT_CLUSTER=embedded BOOT_IMAGE_PREFETCH=false BOOT_ALLOWED_REGISTRIES=127.0.0.1 \
    BOOT_BOOT_SERVER_ADDRESS=127.0.0.1:$boot BOOT_IMAGE_PROXY_SERVER_ADDRESS=127.0.0.1:$image \
    BOOT_HEALTH_PROBE_BIND_ADDRESS=127.0.0.1:$health BOOT_METRICS_BIND_ADDRESS=127.0.0.1:$metrics \
    java -Xmx256m -jar target/boot-operator.jar > /tmp/startup-bench.log 2>&1 &
  pid=$!
  until curl -sf -o /dev/null "http://127.0.0.1:$health/readyz"; do
    kill -0 "$pid" 2>/dev/null || { echo "service exited; see /tmp/startup-bench.log"; exit 1; }
    sleep 0.02
  done
  ms=$(( ($(date +%s%N) - start) / 1000000 ))
  kill "$pid"; wait "$pid" 2>/dev/null || true
  times+=("$ms"); echo "run $i: ${ms} ms to /readyz 200"
done
median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p")
echo "median: ${median} ms (target < 5000 ms) on $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg)"
