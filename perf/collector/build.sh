#!/bin/sh
# Builds the Collector of manifest.yaml into $OTELSTREAM_TEST_RECEIVERS/otelcol-otelstream (default
# ~/.cache/otelstream/receivers), once. The builder writes the sources and go.mod; the module is
# then tidied with -e (with some component sets the builder's own tidy trips over a test-only
# dependency that the Go module proxy does not serve) and built.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
receivers=${OTELSTREAM_TEST_RECEIVERS:-$HOME/.cache/otelstream/receivers}
[ -x "$receivers/otelcol-otelstream" ] && exit 0
mkdir -p "$receivers"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
GOBIN="$work/bin" go install go.opentelemetry.io/collector/cmd/builder@v0.160.0
cp "$here/manifest.yaml" "$work/"
cd "$work"
"$work/bin/builder" --config manifest.yaml --skip-compilation
cd otelcol-otelstream
go mod tidy -e
go build -trimpath -o "$receivers/otelcol-otelstream" .
echo "built $receivers/otelcol-otelstream"
