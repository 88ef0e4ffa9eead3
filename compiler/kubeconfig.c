/* kubeconfig.c - resolve a kubeconfig context (see kubeconfig.h). */
#include "kubeconfig.h"
#include "arena.h"
#include "diag.h"
#include "execcred.h"
#include "load.h"
#include "redact.h"
#include "value.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define KUBECONFIG_MAX_FILE (4u << 20) /* a kubeconfig, certificate or token file */

/* One named cluster, user or context, and the file that defined it. */
struct entry {
	const char *name;
	const struct value *body; /* the `cluster:`, `user:` or `context:` mapping */
	const struct value *item; /* the list item, for positions */
	const char *file;
};

struct entries {
	struct entry *items;
	size_t n, cap;
};

struct merged {
	struct entries clusters, users, contexts;
	const struct value *current; /* current-context of the first file that sets it */
	const char *last_path;       /* for "no kubeconfig" messages */
	int nfiles;                  /* files read */
};

static const struct entry *find_entry(const struct entries *e, const char *name)
{
	for (size_t i = 0; i < e->n; i++)
		if (!strcmp(e->items[i].name, name))
			return &e->items[i];
	return NULL;
}

static void add_entry(struct arena *a, struct entries *e, const struct entry *x)
{
	if (find_entry(e, x->name))
		return; /* the first file to define a name wins */
	if (e->n == e->cap) {
		size_t cap = e->cap ? 2 * e->cap : 8;
		e->items = arena_realloc(a, e->items, e->cap * sizeof *e->items, cap * sizeof *e->items);
		e->cap = cap;
	}
	e->items[e->n++] = *x;
}

/* A whole file into the arena, without registering it as a diagnostics
 * source: it may hold secrets, and sources are quoted under diagnostics.
 * Returns NULL with *why set (and errno, ENOENT for a missing file). */
static char *read_secret_file(struct arena *a, const char *path, size_t *len, const char **why)
{
	/* O_NONBLOCK: a FIFO is refused at once below, not waited on. */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	FILE *fp = fd >= 0 ? fdopen(fd, "rb") : NULL;
	if (!fp) {
		*why = strerror(errno);
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	struct stat st = { 0 };
	if (fstat(fileno(fp), &st) != 0 || !S_ISREG(st.st_mode)) {
		fclose(fp);
		*why = S_ISDIR(st.st_mode) ? "it is a directory" : "not a regular file";
		errno = EINVAL;
		return NULL;
	}
	if ((unsigned long long)st.st_size > KUBECONFIG_MAX_FILE) {
		fclose(fp);
		*why = "larger than 4 MiB";
		errno = EFBIG;
		return NULL;
	}
	size_t n = (size_t)st.st_size;
	char *text = arena_alloc(a, n + 1);
	if (n && fread(text, 1, n, fp) != n) {
		*why = ferror(fp) ? strerror(errno) : "the file shrank while it was read";
		fclose(fp);
		errno = EIO;
		return NULL;
	}
	fclose(fp);
	text[n] = '\0';
	*len = n;
	return text;
}

/* A path named in `file`, relative to that file's directory. */
static const char *resolve_path(struct arena *a, const char *file, const char *p)
{
	if (p[0] == '/')
		return p;
	const char *slash = strrchr(file, '/');
	if (!slash)
		return p;
	return arena_printf(a, "%.*s/%s", (int)(slash - file), file, p);
}

/* ---- typed access, reporting at the node ---- */

static bool want_map(struct diags *d, const struct value *v, const char *what)
{
	if (v && v->kind == V_MAP)
		return true;
	diag_at(d, SEV_ERROR, v ? &v->mark : NULL, "kubeconfig-type", "see `kubectl config view` for the layout",
		"%s must be a mapping, not %s", what, v ? vkind_name(v->kind) : "absent");
	return false;
}

/* A string field: 0 and *out = NULL when absent or null, 1 when set, -1
 * (reported) when of another type.  The value is never shown. */
static int get_str(struct diags *d, const struct value *map, const char *key, const char **out)
{
	const struct value *v = map_get(map, key);
	*out = NULL;
	if (!v || v->kind == V_NULL)
		return 0;
	if (v->kind != V_STRING) {
		diag_at(d, SEV_ERROR, &v->mark, "kubeconfig-type", "quote the value",
			"%s must be a string, not %s", key, vkind_name(v->kind));
		return -1;
	}
	*out = v->str.s;
	return 1;
}

/* clusters:, users: or contexts: of one file into the merged lists. */
static int collect(struct arena *a, struct diags *d, const struct value *doc, const char *file,
		   const char *list_key, const char *body_key, struct entries *into)
{
	const struct value *list = map_get(doc, list_key);
	if (!list || list->kind == V_NULL)
		return 0;
	if (list->kind != V_SEQ) {
		diag_at(d, SEV_ERROR, &list->mark, "kubeconfig-type", "see `kubectl config view` for the layout",
			"%s must be a list of {name, %s} entries, not %s", list_key, body_key,
			vkind_name(list->kind));
		return -1;
	}
	int rc = 0;
	for (size_t i = 0; i < list->seq.n; i++) {
		const struct value *item = list->seq.items[i];
		if (!want_map(d, item, arena_printf(a, "an entry of %s", list_key))) {
			rc = -1;
			continue;
		}
		const char *name;
		int r = get_str(d, item, "name", &name);
		if (r == 0)
			diag_at(d, SEV_ERROR, &item->mark, "kubeconfig-type", "give every entry a name",
				"an entry of %s has no name", list_key);
		const struct value *body = map_get(item, body_key);
		if (r == 1 && !body)
			diag_at(d, SEV_ERROR, &item->mark, "kubeconfig-type", NULL,
				"%s entry '%s' has no '%s' mapping", list_key, name, body_key);
		if (r != 1 || !body || !want_map(d, body, arena_printf(a, "%s of '%s'", body_key, name))) {
			rc = -1;
			continue;
		}
		struct entry e = { name, body, item, file };
		add_entry(a, into, &e);
	}
	return rc;
}

/* ---- the YAML loader's diagnostics, without the values ---- */

/* The YAML loader quotes what it cannot read ("'S3cret' is not a valid
 * value for tag", "integer 1234... does not fit", an unknown anchor or
 * tag, libfyaml's "invalid escape 'x'"), and in a kubeconfig that is a
 * token or a password.  So a kubeconfig is loaded with diagnostics of its
 * own, and each is reported again with the loader's position, id and hint
 * but a message of ours that names the key, never the value.  Only ids
 * whose messages hold no value (keys, kinds, limits) keep theirs: an id
 * the loader gains later gets the generic message until it is added. */

static bool key_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
	       c == '.';
}

