/* test_schema_suite.c - the official JSON-Schema-Test-Suite (draft7) against
 * compiler/schema.c.
 *
 * Every case of every draft7 file (and of the optional files listed below)
 * is run: the case's data is converted with value_from_json and checked with
 * schema_is_valid against the expected "valid".  Cases asbgen does not
 * implement are listed in skips[] with the reason; a skip entry that matches
 * nothing is itself a failure, so the table cannot go stale silently.
 *
 * Remote refs (http://localhost:1234/...) are served from the suite's
 * remotes/ directory, and the draft-07 meta-schema from
 * tests/unit/data/json-schema-draft-07.json, through schema_set_fetch.
 *
 * The suite is found at $JSON_SCHEMA_TEST_SUITE, else
 * /usr/share/json-schema-test-suite (Debian package json-schema-test-suite).
 */
#include <glob.h>
#include <libgen.h>
#include <unistd.h>
#include <stdlib.h>

#include "arena.h"
#include "json_value.h"
#include "schema.h"
#include "unit.h"

struct skip {
	const char *file;  /* relative to tests/draft7 */
	const char *group; /* NULL: the whole file */
	const char *test;  /* NULL: the whole group */
	const char *why;
	int used;
};

static struct skip skips[] = {
	{ "optional/content.json", NULL, NULL,
	  "contentMediaType/contentEncoding are annotations asbgen does not check", 0 },
};

static const char *optional_files[] = {
	"optional/bignum.json",
	"optional/content.json",
	"optional/ecmascript-regex.json",
	"optional/zeroTerminatedFloats.json",
	"optional/format/hostname.json",
	"optional/format/ipv4.json",
	"optional/format/ipv6.json",
	"optional/format/uri.json",
};

static const char *suite_dir;
static int skipped; /* passes and failures count in unit.h's unit_passed, unit_failed */

static struct skip *find_skip(const char *file, const char *group, const char *test)
{
	for (size_t i = 0; i < sizeof skips / sizeof skips[0]; i++) {
		struct skip *s = &skips[i];
		if (strcmp(s->file, file) == 0 && (!s->group || strcmp(s->group, group) == 0) &&
		    (!s->test || strcmp(s->test, test) == 0))
			return s;
	}
	return NULL;
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
		/* tests/unit/data, from the source tree root (where tests run) or
		 * from the binary's place, <build>/tests/. */
		snprintf(path, sizeof path, "tests/unit/data/json-schema-draft-07.json");
		char exe[2048];
		ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
		if (access(path, R_OK) != 0 && n > 0) {
			exe[n] = '\0';
			snprintf(path, sizeof path, "%s/../../tests/unit/data/json-schema-draft-07.json", dirname(exe));
		}
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

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int main(void)
{
	suite_dir = getenv("JSON_SCHEMA_TEST_SUITE");
	if (!suite_dir || !*suite_dir)
		suite_dir = "/usr/share/json-schema-test-suite";
	char pat[4096];
	snprintf(pat, sizeof pat, "%s/tests/draft7/*.json", suite_dir);
	glob_t gl;
	if (glob(pat, 0, NULL, &gl) != 0 || gl.gl_pathc == 0) {
		printf("# JSON-Schema-Test-Suite not found at %s (install json-schema-test-suite)\n", suite_dir);
		printf("# JSON-Schema-Test-Suite draft7: 0 passed, 0 failed, 0 skipped\n");
		return 0;
	}
	size_t nf = gl.gl_pathc;
	const char **files = xmalloc(nf * sizeof *files);
	for (size_t i = 0; i < nf; i++)
		files[i] = strrchr(gl.gl_pathv[i], '/') + 1;
	qsort(files, nf, sizeof *files, cmp_str);
	for (size_t i = 0; i < nf; i++)
		run_file(files[i]);
	for (size_t i = 0; i < sizeof optional_files / sizeof optional_files[0]; i++)
		run_file(optional_files[i]);
	free(files);
	globfree(&gl);

	for (size_t i = 0; i < sizeof skips / sizeof skips[0]; i++) {
		const struct skip *s = &skips[i];
		if (!s->used) {
			unit_failed++;
			printf("not ok - skip entry matches no case: %s: %s: %s\n", s->file,
			       s->group ? s->group : "*", s->test ? s->test : "*");
		}
	}
	/* Each skipped case was listed ("# skip - ...") where it occurs; the
	 * summary repeats the table so the reasons are seen beside the count. */
	printf("# skip entries:\n");
	for (size_t i = 0; i < sizeof skips / sizeof skips[0]; i++) {
		const struct skip *s = &skips[i];
		printf("#   %s: %s: %s (%d case%s): %s\n", s->file, s->group ? s->group : "*",
		       s->test ? s->test : "*", s->used, s->used == 1 ? "" : "s", s->why);
	}
	printf("# JSON-Schema-Test-Suite draft7: %d passed, %d failed, %d skipped\n", unit_passed, unit_failed, skipped);
	return unit_failed ? 1 : 0;
}
