#!/bin/sh
# suite_diff.sh - `asbgen diff`.
#
#   sh tests/suite_diff.sh     (alone; or sh tests/run.sh diff)
#
# tests/diff/base.yaml is rendered into a scratch out/; each
# tests/diff/cases/NAME.yaml (the base with one edit; its first line says
# the exit code expected, a second "# base: B.yaml" names another base in
# tests/diff) is then diffed against it, in text and in JSON,
# and both outputs must equal tests/diff/cases/NAME.txt and NAME.json
# exactly; the JSON must follow schemas/diff.schema.json (checked with
# asbgen's schema engine: asbgen check --schema).  Other checks: the
# committed environments diff clean, hand edits in a copy of out/ show up,
# --base against a git repository made here, and errors.
#
# DIFF_UPDATE=1 sh tests/suite_diff.sh rewrites the expected files; read every
# change before committing it.

. "$(dirname "$0")/lib.sh"
suite suite_diff.sh

section "diff (tests/diff)"
DD=$TMP/diff
mkdir -p "$DD"
# asbgen's own schema engine
schemacheck() {
	"$ASBGEN" check -q --schema "$@"
}

# diff_expect NAME WANT_EXIT EXPECTED_FILE DIR ARGS...: run asbgen diff ARGS
# in DIR; stdout must equal EXPECTED_FILE (rewritten with DIFF_UPDATE=1) and
# the exit code WANT_EXIT.
diff_expect() {
	de_name=$1 de_want=$2 de_expected=$3 de_dir=$4
	shift 4
	(cd "$de_dir" && "$ASBGEN" diff "$@") >"$DD/got" 2>"$DD/err"
	rc=$?
	if [ "${DIFF_UPDATE:-}" = 1 ]; then
		cp "$DD/got" "$de_expected"
	fi
	# stderr: nothing but warnings of the semantic checks (a warning line,
	# then its indented source, caret and hint lines).
	if [ "$rc" -eq "$de_want" ] && [ -f "$de_expected" ] && cmp -s "$DD/got" "$de_expected" &&
		! grep -qv -e ': warning: ' -e '^ ' "$DD/err"; then
		ok "$de_name (exit $de_want)"
	else
		notok "$de_name (exit $de_want)" "exit $rc; stderr: $(cat "$DD/err")
$(diff -u "$de_expected" "$DD/got" 2>&1 | head -n 40)"
	fi
}

# diff_fails NAME WANT_EXIT PATTERN DIR ARGS...: asbgen diff exits WANT_EXIT
# and its stderr has a line matching the grep pattern.
diff_fails() {
	df_name=$1 df_want=$2 df_pattern=$3 df_dir=$4
	shift 4
	(cd "$df_dir" && "$ASBGEN" diff "$@") >"$DD/got" 2>"$DD/err"
	rc=$?
	if [ "$rc" -eq "$df_want" ] && grep -q -- "$df_pattern" "$DD/err"; then
		ok "$df_name (exit $df_want)"
	else
		notok "$df_name (exit $df_want)" "exit $rc; want a line matching: $df_pattern
stderr: $(head -c 2000 "$DD/err")
stdout: $(head -c 1000 "$DD/got")"
	fi
}

# ---- one case per danger rule, and the harmless ones
cp tests/diff/base.yaml "$DD/base.yaml"
if ! (cd "$DD" && "$ASBGEN" render -q base.yaml -o out) >"$DD/render.log" 2>&1; then
	notok "diff: render tests/diff/base.yaml" "$(cat "$DD/render.log")"
