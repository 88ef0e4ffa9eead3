/* spec.c - load an environment spec and check it (schema, then semantics). */
#include "cli.h"
#include "load.h"

struct value *spec_load(struct ctx *c, const char *path)
{
	size_t before = c->diags.nerrors;
	struct value *spec = load_yaml_file(c->arena, &c->diags, path);
	if (!spec || c->diags.nerrors > before)
		return NULL;
	return spec;
}
