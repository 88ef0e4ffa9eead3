/* cmd_schema.c - `asbgen schema [NAME]`: the JSON Schemas asbgen reads and
 * writes by, for editors and tools outside this repository (their $id is
 * not served anywhere). */
#include "arena.h"
#include "cli.h"
#include "load.h"
#include "suggest.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>

static const char help[] =
	"usage: asbgen schema [NAME]\n"
	"\n"
	"Print a JSON Schema of the installed set: NAME environment (the spec's,\n"
	"the default), diagnostics (validate --format json) or diff (diff --format\n"
	"json); every NAME.schema.json of the schemas directory is one.  For an\n"
	"editor: asbgen schema > environment.schema.json, then point the spec's\n"
	"yaml-language-server $schema comment at it.\n"
	"\n"
	"exit: 0, 2 usage error or no such schema\n";

const char *const cmd_schema_help = help;

#define SCHEMA_EXT ".schema.json"

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The schema names in dir, sorted; n of them. */
static const char **schema_names(struct arena *a, const char *dir, size_t *n)
{
	*n = 0;
	DIR *dp = opendir(dir);
	if (!dp)
		return NULL;
	size_t cap = 8;
	const char **v = arena_alloc(a, cap * sizeof *v);
	struct dirent *de;
	size_t el = strlen(SCHEMA_EXT);
	while ((de = readdir(dp)) != NULL) {
		size_t len = strlen(de->d_name);
		if (len <= el || strcmp(de->d_name + len - el, SCHEMA_EXT) != 0)
			continue;
		if (*n == cap) {
			v = arena_realloc(a, v, cap * sizeof *v, 2 * cap * sizeof *v);
			cap *= 2;
		}
		v[(*n)++] = arena_strndup(a, de->d_name, len - el);
	}
	closedir(dp);
	qsort(v, *n, sizeof *v, name_cmp);
	return v;
}

int cmd_schema(int argc, char **argv)
{
	const char *name = "environment";
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			fputs(help, stdout);
			return EXIT_OK;
		}
		if (argv[i][0] == '-' || i > 1) {
			fprintf(stderr, "asbgen schema: unexpected argument '%s'\n\n%s", argv[i], help);
			return EXIT_USAGE;
		}
		name = argv[i];
	}
	struct ctx c;
	ctx_init(&c);
	const char *dir = data_path(&c, "schemas");
	size_t n;
	const char **names = schema_names(c.arena, dir, &n);
	bool known = false;
	for (size_t i = 0; i < n && !known; i++)
		known = !strcmp(names[i], name);
	int rc = EXIT_OK;
	if (!known) {
		const char *near = suggest_closest(name, strlen(name), names, n);
		fprintf(stderr, "asbgen schema: no schema '%s' in %s (", name, dir);
		for (size_t i = 0; i < n; i++)
			fprintf(stderr, "%s%s", i ? ", " : "", names[i]);
		fprintf(stderr, "%s)%s%s%s\n", n ? "" : "none", near ? "; did you mean '" : "", near ? near : "",
			near ? "'?" : "");
		ctx_free(&c);
		return EXIT_USAGE;
	}
	size_t len;
	const char *text = load_file_text(c.arena, &c.diags, arena_printf(c.arena, "%s/%s" SCHEMA_EXT, dir, name), &len);
	if (!text || fwrite(text, 1, len, stdout) != len || fflush(stdout) != 0) {
		if (!text)
			ctx_report(&c);
		else
			fputs("asbgen schema: cannot write standard output\n", stderr);
		rc = EXIT_USAGE;
	}
	ctx_free(&c);
	return rc;
}
