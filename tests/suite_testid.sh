#!/bin/sh
# suite_testid.sh - test instances (render --testid) and teardown: no
# production name in a test render, every name tagged, every limit at its
# boundary, teardown's removals and refusals.
#
#   sh tests/suite_testid.sh     (alone; or sh tests/run.sh testid)
. "$(dirname "$0")/lib.sh"
suite suite_testid.sh

section "test instances"
T=$TMP/testid
mkdir -p "$T/specs"

# Each environment twice: as committed, and with a test address range (a
# copy beside the others, its node pool's variable file named absolutely).
for spec in $ENV_SPECS; do
	e=$(basename "$spec" .yaml)
	env=$(env_of "$spec" "$e")
	sed "s|varFile: \(.*\)|varFile: $ROOT/environments/\1|" "$spec" >"$T/specs/$e.yaml"
	{ cat "$T/specs/$e.yaml"; printf '\ntestInstance:\n  addressRange: 203.0.113.0/26\n'; } >"$T/specs/$e-range.yaml"
	"$ASBGEN" model "$spec" >"$T/$e.prod.json" 2>"$T/err" || notok "testid: asbgen model $spec" "$(cat "$T/err")"
	for variant in "$e" "$e-range"; do
		s=$T/specs/$variant.yaml
		if ! "$ASBGEN" render -q --testid t1 "$s" -o "$T/out-$variant" >"$T/log" 2>&1; then
			# Without addresses of its own, TLS cannot name its hosts.
			if [ "$variant" = "$e" ] && grep -q '\[testid-address-range\]$' "$T/log" &&
				grep -q "^  hint: give the test instance addresses of its own: testInstance.addressRange" "$T/log"; then
				ok "testid: $e with external TLS and no test address range is refused (testid-address-range)"
			else
				notok "testid: render --testid t1 $variant" "$(grep -A3 error "$T/log")"
			fi
			continue
		fi
		d=$T/out-$variant/$env-t1
		if [ -f "$d/.asbgen-files" ] && [ "$(ls "$T/out-$variant")" = "$env-t1" ]; then
			ok "testid: render --testid t1 $variant writes $env-t1/ alone"
		else
			notok "testid: render --testid t1 $variant writes $env-t1/ alone" "$(ls -A "$T/out-$variant")"
		fi
		"$ASBGEN" model --testid t1 "$s" >"$T/$variant.test.json" 2>/dev/null
		"$PY" tests/testid_names.py "$T/$e.prod.json" "$T/$variant.test.json" "$d" t1 >"$T/names.out" 2>&1 ||
			grep -q '^not ok' "$T/names.out" || notok "testid: names of $variant: runner" "$(cat "$T/names.out")"
		fold "$T/names.out" "testid: $variant: "
		check "testid: validate --testid t1 $variant" "$ASBGEN" validate --testid t1 "$s"
		check "testid: diff --testid t1 $variant against its render: no changes" \
			"$ASBGEN" diff --testid t1 "$s" -o "$T/out-$variant"
		ver=$(awk -v s="$spec" '$1 == s { print $3 }' "$ENV_TABLE")
		if out=$("$PY" "$CONF/crdcheck.py" "$CONF/strimzi/$ver" "$CONF/strimzi-registry-operator" "$CONF/cert-manager" \
			-- "$d/kubernetes" 2>&1 </dev/null); then
			ok "testid: $variant's test instance passes the CRDs ($(printf '%s\n' "$out" | tail -n 1))"
		else
			notok "testid: $variant's test instance passes the CRDs" "$out"
		fi
	done
	# The checker is not blind: production's own render fails it.
	if "$PY" tests/testid_names.py "$T/$e.prod.json" "$T/$e.prod.json" "$ROOT/out/$env" t1 >"$T/neg" 2>&1; then
		notok "testid: the name checker fails production's own out/$env" "$(cat "$T/neg")"
	else
		ok "testid: the name checker fails production's own out/$env ($(grep -c '^not ok' "$T/neg") of its checks)"
	fi
done

