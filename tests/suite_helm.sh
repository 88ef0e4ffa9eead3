#!/bin/sh
# suite_helm.sh - each environment's helm/values-ENV.yaml rendered through
# Phalanx's real alert-stream-broker chart with the Helm stand-in, compared
# by meaning with out/ENV/kubernetes (tests/helm_chart.py).
#
#   sh tests/suite_helm.sh     (alone; or sh tests/run.sh helm)
. "$(dirname "$0")/lib.sh"
suite suite_helm.sh

section "Helm values through the Phalanx chart (tests/helm_chart.py)"
HE_SRC=$SHARED/tools/helmengine
CHART=$SHARED/reference/phalanx/chart
# The stand-in is built once per source version (about 8 s from an empty Go
# cache) and kept in the build directory with the sum of its sources.
HE=$BUILD/tools/helmengine
he_sum=$(cat "$HE_SRC/main.go" "$HE_SRC/build.sh" 2>/dev/null | sha256sum | cut -d' ' -f1)
if [ ! -d "$CHART/alert-stream-broker" ] || [ ! -x "$HE_SRC/build.sh" ]; then
	notok "helm: the chart and the stand-in exist" "no $CHART/alert-stream-broker or $HE_SRC/build.sh"
elif ! command -v go >/dev/null 2>&1; then
	ok "helm: # SKIP Go is not installed (sh tests/deps.sh test installs golang-go and the Go packages helmengine needs)"
else
	if [ ! -x "$HE" ] || [ "$(cat "$HE.sum" 2>/dev/null)" != "$he_sum" ]; then
		mkdir -p "$BUILD/tools" "$BUILD/go-cache"
		if GOCACHE=$BUILD/go-cache "$HE_SRC/build.sh" "$HE" >"$TMP/he-build.out" 2>&1; then
			printf '%s\n' "$he_sum" >"$HE.sum"
		else
			notok "helm: build the stand-in ($HE_SRC/build.sh)" "$(cat "$TMP/he-build.out")"
		fi
	fi
	if [ -x "$HE" ] && [ "$(cat "$HE.sum" 2>/dev/null)" = "$he_sum" ]; then
		: >"$TMP/helm-used"
		while read -r spec name _; do
			# The chart cannot deploy an environment without a schema
			# registry: asbgen writes no values for it.
			if [ ! -e "out/$name/helm/values-$name.yaml" ] &&
				"$ASBGEN" model "$spec" 2>/dev/null | "$PY" -c 'import json,sys; sys.exit(json.load(sys.stdin)["registry"]["enabled"])'; then
				ok "helm $name: no Helm values without a schema registry"
				continue
			fi
			run_folded "helm $name" "$TMP/helm-$name.out" "$PY" tests/helm_chart.py "$HE" \
				"$CHART/alert-stream-broker" "$CHART/remote-charts" "$ASBGEN" "$spec" "out/$name"
			sed -n 's/^# used: //p' "$TMP/helm-$name.out" | tr , '\n' >>"$TMP/helm-used"
		done <"$ENV_TABLE"
		# Every entry of the script's CHART table is used by some environment.
		if stale=$("$PY" -c '
import sys
sys.path.insert(0, "tests")
import helm_chart
used = {int(x) for x in open(sys.argv[1]).read().split()}
for i, e in enumerate(helm_chart.CHART):
    if i not in used:
        print(f"no environment differs at {e[0]} {e[1]}: remove the entry")
' "$TMP/helm-used") && [ -z "$stale" ]; then
			ok "helm: every CHART difference of tests/helm_chart.py still occurs"
		else
			notok "helm: every CHART difference of tests/helm_chart.py still occurs" "$stale"
		fi
	fi
fi
