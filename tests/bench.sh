#!/bin/sh
# bench.sh - speed and memory figures (make bench).  Prints figures only.
#
#   render: a generated environment with 10,000 users each reading 2 of 100
#           topics, rendered into a temporary directory: best wall time of
#           3, output size and MB/s; again into the same directory (all
#           files unchanged); the same with --stdout (no file system);
#           peak RSS (GNU time when installed, else getrusage)
#   validate: 1,000 generated environment files in one `asbgen validate`
#
# Uses ${ASBGEN_BUILD:-build}/asbgen (else ./asbgen).
set -eu
export LC_ALL=C NO_COLOR=1

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
BUILD=${ASBGEN_BUILD:-build}
ASBGEN=$ROOT/$BUILD/asbgen
[ -x "$ASBGEN" ] || ASBGEN=$ROOT/asbgen
PY=/usr/bin/python3

TMP=$(mktemp -d "${TMPDIR:-/tmp}/asbgen-bench.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
trap 'rm -rf "$TMP"; exit 130' INT TERM HUP

"$PY" - "$TMP" <<'PYEOF'
import os, sys
d = sys.argv[1]
base = """name: {name}
platform:
  type: bare-metal
  bareMetal:
    addressPool: bench
    addressRange: 10.0.0.0/16
    storageClass: standard
registry:
  hostname: schemas.example.org
"""
ntopics, nusers = 100, 10000
with open(os.path.join(d, "large.yaml"), "w") as f:
    f.write(base.format(name="bench"))
    f.write("topics:\n")
    for t in range(ntopics):
        f.write(f"  - {{name: bench-topic-{t:03d}, partitions: 8}}\n")
    f.write("users:\n")
    for u in range(nusers):
        a, b = u % ntopics, (u * 7 + 3) % ntopics
        if a == b:
            b = (b + 1) % ntopics
        f.write(f"  - {{name: user-{u:05d}, topics: [bench-topic-{a:03d}, bench-topic-{b:03d}]}}\n")
os.makedirs(os.path.join(d, "many"))
for i in range(1000):
    with open(os.path.join(d, "many", f"env-{i:04d}.yaml"), "w") as f:
        f.write(base.format(name=f"env-{i:04d}"))
        f.write("topics:\n")
        for t in range(5):
            f.write(f"  - {{name: topic-{t}, partitions: {t + 1}}}\n")
        f.write("users:\n")
        for u in range(10):
            f.write(f"  - {{name: user-{u}, topics: [topic-{u % 5}]}}\n")
PYEOF

now_ns() { date +%s%N; }
spec_bytes=$(wc -c <"$TMP/large.yaml" | tr -d ' ')
echo "asbgen bench: $("$ASBGEN" version 2>/dev/null || echo '?') ($ASBGEN)"
echo "spec: 10,000 users x 2 topics, 100 topics: $spec_bytes bytes"

best=
for i in 1 2 3; do
	rm -rf "$TMP/out"
	t0=$(now_ns)
	"$ASBGEN" render -q "$TMP/large.yaml" -o "$TMP/out" >/dev/null
	t1=$(now_ns)
	ms=$(((t1 - t0) / 1000000))
	if [ -z "$best" ] || [ "$ms" -lt "$best" ]; then best=$ms; fi
done
out_bytes=$(find "$TMP/out" -type f -exec cat {} + | wc -c | tr -d ' ')
files=$(find "$TMP/out" -type f | wc -l | tr -d ' ')
awk -v ms="$best" -v b="$out_bytes" -v f="$files" 'BEGIN {
	printf "render: %d files, %.1f MB in %d ms (best of 3) = %.0f MB/s\n", f, b / 1e6, ms, (ms > 0 ? b / 1e6 / (ms / 1000) : 0)
}'

# Again into the same directory: every file exists and is unchanged, so
# nothing is written (each file is compared with the disk).
best=
for i in 1 2 3; do
	t0=$(now_ns)
	"$ASBGEN" render -q "$TMP/large.yaml" -o "$TMP/out" >/dev/null
	t1=$(now_ns)
	ms=$(((t1 - t0) / 1000000))
	if [ -z "$best" ] || [ "$ms" -lt "$best" ]; then best=$ms; fi
done
echo "render again, nothing changed: $files files compared in $best ms (best of 3)"

# The same without the file system: --stdout into /dev/null.
best=
for i in 1 2 3; do
	t0=$(now_ns)
	"$ASBGEN" render --stdout "$TMP/large.yaml" >/dev/null
	t1=$(now_ns)
	ms=$(((t1 - t0) / 1000000))
	if [ -z "$best" ] || [ "$ms" -lt "$best" ]; then best=$ms; fi
done
awk -v ms="$best" -v b="$out_bytes" 'BEGIN {
	printf "render --stdout: %.1f MB in %d ms (best of 3) = %.0f MB/s (no file writes)\n", b / 1e6, ms, (ms > 0 ? b / 1e6 / (ms / 1000) : 0)
}'

# Peak memory: GNU time if present, else the kernel's accounting via python.
rm -rf "$TMP/out"
if [ -x /usr/bin/time ] && /usr/bin/time -v true >/dev/null 2>&1; then
	/usr/bin/time -v "$ASBGEN" render -q "$TMP/large.yaml" -o "$TMP/out" 2>"$TMP/time.txt" >/dev/null
	rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$TMP/time.txt")
else
	rss=$("$PY" -c '
import resource, subprocess, sys
subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
' "$ASBGEN" render -q "$TMP/large.yaml" -o "$TMP/out")
fi
awk -v k="$rss" 'BEGIN { printf "render: peak RSS %.1f MiB\n", k / 1024 }'

# Validate 1,000 environments in one process.
best=
for i in 1 2 3; do
	t0=$(now_ns)
	"$ASBGEN" validate "$TMP"/many/*.yaml >/dev/null
	t1=$(now_ns)
	ms=$(((t1 - t0) / 1000000))
	if [ -z "$best" ] || [ "$ms" -lt "$best" ]; then best=$ms; fi
done
awk -v ms="$best" 'BEGIN { printf "validate: 1,000 environment files in %d ms (best of 3) = %.2f ms per file\n", ms, ms / 1000 }'
