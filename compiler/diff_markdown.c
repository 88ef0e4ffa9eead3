/* diff_markdown.c - a diff report for GitHub: a pull-request comment in
 * Markdown (summary, dangers first, a collapsible <details> section per
 * object, grouped by spec change when the causes are known), and each
 * danger as a workflow command that annotates the spec line causing it. */
#include "diff.h"

#include <string.h>

#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "diff_lines.h"

/* ---------------------------------------------------------------- escaping */

/* Text in HTML (inside <summary>, <code>). */
static void put_html(FILE *fp, const char *s)
{
	for (; *s; s++) {
		if (*s == '<')
			fputs("&lt;", fp);
		else if (*s == '>')
			fputs("&gt;", fp);
		else if (*s == '&')
			fputs("&amp;", fp);
		else if (*s == '\n')
			fputc(' ', fp);
		else
			fputc(*s, fp);
	}
}

/* Text in a Markdown paragraph: HTML escaped, and the characters that
 * would start emphasis, links or code written as themselves. */
static void put_md(FILE *fp, const char *s)
{
	for (; *s; s++) {
		if (strchr("\\`*_[]#|~", *s)) {
			fputc('\\', fp);
			fputc(*s, fp);
		} else if (*s == '<' || *s == '>' || *s == '&' || *s == '\n') {
			char one[2] = { *s, 0 };
			put_html(fp, one);
		} else {
			fputc(*s, fp);
		}
	}
}

static const char *label(struct arena *a, const struct object *o)
{
	if (!strcmp(o->kind, OBJ_FILE_KIND) && !*o->group)
		return arena_printf(a, "File %s", o->name);
	return arena_printf(a, "%s %s%s%s", o->kind, o->ns, *o->ns ? "/" : "", o->name);
}

/* ---------------------------------------------------------------- diff blocks */

/* A ```diff block is built in a buffer first: its fence must be longer
 * than any run of backticks inside. */
static void block_line(void *arg, char mark, const char *s, size_t n)
{
	struct buf *b = arg;
	if (mark == '@')
		buf_add(b, s, n);
	else {
		buf_putc(b, mark);
		buf_putc(b, ' ');
		buf_add(b, s, n);
	}
	buf_putc(b, '\n');
}

static void block_lines(struct buf *b, char mark, const struct lines *l, const char *prefix)
{
	for (size_t i = 0; i < l->n; i++) {
		buf_putc(b, mark);
		buf_printf(b, " %s%.*s\n", prefix, (int)l->items[i].n, l->items[i].s);
	}
}

static void put_block(FILE *fp, const struct buf *b)
{
	size_t run = 0, longest = 0;
	for (size_t i = 0; i < b->len; i++) {
		run = b->data[i] == '`' ? run + 1 : 0;
		if (run > longest)
			longest = run;
	}
	size_t fence = longest >= 3 ? longest + 1 : 3;
	for (size_t i = 0; i < fence; i++)
		fputc('`', fp);
	fputs("diff\n", fp);
	fwrite(b->data ? b->data : "", 1, b->len, fp);
	for (size_t i = 0; i < fence; i++)
		fputc('`', fp);
	fputc('\n', fp);
}

static void field_block(struct arena *a, struct buf *b, const struct obj_diff *d, const struct field_change *f)
{
	const struct object *o = d->id;
	if (object_field_secret(o, f->path)) {
		if (f->old)
			buf_printf(b, "- %s: (redacted)\n", f->path);
		if (f->new)
			buf_printf(b, "+ %s: (redacted)\n", f->path);
		return;
	}
	bool structured = (f->old && !v_is_scalar(f->old)) || (f->new && !v_is_scalar(f->new));
	if (!structured && (value_multiline(f->old) || value_multiline(f->new))) {
		struct lines ol = { 0 }, nl = { 0 };
		if (f->old)
			lines_split(a, f->old->str.s, f->old->str.len, &ol);
		if (f->new)
			lines_split(a, f->new->str.s, f->new->str.len, &nl);
		buf_printf(b, "  %s:\n", f->path);
		lines_unified(a, &ol, &nl, block_line, b);
		return;
	}
	if (structured) {
		struct lines l;
		buf_printf(b, "%c %s:\n", f->old && f->new ? ' ' : f->new ? '+' : '-', f->path);
		if (f->old) {
			value_yaml_lines(a, f->old, &l);
			block_lines(b, '-', &l, "  ");
		}
		if (f->new) {
			value_yaml_lines(a, f->new, &l);
			block_lines(b, '+', &l, "  ");
		}
		return;
	}
	if (f->old)
		buf_printf(b, "- %s: %s\n", f->path, value_compact(a, f->old));
	if (f->new)
		buf_printf(b, "+ %s: %s\n", f->path, value_compact(a, f->new));
}

/* One object (its fields of group cause; CAUSE_NONE: all) as a section. */
static void md_object(FILE *fp, struct arena *a, const struct obj_diff *d, size_t cause)
{
	static const char *const what[] = { "added", "removed", "changed" };
	static const char *const marks[] = { "+", "-", "~" };
	struct buf b = BUF_INIT;
	size_t n = 0;
	if (d->kind != OBJ_CHANGED) {
		struct lines l;
		object_body_lines(a, d->kind == OBJ_ADDED ? d->new : d->old, &l);
		block_lines(&b, d->kind == OBJ_ADDED ? '+' : '-', &l, "");
	} else {
		for (size_t k = 0; k < d->nfields; k++)
			if (cause == CAUSE_NONE || d->fields[k].cause == cause) {
				field_block(a, &b, d, &d->fields[k]);
				n++;
			}
	}
	fprintf(fp, "<details><summary>%s <code>", marks[d->kind]);
	put_html(fp, label(a, d->id));
	fprintf(fp, "</code> %s", what[d->kind]);
	if (d->kind == OBJ_CHANGED)
		fprintf(fp, " (%zu field%s)", n, n == 1 ? "" : "s");
	fputs("</summary>\n\n", fp);
	put_block(fp, &b);
	fputs("\n</details>\n\n", fp);
	buf_free(&b);
}

