#!/bin/sh
# suite_check.sh - `asbgen check`.
#
#   sh tests/suite_check.sh     (alone; or sh tests/run.sh check)
#
# (a) `asbgen check --crds` agrees with crdcheck.py on every file of out/
#     (each environment with its Strimzi version's CRDs, plus the registry
#     and cert-manager CRDs) and on every tests/crd-broken manifest;
# (b) the tests/crd-broken, tests/crd-broken/bad-crds and tests/check-schema
#     cases give exactly the diagnostics in their .expect files (stderr,
#     then "exit N"), and `asbgen check --schema` passes environments/;
#     the JSON-Schema-Test-Suite, one `asbgen check --schema` per case
#     (tests/schema_suite.py, skips in tests/schema-suite-skips.txt);
# (c) exit codes.
#
# CHECK_UPDATE=1 sh tests/suite_check.sh rewrites the .expect files; read every
# one afterwards (a wrong position or an unclear message is a code bug).

. "$(dirname "$0")/lib.sh"
suite suite_check.sh

section "check: asbgen check --crds / --schema"
CB=tests/crd-broken
CHECK_BASE_CRDS="--crds $CONF/strimzi-registry-operator --crds $CONF/cert-manager"

# (a) out/, per environment
while read -r spec env ver; do
	label="check --crds agrees with crdcheck.py: out/$env (Strimzi $ver)"
	if [ ! -d "$CONF/strimzi/$ver" ]; then
		notok "$label" "no CRDs for Strimzi $ver in $CONF/strimzi"
		continue
	fi
	find "out/$env" -type f \( -name '*.yaml' -o -name '*.yml' \) | sort >"$TMP/chk.files"
	"$PY" "$CONF/crdcheck.py" "$CONF/strimzi/$ver" "$CONF/strimzi-registry-operator" "$CONF/cert-manager" \
		-- "out/$env" >"$TMP/chk.cc" 2>&1 </dev/null
	"$ASBGEN" check --format json --crds "$CONF/strimzi/$ver" $CHECK_BASE_CRDS "out/$env" \
		>"$TMP/chk.json" 2>"$TMP/chk.err"
	rc=$?
	summary=$("$ASBGEN" check --crds "$CONF/strimzi/$ver" $CHECK_BASE_CRDS "out/$env" 2>&1 >/dev/null | tail -n 1)
	if [ "$rc" -ne 0 ]; then
		notok "$label" "asbgen check exits $rc: $(cat "$TMP/chk.err" "$TMP/chk.json")"
		continue
	fi
	"$PY" tests/crd_agree.py "$label" "$TMP/chk.cc" "$TMP/chk.json" "$summary" $(cat "$TMP/chk.files") \
		>"$TMP/chk.out" 2>&1
	fold "$TMP/chk.out"
done <"$ENV_TABLE"

