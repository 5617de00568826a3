#!/bin/sh
# Writes class-data sharing archives (AppCDS) for the edge and the streams app: each is trained by
# running the command against a throwaway Kafka under a short load of traces, metrics and logs, so
# the classes a real start and the first records load are archived. A JVM started with
# -XX:SharedArchiveFile=<archive> then maps them instead of loading, verifying and linking each one
# (perf/RESULTS.md measures what it saves). The image's Dockerfile runs this at build time.
#
# An archive is valid only for the same JVM build and the same jars at the same paths: run it where
# the image runs from. A JVM that cannot use an archive (another JDK, other jars) starts without it
# after one warning line.
#
# Usage: launcher/cds-archives.sh INSTALL_DIR DEV_DIR OUT_DIR
#   INSTALL_DIR  holds otelstream-launcher.jar and lib/ as the image runs them (/opt/otelstream)
#   DEV_DIR      holds otelstream-dev.jar and lib/ (dev/target): the training Kafka and load only;
#                none of it enters the archives
#   OUT_DIR      receives edge.jsa and streams.jsa
# Environment: the training's ports CDS_KAFKA_PORT (default 19092), CDS_GRPC_PORT (14317),
# CDS_HTTP_PORT (14318), CDS_EDGE_ADMIN_PORT (23133), CDS_STREAMS_ADMIN_PORT (23134); CDS_SECONDS
# (default 15) the load's length; CDS_EDGE_OPTS and CDS_STREAMS_OPTS the training runs' JVM options
# (default the chart's).
set -eu
[ $# -eq 3 ] || { echo "usage: $0 INSTALL_DIR DEV_DIR OUT_DIR" >&2; exit 2; }
install=$(cd "$1" && pwd); dev=$(cd "$2" && pwd); mkdir -p "$3"; out=$(cd "$3" && pwd)
[ -f "$install/otelstream-launcher.jar" ] || { echo "$0: no otelstream-launcher.jar in $install" >&2; exit 2; }
[ -f "$dev/otelstream-dev.jar" ] || { echo "$0: no otelstream-dev.jar in $dev" >&2; exit 2; }
kafka_port=${CDS_KAFKA_PORT:-19092}; grpc=${CDS_GRPC_PORT:-14317}; http=${CDS_HTTP_PORT:-14318}
edge_admin=${CDS_EDGE_ADMIN_PORT:-23133}; streams_admin=${CDS_STREAMS_ADMIN_PORT:-23134}
secs=${CDS_SECONDS:-15}
work=$(mktemp -d)
launcher_cp="$install/otelstream-launcher.jar:$install/lib/*"
dev_cp="$dev/otelstream-dev.jar:$dev/lib/*"
pids=""
cleanup() {
  for p in $pids; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT INT TERM
fail() { echo "$0: $1" >&2; for f in "$work"/*.log; do echo "--- $f" >&2; tail -n 30 "$f" >&2; done; exit 1; }
await() { # file text seconds: waits until a log says it is up
  i=0; until grep -q "$2" "$1" 2>/dev/null; do
    i=$((i + 1)); [ $i -lt $(($3 * 10)) ] || fail "no '$2' in $1 after $3 s"; sleep 0.1
  done
}
stop() { # pid: a normal exit, which is when the JVM writes its archive
  kill "$1"; wait "$1" || true
}

java -Xmx1g -cp "$dev_cp" io.otelstream.dev.OtelstreamDev dev --kafka-only --kafka-port "$kafka_port" \
  --data-dir "$work/kafka" > "$work/kafka.log" 2>&1 &
pids="$pids $!"
await "$work/kafka.log" "Kafka only" 120
printf 'replication_factor: 1\nmin_insync_replicas: 1\n' > "$work/topics.yaml"
java -cp "$launcher_cp" io.otelstream.cli.Otelstream topics apply --bootstrap-server "localhost:$kafka_port" \
  --config "$work/topics.yaml" > "$work/topics.log" 2>&1 || fail "topics apply failed"

cat > "$work/edge.yaml" <<YAML
kafka: {bootstrap.servers: "localhost:$kafka_port"}
topics: {replication_factor: 1, min_insync_replicas: 1}
grpc: {port: $grpc}
http: {port: $http}
admin: {port: $edge_admin}
YAML
cat > "$work/streams.yaml" <<YAML
application_id: otelstream-cds-training
state_dir: $work/state
kafka: {bootstrap.servers: "localhost:$kafka_port"}
topics: {replication_factor: 1, min_insync_replicas: 1}
admin: {port: $streams_admin}
tail_sampling:
  decision_wait: 1s
  policies:
    - {name: errors, type: status_code, status_code: {status_codes: [ERROR]}}
    - {name: baseline, type: probabilistic, probabilistic: {sampling_percentage: 10}}
metrics:
  aggregation: {interval: 2s}
YAML
# shellcheck disable=SC2086 # the options are words
java ${CDS_EDGE_OPTS:--XX:MaxRAMPercentage=75} -XX:ArchiveClassesAtExit="$out/edge.jsa" -cp "$launcher_cp" \
  io.otelstream.cli.Otelstream edge --config "$work/edge.yaml" > "$work/edge.log" 2>&1 &
edge=$!; pids="$pids $edge"
# shellcheck disable=SC2086
java ${CDS_STREAMS_OPTS:--XX:MaxRAMPercentage=60 -XX:+UseParallelGC} -XX:ArchiveClassesAtExit="$out/streams.jsa" \
  -cp "$launcher_cp" io.otelstream.cli.Otelstream streams --config "$work/streams.yaml" > "$work/streams.log" 2>&1 &
streams=$!; pids="$pids $streams"
await "$work/edge.log" "edge listening" 120
await "$work/streams.log" "streams app .* started" 120

# Every signal, over both transports, at once; traces long enough for decisions to be made and sent.
load() { # name args...
  name=$1; shift
  java -cp "$dev_cp" io.otelstream.dev.OtelstreamDev loadgen --duration "$secs" --warmup 0 --rate 2000 "$@" \
    > "$work/load-$name.log" 2>&1 || fail "the $name load failed"
}
load traces --port "$grpc" &
l1=$!
load metrics --signal metrics --protocol http --port "$http" &
l2=$!
load logs --signal logs --port "$grpc" &
l3=$!
wait $l1 && wait $l2 && wait $l3 || fail "a training load failed"
stop "$edge"; stop "$streams"
for a in edge streams; do [ -s "$out/$a.jsa" ] || fail "no $a archive written"; done
echo "wrote $out/edge.jsa ($(wc -c < "$out/edge.jsa") bytes) and $out/streams.jsa ($(wc -c < "$out/streams.jsa") bytes)"
