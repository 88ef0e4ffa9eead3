/* cmd_completion.c - `asbgen completion bash|zsh|fish`: a completion
 * script made from the command table and each command's --help text, so
 * that it offers what the commands accept and nothing else. */
#include "arena.h"
#include "cli.h"
#include "kinds.h"

#include <string.h>

static const char help[] =
	"usage: asbgen completion bash|zsh|fish\n"
	"\n"
	"Print a completion script for the shell: commands, each command's options\n"
	"(from its --help), the values of --format and --only, and file names.\n"
	"\n"
	"  bash   source <(asbgen completion bash)     (or save it as\n"
	"         /usr/share/bash-completion/completions/asbgen)\n"
	"  zsh    source <(asbgen completion zsh)      (after compinit)\n"
	"  fish   asbgen completion fish | source      (or save it as\n"
	"         ~/.config/fish/completions/asbgen.fish)\n";

const char *const cmd_completion_help = help;

#define MAX_OPTS 64

/* One command's options and the values of those that take a fixed set. */
struct opts {
	size_t n;
	const char *opt[MAX_OPTS];
	size_t len[MAX_OPTS];
	const char *values[MAX_OPTS]; /* space-separated, or NULL */
};

/* The values an option's usage names, "--format text|json|github", as
 * "text json github"; --only takes the kinds of output. */
static const char *values_of(struct arena *a, const char *help_text, const char *opt, size_t len)
{
	if (len == 6 && !strncmp(opt, "--only", 6)) {
		char *s = arena_strndup(a, kinds_list, strlen(kinds_list));
		for (char *q = s; *q; q++)
			if (*q == ',')
				*q = ' ';
		return s;
	}
	for (const char *p = help_text; (p = strstr(p, opt)) != NULL; p += len) {
		const char *w = p + len;
		if (*w != ' ' && *w != '=')
			continue;
		w++;
		size_t wl = strcspn(w, " ]\n");
		if (!memchr(w, '|', wl))
			continue;
		char *s = arena_strndup(a, w, wl);
		for (char *q = s; *q; q++)
			if (*q == '|')
				*q = ' ';
		return s;
	}
	return NULL;
}

static void opts_of(struct arena *a, const struct command *c, struct opts *o)
{
	o->n = help_option_list(*c->help, o->opt, o->len, MAX_OPTS);
	for (size_t i = 0; i < o->n; i++)
		o->values[i] = values_of(a, *c->help, o->opt[i], o->len[i]);
}

static const char *extra_words(const struct command *c)
{
	if (!strcmp(c->name, "completion"))
		return "bash zsh fish";
	if (!strcmp(c->name, "schema"))
		return "environment diagnostics diff";
	return NULL;
}

static void command_words(FILE *fp)
{
	for (size_t i = 0; i < ncommands; i++)
		fprintf(fp, "%s ", commands[i].name);
	fputs("help", fp);
}

static void bash(struct arena *a, FILE *fp)
{
	fputs("# bash completion for asbgen (asbgen completion bash)\n"
	      "_asbgen() {\n"
	      "\tlocal cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]} opts= words=\n"
	      "\tCOMPREPLY=()\n"
	      "\tif [ \"$COMP_CWORD\" -eq 1 ]; then\n"
	      "\t\tCOMPREPLY=($(compgen -W \"", fp);
	command_words(fp);
	fputs("\" -- \"$cur\"))\n"
	      "\t\treturn\n"
	      "\tfi\n"
	      "\tcase ${COMP_WORDS[1]} in\n", fp);
	for (size_t i = 0; i < ncommands; i++) {
		struct opts o;
		opts_of(a, &commands[i], &o);
		fprintf(fp, "\t%s)\n\t\topts=\"", commands[i].name);
		for (size_t k = 0; k < o.n; k++)
			fprintf(fp, "%s%.*s", k ? " " : "", (int)o.len[k], o.opt[k]);
		fputs("\"\n", fp);
		if (extra_words(&commands[i]))
			fprintf(fp, "\t\twords=\"%s\"\n", extra_words(&commands[i]));
		fputs("\t\tcase $prev in\n", fp);
		for (size_t k = 0; k < o.n; k++)
			if (o.values[k])
				fprintf(fp, "\t\t%.*s) COMPREPLY=($(compgen -W \"%s\" -- \"$cur\")); return ;;\n",
					(int)o.len[k], o.opt[k], o.values[k]);
		fputs("\t\tesac\n\t\t;;\n", fp);
	}
	fputs("\thelp) words=\"", fp);
	command_words(fp);
	fputs("\" ;;\n"
	      "\tesac\n"
	      "\tcase $cur in\n"
	      "\t-*) COMPREPLY=($(compgen -W \"$opts\" -- \"$cur\")) ;;\n"
	      "\t*)\n"
	      "\t\tif [ -n \"$words\" ]; then\n"
	      "\t\t\tCOMPREPLY=($(compgen -W \"$words\" -- \"$cur\"))\n"
	      "\t\telse\n"
	      "\t\t\tCOMPREPLY=($(compgen -f -- \"$cur\"))\n"
	      "\t\tfi\n"
	      "\t\t;;\n"
	      "\tesac\n"
	      "}\n"
	      "complete -o filenames -F _asbgen asbgen\n", fp);
}

