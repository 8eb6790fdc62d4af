# Generate N synthetic bulletins (3-5 KB of Chinese text) by mixing sentences from the dev corpus.
# Usage: python3 gen_corpus.py OUT_DIR N
import os, random, re, sys, glob
out = sys.argv[1]; n = int(sys.argv[2])
sents = []
for f in glob.glob('/work/shared/eval/dev/docs/*'):
    t = open(f, encoding='utf-8', errors='ignore').read()
    sents += [s for s in re.split(r'(?<=[。！？])', t) if 15 < len(s) < 200]
random.seed(1)
for i in range(n):
    d = os.path.join(out, f"{i//1000:03d}")
    if i % 1000 == 0: os.makedirs(d, exist_ok=True)
    body = []; size = 0; target = random.randint(1000, 1700)  # chars (~3-5 KB UTF-8)
    while size < target:
        s = random.choice(sents).strip(); body.append(s); size += len(s)
    with open(os.path.join(d, f"{i}.txt"), 'w', encoding='utf-8') as fh:
        fh.write(f"关于第{i}号警情的通报\n\n" + "\n".join("".join(body[j:j+4]) for j in range(0, len(body), 4)) + "\n")
