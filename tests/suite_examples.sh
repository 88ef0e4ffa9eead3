#!/bin/sh
# suite_examples.sh - the README's examples (examples/*.yaml but broken.yaml)
# validate cleanly and render outputs the real consumers accept: the CRDs of
# their Strimzi version, kubectl kustomize, the client files read by Java,
# librdkafka and kcat (tests/clients.py), Kafdrop's settings read by the JDK
# and matched with the Kafka CR and its KafkaUser (tests/kafdrop.py).  The
# prompt-processing environments' out/ goes through tests/kafdrop.py too.
#
#   sh tests/suite_examples.sh     (alone; or sh tests/run.sh examples)
. "$(dirname "$0")/lib.sh"
suite suite_examples.sh

section "examples: examples/*.yaml render what the real consumers accept"
EX=$TMP/examples
mkdir -p "$EX"
folders=
clients=
for spec in examples/*.yaml; do
	[ "$spec" != examples/broken.yaml ] || continue
	if ! out=$("$ASBGEN" validate --strict "$spec" 2>&1); then
		notok "examples: asbgen validate --strict $spec" "$out"
		continue
	fi
	ok "examples: asbgen validate --strict $spec (no warning left)"
	env=$("$ASBGEN" model "$spec" | "$PY" -c 'import json, sys; m = json.load(sys.stdin); print(m["env"]["name"], m["strimzi"]["version"])')
	ver=${env#* } env=${env% *}
	if ! out=$("$ASBGEN" render -q "$spec" -o "$EX" 2>&1); then
		notok "examples: asbgen render $spec" "$out"
		continue
	fi
	dir=$EX/$env/kubernetes
	out=$("$PY" "$CONF/crdcheck.py" "$CONF/strimzi/$ver" "$CONF/strimzi-registry-operator" \
		"$CONF/cert-manager" -- "$dir" 2>&1 </dev/null)
	rc=$?
	summary=$(printf '%s\n' "$out" | grep '^crdcheck: ' | tail -n 1)
	case "$rc:$summary" in
	"0:crdcheck: "*" checked, 0 invalid"*) ok "examples: $spec against Strimzi $ver's CRDs ($summary)" ;;
	*) notok "examples: $spec against Strimzi $ver's CRDs" "exit $rc: $out" ;;
	esac
	check "examples: kubectl kustomize reads $spec's kubernetes/" kubectl kustomize "$dir"
	folders="$folders $dir"
	clients="$clients $spec $EX/$env"
done

# shellcheck disable=SC2086 # lists of paths without spaces
run_folded "examples: clients" "$TMP/ex-clients.out" "$PY" tests/clients.py $clients
set --
while read -r spec env ver; do
	[ ! -d "out/$env/kubernetes" ] || set -- "$@" "out/$env/kubernetes"
done <"$ENV_TABLE"
# shellcheck disable=SC2086
run_folded "examples: kafdrop" "$TMP/ex-kafdrop.out" "$PY" tests/kafdrop.py "$@" $folders
