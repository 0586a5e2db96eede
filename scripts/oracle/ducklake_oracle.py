"""DuckDB 1.5.5 + ducklake as the judge of homer's DuckLake module (tests in Tests/DuckLakeTests).

Subcommands (all print JSON on stdout):
  sql     --catalog C|- [--data-path D] [--read-only] [--at-version N | --at-time T] SQL...
          run statements in order (retrying 'database is locked'); print the rows of the last one
  rows    --catalog C [--version N | --timestamp T]
          {"count", "rows": [[session_id, timestamp_us, rowid], ...] sorted by rowid} of main.hep_messages
  pyfile  --out PATH --date YYYY-MM-DD --start-us T --n N --prefix P
          write a Parquet file with pyarrow in homer's hep_messages layout (field_id = column_id), print its size,
          footer size and per-column stats in DuckDB's text formats (computed by DuckDB from the file)
  fileinfo PATH
          pyarrow's view of a data file: field ids, columns with bloom filters, page index, timestamp order
  hold    --catalog C --seconds S
          attach, open a read transaction (BEGIN; SELECT count(*)), print "ready", hold it S seconds, then COMMIT
Extensions are loaded by absolute path from the wheels (research notes ducklake.md §1.2); nothing is downloaded.
"""
import argparse, datetime, importlib, json, pathlib, sys, time

import duckdb


def _ext(module, name):
    pkg = pathlib.Path(importlib.import_module(module).__file__).parent
    return str(pkg / "extensions" / f"v{duckdb.__version__}" / f"{name}.duckdb_extension")


def connect(catalog, data_path=None, read_only=False):
    con = duckdb.connect(config={"autoinstall_known_extensions": False, "autoload_known_extensions": False})
    con.execute(f"LOAD '{_ext('duckdb_extension_sqlite_scanner', 'sqlite_scanner')}'")
    con.execute(f"LOAD '{_ext('duckdb_extension_ducklake', 'ducklake')}'")
    con.execute("SET TimeZone = 'UTC'")
    if catalog == "-":  # plain DuckDB, no lake
        return con
    opts = []
    if data_path:
        opts.append(f"DATA_PATH '{data_path}'")
    if read_only:
        opts.append("READ_ONLY")
    suffix = f" ({', '.join(opts)})" if opts else ""
    con.execute(f"ATTACH 'ducklake:sqlite:{catalog}' AS homer_lake{suffix}")
    con.execute("USE homer_lake")
    return con


def plain(v):
    if isinstance(v, (bytes, bytearray, memoryview)):
        return bytes(v).hex()
    if isinstance(v, datetime.datetime):
        if v.tzinfo is not None:
            v = v.astimezone(datetime.timezone.utc).replace(tzinfo=None)
        epoch = datetime.datetime(1970, 1, 1)
        d = v - epoch
        return (d.days * 86400 + d.seconds) * 1_000_000 + d.microseconds
    if isinstance(v, datetime.date):
        return v.isoformat()
    if isinstance(v, (list, tuple)):
        return [plain(x) for x in v]
    if isinstance(v, dict):
        return {k: plain(x) for k, x in v.items()}
    return v


def run_retry(con, stmt):
    for attempt in range(50):
        try:
            return con.execute(stmt)
        except duckdb.Error as e:
            # A Swift commit overlapping DuckDB's transaction surfaces as 'database is locked' (research §6).
            if "locked" in str(e) and attempt < 49:
                time.sleep(0.1)
                continue
            raise


def cmd_sql(a):
    con = connect(a.catalog, a.data_path, a.read_only)
    result = None
    for stmt in a.sql:
        result = run_retry(con, stmt)
    rows = result.fetchall() if result is not None and result.description else []
    print(json.dumps([plain(list(r)) for r in rows]))


def cmd_rows(a):
    con = connect(a.catalog, read_only=True)
    at = ""
    if a.version is not None:
        at = f" AT (VERSION => {a.version})"
    elif a.timestamp is not None:
        at = f" AT (TIMESTAMP => TIMESTAMPTZ '{a.timestamp}')"
    rows = con.execute(f"SELECT session_id, timestamp, rowid FROM hep_messages{at} ORDER BY rowid").fetchall()
    print(json.dumps({"count": len(rows), "rows": [plain(list(r)) for r in rows]}))


COLUMNS = [
    ("timestamp", "timestamp"), ("date", "date"), ("session_id", "string"), ("correlation_id", "string"),
    ("proto_type", "int32"), ("ip_family", "int32"), ("transport", "int32"), ("src_ip", "string"),
    ("dst_ip", "string"), ("src_port", "int32"), ("dst_port", "int32"), ("capture_id", "int64"),
    ("node_name", "string"), ("vlan", "int32"), ("method", "string"), ("response_code", "int32"),
    ("cseq_number", "int64"), ("cseq_method", "string"), ("from_user", "string"), ("from_domain", "string"),
    ("from_tag", "string"), ("to_user", "string"), ("to_domain", "string"), ("to_tag", "string"),
    ("ruri_user", "string"), ("ruri_domain", "string"), ("user_agent", "string"), ("payload", "string"),
    ("payload_bin", "binary"),
]


