#!/usr/bin/env python3
"""What `tongbao serve --store` saves over `tongbao search --store`: every query of the eval
sets (dev, dev2) as a whole `search --store` process, as GET /api/search on a running
`serve --store`, and as GET /api/search on a running local `serve` of the same files,
the three alternating query by query so load changes hit all alike.

    bench/cluster-serve.py --bin target/release/tongbao --index DIR --store solr:http://…/solr/COLL [--rounds 3]

Prints p50/p90/p99/max wall milliseconds per way, and in how many searches the two servers
returned the same hit ids in the same order. Both stores must hold the same files (e.g. the
corpus `tongbao bench-cluster --keep --dir DIR` leaves behind, with its local index in
DIR/index: see the script's --index)."""
import json, statistics, subprocess, sys, time, urllib.parse, urllib.request

from cluster_bench import arguments, eval_queries

a = arguments(rounds=3)
queries = eval_queries(a.eval)

env = {"PATH": "/usr/bin:/bin"}

def serve(args):
    p = subprocess.Popen([a.bin, *args, "serve", "--listen", "127.0.0.1:0"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
    line = p.stdout.readline()
    url = next((w for w in line.split() if w.startswith("http://")), None)
    if not url:
        sys.exit(f"serve {args} did not start: {line!r}")
    return p, url.rstrip("/")

def get(base, q):
    t = time.perf_counter()
    # The page's defaults (synonyms, categories, partial matches).
    with urllib.request.urlopen(f"{base}/api/search?q={urllib.parse.quote(q)}", timeout=120) as r:
        body = json.load(r)
    return (time.perf_counter() - t) * 1000, [h["id"] for h in body["hits"]]

def process(q):
    t = time.perf_counter()
    p = subprocess.run([a.bin, "--store", a.store, "search", q, "--json", "--no-partial"], capture_output=True, text=True, env=env)
    if p.returncode not in (0, 1):
        sys.exit(f"search {q}: {p.stderr.strip()}")
    return (time.perf_counter() - t) * 1000

local, lurl = serve(["--index", a.index])
cluster, curl = serve(["--store", a.store])
times = {"search --store": [], "serve --store": [], "serve (local)": []}
same = 0
try:
    for _ in range(a.rounds):
        for q in queries:
            times["search --store"].append(process(q))
            ct, ch = get(curl, q)
            lt, lh = get(lurl, q)
            times["serve --store"].append(ct)
            times["serve (local)"].append(lt)
            same += ch == lh
finally:
    local.terminate()
    cluster.terminate()

def pct(v, p):
    v = sorted(v)
    return v[min(len(v) - 1, int(round(p / 100 * (len(v) - 1))))]

print(f"{len(queries)} queries x {a.rounds} rounds, alternating; the servers' pages have the same ids in the same order in {same} of {len(queries) * a.rounds}")
for k, v in times.items():
    print(f"{k:15s} p50 {pct(v,50):7.1f} ms  p90 {pct(v,90):7.1f}  p99 {pct(v,99):7.1f}  max {max(v):7.1f}  mean {statistics.mean(v):7.1f}")
