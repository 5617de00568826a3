#!/bin/sh
# Edge benchmark, one run on this machine. Starts the embedded broker (`otelstream dev
# --kafka-only`) and the edge in separate JVMs, then measures
#   (a) the edge's maximum sustained spans/s with no rejected requests (unlimited loadgen),
#   (b) raw producer throughput of the same bytes to the same broker (the limit), and the ratio,
#   (c) ack latency at half the maximum rate,
# and samples the edge's heap and RSS under load. Usage: perf/bench-edge.sh [seconds-per-step]
set -eu
cd "$(dirname "$0")/.."
secs=${1:-30}
./otelstream --version >/dev/null   # builds on first use
data=$(mktemp -d)
OTELSTREAM_JAVA_OPTS="-Xmx1g" ./otelstream dev --kafka-only --data-dir "$data" > "$data/kafka.log" 2>&1 &
kafka=$!
edge=""
cleanup() {
  [ -z "$edge" ] || kill "$edge" 2>/dev/null || true
  kill "$kafka" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$data"
}
trap cleanup EXIT INT TERM
i=0; until grep -q "Kafka only" "$data/kafka.log"; do i=$((i+1)); [ $i -lt 120 ] || { cat "$data/kafka.log"; exit 1; }; sleep 1; done

OTELSTREAM_JAVA_OPTS="-Xmx${EDGE_HEAP:-256m}" ./otelstream edge --bootstrap-server localhost:9092 > "$data/edge.log" 2>&1 &
edge=$!
i=0; until curl -sf localhost:13133/health/ready >/dev/null; do i=$((i+1)); [ $i -lt 120 ] || { cat "$data/edge.log"; exit 1; }; sleep 1; done
edge_pid=$(pgrep -f "io.otelstream.dev.OtelstreamDev edge" | head -1)

sample() {
  heap=$(curl -s localhost:13133/metrics | awk 'index($0, "jvm_memory_used_bytes{area=\"heap\"") == 1 {s += $NF} END {printf "%.0f", s / 1048576}')
  rss=$(awk '/VmRSS/ {printf "%.0f", $2/1024}' "/proc/$edge_pid/status")
  echo "edge JVM under load: heap used ${heap} MiB, RSS ${rss} MiB"
}

echo "== machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(java -version 2>&1 | head -1)"
echo "== (a) edge, unlimited rate, OTLP/gRPC, 16 requests in flight"
( sleep $((secs / 2 + 5)); sample; sleep 5; sample ) &
./otelstream loadgen --duration "$secs" --warmup 5 --concurrency 16 | tee "$data/max.txt"
wait $! 2>/dev/null || true
max=$(awk '/^achieved/ {print int($2)}' "$data/max.txt")
max_mb=$(awk '/^achieved/ {print $4}' "$data/max.txt")

echo "== (c) edge at half the maximum: $((max / 2)) spans/s"
./otelstream loadgen --duration "$secs" --warmup 5 --concurrency 16 --rate "$((max / 2))"

echo "== (a') edge, unlimited rate, OTLP/HTTP protobuf"
./otelstream loadgen --protocol http --duration "$secs" --warmup 5 --concurrency 16

kill "$edge"; wait "$edge" 2>/dev/null || true; edge=""
echo "== (b) raw producer, same bytes, same broker, edge stopped"
java -Xmx512m -cp "dev/target/otelstream-dev.jar:dev/target/lib/*" \
  io.otelstream.perf.RawProducerBenchmark localhost:9092 otlp-traces "$secs" | tee "$data/raw.txt"
raw_mb=$(awk '/^raw producer/ {print $5}' "$data/raw.txt")
echo "ratio edge/raw (bytes/s): $(awk -v a="$max_mb" -v b="$raw_mb" 'BEGIN {printf "%.2f", a/b}')"
