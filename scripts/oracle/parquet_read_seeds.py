#!/usr/bin/env python3
"""Seeds the Parquet fuzz corpus: footers (selector 0), first pages (1), page indexes (2) and raw page bodies (3)
cut from small files written by pyarrow and DuckDB.

usage: parquet_read_seeds.py CORPUS_DIR
"""
import os
import struct
import sys
import tempfile

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    tmp = tempfile.mkdtemp()
    table = pa.table({"a": pa.array([1, None, 3] * 50, pa.int64()), "s": ["x", "yy", None] * 50,
                      "d": pa.array([0.5, 1.5, None] * 50), "b": [True, False, None] * 50})
    files = []
    for i, opts in enumerate([dict(), dict(data_page_version="2.0", compression="zstd", write_page_index=True),
                              dict(use_dictionary=False, column_encoding={"a": "DELTA_BINARY_PACKED",
                                                                        "s": "DELTA_BYTE_ARRAY"})]):
        p = os.path.join(tmp, "pa%d.parquet" % i)
        pq.write_table(table, p, **opts)
        files.append(p)
    p = os.path.join(tmp, "dk.parquet")
    duckdb.sql("COPY (SELECT * FROM range(300) t(i)) TO '%s' (FORMAT parquet, PARQUET_VERSION v2)" % p)
    files.append(p)
    n = 0
    for p in files:
        data = open(p, "rb").read()
        flen = struct.unpack("<I", data[-8:-4])[0]
        footer = data[-8 - flen:-8]
        pages = data[4:4 + 4000]
        for sel, blob in [(0, footer), (1, pages), (3, data[4:200])]:
            with open(os.path.join(out, "seed%03d" % n), "wb") as f:
                f.write(bytes([sel]) + blob[:4095])
            n += 1
        md = pq.ParquetFile(p).metadata
        # Page index structures sit between the last row group and the footer.
        end_of_data = max(md.row_group(g).column(c).data_page_offset + md.row_group(g).column(c).total_compressed_size
                          for g in range(md.num_row_groups) for c in range(md.num_columns))
        with open(os.path.join(out, "seed%03d" % n), "wb") as f:
            f.write(bytes([2]) + data[end_of_data:len(data) - 8 - flen][:4095])
        n += 1


if __name__ == "__main__":
    main()
