#!/bin/sh
# The edge next to a durable OpenTelemetry Collector, same broker, same load generator, one run:
#   (a) at a fixed rate (default 50,000 spans/s), after 60 s (BENCH_WARM) of the same load to warm the server:
#       CPU-seconds per million spans of the server and of the broker (from /proc/PID/stat, utime +
#       stime, over the load generator's whole run), and the ack latency percentiles;
#   (b) the maximum rate with no failed request (unlimited load generator).
# The Collector answers only after Kafka acknowledged, as the edge does: otlp receiver -> kafka
# exporter with acks=all, lz4, traces partitioned by trace ID, no batch processor, no sending
# queue; its other producer settings are the exporter's defaults (linger 10ms). It is the
# otelcol-otelstream binary perf/collector/build.sh builds (.ci/run builds it too).
# Usage: perf/bench-edge-collector.sh [seconds-per-step (30)] [rate (50000)]
# BENCH_SERVERS picks what runs (default "edge collector"; "null" and "producer" are the bounds
# below).
# EDGE_HEAP sets the edge's heap (default 512m); EDGE_KAFKA adds producer settings to the edge's
# configuration, ';' between them ("linger.ms: 0; max.in.flight.requests.per.connection: 1"); EDGE_YAML adds top-level
# configuration ("event_loops: 1"); EDGE_JAVA_OPTS adds JVM options (a JFR recording).
# The topic keeps each server's batches as they come (compression.type=producer); EDGE_COMPRESSION
# sets the edge's producer compression (default: the edge's default), COLLECTOR_COMPRESSION the
# Collector's (default lz4). BENCH_PARTITIONS sets otlp-traces' partitions (default 12, DESIGN.md's).
set -eu
cd "$(dirname "$0")/.."
secs=${1:-30}
rate=${2:-50000}
receivers=${OTELSTREAM_TEST_RECEIVERS:-$HOME/.cache/otelstream/receivers}
collector_bin="$receivers/otelcol-otelstream"
[ -x "$collector_bin" ] || perf/collector/build.sh
./otelstream --version >/dev/null   # builds on first use
data=$(mktemp -d)
tck=$(getconf CLK_TCK)
printf 'topics:\n  compression: producer\n  topics:\n    otlp-traces: {partitions: %s}\n' "${BENCH_PARTITIONS:-12}" > "$data/topics.yaml"
OTELSTREAM_JAVA_OPTS="-Xmx1g" ./otelstream dev --kafka-only --edge-config "$data/topics.yaml" --data-dir "$data/kafka" > "$data/kafka.log" 2>&1 &
kafka=$!
server=""
cleanup() {
  [ -z "$server" ] || kill "$server" 2>/dev/null || true
  kill "$kafka" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$data"
}
trap cleanup EXIT INT TERM
i=0; until grep -q "Kafka only" "$data/kafka.log"; do i=$((i+1)); [ $i -lt 120 ] || { cat "$data/kafka.log"; exit 1; }; sleep 1; done

cpu() { awk '{print $14 + $15}' "/proc/$1/stat"; }
threads() { # PID -> "thread-kind ticks" lines: CPU clock ticks so far by kind of thread
  for t in /proc/"$1"/task/*; do
    printf '%s|%s\n' "$(cat "$t/comm" 2>/dev/null)" "$(sed 's/^.*) //' "$t/stat" 2>/dev/null)"
  done | awk -F'|' '{split($2, f, " "); k = $1; sub(/[-#0-9 ]+$/, "", k); u[k] += f[12] + f[13]}
    END {for (k in u) print k "|" u[k]}'
}
log_bytes() { du -cb "$data"/kafka/kafka/kraft/otlp-traces-[0-9]*/*.log | awk 'END {print $1}'; } # the topic's log segments
per_million() { awk -v t="$1" -v s="$2" -v hz="$tck" 'BEGIN {printf "%.2f", t / hz / s * 1e6}'; }

