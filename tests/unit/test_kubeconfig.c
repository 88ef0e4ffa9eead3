/* test_kubeconfig.c - kubeconfig resolution (files, merge, errors), base64,
 * --request-timeout parsing, and the cleaning of live objects. */
#include "arena.h"
#include "diag.h"
#include "kube.h"
#include "kubeconfig.h"
#include "live.h"
#include "load.h"
#include "redact.h"
#include "unit.h"
#include "value.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[] = "/tmp/asbgen-kc.XXXXXX";

static const char *write_file(struct arena *a, const char *name, const char *text)
{
	const char *p = arena_printf(a, "%s/%s", dir, name);
	FILE *fp = fopen(p, "w");
	if (!fp)
		return p;
	fputs(text, fp);
	fclose(fp);
	return p;
}

/* The first diagnostic with this id, or NULL. */
static const struct diag *find(const struct diags *d, const char *id)
{
	for (size_t i = 0; i < d->n; i++)
		if (!strcmp(d->items[i].id, id))
			return &d->items[i];
	return NULL;
}

/* Does any message or hint hold s? */
static bool diags_mention(const struct diags *d, const char *s)
{
	for (size_t i = 0; i < d->n; i++)
		if (strstr(d->items[i].msg, s) || (d->items[i].hint && strstr(d->items[i].hint, s)))
			return true;
	return false;
}

struct run {
	struct arena *a;
	struct diags d;
	struct kubeconfig kc;
	int rc;
};

static void run(struct run *r, const char *explicit_path, const char *env, const char *home, const char *context)
{
	struct kubeconfig_source src = { explicit_path, env, home, context };
	r->rc = kubeconfig_load(r->a, &r->d, &src, &r->kc);
}

static void run_init(struct run *r)
{
	memset(r, 0, sizeof *r);
	r->a = arena_new();
	diags_init(&r->d, r->a);
}

static void run_free(struct run *r)
{
	diags_free(&r->d);
	arena_free(r->a);
}

/* "-----BEGIN CERTIFICATE-----\nabc\n" base64 encoded, and a token. */
#define CA_B64 "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCmFiYwo="
#define CA_TEXT "-----BEGIN CERTIFICATE-----\nabc\n"
#define TOKEN "s3cr3t-token-do-not-print"

static const char basic[] =
	"apiVersion: v1\n"
	"kind: Config\n"
	"current-context: dev\n"
	"clusters:\n"
	"- name: c1\n"
	"  cluster:\n"
	"    server: https://127.0.0.1:6443/\n"
	"    certificate-authority-data: " CA_B64 "\n"
	"- name: c2\n"
	"  cluster:\n"
	"    server: https://10.0.0.2:443\n"
	"    certificate-authority: certs/ca.pem\n"
	"users:\n"
	"- name: u1\n"
	"  user:\n"
	"    token: " TOKEN "\n"
	"- name: u2\n"
	"  user:\n"
	"    client-certificate: certs/client.pem\n"
	"    client-key-data: " CA_B64 "\n"
	"contexts:\n"
	"- name: dev\n"
	"  context: {cluster: c1, user: u1, namespace: x}\n"
	"- name: other\n"
	"  context: {cluster: c2, user: u2}\n";

static void test_basic(void)
{
	struct arena *a = arena_new();
	const char *p = write_file(a, "basic", basic);
	write_file(a, "ca-sub", "");
	struct run r;
	run_init(&r);
	run(&r, p, NULL, NULL, NULL);
	CHECK("kubeconfig: a token context resolves", r.rc == 0 && r.d.n == 0);
	CHECK_STR("kubeconfig: current-context", r.kc.context, "dev");
	CHECK_STR("kubeconfig: server without trailing slash", r.kc.server, "https://127.0.0.1:6443");
	CHECK("kubeconfig: certificate-authority-data decoded",
	      r.kc.ca.data && r.kc.ca.len == strlen(CA_TEXT) && !memcmp(r.kc.ca.data, CA_TEXT, r.kc.ca.len));
	CHECK_STR("kubeconfig: token", r.kc.token, TOKEN);
	CHECK("kubeconfig: no client certificate", !r.kc.cert.data && !r.kc.key.data);
	run_free(&r);

	/* --context, with paths relative to the kubeconfig's directory. */
	if (mkdir(arena_printf(a, "%s/certs", dir), 0700) != 0)
		perror("mkdir");
	write_file(a, "certs/ca.pem", "CA PEM\n");
	write_file(a, "certs/client.pem", "CLIENT PEM\n");
	run_init(&r);
	run(&r, p, NULL, NULL, "other");
	CHECK("kubeconfig: --context other resolves", r.rc == 0 && r.d.n == 0);
	CHECK_STR("kubeconfig: --context picks its cluster", r.kc.cluster, "c2");
	CHECK("kubeconfig: certificate-authority read relative to the kubeconfig",
	      r.kc.ca.data && !strcmp(r.kc.ca.data, "CA PEM\n"));
	CHECK("kubeconfig: client-certificate file and client-key-data",
	      r.kc.cert.data && !strcmp(r.kc.cert.data, "CLIENT PEM\n") && r.kc.key.len == strlen(CA_TEXT));
	CHECK("kubeconfig: no token", r.kc.token == NULL);
	run_free(&r);

	/* --context that does not exist: no position (a command-line value). */
	run_init(&r);
	run(&r, p, NULL, NULL, "nope");
	const struct diag *g = find(&r.d, "kubeconfig-context");
	CHECK("kubeconfig: unknown --context is kubeconfig-context", r.rc < 0 && g && !g->file);
	CHECK("kubeconfig: unknown --context lists the contexts", g && g->hint && strstr(g->hint, "dev, other"));
	run_free(&r);
	arena_free(a);
}

