#!/usr/bin/env python3
"""Oracle for the homer HTTP API's search semantics: runs the same searches as DuckDB SQL.

Usage:
  api_search.py --jsonl records.jsonl --queries queries.json        # rows loaded into an in-memory DuckDB table
  api_search.py --lake CATALOG DATA_PATH --queries queries.json     # a DuckLake read by DuckDB + ducklake
queries.json: a list of POST /api/v1/search bodies. Prints a JSON list with, per query, the list of rows in the API's
record format (timestamp in ns, date text, payload_bin base64), or {"error": msg}.

The translation is written independently of the Swift code: filters ANDed, list values ORed, strings exact unless they
contain '*', which becomes LIKE '%' (with %, _ and \\ escaped); payload_contains searches payload (LIKE) and payload_bin
(hex match at a byte boundary); ORDER BY timestamp, LIMIT (default 100); "count_only": true -> [{"count": count(*)}]; snapshot_id -> AT (VERSION => n), as_of ->
AT (TIMESTAMP => t). Also: --stats prints count(*), min/max epoch_ns(timestamp) at the current snapshot.
"""
import argparse, base64, importlib, json, pathlib, sys
import duckdb

COLUMNS = ["timestamp", "date", "session_id", "correlation_id", "proto_type", "ip_family", "transport", "src_ip",
           "dst_ip", "src_port", "dst_port", "capture_id", "node_name", "vlan", "method", "response_code",
           "cseq_number", "cseq_method", "from_user", "from_domain", "from_tag", "to_user", "to_domain", "to_tag",
           "ruri_user", "ruri_domain", "user_agent", "payload", "payload_bin"]
INT_FILTERS = {"src_port", "dst_port", "response_code", "proto_type", "capture_id"}
STR_FILTERS = {"session_id", "correlation_id", "from_user", "to_user", "ruri_user", "src_ip", "dst_ip", "method",
               "node_name", "user_agent"}


def ext(module, name):
    pkg = pathlib.Path(importlib.import_module(module).__file__).parent
    return str(pkg / "extensions" / f"v{duckdb.__version__}" / f"{name}.duckdb_extension")


def connect_lake(catalog, data_path):
    con = duckdb.connect(config={"autoinstall_known_extensions": False, "autoload_known_extensions": False})
    con.execute(f"LOAD '{ext('duckdb_extension_sqlite_scanner', 'sqlite_scanner')}'")
    con.execute(f"LOAD '{ext('duckdb_extension_ducklake', 'ducklake')}'")
    con.execute(f"ATTACH 'ducklake:sqlite:{catalog}' AS homer_lake (DATA_PATH '{data_path}', READ_ONLY)")
    return con, "homer_lake.main.hep_messages"


def connect_jsonl(path):
    con = duckdb.connect()
    con.execute("""CREATE TABLE hep_messages (timestamp TIMESTAMP, date DATE, session_id VARCHAR,
        correlation_id VARCHAR, proto_type INTEGER, ip_family INTEGER, transport INTEGER, src_ip VARCHAR,
        dst_ip VARCHAR, src_port INTEGER, dst_port INTEGER, capture_id BIGINT, node_name VARCHAR, vlan INTEGER,
        method VARCHAR, response_code INTEGER, cseq_number BIGINT, cseq_method VARCHAR, from_user VARCHAR,
        from_domain VARCHAR, from_tag VARCHAR, to_user VARCHAR, to_domain VARCHAR, to_tag VARCHAR, ruri_user VARCHAR,
        ruri_domain VARCHAR, user_agent VARCHAR, payload VARCHAR, payload_bin BLOB)""")
    rows = []
    for line in open(path):
        if not line.strip():
            continue
        r = json.loads(line)
        vals = []
        for c in COLUMNS:
            v = r.get(c)
            if c == "timestamp":
                v = v // 1000  # ns -> µs for make_timestamp
            elif c == "payload_bin" and v is not None:
                v = base64.b64decode(v)
            vals.append(v)
        rows.append(vals)
    placeholders = ", ".join("make_timestamp(?)" if c == "timestamp" else "?::DATE" if c == "date" else "?"
                             for c in COLUMNS)
    con.executemany(f"INSERT INTO hep_messages VALUES ({placeholders})", rows)
    return con, "hep_messages"


