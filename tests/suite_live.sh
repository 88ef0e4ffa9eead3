#!/bin/sh
# suite_live.sh - live diff against a real HTTPS server.
#
#   sh tests/suite_live.sh     (alone; or sh tests/run.sh live)
#
# tests/kube_server.py serves the recorded objects of tests/live/minimal on
# 127.0.0.1 (a port it picks and prints) with certificates made here with
# openssl: a CA, a server certificate for IP 127.0.0.1, a client
# certificate, and a second CA that signed nothing the server shows.
# Kubeconfig files are written here.  Every failure mode has its check:
# 401, 403, junk, timeout, refused, wrong CA, missing client certificate.
# Servers are killed when the group ends, and by the EXIT trap.

. "$(dirname "$0")/lib.sh"
suite suite_live.sh

section "live: diff against the cluster (tests/kube_server.py, openssl certificates)"
LV=$TMP/live
mkdir -p "$LV"
# libcurl, like kubectl, honours proxy variables; the test server is local.
unset HTTPS_PROXY https_proxy ALL_PROXY all_proxy 2>/dev/null || true
LIVEFETCH=$BUILD/tools/livefetch
LIVE_PIDS=

live_stop_servers() {
	for p in $LIVE_PIDS; do
		kill "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	LIVE_PIDS=
}
trap 'live_stop_servers; cleanup' EXIT
trap 'live_stop_servers; cleanup; exit 130' INT TERM HUP

# live_server NAME ARGS...: start a server, set LIVE_PORT (empty on failure).
live_server() {
	name=$1
	shift
	: >"$LV/$name.port"
	"$PY" tests/kube_server.py "${LIVE_FIXTURES:-tests/live/minimal}" --cert "$LV/server.pem" --key "$LV/server.key" \
		--log "$LV/$name.log" "$@" >"$LV/$name.port" 2>"$LV/$name.err" &
	LIVE_PIDS="$LIVE_PIDS $!"
	LIVE_PORT=
	i=0
	while [ $i -lt 100 ]; do
		LIVE_PORT=$(sed -n 's/^port \([0-9][0-9]*\)$/\1/p' "$LV/$name.port")
		[ -n "$LIVE_PORT" ] && return 0
		sleep 0.1
		i=$((i + 1))
	done
	notok "live: server $name starts" "$(cat "$LV/$name.err")"
	return 1
}

# live_kubeconfig FILE PORT CA_FILE USER_YAML [CLUSTER_YAML]: a kubeconfig
# for 127.0.0.1:PORT.
live_kubeconfig() {
	{
		printf 'apiVersion: v1\nkind: Config\ncurrent-context: test\n'
		printf 'clusters:\n- name: local\n  cluster:\n    server: https://127.0.0.1:%s\n' "$2"
		printf '    certificate-authority-data: %s\n' "$(base64 -w0 "$3")"
		[ -z "${5:-}" ] || printf '%s\n' "$5"
		printf 'users:\n- name: tester\n  user:\n%s\n' "$4"
		printf 'contexts:\n- name: test\n  context: {cluster: local, user: tester, namespace: alert-stream-broker}\n'
	} >"$1"
}

# live_fail NAME ID PATTERN KUBECONFIG [OPTIONS...]: livefetch exits 2 with
# diagnostic ID, a message matching PATTERN, and no token in its output.
live_fail() {
	name=$1 id=$2 pattern=$3 kc=$4
	shift 4
	"$LIVEFETCH" --kubeconfig "$kc" "$@" $LIVE_MANIFESTS >"$LV/f.out" 2>"$LV/f.err" </dev/null
	rc=$?
	if [ "$rc" -eq 2 ] && grep -q "\[$id\]" "$LV/f.err" && grep -q -- "$pattern" "$LV/f.err" &&
		! grep -q -e "$LIVE_TOKEN" -e "$LIVE_BAD_TOKEN" "$LV/f.out" "$LV/f.err"; then
		ok "live: $name: exit 2, $id: $(grep "\[$id\]" "$LV/f.err" | head -n 1 | cut -c1-160)"
	else
		notok "live: $name: exit 2, $id, no token shown" "exit $rc; stderr: $(cat "$LV/f.err")"
	fi
}

# same_objects A B: two livefetch outputs agree, whatever the server's port.
same_objects() {
	sed 's/127\.0\.0\.1:[0-9]*/127.0.0.1:PORT/g' "$1" >"$1.noport"
	sed 's/127\.0\.0\.1:[0-9]*/127.0.0.1:PORT/g' "$2" >"$2.noport"
	[ -s "$1" ] && cmp -s "$1.noport" "$2.noport"
}