fi
found=0
for spec in tests/diff/cases/*.yaml; do
	[ -f "$spec" ] || continue
	found=$((found + 1))
	case_name=$(basename "$spec" .yaml)
	case_exit=$(sed -n '1s/^# expect-exit: \([0-9]\)$/\1/p' "$spec")
	if [ -z "$case_exit" ]; then
		notok "diff: case $case_name" "the first line must be '# expect-exit: N'"
		continue
	fi
	# "# base: B.yaml" on the second line: the case edits tests/diff/B.yaml,
	# rendered once into bases/B.
	case_base=$(sed -n '2s/^# base: \([a-z0-9-]*\)\.yaml$/\1/p' "$spec")
	case_out=
	if [ -n "$case_base" ]; then
		if [ ! -d "$DD/bases/$case_base" ]; then
			cp "tests/diff/$case_base.yaml" "$DD/$case_base.yaml"
			(cd "$DD" && "$ASBGEN" render -q "$case_base.yaml" -o "bases/$case_base") >"$DD/render.log" 2>&1 ||
				notok "diff: render tests/diff/$case_base.yaml" "$(cat "$DD/render.log")"
		fi
		case_out=bases/$case_base
	fi
	cp "$spec" "$DD/$case_name.yaml"
	diff_expect "diff: case $case_name, text" "$case_exit" "tests/diff/cases/$case_name.txt" "$DD" ${case_out:+-o "$case_out"} "$case_name.yaml"
	diff_expect "diff: case $case_name, json" "$case_exit" "tests/diff/cases/$case_name.json" "$DD" ${case_out:+-o "$case_out"} --format json "$case_name.yaml"
	if out=$(schemacheck schemas/diff.schema.json "tests/diff/cases/$case_name.json" 2>&1); then
		ok "diff: case $case_name, json follows schemas/diff.schema.json"
	else
		notok "diff: case $case_name, json follows schemas/diff.schema.json" "$out"
	fi
done
[ "$found" -gt 0 ] || notok "diff: cases in tests/diff/cases" "none found"

# Every danger rule id has a case that produces it.
DANGER_IDS="danger-storage-shrink danger-partitions-decrease danger-node-id danger-replicas-decrease
	danger-topic-removed danger-user-removed danger-external-address danger-kafka-downgrade
	danger-api-version danger-registry-compatibility danger-tls-switch danger-producer-write
	danger-listener-removed danger-listener-auth danger-component-removed"
for id in $DANGER_IDS; do
	if grep -q "\"id\": \"$id\"" tests/diff/cases/*.json 2>/dev/null; then
		ok "diff: rule $id has a case"
	else
		notok "diff: rule $id has a case" "no tests/diff/cases/*.json reports it"
	fi
done

# ---- colour: on a terminal (script(1) gives one), never with NO_COLOR, never in a pipe
ESC=$(printf '\033')
if command -v script >/dev/null 2>&1; then
	(cd "$DD" && env -u NO_COLOR script -qec "'$ASBGEN' diff storage-shrink.yaml" /dev/null) >"$DD/tty" 2>&1 </dev/null
	if grep -q "${ESC}\[1;31m\[danger-storage-shrink\]" "$DD/tty"; then
		ok "diff: coloured on a terminal"
	else
		notok "diff: coloured on a terminal" "$(head -c 1000 "$DD/tty")"
	fi
	(cd "$DD" && NO_COLOR=1 script -qec "'$ASBGEN' diff storage-shrink.yaml" /dev/null) >"$DD/tty" 2>&1 </dev/null
	if grep -q 'danger-storage-shrink' "$DD/tty" && ! grep -q "$ESC" "$DD/tty"; then
		ok "diff: no colour on a terminal with NO_COLOR set"
	else
		notok "diff: no colour on a terminal with NO_COLOR set" "$(head -c 1000 "$DD/tty")"
	fi
else
	notok "diff: colour on a terminal" "script(1) (bsdutils) is not installed"
fi
(cd "$DD" && env -u NO_COLOR "$ASBGEN" diff storage-shrink.yaml) >"$DD/pipe" 2>&1
if grep -q 'danger-storage-shrink' "$DD/pipe" && ! grep -q "$ESC" "$DD/pipe"; then
	ok "diff: no colour in a pipe"
else
	notok "diff: no colour in a pipe" "$(head -c 1000 "$DD/pipe")"
fi

# ---- the committed environments are what their specs render
for spec in $ENV_SPECS; do
	if out=$("$ASBGEN" diff "$spec" 2>&1) && printf '%s\n' "$out" | grep -q '^no changes$'; then
		ok "diff: asbgen diff $spec against out/ (no changes, exit 0)"
	else
		notok "diff: asbgen diff $spec against out/ (no changes, exit 0)" "exit $?: $out"
	fi
done

# ---- hand edits in a copy of out/usdfdev show up, in every kind of file
H=$DD/hand
mkdir -p "$H"
cp environments/usdfdev.yaml "$H/usdfdev.yaml"
cp -R out/usdfdev "$H/copy"
sed -i 's/^  replicas: 6$/  replicas: 5/' "$H/copy/kubernetes/kafkanodepool-kafka.yaml"
sed -i 's/^    ttl     = 300$/    ttl     = 600/' "$H/copy/terraform/dns.tfvars"
sed -i 's/^auto.offset.reset=latest$/auto.offset.reset=earliest/' "$H/copy/clients/fink-idfint.properties"
sed -i 's/^    version: 4.1.1$/    version: 4.1.2/' "$H/copy/helm/values-usdfdev.yaml"
rm "$H/copy/kubernetes/kafkauser-poi-usdf.yaml"
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: mine}\n' >"$H/copy/kubernetes/mine.yaml"
diff_expect "diff: hand edits in a copy of out/usdfdev (manifest, tfvars, properties, Helm values, a deleted file; an unrecorded file ignored)" \
	1 tests/diff/hand-edits.txt "$H" usdfdev.yaml --against copy

# ---- --base: a spec as committed in a git repository
G=$DD/repo
mkdir -p "$G/env"
if command -v git >/dev/null 2>&1; then
	cp tests/diff/base.yaml "$G/env/spec.yaml"
	(cd "$G" && git init -q && git add env/spec.yaml &&
		git -c user.name=asbgen-test -c user.email=test@example.org commit -q -m base) >"$DD/git.log" 2>&1 ||
		notok "diff --base: make a git repository" "$(cat "$DD/git.log")"
	sed -n '3,$p' tests/diff/cases/partitions-decrease.yaml >"$G/env/spec.yaml"
	diff_expect "diff --base HEAD: the spec as committed, rendered, against the working copy" \
		3 tests/diff/base-rev.txt "$G/env" spec.yaml --base HEAD
	(cd "$G" && "$ASBGEN" diff env/spec.yaml --base HEAD) >"$DD/got2" 2>&1
	rc=$?
	if [ "$rc" -eq 3 ] && grep -q '^--- HEAD:env/spec.yaml' "$DD/got2"; then
		ok "diff --base HEAD: from another directory (git show runs in the spec's directory)"
	else
		notok "diff --base HEAD: from another directory (git show runs in the spec's directory)" \
			"exit $rc: $(cat "$DD/got2")"
	fi
	diff_fails "diff --base: a revision that does not exist" 2 \
		"error: git -C . show no-such-rev:./spec.yaml failed: fatal: .*no-such-rev.* \[diff-base\]" \
		"$G/env" spec.yaml --base no-such-rev
	cp "$G/env/spec.yaml" "$G/env/new.yaml"
	diff_fails "diff --base: a spec not committed at the revision" 2 \
		"error: git -C . show HEAD:./new.yaml failed: fatal: .*new.yaml.* \[diff-base\]" \
		"$G/env" new.yaml --base HEAD
	mkdir -p "$DD/nogit"
	cp tests/diff/base.yaml "$DD/nogit/spec.yaml"
	diff_fails "diff --base: outside a git repository" 2 "show HEAD:./spec.yaml failed: fatal: not a git repository" \
		"$DD/nogit" spec.yaml --base HEAD
	(cd "$G/env" && PATH=/nonexistent-for-asbgen-tests "$ASBGEN" diff spec.yaml --base HEAD) >"$DD/got" 2>"$DD/err"
	rc=$?
	if [ "$rc" -eq 2 ] && grep -q '^asbgen: error: cannot run git: No such file or directory \[diff-base\]$' "$DD/err"; then
		ok "diff --base: git is not installed (exit 2)"
	else
		notok "diff --base: git is not installed (exit 2)" "exit $rc: $(cat "$DD/err")"
	fi
	printf 'name: broken\nplatform: {type: aws}\n' >"$G/env/bad.yaml"
	(cd "$G" && git add env/bad.yaml && git -c user.name=asbgen-test -c user.email=test@example.org commit -q -m bad) \
		>"$DD/git.log" 2>&1 || notok "diff --base: commit an invalid spec" "$(cat "$DD/git.log")"
	cp tests/diff/base.yaml "$G/env/bad.yaml"
	diff_fails "diff --base: the spec at the revision is invalid (positions in REV:SPEC)" 2 \
		"^HEAD:bad.yaml:2:18: error: .*\[schema-enum\]" "$G/env" bad.yaml --base HEAD
	# The base revision's warnings are not the change's: not shown.
	sed 's/{name: alerts, partitions: 12, replicas: 2}/{name: alerts, partitions: 12, replicas: 1}/' \
		tests/diff/base.yaml >"$G/env/warn.yaml"
	(cd "$G" && git add env/warn.yaml && git -c user.name=asbgen-test -c user.email=test@example.org commit -q -m warn) \
		>"$DD/git.log" 2>&1 || notok "diff --base: commit a spec with a warning" "$(cat "$DD/git.log")"
	cp tests/diff/base.yaml "$G/env/warn.yaml"
	(cd "$G/env" && "$ASBGEN" diff warn.yaml --base HEAD) >"$DD/got" 2>"$DD/err"
	rc=$?
	if [ "$rc" -eq 1 ] && [ ! -s "$DD/err" ] && grep -q 'spec.replicas: 1 -> 2' "$DD/got"; then
		ok "diff --base: the base revision's own warnings are not shown (a single replica fixed: exit 1, stderr empty)"
	else
		notok "diff --base: the base revision's own warnings are not shown" "exit $rc; stdout: $(cat "$DD/got"); stderr: $(cat "$DD/err")"
	fi
	# ...while the working copy's are (both sides with a single replica).
	sed 's/{name: alerts, partitions: 12, replicas: 2}/{name: alerts, partitions: 12, replicas: 1}/' \
		tests/diff/base.yaml >"$G/env/warn.yaml"
	(cd "$G/env" && "$ASBGEN" diff warn.yaml --base HEAD) >/dev/null 2>"$DD/err"
	if grep -q '^warn.yaml:[0-9]*:[0-9]*: warning: .*\[topic-single-replica\]$' "$DD/err" &&
		! grep -q '^HEAD' "$DD/err"; then
		ok "diff --base: the working copy's warnings are shown"
	else
		notok "diff --base: the working copy's warnings are shown" "$(cat "$DD/err")"
	fi
	cp tests/diff/base.yaml "$G/env/warn.yaml"
	diff_fails "diff --base: a revision that looks like an option" 2 "'--output' is not a git revision" \
		"$G/env" spec.yaml --base=--output
	diff_fails "diff --base: a revision with a path" 2 "'HEAD:x' is not a git revision" "$G/env" spec.yaml --base HEAD:x
	# ---- the reviewer's diff: grouped by spec change (--base), Markdown, annotations
	# Two logical edits: each group holds the objects and the Helm values and
	# kustomization entries that echo it.
	cp tests/diff/grouped.yaml "$G/env/spec.yaml"
	diff_expect "diff --base: two edits grouped by spec change, text" 1 tests/diff/grouped.txt "$G/env" spec.yaml --base HEAD
	diff_expect "diff --base: two edits grouped by spec change, json" 1 tests/diff/grouped.json "$G/env" spec.yaml --base HEAD --format json
	diff_expect "diff --base: two edits grouped by spec change, markdown" 1 tests/diff/grouped.md "$G/env" spec.yaml --base HEAD --format markdown
	if out=$(schemacheck schemas/diff.schema.json tests/diff/grouped.json 2>&1); then
		ok "diff --base: grouped json follows schemas/diff.schema.json"
	else
		notok "diff --base: grouped json follows schemas/diff.schema.json" "$out"
	fi
	if out=$("$PY" - tests/diff/grouped.json <<'PYEOF' 2>&1
import json, sys
d = json.load(open(sys.argv[1]))
paths = [c["path"] for c in d["changes"]]
assert paths == ["topics[name=alerts].partitions", "users[name=dave]"], paths
want = {("kubernetes/kustomization.yaml", "resources[]"): 1,
        ("helm/values-difftest.yaml", "alert-stream-broker.lsstcamTopicPartitions100"): 0,
        ("helm/values-difftest.yaml", "alert-stream-broker.users[username=dave]"): 1,
        ("helm/secrets-difftest.yaml", "dave-password"): 1,
        ("alerts", "spec.partitions"): 0}
seen = {}
for o in d["objects"]:
    for f in o.get("fields", []):
        seen[(o["name"], f["path"])] = f["cause"]
    if o["change"] != "changed":
        seen[(o["name"], None)] = o["cause"]
assert seen.get(("dave", None)) == 1, seen
assert seen.get(("clients/dave.properties", None)) == 1, seen
for k, v in want.items():
    assert seen.get(k) == v, (k, seen.get(k), v)
assert all(v in (0, 1) for v in seen.values()), seen
print("every difference has the edit that makes it")
PYEOF
); then
		ok "diff --base: each echo (Helm values, secrets, kustomization, client file) is in its edit's group"
	else
		notok "diff --base: each echo (Helm values, secrets, kustomization, client file) is in its edit's group" "$out"
	fi
	if out=$("$PY" tests/diff/markdown_check.py tests/diff/grouped.md tests/diff/grouped.json 2>&1); then
		ok "diff --format markdown: grouped sections, tags and fences balanced"
	else
		notok "diff --format markdown: grouped sections, tags and fences balanced" "$out"
	fi
	# Against a folder, the spec at HEAD groups the changes when it renders to
	# exactly that folder, and only then.
	cp tests/diff/base.yaml "$G/env/spec.yaml"
	(cd "$G/env" && "$ASBGEN" render -q spec.yaml -o ../out) >"$DD/render.log" 2>&1 || notok "diff: render the committed spec" "$(cat "$DD/render.log")"
	cp tests/diff/grouped.yaml "$G/env/spec.yaml"
	(cd "$G/env" && "$ASBGEN" diff spec.yaml -o ../out) >"$DD/got" 2>"$DD/err"
	rc=$?
	if [ "$rc" -eq 1 ] && grep -q '^(grouped by the spec changes since HEAD:spec.yaml, which renders to exactly the old side)$' "$DD/got" &&
		grep -q '^# spec change 2 of 2, spec.yaml:35:5: users\[name=dave\] added' "$DD/got"; then
		ok "diff against a folder: grouped by the spec changes since HEAD when HEAD renders to the folder"
	else
		notok "diff against a folder: grouped by the spec changes since HEAD when HEAD renders to the folder" "exit $rc: $(cat "$DD/got" "$DD/err")"
	fi
	sed -i 's/^  partitions: 6$/  partitions: 5/' "$G/out/difftest/kubernetes/kafkatopic-archive.yaml"
	(cd "$G/env" && "$ASBGEN" diff spec.yaml -o ../out) >"$DD/got" 2>"$DD/err"
	rc=$?
	if [ "$rc" -eq 1 ] && ! grep -q '^# spec change' "$DD/got" && grep -q 'spec.partitions: 5 -> 6' "$DD/got"; then
		ok "diff against a folder edited by hand: not grouped (HEAD does not render to it)"
	else
		notok "diff against a folder edited by hand: not grouped (HEAD does not render to it)" "exit $rc: $(cat "$DD/got" "$DD/err")"
	fi
	# Every danger case with --base --format github: one annotation per
	# danger, at a line of the spec its edit touched, then the usual text.
	titles=
	for spec in tests/diff/cases/*.yaml; do
		[ "$(sed -n 1p "$spec")" = "# expect-exit: 3" ] || continue
		case_name=$(basename "$spec" .yaml)
		# a case of another base: that base committed beside spec.yaml
		case_base=$(sed -n '2s/^# base: \([a-z0-9-]*\)\.yaml$/\1/p' "$spec")
		gspec=spec.yaml
		gbase=tests/diff/base.yaml
		if [ -n "$case_base" ]; then
			gspec=$case_base.yaml
			gbase=tests/diff/$case_base.yaml
			if ! (cd "$G" && git cat-file -e "HEAD:env/$gspec") 2>/dev/null; then
				cp "$gbase" "$G/env/$gspec"
				(cd "$G" && git add "env/$gspec" &&
					git -c user.name=asbgen-test -c user.email=test@example.org commit -q -m "$case_base") \
					>"$DD/git.log" 2>&1 || notok "diff --base: commit $gbase" "$(cat "$DD/git.log")"
			fi
		fi
		sed -n '3,$p' "$spec" >"$G/env/$gspec"
		(cd "$G/env" && "$ASBGEN" diff "$gspec" --base HEAD --format github) >"$DD/gh" 2>"$DD/err"
		rc=$?
		(cd "$G/env" && "$ASBGEN" diff "$gspec" --base HEAD --format json) >"$DD/gh.json" 2>/dev/null
		(cd "$G/env" && "$ASBGEN" diff "$gspec" --base HEAD) >"$DD/gh.txt" 2>/dev/null
		if [ "$rc" -eq 3 ] && out=$("$PY" tests/diff/annotations.py "$gbase" "$G/env/$gspec" "$DD/gh" "$DD/gh.json" 2>&1) &&
			grep -v '^::' "$DD/gh" | cmp -s - "$DD/gh.txt"; then
			ok "diff --format github: case $case_name, each danger annotated at the spec line its edit touched, then the text"
		else
			notok "diff --format github: case $case_name, each danger annotated at the spec line its edit touched, then the text" \
				"exit $rc; $out
$(cat "$DD/gh" "$DD/err" | head -c 3000)"
		fi
		titles="$titles $(sed -n 's/^::error .*title=\([^:]*\)::.*/\1/p' "$DD/gh" | tr '\n' ' ')"
	done
	for id in $DANGER_IDS; do
		case " $titles " in
		*" $id "*) ok "diff --format github: rule $id annotated" ;;
		*) notok "diff --format github: rule $id annotated" "no case's annotations have title=$id" ;;
		esac
	done
	cp tests/diff/base.yaml "$G/env/spec.yaml"
	for b in "$G"/env/base-*.yaml; do
		[ -f "$b" ] && cp "tests/diff/$(basename "$b")" "$b"
	done
