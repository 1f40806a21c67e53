#!/usr/bin/env bash
# Creates Tools/.venv-spark (gitignored) with PySpark and pyarrow from Tools/spark-requirements.txt,
# and makes sure Java 17 is there (Debian's openjdk-17-jre-headless when `java` is missing).
# Idempotent: re-installs only when spark-requirements.txt changed since the last run.
# Prints the venv's python path on stdout.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="$here/.venv-spark"
req="$here/spark-requirements.txt"

if ! ls /usr/lib/jvm/java-17-openjdk-*/bin/java >/dev/null 2>&1; then
    echo "spark-venv.sh: installing openjdk-17-jre-headless" >&2
    if [ "$(id -u)" = 0 ]; then sudo=""; else sudo="sudo"; fi
    $sudo apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq openjdk-17-jre-headless >&2
fi

VENV_DIR="$venv" VENV_REQUIREMENTS="$req" bash "$here/venv.sh"
