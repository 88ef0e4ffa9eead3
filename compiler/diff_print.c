/* diff_print.c - a diff report as readable text or as JSON
 * (schemas/diff.schema.json). */
#include "diff.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "diff_lines.h"
#include "json_value.h"

#define C_RESET "\033[0m"
#define C_BOLD "\033[1m"
#define C_RED "\033[31m"
#define C_GREEN "\033[32m"
#define C_YELLOW "\033[33m"
#define C_CYAN "\033[36m"
#define C_BOLDRED "\033[1;31m"

/* ---------------------------------------------------------------- text */

struct tp {
	FILE *fp;
	bool color;
	struct arena *a;
	const char *indent; /* before each line of a value's body */
};

static void paint(FILE *fp, bool color, const char *code)
{
	if (color)
		fputs(code, fp);
}

static const char *mark_color(char mark)
{
	return mark == '+' ? C_GREEN : mark == '-' ? C_RED : mark == '@' ? C_CYAN : "";
}

/* One line of a body or of a unified diff: INDENT MARK TEXT. */
static void put_line(void *arg, char mark, const char *s, size_t n)
{
	struct tp *t = arg;
	paint(t->fp, t->color && mark != ' ', mark_color(mark));
	if (mark == '@')
		fprintf(t->fp, "%s%.*s", t->indent, (int)n, s);
	else
		fprintf(t->fp, "%s%c %.*s", t->indent, mark, (int)n, s);
	paint(t->fp, t->color && mark != ' ', C_RESET);
	fputc('\n', t->fp);
}

static void put_lines(struct tp *t, char mark, const struct lines *l)
{
	for (size_t i = 0; i < l->n; i++)
		put_line(t, mark, l->items[i].s, l->items[i].n);
}

static void put_label(FILE *fp, const struct object *o)
{
	if (!strcmp(o->kind, OBJ_FILE_KIND) && !*o->group)
		fprintf(fp, "File %s", o->name);
	else
		fprintf(fp, "%s %s%s%s", o->kind, o->ns, *o->ns ? "/" : "", o->name);
}

static const char *side_text(struct arena *a, const struct object *o, const struct field_change *f,
			     const struct value *v)
{
	return object_field_secret(o, f->path) ? "(redacted)" : value_compact(a, v);
}

/* A field: scalars on one line, old -> new; a multi-line string as a
 * unified diff; a structure as YAML lines. */
static void print_field(struct tp *t, const struct obj_diff *d, const struct field_change *f)
{
	FILE *fp = t->fp;
	const struct object *o = d->id;
	bool secret = object_field_secret(o, f->path);
	char mark = !f->old ? '+' : !f->new ? '-' : '~';
	bool structured = !secret && ((f->old && !v_is_scalar(f->old)) || (f->new && !v_is_scalar(f->new)));
	bool multi = !secret && (value_multiline(f->old) || value_multiline(f->new)) && !structured;
	paint(fp, t->color, mark == '+' ? C_GREEN : mark == '-' ? C_RED : C_YELLOW);
	fprintf(fp, "    %c %s:", mark, f->path);
	if (!structured && !multi) {
		if (f->old)
			fprintf(fp, " %s", side_text(t->a, o, f, f->old));
		if (f->old && f->new)
			fputs(" ->", fp);
		if (f->new)
			fprintf(fp, " %s", side_text(t->a, o, f, f->new));
	}
	paint(fp, t->color, C_RESET);
	fputc('\n', fp);
	t->indent = "        ";
	if (multi) {
		struct lines ol = { 0 }, nl = { 0 };
		if (f->old && f->old->kind == V_STRING)
			lines_split(t->a, f->old->str.s, f->old->str.len, &ol);
		else if (f->old)
			value_yaml_lines(t->a, f->old, &ol);
		if (f->new && f->new->kind == V_STRING)
			lines_split(t->a, f->new->str.s, f->new->str.len, &nl);
		else if (f->new)
			value_yaml_lines(t->a, f->new, &nl);
		lines_unified(t->a, &ol, &nl, put_line, t);
	} else if (structured) {
		struct lines l;
		if (f->old) {
			value_yaml_lines(t->a, f->old, &l);
			put_lines(t, '-', &l);
		}
		if (f->new) {
			value_yaml_lines(t->a, f->new, &l);
			put_lines(t, '+', &l);
		}
	}
}

