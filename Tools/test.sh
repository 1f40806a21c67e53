#!/usr/bin/env bash
# Runs the whole test suite on a fresh machine: system libraries first, then `swift test`.
# Needs only Swift and Debian's packages; reference outputs are committed under Fixtures/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash Tools/install-deps.sh
swift build --build-tests
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
status=0
swift test --skip-build "$@" 2>&1 | tee "$log" || status=$?
# XCTest's summary is followed by Swift Testing's (this package has no Swift Testing tests);
# end with one plain line for the XCTest totals.
summary="$(grep -E 'Executed [0-9]+ tests?, with [0-9]+ failures?' "$log" | tail -1 || true)"
if [ -n "$summary" ]; then
    total="$(sed -E 's/.*Executed ([0-9]+) tests?.*/\1/' <<<"$summary")"
    failed="$(sed -E 's/.*with ([0-9]+) failures?.*/\1/' <<<"$summary")"
    echo "$((total - failed)) passed, $failed failed"
fi
# The Spark tests (PySpark in local[2,2] driving the cvtool just built; CLASSICCV_SKIP_SPARK=1
# skips them), after the Swift tests; they end with their own `N passed, M failed` line.
bash Tools/spark-test.sh || status=$?
exit "$status"