static void test_merge(void)
{
	struct arena *a = arena_new();
	/* First file: current-context and a cluster; the second redefines
	 * the cluster (ignored) and adds the user and context. */
	const char *f1 = write_file(a, "m1",
		"current-context: ctx\n"
		"clusters:\n- name: c\n  cluster: {server: 'https://first.example:6443'}\n");
	const char *f2 = write_file(a, "m2",
		"current-context: ignored\n"
		"clusters:\n- name: c\n  cluster: {server: 'https://second.example:6443'}\n"
		"users:\n- name: u\n  user: {tokenFile: tok}\n"
		"contexts:\n- name: ctx\n  context: {cluster: c, user: u}\n"
		"- name: ignored\n  context: {cluster: c}\n");
	write_file(a, "tok", "file-token\n");
	const char *env = arena_printf(a, "%s/absent::%s:%s", dir, f1, f2);
	struct run r;
	run_init(&r);
	run(&r, NULL, env, "/nonexistent", NULL);
	CHECK("kubeconfig merge: KUBECONFIG list resolves (a missing file skipped)", r.rc == 0 && r.d.n == 0);
	CHECK_STR("kubeconfig merge: first current-context wins", r.kc.context, "ctx");
	CHECK_STR("kubeconfig merge: first definition of a cluster wins", r.kc.server, "https://first.example:6443");
	CHECK_STR("kubeconfig merge: tokenFile read, relative to its file, newline trimmed", r.kc.token, "file-token");
	run_free(&r);

	run_init(&r);
	run(&r, NULL, arena_printf(a, "%s/absent1:%s/absent2", dir, dir), NULL, NULL);
	CHECK("kubeconfig merge: no listed file exists is kubeconfig-missing",
	      r.rc < 0 && find(&r.d, "kubeconfig-missing"));
	run_free(&r);

	/* HOME: ~/.kube/config */
	if (mkdir(arena_printf(a, "%s/.kube", dir), 0700) != 0)
		perror("mkdir");
	write_file(a, ".kube/config", basic);
	run_init(&r);
	run(&r, NULL, "", dir, NULL);
	CHECK("kubeconfig: ~/.kube/config when KUBECONFIG is empty", r.rc == 0 && r.kc.server &&
	      !strcmp(r.kc.server, "https://127.0.0.1:6443"));
	run_free(&r);
	run_init(&r);
	run(&r, NULL, NULL, "/nonexistent", NULL);
	const struct diag *gm = find(&r.d, "kubeconfig-missing");
	CHECK("kubeconfig: no ~/.kube/config is kubeconfig-missing naming it",
	      r.rc < 0 && gm && strstr(gm->msg, "/nonexistent/.kube/config"));
	run_free(&r);
	arena_free(a);
}

/* Run one broken kubeconfig; expect `id` at line:col. */
static void expect_error(const char *name, const char *text, const char *id, int line, int col)
{
	struct arena *a = arena_new();
	const char *p = write_file(a, "bad", text);
	struct run r;
	run_init(&r);
	run(&r, p, NULL, NULL, NULL);
	const struct diag *g = find(&r.d, id);
	char label[200];
	snprintf(label, sizeof label, "kubeconfig error: %s is %s at %d:%d", name, id, line, col);
	if (g && r.rc < 0 && g->file && !strcmp(g->file, p) && g->line == line && g->col == col) {
		CHECK(label, true);
	} else {
		CHECK(label, false);
		for (size_t i = 0; i < r.d.n; i++)
			printf("    got %s:%d:%d %s [%s]\n", r.d.items[i].file ? r.d.items[i].file : "-",
			       r.d.items[i].line, r.d.items[i].col, r.d.items[i].msg, r.d.items[i].id);
	}
	snprintf(label, sizeof label, "kubeconfig error: %s does not show the token", name);
	CHECK(label, !diags_mention(&r.d, TOKEN));
	run_free(&r);
	arena_free(a);
}

