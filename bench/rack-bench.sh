#!/usr/bin/env bash
# Rack power-on: the image proxy against nginx proxy_cache (+ proxy_cache_lock) in front of the same
# docker-registry, in one run on loopback. Every row is measured for both servers, each run with fresh
# caches, and printed as our figure, nginx's figure and the ratio, with PASS/FAIL against the targets:
#   cold         one client, uncached 1 GiB layer             >= 2.5 x nginx, >= 0.9 x the verifying bound
#   next machine the same layer again, at once                >= 0.9 x nginx
#   later        the same layer again, 15 s later             >= 0.9 x nginx
#   rack         100 clients at once, uncached 256 MiB layer, and 50 clients, uncached 1 GiB layer, each
#                with 10 clients hashing (the rest discard) and with every client hashing: server CPU
#                per delivered GB <= 1.5 x nginx; wall time <= 0.9 x nginx (10 hashing) and <= 1.0 x
#                (all hashing); exactly 1 registry blob GET; every hashed sha256 right
#   many         500 clients at once, uncached 64 MiB layer: all complete, none refused, 1 registry GET
#   memory       service peak RSS (VmHWM) in each rack run, and with 20 concurrent 1 GiB downloads at
#                -Xmx128m: < 384 MiB; idle RSS reported
# See bench/README.md.
#
# Environment (all optional):
#   BENCH_RUNS=3               runs; each starts both servers with fresh caches and measures every row
#   BENCH_LAYER_MIB=1024       the single-client layer, the big rack layer and the memory test's layer
#   BENCH_RACK_MIB=256         the small rack layer
#   BENCH_RACK_CLIENTS=100     clients on the small rack layer
#   BENCH_BIG_RACK_CLIENTS=50  clients on the big rack layer
#   BENCH_HASHING_CLIENTS=10   clients that hash in the "discard" variant of the rack rows
#   BENCH_MANY_CLIENTS=500     clients of the "many" row
#   BENCH_MANY_MIB=64          layer size of the "many" row
#   BENCH_MEM_CLIENTS=20       concurrent downloads of the memory row
#   BENCH_MEM_HEAP=128m        service -Xmx of the memory row
#   BENCH_HEAP=256m            service -Xmx of the runs
#   BENCH_LATER_SECONDS=15     pause before the "later" row
#   BENCH_HASHER="openssl dgst -sha256 -r"   what a hashing client pipes curl into (SHA-NI;
#                              "sha256sum" is coreutils' own, ~5 x slower here)
#   BENCH_CLIENT_ADDRESSES=distinct   distinct: client i binds its own 127.x.y.z (a rack of machines);
#                              one: every client is 127.0.0.1
#   BENCH_DROP_CACHES=1        before every cold and rack measurement: sync, drop the page cache
#                              (echo 1 > /proc/sys/vm/drop_caches, as root), then read the registry's
#                              copy of the layer back, so both servers start alike; 0: only sync
#   BENCH_WARMUP=40            64 MiB layers the service (and the bound) fetch cold before measuring (JIT)
#   BENCH_WARMUP_ROUNDS=4      times each warm-up layer is fetched (the service's cache is bounded so
#                              that each round fetches them cold again)
#   BENCH_SKIP=                space-separated subset of "bound next rack many mem"
#   BENCH_RACK_ROWS=           the rack rows to run, a subset of "rack-discard rack-hashing bigrack-discard
#                              bigrack-hashing" (the 256 MiB and 1 GiB layers, 10 or all clients hashing); all
#                              four unless set
#   BENCH_RACK_CACHED=0        1: diagnosis only: each rack layer is fetched once before its clients come,
#                              so the rows measure serving a cached layer (no download to follow)
#   BENCH_PERF=0               1: diagnosis only: each rack row runs under a system-wide perf record
#                              (cpu-clock, 999 Hz, call graphs) into perf-ROW-SIDE-RUN.data in the temp dir
#                              (with BENCH_KEEP=1); perf's own CPU then lands in the machine's figure
#   BENCH_KEEP=0               1: keep the temp dir (logs, client outputs, registry data)
#   JAVA_OPTS_EXTRA=           more JVM options for the service
set -euo pipefail

