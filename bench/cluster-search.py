#!/usr/bin/env python3
"""Search latency through a SolrCloud collection against the local index of the same files,
same run: every query of the eval sets (dev, dev2), as whole `tongbao search` processes,
local and cluster alternating query by query so load changes hit both alike.

    bench/cluster-search.py --bin target/release/tongbao --index DIR --store solr:http://…/solr/COLL [--rounds 5]

Prints p50/p90/p99/max wall milliseconds per store and the hits both returned. Both stores
must hold the same files (e.g. the corpus `tongbao bench-cluster --keep` leaves behind,
indexed locally and with --store)."""
import json, statistics, subprocess, sys, time

from cluster_bench import arguments, eval_queries

a = arguments(rounds=5)
queries = eval_queries(a.eval)

def run(args):
    t = time.perf_counter()
    p = subprocess.run([a.bin, *args], capture_output=True, text=True, env={"PATH": "/usr/bin:/bin"})
    ms = (time.perf_counter() - t) * 1000
    if p.returncode not in (0, 1):
        sys.exit(f"{args}: {p.stderr.strip()}")
    return ms, [json.loads(l).get("id") for l in p.stdout.splitlines() if l.startswith('{"type":"hit"')]

times = {"local": [], "cluster": []}
same = 0
for r in range(a.rounds):
    for q in queries:
        lt, lh = run(["--index", a.index, "search", q, "--json", "--no-partial"])
        ct, ch = run(["--store", a.store, "search", q, "--json", "--no-partial"])
        times["local"].append(lt)
        times["cluster"].append(ct)
        same += sorted(lh) == sorted(ch)

def pct(v, p):
    v = sorted(v)
    return v[min(len(v) - 1, int(round(p / 100 * (len(v) - 1))))]

print(f"{len(queries)} queries x {a.rounds} rounds, whole processes, alternating; same hit sets in {same} of {len(queries) * a.rounds}")
for k, v in times.items():
    print(f"{k:8s} p50 {pct(v,50):7.1f} ms  p90 {pct(v,90):7.1f}  p99 {pct(v,99):7.1f}  max {max(v):7.1f}  mean {statistics.mean(v):7.1f}")
