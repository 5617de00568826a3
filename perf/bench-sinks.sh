#!/bin/sh
# Sink benchmarks, one run on this machine, against a local receiver that acknowledges every request:
#  (1) each sink task driven directly (no Kafka, no Connect): the connector's own cost;
#  (2) each connector in a real Kafka Connect worker draining a pre-filled topic from the broker
#      (separate JVM), one task: what a deployment gets per task.
# Usage: perf/bench-sinks.sh [records-direct (default 50000)] [records-connect (default 200000)] [tasks (default 1)]
set -eu
cd "$(dirname "$0")/.."
direct=${1:-50000}
connect=${2:-200000}
tasks=${3:-1}
./otelstream --version >/dev/null   # builds on first use
data=$(mktemp -d)
cp="dev/target/otelstream-dev.jar:dev/target/lib/*"
OTELSTREAM_JAVA_OPTS="-Xmx1g" ./otelstream dev --kafka-only --kafka-port 19092 --data-dir "$data" > "$data/kafka.log" 2>&1 &
kafka=$!
cleanup() {
  kill "$kafka" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$data"
}
trap cleanup EXIT INT TERM
i=0; until grep -q "Kafka only" "$data/kafka.log"; do i=$((i+1)); [ $i -lt 120 ] || { cat "$data/kafka.log"; exit 1; }; sleep 1; done

echo "== machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(java -version 2>&1 | head -1)"
echo "== (1) tasks driven directly, $direct records each"
java -Xmx1g -cp "$cp" io.otelstream.perf.SinkBenchmark "$direct"
echo "== (2) through a Connect worker, $connect records each, tasks.max=$tasks"
java -Xmx1g -Dlog4j2.level=WARN -cp "$cp" io.otelstream.perf.ConnectSinkBenchmark localhost:19092 "$connect" "$tasks" 2>"$data/connect.log" || { tail -30 "$data/connect.log"; exit 1; }
