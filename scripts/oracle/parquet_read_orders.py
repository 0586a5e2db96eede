#!/usr/bin/env python3
"""A pyarrow file whose statistics need the right sort order: unsigned integers above 2^31 / 2^63 (unsigned
ColumnOrder), int8, strings with bytes above 0x7F, and DuckDB's answers to range queries on it.

usage: parquet_read_orders.py OUT.parquet    -> JSON {"queries": [{"column", "op", "value", "rows"}]}
"""
import json
import sys

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

N = 100


def main():
    path = sys.argv[1]
    u32 = [g * 1_000_000_000 + i for g in range(4) for i in range(N)]
    u64 = [g * 5_000_000_000_000_000_000 + i for g in range(4) for i in range(N)]
    i8 = [(g * 55 - 100 + i % 50) for g in range(4) for i in range(N)]
    s = [["abc", "zzz", "\u00e9t\u00e9", "\u65e5\u672c"][g] + str(i) for g in range(4) for i in range(N)]
    table = pa.table({"u32": pa.array(u32, pa.uint32()), "u64": pa.array(u64, pa.uint64()),
                      "i8": pa.array(i8, pa.int8()), "s": pa.array(s, pa.string())})
    pq.write_table(table, path, row_group_size=N)
    queries = []
    for column, op, value in [("u32", ">", 2_500_000_000), ("u32", "<", 1_000_000_050), ("u64", ">=", 15_000_000_000_000_000_000),
                              ("i8", "<", -60), ("s", ">", "zzz5"), ("s", ">=", "\u00e9")]:
        lit = ("'%s'" % value) if isinstance(value, str) else str(value)
        rows = duckdb.execute("SELECT count(*) FROM read_parquet(?) WHERE %s %s %s" % (column, op, lit), [path]).fetchone()[0]
        groups = duckdb.execute("SELECT count(DISTINCT file_row_number // %d) FROM read_parquet(?, file_row_number=true) "
                                "WHERE %s %s %s" % (N, column, op, lit), [path]).fetchone()[0]
        queries.append({"column": column, "op": op, "value": value, "rows": rows, "groups": groups})
    json.dump({"queries": queries}, sys.stdout)


if __name__ == "__main__":
    main()
