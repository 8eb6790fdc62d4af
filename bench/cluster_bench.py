"""What the cluster benchmarks share: their command line (a binary, a local index, a store,
rounds, the eval sets) and the eval sets' queries (dev, dev2), in file order."""
import argparse, json
from pathlib import Path


def arguments(rounds):
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--index", required=True)
    ap.add_argument("--store", required=True)
    ap.add_argument("--rounds", type=int, default=rounds)
    ap.add_argument("--eval", default=str(Path(__file__).resolve().parent.parent.parent / "shared" / "eval"))
    return ap.parse_args()


def eval_queries(eval_dir):
    queries = []
    for s in ("dev", "dev2"):
        for line in open(Path(eval_dir) / s / "queries.jsonl", encoding="utf-8"):
            if line.strip():
                queries.append(json.loads(line)["query"])
    return queries
