/* commands.c - the subcommands: name, entry point and --help text, in the
 * order `asbgen --help` lists them.  main.c dispatches through this table;
 * `asbgen completion` and the man page are made from it. */
#include "cli.h"

#include <string.h>

const struct command commands[] = {
	{ "render", cmd_render, &cmd_render_help },
	{ "validate", cmd_validate, &cmd_validate_help },
	{ "model", cmd_model, &cmd_model_help },
	{ "check", cmd_check, &cmd_check_help },
	{ "diff", cmd_diff, &cmd_diff_help },
	{ "import", cmd_import, &cmd_import_help },
	{ "status", cmd_status, &cmd_status_help },
	{ "pin", cmd_pin, &cmd_pin_help },
	{ "teardown", cmd_teardown, &cmd_teardown_help },
	{ "schema", cmd_schema, &cmd_schema_help },
	{ "completion", cmd_completion, &cmd_completion_help },
	{ "version", cmd_version, &cmd_version_help },
};
const size_t ncommands = sizeof commands / sizeof commands[0];

const struct command *command_find(const char *name)
{
	for (size_t i = 0; i < ncommands; i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}
