#!/bin/sh
# suite_golden.sh - out/ is what the templates render; the environments give only the intended warnings.
#
#   sh tests/suite_golden.sh     (alone; or sh tests/run.sh golden)
. "$(dirname "$0")/lib.sh"
suite suite_golden.sh

section "golden: out/ is what the templates render"
if out=$("$ASBGEN" render --check $ENV_SPECS -o out 2>&1); then
	ok "golden: asbgen render --check environments/*.yaml -o out"
else
	notok "golden: asbgen render --check environments/*.yaml -o out" "exit $?:
$out"
fi
# Warnings the environments are meant to give: tests/environments-warnings.txt.
if out=$("$ASBGEN" validate $ENV_SPECS 2>&1) && [ "$out" = "$(cat tests/environments-warnings.txt)" ]; then
	ok "golden: asbgen validate environments/*.yaml gives only tests/environments-warnings.txt"
else
	notok "golden: asbgen validate environments/*.yaml gives only tests/environments-warnings.txt" "$out"
fi

# The schema is the one home of the defaults: each of them reaches the model.
mkdir -p "$TMP/model-defaults"
"$PY" tests/model_defaults.py "$ASBGEN" schemas/environment.schema.json "$TMP/model-defaults" >"$TMP/model-defaults.out" 2>&1
while IFS= read -r line; do
	case "$line" in
	"ok - "*) ok "${line#ok - }" ;;
	"not ok - "*) notok "${line#not ok - }" ;;
	"    "*) printf '%s\n' "$line" ;;
	*) notok "model defaults: $line" ;;
	esac
done <"$TMP/model-defaults.out"
# README's "Every key" table is generated from the schema (tests/readme_keys.py).
if out=$("$PY" tests/readme_keys.py --check README.md schemas/environment.schema.json 2>&1); then
	ok "README: the Every key table is the schema's"
else
	notok "README: the Every key table is the schema's" "$out"
fi