# What a test instance changes, exactly, on the smallest spec with a test
# range and scale settings (tests/testid/minimal.txt: the diff between
# the two renders; TESTID_UPDATE=1 rewrites it).
{ cat "$ROOT/$MIN"; printf 'external:\n  bootstrap: {host: kafka.example.org, ip: 192.0.2.10}\n  brokers:\n    - {nodeId: 0, host: b0.example.org, ip: 192.0.2.11}\n    - {nodeId: 1, host: b1.example.org, ip: 192.0.2.12}\n    - {nodeId: 2, host: b2.example.org, ip: 192.0.2.13}\nsecrets: {vaultPath: secret/minimal/alert-stream-broker}\ntestInstance:\n  addressRange: 198.51.100.0/28\n  storageScale: 0.25\n  brokers: 2\n  controllers: 1\n'; } >"$T/specs/small.yaml"
"$ASBGEN" render -q "$T/specs/small.yaml" -o "$T/small" 2>/dev/null
"$ASBGEN" render -q --testid t1 "$T/specs/small.yaml" -o "$T/small" 2>/dev/null
(cd "$T/small" && diff -ru minimal minimal-t1) | grep -v '^diff -ru\|^--- \|^+++ ' >"$T/small.diff"
if [ -n "${TESTID_UPDATE:-}" ]; then
	cp "$T/small.diff" tests/testid/minimal.txt
fi
if cmp -s "$T/small.diff" tests/testid/minimal.txt; then
	ok "testid: the test instance of a small spec differs from it as tests/testid/minimal.txt says"
else
	notok "testid: the test instance of a small spec differs from it as tests/testid/minimal.txt says (TESTID_UPDATE=1 to rewrite)" \
		"$(diff -u tests/testid/minimal.txt "$T/small.diff" | head -n 40)"
fi

# Every limit at its boundary (tests/testid/limits.txt).
if [ -n "${TESTID_UPDATE:-}" ]; then
	"$PY" tests/testid_limits.py "$ASBGEN" tests/testid/limits.txt --update >/dev/null
fi
run_folded "testid: limits" "$T/limits.out" "$PY" tests/testid_limits.py "$ASBGEN" tests/testid/limits.txt

# The testid rule (seed 004): lowercase letters and digits, a letter first.
for bad in T1 1t t-1 t_1 ''; do
	expect_exit 2 "testid: render --testid '$bad' is refused" "$ASBGEN" render --testid "$bad" "$ROOT/$MIN" -o "$T/never"
	if ! grep -q "^asbgen render: --testid '$bad' is not a testid: lowercase letters and digits, starting with a letter (t1, alice2)\$" "$TMP/e.err"; then
		notok "testid: render --testid '$bad': the rule in the message" "$(head -n 3 "$TMP/e.err")"
	fi
done
for cmd in validate model diff; do
	expect_exit 2 "testid: $cmd --testid 9 is refused" "$ASBGEN" $cmd --testid 9 "$ROOT/$MIN"
done

section "teardown"
TD=$T/td
mkdir -p "$TD"
cp "$ROOT/$MIN" "$TD/minimal.yaml"
"$ASBGEN" render -q "$TD/minimal.yaml" -o "$TD/out"
"$ASBGEN" render -q --testid t1 "$TD/minimal.yaml" -o "$TD/out"
cp -R "$TD/out/minimal" "$TD/minimal.before"
cp "$TD/out/minimal-t1/.asbgen-files" "$TD/record"
# Removes exactly the recorded files, then the folder; the environment's
# own folder beside it is untouched.
"$ASBGEN" teardown "$TD/minimal.yaml" --testid t1 -o "$TD/out" >"$TD/got" 2>"$TD/err"
rc=$?
{ grep -v '^#' "$TD/record" | sed "s|^|removed  $TD/out/minimal-t1/|"; echo "removed  $TD/out/minimal-t1"; } >"$TD/want"
if [ "$rc" -eq 0 ] && cmp -s "$TD/want" "$TD/got" && [ ! -e "$TD/out/minimal-t1" ] && [ ! -s "$TD/err" ] &&
	diff -r "$TD/minimal.before" "$TD/out/minimal" >/dev/null; then
	ok "teardown: removes each recorded file and the folder, lists them, leaves out/minimal alone (exit 0)"
else
	notok "teardown: removes each recorded file and the folder, lists them, leaves out/minimal alone (exit 0)" \
		"exit $rc; $(diff "$TD/want" "$TD/got"); $(cat "$TD/err"); $(ls -A "$TD/out")"
