#!/usr/bin/env bash
# Makes the Spark venv (PySpark, pyarrow: Tools/spark-requirements.txt) and makes sure Java 17
# is there (Debian's openjdk-17-jre-headless when no Java 17 is installed).
# The venv lives outside the checkout, in $CLASSICCV_SPARK_VENV (default
# ~/.cache/classiccv/venv-spark), so every clone on the machine (CI clones afresh each run)
# shares one; Tools/.venv-spark (gitignored) links to it. Idempotent: re-installs only when
# spark-requirements.txt changed. Prints the venv's python path on stdout.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="${CLASSICCV_SPARK_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/classiccv/venv-spark}"
req="$here/spark-requirements.txt"
mkdir -p "$(dirname "$venv")"
if [ -d "$here/.venv-spark" ] && [ ! -L "$here/.venv-spark" ]; then
    rm -rf "$here/.venv-spark"   # an earlier in-tree venv
fi
ln -sfn "$venv" "$here/.venv-spark"

if ! ls /usr/lib/jvm/java-17-openjdk-*/bin/java >/dev/null 2>&1; then
    echo "spark-venv.sh: installing openjdk-17-jre-headless" >&2
    if [ "$(id -u)" = 0 ]; then sudo=""; else sudo="sudo"; fi
    $sudo apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq openjdk-17-jre-headless >&2
fi

VENV_DIR="$venv" VENV_REQUIREMENTS="$req" bash "$here/venv.sh"
