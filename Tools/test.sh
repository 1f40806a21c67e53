#!/usr/bin/env bash
# Runs the whole test suite on a fresh machine: system libraries first, then `swift test`.
# Needs only Swift and Debian's packages; reference outputs are committed under Fixtures/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash Tools/install-deps.sh
swift build --build-tests
swift test --skip-build "$@"
