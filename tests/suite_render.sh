#!/bin/sh
# suite_render.sh - render behaviour: all-or-nothing, --check, hand-added and stale files, read-only output, --stdout, exit codes, JSON diagnostics.
#
#   sh tests/suite_render.sh     (alone; or sh tests/run.sh render)
. "$(dirname "$0")/lib.sh"
suite suite_render.sh

section "render behaviour"
minenv=$(env_of "$MIN" minimal)
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
usdfenv=$(env_of "$USDF" usdfdev)
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

# A stream longer than what render --stdout holds in memory (1,000 users,
# 5 MB; spool.h) goes through a temporary file: cut at its '# Source:'
# lines, it is the files `render -o` writes, byte for byte.  Without a
# usable temporary directory it stays in memory: the same bytes.
# users_spec N OUT: usdfdev with N users user-00000... reading the
# community topics.
users_spec() {
	awk -v n="$1" 'skip && (/^$/ || /^[ \t]/) { next }
	     skip { skip = 0 }
	     /^users:$/ { print; for (u = 0; u < n; u++)
			printf "  - {name: user-%05d, topics: *community, groups: [user-%05d]}\n", u, u
			skip = 1; next }
	     { print }' "$ROOT/environments/usdfdev.yaml" >"$2"
}
big=$B/stdout-big.yaml
users_spec 1000 "$big"
"$ASBGEN" render -q --no-cache "$big" -o "$B/big" >/dev/null 2>"$TMP/big.err"
"$ASBGEN" render --stdout "$big" -o "$B/big" >"$TMP/big.out" 2>>"$TMP/big.err"
rc=$?
rm -rf "$B/big-split"
python3 - "$TMP/big.out" "$B/big-split" "$B/big" <<'PY' 2>>"$TMP/big.err"
import os, sys
data = open(sys.argv[1], "rb").read()
parts = data.split(b"---\n# Source: " + sys.argv[3].encode() + b"/")
assert parts[0] == b"", "the stream does not start with a file"
for p in parts[1:]:
    name, _, text = p.partition(b"\n")
    path = os.path.join(sys.argv[2], name.decode())
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(text)
PY
n=$(grep -c '^# Source: ' "$TMP/big.out")
if [ "$rc" -eq 0 ] && [ "$(wc -c <"$TMP/big.out")" -gt 4500000 ] && [ "$n" -gt 3000 ] &&
	diff -r -x .asbgen-files "$B/big" "$B/big-split" >"$TMP/big.diff" 2>&1; then
	ok "render --stdout: a 5 MB stream (through a temporary file) is the files render -o writes"
else
	notok "render --stdout: a 5 MB stream (through a temporary file) is the files render -o writes" \
		"exit $rc; $n files; $(cat "$TMP/big.err"; head -n 20 "$TMP/big.diff")"
fi
TMPDIR=$B/no-such-tmp "$ASBGEN" render --stdout "$big" -o "$B/big" >"$TMP/big-mem.out" 2>/dev/null
rc=$?
if [ "$rc" -eq 0 ] && cmp -s "$TMP/big.out" "$TMP/big-mem.out"; then
	ok "render --stdout: without a temporary directory the stream stays in memory, the same bytes"
else
	notok "render --stdout: without a temporary directory the stream stays in memory, the same bytes" \
		"exit $rc; $(cmp "$TMP/big.out" "$TMP/big-mem.out" 2>&1)"
fi
# A stream that cannot be written (a full disk: /dev/full) is an I/O
# error, from memory and from the temporary file alike.
for spec in "$ROOT/$MIN" "$big"; do
	"$ASBGEN" render --stdout "$spec" >/dev/full 2>"$TMP/full.err"
	rc=$?
	if [ "$rc" -eq 2 ] &&
		grep -q '^asbgen render: cannot write to standard output: No space left on device$' "$TMP/full.err"; then
		ok "render --stdout: a full standard output is exit 2, named ($(basename "$spec"))"
	else
		notok "render --stdout: a full standard output is exit 2, named ($(basename "$spec"))" \
			"exit $rc; $(tail -n 3 "$TMP/full.err")"
	fi
done
# All or nothing: a template that fails on the last file, after 5 MB are
# on the stream, prints nothing at all (a pipe to kubectl gets no half).
BT=$TMP/late-broken-templates
rm -rf "$BT"
cp -R templates "$BT"
printf '%s\n' "- '\${nosuch.key}'" >>"$BT/clients/README.md.yaml"
"$ASBGEN" render --stdout --templates "$BT" "$big" >"$TMP/late.out" 2>"$TMP/late.err"
rc=$?
if [ "$rc" -eq 1 ] && [ ! -s "$TMP/late.out" ] && grep -q 'tmpl-missing' "$TMP/late.err" &&
	grep -q 'nothing was written' "$TMP/late.err"; then
	ok "render --stdout: a template failing on the last file prints nothing (exit 1)"
else
	notok "render --stdout: a template failing on the last file prints nothing (exit 1)" \
		"exit $rc; $(wc -c <"$TMP/late.out") bytes out; $(head -n 5 "$TMP/late.err")"
fi