else
	notok "diff --base" "git is not installed"
fi

# ---- errors: exit 2 with file:line:column and a rule id
E=$DD/errors
mkdir -p "$E"
cp tests/diff/base.yaml "$E/base.yaml"
diff_fails "diff: no rendered folder" 2 "^nowhere/difftest: error: no rendered environment folder nowhere/difftest \[diff-folder\]" \
	"$E" base.yaml -o nowhere
mkdir -p "$E/norecord/difftest"
diff_fails "diff: a folder without .asbgen-files" 2 "has no .asbgen-files record, so it is not an asbgen output folder \[diff-folder\]" \
	"$E" base.yaml -o norecord
# unparsable files, each in its own copy
for kind in tfvars properties yaml utf8 record; do
	cp -R "$DD/out" "$E/$kind"
done
sed -i 's/^    ttl     = 300$/    ttl     = var.ttl/' "$E/tfvars/difftest/terraform/dns.tfvars"
diff_fails "diff: an unparsable tfvars file" 2 \
	"^tfvars/difftest/terraform/dns.tfvars:7:15: error: 'var.ttl' is an expression; only literal values are allowed \[tfvars-syntax\]" \
	"$E" base.yaml -o tfvars
printf 'sasl.mechanism=SCRAM\\u00G1\n' >>"$E/properties/difftest/clients/bob.properties"
diff_fails "diff: an unparsable properties file" 2 \
	"^properties/difftest/clients/bob.properties:16:21: error: malformed \\\\uXXXX escape: four hex digits expected \[properties-syntax\]" \
	"$E" base.yaml -o properties
