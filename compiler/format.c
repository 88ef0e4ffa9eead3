/* format.c - the table of output formats (see format.h). */
#include "format.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "readers.h"

static const struct out_format formats[] = {
	/* Block style at column 0: a list's items and a mapping's entries
	 * are lines of their own ("[]" and "{}" only when empty). */
	{ "yaml", { "yaml", "yml" }, emit_yaml, true, NULL, "# ", "", FMT_PARTS(V_SEQ) | FMT_PARTS(V_MAP),
	  emit_yaml_shared, &emit_yaml_lines },
	{ "json", { "json" }, emit_json, true, NULL, NULL, NULL, 0, NULL, NULL },
	{ "hcl", { "tfvars", "hcl" }, emit_hcl, false, read_tfvars, "# ", "", 0, NULL, NULL },
	{ "properties", { "properties" }, emit_properties, false, read_properties, "# ", "", 0, NULL,
	  &emit_properties_lines },
	/* kcat -F and the Python line of the clients' README read it. */
	{ "librdkafka", { "conf" }, emit_librdkafka, false, read_librdkafka, "# ", "", 0, NULL,
	  &emit_librdkafka_lines },
	{ "text", { "md" }, emit_text, false, read_text, "<!-- ", " -->", FMT_PARTS(V_SEQ), NULL, NULL },
};

#define NFORMATS (sizeof formats / sizeof formats[0])

const struct out_format *format_for_ext(const char *ext)
{
	if (!ext)
		return NULL;
	if (*ext == '.')
		ext++;
	/* The first letters compared first: every output's path is looked
	 * up, 40,000 for 10,000 users. */
	char first = (char)tolower((unsigned char)ext[0]);
	for (size_t i = 0; i < NFORMATS; i++)
		for (size_t k = 0; k < sizeof formats[i].exts / sizeof *formats[i].exts && formats[i].exts[k]; k++)
			if (formats[i].exts[k][0] == first && !strcasecmp(ext, formats[i].exts[k]))
				return &formats[i];
	return NULL;
}

const struct out_format *format_for_path(const char *path)
{
	if (!path)
		return NULL;
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	const char *dot = strrchr(base, '.');
	return dot && dot != base ? format_for_ext(dot + 1) : NULL;
}

const char *format_hint(struct buf *b)
{
	buf_reset(b);
	buf_puts(b, "name outputs ");
	for (size_t i = 0; i < NFORMATS; i++)
		buf_printf(b, "%s.%s", i == 0 ? "" : i + 1 < NFORMATS ? ", " : " or ", formats[i].exts[0]);
	return b->data;
}

emit_fn emit_for_path(const char *path)
{
	const struct out_format *f = format_for_path(path);
	return f ? f->emit : NULL;
}

const char *emit_comment_prefix(const char *path)
{
	const struct out_format *f = format_for_path(path);
	return f ? f->comment : NULL;
}
