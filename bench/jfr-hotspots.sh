#!/usr/bin/env bash
# Where CPU time goes, from a JFR recording's execution samples (JFR samples at any point, not only
# at safepoints, and costs a few percent). Prints the hottest frames by self samples and, for
# project and framework code, by inclusive samples (the frame anywhere on the stack).
# Last, each sample is put in one bucket: the component of the frame nearest the leaf that matches
# one (micrometer, logging, freemarker, Camel header copying, the iPXE lookup bean, ...).
# Usage: bench/jfr-hotspots.sh RECORDING.jfr [TOP=30]
set -euo pipefail
JFR_FILE=$1 TOP=${2:-30}
SAMPLES=$(mktemp)
trap 'rm -f "$SAMPLES"' EXIT
jfr print --events jdk.ExecutionSample --stack-depth 96 "$JFR_FILE" >"$SAMPLES"
awk -v top="$TOP" '
  /^jdk.ExecutionSample/ { in_stack = 0; depth = 0; thread = ""; delete seen; next }
  /sampledThread = / { thread = $0; sub(/.*sampledThread = "/, "", thread); sub(/".*/, "", thread); next }
  /stackTrace = \[/ { in_stack = 1; samples++; next }
  in_stack && /^[ \t]*\]/ { in_stack = 0; next }
  in_stack {
    frame = $1; sub(/\(.*/, "", frame)
    if (frame == "" || frame == "...") next
    if (depth == 0) {
      self[frame]++
      group = thread; gsub(/[-#]?[0-9]+$/, "", group); threads[group]++
    }
    if (!(frame in seen)) { incl[frame]++; seen[frame] = 1 }
    depth++
  }
  END {
    printf "%d execution samples\n", samples
    print "--- by thread (name without its number)"
    for (t in threads) printf "%6d %5.1f%%  %s\n", threads[t], 100 * threads[t] / samples, t | "sort -k1,1nr | head -12"
    close("sort -k1,1nr | head -12")
    print "--- self (top frame)"
    cmd = "sort -k1,1nr | head -" top
    for (f in self) printf "%6d %5.1f%%  %s\n", self[f], 100 * self[f] / samples, f | cmd
    close(cmd)
    print "--- inclusive, project and framework frames"
    for (f in incl) if (f ~ /^(dev\.ironcore|org\.apache\.camel|freemarker|ch\.qos|org\.slf4j|io\.micrometer|io\.vertx|io\.fabric8)/)
      printf "%6d %5.1f%%  %s\n", incl[f], 100 * incl[f] / samples, f | cmd
    close(cmd)
  }' "$SAMPLES"
echo "--- buckets (each sample counted once, by the leaf-most frame that names a component)"
awk '
  function bucket(f) {
    if (f ~ /micrometer|BootRequestObserver/) return "metrics: micrometer (Camel route policy, exchange event notifier), BootRequestObserver"
    if (f ~ /ch\.qos\.logback|org\.slf4j/) return "logging"
    if (f ~ /freemarker/) return "freemarker rendering"
    if (f ~ /MessageSupport\.copyFrom|ExchangeHelper\.copyResults|DefaultHeadersMapFactory|CaseInsensitiveMap|java\.util\.TreeMap/) return "Camel message/header copying"
    if (f ~ /dev\.ironcore\.boot\.(ipxe|index|delivery)|dev\.ironcore\.boot\.web\.BootRequests/) return "project: iPXE lookup bean (forUuid, scriptSafe, index, delivery)"
    if (f ~ /dev\.ironcore/) return "project: other"
    if (f ~ /AsyncInputStream|BodyHandler|PumpImpl|InboundBuffer/) return "Camel platform-http body streams (AsyncInputStream, BodyHandler, Pump)"
    if (f ~ /org\.apache\.camel\.component\.bean/) return "Camel bean binding"
    if (f ~ /VertxPlatformHttp/) return "Camel platform-http request/response mapping"
    if (f ~ /org\.apache\.camel/) return "Camel core (pipeline, unit of work, error handler, events)"
    if (f ~ /io\.netty|io\.vertx|sun\.nio/) return "Vert.x/Netty HTTP and I/O"
    return ""
  }
  /stackTrace = \[/ { in_stack = 1; found = ""; next }
  in_stack && /^[ \t]*\]/ { in_stack = 0; b[found == "" ? "other (JDK only)" : found]++; total++; next }
  in_stack && found == "" { found = bucket($1) }
  END { for (k in b) printf "%6d %5.1f%%  %s\n", b[k], 100 * b[k] / total, k | "sort -k1,1nr" }
' "$SAMPLES"