printf 'x=caf\351\n' >>"$E/utf8/difftest/clients/alice.properties"
diff_fails "diff: a client file that is not UTF-8" 2 \
	"^utf8/difftest/clients/alice.properties:16:6: error: the file is not UTF-8 text (byte 0xE9) \[diff-encoding\]" \
	"$E" base.yaml -o utf8
printf '../../base.yaml\n/etc/hostname\n' >>"$E/record/difftest/.asbgen-files"
(cd "$E" && "$ASBGEN" diff base.yaml -o record) >"$DD/got" 2>&1
rc=$?
if [ "$rc" -eq 0 ] && grep -q '^no changes$' "$DD/got"; then
	ok "diff: record lines outside the folder are not read (as render ignores them)"
else
	notok "diff: record lines outside the folder are not read (as render ignores them)" "exit $rc: $(cat "$DD/got")"
fi
mkdir -p "$E/dup"
cp -R "$DD/out/difftest" "$E/dup/difftest"
sed 's/partitions: 12/partitions: 99/' "$E/dup/difftest/kubernetes/kafkatopic-alerts.yaml" >"$E/dup/difftest/kubernetes/zz.yaml"
echo kubernetes/zz.yaml >>"$E/dup/difftest/.asbgen-files"
(cd "$E" && "$ASBGEN" diff base.yaml -o dup) >"$DD/got" 2>"$DD/err"
rc=$?
if [ "$rc" -eq 0 ] && grep -q '^no changes$' "$DD/got" &&
	grep -q '^dup/difftest/kubernetes/zz.yaml:3:1: warning: KafkaTopic alert-stream-broker/alerts is defined again (first in dup/difftest/kubernetes/kafkatopic-alerts.yaml); only the first is compared \[diff-duplicate\]$' "$DD/err"; then
	ok "diff: an object defined twice: a warning, the first is compared"
