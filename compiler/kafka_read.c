/* kafka_read.c - the Kafka tables' file format (the .tsv files of
 * schemas/kafka): one kafka-VERSION.tsv (a version's broker and topic options) or strimzi.tsv
 * (what Strimzi forbids) read into kafka_config.h's structs.  Apart from
 * kafka_config.c so that the build's embedgen reads the tables as asbgen
 * does, without the tables it makes. */
#include "kafka_config.h"
#include "arena.h"
#include "diag.h"
#include "version.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#define KAFKA_COLUMNS 11

static const char *const type_names[] = {
	[KT_BOOLEAN] = "boolean", [KT_INT] = "int",       [KT_SHORT] = "short",
	[KT_LONG] = "long",       [KT_DOUBLE] = "double", [KT_STRING] = "string",
	[KT_LIST] = "list",       [KT_CLASS] = "class",   [KT_PASSWORD] = "password",
};

const char *kafka_type_name(enum kafka_type t)
{
	return type_names[t];
}

/* Split line (modified in place) at tabs into at most max columns. */
static size_t split(char *line, char **cols, size_t max)
{
	size_t n = 0;
	for (char *p = line; n < max;) {
		cols[n++] = p;
		char *tab = strchr(p, '\t');
		if (!tab)
			break;
		*tab = '\0';
		p = tab + 1;
	}
	return n;
}

/* A column's text, "-" meaning none.  Columns are kept where split()
 * cut them: the split copy of the file lives as long as the tables. */
static const char *col(const char *s)
{
	return strcmp(s, "-") ? s : NULL;
}

/* The rows of text (a whole file, before next_line cuts it) of each
 * scope: the sizes of their arrays, allocated once. */
static void count_rows(const char *text, size_t *nbroker, size_t *ntopic)
{
	*nbroker = *ntopic = 0;
	for (const char *p = text; *p;) {
		if (p[0] == 'b' && !strncmp(p, "broker\t", 7))
			++*nbroker;
		else if (p[0] == 't' && !strncmp(p, "topic\t", 6))
			++*ntopic;
		const char *nl = strchr(p, '\n');
		if (!nl)
			break;
		p = nl + 1;
	}
}

struct reader {
	struct arena *a;
	struct diags *d;
	const char *path;
	int line;
	bool ok;
};

static void bad(struct reader *r, const char *what)
{
	diag_pos(r->d, SEV_ERROR, r->path, r->line, 1, "kafka-tables",
		 "regenerate the tables: /usr/bin/python3 tests/kafka_tables.py --write", "%s", what);
	r->ok = false;
}

/* The lines of a file that are not comments, one call each. */
static char *next_line(struct reader *r, char **p)
{
	while (**p) {
		char *line = *p, *nl = strchr(line, '\n');
		r->line++;
		if (nl) {
			*nl = '\0';
			*p = nl + 1;
		} else {
			*p += strlen(line);
		}
		if (*line && *line != '#')
			return line;
	}
	return NULL;
}

static bool parse_type(const char *s, enum kafka_type *t)
{
	for (size_t i = 0; i < sizeof type_names / sizeof type_names[0]; i++)
		if (!strcmp(s, type_names[i])) {
			*t = (enum kafka_type)i;
			return true;
		}
	return false;
}

static void push(struct arena *a, void **arr, size_t *n, size_t *cap, size_t size, const void *item)
{
	if (*n == *cap) {
		size_t nc = *cap ? *cap * 2 : 64;
		*arr = arena_realloc(a, *arr, *cap * size, nc * size);
		*cap = nc;
	}
	memcpy((char *)*arr + *n * size, item, size);
	++*n;
}

static const char **names_of(struct arena *a, const struct kafka_option *o, size_t n)
{
	const char **names = arena_alloc(a, (n + 1) * sizeof *names);
	for (size_t i = 0; i < n; i++)
		names[i] = o[i].name;
	return names;
}

