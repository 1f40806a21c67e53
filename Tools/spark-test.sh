#!/usr/bin/env bash
# The Spark tests (spark/test_spark.py) in local[2,2] through Tools/spark-submit.sh: the venv
# (cached in Tools/.venv-spark), Java 17, and the cvtool that `swift build` left (debug unless
# CVTOOL names another). Skipped, with a line saying so, only when CLASSICCV_SKIP_SPARK=1.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [ "${CLASSICCV_SKIP_SPARK:-0}" = 1 ]; then
    echo "spark-test.sh: skipped (CLASSICCV_SKIP_SPARK=1)"
    exit 0
fi
export CVTOOL="${CVTOOL:-$root/.build/debug/cvtool}"
if [ ! -x "$CVTOOL" ]; then
    (cd "$root" && swift build --product cvtool)
fi
start=$(date +%s)
status=0
SPARK_APP="$root/spark/test_spark.py" bash "$root/Tools/spark-submit.sh" 2> >(grep -vE '^(WARNING|Using Spark|Setting default log level|To adjust logging|[0-9]{2}/[0-9]{2}/[0-9]{2} .* (WARN|INFO))' >&2) || status=$?
echo "spark-test.sh: $(( $(date +%s) - start )) s"
exit "$status"
