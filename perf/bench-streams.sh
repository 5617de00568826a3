#!/bin/sh
# Streams benchmarks, one run on this machine, broker and app in separate JVMs.
#  (1) catch-up of the sampling topology over a pre-filled otlp-traces, one stream thread, next to
#      a pass-through topology (same exactly-once guarantee) over the same data, for two workloads:
#      A) one record per trace (10 spans, ~2.15 KB), B) each trace in 3-5 fragments. 1% of traces
#      have an error; policies: errors + 10% probabilistic (about 10% of spans kept).
#      Reported: spans/s, and CPU-seconds per million spans of the app and of the broker, from
#      /proc/PID/stat (utime + stime) over the run.
#      Next to them, over the same topic and with the same policies, the OpenTelemetry Collector's
#      in-memory pipeline (kafka receiver -> tail_sampling -> kafka exporter writing the kept spans
#      keyed by trace ID, as otelstream does), as built into Jaeger v2
#      (an OpenTelemetry Collector distribution; .ci/run builds it into $OTELSTREAM_TEST_RECEIVERS),
#      so the comparison is made in the same run, not against a figure from another day.
#  (2) memory: 1,000,000 traces in flight with the app's heap capped at 512 MiB: heap and RSS.
#      The app's CPU in the steady window is also split by thread: JIT compiler, GC, the rest.
#      600,000 traces by default: with fewer, the JVM's JIT compiler is still busy in the window.
# Usage: perf/bench-streams.sh [traces (default 600000, 10 spans each)] [traces-in-flight (default 1000000, 0 skips)]
# BENCH_KAFKA adds Kafka Streams properties to the sampling app ("commit.interval.ms: 1000").
# BENCH_STREAMS_YAML adds top-level YAML to the sampling app's configuration (for example span_metrics and service_graph sections).
# BENCH_COLLECTOR=connectors runs the reference Collector with span_metrics and service_graph connectors before tail_sampling (perf/collector/build.sh connectors builds it) instead of Jaeger v2's plain tail_sampling.
# BENCH_SIGNALS sets the sampling app's signals (default [traces]: the sampler alone, as the chart's perSignal runs it).
# BENCH_WORKLOADS picks workloads (default "single fragments"); BENCH_APP_OPTS adds JVM options to the sampling app (for example a JFR recording to profile it).
# BENCH_FILL_OPTS adds JVM options to the load that fills the input topic (-Dotelstream.fill.compression=lz4: another codec than the edge's snappy).
# BENCH_CDS=1 runs the sampling app as the image does: from the production launcher (launcher/target)
# with the class-data sharing archive launcher/cds-archives.sh writes first (as the image's build).
set -eu
cd "$(dirname "$0")/.."
traces=${1:-600000}
inflight=${2:-1000000}
spans=$((traces * 10))
./otelstream --version >/dev/null   # builds on first use
data=$(mktemp -d)
cp="dev/target/otelstream-dev.jar:dev/target/lib/*"
sampler() { # JVM options, then the streams command's arguments: the app as ./otelstream runs it, or as the image does
  # exec: run in the background, the app's process is the one whose PID the caller measures
  opts=$1; shift
  if [ "${BENCH_CDS:-}" = 1 ]; then
    # shellcheck disable=SC2086
    exec java $opts -XX:SharedArchiveFile="$data/cds/streams.jsa" -Xshare:on \
      -cp "$PWD/launcher/target/otelstream-launcher.jar:$PWD/launcher/target/lib/*" io.otelstream.cli.Otelstream streams "$@"
  else
    OTELSTREAM_JAVA_OPTS="$opts" exec ./otelstream streams "$@"
  fi
}
tck=$(getconf CLK_TCK)
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

