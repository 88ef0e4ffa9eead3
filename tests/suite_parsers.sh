#!/bin/sh
# suite_parsers.sh - independent parsers read out/ (and the emitters' cases) as asbgen meant it.
#
#   sh tests/suite_parsers.sh     (alone; or sh tests/run.sh parsers)
. "$(dirname "$0")/lib.sh"
suite suite_parsers.sh

section "independent parsers: libyaml, PyYAML, kustomize, HashiCorp HCL, Java properties"
# roundtrip NAME CHECKER...: one check over the per-file lines of a
# round-trip checker (tests/intended.py): ok when every file is.
roundtrip() {
	rt_name=$1
	shift
	"$@" >"$TMP/rt.out" 2>&1 </dev/null
	rt_rc=$?
	rt_n=$(grep -c '^\(not \)\{0,1\}ok - ' "$TMP/rt.out")
	if [ "$rt_rc" -eq 0 ] && ! grep -q '^not ok - ' "$TMP/rt.out"; then
		ok "$rt_name ($rt_n files)"
	else
		notok "$rt_name" "exit $rt_rc: $(grep -v '^ok - ' "$TMP/rt.out")"
	fi
}
YAMLCHECK=$BUILD/tools/yamlcheck
while read -r spec env ver; do
	envdir=out/$env
	find "$envdir" -type f \( -name '*.yaml' -o -name '*.yml' \) | sort >"$TMP/yamlfiles"
	n=$(wc -l <"$TMP/yamlfiles" | tr -d ' ')
	# libyaml
	if [ ! -x "$YAMLCHECK" ]; then
		notok "parsers: libyaml reads $envdir" "$YAMLCHECK is not built"
	elif [ "$n" -eq 0 ]; then
		notok "parsers: libyaml reads $envdir" "no YAML files"
	elif out=$(xargs "$YAMLCHECK" <"$TMP/yamlfiles" 2>&1); then
		ok "parsers: libyaml reads every YAML file of $envdir ($n files)"
	else
		notok "parsers: libyaml reads every YAML file of $envdir" "$out"
	fi
	# PyYAML: every document of every file loads
	if out=$("$PY" -c '
import sys, yaml
bad = 0
for p in sys.stdin.read().split("\n"):
    if not p:
        continue
    try:
        with open(p, encoding="utf-8") as f:
            list(yaml.safe_load_all(f))
    except Exception as e:
        bad += 1
        print(f"{p}: {type(e).__name__}: {e}")
sys.exit(1 if bad else 0)
' <"$TMP/yamlfiles" 2>&1); then
		ok "parsers: PyYAML safe_load_all reads every YAML file of $envdir ($n files)"
	else
		notok "parsers: PyYAML safe_load_all reads every YAML file of $envdir" "$out"
	fi
	# kustomize: builds, and yields one document per listed resource
	kdir=$envdir/kubernetes
	if ! command -v kubectl >/dev/null 2>&1; then
		notok "parsers: kubectl kustomize $kdir" "kubectl is not installed (sh tests/deps.sh test)"
	elif kubectl kustomize "$kdir" >"$TMP/kustomized.yaml" 2>"$TMP/kustomize.err" </dev/null; then
		out=$("$PY" -c '
import sys, yaml
with open(sys.argv[1], encoding="utf-8") as f:
    resources = (yaml.safe_load(f) or {}).get("resources") or []
with open(sys.argv[2], encoding="utf-8") as f:
    docs = [d for d in yaml.safe_load_all(f) if d is not None]
print(len(resources), len(docs))
' "$kdir/kustomization.yaml" "$TMP/kustomized.yaml" 2>&1)
		set -- $out
		if [ $# -eq 2 ] && [ "$1" = "$2" ] && [ "$1" -gt 0 ]; then
			ok "parsers: kubectl kustomize $kdir yields one document per listed file ($1)"
		else
			notok "parsers: kubectl kustomize $kdir yields one document per listed file" \
				"files listed, documents out: $out"
		fi
	else
		notok "parsers: kubectl kustomize $kdir" "$(cat "$TMP/kustomize.err")"
	fi
	# Intended values: what the emitters were given, read back by the
	# independent parsers (PyYAML, HashiCorp's HCL parser, a Java
	# Properties reader).
	if [ ! -x "$BUILD/tools/outputs_json" ]; then
		notok "parsers: intended values of $envdir" "$BUILD/tools/outputs_json is not built"
		continue
	fi
	if ! ASBGEN_DATA=$ROOT "$BUILD/tools/outputs_json" --templates templates "$spec" \
		.yaml .yml .tfvars .hcl .properties .conf .md >"$TMP/intended.json" 2>"$TMP/intended.err" </dev/null; then
		notok "parsers: intended values of $envdir" "outputs_json failed: $(cat "$TMP/intended.err")"
		continue
	fi
	roundtrip "parsers: PyYAML reads every .yaml file of $envdir as intended" \
		"$PY" tests/yaml_roundtrip.py "$TMP/intended.json" "$envdir"
	roundtrip "parsers: HashiCorp HCL (hcl2json) reads every .tfvars file of $envdir as intended" \
		node tests/hcl_roundtrip.js "$TMP/intended.json" "$envdir"
	roundtrip "parsers: Java Properties reader reads every .properties file of $envdir as intended" \
		"$PY" tests/properties.py "$TMP/intended.json" "$envdir"
	roundtrip "parsers: kcat's configuration reader reads every .conf file of $envdir as intended" \
		"$PY" tests/librdkafka_conf.py "$TMP/intended.json" "$envdir"
	roundtrip "parsers: every .md file of $envdir is the intended lines" \
		"$PY" tests/text_lines.py "$TMP/intended.json" "$envdir"
done <"$ENV_TABLE"


# The emitters' own cases: every string parsers misread (as a value, a key
# and an item), documents with everything at once, and files written wrong
# on purpose that the checkers must reject.  build/tools/emit_cases writes
# them with the emitters; the same checkers read them back, one check each.
EC=$TMP/emit-cases
if [ ! -x "$BUILD/tools/emit_cases" ]; then
	notok "parsers: emitter cases" "$BUILD/tools/emit_cases is not built"
elif ! "$BUILD/tools/emit_cases" "$EC" >"$TMP/ec.count" 2>"$TMP/ec.err" </dev/null; then
	notok "parsers: emitter cases" "emit_cases failed: $(cat "$TMP/ec.err")"
else
	while read -r ec_kind ec_n ec_label; do
		case $ec_kind in
		yaml) set -- "$PY" "$ROOT/tests/yaml_roundtrip.py" ;;
		*) set -- node "$ROOT/tests/hcl_roundtrip.js" ;;
		esac
		(cd "$EC" && "$@" "$ec_kind.json" "$ec_kind") >"$TMP/ec.out" 2>&1 </dev/null
		ec_rc=$?
		fold "$TMP/ec.out" "parsers: emitter cases, $ec_label: "
		ec_got=$(grep -c '^\(not \)\{0,1\}ok - ' "$TMP/ec.out")
		if [ "$ec_got" -eq "$ec_n" ] && [ "$ec_rc" -le 1 ]; then
			ok "parsers: emitter cases, $ec_label: the checker reported every case ($ec_n)"
		else
			notok "parsers: emitter cases, $ec_label: the checker reported every case ($ec_n)" \
				"exit $ec_rc, $ec_got lines: $(tail -n 20 "$TMP/ec.out")"
		fi
	done <"$TMP/ec.count"
fi
