#!/usr/bin/env bash
# Reconcile benchmark: 1,000 Server + SBC pairs over 10 images (args: pairs images).
# Needs Debian's docker-registry (bin/test installs it). Uses the test fixtures, so it builds them.
set -euo pipefail
cd "$(dirname "$0")/../.."
mvn -B -q test-compile
mvn -B -q dependency:build-classpath -Dmdep.outputFile=target/reconcile-bench.classpath
exec java -Xmx1g -cp "target/classes:target/test-classes:$(cat target/reconcile-bench.classpath)" \
  -Dlogback.configurationFile=bench/logback-bench.xml bench/reconcile/ReconcileBench.java "$@"
