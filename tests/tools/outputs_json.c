/* outputs_json - the trees asbgen means to write, as JSON, for the tests.
 *
 *   outputs_json [--templates DIR] SPEC [SUFFIX...]
 *
 * Loads SPEC the way `asbgen render` does (load, schema check, model,
 * templates) and prints one JSON object:
 *
 *   {"env": "<name>", "outputs": {"<path>": <tree>, ...}, "merged": {"<path>": "<file>"}}
 *
 * "merged" names the outputs merged into an existing file (a files.yaml
 * `into`): on disk such an output is that file with the tree merged in.
 *
 * with every output whose format (compiler/format.h) is the format of one
 * of the SUFFIXes (default ".tfvars": .tfvars and .hcl), in template order, each tree written by the JSON emitter.  The
 * tests parse the files asbgen wrote with independent parsers (HashiCorp's
 * HCL parser, a Java Properties reader) and compare them with these trees:
 * the files must say what the emitters were given.
 *
 * Templates default to ./templates, schemas to ./schemas (or $ASBGEN_DATA).
 * Exit 0, or 1 with the diagnostics on stderr.
 */
#include "arena.h"
#include "buf.h"
#include "cli.h"
#include "emit.h"
#include "format.h"
#include "model.h"
#include "template.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>


static void put_json_string(struct buf *b, const char *s)
{
	buf_putc(b, '"');
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\') {
			buf_putc(b, '\\');
			buf_putc(b, (char)*p);
		} else if (*p < 0x20) {
			buf_printf(b, "\\u%04x", *p);
		} else {
			buf_putc(b, (char)*p);
		}
	}
	buf_putc(b, '"');
}

int main(int argc, char **argv)
{
	const char *tdir = "templates", *spec_path = NULL;
	const struct out_format **formats = calloc((size_t)argc + 1, sizeof *formats);
	size_t nformats = 0;
	if (!formats)
		return 2;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--templates") && i + 1 < argc)
			tdir = argv[++i];
		else if (!spec_path)
			spec_path = argv[i];
		else if (!(formats[nformats++] = format_for_ext(argv[i]))) {
			fprintf(stderr, "outputs_json: no format has the extension '%s'\n", argv[i]);
			free(formats);
			return 2;
		}
	}
	if (!spec_path) {
		fputs("usage: outputs_json [--templates DIR] SPEC [SUFFIX...]\n", stderr);
		free(formats);
		return 2;
	}
	if (!nformats)
		formats[nformats++] = format_for_ext("tfvars");

	struct ctx c;
	ctx_init(&c);
	c.color = false;
	int rc = 1;
	struct buf out = BUF_INIT, doc = BUF_INIT;
	struct value *model = model_load(&c, spec_path);
	struct tmpl_set ts = { 0 };
	if (!model || templates_render(c.arena, &c.diags, tdir, model, &ts) != 0)
		goto done;

	buf_puts(&out, "{\"env\": ");
	put_json_string(&out, v_as_str(v_path(model, "env.name"), ""));
	buf_puts(&out, ", \"outputs\": {");
	size_t n = 0;
	for (size_t i = 0; i < ts.n; i++) {
		const struct tmpl_output *o = &ts.items[i];
		size_t k;
		for (k = 0; k < nformats; k++)
			if (format_for_path(o->path) == formats[k])
				break;
		if (k == nformats)
			continue;
		buf_reset(&doc);
		if (emit_json(&doc, o->doc, &c.diags) != 0)
			goto done;
		buf_puts(&out, n++ ? ",\n" : "\n");
		put_json_string(&out, o->path);
		buf_puts(&out, ": ");
		buf_add(&out, doc.data ? doc.data : "", doc.len);
	}
	buf_puts(&out, "}, \"merged\": {");
	n = 0;
	for (size_t i = 0; i < ts.n; i++) {
		if (!ts.items[i].into)
			continue;
		buf_puts(&out, n++ ? ",\n" : "\n");
		put_json_string(&out, ts.items[i].path);
		buf_puts(&out, ": ");
		put_json_string(&out, ts.items[i].into);
	}
	buf_puts(&out, "}}\n");
	fwrite(out.data, 1, out.len, stdout);
	rc = fflush(stdout) == 0 ? 0 : 2;
done:
	if (rc == 1)
		ctx_report(&c);
	buf_free(&out);
	buf_free(&doc);
	ctx_free(&c);
	free(formats);
	return rc;
}
