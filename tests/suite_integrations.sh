#!/bin/sh
# suite_integrations.sh - asbgen run the way the tools around it run it:
# Argo CD's plugin, pre-commit, a GitHub Action, workflow annotations, the
# installed layout (man page, completions, uninstall), and the CLI's
# conveniences (--only, directories, -, --, suggestions, schema).
#
#   sh tests/suite_integrations.sh     (alone; or sh tests/run.sh integrations)
. "$(dirname "$0")/lib.sh"
suite suite_integrations.sh

IT=$TMP/integrations
mkdir -p "$IT/bin"
# idfint's cluster var file is named relative to the spec, in the shared
# reference beside the checkout: the copies below keep that layout.
ln -s "$SHARED" "$IT/shared"
# The tools find asbgen on PATH, as a user's install puts it there (a link:
# asbgen finds its templates beside its real path).
ln -s "$ASBGEN" "$IT/bin/asbgen"
IPATH=$IT/bin:$PATH
CRDS="$CONF/strimzi-registry-operator $CONF/cert-manager"

# ---------------------------------------------------------------------------
section "integrations: render --only and diff --only"
for spec in $ENV_SPECS; do
	env=$(env_of "$spec")
	"$ASBGEN" render --stdout --only kubernetes "$spec" >"$IT/$env.k8s" 2>"$IT/$env.k8s.err"
	rc=$?
	# the kustomization lists exactly the objects
	nres=$(awk '/^resources:/ { on = 1; next } on && /^  - / { n++ } on && !/^  - / { on = 0 } END { print n + 0 }' \
		"out/$env/kubernetes/kustomization.yaml")
	if [ "$rc" -eq 0 ] && out=$("$PY" tests/integrations/k8s_stream.py "$IT/$env.k8s" "$nres" 2>&1); then
		ok "only: render --stdout --only kubernetes $spec: $nres Kubernetes objects, the kustomization's resources"
	else
		notok "only: render --stdout --only kubernetes $spec: objects alone" "exit $rc: $(cat "$IT/$env.k8s.err") $out"
	fi
	# each kind prints exactly the files of its directory
	for kind in helm terraform clients; do
		"$ASBGEN" render --stdout --only "$kind" "$spec" 2>/dev/null | sed -n 's|^# Source: out/[^/]*/||p' >"$IT/got"
		(cd "out/$env" && find . -path "./$kind/*" -type f | sed 's|^\./||' | LC_ALL=C sort) >"$IT/want"
		LC_ALL=C sort "$IT/got" -o "$IT/got"
		if cmp -s "$IT/got" "$IT/want"; then
			ok "only: render --stdout --only $kind $spec: the $(wc -l <"$IT/want" | tr -d ' ') files of out/$env/$kind/"
		else
			notok "only: render --stdout --only $kind $spec" "$(diff "$IT/want" "$IT/got")"
		fi
	done
done
# The negative control: the whole stream is not a manifest stream.
"$ASBGEN" render --stdout environments/usdfdev.yaml >"$IT/all.k8s" 2>/dev/null
if ! "$PY" tests/integrations/k8s_stream.py "$IT/all.k8s" >/dev/null 2>&1; then
	ok "only: render --stdout without --only is refused as a manifest stream (the check can fail)"
else
	notok "only: render --stdout without --only is refused as a manifest stream"
fi

# -o with --only: the other kinds' files stay, recorded, untouched.
O=$IT/only
"$ASBGEN" render -q environments/usdfdev.yaml -o "$O" 2>/dev/null
cp -R "$O" "$O.before"
echo '# hand edit' >>"$O/usdfdev/helm/values-usdfdev.yaml"
echo '# hand edit' >>"$O/usdfdev/kubernetes/kafka.yaml"
rm "$O/usdfdev/kubernetes/kustomization.yaml"
sed 's/^  replicas: 1$/  replicas: 2/' environments/usdfdev.yaml >"$IT/usdfdev.yaml"
"$ASBGEN" render --check --only helm,terraform,clients "$IT/usdfdev.yaml" -o "$O" >"$IT/c.out" 2>/dev/null
rc=$?
if [ "$rc" -eq 1 ] && grep -q "^differs .*/helm/values-usdfdev.yaml$" "$IT/c.out" &&
	! grep -q kubernetes/ "$IT/c.out"; then
	ok "only: render --check --only helm,... lists the helm file, not the kubernetes ones (exit 1)"
else
	notok "only: render --check --only helm,... lists only the selected kinds" "exit $rc: $(cat "$IT/c.out")"
