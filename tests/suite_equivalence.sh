#!/bin/sh
# suite_equivalence.sh - out/usdfdev/kubernetes against Phalanx's rendered USDF output, by meaning (tests/equivalence.py).
#
#   sh tests/suite_equivalence.sh     (alone; or sh tests/run.sh equivalence)
. "$(dirname "$0")/lib.sh"
suite suite_equivalence.sh

usdfenv=$(env_of environments/usdfdev.yaml usdfdev)
section "equivalence with the Phalanx reference ($REFERENCE)"
if [ ! -f "$REFERENCE" ]; then
	notok "equivalence: reference exists" "no $REFERENCE"
elif [ -z "$usdfenv" ] || [ ! -d "out/$usdfenv/kubernetes" ]; then
	notok "equivalence: out/usdfdev/kubernetes exists"
else
	run_folded equivalence "$TMP/eq.out" "$PY" tests/equivalence.py "$REFERENCE" "out/$usdfenv/kubernetes"
fi


# The prompt-processing Kafka: both real environments.
for env in usdfdev-prompt-processing usdfprod-prompt-processing; do
	ref=$SHARED/reference/prompt-kafka/rendered-$env.yaml
	section "equivalence with the prompt-kafka reference ($ref)"
	if [ ! -f "$ref" ]; then
		notok "equivalence: $env reference exists" "no $ref"
	elif [ ! -d "out/$env/kubernetes" ]; then
		notok "equivalence: out/$env/kubernetes exists"
	else
		run_folded "equivalence $env" "$TMP/eq-$env.out" "$PY" tests/equivalence.py "$ref" "out/$env/kubernetes"
	fi
done