static void test_errors(void)
{
	expect_error("current-context not defined",
		     "current-context: nope\ncontexts: []\n", "kubeconfig-context", 1, 18);
	expect_error("no current-context", "clusters: []\n", "kubeconfig-context", 0, 0 - 0);
	expect_error("cluster not defined",
		     "current-context: a\ncontexts:\n- name: a\n  context: {cluster: zz, user: u}\n",
		     "kubeconfig-cluster", 4, 22);
	expect_error("user not defined",
		     "current-context: a\nclusters:\n- name: c\n  cluster: {server: 'https://h'}\n"
		     "contexts:\n- name: a\n  context: {cluster: c, user: zz}\n",
		     "kubeconfig-user", 7, 31);
	expect_error("exec plugin beside a token",
		     "current-context: a\nclusters:\n- name: c\n  cluster: {server: 'https://h'}\n"
		     "users:\n- name: u\n  user:\n    token: " TOKEN "\n    exec:\n      command: gke-gcloud-auth-plugin\n"
		     "      apiVersion: client.authentication.k8s.io/v1beta1\n"
		     "contexts:\n- name: a\n  context: {cluster: c, user: u}\n",
		     "kubeconfig-exec", 9, 5);
	expect_error("auth-provider",
		     "current-context: a\nclusters:\n- name: c\n  cluster: {server: 'https://h'}\n"
		     "users:\n- name: u\n  user:\n    auth-provider: {name: gcp}\n"
		     "contexts:\n- name: a\n  context: {cluster: c, user: u}\n",
		     "kubeconfig-unsupported", 8, 5);
	expect_error("bad base64 key",
		     "current-context: a\nclusters:\n- name: c\n  cluster: {server: 'https://h'}\n"
		     "users:\n- name: u\n  user:\n    client-certificate-data: " CA_B64 "\n"
		     "    client-key-data: " TOKEN "\n"
		     "contexts:\n- name: a\n  context: {cluster: c, user: u}\n",
		     "kubeconfig-base64", 9, 22);
	expect_error("http server",
		     "current-context: a\nclusters:\n- name: c\n  cluster:\n    server: http://h:8080\n"
		     "contexts:\n- name: a\n  context: {cluster: c}\n",
		     "kubeconfig-server", 5, 13);
	expect_error("no server",
		     "current-context: a\nclusters:\n- name: c\n  cluster: {}\n"
		     "contexts:\n- name: a\n  context: {cluster: c}\n",
		     "kubeconfig-server", 3, 3);
	expect_error("certificate without key",
		     "current-context: a\nclusters:\n- name: c\n  cluster: {server: 'https://h'}\n"
		     "users:\n- name: u\n  user: {client-certificate-data: " CA_B64 "}\n"
		     "contexts:\n- name: a\n  context: {cluster: c, user: u}\n",
		     "kubeconfig-client-cert", 6, 3);
	expect_error("CA file missing",
		     "current-context: a\nclusters:\n- name: c\n  cluster:\n    server: https://h\n"
		     "    certificate-authority: no-such-ca.pem\n"
		     "contexts:\n- name: a\n  context: {cluster: c}\n",
		     "kubeconfig-file", 6, 28);
	expect_error("clusters not a list", "current-context: a\nclusters: {c: 1}\n", "kubeconfig-type", 2, 11);
	expect_error("token not a string",
		     "current-context: a\nclusters:\n- name: c\n  cluster: {server: 'https://h'}\n"
		     "users:\n- name: u\n  user: {token: [1]}\n"
		     "contexts:\n- name: a\n  context: {cluster: c, user: u}\n",
		     "kubeconfig-type", 7, 17);
	expect_error("YAML syntax", "current-context: [a\n", "yaml-syntax", 2, 1);

	/* The loader's messages would quote these values (README, Secrets). */
#define USER_TOKEN(v) "current-context: a\nclusters:\n- name: c\n  cluster: {server: 'https://h'}\n" \
		      "users:\n- name: u\n  user:\n    token: " v "\ncontexts:\n- name: a\n  context: {cluster: c, user: u}\n"
	expect_error("token tagged !!int", USER_TOKEN("!!int " TOKEN), "yaml-tag", 8, 18);
	expect_error("token starting with '!'", USER_TOKEN("!" TOKEN), "yaml-tag", 8, 12);
	expect_error("token starting with '*'", USER_TOKEN("*" TOKEN), "yaml-alias", 8, 12);
	expect_error("numeric token too long for 64 bits", USER_TOKEN("98765432109876543210987654321"), "yaml-int-range", 8, 12);
	expect_error("bad escape in a quoted token", USER_TOKEN("\"\\q" TOKEN "\""), "yaml-syntax", 8, 13);
	expect_error("a token pasted under tokenFile",
		     "current-context: a\nclusters:\n- name: c\n  cluster: {server: 'https://h'}\n"
		     "users:\n- name: u\n  user:\n    tokenFile: " TOKEN "\ncontexts:\n- name: a\n  context: {cluster: c, user: u}\n",
		     "kubeconfig-file", 8, 16);
	expect_error("a key pasted under client-key",
		     "current-context: a\nclusters:\n- name: c\n  cluster: {server: 'https://h'}\n"
		     "users:\n- name: u\n  user:\n    client-certificate-data: " CA_B64 "\n    client-key: /" TOKEN "\n"
		     "contexts:\n- name: a\n  context: {cluster: c, user: u}\n",
		     "kubeconfig-file", 9, 17);
#define SERVER(v) "current-context: a\nclusters:\n- name: c\n  cluster:\n    server: " v "\n" \
		  "contexts:\n- name: a\n  context: {cluster: c}\n"
	expect_error("user info in the server", SERVER("https://admin:" TOKEN "@h"), "kubeconfig-server", 5, 13);
	expect_error("a password with '/' in the server", SERVER("https://admin:" TOKEN "/x@h"), "kubeconfig-server", 5, 13);
	expect_error("a password with '?' in the server", SERVER("https://admin:" TOKEN "?x@h"), "kubeconfig-server", 5, 13);
	expect_error("a user name in the server", SERVER("https://" TOKEN "@h"), "kubeconfig-server", 5, 13);
	expect_error("'@' in the server's path", SERVER("https://h/p@" TOKEN), "kubeconfig-server", 5, 13);
	expect_error("a query in the server", SERVER("https://h/?token=" TOKEN), "kubeconfig-server", 5, 13);
	expect_error("http with user info", SERVER("http://admin:" TOKEN "@h"), "kubeconfig-server", 5, 13);
	expect_error("a server without a scheme", SERVER(TOKEN), "kubeconfig-server", 5, 13);
	expect_error("a control character in the server", SERVER("\"https://h/\\e[2K" TOKEN "\""), "kubeconfig-server", 5, 13);
}