fi
# A hand-added file stays, and so does the folder holding it.
"$ASBGEN" render -q --testid t1 "$TD/minimal.yaml" -o "$TD/out"
echo mine >"$TD/out/minimal-t1/kubernetes/notes.txt"
"$ASBGEN" teardown -q "$TD/minimal.yaml" --testid t1 -o "$TD/out" >"$TD/got" 2>&1
rc=$?
left=$(cd "$TD/out/minimal-t1" && find . -print | sort | tr '\n' ' ')
if [ "$rc" -eq 0 ] && [ "$left" = ". ./kubernetes ./kubernetes/notes.txt " ] && [ ! -s "$TD/got" ]; then
	ok "teardown: a file asbgen did not write stays, with its folders (exit 0, -q quiet)"
else
	notok "teardown: a file asbgen did not write stays, with its folders (exit 0, -q quiet)" "exit $rc; left: $left; $(cat "$TD/got")"
fi
# Refusals: no record (that folder now), no testid, a production spec.
cp -R "$TD/out" "$TD/out.before"
expect_exit 1 "teardown: refuses a folder without asbgen's record" "$ASBGEN" teardown "$TD/minimal.yaml" --testid t1 -o "$TD/out"
if head -n 1 "$TMP/e.err" | grep -qx "$TD/out/minimal-t1: error: $TD/out/minimal-t1 holds no record of asbgen's (.asbgen-files): nothing there is known to be asbgen's to remove \[teardown-no-record\]" &&
	diff -r "$TD/out.before" "$TD/out" >/dev/null; then
	ok "teardown: the no-record refusal says so and changes nothing"
else
	notok "teardown: the no-record refusal says so and changes nothing" "$(cat "$TMP/e.err")"
fi
expect_exit 1 "teardown: refuses a test instance never rendered" "$ASBGEN" teardown "$TD/minimal.yaml" --testid never -o "$TD/out"
grep -q '\[teardown-no-record\]$' "$TMP/e.err" || notok "teardown: never rendered: teardown-no-record" "$(cat "$TMP/e.err")"
expect_exit 2 "teardown: refuses without --testid" "$ASBGEN" teardown "$TD/minimal.yaml" -o "$TD/out"
if head -n 1 "$TMP/e.err" | grep -qx "asbgen teardown: give --testid ID: teardown removes a test instance, never an environment's own folder" &&
	diff -r "$TD/out.before" "$TD/out" >/dev/null; then
	ok "teardown: without --testid, the refusal says why and changes nothing"
else
	notok "teardown: without --testid, the refusal says why and changes nothing" "$(cat "$TMP/e.err")"
fi
expect_exit 2 "teardown: refuses a bad testid" "$ASBGEN" teardown "$TD/minimal.yaml" --testid T1 -o "$TD/out"
# production: true, with a rendered test instance there: refused whatever
# is passed, the folder untouched.
rm -rf "$TD/out/minimal-t1"
"$ASBGEN" render -q --testid t1 "$TD/minimal.yaml" -o "$TD/out"
{ cat "$TD/minimal.yaml"; echo "production: true"; } >"$TD/prod.yaml"
cp -R "$TD/out" "$TD/out.before2"
line=$(grep -n '^production: true$' "$TD/prod.yaml" | cut -d: -f1)
for args in "--testid t1" "--testid t1 -q" "--testid other"; do
	# shellcheck disable=SC2086
	expect_exit 1 "teardown: refuses production: true ($args)" "$ASBGEN" teardown "$TD/prod.yaml" $args -o "$TD/out"
	if head -n 1 "$TMP/e.err" | grep -qx "$TD/prod.yaml:$line:13: error: $TD/prod.yaml is marked production: true: asbgen teardown refuses it, whatever the testid \[teardown-production\]" &&
		diff -r "$TD/out.before2" "$TD/out" >/dev/null; then
		ok "teardown: the production refusal is at the key, and nothing changed ($args)"
	else
		notok "teardown: the production refusal is at the key, and nothing changed ($args)" "$(cat "$TMP/e.err")"
	fi
done
# Even an invalid spec marked production is refused as production first.
printf 'production: true\nname: 9bad\n' >"$TD/prodbad.yaml"
expect_exit 1 "teardown: refuses an invalid production spec as production" "$ASBGEN" teardown "$TD/prodbad.yaml" --testid t1 -o "$TD/out"
grep -q '\[teardown-production\]$' "$TMP/e.err" && ! grep -q 'schema' "$TMP/e.err" ||
	notok "teardown: invalid production spec: only teardown-production" "$(cat "$TMP/e.err")"
expect_exit 2 "teardown: a spec on standard input is refused" "$ASBGEN" teardown - --testid t1 -o "$TD/out"
