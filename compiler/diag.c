/* diag.c - collecting, sorting and printing diagnostics. */
#include "diag.h"
#include "arena.h"
#include <jansson.h>

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void diags_init(struct diags *d, struct arena *a)
{
	memset(d, 0, sizeof *d);
	d->arena = a;
}

void diags_free(struct diags *d)
{
	free(d->items);
	free(d->sources);
	d->items = NULL;
	d->sources = NULL;
	d->n = d->cap = d->nsources = d->sources_cap = 0;
}

/* A new item at the end, counted; the caller fills what is left. */
static struct diag *diag_new(struct diags *d, enum severity sev)
{
	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 16;
		d->items = xrealloc(d->items, d->cap * sizeof *d->items);
	}
	struct diag *g = &d->items[d->n];
	g->sev = sev;
	g->seq = d->n++;
	if (sev == SEV_ERROR)
		d->nerrors++;
	else if (sev == SEV_WARNING)
		d->nwarnings++;
	return g;
}

static void diag_vadd(struct diags *d, enum severity sev, const char *file, int line, int col,
		      const char *id, const char *hint, const char *fmt, va_list ap)
{
	struct diag *g = diag_new(d, sev);
	g->file = file;
	g->line = line;
	g->col = col;
	g->id = id ? id : "error";
	g->msg = arena_vprintf(d->arena, fmt, ap);
	g->hint = hint ? arena_strdup(d->arena, hint) : NULL;
	g->once = NULL;
}

void diags_mark_once(struct diags *d, size_t from, const struct mark *once)
{
	for (size_t i = from; i < d->n; i++)
		if (!d->items[i].once)
			d->items[i].once = once;
}

void diags_append(struct diags *d, const struct diag *g)
{
	struct diag *c = diag_new(d, g->sev);
	size_t seq = c->seq;
	*c = *g;
	c->seq = seq;
}

void diag_at(struct diags *d, enum severity sev, const struct mark *m,
	     const char *id, const char *hint, const char *fmt, ...)
{
	va_list ap;
	if ((!m || !m->file) && d->fallback)
		m = d->fallback;
	va_start(ap, fmt);
	diag_vadd(d, sev, m ? m->file : NULL, m ? m->line : 0, m ? m->col : 0, id, hint, fmt, ap);
	va_end(ap);
}

void diag_pos(struct diags *d, enum severity sev, const char *file, int line, int col,
	      const char *id, const char *hint, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	diag_vadd(d, sev, file, line, col, id, hint, fmt, ap);
	va_end(ap);
}

void diags_add_source(struct diags *d, const char *path, const char *text, size_t len)
{
	if (d->nsources == d->sources_cap) {
		d->sources_cap = d->sources_cap ? d->sources_cap * 2 : 8;
		d->sources = xrealloc(d->sources, d->sources_cap * sizeof *d->sources);
	}
	d->sources[d->nsources].path = path;
	d->sources[d->nsources].text = text;
	d->sources[d->nsources].len = len;
	d->nsources++;
}

const struct source *diags_find_source(const struct diags *d, const char *path)
{
	if (!path)
		return NULL;
	for (size_t i = d->nsources; i-- > 0;)
		if (d->sources[i].path == path || strcmp(d->sources[i].path, path) == 0)
			return &d->sources[i];
	return NULL;
}