/* The loader's messages for a kubeconfig name the key. */
static void test_secret_messages(void)
{
	struct arena *a = arena_new();
	const char *p = write_file(a, "tagged", USER_TOKEN("!!int " TOKEN));
	struct run r;
	run_init(&r);
	run(&r, p, NULL, NULL, NULL);
	const struct diag *g = find(&r.d, "yaml-tag");
	CHECK_STR("kubeconfig: a tagged token's message names the key and the tag, not the value",
		  g ? g->msg : NULL, "the value of 'token' is not a valid !!int (values are not shown)");
	run_free(&r);
	p = write_file(a, "json", "{\"current-context\": \"a\", \"users\": [{\"name\": \"u\", \"user\": {\"token\": *" TOKEN "}}]}\n");
	run_init(&r);
	run(&r, p, NULL, NULL, NULL);
	g = find(&r.d, "yaml-alias");
	CHECK_STR("kubeconfig: a quoted key (JSON) is named too", g ? g->msg : NULL,
		  "the value of 'token' is an alias of an undefined anchor (values are not shown)");
	run_free(&r);
	p = write_file(a, "dup", "current-context: a\ncurrent-context: b\n");
	run_init(&r);
	run(&r, p, NULL, NULL, NULL);
	g = find(&r.d, "yaml-duplicate-key");
	CHECK("kubeconfig: messages that name keys only are kept",
	      g && strstr(g->msg, "duplicate key 'current-context'"));
	run_free(&r);
	p = write_file(a, "server", SERVER("https://admin:S3cret/Pass@host"));
	run_init(&r);
	run(&r, p, NULL, NULL, NULL);
	g = find(&r.d, "kubeconfig-server");
	CHECK_STR("kubeconfig: https://admin:S3cret/Pass@host is refused as an '@' after the host part",
		  g ? g->msg : NULL,
		  "cluster 'c': the server URL holds an '@' after the host part (the URL is not shown: it may hold a password)");
	run_free(&r);
	/* A token longer than the redactor takes. */
	char *big = arena_alloc(a, REDACT_MAX_SECRET + 2);
	memset(big, 'x', REDACT_MAX_SECRET + 1);
	write_file(a, "big-token", big);
	p = write_file(a, "bigtok", "current-context: a\nclusters:\n- name: c\n  cluster: {server: 'https://h'}\n"
				    "users:\n- name: u\n  user: {tokenFile: big-token}\n"
				    "contexts:\n- name: a\n  context: {cluster: c, user: u}\n");
	run_init(&r);
	run(&r, p, NULL, NULL, NULL);
	g = find(&r.d, "kubeconfig-token");
	CHECK("kubeconfig: a token over 64 KiB is refused", r.rc < 0 && g && strstr(g->msg, "longer than 64 KiB"));
	run_free(&r);
	arena_free(a);
}

#define RTOKEN "eyJhbGciOi.Zq8s3cr3t/T0k+en_9fQ2xLp7wV"

