#!/usr/bin/env bash
# Runs one libFuzzer target of the Fuzzing/ package for a number of seconds and prints a
# summary: executions and executions per second, coverage (libFuzzer's `cov:` edges and `ft:`
# features), corpus size and findings. Findings (crash-, leak-, timeout-, oom- inputs) land in
# .build-fuzz/findings/TARGET/; a real one becomes a regression input under Fixtures/bad/.
#
# The seed corpus is made at run time, never committed twice: the target's files from
# Fixtures/ (including Fixtures/bad/) up to a size cap, the first rows of the CSV fixtures,
# and for the learning formats seeds the target writes itself with the library's own writers.
# The corpus libFuzzer grows stays in .build-fuzz/corpus/TARGET across runs.
#
# Usage: Tools/fuzz.sh TARGET SECONDS [libFuzzer flags]
#   TARGET: png jpeg pnm npy idx csv libsvm model
set -euo pipefail
cd "$(dirname "$0")/.."

targets="png jpeg pnm npy idx csv libsvm model"
target="${1:-}"
seconds="${2:-}"
if [ -z "$target" ] || [ -z "$seconds" ] || ! grep -qw -- "$target" <<<"$targets"; then
    echo "usage: $0 TARGET SECONDS [libFuzzer flags]   (TARGET: $targets)" >&2
    exit 2
fi
shift 2

scratch=.build-fuzz
case "$target" in
    png)    product=FuzzPNG;       globs=("*.png");                               cap=16384 ;;
    jpeg)   product=FuzzJPEG;      globs=("*.jpg" "*.jpeg");                      cap=32768 ;;
    pnm)    product=FuzzPNM;       globs=("*.pbm" "*.pgm" "*.ppm" "*.pnm" "*.pam"); cap=16384 ;;
    npy)    product=FuzzNPY;       globs=("*.npy");                               cap=8192 ;;
    idx)    product=FuzzIDX;       globs=("*idx*");                               cap=16384 ;;
    csv)    product=FuzzCSV;       globs=();                                      cap=0 ;;
    libsvm) product=FuzzLIBSVM;    globs=();                                      cap=0 ;;
    model)  product=FuzzModelJSON; globs=();                                      cap=0 ;;
esac

# 1. Build with coverage and AddressSanitizer over the whole graph, every target at once (a
#    --product build has other build parameters and recompiles everything). SwiftPM passes its
#    two --sanitize flags to swiftc as two -sanitize= options and the last one wins, so the
#    combined option follows them; clang (C targets) and the linker take both as they are.
mkdir -p "$scratch"
flags=(--package-path Fuzzing --scratch-path "$scratch" --sanitize=fuzzer --sanitize=address -Xswiftc -sanitize=fuzzer,address)
if ! swift build "${flags[@]}" >"$scratch/build.log" 2>&1; then
    grep -E "error:" "$scratch/build.log" >&2 || tail -20 "$scratch/build.log" >&2
    exit 1
fi
binary="$(swift build "${flags[@]}" --show-bin-path)/$product"
[ -x "$binary" ] || { echo "fuzz: $binary was not built" >&2; exit 1; }

# 2. Seeds, fresh every run.
seeds="$scratch/seeds/$target"
corpus="$scratch/corpus/$target"
findings="$scratch/findings/$target"
rm -rf "$seeds"
mkdir -p "$seeds" "$corpus" "$findings"
for g in "${globs[@]}"; do
    find Fixtures -type f -name "$g" -size -"$((cap + 1))"c -print0 |
        while IFS= read -r -d '' f; do cp "$f" "$seeds/$(tr / _ <<<"$f")"; done
done
if [ "$target" = csv ]; then
    find Fixtures -type f -name "*.csv" -print0 |
        while IFS= read -r -d '' f; do head -n 8 "$f" | cut -c1-2048 >"$seeds/$(tr / _ <<<"$f")"; done
fi
case "$target" in csv | libsvm | model) FUZZ_WRITE_SEEDS="$seeds" "$binary" ;; esac
echo "fuzz $target: $(find "$seeds" -type f | wc -l) seeds, $(find "$corpus" -type f | wc -l) corpus inputs from earlier runs"

# 3. Run; libFuzzer stops at the first finding.
log="$scratch/logs/$target-$(date -u +%Y%m%dT%H%M%SZ).log"
mkdir -p "$(dirname "$log")"
before="$(find "$findings" -type f | wc -l)"
status=0
start=$SECONDS
ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0:allocator_may_return_null=1}" \
    "$binary" "$corpus" "$seeds" -max_total_time="$seconds" -timeout=25 -rss_limit_mb=2048 \
    -artifact_prefix="$findings/" -print_final_stats=1 "$@" >"$log" 2>&1 || status=$?
elapsed=$((SECONDS - start))

# 4. Summary.
last="$(grep -E '^#[0-9]+' "$log" | tail -1 || true)"
cov="$(grep -oE 'cov: [0-9]+ ft: [0-9]+' <<<"$last" || echo 'cov: ? ft: ?')"
corp="$(grep -oE 'corp: [0-9]+/[0-9]+[a-zA-Z]*' <<<"$last" || echo 'corp: ?')"
execs="$(grep -oE 'stat::number_of_executed_units: +[0-9]+' "$log" | grep -oE '[0-9]+$' || echo '?')"
rate="$(grep -oE 'stat::average_exec_per_sec: +[0-9]+' "$log" | grep -oE '[0-9]+$' || echo '?')"
new="$(( $(find "$findings" -type f | wc -l) - before ))"
echo "fuzz $target: ${elapsed} s of ${seconds}, $execs execs ($rate/s), $cov, $corp, findings: $new (exit $status)"
if [ "$new" != 0 ] || [ "$status" != 0 ]; then
    grep -E "ERROR|SUMMARY|Test unit written|#0 |#1 |#2 |#3 |#4 |#5 " "$log" | head -30
    echo "log: $log"
    exit 1
fi
