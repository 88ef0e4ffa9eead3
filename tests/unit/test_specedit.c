/* test_specedit.c - in-place edits of a spec: each byte not edited stays. */
#include "arena.h"
#include "diag.h"
#include "load.h"
#include "specedit.h"
#include "unit.h"
#include "value.h"

#include <stdlib.h>

/* Load text, apply set (path "a.b" = value) or add (map path, key) and
 * compare the result; want NULL: the edit must be refused. */
static void edit(const char *name, const char *text, const char *path, const char *add_key, const char *val,
		 const char *want)
{
	struct arena *a = arena_new();
	struct diags d;
	diags_init(&d, a);
	struct value *doc = load_yaml_string(a, &d, "t.yaml", text, strlen(text));
	struct value *v = doc ? v_path(doc, path) : NULL;
	struct specedit e;
	specedit_init(&e, a, text, strlen(text));
	const char *why = NULL;
	int r = !v ? -1 : add_key ? specedit_add(&e, v, add_key, val, &why) : specedit_set(&e, v, val, &why);
	size_t n = 0;
	const char *got = r == 0 ? specedit_result(&e, &n) : NULL;
	char label[200];
	snprintf(label, sizeof label, "specedit: %s", name);
	if (want)
		CHECK_STR(label, got, want);
	else
		CHECK(label, r < 0 && why && *why);
	diags_free(&d);
	arena_free(a);
}

int main(void)
{
	edit("a plain scalar, its comment kept", "x:\n  ip: 1.2.3.4   # pinned\n", "x.ip", NULL, "5.6.7.8",
	     "x:\n  ip: 5.6.7.8   # pinned\n");
	edit("a quoted scalar", "x: {ip: '1.2.3.4', h: a}\n", "x.ip", NULL, "9.9.9.9", "x: {ip: 9.9.9.9, h: a}\n");
	edit("a tagged value is refused", "x:\n  ip: !!str 1.2.3.4\n", "x.ip", NULL, "5.6.7.8", NULL);
	edit("a key added to a flow mapping", "b: {host: h.example.org}  # bootstrap\n", "b", "ip", "1.1.1.1",
	     "b: {host: h.example.org, ip: 1.1.1.1}  # bootstrap\n");
	edit("a key added to an empty flow mapping", "b: {}\n", "b", "ip", "1.1.1.1", "b: {ip: 1.1.1.1}\n");
	edit("a key added to a block mapping, under its first key", "e:\n  b:\n    host: h  # the host\n    port: 1\nz: 2\n",
	     "e.b", "ip", "1.1.1.1", "e:\n  b:\n    host: h  # the host\n    ip: 1.1.1.1\n    port: 1\nz: 2\n");
	edit("a block mapping at the end of a file without a newline", "b:\n  host: h", "b", "ip", "1.1.1.1",
	     "b:\n  host: h\n  ip: 1.1.1.1\n");
	edit("columns count characters, not bytes", "x: {h: \"é\", ip: 1.2.3.4}\n", "x.ip", NULL, "5.6.7.8",
	     "x: {h: \"é\", ip: 5.6.7.8}\n");
	edit("an anchored value is refused", "x:\n  ip: &a 1.2.3.4\n", "x.ip", NULL, "5.6.7.8", NULL);
	edit("a flow mapping with a comment inside is refused", "b: {host: h, # c\n  port: 1}\n", "b", "ip", "1.1.1.1",
	     NULL);
	edit("a block mapping whose first value is a block is refused", "b:\n  host:\n    x: 1\n", "b", "ip", "1", NULL);
	return UNIT_DONE();
}