# The clients' README of 1,000 users is made in parts of a few hundred
# lines (format.h, in_parts): it must be what the one-part README of two
# users says, its user section repeated, every user once and in order.
two=$B/stdout-two.yaml
users_spec 2 "$two"
"$ASBGEN" render -q --no-cache "$two" -o "$B/two" >/dev/null 2>&1
if out=$(python3 - "$B/two/usdfdev/clients/README.md" "$B/big/usdfdev/clients/README.md" <<'PY' 2>&1
import re, sys
two, big = (open(p).read() for p in sys.argv[1:3])
names = re.findall(r"^## (user-\d{5})$", big, re.M)
assert names == [f"user-{u:05d}" for u in range(1000)], f"{len(names)} user sections, not 1,000 in order"
norm = lambda t: re.sub(r"user-\d{5}", "user-N", re.sub(r"stdout-\w+\.yaml", "SPEC", t))
n2, nb = norm(two), norm(big)
s = (len(nb) - len(n2)) // 998
head, sec = n2[:len(n2) - 2 * s], n2[len(n2) - s:]
assert s > 0 and n2 == head + sec + sec, "the two-user README is not a head and two like sections"
assert nb == head + sec * 1000, "the 1,000-user README is not the head and 1,000 such sections"
assert big.count("\n") > 3 * 512, "too short to come in parts"
PY
); then
	ok "render: the clients' README of 1,000 users, made in parts, is the head and each user's section in order"
else
	notok "render: the clients' README of 1,000 users, made in parts, is the head and each user's section in order" "$out"
fi
# A failure in a later part, a template's or an emitter's, fails the
# output as a whole: nothing on the stream, nothing written, reported once.
for what in "a template" "an emitter"; do
	PT=$TMP/parts-broken-${what#* }
	rm -rf "$PT" "$B/parts-${what#* }"
	cp -R templates "$PT"
	if [ "$what" = "a template" ]; then line="        - '\${u.nosuch}'"; id=tmpl-missing
	else line="        - \"two\\nlines \${u.name}\""; id=emit-text-line; fi
	LINE=$line awk '{ print } /^- \$for u in users:$/ { print "    - $if u.name == \"user-00900\":"; print ENVIRON["LINE"] }' \
		"$ROOT/templates/clients/README.md.yaml" >"$PT/clients/README.md.yaml"
	"$ASBGEN" render --stdout --templates "$PT" "$big" >"$TMP/parts.out" 2>"$TMP/parts.err"
	rc=$?
	"$ASBGEN" render -q --templates "$PT" "$big" -o "$B/parts-${what#* }" >/dev/null 2>"$TMP/parts-o.err"
	rc2=$?
	if [ "$rc" -eq 1 ] && [ "$rc2" -eq 1 ] && [ ! -s "$TMP/parts.out" ] && [ ! -e "$B/parts-${what#* }" ] &&
		[ "$(grep -c "\[$id\]\$" "$TMP/parts.err")" = 1 ] && grep -q 'nothing was written' "$TMP/parts.err"; then
		ok "render: $what failure at the 901st of 1,000 users (a later part) fails the whole output, reported once"
	else
		notok "render: $what failure at the 901st of 1,000 users (a later part) fails the whole output, reported once" \
			"exit $rc, $rc2; $(wc -c <"$TMP/parts.out") bytes out; $(head -n 8 "$TMP/parts.err")"
	fi
done

# A YAML output whose top level loops (the Helm secrets: a mapping of one
# key per user) is made in parts too (format.h, in_parts): the same bytes
# as the same template made as one tree, which it is when its top level
# is wrapped in `$if true:` (no loop there).  Also at exactly two parts'
# worth of entries (an empty last part), and for a top-level sequence;
# a key repeated in a later part is the duplicate a whole mapping reports.
PW=$TMP/parts-whole
PP=$TMP/parts-yaml
rm -rf "$PW" "$PP"
cp -R templates "$PP"
# Only the users' loop (1,024 users: two full parts and an empty last
# one), and a list of the users' names.
printf '%s\n' '$for u in users:' '  ${u.secretKey}:' '    description: ${u.name}' >"$PP/helm/only-users.yaml"
printf '%s\n' '- $for u in users: ${u.name}' >"$PP/helm/names.yaml"
printf '%s\n' '- path: helm/only-users.yaml' '  template: helm/only-users.yaml' \
	'- path: helm/names.yaml' '  template: helm/names.yaml' >>"$PP/files.yaml"
cp -R "$PP" "$PW"
for t in helm/secrets.yaml helm/only-users.yaml; do
	{ echo '$if true:'; sed 's/^\(.\)/  \1/' "$PP/$t"; } >"$PW/$t"
done
printf '%s\n' '- $if true:' '    - $for u in users: ${u.name}' >"$PW/helm/names.yaml"
users_spec 1024 "$B/parts-1024.yaml"
same=""
for spec in "$big" "$B/parts-1024.yaml"; do
	for tp in "$PP" "$PW"; do
		rm -rf "$B/parts-$(basename "$tp")"
		"$ASBGEN" render -q --no-cache --templates "$tp" "$spec" -o "$B/parts-$(basename "$tp")" >/dev/null 2>&1 ||
			same="$same; render with $(basename "$tp") of $(basename "$spec") failed"
	done
	for f in helm/secrets-usdfdev.yaml helm/only-users.yaml helm/names.yaml; do
		cmp -s "$B/parts-parts-yaml/usdfdev/$f" "$B/parts-parts-whole/usdfdev/$f" ||
			same="$same; $f of $(basename "$spec") differs"
	done
done
n=$(grep -c '^  description: ' "$B/parts-parts-yaml/usdfdev/helm/only-users.yaml")
if [ -z "$same" ] && [ "$n" = 1024 ] &&
	[ "$(grep -c '^- user-' "$B/parts-parts-yaml/usdfdev/helm/names.yaml")" = 1024 ]; then
	ok "render: YAML outputs with a loop at the top level, made in parts, are the bytes of one tree (1,000 and 1,024 users)"
else
	notok "render: YAML outputs with a loop at the top level, made in parts, are the bytes of one tree (1,000 and 1,024 users)" \
		"${same#; }; $n entries"
fi
dup_report() { # TEMPLATES OUT: the duplicate-key report of render --stdout, and its exit code
	"$ASBGEN" render --stdout --templates "$1" "$big" >"$2.out" 2>"$2.err"
	echo "exit $? $(wc -c <"$2.out") bytes"
	grep -A3 'tmpl-duplicate-key' "$2.err" | grep -v '|' # the error and its hint, not the source lines
}
for tp in "$PP" "$PW"; do
	awk '{ print } /^ *\$for u in users:$/ { s = substr($0, 1, index($0, "$") - 1)
		print s "  $if u.name == \"user-00900\":"; print s "    user-00001-password:"; print s "      description: again" }' \
		"$tp/helm/secrets.yaml" >"$TMP/dup.yaml" && cp "$TMP/dup.yaml" "$tp/helm/secrets.yaml"
