# lib.sh - what every test script shares; sourced, never run:
#
#   . "$(dirname "$0")/lib.sh"
#
# by tests/run.sh, tests/valgrind.sh, tests/bench.sh and every
# tests/suite_*.sh.  Sets the environment (LC_ALL=C, NO_COLOR, TZ=UTC, no
# ASBGEN_DATA), changes to the checkout ($ROOT) and defines:
#
#   BUILD SHARED ASBGEN PY CONF REFERENCE   paths ($ASBGEN_BUILD, default
#       build; $ASBGEN_SHARED, default ../shared beside the checkout)
#   TMP      a temporary directory, removed on exit (the cleanup function;
#            a script that starts servers traps EXIT itself and calls it)
#   ok NAME / notok NAME [DETAIL] / check NAME COMMAND... / fold FILE [PREFIX]
#   run_folded NAME OUT COMMAND... / section TITLE / expect_exit WANT NAME
#   COMMAND... / diagnostics_json FILE [ASSERT] / env_of SPEC DEFAULT / finish
#   setup    the suites' fixtures: asbgen is built, ENV_SPECS and ENV_TABLE
#            (one "SPEC NAME STRIMZI-VERSION" line per environment), MIN, and
#            B (a scratch directory that expect_exit runs in)
#   suite FILE   the first line of a suite file, after sourcing this one:
#            when FILE is the script being run (sh tests/FILE), runs the
#            whole file as run.sh would and prints its closing line; when
#            run.sh sources FILE, does nothing
#
# Every check prints "ok - NAME" or "not ok - NAME" with indented details;
# finish prints "N passed, N failed" and exits 1 when anything failed.

# Once per shell: run.sh sources this, then each suite file sources it again.
[ -z "${ASBGEN_TEST_LIB:-}" ] || return 0
ASBGEN_TEST_LIB=1
set -u

LC_ALL=C
NO_COLOR=1
TZ=UTC
export LC_ALL NO_COLOR TZ
unset ASBGEN_DATA CDPATH 2>/dev/null || true

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 2

