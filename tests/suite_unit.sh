#!/bin/sh
# suite_unit.sh - every build/tests/test_* program, its checks prefixed with its name.
#
#   sh tests/suite_unit.sh     (alone; or sh tests/run.sh unit)
. "$(dirname "$0")/lib.sh"
suite suite_unit.sh

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