cpu() { # CPU clock ticks used so far by a process (utime + stime)
  awk '{print $14 + $15}' "/proc/$1/stat"
}
jit_gc() { # PID -> "JIT GC" clock ticks used so far by its JIT compiler and its GC threads
  for t in /proc/"$1"/task/*; do
    printf '%s|%s\n' "$(cat "$t/comm" 2>/dev/null)" "$(sed 's/^.*) //' "$t/stat" 2>/dev/null)"
  done | awk -F'|' '{split($2, f, " "); u = f[12] + f[13]}
    $1 ~ /CompilerThre/ {j += u} $1 ~ /^(GC Thread|G1 )/ {g += u} END {print j + 0, g + 0}'
}
per_million() { # ticks, spans -> CPU-seconds per million spans
  awk -v t="$1" -v s="$2" -v hz="$tck" 'BEGIN {printf "%.1f", t / hz / s * 1e6}'
}
metric() { # sum of a metric from the app's admin port (asking for that metric only: cheap to serve)
  curl -sg "localhost:13134/metrics?name[]=${1%%\{*}" | awk -v n="$1" 'index($0, n) == 1 {s += $NF} END {printf "%.0f", s}'
}
heap() {
  curl -s localhost:13134/metrics | awk 'index($0, "jvm_memory_used_bytes{area=\"heap\"") == 1 {s += $NF} END {printf "%.0f", s / 1048576}'
}

if [ "${BENCH_CDS:-}" = 1 ]; then
  CDS_STREAMS_OPTS="-Xmx512m ${BENCH_APP_OPTS:-}" launcher/cds-archives.sh launcher/target dev/target "$data/cds" > "$data/cds.log" 2>&1 || { cat "$data/cds.log"; exit 1; }
fi
echo "== machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(java -version 2>&1 | head -1); $(date -u +%Y-%m-%d)"

run() { # workload-name prefix fragments
  name=$1; prefix=$2; fragments=$3
  printf 'prefix: "%s"\nreplication_factor: 1\nmin_insync_replicas: 1\n' "$prefix" > "$data/$name-topics.yaml"
  ./otelstream topics apply --bootstrap-server localhost:9092 --config "$data/$name-topics.yaml" > /dev/null
  echo "== $name: fill ${prefix}otlp-traces: $traces traces x 10 spans, fragments $fragments"
  java ${BENCH_FILL_OPTS:-} -cp "$cp" io.otelstream.perf.TraceFill localhost:9092 "${prefix}otlp-traces" "$traces" 10 "$fragments"

  b0=$(cpu "$kafka")
  /usr/bin/time -f "%U %S" -o "$data/$name-pt.time" java -Xmx512m -cp "$cp" io.otelstream.perf.PassThroughBenchmark \
    localhost:9092 "${prefix}otlp-traces" "${prefix}passthrough" 10 "$data/$name-pt" > "$data/$name-pt.txt"
  b1=$(cpu "$kafka")
  pt_secs=$(awk '/^pass-through/ {print $(NF-2)}' "$data/$name-pt.txt" | tr -d s)
  pt_app=$(awk -v hz="$tck" '{print ($1 + $2) * hz}' "$data/$name-pt.time")
  echo "$name pass-through: $(awk -v s="$spans" -v t="$pt_secs" 'BEGIN {printf "%.0f", s/t}') spans/s in ${pt_secs}s; CPU-s per million spans: app $(per_million "$pt_app" "$spans"), broker $(per_million $((b1 - b0)) "$spans")"

  cat > "$data/$name.yaml" <<YAML
application_id: bench-$name
state_dir: $data/$name-state
num_stream_threads: 1
# The sampler alone, as the chart's perSignal runs it and as the Collector's pipeline here is:
# BENCH_SIGNALS="[traces, metrics, logs]" adds the other signals' idle tasks and stores.
signals: ${BENCH_SIGNALS:-[traces]}
kafka: {bootstrap.servers: "localhost:9092"${BENCH_KAFKA:+, $BENCH_KAFKA}}
topics: {prefix: "$prefix", replication_factor: 1, min_insync_replicas: 1}
tail_sampling:
  decision_wait: 2s
  num_traces: 200000
  # Short enough that decisions expire within the run, as every decision does in steady state.
  decision_cache: {ttl: 5s}
  policies:
    - {name: errors, type: status_code, status_code: {status_codes: [ERROR]}}
    - {name: baseline, type: probabilistic, probabilistic: {sampling_percentage: 10}}
${BENCH_STREAMS_YAML:-}
YAML
  b0=$(cpu "$kafka")
  start=$(date +%s.%N)
  # Compiler threads that come and go would take their CPU time with them: keep them.
  sampler "-Xmx512m -XX:-UseDynamicNumberOfCompilerThreads ${BENCH_APP_OPTS:-}" --config "$data/$name.yaml" > "$data/$name.log" 2>&1 &
  app=$!
  # Steady state: from 20% of traces decided (JIT compilation and startup behind) to the end.
  i=0; until [ "$(metric otelstream_streams_traces_decided_total)" -ge $((traces / 5)) ] 2>/dev/null; do
    i=$((i+1)); [ $i -lt 36000 ] || { tail "$data/$name.log"; exit 1; }; sleep 0.1
  done
  s20=$(date +%s.%N); a20=$(cpu "$app"); b20=$(cpu "$kafka"); d20=$(metric otelstream_streams_traces_decided_total)
  jg20=$(jit_gc "$app")
  i=0; until [ "$(metric otelstream_streams_traces_decided_total)" -ge "$traces" ] 2>/dev/null; do
    i=$((i+1)); [ $i -lt 36000 ] || { tail "$data/$name.log"; exit 1; }; sleep 0.1
  done
  end=$(date +%s.%N)
  a=$(cpu "$app"); b1=$(cpu "$kafka"); jg=$(jit_gc "$app")
  kept=$(metric 'otelstream_streams_spans_total{outcome="kept"')
  spilled=$(metric otelstream_streams_traces_spilled_total)
  steady=$(( (traces - d20) * 10 ))
  echo "$name sampling, whole run: $(awk -v s="$spans" -v a="$start" -v e="$end" 'BEGIN {printf "%.0f spans/s in %.1fs", s/(e-a), e-a}') (including JVM start); kept $kept spans; $spilled traces gathered in RocksDB (heap budget spent); CPU-s per million spans: app $(per_million "$a" "$spans"), broker $(per_million $((b1 - b0)) "$spans"), together $(per_million $((a + b1 - b0)) "$spans"); heap $(heap) MiB"
  echo "$name sampling, steady (last $((steady / 10)) traces): $(awk -v s="$steady" -v a="$s20" -v e="$end" 'BEGIN {printf "%.0f spans/s", s/(e-a)}'); CPU-s per million spans: app $(per_million $((a - a20)) "$steady"), broker $(per_million $((b1 - b20)) "$steady"), together $(per_million $((a - a20 + b1 - b20)) "$steady")"
  jit=$(( ${jg%% *} - ${jg20%% *} )); gc=$(( ${jg##* } - ${jg20##* } ))
  echo "$name sampling, steady, app CPU-s per million spans by thread: JIT compiler $(per_million "$jit" "$steady"), GC $(per_million "$gc" "$steady"), the rest $(per_million $((a - a20 - jit - gc)) "$steady")"
  echo "$name sampling, whole run, app CPU-s per million spans by thread: JIT compiler $(per_million "${jg%% *}" "$spans"), GC $(per_million "${jg##* }" "$spans"), the rest $(per_million $((a - ${jg%% *} - ${jg##* })) "$spans")"
  kill "$app"; wait "$app" 2>/dev/null || true; app=""
}

collector_bin=${OTELSTREAM_TEST_RECEIVERS:-$HOME/.cache/otelstream/receivers}/jaeger
[ "${BENCH_COLLECTOR:-}" != connectors ] || collector_bin=${OTELSTREAM_TEST_RECEIVERS:-$HOME/.cache/otelstream/receivers}/otelcol-connectors
collector() { # workload-name prefix: the Collector's tail_sampling over the same pre-filled topic
  name=$1; prefix=$2
  if [ "${BENCH_COLLECTOR:-}" = connectors ]; then
    # Every span to the span_metrics and service_graph connectors, and (the same receiver) to
    # tail_sampling; the metrics to Kafka as otelstream writes them.
    extra_pipelines="    traces/metrics: {receivers: [kafka], exporters: [span_metrics, service_graph]}
    metrics: {receivers: [span_metrics, service_graph], exporters: [kafka]}"
    input="traces: {topics: [\"${prefix}otlp-traces\"], encoding: otlp_proto}"
    connectors="connectors: {span_metrics: {}, service_graph: {}}"
    metrics_out="metrics: {topic: \"${prefix}otlp-metrics-processed\", encoding: otlp_proto}"
  else
    extra_pipelines=""; connectors=""; metrics_out=""
    input="traces: {topic: \"${prefix}otlp-traces\", encoding: otlp_proto}"
  fi
  if [ ! -x "$collector_bin" ]; then
    echo "$name collector: skipped ($collector_bin is missing; .ci/run builds it)"
    return 0
  fi
  cat > "$data/$name-collector.yaml" <<YAML
service:
  pipelines:
    traces: {receivers: [kafka], processors: [tail_sampling], exporters: [kafka]}
$extra_pipelines
  telemetry:
    metrics:
      level: normal
      readers: [{pull: {exporter: {prometheus: {host: 127.0.0.1, port: 18888}}}}]
receivers:
  kafka:
    brokers: ["localhost:9092"]
    group_id: bench-collector-$name
    initial_offset: earliest
    $input
$connectors
processors:
  tail_sampling:
    decision_wait: 2s
    num_traces: 200000
    policies:
      - {name: errors, type: status_code, status_code: {status_codes: [ERROR]}}
      - {name: baseline, type: probabilistic, probabilistic: {sampling_percentage: 10}}
exporters:
  # Into the topic otelstream's run wrote (that run is over): kept spans written, as otelstream does.
  kafka:
    brokers: ["localhost:9092"]
    traces: {topic: "${prefix}otlp-traces-sampled", encoding: otlp_proto}
    partition_traces_by_id: true
    $metrics_out
YAML
  ccount() { # traces the Collector decided (sampled or not), or kept ones with sampled="true"
    curl -s localhost:18888/metrics | awk -v f="${1:-}" 'index($0, "otelcol_processor_tail_sampling_global_count_traces_sampled") == 1 && index($0, f) {s += $NF} END {printf "%.0f", s}'
  }
  b0=$(cpu "$kafka")
  start=$(date +%s.%N)
  "$collector_bin" --config "$data/$name-collector.yaml" > "$data/$name-collector.log" 2>&1 &
  app=$!
  i=0; until [ "$(ccount)" -ge $((traces / 5)) ] 2>/dev/null; do
    i=$((i+1)); [ $i -lt 36000 ] || { tail "$data/$name-collector.log"; exit 1; }; sleep 0.1
  done
  s20=$(date +%s.%N); a20=$(cpu "$app"); b20=$(cpu "$kafka"); d20=$(ccount)
  i=0; until [ "$(ccount)" -ge "$traces" ] 2>/dev/null; do
    i=$((i+1)); [ $i -lt 36000 ] || { tail "$data/$name-collector.log"; exit 1; }; sleep 0.1
  done
  end=$(date +%s.%N)
  a=$(cpu "$app"); b1=$(cpu "$kafka")
  steady=$(( (traces - d20) * 10 ))
  echo "$name collector (in memory), whole run: $(awk -v s="$spans" -v a="$start" -v e="$end" 'BEGIN {printf "%.0f spans/s in %.1fs", s/(e-a), e-a}'); kept $(ccount 'sampled="true"') traces; CPU-s per million spans: app $(per_million "$a" "$spans"), broker $(per_million $((b1 - b0)) "$spans"), together $(per_million $((a + b1 - b0)) "$spans")"
  echo "$name collector (in memory), steady (last $((steady / 10)) traces): $(awk -v s="$steady" -v a="$s20" -v e="$end" 'BEGIN {printf "%.0f spans/s", s/(e-a)}'); CPU-s per million spans: app $(per_million $((a - a20)) "$steady"), broker $(per_million $((b1 - b20)) "$steady"), together $(per_million $((a - a20 + b1 - b20)) "$steady")"
  kill "$app"; wait "$app" 2>/dev/null || true; app=""
}

case " ${BENCH_WORKLOADS:-single fragments} " in *" single "*) run single "a." 1; collector single "a.";; esac
case " ${BENCH_WORKLOADS:-single fragments} " in *" fragments "*) run fragments "b." 3-5; collector fragments "b.";; esac

[ "$inflight" -gt 0 ] || exit 0
echo "== memory: $inflight traces in flight, heap capped at 512 MiB, rocksdb_memory 256MiB"
cat > "$data/memory.yaml" <<YAML
application_id: bench-memory
state_dir: $data/memory
kafka: {bootstrap.servers: "localhost:9092"}
topics: {prefix: "mem.", replication_factor: 1, min_insync_replicas: 1}
rocksdb_memory: 256MiB
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
echo "memory: $(metric otelstream_streams_traces_in_flight) traces in flight after $(( $(date +%s) - start ))s; heap used $(heap) MiB (max 512); RSS $(awk '/VmRSS/ {printf "%.0f", $2/1024}' /proc/$app/status) MiB; OutOfMemoryError: $(grep -c OutOfMemoryError "$data/memory.log" || true)"