done
parts=$(dup_report "$PP" "$TMP/dup-parts")
whole=$(dup_report "$PW" "$TMP/dup-whole" | sed "s|$PW|$PP|; s|secrets.yaml:9:7|secrets.yaml:8:5|;
	s|line 12, column 7|line 11, column 5|")
if [ "$(echo "$parts" | head -n 1)" = "exit 1 0 bytes" ] && [ "$(echo "$parts" | grep -c 'tmpl-duplicate-key')" = 1 ] &&
	echo "$parts" | grep -q 'first one is produced at line 11, column 5' && [ "$parts" = "$whole" ]; then
	ok "render: a key of the secrets repeated in a later part is reported once, as in one tree, and nothing is printed"
else
	notok "render: a key of the secrets repeated in a later part is reported once, as in one tree, and nothing is printed" \
		"in parts: $parts; as one tree: $whole"
fi

# The client files are written from line plans (tmpl_lines.c): their lines
# without their trees.  The bytes are the trees', which the same templates
# make when their first key is computed (no plan then); and whatever the
# plan cannot say is reported as the tree reports it.  Each case changes
# both copies the same way and renders 1,000 users (LP: plans, LT: trees).
LP=$TMP/lines-plan
LT=$TMP/lines-tree
lines_copies() { # fresh copies of the templates, LT's first top-level keys computed
	rm -rf "$LP" "$LT"
	cp -R templates "$LP"
	cp -R templates "$LT"
	python3 - "$LT" <<'PY'
import os, re, sys
for d, _, fs in os.walk(sys.argv[1]):
    for f in fs:
        p = os.path.join(d, f)
        if f == "files.yaml" or not f.endswith(".yaml"):
            continue
        text = open(p).read()
        new = re.sub(r"^([A-Za-z][\w.-]*):(?=\s)", r"${'\1'}:", text, count=1, flags=re.M)
        open(p, "w").write(new)
PY
}
lines_both() { # SPEC NAME: render with both; "" when the outputs, messages and exit codes agree
	"$ASBGEN" render --stdout --no-cache --templates "$LP" "$1" >"$TMP/$2.lp.out" 2>"$TMP/$2.lp.err"
	echo "exit $?" >>"$TMP/$2.lp.err"
	"$ASBGEN" render --stdout --no-cache --templates "$LT" "$1" >"$TMP/$2.lt.out" 2>"$TMP/$2.lt.err"
	echo "exit $?" >>"$TMP/$2.lt.err"
	sed "s|$LT|$LP|g" "$TMP/$2.lt.err" >"$TMP/$2.lt.err2"
	cmp -s "$TMP/$2.lp.out" "$TMP/$2.lt.out" || echo "$2: the outputs differ"
	cmp -s "$TMP/$2.lp.err" "$TMP/$2.lt.err2" || echo "$2: the messages differ: $(diff "$TMP/$2.lp.err" "$TMP/$2.lt.err2" | head -n 6)"
}
lines_case() { # WHAT TAG WANT: both copies changed alike; the same as the tree, and stderr says WANT
	differs=$(lines_both "$big" "$2")
	if [ -z "$differs" ] && grep -q -- "$3" "$TMP/$2.lp.err"; then
		ok "render: $1: as its tree"
	else
		notok "render: $1: as its tree" "$differs; $(head -n 3 "$TMP/$2.lp.err")"
	fi
}
lines_copies
differs=""
grep -q "^\${'bootstrap.servers'}:" "$LT/clients/librdkafka.conf.yaml" && grep -q "^\${'apiVersion'}:" "$LT/kubernetes/kafkauser.yaml" ||
	differs="the tree copy was not made"
for spec in "$big" "$ROOT"/environments/*.yaml; do
	differs="$differs$(lines_both "$spec" "lines-$(basename "$spec" .yaml)")"
done
n=$(grep -c '^sasl.username=user-' "$TMP/lines-stdout-big.lp.out")
if [ -z "$differs" ] && [ "$n" = 1000 ]; then
	ok "render: outputs written entry by entry (client files, Kubernetes objects) are the bytes of their trees (1,000 users, every environment)"
else
	notok "render: outputs written entry by entry (client files, Kubernetes objects) are the bytes of their trees (1,000 users, every environment)" \
		"$differs; $n librdkafka files"
fi
# name | what is added to client.properties.yaml (\n: a line break) | what stderr must say
while IFS='|' read -r name add want; do
	lines_copies
	for tp in "$LP" "$LT"; do
		printf "$add\n" >>"$tp/clients/client.properties.yaml"
	done
	lines_case "a client file line by line, $name" "lines-$name" "$want"
done <<'CASES'
a failed expression|missing.key: ${u.nothere}|client.properties.yaml:17:16: error: the model has no 'nothere' in 'u.nothere' \[tmpl-missing\]
a failed expression for one user|$if u.name == "user-00500":\n  missing.key: ${u.nothere}|client.properties.yaml:18:18: error: the model has no 'nothere'
a null value|null.key: ${null}|emit-properties-type
a key twice|$if true:\n  auto.offset.reset: earliest|duplicate key 'auto.offset.reset' in the output mapping \[tmpl-duplicate-key\]
a mapping value (flattened)|extra: ${env}|^exit 0
CASES
grep -q '^extra.testInstance.storageScale=1$' "$TMP/lines-a mapping value (flattened).lp.out" ||
	notok "render: a client file line by line, a mapping value: flattened" "$(grep -m 3 '^extra' "$TMP/lines-a mapping value (flattened).lp.out")"
# The same for a KafkaUser: lines added below its metadata's name.
while IFS='|' read -r name add want; do
	lines_copies
	for tp in "$LP" "$LT"; do
		python3 - "$tp/kubernetes/kafkauser.yaml" "$add" <<'PY'
import sys
p, add = sys.argv[1], sys.argv[2].replace("\\n", "\n")
text = open(p).read()
at = text.index("  name: ${u.name}\n") + len("  name: ${u.name}\n")
open(p, "w").write(text[:at] + add + "\n" + text[at:])
PY
	done
	lines_case "a KafkaUser entry by entry, $name" "ylines-$name" "$want"
done <<'CASES'
a failed expression|  extra: ${u.nothere}|kafkauser.yaml:11:12: error: the model has no 'nothere' in 'u.nothere' \[tmpl-missing\]
a key twice in a nested mapping|  $if true:\n    namespace: again|duplicate key 'namespace' in the output mapping \[tmpl-duplicate-key\]
a nested mapping left empty|  extra:\n    $if false:\n      x: y|^exit 0
a mapping value|  extra: ${env}|^exit 0
an include() of no file|  extra: ${include('common/no-such.yaml')}|there is no file
CASES
grep -q '^  extra: {}$' "$TMP/ylines-a nested mapping left empty.lp.out" &&
	grep -q '^    testInstance:$' "$TMP/ylines-a mapping value.lp.out" ||
	notok "render: a KafkaUser entry by entry: an empty mapping is {}, a mapping value below its key" \
		"$(grep -m 2 -A 2 '^  extra:' "$TMP/ylines-a nested mapping left empty.lp.out" "$TMP/ylines-a mapping value.lp.out")"
[ "$(grep -c 'there is no file' "$TMP/ylines-an include() of no file.lp.err")" = 1 ] ||
	notok "render: a KafkaUser entry by entry: a missing include reported once" "$(grep -c 'there is no file' "$TMP/ylines-an include() of no file.lp.err") reports"
# librdkafka refuses a line longer than kcat reads.
lines_copies
long=$(printf '%0600d' 0)
for tp in "$LP" "$LT"; do
	echo "long.value: \${u.name}-$long" >>"$tp/clients/librdkafka.conf.yaml"
done
lines_case "a librdkafka file line by line, a line too long for kcat" lines-long 'emit-librdkafka-line'
# A line that reads only the model is made once per render, but not for
# an index entry whose loop variable has the model's name: there `env` is
# each user.
lines_copies
for tp in "$LP" "$LT"; do
	echo 'name: ${env.name}' >"$tp/clients/shadow.properties.yaml"
	[ "$tp" = "$LT" ] && echo '${"x"}: y' >>"$tp/clients/shadow.properties.yaml"
	[ "$tp" = "$LP" ] && echo 'x: y' >>"$tp/clients/shadow.properties.yaml"
	printf '%s\n' '- path: shadow/a-${u.name}.properties' '  template: clients/shadow.properties.yaml' '  for: u in users' \
		'- path: shadow/b-${env.name}.properties' '  template: clients/shadow.properties.yaml' '  for: env in users' \
		>>"$tp/files.yaml"
done
differs=$(lines_both "$big" lines-shadow)
if [ -z "$differs" ] && grep -q '^name=user-00999$' "$TMP/lines-shadow.lp.out" &&
	[ "$(grep -c '^name=usdfdev$' "$TMP/lines-shadow.lp.out")" = 1000 ]; then
	ok "render: a line read from the model once per render is not a loop variable's of the same name"
else
	notok "render: a line read from the model once per render is not a loop variable's of the same name" \
		"$differs; $(grep -c '^name=usdfdev$' "$TMP/lines-shadow.lp.out") lines name=usdfdev"
fi

# Exit codes of usage and I/O errors, help and version (expect_exit: lib.sh).
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
	if [ "$rc" -eq 1 ] && out=$(diagnostics_json "$TMP/j.out" 'isinstance(doc, list) and doc'); then
		ok "validate --format json: output follows schemas/diagnostics.schema.json"
	else
		notok "validate --format json: output follows schemas/diagnostics.schema.json" \
			"exit $rc; $out; stdout: $(head -c 2000 "$TMP/j.out")"
	fi
else
	notok "validate --format json: output follows schemas/diagnostics.schema.json" "no schemas/diagnostics.schema.json"
fi


# production: true (the operator's manual: nothing disappears from a
# production cluster by accident).  A topic is dropped from the spec: the
# render refuses to remove its file, writing nothing, until --accept prune;
# diff marks the danger and accepts it only with --accept RULE.
P=$TMP/production
mkdir -p "$P"
{
	sed 's/^name: minimal$/name: minimal\nproduction: true/' "$MIN"
	printf 'topics:\n  - {name: old-alerts, partitions: 1}\n'
} >"$P/p.yaml"
"$ASBGEN" render -q "$P/p.yaml" -o "$P/out" >"$P/log" 2>&1 || notok "production: the first render" "$(cat "$P/log")"
sed -i '/old-alerts/d; /^topics:$/d' "$P/p.yaml"
cp -r "$P/out" "$P/before"
"$ASBGEN" render -q "$P/p.yaml" -o "$P/out" >"$P/log" 2>&1
rc=$?
if [ "$rc" -eq 1 ] && diff -r "$P/before" "$P/out" >/dev/null &&
	grep -q '^.*p.yaml:[0-9]*:13: error: minimal is a production environment: this render would remove .*/out/minimal/kubernetes/kafkatopic-old-alerts.yaml, and Argo CD.s prune would delete its object from the cluster \[render-production-prune\]$' "$P/log"; then
	ok "production: render refuses to remove an object's file (exit 1, render-production-prune at production: true, nothing written)"
else
	notok "production: render refuses to remove an object's file" "exit $rc; $(cat "$P/log")"
fi
"$ASBGEN" diff "$P/p.yaml" -o "$P/out" >"$P/d.out" 2>"$P/d.err"
rc=$?
if [ "$rc" -eq 3 ] && grep -q '^  (a production environment: each must be accepted with --accept RULE before it is synced)$' "$P/d.out" &&
	grep -q '^  KafkaTopic alert-stream-broker/old-alerts \[danger-topic-removed\]$' "$P/d.out"; then
	ok "production: diff flags the removal, to be accepted (exit 3)"
else
	notok "production: diff flags the removal, to be accepted (exit 3)" "exit $rc; $(cat "$P/d.out" "$P/d.err")"
fi
"$ASBGEN" diff "$P/p.yaml" -o "$P/out" --accept danger-topic-removed --format json >"$P/d.json" 2>"$P/d.err"
rc=$?
if [ "$rc" -eq 1 ] && out=$("$PY" -c '
import json, sys
rep = json.load(open(sys.argv[1]))
assert rep["production"] is True, rep
assert [(d["id"], d.get("accepted")) for d in rep["dangers"]] == [("danger-topic-removed", True)], rep["dangers"]
' "$P/d.json" 2>&1) && "$ASBGEN" check -q --schema schemas/diff.schema.json "$P/d.json" >/dev/null 2>&1; then
	ok "production: diff --accept danger-topic-removed: accepted in the JSON (schemas/diff.schema.json), exit 1"
else
	notok "production: diff --accept danger-topic-removed" "exit $rc; $out; $(cat "$P/d.err")"
fi
"$ASBGEN" diff "$P/p.yaml" -o "$P/out" --accept danger-topic-removd >"$P/d.out" 2>"$P/d.err"
rc=$?
if [ "$rc" -eq 2 ] && grep -q "^asbgen diff: --accept 'danger-topic-removd' is not a danger rule; did you mean 'danger-topic-removed'?" "$P/d.err"; then
	ok "production: diff --accept with a mistyped rule: usage error with the suggestion"
else
	notok "production: diff --accept with a mistyped rule" "exit $rc; $(cat "$P/d.err")"
fi
"$ASBGEN" render -q "$P/p.yaml" -o "$P/out" --accept prune >"$P/log" 2>&1
rc=$?
if [ "$rc" -eq 0 ] && [ ! -e "$P/out/minimal/kubernetes/kafkatopic-old-alerts.yaml" ]; then
	ok "production: render --accept prune removes the file"
else
	notok "production: render --accept prune removes the file" "exit $rc; $(cat "$P/log")"
fi
expect_exit 2 "render: --accept takes prune only" "$ASBGEN" render --accept danger-topic-removed "$ROOT/$MIN"

# --phase bootstrap (the manual's cold start): the edit from the full
# render is exactly the external listener and what needs it (certificate),
# as tests/bootstrap/ENV.txt says (BOOTSTRAP_UPDATE=1 rewrites it); the
# bootstrap render is valid for the CRDs; rendering the full phase after it
# gives out/ back byte for byte.
BS=$TMP/bootstrap
mkdir -p "$BS"
while read -r spec env ver; do
	case "$env" in usdfdev | idfint) ;; *) continue ;; esac
	want=tests/bootstrap/$env.txt
	"$ASBGEN" diff "$spec" --phase bootstrap >"$BS/$env.txt" 2>/dev/null
	rc=$?
	[ -z "${BOOTSTRAP_UPDATE:-}" ] || cp "$BS/$env.txt" "$want"
	if [ "$rc" -eq 1 ] && cmp -s "$BS/$env.txt" "$want"; then
		ok "bootstrap: diff $spec --phase bootstrap is the cold-start edit of $want"
	else
		notok "bootstrap: diff $spec --phase bootstrap as $want (BOOTSTRAP_UPDATE=1 to rewrite)" \
			"exit $rc; $(diff "$want" "$BS/$env.txt" | head -n 20)"
	fi
	"$ASBGEN" render -q --phase bootstrap "$spec" -o "$BS/o" >"$BS/log" 2>&1 || notok "bootstrap: render $spec" "$(cat "$BS/log")"
	if out=$("$PY" "$CONF/crdcheck.py" "$CONF/strimzi/$ver" "$CONF/strimzi-registry-operator" "$CONF/cert-manager" \
		-- "$BS/o/$env/kubernetes" 2>&1 </dev/null) && ! grep -q 'name: external' "$BS/o/$env/kubernetes/kafka.yaml"; then
		ok "bootstrap: $env's bootstrap render passes the CRDs, without the external listener ($(printf '%s\n' "$out" | tail -n 1))"
	else
		notok "bootstrap: $env's bootstrap render passes the CRDs, without the external listener" "$out"
	fi
	"$ASBGEN" render -q "$spec" -o "$BS/o" >"$BS/log" 2>&1
	if diff -r "out/$env" "$BS/o/$env" >"$BS/d" 2>&1; then
		ok "bootstrap: the full render after the bootstrap one is out/$env again"
	else
		notok "bootstrap: the full render after the bootstrap one is out/$env again" "$(head -n 20 "$BS/d")"
	fi