RUNS=${BENCH_RUNS:-3}
LAYER_MIB=${BENCH_LAYER_MIB:-1024}
RACK_MIB=${BENCH_RACK_MIB:-256}
RACK_CLIENTS=${BENCH_RACK_CLIENTS:-100}
BIG_RACK_CLIENTS=${BENCH_BIG_RACK_CLIENTS:-50}
HASHING_CLIENTS=${BENCH_HASHING_CLIENTS:-10}
MANY_CLIENTS=${BENCH_MANY_CLIENTS:-500}
MANY_MIB=${BENCH_MANY_MIB:-64}
MEM_CLIENTS=${BENCH_MEM_CLIENTS:-20}
MEM_HEAP=${BENCH_MEM_HEAP:-128m}
HEAP=${BENCH_HEAP:-256m}
LATER_SECONDS=${BENCH_LATER_SECONDS:-15}
HASHER=${BENCH_HASHER:-openssl dgst -sha256 -r}
CLIENT_ADDRESSES=${BENCH_CLIENT_ADDRESSES:-distinct}
DROP_CACHES=${BENCH_DROP_CACHES:-1}
WARMUP=${BENCH_WARMUP:-40}
WARMUP_ROUNDS=${BENCH_WARMUP_ROUNDS:-4}
SKIP=" ${BENCH_SKIP:-} "
RACK_ROWS=${BENCH_RACK_ROWS:-rack-discard rack-hashing bigrack-discard bigrack-hashing}
KEEP=${BENCH_KEEP:-0}
PERF=${BENCH_PERF:-0}
CLIENT_TIMEOUT=1800
TARGET_COLD_NGINX=2.5
TARGET_COLD_BOUND=0.9
TARGET_AGAIN=0.9
TARGET_RACK_CPU=1.5
TARGET_RACK_WALL_DISCARD=0.9
TARGET_RACK_WALL_HASHING=1.0
TARGET_RSS_MIB=384
REPO=bench/layers
MIB=$(( 1024 * 1024 ))

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)
JAR=$ROOT/target/boot-operator.jar

# shellcheck source=bench/lib.sh
. "$BENCH_DIR/lib.sh"
install_missing docker-registry:docker-registry nginx:nginx-light curl:curl python3:python3 openssl:openssl
[ "$PERF" = 1 ] && install_missing perf:linux-perf
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
ensure_jar
skipped() { [[ $SKIP == *" $1 "* ]]; }
rack_shape() { # rack_shape ROW: its layer's MiB, its clients and how many of them hash
  case $1 in
    rack-discard) echo "$RACK_MIB $RACK_CLIENTS $HASHING_CLIENTS";;
    rack-hashing) echo "$RACK_MIB $RACK_CLIENTS $RACK_CLIENTS";;
    bigrack-discard) echo "$LAYER_MIB $BIG_RACK_CLIENTS $HASHING_CLIENTS";;
    bigrack-hashing) echo "$LAYER_MIB $BIG_RACK_CLIENTS $BIG_RACK_CLIENTS";;
    *) die "BENCH_RACK_ROWS: no rack row $1";;
  esac
}
for row in $RACK_ROWS; do rack_shape "$row" >/dev/null; done
if [ "$DROP_CACHES" = 1 ] && [ ! -w /proc/sys/vm/drop_caches ]; then
  log "not root: the page cache is not dropped before cold measurements (BENCH_DROP_CACHES=0)"
  DROP_CACHES=0
fi

# ---------------------------------------------------------------- temp dir and cleanup
WORK=$(mktemp -d /tmp/rack-bench.XXXXXX)
chmod 755 "$WORK"
SERVICE_PID= NGINX_PID= REGISTRY_PID= BOUND_PID=
cleanup() {
  local rc=$?
  for pid in $(jobs -p); do # clients of an interrupted measurement
    case " $SERVICE_PID $NGINX_PID $REGISTRY_PID $BOUND_PID " in *" $pid "*) ;; *) kill "$pid" 2>/dev/null || true;; esac
  done
  stop_pid "$NGINX_PID"; stop_pid "$SERVICE_PID"; stop_pid "$BOUND_PID"; stop_pid "$REGISTRY_PID"
  if [ "$KEEP" = 1 ]; then log "kept $WORK"; else rm -rf "$WORK"; fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

HZ=$(getconf CLK_TCK)
read -r REG_PORT NGINX_PORT BOUND_PORT < <(free_ports 3)

# ---------------------------------------------------------------- registry and layers
start_registry

declare -A HEX BYTES
new_layer() { # new_layer NAME MIB: a random layer in the registry (AES-CTR keystream: as random as
  # /dev/urandom for this purpose and ~5 x faster to make); sets HEX[NAME], BYTES[NAME]
  local file=$WORK/layer.tmp
  { openssl enc -aes-128-ctr -nosalt -pass "pass:$1-$RANDOM-$RANDOM" -in /dev/zero 2>/dev/null || true; } \
    | head -c "$(( $2 * MIB ))" >"$file" # openssl ends on SIGPIPE
  HEX[$1]=$(openssl dgst -sha256 -r "$file" | cut -c1-64)
  BYTES[$1]=$(stat -c %s "$file")
  push_blob "$file" "${HEX[$1]}"
  rm -f "$file"
}
registry_file() { echo "$WORK/registry/docker/registry/v2/blobs/sha256/${1:0:2}/$1/data"; }