# (a) tests/crd-broken: one run of each tool over every comparable file
# (files whose first line says "# not comparable" make crdcheck.py stop).
BROKEN_CRDS="--crds $CONF/strimzi/0.51.0 $CHECK_BASE_CRDS --crds $CB/crds"
BROKEN_CRDS_ABS="--crds $CONF/strimzi/0.51.0 $CHECK_BASE_CRDS --crds $ROOT/$CB/crds"
: >"$TMP/chk.files"
for f in "$CB"/*.yaml "$CB"/*.json; do
	[ -f "$f" ] || continue
	if head -n 1 "$f" | grep -q '^# not comparable'; then
		printf '# skip - check --crds agrees with crdcheck.py: %s: %s\n' "$f" "$(head -n 1 "$f" | sed 's/^# not comparable: //')"
		continue
	fi
	printf '%s\n' "$f" >>"$TMP/chk.files"
done
"$PY" "$CONF/crdcheck.py" "$CONF/strimzi/0.51.0" "$CONF/strimzi-registry-operator" "$CONF/cert-manager" "$CB/crds" \
	-- $(cat "$TMP/chk.files") >"$TMP/chk.cc" 2>&1 </dev/null
"$ASBGEN" check --format json $BROKEN_CRDS $(cat "$TMP/chk.files") >"$TMP/chk.json" 2>"$TMP/chk.err"
summary=$("$ASBGEN" check $BROKEN_CRDS $(cat "$TMP/chk.files") 2>&1 >/dev/null | tail -n 1)
"$PY" tests/crd_agree.py --per-file "check --crds agrees with crdcheck.py" "$TMP/chk.cc" "$TMP/chk.json" \
	"$summary" $(cat "$TMP/chk.files") >"$TMP/chk.out" 2>&1
fold "$TMP/chk.out"

# (b) exact diagnostics
# expect_check NAME EXPECT_FILE COMMAND...: stderr and exit status of COMMAND
# are EXPECT_FILE's text.
expect_check() {
	name=$1 want=$2
	shift 2
	NO_COLOR=1 "$@" >/dev/null 2>"$TMP/chk.got"
	printf 'exit %d\n' $? >>"$TMP/chk.got"
	if [ -n "${CHECK_UPDATE:-}" ]; then
		cp "$TMP/chk.got" "$want"
	fi
	if [ ! -f "$want" ]; then
		notok "$name" "no $want (CHECK_UPDATE=1 sh tests/run.sh writes it)"
	elif d=$(diff -u "$want" "$TMP/chk.got" 2>&1); then
		ok "$name"
	else
		notok "$name" "$d"
	fi
}
for f in "$CB"/*.yaml "$CB"/*.json; do
	[ -f "$f" ] || continue
	expect_check "check --crds: $f gives $f.expect" "$f.expect" \
		"$ASBGEN" check $BROKEN_CRDS "$f"
done
for f in "$CB"/bad-crds/*.yaml; do
	expect_check "check --crds: a broken CRD file, $f, gives $f.expect (no crash)" "$f.expect" \
		"$ASBGEN" check --crds "$f" "$CB/kafkatopic.json"
done
for f in tests/check-schema/*.yaml tests/check-schema/*.json; do
	expect_check "check --schema: $f gives $f.expect" "$f.expect" \
		"$ASBGEN" check --schema schemas/environment.schema.json "$f"
done
# The official JSON-Schema-Test-Suite (draft-07), one `asbgen check --schema`
# per case as a user runs it; tests/schema-suite-skips.txt lists what is not
# run and why (the unit group runs the same cases in one process).
SUITE_DIR=${JSON_SCHEMA_TEST_SUITE:-/usr/share/json-schema-test-suite}
mkdir -p "$TMP/jsts"
run_folded "JSON-Schema-Test-Suite through asbgen check" "$TMP/jsts.out" \
	"$PY" tests/schema_suite.py "$ASBGEN" "$SUITE_DIR" tests/schema-suite-skips.txt "$TMP/jsts"
if out=$("$ASBGEN" check -q --strict --schema schemas/environment.schema.json $ENV_SPECS 2>&1) && [ -z "$out" ]; then
	ok "check --schema schemas/environment.schema.json environments/*.yaml is clean"
else
	notok "check --schema schemas/environment.schema.json environments/*.yaml is clean" "$out"
fi

# (c) exit codes (expect_exit comes from lib.sh; it runs in $B)
expect_exit 0 "check --crds: valid manifests" "$ASBGEN" check $BROKEN_CRDS_ABS "$ROOT/$CB/kafkatopic-preserve-unknown.yaml"
expect_exit 1 "check --crds: an invalid manifest" "$ASBGEN" check $BROKEN_CRDS_ABS "$ROOT/$CB/kafkatopic-unknown-field.yaml"
expect_exit 0 "check --crds: an apiVersion not served is a warning" "$ASBGEN" check $BROKEN_CRDS_ABS "$ROOT/$CB/kafka-wrong-apiversion.yaml"
expect_exit 1 "check --crds --strict: an apiVersion not served fails" "$ASBGEN" check --strict $BROKEN_CRDS_ABS "$ROOT/$CB/kafka-wrong-apiversion.yaml"
expect_exit 2 "check --crds: a CRD directory that does not exist" "$ASBGEN" check --crds "$B/no-such-dir" "$ROOT/$CB/kafkatopic.json"
expect_exit 2 "check --crds: a manifest that does not exist" "$ASBGEN" check $BROKEN_CRDS_ABS "$B/no-such-file.yaml"
expect_exit 2 "check --schema: a schema that does not exist" "$ASBGEN" check --schema "$B/no-such-schema.json" "$ROOT/$MIN"
expect_exit 2 "check: neither --schema nor --crds" "$ASBGEN" check "$ROOT/$MIN"
expect_exit 2 "check: both --schema and --crds" "$ASBGEN" check --schema "$ROOT/schemas/environment.schema.json" --crds "$CONF/cert-manager" "$ROOT/$MIN"
expect_exit 2 "check: no files" "$ASBGEN" check --crds "$CONF/cert-manager"
expect_exit 2 "check: unknown format" "$ASBGEN" check --format xml --crds "$CONF/cert-manager" "$ROOT/$MIN"
expect_exit 0 "asbgen check --help" "$ASBGEN" check --help
(cd "$B" && "$ASBGEN" check --format json $BROKEN_CRDS_ABS "$ROOT/$CB/multi-document.yaml") >"$TMP/j.out" 2>"$TMP/j.err"
rc=$?
if [ "$rc" -eq 1 ] && out=$(diagnostics_json "$TMP/j.out" 'len(doc) == 2 and all(d["line"] > 0 for d in doc)'); then
	ok "check --format json: follows schemas/diagnostics.schema.json"
else
	notok "check --format json: follows schemas/diagnostics.schema.json" "exit $rc; $out; $(head -c 2000 "$TMP/j.out")"
fi
