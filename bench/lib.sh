# Shared by the bench scripts (sourced): logging, installing missing tools, building the jar, stopping processes, free ports.
# Expects ROOT (the repository) and JAR to be set by the caller.

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# install_missing COMMAND:PACKAGE ...: apt-get installs the packages whose command is missing.
install_missing() {
  local need=() pair
  for pair in "$@"; do
    command -v "${pair%%:*}" >/dev/null 2>&1 || [ -x "/usr/sbin/${pair%%:*}" ] || need+=("${pair#*:}")
  done
  if [ ${#need[@]} -gt 0 ]; then
    log "installing ${need[*]} with apt-get"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  fi
  command -v java >/dev/null 2>&1 || die "java (17+) is needed"
}

ensure_jar() {
  if [ ! -f "$JAR" ]; then
    log "building $JAR (mvn -B -q -DskipTests package)"
    (cd "$ROOT" && mvn -B -q -DskipTests package)
  fi
}

# nginx_temp_paths DIR: nginx's temp directories under DIR (created), for an unprivileged nginx.conf
nginx_temp_paths() {
  mkdir -p "$1"
  local kind
  for kind in client_body proxy fastcgi uwsgi scgi; do
    printf '  %s_temp_path %s/%s;\n' "$kind" "$1" "${kind%_body}"
  done
}

stop_pid() { # stop_pid PID: TERM, wait up to 5 s, KILL
  local pid=$1
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

free_ports() { # free_ports N: N free loopback ports
  python3 - "$1" <<'EOF'
import socket, sys
socks = []
for _ in range(int(sys.argv[1])):
    s = socket.socket(); s.bind(("127.0.0.1", 0)); socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
EOF
}

# start_mock_api HEAP LOG KUBECONFIG SECRETS KIB REFERENCED: the CRUD mock API server of the benches
# (bench/SecretsApiServer.java, run with the test class path, compiled here) in the background, with
# SECRETS unreferenced Secrets of KIB KiB and REFERENCED configs naming one each; sets API_PID and returns
# once it is ready and has written KUBECONFIG. LOG is its output.
start_mock_api() {
  local heap=$1 out=$2 kubeconfig=$3
  log "compiling the test fixtures and resolving their class path"
  (cd "$ROOT" && mvn -B -q test-compile \
    && mvn -B -q dependency:build-classpath -Dmdep.outputFile=target/secrets-bench.classpath)
  (cd "$ROOT" && exec java -Xmx"$heap" \
    -cp "$ROOT/target/classes:$ROOT/target/test-classes:$(cat "$ROOT/target/secrets-bench.classpath")" \
    -Dlogback.configurationFile=bench/logback-bench.xml bench/SecretsApiServer.java "$4" "$5" "$kubeconfig" "$6") \
    > "$out" 2>&1 &
  API_PID=$!
  until grep -qs '^READY ' "$out"; do
    kill -0 "$API_PID" 2>/dev/null || die "API server exited; see $out (BENCH_KEEP=1 keeps it)"
    sleep 0.5
  done
}

# service_bench_workdir NAME: a temp dir in WORK for a bench that runs a service (SERVICE_PID) against
# the mock API server (API_PID); at exit both are stopped and WORK removed (kept with BENCH_KEEP=1).
service_bench_workdir() {
  WORK=$(mktemp -d "/tmp/$1.XXXXXX")
  API_PID=""
  SERVICE_PID=""
  trap stop_service_bench EXIT
  trap 'exit 130' INT TERM
}

stop_service_bench() {
  local rc=$?
  stop_pid "$SERVICE_PID"; stop_pid "$API_PID"
  if [ "${BENCH_KEEP:-0}" = 1 ]; then log "kept $WORK"; else rm -rf "$WORK"; fi
  exit $rc
}

# start_registry: docker-registry on 127.0.0.1:$REG_PORT, storage and config under $WORK, access log on
# (one line per request, in $REG_LOG); sets REGISTRY_PID and REG_LOG and waits until /v2/ answers.
start_registry() {
  mkdir -p "$WORK/registry"
  cat >"$WORK/registry.yml" <<EOF
version: 0.1
log:
  level: warn
  accesslog:
    disabled: false
storage:
  filesystem:
    rootdirectory: $WORK/registry
http:
  addr: 127.0.0.1:$REG_PORT
EOF
  REG_LOG=$WORK/registry.log
  docker-registry serve "$WORK/registry.yml" >"$REG_LOG" 2>&1 &
  REGISTRY_PID=$!
  await_ok "http://127.0.0.1:$REG_PORT/v2/" "$REGISTRY_PID" "$REG_LOG" 10 docker-registry
}

# await_ok URL PID LOG SECONDS WHAT: waits until URL answers 200; dies with LOG's tail when PID exits
# or SECONDS pass first.
await_ok() {
  local url=$1 pid=$2 log_file=$3 deadline=$(( $(date +%s) + $4 )) what=$5
  until [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$url" || true)" = 200 ]; do
    kill -0 "$pid" 2>/dev/null || { tail -n 30 "$log_file" >&2; die "$what exited at start-up"; }
    [ "$(date +%s)" -lt "$deadline" ] || { tail -n 30 "$log_file" >&2; die "$what not ready in $4 s"; }
    sleep 0.1
  done
}

push_blob() { # push_blob FILE HEX: monolithic upload to $REPO on the registry at 127.0.0.1:$REG_PORT
  local file=$1 hex=$2 location
  location=$(curl -sSf -X POST -D - -o /dev/null "http://127.0.0.1:$REG_PORT/v2/$REPO/blobs/uploads/" \
    | tr -d '\r' | sed -n 's/^[Ll]ocation: //p')
  [ -n "$location" ] || die "registry gave no upload location"
  case $location in http*) ;; *) location="http://127.0.0.1:$REG_PORT$location";; esac
  case $location in *\?*) location="$location&digest=sha256:$hex";; *) location="$location?digest=sha256:$hex";; esac
  curl -sSf -X PUT -H 'Content-Type: application/octet-stream' -T "$file" -o /dev/null "$location"
}

process_cpu() { # process_cpu PID...: their CPU ticks so far (utime+stime, every thread); 0 for one gone
  local pid sum=0 t
  for pid in "$@"; do
    t=$(awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$pid/stat" 2>/dev/null || echo 0)
    sum=$(( sum + t ))
  done
  echo "$sum"
}

settle() { # settle PID: waits (at most 30 s) until the process used < 10% of a core for 1 s (JIT compiles
  # and background work done: a running service is idle)
  local before after
  for _ in $(seq 30); do
    before=$(process_cpu "$1"); sleep 1; after=$(process_cpu "$1")
    [ $(( (after - before) * 10 )) -lt "$(getconf CLK_TCK)" ] && return 0
  done
}

download() { # download URL EXPECTED_BYTES: prints bytes/s, fails on a short or non-200 answer
  local out code size speed
  out=$(curl -s -o /dev/null -w '%{http_code} %{size_download} %{speed_download}' "$1") || true
  read -r code size speed <<<"$out"
  [ "$code" = 200 ] && [ "$size" = "$2" ] || die "download of $1: HTTP $code, $size of $2 bytes"
  echo "${speed%.*}"
}

registry_gets() { # registry_gets HEX: blob GETs of $REPO the registry logged for HEX
  grep -c "\"GET /v2/$REPO/blobs/sha256:$1 " "$REG_LOG" || true
}