LIVE_TOKEN=live-test-token-7f3a9c
LIVE_BAD_TOKEN=expired-token-0b1d2e
# Holds '/' and '+', so its percent-encoding and base64 forms differ.
ECHO_TOKEN=Zq8s3cr3t/T0k+en_9fQ2xLp7wV
LIVE_MANIFESTS=$(ls out/minimal/kubernetes/*.yaml 2>/dev/null)

if ! command -v openssl >/dev/null 2>&1; then
	notok "live: openssl is installed" "sh tests/deps.sh test"
elif [ ! -x "$LIVEFETCH" ]; then
	notok "live: $LIVEFETCH is built" "run make test"
elif ! (
	cd "$LV" &&
		ossl() { openssl "$@" >/dev/null 2>&1; } &&
		ossl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout ca.key -out ca.pem \
			-subj /CN=asbgen-test-ca -days 2 &&
		ossl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout other-ca.key \
			-out other-ca.pem -subj /CN=some-other-ca -days 2 &&
		ossl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout server.key -out server.csr \
			-subj /CN=kube-apiserver &&
		printf 'subjectAltName=IP:127.0.0.1\n' >server.ext &&
		ossl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem -days 2 \
			-extfile server.ext &&
		ossl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout client.key -out client.csr \
			-subj "/O=system:masters/CN=asbgen-test" &&
		ossl x509 -req -in client.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out client.pem -days 2
); then
	notok "live: openssl makes the test certificates"
else
	ok "live: openssl made a CA, a server certificate for IP:127.0.0.1 and a client certificate"
	TOKEN_USER="    token: $LIVE_TOKEN"

	# Bearer token: the full fetch, checked object by object.
	if live_server token --token "$LIVE_TOKEN"; then
		live_kubeconfig "$LV/kc-token" "$LIVE_PORT" "$LV/ca.pem" "$TOKEN_USER"
		"$LIVEFETCH" --kubeconfig "$LV/kc-token" $LIVE_MANIFESTS >"$LV/token.out" 2>"$LV/token.err" </dev/null
		rc=$?
		if [ "$rc" -eq 0 ]; then
			ok "live: token auth: livefetch exits 0"
			"$PY" tests/live/check_fetch.py "$LV/token.out" out/minimal/kubernetes >"$LV/check.out" 2>&1
			fold "$LV/check.out"
		else
			notok "live: token auth: livefetch exits 0" "exit $rc: $(cat "$LV/token.err")"
		fi
		if grep -q 'auth=yes' "$LV/token.log" && ! grep -q 'auth=no' "$LV/token.log"; then
			ok "live: token auth: every request carried the bearer token"
		else
			notok "live: token auth: every request carried the bearer token" "$(cat "$LV/token.log")"
		fi
		if ! grep -q "$LIVE_TOKEN" "$LV/token.out" "$LV/token.err"; then
			ok "live: token auth: the token appears in neither stdout nor stderr"
		else
			notok "live: token auth: the token appears in neither stdout nor stderr"
		fi
		# asbgen diff --live: the same cluster through the diff engine.
		"$ASBGEN" diff environments/minimal.yaml --live --kubeconfig "$LV/kc-token" \
			>"$LV/diff.out" 2>"$LV/diff.err" </dev/null
		rc=$?
		if [ "$rc" -eq 3 ] &&
			grep -q '^+ ServiceAccount alert-stream-broker/alert-database-writer (added)$' "$LV/diff.out" &&
			grep -q '^~ Deployment alert-stream-broker/alert-database-server$' "$LV/diff.out" &&
			grep -q 'containers\[name=alert-database-server\]\.image: "lsstdm/alert_database_server:v3.9.0" -> "lsstdm/alert_database_server:v4.0.0"' "$LV/diff.out" &&
			grep -q '^  - KafkaUser alert-stream-broker/old-user$' "$LV/diff.out" &&
			grep -q '^  - Service alert-stream-broker/alert-stream-broker-legacy$' "$LV/diff.out" &&
			! grep -q 'alert-broker-entity-operator' "$LV/diff.out" &&
			grep -q '^1 added, 0 removed, 1 changed, 2 prune candidates; 1 dangerous$' "$LV/diff.out" &&
			! grep -q "$LIVE_TOKEN" "$LV/diff.out" "$LV/diff.err"; then
			ok "live: asbgen diff --live: the missing object added, the image change, the prune candidates (an old user and an unowned leftover, not Strimzi's own Deployment; exit 3: a user would be pruned), no token"
		else
			notok "live: asbgen diff --live: the missing object added, the image change, the prune candidate" \
				"exit $rc; stdout: $(cat "$LV/diff.out"); stderr: $(cat "$LV/diff.err")"
		fi
		# asbgen import --live: the namespace's objects back into a spec; the
		# unowned leftover Service is reported lost, Strimzi's own objects
		# are not read, the cluster's image and stale user become spec.
		"$ASBGEN" import --live --kubeconfig "$LV/kc-token" -o "$LV/imported.yaml" \
			>"$LV/import.out" 2>"$LV/import.err" </dev/null
		rc=$?
		if [ "$rc" -eq 1 ] &&
			grep -q 'Service alert-stream-broker-legacy: no part of the spec makes this object \[import-lost\]' "$LV/import.err" &&
			grep -q 'renders ServiceAccount alert-database-writer, which the input does not have \[import-differs\]' "$LV/import.err" &&
			! grep -q 'entity-operator' "$LV/import.err" &&
			grep -q 'image: lsstdm/alert_database_server:v3.9.0' "$LV/imported.yaml" &&
			grep -q 'name: old-user' "$LV/imported.yaml" &&
			"$ASBGEN" validate "$LV/imported.yaml" >"$LV/import-validate.out" 2>&1 &&
			! grep -q "$LIVE_TOKEN" "$LV/import.out" "$LV/import.err" "$LV/imported.yaml"; then
			ok "live: asbgen import --live: exit 1, the leftover Service lost, the missing ServiceAccount a difference, the cluster's image and user in a spec that validates, no token"
		else
			notok "live: asbgen import --live" "exit $rc; stderr: $(cat "$LV/import.err"); spec: $(cat "$LV/imported.yaml" 2>/dev/null); validate: $(cat "$LV/import-validate.out" 2>/dev/null)"
		fi
		"$ASBGEN" diff environments/minimal.yaml --live --kubeconfig "$LV/kc-token" --format json \
			>"$LV/diff.json" 2>"$LV/diff.err" </dev/null
		rc=$?
		if [ "$rc" -eq 3 ] && out=$("$PY" -c '
import json, sys
text = open(sys.argv[1], encoding="utf-8").read()
dec, i, docs = json.JSONDecoder(), 0, []
while i < len(text):
    if text[i].isspace():
        i += 1
        continue
    d, i = dec.raw_decode(text, i)
    docs.append(d)
rep = [d for d in docs if isinstance(d, dict)][-1]
assert rep["summary"] == {"added": 1, "removed": 0, "changed": 1, "prune": 2, "dangers": 1}, rep["summary"]
assert [p["name"] for p in rep["prune"]] == ["alert-stream-broker-legacy", "old-user"], rep["prune"]
assert rep["old"].startswith("cluster https://127.0.0.1:"), rep["old"]
' "$LV/diff.json" 2>&1); then
			ok "live: asbgen diff --live --format json: the summary and the prune candidate"
		else
			notok "live: asbgen diff --live --format json" "exit $rc; $out; stderr: $(cat "$LV/diff.err")"
		fi
		# A spec for Strimzi 0.48 renders kafka.strimzi.io/v1beta2, which this
		# cluster does not serve: read in its preferred v1, with a warning.
		sed 's/^registry:/strimzi: {version: 0.48.0}\nregistry:/' environments/minimal.yaml >"$LV/min48.yaml"
		"$ASBGEN" diff "$LV/min48.yaml" --live --kubeconfig "$LV/kc-token" >"$LV/v.out" 2>"$LV/v.err" </dev/null
		rc=$?
		if [ "$rc" -eq 3 ] && grep -q 'the cluster serves KafkaTopic as kafka.strimzi.io/v1, not kafka.strimzi.io/v1beta2.*\[kube-version\]' "$LV/v.err" &&
			grep -q '^~ KafkaTopic alert-stream-broker/registry-schemas$' "$LV/v.out" &&
			grep -q '^    ~ apiVersion: "kafka.strimzi.io/v1" -> "kafka.strimzi.io/v1beta2"$' "$LV/v.out" &&
			grep -q 'danger-api-version' "$LV/v.out"; then
			ok "live: a rendered version the cluster does not serve: read in the preferred version (kube-version), the apiVersion change shown and flagged"
		else
			notok "live: a rendered version the cluster does not serve: read in the preferred version" \
				"exit $rc; stdout: $(cat "$LV/v.out"); stderr: $(cat "$LV/v.err")"
		fi
		# An exec credential plugin (as gke-gcloud-auth-plugin): a script
		# that prints an ExecCredential with the token, also to stderr.
		printf '#!/bin/sh\necho "%s" >&2\nprintf %s "{\\"apiVersion\\":\\"client.authentication.k8s.io/v1beta1\\",\\"kind\\":\\"ExecCredential\\",\\"status\\":{\\"token\\":\\"%s\\"}}"\n' \
			"$LIVE_TOKEN" "%s" "$LIVE_TOKEN" >"$LV/token-plugin"
		chmod +x "$LV/token-plugin"
		live_kubeconfig "$LV/kc-exec-token" "$LIVE_PORT" "$LV/ca.pem" "    exec:
      apiVersion: client.authentication.k8s.io/v1beta1
      command: ./token-plugin"
		"$LIVEFETCH" --kubeconfig "$LV/kc-exec-token" $LIVE_MANIFESTS >"$LV/exec.out" 2>"$LV/exec.err" </dev/null
		rc=$?
		if [ "$rc" -eq 0 ] && same_objects "$LV/exec.out" "$LV/token.out" &&
			! grep -q "$LIVE_TOKEN" "$LV/exec.out" "$LV/exec.err"; then
			ok "live: exec credential plugin: its token fetches the same objects, and neither its output nor the token is shown"
		else
			notok "live: exec credential plugin: its token fetches the same objects" "exit $rc; $(cat "$LV/exec.err")"
		fi
		"$ASBGEN" diff environments/minimal.yaml --live --kubeconfig "$LV/kc-exec-token" >"$LV/diff-exec.out" \
			2>"$LV/diff-exec.err" </dev/null
		rc=$?
		if [ "$rc" -eq 3 ] && cmp -s "$LV/diff-exec.out" "$LV/diff.out" &&
			! grep -q "$LIVE_TOKEN" "$LV/diff-exec.out" "$LV/diff-exec.err"; then
			ok "live: asbgen diff --live with an exec plugin: the same report as with the token"
		else
			notok "live: asbgen diff --live with an exec plugin" "exit $rc; $(cat "$LV/diff-exec.err")"
		fi
		printf '#!/bin/sh\necho "%s"\nexit 1\n' "$LIVE_TOKEN" >"$LV/fail-plugin"
		chmod +x "$LV/fail-plugin"
		live_kubeconfig "$LV/kc-exec-fail" "$LIVE_PORT" "$LV/ca.pem" "    exec:
      apiVersion: client.authentication.k8s.io/v1beta1
      command: ./fail-plugin"
		live_fail "exec plugin that fails" kubeconfig-exec "exec plugin .*fail-plugin: failed (exit status 1)" "$LV/kc-exec-fail"

		# KUBECONFIG and --context instead of --kubeconfig.
		printf 'current-context: nowhere\n' >"$LV/kc-first"
		if KUBECONFIG="$LV/kc-first:$LV/kc-token" "$LIVEFETCH" --context test $LIVE_MANIFESTS \
			>"$LV/env.out" 2>"$LV/env.err" </dev/null && same_objects "$LV/env.out" "$LV/token.out"; then
			ok "live: KUBECONFIG list and --context give the same result"
		else
			notok "live: KUBECONFIG list and --context give the same result" "$(cat "$LV/env.err")"
		fi
		# A rejected token: 401.
		live_kubeconfig "$LV/kc-badtoken" "$LIVE_PORT" "$LV/ca.pem" "    token: $LIVE_BAD_TOKEN"
		live_fail "401 Unauthorized" kube-unauthorized "rejected the credentials of user 'tester'" "$LV/kc-badtoken"
		# The kubeconfig trusts another CA: verification fails; skipping it works.
		live_kubeconfig "$LV/kc-wrongca" "$LIVE_PORT" "$LV/other-ca.pem" "$TOKEN_USER"
		live_fail "wrong CA" kube-tls "TLS verification of https://127.0.0.1:$LIVE_PORT failed" "$LV/kc-wrongca"
		# The kubeconfig's own insecure-skip-tls-verify is not followed.
		live_kubeconfig "$LV/kc-kcinsecure" "$LIVE_PORT" "$LV/other-ca.pem" "$TOKEN_USER" \
			"    insecure-skip-tls-verify: true"
		live_fail "wrong CA, kubeconfig says insecure-skip-tls-verify" kube-tls "kubeconfig-insecure" "$LV/kc-kcinsecure"
		if "$LIVEFETCH" --kubeconfig "$LV/kc-wrongca" --insecure-skip-tls-verify $LIVE_MANIFESTS \
			>"$LV/insecure.out" 2>"$LV/insecure.err" </dev/null && same_objects "$LV/insecure.out" "$LV/token.out"; then
			ok "live: wrong CA with --insecure-skip-tls-verify: the same objects"
		else
			notok "live: wrong CA with --insecure-skip-tls-verify: the same objects" "$(cat "$LV/insecure.err")"
		fi
	fi
	live_stop_servers

	# Client certificate authentication (files relative to the kubeconfig).
	if live_server cert --client-ca "$LV/ca.pem"; then
		live_kubeconfig "$LV/kc-cert" "$LIVE_PORT" "$LV/ca.pem" \
			"    client-certificate: client.pem
    client-key: client.key"
		if "$LIVEFETCH" --kubeconfig "$LV/kc-cert" $LIVE_MANIFESTS >"$LV/cert.out" 2>"$LV/cert.err" </dev/null &&
			same_objects "$LV/cert.out" "$LV/token.out"; then
			ok "live: client certificate auth: the same objects as with the token"
		else
			notok "live: client certificate auth: the same objects as with the token" "$(cat "$LV/cert.err")"
		fi
		# An exec plugin that gives the client certificate (PEM in JSON),
		# with the cluster's CA in KUBERNETES_EXEC_INFO.
		"$PY" -c '
import json, sys
cred = {"apiVersion": "client.authentication.k8s.io/v1", "kind": "ExecCredential",
        "status": {"clientCertificateData": open(sys.argv[1]).read(), "clientKeyData": open(sys.argv[2]).read()}}
print("#!/bin/sh\nprintf %s \"$KUBERNETES_EXEC_INFO\" >\"$(dirname \"$0\")/exec-info\"\ncat <<\"EOF\"\n" + json.dumps(cred) + "\nEOF")
' "$LV/client.pem" "$LV/client.key" >"$LV/cert-plugin" && chmod +x "$LV/cert-plugin"
		live_kubeconfig "$LV/kc-exec-cert" "$LIVE_PORT" "$LV/ca.pem" "    exec:
      apiVersion: client.authentication.k8s.io/v1
      interactiveMode: Never
      provideClusterInfo: true
      command: ./cert-plugin"
		if "$LIVEFETCH" --kubeconfig "$LV/kc-exec-cert" $LIVE_MANIFESTS >"$LV/exec-cert.out" 2>"$LV/exec-cert.err" </dev/null &&
			same_objects "$LV/exec-cert.out" "$LV/token.out" &&
			"$PY" -c '
import base64, json, sys
info = json.load(open(sys.argv[1]))
assert info["kind"] == "ExecCredential" and info["spec"]["interactive"] is False, info
assert info["spec"]["cluster"]["server"].startswith("https://127.0.0.1:"), info
assert base64.b64decode(info["spec"]["cluster"]["certificate-authority-data"]) == open(sys.argv[2], "rb").read()
' "$LV/exec-info" "$LV/ca.pem"; then
			ok "live: exec plugin with a client certificate: the same objects; it was given the cluster's server and CA"
		else
			notok "live: exec plugin with a client certificate" "$(cat "$LV/exec-cert.err")"
		fi
		live_kubeconfig "$LV/kc-nocert" "$LIVE_PORT" "$LV/ca.pem" "$TOKEN_USER"
		live_fail "server requires a client certificate, none given" kube-tls "the TLS connection to" "$LV/kc-nocert"
	fi
	live_stop_servers

	for mode in 403 403get 403echo junk notfound timeout; do
		live_server "$mode" --mode "$mode" || continue
		live_kubeconfig "$LV/kc-$mode" "$LIVE_PORT" "$LV/ca.pem" "$TOKEN_USER"
		case $mode in
		403) live_fail "403 Forbidden" kube-forbidden "user 'tester' may not discover the resources of" "$LV/kc-$mode" ;;
		403get)
			live_fail "403 on objects, discovery allowed" kube-forbidden \
				"user 'tester' may not get kafkausers.kafka.strimzi.io \"[a-z-]*\" in namespace alert-stream-broker (403 Forbidden)" "$LV/kc-$mode"
			kinds=$(grep -h '^kind:' $LIVE_MANIFESTS | grep -v Kustomization | sort -u | wc -l | tr -d ' ')
			reports=$(grep -c '\[kube-forbidden\]' "$LV/f.err")
			if [ "$reports" = "$kinds" ]; then
				ok "live: 403 on objects: one report per kind ($kinds), not one per object"
			else
				notok "live: 403 on objects: one report per kind" "$kinds kinds, $reports reports: $(cat "$LV/f.err")"
			fi
			;;
		403echo) live_fail "a 403 message quoting the Authorization header" kube-forbidden "request with Bearer \[token\]" "$LV/kc-$mode" ;;
		junk) live_fail "a server answering HTML" kube-junk "is not a JSON object (content type text/html" "$LV/kc-$mode" ;;
		notfound) live_fail "a web server answering 404 pages" kube-junk "answered 404 without a Kubernetes Status" "$LV/kc-$mode" ;;
		timeout) live_fail "a server that never answers" kube-timeout "within 1s" "$LV/kc-$mode" --request-timeout 1s ;;
		esac
		live_stop_servers
	done

	# Servers that echo the credentials (README, "Secrets"): the token raw,
	# as "Bearer T", in base64 (of T, of "Bearer T", of "tester:T"), URL-safe
	# base64, percent-encoded, its first and last 8 characters; a junk page
	# and a 404 page that start with them; a client key's PEM line and its
	# client-key-data.  tests/live/leaks.py then looks for any run of 6
	# characters of any form in stdout and stderr.
	LEAKS="$PY tests/live/leaks.py"
	# leaks.py itself finds what the server says (else the checks below
	# could not fail).
	"$PY" -c 'import sys; sys.path.insert(0, "tests"); import kube_server; print(kube_server.echo_text(sys.argv[1:]))' \
		"$ECHO_TOKEN" >"$LV/echo-said.txt"
	"$PY" -c 'import sys; sys.path.insert(0, "tests"); import kube_server; print(kube_server.echo_text(sys.argv[1:]))' \
		"$(sed -n 2p "$LV/client.key")" "$(base64 -w0 "$LV/client.key")" >"$LV/echo-key-said.txt"
	if ! $LEAKS --secret "$ECHO_TOKEN" "$LV/echo-said.txt" >/dev/null &&
		! $LEAKS --pem "$LV/client.key" "$LV/echo-key-said.txt" >/dev/null &&
		$LEAKS --secret "$ECHO_TOKEN" --pem "$LV/client.key" README.md >/dev/null; then
		ok "live: leaks.py finds every form the echo server sends (and nothing in an unrelated file)"
	else
		notok "live: leaks.py finds every form the echo server sends" "$(cat "$LV/echo-said.txt")"
	fi
	# live_no_leak NAME FILES...: no form of the echo token or client key.
	live_no_leak() {
		name=$1
		shift
		if out=$($LEAKS --secret "$ECHO_TOKEN" --pem "$LV/client.key" "$@"); then
			ok "live: $name: no run of 6 characters of the token or client key in any form"
		else
			notok "live: $name: no form of the token or client key" "$out"
		fi
	}
	for mode in echo echojunk echo404; do
		live_server "$mode" --mode "$mode" --echo "$ECHO_TOKEN" || continue
		live_kubeconfig "$LV/kc-$mode" "$LIVE_PORT" "$LV/ca.pem" "    token: $ECHO_TOKEN"
		case $mode in
		echo)
			live_fail "a 403 echoing the token in 9 forms" kube-forbidden \
				'raw=\[token\] bearer=Bearer \[token\] b64=\[token\] .*pct=\[token\] prefix=\[token\]\.\.\. suffix=\.\.\.\[token\]' \
				"$LV/kc-$mode"
			;;
		echojunk) live_fail "a junk page (and content type) starting with the token" kube-junk \
			'(content type text/html; charset=\[token\]; .* at byte 2): "\[token\] \[token\] \[token\]"' "$LV/kc-$mode" ;;
		echo404) live_fail "a 404 page starting with the token" kube-junk \
			'answered 404 without a Kubernetes Status: "\[token\] \[token\] \[token\]"' "$LV/kc-$mode" ;;
		esac
		cp "$LV/f.out" "$LV/$mode-fetch.out"
		cp "$LV/f.err" "$LV/$mode-fetch.err"
		"$ASBGEN" diff environments/minimal.yaml --live --kubeconfig "$LV/kc-$mode" \
			>"$LV/$mode-diff.out" 2>"$LV/$mode-diff.err" </dev/null
		"$ASBGEN" diff environments/minimal.yaml --live --kubeconfig "$LV/kc-$mode" --format json \
			>"$LV/$mode-json.out" 2>"$LV/$mode-json.err" </dev/null
		live_no_leak "$mode (livefetch, diff --live, --format json)" "$LV/$mode"-*.out "$LV/$mode"-*.err
		live_stop_servers
	done
	# A client-certificate user; the server echoes a line of the key and
	# the key file's base64 (client-key-data).
	if live_server echokey --client-ca "$LV/ca.pem" --mode echo --echo "$(sed -n 2p "$LV/client.key")" \
		--echo "$(base64 -w0 "$LV/client.key")"; then
		live_kubeconfig "$LV/kc-echokey" "$LIVE_PORT" "$LV/ca.pem" \
			"    client-certificate: client.pem
    client-key-data: $(base64 -w0 "$LV/client.key")"
		live_fail "a 403 echoing the client key" kube-forbidden 'raw=\[client key\] .*b64=\[client key\]' "$LV/kc-echokey"
		live_no_leak "client key echoed" "$LV/f.out" "$LV/f.err"
	fi
	live_stop_servers

	# A closed port: connection refused.
	closed=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
	live_kubeconfig "$LV/kc-refused" "$closed" "$LV/ca.pem" "$TOKEN_USER"
	live_fail "connection refused" kube-connect "connection refused" "$LV/kc-refused"
	"$ASBGEN" diff environments/minimal.yaml --live --kubeconfig "$LV/kc-refused" >"$LV/d.out" 2>"$LV/d.err" </dev/null
	rc=$?
	if [ "$rc" -eq 2 ] && grep -q '\[kube-connect\]' "$LV/d.err" && grep -q 'nothing compared' "$LV/d.err"; then
		ok "live: asbgen diff --live, connection refused: exit 2, kube-connect, nothing compared"
	else
		notok "live: asbgen diff --live, connection refused: exit 2" "exit $rc; $(cat "$LV/d.out" "$LV/d.err")"
	fi
	for args in "--kubeconfig $LV/kc-refused" "--live --against out/minimal" "--live --request-timeout soon"; do
		"$ASBGEN" diff environments/minimal.yaml $args >"$LV/d.out" 2>"$LV/d.err" </dev/null
		rc=$?
		if [ "$rc" -eq 2 ]; then
			ok "live: asbgen diff $args: usage error (exit 2)"
		else
			notok "live: asbgen diff $args: usage error (exit 2)" "exit $rc; $(cat "$LV/d.err")"
		fi
	done

	# Kubeconfig problems reach the command line with file:line:col.
	printf 'current-context: a\nclusters:\n- name: c\n  cluster: {server: "https://127.0.0.1:1"}\nusers:\n- name: u\n  user:\n    exec: {command: gke-gcloud-auth-plugin}\ncontexts:\n- name: a\n  context: {cluster: c, user: u}\n' >"$LV/kc-exec"
	live_fail "exec credential plugin without apiVersion" kubeconfig-exec "kc-exec:8:5: error: user 'u': exec has no apiVersion" "$LV/kc-exec"

	# asbgen status --live: the troubleshooting chapter against a cluster
	# whose state tests/live/status_fixture.py builds from the render.
	for sc in healthy degraded; do
		mkdir -p "$LV/status-$sc"
		"$PY" tests/live/status_fixture.py out/usdfdev/kubernetes "$sc" "$LV/status-$sc" ||
			notok "live: status: the $sc fixture is built"
	done
	status_run() { # SCENARIO ARGS...: sets rc, $LV/st.out, $LV/st.err
		sc=$1
		shift
		LIVE_FIXTURES="$LV/status-$sc" live_server "status-$sc" --token "$LIVE_TOKEN"
		live_kubeconfig "$LV/kc-st-$sc" "$LIVE_PORT" "$LV/ca.pem" "$TOKEN_USER"
		"$ASBGEN" status environments/usdfdev.yaml --live --kubeconfig "$LV/kc-st-$sc" "$@" \
			>"$LV/st.out" 2>"$LV/st.err" </dev/null
		rc=$?
		sed -i 's/127\.0\.0\.1:[0-9]*/127.0.0.1:PORT/g' "$LV/st.out"
		live_stop_servers
		unset LIVE_FIXTURES # (sh may keep a function's prefix assignment)
	}
	status_run healthy
	if [ "$rc" -eq 0 ] && grep -q '^usdfdev on cluster https://127.0.0.1:PORT (context test): healthy$' "$LV/st.out" &&
		grep -q '^0 degraded, 0 warnings; [0-9]* objects read$' "$LV/st.out"; then
		ok "live: asbgen status, a healthy cluster: exit 0, $(tail -n 1 "$LV/st.out")"
	else
		notok "live: asbgen status, a healthy cluster: exit 0" "exit $rc; $(cat "$LV/st.out" "$LV/st.err")"
	fi
	status_run degraded
	want=tests/live/status-degraded.expect
	if [ -n "${STATUS_UPDATE:-}" ]; then
		cp "$LV/st.out" "$want"
	fi
	if [ "$rc" -eq 1 ] && cmp -s "$LV/st.out" "$want" && ! grep -q 'c2VjcmV0LXZhbHVl' "$LV/st.out" "$LV/st.err"; then
		ok "live: asbgen status, a degraded cluster: exit 1, every finding with its fix as $want, no Secret value shown"
	else
		notok "live: asbgen status, a degraded cluster: exit 1, output as $want (STATUS_UPDATE=1 to rewrite)" \
			"exit $rc; $(diff "$want" "$LV/st.out" | head -n 40) $(cat "$LV/st.err")"
	fi
	status_run degraded --format json
	if [ "$rc" -eq 1 ] && out=$("$PY" -c '
import json, sys
rep = json.load(open(sys.argv[1]))
assert rep["status"] == "degraded" and rep["environment"] == "usdfdev", rep
rules = sorted({f["rule"] for f in rep["findings"]})
want = ["status-job-failed", "status-lb-ip", "status-lb-pending", "status-missing", "status-not-ready",
        "status-pod-crashloop", "status-pod-pending", "status-pvc-resize", "status-registry-missing",
        "status-secret-key", "status-topic-stuck", "status-unavailable"]
assert rules == want, rules
assert rep["summary"]["degraded"] == len([f for f in rep["findings"] if f["severity"] == "degraded"]), rep["summary"]
stuck = [f for f in rep["findings"] if f["rule"] == "status-topic-stuck"][0]
assert stuck["fix"].endswith("kubectl patch kafkatopics.kafka.strimzi.io old-alerts --namespace alert-stream-broker -p '"'"'{\"metadata\":{\"finalizers\": []}}'"'"' --type=merge"), stuck
print(len(rep["findings"]))
' "$LV/st.out" 2>&1); then
		ok "live: asbgen status --format json: $out findings, one rule per failure of the fixture, the manual's kubectl patch"
	else
		notok "live: asbgen status --format json" "exit $rc; $out"
	fi
	"$ASBGEN" status environments/usdfdev.yaml --live --kubeconfig "$LV/kc-refused" >"$LV/st.out" 2>"$LV/st.err" </dev/null
	rc=$?
	if [ "$rc" -eq 2 ] && grep -q '\[kube-connect\]' "$LV/st.err" && grep -q ': unknown (the cluster could not be read)$' "$LV/st.out"; then
		ok "live: asbgen status, cluster unreachable: exit 2, kube-connect, the status unknown"
	else
		notok "live: asbgen status, cluster unreachable: exit 2" "exit $rc; $(cat "$LV/st.out" "$LV/st.err")"
	fi

	# asbgen pin --live: usdfdev without its addresses gets them back from
	# the load balancers, byte for byte (comments and layout kept).
	mkdir -p "$LV/pin"
	sed -e 's/, ip: [0-9.]*}/}/' -e '/^    ip: /d' environments/usdfdev.yaml >"$LV/pin/usdfdev.yaml"
	cp "$LV/pin/usdfdev.yaml" "$LV/pin/unpinned.yaml"
	pin_run() { # SCENARIO ARGS...: sets rc, $LV/pin.out, $LV/pin.err
		sc=$1
		shift
		LIVE_FIXTURES="$LV/status-$sc" live_server "pin-$sc" --token "$LIVE_TOKEN"
		unset LIVE_FIXTURES
		live_kubeconfig "$LV/kc-pin-$sc" "$LIVE_PORT" "$LV/ca.pem" "$TOKEN_USER"
		"$ASBGEN" pin "$LV/pin/usdfdev.yaml" --live --kubeconfig "$LV/kc-pin-$sc" "$@" \
			>"$LV/pin.out" 2>"$LV/pin.err" </dev/null
		rc=$?
		live_stop_servers
	}
	if cmp -s "$LV/pin/usdfdev.yaml" environments/usdfdev.yaml; then
		notok "live: pin: the test spec has no addresses"
	fi
	pin_run healthy --dry-run
	if [ "$rc" -eq 0 ] && cmp -s "$LV/pin/usdfdev.yaml" "$LV/pin/unpinned.yaml" &&
		[ "$(grep -c '(added; Service' "$LV/pin.out")" -eq 7 ] && grep -q '^--dry-run: ' "$LV/pin.out"; then
		ok "live: asbgen pin --dry-run: 7 addresses to add, the spec unchanged"
	else
		notok "live: asbgen pin --dry-run" "exit $rc; $(cat "$LV/pin.out" "$LV/pin.err")"
	fi
	pin_run degraded
	if [ "$rc" -eq 1 ] && grep -q 'Service alert-stream-broker/alert-broker-kafka-external-6 has no external address yet: nothing is pinned \[pin-pending\]' "$LV/pin.err" &&
		cmp -s "$LV/pin/usdfdev.yaml" "$LV/pin/unpinned.yaml"; then
		ok "live: asbgen pin, a Service without an address: exit 1, pin-pending, nothing written"
	else
		notok "live: asbgen pin, a Service without an address: exit 1" "exit $rc; $(cat "$LV/pin.out" "$LV/pin.err")"
	fi
	pin_run healthy
	if [ "$rc" -eq 0 ] && cmp -s "$LV/pin/usdfdev.yaml" environments/usdfdev.yaml; then
		ok "live: asbgen pin: the addresses written back, the spec byte for byte as environments/usdfdev.yaml"
	else
		notok "live: asbgen pin: the spec as environments/usdfdev.yaml" \
			"exit $rc; $(cat "$LV/pin.out" "$LV/pin.err"); $(diff environments/usdfdev.yaml "$LV/pin/usdfdev.yaml")"
	fi
	pin_run healthy
	if [ "$rc" -eq 0 ] && grep -q '^nothing to pin' "$LV/pin.out" && cmp -s "$LV/pin/usdfdev.yaml" environments/usdfdev.yaml; then
		ok "live: asbgen pin again: nothing to pin, exit 0"
	else
		notok "live: asbgen pin again: nothing to pin" "exit $rc; $(cat "$LV/pin.out" "$LV/pin.err")"
	fi

	# libcurl is opened only for --live: a missing or wrong library is an
	# error of that command alone (other commands do not load it).
	for lib in /nonexistent/libcurl.so.4 libm.so.6; do
		ASBGEN_LIBCURL=$lib "$ASBGEN" diff environments/minimal.yaml --live --kubeconfig "$LV/kc-refused" \
			>"$LV/d.out" 2>"$LV/d.err" </dev/null
		rc=$?
		if [ "$rc" -eq 2 ] && grep -q "^asbgen: error: .*$lib.* \[kube-libcurl\]$" "$LV/d.err"; then
			ok "live: ASBGEN_LIBCURL=$lib: exit 2, kube-libcurl names it"
		else
			notok "live: ASBGEN_LIBCURL=$lib: exit 2, kube-libcurl" "exit $rc; $(cat "$LV/d.err")"
		fi
	done
	if ASBGEN_LIBCURL=/nonexistent/libcurl.so.4 "$ASBGEN" diff environments/minimal.yaml >/dev/null 2>&1; then
		ok "live: a diff without --live does not load libcurl"
	else
		notok "live: a diff without --live does not load libcurl"
	fi
	if command -v readelf >/dev/null 2>&1 && readelf -d "$ASBGEN" | grep -q 'NEEDED.*libcurl'; then
		notok "live: asbgen is not linked with libcurl (it is opened for --live only)" "$(readelf -d "$ASBGEN" | grep NEEDED)"
	else
		ok "live: asbgen is not linked with libcurl (it is opened for --live only)"
	fi
fi
live_stop_servers

# Kubeconfig values in messages: each tests/robust/kubeconfig case with a
# "# secret: S" line (its exact stderr is checked by the robust group) must
# not show S in any format, nor in its .expect file.
for f in tests/robust/kubeconfig/*.yaml; do
	secret=$(sed -n 's/^# secret: //p' "$f")
	[ -n "$secret" ] || continue
	leak=
	for fmt in text json; do
		"$ASBGEN" diff environments/minimal.yaml --live --kubeconfig "$f" --request-timeout 2s --format "$fmt" \
			>"$LV/kcs.out" 2>&1 </dev/null
		rc=$?
		[ "$rc" -eq 2 ] || leak="$leak exit $rc with --format $fmt;"
		# The file name and the "# secret:" comment are not messages.
		sed -e "s|$f||g" "$LV/kcs.out" | grep -F -q -- "$secret" && leak="$leak --format $fmt shows it: $(cat "$LV/kcs.out");"
	done
	grep -F -q -- "$secret" "${f%.yaml}.expect" 2>/dev/null && leak="$leak ${f%.yaml}.expect holds it;"
	if [ -z "$leak" ]; then
		ok "live: $f: exit 2, '$secret' not shown (text and json)"
	else
		notok "live: $f: '$secret' not shown" "$leak"
	fi
done
