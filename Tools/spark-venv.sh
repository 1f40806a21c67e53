#!/usr/bin/env bash
# Creates Tools/.venv-spark (gitignored) with PySpark and pyarrow from Tools/spark-requirements.txt,
# and makes sure Java 17 is there (Debian's openjdk-17-jre-headless when `java` is missing).
# Idempotent: re-installs only when spark-requirements.txt changed since the last run.
# Prints the venv's python path on stdout.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="$here/.venv-spark"
req="$here/spark-requirements.txt"
stamp="$venv/.requirements.sha256"
python="${PYTHON:-python3}"

if ! command -v java >/dev/null 2>&1; then
    echo "spark-venv.sh: installing openjdk-17-jre-headless" >&2
    if [ "$(id -u)" = 0 ]; then sudo=""; else sudo="sudo"; fi
    $sudo apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq openjdk-17-jre-headless >&2
fi

if [ ! -x "$venv/bin/python" ]; then
    echo "spark-venv.sh: creating $venv" >&2
    "$python" -m venv "$venv" >&2
fi

want="$(sha256sum "$req" | cut -d' ' -f1)"
have="$(cat "$stamp" 2>/dev/null || true)"
if [ "$want" != "$have" ]; then
    echo "spark-venv.sh: installing $(basename "$req")" >&2
    "$venv/bin/python" -m pip install -q --disable-pip-version-check -r "$req" >&2
    echo "$want" > "$stamp"
fi

echo "$venv/bin/python"