else
	notok "diff: an object defined twice: a warning, the first is compared" "exit $rc: $(cat "$DD/got" "$DD/err")"
fi
printf 'spec: [unclosed\n' >>"$E/yaml/difftest/kubernetes/kafka.yaml"
diff_fails "diff: an unparsable manifest" 2 "^yaml/difftest/kubernetes/kafka.yaml:[0-9]*:[0-9]*: error: .*\[yaml-syntax\]" \
	"$E" base.yaml -o yaml
printf 'name: broken\nplatform: {type: aws}\n' >"$E/broken.yaml"
diff_fails "diff: an invalid spec" 2 "^broken.yaml:2:18: error: .*\[schema-enum\]" "$E" broken.yaml
(cd "$E" && "$ASBGEN" diff --format json base.yaml -o nowhere) >"$DD/got" 2>"$DD/err"
rc=$?
if [ "$rc" -eq 2 ] && schemacheck schemas/diagnostics.schema.json "$DD/got" >"$DD/sc" 2>&1 && grep -q '"diff-folder"' "$DD/got"; then
	ok "diff --format json: errors are a diagnostics array on stdout (schemas/diagnostics.schema.json), exit 2"
else
	notok "diff --format json: errors are a diagnostics array on stdout (schemas/diagnostics.schema.json), exit 2" \
		"exit $rc; $(cat "$DD/sc" "$DD/got" "$DD/err")"
