#!/usr/bin/env bash
# Load benchmark of `tongbao serve` (not a timed test): CONNECTIONS concurrent clients (wrk,
# Debian package `wrk`) for SECONDS against an index, cycling through the searches of
# serve_load.lua. Prints wrk's requests/s, latency percentiles and errors, the server's
# memory and the machine's load before and after.
#
#   tongbao bench --docs 100000 --keep --dir /tmp/tb100k --only index   # a 100k index
#   bench/serve_load.sh target/release/tongbao /tmp/tb100k/index 16 30
set -euo pipefail
bin=$1
index=$2
connections=${3:-16}
seconds=${4:-30}
here=$(cd "$(dirname "$0")" && pwd)
command -v wrk > /dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
log=$(mktemp)
"$bin" --index "$index" serve --listen 127.0.0.1:0 > "$log" 2>&1 &
pid=$!
trap 'kill "$pid" 2> /dev/null || true; rm -f "$log"' EXIT
for _ in $(seq 300); do grep -q 'http://' "$log" && break; sleep 0.1; done
url=$(grep -o 'http://[^ ]*' "$log" | head -n 1)
url=${url%/}
head -n 1 "$log"
rss() { awk -v k="$1:" '$1 == k { print $2 / 1024 " MB" }' "/proc/$pid/status"; }
echo "server RSS after start: $(rss VmRSS)"
echo "warm-up: 5 s"
wrk -t2 -c"$connections" -d5s -s "$here/serve_load.lua" "$url" > /dev/null
echo "server RSS after warm-up: $(rss VmRSS)"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
wrk -t2 -c"$connections" -d"${seconds}s" --timeout 30s --latency -s "$here/serve_load.lua" "$url"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "server RSS at the end: $(rss VmRSS); peak since start: $(rss VmHWM)"
code=$(curl -s -o /dev/null -w '%{http_code}' "$url/api/health" || true)
echo "health after the run: $code"
