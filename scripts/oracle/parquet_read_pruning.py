#!/usr/bin/env python3
"""Writes HEP-shaped files for the pruning tests and computes, with DuckDB, what each query must return.

usage: parquet_read_pruning.py OUT_DIR [SWIFT_FILE ...]
  Writes OUT_DIR/pa_pruning.parquet (pyarrow: 8 row groups of 2048 rows sorted by ts, page index, pages of at most
  256 rows / 8 KiB, bloom filter on call_id) and OUT_DIR/dk_pruning.parquet (DuckDB 1.5.5, ROW_GROUP_SIZE 2048,
  bloom filters as DuckDB writes them for dictionary columns). Extra SWIFT_FILE arguments (files written by our own
  writer from the same rows, see --dump-rows) are analysed the same way.
  Prints JSON: {"files": [{"name", "row_groups", "scenarios": {name: {"predicate": ..., "columns": {...}}}}]}
  Each Call-ID chosen is one that DuckDB's parquet_bloom_probe excludes from every row group but its own (and the
  absent one from every row group), in every file, so the expected pruning is exact.

usage: parquet_read_pruning.py --dump-rows OUT.json   -> the rows as JSON columns (for our writer)
"""
import json
import os
import random
import sys

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from parquet_read_fixtures import dump  # noqa: E402

ROWS = 16384
GROUP = 2048
T0 = 1_700_000_000_000_000
METHODS = ["INVITE", "100", "180", "200", "ACK", "BYE", "200", "OPTIONS"]


def make_rows():
    rnd = random.Random(42)
    calls = ["%032x@pbx.example" % rnd.getrandbits(128) for _ in range(ROWS // 8)]
    call_id = [calls[i // 8] for i in range(ROWS)]
    ts = [T0 + i * 1000 + rnd.randint(0, 999) for i in range(ROWS)]
    method = [METHODS[i % 8] for i in range(ROWS)]
    port = [5060 + rnd.randint(0, 20) for _ in range(ROWS)]
    payload = [bytes(rnd.getrandbits(8) for _ in range(rnd.randint(60, 140))) for _ in range(ROWS)]
    return pa.table({
        "ts": pa.array(ts, pa.timestamp("us")),
        "call_id": pa.array(call_id, pa.string()),
        "method": pa.array(method, pa.string()),
        "src_port": pa.array(port, pa.int32()),
        "payload": pa.array(payload, pa.binary()),
    }), calls


def probe(con, path, value):
    rows = con.execute("SELECT row_group_id, bloom_filter_excludes FROM parquet_bloom_probe(?, 'call_id', ?)",
                       [path, value]).fetchall()
    return {g for g, excluded in rows if not excluded}


def main():
    if sys.argv[1] == "--dump-rows":
        table, _ = make_rows()
        json.dump(dump(table), open(sys.argv[2], "w"))
        return
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    table, calls = make_rows()
    pa_path = os.path.join(out, "pa_pruning.parquet")
    pq.write_table(table, pa_path, row_group_size=GROUP, write_page_index=True, max_rows_per_page=256,
                   data_page_size=8192, compression="zstd", use_dictionary=["call_id", "method"], write_batch_size=64,
                   bloom_filter_options={"call_id": {"ndv": GROUP // 8, "fpp": 0.01}})
    dk_path = os.path.join(out, "dk_pruning.parquet")
    con = duckdb.connect()
    con.register("src", table)
    con.execute("COPY src TO '%s' (FORMAT parquet, ROW_GROUP_SIZE %d)" % (dk_path, GROUP))
    paths = [pa_path, dk_path] + sys.argv[2:]

    def group_of(path, value):
        return {g for (g,) in con.execute(
            "SELECT DISTINCT file_row_number // %d FROM read_parquet(?, file_row_number=true) WHERE call_id = ?" % GROUP,
            [path, value]).fetchall()}

    # A present Call-ID whose bloom probes are exact in every file, and an absent one excluded everywhere.
    present = []
    for c in calls[5::37]:
        groups = group_of(paths[0], c)
        if len(groups) == 1 and all(probe(con, p, c) == group_of(p, c) for p in paths) \
                and not any(group_of(paths[0], q) == groups for q in present):
            present.append(c)
        if len(present) == 2:
            break
    # Absent values drawn like the real ones, so min/max statistics cannot exclude them.
    rnd = random.Random(7)
    absent = next(v for v in ("%032x@pbx.example" % rnd.getrandbits(128) for _ in range(1000))
                  if v not in calls and all(not probe(con, p, v) for p in paths))
    # A time range inside row group 3 that crosses page boundaries.
    lo = T0 + (3 * GROUP + 450) * 1000
    hi = T0 + (3 * GROUP + 570) * 1000
    scenarios = {
        "lookup": ({"op": "equal", "column": "call_id", "value": present[0]},
                   "call_id = '%s'" % present[0]),
        "lookup_in": ({"op": "in", "column": "call_id", "values": present},
                      "call_id IN ('%s', '%s')" % tuple(present)),
        "absent": ({"op": "equal", "column": "call_id", "value": absent}, "call_id = '%s'" % absent),
        "time_range": ({"op": "between", "column": "ts", "low": lo, "high": hi},
                       "ts BETWEEN make_timestamp(%d) AND make_timestamp(%d)" % (lo, hi)),
        "time_and_method": ({"op": "and", "args": [
            {"op": "between", "column": "ts", "low": lo, "high": hi},
            {"op": "equal", "column": "method", "value": "BYE"}]},
            "ts BETWEEN make_timestamp(%d) AND make_timestamp(%d) AND method = 'BYE'" % (lo, hi)),
    }
    files = []
    for p in paths:
        groups = pq.ParquetFile(p).metadata.num_row_groups
        result = {}
        for name, (pred, sql) in scenarios.items():
            t = con.execute("SELECT ts, call_id, method, src_port, payload FROM read_parquet(?, file_row_number=true) "
                            "WHERE %s ORDER BY file_row_number" % sql, [p]).to_arrow_table()
            result[name] = {"predicate": pred, "columns": dump(t), "rows": t.num_rows}
        files.append({"name": os.path.basename(p), "path": p, "row_groups": groups,
                      "file_size": os.path.getsize(p), "scenarios": result})
    json.dump({"files": files}, sys.stdout)


if __name__ == "__main__":
    main()
