/* kafka_config.c - loading schemas/kafka/ (see kafka_config.h): each file
 * from the tables compiled in when its bytes are the built ones, else
 * parsed by kafka_read.c; and the lookups over the tables. */
#include "kafka_config.h"
#include "arena.h"
#include "diag.h"
#include "dirwalk.h"
#include "embedded.h"
#include "load.h"
#include "version.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int table_cmp(const void *x, const void *y)
{
	return version_cmp(((const struct kafka_table *)x)->version, ((const struct kafka_table *)y)->version);
}

struct kafka_tables *kafka_tables_load(struct arena *a, struct diags *d, const char *dir)
{
	static const char *const exts[] = { ".tsv", NULL };
	struct pathlist files = { 0 };
	if (!dirwalk_collect(a, d, dir, exts, "io", &files)) /* a broken installation: exit 2 */
		return NULL;
	struct kafka_tables *t = arena_alloc(a, sizeof *t);
	t->tables = arena_alloc(a, (files.n + 1) * sizeof *t->tables);
	bool strimzi = false, ok = true;
	for (size_t i = 0; i < files.n; i++) {
		const char *base = strrchr(files.items[i], '/');
		base = base ? base + 1 : files.items[i];
		size_t len;
		const char *src = load_file_text(a, d, files.items[i], &len);
		if (!src)
			return NULL;
		const struct emb_file *f = emb_find(&emb_kafka_src, base, src, len);
		if (f) { /* a built-in table, compiled with the binary */
			const struct emb_kafka *k = &emb_kafka[f - emb_kafka_src.files];
			if (k->table) {
				t->tables[t->n++] = *k->table;
			} else {
				t->strimzi = *k->strimzi;
				strimzi = true;
			}
			continue;
		}
		char *text = arena_strndup(a, src, len); /* split in place; the source stays quotable */
		ok = kafka_file_read(a, d, files.items[i], text, t, &strimzi) && ok;
	}
	if (ok && (!t->n || !strimzi)) {
		diag_pos(d, SEV_ERROR, dir, 0, 0, "kafka-tables", "reinstall asbgen, or set ASBGEN_DATA to its data directory",
			 "%s has no kafka-VERSION.tsv or no strimzi.tsv", dir);
		ok = false;
	}
	if (!ok)
		return NULL;
	qsort(t->tables, t->n, sizeof *t->tables, table_cmp);
	return t;
}

static long major_of(const char *v)
{
	return strtol(v, NULL, 10);
}

const struct kafka_table *kafka_table_for(const struct kafka_tables *t, const char *version)
{
	if (!t || version_cmp(version, version) == VERSION_INVALID)
		return NULL;
	const struct kafka_table *best = NULL;
	for (size_t i = 0; i < t->n; i++) {
		if (major_of(t->tables[i].version) != major_of(version))
			continue;
		if (!best || version_cmp(t->tables[i].version, version) <= 0)
			best = &t->tables[i];
		if (version_cmp(t->tables[i].version, version) > 0)
			break;
	}
	return best;
}

const struct kafka_option *kafka_option_find(const struct kafka_option *opts, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(opts[i].name, name))
			return &opts[i];
	return NULL;
}

static bool starts_ci(const char *s, const char *prefix)
{
	for (; *prefix; s++, prefix++)
		if (tolower((unsigned char)*s) != tolower((unsigned char)*prefix))
			return false;
	return true;
}

bool kafka_strimzi_exception(const struct kafka_strimzi *s, const char *name)
{
	for (size_t i = 0; i < s->nexceptions; i++)
		if (!strcasecmp(name, s->exceptions[i]))
			return true;
	return false;
}

const char *kafka_strimzi_forbidden(const struct kafka_strimzi *s, const char *name, const char **where)
{
	if (kafka_strimzi_exception(s, name))
		return NULL;
	for (size_t i = 0; i < s->nforbidden; i++)
		if (starts_ci(name, s->forbidden[i])) {
			*where = s->where[i];
			return s->forbidden[i];
		}
	return NULL;
}
