#!/usr/bin/env bash
# Builds the API reference and the articles of Sources/ClassicCV/ClassicCV.docc with DocC
# (swift-docc-plugin), warnings as errors, into .build/docs/ClassicCV.doccarchive.
#
#   Tools/docs.sh                 build; exit non-zero on any DocC warning
#   Tools/docs.sh --warnings FILE also write every warning as "file:line: message" to FILE
#
# The umbrella target re-exports every library module, so its symbol graph holds the whole
# public API and the catalog's landing page and articles sit on top of it.
set -euo pipefail
cd "$(dirname "$0")/.."

warnings_file=""
if [ "${1:-}" = "--warnings" ]; then
    warnings_file="${2:?usage: Tools/docs.sh [--warnings FILE]}"
fi

out=.build/docs
mkdir -p "$out"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT

status=0
swift package --allow-writing-to-directory "$out" \
    generate-documentation --target ClassicCV \
    --output-path "$out/ClassicCV.doccarchive" \
    --warnings-as-errors 2>&1 | tee "$log" || status=$?

# DocC prints "path:line:column: warning: message" (an error with --warnings-as-errors).
root="$(pwd)/"
diagnostics="$(grep -E '^/[^:]+:[0-9]+:[0-9]+: (warning|error): ' "$log" \
    | sed -E "s#^${root}##; s#^([^:]+):([0-9]+):[0-9]+: (warning|error): #\1:\2: #" \
    | sort -u || true)"
if [ -n "$warnings_file" ]; then
    printf '%s\n' "$diagnostics" | sed '/^$/d' > "$warnings_file"
fi
if [ -n "$diagnostics" ]; then
    count="$(printf '%s\n' "$diagnostics" | sed '/^$/d' | wc -l)"
    echo "docs: $count DocC warning(s); the build treats them as errors" >&2
    [ "$status" -ne 0 ] || status=1
fi
[ "$status" -eq 0 ] && echo "docs: $out/ClassicCV.doccarchive"
exit "$status"