done <"$ENV_TABLE"
expect_exit 2 "render: --phase takes bootstrap or full" "$ASBGEN" render --phase cold "$ROOT/$MIN"

# The built-in templates are compiled into the binary (compiler/embedded.h)
# and used only for files whose bytes are those it was built from: a site's
# edited copy renders its edit, and a mistake in it is reported at the
# copy's line.
ET=$TMP/edited-templates
cp -R templates "$ET"
printf 'edited-by-site: site-copy\n' >>"$ET/common/labels.yaml"
"$ASBGEN" render --stdout --templates "$ET" "$ROOT/$MIN" >"$TMP/edited.out" 2>"$TMP/edited.err"
"$ASBGEN" render --stdout "$ROOT/$MIN" >"$TMP/builtin.out" 2>/dev/null
if grep -q '^ *edited-by-site: site-copy$' "$TMP/edited.out" && ! grep -q edited-by-site "$TMP/builtin.out" &&
	grep -v 'edited-by-site: site-copy' "$TMP/edited.out" | cmp -s - "$TMP/builtin.out"; then
	ok "templates: an edited copy of a built-in template renders the edit, and only it (--templates)"
else
	notok "templates: an edited copy of a built-in template renders the edit, and only it (--templates)" \
		"$(cat "$TMP/edited.err"; diff "$TMP/builtin.out" "$TMP/edited.out" | head -n 20)"
