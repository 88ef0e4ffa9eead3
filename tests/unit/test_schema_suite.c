/* test_schema_suite.c - the official JSON-Schema-Test-Suite (draft7) against
 * compiler/schema.c, in one process.
 *
 * Every case of every file below tests/draft7 (optional ones included) is
 * run: the case's data is converted with value_from_json and checked with
 * schema_is_valid against the expected "valid".  Cases asbgen does not pass
 * are listed, with the reason, in tests/schema-suite-skips.txt, the table
 * tests/schema_suite.py (the same suite through `asbgen check`, one case
 * per process) reads too; entries marked "check" apply only there.  A skip
 * entry that matches nothing is itself a failure, so the table cannot go
 * stale silently.
 *
 * Remote refs (http://localhost:1234/...) are served from the suite's
 * remotes/ directory, and the draft-07 meta-schema from
 * tests/unit/data/json-schema-draft-07.json, through schema_set_fetch.
 *
 * The suite is found at $JSON_SCHEMA_TEST_SUITE, else
 * /usr/share/json-schema-test-suite (Debian package json-schema-test-suite).
 */
#include <libgen.h>
#include <unistd.h>
#include <stdlib.h>

#include "arena.h"
#include "diag.h"
#include "dirwalk.h"
#include "json_value.h"
#include "schema.h"
#include "unit.h"

struct skip {
	char *file;  /* relative to tests/draft7 */
	char *group; /* NULL: any */
	char *test;  /* NULL: any */
	char *why;
	int used;
};

static struct skip *skips;
static size_t nskips;
static const char *suite_dir;
static int skipped; /* passes and failures count in unit.h's unit_passed, unit_failed */

static struct skip *find_skip(const char *file, const char *group, const char *test)
{
	for (size_t i = 0; i < nskips; i++) {
		struct skip *s = &skips[i];
		if (strcmp(s->file, file) == 0 && (!s->group || strcmp(s->group, group) == 0) &&
		    (!s->test || strcmp(s->test, test) == 0))
			return s;
	}
	return NULL;
}

/* A file of the source tree, from the root (where tests run) or from the
 * binary's place, <build>/tests/. */
static void source_path(char *path, size_t size, const char *rel)
{
	snprintf(path, size, "%s", rel);
	char exe[2048];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (access(path, R_OK) != 0 && n > 0) {
		exe[n] = '\0';
		snprintf(path, size, "%s/../../%s", dirname(exe), rel);
	}
}

static char *field(char **p)
{
	char *f = *p, *bar = strstr(f, " | ");
	if (bar) {
		*bar = '\0';
		*p = bar + 3;
	} else {
		*p = f + strlen(f);
	}
	return f;
}

/* tests/schema-suite-skips.txt: FILE | GROUP | TEST | both|check | WHY */
static bool read_skips(void)
{
	char path[4096], line[4096];
	source_path(path, sizeof path, "tests/schema-suite-skips.txt");
	FILE *f = fopen(path, "r");
	if (!f) {
		printf("not ok - cannot read %s\n", path);
		unit_failed++;
		return false;
	}
	while (fgets(line, sizeof line, f)) {
		line[strcspn(line, "\n")] = '\0';
		if (!line[0] || line[0] == '#')
			continue;
		char *p = line;
		char *file = field(&p), *group = field(&p), *test = field(&p), *run = field(&p), *why = p;
		if (!*why || (strcmp(run, "both") && strcmp(run, "check"))) {
			printf("not ok - %s: bad line: %s\n", path, line);
			unit_failed++;
			continue;
		}
		if (strcmp(run, "both"))
			continue; /* only `asbgen check`, one case per process, skips it */
		skips = xrealloc(skips, (nskips + 1) * sizeof *skips);
		skips[nskips++] = (struct skip){ xstrdup(file), strcmp(group, "*") ? xstrdup(group) : NULL,
						 strcmp(test, "*") ? xstrdup(test) : NULL, xstrdup(why), 0 };
	}
	fclose(f);
	return true;
}

static json_t *load_json(const char *path)
{
	json_error_t err;
	json_t *j = json_load_file(path, JSON_ALLOW_NUL, &err);
	if (!j) /* bignum.json: integers beyond 64 bits */
		j = json_load_file(path, JSON_ALLOW_NUL | JSON_DECODE_INT_AS_REAL, &err);
	if (!j)
		fprintf(stderr, "%s:%d:%d: %s\n", path, err.line, err.column, err.text);
	return j;
}

