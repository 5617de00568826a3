#!/bin/sh
# The whole pipeline on one box, each stage its own process, traces + metrics + logs at once:
#   otelstream: load generators -> edge -> Kafka -> streams app (tail sampling, metric attribute
#     deletion with exact re-aggregation, log filter) -> Kafka -> Kafka Connect (the Tempo, Mimir
#     and Loki sinks, over OTLP/HTTP) -> a counting receiver;
#   the Collector reference, same broker, same load, same processors configuration pasted into both:
#     gateway Collector (otlp -> kafka exporter, acks=all; perf/collector/build.sh's
#     otelcol-otelstream) -> Kafka -> processing Collector (kafka receiver -> tail_sampling,
#     attributes, filter -> otlphttp; Jaeger v2's Collector build) -> the same counting receiver.
# Per step (a total rate of items split by BENCH_MIX), for each pipeline: achieved rates and
# rejections, CPU-seconds per million items acknowledged per stage (from /proc/PID/stat, from the
# load's start until everything is in the sink), end-to-end latency (item timestamp, written at the
# send, to its arrival in the receiver) p50/p99 per signal, and for otelstream the accounting:
# every acknowledged span, point and log record counted as sampled out, filtered, aggregated (or
# dropped by the aggregation stage with a reason) and every output item delivered or dead-lettered.
# A step is "zero loss" when no request was refused and the accounting closes within the drain time.
# Usage: perf/bench-pipeline.sh [seconds-per-step (60)] [total items/s per step... (20000 40000)]
# BENCH_MIX: "traces metrics logs" shares in percent (default "50 20 30");
# BENCH_METRIC_INSTANCES (200) SDK instances with BENCH_METRIC_SERIES (100) source series each;
# BENCH_PIPELINES: what runs (default "otelstream collector"); BENCH_WARM: seconds of load at the first
# rate before the first step, not reported (default 60).
set -eu
cd "$(dirname "$0")/.."
secs=${1:-60}
[ $# -gt 0 ] && shift
rates=${*:-20000 40000}
set -- ${BENCH_MIX:-50 20 30}
mix_traces=$1; mix_metrics=$2; mix_logs=$3
metric_instances=${BENCH_METRIC_INSTANCES:-200}
metric_series=${BENCH_METRIC_SERIES:-100}
receivers=${OTELSTREAM_TEST_RECEIVERS:-$HOME/.cache/otelstream/receivers}
./otelstream --version >/dev/null   # builds on first use
data=$(mktemp -d)
tck=$(getconf CLK_TCK)
cp="dev/target/otelstream-dev.jar:dev/target/lib/*"
rport=14318
pids=""
cleanup() {
  for p in $pids; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$data"
}
trap cleanup EXIT INT TERM
started() { pids="$1 $pids"; }
stop() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }
await_up() { # what command...: polls the command for 120 s
  what=$1; shift; i=0
  until "$@" >/dev/null 2>&1; do i=$((i+1)); [ $i -lt 240 ] || { echo "$what did not start"; tail -30 "$data/$what.log"; exit 1; }; sleep 0.5; done
}

cpu() { awk '{print $14 + $15}' "/proc/$1/stat"; }
per_million() { awk -v t="$1" -v s="$2" -v hz="$tck" 'BEGIN {if (s > 0) printf "%.2f", t / hz / s * 1e6; else print "-"}'; }
metric() { # URL name-prefix [label]: sum of the samples whose line starts with it (and holds the label)
  curl -sg "$1" | awk -v n="$2" -v l="${3:-}" 'index($0, n) == 1 && index($0, l) {s += $NF} END {printf "%.0f", s}'
}
received() { curl -s "localhost:$rport/counts" | awk -v s="$1" -v f="$2" '$1 == s {for (i = 2; i <= NF; i++) {split($i, kv, "="); if (kv[1] == f) print kv[2]}}'; }

