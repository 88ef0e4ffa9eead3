#!/bin/sh
# suite_import.sh - asbgen import: its own renders back into specs that
# render the same bytes; the real Phalanx renders into specs with their
# meaning; bad input refused at its position.
#
#   sh tests/suite_import.sh     (alone; or sh tests/run.sh import)
. "$(dirname "$0")/lib.sh"
suite suite_import.sh

section "import: out/<env>/kubernetes back into a spec that renders it byte for byte"
# The imported specs live in a git repository of their own, as
# environments/<name>.yaml, so the rendered headers name them as the
# committed files' do.
IR=$TMP/import-repo
mkdir -p "$IR/environments"
git -C "$IR" init -q 2>/dev/null || notok "import: git init $IR"
while read -r spec envname _; do
	[ -d "out/$envname/kubernetes" ] || continue
	imported=$IR/environments/$envname.yaml
	if "$ASBGEN" import "out/$envname/kubernetes" -o "$imported" >"$TMP/import.out" 2>"$TMP/import.err"; then
		ok "import: asbgen import out/$envname/kubernetes (exit 0)"
	else
		notok "import: asbgen import out/$envname/kubernetes (exit 0)" "exit $?: $(cat "$TMP/import.err")"
		continue
	fi
	check "import: the spec imported from out/$envname/kubernetes validates" "$ASBGEN" validate "$imported"
	if ! (cd "$IR" && "$ASBGEN" render --only kubernetes -o out "environments/$envname.yaml") >"$TMP/import.out" 2>&1; then
		notok "import: asbgen render of the spec imported from out/$envname/kubernetes" "$(cat "$TMP/import.out")"
		continue
	fi
	if out=$(diff -r "out/$envname/kubernetes" "$IR/out/$envname/kubernetes" 2>&1); then
		ok "import: out/$envname/kubernetes round-trips byte for byte ($spec)"
	else
		notok "import: out/$envname/kubernetes round-trips byte for byte ($spec)" "$out"
	fi
done <"$ENV_TABLE"

section "import: bad input (tests/import-bad-inputs.txt)"
run_folded "import bad inputs" "$TMP/import-bad.out" "$PY" tests/bad_inputs.py "$ASBGEN" tests/import-bad-inputs.txt --command import

section "import: the real Phalanx renders, by meaning (tests/import_meaning.py)"
samples=$(find "$SHARED/reference/phalanx-history" -name rendered.yaml 2>/dev/null | sort)
samples="$samples $SHARED/reference/phalanx/rendered-usdfdev.yaml $SHARED/reference/prompt-kafka/rendered-usdfdev-prompt-processing.yaml $SHARED/reference/prompt-kafka/rendered-usdfprod-prompt-processing.yaml"
missing=
for s in $samples; do [ -f "$s" ] || missing="$missing $s"; done
if [ -n "$missing" ]; then
	notok "import: the real renders exist" "missing:$missing"
else
	mkdir -p "$TMP/import-meaning"
	# shellcheck disable=SC2086
	run_folded "import meaning" "$TMP/import-meaning.out" "$PY" tests/import_meaning.py "$ASBGEN" "$TMP/import-meaning" $samples
fi

section "import: -o replaces the spec whole, or leaves it as it was"
IW=$TMP/import-write
mkdir -p "$IW/ro"
printf 'old: spec\n' >"$IW/spec.yaml"
if "$ASBGEN" import out/minimal/kubernetes -o "$IW/spec.yaml" >/dev/null 2>&1 &&
	"$ASBGEN" validate "$IW/spec.yaml" >/dev/null 2>&1 && [ "$(ls -A "$IW" | tr '\n' ' ')" = "ro spec.yaml " ]; then
	ok "import: -o over an existing file replaces it with a valid spec, no temporary left"
else
	notok "import: -o over an existing file replaces it with a valid spec, no temporary left" "$(ls -lA "$IW"; head -5 "$IW/spec.yaml")"
fi
printf 'old: spec\n' >"$IW/ro/spec.yaml"
chmod 0555 "$IW/ro"
"$ASBGEN" import out/minimal/kubernetes -o "$IW/ro/spec.yaml" >"$TMP/iw.out" 2>&1
rc=$?
chmod 0755 "$IW/ro"
# (as root the folder stays writable: then only the exit code 0 is asked)
if [ -w "$IW/ro" ] && [ "$(id -u)" = 0 ]; then
	[ "$rc" -eq 0 ] && ok "import: -o into a read-only folder (root: writable, exit 0)" ||
		notok "import: -o into a read-only folder (root: writable, exit 0)" "exit $rc: $(cat "$TMP/iw.out")"
