#!/usr/bin/env python3
"""End-to-end ingest bench (issue 4): `homer send` → `homer serve` → spool → DuckLake, real processes on loopback.

For each run: a fresh data directory and config (batch_size, flush_interval_sec 1, the transport's listener, a 32 MiB
UDP receive buffer), `homer serve` started, `homer send --generate [--pool N]` sends COUNT packets at RATE pps (or
unpaced), then the bench polls the node's /api/v1/metadata/stats until its committed rows (row_count minus the
still-buffered buffer_size) stop growing. It reports what
the sender sent, what the lake committed (the loss), the rate from the first packet to the last commit, the
server's CPU seconds (utime + stime from /proc) and its peak RSS (VmHWM), and DuckDB's count(*) of the lake.

usage: bench/serve_bench.py --homer .build/release/homer --transport tcp|udp --count 1000000 [--rate 250000]
                            [--pool 200000] [--batch-size 10000] [--python-duckdb]
"""
import argparse, json, os, shutil, signal, socket, subprocess, sys, tempfile, time, urllib.request


def free_port(kind=socket.SOCK_STREAM):
    s = socket.socket(socket.AF_INET, kind)
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def stats(port):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/metadata/stats", timeout=30) as r:
        return json.loads(r.read())


def proc_status(pid):
    out = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            k, _, v = line.partition(":")
            out[k] = v.strip()
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    tick = os.sysconf("SC_CLK_TCK")
    out["cpu_seconds"] = (int(fields[11]) + int(fields[12])) / tick
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--homer", required=True)
    ap.add_argument("--transport", choices=["tcp", "udp"], default="tcp")
    ap.add_argument("--count", type=int, default=1_000_000)
    ap.add_argument("--rate", type=float)
    ap.add_argument("--pool", type=int, default=0)
    ap.add_argument("--batch-size", type=int, default=10_000)
    ap.add_argument("--duckdb", action="store_true", help="also count the rows with DuckDB (needs the oracle venv)")
    a = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="serve-bench-")
    serve = None
    try:
        hep = free_port(socket.SOCK_DGRAM if a.transport == "udp" else socket.SOCK_STREAM)
        web = free_port()
        cfg = {"storage": {"ducklake": {"catalog_path": f"{tmp}/homer_catalog.sqlite", "data_path": f"{tmp}/parquet/",
                                        "batch_size": a.batch_size, "flush_interval_sec": 1}},
               "hep": {a.transport: f"127.0.0.1:{hep}", "udp_rcvbuf": 32 << 20},
               "http": {"listen": f"127.0.0.1:{web}"}}
        cfg["hep"]["spool"] = {"path": f"{tmp}/spool"}
        other = "udp" if a.transport == "tcp" else "tcp"
        cfg["hep"][other] = ""  # off
        json.dump(cfg, open(f"{tmp}/homer.json", "w"))
        serve = subprocess.Popen([a.homer, "serve", "--config", f"{tmp}/homer.json"],
                                 stdout=open(f"{tmp}/serve.log", "w"), stderr=subprocess.STDOUT)
        end = time.time() + 60
        while True:
            try:
                stats(web)
                break
            except OSError:
                if time.time() > end or serve.poll() is not None:
                    sys.exit(f"homer serve did not start: {open(f'{tmp}/serve.log').read()}")
                time.sleep(0.1)
        cpu0 = proc_status(serve.pid)["cpu_seconds"]
        cmd = [a.homer, "send", "--generate", f"--{a.transport}", f"127.0.0.1:{hep}", "--count", str(a.count)]
        if a.rate:
            cmd += ["--rate", str(a.rate)]
        if a.pool:
            cmd += ["--pool", str(a.pool)]
        t0 = time.time()
        sent = subprocess.run(cmd, capture_output=True, text=True)
        send_done = time.time()
        print(sent.stdout.strip() or sent.stderr.strip())
        # row_count includes rows still buffered in the writer: wait until they are committed too (buffer_size 0).
        last, last_change = -1, time.time()
        while True:
            s = stats(web)
            rows = s["row_count"] - s.get("buffer_size", 0)
            if rows != last:
                last, last_change = rows, time.time()
            if rows >= a.count or time.time() - last_change > 5:
                break
            time.sleep(0.05)
        committed_at = last_change if last < a.count else time.time()
        st = proc_status(serve.pid)
        cpu = st["cpu_seconds"] - cpu0
        lost = a.count - last
        print(f"transport {a.transport}, batch_size {a.batch_size}, rate {a.rate or 'unpaced'}, pool {a.pool}")
        print(f"sent {a.count}, committed {last} ({lost * 100 / a.count:.3f} % lost), "
              f"{last / max(committed_at - t0, 1e-9):.0f} messages/s first packet → last commit "
              f"({committed_at - t0:.2f} s; sender done after {send_done - t0:.2f} s)")
        print(f"server CPU {cpu:.2f} s ({last / max(cpu, 1e-9):.0f} messages per CPU-second), "
              f"peak RSS {st['VmHWM']}")
        if a.duckdb:
            py = os.environ.get("HOMER_PYTHON") or os.path.join(os.path.dirname(__file__), "..", ".venv", "bin", "python")
            oracle = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "scripts", "oracle")
            code = (f"import sys; sys.path.insert(0, {oracle!r}); import e2e_lake; "
                    f"print(e2e_lake.connect({tmp + '/homer_catalog.sqlite'!r})"
                    ".execute('SELECT count(*) FROM hep_messages').fetchone()[0])")
            q = subprocess.run([py, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
            print(f"DuckDB count(*) of the lake: {q}")
    finally:
        if serve:
            serve.send_signal(signal.SIGTERM)
            try:
                serve.wait(timeout=60)
            except subprocess.TimeoutExpired:
                serve.kill()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