/* An object's part of the diff: cause is the group shown (CAUSE_NONE: all). */
static void print_object(struct tp *t, const struct obj_diff *d, size_t cause)
{
	static const char *const marks[] = { "+", "-", "~" };
	static const char *const colors[] = { C_GREEN, C_RED, C_YELLOW };
	paint(t->fp, t->color, colors[d->kind]);
	fprintf(t->fp, "%s ", marks[d->kind]);
	put_label(t->fp, d->id);
	if (d->kind == OBJ_ADDED)
		fputs(" (added)", t->fp);
	else if (d->kind == OBJ_REMOVED)
		fputs(" (removed)", t->fp);
	paint(t->fp, t->color, C_RESET);
	fputc('\n', t->fp);
	if (d->kind != OBJ_CHANGED) {
		struct lines l;
		object_body_lines(t->a, d->kind == OBJ_ADDED ? d->new : d->old, &l);
		t->indent = "    ";
		put_lines(t, d->kind == OBJ_ADDED ? '+' : '-', &l);
		return;
	}
	for (size_t k = 0; k < d->nfields; k++)
		if (cause == CAUSE_NONE || d->fields[k].cause == cause)
			print_field(t, d, &d->fields[k]);
}

/* Has object d a part in group cause? */
static bool in_group(const struct obj_diff *d, size_t cause)
{
	if (d->kind != OBJ_CHANGED)
		return d->cause == cause;
	for (size_t k = 0; k < d->nfields; k++)
		if (d->fields[k].cause == cause)
			return true;
	return false;
}

static size_t group_size(const struct diff_report *r, size_t cause)
{
	size_t n = 0;
	for (size_t i = 0; i < r->n; i++)
		n += in_group(&r->items[i], cause);
	return n;
}

static void print_group_head(struct tp *t, const struct diff_report *r, size_t cause)
{
	paint(t->fp, t->color, C_BOLD);
	if (cause == CAUSE_COMBINED && !r->nchanges) {
		fputs("# no spec change (the templates differ)\n", t->fp);
	} else if (cause == CAUSE_COMBINED) {
		fputs("# the spec changes together (no one alone makes these differences)\n", t->fp);
	} else {
		const struct spec_change *ch = &r->changes[cause - 1];
		fprintf(t->fp, "# spec change %zu of %zu", cause, r->nchanges);
		if (ch->at.file && ch->at.line)
			fprintf(t->fp, ", %s:%d:%d", ch->at.file, ch->at.line, ch->at.col);
		fprintf(t->fp, ": %s\n", spec_change_text(t->a, ch));
	}
	paint(t->fp, t->color, C_RESET);
}

/* Where a danger comes from, when its cause is known. */
static void print_danger_cause(struct tp *t, const struct diff_report *r, const struct danger *g)
{
	if (g->cause == CAUSE_NONE)
		return;
	size_t at = g->cause == CAUSE_COMBINED ? r->together_at : g->cause;
	if (at == CAUSE_NONE) {
		fputs("    from: no spec change (the templates differ)\n", t->fp);
		return;
	}
	const struct spec_change *ch = &r->changes[at - 1];
	if (g->cause == CAUSE_COMBINED)
		fputs("    from: the spec changes together, first", t->fp);
	else
		fprintf(t->fp, "    from: spec change %zu", g->cause);
	if (ch->at.file && ch->at.line)
		fprintf(t->fp, " at %s:%d:%d", ch->at.file, ch->at.line, ch->at.col);
	fprintf(t->fp, ", %s\n", spec_change_text(t->a, ch));
}

static void print_dangers(struct tp *t, const struct diff_report *r)
{
	FILE *fp = t->fp;
	bool color = t->color;
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
		print_danger_cause(t, r, g);
	}
}

