#!/bin/sh
# suite_determinism.sh - renders are byte-identical, from anywhere, in any time zone and umask.
#
#   sh tests/suite_determinism.sh     (alone; or sh tests/run.sh determinism)
. "$(dirname "$0")/lib.sh"
suite suite_determinism.sh

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

