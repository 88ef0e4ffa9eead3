/* diff_print.c - a diff report as readable text or as JSON
 * (schemas/diff.schema.json). */
#include "diff.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "json_value.h"

#define C_RESET "\033[0m"
#define C_BOLD "\033[1m"
#define C_RED "\033[31m"
#define C_GREEN "\033[32m"
#define C_YELLOW "\033[33m"
#define C_CYAN "\033[36m"
#define C_BOLDRED "\033[1;31m"

/* ---------------------------------------------------------------- text */

/* A value on one line: compact JSON, so strings, numbers and structures
 * are never confused ("3" and 3 print differently). */
static void put_value(FILE *fp, const struct value *v)
{
	json_t *j = value_to_json(v);
	char *s = j ? json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
	fputs(s ? s : "(not printable)", fp);
	free(s);
	json_decref(j);
}

static void put_label(FILE *fp, const struct object *o)
{
	if (!strcmp(o->kind, OBJ_FILE_KIND) && !*o->group)
		fprintf(fp, "File %s", o->name);
	else
		fprintf(fp, "%s %s%s%s", o->kind, o->ns, *o->ns ? "/" : "", o->name);
}

static void paint(FILE *fp, bool color, const char *code)
{
	if (color)
		fputs(code, fp);
}

static void print_fields(FILE *fp, const struct obj_diff *d, bool color)
{
	for (size_t k = 0; k < d->nfields; k++) {
		const struct field_change *f = &d->fields[k];
		const char *mark = !f->old ? "+" : !f->new ? "-" : "~";
		paint(fp, color, !f->old ? C_GREEN : !f->new ? C_RED : C_YELLOW);
		fprintf(fp, "    %s %s: ", mark, f->path);
		if (f->old)
			put_value(fp, f->old);
		if (f->old && f->new)
			fputs(" -> ", fp);
		if (f->new)
			put_value(fp, f->new);
		paint(fp, color, C_RESET);
		fputc('\n', fp);
	}
}

static void print_dangers(FILE *fp, const struct diff_report *r, bool color)
{
	paint(fp, color, C_BOLD);
	fprintf(fp, "\ndangerous change%s:\n", r->ndangers > 1 ? "s" : "");
	paint(fp, color, C_RESET);
	if (r->production && r->ndangers > r->naccepted)
		fputs("  (a production environment: each must be accepted with --accept RULE before it is synced)\n", fp);
	for (size_t i = 0; i < r->ndangers; i++) {
		const struct danger *g = &r->dangers[i];
		fputs("  ", fp);
		put_label(fp, g->obj);
		if (g->path)
			fprintf(fp, " %s", g->path);
		fputs(" ", fp);
		paint(fp, color, C_BOLDRED);
		fprintf(fp, "[%s]", g->id);
		paint(fp, color, C_RESET);
		if (g->accepted)
			fputs(" (accepted)", fp);
		fprintf(fp, "\n    %s\n", g->msg);
		paint(fp, color, C_CYAN);
		fprintf(fp, "    hint: %s", g->hint);
		paint(fp, color, C_RESET);
		fputc('\n', fp);
	}
}

void diff_print_text(FILE *fp, const struct diff_report *r, bool color)
{
	if (r->old_label && r->new_label) {
		paint(fp, color, C_BOLD);
		fprintf(fp, "--- %s\n+++ %s\n", r->old_label, r->new_label);
		paint(fp, color, C_RESET);
	}
	for (size_t i = 0; i < r->n; i++) {
		const struct obj_diff *d = &r->items[i];
		static const char *const marks[] = { "+", "-", "~" };
		static const char *const colors[] = { C_GREEN, C_RED, C_YELLOW };
		paint(fp, color, colors[d->kind]);
		fprintf(fp, "%s ", marks[d->kind]);
		put_label(fp, d->id);
		if (d->kind == OBJ_ADDED)
			fputs(" (added)", fp);
		else if (d->kind == OBJ_REMOVED)
			fputs(" (removed)", fp);
		paint(fp, color, C_RESET);
		fputc('\n', fp);
		print_fields(fp, d, color);
	}
	if (r->nprune) {
		paint(fp, color, C_BOLD);
		fprintf(fp, "\nprune candidates (only in the cluster; a prune sync deletes them):\n");
		paint(fp, color, C_RESET);
		for (size_t i = 0; i < r->nprune; i++) {
			paint(fp, color, C_RED);
			fputs("  - ", fp);
			put_label(fp, r->prune[i]);
			paint(fp, color, C_RESET);
			fputc('\n', fp);
		}
	}
	if (r->ndangers)
		print_dangers(fp, r, color);
	if (!r->n && !r->nprune) {
		fputs("no changes\n", fp);
		return;
	}
	fprintf(fp, "\n%zu added, %zu removed, %zu changed", r->nadded, r->nremoved, r->nchanged);
	if (r->nprune)
		fprintf(fp, ", %zu prune candidate%s", r->nprune, r->nprune > 1 ? "s" : "");
	if (r->ndangers)
		fprintf(fp, "; %zu dangerous", r->ndangers);
	if (r->naccepted)
		fprintf(fp, " (%zu accepted)", r->naccepted);
	fputc('\n', fp);
}

