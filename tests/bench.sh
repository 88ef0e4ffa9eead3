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
LIB_TMP_PREFIX=asbgen-bench
. "$(dirname "$0")/lib.sh"
[ -x "$ASBGEN" ] || ASBGEN=$ROOT/asbgen

# time_best COMMAND...: run COMMAND 3 times (output to /dev/null); set $best to
# the fastest wall time in ms.
time_best() {
	best=
	for i in 1 2 3; do
		t0=$(now_ns)
		"$@" >/dev/null
		t1=$(now_ns)
		ms=$(((t1 - t0) / 1000000))
		if [ -z "$best" ] || [ "$ms" -lt "$best" ]; then best=$ms; fi
	done
}
now_ns() { date +%s%N; }

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

spec_bytes=$(wc -c <"$TMP/large.yaml" | tr -d ' ')
echo "asbgen bench: $("$ASBGEN" version 2>/dev/null || echo '?') ($ASBGEN)"
echo "spec: 10,000 users x 2 topics, 100 topics: $spec_bytes bytes"

# a fresh directory each time
fresh_render() {
	rm -rf "$TMP/out"
	"$ASBGEN" render -q "$TMP/large.yaml" -o "$TMP/out"
}
time_best fresh_render
out_bytes=$(find "$TMP/out" -type f -exec cat {} + | wc -c | tr -d ' ')
files=$(find "$TMP/out" -type f | wc -l | tr -d ' ')
awk -v ms="$best" -v b="$out_bytes" -v f="$files" 'BEGIN {
	printf "render: %d files, %.1f MB in %d ms (best of 3) = %.0f MB/s\n", f, b / 1e6, ms, (ms > 0 ? b / 1e6 / (ms / 1000) : 0)
}'

# Again into the same directory: every file exists and is unchanged, so
# nothing is written (each file is compared with the disk).
time_best "$ASBGEN" render -q "$TMP/large.yaml" -o "$TMP/out"
echo "render again, nothing changed: $files files compared in $best ms (best of 3)"

# The same without the file system: --stdout into /dev/null.
time_best "$ASBGEN" render --stdout "$TMP/large.yaml"
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
time_best "$ASBGEN" validate "$TMP"/many/*.yaml
awk -v ms="$best" 'BEGIN { printf "validate: 1,000 environment files in %d ms (best of 3) = %.2f ms per file\n", ms, ms / 1000 }'
