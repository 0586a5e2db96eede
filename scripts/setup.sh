#!/usr/bin/env bash
# Installs what building and testing homer needs on a fresh Debian 12 machine (run as root, or with sudo):
#   - C libraries for the Parquet codecs and the SQLite catalog,
#   - real HEP peers and tools the interop tests drive (sngrep, kamailio, sipp, tshark, tcpdump),
#   - a Python venv at .venv with the test oracles: DuckDB 1.5.5 + ducklake/sqlite/httpfs extensions, pyarrow, moto.
# Idempotent: a second run only checks. `scripts/setup.sh --runtime` installs just what `homer serve` needs.
set -euo pipefail
cd "$(dirname "$0")/.."

runtime_pkgs=(libsqlite3-dev libzstd-dev zlib1g-dev pkg-config)
test_pkgs=(sngrep kamailio sip-tester tshark tcpdump openssl curl)
pkgs=("${runtime_pkgs[@]}")
[ "${1:-}" = "--runtime" ] || pkgs+=("${test_pkgs[@]}")

missing=()
for p in "${pkgs[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
[ "${1:-}" = "--runtime" ] && exit 0

if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c 'import duckdb, pyarrow, moto, openapi_spec_validator' 2>/dev/null; then
  python3 -m venv .venv
  .venv/bin/pip install -q --disable-pip-version-check \
    'duckdb==1.5.5' 'duckdb-extension-ducklake==1.5.5' 'duckdb-extension-sqlite-scanner==1.5.5' \
    'duckdb-extension-httpfs==1.5.5' pyarrow pytz 'moto[server]' boto3 openapi-spec-validator
fi