fi
printf 'broken: ${nosuch.key}\n' >>"$ET/common/labels.yaml"
"$ASBGEN" render --stdout --templates "$ET" "$ROOT/$MIN" >/dev/null 2>"$TMP/edited.err"
rc=$?
if [ "$rc" -eq 1 ] && grep -q "^$ET/common/labels.yaml:6:11: error: the model has no .nosuch. \[tmpl-missing\]" "$TMP/edited.err"; then
	ok "templates: a mistake in an edited copy is reported at the copy's line (exit 1)"
else
	notok "templates: a mistake in an edited copy is reported at the copy's line (exit 1)" "exit $rc; $(cat "$TMP/edited.err")"
fi
# The same for the schema: an edited copy (through ASBGEN_DATA) is read.
SD=$TMP/edited-data
mkdir -p "$SD"
cp -R schemas templates "$SD/"
sed 's|"default": "alert-stream-broker"|"default": "alert-stream-broker-site"|' schemas/environment.schema.json \
	>"$SD/schemas/environment.schema.json"
if ASBGEN_DATA=$SD "$ASBGEN" model "$ROOT/$MIN" 2>&1 | grep -q '"namespace": "alert-stream-broker-site"' &&
	"$ASBGEN" model "$ROOT/$MIN" 2>&1 | grep -q '"namespace": "alert-stream-broker"'; then
	ok "schema: an edited copy of the built-in schema gives its defaults (ASBGEN_DATA)"
