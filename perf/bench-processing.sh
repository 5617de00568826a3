#!/bin/sh
# CPU cost of the Collector processors in the streams app, per signal, in one JVM (no broker): a
# typical processor list (attributes delete + hash + upsert, resource upsert, a filter, a
# card-number redaction) over 100-item requests, decoded, processed and encoded as the app does,
# against decode + encode alone. Reported as CPU-seconds of the benchmark thread per million spans,
# data points and log records. Usage: perf/bench-processing.sh [requests per signal (20000)]
set -eu
cd "$(dirname "$0")/.."
./otelstream --version >/dev/null 2>&1   # builds on first use
exec java -Xmx512m -cp "dev/target/otelstream-dev.jar:dev/target/lib/*" \
  io.otelstream.perf.ProcessingBenchmark "${1:-20000}"
