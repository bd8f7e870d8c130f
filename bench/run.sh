#!/usr/bin/env bash
# Runs a benchmark (not a test): builds what it needs, then prints figures and ratios against a baseline
# measured in the same run. Usage: bench/run.sh [ingest|usage [records tenants]|coldstart [--runs N] [--primed-runs N] [--cds] [--eager]|all|<MainClassSimpleName> [args]]
set -euo pipefail
cd "$(dirname "$0")/.."
# The cold-start benchmark starts every function's own jar, so it builds them all; the others need funnel-events.
if [ "${1:-ingest}" = coldstart ] || [ "${1:-ingest}" = all ]; then
  functions=$(dirname functions/*/function.json | paste -sd, -)
else
  functions=functions/funnel-events
fi
mvn -B -q -DskipTests package -pl "bench,$functions" -am
# A benchmark runs from its own copy of the jar, so a build started meanwhile (another bench/run.sh, a test run)
# cannot rewrite the classes it is still loading. (The cold-start benchmark starts the functions' own jars.)
jar=$(mktemp --suffix=.jar)
trap 'rm -f "$jar"' EXIT
cp bench/target/signup-sync-bench.jar "$jar"
run() { local main=$1; shift; java -Xmx1g -cp "$jar" "com.engarde.signupsync.bench.$main" "$@"; }
case "${1:-ingest}" in
  ingest) shift $(( $# > 0 ? 1 : 0 )); run IngestBench "$@" ;;
  usage) shift; run UsageBench "$@" ;;
  coldstart) shift; run ColdStartBench "$@" ;;
  all) for b in $(cd bench/src/main/java/com/engarde/signupsync/bench && ls *Bench.java | sed 's/\.java//'); do echo "== $b"; run "$b"; done ;;
  *) run "$@" ;;
esac
