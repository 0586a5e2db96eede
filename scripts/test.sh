#!/usr/bin/env bash
# The whole test suite, from a fresh clone: installs what it needs, builds, runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export HOMER_PYTHON="$PWD/.venv/bin/python"
swift build --product homer
export HOMER_BIN="$PWD/.build/debug/homer"
swift test --no-parallel "$@"
