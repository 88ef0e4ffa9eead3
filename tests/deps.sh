#!/bin/sh
# deps.sh - install what asbgen's build or test suite needs, if anything is missing.
#
#   sh tests/deps.sh build    pkg-config and the libraries asbgen links
#   sh tests/deps.sh test     also libyaml, PyYAML and jsonschema for
#                             /usr/bin/python3, the JSON-Schema-Test-Suite, openssl, valgrind,
#                             strace (SIGKILL injection in tests/suite_robust.sh),
#                             kubectl, Go (the Helm stand-in; HashiCorp's HCL
#                             and cty for tests/tfcheck), Node.js, the
#                             real Kafka clients the clients group runs (kcat,
#                             confluent-kafka for /usr/bin/python3, a JDK for
#                             `java FILE.java`), and the npm packages of
#                             pre-commit, zsh and fish (tests/suite_integrations.sh),
#                             tests/package.json under tests/node_modules
#
# Debian packages: as root, `apt-get update` once and `apt-get install` what
# is missing; otherwise print the one `sudo apt-get install` line to run and
# exit 1.  When everything is there it only asks dpkg, and is fast.
set -eu

mode=${1:-test}
case "$mode" in
build | test) ;;
*)
	echo "usage: sh tests/deps.sh [build|test]" >&2
	exit 2
	;;
esac

here=$(cd "$(dirname "$0")" && pwd)

pkgs="pkg-config libfyaml-dev libjansson-dev libpcre2-dev libcurl4-openssl-dev"
if [ "$mode" = test ]; then
	pkgs="$pkgs libyaml-dev python3-yaml python3-jsonschema json-schema-test-suite openssl valgrind strace pre-commit zsh fish"
	pkgs="$pkgs kcat python3-confluent-kafka"
	# Go and the Go packages ../shared/tools/helmengine/build.sh builds the Helm stand-in with
	pkgs="$pkgs golang-go golang-gopkg-yaml.v3-dev golang-github-masterminds-sprig-dev golang-github-ghodss-yaml-dev"
	# tests/tfcheck (suite_terraform.sh): Go with HashiCorp's HCL and cty
	pkgs="$pkgs golang-go golang-github-hashicorp-hcl-v2-dev golang-github-zclconf-go-cty-dev"
fi

# Which of $pkgs are not installed?  One dpkg-query call; packages dpkg has
# never heard of are reported on stderr and simply absent from the output.
installed=$(dpkg-query -W -f='${Package} ${Status}\n' $pkgs 2>/dev/null |
	awk '$NF == "installed" && $(NF-1) == "ok" { print $1 }') || true
missing=
for p in $pkgs; do
	case " $(echo $installed) " in
	*" $p "*) ;;
	*) missing="$missing $p" ;;
	esac
done

# Tools that may come from outside Debian on the machine image: only ask
# Debian for them when they are absent.
if [ "$mode" = test ]; then
	command -v kubectl >/dev/null 2>&1 || missing="$missing kubernetes-client"
	# tests/ClientProps.java runs as a source file: java with its
	# compiler (a JDK, not only a JRE).
	command -v javac >/dev/null 2>&1 || missing="$missing default-jdk-headless"
	if ! command -v node >/dev/null 2>&1; then
		missing="$missing nodejs npm"
	elif ! command -v npm >/dev/null 2>&1; then
		missing="$missing npm"
	fi
fi
missing=${missing# }

if [ -n "$missing" ]; then
	if [ "$(id -u)" -ne 0 ]; then
		echo "asbgen needs Debian packages that are not installed; run:" >&2
		echo "sudo apt-get install -y --no-install-recommends $missing"
		exit 1
	fi
	echo "deps: installing $missing" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q >&2
	# shellcheck disable=SC2086 # word splitting wanted
	apt-get install -y -q --no-install-recommends $missing >&2
fi

# npm packages of the tests (the HCL parser), pinned by tests/package-lock.json.
if [ "$mode" = test ] && [ -f "$here/package.json" ]; then
	if [ ! -d "$here/node_modules/@cdktf/hcl2json" ]; then
		echo "deps: installing npm packages under tests/node_modules" >&2
		if [ -f "$here/package-lock.json" ]; then
			npm ci --prefix "$here" --no-audit --no-fund --loglevel=error >&2
		else
			npm install --prefix "$here" --no-audit --no-fund --loglevel=error >&2
		fi
	fi
fi
exit 0
