#!/usr/bin/env python3
"""Times DuckDB 1.5.5 on the read bench's file: full scan materialised into a temp table, and a Call-ID lookup.

usage: parquet_read_bench.py FILE CALL_ID RUNS      -> JSON lines {"label", "seconds", "rows"} (median of RUNS)
"""
import json
import statistics
import sys
import time

import duckdb


def main():
    path, call_id, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
    for threads in (1, 2):
        con = duckdb.connect()
        con.execute("SET threads = %d" % threads)
        # No object cache: every query reads and parses the footer again, as ours does.
        con.execute("SET parquet_metadata_cache = false")
        queries = [
            ("full scan", "CREATE OR REPLACE TEMP TABLE t AS SELECT * FROM read_parquet('%s')" % path,
             "SELECT count(*) FROM t"),
            ("call_id lookup", "CREATE OR REPLACE TEMP TABLE t AS SELECT * FROM read_parquet('%s') WHERE call_id = '%s'"
             % (path, call_id), "SELECT count(*) FROM t"),
        ]
        for label, sql, count_sql in queries:
            times = []
            for _ in range(runs):
                t0 = time.perf_counter()
                con.execute(sql)
                times.append(time.perf_counter() - t0)
            rows = con.execute(count_sql).fetchone()[0]
            print(json.dumps({"label": "duckdb %s (threads=%d)" % (label, threads),
                              "seconds": statistics.median(times), "rows": rows}))


if __name__ == "__main__":
    main()
