#!/usr/bin/env python3
"""Hub bench (issue 7): overhead of a search through `homer hub` versus the same search sent directly to the slowest
node it queries, and the time saved by routing (skipping nodes) versus querying every node (routing "all").
Both routing modes are timed ("check": a metadata/check round per request; "stats": ranges cached from
metadata/stats), plus "direct concurrent": the queried nodes asked at once by the client itself, which is the floor
any router has on this machine (two nodes searching at once share its 2 cores).

Starts three `homer serve` nodes (hot: the last hour; archive: one day a week ago; mid: both), feeds each ROWS SIP
messages as HEPv3 over TCP (encoded here from the HEP3 spec), waits until every node reports them in
metadata/stats, starts three hubs (routing "check", "stats" and "all") and times N searches per case, interleaved.

usage: bench/hub_bench.py --homer .build/release/homer [--rows 200000] [--iterations 200]
                          [--baseline-homer OLD_BUILD] [--limits 100,1000]
--baseline-homer also starts "check" and "stats" hubs from another build (same nodes), timed interleaved with the
others: an A/B comparison of two Hub versions under the same machine load.
"""
import argparse, json, os, shutil, signal, socket, struct, subprocess, sys, tempfile, time, urllib.request
from concurrent.futures import ThreadPoolExecutor

SEC = 1_000_000  # µs


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def chunk(t, v):
    return struct.pack("!HHH", 0, t, 6 + len(v)) + v


