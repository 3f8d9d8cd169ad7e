#!/usr/bin/env bash
# Where CPU time goes, from a JFR recording's execution samples (JFR samples at any point, not only
# at safepoints, and costs a few percent). Prints the hottest frames by self samples and, for
# project and framework code, by inclusive samples (the frame anywhere on the stack).
# Usage: bench/jfr-hotspots.sh RECORDING.jfr [TOP=30]
set -euo pipefail
JFR_FILE=$1 TOP=${2:-30}
jfr print --events jdk.ExecutionSample --stack-depth 96 "$JFR_FILE" | awk -v top="$TOP" '
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
  }'
