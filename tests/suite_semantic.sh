#!/bin/sh
# suite_semantic.sh - the semantic checks of `asbgen validate` and its
# diagnostics (issue 3).
#
#   sh tests/suite_semantic.sh     (alone; or sh tests/run.sh semantic)
. "$(dirname "$0")/lib.sh"
suite suite_semantic.sh

section "semantic checks (tests/semantic-checks.txt)"
run_folded "semantic checks" "$TMP/sem.out" "$PY" tests/bad_inputs.py "$ASBGEN" tests/semantic-checks.txt

# Every check id: documented in the README's "Semantic checks" section, and
# expected somewhere in tests/semantic-checks.txt.
if out=$("$PY" - <<'PYEOF' 2>&1
import glob, re, sys
ids = set()
for path in sorted(glob.glob("compiler/check*.c")):
    src = open(path).read()
    for m in re.finditer(r"check_(?:error|warning)\(c,", src):
        # the third argument of the call (after "c,"): skip one top-level comma
        i, depth, commas = m.end(), 0, 0
        while commas < 1:
            ch = src[i]
            if ch in "([{": depth += 1
            elif ch in ")]}": depth -= 1
            elif ch == "," and depth == 0: commas += 1
            i += 1
        lit = re.match(r'\s*"([a-z0-9-]+)"', src[i:])
        if not lit:
            sys.exit(f"{path}: a check id is not a string literal near offset {i}")
        ids.add(lit.group(1))
readme = open("README.md").read()
sec = re.search(r"^## Semantic checks\n(.*?)^## ", readme, re.S | re.M)
if not sec:
    sys.exit("README.md has no '## Semantic checks' section")
if readme.index("## Semantic checks") > readme.index("## Exit codes"):
    sys.exit("README.md: 'Semantic checks' must come before 'Exit codes'")
documented = set(re.findall(r"^\| `([a-z0-9-]+)`", sec.group(1), re.M))
cases = open("tests/semantic-checks.txt").read()
problems = [f"id {i} is not in the README's Semantic checks table" for i in sorted(ids - documented)]
problems += [f"README documents {i}, which no check reports" for i in sorted(documented - ids)]
problems += [f"id {i} has no case in tests/semantic-checks.txt" for i in sorted(ids) if f"[{i}]" not in cases]
if problems:
    sys.exit("\n".join(problems))
print(len(ids))
PYEOF
); then
	ok "semantic checks: all $out ids are documented in README.md and tested"
else
	notok "semantic checks: every id documented in README.md and tested" "$out"
fi

# The Kafka config tables asbgen ships are what tests/kafka_tables.py
# generates from the facts in ../shared/reference/kafka (so they cannot drift).
if out=$("$PY" tests/kafka_tables.py --check "$SHARED/reference/kafka" 2>&1); then
	ok "kafka tables: schemas/kafka/*.tsv are generated from $SHARED/reference/kafka"
else
	notok "kafka tables: schemas/kafka/*.tsv are generated from the facts" "$out
run: /usr/bin/python3 tests/kafka_tables.py --write"
fi

# acceptWarnings' rule enum in the schema is exactly the warning ids the
# checks report (less accept-unused, which accepting would defeat).
if out=$("$PY" - <<'PYEOF' 2>&1
import glob, json, re, sys
ids = set()
for path in sorted(glob.glob("compiler/check*.c")):
    # the id: the call's first string that looks like one (the position
    # argument may hold strings of its own: at(c, "topics", NULL))
    for call in re.findall(r'check_warning\(c,([^;]*)', open(path).read(), re.S):
        call = re.sub(r'\b(?:at|map_get|v_path)\([^()]*\)', '', call)
        ids |= set(re.findall(r'"([a-z0-9-]+)"', call)[:1])
ids.discard("accept-unused")
schema = json.load(open("schemas/environment.schema.json"))
enum = set(schema["properties"]["acceptWarnings"]["items"]["properties"]["rule"]["enum"])
if enum != ids:
    sys.exit(f"missing from the enum: {sorted(ids - enum)}; not a warning: {sorted(enum - ids)}")
print(len(ids))
PYEOF
); then
	ok "acceptWarnings: its rule enum is the $out warning ids of compiler/check*.c"