log "making and pushing the layers (BENCH_RUNS=$RUNS)"
for i in $(seq "$WARMUP"); do new_layer "warm$i" 64; done
for run in $(seq "$RUNS"); do
  new_layer "cold$run" "$LAYER_MIB"
  skipped rack || for row in $RACK_ROWS; do
    read -r mib _ < <(rack_shape "$row")
    new_layer "$row$run" "$mib"
  done
  skipped many || new_layer "many$run" "$MANY_MIB"
done

# before_cold NAME: the start every cold measurement shares, whichever server: the registry's copy of
# the layer read back into a page cache that was just dropped (nginx and the service then write their
# cache files into pages the VM has to hand back alike), and nothing left to write back
before_cold() {
  sync
  [ "$DROP_CACHES" = 1 ] && echo 1 >/proc/sys/vm/drop_caches
  cat "$(registry_file "${HEX[$1]}")" >/dev/null
}

# ---------------------------------------------------------------- CPU and memory
machine_busy() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat; }
server_pids() { # server_pids SIDE: the service's JVM, or nginx's master and every child (workers, cache manager)
  if [ "$1" = service ]; then echo "$SERVICE_PID"; else echo "$NGINX_PID" $(pgrep -P "$NGINX_PID" || true); fi
}
server_cpu() { process_cpu $(server_pids "$1"); } # shellcheck disable=SC2046
rss_kib() { awk -v k="$2" '$1 == k":" { print $2 }' "/proc/$1/status"; } # rss_kib PID VmRSS|VmHWM
# cached_after SIDE NAME HEX START: once the layer's complete cache file is in place (the service's
# published blob; nginx's file named by the md5 of its key, the URI, under levels=1:2, renamed there
# once complete), prints the seconds since START; one stat every 0.1 s
cached_after() {
  local file now md5
  if [ "$1" = service ]; then
    file=$WORK/cache-$2/sha256/$3
  else
    md5=$(printf '%s' "/v2/$REPO/blobs/sha256:$3" | md5sum | cut -c1-32)
    file=$WORK/nginx-$2/cache/${md5:31:1}/${md5:29:2}/$md5
  fi
  until [ -e "$file" ]; do sleep 0.1; done
  now=$(date +%s.%N)
  awk -v s="$4" -v e="$now" 'BEGIN { printf "%.1f\n", e - s }'
}

