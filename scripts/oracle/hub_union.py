#!/usr/bin/env python3
"""Oracle for the Hub's merged search: the union DuckDB computes over several homer lakes.

Usage: hub_union.py --lake CATALOG DATA_PATH [--lake CATALOG DATA_PATH ...] --min-ns N --max-ns N
Prints a JSON list of [timestamp_ns, session_id, src_ip, src_port, dst_ip, dst_port, payload] of every row of
main.hep_messages of every lake with min <= timestamp <= max, identical rows across lakes counted once (UNION, not
UNION ALL: a message stored by two nodes is one message), sorted. Written independently of the Swift code.
"""
import argparse, importlib, json, pathlib
import duckdb


def ext(module, name):
    pkg = pathlib.Path(importlib.import_module(module).__file__).parent
    return str(pkg / "extensions" / f"v{duckdb.__version__}" / f"{name}.duckdb_extension")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lake", nargs=2, action="append", required=True, metavar=("CATALOG", "DATA_PATH"))
    ap.add_argument("--min-ns", type=int, required=True)
    ap.add_argument("--max-ns", type=int, required=True)
    a = ap.parse_args()
    con = duckdb.connect(config={"autoinstall_known_extensions": False, "autoload_known_extensions": False})
    con.execute(f"LOAD '{ext('duckdb_extension_sqlite_scanner', 'sqlite_scanner')}'")
    con.execute(f"LOAD '{ext('duckdb_extension_ducklake', 'ducklake')}'")
    selects = []
    for i, (catalog, data_path) in enumerate(a.lake):
        con.execute(f"ATTACH 'ducklake:sqlite:{catalog}' AS lake{i} (DATA_PATH '{data_path}', READ_ONLY)")
        selects.append(
            f"SELECT epoch_ns(timestamp) AS ts, session_id, src_ip, src_port, dst_ip, dst_port, "
            f"coalesce(payload, hex(payload_bin)) AS payload FROM lake{i}.main.hep_messages "
            f"WHERE epoch_ns(timestamp) BETWEEN {a.min_ns} AND {a.max_ns}")
    rows = con.execute(" UNION ".join(selects) + " ORDER BY ALL").fetchall()
    print(json.dumps([list(r) for r in rows]))


if __name__ == "__main__":
    main()