static const char *b64(struct arena *a, const char *s)
{
	static const char t[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t n = strlen(s);
	char *o = arena_alloc(a, n / 3 * 4 + 5), *q = o;
	for (size_t i = 0; i < n; i += 3) {
		unsigned v = (unsigned char)s[i] << 16 | (i + 1 < n ? (unsigned char)s[i + 1] << 8 : 0) |
			     (i + 2 < n ? (unsigned char)s[i + 2] : 0);
		*q++ = t[v >> 18 & 63];
		*q++ = t[v >> 12 & 63];
		*q++ = i + 1 < n ? t[v >> 6 & 63] : '=';
		*q++ = i + 2 < n ? t[v & 63] : '=';
	}
	return o;
}

static void test_redact(void)
{
	struct arena *a = arena_new();
	struct redactor *r = redactor_new(a);
	redactor_add(r, RTOKEN, strlen(RTOKEN), "[token]");
#define RED(s) redact(r, (s), strlen(s), 300)
	CHECK_STR("redact: the token raw, and Bearer", RED("sent Bearer " RTOKEN "!"), "sent Bearer [token]!");
	CHECK_STR("redact: ordinary text is left alone", RED("forbidden: User \"system:anonymous\" cannot list"),
		  "forbidden: User \"system:anonymous\" cannot list");
	CHECK_STR("redact: control bytes shown as '?'", RED("a\033[2Kb\n"), "a?[2Kb?");
	CHECK_STR("redact: the first 8 characters", RED("token eyJhbGci... rejected"), "token [token]... rejected");
	CHECK_STR("redact: the first 6 characters (REDACT_MIN_RUN)", RED("token eyJhbG..."), "token [token]...");
	CHECK_STR("redact: 5 characters are below the minimum", RED("token eyJhb..."), "token eyJhb...");
	CHECK_STR("redact: a run from the middle", RED("x T0k+en_9f y"), "x [token] y");
	CHECK_STR("redact: the last 8 characters", RED("...fQ2xLp7wV"), "...[token]");
	CHECK_STR("redact: base64 of the token", RED(arena_printf(a, "b=%s.", b64(a, RTOKEN))), "b=[token].");
	/* base64 of "Bearer T" and "u:T": the token at other alignments. */
	const char *bb = RED(b64(a, "Bearer " RTOKEN));
	CHECK("redact: base64 of \"Bearer TOKEN\"", strstr(bb, "[token]") && strlen(bb) < 20);
	const char *ub = RED(b64(a, "tester:" RTOKEN));
	CHECK("redact: base64 of \"user:TOKEN\" (basic auth)", strstr(ub, "[token]") && strlen(ub) < 20);
	const char *bu = RED(b64(a, "xy" RTOKEN));
	CHECK("redact: base64 at the third alignment", strstr(bu, "[token]") && strlen(bu) < 20);
	char *url = arena_strdup(a, b64(a, "Bearer " RTOKEN));
	for (char *c = url; *c; c++)
		*c = *c == '+' ? '-' : *c == '/' ? '_' : *c;
	const char *uu = RED(url);
	CHECK("redact: URL-safe base64", strstr(uu, "[token]") && strlen(uu) < 20);
	CHECK_STR("redact: percent-encoded", RED("t=eyJhbGciOi.Zq8s3cr3t%2FT0k%2Ben_9fQ2xLp7wV&"), "t=[token]&");
	CHECK_STR("redact: percent-encoded, lower-case hex", RED("t=Zq8s3cr3t%2fT0k%2ben_9fQ2xLp7wV&"), "t=[token]&");
	CHECK_STR("redact: JSON's \\/", RED("\"eyJhbGciOi.Zq8s3cr3t\\/T0k+en_9fQ2xLp7wV\""), "\"[token]\"");
	/* Cut at 10 bytes: the token that straddles the cut is still whole. */
	CHECK_STR("redact: a token across the cut is caught", redact(r, "0123456789abcdef" RTOKEN, 16 + strlen(RTOKEN), 14),
		  "0123456789abcd...");
	CHECK_STR("redact: a token starting before the cut", redact(r, "012345678 " RTOKEN " tail", 15 + strlen(RTOKEN), 12),
		  "012345678 [token]...");
	/* A short token: whole only; its short base64 forms are not used. */
	struct redactor *s = redactor_new(a);
	redactor_add(s, "abc", 3, "[token]");
	CHECK_STR("redact: a short token is matched whole", redact(s, "xabcx FiY hYm", 13, 100), "x[token]x FiY hYm");
	/* A client key: each line of its body, and client-key-data. */
	static const char pem[] = "-----BEGIN PRIVATE KEY-----\n"
				  "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgKq7Zq3\n"
				  "oUQDQgAEyAbDi9Cw1V2zX5rGk4mQ8\n"
				  "-----END PRIVATE KEY-----\n";
	struct redactor *k = redactor_new(a);
	redactor_add_pem(k, pem, strlen(pem), "[client key]");
	CHECK_STR("redact: a line of the client key", redact(k, "bad key oUQDQgAEyAbDi9Cw1V2zX5rGk4mQ8 here", 42, 300),
		  "bad key [client key] here");
	CHECK_STR("redact: the PEM armour is not a secret", redact(k, "-----BEGIN PRIVATE KEY-----", 27, 300),
		  "-----BEGIN PRIVATE KEY-----");
	const char *kd = b64(a, pem);
	const char *kr = redact(k, kd, strlen(kd), 300);
	CHECK("redact: the key's client-key-data", !strstr(kr, "oUQDQgAEy") && strstr(kr, "[client key]") &&
	      strlen(kr) < 40);
	/* A large answer costs what its first bytes need. */
	size_t big = 16u << 20;
	char *body = xmalloc(big);
	memset(body, 'a', big);
	CHECK_STR("redact: a 16 MiB answer, cut at 10", redact(r, body, big, 10), "aaaaaaaaaa...");
	free(body);
	arena_free(a);
}

static void test_base64(void)
{
	struct arena *a = arena_new();
	struct blob b;
	CHECK("base64: padded", base64_decode(a, "aGVsbG8=", 8, &b) && b.len == 5 && !memcmp(b.data, "hello", 5));
	CHECK("base64: unpadded", base64_decode(a, "aGVsbG8", 7, &b) && b.len == 5 && !memcmp(b.data, "hello", 5));
	CHECK("base64: line breaks ignored", base64_decode(a, "aGVs\nbG8h\n", 10, &b) && b.len == 6);
	CHECK("base64: foreign character rejected", !base64_decode(a, "aGV$bG8=", 8, &b));
	CHECK("base64: data after padding rejected", !base64_decode(a, "aGU=bG8=", 8, &b));
	CHECK("base64: a lone sextet rejected", !base64_decode(a, "aGVsb", 5, &b));
	arena_free(a);
}

static void test_timeout(void)
{
	long ms = -1;
	CHECK("timeout: 5s", kube_parse_timeout("5s", &ms) && ms == 5000);
	CHECK("timeout: 250ms", kube_parse_timeout("250ms", &ms) && ms == 250);
	CHECK("timeout: 2m", kube_parse_timeout("2m", &ms) && ms == 120000);
	CHECK("timeout: bare seconds", kube_parse_timeout("7", &ms) && ms == 7000);
	CHECK("timeout: 0 is none", kube_parse_timeout("0", &ms) && ms == 0);
	CHECK("timeout: junk rejected", !kube_parse_timeout("5x", &ms) && !kube_parse_timeout("", &ms) &&
	      !kube_parse_timeout("-1s", &ms) && !kube_parse_timeout("99999999999999999999h", &ms));
}

static struct value *yaml(struct arena *a, struct diags *d, const char *text)
{
	return load_yaml_string(a, d, "t.yaml", text, strlen(text));
}

static void test_clean(void)
{
	struct arena *a = arena_new();
	struct diags d;
	diags_init(&d, a);
	struct value *live = yaml(a, &d,
		"apiVersion: apps/v1\nkind: Deployment\n"
		"metadata:\n  name: x\n  namespace: ns\n  uid: 1234\n  resourceVersion: '99'\n  generation: 3\n"
		"  creationTimestamp: '2026-01-01T00:00:00Z'\n  selfLink: /x\n  managedFields: [{manager: kubectl}]\n"
		"  labels: {app: x}\n"
		"  annotations:\n    kubectl.kubernetes.io/last-applied-configuration: "
		"'{\"spec\":{\"paused\":false,\"replicas\":1}}'\n"
		"    deployment.kubernetes.io/revision: '2'\n"
		"spec:\n  replicas: 2\n  paused: true\n  progressDeadlineSeconds: 600\n"
		"  template:\n    spec:\n      containers:\n      - {name: a, image: a:1, imagePullPolicy: IfNotPresent}\n"
		"      - {name: b, image: b:1}\n      dnsPolicy: ClusterFirst\n"
		"status: {replicas: 2}\n");
	struct value *rendered = yaml(a, &d,
		"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: x\n  namespace: ns\n  labels: {app: x}\n"
		"spec:\n  replicas: 1\n  template:\n    spec:\n      containers:\n      - {name: a, image: a:2}\n");
	struct value *want_strip = yaml(a, &d,
		"apiVersion: apps/v1\nkind: Deployment\n"
		"metadata:\n  name: x\n  namespace: ns\n  labels: {app: x}\n"
		"  annotations:\n    deployment.kubernetes.io/revision: '2'\n"
		"spec:\n  replicas: 2\n  paused: true\n  progressDeadlineSeconds: 600\n"
		"  template:\n    spec:\n      containers:\n      - {name: a, image: a:1, imagePullPolicy: IfNotPresent}\n"
		"      - {name: b, image: b:1}\n      dnsPolicy: ClusterFirst\n");
	/* Kept: what the render sets, `paused` (last applied), and the second
	 * container (beyond the rendered list: a real difference). */
	struct value *want_clean = yaml(a, &d,
		"apiVersion: apps/v1\nkind: Deployment\n"
		"metadata:\n  name: x\n  namespace: ns\n  labels: {app: x}\n"
		"spec:\n  replicas: 2\n  paused: true\n"
		"  template:\n    spec:\n      containers:\n      - {name: a, image: a:1}\n"
		"      - {name: b, image: b:1}\n");
	CHECK("live: fixtures load", live && rendered && want_strip && want_clean && d.n == 0);
	if (live && rendered && want_strip && want_clean) {
		CHECK("live_strip: server fields, status and last-applied removed", v_equal(live_strip(a, live), want_strip));
		CHECK("live_clean: only fields the render or the last apply set", v_equal(live_clean(a, live, rendered), want_clean));
		struct value *only_la = yaml(a, &d,
			"metadata:\n  annotations:\n    kubectl.kubernetes.io/last-applied-configuration: '{}'\n  name: y\n");
		struct value *s = live_strip(a, only_la);
		CHECK("live_strip: annotations left empty are removed", s && !v_path(s, "metadata.annotations") &&
		      v_path(s, "metadata.name"));
		struct value *reordered = yaml(a, &d,
			"c: [{name: b, image: b:1, pull: Always}, {name: a, image: a:1, pull: Always}, {name: x, pull: Never}]\n");
		struct value *named = yaml(a, &d, "c: [{name: a, image: a:2}, {name: b, image: b:1}]\n");
		struct value *want_named = yaml(a, &d,
			"c: [{name: b, image: b:1}, {name: a, image: a:1}, {name: x, pull: Never}]\n");
		const struct value *kn[] = { named };
		CHECK("live_project: named list items are matched by name, not position; unmatched ones kept whole",
		      v_equal(live_project(a, reordered, kn, 1), want_named));
		struct value *typed = yaml(a, &d, "spec: {ports: 80}\n");
		struct value *keep = yaml(a, &d, "spec: {ports: [{port: 80}]}\n");
		const struct value *k1[] = { keep };
		CHECK("live_project: a type change keeps the live value whole",
		      v_equal(live_project(a, typed, k1, 1), typed));
	}
	diags_free(&d);
	arena_free(a);
}

/* A kubeconfig whose user u runs EXEC (YAML lines under exec:, indented
 * six spaces).  CA_B64 as the cluster's CA. */
static const char *exec_kubeconfig(struct arena *a, const char *exec)
{
	return write_file(a, "kc-exec",
			  arena_printf(a,
				       "current-context: a\nclusters:\n- name: c\n  cluster:\n"
				       "    server: https://h:6443\n    certificate-authority-data: " CA_B64 "\n"
				       "users:\n- name: u\n  user:\n    exec:\n%s"
				       "contexts:\n- name: a\n  context: {cluster: c, user: u}\n",
				       exec));
}

/* A plugin script in dir: prints BODY (a shell here-document body). */
static void plugin(struct arena *a, const char *name, const char *body)
{
	const char *p = write_file(a, name, arena_printf(a, "#!/bin/sh\n%s\n", body));
	if (chmod(p, 0755) != 0)
		perror("chmod");
}

#define V1 "      apiVersion: client.authentication.k8s.io/v1\n      interactiveMode: Never\n"
#define CRED(status) "printf '%s' '{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"kind\":\"ExecCredential\",\"status\":" status "}'"

/* Run the kubeconfig; expect an error with id at the exec key (line 10,
 * col 5) whose message holds `msg`, and no token shown. */
static void expect_exec_error(struct arena *a, const char *name, const char *exec, const char *id, const char *msg)
{
	const char *p = exec_kubeconfig(a, exec);
	struct run r;
	run_init(&r);
	run(&r, p, NULL, NULL, NULL);
	const struct diag *g = find(&r.d, id);
	char label[240];
	snprintf(label, sizeof label, "exec plugin: %s: %s, '%s'", name, id, msg);
	CHECK(label, r.rc < 0 && g && strstr(g->msg, msg) && g->line >= 10);
	if (!(r.rc < 0 && g && strstr(g->msg, msg)))
		for (size_t i = 0; i < r.d.n; i++)
			printf("    got %d:%d %s [%s] hint: %s\n", r.d.items[i].line, r.d.items[i].col, r.d.items[i].msg,
			       r.d.items[i].id, r.d.items[i].hint ? r.d.items[i].hint : "-");
	snprintf(label, sizeof label, "exec plugin: %s: no token shown", name);
	CHECK(label, !diags_mention(&r.d, TOKEN));
	run_free(&r);
}

static void test_exec(void)
{
	struct arena *a = arena_new();
	struct run r;

	/* A token; args and env reach the plugin, and KUBERNETES_EXEC_INFO
	 * holds the request with the cluster (provideClusterInfo). */
	plugin(a, "plug-token", arena_printf(a, "printf '%%s|%%s|%%s' \"$1$2\" \"$PLUG_ENV\" \"$KUBERNETES_EXEC_INFO\" >%s/seen\n%s", dir, CRED("{\"token\":\"" TOKEN "\"}")));
	const char *p = exec_kubeconfig(a, V1 "      command: ./plug-token\n      args: [a, b]\n"
					   "      env: [{name: PLUG_ENV, value: yes}]\n      provideClusterInfo: true\n");
	run_init(&r);
	run(&r, p, NULL, NULL, NULL);
	CHECK("exec plugin: a token from the plugin (command relative to the kubeconfig)", r.rc == 0 && r.d.n == 0);
	CHECK_STR("exec plugin: the token", r.kc.token, TOKEN);
	run_free(&r);
	FILE *fp = fopen(arena_printf(a, "%s/seen", dir), "r");
	char seen[1024] = "";
	if (fp) {
		if (!fgets(seen, sizeof seen, fp))
			seen[0] = '\0';
		fclose(fp);
	}
	CHECK_STR("exec plugin: args, env and KUBERNETES_EXEC_INFO with the cluster", seen,
		  "ab|yes|{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"kind\":\"ExecCredential\","
		  "\"spec\":{\"interactive\":false,\"cluster\":{\"server\":\"https://h:6443\","
		  "\"certificate-authority-data\":\"" CA_B64 "\"}}}");

	/* A client certificate; a command on PATH (v1beta1: interactiveMode
	 * optional). */
	plugin(a, "plug-cert", CRED("{\"clientCertificateData\":\"CERT\\n\",\"clientKeyData\":\"KEY\\n\"}"));
	const char *path = getenv("PATH");
	char *newpath = arena_printf(a, "%s:%s", dir, path ? path : "/usr/bin:/bin");
	setenv("PATH", newpath, 1);
	p = exec_kubeconfig(a, "      apiVersion: client.authentication.k8s.io/v1\n      interactiveMode: IfAvailable\n"
			       "      command: plug-cert\n");
	run_init(&r);
	run(&r, p, NULL, NULL, NULL);
	CHECK("exec plugin: a client certificate from a plugin on PATH", r.rc == 0 && r.d.n == 0 && !r.kc.token);
	CHECK("exec plugin: the certificate and key",
	      r.kc.cert.data && !strcmp(r.kc.cert.data, "CERT\n") && r.kc.key.data && !strcmp(r.kc.key.data, "KEY\n"));
	run_free(&r);
	if (path)
		setenv("PATH", path, 1);

	/* Failures: none shows the plugin's output (it holds the token). */
	plugin(a, "plug-fail", "echo " TOKEN "; echo " TOKEN " >&2; exit 3");
	expect_exec_error(a, "exit status", V1 "      command: ./plug-fail\n", "kubeconfig-exec", "failed (exit status 3)");
	plugin(a, "plug-junk", "echo 'token: " TOKEN "'");
	expect_exec_error(a, "not JSON", V1 "      command: ./plug-junk\n", "kubeconfig-exec", "not JSON at line 1");
	plugin(a, "plug-v1b", "printf '%s' '{\"apiVersion\":\"client.authentication.k8s.io/v1beta1\",\"kind\":\"ExecCredential\",\"status\":{\"token\":\"" TOKEN "\"}}'");
	expect_exec_error(a, "another apiVersion", V1 "      command: ./plug-v1b\n", "kubeconfig-exec", "another apiVersion");
	plugin(a, "plug-nostatus", "printf '%s' '{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"kind\":\"ExecCredential\"}'");
	expect_exec_error(a, "no status", V1 "      command: ./plug-nostatus\n", "kubeconfig-exec", "without status");
	plugin(a, "plug-halfcert", CRED("{\"clientCertificateData\":\"CERT\"}"));
	expect_exec_error(a, "certificate without key", V1 "      command: ./plug-halfcert\n", "kubeconfig-exec",
			  "certificate without its key");
	plugin(a, "plug-empty", CRED("{}"));
	expect_exec_error(a, "no credential", V1 "      command: ./plug-empty\n", "kubeconfig-exec",
			  "neither a token nor a client certificate");
	expect_exec_error(a, "not found", V1 "      command: no-such-plugin-asbgen\n      installHint: apt install it\n",
			  "kubeconfig-exec", "cannot be run");
	p = exec_kubeconfig(a, V1 "      command: no-such-plugin-asbgen\n      installHint: apt install it\n");
	run_init(&r);
	run(&r, p, NULL, NULL, NULL);
	CHECK("exec plugin: not found: the installHint is the hint",
	      r.d.n == 1 && r.d.items[0].hint && !strcmp(r.d.items[0].hint, "apt install it"));
	run_free(&r);
	expect_exec_error(a, "interactiveMode Always",
			  "      apiVersion: client.authentication.k8s.io/v1\n      interactiveMode: Always\n      command: x\n",
			  "kubeconfig-exec", "needs a terminal");
	expect_exec_error(a, "v1 without interactiveMode",
			  "      apiVersion: client.authentication.k8s.io/v1\n      command: x\n", "kubeconfig-exec",
			  "needs interactiveMode");
	expect_exec_error(a, "v1alpha1", "      apiVersion: client.authentication.k8s.io/v1alpha1\n      command: x\n",
			  "kubeconfig-exec", "is not client.authentication.k8s.io/v1 or v1beta1");
	expect_exec_error(a, "no command", V1, "kubeconfig-exec", "has no command");
	expect_exec_error(a, "env entry without value", V1 "      command: x\n      env: [{name: A}]\n",
			  "kubeconfig-exec", "needs a name");
	expect_exec_error(a, "args not a list", V1 "      command: x\n      args: -v\n", "kubeconfig-type",
			  "args must be a list");

	/* An empty certificate-authority-data is absent, as in kubectl. */
	p = write_file(a, "kc-emptyca",
		       "current-context: a\nclusters:\n- name: c\n  cluster:\n    server: https://h\n"
		       "    certificate-authority-data: \"\"\nusers:\n- name: u\n  user: {token: " TOKEN "}\n"
		       "contexts:\n- name: a\n  context: {cluster: c, user: u}\n");
	run_init(&r);
	run(&r, p, NULL, NULL, NULL);
	CHECK("kubeconfig: an empty certificate-authority-data is absent (system CAs)",
	      r.rc == 0 && r.d.n == 0 && r.kc.ca.len == 0);
	run_free(&r);
	arena_free(a);
}

int main(void)
{
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	test_basic();
	test_merge();
	test_errors();
	test_secret_messages();
	test_base64();
	test_redact();
	test_timeout();
	test_exec();
	test_clean();
	char cmd[100];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		printf("# could not remove %s\n", dir);
	return UNIT_DONE();
}
