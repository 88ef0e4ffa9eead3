#!/bin/sh
# suite_terraform.sh - every .tfvars asbgen writes, read by the Terraform
# module that consumes it (tests/terraform_consumers.py), through
# tests/tfcheck: HashiCorp's HCL parser and cty's conversion, built here
# from Debian's golang-github-hashicorp-hcl-v2-dev and
# golang-github-zclconf-go-cty-dev (tests/deps.sh installs them).
#
#   sh tests/suite_terraform.sh     (alone; or sh tests/run.sh terraform)
. "$(dirname "$0")/lib.sh"
suite suite_terraform.sh

section "terraform (the modules that read the tfvars)"
tfcheck="$TMP/tfcheck"
if (cd "$ROOT/tests/tfcheck" && GOPATH=/usr/share/gocode GO111MODULE=off \
	GOCACHE="${GOCACHE:-${HOME:+$HOME/.cache/go-build}}" go build -o "$tfcheck" .) >"$TMP/tfbuild.out" 2>&1; then
	ok "terraform: tests/tfcheck builds on HashiCorp's HCL and cty"
	run_folded "terraform consumers" "$TMP/tf.out" \
		"$PY" "$ROOT/tests/terraform_consumers.py" "$tfcheck" "$ASBGEN" "$BUILD/tools/outputs_json" \
		"$SHARED/reference" "$TMP"
else
	notok "terraform: tests/tfcheck builds (sh tests/deps.sh test)" "$(cat "$TMP/tfbuild.out")"
fi
