#!/usr/bin/env bash
# Runs every benchmark case (all pools side by side, one run) and writes docs/benchmarks.md.
# About 14 minutes on 2 cores; pass --quick for a 4-minute smoke run with wider error bars.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B -ntp -pl pool-bench -am package -DskipTests
java -Xmx512m -jar pool-bench/target/benchmarks.jar docs/benchmarks.md "$@"
