#!/usr/bin/env bash
# Web enrichment benchmark: `builder run-profile` with enrich.website and enrich.contacts on
# 2,000 establishments whose sites a local fixture proxy serves over TLS, every answer 100 ms
# late (scripts/bench_web.py describes the fixture). Not a test: it prints establishments per
# second and peak memory, with builder's defaults (16 requests in flight, 1 s between requests
# to one host), then the same run offline, from the cache.
#
#   scripts/bench-web.sh [--establishments N] [--concurrency N] [--layout contact-page|legal-page]
#
# Needs python3 with the cryptography package (the fixture's certificates): installed when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! python3 -c 'import cryptography' 2>/dev/null; then
    echo "bench-web: pip install cryptography" >&2
    python3 -m pip install -q cryptography 2>/dev/null || python3 -m pip install -q --break-system-packages cryptography
fi
swift build -c release --product builder >&2
builder="$(swift build -c release --show-bin-path)/builder"
python3 scripts/bench_web.py --builder "$builder" "$@"
