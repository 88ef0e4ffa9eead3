/* schemacheck - validate JSON (or YAML) files against a JSON Schema with
 * asbgen's own engine (compiler/schema.c), as the diff tests do with
 * schemas/diff.schema.json.
 *
 *   schemacheck SCHEMA FILE...   exit 0 when every file is valid, else 1
 *                                with the diagnostics on stderr; 2 when a
 *                                file or the schema cannot be read
 */
#include <stdio.h>

#include "arena.h"
#include "diag.h"
#include "load.h"
#include "schema.h"

int main(int argc, char **argv)
{
	if (argc < 3) {
		fputs("usage: schemacheck SCHEMA FILE...\n", stderr);
		return 2;
	}
	struct arena *a = arena_new();
	struct diags d;
	diags_init(&d, a);
	int rc = 0;
	struct schema *s = schema_load(a, &d, argv[1]);
	if (!s) {
		rc = 2;
	} else {
		for (int i = 2; i < argc; i++) {
			size_t before = d.nerrors;
			struct value *doc = load_yaml_file(a, &d, argv[i]);
			if (!doc) {
				rc = 2;
				continue;
			}
			if (schema_validate(&d, s, doc) > 0 || d.nerrors > before)
				rc = rc ? rc : 1;
		}
		schema_free(s);
	}
	diags_sort(&d);
	diags_print(stderr, &d, DIAG_TEXT, false);
	diags_free(&d);
	arena_free(a);
	return rc;
}
