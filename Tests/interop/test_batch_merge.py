"""`builder batch --merge` read by its peers: all/dataset.parquet in pyarrow and DuckDB holds every niche's
dataset.parquet with a `niche` column (an establishment once per niche keeping it), all/dataset.csv parses with
Python's csv module to the same rows, and the overlap the summary reports is DuckDB's count of shared SIRETs."""
import csv
import json
import subprocess

import duckdb
import pyarrow.parquet as pq


def test_merged_datasets_are_the_niches_datasets_with_their_niche(builder, tmp_path):
    subprocess.run([builder, "sample-data", "--rows", "5000", "--out", "stock.parquet", "--seed", "21"],
                   cwd=tmp_path, check=True, capture_output=True)
    run = subprocess.run([builder, "batch", "--naf", "43", "--naf", "43.29A", "--naf", "47", "--input", "stock.parquet",
                          "--output-dir", "out", "--merge", "--json", "--parallel", "2"],
                         cwd=tmp_path, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    summary = json.loads(run.stdout)
    niches = [result["niche"] for result in summary["results"]]
    merged = pq.read_table(tmp_path / "out/all/dataset.parquet")
    assert merged.column_names[0] == "niche"
    expected = []
    for niche in niches:
        table = pq.read_table(tmp_path / "out" / niche / "dataset.parquet")
        assert table.column_names == merged.column_names[1:]
        expected += [(niche, *row.values()) for row in table.to_pylist()]
    assert [tuple(row.values()) for row in merged.to_pylist()] == expected
    assert summary["merged"]["rows"] == len(expected)

    with open(tmp_path / "out/all/dataset.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == merged.column_names
    assert [row[0] for row in rows[1:]] == [row[0] for row in expected]
    assert [row[2] for row in rows[1:]] == [row[2] or "" for row in expected]  # siret

    shared = duckdb.sql(f"""
        select count(distinct a.siret) from '{tmp_path}/out/naf_43/dataset.parquet' a
        join '{tmp_path}/out/naf_4329A/dataset.parquet' b using (siret)""").fetchall()[0][0]
    pairs = {(o["first"], o["second"]): o["shared"] for o in summary["overlaps"]}
    assert shared > 0
    assert pairs[("naf_43", "naf_4329A")] == shared
    assert ("naf_43", "naf_47") not in pairs