fi
diff_fails "diff: no spec" 2 "asbgen diff: no spec given" "$E"
diff_fails "diff: two specs" 2 "one spec at a time" "$E" base.yaml base.yaml
diff_fails "diff: --against and --base together" 2 "give one" "$E" base.yaml --against x --base HEAD
diff_fails "diff: unknown format" 2 "unknown format 'xml'" "$E" base.yaml --format xml
diff_fails "diff: unknown option" 2 "unknown option '--frob'" "$E" base.yaml --frob
if "$ASBGEN" diff --help | grep -q '^usage: asbgen diff SPEC'; then
	ok "diff --help"
else
	notok "diff --help"
fi

# ---- shapes declared in files.yaml (`diff:`) follow an edited template copy
S=$DD/shapes
mkdir -p "$S"
cp tests/diff/base.yaml tests/diff/cases/external-address.yaml "$S/"
# The Helm values renamed (template and output), and no Kafka resource
# (an environment still deployed with the charts): the address rule comes
# from the values' declaration, not from their name.
cp -R templates "$S/renamed"
mv "$S/renamed/helm/values.yaml" "$S/renamed/helm/phalanx.yaml"
sed -i -e 's|^- path: helm/values-${env.name}.yaml$|- path: helm/phalanx-${env.name}.yaml|' \
	-e 's|^  template: helm/values.yaml$|  template: helm/phalanx.yaml|' \
	-e '/^- path: kubernetes\/kafka.yaml$/,+1d' "$S/renamed/files.yaml"
