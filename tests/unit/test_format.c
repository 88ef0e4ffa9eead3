/* test_format.c - the table of output formats (compiler/format.h). */
#include <string.h>

#include "buf.h"
#include "emit.h"
#include "format.h"
#include "readers.h"
#include "unit.h"

int main(void)
{
	const struct out_format *y = format_for_path("out/x/kafka.yaml");
	CHECK("yaml: emitter, stream reader, comment", y && y->emit == emit_yaml && y->yaml_stream && !strcmp(y->comment, "# "));
	CHECK("yaml: any case, .yml", format_for_path("a.YAML") == y && format_for_path("a.Yml") == y);
	const struct out_format *j = format_for_path("a.json");
	CHECK("json: emitter, read as YAML, no comment", j && j->emit == emit_json && j->yaml_stream && !j->comment);
	const struct out_format *h = format_for_path("env/prod.tfvars");
	CHECK("hcl: emitter, reader", h && h->emit == emit_hcl && h->read == read_tfvars && !h->yaml_stream);
	CHECK("hcl: .hcl, any case", format_for_path("x.hcl") == h && format_for_path("x.HCL") == h &&
					      format_for_path("x.TfVars") == h);
	const struct out_format *p = format_for_path("client.properties");
	CHECK("properties: emitter, reader", p && p->emit == emit_properties && p->read == read_properties);
	const struct out_format *r = format_for_path("u.conf");
	CHECK("librdkafka: .conf, emitter, reader, # comments",
	      r && r->emit == emit_librdkafka && r->read == read_librdkafka && !r->yaml_stream && !strcmp(r->comment, "# ") &&
		      !strcmp(r->comment_end, ""));
	const struct out_format *t = format_for_path("clients/README.md");
	CHECK("text: .md, emitter, reader, HTML comments", t && t->emit == emit_text && t->read == read_text &&
								   !strcmp(t->comment, "<!-- ") && !strcmp(t->comment_end, " -->"));
	CHECK("unknown: none", !format_for_path("a.txt") && !format_for_path("yaml") && !format_for_path(".yaml") &&
				       !format_for_path("dir.yaml/file") && !format_for_path("a.") && !format_for_path(NULL));
	CHECK("by extension, with or without the dot", format_for_ext(".tfvars") == h && format_for_ext("yml") == y &&
								 !format_for_ext("txt") && !format_for_ext(NULL));
	CHECK("emit_for_path is the table's", emit_for_path("a.HCL") == emit_hcl && !emit_for_path("a.txt"));
	CHECK("emit_comment_prefix is the table's", !strcmp(emit_comment_prefix("a.Properties"), "# ") &&
							 !emit_comment_prefix("a.json"));
	struct buf b = BUF_INIT;
	CHECK_STR("hint names the first extension of each", format_hint(&b),
		  "name outputs .yaml, .json, .tfvars, .properties, .conf or .md");
	buf_free(&b);
	return UNIT_DONE();
}