fi
"$ASBGEN" render -q --only kubernetes "$IT/usdfdev.yaml" -o "$O" 2>/dev/null
# (the record's first line names the spec, here a copy outside the repository)
if [ "$(tail -n +2 "$O/usdfdev/.asbgen-files")" = "$(tail -n +2 "$O.before/usdfdev/.asbgen-files")" ] &&
	grep -q '^# hand edit' "$O/usdfdev/helm/values-usdfdev.yaml" &&
	! grep -q '^# hand edit' "$O/usdfdev/kubernetes/kafka.yaml" &&
	[ -f "$O/usdfdev/kubernetes/kustomization.yaml" ] &&
	[ -f "$O/usdfdev/clients/alerce-idfint.properties" ] &&
	"$ASBGEN" render --check --only kubernetes "$IT/usdfdev.yaml" -o "$O" >/dev/null 2>&1; then
	ok "only: render --only kubernetes -o rewrites kubernetes/, keeps the record and leaves helm/, clients/ as they were"
else
	notok "only: render --only kubernetes -o leaves other kinds alone" \
		"$(diff "$O.before/usdfdev/.asbgen-files" "$O/usdfdev/.asbgen-files"; ls "$O/usdfdev/kubernetes" | head -3)"
fi
# A full render afterwards makes it whole again, pruning nothing it owns wrongly.
"$ASBGEN" render -q "$IT/usdfdev.yaml" -o "$O" 2>/dev/null
"$ASBGEN" render -q "$IT/usdfdev.yaml" -o "$O.fresh" 2>/dev/null
if diff -r "$O" "$O.fresh" >"$IT/d" 2>&1; then
	ok "only: a full render after a partial one equals a fresh render"
else
	notok "only: a full render after a partial one equals a fresh render" "$(cat "$IT/d")"
fi
# diff --only: the kubernetes objects change, the Helm values are not compared.
(cd "$IT" && cp -R "$ROOT/out" out) 
"$ASBGEN" diff --only helm "$IT/usdfdev.yaml" -o "$IT/out" >"$IT/d.out" 2>&1
rc_helm=$?
"$ASBGEN" diff --only kubernetes "$IT/usdfdev.yaml" -o "$IT/out" >"$IT/dk.out" 2>&1
rc_k=$?
if [ "$rc_k" -ne 0 ] && grep -q KafkaTopic "$IT/dk.out" && ! grep -q 'helm/' "$IT/dk.out" &&
	! grep -q KafkaTopic "$IT/d.out"; then
	ok "only: diff --only kubernetes shows the topics' change (exit $rc_k), diff --only helm not (exit $rc_helm)"
else
	notok "only: diff --only filters the compared objects" "kubernetes: exit $rc_k: $(head -20 "$IT/dk.out"); helm: exit $rc_helm: $(head -20 "$IT/d.out")"
fi
expect_exit 2 "only: --only with an unknown kind is a usage error" "$ASBGEN" render --stdout --only kubernets "$ROOT/$MIN"
if grep -q "did you mean 'kubernetes'" "$TMP/e.err"; then
	ok "only: an unknown kind names the closest"
else
	notok "only: an unknown kind names the closest" "$(cat "$TMP/e.err")"
fi
expect_exit 2 "only: diff --only with an empty kind is a usage error" "$ASBGEN" diff --only kubernetes, "$ROOT/$MIN"

# ---------------------------------------------------------------------------
section "integrations: Argo CD config-management plugin (integrations/argocd)"
SRC=$IT/argocd-src
mkdir -p "$SRC"
cp -R environments templates "$SRC/"
# Argo CD hands the plugin a copy of the repository without file modes.
find "$SRC" -type f -exec chmod 644 {} +
for spec in $ENV_SPECS; do
	env=$(env_of "$spec")
	base=$(basename "$spec" .yaml)
	ver=$(awk -v s="$spec" '$1 == s { print $3 }' "$ENV_TABLE")
	PATH=$IPATH "$PY" tests/integrations/argocd_generate.py integrations/argocd/plugin.yaml "$SRC" \
		"$IT/argo-$env.yaml" --app "alert-stream-broker-$env" --param "environment=$base"
	rc=$?
	if [ "$rc" -ne 0 ] || [ ! -s "$IT/argo-$env.yaml" ]; then
		notok "argocd: generate for $base" "exit $rc: $(cat "$IT/argo-$env.yaml.err")"
		continue
	fi
	ok "argocd: generate runs in the source directory with PARAM_ENVIRONMENT=$base (exit 0)"
	# kubectl create -f -: every document an object
	run_folded "argocd: stream" "$IT/argo.check" "$PY" tests/integrations/k8s_stream.py "$IT/argo-$env.yaml"
	# kustomize reads the stream as resources (it refuses a document without
	# apiVersion/kind) and builds exactly what out/<env>/kubernetes builds.
	mkdir -p "$IT/kz-$env"
	cp "$IT/argo-$env.yaml" "$IT/kz-$env/objects.yaml"
	printf 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - objects.yaml\n' \
		>"$IT/kz-$env/kustomization.yaml"
	if kubectl kustomize "$IT/kz-$env" >"$IT/kz-$env.out" 2>"$IT/kz.err" &&
		kubectl kustomize "out/$env/kubernetes" >"$IT/kz-$env.want" 2>>"$IT/kz.err" &&
		cmp -s "$IT/kz-$env.out" "$IT/kz-$env.want"; then
		ok "argocd: kubectl kustomize reads the plugin's output as out/$env/kubernetes/ (the same objects, byte for byte)"
	else
		notok "argocd: kubectl kustomize reads the plugin's output as out/$env/kubernetes/" \
			"$(cat "$IT/kz.err"; diff "$IT/kz-$env.want" "$IT/kz-$env.out" | head -20)"
	fi
	# the CRD check of the objects, with the environment's Strimzi version
	mkdir -p "$IT/crd-$env"
	cp "$IT/argo-$env.yaml" "$IT/crd-$env/objects.yaml"
	out=$("$PY" "$CONF/crdcheck.py" "$CONF/strimzi/$ver" $CRDS -- "$IT/crd-$env" 2>&1 </dev/null)
	crc=$?
	summary=$(printf '%s\n' "$out" | grep '^crdcheck: ' | tail -n 1)
	if [ "$crc" -eq 0 ] && printf '%s' "$summary" | grep -q ' 0 invalid'; then
		ok "argocd: crdcheck.py accepts the plugin's output for $base ($summary)"
	else
		notok "argocd: crdcheck.py accepts the plugin's output for $base" "exit $crc: $out"
	fi
	if "$ASBGEN" check --crds "$CONF/strimzi/$ver" --crds "$CONF/strimzi-registry-operator" \
		--crds "$CONF/cert-manager" "$IT/crd-$env/objects.yaml" >"$IT/cc.out" 2>&1; then
		ok "argocd: asbgen check --crds accepts the plugin's output for $base"
	else
		notok "argocd: asbgen check --crds accepts the plugin's output for $base" "$(cat "$IT/cc.out")"
	fi
