#!/bin/sh
# Metrics benchmarks, one run on this machine, broker and app in separate JVMs.
#  (1) catch-up of the metrics topology over a pre-filled otlp-metrics (SDK-like exports: per round
#      one record per instance with a cumulative counter over user_id x http.route), with
#      user_id and service.instance.id deleted:
#        a) with the aggregation stage and the cardinality guard (the default: exact totals),
#        b) without it (aggregation.enabled: false: attribute actions only, as before, which writes
#           colliding points over each other),
#      and, over the same topic with the same deletions, the OpenTelemetry Collector
#      (kafka receiver -> attributes + resource -> prometheusremotewrite into Debian's Prometheus),
#      built by perf/collector/build.sh, as a cost reference in the same run.
#      Reported: points/s, CPU-seconds per million points of the app and of the broker, from
#      /proc/PID/stat (utime + stime) over the run.
#  (2) memory: 1,000,000 distinct source series through the aggregation stage, heap capped at
#      512 MiB: heap and RSS once every point is aggregated.
# Usage: perf/bench-metrics.sh [instances (default 200)] [series per instance (default 100)]
#          [exports (default 100)] [memory source series (default 1000000, 0 skips)]
# BENCH_APP_OPTS adds JVM options to the aggregation run's app (for example a JFR recording).
set -eu
cd "$(dirname "$0")/.."
instances=${1:-200}
series=${2:-100}
exports=${3:-100}
memory=${4:-1000000}
points=$((instances * series * exports))
./otelstream --version >/dev/null 2>&1   # builds on first use
data=$(mktemp -d)
cp="dev/target/otelstream-dev.jar:dev/target/lib/*"
tck=$(getconf CLK_TCK)
OTELSTREAM_JAVA_OPTS="-Xmx1g" ./otelstream dev --kafka-only --data-dir "$data" > "$data/kafka.log" 2>&1 &
kafka=$!
app=""
prom=""
cleanup() {
  [ -z "$app" ] || kill "$app" 2>/dev/null || true
  [ -z "$prom" ] || kill "$prom" 2>/dev/null || true
  kill "$kafka" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$data"
}
trap cleanup EXIT INT TERM
i=0; until grep -q "Kafka only" "$data/kafka.log"; do i=$((i+1)); [ $i -lt 120 ] || { cat "$data/kafka.log"; exit 1; }; sleep 1; done

