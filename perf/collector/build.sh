#!/bin/sh
# Builds a Collector with the Collector builder into $OTELSTREAM_TEST_RECEIVERS (default
# ~/.cache/otelstream/receivers), once per manifest version:
#   perf/collector/build.sh              manifest.yaml: processing components at v0.160.0 -> otelcol-otelstream
#   perf/collector/build.sh connectors   manifest-connectors.yaml: spanmetrics, servicegraph,
#                                        tail_sampling, Kafka at v0.159.0 -> otelcol-connectors
# The builder writes the sources and go.mod; the module is then tidied with -e (with some component
# sets the builder's own tidy trips over a test-only dependency that the Go module proxy does not
# serve) and built.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
receivers=${OTELSTREAM_TEST_RECEIVERS:-$HOME/.cache/otelstream/receivers}
case "${1:-}" in
  "") manifest=manifest.yaml; name=otelcol-otelstream ;;
  connectors) manifest=manifest-connectors.yaml; name=otelcol-connectors ;;
  *) echo "usage: $0 [connectors]" >&2; exit 2 ;;
esac
version=$(awk '/gomod:/ {print $4; exit}' "$here/$manifest")
# Built already from this very manifest (by content: a clone's files are always newer than a
# cached binary, and a cached binary from an older manifest lacks components).
stamp="$receivers/$name.manifest.sha256"
sum=$(sha256sum "$here/$manifest" | cut -d' ' -f1)
[ -x "$receivers/$name" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$sum" ] && exit 0
mkdir -p "$receivers"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
GOBIN="$work/bin" go install "go.opentelemetry.io/collector/cmd/builder@$version"
cp "$here/$manifest" "$work/"
cd "$work"
"$work/bin/builder" --config "$manifest" --skip-compilation
cd "$name"
go mod tidy -e
go build -trimpath -o "$receivers/$name" .
echo "$sum" > "$stamp"
echo "built $receivers/$name"
