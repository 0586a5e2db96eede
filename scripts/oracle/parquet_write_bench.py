#!/usr/bin/env python3
"""Times pyarrow and DuckDB writing the rows of <input.parquet> (loaded into memory first, not timed).

Usage: parquet_write_bench.py <input.parquet> <outdir> <runs>
Prints one JSON object per configuration: label, bytes, seconds and cpu (process CPU time, all threads;
medians), rows.
"""
import json
import os
import statistics
import sys
import time

import duckdb
import pyarrow.parquet as pq


def main():
    src, outdir, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
    table = pq.read_table(src)
    rows = table.num_rows
    results = []

    def timed(label, path, fn):
        times, cpu = [], []
        for _ in range(runs):
            if os.path.exists(path):
                os.remove(path)
            t, c = time.perf_counter(), time.process_time()
            fn(path)
            times.append(time.perf_counter() - t)
            cpu.append(time.process_time() - c)
        results.append({"label": label, "bytes": os.path.getsize(path), "seconds": statistics.median(times),
                        "cpu": statistics.median(cpu), "rows": rows})

    timed("pyarrow snappy", f"{outdir}/pyarrow-snappy.parquet",
          lambda p: pq.write_table(table, p, compression="snappy"))
    timed("pyarrow zstd", f"{outdir}/pyarrow-zstd.parquet",
          lambda p: pq.write_table(table, p, compression="zstd"))

    con = duckdb.connect()
    con.execute("CREATE TABLE t AS SELECT * FROM read_parquet(?)", [src])
    timed("duckdb snappy (default)", f"{outdir}/duckdb-snappy.parquet",
          lambda p: con.execute(f"COPY t TO '{p}' (FORMAT parquet)"))
    timed("duckdb zstd", f"{outdir}/duckdb-zstd.parquet",
          lambda p: con.execute(f"COPY t TO '{p}' (FORMAT parquet, COMPRESSION zstd)"))
    for r in results:
        print(json.dumps(r))


if __name__ == "__main__":
    main()
