#!/usr/bin/env bash
# Builds the API reference and the articles of Sources/ClassicCV/ClassicCV.docc with DocC
# (swift-docc-plugin) into .build/docs/ClassicCV.doccarchive, with warnings as errors.
#
#   Tools/docs.sh                  build the combined archive; any DocC warning fails the build
#   Tools/docs.sh --warnings FILE  document each module on its own, without stopping, and write
#                                  every warning as "file:line: message" to FILE (sorted); exit
#                                  non-zero if there is one
#
# Every library module is documented from its own symbol graph (an umbrella's @_exported
# imports do not carry symbols into its graph) and the archives are merged into one; the
# ClassicCV catalog holds the overview, the module articles and the pipeline articles.
set -euo pipefail
cd "$(dirname "$0")/.."

out=.build/docs
targets=(CVCore CVFormats CVIO CVFilters CVTransform CVFeatures CVLearn ClassicCV)
mkdir -p "$out"

# DocC prints "warning: MESSAGE" (or "error:" with --warnings-as-errors) and, on the next
# line, " --> path:line:column-line:column". Prints "path:line: MESSAGE", one per line.
diagnostics() {
    awk '
        /^(warning|error): / { message = $0; sub(/^(warning|error): /, "", message); next }
        /^ *--> / && message != "" {
            if (match($2, /^[^:]+:[0-9]+/)) print substr($2, 1, RLENGTH) ": " message
            message = ""; next
        }
        { message = "" }
    ' "$1"
}

if [ "${1:-}" = "--warnings" ]; then
    file="${2:?usage: Tools/docs.sh [--warnings FILE]}"
    log="$(mktemp)"; all="$(mktemp)"
    trap 'rm -f "$log" "$all"' EXIT
    # One module at a time: the plugin's parallel conversions interleave their output lines.
    for target in "${targets[@]}"; do
        swift package --allow-writing-to-directory "$out" generate-documentation \
            --target "$target" --output-path "$out/$target.doccarchive" >"$log" 2>&1 || true
        diagnostics "$log" >>"$all"
    done
    sort -u "$all" >"$file"
    count="$(wc -l <"$file")"
    echo "docs: $count DocC warning(s) written to $file"
    [ "$count" -eq 0 ]
    exit
fi

swift package --allow-writing-to-directory "$out" \
    generate-documentation --enable-experimental-combined-documentation \
    "${targets[@]/#/--target=}" \
    --output-path "$out/ClassicCV.doccarchive" \
    --warnings-as-errors
echo "docs: $out/ClassicCV.doccarchive"
