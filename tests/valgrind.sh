#!/bin/sh
# valgrind.sh - asbgen and its unit tests under Valgrind's memcheck (make valgrind).
#
#   sh tests/valgrind.sh
#
# Runs every build/tests/test_* and a representative set of asbgen
# commands: render of each environment (to a temporary directory and
# --stdout), validate of every bad-input and semantic-check case, check
# --crds over out/ with ../shared/conformance's CRDs, check --schema, diff of
# each environment, diff --base in a git repository made here, model, and a
# diff --live whose kubeconfig is refused.  Each one runs with
#   --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect
# so a memory error or a definitely/indirectly lost block fails it (the arena
# is freed at exit; libfyaml, jansson and libcurl objects must be freed).
# Prints "ok - NAME" / "not ok - NAME" (with Valgrind's report) per run and
# the closing "N passed, N failed"; exit 1 when anything failed.
LIB_TMP_PREFIX=asbgen-vg
. "$(dirname "$0")/lib.sh"

if ! command -v valgrind >/dev/null 2>&1; then
	echo "valgrind.sh: valgrind is not installed (apt-get install valgrind)" >&2
	exit 2
fi
n=0

# vg NAME EXPECTED_EXITS COMMAND...: run COMMAND under memcheck; ok when
# Valgrind found nothing and the exit status is one of EXPECTED_EXITS
# (a space-separated list).
vg() {
	name=$1 expect=$2
	shift 2
	n=$((n + 1))
	log=$TMP/vg.$n.log
	valgrind -q --error-exitcode=99 --leak-check=full \
		--errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect \
		--log-file="$log" "$@" >"$TMP/out" 2>"$TMP/err" </dev/null
	rc=$?
	case " $expect " in
	*" $rc "*) ok "valgrind: $name" ;;
	*) notok "valgrind: $name (exit $rc, expected $expect)" "$(cat "$log" "$TMP/err")" ;;
	esac
}

# Unit tests.
for t in "$BUILD"/tests/test_*; do
	[ -x "$t" ] || continue
	vg "unit $(basename "$t")" 0 "$t"
done

# render, --stdout, model, validate, diff of each environment.
for spec in environments/*.yaml; do
	env=$(basename "$spec" .yaml)
	vg "render $spec" 0 "$ASBGEN" render -o "$TMP/out-$env" "$spec"
	vg "render --stdout $spec" 0 "$ASBGEN" render --stdout "$spec"
	vg "model $spec" 0 "$ASBGEN" model "$spec"
	vg "validate $spec" 0 "$ASBGEN" validate "$spec"
	vg "diff $spec (against out/)" 0 "$ASBGEN" diff "$spec"
	vg "diff $spec --format json" 0 "$ASBGEN" diff --format json "$spec"
done
vg "render --check environments/*.yaml" 0 "$ASBGEN" render --check -o out environments/*.yaml
# Again into the folders rendered above: a note is taken (the folders are
# older than its 50 ms now), then used (README, "Re-rendering").
sleep 0.2
for spec in environments/*.yaml; do
	env=$(basename "$spec" .yaml)
	vg "render $spec again: the note taken" 0 "$ASBGEN" render -q -o "$TMP/out-$env" "$spec"
	vg "render $spec again: the note used" 0 "$ASBGEN" render -q -o "$TMP/out-$env" "$spec"
done

# validate of every bad-input and semantic-check case.
for cases in tests/bad-inputs.txt tests/semantic-checks.txt; do
	d=$TMP/cases-$(basename "$cases" .txt)
	mkdir -p "$d"
	"$PY" - "$cases" "$d" <<'EOF'
import sys
sys.path.insert(0, "tests")
import bad_inputs
for c in bad_inputs.parse(open(sys.argv[1]).read()):
    open(f"{sys.argv[2]}/{c['name']}.yaml", "wb").write(bad_inputs.spec_bytes(c))
EOF
	# One process for all cases of a file (each file is loaded, checked
	# and rendered on its own, in the same arena), once per format.
	for fmt in text json github; do
		vg "validate --format $fmt, all cases of $(basename "$cases")" "1 2" \
			"$ASBGEN" validate --format "$fmt" "$d"/*.yaml
	done
done

# check --crds over out/ (each environment's Strimzi version) and check --schema.
for spec in environments/*.yaml; do
	env=$(basename "$spec" .yaml)
	ver=$("$ASBGEN" model "$spec" | "$PY" -c 'import json, sys; print(json.load(sys.stdin)["strimzi"]["version"])')
	vg "check --crds out/$env" "0 1" "$ASBGEN" check --crds "$CONF/strimzi/$ver" \
		--crds "$CONF/strimzi-registry-operator" --crds "$CONF/cert-manager" "out/$env"
done
vg "check --crds tests/crd-broken" "1" "$ASBGEN" check --crds "$CONF/strimzi/0.51.0" \
	--crds "$CONF/strimzi-registry-operator" --crds "$CONF/cert-manager" \
	--crds tests/crd-broken/crds tests/crd-broken
for f in tests/crd-broken/bad-crds/*.yaml; do
	vg "check --crds broken CRD $(basename "$f")" "0 1 2" "$ASBGEN" check --crds "$f" tests/crd-broken/kafkatopic.json
done
vg "check --schema environments" 0 "$ASBGEN" check --schema schemas/environment.schema.json environments/*.yaml
for f in tests/check-schema/*; do
	case "$f" in *.expect) continue ;; esac
	[ -f "$f" ] || continue
	vg "check --schema $(basename "$f")" "0 1 2" "$ASBGEN" check --schema schemas/environment.schema.json "$f"
done

# diff --against, diff --base in a git repository made here.
vg "diff --against a copy of out/usdfdev" 0 "$ASBGEN" diff environments/usdfdev.yaml --against out/usdfdev
G=$TMP/repo
mkdir -p "$G/environments"
cp environments/minimal.yaml "$G/environments/"
(cd "$G" && git init -q && git -c user.name=t -c user.email=t@t add . &&
	git -c user.name=t -c user.email=t@t commit -qm base) >/dev/null 2>&1
sed 's/storageClass: standard/storageClass: fast/' environments/minimal.yaml >"$G/environments/minimal.yaml"
vg "diff --base HEAD" "0 1 3" "$ASBGEN" diff "$G/environments/minimal.yaml" --base HEAD
vg "diff --base no-such-rev" 2 "$ASBGEN" diff "$G/environments/minimal.yaml" --base no-such-rev

# diff --live: a kubeconfig that is refused (no server needed), and one whose server refuses.
cat >"$TMP/kc-exec" <<'EOF'
apiVersion: v1
kind: Config
current-context: c
contexts:
  - name: c
    context: {cluster: k, user: u}
clusters:
  - name: k
    cluster: {server: "https://127.0.0.1:1"}
users:
  - name: u
    user:
      exec: {command: gke-gcloud-auth-plugin}
EOF
vg "diff --live: exec plugin refused" 2 "$ASBGEN" diff environments/minimal.yaml --live --kubeconfig "$TMP/kc-exec"
sed 's/exec: {command: gke-gcloud-auth-plugin}/token: abc/' "$TMP/kc-exec" >"$TMP/kc-refused"
vg "diff --live: connection refused" 2 "$ASBGEN" diff environments/minimal.yaml --live --kubeconfig "$TMP/kc-refused" --request-timeout 2s

# Usage errors and help.
vg "--help" 0 "$ASBGEN" --help
vg "render with no spec" 2 "$ASBGEN" render
vg "validate of a missing file" 2 "$ASBGEN" validate "$TMP/no-such.yaml"

finish