def hep3(ts_us, call_id, src, dst, first_line, cseq):
    payload = (f"{first_line}\r\nVia: SIP/2.0/UDP {src[0]}:{src[1]};branch=z9hG4bK{ts_us}\r\n"
               f"From: <sip:alice@a.example>;tag=a1\r\nTo: <sip:bob@b.example>\r\nCall-ID: {call_id}\r\n"
               f"CSeq: {cseq}\r\nUser-Agent: bench\r\nContent-Length: 0\r\n\r\n").encode()
    body = (chunk(1, b"\x02") + chunk(2, b"\x11") + chunk(3, socket.inet_aton(src[0])) +
            chunk(4, socket.inet_aton(dst[0])) + chunk(7, struct.pack("!H", src[1])) +
            chunk(8, struct.pack("!H", dst[1])) + chunk(9, struct.pack("!I", ts_us // SEC)) +
            chunk(10, struct.pack("!I", ts_us % SEC)) + chunk(11, b"\x01") + chunk(12, struct.pack("!I", 2001)) +
            chunk(15, payload))
    return b"HEP3" + struct.pack("!H", 6 + len(body)) + body


def messages(name, start_us, span_us, rows):
    msgs = ["INVITE sip:bob@b.example SIP/2.0", "SIP/2.0 100 Trying", "SIP/2.0 200 OK", "ACK sip:bob@b.example SIP/2.0",
            "BYE sip:bob@b.example SIP/2.0", "SIP/2.0 200 OK"]
    step = max(1, span_us // rows)
    out = bytearray()
    for i in range(rows):
        call = i // 6
        a = (f"10.{call % 200}.{call // 200 % 250}.1", 5060)
        b = ("10.250.0.1", 5060)
        src, dst = (a, b) if i % 6 in (0, 3, 4) else (b, a)
        out += hep3(start_us + i * step, f"{name}-{call}@bench", src, dst, msgs[i % 6], f"{1 + i % 6 // 4} X")
    return bytes(out)


def http(url, body=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method="POST" if data else "GET",
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=120) as r:
        return r.status, r.read()


def wait_port(port, timeout=60):
    end = time.time() + timeout
    while time.time() < end:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"nothing listening on {port}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--homer", required=True)
    ap.add_argument("--rows", type=int, default=200_000)
    ap.add_argument("--iterations", type=int, default=200)
    ap.add_argument("--limit", type=int, default=100)
    ap.add_argument("--limits", default=None, help="comma-separated limits, each run over every case (default --limit)")
    ap.add_argument("--hold", type=float, default=0, help="after setup, print the URLs and keep everything up this many "
                    "seconds (for profiling a hub under a load generator), then exit")
    ap.add_argument("--baseline-homer", default=None, help="another homer build whose hubs are timed as 'base'")
    a = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="hub-bench-")
    procs = []
    try:
        now = int(time.time() * SEC)
        week = now - 7 * 86400 * SEC
        plan = {
            "hot": [(now - 3600 * SEC, 3500 * SEC)],
            "archive": [(week, 86400 * SEC)],
            "mid": [(week + 3600 * SEC, 7200 * SEC), (now - 2400 * SEC, 600 * SEC)],
        }
        nodes = {}
        for name, spans in plan.items():
            d = os.path.join(tmp, name)
            os.makedirs(d)
            hep, web = free_port(), free_port()
            cfg = {"storage": {"ducklake": {"catalog_path": f"{d}/homer_catalog.sqlite", "data_path": f"{d}/parquet/",
                                            "batch_size": 50000, "flush_interval_sec": 2}},
                   "hep": {"udp": f"127.0.0.1:{hep}", "tcp": f"127.0.0.1:{hep}"}, "http": {"listen": f"127.0.0.1:{web}"}}
            json.dump(cfg, open(f"{d}/homer.json", "w"))
            procs.append(subprocess.Popen([a.homer, "serve", "--config", f"{d}/homer.json"],
                                          stdout=open(f"{d}/serve.log", "w"), stderr=subprocess.STDOUT))
            nodes[name] = (hep, web)
        for name, spans in plan.items():
            hep, web = nodes[name]
            wait_port(web)
            per = a.rows // len(spans)
            s = socket.create_connection(("127.0.0.1", hep))
            for (start, span) in spans:
                s.sendall(messages(name, start, span, per))
            s.close()
        for name, spans in plan.items():
            want = a.rows // len(spans) * len(spans)
            end = time.time() + 600
            while True:
                _, body = http(f"http://127.0.0.1:{nodes[name][1]}/api/v1/metadata/stats")
                if json.loads(body).get("row_count") == want:
                    break
                if time.time() > end:
                    raise SystemExit(f"{name}: rows never arrived: {body!r}")
                time.sleep(0.5)
        time.sleep(3)  # let the last flush commit
        hubs = {}
        hub_builds = [(r, a.homer, r) for r in ("check", "stats", "all")]
        if a.baseline_homer:
            hub_builds += [(r, a.baseline_homer, f"{r} base") for r in ("check", "stats")]
        for routing, binary, label in hub_builds:
            port = free_port()
            cfg = {"hub": {"listen": f"127.0.0.1:{port}", "routing": routing, "node_timeout_ms": 60000,
                           "probe_interval_sec": 1},
                   "nodes": [{"name": n, "url": f"http://127.0.0.1:{nodes[n][1]}"} for n in plan]}
            path = os.path.join(tmp, f"hub-{label.replace(' ', '-')}.json")
            json.dump(cfg, open(path, "w"))
            procs.append(subprocess.Popen([binary, "hub", "--config", path],
                                          stdout=open(path + ".log", "w"), stderr=subprocess.STDOUT))
            wait_port(port)
            hubs[label] = f"http://127.0.0.1:{port}"
        ns = 1000
        if a.hold:
            print(json.dumps({"now_us": now, "week_us": week, "hubs": hubs,
                              "nodes": {n: f"http://127.0.0.1:{w}" for n, (_, w) in nodes.items()}}), flush=True)
            time.sleep(a.hold)
            return
        limits = [int(x) for x in a.limits.split(",")] if a.limits else [a.limit]
        cases = []
        for limit in limits:
            cases += [
                (f"last 10 min (hot only), limit {limit}", {"min_ts": (now - 600 * SEC) * ns, "max_ts": now * ns, "limit": limit},
                 ["hot"]),
                (f"last hour (hot+mid), limit {limit}", {"min_ts": (now - 3600 * SEC) * ns, "max_ts": now * ns, "limit": limit},
                 ["hot", "mid"]),
                (f"day a week ago (archive+mid), limit {limit}",
                 {"min_ts": week * ns, "max_ts": (week + 86400 * SEC) * ns, "limit": limit}, ["archive", "mid"]),
            ]
        print(f"rows per node {a.rows}, limits {limits}, {a.iterations} iterations per target, p50 / mean in ms, "
              f"load average {os.getloadavg()}")
        for label, body, queried in cases:
            targets = {f"direct {n}": f"http://127.0.0.1:{nodes[n][1]}" for n in queried}
            if len(queried) > 1:
                targets["direct concurrent"] = [targets[f"direct {n}"] for n in queried]
            # The floor of "check" routing: the client itself searches the queried nodes and asks the others
            # metadata/check, all at once (the checks of the nodes to skip compete for the same 2 cores).
            targets["direct + checks"] = [targets[f"direct {n}"] for n in queried] + [
                ("check", f"http://127.0.0.1:{nodes[n][1]}") for n in plan if n not in queried]
            targets["hub check"] = hubs["check"]
            targets["hub stats"] = hubs["stats"]
            targets["hub all"] = hubs["all"]
            for mode in ("check", "stats"):
                if f"{mode} base" in hubs:
                    targets[f"hub {mode} base"] = hubs[f"{mode} base"]
            times = {t: [] for t in targets}
            pool = ThreadPoolExecutor(max_workers=4)

            def run(url):
                if isinstance(url, list):  # the client's own fan-out: every queried node at once
                    check = {"min_ts": body["min_ts"], "max_ts": body["max_ts"]}
                    def one(u):
                        if isinstance(u, tuple):
                            return http(u[1] + "/api/v1/metadata/check", check)
                        return http(u + "/api/v1/search", body)
                    for status, out in pool.map(one, url):
                        assert status == 200, out
                    return
                status, out = http(url + "/api/v1/search", body)
                assert status == 200, out

            for t, url in targets.items():  # warm-up
                run(url)
            for _ in range(a.iterations):
                for t, url in targets.items():
                    t0 = time.perf_counter()
                    run(url)
                    times[t].append((time.perf_counter() - t0) * 1000)
            pool.shutdown()
            def p50(xs): return sorted(xs)[len(xs) // 2]
            res = {t: (p50(v), sum(v) / len(v)) for t, v in times.items()}
            slowest = max(res[f"direct {n}"][0] for n in queried)
            print(f"\n{label}")
            for t, (p, m) in res.items():
                print(f"  {t:18s} {p:8.2f} {m:8.2f}")
            modes = [m for m in ("check", "stats", "check base", "stats base") if f"hub {m}" in res]
            for mode in modes:
                hub = res[f"hub {mode}"][0]
                floor = res["direct concurrent"][0] if "direct concurrent" in res else slowest
                if mode.startswith("check"):
                    floor = res["direct + checks"][0]
                print(f"  hub {mode}: overhead vs slowest queried node (p50) {hub - slowest:+.2f} ms "
                      f"({(hub / slowest - 1) * 100:+.1f} %), vs its floor (direct concurrent / direct + checks) {hub - floor:+.2f} ms "
                      f"({(hub / floor - 1) * 100:+.1f} %), saved by skipping vs all {res['hub all'][0] - hub:+.2f} ms")
            print(f"  load average {os.getloadavg()}")
    finally:
        for p in procs:
            p.send_signal(signal.SIGTERM)
        for p in procs:
            try:
                p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                p.kill()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