def cmd_pyfile(a):
    import pyarrow as pa
    import pyarrow.parquet as pq
    types = {"timestamp": pa.timestamp("us"), "date": pa.date32(), "string": pa.string(), "int32": pa.int32(),
             "int64": pa.int64(), "binary": pa.binary()}
    fields = [pa.field(n, types[t], nullable=True, metadata={b"PARQUET:field_id": str(i + 1).encode()})
              for i, (n, t) in enumerate(COLUMNS)]
    day = datetime.date.fromisoformat(a.date)
    data = {n: [None] * a.n for n, _ in COLUMNS}
    for i in range(a.n):
        us = a.start_us + i * 1000
        data["timestamp"][i] = datetime.datetime(1970, 1, 1) + datetime.timedelta(microseconds=us)
        data["date"][i] = day
        data["session_id"][i] = f"{a.prefix}-{i // 4}"
        data["proto_type"][i] = 1
        data["ip_family"][i] = 2
        data["transport"][i] = 17
        data["src_ip"][i] = "10.0.0.1"
        data["dst_ip"][i] = "10.0.0.2"
        data["src_port"][i] = 5060
        data["dst_port"][i] = 5060 + (i % 2)
        data["capture_id"][i] = 2001
        data["method"][i] = "INVITE" if i % 2 == 0 else None
        data["response_code"][i] = None if i % 2 == 0 else 200
        data["payload"][i] = f"INVITE sip:{i}@x SIP/2.0"
    table = pa.table({n: pa.array(data[n], type=f.type) for (n, _), f in zip(COLUMNS, fields)},
                     schema=pa.schema(fields))
    pq.write_table(table, a.out, compression="snappy")
    meta = pq.ParquetFile(a.out).metadata
    size = pathlib.Path(a.out).stat().st_size
    con = duckdb.connect()
    stats = []
    for i, (n, _) in enumerate(COLUMNS):
        vc, nc, lo, hi = con.execute(
            f'SELECT count("{n}"), count(*) - count("{n}"), min("{n}")::VARCHAR, max("{n}")::VARCHAR '
            f"FROM read_parquet('{a.out}')").fetchone()
        if n == "payload_bin":
            lo = hi = None
        comp = sum(meta.row_group(g).column(i).total_compressed_size for g in range(meta.num_row_groups))
        stats.append({"column_id": i + 1, "size": comp, "value_count": vc, "null_count": nc, "min": lo, "max": hi})
    print(json.dumps({"file_size": size, "footer_size": meta.serialized_size, "rows": a.n, "stats": stats}))


def cmd_fileinfo(a):
    import pyarrow.parquet as pq
    pf = pq.ParquetFile(a.path)
    m = pf.metadata
    schema = pf.schema_arrow
    out = {"field_ids": {f.name: int(f.metadata[b"PARQUET:field_id"]) for f in schema if f.metadata},
           "bloom": [], "page_index": True, "row_groups": m.num_row_groups, "rows": m.num_rows,
           "footer_size": m.serialized_size}
    for g in range(m.num_row_groups):
        for i in range(m.num_columns):
            c = m.row_group(g).column(i)
            if c.bloom_filter_offset is not None and c.bloom_filter_offset > 0:
                out["bloom"].append(c.path_in_schema)
            out["page_index"] = out["page_index"] and c.has_column_index and c.has_offset_index
    out["bloom"] = sorted(set(out["bloom"]))
    t = pf.read(columns=["session_id", "timestamp"])
    keys = list(zip([s.encode() for s in t.column(0).to_pylist()], t.column(1).to_pylist()))
    # homer's default file order: Call-ID as unsigned bytes, then time (LakeWriterOptions.fileOrder).
    out["sorted"] = all(keys[i] <= keys[i + 1] for i in range(len(keys) - 1))
    print(json.dumps(out))


def cmd_hold(a):
    con = connect(a.catalog, read_only=True)
    con.execute("BEGIN")
    n = con.execute("SELECT count(*) FROM hep_messages").fetchone()[0]
    print(json.dumps({"ready": True, "count": n}), flush=True)
    time.sleep(a.seconds)
    n2 = con.execute("SELECT count(*) FROM hep_messages").fetchone()[0]
    con.execute("COMMIT")
    print(json.dumps({"count_in_transaction": n2}), flush=True)


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("sql")
    s.add_argument("--catalog", required=True)
    s.add_argument("--data-path")
    s.add_argument("--read-only", action="store_true")
    s.add_argument("sql", nargs="+")
    r = sub.add_parser("rows")
    r.add_argument("--catalog", required=True)
    r.add_argument("--version", type=int)
    r.add_argument("--timestamp")
    f = sub.add_parser("pyfile")
    f.add_argument("--out", required=True)
    f.add_argument("--date", required=True)
    f.add_argument("--start-us", type=int, required=True)
    f.add_argument("--n", type=int, required=True)
    f.add_argument("--prefix", required=True)
    h = sub.add_parser("hold")
    h.add_argument("--catalog", required=True)
    h.add_argument("--seconds", type=float, required=True)
    i = sub.add_parser("fileinfo")
    i.add_argument("path")
    a = p.parse_args()
    {"sql": cmd_sql, "rows": cmd_rows, "pyfile": cmd_pyfile, "hold": cmd_hold, "fileinfo": cmd_fileinfo}[a.cmd](a)


if __name__ == "__main__":
    main()
