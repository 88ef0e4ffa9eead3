/* cli.c - helpers shared by the subcommands. */
#include "cli.h"
#include "arena.h"
#include "kube.h"
#include "live.h"
#include "load.h"
#include "schema.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void ctx_init(struct ctx *c)
{
	memset(c, 0, sizeof *c);
	c->arena = arena_new();
	diags_init(&c->diags, c->arena);
	c->format = DIAG_TEXT;
	c->color = diag_want_color(stderr);
}

void ctx_free(struct ctx *c)
{
	if (c->schema)
		schema_free(c->schema);
	diags_free(&c->diags);
	arena_free(c->arena);
}

void ctx_report(struct ctx *c)
{
	diags_sort(&c->diags);
	if (c->format == DIAG_JSON || c->diags.n)
		diags_print(c->format == DIAG_JSON ? stdout : stderr, &c->diags, c->format,
			    c->format == DIAG_TEXT && c->color);
}

static bool is_dir(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

const char *data_path(struct ctx *c, const char *what)
{
	const char *env = getenv("ASBGEN_DATA");
	if (env && *env)
		return arena_printf(c->arena, "%s/%s", env, what);
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = '\0';
		char *slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			/* In a checkout the binary sits at the top, or in build/. */
			const char *cands[] = { "%s/%s", "%s/../%s", "%s/../share/asbgen/%s" };
			for (size_t i = 0; i < sizeof cands / sizeof cands[0]; i++) {
				char *p = arena_printf(c->arena, cands[i], exe, what);
				if (is_dir(p)) {
					char real[PATH_MAX];
					return realpath(p, real) ? arena_strdup(c->arena, real) : p;
				}
			}
		}
	}
	return what; /* relative to the working directory, as a last resort */
}

int opt_value(int argc, char **argv, int *i, const char *name, const char **val)
{
	size_t n = strlen(name);
	const char *a = argv[*i];
	if (strncmp(a, name, n) != 0)
		return 0;
	if (a[n] == '=') {
		*val = a + n + 1;
		return 1;
	}
	if (a[n] != '\0')
		return 0;
	if (*i + 1 >= argc) {
		fprintf(stderr, "asbgen: option %s needs a value\n", name);
		return -1;
	}
	*val = argv[++*i];
	return 1;
}

void cli_live_defaults(struct live_opts *lo)
{
	memset(lo, 0, sizeof *lo);
	lo->timeout_ms = LIVE_DEFAULT_TIMEOUT_MS;
	lo->src.env = getenv("KUBECONFIG");
	lo->src.home = getenv("HOME");
}

int cli_live_option(int argc, char **argv, int *i, struct live_opts *lo)
{
	const char *v;
	int r;
	if (!strcmp(argv[*i], "--insecure-skip-tls-verify")) {
		lo->insecure = true;
		return 1;
	}
	if ((r = opt_value(argc, argv, i, "--kubeconfig", &v)) != 0) {
		if (r > 0 && !*v) {
			fputs("asbgen: --kubeconfig needs a file\n", stderr);
			return -1;
		}
		lo->src.explicit_path = v;
		return r;
	}
	if ((r = opt_value(argc, argv, i, "--context", &v)) != 0) {
		lo->src.context = v;
		return r;
	}
	if ((r = opt_value(argc, argv, i, "--request-timeout", &v)) != 0) {
		if (r > 0 && !kube_parse_timeout(v, &lo->timeout_ms)) {
			fprintf(stderr, "asbgen: --request-timeout '%s' is not a duration (30s, 500ms, 2m, 0 for none)\n", v);
			return -1;
		}
		return r;
	}
	return 0;
}

bool parse_phase(const char *cmd, const char *s, bool *bootstrap)
{
	if (strcmp(s, "bootstrap") != 0 && strcmp(s, "full") != 0) {
		fprintf(stderr, "asbgen %s: --phase is bootstrap or full, not '%s'\n", cmd, s);
		return false;
	}
	*bootstrap = !strcmp(s, "bootstrap");
	return true;
}

int cli_spec_operand(const char *cmd, const char *arg, const char **spec)
{
	if (arg[0] == '-' && arg[1]) {
		fprintf(stderr, "asbgen %s: unknown option %s\n", cmd, arg);
		return -1;
	}
	if (*spec) {
		fprintf(stderr, "asbgen %s: one SPEC at a time\n", cmd);
		return -1;
	}
	*spec = arg;
	return 0;
}

bool cli_spec_given(const char *cmd, const char *spec)
{
	if (!spec) {
		fprintf(stderr, "asbgen %s: give a SPEC\n", cmd);
		return false;
	}
	return spec_name_usable(cmd, spec);
}

const char *path_base(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

bool spec_name_usable(const char *cmd, const char *path)
{
	const unsigned char *s = (const unsigned char *)path_base(path);
	const char *why = NULL;
	for (size_t i = 0; s[i] && !why; i++) {
		unsigned char c = s[i];
		size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
		bool ok = n > 0 && !(n == 2 && c < 0xC2);
		for (size_t k = 1; ok && k < n; k++)
			ok = (s[i + k] >> 6) == 2;
		if (!ok)
			why = "is not UTF-8";
		else if (c < 0x20 || c == 0x7f || (c == 0xC2 && s[i + 1] < 0xA0))
			why = "has a control character (a line break, tab or escape)";
		else
			i += n - 1;
	}
	if (!why)
		return true;
	fprintf(stderr, "asbgen %s: the spec file name '", cmd);
	diag_escape_text(stderr, (const char *)s);
	fprintf(stderr, "' %s; it is written into every output's header and into the record: rename the file\n",
		why);
	return false;
}

bool parse_format(const char *s, enum diag_format *f)
{
	if (!strcmp(s, "text"))
		*f = DIAG_TEXT;
	else if (!strcmp(s, "json"))
		*f = DIAG_JSON;
	else if (!strcmp(s, "github"))
		*f = DIAG_GITHUB;
	else
		return false;
	return true;
}
