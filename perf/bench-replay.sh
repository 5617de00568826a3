#!/bin/sh
# Replay benchmark: `otelstream replay sample` over a pre-filled otlp-traces (one ~2.15 KB record
# of 10 spans per trace, 1% errors), policies errors + 10% probabilistic:
#  (1) --into a new topic, (2) --preview of errors + 5% probabilistic next to the current policies
#      (two samplers over one read).
# Reported: spans/s over the replay's run (its JSON "seconds": Streams start to the last partition
# decided) and CPU-seconds per million spans of the whole command (JVM start included).
# Usage: perf/bench-replay.sh [traces (default 300000)]
set -eu
cd "$(dirname "$0")/.."
traces=${1:-300000}
spans=$((traces * 10))
./otelstream --version >/dev/null   # builds on first use
data=$(mktemp -d)
cp="dev/target/otelstream-dev.jar:dev/target/lib/*"
OTELSTREAM_JAVA_OPTS="-Xmx1g" ./otelstream dev --kafka-only --data-dir "$data" > "$data/kafka.log" 2>&1 &
kafka=$!
cleanup() {
  kill "$kafka" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$data"
}
trap cleanup EXIT INT TERM
i=0; until grep -q "Kafka only" "$data/kafka.log"; do i=$((i+1)); [ $i -lt 120 ] || { cat "$data/kafka.log"; exit 1; }; sleep 1; done
echo "== machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(java -version 2>&1 | head -1); $(date -u +%Y-%m-%d)"

printf 'prefix: "rp."\nreplication_factor: 1\nmin_insync_replicas: 1\n' > "$data/topics.yaml"
./otelstream topics apply --bootstrap-server localhost:9092 --config "$data/topics.yaml" > /dev/null
java -cp "$cp" io.otelstream.perf.TraceFill localhost:9092 rp.otlp-traces "$traces" 10 1
cat > "$data/streams.yaml" <<YAML
kafka: {bootstrap.servers: "localhost:9092"}
topics: {prefix: "rp.", replication_factor: 1, min_insync_replicas: 1}
tail_sampling:
  decision_wait: 2s
  policies:
    - {name: errors, type: status_code, status_code: {status_codes: [ERROR]}}
    - {name: baseline, type: probabilistic, probabilistic: {sampling_percentage: 10}}
YAML
cat > "$data/new.yaml" <<YAML
tail_sampling:
  decision_wait: 2s
  policies:
    - {name: errors, type: status_code, status_code: {status_codes: [ERROR]}}
    - {name: baseline, type: probabilistic, probabilistic: {sampling_percentage: 5}}
YAML

replay() { # name, extra arguments
  name=$1; shift
  /usr/bin/time -f "%U %S %e" -o "$data/$name.time" \
    ./otelstream replay sample --config "$data/streams.yaml" --from 2000-01-01T00:00:00Z \
      --output json --work-dir "$data/$name-work" "$@" > "$data/$name.json" 2> "$data/$name.log" \
    || { tail -20 "$data/$name.log"; exit 1; }
  secs=$(sed 's/.*"seconds":\([0-9.]*\).*/\1/' "$data/$name.json")
  kept=$(sed 's/.*"replayed":{"seen":{[^}]*},"kept":{"traces":[0-9]*,"spans":\([0-9]*\).*/\1/' "$data/$name.json")
  awk -v n="$name" -v s="$spans" -v t="$secs" -v k="$kept" '{printf "%s: %.0f spans/s over the run (%.1f s); kept %d spans; whole command %.1f s wall, %.1f CPU-s per million spans\n", n, s/t, t, k, $3, ($1+$2)/s*1e6}' "$data/$name.time"
}
replay into --into rp.replayed --create-topic
replay preview --preview --policies "$data/new.yaml"
