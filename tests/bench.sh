#!/bin/sh
# bench.sh - speed and memory figures (make bench).  Prints figures only.
#
# Builds the lean Helm stand-in ($SHARED/tools/helmengine-lean, Go from
# Debian) into $BUILD/he-lean, then runs tests/bench.py: asbgen and the
# stand-in on the same environments (usdfdev, 1k, 10k, 50k users), median of
# $BENCH_RUNS runs (default 7), with ratios, `cat` floor multiples and peaks.
#
# Uses ${ASBGEN_BUILD:-build}/asbgen (else ./asbgen).
set -eu
LIB_TMP_PREFIX=asbgen-bench
. "$(dirname "$0")/lib.sh"
[ -x "$ASBGEN" ] || ASBGEN=$ROOT/asbgen

helm=$BUILD/he-lean
lean=$SHARED/tools/helmengine-lean
if [ ! -x "$helm" ] || [ "$lean/main.go" -nt "$helm" ]; then
	mkdir -p "$BUILD/gocache"
	GOCACHE=$BUILD/gocache sh "$lean/build.sh" "$helm" >&2 || helm=-
fi
LOADBENCH=$BUILD/tools/loadbench "$PY" "$ROOT/tests/bench.py" "$ASBGEN" "$helm" "$SHARED" "$TMP" "${BENCH_RUNS:-7}"