/* The key whose value starts at line:col of the text ("token" for
 * `token: !!int x` at the x or at the tag), or NULL.  Keys are names,
 * not secrets; only a plain [A-Za-z0-9_.-] key (quoted or not) that
 * starts a line, a list item or a flow entry is ever returned. */
static const char *key_at(struct arena *a, const char *text, size_t len, int line, int col)
{
	size_t i = 0;
	for (int l = 1; l < line && i < len; i++)
		if (text[i] == '\n')
			l++;
	const char *ls = text + i, *le = memchr(ls, '\n', len - i);
	if (!le)
		le = text + len;
	if (line < 1 || col < 1 || (size_t)(col - 1) > (size_t)(le - ls))
		return NULL;
	const char *p = ls + col - 1;
	for (int pass = 0; pass < 2; pass++) {
		while (p > ls && (p[-1] == ' ' || p[-1] == '\t'))
			p--;
		if (p > ls && p[-1] == ':')
			break;
		if (pass == 1)
			return NULL;
		while (p > ls && p[-1] != ' ' && p[-1] != '\t')
			p--; /* a tag before the value: `token: !!int x` */
	}
	const char *end = --p; /* at the ':' */
	char quote = p > ls && (p[-1] == '"' || p[-1] == '\'') ? p[-1] : 0;
	if (quote)
		end = --p;
	while (p > ls && key_char(p[-1]))
		p--;
	if (quote && !(p > ls && p[-1] == quote))
		return NULL;
	const char *key = p;
	if (quote)
		p--;
	/* A key starts a line, a list item or a flow entry; anything else
	 * ("abc" of `token: abc:def`) may be part of a value. */
	while (p > ls && (p[-1] == ' ' || p[-1] == '\t'))
		p--;
	if (p > ls && p[-1] != '-' && p[-1] != '{' && p[-1] != ',')
		return NULL;
	if (key == end || end - key > 64)
		return NULL;
	return arena_strndup(a, key, (size_t)(end - key));
}

/* The core schema tag a loader message names ("!!int"), or NULL. */
static const char *core_tag(const char *msg)
{
	static const char *const tags[] = { "int", "float", "bool", "null", "str", "map", "seq", NULL };
	const char *t = strstr(msg, "tag:yaml.org,2002:");
	if (!t)
		return NULL;
	t += strlen("tag:yaml.org,2002:");
	for (size_t i = 0; tags[i]; i++) {
		size_t n = strlen(tags[i]);
		if (!strncmp(t, tags[i], n) && !key_char(t[n]))
			return tags[i];
	}
	return NULL;
}