static json_t *fetch(const char *uri, void *ctx)
{
	(void)ctx;
	char path[4096];
	const char *remote = "http://localhost:1234/";
	if (strncmp(uri, remote, strlen(remote)) == 0) {
		snprintf(path, sizeof path, "%s/remotes/%s", suite_dir, uri + strlen(remote));
	} else if (strcmp(uri, "http://json-schema.org/draft-07/schema") == 0) {
		source_path(path, sizeof path, "tests/unit/data/json-schema-draft-07.json");
	} else {
		return NULL;
	}
	return load_json(path);
}

static void run_file(const char *rel)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/tests/draft7/%s", suite_dir, rel);
	json_t *groups = load_json(path);
	if (!groups) {
		printf("not ok - %s: cannot load\n", rel);
		unit_failed++;
		return;
	}
	struct arena *a = arena_new();
	size_t gi;
	json_t *g;
	json_array_foreach(groups, gi, g) {
		const char *gdesc = json_string_value(json_object_get(g, "description"));
		json_t *tests = json_object_get(g, "tests");
		struct schema *s = NULL;
		size_t ti;
		json_t *t;
		json_array_foreach(tests, ti, t) {
			const char *tdesc = json_string_value(json_object_get(t, "description"));
			struct skip *sk = find_skip(rel, gdesc, tdesc);
			if (sk) {
				sk->used++;
				skipped++;
				printf("# skip - %s: %s: %s: %s\n", rel, gdesc, tdesc, sk->why);
				continue;
			}
			if (!s) {
				s = schema_from_json(a, json_incref(json_object_get(g, "schema")), rel);
				schema_set_fetch(s, fetch, NULL);
			}
			struct value *v = value_from_json(a, json_object_get(t, "data"), rel);
			bool want = json_is_true(json_object_get(t, "valid"));
			bool got = schema_is_valid(s, v);
			if (got == want) {
				unit_passed++;
				printf("ok - %s: %s: %s\n", rel, gdesc, tdesc);
			} else {
				unit_failed++;
				printf("not ok - %s: %s: %s (expected %s)\n", rel, gdesc, tdesc,
				       want ? "valid" : "invalid");
			}
		}
		schema_free(s);
	}
	arena_free(a);
	json_decref(groups);
}

int main(void)
{
	suite_dir = getenv("JSON_SCHEMA_TEST_SUITE");
	if (!suite_dir || !*suite_dir)
		suite_dir = "/usr/share/json-schema-test-suite";
	char root[4096];
	snprintf(root, sizeof root, "%s/tests/draft7", suite_dir);
	struct arena *a = arena_new();
	struct diags d;
	diags_init(&d, a);
	static const char *const exts[] = { ".json", NULL };
	struct pathlist files = { 0 };
	if (access(root, R_OK) != 0 || !dirwalk_collect(a, &d, root, exts, "io", &files) || files.n == 0) {
		printf("# JSON-Schema-Test-Suite not found at %s (install json-schema-test-suite)\n", suite_dir);
		printf("# JSON-Schema-Test-Suite draft7: 0 passed, 0 failed, 0 skipped\n");
		arena_free(a);
		return 0;
	}
	if (read_skips())
		for (size_t i = 0; i < files.n; i++)
			run_file(files.items[i] + strlen(root) + 1);

	for (size_t i = 0; i < nskips; i++) {
		const struct skip *s = &skips[i];
		if (!s->used) {
			unit_failed++;
			printf("not ok - skip entry matches no case: %s: %s: %s\n", s->file,
			       s->group ? s->group : "*", s->test ? s->test : "*");
		}
	}
	/* Each skipped case was listed ("# skip - ...") where it occurs; the
	 * summary repeats the table so the reasons are seen beside the count. */
	printf("# skip entries (tests/schema-suite-skips.txt, run \"both\"):\n");
	for (size_t i = 0; i < nskips; i++) {
		struct skip *s = &skips[i];
		printf("#   %s: %s: %s (%d case%s): %s\n", s->file, s->group ? s->group : "*",
		       s->test ? s->test : "*", s->used, s->used == 1 ? "" : "s", s->why);
		free(s->file);
		free(s->group);
		free(s->test);
		free(s->why);
	}
	free(skips);
	printf("# JSON-Schema-Test-Suite draft7: %d passed, %d failed, %d skipped, %zu files\n", unit_passed,
	       unit_failed, skipped, files.n);
	diags_free(&d);
	arena_free(a);
	return unit_failed ? 1 : 0;
}
