/* cli.h - what the subcommands share: the compilation context, option
 * parsing helpers, where templates and schemas live, and exit codes. */
#ifndef ASBGEN_CLI_H
#define ASBGEN_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "ctx.h"

/* Exit codes (documented in the README). */
#define EXIT_OK 0
#define EXIT_INVALID 1   /* invalid input, or differences found */
#define EXIT_USAGE 2     /* usage or I/O error */
#define EXIT_DANGER 3    /* diff: a dangerous change */

/* The installed or in-tree data directory for "templates" or "schemas":
 * next to the binary (a source checkout), else ../share/asbgen/. */
const char *data_path(struct ctx *c, const char *what);

/* Does argv[i] match "--name" or "--name=value"?  Sets *val for the latter
 * or takes the next argument; prints a usage error and returns -1 if the
 * value is missing. */
int opt_value(int argc, char **argv, int *i, const char *name, const char **val);

struct live_opts;
/* The options of a command that reads the cluster (live.h): $KUBECONFIG,
 * $HOME and the default timeout; then --kubeconfig FILE, --context NAME,
 * --request-timeout T and --insecure-skip-tls-verify, as opt_value
 * returns (0 not one of them, 1 taken, -1 usage error printed). */
void cli_live_defaults(struct live_opts *lo);
int cli_live_option(const char *cmd, int argc, char **argv, int *i, struct live_opts *lo);

/* The one SPEC operand of a command (status, pin): an unknown option or a
 * second spec is a usage error, printed (-1).  cli_spec_given, after the
 * options: one was given and its name may go into outputs (printed when
 * not). */
int cli_spec_operand(const char *cmd, const char *arg, const char **spec);
bool cli_spec_given(const char *cmd, const char *spec);

/* The last component of a path: specs are named by it in outputs, so the
 * bytes do not depend on where asbgen runs. */
const char *path_base(const char *path);

/* Can path's file name go into outputs?  It is copied into every header
 * comment and into the record, so a line break (or any control character,
 * or text that is not UTF-8) would inject lines there.  Prints a usage
 * error naming the command and returns false when it cannot. */
bool spec_name_usable(const char *cmd, const char *path);

/* Parse "--phase bootstrap|full" into *bootstrap; false (printed, naming
 * cmd) for another value. */
bool parse_phase(const char *cmd, const char *s, bool *bootstrap);

/* Parse "--testid ID" into *id: seed 004's rule, lowercase letters and
 * digits starting with a letter; false (printed, naming cmd) otherwise. */
bool parse_testid(const char *cmd, const char *s, const char **id);

/* The spec as outputs' headers name it, so that `asbgen render NAME` run at
 * the top of the repository regenerates them: its path from the nearest
 * directory at or above it that holds .git (environments/usdfdev.yaml),
 * else its file name; "-" for standard input.  The same whatever the
 * working directory or the form of path. */
struct arena;
const char *spec_display_name(struct arena *a, const char *path);

/* A spec given as "-" is read from standard input and named this in
 * diagnostics. */
#define SPEC_STDIN_LABEL "<stdin>"
struct diags;
/* Standard input, whole (at most LOAD_MAX_FILE bytes), in a; NULL after
 * reporting. */
char *read_stdin_text(struct arena *a, struct diags *d, size_t *len);

/* Add a SPEC argument to (*specs)[*n] (grown in c's arena): a file, "-"
 * (once), or a directory, for its .yaml and .yml files below it, sorted
 * (as `asbgen check` reads one).  Prints a usage error naming cmd and
 * returns false for an unusable name, an empty directory or a second "-";
 * an unreadable directory is reported to c's diagnostics (false). */
bool spec_args_add(struct ctx *c, const char *cmd, const char *arg, const char ***specs, size_t *n,
		   size_t *cap);

/* Print "asbgen CMD: unknown option 'OPT'", with the closest option that
 * the command's help text names. */
void unknown_option(const char *cmd, const char *opt, const char *help);
/* The options a help text names (words starting with - or --), each once,
 * in order of first mention: at most max, as pointers into help with
 * their lengths.  Completion scripts are made of them. */
size_t help_option_list(const char *help, const char **opts, size_t *lens, size_t max);

/* Parse "--format text|json|github". */
bool parse_format(const char *s, enum diag_format *f);

struct value;
/* Load a spec, check it against the environment schema, fill in the
 * schema's defaults, build its model and run the semantic checks on it
 * (spec.c).  Returns the model; NULL when the spec is not valid. */
struct value *model_load(struct ctx *c, const char *path);
/* The same for a spec given as text (a spec at a git revision); label
 * names it in diagnostics, spec_name in the outputs' headers. */
struct value *model_load_text(struct ctx *c, const char *label, const char *spec_name, const char *text,
			      size_t len);

/* The same for a spec tree built in memory (asbgen import). */
struct value *model_load_tree(struct ctx *c, struct value *spec, const char *spec_name);

int cmd_render(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_validate(int argc, char **argv);
int cmd_model(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_status(int argc, char **argv);
int cmd_pin(int argc, char **argv);
int cmd_teardown(int argc, char **argv);
int cmd_schema(int argc, char **argv);
int cmd_completion(int argc, char **argv);
int cmd_version(int argc, char **argv);

/* Each command's --help text (in its cmd_NAME.c). */
extern const char *const cmd_render_help, *const cmd_validate_help, *const cmd_model_help,
	*const cmd_check_help, *const cmd_diff_help, *const cmd_status_help, *const cmd_pin_help, *const cmd_teardown_help, *const cmd_schema_help, *const cmd_completion_help,
	*const cmd_version_help, *const cmd_import_help;

/* The subcommands (commands.c), in the order of `asbgen --help`. */
struct command {
	const char *name;
	int (*fn)(int, char **);
	const char *const *help;
};
extern const struct command commands[];
extern const size_t ncommands;
/* The command called name, or NULL. */
const struct command *command_find(const char *name);
/* The top-level usage (main.c). */
extern const char asbgen_usage[];

#endif