echo "== machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(java -version 2>&1 | head -1); $(date -u +%Y-%m-%d)"
echo "== load: $secs s per step; mix traces/metrics/logs $mix_traces/$mix_metrics/$mix_logs % of the items; traces 20 x 10 spans per request (1% with an error),"
echo "   metrics $metric_series points per request from $metric_instances SDK instances in turn (cumulative counters, user_id on every point), logs 100 records per request (5% DEBUG)"

OTELSTREAM_JAVA_OPTS="-Xmx1g" ./otelstream dev --kafka-only --data-dir "$data/kafka" > "$data/kafka.log" 2>&1 &
kafka=$!; started $kafka
await_up kafka grep -q "Kafka only" "$data/kafka.log"
java -Xmx512m -cp "$cp" io.otelstream.perf.CountingReceiver $rport > "$data/receiver.log" 2>&1 &
started $!
await_up receiver curl -sf "localhost:$rport/counts"

# The processing both pipelines run: the Collector's configuration shapes, pasted into both.
cat > "$data/processing.yaml" <<'YAML'
processors:
  attributes/metrics:
    actions: [{key: user_id, action: delete}]
  filter/logs:
    logs:
      include:
        match_type: strict
        severity_number: {min: INFO, match_undefined: true}
YAML
tail_sampling='tail_sampling:
  decision_wait: 5s
  num_traces: 200000
  policies:
    - {name: errors, type: status_code, status_code: {status_codes: [ERROR]}}
    - {name: baseline, type: probabilistic, probabilistic: {sampling_percentage: 10}}'

load() { # step-name total-rate: three load generators at once, one per signal
  name=$1; total=$2
  for s in traces metrics logs; do
    eval share=\$mix_$s
    r=$((total * share / 100))
    [ "$r" -gt 0 ] || continue
    extra=""; [ $s = metrics ] && extra="--instances $metric_instances --items-per-request $metric_series"
    ./otelstream loadgen --signal $s --rate "$r" --duration "$secs" --warmup 5 --concurrency 8 --connections 2 $extra > "$data/$name-$s.txt" 2>&1 &
    eval lg_$s=\$!
  done
  for s in traces metrics logs; do
    eval p=\${lg_$s:-}
    [ -z "$p" ] || wait "$p" || true
    eval lg_$s=""
  done
}
# Every process is measured warm: JIT compilation at start is not a cost per item.
warm() { # pipeline: BENCH_WARM seconds (60) at the first step's rate, not reported
  set -- $rates
  save=$secs; secs=${BENCH_WARM:-60}
  load "$1-warm" "$1"
  secs=$save
  sleep 15 # decision_wait and an aggregation interval: the warm-up's items leave before measuring
}
acked() { [ -f "$data/$1-$2.txt" ] && awk '/^in all/ {print $5}' "$data/$1-$2.txt" || echo 0; }
refused() { [ -f "$data/$1-$2.txt" ] && awk '/^in all/ {print $(NF-2)}' "$data/$1-$2.txt" || echo 0; }
achieved() { [ -f "$data/$1-$2.txt" ] && awk '/^achieved/ {print $2}' "$data/$1-$2.txt" || echo 0; }
ack_latency() { [ -f "$data/$1-$2.txt" ] && awk '/^ack latency/ {print $4, $5, $6}' "$data/$1-$2.txt" || echo -; }

