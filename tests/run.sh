#!/bin/sh
# run.sh - asbgen's test suite, or chosen groups of it.
#
#   sh tests/run.sh                           (make test: every group)
#   sh tests/run.sh diff live                 (only these groups)
#   ASBGEN_BUILD=build-san sh tests/run.sh    (make san: the same under ASan+UBSan)
#
# Groups, in the order they run (tests/README.md says what each checks):
#   unit golden determinism conformance parsers clients examples bad-inputs
#   semantic render check equivalence import helm diff terraform live robust
#   testid integrations
# Group G is the file tests/suite_G.sh (a '-' is a '_' there); each file
# also runs alone: sh tests/suite_diff.sh.  An unknown group is an error
# (exit 2) that lists these.
#
# Every check prints "ok - NAME" or "not ok - NAME" with indented details;
# the last line is "N passed, N failed"; exit 1 when anything failed.
#
# Binaries come from $ASBGEN_BUILD (default build): asbgen, tests/test_*,
# tools/*.  The conformance CRDs and the Phalanx reference come from
# $ASBGEN_SHARED (default ../shared, beside the checkout).  Needs what
# `sh tests/deps.sh test` installs.  tests/lib.sh has the shared helpers.
. "$(dirname "$0")/lib.sh"

TEST_GROUPS="unit golden determinism conformance parsers clients examples bad-inputs semantic render check equivalence import helm diff terraform live robust testid integrations"
for g in "$@"; do
	case " $TEST_GROUPS " in
	*" $g "*) ;;
	*)
		echo "run.sh: unknown group '$g'; the groups are: $TEST_GROUPS" >&2
		exit 2
		;;
	esac
done

# (the suites may reset "$@": keep the choice in a variable)
CHOSEN_GROUPS=${*:-$TEST_GROUPS}
setup
for g in $TEST_GROUPS; do
	case " $CHOSEN_GROUPS " in
	*" $g "*)
		RUN_GROUP=$g
		. "$ROOT/tests/suite_$(printf '%s' "$g" | tr - _).sh"
		;;
	esac
done
RUN_GROUP=
finish