elif [ "$rc" -eq 2 ] && [ "$(cat "$IW/ro/spec.yaml")" = "old: spec" ] && [ "$(ls -A "$IW/ro")" = spec.yaml ] &&
	grep -q "^asbgen import: cannot write '$IW/ro/spec.yaml'" "$TMP/iw.out"; then
	ok "import: -o it cannot write is exit 2, the old spec untouched, no temporary"
else
	notok "import: -o it cannot write is exit 2, the old spec untouched, no temporary" "exit $rc: $(cat "$TMP/iw.out"; ls -lA "$IW/ro")"
fi
"$ASBGEN" import out/minimal/kubernetes -o "$IW/missing/spec.yaml" >"$TMP/iw.out" 2>&1
rc=$?
if [ "$rc" -eq 2 ] && [ ! -e "$IW/missing" ] && grep -q "cannot write '$IW/missing/spec.yaml': No such file or directory" "$TMP/iw.out"; then
	ok "import: -o in a folder that does not exist is exit 2 with the reason"
else
	notok "import: -o in a folder that does not exist is exit 2 with the reason" "exit $rc: $(cat "$TMP/iw.out")"
fi

section "import: Strimzi deployments nobody at Rubin wrote (tests/import/foreign/*)"
# Each folder is one deployment (tests/import/foreign/README.md says where
# each came from).  import exits 0 or 1, never 2 or a signal; what it
# reports (the summary and every import-* warning) is the folder's
# expected-warnings.txt, exactly (IMPORT_UPDATE=1 rewrites them: read the
# diff); import_meaning.py then checks the spec validates, renders, and
# keeps every Kafka-level meaning apart from what was reported.
foreign=
for d in tests/import/foreign/*/; do
	d=${d%/}
	name=${d##*/}
	foreign="$foreign $d"
	"$ASBGEN" import --name "$name" -o "$TMP/foreign-$name.yaml" "$d" >/dev/null 2>"$TMP/foreign.err"
	rc=$?
	if [ "$rc" -eq 0 ] || [ "$rc" -eq 1 ]; then
		ok "import: $d (exit $rc)"
	else
		notok "import: $d (exit 0 or 1)" "exit $rc: $(head -n 20 "$TMP/foreign.err")"
	fi
	grep -e '^asbgen import: ' -e ': warning: .*\[import-[a-z-]*\]$' "$TMP/foreign.err" >"$TMP/foreign.got"
	[ "${IMPORT_UPDATE:-}" != 1 ] || cp "$TMP/foreign.got" "$d/expected-warnings.txt"
	if out=$(diff -u "$d/expected-warnings.txt" "$TMP/foreign.got" 2>&1); then
		ok "import: $d reports what $d/expected-warnings.txt says"
	else
		notok "import: $d reports what $d/expected-warnings.txt says (IMPORT_UPDATE=1 to rewrite)" "$out"
	fi
done
mkdir -p "$TMP/import-foreign"
# shellcheck disable=SC2086
run_folded "import foreign meaning" "$TMP/import-foreign.out" "$PY" tests/import_meaning.py "$ASBGEN" "$TMP/import-foreign" $foreign

section "import: a spec that would not validate is not written"
IV=$TMP/import-invalid
cp -R out/minimal/kubernetes "$IV"
"$PY" -c 'import sys; p = sys.argv[1]; s = open(p).read(); open(p, "w").write(s.replace("\nspec:\n", "\nspec:\n  resources:\n    limits:\n      memory: 64-1Gi\n", 1))' "$IV/kafkanodepool-kafka.yaml"
printf 'old: spec\n' >"$TMP/iv-spec.yaml"
"$ASBGEN" import "$IV" -o "$TMP/iv-spec.yaml" >"$TMP/iv.out" 2>&1
rc=$?
if [ "$rc" -eq 1 ] && [ "$(cat "$TMP/iv-spec.yaml")" = "old: spec" ] &&
	grep -qx "asbgen: error: the imported spec does not validate: not written (leave out -o to see it) \[import-invalid\]" "$TMP/iv.out" &&
	grep -q "^$TMP/iv-spec.yaml:[0-9]*:[0-9]*: error: kafka.brokers.resources.limits.memory: '64-1Gi' is not a Kubernetes quantity" "$TMP/iv.out"; then
	ok "import: an input value the spec refuses (memory 64-1Gi) is import-invalid, exit 1, with the spec's line, and -o is left as it was"
else
	notok "import: an input value the spec refuses (memory 64-1Gi) is import-invalid, exit 1, with the spec's line, and -o is left as it was" "exit $rc: $(cat "$TMP/iv.out" "$TMP/iv-spec.yaml")"
fi
