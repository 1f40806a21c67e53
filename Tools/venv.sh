#!/usr/bin/env bash
# Creates Tools/.venv (gitignored) with the Python anchors from Tools/requirements.txt.
# Idempotent and quiet: re-installs only when requirements.txt changed since the last run.
# Prints the venv's python path on stdout.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# VENV_DIR and VENV_REQUIREMENTS name another venv and its list (Tools/spark-venv.sh's).
venv="${VENV_DIR:-$here/.venv}"
req="${VENV_REQUIREMENTS:-$here/requirements.txt}"
stamp="$venv/.requirements.sha256"
python="${PYTHON:-python3}"

if [ ! -x "$venv/bin/python" ]; then
    echo "venv.sh: creating $venv" >&2
    "$python" -m venv "$venv" >&2
fi

want="$(sha256sum "$req" | cut -d' ' -f1)"
have="$(cat "$stamp" 2>/dev/null || true)"
if [ "$want" != "$have" ]; then
    echo "venv.sh: installing $(basename "$req")" >&2
    "$venv/bin/python" -m pip install -q --disable-pip-version-check --upgrade pip >&2
    "$venv/bin/python" -m pip install -q --disable-pip-version-check -r "$req" >&2
    echo "$want" > "$stamp"
fi

echo "$venv/bin/python"
