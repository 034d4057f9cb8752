#!/usr/bin/env bash
# The first command of the README: installs what builder needs, builds it (release), makes a
# synthetic SIRENE stock and its legal units with `builder sample-data --units`, runs `builder
# batch --profile standard --units --offline` over a few niches (a division among them: the company
# behind each establishment, labels, coordinates; no web request) and says where the outputs are.
#
#   scripts/demo.sh [ROWS]        (default 500000 rows; the real stock has 43.9 million)
set -euo pipefail
cd "$(dirname "$0")/.."

rows="${1:-500000}"
codes=(6920Z 4329A 43 6201Z)

scripts/install-deps.sh
swift build -c release
builder="$(swift build -c release --show-bin-path)/builder"

mkdir -p data out
# Parquet like INSEE's own files (StockEtablissement: 54 columns, ZSTD, 122 880-row groups; and
# StockUniteLegale, one unit per SIREN of the stock); made once.
stock="data/sirene-sample-${rows}.parquet"
units="data/units-sample-${rows}.parquet"
[ -f "$stock" ] && [ -f "$units" ] || "$builder" sample-data --rows "$rows" --out "$stock" --units "$units"
echo "demo: sample stock $stock, legal units $units" >&2

naf_options=()
for code in "${codes[@]}"; do naf_options+=(--naf "$code"); done
# --offline: the web steps of `standard` make no request (the sample's companies are synthetic).
"$builder" batch "${naf_options[@]}" --input "$stock" --units "$units" --profile standard --offline \
    --output-dir out/demo --jobs-dir out/demo/jobs

echo
echo "Outputs:"
echo "  job files:        out/demo/jobs/naf_<code>.yaml"
for code in "${codes[@]}"; do
    dir="out/demo/naf_${code}"
    rows_written="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["rows"])' "$dir/manifest.json" 2>/dev/null || echo "?")"
    echo "  naf_${code}: $dir/dataset.csv, dataset.parquet, report.html, manifest.json, sha256.txt, logs/ ($rows_written rows)"
done
echo "  batch log:        out/demo/batch.jsonl"
echo "  batch report:     out/demo/report.html (open it in a browser; it links to each niche's report.html)"
