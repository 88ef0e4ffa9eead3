#!/bin/sh
# run.sh - asbgen's whole test suite.
#
#   sh tests/run.sh                           (make test)
#   ASBGEN_BUILD=build-san sh tests/run.sh    (make san: the same under ASan+UBSan)
#
# Every check prints "ok - NAME" or "not ok - NAME" with indented details;
# the last line is "N passed, N failed"; exit 1 when anything failed.
#
# Binaries come from $ASBGEN_BUILD (default build): asbgen, tests/test_*,
# tools/*.  The conformance CRDs and the Phalanx reference come from
# $ASBGEN_SHARED (default ../shared, beside the checkout).  Needs what
# `sh tests/deps.sh test` installs.
#
# Groups: unit, golden, determinism, conformance, parsers, bad inputs,
# render behaviour, asbgen check (tests/suite_check.sh), equivalence with
# the Phalanx reference, diff (tests/suite_diff.sh), live diff against a
# local HTTPS API server (tests/suite_live.sh), fuzzing reproducers and
# all-or-nothing writes (tests/suite_robust.sh).
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
# checks below compare or show).
ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=0:halt_on_error=1:detect_leaks=1}
UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export ASAN_OPTIONS UBSAN_OPTIONS

TMP=$(mktemp -d "${TMPDIR:-/tmp}/asbgen-test.XXXXXX") || exit 2
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

section() { printf '# %s\n' "$1"; }

if [ ! -x "$ASBGEN" ]; then
	notok "asbgen is built ($ASBGEN)" "run make (or make san) first"
	printf '%d passed, %d failed\n' "$passed" "$failed"
	exit 1
fi

