#!/bin/sh
# mkman.sh ASBGEN - print asbgen(1) in roff, made from the same text as
# `asbgen --help` and `asbgen help COMMAND` (run at build time by make), so
# the manual never says what the binary does not.
set -eu
asbgen=$1

# roff: a backslash is \e, a minus sign \- (a bare - prints as a hyphen,
# and an option copied from the page would not work); a line starting with
# . or ' is a request unless it starts with \&.
esc() { sed -e 's/\\/\\e/g' -e 's/-/\\-/g' -e "s/^\([.']\)/\\\\\&\1/"; }

version=$("$asbgen" version | sed 's/^asbgen //')
printf '.TH ASBGEN 1 "" "asbgen %s" "User Commands"\n' "$version"
printf '.SH NAME\nasbgen \\- compile Alert Distribution System environment specs into deployments\n'
printf '.SH SYNOPSIS\n.B asbgen\n.I COMMAND\n[\n.I ARGS...\n]\n'
printf '.SH DESCRIPTION\n.nf\n'
"$asbgen" --help | esc
printf '.fi\n.SH COMMANDS\n'
# The commands are the words that open the lines of the "commands:" list.
for cmd in $("$asbgen" --help | awk '/^commands:/ { on = 1; next } on && /^$/ { exit }
	on && /^  [a-z]/ { if (!seen[$1]++) print $1 }'); do
	[ "$cmd" = help ] && continue
	printf '.SS asbgen %s\n.nf\n' "$cmd"
	"$asbgen" help "$cmd" | esc
	printf '.fi\n'
done
printf '.SH ENVIRONMENT\n.TP\n.B ASBGEN_DATA\n'
printf 'the directory that holds templates/ and schemas/ (default: beside the binary, else ../share/asbgen/)\n'
printf '.TP\n.B NO_COLOR\nno colour in diagnostics and diffs, even on a terminal\n'
printf '.TP\n.B KUBECONFIG\nthe kubeconfig files of diff \\-\\-live (colon-separated)\n'
printf '.SH SEE ALSO\nREADME.md and templates/README.md of the asbgen sources\n'