else
	notok "schema: an edited copy of the built-in schema gives its defaults (ASBGEN_DATA)" \
		"$(ASBGEN_DATA=$SD "$ASBGEN" model "$ROOT/$MIN" 2>&1 | grep -n namespace | head -n 5)"
fi

section "re-rendering: the render note (compiler/render_cache.h)"
# A render with nothing to do reads no output file: it stats them against
# the note the last render took.  strace shows which files a run opened.
RC=$TMP/rerender
mkdir -p "$RC"
# traced NAME ARGS...: run asbgen ARGS under strace (openat and stat
# calls into $RC/NAME.trace), its stderr into $RC/NAME.err.
traced() {
	tn=$1
	shift
	ASAN_OPTIONS=detect_leaks=0 strace -f -qq -o "$RC/$tn.trace" -e trace=openat,newfstatat \
		"$ASBGEN" "$@" >"$RC/$tn.out" 2>"$RC/$tn.err" </dev/null
}
# read_outputs NAME: did run NAME open kafka.yaml (an output) for reading?
read_outputs() { grep -q 'openat([0-9]*, "kafka.yaml", O_RDONLY' "$RC/$1.trace"; }
if ! command -v strace >/dev/null 2>&1; then
	notok "re-render: strace is installed" "sh tests/deps.sh test"