# The edge's own histogram of first send -> Kafka's acknowledgement of a request's last record,
# cumulative buckets "le count" for traces (empty for the Collector, which has no such metric).
produce_buckets() {
  curl -sf --max-time 5 localhost:13133/metrics 2>/dev/null |
    awk -F'[{}]' '/^otelstream_edge_produce_latency_seconds_bucket/ && /signal="traces"/ {
      match($2, /le="[^"]*"/); le = substr($2, RSTART + 4, RLENGTH - 5); split($3, v, " "); print le, v[1]}'
}
# The edge producer's produce requests and the edge's trace exports so far, "requests exports"
# (empty for the Collector).
produce_requests() {
  curl -sf --max-time 5 localhost:13133/metrics 2>/dev/null |
    awk '/^kafka_producer_request_total\{/ && /client_id="otelstream-edge"/ {n += $NF}
      /^otelstream_edge_requests_received_total\{/ && /signal="traces"/ {e += $NF}
      END {if (n) printf "%d %d", n, e}'
}
# Percentiles (ms) of the difference between two bucket snapshots: the step's requests alone.
produce_percentiles() { # before after
  awk 'NR == FNR {a[$1] = $2; next} {d[++n] = $2 - a[$1]; le[n] = $1}
    END {if (n == 0 || d[n] == 0) exit
      split("0.5 0.99 0.999", q, " "); out = ""
      for (i = 1; i <= 3; i++) for (j = 1; j <= n; j++) if (d[j] >= q[i] * d[n]) {
        out = out sprintf("%s%s", out == "" ? "" : " ", le[j] == "+Inf" ? "inf" : sprintf("%.2f", le[j] * 1000)); break }
      print out}' "$1" "$2"
}

# One load step against whatever listens on 4317; prints its result line by line.
step() { # name extra-loadgen-args...
  name=$1; shift
  s0=$(cpu "$server"); b0=$(cpu "$kafka"); threads "$server" > "$data/threads0"; l0=$(log_bytes)
  produce_buckets > "$data/produce0"; p0=$(produce_requests)
  ./otelstream loadgen --duration "$secs" --warmup 5 --concurrency 16 "$@" > "$data/$name.txt"
  s1=$(cpu "$server"); b1=$(cpu "$kafka"); threads "$server" > "$data/threads1"; l1=$(log_bytes)
  produce_buckets > "$data/produce1"; p1=$(produce_requests)
  spans=$(awk '/^in all/ {print $5}' "$data/$name.txt")
  failed=$(awk '/^in all/ {print $(NF-2)}' "$data/$name.txt")
  achieved=$(awk '/^achieved/ {print $2}' "$data/$name.txt")
  latency=$(awk '/^ack latency/ {print $4, $5, $6}' "$data/$name.txt")
  by_thread=$(awk -F'|' -v s="$spans" -v hz="$tck" 'NR == FNR {a[$1] = $2; next}
    {d = $2 - a[$1]; if (d > 0) printf "%s %.2f, ", $1, d / hz / s * 1e6}' "$data/threads0" "$data/threads1")
  echo "$name: $achieved spans/s; $latency ms; $spans spans acknowledged, $failed requests failed; CPU-s per million spans: server $(per_million $((s1 - s0)) "$spans"), broker $(per_million $((b1 - b0)) "$spans"), together $(per_million $((s1 - s0 + b1 - b0)) "$spans")"
  echo "  server CPU-s per million spans by thread: ${by_thread%, }"
  echo "  bytes on the broker's disk per span: $(awk -v b=$((l1 - l0)) -v s="$spans" 'BEGIN {printf "%.1f", b / s}')"
  kafka_part=$(produce_percentiles "$data/produce0" "$data/produce1")
  [ -z "$p0" ] || [ -z "$p1" ] || echo "  the edge's produce requests per export: $(echo "$p0 $p1" | awk '{printf "%.2f", ($3 - $1) / ($4 - $2)}')"
  [ -z "$kafka_part" ] || echo "  the edge's first send -> last acknowledgement p50 p99 p999 (histogram bucket bounds): $kafka_part ms"
}

# Servers are measured warm: the edge's JIT compilation at start is not a cost per span.
# A cold server may refuse a request or two (503/UNAVAILABLE while it compiles); that is no reason
# to stop the benchmark, but it is said.
warm() {
  ./otelstream loadgen --duration "${BENCH_WARM:-60}" --warmup 0 --concurrency 16 --rate "$rate" > "$data/warm.txt" ||
    echo "warm-up: $(awk '/^in all/ {print $(NF-2)}' "$data/warm.txt") requests failed (the measured steps follow)"
}

echo "== machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(java -version 2>&1 | head -1); $(date -u +%Y-%m-%d)"
echo "== load: $secs s per step after a 5 s warm-up, 200 spans per request (20 traces x 10 spans), 16 requests in flight, OTLP/gRPC"

servers=${BENCH_SERVERS:-edge collector}
case " $servers " in *" edge "*)
printf 'kafka:\n  bootstrap.servers: localhost:9092\n' > "$data/edge.yaml"
[ -z "${EDGE_COMPRESSION:-}" ] || printf '  compression.type: %s\n' "$EDGE_COMPRESSION" >> "$data/edge.yaml"
if [ -n "${EDGE_KAFKA:-}" ]; then printf '%s\n' "$EDGE_KAFKA" | tr ';' '\n' | sed 's/^ */  /' >> "$data/edge.yaml"; fi
if [ -n "${EDGE_YAML:-}" ]; then printf '%s\n' "$EDGE_YAML" >> "$data/edge.yaml"; fi
OTELSTREAM_JAVA_OPTS="-Xmx${EDGE_HEAP:-512m} ${EDGE_JAVA_OPTS:-}" ./otelstream edge --config "$data/edge.yaml" > "$data/edge.log" 2>&1 &
server=$!
i=0; until curl -sf localhost:13133/health/ready >/dev/null; do i=$((i+1)); [ $i -lt 120 ] || { cat "$data/edge.log"; exit 1; }; sleep 1; done
warm
step "edge at $rate" --rate "$rate"
step "edge unlimited"
kill "$server"; wait "$server" 2>/dev/null || true; server=""
;; esac

# Bounds, not servers to run: what the edge's two libraries alone cost at the same rate.
# "null": the edge's HTTP/2 and gRPC stack answering at once, no edge work, no Kafka (the
# event loops' floor). "producer": the edge's Kafka work alone, its producer settings, a thread
# sending a request's records every request period (the producer's floor, and the broker's).
# PRODUCER_KAFKA sets producer settings over the edge's for it ("linger.ms=0;...").
cp="dev/target/otelstream-dev.jar:dev/target/lib/*"
case " $servers " in *" null "*)
java -Xmx512m -cp "$cp" io.otelstream.perf.NullTraceServer 4317 > "$data/null.log" 2>&1 &
server=$!
i=0; until grep -q listening "$data/null.log"; do i=$((i+1)); [ $i -lt 60 ] || { cat "$data/null.log"; exit 1; }; sleep 1; done
warm
step "null gRPC server at $rate" --rate "$rate"
kill "$server"; wait "$server" 2>/dev/null || true; server=""
;; esac
case " $servers " in *" producer "*)
java -Xmx512m -cp "$cp" io.otelstream.perf.PacedProducer localhost:9092 otlp-traces "$rate" "${BENCH_WARM:-60}" "$secs" "$kafka" "${PRODUCER_KAFKA:-}"
;; esac

case " $servers " in *" collector "*)
cat > "$data/collector.yaml" <<YAML
receivers:
  otlp:
    protocols:
      grpc: {endpoint: "127.0.0.1:4317"}
exporters:
  kafka:
    brokers: ["localhost:9092"]
    traces: {topic: otlp-traces, encoding: otlp_proto}
    partition_traces_by_id: true
    producer: {required_acks: -1, compression: ${COLLECTOR_COMPRESSION:-lz4}}
    sending_queue: {enabled: false}
service:
  telemetry: {metrics: {level: none}}
  pipelines:
    traces: {receivers: [otlp], exporters: [kafka]}
YAML
"$collector_bin" --config "$data/collector.yaml" > "$data/collector.log" 2>&1 &
server=$!
i=0
while :; do # curl exits 7 while nothing listens
  curl -s -o /dev/null --max-time 1 http://127.0.0.1:4317/ && break
  [ $? -eq 7 ] || break
  i=$((i+1)); [ $i -lt 60 ] || { cat "$data/collector.log"; exit 1; }; sleep 1
done
warm
step "collector at $rate" --rate "$rate"
step "collector unlimited"
;; esac