ENV_SPECS=$(ls environments/*.yaml 2>/dev/null)

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

# ---------------------------------------------------------------- unit
section "unit tests ($BUILD/tests)"
found=0
for t in "$BUILD"/tests/test_*; do
	[ -x "$t" ] || continue
	found=1
	name=$(basename "$t")
	"$t" >"$TMP/unit.out" 2>&1
	rc=$?
	fold "$TMP/unit.out" "$name: "
	if [ "$rc" -ne 0 ] && ! grep -q '^not ok - ' "$TMP/unit.out"; then
		notok "$name: exits 0" "exit $rc without a failed check; last lines:
$(tail -n 20 "$TMP/unit.out")"
	fi
done
[ "$found" = 1 ] || notok "unit: test programs in $BUILD/tests" "none found; run make test"

# ---------------------------------------------------------------- golden
section "golden: out/ is what the templates render"
if out=$("$ASBGEN" render --check $ENV_SPECS -o out 2>&1); then
	ok "golden: asbgen render --check environments/*.yaml -o out"
else
	notok "golden: asbgen render --check environments/*.yaml -o out" "exit $?:
$out"
fi
# Warnings the environments are meant to give: tests/environments-warnings.txt.
if out=$("$ASBGEN" validate $ENV_SPECS 2>&1) && [ "$out" = "$(cat tests/environments-warnings.txt)" ]; then
	ok "golden: asbgen validate environments/*.yaml gives only tests/environments-warnings.txt"
else
	notok "golden: asbgen validate environments/*.yaml gives only tests/environments-warnings.txt" "$out"
fi
# The schema is the one home of the defaults: each of them reaches the model.
mkdir -p "$TMP/model-defaults"
"$PY" tests/model_defaults.py "$ASBGEN" schemas/environment.schema.json "$TMP/model-defaults" >"$TMP/model-defaults.out" 2>&1
while IFS= read -r line; do
	case "$line" in
	"ok - "*) ok "${line#ok - }" ;;
	"not ok - "*) notok "${line#not ok - }" ;;
	"    "*) printf '%s\n' "$line" ;;
	*) notok "model defaults: $line" ;;
	esac
done <"$TMP/model-defaults.out"
# README's "Every key" table is generated from the schema (tests/readme_keys.py).
if out=$("$PY" tests/readme_keys.py --check README.md schemas/environment.schema.json 2>&1); then
	ok "README: the Every key table is the schema's"
else
	notok "README: the Every key table is the schema's" "$out"
fi

# ---------------------------------------------------------------- determinism
section "determinism"
r1=$TMP/det1 r2=$TMP/det2 r3=$TMP/det3
"$ASBGEN" render -q $ENV_SPECS -o "$r1" >"$TMP/det1.log" 2>&1
rc1=$?
"$ASBGEN" render -q $ENV_SPECS -o "$r2" >"$TMP/det2.log" 2>&1
rc2=$?
if [ "$rc1" -ne 0 ] || [ "$rc2" -ne 0 ]; then
	notok "determinism: render all environments twice" "$(cat "$TMP/det1.log" "$TMP/det2.log")"
elif d=$(diff -r "$r1" "$r2" 2>&1); then
	ok "determinism: two renders are byte-identical"
else
	notok "determinism: two renders are byte-identical" "$d"
fi
if d=$(diff -r "$r1" out 2>&1); then
	ok "determinism: a fresh render equals out/"
else
	notok "determinism: a fresh render equals out/" "$d"
fi
# Another working directory, absolute spec paths, another time zone and
# umask: the bytes must not change.
mkdir -p "$TMP/elsewhere"
specs_abs=
for s in $ENV_SPECS; do specs_abs="$specs_abs $ROOT/$s"; done
if (cd "$TMP/elsewhere" && umask 077 && TZ=Pacific/Kiritimati "$ASBGEN" render -q $specs_abs -o "$r3") >"$TMP/det3.log" 2>&1 &&
	d=$(diff -r "$r1" "$r3" 2>&1); then
	ok "determinism: same bytes from another directory, spec path, time zone and umask"
else
	notok "determinism: same bytes from another directory, spec path, time zone and umask" \
		"$(cat "$TMP/det3.log")${d:+
$d}"
fi

# ---------------------------------------------------------------- conformance
section "conformance: strict CRD validation ($CONF)"
while read -r spec env ver; do
	dir=out/$env/kubernetes
	name="conformance: $dir against Strimzi $ver, strimzi-registry-operator and cert-manager CRDs"
	if [ ! -d "$CONF/strimzi/$ver" ]; then
		notok "$name" "no CRDs for Strimzi $ver in $CONF/strimzi"
		continue
	fi
	out=$("$PY" "$CONF/crdcheck.py" "$CONF/strimzi/$ver" "$CONF/strimzi-registry-operator" \
		"$CONF/cert-manager" -- "$dir" 2>&1 </dev/null)
	rc=$?
	summary=$(printf '%s\n' "$out" | grep '^crdcheck: ' | tail -n 1)
	checked=$(printf '%s\n' "$summary" | sed -n 's/^crdcheck: \([0-9]*\) checked, \([0-9]*\) invalid.*/\1/p')
	invalid=$(printf '%s\n' "$summary" | sed -n 's/^crdcheck: \([0-9]*\) checked, \([0-9]*\) invalid.*/\2/p')
	if [ "$rc" -eq 0 ] && [ "${invalid:-x}" = 0 ] && [ "${checked:-0}" -gt 0 ]; then
		ok "$name ($summary)"
	else
		notok "$name" "exit $rc: $out"
	fi
done <"$ENV_TABLE"

# ---------------------------------------------------------------- parsers
section "independent parsers: libyaml, PyYAML, kustomize, HashiCorp HCL, Java properties"
YAMLCHECK=$BUILD/tools/yamlcheck
while read -r spec env ver; do
	envdir=out/$env
	find "$envdir" -type f \( -name '*.yaml' -o -name '*.yml' \) | sort >"$TMP/yamlfiles"
	n=$(wc -l <"$TMP/yamlfiles" | tr -d ' ')
	# libyaml
	if [ ! -x "$YAMLCHECK" ]; then
		notok "parsers: libyaml reads $envdir" "$YAMLCHECK is not built"
	elif [ "$n" -eq 0 ]; then
		notok "parsers: libyaml reads $envdir" "no YAML files"
	elif out=$(xargs "$YAMLCHECK" <"$TMP/yamlfiles" 2>&1); then
		ok "parsers: libyaml reads every YAML file of $envdir ($n files)"
	else
		notok "parsers: libyaml reads every YAML file of $envdir" "$out"
	fi
	# PyYAML: every document of every file loads
	if out=$("$PY" -c '
import sys, yaml
bad = 0
for p in sys.stdin.read().split("\n"):
    if not p:
        continue
    try:
        with open(p, encoding="utf-8") as f:
            list(yaml.safe_load_all(f))
    except Exception as e:
        bad += 1
        print(f"{p}: {type(e).__name__}: {e}")
sys.exit(1 if bad else 0)
' <"$TMP/yamlfiles" 2>&1); then
		ok "parsers: PyYAML safe_load_all reads every YAML file of $envdir ($n files)"
	else
		notok "parsers: PyYAML safe_load_all reads every YAML file of $envdir" "$out"
	fi
	# kustomize: builds, and yields one document per listed resource
	kdir=$envdir/kubernetes
	if ! command -v kubectl >/dev/null 2>&1; then
		notok "parsers: kubectl kustomize $kdir" "kubectl is not installed (sh tests/deps.sh test)"
	elif kubectl kustomize "$kdir" >"$TMP/kustomized.yaml" 2>"$TMP/kustomize.err" </dev/null; then
		out=$("$PY" -c '
import sys, yaml
with open(sys.argv[1], encoding="utf-8") as f:
    resources = (yaml.safe_load(f) or {}).get("resources") or []
with open(sys.argv[2], encoding="utf-8") as f:
    docs = [d for d in yaml.safe_load_all(f) if d is not None]
print(len(resources), len(docs))
' "$kdir/kustomization.yaml" "$TMP/kustomized.yaml" 2>&1)
		set -- $out
		if [ $# -eq 2 ] && [ "$1" = "$2" ] && [ "$1" -gt 0 ]; then
			ok "parsers: kubectl kustomize $kdir yields one document per listed file ($1)"
		else
			notok "parsers: kubectl kustomize $kdir yields one document per listed file" \
				"files listed, documents out: $out"
		fi
	else
		notok "parsers: kubectl kustomize $kdir" "$(cat "$TMP/kustomize.err")"
	fi
	# Intended values: what the emitters were given, read back by the
	# independent parsers (PyYAML, HashiCorp's HCL parser, a Java
	# Properties reader).
	if [ ! -x "$BUILD/tools/outputs_json" ]; then
		notok "parsers: intended values of $envdir" "$BUILD/tools/outputs_json is not built"
		continue
	fi
	if ! ASBGEN_DATA=$ROOT "$BUILD/tools/outputs_json" --templates templates "$spec" \
		.yaml .tfvars .properties >"$TMP/intended.json" 2>"$TMP/intended.err" </dev/null; then
		notok "parsers: intended values of $envdir" "outputs_json failed: $(cat "$TMP/intended.err")"
		continue
	fi
	find "$envdir" -type f -name '*.tfvars' | sort >"$TMP/tfvars"
	hcl_args=
	if [ -s "$TMP/tfvars" ]; then
		if ! xargs node tests/hcl2json.js <"$TMP/tfvars" >"$TMP/hcl.json" 2>"$TMP/hcl.err"; then
			notok "parsers: HashiCorp HCL parses every .tfvars file of $envdir" "$(cat "$TMP/hcl.err")"
		fi
		hcl_args=$TMP/hcl.json
		[ -s "$hcl_args" ] || echo '{}' >"$hcl_args"
	fi
	"$PY" tests/outputs_check.py "$TMP/intended.json" "$envdir" $hcl_args >"$TMP/outcheck" 2>&1 </dev/null
	fold "$TMP/outcheck" "parsers: "
done <"$ENV_TABLE"

# ---------------------------------------------------------------- bad inputs
section "bad inputs (tests/bad-inputs.txt)"
"$PY" tests/bad_inputs.py "$ASBGEN" tests/bad-inputs.txt >"$TMP/bad.out" 2>&1
rc=$?
fold "$TMP/bad.out"
if [ "$rc" -ne 0 ] && ! grep -q '^not ok - ' "$TMP/bad.out"; then
	notok "bad inputs: runner" "exit $rc"
fi

# ---------------------------------------------------------------- semantic checks
. tests/suite_semantic.sh

# ---------------------------------------------------------------- render behaviour
section "render behaviour"
B=$TMP/behave
mkdir -p "$B"
MIN=environments/minimal.yaml
minenv=$(awk -v s="$MIN" '$1 == s { print $2 }' "$ENV_TABLE")
minenv=${minenv:-minimal}
cp "$MIN" "$B/good.yaml"
printf 'name: broken\nplatform: {type: aws}\n' >"$B/bad.yaml"

# A failing spec renders nothing, not even the good specs beside it.
"$ASBGEN" render -q "$B/good.yaml" -o "$B/o1" >/dev/null 2>&1
cp -R "$B/o1" "$B/o1.before"
"$ASBGEN" render "$B/good.yaml" "$B/bad.yaml" -o "$B/o1" >"$TMP/r.out" 2>"$TMP/r.err"
rc=$?
if [ "$rc" -eq 1 ] && grep -q 'nothing was written' "$TMP/r.err" && diff -r "$B/o1.before" "$B/o1" >/dev/null 2>&1; then
	ok "render: an invalid spec fails the render (exit 1, 'nothing was written', output untouched)"
else
	notok "render: an invalid spec fails the render (exit 1, 'nothing was written', output untouched)" \
		"exit $rc; stderr: $(cat "$TMP/r.err"); changes: $(diff -r "$B/o1.before" "$B/o1" 2>&1)"
fi
"$ASBGEN" render "$B/good.yaml" "$B/bad.yaml" -o "$B/fresh" >/dev/null 2>&1
if [ ! -e "$B/fresh" ]; then
	ok "render: an invalid spec does not even create the output directory"
else
	notok "render: an invalid spec does not even create the output directory" "$(find "$B/fresh" | head)"
fi

# --check: clean, then a hand-edited and a deleted file are listed.
check "render --check: exit 0 right after a render" "$ASBGEN" render --check "$B/good.yaml" -o "$B/o1"
k=$B/o1/$minenv/kubernetes
if [ -f "$k/kafka.yaml" ] && [ -f "$k/kustomization.yaml" ]; then
	echo '# edited by hand' >>"$k/kafka.yaml"
	rm "$k/kustomization.yaml"
	"$ASBGEN" render --check "$B/good.yaml" -o "$B/o1" >"$TMP/c.out" 2>"$TMP/c.err"
	rc=$?
	if [ "$rc" -eq 1 ] && grep -q "^differs  *$k/kafka.yaml\$" "$TMP/c.out" &&
		grep -q "^missing  *$k/kustomization.yaml\$" "$TMP/c.out"; then
		ok "render --check: exit 1, lists a hand-edited file (differs) and a deleted one (missing)"
	else
		notok "render --check: exit 1, lists a hand-edited file (differs) and a deleted one (missing)" \
			"exit $rc; stdout: $(cat "$TMP/c.out"); stderr: $(cat "$TMP/c.err")"
	fi
	if grep -q '# edited by hand' "$k/kafka.yaml" && [ ! -e "$k/kustomization.yaml" ]; then
		ok "render --check: writes nothing"
	else
		notok "render --check: writes nothing"
	fi
else
	notok "render --check: exit 1 after hand edits" "no $k/kafka.yaml or kustomization.yaml to edit"
fi

# Files added by hand survive a render; the edited file is restored.
echo 'notes' >"$B/o1/$minenv/NOTES.md"
mkdir -p "$k"
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: extra}\n' >"$k/extra.yaml"
"$ASBGEN" render -q "$B/good.yaml" -o "$B/o1" >"$TMP/r.out" 2>&1
rc=$?
if [ "$rc" -eq 0 ] && [ "$(cat "$B/o1/$minenv/NOTES.md")" = notes ] && [ -f "$k/extra.yaml" ] &&
	diff -r -x NOTES.md -x extra.yaml "$B/o1.before" "$B/o1" >/dev/null 2>&1; then
	ok "render: files added by hand survive; edited and deleted outputs are restored"
else
	notok "render: files added by hand survive; edited and deleted outputs are restored" \
		"exit $rc: $(cat "$TMP/r.out") $(diff -r "$B/o1.before" "$B/o1" 2>&1)"
fi

# A spec file name is copied into every output's header and the record:
# one with a line break (which would add a key to every client file and a
# NOTES.md line to the record), an escape or bytes that are not UTF-8 is a
# usage error (exit 2) for every command, printed escaped, nothing written.
inj=$B/inj
mkdir -p "$inj"
inj_bad=
for injname in "$(printf 'idf\nssl.endpoint.identification.algorithm=\nNOTES.md\n#.yaml')" \
	"$(printf 'a\033[2Kb.yaml')" "$(printf 'a\377.yaml')"; do
	cp "$MIN" "$inj/$injname"
	for cmd in render validate model diff; do
		if [ "$cmd" = render ]; then
			"$ASBGEN" render "$inj/$injname" -o "$inj/out" >"$TMP/i.out" 2>"$TMP/i.err"
		else
			"$ASBGEN" "$cmd" "$inj/$injname" >"$TMP/i.out" 2>"$TMP/i.err"
		fi
		rc=$?
		if [ "$rc" -ne 2 ] || ! grep -q "^asbgen $cmd: the spec file name '" "$TMP/i.err" ||
			LC_ALL=C grep -q "$(printf '[\001-\010\013-\037\177\377]')" "$TMP/i.err"; then
			inj_bad="$inj_bad$cmd $(printf '%s' "$injname" | od -c | head -2): exit $rc: $(cat "$TMP/i.err")
"
		fi
	done
	rm -f "$inj/$injname"
done
if [ -z "$inj_bad" ] && [ ! -e "$inj/out" ]; then
	ok "render, validate, model, diff: a spec file name with a line break, an escape or non-UTF-8 bytes is refused (exit 2, escaped), nothing written"
else
	notok "render, validate, model, diff: a spec file name with a line break, an escape or non-UTF-8 bytes is refused (exit 2, escaped), nothing written" \
		"$inj_bad$(ls -la "$inj" 2>&1)"
fi
cp "$MIN" "$inj/$(printf 'idf\nNOTES.md\n#.yaml')"
"$ASBGEN" render "$inj/$(printf 'idf\nNOTES.md\n#.yaml')" -o "$inj/out" >/dev/null 2>"$TMP/i.err"
if grep -qF "asbgen render: the spec file name 'idf\nNOTES.md\n#.yaml' has a control character (a line break, tab or escape); it is written into every output's header and into the record: rename the file" "$TMP/i.err"; then
	ok "render: the refused spec file name is printed with its line breaks as \\n"
else
	notok "render: the refused spec file name is printed with its line breaks as \\n" "$(cat "$TMP/i.err")"
fi

# A file asbgen wrote and no longer produces is removed (a removed user).
USDF=environments/usdfdev.yaml
usdfenv=$(awk -v s="$USDF" '$1 == s { print $2 }' "$ENV_TABLE")
usdfenv=${usdfenv:-usdfdev}
cp "$USDF" "$B/usdf.yaml"
"$ASBGEN" render -q "$B/usdf.yaml" -o "$B/o2" >"$TMP/r.out" 2>&1
u=$B/o2/$usdfenv
if [ -f "$u/kubernetes/kafkauser-snaps-usdf.yaml" ] && [ -f "$u/clients/snaps-usdf.properties" ]; then
	grep -v 'name: snaps-usdf' "$USDF" >"$B/usdf.yaml"
	"$ASBGEN" render "$B/usdf.yaml" -o "$B/o2" >"$TMP/r.out" 2>&1
	rc=$?
	if [ "$rc" -eq 0 ] && [ ! -e "$u/kubernetes/kafkauser-snaps-usdf.yaml" ] &&
		[ ! -e "$u/clients/snaps-usdf.properties" ] &&
		grep -q "^removed  *$u/kubernetes/kafkauser-snaps-usdf.yaml\$" "$TMP/r.out" &&
		! grep -q 'snaps-usdf' "$u/.asbgen-files" "$u/kubernetes/kustomization.yaml"; then
		ok "render: outputs of a removed user are removed, and dropped from .asbgen-files and the kustomization"
	else
		notok "render: outputs of a removed user are removed, and dropped from .asbgen-files and the kustomization" \
			"exit $rc: $(cat "$TMP/r.out")"
	fi
else
	notok "render: outputs of a removed user are removed" "usdfdev did not render kafkauser-snaps-usdf.yaml and clients/snaps-usdf.properties: $(cat "$TMP/r.out")"
fi

# A read-only output directory: exit 2, old files unchanged.  Root ignores
# permissions, so as root asbgen runs as nobody (setpriv), from a copy
# that nobody can read.
ro=$TMP/ro
mkdir -p "$ro/bin"
cp "$ASBGEN" "$ro/bin/asbgen"
cp -R schemas templates "$ro/bin/"
cp "$MIN" "$ro/spec.yaml"
chmod -R a+rX "$ro"
chmod a+x "$TMP"
"$ro/bin/asbgen" render -q "$ro/spec.yaml" -o "$ro/out" >"$TMP/r.out" 2>&1
sed 's/schemas.example.org/schemas2.example.org/' "$MIN" >"$ro/spec.yaml"
cp -R "$ro/out" "$ro/out.before"
chmod -R a-w "$ro/out"
as_user=
if [ "$(id -u)" -eq 0 ]; then
	if command -v setpriv >/dev/null 2>&1; then
		as_user="setpriv --reuid=65534 --regid=65534 --clear-groups --"
	else
		as_user=missing
	fi
fi
if [ "$as_user" = missing ]; then
	notok "render: read-only output directory" "running as root without setpriv (util-linux): cannot drop privileges"
else
	(cd "$ro" && $as_user "$ro/bin/asbgen" render "$ro/spec.yaml" -o "$ro/out") >"$TMP/r.out" 2>"$TMP/r.err"
	rc=$?
	if [ "$rc" -eq 2 ] && diff -r "$ro/out.before" "$ro/out" >/dev/null 2>&1; then
		ok "render: read-only output directory: exit 2, old files unchanged, no temporary files left"
	else
		notok "render: read-only output directory: exit 2, old files unchanged, no temporary files left" \
			"exit $rc; stderr: $(cat "$TMP/r.err"); $(diff -r "$ro/out.before" "$ro/out" 2>&1)"
	fi
fi
chmod -R u+w "$ro/out"

# --stdout writes nothing.
mkdir -p "$B/stdout"
(cd "$B/stdout" && "$ASBGEN" render --stdout "$ROOT/$MIN" -o "$B/stdout/o") >"$TMP/s.out" 2>"$TMP/s.err"
rc=$?
if [ "$rc" -eq 0 ] && grep -q '^# Source: ' "$TMP/s.out" && [ -z "$(ls -A "$B/stdout")" ]; then
	ok "render --stdout: prints the files, writes nothing"
else
	notok "render --stdout: prints the files, writes nothing" \
		"exit $rc; stderr: $(cat "$TMP/s.err"); written: $(ls -A "$B/stdout")"
fi

# Exit codes of usage and I/O errors, help and version.
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
expect_exit 2 "render: a spec that does not exist" "$ASBGEN" render "$B/no-such-spec.yaml" -o "$B/o3"
[ ! -e "$B/o3" ] || notok "render: a spec that does not exist writes nothing" "$B/o3 exists"
expect_exit 2 "validate: a spec that does not exist" "$ASBGEN" validate "$B/no-such-spec.yaml"
expect_exit 0 "asbgen --help" "$ASBGEN" --help
expect_exit 0 "asbgen render --help" "$ASBGEN" render --help
expect_exit 0 "asbgen validate --help" "$ASBGEN" validate --help
expect_exit 0 "asbgen version" "$ASBGEN" version
expect_exit 2 "asbgen: unknown command" "$ASBGEN" frobnicate
expect_exit 2 "asbgen: no command" "$ASBGEN"
expect_exit 2 "render: unknown option" "$ASBGEN" render --frobnicate "$ROOT/$MIN"
expect_exit 2 "render: --check and --stdout together" "$ASBGEN" render --check --stdout "$ROOT/$MIN"
expect_exit 2 "render: no spec" "$ASBGEN" render
expect_exit 2 "validate: unknown format" "$ASBGEN" validate --format xml "$ROOT/$MIN"

# --format json diagnostics follow schemas/diagnostics.schema.json.
(cd "$B" && "$ASBGEN" validate --format json bad.yaml) >"$TMP/j.out" 2>"$TMP/j.err"
rc=$?
if [ -f schemas/diagnostics.schema.json ]; then
	if [ "$rc" -eq 1 ] && out=$("$PY" -c '
import json, sys, jsonschema
with open(sys.argv[1]) as f:
    schema = json.load(f)
with open(sys.argv[2]) as f:
    doc = json.load(f)
jsonschema.validate(doc, schema)
assert isinstance(doc, list) and doc, "no diagnostics"
' schemas/diagnostics.schema.json "$TMP/j.out" 2>&1); then
		ok "validate --format json: output follows schemas/diagnostics.schema.json"
	else
		notok "validate --format json: output follows schemas/diagnostics.schema.json" \
			"exit $rc; $out; stdout: $(head -c 2000 "$TMP/j.out")"
	fi
else
	notok "validate --format json: output follows schemas/diagnostics.schema.json" "no schemas/diagnostics.schema.json"
fi

# ---------------------------------------------------------------- check
. "$ROOT/tests/suite_check.sh"

# ---------------------------------------------------------------- equivalence
section "equivalence with the Phalanx reference ($REFERENCE)"
if [ ! -f "$REFERENCE" ]; then
	notok "equivalence: reference exists" "no $REFERENCE"
elif [ -z "$usdfenv" ] || [ ! -d "out/$usdfenv/kubernetes" ]; then
	notok "equivalence: out/usdfdev/kubernetes exists"
else
	"$PY" tests/equivalence.py "$REFERENCE" "out/$usdfenv/kubernetes" >"$TMP/eq.out" 2>&1
	rc=$?
	fold "$TMP/eq.out"
	if [ "$rc" -ne 0 ] && ! grep -q '^not ok - ' "$TMP/eq.out"; then
		notok "equivalence: runner" "exit $rc"
	fi
fi

. "$ROOT/tests/suite_diff.sh"

# ---------------------------------------------------------------- live
. "$ROOT/tests/suite_live.sh"
. "$ROOT/tests/suite_robust.sh"

printf '%d passed, %d failed\n' "$passed" "$failed"
[ "$failed" -eq 0 ]