# ---------------------------------------------------------------- servers
start_service() { # start_service NAME HEAP: fresh cache dir; sets SERVICE_PID, BOOT_PORT
  local name=$1 heap=$2 image_port metrics_port health_port cache=$WORK/cache-$1
  read -r BOOT_PORT image_port metrics_port health_port < <(free_ports 4)
  rm -rf "$cache"; mkdir -p "$cache"
  # bounded so that each warm-up round fetches its layers cold again, yet every measured layer fits;
  # the SBC controllers (the samples name ghcr.io images) and prefetching off: nothing but the clients
  # shellcheck disable=SC2086
  BOOT_CLUSTER=embedded \
  BOOT_BOOT_SERVER_ADDRESS=127.0.0.1:$BOOT_PORT \
  BOOT_IMAGE_PROXY_SERVER_ADDRESS=127.0.0.1:$image_port \
  BOOT_METRICS_BIND_ADDRESS=127.0.0.1:$metrics_port \
  BOOT_HEALTH_PROBE_BIND_ADDRESS=127.0.0.1:$health_port \
  BOOT_ALLOWED_REGISTRIES=127.0.0.1:$REG_PORT \
  BOOT_CONTROLLERS=ipxebootconfig,httpbootconfig BOOT_IMAGE_PREFETCH=false \
  BOOT_BLOB_CACHE_DIR=$cache BOOT_BLOB_CACHE_MAX_BYTES=$(( (LAYER_MIB + RACK_MIB + 256) * MIB )) \
    java -Xmx"$heap" ${JAVA_OPTS_EXTRA:-} -jar "$JAR" >"$WORK/service-$name.log" 2>&1 &
  SERVICE_PID=$!
  await_ok "http://127.0.0.1:$health_port/readyz" "$SERVICE_PID" "$WORK/service-$name.log" 180 service
}
start_nginx() { # start_nginx NAME: nginx with an empty proxy_cache in front of the registry; sets NGINX_PID
  local dir=$WORK/nginx-$1
  rm -rf "$dir"; mkdir -p "$dir/cache"
  # proxy_cache_lock: one request fills the cache, the others wait for the complete file and are then
  # served from it; lock_timeout and lock_age far above any download here, or waiting clients would go
  # to the registry themselves (uncached) after 5 s. The cache key is the URI (the blob's digest).
  cat >"$dir/nginx.conf" <<EOF
worker_processes auto;
worker_rlimit_nofile 16384;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 8192; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
$(nginx_temp_paths "$dir/tmp")
  proxy_cache_path $dir/cache levels=1:2 keys_zone=blobs:16m max_size=100g inactive=1d use_temp_path=off;
  server {
    listen 127.0.0.1:$NGINX_PORT backlog=4096;
    location /v2/ {
      proxy_pass http://127.0.0.1:$REG_PORT;
      proxy_http_version 1.1;
      proxy_read_timeout 1h;
      proxy_cache blobs;
      proxy_cache_key \$uri;
      proxy_cache_valid 200 1d;
      proxy_cache_lock on;
      proxy_cache_lock_timeout 1h;
      proxy_cache_lock_age 1h;
    }
  }
}
EOF
  "$NGINX" -p "$dir" -c "$dir/nginx.conf" -g 'daemon off;' 2>>"$dir/error.log" &
  NGINX_PID=$!
  await_ok "http://127.0.0.1:$NGINX_PORT/v2/" "$NGINX_PID" "$dir/error.log" 10 nginx
}
stop_side() { if [ "$1" = service ]; then stop_pid "$SERVICE_PID"; SERVICE_PID=; else stop_pid "$NGINX_PID"; NGINX_PID=; fi; }
url_of() { # url_of SIDE HEX
  case $1 in
    service) echo "http://127.0.0.1:$BOOT_PORT/image?imageName=127.0.0.1:$REG_PORT/$REPO&version=v1&layerDigest=sha256:$2";;
    nginx) echo "http://127.0.0.1:$NGINX_PORT/v2/$REPO/blobs/sha256:$2";;
    bound) echo "http://127.0.0.1:$BOUND_PORT/v2/$REPO/blobs/sha256:$2";;
  esac
}
warm_up() { # warm_up SIDE: the warm-up layers, WARMUP_ROUNDS times each (JIT; they stay out of the figures)
  for _ in $(seq "$WARMUP_ROUNDS"); do
    for i in $(seq "$WARMUP"); do download "$(url_of "$1" "${HEX[warm$i]}")" $(( 64 * MIB )) >/dev/null; done
  done
}

# ---------------------------------------------------------------- measurements (results in R[row,side,run])
declare -A R
client_address() { # client_address I: client I's own source address, 127.1.x.y
  if [ "$CLIENT_ADDRESSES" = one ]; then echo 127.0.0.1; else echo "127.1.$(( $1 / 250 )).$(( $1 % 250 + 1 ))"; fi
}
CLIENT_SCRIPT='
  set -o pipefail
  url=$1 addr=$2 out=$3 mode=$4 timeout=$5 hasher=$6
  if [ "$mode" = hash ]; then
    curl -sSf --interface "$addr" --max-time "$timeout" "$url" | $hasher | cut -c1-64 >"$out.sha"
  else
    curl -sS --interface "$addr" --max-time "$timeout" -o /dev/null -w "%{http_code} %{size_download}\n" "$url" >"$out.size"
  fi
  rc=$?
  times >"$out.times"
  exit $rc'
