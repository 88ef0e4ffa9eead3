#!/bin/sh
# suite_conformance.sh - out/ against the Strimzi, registry and cert-manager CRDs (crdcheck.py).
#
#   sh tests/suite_conformance.sh     (alone; or sh tests/run.sh conformance)
. "$(dirname "$0")/lib.sh"
suite suite_conformance.sh

section "conformance: strict CRD validation ($CONF)"
while read -r spec env ver; do
	dir=out/$env/kubernetes
	name="conformance: $dir against Strimzi $ver, strimzi-registry-operator and cert-manager CRDs"
	if [ ! -d "$CONF/strimzi/$ver" ]; then
		notok "$name" "no CRDs for Strimzi $ver in $CONF/strimzi"
		continue
	fi
	out=$("$PY" "$CONF/crdcheck.py" "$CONF/strimzi/$ver" "$CONF/strimzi-registry-operator" \
		"$CONF/cert-manager" -- "$dir" 2>&1 </dev/null)
	rc=$?
	summary=$(printf '%s\n' "$out" | grep '^crdcheck: ' | tail -n 1)
	checked=$(printf '%s\n' "$summary" | sed -n 's/^crdcheck: \([0-9]*\) checked, \([0-9]*\) invalid.*/\1/p')
	invalid=$(printf '%s\n' "$summary" | sed -n 's/^crdcheck: \([0-9]*\) checked, \([0-9]*\) invalid.*/\2/p')
	if [ "$rc" -eq 0 ] && [ "${invalid:-x}" = 0 ] && [ "${checked:-0}" -gt 0 ]; then
		ok "$name ($summary)"
	else
		notok "$name" "exit $rc: $out"
	fi
done <"$ENV_TABLE"