static void zsh(struct arena *a, FILE *fp)
{
	fputs("#compdef asbgen\n"
	      "# zsh completion for asbgen (asbgen completion zsh)\n"
	      "_asbgen() {\n"
	      "\tlocal -a cmds opts vals\n"
	      "\tcmds=(", fp);
	command_words(fp);
	/* $words is zsh's own array of the command line (not to be declared). */
	fputs(")\n"
	      "\tif (( CURRENT == 2 )); then\n"
	      "\t\tcompadd -a cmds\n"
	      "\t\treturn\n"
	      "\tfi\n"
	      "\tcase ${words[2]} in\n", fp);
	for (size_t i = 0; i < ncommands; i++) {
		struct opts o;
		opts_of(a, &commands[i], &o);
		fprintf(fp, "\t%s)\n\t\topts=(", commands[i].name);
		for (size_t k = 0; k < o.n; k++)
			fprintf(fp, "%s%.*s", k ? " " : "", (int)o.len[k], o.opt[k]);
		fputs(")\n", fp);
		if (extra_words(&commands[i]))
			fprintf(fp, "\t\tvals=(%s)\n", extra_words(&commands[i]));
		fputs("\t\tcase ${words[CURRENT-1]} in\n", fp);
		for (size_t k = 0; k < o.n; k++)
			if (o.values[k])
				fprintf(fp, "\t\t%.*s) compadd %s; return ;;\n", (int)o.len[k], o.opt[k], o.values[k]);
		fputs("\t\tesac\n\t\t;;\n", fp);
	}
	fputs("\thelp) vals=(", fp);
	command_words(fp);
	fputs(") ;;\n"
	      "\tesac\n"
	      "\tif [[ $PREFIX == -* ]]; then\n"
	      "\t\tcompadd -a opts\n"
	      "\telif (( ${#vals} )); then\n"
	      "\t\tcompadd -a vals\n"
	      "\telse\n"
	      "\t\t_files\n"
	      "\tfi\n"
	      "}\n"
	      "if [ \"${funcstack[1]}\" = _asbgen ]; then\n"
	      "\t_asbgen \"$@\"\n"
	      "else\n"
	      "\tcompdef _asbgen asbgen\n"
	      "fi\n", fp);
}

static void fish(struct arena *a, FILE *fp)
{
	fputs("# fish completion for asbgen (asbgen completion fish)\n"
	      "complete -c asbgen -f\n"
	      "complete -c asbgen -n __fish_use_subcommand -a '", fp);
	command_words(fp);
	fputs("'\n", fp);
	for (size_t i = 0; i < ncommands; i++) {
		const struct command *c = &commands[i];
		struct opts o;
		opts_of(a, c, &o);
		const char *cond = arena_printf(a, "'__fish_seen_subcommand_from %s'", c->name);
		for (size_t k = 0; k < o.n; k++) {
			bool lng = o.opt[k][1] == '-';
			fprintf(fp, "complete -c asbgen -n %s -%c %.*s", cond, lng ? 'l' : 's',
				(int)(o.len[k] - (lng ? 2 : 1)), o.opt[k] + (lng ? 2 : 1));
			if (o.values[k])
				fprintf(fp, " -x -a '%s'", o.values[k]);
			fputc('\n', fp);
		}
		if (extra_words(c))
			fprintf(fp, "complete -c asbgen -n %s -a '%s'\n", cond, extra_words(c));
		else
			fprintf(fp, "complete -c asbgen -n %s -F\n", cond);
	}
	fputs("complete -c asbgen -n '__fish_seen_subcommand_from help' -a '", fp);
	command_words(fp);
	fputs("'\n", fp);
}

int cmd_completion(int argc, char **argv)
{
	if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		fputs(help, stdout);
		return EXIT_OK;
	}
	if (argc != 2 || (strcmp(argv[1], "bash") && strcmp(argv[1], "zsh") && strcmp(argv[1], "fish"))) {
		if (argc > 1)
			fprintf(stderr, "asbgen completion: '%s' is not a shell asbgen completes (bash, zsh, fish)\n\n",
				argv[1]);
		fputs(help, stderr);
		return EXIT_USAGE;
	}
	struct arena *a = arena_new();
	if (!strcmp(argv[1], "bash"))
		bash(a, stdout);
	else if (!strcmp(argv[1], "zsh"))
		zsh(a, stdout);
	else
		fish(a, stdout);
	arena_free(a);
	if (fflush(stdout) != 0) {
		fputs("asbgen completion: cannot write standard output\n", stderr);
		return EXIT_USAGE;
	}
	return EXIT_OK;
}
