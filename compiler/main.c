/* main.c - asbgen's command dispatch (one file per subcommand, as git;
 * the table is commands.c). */
#include "arena.h"
#include "cli.h"
#include "suggest.h"

#include <malloc.h>
#include <stdio.h>
#include <string.h>

const char asbgen_usage[] =
	"usage: asbgen COMMAND [ARGS...]\n"
	"\n"
	"Compile Alert Distribution System environment specs into deployments.\n"
	"\n"
	"commands:\n"
	"  render SPEC... [-o DIR] [--check] [--stdout] [--only KINDS] [--templates DIR]\n"
	"                 [--phase bootstrap|full] [--testid ID]\n"
	"                  write each environment's manifests, Helm values, tfvars\n"
	"                  and client configs under DIR/<environment>/ (default out/)\n"
	"  validate SPEC... [--format text|json|github] [--strict]\n"
	"                  report every problem in the specs, with file:line:column\n"
	"  model [--sources] SPEC\n"
	"                  print the resolved model (what templates see) as JSON;\n"
	"                  --sources: each value with where it came from\n"
	"  check --schema SCHEMA FILE_OR_DIR...\n"
	"  check --crds DIR [--crds DIR...] FILE_OR_DIR...\n"
	"                  validate YAML/JSON documents against a JSON Schema, or\n"
	"                  Kubernetes manifests against CRDs, at file:line:column\n"
	"  diff SPEC [--against DIR | --base REV | --live] [--format text|json]\n"
	"                  what a sync would change: a fresh render against out/,\n"
	"                  another folder or a git revision; dangerous changes flagged\n"
	"                  (--live: against the cluster, see asbgen diff --help)\n"
	"  status SPEC --live [--format text|json]\n"
	"                  what is wrong in the cluster with what SPEC renders,\n"
	"                  each finding with the operator manual's fix\n"
	"  pin SPEC --live [--dry-run]\n"
	"                  write the addresses the load balancers got into the\n"
	"                  spec (external.bootstrap.ip, external.brokers[].ip)\n"
	"  teardown SPEC --testid ID [-o DIR]\n"
	"                  remove the test instance ID's folder (render --testid),\n"
	"                  only the files asbgen wrote; never a production spec\n"
	"  schema [NAME]   print the spec's JSON Schema (or diagnostics, diff)\n"
	"  completion bash|zsh|fish\n"
	"                  print a shell completion script\n"
	"  version         print the version\n"
	"  help [COMMAND]  this text, or a command's\n"
	"\n"
	"A SPEC is a file, a directory of specs (render, validate) or - (standard\n"
	"input).  Templates and schemas are read from $ASBGEN_DATA/templates and\n"
	"$ASBGEN_DATA/schemas when ASBGEN_DATA is set, else from beside the binary\n"
	"(a checkout) or ../share/asbgen/ (an install).\n"
	"\n"
	"exit codes: 0 success, 1 invalid input or differences found,\n"
	"            2 usage or I/O error, 3 diff: a dangerous change;\n"
	"            status: 0 healthy, 1 degraded, 2 the cluster could not be read\n"
	"See README.md for the spec format and templates/README.md for templates.\n";

/* "no such command", with the closest one. */
static int no_such_command(const char *name, bool with_usage)
{
	const char *names[16 + 1];
	size_t n = 0;
	for (size_t i = 0; i < ncommands && n < 16; i++)
		names[n++] = commands[i].name;
	names[n++] = "help";
	const char *near = suggest_closest(name, strlen(name), names, n);
	fprintf(stderr, "asbgen: no such command '%s'", name);
	if (near)
		fprintf(stderr, "; did you mean '%s'?", near);
	fputc('\n', stderr);
	if (with_usage)
		fprintf(stderr, "\n%s", asbgen_usage);
	return EXIT_USAGE;
}

int main(int argc, char **argv)
{
#ifdef M_MMAP_THRESHOLD
	/* Blocks from 128 KiB up (an output's text, a large table) are
	 * mappings of their own, grown by mremap and unmapped when freed.
	 * glibc otherwise raises the threshold after the first such free,
	 * and a growing buffer is then copied, page after new page, in the
	 * heap: 3.7 MiB of peak and 1,000 page faults at 50,000 users. */
	mallopt(M_MMAP_THRESHOLD, 128 << 10);
#endif
	if (argc < 2) {
		fputs(asbgen_usage, stderr);
		return EXIT_USAGE;
	}
	const char *cmd = argv[1];
	if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
		if (argc > 2 && strcmp(cmd, "help") == 0) {
			const struct command *c = command_find(argv[2]);
			if (!c)
				return no_such_command(argv[2], false);
			char *args[] = { argv[2], "--help", NULL };
			return c->fn(2, args);
		}
		fputs(asbgen_usage, stdout);
		return EXIT_OK;
	}
	if (!strcmp(cmd, "--version"))
		cmd = "version";
	const struct command *c = command_find(cmd);
	if (c)
		return c->fn(argc - 1, argv + 1);
	return no_such_command(cmd, true);
}
