#!/usr/bin/env python3
"""Hub A/B: wall time and the Hub process's CPU per search, for several hubs timed interleaved (same nodes, same load).

Start the cluster with `bench/hub_bench.py --homer NEW --baseline-homer OLD --hold 1800 > hold.json` (it prints the
URLs as JSON, then keeps everything up), then:

    bench/hub_ab_cpu.py hold.json ROUNDS PER_ROUND LIMIT name=URL=PID ...

PID is the hub process (`pgrep -f hub-stats.json`), `-` for a target that is not a hub (the node itself: `direct`).
Each round sends PER_ROUND sequential searches (the last 10 minutes: only the hot node holds them) to each target in
turn, a new connection per request as the main bench does; CPU is utime+stime of PID from /proc, so it includes the
Hub's background polling (a few requests a second)."""
import json, os, sys, time, http.client

hold, rounds, per, limit = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
info = json.loads(open(hold).readline())
targets = [a.split("=") for a in sys.argv[5:]]
now = info["now_us"]
body = json.dumps({"min_ts": (now - 600_000_000) * 1000, "max_ts": now * 1000, "limit": limit}).encode()
tick = os.sysconf("SC_CLK_TCK")


def cpu(pid):
    if pid == "-":
        return 0.0
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / tick


results = {name: ([], 0.0, 0) for name, _, _ in targets}
size = 0
for _ in range(rounds):
    for name, url, pid in targets:
        host, port = url.split("//")[1].split(":")
        c0, walls = cpu(pid), []
        for _ in range(per):
            conn = http.client.HTTPConnection(host, int(port))
            t0 = time.perf_counter()
            conn.request("POST", "/api/v1/search", body, {"Content-Type": "application/json"})
            resp = conn.getresponse()
            data = resp.read()
            assert resp.status == 200, data
            walls.append((time.perf_counter() - t0) * 1000)
            conn.close()
            size = len(data)
        w, c, n = results[name]
        results[name] = (w + walls, c + cpu(pid) - c0, n + per)
print(f"limit {limit}, answer {size} bytes, load average {os.getloadavg()}")
for name, (w, c, n) in results.items():
    w.sort()
    print(f"{name:14s} p50 {w[len(w) // 2]:7.2f} ms  p25 {w[len(w) // 4]:7.2f} ms  hub CPU/request {c / n * 1000:6.3f} ms")
