#!/usr/bin/env bash
# The Spark tests (spark/test_spark.py) in local[2,2] through Tools/spark-submit.sh: the venv
# (cached in Tools/.venv-spark), Java 17, and the cvtool that `swift build` left (debug unless
# CVTOOL names another). Skipped, with a line saying so, only when CLASSICCV_SKIP_SPARK=1.
# As root (CI), the tests run without capabilities (setpriv): still uid 0, so the venv under
# root's 700 home stays readable, but without CAP_DAC_OVERRIDE the permission bits hold and
# the test folder's mode-000 file is really unreadable. Where capabilities cannot be dropped,
# a line says so and the tests skip that one check.
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
# The venv and Java first, with root's rights (installing Java needs them).
bash "$root/Tools/spark-venv.sh" >/dev/null
run=()
if [ "$(id -u)" = 0 ]; then
    drop=(setpriv --bounding-set=-all --inh-caps=-all --ambient-caps=-all --)
    if command -v setpriv >/dev/null && "${drop[@]}" true 2>/dev/null; then
        run=("${drop[@]}")
        echo "spark-test.sh: running as root without capabilities (setpriv), so permission bits hold"
    else
        echo "spark-test.sh: cannot drop root's capabilities (no setpriv, or refused): the unreadable-file check is skipped"
    fi
fi
start=$(date +%s)
status=0
SPARK_APP="$root/spark/test_spark.py" "${run[@]}" bash "$root/Tools/spark-submit.sh" 2> >(grep -vE '^(WARNING|Using Spark|Setting default log level|To adjust logging|[0-9]{2}/[0-9]{2}/[0-9]{2} .* (WARN|INFO))' >&2) || status=$?
echo "spark-test.sh: $(( $(date +%s) - start )) s"
exit "$status"