static bool has_part(const struct obj_diff *d, size_t cause)
{
	if (d->kind != OBJ_CHANGED)
		return d->cause == cause;
	for (size_t k = 0; k < d->nfields; k++)
		if (d->fields[k].cause == cause)
			return true;
	return false;
}

static void md_position(FILE *fp, const struct spec_change *ch)
{
	if (ch->at.file && ch->at.line) {
		fputs(" (<code>", fp);
		put_html(fp, ch->at.file);
		fprintf(fp, ":%d:%d</code>)", ch->at.line, ch->at.col);
	}
}

void diff_print_markdown(FILE *fp, const struct diff_report *r)
{
	struct arena *a = arena_new();
	fputs("### asbgen diff", fp);
	if (r->new_label && r->old_label) {
		fputs(": ", fp);
		put_md(fp, r->new_label);
		fputs(" against ", fp);
		put_md(fp, r->old_label);
	}
	fputs("\n\n**", fp);
	put_md(fp, r->n || r->nprune ? diff_summary(a, r) : "no changes");
	fputs("**\n\n", fp);
	if (r->changes_from) {
		fputs("Grouped by the spec changes since ", fp);
		put_md(fp, r->changes_from);
		fputs(", which renders to exactly the old side.\n\n", fp);
	}
	if (r->ndangers) {
		fprintf(fp, "#### :warning: Dangerous change%s\n\n", r->ndangers > 1 ? "s" : "");
		for (size_t i = 0; i < r->ndangers; i++) {
			const struct danger *g = &r->dangers[i];
			fprintf(fp, "- **%s** <code>", g->id);
			put_html(fp, label(a, g->obj));
			if (g->path) {
				fputc(' ', fp);
				put_html(fp, g->path);
			}
			fputs("</code>", fp);
			if (g->cause != CAUSE_NONE && g->cause != CAUSE_COMBINED) {
				fputs(", from ", fp);
				put_md(fp, spec_change_text(a, &r->changes[g->cause - 1]));
				md_position(fp, &r->changes[g->cause - 1]);
			}
			fputs("  \n  ", fp);
			put_md(fp, g->msg);
			fputs("  \n  *hint:* ", fp);
			put_md(fp, g->hint);
			fputs("\n", fp);
		}
		fputs("\n", fp);
	}
	if (r->attributed) {
		for (size_t gi = 1; gi <= r->nchanges + 1; gi++) {
			size_t cause = gi <= r->nchanges ? gi : CAUSE_COMBINED;
			bool any = false;
			for (size_t i = 0; i < r->n && !any; i++)
				any = has_part(&r->items[i], cause);
			if (!any)
				continue;
			if (cause == CAUSE_COMBINED) {
				fputs(r->nchanges ? "#### The spec changes together\n\n"
						  : "#### No spec change (the templates differ)\n\n", fp);
			} else {
				fprintf(fp, "#### Spec change %zu of %zu: ", cause, r->nchanges);
				put_md(fp, spec_change_text(a, &r->changes[cause - 1]));
				md_position(fp, &r->changes[cause - 1]);
				fputs("\n\n", fp);
			}
			for (size_t i = 0; i < r->n; i++)
				if (has_part(&r->items[i], cause))
					md_object(fp, a, &r->items[i], cause);
		}
	} else if (r->n) {
		fputs("#### Changes\n\n", fp);
		for (size_t i = 0; i < r->n; i++)
			md_object(fp, a, &r->items[i], CAUSE_NONE);
	}
	if (r->nprune) {
		fputs("#### Prune candidates\n\nOnly in the cluster; a prune sync deletes them.\n\n", fp);
		for (size_t i = 0; i < r->nprune; i++) {
			fputs("- <code>", fp);
			put_html(fp, label(a, r->prune[i]));
			fputs("</code>\n", fp);
		}
		fputs("\n", fp);
	}
	arena_free(a);
}

/* ---------------------------------------------------------------- annotations */

void diff_print_github(FILE *fp, struct arena *a, const struct diff_report *r, const char *spec)
{
	struct diags d;
	diags_init(&d, a);
	for (size_t i = 0; i < r->ndangers; i++) {
		const struct danger *g = &r->dangers[i];
		size_t at = g->cause == CAUSE_COMBINED ? r->together_at : g->cause;
		const struct spec_change *ch = at != CAUSE_NONE ? &r->changes[at - 1] : NULL;
		const char *msg = arena_printf(a, "%s%s%s: %s%s", label(a, g->obj), g->path ? " " : "",
					       g->path ? g->path : "", g->msg,
					       g->cause == CAUSE_COMBINED ? " (caused by the spec changes together)" : "");
		if (ch && ch->at.file && ch->at.line)
			diag_pos(&d, SEV_ERROR, ch->at.file, ch->at.line, ch->at.col, g->id, g->hint, "%s", msg);
		else
			diag_pos(&d, SEV_ERROR, spec, 0, 0, g->id, g->hint, "%s", msg);
	}
	/* in the report's order (dangers are not sorted by position) */
	diags_print(fp, &d, DIAG_GITHUB, false);
	diags_free(&d);
}
