#!/usr/bin/env bash
# The test command: installs what is missing, builds, runs the Swift tests (units and the
# CLI end to end through the real binary), then the interoperability tests against
# pyarrow, DuckDB, polars and openpyxl.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
swift build
swift test
BUILDER="$(swift build --show-bin-path)/builder" python3 -m pytest -q Tests/interop
