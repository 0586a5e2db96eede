"""DuckDB 1.5.5 + ducklake as the judge of homer's end-to-end tests (Tests/HomerServerTests/LakeEndToEndTests.swift).

The lake is always attached READ_ONLY: the tests look at a lake a stopped (or killed) `homer serve` left behind and
must not change it before the server restarts on it.

Subcommands (all print JSON on stdout):
  rows    --catalog C
          {"count", "distinct_keys", "rows": [[session_id, cseq_number, cseq_method, method, response_code,
          src_port, dst_port, capture_id, transport, proto_type], ...], "spool_position": [segment, offset] | null}
          of main.hep_messages (ordered), with the spool position homer stored with the newest snapshot
          (homer_spool_state: 16 bytes, big-endian segment then offset).
          The key of a row is (session_id, cseq_number, cseq_method, method, response_code): unique for the traffic
          of `homer send --generate` (one Call-ID per dialog, and each message of a dialog differs in CSeq or
          method/status).
  payload --catalog C --session S
          {"rows": [[payload_is_null, payload_bin as hex or null], ...]} of the rows with that session_id.
  files   --catalog C
          {"catalog": [absolute paths of every data and delete file the catalog lists],
           "disk": [every file under the table's directory]}, to check there is no orphan and no dangling entry.
Extensions are loaded by absolute path from the wheels (research notes ducklake.md §1.2); nothing is downloaded.
"""
import argparse, importlib, json, os, pathlib, sqlite3, sys

import duckdb


def _ext(module, name):
    pkg = pathlib.Path(importlib.import_module(module).__file__).parent
    return str(pkg / "extensions" / f"v{duckdb.__version__}" / f"{name}.duckdb_extension")


def connect(catalog):
    con = duckdb.connect(config={"autoinstall_known_extensions": False, "autoload_known_extensions": False})
    con.execute(f"LOAD '{_ext('duckdb_extension_sqlite_scanner', 'sqlite_scanner')}'")
    con.execute(f"LOAD '{_ext('duckdb_extension_ducklake', 'ducklake')}'")
    con.execute("SET TimeZone = 'UTC'")
    con.execute(f"ATTACH 'ducklake:sqlite:{catalog}' AS homer_lake (READ_ONLY)")
    con.execute("USE homer_lake")
    return con


KEY = "session_id, cseq_number, cseq_method, method, response_code"


def cmd_rows(a):
    con = connect(a.catalog)
    rows = con.execute(f"SELECT {KEY}, src_port, dst_port, capture_id, transport, proto_type "
                       f"FROM hep_messages ORDER BY ALL").fetchall()
    count, distinct = con.execute(
        f"SELECT count(*), count(DISTINCT ({KEY})) FROM hep_messages").fetchone()
    db = sqlite3.connect(f"file:{a.catalog}?mode=ro", uri=True)
    position = None
    if db.execute("SELECT 1 FROM sqlite_master WHERE name = 'homer_spool_state'").fetchone():
        row = db.execute("SELECT position FROM homer_spool_state WHERE id = 1").fetchone()
        if row and len(row[0]) == 16:
            position = [int.from_bytes(row[0][:8], "big"), int.from_bytes(row[0][8:], "big")]
    print(json.dumps({"count": count, "distinct_keys": distinct, "rows": [list(r) for r in rows],
                      "spool_position": position}))


def cmd_payload(a):
    con = connect(a.catalog)
    rows = con.execute("SELECT payload IS NULL, payload_bin FROM hep_messages WHERE session_id = ?",
                       [a.session]).fetchall()
    print(json.dumps({"rows": [[n, bytes(b).hex() if b is not None else None] for n, b in rows]}))


def cmd_files(a):
    # Resolve paths the way DuckLake does: data_path + schema path + table path + file path when relative.
    db = sqlite3.connect(f"file:{a.catalog}?mode=ro", uri=True)
    data_path = db.execute("SELECT value FROM ducklake_metadata WHERE key = 'data_path'").fetchone()[0]
    schema_path, schema_rel = db.execute(
        "SELECT path, path_is_relative FROM ducklake_schema WHERE schema_name = 'main' AND end_snapshot IS NULL").fetchone()
    table_id, table_path, table_rel = db.execute(
        "SELECT table_id, path, path_is_relative FROM ducklake_table "
        "WHERE table_name = 'hep_messages' AND end_snapshot IS NULL").fetchone()
    schema_dir = data_path + schema_path if schema_rel else schema_path
    table_dir = schema_dir + table_path if table_rel else table_path
    listed = []
    for kind in ("ducklake_data_file", "ducklake_delete_file"):
        for path, rel in db.execute(f"SELECT path, path_is_relative FROM {kind} WHERE table_id = ?", [table_id]):
            listed.append(os.path.normpath(table_dir + path if rel else path))
    disk = []
    for root, _, names in os.walk(table_dir):
        disk += [os.path.normpath(os.path.join(root, n)) for n in names]
    print(json.dumps({"catalog": sorted(listed), "disk": sorted(disk), "table_dir": table_dir}))


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("rows"); r.add_argument("--catalog", required=True); r.set_defaults(f=cmd_rows)
    r = sub.add_parser("payload"); r.add_argument("--catalog", required=True); r.add_argument("--session", required=True)
    r.set_defaults(f=cmd_payload)
    r = sub.add_parser("files"); r.add_argument("--catalog", required=True); r.set_defaults(f=cmd_files)
    a = p.parse_args()
    a.f(a)


if __name__ == "__main__":
    sys.exit(main())