done
# The Application's plugin env (ARGOCD_ENV_ENVIRONMENT) names it too.
PATH=$IPATH "$PY" tests/integrations/argocd_generate.py integrations/argocd/plugin.yaml "$SRC" \
	"$IT/argo-env.yaml" --app minimal-app --env ENVIRONMENT=minimal
if [ $? -eq 0 ] && cmp -s "$IT/argo-env.yaml" "$IT/argo-minimal.yaml"; then
	ok "argocd: ARGOCD_ENV_ENVIRONMENT=minimal gives the same objects as the parameter"
else
	notok "argocd: ARGOCD_ENV_ENVIRONMENT=minimal gives the same objects as the parameter" "$(cat "$IT/argo-env.yaml.err")"
fi
# Mistakes end with a message on stderr, nothing on stdout and a failure.
for case in "none:" "traversal:../../etc/passwd" "option:-rf" "unknown:staging"; do
	what=${case%%:*} val=${case#*:}
	if [ -n "$val" ]; then set -- --param "environment=$val"; else set --; fi
	PATH=$IPATH "$PY" tests/integrations/argocd_generate.py integrations/argocd/plugin.yaml "$SRC" \
		"$IT/argo-bad.yaml" --app bad-app "$@"
	rc=$?
	if [ "$rc" -ne 0 ] && [ ! -s "$IT/argo-bad.yaml" ] && grep -q 'asbgen plugin: application bad-app' "$IT/argo-bad.yaml.err"; then
		ok "argocd: environment '$val' ($what) fails with a message naming the application (exit $rc)"
	else
		notok "argocd: environment '$val' ($what) fails with a message" "exit $rc: $(cat "$IT/argo-bad.yaml" "$IT/argo-bad.yaml.err")"
	fi
done
# A source without specs is not the plugin's (discover).
mkdir -p "$IT/empty-src"
PATH=$IPATH "$PY" tests/integrations/argocd_generate.py integrations/argocd/plugin.yaml "$IT/empty-src" \
	"$IT/argo-empty.yaml" --param environment=minimal 2>"$IT/disc.err"
if [ $? -eq 2 ] && grep -q 'matches nothing' "$IT/disc.err"; then
	ok "argocd: discover.fileName does not match a source without environments/"
else
	notok "argocd: discover.fileName does not match a source without environments/" "$(cat "$IT/disc.err")"
fi
# The README shows the example files as they are.
for f in plugin.yaml application.yaml sidecar.yaml; do
	if "$PY" - "integrations/argocd/$f" README.md <<'PYEOF'
import sys, yaml
text = open(sys.argv[1]).read()
doc = yaml.safe_load(text)
readme = open(sys.argv[2]).read()
body = "".join(l for l in text.splitlines(True) if not l.startswith("#"))
sys.exit(0 if body.strip() in readme and doc else 1)
PYEOF
	then
		ok "argocd: README.md shows integrations/argocd/$f (it parses as YAML)"
	else
		notok "argocd: README.md shows integrations/argocd/$f as it is"
	fi
done

# ---------------------------------------------------------------------------
section "integrations: pre-commit hooks (.pre-commit-hooks.yaml)"
# A repository of specs, with out/ rendered and committed.
R=$IT/specs-repo
mkdir -p "$R"
cp -R environments "$R/"
(cd "$R" && git init -q -b main && git config user.email t@example.org && git config user.name t &&
	PATH=$IPATH asbgen render -q environments/*.yaml 2>/dev/null && git add -A && git commit -qm base) ||
	notok "pre-commit: a repository of specs is set up"
run_hook() { (cd "$R" && PATH=$IPATH "$PY" "$ROOT/tests/integrations/precommit_hooks.py" "$ROOT/.pre-commit-hooks.yaml" "$@"); }
if run_hook asbgen-validate environments/minimal.yaml README.md >"$IT/h.out" 2>&1 &&
	run_hook asbgen-render-check environments/minimal.yaml >>"$IT/h.out" 2>&1; then
	ok "pre-commit: both hooks pass on a clean repository"
else
	notok "pre-commit: both hooks pass on a clean repository" "$(cat "$IT/h.out")"
fi
if [ "$(run_hook asbgen-validate README.md docs/x.yaml 2>&1)" = skipped ]; then
	ok "pre-commit: asbgen-validate is skipped when no spec is staged"
else
	notok "pre-commit: asbgen-validate is skipped when no spec is staged"
fi
printf 'kafka:\n  brokers:\n    replica: 3\n' >>"$R/environments/minimal.yaml"
run_hook asbgen-validate environments/minimal.yaml >"$IT/h.out" 2>&1
rc=$?
if [ "$rc" -eq 1 ] && grep -q '^environments/minimal.yaml:[0-9]*:[0-9]*: error' "$IT/h.out"; then
	ok "pre-commit: asbgen-validate fails on a broken staged spec, at its line (exit 1)"
else
	notok "pre-commit: asbgen-validate fails on a broken staged spec" "exit $rc: $(cat "$IT/h.out")"
fi
(cd "$R" && git checkout -q environments/minimal.yaml)
sed 's/^  replicas: 1$/  replicas: 2/' "$R/environments/usdfdev.yaml" >"$IT/u" && cp "$IT/u" "$R/environments/usdfdev.yaml"
run_hook asbgen-render-check environments/usdfdev.yaml >"$IT/h.out" 2>&1
rc=$?
if [ "$rc" -eq 1 ] && grep -q '^differs .*out/usdfdev/kubernetes/kafkatopic-' "$IT/h.out"; then
	ok "pre-commit: asbgen-render-check fails when a spec changed and out/ was not rendered (exit 1)"
else
	notok "pre-commit: asbgen-render-check fails when out/ is stale" "exit $rc: $(cat "$IT/h.out")"
fi
(cd "$R" && git checkout -q environments/usdfdev.yaml)
# The real pre-commit, trying the hooks from a repository that holds them.
if ! command -v pre-commit >/dev/null 2>&1; then
	notok "pre-commit: pre-commit is installed" "sh tests/deps.sh test (Debian package pre-commit)"
else
	H=$IT/hooks-repo
	mkdir -p "$H"
	cp .pre-commit-hooks.yaml "$H/"
	(cd "$H" && git init -q -b main && git config user.email t@example.org && git config user.name t &&
		git add -A && git commit -qm hooks)
	export PRE_COMMIT_HOME="$IT/pre-commit-home"
	(cd "$R" && PATH=$IPATH pre-commit try-repo "$H" --all-files) >"$IT/pc.out" 2>&1
	rc=$?
	if [ "$rc" -eq 0 ] && grep -q '^asbgen validate\.*Passed' "$IT/pc.out" &&
		grep -q '^asbgen render --check.*Passed' "$IT/pc.out"; then
		ok "pre-commit: pre-commit try-repo runs both hooks on a clean repository: Passed"
	else
		notok "pre-commit: pre-commit try-repo passes on a clean repository" "exit $rc: $(cat "$IT/pc.out")"
	fi
	printf 'kafka:\n  brokers:\n    replica: 3\n' >>"$R/environments/minimal.yaml"
	(cd "$R" && git add environments/minimal.yaml && PATH=$IPATH pre-commit try-repo "$H") >"$IT/pc.out" 2>&1
	rc=$?
	if [ "$rc" -eq 1 ] && grep -q '^asbgen validate\.*Failed' "$IT/pc.out" &&
		grep -q "environments/minimal.yaml:[0-9]*:[0-9]*: error: unknown key 'replica'" "$IT/pc.out"; then
		ok "pre-commit: pre-commit try-repo fails a staged broken spec, with its file:line:column (exit 1)"
	else
		notok "pre-commit: pre-commit try-repo fails a staged broken spec" "exit $rc: $(cat "$IT/pc.out")"
	fi
	(cd "$R" && git reset -q && git checkout -q environments/minimal.yaml)
	unset PRE_COMMIT_HOME
fi

# ---------------------------------------------------------------------------
section "integrations: GitHub workflow commands (--format github)"
cp -R "$R" "$IT/gh"
printf 'kafka:\n  brokers:\n    replica: 3\n' >>"$IT/gh/environments/minimal.yaml"
(cd "$IT/gh" && "$ASBGEN" validate --format github environments/minimal.yaml) >"$IT/gh.out" 2>"$IT/gh.err"
rc=$?
if [ "$rc" -eq 1 ] && [ ! -s "$IT/gh.err" ] &&
	grep -q '^::error file=environments/minimal.yaml,line=[0-9]*,col=[0-9]*,title=schema-unknown-key::' "$IT/gh.out"; then
	ok "github: validate --format github writes ::error file=,line=,col= on stdout, nothing on stderr (exit 1)"
else
	notok "github: validate --format github annotations on stdout" "exit $rc: stdout: $(cat "$IT/gh.out"); stderr: $(cat "$IT/gh.err")"
fi
(cd "$IT/gh" && git checkout -q environments/minimal.yaml &&
	sed 's/^  replicas: 1$/  replicas: 2/' environments/usdfdev.yaml >u && mv u environments/usdfdev.yaml &&
	rm out/usdfdev/kubernetes/kustomization.yaml &&
	"$ASBGEN" render --check --format github environments) >"$IT/gh.out" 2>"$IT/gh.err"
rc=$?
ndiff=$(grep -c '^differs ' "$IT/gh.out")
nann=$(grep -c '^::error file=out/usdfdev/[^,]*,title=render-stale::out/usdfdev/.* is differs' "$IT/gh.out")
if [ "$rc" -eq 1 ] && [ "$ndiff" -gt 0 ] && [ "$nann" -eq "$ndiff" ] &&
	grep -q '^::error file=environments/usdfdev.yaml,title=render-stale::out/usdfdev/kubernetes/kustomization.yaml is missing' "$IT/gh.out"; then
	ok "github: render --check --format github: one ::error per differing file ($nann), a missing one at its spec (exit 1)"
else
	notok "github: render --check --format github annotates each stale file" "exit $rc, $ndiff differ, $nann annotations: $(cat "$IT/gh.out")"
fi

# ---------------------------------------------------------------------------
section "integrations: the GitHub Action (action.yml)"
W=$IT/workspace
cp -R "$R" "$W"
(cd "$W" && git checkout -q -b change &&
	sed 's/^  replicas: 1$/  replicas: 2/' environments/usdfdev.yaml >u && mv u environments/usdfdev.yaml &&
	git commit -qam "usdfdev: two replicas")
BASE=$(cd "$W" && git rev-parse main)
run_action() { PATH=$IPATH "$PY" tests/integrations/run_action.py action.yml "$W" "$1" --github "event.pull_request.base.sha=$BASE" --input "asbgen=$ASBGEN" >"$1/steps.json" 2>"$1/run.err"; }
A1=$IT/action1
mkdir -p "$A1"
run_action "$A1"
rc=$?
# The spec changed, out/ did not: render --check fails, the diff summarises.
if [ "$rc" -eq 1 ] && grep -q '"name": "asbgen validate", "ran": true, "rc": 0' "$A1/steps.json" &&
	grep -q '"name": "asbgen render --check", "ran": true, "rc": 1' "$A1/steps.json" &&
	grep -q '"name": "asbgen diff", "ran": true, "rc": 0' "$A1/steps.json" &&
	grep -q '"name": "Build asbgen", "ran": false' "$A1/steps.json"; then
	ok "action: validate passes, render --check fails, diff still runs (not cancelled); no build with asbgen given"
else
	notok "action: the steps run as a runner runs them" "exit $rc: $(cat "$A1/steps.json" "$A1/run.err")"
fi
step_out() { grep -l "" "$1"/step*.out | while read -r f; do cat "$f"; done; }
if grep -q '^::error file=out/usdfdev/kubernetes/kafkatopic-[^,]*,title=render-stale::' "$A1"/step*.out; then
	ok "action: render --check's annotations are on the step's stdout"
else
	notok "action: render --check's annotations are on the step's stdout" "$(cat "$A1"/step*.out | head -20)"
fi
if grep -q "^## asbgen diff against \`$BASE\`" "$A1/summary.md" &&
	grep -q '<summary><code>environments/usdfdev.yaml</code>: changes</summary>' "$A1/summary.md" &&
	grep -q 'environments/minimal.yaml`: no change' "$A1/summary.md" && grep -q KafkaTopic "$A1/summary.md"; then
	ok "action: GITHUB_STEP_SUMMARY has the diff of the changed spec and 'no change' for the others"
else
	notok "action: GITHUB_STEP_SUMMARY has the diff" "$(cat "$A1/summary.md")"
fi
# After rendering and committing, everything passes.
(cd "$W" && "$ASBGEN" render -q environments 2>/dev/null && git add -A && git commit -qm render)
A2=$IT/action2
mkdir -p "$A2"
run_action "$A2"
rc=$?
if [ "$rc" -eq 0 ] && ! grep -q '::error' "$A2"/step*.out; then
	ok "action: with out/ rendered and committed every step passes (exit 0)"
else
	notok "action: with out/ rendered and committed every step passes" "exit $rc: $(cat "$A2/steps.json" "$A2"/step*.out "$A2"/step*.err)"
fi
# A broken spec: validate annotates its line; a spec new in the change is listed.
(cd "$W" && printf 'kafka:\n  brokers:\n    replica: 3\n' >>environments/minimal.yaml &&
	cp environments/idfint.yaml environments/newenv.yaml && sed -i 's/^name: .*/name: newenv/' environments/newenv.yaml &&
	git add -A && git commit -qm broken)
A3=$IT/action3
mkdir -p "$A3"
run_action "$A3"
rc=$?
if [ "$rc" -eq 1 ] && grep -q '^::error file=environments/minimal.yaml,line=[0-9]*,col=[0-9]*,title=schema-unknown-key' "$A3"/step*.out &&
	grep -q 'environments/newenv.yaml`: new in this change' "$A3/summary.md"; then
	ok "action: a broken spec is annotated at its line; a new spec is listed as new (exit 1)"
else
	notok "action: a broken spec is annotated; a new spec is listed" "exit $rc: $(cat "$A3/steps.json" "$A3"/step*.out "$A3/summary.md")"
fi
# Without asbgen given, the action builds it from its own sources (deps.sh
# build, make asbgen): run only when that make has nothing to do here.
if [ "$BUILD" = "$ROOT/build" ] && make -q asbgen 2>/dev/null; then
	A4=$IT/action4
	mkdir -p "$A4"
	PATH=$IPATH "$PY" tests/integrations/run_action.py action.yml "$W" "$A4" --input base= >"$A4/steps.json" 2>"$A4/run.err"
	if grep -q '"name": "Build asbgen", "ran": true, "rc": 0' "$A4/steps.json" &&
		grep -q "^ASBGEN=$ROOT/asbgen\$" "$A4/github_env"; then
		ok "action: without asbgen given, it builds the action's own (GITHUB_ENV ASBGEN=\$GITHUB_ACTION_PATH/asbgen)"
	else
		notok "action: without asbgen given, it builds the action's own" "$(cat "$A4/steps.json" "$A4/run.err" "$A4"/step1.*)"
	fi
else
	printf '# skip - action: the build step (make asbgen is not up to date in %s)\n' "$ROOT"
fi

# ---------------------------------------------------------------------------
section "integrations: make install, the man page, completions, make uninstall"
D=$IT/destdir
if make -s install DESTDIR="$D" PREFIX=/usr >"$IT/inst.out" 2>&1; then
	ok "install: make install DESTDIR PREFIX=/usr"
else
	notok "install: make install DESTDIR PREFIX=/usr" "$(cat "$IT/inst.out")"
fi
# Old templates do not survive a reinstall.
mkdir -p "$D/usr/share/asbgen/templates/old"
echo x >"$D/usr/share/asbgen/templates/old/removed.yaml"
echo x >"$D/usr/share/asbgen/templates/kubernetes/removed.yaml"
make -s install DESTDIR="$D" PREFIX=/usr >"$IT/inst.out" 2>&1
if [ ! -e "$D/usr/share/asbgen/templates/old" ] && [ ! -e "$D/usr/share/asbgen/templates/kubernetes/removed.yaml" ] &&
	diff -r templates "$D/usr/share/asbgen/templates" >/dev/null && diff -r schemas "$D/usr/share/asbgen/schemas" >/dev/null &&
	[ -z "$(find "$D/usr/share/asbgen" -name '.new-*' -o -name '.old-*')" ]; then
	ok "install: a reinstall replaces templates/ and schemas/ whole (no stale template left)"
else
	notok "install: a reinstall replaces templates/ whole" "$(diff -r templates "$D/usr/share/asbgen/templates")"
fi
# The installed binary finds its installed data and renders as the checkout does.
"$D/usr/bin/asbgen" render --stdout "$ROOT/$MIN" >"$IT/inst.render" 2>&1
"$ASBGEN" render --stdout "$ROOT/$MIN" >"$IT/tree.render" 2>&1
if cmp -s "$IT/inst.render" "$IT/tree.render" && "$D/usr/bin/asbgen" schema | cmp -s - schemas/environment.schema.json; then
	ok "install: the installed asbgen reads ../share/asbgen (same render, asbgen schema is the installed schema)"
else
	notok "install: the installed asbgen reads ../share/asbgen" "$(diff "$IT/tree.render" "$IT/inst.render" | head)"
fi
MAN=$D/usr/share/man/man1/asbgen.1
if [ -f "$MAN" ] && MANWIDTH=100 man -l "$MAN" >"$IT/man.txt" 2>"$IT/man.err" && [ ! -s "$IT/man.err" ]; then
	missing=
	for cmd in render validate model check diff schema completion version; do
		# every command's usage line, as its --help prints it
		line=$("$ASBGEN" help "$cmd" | head -n 1)
		grep -qF -- "$line" "$IT/man.txt" || missing="$missing $cmd"
	done
	if [ -z "$missing" ] && grep -q -- '--only KIND' "$IT/man.txt"; then
		ok "install: man -l asbgen.1 renders cleanly and holds every command's --help (options with real minus signs)"
	else
		notok "install: the man page holds every command's --help" "missing:$missing"
	fi
else
	notok "install: man -l asbgen.1 renders cleanly" "$(cat "$IT/man.err" 2>/dev/null)"
fi
for f in share/bash-completion/completions/asbgen share/zsh/site-functions/_asbgen share/fish/vendor_completions.d/asbgen.fish; do
	[ -f "$D/usr/$f" ] || notok "install: $f is installed"
done
make -s uninstall DESTDIR="$D" PREFIX=/usr >"$IT/uninst.out" 2>&1
left=$(find "$D" -type f)
if [ -z "$left" ]; then
	ok "install: make uninstall removes every installed file"
else
	notok "install: make uninstall removes every installed file" "$left"
fi

# Completion: bash for real (the function asked as bash's completion asks it).
"$ASBGEN" completion bash >"$IT/c.bash"
complete_bash() {
	bash --norc --noprofile -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _asbgen; printf "%s\n" "${COMPREPLY[@]}"' \
		sh "$IT/c.bash" "$@"
}
if [ "$(complete_bash asbgen ren)" = render ] && complete_bash asbgen render --on | grep -qx -- --only &&
	[ "$(complete_bash asbgen render --only ku)" = kubernetes ] &&
	[ "$(complete_bash asbgen validate --format gi)" = github ] &&
	[ "$(complete_bash asbgen completion z)" = zsh ] &&
	complete_bash asbgen diff --b | grep -qx -- --base; then
	ok "completion: bash completes commands, each command's options, --only and --format values"
else
	notok "completion: bash" "$(complete_bash asbgen ren; complete_bash asbgen render --on; complete_bash asbgen render --only ku)"
fi
if command -v zsh >/dev/null 2>&1; then
	"$ASBGEN" completion zsh >"$IT/_asbgen"
	if zsh -n "$IT/_asbgen" 2>"$IT/z.err" &&
		zsh -fc 'autoload -U compinit; compinit -u -D; source "$1"; print -r -- ${_comps[asbgen]}' zsh "$IT/_asbgen" 2>>"$IT/z.err" | grep -qx _asbgen; then
		ok "completion: zsh reads the script and registers _asbgen for asbgen (compdef)"
	else
		notok "completion: zsh reads the script" "$(cat "$IT/z.err")"
	fi
else
	notok "completion: zsh is installed" "sh tests/deps.sh test"
fi
if command -v fish >/dev/null 2>&1; then
	"$ASBGEN" completion fish >"$IT/asbgen.fish"
	got=$(fish --no-config -c "source $IT/asbgen.fish; complete -C 'asbgen ren'; complete -C 'asbgen render --on'; complete -C 'asbgen render --only ku'" 2>&1 | cut -f1)
	if printf '%s\n' "$got" | grep -qx render && printf '%s\n' "$got" | grep -qx -- --only &&
		printf '%s\n' "$got" | grep -qx kubernetes; then
		ok "completion: fish completes commands, options and --only's kinds"
	else
		notok "completion: fish completes" "$got"
	fi
else
	notok "completion: fish is installed" "sh tests/deps.sh test"
fi

# ---------------------------------------------------------------------------
section "integrations: the command line"
expect_exit 0 "cli: validate takes a directory (its specs, sorted)" "$ASBGEN" validate "$ROOT/environments"
n=$(grep -c '^\(/.*\)\?environments/usdfdev.yaml:[0-9]' "$TMP/e.err")
[ "$n" -gt 0 ] && ok "cli: validate DIR reports the warnings of the specs in it" || notok "cli: validate DIR reports the warnings of the specs in it" "$(cat "$TMP/e.err")"
if (cd "$ROOT" && "$ASBGEN" render --check environments) >"$IT/r.out" 2>&1; then
	ok "cli: render --check environments (a directory) is clean on the committed out/"
else
	notok "cli: render --check environments (a directory) is clean" "$(cat "$IT/r.out")"
fi
mkdir -p "$B/nospecs"
expect_exit 2 "cli: a directory without specs is a usage error" "$ASBGEN" validate "$B/nospecs"
(cd "$ROOT" && "$ASBGEN" render --stdout - <"$MIN") >"$IT/stdin.out" 2>"$IT/stdin.err"
(cd "$ROOT" && "$ASBGEN" render --stdout "$MIN") >"$IT/file.out" 2>/dev/null
if [ "$(grep -vc '^#' "$IT/stdin.out")" -gt 0 ] &&
	[ "$(grep -v '^#' "$IT/stdin.out" | cksum)" = "$(grep -v '^#' "$IT/file.out" | cksum)" ] &&
	grep -q '^# Generated by asbgen from -; do not edit.$' "$IT/stdin.out"; then
	ok "cli: render --stdout - reads the spec from standard input (same objects; the header says '-')"
else
	notok "cli: render --stdout - reads standard input" "$(cat "$IT/stdin.err")"
fi
printf 'name: x\nkafka:\n  brokers:\n    replica: 3\n' | "$ASBGEN" validate - >/dev/null 2>"$IT/stdin.err"
rc=$?
if [ "$rc" -eq 1 ] && grep -q '^<stdin>:[0-9]*:[0-9]*: error' "$IT/stdin.err"; then
	ok "cli: validate - names standard input <stdin> in diagnostics (exit 1)"
else
	notok "cli: validate - names standard input <stdin>" "exit $rc: $(cat "$IT/stdin.err")"
fi
expect_exit 2 "cli: - twice is a usage error" "$ASBGEN" validate - -
cp "$ROOT/$MIN" "$B/-dash.yaml"
expect_exit 0 "cli: -- ends the options (a spec named -dash.yaml)" "$ASBGEN" validate -- -dash.yaml
expect_exit 2 "cli: a mistyped option is a usage error" "$ASBGEN" render --chek "$ROOT/$MIN"
grep -q "unknown option '--chek'; did you mean '--check'?" "$TMP/e.err" &&
	ok "cli: a mistyped option names the closest (--chek: --check)" ||
	notok "cli: a mistyped option names the closest" "$(head -3 "$TMP/e.err")"
for c in "validate --strcit:--strict" "diff --agianst:--against" "check --crd:--crds" "model --source:--sources"; do
	"$ASBGEN" ${c%%:*} x.yaml >/dev/null 2>"$IT/o.err"
	grep -q "did you mean '${c#*:}'" "$IT/o.err" && ok "cli: asbgen ${c%%:*} suggests ${c#*:}" ||
		notok "cli: asbgen ${c%%:*} suggests ${c#*:}" "$(head -2 "$IT/o.err")"
done
expect_exit 2 "cli: a mistyped command is a usage error" "$ASBGEN" rendr x.yaml
grep -q "no such command 'rendr'; did you mean 'render'?" "$TMP/e.err" &&
	ok "cli: a mistyped command names the closest (rendr: render)" || notok "cli: a mistyped command names the closest" "$(head -2 "$TMP/e.err")"
expect_exit 0 "cli: version --help prints help" "$ASBGEN" version --help
grep -q '^usage: asbgen version' "$TMP/e.out" && ok "cli: version --help is the usage" || notok "cli: version --help is the usage" "$(cat "$TMP/e.out")"
expect_exit 0 "cli: asbgen schema prints the spec schema" "$ASBGEN" schema
cmp -s "$TMP/e.out" "$ROOT/schemas/environment.schema.json" && ok "cli: asbgen schema is schemas/environment.schema.json, byte for byte" ||
	notok "cli: asbgen schema is schemas/environment.schema.json"
# The schema printed is the one validate uses: a spec validated against it
# by Python's jsonschema passes.
"$ASBGEN" schema diff >"$IT/diff.schema.json" && cmp -s "$IT/diff.schema.json" "$ROOT/schemas/diff.schema.json" &&
	ok "cli: asbgen schema diff is schemas/diff.schema.json" || notok "cli: asbgen schema diff"
expect_exit 2 "cli: asbgen schema NAME for no schema is a usage error" "$ASBGEN" schema enviroment
grep -q "did you mean 'environment'" "$TMP/e.err" && ok "cli: asbgen schema names the closest schema" ||
	notok "cli: asbgen schema names the closest schema" "$(cat "$TMP/e.err")"
expect_exit 2 "cli: completion for an unknown shell is a usage error" "$ASBGEN" completion tcsh
# Headers say the command that regenerates the file, from the repository root.
(cd "$ROOT" && sed -n 2p out/usdfdev/kubernetes/kafka.yaml) >"$IT/hdr"
if grep -qx '# Change the spec and run: asbgen render environments/usdfdev.yaml' "$IT/hdr"; then
	ok "cli: the header says 'asbgen render environments/usdfdev.yaml' (runnable at the repository's top)"
else
	notok "cli: the header names the spec from the repository's top" "$(cat "$IT/hdr")"
fi
# The README's validate example exists and prints what the README says.
ex=$(sed -n 's/^\$ asbgen validate \(examples\/[a-z]*\.yaml\)$/\1/p' README.md | head -n 1)
if [ -n "$ex" ] && [ -f "$ROOT/$ex" ]; then
	(cd "$ROOT" && NO_COLOR=1 "$ASBGEN" validate "$ex") >/dev/null 2>"$IT/ex.out"
	awk -v ex="$ex" '$0 == "$ asbgen validate " ex { on = 1; next } on && /^```/ { exit } on { print }' README.md >"$IT/ex.want"
	if cmp -s "$IT/ex.want" "$IT/ex.out"; then
		ok "cli: README's 'asbgen validate $ex' prints exactly what the README shows"
	else
		notok "cli: README's 'asbgen validate $ex' prints what the README shows" "$(diff "$IT/ex.want" "$IT/ex.out")"
	fi
else
	notok "cli: README's asbgen validate example names a file that exists" "'$ex'"
fi