else
	UD=environments/usdfdev.yaml
	"$ASBGEN" render -q "$UD" -o "$RC/o" 2>"$RC/first.err"
	sleep 0.2 # a folder changed within the last 50 ms gets no note yet
	traced full render -q "$UD" -o "$RC/o"
	sleep 0.2
	traced hit render -q "$UD" -o "$RC/o"
	if read_outputs full && ! read_outputs hit && grep -q '"kafka.yaml"' "$RC/hit.trace" &&
		cmp -s "$RC/first.err" "$RC/hit.err" && [ -s "$RC/hit.err" ]; then
		ok "re-render: nothing changed: no output file read (stat only), the same warnings on stderr"
	else
		notok "re-render: nothing changed: no output file read (stat only), the same warnings on stderr" \
			"$(diff "$RC/first.err" "$RC/hit.err"; grep -c kafka.yaml "$RC/full.trace" "$RC/hit.trace")"
	fi
	"$ASBGEN" render -q --format json "$UD" -o "$RC/o" >"$RC/json-hit.out" 2>&1
	"$ASBGEN" render -q --no-cache --format json "$UD" -o "$RC/o" >"$RC/json-full.out" 2>&1
	if cmp -s "$RC/json-hit.out" "$RC/json-full.out" && grep -q helm-fixed "$RC/json-hit.out"; then
		ok "re-render: the same JSON diagnostics as a full render"
	else
		notok "re-render: the same JSON diagnostics as a full render" "$(diff "$RC/json-full.out" "$RC/json-hit.out")"
	fi
	# diff uses the note too: the folder is the render, nothing to compare.
	traced diffnote diff "$UD" -o "$RC/o"
	dn=$?
	traced diffnc diff --no-cache "$UD" -o "$RC/o"
	if [ "$dn" -eq 0 ] && ! read_outputs diffnote && read_outputs diffnc && grep -q '^no changes$' "$RC/diffnote.out" &&
		cmp -s "$RC/diffnote.out" "$RC/diffnc.out" && cmp -s "$RC/diffnote.err" "$RC/diffnc.err"; then
		ok "re-render: diff of the noted folder reads no output file, and says what diff --no-cache says"
	else
		notok "re-render: diff of the noted folder reads no output file, and says what diff --no-cache says" \
			"exit $dn; $(cat "$RC/diffnote.out"; diff "$RC/diffnc.err" "$RC/diffnote.err")"
	fi
	"$ASBGEN" diff --format json "$UD" -o "$RC/o" >"$RC/dj1.out" 2>/dev/null
	"$ASBGEN" diff --no-cache --format json "$UD" -o "$RC/o" >"$RC/dj2.out" 2>/dev/null
	if cmp -s "$RC/dj1.out" "$RC/dj2.out"; then
		ok "re-render: diff --format json of the noted folder: the same report as with --no-cache"
	else
		notok "re-render: diff --format json of the noted folder: the same report as with --no-cache" \
			"$(diff "$RC/dj2.out" "$RC/dj1.out")"
	fi
	traced nocache render -q --no-cache "$UD" -o "$RC/o"
	if read_outputs nocache; then
		ok "re-render: --no-cache compares every file"
	else
		notok "re-render: --no-cache compares every file" "$(head -n 20 "$RC/nocache.trace")"
	fi
	if [ -n "$(ls "$ASBGEN_CACHE_DIR"/render-* 2>/dev/null)" ] &&
		[ -z "$(find "$RC/o" -name '*cache*' -o -name 'render-*')" ]; then
		ok "re-render: the note is in ASBGEN_CACHE_DIR, nothing new in out/"
	else
		notok "re-render: the note is in ASBGEN_CACHE_DIR, nothing new in out/" \
			"$(ls -la "$ASBGEN_CACHE_DIR" 2>&1; find "$RC/o" -name '*cache*')"
	fi

	# What a note must not hide.  Each case: a settled folder (rendered
	# twice), a change, then a render that must see it.
	settle() {
		"$ASBGEN" render -q "$@" >/dev/null 2>&1
		sleep 0.2
		"$ASBGEN" render -q "$@" >/dev/null 2>&1
		sleep 0.2
	}
	MO=$RC/m
	mk=$MO/$minenv/kubernetes/kafka.yaml
	settle "$MIN" -o "$MO"
	cp "$mk" "$RC/kafka.orig"
	# The same size and modification time: only the change time shows it.
	"$PY" -c 'import os, sys