static bool read_table(struct reader *r, char *text, struct kafka_table *t)
{
	char *p = text, *line = next_line(r, &p), *cols[KAFKA_COLUMNS + 1];
	if (!line || split(line, cols, 3) != 2 || strcmp(cols[0], "kafka") || version_cmp(cols[1], cols[1])) {
		bad(r, "the first line is not 'kafka<TAB>VERSION'");
		return false;
	}
	t->version = cols[1];
	size_t bcap, tcap;
	count_rows(p, &bcap, &tcap);
	struct kafka_option *b = arena_alloc(r->a, (bcap + 1) * sizeof *b);
	struct kafka_option *tp = arena_alloc(r->a, (tcap + 1) * sizeof *tp);
	while ((line = next_line(r, &p))) {
		struct kafka_option o = { 0 };
		if (split(line, cols, KAFKA_COLUMNS + 1) != KAFKA_COLUMNS || !parse_type(cols[2], &o.type) ||
		    (strcmp(cols[0], "broker") && strcmp(cols[0], "topic"))) {
			bad(r, "not a row of 11 columns: scope (broker or topic), name, type, min, max, or, enum, nonempty, removed, instead, broker");
			return false;
		}
		o.name = cols[1];
		o.min = col(cols[3]);
		o.max = col(cols[4]);
		o.alt = col(cols[5]);
		if (strcmp(cols[6], "-")) {
			char *e = cols[6];
			o.nenums = 1;
			for (char *q = e; *q; q++)
				o.nenums += *q == '|';
			const char **en = arena_alloc(r->a, o.nenums * sizeof *en);
			o.enums = en;
			for (size_t i = 0; i < o.nenums; i++) {
				en[i] = e;
				char *bar = strchr(e, '|');
				if (bar) {
					*bar = '\0';
					e = bar + 1;
				}
			}
		}
		o.nonempty = !strcmp(cols[7], "1");
		o.removed = col(cols[8]);
		o.instead = col(cols[9]);
		o.broker = col(cols[10]);
		/* count_rows saw the same lines: the arrays are large enough. */
		if (cols[0][0] == 'b') {
			assert(t->nbroker < bcap);
			b[t->nbroker++] = o;
		} else {
			assert(t->ntopic < tcap);
			tp[t->ntopic++] = o;
		}
	}
	t->broker = b;
	t->topic = tp;
	t->broker_names = names_of(r->a, b, t->nbroker);
	t->topic_names = names_of(r->a, tp, t->ntopic);
	return true;
}

static bool read_strimzi(struct reader *r, char *text, struct kafka_strimzi *s)
{
	char *p = text, *line, *cols[4];
	size_t fcap = 0, wcap = 0, ecap = 0, lcap = 0, nw = 0;
	while ((line = next_line(r, &p))) {
		if (split(line, cols, 4) != 3) {
			bad(r, "not a row of 3 columns: kind (forbidden, exception, listener), name, where asbgen sets it");
			return false;
		}
		const char *name = cols[1], *where = col(cols[2]);
		if (!strcmp(cols[0], "forbidden") && where) {
			push(r->a, (void **)&s->forbidden, &s->nforbidden, &fcap, sizeof name, &name);
			push(r->a, (void **)&s->where, &nw, &wcap, sizeof where, &where);
		} else if (!strcmp(cols[0], "exception")) {
			push(r->a, (void **)&s->exceptions, &s->nexceptions, &ecap, sizeof name, &name);
		} else if (!strcmp(cols[0], "listener")) {
			push(r->a, (void **)&s->listener, &s->nlistener, &lcap, sizeof name, &name);
		} else {
			bad(r, "the kind is not forbidden (with where asbgen sets it), exception or listener");
			return false;
		}
	}
	return true;
}

bool kafka_file_read(struct arena *a, struct diags *d, const char *path, char *text, struct kafka_tables *t,
		     bool *strimzi)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	struct reader r = { a, d, path, 0, true };
	if (!strncmp(base, "kafka-", 6))
		return read_table(&r, text, &t->tables[t->n++]);
	if (!strcmp(base, "strimzi.tsv"))
		return *strimzi = read_strimzi(&r, text, &t->strimzi);
	return true;
}
