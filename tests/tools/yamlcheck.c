/* yamlcheck - parse YAML files with libyaml, the independent parser.
 *
 *   yamlcheck FILE...          exit 1 with "file:line:col: message" on the
 *                              first error of each bad file (all documents)
 *   yamlcheck --dump FILE...   also print the event stream, one event a line,
 *                              in the yaml-test-suite notation:
 *                                +STR -STR +DOC -DOC +MAP -MAP +SEQ -SEQ
 *                                =VAL <style><value>   style ':' plain,
 *                                "'" single, '"' double, '|' literal, '>' folded
 *                                =ALI *name
 *                              values escaped: \\ \n \t \r \0 \xNN
 *
 * A scalar written ':' (plain) is one a resolver may type; any other style is
 * a string.  "-" reads standard input.
 */
#include <stdio.h>
#include <string.h>
#include <yaml.h>

static void put_escaped(const unsigned char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = s[i];
		switch (c) {
		case '\\': fputs("\\\\", stdout); break;
		case '\n': fputs("\\n", stdout); break;
		case '\t': fputs("\\t", stdout); break;
		case '\r': fputs("\\r", stdout); break;
		case 0: fputs("\\0", stdout); break;
		default:
			if (c < 0x20 || c == 0x7F)
				printf("\\x%02X", c);
			else
				putchar(c);
		}
	}
}

static int check(const char *path, int dump)
{
	FILE *fp = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	if (!fp) {
		fprintf(stderr, "%s:0:0: cannot open\n", path);
		return 1;
	}
	yaml_parser_t p;
	yaml_event_t ev;
	int rc = 0, done = 0;
	yaml_parser_initialize(&p);
	yaml_parser_set_input_file(&p, fp);
	while (!done) {
		if (!yaml_parser_parse(&p, &ev)) {
			yaml_mark_t m = p.problem_mark;
			if (p.context)
				fprintf(stderr, "%s:%zu:%zu: %s %s\n", path, m.line + 1, m.column + 1,
					p.context, p.problem ? p.problem : "");
			else
				fprintf(stderr, "%s:%zu:%zu: %s\n", path, m.line + 1, m.column + 1,
					p.problem ? p.problem : "parse error");
			rc = 1;
			break;
		}
		if (dump) {
			switch (ev.type) {
			case YAML_STREAM_START_EVENT: puts("+STR"); break;
			case YAML_STREAM_END_EVENT: puts("-STR"); break;
			case YAML_DOCUMENT_START_EVENT: puts("+DOC"); break;
			case YAML_DOCUMENT_END_EVENT: puts("-DOC"); break;
			case YAML_MAPPING_START_EVENT: puts("+MAP"); break;
			case YAML_MAPPING_END_EVENT: puts("-MAP"); break;
			case YAML_SEQUENCE_START_EVENT: puts("+SEQ"); break;
			case YAML_SEQUENCE_END_EVENT: puts("-SEQ"); break;
			case YAML_ALIAS_EVENT: printf("=ALI *%s\n", (const char *)ev.data.alias.anchor); break;
			case YAML_SCALAR_EVENT: {
				char style = ':';
				switch (ev.data.scalar.style) {
				case YAML_SINGLE_QUOTED_SCALAR_STYLE: style = '\''; break;
				case YAML_DOUBLE_QUOTED_SCALAR_STYLE: style = '"'; break;
				case YAML_LITERAL_SCALAR_STYLE: style = '|'; break;
				case YAML_FOLDED_SCALAR_STYLE: style = '>'; break;
				default: break;
				}
				printf("=VAL %c", style);
				put_escaped(ev.data.scalar.value, ev.data.scalar.length);
				putchar('\n');
				break;
			}
			default: break;
			}
		}
		done = ev.type == YAML_STREAM_END_EVENT;
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&p);
	if (fp != stdin)
		fclose(fp);
	return rc;
}

int main(int argc, char **argv)
{
	int dump = 0, rc = 0, i = 1;
	if (i < argc && strcmp(argv[i], "--dump") == 0)
		dump = 1, i++;
	if (i >= argc) {
		fprintf(stderr, "usage: yamlcheck [--dump] FILE...\n");
		return 2;
	}
	for (; i < argc; i++)
		rc |= check(argv[i], dump);
	return rc;
}