f = sys.argv[1]; st = os.stat(f)
t = open(f).read().replace("kind: Kafka\n", "kind: Kafkb\n", 1)
open(f, "w").write(t); os.utime(f, ns=(st.st_atime_ns, st.st_mtime_ns))' "$mk"
	"$ASBGEN" diff "$MIN" -o "$MO" >"$RC/d.out" 2>&1
	drc=$?
	"$ASBGEN" render "$MIN" -o "$MO" >"$RC/e.out" 2>&1
	if [ "$drc" -eq 1 ] && grep -q 'Kafkb' "$RC/d.out"; then
		ok "re-render: diff of a file edited after the note shows the edit (exit 1)"
	else
		notok "re-render: diff of a file edited after the note shows the edit (exit 1)" "exit $drc: $(cat "$RC/d.out")"
	fi
	if grep -q "^updated  *$mk\$" "$RC/e.out" && cmp -s "$mk" "$RC/kafka.orig"; then
		ok "re-render: a file edited to the same size and modification time is rendered again"
	else
		notok "re-render: a file edited to the same size and modification time is rendered again" "$(cat "$RC/e.out")"
	fi
	settle "$MIN" -o "$MO"
	rm "$mk"
	"$ASBGEN" render "$MIN" -o "$MO" >"$RC/e.out" 2>&1
	if grep -q "^created  *$mk\$" "$RC/e.out"; then
		ok "re-render: a deleted file is written again"
	else
		notok "re-render: a deleted file is written again" "$(cat "$RC/e.out")"
	fi
	settle "$MIN" -o "$MO"
	tmpf=$MO/$minenv/kubernetes/.kafka.yaml.asbgen-tmp.0123456789abcdef
	: >"$tmpf"
	"$ASBGEN" render "$MIN" -o "$MO" >"$RC/e.out" 2>&1
	if [ ! -e "$tmpf" ]; then
		ok "re-render: a killed render's temporary in a folder is removed (the folder changed)"
	else
		notok "re-render: a killed render's temporary in a folder is removed (the folder changed)" "$(cat "$RC/e.out")"
	fi
	settle "$MIN" -o "$MO"
	cp "$MIN" "$RC/spec.yaml"
	settle "$RC/spec.yaml" -o "$MO"
	printf 'topics:\n  - {name: cache-check-topic, partitions: 3}\n' >>"$RC/spec.yaml"
	"$ASBGEN" render "$RC/spec.yaml" -o "$MO" >"$RC/e.out" 2>&1
	if grep -q 'kafkatopic-cache-check-topic' "$RC/e.out"; then
		ok "re-render: an edited spec is rendered again"
	else
		notok "re-render: an edited spec is rendered again" "$(cat "$RC/e.out")"
	fi
	CT=$RC/templates
	cp -R templates "$CT"
	settle "$MIN" -o "$MO" --templates "$CT"
	printf 'cache-check: edited\n' >>"$CT/common/labels.yaml"
	"$ASBGEN" render -q "$MIN" -o "$MO" --templates "$CT" >"$RC/e.out" 2>&1
	if grep -q 'cache-check: edited' "$mk"; then
		ok "re-render: an edited template (--templates) is rendered again"
	else
		notok "re-render: an edited template (--templates) is rendered again" "$(cat "$RC/e.out")"
	fi
	# A merged file (`into`): idfint's node pool goes into a tfvars file of
	# the cluster's; a copy of it is edited.
	IS=$RC/idf
	mkdir -p "$IS"
	vf=$(sed -n 's/^ *varFile: //p' environments/idfint.yaml)
	cp "environments/$vf" "$IS/base.tfvars"
	sed "s|varFile: .*|varFile: base.tfvars|" environments/idfint.yaml >"$IS/idfint.yaml"
	settle "$IS/idfint.yaml" -o "$IS/out"
	printf '# cache-check: a line of the cluster file\n' >>"$IS/base.tfvars"
	"$ASBGEN" render -q "$IS/idfint.yaml" -o "$IS/out" >"$RC/e.out" 2>&1
	if grep -rq 'cache-check: a line of the cluster file' "$IS/out"; then
		ok "re-render: an edited file merged into (into) is rendered again"
	else
		notok "re-render: an edited file merged into (into) is rendered again" "$(cat "$RC/e.out"; ls -R "$IS/out" | head)"
	fi
	# A damaged note (cut short, a NUL byte, another format) is no note.
	settle "$MIN" -o "$MO"
	for note in "$ASBGEN_CACHE_DIR"/render-*; do
		head -c 200 "$note" >"$note.cut" && mv "$note.cut" "$note"
	done
	printf 'x' >>"$mk"
	"$ASBGEN" render "$MIN" -o "$MO" >"$RC/e1.out" 2>&1
	rc1=$?
	for note in "$ASBGEN_CACHE_DIR"/render-*; do
		printf 'asbgen-render-cache 1\ninputs 0\000\nf 1 2 3 4 5 6 7 - x\n' >"$note"
	done
	printf 'x' >>"$mk"
	"$ASBGEN" render "$MIN" -o "$MO" >"$RC/e2.out" 2>&1
	rc2=$?
	if [ "$rc1" -eq 0 ] && [ "$rc2" -eq 0 ] && grep -q "^updated  *$mk\$" "$RC/e1.out" &&
		grep -q "^updated  *$mk\$" "$RC/e2.out" && cmp -s "$mk" "$RC/kafka.orig"; then
		ok "re-render: a damaged note (cut short, a NUL byte) is ignored: the render is a full one"
	else
		notok "re-render: a damaged note (cut short, a NUL byte) is ignored: the render is a full one" \
			"exit $rc1, $rc2: $(cat "$RC/e1.out" "$RC/e2.out")"
	fi
	# No cache directory at all: renders as always.
	if env -u ASBGEN_CACHE_DIR -u XDG_CACHE_HOME HOME=/nonexistent "$ASBGEN" render -q "$MIN" -o "$RC/nohome" &&
		env -u ASBGEN_CACHE_DIR -u XDG_CACHE_HOME HOME=/nonexistent "$ASBGEN" render --check "$MIN" -o "$RC/nohome"; then
		ok "re-render: without a cache directory, render and --check work as always"
	else
		notok "re-render: without a cache directory, render and --check work as always"
	fi
fi
