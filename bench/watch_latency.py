# Watch latency: file landing -> committed (watch stderr) -> found by a separate search process.
# Usage: python3 watch_latency.py TONGBAO_BINARY INDEX_DIR CORPUS_DIR (CORPUS_DIR/000 must exist)
import subprocess, time, sys, os, threading
B, idx, docs = sys.argv[1], sys.argv[2], sys.argv[3]
p = subprocess.Popen([B, '--index', idx, 'watch', docs], stderr=subprocess.PIPE, text=True)
lines = []
ev = threading.Event()
def reader():
    for l in p.stderr:
        lines.append((time.time(), l.strip()))
        ev.set()
threading.Thread(target=reader, daemon=True).start()
t0 = time.time()
while not any('watching' in l for _, l in lines): time.sleep(0.05)
print(f"catch-up (start -> watching): {time.time()-t0:.2f}s  [{lines[0][1][:120]}]")
res = []
for i in range(5):
    time.sleep(1.0)
    n = len(lines)
    name = os.path.join(docs, '000', f'watchbench{i}_{int(t0)}.txt')
    word = f"鹈鹕{i}号码头"
    t_land = time.time()
    with open(name, 'w') as f: f.write(f"通报{i}\n公安机关在{word}查获走私冻品一批。\n")
    while len(lines) == n or not any('added' in l for _, l in lines[n:]): time.sleep(0.005)
    t_commit = [t for t, l in lines[n:] if 'added' in l][0]
    while True:
        out = subprocess.run([B, '--index', idx, 'search', '--json', '--all', word], capture_output=True, text=True).stdout
        if name in out: break
    t_found = time.time()
    res.append((t_commit - t_land, t_found - t_land))
    print(f"file {i}: committed after {t_commit-t_land:.2f}s, found by a search process after {t_found-t_land:.2f}s")
p.send_signal(2); p.wait(); print("watch exit", p.returncode)
