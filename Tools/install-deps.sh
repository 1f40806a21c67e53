#!/usr/bin/env bash
# Installs the system libraries ClassicCV links against, from Debian's packages.
# Idempotent: quiet and quick when everything is already present.
set -euo pipefail

packages=(pkg-config zlib1g-dev libpng-dev libjpeg-dev libfftw3-dev libopenblas-dev liblapacke-dev)
optional=(dataset-fashion-mnist)

missing=()
for p in "${packages[@]}" "${optional[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$p")
    fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "install-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null
# The dataset is only needed by the end-to-end pipeline; its absence must not block a build.
$SUDO apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
$SUDO apt-get install -y -qq --no-install-recommends "${optional[@]}" >/dev/null 2>&1 \
    || echo "install-deps: optional ${optional[*]} not available; continuing" >&2