/* Our message for one loader diagnostic; *hint may be replaced. */
static const char *secret_safe_message(struct arena *a, const struct diag *g, const char *text, size_t len,
				       const char **hint)
{
	static const char *const kept[] = { "yaml-duplicate-key", "yaml-depth", "yaml-too-large", "yaml-complex-key",
					    "yaml-merge", NULL };
	for (size_t i = 0; kept[i]; i++)
		if (!strcmp(g->id, kept[i]))
			return g->msg;
	const char *key = key_at(a, text, len, g->line, g->col);
	const char *what = key ? arena_printf(a, "the value of '%s'", key) : "a value";
	const char *quote = key ? arena_printf(a, "quote the value if it is text (%s: \"...\")", key)
				: "quote the value if it is text";
	if (!strcmp(g->id, "yaml-syntax")) {
		/* libfyaml's messages are kept unless they quote the text. */
		if (!strpbrk(g->msg, "'\"`(<[{*!&|%@"))
			return g->msg;
		*hint = "fix the YAML syntax at this position";
		return "invalid YAML syntax (the parser's message is not shown: it would quote the kubeconfig)";
	}
	if (!strcmp(g->id, "yaml-tag")) {
		*hint = arena_printf(a, "%s; a plain value starting with '!' is a tag in YAML", quote);
		if (!strncmp(g->msg, "unsupported tag", 15))
			return arena_printf(a, "%s has a tag asbgen does not read (values are not shown)", what);
		const char *t = core_tag(g->msg);
		return t ? arena_printf(a, "%s is not a valid !!%s (values are not shown)", what, t)
			 : arena_printf(a, "%s does not match its tag (values are not shown)", what);
	}
	if (!strcmp(g->id, "yaml-int-range")) {
		*hint = quote;
		return arena_printf(a, "%s is an integer that does not fit in 64 bits (values are not shown)", what);
	}
	if (!strcmp(g->id, "yaml-alias")) {
		*hint = arena_printf(a, "%s; a plain value starting with '*' is an alias in YAML", quote);
		return arena_printf(a, "%s is an alias of an undefined anchor (values are not shown)", what);
	}
	if (!strcmp(g->id, "yaml-encoding")) {
		*hint = "a kubeconfig is UTF-8 text";
		return "a NUL byte or invalid UTF-8";
	}
	*hint = "check the kubeconfig with `kubectl config view`";
	return arena_printf(a, "%s cannot be read as YAML (values are not shown)", what);
}

/* load_yaml_stream, reporting into d without quoting a value. */
static int load_secret_yaml(struct arena *a, struct diags *d, const char *path, const char *text, size_t len,
			    struct value ***docs)
{
	struct diags own;
	diags_init(&own, a);
	int n = load_yaml_stream(a, &own, path, text, len, docs);
	for (size_t i = 0; i < own.n; i++) {
		const struct diag *g = &own.items[i];
		const char *hint = g->hint;
		const char *msg = secret_safe_message(a, g, text, len, &hint);
		diag_pos(d, g->sev, g->file, g->line, g->col, g->id, hint, "%s", msg);
	}
	diags_free(&own);
	return n;
}

/* Read one kubeconfig file into m.  missing_ok: a file of KUBECONFIG that
 * does not exist is skipped, as kubectl does. */
static int read_one(struct arena *a, struct diags *d, const char *path, bool missing_ok, struct merged *m)
{
	size_t len = 0;
	const char *why = NULL;
	char *text = read_secret_file(a, path, &len, &why);
	if (!text) {
		if (errno == ENOENT && missing_ok)
			return 0;
		diag_pos(d, SEV_ERROR, path, 0, 0, "io", "check the path and its permissions",
			 "cannot read kubeconfig: %s", why);
		return -1;
	}
	m->nfiles++;
	m->last_path = path;
	struct value **docs;
	int n = load_secret_yaml(a, d, path, text, len, &docs);
	if (n < 0)
		return -1;
	if (n == 0 || docs[0]->kind == V_NULL)
		return 0; /* an empty kubeconfig sets nothing */
	if (n > 1) {
		diag_at(d, SEV_ERROR, &docs[1]->mark, "kubeconfig-type", "keep one document per kubeconfig file",
			"a kubeconfig holds one YAML document, found %d", n);
		return -1;
	}
	const struct value *doc = docs[0];
	if (!want_map(d, doc, "a kubeconfig"))
		return -1;
	int rc = 0;
	const char *cur;
	int r = get_str(d, doc, "current-context", &cur);
	if (r < 0)
		rc = -1;
	else if (r == 1 && *cur && !m->current)
		m->current = map_get(doc, "current-context");
	if (collect(a, d, doc, path, "clusters", "cluster", &m->clusters) < 0 ||
	    collect(a, d, doc, path, "users", "user", &m->users) < 0 ||
	    collect(a, d, doc, path, "contexts", "context", &m->contexts) < 0)
		rc = -1;
	return rc;
}

/* ---- base64 ---- */

