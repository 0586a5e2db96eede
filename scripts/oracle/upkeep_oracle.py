"""DuckDB 1.5.5 + ducklake (+ httpfs for S3 data paths) as the judge of lake upkeep (Tests/DuckLakeTests/Upkeep*).

Subcommands (print JSON on stdout):
  rows  --catalog C [--version N] [--s3 HOST:PORT]
        {"count", "rows": [[session_id, timestamp_us, rowid], ...] sorted by rowid} of main.hep_messages,
        or {"error": "..."} when DuckDB refuses (e.g. an expired version)
  sql   --catalog C [--s3 HOST:PORT] SQL...   rows of the last statement
  create-bucket URL BUCKET                     boto3 (credentials test/test)
With --s3, httpfs is loaded by path and configured for a moto endpoint (research ducklake.md §9).
"""
import argparse, datetime, importlib, json, pathlib, sys

import duckdb


def _ext(module, name):
    pkg = pathlib.Path(importlib.import_module(module).__file__).parent
    return str(pkg / "extensions" / f"v{duckdb.__version__}" / f"{name}.duckdb_extension")


def connect(catalog, s3=None):
    con = duckdb.connect(config={"autoinstall_known_extensions": False, "autoload_known_extensions": False})
    con.execute(f"LOAD '{_ext('duckdb_extension_sqlite_scanner', 'sqlite_scanner')}'")
    con.execute(f"LOAD '{_ext('duckdb_extension_ducklake', 'ducklake')}'")
    con.execute("SET TimeZone = 'UTC'")
    if s3:
        con.execute(f"LOAD '{_ext('duckdb_extension_httpfs', 'httpfs')}'")
        for k, v in [("s3_endpoint", s3), ("s3_url_style", "path"), ("s3_access_key_id", "test"),
                     ("s3_secret_access_key", "test"), ("s3_region", "us-east-1")]:
            con.execute(f"SET {k} = '{v}'")
        con.execute("SET s3_use_ssl = false")
    con.execute(f"ATTACH 'ducklake:sqlite:{catalog}' AS homer_lake (READ_ONLY)")
    con.execute("USE homer_lake")
    return con


def plain(v):
    if isinstance(v, datetime.datetime):
        if v.tzinfo is not None:
            v = v.astimezone(datetime.timezone.utc).replace(tzinfo=None)
        d = v - datetime.datetime(1970, 1, 1)
        return (d.days * 86400 + d.seconds) * 1_000_000 + d.microseconds
    if isinstance(v, datetime.date):
        return v.isoformat()
    if isinstance(v, (bytes, bytearray, memoryview)):
        return bytes(v).hex()
    return v


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("rows")
    r.add_argument("--catalog", required=True)
    r.add_argument("--version", type=int)
    r.add_argument("--s3")
    s = sub.add_parser("sql")
    s.add_argument("--catalog", required=True)
    s.add_argument("--s3")
    s.add_argument("sql", nargs="+")
    b = sub.add_parser("create-bucket")
    b.add_argument("url")
    b.add_argument("bucket")
    a = p.parse_args()
    if a.cmd == "create-bucket":
        import boto3
        boto3.client("s3", endpoint_url=a.url, aws_access_key_id="test", aws_secret_access_key="test",
                     region_name="us-east-1").create_bucket(Bucket=a.bucket)
        print("{}")
        return
    con = connect(a.catalog, a.s3)
    if a.cmd == "rows":
        at = f" AT (VERSION => {a.version})" if a.version is not None else ""
        try:
            rows = con.execute(f"SELECT session_id, timestamp, rowid FROM hep_messages{at} ORDER BY rowid").fetchall()
        except duckdb.Error as e:
            print(json.dumps({"error": str(e)}))
            return
        print(json.dumps({"count": len(rows), "rows": [[plain(x) for x in row] for row in rows]}))
    else:
        result = None
        for stmt in a.sql:
            result = con.execute(stmt)
        rows = result.fetchall() if result is not None and result.description else []
        print(json.dumps([[plain(x) for x in row] for row in rows]))


if __name__ == "__main__":
    sys.exit(main())
