#!/usr/bin/env bash
# Runs a benchmark (not a test): builds what it needs, then prints figures and ratios against a baseline
# measured in the same run. Usage: bench/run.sh [ingest|usage [records tenants]|all|<MainClassSimpleName> [args]]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -DskipTests package -pl bench,functions/funnel-events -am
run() { local main=$1; shift; java -Xmx1g -cp bench/target/signup-sync-bench.jar "com.engarde.signupsync.bench.$main" "$@"; }
case "${1:-ingest}" in
  ingest) run IngestBench ;;
  usage) shift; run UsageBench "$@" ;;
  all) for b in $(cd bench/src/main/java/com/engarde/signupsync/bench && ls *Bench.java | sed 's/\.java//'); do echo "== $b"; run "$b"; done ;;
  *) run "$@" ;;
esac