static int b64_digit(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

bool base64_decode(struct arena *a, const char *s, size_t n, struct blob *out)
{
	char *o = arena_alloc(a, n / 4 * 3 + 4);
	size_t olen = 0, pad = 0;
	unsigned acc = 0;
	int bits = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == ' ' || c == '\n' || c == '\r' || c == '\t')
			continue;
		if (c == '=') {
			pad++;
			continue;
		}
		int v = b64_digit(c);
		if (v < 0 || pad)
			return false; /* a foreign character, or data after padding */
		acc = (acc << 6) | (unsigned)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			o[olen++] = (char)((acc >> bits) & 0xff);
		}
	}
	/* Leftover bits must be fewer than a byte's worth and all zero. */
	if (bits >= 6 || (acc & ((1u << bits) - 1)) || pad > 2)
		return false;
	o[olen] = '\0';
	out->data = o;
	out->len = olen;
	return true;
}

/* ---- resolving the context ---- */

/* The file that `key: PATH` of entry e names (relative to e's file), whole;
 * NULL after reporting when it cannot be read or is empty.  trim: drop
 * trailing line ends and spaces first (a token file). */
static char *read_named_file(struct arena *a, struct diags *d, const struct entry *e, const char *key,
			     const char *path, bool trim, size_t *len)
{
	const char *full = resolve_path(a, e->file, path);
	const char *why = "the file is empty";
	*len = 0;
	char *text = read_secret_file(a, full, len, &why);
	while (trim && text && *len && (text[*len - 1] == '\n' || text[*len - 1] == '\r' || text[*len - 1] == ' '))
		text[--*len] = '\0';
	if (!text || *len == 0) {
		/* The path of a token or key file is not quoted: what stands
		 * there by mistake is often the token or the key itself. */
		bool secret = !strcmp(key, "tokenFile") || !strcmp(key, "client-key");
		const char *slash = strrchr(e->file, '/');
		const char *shown = !secret ? arena_printf(a, "'%s'", full)
			: path[0] == '/' ? "(its absolute path is not shown)"
			: arena_printf(a, "(its path, relative to %.*s, is not shown)", slash ? (int)(slash - e->file) : 1,
				       slash ? e->file : ".");
		const char *hint = !secret ? "paths are relative to the kubeconfig file's directory"
			: !strcmp(key, "tokenFile") ? "paths are relative to the kubeconfig file's directory; a token itself goes under token:"
			: "paths are relative to the kubeconfig file's directory; the key itself goes under client-key-data: (base64)";
		diag_at(d, SEV_ERROR, &map_get(e->body, key)->mark, "kubeconfig-file", hint,
			"cannot read %s %s: %s", key, shown, why);
		return NULL;
	}
	return text;
}

/* X-data (base64) or X (a file path relative to the entry's file). */
static int get_pem(struct arena *a, struct diags *d, const struct entry *e, const char *file_key,
		   const char *data_key, struct blob *out)
{
	const char *data, *path;
	int rd = get_str(d, e->body, data_key, &data);
	int rf = get_str(d, e->body, file_key, &path);
	if (rd < 0 || rf < 0)
		return -1;
	/* An empty X-data is absent, as in kubectl (client-go tests
	 * len(data) > 0): generators write `certificate-authority-data: ""`. */
	if (rd == 1 && *data) {
		if (!base64_decode(a, data, strlen(data), out) || out->len == 0) {
			diag_at(d, SEV_ERROR, &map_get(e->body, data_key)->mark, "kubeconfig-base64",
				arena_printf(a, "give the PEM text base64-encoded (base64 -w0 FILE), or use %s: PATH",
					     file_key),
				"%s is not valid base64", data_key);
			return -1;
		}
		return 0;
	}
	if (rf == 1) {
		char *text = read_named_file(a, d, e, file_key, path, false, &out->len);
		if (!text)
			return -1;
		out->data = text;
	}
	return 0;
}

/* Authentication kubectl knows that asbgen does not do. */
static int check_unsupported(struct diags *d, const struct entry *e, const char *const *keys,
			     const char *const *hints, const char *kind)
{
	int rc = 0;
	for (size_t i = 0; keys[i]; i++) {
		const struct pair *p = map_get_pair(e->body, keys[i]);
		if (!p || p->val->kind == V_NULL)
			continue;
		diag_at(d, SEV_ERROR, &p->key->mark, "kubeconfig-unsupported", hints[i],
			"%s '%s' uses %s, which asbgen does not support", kind, e->name, keys[i]);
		rc = -1;
	}
	return rc;
}

/* What is wrong with a server URL, or NULL; *hint set.  The URL is shown
 * in later messages ("cannot connect to https://HOST"), so one that may
 * hold a secret is refused here without being quoted:
 *
 *  - user info.  RFC 3986: the authority runs from "//" to the first '/',
 *    '?' or '#', and the user info is what comes before its last '@'.
 *    But a password written into a URL unencoded may hold any of those:
 *    in https://admin:S3cret/Pass@host a parser sees host "admin", port
 *    "S3cret" and path "/Pass@host", and quotes the password as a bad
 *    port.  So any '@' is refused: before the first '/', '?' or '#' it is
 *    user info for certain; after it, it is a password with a '/' in it
 *    or an '@' in the path (which an API server's prefix never holds, and
 *    which can be written %40).
 *  - a query or fragment: asbgen appends API paths to the server, which
 *    cannot follow one, and a query is where URL-borne tokens sit.
 *  - control characters, and any scheme but https (only the scheme is
 *    named: the rest may be anything, a token pasted into the wrong key). */