if (cd "$S" && ASBGEN_DATA=$ROOT "$ASBGEN" render -q --templates renamed base.yaml -o out) >"$DD/render.log" 2>&1 &&
	[ -f "$S/out/difftest/helm/phalanx-difftest.yaml" ] && [ ! -f "$S/out/difftest/kubernetes/kafka.yaml" ]; then
	(cd "$S" && "$ASBGEN" diff --templates renamed external-address.yaml -o out) >"$DD/got" 2>"$DD/err"
	rc=$?
	if [ "$rc" -eq 3 ] &&
		grep -q '^  File helm/phalanx-difftest.yaml alert-stream-broker.kafka.externalListener.bootstrap.host \[danger-external-address\]$' "$DD/got" &&
		grep -q '^  File helm/phalanx-difftest.yaml alert-stream-broker.kafka.externalListener.brokers\[broker=7\].host \[danger-external-address\]$' "$DD/got"; then
		ok "diff: Helm values renamed in a template copy keep their danger rule and keyed brokers (exit 3)"
	else
		notok "diff: Helm values renamed in a template copy keep their danger rule and keyed brokers (exit 3)" \
			"exit $rc: $(cat "$DD/got" "$DD/err")"
	fi
else
	notok "diff: render with the renamed Helm values" "$(cat "$DD/render.log")"
fi
# A template edited so that a declared path is gone: render and diff fail at
# the declaration, naming the path and the template.
cp -R templates "$S/moved"
sed -i 's/^    externalListener:$/    external:/' "$S/moved/helm/values.yaml"
(cd "$S" && ASBGEN_DATA=$ROOT "$ASBGEN" render -q --templates moved base.yaml -o out-moved) >"$DD/got" 2>"$DD/err"
rc=$?
if [ "$rc" -eq 1 ] && [ ! -e "$S/out-moved" ] &&
	grep -q "^moved/files.yaml:[0-9]*:16: error: the address mapping 'alert-stream-broker.kafka.externalListener' declared for diff is not in the shape of the template helm/values.yaml \[tmpl-diff\]$" "$DD/err" &&
	grep -q "^moved/files.yaml:[0-9]*:7: error: the list 'alert-stream-broker.kafka.externalListener.brokers' declared for diff is not in the shape of the template helm/values.yaml \[tmpl-diff\]$" "$DD/err"; then
	ok "render: a declared diff path the edited template no longer has fails (exit 1, nothing written)"
