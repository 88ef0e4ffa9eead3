/* test_template_cache.c - rendering with templates compiled once (what
 * validate does for many specs) gives the same bytes as rendering each
 * spec on its own, spec after spec, whatever the order. */
#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "emit.h"
#include "load.h"
#include "model.h"
#include "template.h"
#include "unit.h"
#include "unit_spec.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const specs[] = {
	"environments/usdfdev.yaml", "environments/minimal.yaml", "environments/idfint.yaml",
};
#define NSPECS (sizeof specs / sizeof specs[0])

/* Every output of a spec, emitted and concatenated; NULL on failure. */
static char *render_all(const char *path, struct tmpl_cache *tc)
{
	struct arena *a = arena_new();
	struct diags d;
	diags_init(&d, a);
	char *result = NULL;
	struct value *spec = unit_spec_file(a, &d, path);
	struct value *model = spec ? model_build(a, &d, spec, "spec.yaml") : NULL;
	struct tmpl_set ts = { 0 };
	if (model && templates_render_cached(a, &d, "templates", model, &ts, tc) == 0) {
		struct buf b = BUF_INIT;
		bool ok = true;
		for (size_t i = 0; i < ts.n && ok; i++) {
			emit_fn emit = emit_for_path(ts.items[i].path);
			buf_printf(&b, "--- %s\n", ts.items[i].path);
			ok = emit && emit(&b, ts.items[i].doc, &d) == 0;
		}
		if (ok)
			result = xstrdup(buf_cstr(&b));
		buf_free(&b);
	}
	diags_free(&d);
	arena_free(a);
	return result;
}

int main(void)
{
	char *alone[NSPECS];
	for (size_t i = 0; i < NSPECS; i++) {
		alone[i] = render_all(specs[i], NULL);
		CHECK(specs[i], alone[i] != NULL);
	}
	/* Twice through, so every spec also follows every other. */
	struct tmpl_cache *tc = tmpl_cache_new();
	for (size_t round = 0; round < 2; round++)
		for (size_t k = 0; k < NSPECS; k++) {
			size_t i = round ? NSPECS - 1 - k : k;
			char *got = render_all(specs[i], tc);
			char name[128];
			snprintf(name, sizeof name, "cached render of %s, round %zu, equals the plain one", specs[i], round + 1);
			CHECK(name, got && alone[i] && strcmp(got, alone[i]) == 0);
			free(got);
		}
	tmpl_cache_free(tc);
	for (size_t i = 0; i < NSPECS; i++)
		free(alone[i]);
	return UNIT_DONE();
}
