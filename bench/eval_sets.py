#!/usr/bin/env python3
"""Score tongbao on every labelled set at once and print the figures side by side.

    python3 bench/eval_sets.py                      # all sets under ../shared/eval
    python3 bench/eval_sets.py --dates -v dev2      # one set, with the date audit per doc

For each set (a folder with docs/, labels.jsonl, queries.jsonl) it runs the shared
evaluate.py and prints its summary lines unchanged, so figures quoted from here are the
harness's own. With --dates it also audits the publication dates through
`tongbao extract --json`: evaluate.py counts a "false date" only where the label has none,
while a date with the wrong year is just as bad for a reader, so the audit counts both
(`wrong` = dated, but not the labelled date) and names the evidence (`date_source`) of each.
The last table puts the sets side by side.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def load_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def find_sets(eval_dir, names):
    if names:
        return [n if os.path.isdir(n) else os.path.join(eval_dir, n) for n in names]
    return sorted(
        os.path.join(eval_dir, d)
        for d in os.listdir(eval_dir)
        if os.path.isfile(os.path.join(eval_dir, d, "labels.jsonl"))
    )


def audit_dates(binary, set_dir, verbose):
    """Per-document date check through `extract --json`; returns the counts."""
    labels = {l["id"]: l for l in load_jsonl(os.path.join(set_dir, "labels.jsonl"))}
    docs = os.path.join(set_dir, "docs")
    files = sorted(os.path.join(docs, f) for f in os.listdir(docs))
    p = subprocess.run([binary, "extract", "--json"] + files, capture_output=True, text=True)
    got = {}
    for line in p.stdout.splitlines():
        try:
            obj = json.loads(line)
        except json.JSONDecodeError:
            continue
        got[os.path.splitext(os.path.basename(obj.get("path", "")))[0]] = obj
    counts = {"labelled": 0, "right": 0, "missed": 0, "wrong": 0, "false": 0}
    for did, lab in sorted(labels.items()):
        g = got.get(did, {})
        have, want = g.get("date"), lab.get("date")
        source = g.get("date_source")
        if want:
            counts["labelled"] += 1
        if have and have == want:
            counts["right"] += 1
            continue
        if not have and not want:
            continue
        kind = "missed" if not have else ("wrong" if want else "false")
        counts[kind] += 1
        if verbose:
            print("    %s %-6s got %s (%s) label %s" % (did, kind, have, source, want))
    return counts


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("sets", nargs="*", help="set names under --eval-dir, or folders (default: all)")
    ap.add_argument("--bin", default=os.path.join(ROOT, "target", "release", "tongbao"))
    ap.add_argument("--eval-dir", default=os.path.join(ROOT, "..", "shared", "eval"))
    ap.add_argument("--dates", action="store_true", help="audit dates per document")
    ap.add_argument("-v", "--verbose", action="store_true", help="pass -v to evaluate.py")
    a = ap.parse_args()

    evaluate = os.path.join(a.eval_dir, "evaluate.py")
    if not os.path.isfile(evaluate):
        sys.exit("eval_sets: no evaluate.py in %s (give --eval-dir)" % a.eval_dir)
    if not os.path.isfile(a.bin):
        sys.exit("eval_sets: no binary at %s (cargo build --release, or give --bin)" % a.bin)
    rows = []
    for set_dir in find_sets(a.eval_dir, a.sets):
        name = os.path.basename(os.path.normpath(set_dir))
        print("== %s" % name)
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "figures.json")
            cmd = [sys.executable, evaluate, "--bin", a.bin, "--set", set_dir, "--json", out]
            if a.verbose:
                cmd.append("-v")
            p = subprocess.run(cmd, capture_output=True, text=True)
            sys.stdout.write(p.stdout)
            if p.returncode != 0 or not os.path.isfile(out):
                print("  evaluate.py failed (exit %d): %s" % (p.returncode, p.stderr.strip()[-300:]))
                continue
            with open(out, encoding="utf-8") as f:
                fig = json.load(f)
        if a.dates:
            print("  date audit:")
            fig["audit"] = audit_dates(a.bin, set_dir, True)
        rows.append((name, fig))

    print()
    head = "%-6s %5s %8s %6s %6s %5s %7s %6s %7s %6s %6s" % (
        "set", "docs", "province", "city", "date", "false", "cat F1", "filter", "nDCG10", "R@10", "wrong")
    print(head)
    for name, f in rows:
        t = f.get("tongbao", {})
        wrong = f.get("audit", {}).get("wrong")
        print("%-6s %5d %8.3f %6.3f %6s %5d %7.3f %6s %7.3f %6.3f %6s" % (
            name, f["docs"], f["province_acc"], f["city_acc"], f["date_acc"], f["false_dates"],
            f["category_f1"], f["filter_precision"], t.get("ndcg10", 0), t.get("recall10", 0),
            "-" if wrong is None else wrong))
    return 0


if __name__ == "__main__":
    sys.exit(main())