static int diag_cmp(const void *pa, const void *pb)
{
	const struct diag *a = pa, *b = pb;
	/* Diagnostics without a file (usage, I/O) come first. */
	if (!a->file != !b->file)
		return a->file ? 1 : -1;
	if (a->file && b->file) {
		int c = strcmp(a->file, b->file);
		if (c)
			return c;
	}
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	if (a->col != b->col)
		return a->col < b->col ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

void diags_sort(struct diags *d)
{
	if (d->n > 1)
		qsort(d->items, d->n, sizeof *d->items, diag_cmp);
}

bool diag_want_color(FILE *fp)
{
	const char *nc = getenv("NO_COLOR");
	if (nc && *nc)
		return false;
	return isatty(fileno(fp));
}

static const char *sev_name(enum severity s)
{
	return s == SEV_ERROR ? "error" : s == SEV_WARNING ? "warning" : "note";
}

/* The source line `line` (1-based) of a loaded file, without newline. */
static bool source_line(const struct source *src, int line, const char **start, size_t *len)
{
	if (!src || line < 1)
		return false;
	const char *p = src->text, *end = src->text + src->len;
	for (int l = 1; l < line; l++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			return false;
		p = nl + 1;
	}
	const char *nl = memchr(p, '\n', (size_t)(end - p));
	*start = p;
	*len = nl ? (size_t)(nl - p) : (size_t)(end - p);
	if (*len && (*start)[*len - 1] == '\r')
		(*len)--;
	return true;
}

/* Length of a valid multi-byte UTF-8 sequence at s, else 1. */
static size_t utf8_len(const char *s, size_t avail)
{
	unsigned char c = (unsigned char)s[0];
	size_t n = (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
	if (n == 1 || n > avail || (n == 2 && c < 0xC2))
		return 1;
	for (size_t k = 1; k < n; k++)
		if (((unsigned char)s[k] >> 6) != 2)
			return 1;
	return n;
}

/* Text for a terminal: control characters (C0, DEL, C1, bidirectional
 * controls) from spec values or file names are written as escapes (\n,
 * \t, \x1b, \u009b, \u202e), so a value cannot move the cursor or rewrite
 * the line; other UTF-8 text is kept, stray bytes become \xHH. */
void diag_escape_text(FILE *fp, const char *s)
{
	size_t n = strlen(s);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		unsigned char c1 = i + 1 < n ? (unsigned char)s[i + 1] : 0, c2 = i + 2 < n ? (unsigned char)s[i + 2] : 0;
		if (c == 0xC2 && c1 >= 0x80 && c1 < 0xA0) {
			fprintf(fp, "\\u%04x", c1);
			i++;
		} else if (c == 0xE2 && ((c1 == 0x80 && (c2 == 0x8E || c2 == 0x8F || (c2 >= 0xAA && c2 <= 0xAE))) ||
					  (c1 == 0x81 && c2 >= 0xA6 && c2 <= 0xA9))) {
			/* Bidirectional controls (U+200E/F, U+202A-E, U+2066-9)
			 * reorder what the terminal shows. */
			fprintf(fp, "\\u%04x", 0x2000 | ((c1 & 0x3F) << 6) | (c2 & 0x3F));
			i += 2;
		} else if (c == '\n') {
			fputs("\\n", fp);
		} else if (c == '\r') {
			fputs("\\r", fp);
		} else if (c == '\t') {
			fputs("\\t", fp);
		} else if (c < 0x20 || c == 0x7f) {
			fprintf(fp, "\\x%02x", c);
		} else if (c >= 0x80) {
			/* Valid UTF-8 is kept; a stray byte (a file name that is
			 * not UTF-8) is written as \xHH. */
			size_t len = utf8_len(s + i, n - i);
			if (len == 1)
				fprintf(fp, "\\x%02x", c);
			else
				fwrite(s + i, 1, len, fp);
			i += len - 1;
		} else {
			fputc(c, fp);
		}
	}
}

static void print_text(FILE *fp, const struct diags *d, const struct diag *g, bool color)
{
	const char *bold = color ? "\033[1m" : "", *reset = color ? "\033[0m" : "";
	const char *sevc = !color ? "" : g->sev == SEV_ERROR ? "\033[1;31m"
				       : g->sev == SEV_WARNING ? "\033[1;35m" : "\033[1;36m";
	if (g->file) {
		fputs(bold, fp);
		diag_escape_text(fp, g->file);
		if (g->line > 0)
			fprintf(fp, ":%d:%d", g->line, g->col > 0 ? g->col : 1);
		fprintf(fp, ":%s ", reset);
	} else {
		fputs("asbgen: ", fp);
	}
	fprintf(fp, "%s%s:%s ", sevc, sev_name(g->sev), reset);
	diag_escape_text(fp, g->msg);
	fprintf(fp, " [%s]\n", g->id);
	const char *ls;
	size_t ll;
	if (g->line > 0 && source_line(diags_find_source(d, g->file), g->line, &ls, &ll)) {
		/* Show at most 100 bytes around the column; unprintable bytes
		 * become '?' so binary input cannot garble the terminal. */
		size_t col = g->col > 0 ? (size_t)g->col - 1 : 0, from = 0;
		if (col > ll)
			col = ll;
		if (col > 70)
			from = col - 60;
		size_t to = from + 100 < ll ? from + 100 : ll;
		fprintf(fp, "  %5d | %s", g->line, from ? "..." : "");
		for (size_t i = from; i < to; i++) {
			unsigned char c = (unsigned char)ls[i];
			size_t n = utf8_len(ls + i, to - i);
			if (n > 1) {
				fwrite(ls + i, 1, n, fp);
				i += n - 1;
			} else {
				fputc(c == '\t' || (c >= 0x20 && c < 0x7f) ? c : '?', fp);
			}
		}
		fprintf(fp, "%s\n        | %s", to < ll ? "..." : "", from ? "   " : "");
		for (size_t i = from; i < col; i++)
			fputc(ls[i] == '\t' ? '\t' : ' ', fp);
		fprintf(fp, "%s^%s\n", color ? "\033[1;32m" : "", reset);
	}
	if (g->hint) {
		fputs("  hint: ", fp);
		diag_escape_text(fp, g->hint);
		fputc('\n', fp);
	}
}

/* GitHub workflow commands need %, CR and LF escaped in the message, and
 * also ',' and ':' in properties; other control characters are written
 * as %XX too, so a value cannot drive the log viewer's terminal. */
static void gh_escape(FILE *fp, const char *s, bool property)
{
	for (; *s; s++) {
		switch (*s) {
		case '%': fputs("%25", fp); break;
		case '\r': fputs("%0D", fp); break;
		case '\n': fputs("%0A", fp); break;
		case ':': fputs(property ? "%3A" : ":", fp); break;
		case ',': fputs(property ? "%2C" : ",", fp); break;
		default:
			/* Other control characters (ESC) shown as %XX, never raw. */
			if ((unsigned char)*s < 0x20 || *s == 0x7f)
				fprintf(fp, "%%%02X", (unsigned char)*s);
			else
				fputc(*s, fp);
		}
	}
}

static void print_all(FILE *fp, const struct diags *d, enum diag_format fmt, bool color)
{
	if (fmt == DIAG_JSON) {
		/* Machine output goes through jansson; schemas/diagnostics.schema.json
		 * describes it. */
		/* One diagnostic per line: easy to read in CI logs, easy to grep. */
		fputs("[", fp);
		for (size_t i = 0; i < d->n; i++) {
			const struct diag *g = &d->items[i];
			json_t *o = json_pack("{s:o, s:i, s:i, s:s, s:s, s:s, s:o}",
					      "file", g->file ? json_string(g->file) : json_null(),
					      "line", g->line, "column", g->col, "severity", sev_name(g->sev),
					      "id", g->id, "message", g->msg,
					      "hint", g->hint ? json_string(g->hint) : json_null());
			char *text = o ? json_dumps(o, JSON_PRESERVE_ORDER) : NULL;
			if (!text)
				die_oom();
			fprintf(fp, "%s\n  %s", i ? "," : "", text);
			free(text);
			json_decref(o);
		}
		fputs(d->n ? "\n]\n" : "]\n", fp);
		return;
	}
	for (size_t i = 0; i < d->n; i++) {
		const struct diag *g = &d->items[i];
		if (fmt == DIAG_GITHUB) {
			fprintf(fp, "::%s ", g->sev == SEV_ERROR ? "error" : g->sev == SEV_WARNING ? "warning" : "notice");
			if (g->file) {
				fputs("file=", fp);
				gh_escape(fp, g->file, true);
				if (g->line > 0)
					fprintf(fp, ",line=%d,col=%d", g->line, g->col > 0 ? g->col : 1);
				fputs(",", fp);
			}
			fputs("title=", fp);
			gh_escape(fp, g->id, true);
			fputs("::", fp);
			gh_escape(fp, g->msg, false);
			if (g->hint) {
				fputs("%0Ahint: ", fp);
				gh_escape(fp, g->hint, false);
			}
			fputc('\n', fp);
		} else {
			print_text(fp, d, g, color);
		}
	}
}

/* The report is made in memory and handed to fp in one piece: stderr is
 * unbuffered, and a diagnostic's source line went out a character at a
 * time (250 write calls a warning, a tenth of a small render's time). */
void diags_print(FILE *fp, const struct diags *d, enum diag_format fmt, bool color)
{
	char *text = NULL;
	size_t len = 0;
	FILE *m = d->n ? open_memstream(&text, &len) : NULL;
	if (!m) {
		print_all(fp, d, fmt, color);
		return;
	}
	print_all(m, d, fmt, color);
	if (fclose(m) != 0) {
		/* Out of memory part of the way: print it again, directly. */
		free(text);
		print_all(fp, d, fmt, color);
		return;
	}
	fwrite(text, 1, len, fp);
	fflush(fp);
	free(text);
}

void diags_drop_warnings_if(struct diags *d, size_t from, bool (*drop)(void *ctx, const struct diag *), void *ctx)
{
	size_t k = from;
	for (size_t i = from; i < d->n; i++) {
		if (d->items[i].sev == SEV_WARNING && drop(ctx, &d->items[i]))
			d->nwarnings--;
		else
			d->items[k++] = d->items[i];
	}
	d->n = k;
}

void diags_drop_since(struct diags *d, size_t from)
{
	for (size_t i = from; i < d->n; i++) {
		if (d->items[i].sev == SEV_ERROR)
			d->nerrors--;
		else if (d->items[i].sev == SEV_WARNING)
			d->nwarnings--;
	}
	d->n = from;
}

void diags_drop_warnings_since(struct diags *d, size_t from)
{
	size_t k = from;
	for (size_t i = from; i < d->n; i++) {
		if (d->items[i].sev == SEV_ERROR)
			d->items[k++] = d->items[i];
		else if (d->items[i].sev == SEV_WARNING)
			d->nwarnings--;
	}
	d->n = k;
}
