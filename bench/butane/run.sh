#!/usr/bin/env bash
# Builds the main classes and runs the Butane translation benchmark (single-file source launch).
set -euo pipefail
cd "$(dirname "$0")/../.."
mvn -B -q compile
mvn -B -q dependency:build-classpath -Dmdep.outputFile=target/butane-bench.classpath
exec java -cp "target/classes:$(cat target/butane-bench.classpath)" bench/butane/ButaneBench.java "$@"