void diff_print_text(FILE *fp, const struct diff_report *r, bool color)
{
	struct tp t = { fp, color, arena_new(), "" };
	if (r->old_label && r->new_label) {
		paint(fp, color, C_BOLD);
		fprintf(fp, "--- %s\n+++ %s\n", r->old_label, r->new_label);
		paint(fp, color, C_RESET);
	}
	if (r->changes_from)
		fprintf(fp, "(grouped by the spec changes since %s, which renders to exactly the old side)\n", r->changes_from);
	if (r->attributed) {
		for (size_t g = 1; g <= r->nchanges + 1; g++) {
			size_t cause = g <= r->nchanges ? g : CAUSE_COMBINED;
			if (!group_size(r, cause))
				continue;
			fputc('\n', fp);
			print_group_head(&t, r, cause);
			for (size_t i = 0; i < r->n; i++)
				if (in_group(&r->items[i], cause))
					print_object(&t, &r->items[i], cause);
		}
	} else {
		for (size_t i = 0; i < r->n; i++)
			print_object(&t, &r->items[i], CAUSE_NONE);
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
		print_dangers(&t, r);
	if (!r->n && !r->nprune)
		fputs("no changes\n", fp);
	else
		fprintf(fp, "\n%s\n", diff_summary(t.a, r));
	arena_free(t.a);
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

/* A cause as JSON: the index of its spec change, -1 for the changes
 * together; absent when the report has no causes. */
static int set_cause(json_t *o, const struct diff_report *r, size_t cause)
{
	if (!r->attributed)
		return 0;
	json_int_t i = cause == CAUSE_COMBINED || cause == CAUSE_NONE ? -1 : (json_int_t)(cause - 1);
	json_t *v = json_integer(i);
	return v ? json_object_set_new(o, "cause", v) : -1;
}

static int set_int(json_t *o, const char *key, long long i)
{
	json_t *v = json_integer((json_int_t)i);
	return v ? json_object_set_new(o, key, v) : -1;
}

static json_t *change_json(const struct spec_change *ch)
{
	static const char *const kinds[] = { "changed", "added", "removed" };
	json_t *o = json_object(), *side;
	if (!o || set_str(o, "path", ch->path) || set_str(o, "change", kinds[ch->kind]) ||
	    (ch->old && (!(side = checked_value(ch->old)) || json_object_set_new(o, "old", side))) ||
	    (ch->new && (!(side = checked_value(ch->new)) || json_object_set_new(o, "new", side))) ||
	    (ch->at.file && ch->at.line &&
	     (set_str(o, "file", ch->at.file) || set_int(o, "line", ch->at.line) || set_int(o, "column", ch->at.col))) ||
	    json_object_set_new(o, "alone", json_boolean(ch->isolated))) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *object_json(const struct diff_report *r, const struct obj_diff *d)
{
	static const char *const kinds[] = { "added", "removed", "changed" };
	json_t *o = identity(d->id);
	if (!o || set_str(o, "change", kinds[d->kind]))
		goto fail;
	/* where the old side was read (a file, or a URL for the cluster); an
	 * added object exists only in the render's memory */
	if (d->old && d->old->source && set_str(o, "file", d->old->source))
		goto fail;
	if (d->kind != OBJ_CHANGED && set_cause(o, r, d->cause))
		goto fail;
	if (d->kind == OBJ_CHANGED) {
		json_t *fields = json_array();
		if (!fields || json_object_set_new(o, "fields", fields))
			goto fail;
		for (size_t k = 0; k < d->nfields; k++) {
			const struct field_change *f = &d->fields[k];
			json_t *fj = json_object();
			if (!fj || json_array_append_new(fields, fj) || set_str(fj, "path", f->path) ||
			    set_cause(fj, r, f->cause))
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
		json_t *o = object_json(r, &r->items[i]);
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
		    set_str(o, "hint", g->hint) || set_cause(o, r, g->cause) ||
		    (g->accepted && json_object_set_new(o, "accepted", json_true())))
			goto fail;
	}
	if (r->attributed) {
		json_t *changes = json_array();
		if (!changes || json_object_set_new(doc, "changes", changes))
			goto fail;
		for (size_t i = 0; i < r->nchanges; i++) {
			json_t *o = change_json(&r->changes[i]);
			if (!o || json_array_append_new(changes, o))
				goto fail;
		}
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
