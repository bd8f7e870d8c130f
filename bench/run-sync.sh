#!/usr/bin/env bash
# The sync benchmark (not a test): 100,000 EasyAppointments appointments from the stub server through the sync
# engine, against COPY of the same rows in the same run; then an unchanged re-sync; peak heap. The engine's JVM
# gets 256 MB of heap, the target: if the engine did not stream pages it would not finish.
# Usage: bench/run-sync.sh [appointments] [--rounds N (default 3)] [--single-copy]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -DskipTests package -pl bench -am
exec java -Xmx256m -cp bench/target/signup-sync-bench.jar com.engarde.signupsync.bench.SyncBench "$@"