abs() {
	case "$1" in
	/*) printf '%s\n' "$1" ;;
	*) printf '%s\n' "$ROOT/$1" ;;
	esac
}
BUILD=$(abs "${ASBGEN_BUILD:-build}")
SHARED=$(abs "${ASBGEN_SHARED:-../shared}")
ASBGEN=$BUILD/asbgen
PY=/usr/bin/python3
CONF=$SHARED/conformance
REFERENCE=$SHARED/reference/phalanx/rendered-usdfdev.yaml

# Sanitizers: stop at the first error, and say so on stderr (which the
# checks compare or show).  intercept_tls_get_addr=0: GCC 12's libasan
# records a bogus dynamic-TLS range for OpenSSL (dlopen'd with libcurl)
# once a client key is loaded under glibc 2.36, and LeakSanitizer's tracer
# then dies scanning it at exit ("Tracer caught signal 11", every run of
# the live client-key check); without the interception LSan skips dynamic
# TLS, which holds no asbgen pointer.
ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=0:halt_on_error=1:detect_leaks=1:intercept_tls_get_addr=0}
UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export ASAN_OPTIONS UBSAN_OPTIONS

TMP=$(mktemp -d "${TMPDIR:-/tmp}/${LIB_TMP_PREFIX:-asbgen-test}.XXXXXX") || exit 2
# Render notes (README, "Re-rendering") go here, not into the user's cache.
ASBGEN_CACHE_DIR=$TMP/cache
export ASBGEN_CACHE_DIR
cleanup() {
	chmod -R u+w "$TMP" 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'cleanup; exit 130' INT TERM HUP

passed=0
failed=0

# ok NAME / notok NAME [DETAIL]: one check; DETAIL (text) is indented, at
# most 60 lines of it.
ok() {
	passed=$((passed + 1))
	printf 'ok - %s\n' "$1"
}
notok() {
	failed=$((failed + 1))
	printf 'not ok - %s\n' "$1"
	if [ $# -gt 1 ] && [ -n "$2" ]; then
		printf '%s\n' "$2" | awk 'NR <= 60 { print "    " $0 } NR == 61 { print "    ..." }'
	fi
}
# check NAME COMMAND...: ok when COMMAND exits 0, else not ok with its output.
check() {
	name=$1
	shift
	if out=$("$@" 2>&1); then
		ok "$name"
	else
		notok "$name" "exit $?: $out"
	fi
}
# fold FILE [PREFIX]: count and show the ok / not ok lines a helper printed
# (its other lines are details, indented; '#' lines are shown as they are).
fold() {
	awk -v prefix="${2:-}" -v counts="$TMP/counts" '
		/^ok - / { p++; sub(/^ok - /, ""); print "ok - " prefix $0; next }
		/^not ok - / { f++; sub(/^not ok - /, ""); print "not ok - " prefix $0; next }
		/^#/ { print; next }
		/^[[:space:]]*$/ { next }
		{ print "    " $0 }
		END { printf "%d %d\n", p, f > counts }
	' "$1"
	read -r fp ff <"$TMP/counts"
	passed=$((passed + fp))
	failed=$((failed + ff))
}
# run_folded NAME OUT COMMAND...: run a helper that prints ok / not ok lines
# into OUT and fold them; a helper that fails without a failed check is a
# failed check "NAME: runner".
run_folded() {
	rf_name=$1 rf_out=$2
	shift 2
	"$@" >"$rf_out" 2>&1 </dev/null
	rf_rc=$?
	fold "$rf_out"
	if [ "$rf_rc" -ne 0 ] && ! grep -q '^not ok - ' "$rf_out"; then
		notok "$rf_name: runner" "exit $rf_rc"
	fi
}

section() { printf '# %s\n' "$1"; }

# expect_exit WANT NAME COMMAND...: ok when COMMAND, run in $B, exits WANT.
expect_exit() {
	want=$1 name=$2
	shift 2
	(cd "$B" && "$@") >"$TMP/e.out" 2>"$TMP/e.err"
	rc=$?
	if [ "$rc" -eq "$want" ]; then
		ok "$name (exit $want)"
	else
		notok "$name (exit $want)" "exit $rc; stdout: $(head -c 2000 "$TMP/e.out"); stderr: $(head -c 2000 "$TMP/e.err")"
	fi
}

# diagnostics_json FILE [ASSERT]: FILE is valid against
# schemas/diagnostics.schema.json (Python's jsonschema) and ASSERT, a Python
# expression on the document `doc`, holds; else prints why, and fails.
diagnostics_json() {
	"$PY" -c '
import json, sys, jsonschema
with open("schemas/diagnostics.schema.json") as f:
    schema = json.load(f)
with open(sys.argv[1]) as f:
    doc = json.load(f)
jsonschema.validate(doc, schema)
assert eval(sys.argv[2]), doc
' "$1" "${2:-True}" 2>&1
}

# finish: the closing line; the exit status says whether anything failed.
finish() {
	# A group sourced by run.sh that finishes would end the run there,
	# with the later groups silently not run.
	if [ -n "${RUN_GROUP:-}" ]; then
		notok "group $RUN_GROUP ends the run (it calls finish or exits): later groups did not run"
	fi
	printf '%d passed, %d failed\n' "$passed" "$failed"
	[ "$failed" -eq 0 ]
	exit
}

# setup: the fixtures every suite may use (once).
setup() {
	[ -z "${ENV_TABLE:-}" ] || return 0
	if [ ! -x "$ASBGEN" ]; then
		notok "asbgen is built ($ASBGEN)" "run make (or make san) first"
		finish
	fi
	ENV_SPECS=$(ls environments/*.yaml 2>/dev/null)
	MIN=environments/minimal.yaml
	B=$TMP/behave
	mkdir -p "$B"
	# The environment names (output directories) and Strimzi versions, from
	# `asbgen model`, one "SPEC NAME VERSION" line each.
	ENV_TABLE=$TMP/envs
	: >"$ENV_TABLE"
	for spec in $ENV_SPECS; do
		"$ASBGEN" model "$spec" 2>"$TMP/model.err" |
			"$PY" -c 'import json, sys; m = json.load(sys.stdin); print(sys.argv[1], m["env"]["name"], m["strimzi"]["version"])' "$spec" \
				>>"$ENV_TABLE" 2>>"$TMP/model.err" ||
			notok "model: asbgen model $spec" "$(cat "$TMP/model.err")"
	done
}

# env_of SPEC: the environment name (output directory) of SPEC, else DEFAULT.
env_of() {
	eo=$(awk -v s="$1" '$1 == s { print $2 }' "$ENV_TABLE")
	printf '%s\n' "${eo:-$2}"
}

# suite FILE: see the top of this file.
suite() {
	[ "${0##*/}" = "$1" ] && [ "${SUITE_ALONE:-}" != "$1" ] || return 0
	SUITE_ALONE=$1
	setup
	. "$ROOT/tests/$1"
	finish
}