static const char *server_problem(struct arena *a, const char *s, const char **hint)
{
	*hint = "put credentials in the user entry (token, client certificate), never in the server URL";
	for (const char *p = s; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return "the server URL holds a control character (the URL is not shown)";
	const char *at = strchr(s, '@');
	if (at) {
		const char *auth = strstr(s, "://");
		auth = auth ? auth + 3 : s;
		size_t alen = strcspn(auth, "/?#");
		if (at < auth + alen)
			return "the server URL holds user info (credentials before '@'), which asbgen does not send "
			       "(the URL is not shown)";
		*hint = "an '@' after the host is a password with '/', '?' or '#' in it, or part of the path: "
			"put credentials in the user entry; write an '@' of the path as %40";
		return "the server URL holds an '@' after the host part (the URL is not shown: it may hold a password)";
	}
	size_t sl = 0;
	while ((s[sl] >= 'a' && s[sl] <= 'z') || (s[sl] >= 'A' && s[sl] <= 'Z') ||
	       (sl && ((s[sl] >= '0' && s[sl] <= '9') || s[sl] == '+' || s[sl] == '-' || s[sl] == '.')))
		sl++;
	bool scheme = sl && sl <= 16 && !strncmp(s + sl, "://", 3);
	if (strncmp(s, "https://", 8) != 0 || !s[8]) {
		*hint = "asbgen talks to API servers over HTTPS only: give an https:// address";
		if (scheme && !(sl == 5 && !strncmp(s, "https", 5)))
			return arena_printf(a, "the server URL's scheme is %.*s://, not https://", (int)sl, s);
		return scheme ? "the server URL has no host" : "the server is not an https:// URL (it has no scheme)";
	}
	if (strpbrk(s, "?#")) {
		*hint = "give the API server's address as https://HOST[:PORT][/PATH], without '?' or '#'";
		return "the server URL holds a query or fragment ('?' or '#'), which the API paths cannot follow "
		       "(the URL is not shown)";
	}
	return NULL;
}

static int resolve_cluster(struct arena *a, struct diags *d, const struct entry *e, struct kubeconfig *out)
{
	static const char *const keys[] = { "proxy-url", "tls-server-name", NULL };
	static const char *const hints[] = {
		"remove proxy-url, or use a kubeconfig whose server is reachable directly",
		"remove tls-server-name: the server's certificate must match the server address",
	};
	int rc = check_unsupported(d, e, keys, hints, "cluster");
	const char *server;
	int r = get_str(d, e->body, "server", &server);
	if (r == 0 || (r == 1 && !*server)) {
		diag_at(d, SEV_ERROR, &e->item->mark, "kubeconfig-server", "add server: https://HOST:PORT",
			"cluster '%s' has no server", e->name);
		return -1;
	}
	if (r < 0)
		return -1;
	const struct value *sv = map_get(e->body, "server");
	const char *hint = NULL;
	const char *why = server_problem(a, server, &hint);
	if (why) {
		diag_at(d, SEV_ERROR, &sv->mark, "kubeconfig-server", hint, "cluster '%s': %s", e->name, why);
		return -1;
	}
	/* (kube_new parses it as libcurl will, and reports a bad port or
	 * host here, at server_mark.) */
	out->server_mark = sv->mark;
	size_t n = strlen(server);
	while (n > 8 && server[n - 1] == '/')
		n--;
	out->server = arena_strndup(a, server, n);
	out->cluster = e->name;
	const struct value *ins = map_get(e->body, "insecure-skip-tls-verify");
	if (ins && ins->kind == V_BOOL)
		out->insecure = ins->b;
	else if (ins && ins->kind != V_NULL) {
		diag_at(d, SEV_ERROR, &ins->mark, "kubeconfig-type", "write true or false",
			"insecure-skip-tls-verify must be a boolean, not %s", vkind_name(ins->kind));
		rc = -1;
	}
	if (get_pem(a, d, e, "certificate-authority", "certificate-authority-data", &out->ca) < 0)
		rc = -1;
	return rc;
}

/* A list of strings (args), into a NULL-terminated array after `first`
 * slots.  Returns NULL after reporting. */
static const char **get_strs(struct arena *a, struct diags *d, const struct value *v, const char *key, size_t first)
{
	size_t n = v && v->kind == V_SEQ ? v->seq.n : 0;
	const char **out = arena_alloc(a, (first + n + 1) * sizeof *out);
	memset(out, 0, (first + n + 1) * sizeof *out);
	if (v && v->kind != V_SEQ && v->kind != V_NULL) {
		diag_at(d, SEV_ERROR, &v->mark, "kubeconfig-type", "write a list of strings",
			"%s must be a list, not %s", key, vkind_name(v->kind));
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		const struct value *x = v->seq.items[i];
		if (x->kind != V_STRING) {
			diag_at(d, SEV_ERROR, &x->mark, "kubeconfig-type", "quote the value",
				"each of %s must be a string, not %s", key, vkind_name(x->kind));
			return NULL;
		}
		out[first + i] = x->str.s;
	}
	return out;
}

/* env: [{name, value}] as NAME=VALUE strings. */
static const char **get_env(struct arena *a, struct diags *d, const struct value *v)
{
	size_t n = v && v->kind == V_SEQ ? v->seq.n : 0;
	const char **out = arena_alloc(a, (n + 1) * sizeof *out);
	out[n] = NULL;
	if (v && v->kind != V_SEQ && v->kind != V_NULL) {
		diag_at(d, SEV_ERROR, &v->mark, "kubeconfig-type", "write a list of {name: NAME, value: VALUE}",
			"exec env must be a list, not %s", vkind_name(v->kind));
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		const struct value *x = v->seq.items[i];
		const char *name, *val;
		if (!want_map(d, x, "each exec env entry"))
			return NULL;
		int rn = get_str(d, x, "name", &name), rv = get_str(d, x, "value", &val);
		if (rn < 0 || rv < 0)
			return NULL;
		if (rn == 0 || !*name || strchr(name, '=') || rv == 0) {
			diag_at(d, SEV_ERROR, &x->mark, "kubeconfig-exec", "write {name: NAME, value: VALUE}",
				"an exec env entry needs a name (without '=') and a value");
			return NULL;
		}
		out[i] = arena_printf(a, "%s=%s", name, val);
	}
	return out;
}

/* The user's exec: stanza, checked as kubectl checks it.  Returns 0
 * (p->argv set), 1 when there is none, -1 after reporting. */
static int get_exec(struct arena *a, struct diags *d, const struct entry *e, struct exec_plugin *p)
{
	const struct pair *ep = map_get_pair(e->body, "exec");
	if (!ep || ep->val->kind == V_NULL)
		return 1;
	const struct value *x = ep->val;
	if (!want_map(d, x, "exec"))
		return -1;
	memset(p, 0, sizeof *p);
	p->user = e->name;
	p->mark = &ep->key->mark;
	const char *api, *cmd, *mode, *hint;
	if (get_str(d, x, "apiVersion", &api) < 0 || get_str(d, x, "command", &cmd) < 0 ||
	    get_str(d, x, "interactiveMode", &mode) < 0 || get_str(d, x, "installHint", &hint) < 0)
		return -1;
	const char *v1 = "client.authentication.k8s.io/v1", *v1b = "client.authentication.k8s.io/v1beta1";
	if (!api || (strcmp(api, v1) != 0 && strcmp(api, v1b) != 0)) {
		diag_at(d, SEV_ERROR, api ? &map_get(x, "apiVersion")->mark : p->mark, "kubeconfig-exec",
			"write apiVersion: client.authentication.k8s.io/v1 (v1alpha1 was removed in Kubernetes 1.24)",
			api ? "user '%s': exec apiVersion '%s' is not client.authentication.k8s.io/v1 or v1beta1"
			    : "user '%s': exec has no apiVersion%s",
			e->name, api ? api : "");
		return -1;
	}
	if (!cmd || !*cmd) {
		diag_at(d, SEV_ERROR, p->mark, "kubeconfig-exec", "add command: PLUGIN (e.g. gke-gcloud-auth-plugin)",
			"user '%s': exec has no command", e->name);
		return -1;
	}
	/* v1 requires interactiveMode; v1beta1 defaults it to IfAvailable. */
	if (!mode && !strcmp(api, v1)) {
		diag_at(d, SEV_ERROR, p->mark, "kubeconfig-exec", "add interactiveMode: Never (or IfAvailable)",
			"user '%s': exec of apiVersion v1 needs interactiveMode", e->name);
		return -1;
	}
	if (mode && strcmp(mode, "Never") != 0 && strcmp(mode, "IfAvailable") != 0) {
		diag_at(d, SEV_ERROR, &map_get(x, "interactiveMode")->mark, "kubeconfig-exec",
			!strcmp(mode, "Always")
				? "asbgen runs plugins without a terminal: log in first (e.g. run kubectl once), or use a "
				  "plugin mode that needs no prompt (Never or IfAvailable)"
				: "write Never, IfAvailable or Always",
			!strcmp(mode, "Always") ? "user '%s': the exec plugin needs a terminal (interactiveMode: Always)"
						: "user '%s': exec interactiveMode is not Never, IfAvailable or Always",
			e->name);
		return -1;
	}
	const struct value *pci = map_get(x, "provideClusterInfo");
	if (pci && pci->kind == V_BOOL)
		p->cluster_info = pci->b;
	else if (pci && pci->kind != V_NULL) {
		diag_at(d, SEV_ERROR, &pci->mark, "kubeconfig-type", "write true or false",
			"provideClusterInfo must be a boolean, not %s", vkind_name(pci->kind));
		return -1;
	}
	const char **argv = get_strs(a, d, map_get(x, "args"), "args", 1);
	const char **env = get_env(a, d, map_get(x, "env"));
	if (!argv || !env)
		return -1;
	/* As kubectl: a command with a '/' is relative to the kubeconfig's
	 * folder; a bare name is looked up on PATH. */
	argv[0] = strchr(cmd, '/') ? resolve_path(a, e->file, cmd) : cmd;
	p->argv = argv;
	p->env = env;
	p->api_version = api;
	p->install_hint = hint && *hint ? hint : NULL;
	return 0;
}

static int resolve_user(struct arena *a, struct diags *d, const struct entry *e, struct kubeconfig *out,
			struct exec_plugin *exec, bool *has_exec)
{
	static const char *const keys[] = { "auth-provider", "username", "password", "as",
					    "as-groups", "as-uid", "as-user-extra", NULL };
	static const char *const hints[] = {
		"auth-provider plugins are not supported; give a token or a client certificate",
		"basic authentication is gone from Kubernetes; give a token or a client certificate",
		"basic authentication is gone from Kubernetes; give a token or a client certificate",
		"impersonation is not supported; use the credentials of the user itself",
		"impersonation is not supported; use the credentials of the user itself",
		"impersonation is not supported; use the credentials of the user itself",
		"impersonation is not supported; use the credentials of the user itself",
	};
	int rc = check_unsupported(d, e, keys, hints, "user");
	out->user = e->name;
	if (get_pem(a, d, e, "client-certificate", "client-certificate-data", &out->cert) < 0 ||
	    get_pem(a, d, e, "client-key", "client-key-data", &out->key) < 0)
		rc = -1;
	if (rc == 0 && out->key.len > REDACT_MAX_SECRET) {
		diag_at(d, SEV_ERROR, &e->item->mark, "kubeconfig-client-cert",
			"a PEM client key is a few KiB at most: is client-key the right file?",
			"user '%s': the client key is longer than %u KiB", e->name, REDACT_MAX_SECRET >> 10);
		rc = -1;
	}
	if (rc == 0 && (!out->cert.data) != (!out->key.data)) {
		diag_at(d, SEV_ERROR, &e->item->mark, "kubeconfig-client-cert",
			"give both client-certificate(-data) and client-key(-data), or neither",
			"user '%s' has a client %s but no client %s", e->name,
			out->cert.data ? "certificate" : "key", out->cert.data ? "key" : "certificate");
		rc = -1;
	}
	const char *token, *token_file;
	int rt = get_str(d, e->body, "token", &token);
	int rf = get_str(d, e->body, "tokenFile", &token_file);
	if (rt < 0 || rf < 0)
		return -1;
	if (rt == 1 && *token) {
		out->token = token; /* token wins over tokenFile, as in kubectl */
	} else if (rf == 1) {
		size_t len;
		if (!(out->token = read_named_file(a, d, e, "tokenFile", token_file, true, &len)))
			return -1;
	}
	/* The redactor (redact.h) takes secrets of a bounded size; a real
	 * token is a few KiB (HTTP servers refuse longer headers anyway). */
	if (out->token && strlen(out->token) > REDACT_MAX_SECRET) {
		diag_at(d, SEV_ERROR, &e->item->mark, "kubeconfig-token",
			"a bearer token is a few KiB at most: is tokenFile the right file?",
			"user '%s': the token is longer than %u KiB", e->name, REDACT_MAX_SECRET >> 10);
		return -1;
	}
	if (out->token && strpbrk(out->token, "\r\n")) {
		diag_at(d, SEV_ERROR, &e->item->mark, "kubeconfig-token",
			"a bearer token is one line", "user '%s': the token holds a line break", e->name);
		return -1;
	}
	int rx = get_exec(a, d, e, exec);
	if (rx < 0)
		return -1;
	*has_exec = rx == 0;
	if (*has_exec && (out->token || out->cert.data)) {
		diag_at(d, SEV_ERROR, exec->mark, "kubeconfig-exec",
			"keep exec and remove token, tokenFile and the client certificate, or the other way round",
			"user '%s' has both an exec plugin and a %s", e->name, out->token ? "token" : "client certificate");
		return -1;
	}
	return rc;
}

/* The plugin's credential becomes the user's, as if written in the file. */
static int run_exec(struct arena *a, struct diags *d, const struct exec_plugin *exec, struct kubeconfig *out)
{
	struct exec_credential cred;
	if (exec_credential_get(a, d, exec, out, &cred) < 0)
		return -1;
	out->token = cred.token;
	out->cert = cred.cert;
	out->key = cred.key;
	return 0;
}

/* The files to read, in order. */
static int read_files(struct arena *a, struct diags *d, const struct kubeconfig_source *src, struct merged *m)
{
	if (src->explicit_path)
		return read_one(a, d, src->explicit_path, false, m);
	if (src->env && *src->env) {
		int rc = 0;
		const char *p = src->env;
		while (*p) {
			const char *colon = strchr(p, ':');
			size_t n = colon ? (size_t)(colon - p) : strlen(p);
			if (n && read_one(a, d, arena_strndup(a, p, n), true, m) < 0)
				rc = -1;
			p += n + (colon ? 1 : 0);
		}
		if (rc == 0 && m->nfiles == 0) {
			diag_pos(d, SEV_ERROR, NULL, 0, 0, "kubeconfig-missing",
				 "give --kubeconfig FILE, or fix KUBECONFIG",
				 "no file listed in KUBECONFIG exists");
			return -1;
		}
		return rc;
	}
	if (!src->home || !*src->home) {
		diag_pos(d, SEV_ERROR, NULL, 0, 0, "kubeconfig-missing", "give --kubeconfig FILE or set KUBECONFIG",
			 "no kubeconfig: KUBECONFIG and HOME are not set");
		return -1;
	}
	const char *path = arena_printf(a, "%s/.kube/config", src->home);
	int rc = read_one(a, d, path, true, m);
	if (rc == 0 && m->nfiles == 0) {
		diag_pos(d, SEV_ERROR, NULL, 0, 0, "kubeconfig-missing", "give --kubeconfig FILE or set KUBECONFIG",
			 "no kubeconfig: %s does not exist", path);
		return -1;
	}
	return rc;
}

int kubeconfig_load(struct arena *a, struct diags *d, const struct kubeconfig_source *src,
		    struct kubeconfig *out)
{
	memset(out, 0, sizeof *out);
	struct merged m;
	memset(&m, 0, sizeof m);
	if (read_files(a, d, src, &m) < 0)
		return -1;

	const char *ctx_name = src->context;
	const struct mark *ctx_mark = NULL; /* where the name came from, if a file */
	if (!ctx_name || !*ctx_name) {
		if (!m.current) {
			diag_pos(d, SEV_ERROR, m.last_path, 0, 0, "kubeconfig-context",
				 "give --context NAME, or run kubectl config use-context NAME",
				 "no current-context is set");
			return -1;
		}
		ctx_name = m.current->str.s;
		ctx_mark = &m.current->mark;
	}
	const struct entry *ce = find_entry(&m.contexts, ctx_name);
	if (!ce) {
		const char *known = "";
		for (size_t i = 0; i < m.contexts.n && i < 10; i++)
			known = arena_printf(a, "%s%s%s", known, i ? ", " : "", m.contexts.items[i].name);
		const char *hint = m.contexts.n ? arena_printf(a, "contexts defined: %s", known)
						: "the kubeconfig defines no contexts";
		if (ctx_mark)
			diag_at(d, SEV_ERROR, ctx_mark, "kubeconfig-context", hint,
				"current-context '%s' is not defined", ctx_name);
		else
			diag_pos(d, SEV_ERROR, NULL, 0, 0, "kubeconfig-context", hint,
				 "--context '%s' is not defined in the kubeconfig", ctx_name);
		return -1;
	}
	out->context = ce->name;
	out->file = ce->file;
	const char *cluster_name, *user_name;
	if (get_str(d, ce->body, "cluster", &cluster_name) < 0 || get_str(d, ce->body, "user", &user_name) < 0)
		return -1;
	if (!cluster_name) {
		diag_at(d, SEV_ERROR, &ce->item->mark, "kubeconfig-cluster", "add cluster: NAME to the context",
			"context '%s' names no cluster", ce->name);
		return -1;
	}
	const struct entry *cl = find_entry(&m.clusters, cluster_name);
	if (!cl) {
		diag_at(d, SEV_ERROR, &map_get(ce->body, "cluster")->mark, "kubeconfig-cluster",
			"add the cluster under clusters:, or fix the name",
			"cluster '%s' of context '%s' is not defined", cluster_name, ce->name);
		return -1;
	}
	int rc = resolve_cluster(a, d, cl, out);
	if (user_name && *user_name) {
		const struct entry *us = find_entry(&m.users, user_name);
		if (!us) {
			diag_at(d, SEV_ERROR, &map_get(ce->body, "user")->mark, "kubeconfig-user",
				"add the user under users:, or fix the name",
				"user '%s' of context '%s' is not defined", user_name, ce->name);
			return -1;
		}
		struct exec_plugin exec;
		bool has_exec = false;
		if (resolve_user(a, d, us, out, &exec, &has_exec) < 0)
			rc = -1;
		else if (rc == 0 && has_exec)
			rc = run_exec(a, d, &exec, out);
	}
	return rc;
}
