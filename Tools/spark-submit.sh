#!/usr/bin/env bash
# Runs a PySpark application (default: spark/classiccv_spark.py) with spark-submit from the
# Spark venv (Tools/spark-venv.sh makes it, with Java 17), on `local[2,2]` unless SPARK_MASTER
# says otherwise (local[2,2]: two cores, and a failed task is tried twice).
# cvtool: $CVTOOL, else .build/release/cvtool, else .build/debug/cvtool, else built (release).
#   Tools/spark-submit.sh hog Fixtures/images -o /tmp/hog.parquet --resize 64x64
#   Tools/spark-submit.sh train /tmp/hog.parquet --classifier logistic -o model.json
#   SPARK_APP=spark/test_spark.py Tools/spark-submit.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
python="$(bash "$root/Tools/spark-venv.sh")"
venv="$(dirname "$(dirname "$python")")"

if [ -z "${CVTOOL:-}" ]; then
    for c in "$root/.build/release/cvtool" "$root/.build/debug/cvtool"; do
        if [ -x "$c" ]; then CVTOOL="$c"; break; fi
    done
fi
if [ -z "${CVTOOL:-}" ]; then
    echo "spark-submit.sh: building cvtool (release)" >&2
    (cd "$root" && swift build -c release --product cvtool >&2)
    CVTOOL="$root/.build/release/cvtool"
fi
export CVTOOL

# Java 17 (Spark 4 needs 17 or 21): prefer it over a newer default java.
if [ -z "${JAVA_HOME:-}" ]; then
    for j in /usr/lib/jvm/java-17-openjdk-*; do
        if [ -x "$j/bin/java" ]; then export JAVA_HOME="$j"; break; fi
    done
fi
export PYSPARK_PYTHON="$python" PYSPARK_DRIVER_PYTHON="$python"
export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
app="${SPARK_APP:-$root/spark/classiccv_spark.py}"
exec "$venv/bin/spark-submit" --master "${SPARK_MASTER:-local[2,2]}" \
    --conf spark.ui.enabled=false --conf spark.log.level="${SPARK_LOG_LEVEL:-WARN}" --driver-memory "${SPARK_DRIVER_MEMORY:-2g}" \
    "$app" "$@"
