/* cli.c - helpers shared by the subcommands. */
#include "cli.h"
#include "arena.h"
#include "kube.h"
#include "live.h"
#include "buf.h"
#include "load.h"
#include "schema.h"

#include "dirwalk.h"
#include "suggest.h"
#include "testid.h"

#include <ctype.h>
#include <errno.h>
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
	/* JSON is the command's output; GitHub reads workflow commands on
	 * standard output (its documentation's word). */
	if (c->format == DIAG_JSON || c->diags.n)
		diags_print(c->format == DIAG_TEXT ? stderr : stdout, &c->diags, c->format,
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

int cli_live_option(const char *cmd, int argc, char **argv, int *i, struct live_opts *lo)
{
	const char *v;
	int r;
	if (!strcmp(argv[*i], "--insecure-skip-tls-verify")) {
		lo->insecure = true;
		return 1;
	}
	if ((r = opt_value(argc, argv, i, "--kubeconfig", &v)) != 0) {
		if (r > 0 && !*v) {
			fprintf(stderr, "asbgen %s: --kubeconfig needs a path, not an empty string\n", cmd);
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
			fprintf(stderr, "asbgen %s: --request-timeout '%s' is not a duration (30s, 500ms, 2m, 0 for none)\n",
				cmd, v);
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

bool parse_testid(const char *cmd, const char *s, const char **id)
{
	if (!testid_valid(s)) {
		fprintf(stderr, "asbgen %s: --testid '", cmd);
		diag_escape_text(stderr, s);
		fprintf(stderr, "' is not a testid: lowercase letters and digits, starting with a letter (t1, alice2)\n");
		return false;
	}
	*id = s;
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

/* Why name cannot go into outputs, or NULL. */
static const char *name_problem(const char *name)
{
	const unsigned char *s = (const unsigned char *)name;
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
	return why;
}

bool spec_name_usable(const char *cmd, const char *path)
{
	const char *s = path_base(path), *why = name_problem(s);
	if (!why)
		return true;
	fprintf(stderr, "asbgen %s: the spec file name '", cmd);
	diag_escape_text(stderr, s);
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

const char *spec_display_name(struct arena *a, const char *path)
{
	if (!strcmp(path, "-"))
		return "-";
	const char *base = path_base(path);
	const char *dir = base == path ? "." : arena_strndup(a, path, (size_t)(base - path));
	char real[PATH_MAX];
	if (!realpath(dir, real))
		return base;
	/* The nearest directory at or above the spec's that holds .git (a
	 * directory, or the file of a worktree). */
	size_t n = strlen(real);
	for (;;) {
		char *git = arena_printf(a, "%.*s/.git", (int)n, real);
		struct stat st;
		if (lstat(git, &st) == 0) {
			const char *rel = real + n + (real[n] == '/');
			if (n == 1 && real[0] == '/')
				rel = real + 1;
			const char *name = *rel ? arena_printf(a, "%s/%s", rel, base) : base;
			return name_problem(name) ? base : name;
		}
		if (n <= 1)
			return base;
		while (n > 1 && real[n - 1] != '/')
			n--;
		if (n > 1)
			n--; /* the slash */
	}
}

char *read_stdin_text(struct arena *a, struct diags *d, size_t *len)
{
	struct buf b = BUF_INIT;
	char tmp[65536];
	size_t n;
	while ((n = fread(tmp, 1, sizeof tmp, stdin)) > 0) {
		if (b.len + n > LOAD_MAX_FILE) {
			buf_free(&b);
			diag_pos(d, SEV_ERROR, SPEC_STDIN_LABEL, 0, 0, "io", "give the spec as a file",
				 "standard input is larger than %u MiB", LOAD_MAX_FILE >> 20);
			return NULL;
		}
		buf_add(&b, tmp, n);
	}
	if (ferror(stdin)) {
		buf_free(&b);
		diag_pos(d, SEV_ERROR, SPEC_STDIN_LABEL, 0, 0, "io", NULL, "cannot read standard input: %s",
			 strerror(errno));
		return NULL;
	}
	char *text = arena_strndup(a, b.data ? b.data : "", b.len);
	*len = b.len;
	buf_free(&b);
	return text;
}

bool spec_args_add(struct ctx *c, const char *cmd, const char *arg, const char ***specs, size_t *n,
		   size_t *cap)
{
	struct pathlist pl = { 0 };
	struct stat st;
	if (strcmp(arg, "-") != 0 && stat(arg, &st) == 0 && S_ISDIR(st.st_mode)) {
		static const char *const exts[] = { ".yaml", ".yml", NULL };
		if (!dirwalk_collect(c->arena, &c->diags, arg, exts, "io", &pl))
			return false;
		if (!pl.n) {
			fprintf(stderr, "asbgen %s: directory '%s' holds no .yaml or .yml spec\n", cmd, arg);
			return false;
		}
	} else {
		if (!strcmp(arg, "-"))
			for (size_t i = 0; i < *n; i++)
				if (!strcmp((*specs)[i], "-")) {
					fprintf(stderr, "asbgen %s: '-' (standard input) can be read once\n", cmd);
					return false;
				}
		pl.items = &arg;
		pl.n = 1;
	}
	for (size_t i = 0; i < pl.n; i++) {
		if (!spec_name_usable(cmd, pl.items[i]))
			return false;
		if (*n == *cap) {
			size_t nc = *cap ? 2 * *cap : 16;
			*specs = arena_realloc(c->arena, *specs, *cap * sizeof **specs, nc * sizeof **specs);
			*cap = nc;
		}
		(*specs)[(*n)++] = pl.items[i];
	}
	return true;
}

/* Words that start with '-' after a blank or '['. */
size_t help_option_list(const char *help, const char **opts, size_t *lens, size_t max)
{
	size_t n = 0;
	for (const char *p = help; *p && n < max; p++) {
		if (*p != '-' || (p > help && !isspace((unsigned char)p[-1]) && p[-1] != '['))
			continue;
		size_t k = 1 + (p[1] == '-');
		if (!isalpha((unsigned char)p[k]))
			continue;
		while (isalnum((unsigned char)p[k]) || p[k] == '-')
			k++;
		size_t j = 0;
		while (j < n && !(lens[j] == k && !strncmp(opts[j], p, k)))
			j++;
		if (j == n) {
			opts[n] = p;
			lens[n++] = k;
		}
		p += k - 1;
	}
	return n;
}

void unknown_option(const char *cmd, const char *opt, const char *help)
{
	enum { MAX = 64 };
	const char *opts[MAX];
	size_t lens[MAX];
	char names[MAX][SUGGEST_MAX_LEN + 1];
	const char *cands[MAX];
	size_t n = help_option_list(help, opts, lens, MAX), k = 0;
	for (size_t i = 0; i < n; i++)
		if (lens[i] <= SUGGEST_MAX_LEN) {
			memcpy(names[k], opts[i], lens[i]);
			names[k][lens[i]] = '\0';
			cands[k] = names[k];
			k++;
		}
	size_t on = strcspn(opt, "=");
	const char *near = suggest_closest(opt, on, cands, k);
	fprintf(stderr, "asbgen %s: unknown option '%s'", cmd, opt);
	if (near)
		fprintf(stderr, "; did you mean '%s'?", near);
	fputc('\n', stderr);
}
