#!/usr/bin/env python3
"""Watch latency: from a file landing to its commit (watch's stderr) and to the first
separate `search` process that finds it.

    python3 bench/watch_latency.py INDEX_DIR CORPUS_DIR [--bin target/release/tongbao]

Starts `tongbao watch CORPUS_DIR`, writes five bulletins one second apart into
CORPUS_DIR/watch-latency/ and prints both times for each; then removes them (and waits for
the index to drop them) and stops the watch. A relative --bin is taken from the repository
root, so the script runs from anywhere.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("index", help="index folder (built from CORPUS_DIR, or built by the watch's catch-up)")
    ap.add_argument("corpus", help="folder of bulletins the watch follows")
    ap.add_argument("--bin", default="target/release/tongbao", help="tongbao binary (relative: from the repository root)")
    a = ap.parse_args()
    binary = os.path.join(ROOT, a.bin)
    if not os.access(binary, os.X_OK):
        sys.exit(f"watch_latency: no binary at {binary} (cargo build --release, or give --bin)")
    if not os.path.isdir(a.corpus):
        sys.exit(f"watch_latency: {a.corpus} is not a folder")
    drop = os.path.join(a.corpus, "watch-latency")
    os.makedirs(drop, exist_ok=True)

    watch = subprocess.Popen([binary, "--index", a.index, "watch", a.corpus], stderr=subprocess.PIPE, text=True)
    lines = []

    def read_stderr():
        for line in watch.stderr:
            lines.append((time.time(), line.strip()))

    threading.Thread(target=read_stderr, daemon=True).start()

    def wait_for(pattern, since):
        while True:
            hit = [t for t, l in lines[since:] if re.search(pattern, l)]
            if hit:
                return hit[0]
            if watch.poll() is not None:
                sys.exit("watch_latency: watch stopped: " + " | ".join(l for _, l in lines[-3:]))
            time.sleep(0.005)

    t0 = time.time()
    wait_for("watching", 0)
    print(f"catch-up (start -> watching): {time.time() - t0:.2f}s  [{lines[0][1][:120]}]")
    written = []
    for i in range(5):
        time.sleep(1.0)
        n = len(lines)
        name = os.path.join(drop, f"watchbench{i}_{int(t0)}.txt")
        word = f"鹈鹕{i}号码头"
        t_land = time.time()
        with open(name, "w", encoding="utf-8") as f:
            f.write(f"通报{i}\n公安机关在{word}查获走私冻品一批。\n")
        written.append(name)
        t_commit = wait_for(r"\b[1-9]\d* added", n)
        while True:
            out = subprocess.run([binary, "--index", a.index, "search", "--json", "--all", word], capture_output=True, text=True).stdout
            if os.path.basename(name) in out:
                break
        t_found = time.time()
        print(f"file {i}: committed after {t_commit - t_land:.2f}s, found by a search process after {t_found - t_land:.2f}s")
    n = len(lines)
    shutil.rmtree(drop)
    wait_for(r"\b[1-9]\d* removed", n)
    watch.send_signal(2)
    watch.wait()
    print("watch exit", watch.returncode)


if __name__ == "__main__":
    main()