else
	notok "render: a declared diff path the edited template no longer has fails (exit 1, nothing written)" \
		"exit $rc: $(cat "$DD/err")"
fi
diff_fails "diff: a declared diff path the edited template no longer has" 2 \
	"^moved/files.yaml:[0-9]*:16: error: the address mapping .* \[tmpl-diff\]$" "$S" --templates moved external-address.yaml -o out
cp -R templates "$S/typo"
sed -i -e 's/^      alert-stream-broker.users: username$/      alert-stream-broker.users: user/' \
	-e 's/^    sets: \[resources\]$/    set: [resources]/' "$S/typo/files.yaml"
(cd "$S" && ASBGEN_DATA=$ROOT "$ASBGEN" render -q --templates typo base.yaml -o out-typo) >"$DD/got" 2>"$DD/err"
rc=$?
if [ "$rc" -eq 1 ] && grep -q "^typo/files.yaml:[0-9]*:5: error: unknown key 'set' in a diff declaration \[tmpl-diff\]$" "$DD/err" &&
	grep -q "^  hint: did you mean 'sets'?$" "$DD/err" &&
	grep -q "^typo/files.yaml:[0-9]*:7: error: the items of the list 'alert-stream-broker.users' have no field 'user' in the template helm/values.yaml \[tmpl-diff\]$" "$DD/err"; then
	ok "render: a diff declaration with an unknown key or a key field the items lack fails"
else
	notok "render: a diff declaration with an unknown key or a key field the items lack fails" "exit $rc: $(cat "$DD/err")"
fi

# A component's entry whose if: does not test its switch (a typo in the
# component): render fails at the declaration.
cp -R templates "$S/comp"
sed -i '/^- path: kubernetes\/deployment-${kafdrop.name}.yaml$/,+4s/^    component: kafdrop$/    component: kafdrops/' "$S/comp/files.yaml"
(cd "$S" && ASBGEN_DATA=$ROOT "$ASBGEN" render -q --templates comp base.yaml -o out-comp) >"$DD/got" 2>"$DD/err"
rc=$?
if [ "$rc" -eq 1 ] && [ ! -e "$S/out-comp" ] &&
	grep -q "^comp/files.yaml:[0-9]*:16: error: the entry declares the component 'kafdrops', but its if: does not test kafdrops.enabled \[tmpl-diff\]$" "$DD/err"; then
	ok "render: a component declaration whose entry is not switched by it fails"
else
	notok "render: a component declaration whose entry is not switched by it fails" "exit $rc: $(cat "$DD/err")"
fi

# ---- a multi-line value changed (a template copy edits the Ingress's
# configuration snippet): a unified diff of its lines, in text and Markdown
cp -R templates "$S/snippet"
sed -i -e 's/^      limit_except GET {$/      limit_except GET HEAD {/' \
	-e 's/^      # to the schema registry.$/      # to the schema registry (HEAD too, for health checks)./' \
	"$S/snippet/kubernetes/registry-ingress.yaml"
diff_expect "diff: a multi-line value changed, as a unified diff" 1 tests/diff/multiline.txt "$DD" --templates "$S/snippet" base.yaml
(cd "$DD" && "$ASBGEN" diff --templates "$S/snippet" base.yaml --format markdown) >"$DD/ml.md" 2>&1
(cd "$DD" && "$ASBGEN" diff --templates "$S/snippet" base.yaml --format json) >"$DD/ml.json" 2>&1
if out=$("$PY" tests/diff/markdown_check.py "$DD/ml.md" "$DD/ml.json" 2>&1) &&
	grep -q '^@@ -1,5 +1,5 @@$' "$DD/ml.md" && grep -q '^+ limit_except GET HEAD {$' "$DD/ml.md" &&
	grep -q '^- limit_except GET {$' "$DD/ml.md"; then
	ok "diff --format markdown: a multi-line value as a unified diff in a diff block"
else
	notok "diff --format markdown: a multi-line value as a unified diff in a diff block" "$out
$(cat "$DD/ml.md")"
fi
