#!/bin/sh
# Edge benchmark, one run on this machine: starts `otelstream dev` (embedded broker + edge),
# (a) finds the edge's maximum sustained spans/s with no rejected requests, (b) measures raw
# producer throughput of the same bytes to the same broker, (c) latency at half the max rate,
# and samples edge heap and RSS under load. Usage: perf/bench-edge.sh [seconds-per-step]
set -eu
cd "$(dirname "$0")/.."
secs=${1:-20}
./otelstream --version >/dev/null
data=$(mktemp -d)
OTELSTREAM_JAVA_OPTS="-Xmx512m" ./otelstream dev --data-dir "$data" > "$data/dev.log" 2>&1 &
dev=$!
trap 'kill $dev 2>/dev/null; wait $dev 2>/dev/null; rm -rf "$data"' EXIT
i=0; until curl -sf localhost:13133/health/ready >/dev/null; do i=$((i+1)); [ $i -lt 120 ] || exit 1; sleep 1; done
pid=$(pgrep -f "io.otelstream.cli.Otelstream dev --data-dir $data" | head -1)
cp="launcher/target/otelstream-launcher.jar:launcher/target/lib/*"

sample() { # heap used (from /metrics) and RSS of the dev JVM
  heap=$(curl -s localhost:13133/metrics | awk '/^jvm_memory_used_bytes\{area="heap"/ {s+=$2} END {printf "%.0f", s/1048576}')
  rss=$(awk '/VmRSS/ {printf "%.0f", $2/1024}' /proc/$pid/status)
  echo "edge+broker JVM: heap used ${heap} MiB, RSS ${rss} MiB"
}

echo "== (a) edge, unlimited rate, gRPC"
( sleep $((secs / 2 + 5)); sample ) &
./otelstream loadgen --duration "$secs" --warmup 5 --concurrency 16 | tee "$data/max.txt"
wait
max=$(awk '/^achieved/ {print int($2)}' "$data/max.txt")

half=$((max / 2))
echo "== (c) edge at half the maximum: $half spans/s"
./otelstream loadgen --duration "$secs" --warmup 5 --concurrency 16 --rate "$half"

echo "== (b) raw producer, same bytes, same broker"
java -Xmx512m -cp "$cp" io.otelstream.perf.RawProducerBenchmark localhost:9092 otlp-traces "$secs" | tee "$data/raw.txt"
raw=$(awk '/^raw producer/ {print int($3)}' "$data/raw.txt")
echo "ratio edge/raw: $(awk -v a="$max" -v b="$raw" 'BEGIN {printf "%.2f", a/b}')"
