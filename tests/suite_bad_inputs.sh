#!/bin/sh
# suite_bad_inputs.sh - asbgen validate on each case of tests/bad-inputs.txt (tests/bad_inputs.py).
#
#   sh tests/suite_bad_inputs.sh     (alone; or sh tests/run.sh bad-inputs)
. "$(dirname "$0")/lib.sh"
suite suite_bad_inputs.sh

section "bad inputs (tests/bad-inputs.txt)"
run_folded "bad inputs" "$TMP/bad.out" "$PY" tests/bad_inputs.py "$ASBGEN" tests/bad-inputs.txt