single() { # single ROW SIDE RUN NAME: one client downloads NAME; MB/s, and server core-s for the cold row
  local cpu0 cpu1 speed gets0
  gets0=$(registry_gets "${HEX[$4]}")
  cpu0=$(server_cpu "$2")
  speed=$(download "$(url_of "$2" "${HEX[$4]}")" "${BYTES[$4]}")
  cpu1=$(server_cpu "$2")
  R[$1,$2,$3]=$(awk -v s="$speed" 'BEGIN { printf "%.0f", s / 1e6 }')
  R[$1-cpu,$2,$3]=$(awk -v d=$(( cpu1 - cpu0 )) -v hz="$HZ" -v b="${BYTES[$4]}" 'BEGIN { printf "%.2f", d / hz / (b / 1e9) }')
  R[$1-gets,$2,$3]=$(( $(registry_gets "${HEX[$4]}") - gets0 ))
}
rack() { # rack ROW SIDE RUN NAME CLIENTS HASHING: CLIENTS at once on NAME, the first HASHING of them hashing
  local row=$1 side=$2 run=$3 name=$4 clients=$5 hashing=$6 dir url i pids=() failed=0 start end
  local cpu0 cpu1 reg0 reg1 busy0 busy1 gets0 sha_ok delivered peak_rss= perf_pid= poller
  dir=$WORK/clients/$row-$side-$run
  mkdir -p "$dir"
  url=$(url_of "$side" "${HEX[$name]}")
  before_cold "$name"
  # diagnosis mode: the layer cached before the clients come (their cost without a download to follow)
  [ "${BENCH_RACK_CACHED:-0}" = 1 ] && download "$url" "${BYTES[$name]}" >/dev/null
  # VmHWM := VmRSS (Linux 4.0+): this measurement's peak from here
  if [ "$side" = service ]; then echo 5 >"/proc/$SERVICE_PID/clear_refs" 2>/dev/null || true; fi
  gets0=$(registry_gets "${HEX[$name]}")
  if [ "$PERF" = 1 ]; then
    perf record -q -e cpu-clock -F 999 -a -g -o "$WORK/perf-$row-$side-$run.data" 2>>"$WORK/perf.log" &
    perf_pid=$!
  fi
  cpu0=$(server_cpu "$side"); reg0=$(process_cpu "$REGISTRY_PID"); busy0=$(machine_busy)
  start=$(date +%s.%N)
  cached_after "$side" "run$run" "${HEX[$name]}" "$start" >"$dir/cached-after" &
  poller=$!
  for i in $(seq "$clients"); do
    # shellcheck disable=SC2016
    bash -c "$CLIENT_SCRIPT" _ "$url" "$(client_address "$i")" "$dir/$i" "$([ "$i" -le "$hashing" ] && echo hash || echo discard)" \
      "$CLIENT_TIMEOUT" "$HASHER" 2>"$dir/$i.err" &
    pids+=($!)
  done
  for i in "${pids[@]}"; do wait "$i" || failed=$(( failed + 1 )); done
  end=$(date +%s.%N)
  kill "$poller" 2>/dev/null || true; wait "$poller" 2>/dev/null || true
  cpu1=$(server_cpu "$side"); reg1=$(process_cpu "$REGISTRY_PID"); busy1=$(machine_busy)
  if [ -n "$perf_pid" ]; then kill -INT "$perf_pid"; wait "$perf_pid" || true; fi
  [ "$side" = service ] && peak_rss=$(( $(rss_kib "$SERVICE_PID" VmHWM) / 1024 ))
  sha_ok=$(cat "$dir"/*.sha 2>/dev/null | grep -cx "${HEX[$name]}" || true)
  delivered=$(( $(cat "$dir"/*.size 2>/dev/null | grep -cx "200 ${BYTES[$name]}" || true) + sha_ok ))
  R[$row-wall,$side,$run]=$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.1f", e - s }')
  R[$row-cpu,$side,$run]=$(awk -v d=$(( cpu1 - cpu0 )) -v hz="$HZ" 'BEGIN { printf "%.2f", d / hz }')
  R[$row-cpugb,$side,$run]=$(awk -v d=$(( cpu1 - cpu0 )) -v hz="$HZ" -v n="$delivered" -v b="${BYTES[$name]}" \
    'BEGIN { printf "%.3f", n ? d / hz / (n * b / 1e9) : 0 }')
  R[$row-reg,$side,$run]=$(awk -v d=$(( reg1 - reg0 )) -v hz="$HZ" 'BEGIN { printf "%.1f", d / hz }')
  R[$row-clients,$side,$run]=$(cat "$dir"/*.times | awk 'NR % 2 == 0 { for (i = 1; i <= 2; i++) { split($i, p, "m"); s += p[1] * 60 + p[2] } }
    END { printf "%.1f", s }')
  R[$row-machine,$side,$run]=$(awk -v d=$(( busy1 - busy0 )) -v hz="$HZ" 'BEGIN { printf "%.1f", d / hz }')
  R[$row-gets,$side,$run]=$(( $(registry_gets "${HEX[$name]}") - gets0 ))
  R[$row-sha,$side,$run]="$sha_ok/$hashing"
  R[$row-done,$side,$run]="$delivered/$clients"
  R[$row-failed,$side,$run]=$failed
  R[$row-rss,$side,$run]=$peak_rss
  R[$row-cached,$side,$run]=$(cat "$dir/cached-after")
  log "  $row $side: ${R[$row-wall,$side,$run]} s (layer cached after ${R[$row-cached,$side,$run]:-?} s), server ${R[$row-cpu,$side,$run]} core-s, $delivered/$clients complete, sha $sha_ok/$hashing, $failed failed, registry GETs ${R[$row-gets,$side,$run]}"
}

measure_side() { # measure_side SIDE RUN: every row of one run on one server, started with an empty cache
  local side=$1 run=$2 row clients hashing
  log "run $run/$RUNS: $side"
  if [ "$side" = service ]; then
    start_service "run$run" "$HEAP"
    warm_up service
    settle "$SERVICE_PID"
  else
    start_nginx "run$run"
  fi
  before_cold "cold$run"
  single cold "$side" "$run" "cold$run"
  if ! skipped next; then
    single next "$side" "$run" "cold$run"
    sleep "$LATER_SECONDS"
    single later "$side" "$run" "cold$run"
  fi
  skipped rack || for row in $RACK_ROWS; do
    read -r _ clients hashing < <(rack_shape "$row")
    rack "$row" "$side" "$run" "$row$run" "$clients" "$hashing"
  done
  skipped many || rack many "$side" "$run" "many$run" "$MANY_CLIENTS" "$HASHING_CLIENTS"
  if [ "$side" = service ]; then
    R[refused,service,$run]=$(grep -c 'client-limit\|port-limit' "$WORK/service-run$run.log" || true)
    kill -0 "$SERVICE_PID" 2>/dev/null || die "the service died during run $run"
  fi
  stop_side "$side"
}

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
if ! skipped bound; then
  log "the verifying bound (bench/VerifyingProxyBound.java): start and warm-up"
  mkdir -p "$WORK/bound-cache"
  java -Xmx"$HEAP" "$BENCH_DIR/VerifyingProxyBound.java" "$BOUND_PORT" "127.0.0.1:$REG_PORT" "$WORK/bound-cache" \
    >"$WORK/bound.log" 2>&1 &
  BOUND_PID=$!
  for _ in $(seq 300); do
    (exec 3<>"/dev/tcp/127.0.0.1/$BOUND_PORT") 2>/dev/null && break
    kill -0 "$BOUND_PID" 2>/dev/null || { cat "$WORK/bound.log" >&2; die "the bound proxy did not start"; }
    sleep 0.1
  done
  warm_up bound
  rm -f "$WORK/bound-cache"/*
fi
for run in $(seq "$RUNS"); do
  if [ -n "$BOUND_PID" ]; then
    before_cold "cold$run"
    speed=$(download "$(url_of bound "${HEX[cold$run]}")" "${BYTES[cold$run]}")
    R[bound,bound,$run]=$(awk -v s="$speed" 'BEGIN { printf "%.0f", s / 1e6 }')
    rm -f "$WORK/bound-cache"/*
  fi
  # alternate which server goes first, so that drift in the machine's load falls on both
  if [ $(( run % 2 )) = 1 ]; then sides="service nginx"; else sides="nginx service"; fi
  for side in $sides; do measure_side "$side" "$run"; done
done
stop_pid "$BOUND_PID"; BOUND_PID=

# ---------------------------------------------------------------- memory
MEM_DONE=skipped
if ! skipped mem; then
  log "memory: $MEM_CLIENTS concurrent ${LAYER_MIB} MiB downloads (uncached at start), -Xmx$MEM_HEAP"
  start_service mem "$MEM_HEAP"
  settle "$SERVICE_PID"; sleep 5
  IDLE_RSS_MIB=$(( $(rss_kib "$SERVICE_PID" VmRSS) / 1024 ))
  before_cold cold1
  mkdir -p "$WORK/mem"
  url=$(url_of service "${HEX[cold1]}")
  pids=()
  for i in $(seq "$MEM_CLIENTS"); do
    # (each from its own address, as machines are: one address gets boot.max-downloads-per-client at most)
    curl -s --interface "$(client_address "$i")" --max-time "$CLIENT_TIMEOUT" -o /dev/null \
      -w '%{http_code} %{size_download}\n' "$url" >"$WORK/mem/$i" 2>&1 &
    pids+=($!)
  done
  for pid in "${pids[@]}"; do wait "$pid" || true; done
  MEM_DONE=$(cat "$WORK/mem"/* | grep -cx "200 ${BYTES[cold1]}" || true)
  MEM_HWM_MIB=$(( $(rss_kib "$SERVICE_PID" VmHWM) / 1024 ))
  settle "$SERVICE_PID"
  AFTER_RSS_MIB=$(( $(rss_kib "$SERVICE_PID" VmRSS) / 1024 ))
  kill -0 "$SERVICE_PID" 2>/dev/null || die "the service died during the memory test"
  stop_side service
fi
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

# ---------------------------------------------------------------- report
values() { # values KEY SIDE: the runs' figures
  local run
  for run in $(seq "$RUNS"); do [ -z "${R[$1,$2,$run]:-}" ] || echo "${R[$1,$2,$run]}"; done
}
range() { # range KEY SIDE: min-max over the runs
  values "$1" "$2" | sort -g | awk 'NR == 1 { lo = $1 } { hi = $1 } END { if (NR == 0) print "-"; else if (lo == hi) print lo; else print lo "-" hi }'
}
ratios() { # ratios KEY NUM_SIDE DEN_SIDE: per-run ratio, one a line
  local run
  for run in $(seq "$RUNS"); do
    [ -n "${R[$1,$2,$run]:-}" ] && [ -n "${R[$1,$3,$run]:-}" ] \
      && awk -v a="${R[$1,$2,$run]}" -v b="${R[$1,$3,$run]}" 'BEGIN { printf "%.2f\n", (b > 0 ? a / b : 0) }'
  done
  true # a run without both figures is no failure (set -e)
}
ratio_range() { ratios "$@" | sort -g | awk 'NR == 1 { lo = $1 } { hi = $1 } END { if (NR == 0) print "-"; else if (lo == hi) print lo; else print lo "-" hi }'; }
verdict() { # verdict KEY NUM DEN OP TARGET: PASS when every run's ratio meets the target
  local r bad=0 n=0
  for r in $(ratios "$1" "$2" "$3"); do
    n=$(( n + 1 ))
    awk -v r="$r" -v t="$5" -v op="$4" 'BEGIN { exit !(op == ">=" ? r >= t : r <= t) }' || bad=$(( bad + 1 ))
  done
  [ "$n" -gt 0 ] || { echo "-"; return; }
  if [ "$bad" = 0 ]; then echo PASS; else echo "FAIL ($bad/$n runs)"; fi
}
row() { # row LABEL KEY OP TARGET [UNIT]: service, nginx, ratio, verdict
  printf '%-48s %14s %14s %11s  %-8s %s\n' "$1" "$(range "$2" service)" "$(range "$2" nginx)" \
    "$(ratio_range "$2" service nginx)" "$3 $4" "$(verdict "$2" service nginx "$3" "$4")"
}
info() { # info LABEL KEY: service and nginx figures, no target
  printf '%-48s %14s %14s %11s\n' "$1" "$(range "$2" service)" "$(range "$2" nginx)" "$(ratio_range "$2" service nginx)"
}
all_equal() { # all_equal KEY SIDE VALUE: every run's figure is VALUE
  local v
  for v in $(values "$1" "$2"); do [ "$v" = "$3" ] || return 1; done
}
check() { # check LABEL KEY VALUE: the service's figure must be VALUE in every run; nginx's shown
  local r=PASS
  all_equal "$2" service "$3" || r=FAIL
  printf '%-48s %14s %14s %11s  %-8s %s\n' "$1" "$(values "$2" service | sort -u | tr '\n' ' ')" \
    "$(values "$2" nginx | sort -u | tr '\n' ' ')" "" "= $3" "$r"
}

report() {
echo
echo "rack-bench: the service (-Xmx$HEAP, BOOT_CLUSTER=embedded) against nginx $("$NGINX" -v 2>&1 | sed 's/.*\///') proxy_cache + proxy_cache_lock, same docker-registry, loopback; $(nproc) cores"
echo "$RUNS runs (each: fresh caches, both servers in alternating order), ranges min-max; MB = 10^6 bytes; clients curl ($CLIENT_ADDRESSES source addresses), hashing clients pipe into '$HASHER'"
echo "page cache dropped before every cold and rack measurement: $([ "$DROP_CACHES" = 1 ] && echo yes || echo no); load average (1/5/15 min) before $LOAD_BEFORE, after $LOAD_AFTER"
echo
printf '%-48s %14s %14s %11s  %-8s %s\n' row "service" "nginx" "ratio" target result
printf '%-48s %14s %14s %11s  %-8s %s\n' "cold ${LAYER_MIB} MiB, one client: MB/s" "$(range cold service)" "$(range cold nginx)" \
  "$(ratio_range cold service nginx)" ">= $TARGET_COLD_NGINX" "$(verdict cold service nginx ">=" "$TARGET_COLD_NGINX")"
info "    server core-s per GB" cold-cpu
check "    registry blob GETs" cold-gets 1
if [ -z "$(values bound bound)" ]; then echo "    bound: skipped"; else
  for run in $(seq "$RUNS"); do R[cold,bound,$run]=${R[bound,bound,$run]}; done
  printf '%-48s %14s %14s %11s  %-8s %s\n' "    verifying bound (VerifyingProxyBound.java)" "$(range bound bound)" "" \
    "$(ratio_range cold service bound)" ">= $TARGET_COLD_BOUND" "$(verdict cold service bound ">=" "$TARGET_COLD_BOUND")"
fi
if ! skipped next; then
  row "the same layer again at once (next machine): MB/s" next ">=" "$TARGET_AGAIN"
  row "the same layer again ${LATER_SECONDS} s later: MB/s" later ">=" "$TARGET_AGAIN"
  check "    registry blob GETs, at once" next-gets 0
  check "    registry blob GETs, later" later-gets 0
fi
rack_rows() { # rack_rows KEY LABEL WALL_TARGET CLIENTS HASHING
  echo "$2"
  row "    wall time, s" "$1-wall" "<=" "$3"
  info "    layer cached (complete file) after, s" "$1-cached"
  info "    server CPU, core-s" "$1-cpu"
  row "    server CPU per delivered GB, core-s" "$1-cpugb" "<=" "$TARGET_RACK_CPU"
  info "    registry CPU, core-s" "$1-reg"
  info "    clients' own CPU (curl + hasher), core-s" "$1-clients"
  info "    whole machine busy, core-s" "$1-machine"
  check "    registry blob GETs" "$1-gets" 1
  check "    complete downloads" "$1-done" "$4/$4"
  check "    right sha256 of hashing clients" "$1-sha" "$5/$5"
  printf '%-48s %14s\n' "    service peak RSS (VmHWM), MiB" "$(range "$1-rss" service)"
}
skipped rack || for key in $RACK_ROWS; do
  read -r mib clients hashing < <(rack_shape "$key")
  if [ "$hashing" = "$clients" ]; then
    rack_rows "$key" "$clients clients, uncached $mib MiB, all hashing:" "$TARGET_RACK_WALL_HASHING" "$clients" "$hashing"
  else
    rack_rows "$key" "$clients clients, uncached $mib MiB, $hashing hashing:" "$TARGET_RACK_WALL_DISCARD" "$clients" "$hashing"
  fi
done
if ! skipped many; then
  echo "$MANY_CLIENTS clients, uncached ${MANY_MIB} MiB, $HASHING_CLIENTS hashing:"
  info "    wall time, s" many-wall
  info "    server CPU per delivered GB, core-s" many-cpugb
  check "    complete downloads" many-done "$MANY_CLIENTS/$MANY_CLIENTS"
  check "    failed clients" many-failed 0
  check "    registry blob GETs" many-gets 1
  check "    right sha256 of hashing clients" many-sha "$HASHING_CLIENTS/$HASHING_CLIENTS"
  check "    connections refused (service log)" refused 0
  printf '%-48s %14s\n' "    service peak RSS (VmHWM), MiB" "$(range many-rss service)"
fi
skipped rack && [ "$MEM_DONE" = skipped ] || echo "memory (service):"
if ! skipped rack; then
  rack_rss=$(for k in $RACK_ROWS many; do values "$k-rss" service; done | sort -g | tail -n 1)
  r=PASS; [ "$rack_rss" -lt "$TARGET_RSS_MIB" ] || r=FAIL
  printf '%-48s %14s %14s %11s  %-8s %s\n' "    peak RSS in the rack runs (-Xmx$HEAP), MiB" "$rack_rss" "" "" "< $TARGET_RSS_MIB" "$r"
fi
if [ "$MEM_DONE" != skipped ]; then
  r=PASS; [ "$MEM_HWM_MIB" -lt "$TARGET_RSS_MIB" ] && [ "$MEM_DONE" = "$MEM_CLIENTS" ] || r=FAIL
  printf '%-48s %14s %14s %11s  %-8s %s\n' "    $MEM_CLIENTS x ${LAYER_MIB} MiB at -Xmx$MEM_HEAP: peak RSS, MiB" "$MEM_HWM_MIB" "" "" "< $TARGET_RSS_MIB" "$r ($MEM_DONE/$MEM_CLIENTS complete)"
  printf '%-48s %14s\n' "    idle RSS at -Xmx$MEM_HEAP before / after, MiB" "$IDLE_RSS_MIB / $AFTER_RSS_MIB"
fi
echo
echo "per run (service / nginx):"
for run in $(seq "$RUNS"); do
  line="  run $run: cold ${R[cold,service,$run]:-}/${R[cold,nginx,$run]:-} MB/s, bound ${R[bound,bound,$run]:-}"
  skipped next || line="$line, next ${R[next,service,$run]}/${R[next,nginx,$run]}, later ${R[later,service,$run]}/${R[later,nginx,$run]} MB/s"
  skipped rack || for k in $RACK_ROWS; do
    line="$line, $k ${R[$k-wall,service,$run]}/${R[$k-wall,nginx,$run]} s ${R[$k-cpu,service,$run]}/${R[$k-cpu,nginx,$run]} core-s"
  done
  skipped many || line="$line, many ${R[many-wall,service,$run]}/${R[many-wall,nginx,$run]} s"
  echo "$line"
done
echo "service log lines at ERROR: $(cat "$WORK"/service-*.log | grep -c ' ERROR ' || true)"
}
report >"$WORK/report.txt"
cat "$WORK/report.txt"
if grep -q FAIL "$WORK/report.txt"; then echo "RESULT: FAIL"; exit 1; fi
echo "RESULT: PASS"
