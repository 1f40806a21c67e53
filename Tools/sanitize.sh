#!/usr/bin/env bash
# Builds and runs the tests under one sanitizer, each in its own scratch path so the ordinary
# .build stays untouched:
#   address    the whole suite under AddressSanitizer (.build-asan)
#   thread     the tests that drive the parallel pool (Parallel, HOG, FFT, SVMs, resize) under
#              ThreadSanitizer (.build-tsan); CI runs this one (.ci/run)
#   undefined  the whole suite with UndefinedBehaviorSanitizer on the C targets (.build-ubsan);
#              any "runtime error:" report fails the run even when the tests pass
# Usage: Tools/sanitize.sh address|thread|undefined [extra `swift test` arguments]
set -euo pipefail
cd "$(dirname "$0")/.."

# The tests whose code runs on the pool: ThreadSanitizer's slowdown (5-15x) makes the whole
# suite too long for CI, and the serial tests cannot race.
THREAD_FILTER='CVCoreTests.ParallelTests|CVFeaturesTests.HOGEngineTests|CVTransformTests.FFT(Plan|RealTwoD|Convolution)Tests|CVLearnTests.SVMTests|CVTransformTests.ResizeKernelTests'

kind="${1:-}"
shift || true
case "$kind" in
    address)   scratch=.build-asan;  build=(--sanitize=address); filter=() ;;
    thread)    scratch=.build-tsan;  build=(--sanitize=thread);  filter=(--filter "$THREAD_FILTER") ;;
    undefined) scratch=.build-ubsan; build=(-Xcc -fsanitize=undefined -Xswiftc -Xclang-linker -Xswiftc -fsanitize=undefined); filter=() ;;
    *) echo "usage: $0 address|thread|undefined [swift test arguments]" >&2; exit 2 ;;
esac

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
start=$SECONDS
swift build --build-tests "${build[@]}" --scratch-path "$scratch"
echo "sanitize $kind: build $((SECONDS - start)) s"

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0:abort_on_error=0}"
export TSAN_OPTIONS="${TSAN_OPTIONS:-halt_on_error=0:second_deadlock_stack=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:report_error_type=1}"
test_start=$SECONDS
status=0
swift test --skip-build "${build[@]}" --scratch-path "$scratch" "${filter[@]}" "$@" 2>&1 | tee "$log" || status=$?
echo "sanitize $kind: tests $((SECONDS - test_start)) s"

reports="$(grep -cE 'runtime error:|WARNING: ThreadSanitizer|ERROR: AddressSanitizer' "$log" || true)"
grep -E 'Executed [0-9]+ tests?, with [0-9]+ failures?' "$log" | tail -1 || true
echo "sanitize $kind: $reports sanitizer report(s)"
[ "$reports" = 0 ] || status=1
exit "$status"