else
	notok "acceptWarnings: its rule enum is the warning ids of compiler/check*.c" "$out"
fi

# The committed environments: only the warnings recorded as intended.
S=$TMP/sem
mkdir -p "$S"
"$ASBGEN" validate environments/*.yaml >"$S/env.out" 2>"$S/env.err"
rc=$?
if [ "$rc" -eq 0 ] && [ ! -s "$S/env.out" ] && cmp -s "$S/env.err" tests/environments-warnings.txt; then
	ok "semantic: environments/*.yaml give exactly tests/environments-warnings.txt"
else
	notok "semantic: environments/*.yaml give exactly tests/environments-warnings.txt" \
		"exit $rc; $(diff tests/environments-warnings.txt "$S/env.err")"
fi

# Many files in one call: every problem of every file, sorted by file;
# warnings fail only with --strict; 2 for I/O and usage errors.
cat >"$S/b.yaml" <<'YEOF'
name: b
platform: {type: bare-metal, bareMetal: {addressPool: p, addressRange: 10.0.0.0/24, storageClass: s}}
registry: {hostname: r.example.org}
kafka: {controllers: {count: 2}}
topics: [{name: t, replicas: 9}]
YEOF
cat >"$S/a.yaml" <<'YEOF'
name: a
platform: {type: bare-metal, bareMetal: {addressPool: p, addressRange: 10.0.0.0/24, storageClass: s}}
registry: {hostname: r.example.org}
topics: [{name: t, replicas: 1, retention: {bytes: 1000}}]
YEOF
cp environments/minimal.yaml "$S/c.yaml"
(cd "$S" && "$ASBGEN" validate c.yaml b.yaml a.yaml >many.out 2>many.err)
rc=$?
got=$(sed -n 's/^\([a-z]*\.yaml:[0-9]*:[0-9]*: [a-z]*\): .*\[\(.*\)\]$/\1 \2/p' "$S/many.err" | tr '\n' ';')
want="a.yaml:4:30: warning topic-single-replica;b.yaml:4:30: error controllers;b.yaml:5:30: error topic-replicas;"
if [ "$rc" -eq 1 ] && [ "$got" = "$want" ]; then
	ok "validate: many files in one call, every problem, sorted by file and line"
else
	notok "validate: many files in one call, every problem, sorted by file and line" "exit $rc; got $got; want $want"
fi
(cd "$S" && "$ASBGEN" validate c.yaml a.yaml >/dev/null 2>&1)
rc1=$?
(cd "$S" && "$ASBGEN" validate --strict c.yaml a.yaml >/dev/null 2>&1)
rc2=$?
(cd "$S" && "$ASBGEN" validate --strict c.yaml >/dev/null 2>&1)
rc3=$?
(cd "$S" && "$ASBGEN" validate a.yaml missing.yaml >/dev/null 2>&1)
rc4=$?
(cd "$S" && "$ASBGEN" validate --bogus a.yaml >/dev/null 2>&1)
rc5=$?
if [ "$rc1$rc2$rc3$rc4$rc5" = "01022" ]; then
	ok "validate: exit 0 with warnings, 1 with --strict, 0 clean, 2 for a missing file or a bad option"
else
	notok "validate: exit codes" "warnings $rc1 (0), --strict $rc2 (1), clean --strict $rc3 (0), missing file $rc4 (2), bad option $rc5 (2)"
fi

# Colour: only on a terminal, never with NO_COLOR set.
esc=$(printf '\033')
if command -v script >/dev/null 2>&1; then
	(cd "$S" && env -u NO_COLOR script -qec "$ASBGEN validate b.yaml" /dev/null >tty.out 2>&1)
	(cd "$S" && NO_COLOR=1 script -qec "$ASBGEN validate b.yaml" /dev/null >tty-nc.out 2>&1)
	if grep -q "$esc\[" "$S/tty.out" && ! grep -q "$esc" "$S/tty-nc.out" && grep -q 'controllers' "$S/tty-nc.out"; then
		ok "validate: colour on a terminal, none with NO_COLOR"
	else
		notok "validate: colour on a terminal, none with NO_COLOR" "$(head -c 600 "$S/tty.out" | od -c | head -8)"
	fi
fi
(cd "$S" && env -u NO_COLOR "$ASBGEN" validate b.yaml >pipe.out 2>&1)
if ! grep -q "$esc" "$S/pipe.out"; then
	ok "validate: no colour when not on a terminal"
else
	notok "validate: no colour when not on a terminal"
fi

# Robustness: 10,000-deep nesting and a large alias expansion end with a
# clear error, not a crash.
"$PY" -c 'import sys; sys.stdout.write("name: t\nx-deep: " + "[" * 10000 + "]" * 10000 + "\n")' >"$S/deep.yaml"
"$PY" -c '
import sys
lines = ["name: t", "x-a: &a [" + ", ".join(["lol"] * 10) + "]"]
prev = "a"
for c in "bcdefghijkl":
    lines.append(f"x-{c}: &{c} [" + ", ".join(["*" + prev] * 10) + "]")
    prev = c
sys.stdout.write("\n".join(lines) + "\n")' >"$S/laughs.yaml"
for f in deep:yaml-depth laughs:yaml-too-large; do
	name=${f%%:*}
	id=${f#*:}
	"$ASBGEN" validate "$S/$name.yaml" >"$S/$name.out" 2>&1
	rc=$?
	if [ "$rc" -eq 1 ] && grep -q "\[$id\]" "$S/$name.out"; then
		ok "validate: $name.yaml ends with [$id], exit 1"
	else
		notok "validate: $name.yaml ends with [$id], exit 1" "exit $rc: $(head -c 400 "$S/$name.out")"
	fi
done

# Render runs the same checks: nothing written for a semantic error;
# warnings do not stop it.
(cd "$S" && "$ASBGEN" render -q b.yaml -o out-b >render-b.out 2>&1)
rc=$?
if [ "$rc" -eq 1 ] && [ ! -e "$S/out-b" ] && grep -q '\[controllers\]' "$S/render-b.out"; then
	ok "render: a semantic error stops it, nothing written"
else
	notok "render: a semantic error stops it, nothing written" "exit $rc: $(cat "$S/render-b.out")"
fi
(cd "$S" && "$ASBGEN" render -q a.yaml -o out-a >render-a.out 2>&1)
rc=$?
if [ "$rc" -eq 0 ] && [ -f "$S/out-a/a/kubernetes/kafka.yaml" ] && grep -q '\[topic-single-replica\]' "$S/render-a.out"; then
	ok "render: warnings are shown and do not stop it"
else
	notok "render: warnings are shown and do not stop it" "exit $rc: $(cat "$S/render-a.out")"
fi

# validate renders in memory: a template that fails on this spec makes
# validate fail too (templates from ASBGEN_DATA).
mkdir -p "$S/data"
cp -R templates schemas "$S/data/"
printf 'broken: ${kafka.nosuchkey}\n' >"$S/data/templates/kubernetes/kafka.yaml"
(cd "$S" && ASBGEN_DATA="$S/data" "$ASBGEN" validate c.yaml a.yaml >tmpl.out 2>&1)
rc=$?
# Templates are compiled once for all the specs: the error is reported at
# the template once, and the second spec is said to fail too.
if [ "$rc" -eq 1 ] && [ "$(grep -c '\[tmpl-missing\]' "$S/tmpl.out")" = 1 ] &&
	grep -q '^a.yaml:1:1: error: .*\[render-templates\]' "$S/tmpl.out"; then
	ok "validate: renders in memory, so a template failure is reported (once, and for each spec)"
else
	notok "validate: renders in memory, so a template failure is reported (once, and for each spec)" "exit $rc: $(cat "$S/tmpl.out")"
fi

# validate -j N: workers take the specs in whatever order they get to them,
# and the report is still that of one worker taking them in order (a
# template failure reported once, at the first spec that meets it; the
# other specs it fails said to fail too), for any N and in every format.
# The failures here depend on the spec: only the specs with users meet
# them (an expression, and an include of a file that is not there).
mkdir -p "$S/data-j" "$S/many"
cp -R templates schemas "$S/data-j/"
cat >>"$S/data-j/templates/kubernetes/kafka.yaml" <<'YEOF'
$if len(users) > 0:
  oops: ${users[0].nosuch}
  include: ${include("common/nosuch.yaml")}
YEOF
cat >"$S/d.yaml" <<'YEOF'
name: d
platform: {type: bare-metal, bareMetal: {addressPool: p, addressRange: 10.0.0.0/24, storageClass: s}}
registry: {hostname: r.example.org}
topics: [{name: t}]
users: [{name: reader, topics: [t], groups: [g]}]
YEOF
for i in $(seq -w 0 39); do
	case $((1$i % 4)) in 0) f=a ;; 1) f=b ;; 2) f=c ;; *) f=d ;; esac
	sed "s/^name: .*/name: $f$i/" "$S/$f.yaml" >"$S/many/s$i.yaml"