cpu() { awk '{print $14 + $15}' "/proc/$1/stat"; }
per_million() { awk -v t="$1" -v s="$2" -v hz="$tck" 'BEGIN {printf "%.2f", t / hz / s * 1e6}'; }
metric() { # sum of a metric from the app's admin port
  curl -sg "localhost:13134/metrics?name[]=${1%%\{*}" | awk -v n="$1" 'index($0, n) == 1 {s += $NF} END {printf "%.0f", s}'
}
rss() { awk '/VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$1/status"; }
heap() {
  curl -s localhost:13134/metrics | awk 'index($0, "jvm_memory_used_bytes{area=\"heap\"") == 1 {s += $NF} END {printf "%.0f", s / 1048576}'
}
await() { # metric target log
  i=0; until [ "$(metric "$1")" -ge "$2" ] 2>/dev/null; do
    kill -0 "$app" 2>/dev/null || { echo "the app died"; tail -20 "$3"; exit 1; }
    i=$((i+1)); [ $i -lt 36000 ] || { echo "timed out at $(metric "$1") of $2"; tail -20 "$3"; exit 1; }; sleep 0.1
  done
}

echo "== machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(java -version 2>&1 | head -1); $(date -u +%Y-%m-%d)"
printf 'prefix: "m."\nreplication_factor: 1\nmin_insync_replicas: 1\n' > "$data/topics.yaml"
./otelstream topics apply --bootstrap-server localhost:9092 --config "$data/topics.yaml" > /dev/null
echo "== fill m.otlp-metrics: $instances instances x $series series x $exports exports"
java -cp "$cp" io.otelstream.perf.MetricFill localhost:9092 m.otlp-metrics "$instances" "$series" "$exports"

streams() { # name aggregation(true|false) prefix input-done-metric
  name=$1; aggregate=$2
  cat > "$data/$name.yaml" <<YAML
application_id: bench-$name
state_dir: $data/$name-state
num_stream_threads: 1
kafka: {bootstrap.servers: "localhost:9092"}
topics: {prefix: "m.", replication_factor: 1, min_insync_replicas: 1}
tail_sampling: {policies: [{name: all, type: always_sample}]}
metrics:
  attributes: [{key: user_id, action: delete}]
  resource_attributes: [{key: service.instance.id, action: delete}]
  aggregation: {enabled: $aggregate, interval: 15s}
  cardinality: {enabled: $aggregate}
YAML
  b0=$(cpu "$kafka")
  start=$(date +%s.%N)
  opts=""; [ "$aggregate" = false ] || opts=${BENCH_APP_OPTS:-}
  OTELSTREAM_JAVA_OPTS="-Xmx512m -XX:-UseDynamicNumberOfCompilerThreads $opts" ./otelstream streams --config "$data/$name.yaml" > "$data/$name.log" 2>&1 &
  app=$!
  if [ "$aggregate" = true ]; then
    await otelstream_streams_metric_points_aggregated_total "$points" "$data/$name.log"
  else
    await 'otelstream_streams_items_total{outcome="kept",signal="metrics"' "$points" "$data/$name.log"
  fi
  end=$(date +%s.%N)
  a=$(cpu "$app"); b1=$(cpu "$kafka")
  echo "$name: $(awk -v s="$points" -v a="$start" -v e="$end" 'BEGIN {printf "%.0f points/s in %.1fs", s/(e-a), e-a}') (including JVM start); CPU-s per million points: app $(per_million "$a" "$points"), broker $(per_million $((b1 - b0)) "$points"), together $(per_million $((a + b1 - b0)) "$points"); heap $(heap) MiB, RSS $(rss "$app") MiB"
  kill "$app"; wait "$app" 2>/dev/null || true; app=""
}
streams aggregation true
streams passthrough false

collector_bin=${OTELSTREAM_TEST_RECEIVERS:-$HOME/.cache/otelstream/receivers}/otelcol-otelstream
if [ -x "$collector_bin" ] && command -v prometheus >/dev/null 2>&1; then
  mkdir -p "$data/prom"
  printf 'global:\n  scrape_interval: 1h\n' > "$data/prom/prometheus.yml"
  prometheus --config.file="$data/prom/prometheus.yml" --storage.tsdb.path="$data/prom/data" \
    --web.listen-address=127.0.0.1:19090 --web.enable-remote-write-receiver > "$data/prom.log" 2>&1 &
  prom=$!
  cat > "$data/collector.yaml" <<YAML
service:
  pipelines:
    metrics: {receivers: [kafka], processors: [attributes, resource], exporters: [prometheusremotewrite]}
  telemetry:
    metrics:
      level: normal
      readers: [{pull: {exporter: {prometheus: {host: 127.0.0.1, port: 18888}}}}]
receivers:
  kafka:
    brokers: ["localhost:9092"]
    group_id: bench-collector
    initial_offset: earliest
    metrics: {topics: ["m.otlp-metrics"], encoding: otlp_proto}
processors:
  attributes: {actions: [{key: user_id, action: delete}]}
  resource: {attributes: [{key: service.instance.id, action: delete}]}
exporters:
  prometheusremotewrite:
    endpoint: http://127.0.0.1:19090/api/v1/write
    retry_on_failure: {enabled: false}
    # Sent in the pipeline's own goroutine: the receiver waits instead of the queue refusing points
    # when full, so every point is translated and sent (Prometheus refuses the colliding ones:
    # that is the data loss the aggregation stage prevents).
    remote_write_queue: {enabled: false}
YAML
  ccount() { # points the exporter handled: sent, refused by Prometheus, or not queued
    curl -s localhost:18888/metrics | awk -v f="${1:-}" '(index($0, "otelcol_exporter_sent_metric_points") == 1 || index($0, "otelcol_exporter_send_failed_metric_points") == 1 || index($0, "otelcol_exporter_enqueue_failed_metric_points") == 1) && index($0, f) {s += $NF} END {printf "%.0f", s}'
  }
  b0=$(cpu "$kafka")
  start=$(date +%s.%N)
  "$collector_bin" --config "$data/collector.yaml" > "$data/collector.log" 2>&1 &
  app=$!
  i=0; until [ "$(ccount)" -ge "$points" ] 2>/dev/null; do
    kill -0 "$app" 2>/dev/null || { echo "the collector died"; tail -20 "$data/collector.log"; exit 1; }
    i=$((i+1)); [ $i -lt 36000 ] || { echo "collector timed out at $(ccount)"; tail "$data/collector.log"; exit 1; }; sleep 0.1
  done
  end=$(date +%s.%N)
  a=$(cpu "$app"); b1=$(cpu "$kafka")
  echo "collector: points sent $(ccount otelcol_exporter_sent), refused by Prometheus $(ccount otelcol_exporter_send_failed), not queued $(ccount otelcol_exporter_enqueue_failed)"
  echo "collector (attributes + resource + prometheusremotewrite): $(awk -v s="$points" -v a="$start" -v e="$end" 'BEGIN {printf "%.0f points/s in %.1fs", s/(e-a), e-a}'); CPU-s per million points: app $(per_million "$a" "$points"), broker $(per_million $((b1 - b0)) "$points"), together $(per_million $((a + b1 - b0)) "$points"); RSS $(rss "$app") MiB"
  kill "$app"; wait "$app" 2>/dev/null || true; app=""
  kill "$prom"; wait "$prom" 2>/dev/null || true; prom=""
else
  echo "collector: skipped ($collector_bin or prometheus missing; perf/collector/build.sh builds the Collector)"
fi

[ "$memory" -gt 0 ] || exit 0
echo "== memory: $memory distinct source series (1000 series per instance, 2 exports), heap capped at 512 MiB"
printf 'prefix: "mem."\nreplication_factor: 1\nmin_insync_replicas: 1\n' > "$data/memtopics.yaml"
./otelstream topics apply --bootstrap-server localhost:9092 --config "$data/memtopics.yaml" > /dev/null
java -cp "$cp" io.otelstream.perf.MetricFill localhost:9092 mem.otlp-metrics $((memory / 1000)) 1000 2
cat > "$data/memory.yaml" <<YAML
application_id: bench-memory
state_dir: $data/memory
kafka: {bootstrap.servers: "localhost:9092"}
topics: {prefix: "mem.", replication_factor: 1, min_insync_replicas: 1}
rocksdb_memory: 256MiB
tail_sampling: {policies: [{name: all, type: always_sample}]}
metrics:
  attributes: [{key: user_id, action: delete}]
  resource_attributes: [{key: service.instance.id, action: delete}]
YAML
start=$(date +%s.%N)
OTELSTREAM_JAVA_OPTS="-Xmx512m -XX:+ExitOnOutOfMemoryError" ./otelstream streams --config "$data/memory.yaml" > "$data/memory.log" 2>&1 &
app=$!
await otelstream_streams_metric_points_aggregated_total $((memory * 2)) "$data/memory.log"
end=$(date +%s.%N)
sleep 20 # an emission over every series
echo "memory: $memory source series, $((memory * 2)) points aggregated in $(awk -v a="$start" -v e="$end" 'BEGIN {printf "%.1fs", e-a}'); heap $(heap) MiB, RSS $(rss "$app") MiB, app CPU-s per million points $(per_million "$(cpu "$app")" $((memory * 2)))"