summary() { # pipeline rate stage=ticks...
  who=$1; name=$1-$2; shift 2
  items=$(( $(acked "$name" traces) + $(acked "$name" metrics) + $(acked "$name" logs) ))
  echo "$who at ${name#*-} items/s: $(achieved "$name" traces) spans/s + $(achieved "$name" metrics) points/s + $(achieved "$name" logs) logs/s acknowledged; $items items in all; refused requests: traces $(refused "$name" traces), metrics $(refused "$name" metrics), logs $(refused "$name" logs)"
  echo "  ack latency ms p50 p99 p999: traces $(ack_latency "$name" traces); metrics $(ack_latency "$name" metrics); logs $(ack_latency "$name" logs)"
  total=0; line=""
  for kv in "$@"; do
    stage=${kv%%=*}; ticks=${kv#*=}; total=$((total + ticks))
    line="$line$stage $(per_million "$ticks" "$items"), "
  done
  echo "  CPU-s per million items: ${line}all $(per_million "$total" "$items")"
  per_million "$total" "$items" > "$data/total-$name"
  echo "  end to end ms (sent -> in the receiver) p50/p99: traces $(received traces p50_ms)/$(received traces p99_ms), metrics $(received metrics p50_ms)/$(received metrics p99_ms), logs $(received logs p50_ms)/$(received logs p99_ms); received: $(received traces items) spans, $(received metrics items) points, $(received logs items) logs"
}

otelstream() {
  printf 'kafka:\n  bootstrap.servers: localhost:9092\n' > "$data/edge.yaml"
  OTELSTREAM_JAVA_OPTS="-Xmx512m" ./otelstream edge --config "$data/edge.yaml" > "$data/edge.log" 2>&1 &
  edge=$!; started $edge
  { cat "$data/processing.yaml"; cat <<YAML
$tail_sampling
pipelines:
  metrics: {processors: [attributes/metrics]}
  logs: {processors: [filter/logs]}
application_id: bench-pipeline
state_dir: $data/streams
kafka: {bootstrap.servers: "localhost:9092"}
topics: {replication_factor: 1, min_insync_replicas: 1}
metrics:
  aggregation: {interval: 10s}
  cardinality: {max_series_per_metric: 1000000}   # measured without the guard's series limit
YAML
  } > "$data/streams.yaml"
  OTELSTREAM_JAVA_OPTS="-Xmx1g -XX:+UseParallelGC" ./otelstream streams --config "$data/streams.yaml" > "$data/streams.log" 2>&1 &
  streams=$!; started $streams
  OTELSTREAM_JAVA_OPTS="-Xmx1g" ./otelstream dev --connect-only --data-dir "$data/connect" \
    --tempo "http://127.0.0.1:$rport/v1/traces" --mimir "http://127.0.0.1:$rport/otlp/v1/metrics" \
    --loki "http://127.0.0.1:$rport/otlp/v1/logs" > "$data/connect.log" 2>&1 &
  connect=$!; started $connect
  await_up edge curl -sf localhost:13133/health/ready
  await_up streams curl -sf localhost:13134/health/ready
  await_up connect grep -q "Kafka Connect only" "$data/connect.log"
  e=localhost:13133/metrics; st=localhost:13134/metrics; sk=localhost:13135/metrics
  warm otelstream
  for rate in $rates; do
    curl -s "localhost:$rport/reset" > /dev/null
    name=otelstream-$rate
    e0=$(cpu $edge); b0=$(cpu $kafka); s0=$(cpu $streams); c0=$(cpu $connect)
    spans0=$(metric $st otelstream_streams_spans_total); logs0=$(metric $st 'otelstream_streams_items_total{outcome="kept",signal="logs"')
    logsd0=$(metric $st otelstream_streams_processor_dropped_items_total 'signal="logs"')
    kept0=$(metric $st 'otelstream_streams_spans_total{outcome="kept"'); agg0=$(metric $st otelstream_streams_metric_points_aggregated_total)
    pdrop0=$(metric $st otelstream_streams_metric_points_dropped_total)
    load "$name" "$rate"
    at=$(acked "$name" traces); am=$(acked "$name" metrics); al=$(acked "$name" logs)
    # Drained: every acknowledged item processed, every kept item in the receiver.
    i=0; closed=no
    while [ $i -lt 240 ]; do
      spans=$(( $(metric $st otelstream_streams_spans_total) - spans0 ))
      kept=$(( $(metric $st 'otelstream_streams_spans_total{outcome="kept"') - kept0 ))
      logs=$(( $(metric $st 'otelstream_streams_items_total{outcome="kept",signal="logs"') - logs0 ))
      logsd=$(( $(metric $st otelstream_streams_processor_dropped_items_total 'signal="logs"') - logsd0 ))
      points=$(( $(metric $st otelstream_streams_metric_points_aggregated_total) - agg0 ))
      pdrop=$(( $(metric $st otelstream_streams_metric_points_dropped_total) - pdrop0 ))
      if [ "$spans" -ge "$at" ] && [ $((logs + logsd)) -ge "$al" ] && [ $((points + pdrop)) -ge "$am" ] \
        && [ "$(received traces items)" -ge "$kept" ] && [ "$(received logs items)" -ge "$logs" ]; then closed=yes; break; fi
      i=$((i+1)); sleep 0.5
    done
    e1=$(cpu $edge); b1=$(cpu $kafka); s1=$(cpu $streams); c1=$(cpu $connect)
    sleep 12 # one aggregation interval more: the last emission of the metrics reaches the receiver
    summary otelstream "$rate" edge=$((e1 - e0)) broker=$((b1 - b0)) streams=$((s1 - s0)) connect=$((c1 - c0))
    echo "  accounting (closed within the drain: $closed): spans acknowledged $at = kept $kept + sampled out $((spans - kept)) (+ $((at - spans)) unaccounted), in the receiver $(received traces items);"
    echo "    log records acknowledged $al = kept $logs + filtered $logsd (+ $((al - logs - logsd)) unaccounted), in the receiver $(received logs items);"
    echo "    metric points acknowledged $am = aggregated $points + dropped with a reason $pdrop (+ $((am - points - pdrop)) unaccounted); series points emitted $(metric $st otelstream_streams_metric_series_emitted_total) in all, in the receiver $(received metrics items) this step;"
    echo "    edge accepted $(metric $e otelstream_edge_items_accepted_total) items in all; sinks: records sent $(metric $sk otelstream_sink_records_sent_total), dead-lettered $(metric $sk otelstream_sink_records_deadlettered_total), items dropped $(metric $sk otelstream_sink_items_dropped_total); streams dead-lettered $(metric $st otelstream_streams_deadletter_records_total) records"
    echo "    heap/RSS MiB: edge $(awk '/VmRSS/ {printf "%.0f", $2/1024}' /proc/$edge/status) RSS, streams $(awk '/VmRSS/ {printf "%.0f", $2/1024}' /proc/$streams/status) RSS, connect $(awk '/VmRSS/ {printf "%.0f", $2/1024}' /proc/$connect/status) RSS; active aggregate series $(metric $st otelstream_streams_metric_series_active); state directory $(du -sm "$data/streams" | cut -f1) MiB"
  done
  stop $edge; stop $streams; stop $connect
}

collector() {
  gateway_bin="$receivers/otelcol-otelstream"; processor_bin="$receivers/jaeger"
  if [ ! -x "$gateway_bin" ] || [ ! -x "$processor_bin" ]; then
    echo "collector: skipped ($gateway_bin or $processor_bin missing; .ci/run and perf/collector/build.sh build them)"; return 0
  fi
  printf 'prefix: "c."\nreplication_factor: 1\nmin_insync_replicas: 1\n' > "$data/ctopics.yaml"
  ./otelstream topics apply --bootstrap-server localhost:9092 --config "$data/ctopics.yaml" > /dev/null
  cat > "$data/gateway.yaml" <<YAML
receivers:
  otlp:
    protocols:
      grpc: {endpoint: "127.0.0.1:4317"}
exporters:
  kafka:
    brokers: ["localhost:9092"]
    traces: {topic: c.otlp-traces, encoding: otlp_proto}
    metrics: {topic: c.otlp-metrics, encoding: otlp_proto}
    logs: {topic: c.otlp-logs, encoding: otlp_proto}
    partition_traces_by_id: true
    partition_metrics_by_resource_attributes: true
    partition_logs_by_resource_attributes: true
    producer: {required_acks: -1, compression: lz4}
    sending_queue: {enabled: false}
service:
  telemetry: {metrics: {level: none}}
  pipelines:
    traces: {receivers: [otlp], exporters: [kafka]}
    metrics: {receivers: [otlp], exporters: [kafka]}
    logs: {receivers: [otlp], exporters: [kafka]}
YAML
  { cat "$data/processing.yaml"; cat <<YAML
  $(printf '%s\n' "$tail_sampling" | sed '2,$s/^/  /')
receivers:
  kafka/traces: {brokers: ["localhost:9092"], group_id: c-traces, initial_offset: earliest, traces: {topic: c.otlp-traces, encoding: otlp_proto}}
  kafka/metrics: {brokers: ["localhost:9092"], group_id: c-metrics, initial_offset: earliest, metrics: {topic: c.otlp-metrics, encoding: otlp_proto}}
  kafka/logs: {brokers: ["localhost:9092"], group_id: c-logs, initial_offset: earliest, logs: {topic: c.otlp-logs, encoding: otlp_proto}}
exporters:
  otlphttp: {endpoint: "http://127.0.0.1:$rport"}
service:
  telemetry: {metrics: {level: none}}
  pipelines:
    traces: {receivers: [kafka/traces], processors: [tail_sampling], exporters: [otlphttp]}
    metrics: {receivers: [kafka/metrics], processors: [attributes/metrics], exporters: [otlphttp]}
    logs: {receivers: [kafka/logs], processors: [filter/logs], exporters: [otlphttp]}
YAML
  } > "$data/processor.yaml"
  "$gateway_bin" --config "$data/gateway.yaml" > "$data/gateway.log" 2>&1 &
  gateway=$!; started $gateway
  "$processor_bin" --config "$data/processor.yaml" > "$data/processor.log" 2>&1 &
  processor=$!; started $processor
  await_up gateway sh -c 'curl -s -o /dev/null --max-time 1 http://127.0.0.1:4317/; [ $? -ne 7 ]'
  sleep 5; kill -0 $processor 2>/dev/null || { echo "the processing Collector died"; tail -30 "$data/processor.log"; exit 1; }
  warm collector
  for rate in $rates; do
    curl -s "localhost:$rport/reset" > /dev/null
    name=collector-$rate
    g0=$(cpu $gateway); b0=$(cpu $kafka); p0=$(cpu $processor)
    load "$name" "$rate"
    # Drained: nothing more arrives for 10 s after the decision wait.
    last=""; same=0; i=0
    while [ $same -lt 20 ] && [ $i -lt 480 ]; do
      now="$(received traces items) $(received metrics items) $(received logs items)"
      if [ "$now" = "$last" ]; then same=$((same+1)); else same=0; last=$now; fi
      i=$((i+1)); sleep 0.5
    done
    g1=$(cpu $gateway); b1=$(cpu $kafka); p1=$(cpu $processor)
    summary collector "$rate" gateway=$((g1 - g0)) broker=$((b1 - b0)) processor=$((p1 - p0))
    echo "  the Collectors' logs so far: $(grep -ci 'error' "$data/gateway.log") gateway and $(grep -ci 'error' "$data/processor.log") processor lines with 'error'$(grep -i 'error' "$data/processor.log" | tail -1 | cut -c1-300 | sed 's/^/; the last: /')"
  done
  stop $gateway; stop $processor
}

case " ${BENCH_PIPELINES:-otelstream collector} " in *" otelstream "*) otelstream ;; esac
case " ${BENCH_PIPELINES:-otelstream collector} " in *" collector "*) collector ;; esac
for rate in $rates; do
  if [ -f "$data/total-otelstream-$rate" ] && [ -f "$data/total-collector-$rate" ]; then
    echo "at $rate items/s: otelstream $(cat "$data/total-otelstream-$rate") / Collectors $(cat "$data/total-collector-$rate") CPU-s per million items = $(awk -v a="$(cat "$data/total-otelstream-$rate")" -v b="$(cat "$data/total-collector-$rate")" 'BEGIN {printf "%.2f", a / b}')x"
  fi
done