done
(cd "$S" && ASBGEN_DATA="$S/data-j" "$ASBGEN" validate -j 1 many >j1.out 2>&1)
rc=$?
count() { grep -c "\[$1\]\$" "$S/j1.out"; }
if [ "$rc" -eq 1 ] && [ "$(count tmpl-missing)" = 1 ] && [ "$(count tmpl-include)" = 1 ] &&
	[ "$(count render-templates)" = 9 ] && [ "$(count controllers)" = 10 ] &&
	! grep -q 's03.yaml.*render-templates' "$S/j1.out" && grep -q 's07.yaml.*render-templates' "$S/j1.out"; then
	ok "validate -j 1: a template failure once, at the first spec with users; the 9 others fail too"
else
	notok "validate -j 1: a template failure once, at the first spec with users; the 9 others fail too" "exit $rc: $(cat "$S/j1.out")"
fi
bad=""
for fmt in text json github; do
	(cd "$S" && ASBGEN_DATA="$S/data-j" "$ASBGEN" validate --format $fmt -j 1 many >jf.want 2>&1; echo "exit $?" >>jf.want)
	for j in 2 3 5 2 3 5; do
		(cd "$S" && ASBGEN_DATA="$S/data-j" "$ASBGEN" validate --format $fmt -j $j many >jf.got 2>&1; echo "exit $?" >>jf.got)
		cmp -s "$S/jf.want" "$S/jf.got" || bad="$bad $fmt/-j$j: $(diff "$S/jf.want" "$S/jf.got" | head -5)"
	done
done
if [ -z "$bad" ]; then
	ok "validate -j 2, 3, 5: the same report as -j 1, byte for byte, in every format"
else
	notok "validate -j 2, 3, 5: the same report as -j 1, byte for byte, in every format" "$bad"
fi
(cd "$S" && "$ASBGEN" validate -j 0 c.yaml >j0.out 2>&1)
rc=$?
if [ "$rc" -eq 2 ] && grep -q -- "--jobs takes a number from 1 to 1024, not '0'" "$S/j0.out"; then
	ok "validate -j 0: a usage error"
else
	notok "validate -j 0: a usage error" "exit $rc: $(cat "$S/j0.out")"
fi
