#!/usr/bin/env bash
# Indexing into SolrCloud vs into the local index, same corpus, same run:
#   bench/cluster.sh [DOCS]          (default 10000; run from the repository root)
# Builds the release binary and the 2-node harness (cluster/harness) if needed, starts the
# harness, runs the hidden `tongbao bench-cluster` against a fresh collection `bench`
# (2 shards x 2 replicas), prints bulletins/s, MB/s and bytes per bulletin for both, and
# stops the harness (closing its stdin shuts it down and removes its folder).
set -euo pipefail
cd "$(dirname "$0")/.."
docs="${1:-10000}"
cargo build --release --locked -q
[ -f cluster/harness/target/harness.jar ] || mvn -B -q -f cluster/harness/pom.xml package
coproc HARNESS { java -jar cluster/harness/target/harness.jar 2> /dev/null; }
read -r ready <&"${HARNESS[0]}"
node=$(printf '%s' "$ready" | sed -n 's/.*"nodes":\["\([^"]*\)".*/\1/p')
[ -n "$node" ] || { echo "the harness did not start: $ready" >&2; exit 1; }
echo "harness: $ready"
target/release/tongbao --store "solr:$node/bench" bench-cluster --docs "$docs"
exec {HARNESS[1]}>&-
wait "$HARNESS_PID" 2> /dev/null || true
