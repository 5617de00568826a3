#!/bin/sh
# Streams benchmarks, one run on this machine, broker and app in separate JVMs:
#  (1) catch-up throughput of the sampling topology over a pre-filled otlp-traces, one stream
#      thread, next to a pass-through topology (same guarantees) over the same data, and the ratio;
#  (2) memory: 1,000,000 traces in flight with the app's heap capped at 512 MiB.
# Usage: perf/bench-streams.sh [traces-for-throughput (default 500000, 10 spans each)] [traces-in-flight (default 1000000)]
set -eu
cd "$(dirname "$0")/.."
traces=${1:-500000}
inflight=${2:-1000000}
./otelstream --version >/dev/null   # builds on first use
data=$(mktemp -d)
cp="launcher/target/otelstream-launcher.jar:launcher/target/lib/*"
OTELSTREAM_JAVA_OPTS="-Xmx1g" ./otelstream dev --kafka-only --data-dir "$data" > "$data/kafka.log" 2>&1 &
kafka=$!
app=""
cleanup() {
  [ -z "$app" ] || kill "$app" 2>/dev/null || true
  kill "$kafka" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$data"
}
trap cleanup EXIT INT TERM
i=0; until grep -q "Kafka only" "$data/kafka.log"; do i=$((i+1)); [ $i -lt 120 ] || { cat "$data/kafka.log"; exit 1; }; sleep 1; done

metric() { # sum of a metric from the app's admin port
  curl -s localhost:13134/metrics | awk -v n="$1" 'index($0, n) == 1 {s += $NF} END {printf "%.0f", s}'
}
heap() {
  curl -s localhost:13134/metrics | awk 'index($0, "jvm_memory_used_bytes{area=\"heap\"") == 1 {s += $NF} END {printf "%.0f", s / 1048576}'
}

echo "== machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(java -version 2>&1 | head -1)"
echo "== fill otlp-traces: $traces traces x 10 spans"
java -cp "$cp" io.otelstream.perf.TraceFill localhost:9092 otlp-traces "$traces" 10

echo "== (1a) pass-through topology, 1 stream thread, exactly_once_v2"
java -Xmx512m -cp "$cp" io.otelstream.perf.PassThroughBenchmark localhost:9092 otlp-traces otlp-traces-passthrough 10 "$data/pt" | tee "$data/pt.txt"

cat > "$data/sampling.yaml" <<YAML
application_id: bench-sampling
state_dir: $data/sampling
num_stream_threads: 1
kafka: {bootstrap.servers: "localhost:9092"}
topics: {replication_factor: 1, min_insync_replicas: 1}
tail_sampling:
  decision_wait: 1s
  num_traces: 200000
  policies:
    - {name: errors, type: status_code, status_code: {status_codes: [ERROR]}}
    - {name: slow, type: latency, latency: {threshold_ms: 45}}
    - {name: baseline, type: probabilistic, probabilistic: {sampling_percentage: 10}}
YAML
echo "== (1b) sampling topology, 1 stream thread"
start=$(date +%s.%N)
OTELSTREAM_JAVA_OPTS="-Xmx512m" ./otelstream streams --config "$data/sampling.yaml" > "$data/sampling.log" 2>&1 &
app=$!
i=0; until [ "$(metric otelstream_streams_traces_decided_total)" -ge "$traces" ] 2>/dev/null; do
  i=$((i+1)); [ $i -lt 3600 ] || { tail "$data/sampling.log"; exit 1; }; sleep 0.5
done
end=$(date +%s.%N)
echo "sampling: heap used $(heap) MiB at the end; kept spans $(metric 'otelstream_streams_spans_total{outcome="kept"')"
awk -v s="$start" -v e="$end" -v t="$traces" 'BEGIN {printf "sampling: %d traces, %.0f spans/s in %.1fs (including startup)\n", t, t*10/(e-s), e-s}' | tee "$data/sampling.txt"
kill "$app"; wait "$app" 2>/dev/null || true; app=""
pt=$(awk '/^pass-through/ {print $6}' "$data/pt.txt")
sa=$(awk '/^sampling:.*spans/ {print $4}' "$data/sampling.txt")
echo "ratio sampling / pass-through: $(awk -v a="$sa" -v b="$pt" 'BEGIN {printf "%.2f", a/b}')"

echo "== (2) memory: $inflight traces in flight, heap capped at 512 MiB"
cat > "$data/memory.yaml" <<YAML
application_id: bench-memory
state_dir: $data/memory
kafka: {bootstrap.servers: "localhost:9092"}
topics: {prefix: "mem.", replication_factor: 1, min_insync_replicas: 1}
tail_sampling:
  decision_wait: 1h
  num_traces: 2000000
  policies: [{name: errors, type: status_code, status_code: {status_codes: [ERROR]}}]
YAML
printf 'prefix: "mem."\nreplication_factor: 1\nmin_insync_replicas: 1\n' > "$data/memtopics.yaml"
./otelstream topics apply --bootstrap-server localhost:9092 --config "$data/memtopics.yaml" > /dev/null
java -cp "$cp" io.otelstream.perf.TraceFill localhost:9092 mem.otlp-traces "$inflight" 1
OTELSTREAM_JAVA_OPTS="-Xmx512m -XX:+ExitOnOutOfMemoryError" ./otelstream streams --config "$data/memory.yaml" > "$data/memory.log" 2>&1 &
app=$!
start=$(date +%s)
i=0; until [ "$(metric otelstream_streams_traces_in_flight)" -ge "$inflight" ] 2>/dev/null; do
  kill -0 "$app" 2>/dev/null || { echo "memory: the app died"; tail -5 "$data/memory.log"; exit 1; }
  i=$((i+1)); [ $i -lt 3600 ] || { echo "memory: timed out at $(metric otelstream_streams_traces_in_flight) in flight"; exit 1; }
  sleep 1
done
pid=$(pgrep -f "Otelstream streams --config $data/memory.yaml" | head -1)
echo "memory: $(metric otelstream_streams_traces_in_flight) traces in flight after $(( $(date +%s) - start ))s; heap used $(heap) MiB (max 512); RSS $(awk '/VmRSS/ {printf "%.0f", $2/1024}' /proc/$pid/status) MiB; OutOfMemoryError: $(grep -c OutOfMemoryError "$data/memory.log" || true)"