/* ---------------------------------------------------------------- JSON */

static int set_str(json_t *o, const char *key, const char *s)
{
	json_t *v = json_string(s);
	return v ? json_object_set_new(o, key, v) : -1;
}

static json_t *identity(const struct object *o)
{
	json_t *j = json_object();
	if (!j)
		return NULL;
	if (set_str(j, "group", o->group) || set_str(j, "version", o->version) ||
	    set_str(j, "kind", o->kind) || set_str(j, "namespace", o->ns) || set_str(j, "name", o->name)) {
		json_decref(j);
		return NULL;
	}
	return j;
}

/* value_to_json does not check UTF-8: check here, so the document is valid. */
static json_t *checked_value(const struct value *v)
{
	json_t *j = value_to_json(v);
	char *s = j ? json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
	json_t *back = s ? json_loads(s, JSON_DECODE_ANY, NULL) : NULL;
	free(s);
	json_decref(j);
	return back;
}

static json_t *object_json(const struct obj_diff *d)
{
	static const char *const kinds[] = { "added", "removed", "changed" };
	json_t *o = identity(d->id);
	if (!o || set_str(o, "change", kinds[d->kind]))
		goto fail;
	/* where the old side was read (a file, or a URL for the cluster); an
	 * added object exists only in the render's memory */
	if (d->old && d->old->source && set_str(o, "file", d->old->source))
		goto fail;
	if (d->kind == OBJ_CHANGED) {
		json_t *fields = json_array();
		if (!fields || json_object_set_new(o, "fields", fields))
			goto fail;
		for (size_t k = 0; k < d->nfields; k++) {
			const struct field_change *f = &d->fields[k];
			json_t *fj = json_object();
			if (!fj || json_array_append_new(fields, fj) || set_str(fj, "path", f->path))
				goto fail;
			/* each side converted only once the one before is in fj: nothing
			 * to free when a side is not UTF-8 */
			json_t *side;
			if ((f->old && (!(side = checked_value(f->old)) || json_object_set_new(fj, "old", side))) ||
			    (f->new && (!(side = checked_value(f->new)) || json_object_set_new(fj, "new", side))))
				goto fail;
		}
	}
	return o;
fail:
	json_decref(o);
	return NULL;
}

static json_t *report_json(const struct diff_report *r)
{
	json_t *doc = json_object(), *objs = json_array(), *prune = json_array(), *dangers = json_array();
	json_t *sum = json_pack("{s:I, s:I, s:I, s:I, s:I}", "added", (json_int_t)r->nadded, "removed",
				(json_int_t)r->nremoved, "changed", (json_int_t)r->nchanged, "prune",
				(json_int_t)r->nprune, "dangers", (json_int_t)r->ndangers);
	if (!doc || !objs || !prune || !dangers || !sum) {
		json_decref(objs);
		json_decref(prune);
		json_decref(dangers);
		json_decref(sum);
		goto fail;
	}
	if ((r->old_label && set_str(doc, "old", r->old_label)) ||
	    (r->new_label && set_str(doc, "new", r->new_label)) ||
	    json_object_set_new(doc, "summary", sum) || json_object_set_new(doc, "objects", objs) ||
	    json_object_set_new(doc, "prune", prune) || json_object_set_new(doc, "dangers", dangers) ||
	    (r->production && json_object_set_new(doc, "production", json_true())))
		goto fail;
	for (size_t i = 0; i < r->n; i++) {
		json_t *o = object_json(&r->items[i]);
		if (!o || json_array_append_new(objs, o))
			goto fail;
	}
	for (size_t i = 0; i < r->nprune; i++) {
		json_t *o = identity(r->prune[i]);
		if (!o || json_array_append_new(prune, o) ||
		    (r->prune[i]->source && set_str(o, "source", r->prune[i]->source)))
			goto fail;
	}
	for (size_t i = 0; i < r->ndangers; i++) {
		const struct danger *g = &r->dangers[i];
		json_t *o = identity(g->obj);
		if (!o || json_array_append_new(dangers, o) || set_str(o, "id", g->id) ||
		    (g->path && set_str(o, "path", g->path)) || set_str(o, "message", g->msg) ||
		    set_str(o, "hint", g->hint) || (g->accepted && json_object_set_new(o, "accepted", json_true())))
			goto fail;
	}
	return doc;
fail:
	json_decref(doc);
	return NULL;
}

int diff_print_json(FILE *fp, const struct diff_report *r)
{
	json_t *doc = report_json(r);
	if (!doc)
		return -1;
	int rc = json_dumpf(doc, fp, JSON_INDENT(2)) == 0 ? 0 : -1;
	fputc('\n', fp);
	json_decref(doc);
	return rc;
}