def like_escape(s):
    return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def where_clause(body, params):
    conds = ["epoch_ns(timestamp) BETWEEN ? AND ?"]
    params += [body["min_ts"], body["max_ts"]]
    for name, value in sorted((body.get("filters") or {}).items()):
        values = value if isinstance(value, list) else [value]
        ors = []
        for v in values:
            if name in INT_FILTERS:
                ors.append(f"{name} = ?")
                params.append(v)
            elif name in STR_FILTERS:
                if "*" in v:
                    ors.append(f"{name} LIKE ? ESCAPE '\\'")
                    params.append(like_escape(v).replace("*", "%"))
                else:
                    ors.append(f"{name} = ?")
                    params.append(v)
            elif name == "payload_contains":
                ors.append("(payload LIKE ? ESCAPE '\\' OR regexp_matches(hex(payload_bin), ?))")
                params.append("%" + like_escape(v) + "%")
                params.append("^(..)*" + v.encode().hex().upper())
            else:
                raise ValueError(f"unknown filter {name}")
        conds.append("(" + " OR ".join(ors) + ")")
    return " AND ".join(conds)


def run(con, table, body, lake):
    params = []
    at = ""
    if not lake:
        pass  # a JSON-lines file is one snapshot already: the caller wrote the rows that snapshot sees
    elif body.get("snapshot_id") is not None:
        at = f" AT (VERSION => {int(body['snapshot_id'])})"
    elif body.get("as_of") is not None:
        at = f" AT (TIMESTAMP => '{body['as_of']}'::TIMESTAMPTZ)"
    order = "DESC" if body.get("order", "asc").lower() == "desc" else "ASC"
    limit = int(body.get("limit", 100))
    if body.get("count_only"):
        sql = f"SELECT count(*) FROM {table}{at} WHERE {where_clause(body, params)}"
        return [{"count": con.execute(sql, params).fetchone()[0]}]
    select = ", ".join("epoch_ns(timestamp)" if c == "timestamp" else "CAST(date AS VARCHAR)" if c == "date"
                       else c for c in COLUMNS)
    sql = f"SELECT {select} FROM {table}{at} WHERE {where_clause(body, params)} ORDER BY timestamp {order} LIMIT {limit}"
    out = []
    for row in con.execute(sql, params).fetchall():
        rec = {}
        for c, v in zip(COLUMNS, row):
            if c == "payload_bin" and v is not None:
                v = base64.b64encode(bytes(v)).decode()
            rec[c] = v
        out.append(rec)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--jsonl")
    ap.add_argument("--lake", nargs=2, metavar=("CATALOG", "DATA_PATH"))
    ap.add_argument("--queries")
    ap.add_argument("--stats", action="store_true")
    ap.add_argument("--time", type=int, default=0, help="bench: run each query N times, print [median ms, rows]")
    a = ap.parse_args()
    con, table = connect_lake(*a.lake) if a.lake else connect_jsonl(a.jsonl)
    if a.stats:
        n, lo, hi = con.execute(f"SELECT count(*), min(epoch_ns(timestamp)), max(epoch_ns(timestamp)) FROM {table}").fetchone()
        json.dump({"row_count": n, "min_ts": lo, "max_ts": hi}, sys.stdout)
        return
    results = []
    if a.time:
        import statistics, time
        for body in json.load(open(a.queries)):
            runs = []
            for _ in range(a.time):
                t = time.perf_counter()
                out = run(con, table, body, bool(a.lake))
                n = out[0]["count"] if body.get("count_only") else len(out)
                runs.append((time.perf_counter() - t) * 1000)
            results.append([statistics.median(runs), n])
        json.dump(results, sys.stdout)
        return
    for body in json.load(open(a.queries)):
        try:
            results.append(run(con, table, body, bool(a.lake)))
        except Exception as e:  # an error is an answer too (e.g. unknown snapshot)
            results.append({"error": str(e).splitlines()[0]})
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main()
