"""DuckDB's side of the ingest bench: insert the rows of homer's lake into fresh ducklakes written by DuckDB itself
(its defaults: Snappy; and with parquet_compression zstd), report rows/s and bytes per row on disk as JSON."""
import json, pathlib, sys, time

sys.path.insert(0, str(pathlib.Path(__file__).parent))
from ducklake_oracle import _ext  # noqa: E402
import duckdb  # noqa: E402


def main():
    source, work = sys.argv[1], pathlib.Path(sys.argv[2])
    out = {}
    for codec in ["default", "zstd"]:
        con = duckdb.connect(config={"autoinstall_known_extensions": False, "autoload_known_extensions": False})
        con.execute(f"LOAD '{_ext('duckdb_extension_sqlite_scanner', 'sqlite_scanner')}'")
        con.execute(f"LOAD '{_ext('duckdb_extension_ducklake', 'ducklake')}'")
        con.execute(f"ATTACH 'ducklake:sqlite:{source}' AS src (READ_ONLY)")
        d = work / f"duck-{codec}"
        d.mkdir(parents=True, exist_ok=True)
        con.execute(f"ATTACH 'ducklake:sqlite:{d}/cat.sqlite' AS duck (DATA_PATH '{d}/data/')")
        if codec == "zstd":
            con.execute("CALL duck.set_option('parquet_compression', 'zstd')")
        # Ready rows in memory first, so the timing is DuckDB's own insert + Parquet + commit.
        con.execute("CREATE TEMP TABLE rows AS SELECT * FROM src.hep_messages")
        n = con.execute("SELECT count(*) FROM rows").fetchone()[0]
        con.execute("CREATE TABLE duck.hep_messages AS SELECT * FROM rows LIMIT 0")
        t0 = time.perf_counter()
        con.execute("INSERT INTO duck.hep_messages SELECT * FROM rows")
        secs = time.perf_counter() - t0
        size = con.execute("SELECT sum(data_file_size_bytes) FROM ducklake_list_files('duck', 'hep_messages')").fetchone()[0]
        out[codec] = {"rows": n, "seconds": secs, "rows_per_second": n / secs, "bytes": size, "bytes_per_row": size / n}
        con.close()
    print(json.dumps(out))


if __name__ == "__main__":
    main()
