/* check_users.c - the Kafka users by role and the listeners they connect
 * through: one KafkaUser per name (the spec's users and the components'),
 * the topics users read and write exist, no two users share a
 * transactional id, ACL operations are ones Kafka has for their resource
 * type, a user that can do nothing, and the internal listeners (names,
 * ports, TLS, authentication). */
#include "check.h"
#include "arena.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- names ---- */

static const char *user_name_problem(const char *s)
{
	size_t n = strlen(s);
	if (n == 0)
		return "it is empty";
	if (n > 63)
		return "it is longer than 63 characters";
	for (size_t i = 0; i < n; i++)
		if (s[i] >= 'A' && s[i] <= 'Z')
			return "it has capital letters";
	if (!dns1123_label(s, n))
		return "only lowercase letters, digits and '-' are allowed, starting and ending with a letter or digit";
	return NULL;
}

struct uname {
	const char *name;
	const struct value *at;
	const char *what; /* "superusers[0]" or a component's user; NULL: users[user].name */
	const char *path; /* where a component's user is written (kafdrop.user), or NULL */
	size_t user;
};

/* What n is, as messages name it: made only for a message (10,000 users
 * would print 10,000 "users[i].name" that no message names). */
static const char *what(struct check *c, const struct uname *n)
{
	return n->what ? n->what : arena_printf(c->a, "users[%zu].name", n->user);
}

/* The components' users (model.kafkaUsers' entries with a component other
 * than "superuser"), as messages name them. */
static const struct { const char *component, *what, *path; } component_users[] = {
	{ "registry", "the schema registry's user", NULL },
	{ "alertDatabase", "the alert database ingester's user", NULL },
	{ "simulator", "the simulator's user", NULL },
	{ "kafdrop", "Kafdrop's user", "kafdrop.user" },
};

/* Where a component's user is named: kafdrop.user when written, else the
 * component, NULL when nothing marks it. */
static struct uname component_uname(struct check *c, const struct value *u, const char *component)
{
	struct uname n = { v_as_str(map_get(u, "name"), ""), NULL, component, NULL, 0 };
	for (size_t k = 0; k < sizeof component_users / sizeof component_users[0]; k++) {
		if (strcmp(component, component_users[k].component))
			continue;
		n.what = component_users[k].what;
		n.path = component_users[k].path;
		if (n.path)
			n.at = check_written(v_path(c->spec, n.path));
	}
	return n;
}

/* "users[2].name, line 9", "Kafdrop's user (kafdrop.user, line 20)". */
static const char *where(struct check *c, const struct uname *n)
{
	if (!n->at)
		return what(c, n);
	return n->path ? arena_printf(c->a, "%s (%s, line %d)", what(c, n), n->path, n->at->mark.line)
		       : arena_printf(c->a, "%s, line %d", what(c, n), n->at->mark.line);
}

static void check_user_names(struct check *c)
{
	/* Every KafkaUser the model renders (the registry's, Kafdrop's... only
	 * when on), the components' first: a user of the spec named like one
	 * is reported at the user. */
	const struct value *ku = map_get(c->model, "kafkaUsers"), *ss = map_get(c->model, "superusers"),
			   *su = map_get(c->model, "users");
	size_t cap = 1 + ku->seq.n + ss->seq.n + su->seq.n;
	struct uname *names = arena_alloc(c->a, cap * sizeof *names);
	size_t n = 0;
	for (size_t i = 0; i < ku->seq.n; i++) {
		const char *comp = v_as_str(map_get(ku->seq.items[i], "component"), NULL);
		if (comp && strcmp(comp, "superuser"))
			names[n++] = component_uname(c, ku->seq.items[i], comp);
	}
	size_t builtin = n;
	for (size_t i = 0; i < ss->seq.n; i++) {
		const struct value *nm = map_get(ss->seq.items[i], "name");
		const struct value *at = check_written(nm);
		names[n++] = (struct uname){ v_as_str(nm, ""), at,
					     at ? arena_printf(c->a, "superusers[%zu]", i) : "the default superuser", NULL, 0 };
	}
	size_t nsuper = n;
	for (size_t i = 0; i < su->seq.n; i++) {
		const struct value *nm = map_get(su->seq.items[i], "name");
		names[n++] = (struct uname){ v_as_str(nm, ""), nm, NULL, NULL, i };
	}
	struct nameset seen;
	check_nameset_init(c, &seen, n);
	for (size_t i = 0; i < n; i++) {
		const char *why = i >= builtin ? user_name_problem(names[i].name) : NULL;
		if (why && names[i].at)
			check_error(c, names[i].at, "user-name",
				    "user names become KafkaUser objects and secret keys (<name>-password): lowercase letters, digits and '-', at most 63",
				    "%s: '%s' is not a valid user name: %s", what(c, &names[i]), names[i].name, why);
		size_t j = check_nameset_add(&seen, names[i].name, i);
		if (j == i)
			continue;
		if (i < builtin)
			check_error(c, check_first(names[i].at, names[j].at, NULL), "user-duplicate",
				    "choose another name for one of them: one KafkaUser cannot serve both",
				    "'%s' is both %s and %s", names[i].name, where(c, &names[j]), where(c, &names[i]));
		else if (j >= builtin && j < nsuper && i >= nsuper)
			check_error(c, names[i].at, "user-superuser",
				    "a superuser already reads and writes everything: remove it from users (or from superusers)",
				    "user '%s' is also a superuser (%s)", names[i].name, where(c, &names[j]));
		else if (j < builtin)
			check_error(c, names[i].at, "user-duplicate", "choose another name",
				    "%s: '%s' is %s, which asbgen creates", what(c, &names[i]), names[i].name, where(c, &names[j]));
		else
			check_error(c, names[i].at, "user-duplicate", "remove one of them, or merge their topics",
				    "%s: user '%s' is already defined (%s)", what(c, &names[i]), names[i].name, where(c, &names[j]));
	}
}

/* ---- the resources of a user's roles ----
 *
 * model.users[i] lists each role's resources as the spec's name nodes
 * (topics, produces, groups, transactionalIds) and its acls in the same
 * order (model.c, user_entry): the k-th ACL of a role is its k-th
 * resource's, with the pattern type the model resolved. */

struct grant {
	const struct value *name;   /* the spec's node */
	const char *pattern;        /* "literal" or "prefix" */
};

/* The resources of one role, offset ACLs into the user's list; NULL
 * patterns where the lists do not pair up (never, unless the model
 * changes: the check then passes them by). */
static struct grant *role_grants(struct check *c, const struct value *u, const char *key, size_t offset, size_t *n)
{
	const struct value *list = map_get(u, key), *acls = map_get(u, "acls");
	*n = list && list->kind == V_SEQ ? list->seq.n : 0;
	struct grant *g = arena_alloc(c->a, (*n ? *n : 1) * sizeof *g);
	for (size_t k = 0; k < *n; k++) {
		const struct value *a = acls && acls->kind == V_SEQ && offset + k < acls->seq.n ? acls->seq.items[offset + k] : NULL;
		const char *an = v_as_str(v_path(a, "resource.name"), NULL);
		g[k].name = list->seq.items[k];
		g[k].pattern = an && !strcmp(an, v_as_str(g[k].name, "")) ? v_as_str(v_path(a, "resource.patternType"), NULL) : NULL;
	}
	return g;
}

static size_t seq_len(const struct value *v)
{
	return v && v->kind == V_SEQ ? v->seq.n : 0;
}

/* ---- topics users read and write ---- */

struct topic_index {
	struct nameset names;
	const char **cands; /* for "did you mean" */
};

static void topic_ref(struct check *c, const struct topic_index *ti, const struct value *x, const char *what, bool star_ok)
{
	if (x->kind != V_STRING || (star_ok && !strcmp(x->str.s, "*")) ||
	    check_nameset_find(&ti->names, x->str.s) != SIZE_MAX)
		return;
	const char *near = suggest_closest(x->str.s, x->str.len, ti->cands, c->ntopics);
	check_error(c, x, "unknown-topic",
		    near ? arena_printf(c->a, "did you mean '%s'? Otherwise add the topic to topics%s", near, star_ok ? ", or use \"*\"" : "")
			 : arena_printf(c->a, "add the topic to topics%s", star_ok ? ", or use \"*\" for every topic" : ""),
		    "%s: topic '%s' is not defined", what, x->str.s);
}

/* A literal grant names one topic, which must exist; a prefix names none. */
static void role_topics(struct check *c, const struct topic_index *ti, const struct value *u, size_t i,
			const char *key, size_t offset)
{
	size_t n;
	struct grant *g = role_grants(c, u, key, offset, &n);
	for (size_t k = 0; k < n; k++)
		if (g[k].pattern && !strcmp(g[k].pattern, "literal") && g[k].name->kind == V_STRING &&
		    strcmp(g[k].name->str.s, "*") && check_nameset_find(&ti->names, g[k].name->str.s) == SIZE_MAX)
			topic_ref(c, ti, g[k].name, arena_printf(c->a, "users[%zu].%s", i, key), true);
}

static void check_user_topics(struct check *c)
{
	struct topic_index ti;
	check_nameset_init(c, &ti.names, c->ntopics);
	ti.cands = arena_alloc(c->a, (c->ntopics ? c->ntopics : 1) * sizeof *ti.cands);
	for (size_t i = 0; i < c->ntopics; i++) {
		check_nameset_add(&ti.names, c->topics[i].name, i);
		ti.cands[i] = c->topics[i].name;
	}
	const struct value *su = map_get(c->model, "users");
	for (size_t i = 0; i < su->seq.n; i++) {
		const struct value *u = su->seq.items[i];
		role_topics(c, &ti, u, i, "topics", 0);
		role_topics(c, &ti, u, i, "produces", seq_len(map_get(u, "topics")));
	}
	if (v_as_bool(v_path(c->model, "alertDatabase.enabled"), false)) {
		const struct value *it = v_path(c->model, "alertDatabase.ingester.topics");
		for (size_t k = 0; k < seq_len(it); k++)
			topic_ref(c, &ti, it->seq.items[k], "alertDatabase.ingester.topics", false);
	}
}

/* ---- transactional ids ---- */

struct txn {
	const char *name;
	bool prefix;           /* a prefix, or "*" (every id: the prefix "") */
	size_t user;
	const struct value *at;
};

static int txn_cmp(const void *x, const void *y)
{
	const struct txn *a = x, *b = y;
	int r = strcmp(a->name, b->name);
	return r ? r : a->user < b->user ? -1 : a->user > b->user;
}

static const char *txn_text(struct check *c, const struct txn *t)
{
	return t->prefix && !*t->name ? "\"*\" (every transactional id)"
	       : arena_printf(c->a, "%s '%s'", t->prefix ? "the prefix" : "the transactional id", t->name);
}

static void txn_shared(struct check *c, const struct value *users, const struct txn *a, const struct txn *b)
{
	/* At the later user's entry, naming the earlier. */
	const struct txn *at = a->user > b->user ? a : b, *other = at == a ? b : a;
	check_error(c, at->at, "transactional-id-shared",
		    "give each user its own transactional ids (a prefix no other user's id starts with)",
		    "users[%zu].transactionalIds: %s overlaps %s of users[%zu] (%s, line %d): producers of both users may use one transactional id, and each fences the other's transactions",
		    at->user, txn_text(c, at), txn_text(c, other), other->user,
		    v_as_str(map_get(users->seq.items[other->user], "name"), ""), other->at->mark.line);
}

static void check_transactional_ids(struct check *c)
{
	const struct value *su = map_get(c->model, "users");
	size_t total = 0;
	for (size_t i = 0; i < su->seq.n; i++)
		total += seq_len(map_get(su->seq.items[i], "transactionalIds"));
	if (!total)
		return;
	struct txn *t = arena_alloc(c->a, total * sizeof *t);
	size_t n = 0;
	for (size_t i = 0; i < su->seq.n; i++) {
		const struct value *u = su->seq.items[i];
		size_t ng, offset = seq_len(map_get(u, "topics")) + seq_len(map_get(u, "produces")) + seq_len(map_get(u, "groups"));
		struct grant *g = role_grants(c, u, "transactionalIds", offset, &ng);
		for (size_t k = 0; k < ng; k++) {
			if (!g[k].pattern || g[k].name->kind != V_STRING)
				continue;
			bool star = !strcmp(g[k].name->str.s, "*");
			t[n++] = (struct txn){ star ? "" : g[k].name->str.s, star || !strcmp(g[k].pattern, "prefix"), i, g[k].name };
		}
	}
	/* Sorted by name, the ids a prefix covers follow it: each prefix is
	 * compared with those only, each literal with its equals. */
	qsort(t, n, sizeof *t, txn_cmp);
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(t[i].name);
		if (!t[i].prefix) {
			/* Its equals that are literals (an equal prefix reports it). */
			for (size_t j = i + 1; j < n && !strcmp(t[j].name, t[i].name); j++)
				if (!t[j].prefix && t[j].user != t[i].user)
					txn_shared(c, su, &t[i], &t[j]);
			continue;
		}
		for (size_t j = i + 1; j < n && !strncmp(t[j].name, t[i].name, len); j++)
			if (t[j].user != t[i].user)
				txn_shared(c, su, &t[i], &t[j]);
		/* Equal literals sorted before it (an equal prefix there has
		 * reported this one). */
		for (size_t j = i; j-- > 0 && !strcmp(t[j].name, t[i].name);)
			if (!t[j].prefix && t[j].user != t[i].user)
				txn_shared(c, su, &t[i], &t[j]);
	}
}

/* ---- ACL operations ---- */

/* Kafka's operations per resource type (AclEntry.supportedOperations;
 * All on any), for the lists the schema does not narrow: its aclOperations
 * serve topics, groups and transactional ids alike.  Group configs
 * (KIP-848) added DescribeConfigs and AlterConfigs on groups; they pass
 * whatever the Kafka version. */
static const struct { const char *key, *what, *ops; } acl_ops[] = {
	{ "groups", "a consumer group", "Read Describe Delete DescribeConfigs AlterConfigs All" },
	{ "transactionalIds", "a transactional id", "Write Describe All" },
};

static bool word_in(const char *word, const char *list)
{
	size_t n = strlen(word);
	for (const char *p = list; (p = strstr(p, word)); p += n)
		if ((p == list || p[-1] == ' ') && (p[n] == ' ' || !p[n]))
			return true;
	return false;
}

static const char *commas(struct check *c, const char *list)
{
	char *s = arena_strdup(c->a, list), *o = arena_alloc(c->a, strlen(list) * 2 + 1), *w = o;
	for (char *p = s; *p; p++) {
		if (*p == ' ') {
			*w++ = ',';
			*w++ = ' ';
		} else {
			*w++ = *p;
		}
	}
	return o;
}

static void check_acl_operations(struct check *c)
{
	const struct value *su = map_get(c->spec, "users");
	for (size_t i = 0; i < seq_len(su); i++)
		for (size_t r = 0; r < sizeof acl_ops / sizeof acl_ops[0]; r++) {
			const struct value *list = map_get(su->seq.items[i], acl_ops[r].key);
			for (size_t k = 0; k < seq_len(list); k++) {
				const struct value *ops = list->seq.items[k]->kind == V_MAP ? map_get(list->seq.items[k], "operations") : NULL;
				for (size_t o = 0; o < seq_len(ops); o++) {
					const struct value *op = ops->seq.items[o];
					if (op->kind != V_STRING || word_in(op->str.s, acl_ops[r].ops))
						continue;
					check_error(c, op, "acl-operation",
						    arena_printf(c->a, "use %s: an ACL with another operation grants nothing", commas(c, acl_ops[r].ops)),
						    "users[%zu].%s[%zu]: Kafka has no %s operation on %s", i, acl_ops[r].key, k, op->str.s,
						    acl_ops[r].what);
				}
			}
		}
}

/* ---- a user that can do nothing ---- */

static void check_users_without_acls(struct check *c)
{
	const struct value *su = map_get(c->model, "users"), *ss = map_get(c->model, "superusers");
	struct nameset supers;
	check_nameset_init(c, &supers, ss->seq.n);
	for (size_t i = 0; i < ss->seq.n; i++)
		check_nameset_add(&supers, v_as_str(map_get(ss->seq.items[i], "name"), ""), i);
	for (size_t i = 0; i < su->seq.n; i++) {
		const struct value *u = su->seq.items[i], *name = map_get(u, "name");
		if (seq_len(map_get(u, "acls")) || check_nameset_find(&supers, v_as_str(name, "")) != SIZE_MAX)
			continue;
		check_warning(c, name, "user-no-acl",
			      "give it topics to read, produces, groups, transactionalIds or cluster operations, or remove it",
			      "user '%s' has no ACL: it can authenticate but Kafka refuses it every topic and group",
			      v_as_str(name, ""));
	}
}

/* ---- internal listeners ---- */

/* Strimzi's own ports at 9092 and above (the schema's minimum): Prometheus
 * metrics and JMX. */
static const struct { long long port; const char *what; } reserved_ports[] = {
	{ 9404, "the Prometheus metrics port" },
	{ 9999, "the JMX port" },
};

static void check_listeners(struct check *c)
{
	const struct value *ml = v_path(c->model, "kafka.listeners"), *sl = v_path(c->spec, "kafka.listeners");
	size_t n = seq_len(ml);
	bool ext = v_as_bool(v_path(c->model, "external.enabled"), false);
	long long ext_port = v_as_int(v_path(c->model, "external.port"), -1);
	for (size_t i = 0; i < n; i++) {
		const struct value *l = ml->seq.items[i], *s = i < seq_len(sl) ? sl->seq.items[i] : NULL;
		const struct value *name = map_get(l, "name"), *port = map_get(l, "port");
		const char *nm = v_as_str(name, "");
		long long p = v_as_int(port, -1);
		for (size_t j = 0; j < i; j++) {
			const struct value *o = ml->seq.items[j];
			if (!strcmp(nm, v_as_str(map_get(o, "name"), "")))
				check_error(c, name, "listener-duplicate", "give each listener its own name",
					    "kafka.listeners[%zu]: the name '%s' is also kafka.listeners[%zu]'s (line %d)", i, nm, j,
					    map_get(o, "name")->mark.line);
			if (p == v_as_int(map_get(o, "port"), -2))
				check_error(c, port, "listener-duplicate", "give each listener its own port",
					    "kafka.listeners[%zu]: port %lld is also kafka.listeners[%zu]'s (line %d)", i, p, j,
					    map_get(o, "port")->mark.line);
		}
		if (ext && !strcmp(nm, "external"))
			check_error(c, name, "listener-duplicate", "rename the internal listener",
				    "kafka.listeners[%zu]: the name 'external' is the external listener's", i);
		if (ext && p == ext_port)
			check_error(c, port, "listener-duplicate", "choose another port for the internal listener",
				    "kafka.listeners[%zu]: port %lld is the external listener's", i, p);
		for (size_t k = 0; k < sizeof reserved_ports / sizeof reserved_ports[0]; k++)
			if (p == reserved_ports[k].port)
				check_error(c, port, "listener-port", "choose another port (9092 or above, not 9404 or 9999)",
					    "kafka.listeners[%zu]: port %lld is %s of Strimzi's Kafka pods", i, p, reserved_ports[k].what);
		const struct value *auth = map_get(s, "authentication");
		const char *a = v_as_str(auth, "");
		if (!strcmp(a, "tls") && !v_as_bool(map_get(l, "tls"), false))
			check_error(c, check_first(check_written(map_get(s, "tls")), auth, NULL), "listener-tls",
				    "set tls: true on the listener, or use authentication: scram-sha-512",
				    "kafka.listeners[%zu] '%s': client certificates (authentication: tls) need a TLS listener, and it has tls: false",
				    i, nm);
		if (!strcmp(a, "none"))
			check_warning(c, auth, "listener-unauthenticated",
				      "use authentication: scram-sha-512 or tls unless every pod that can reach the port may read and write as it likes",
				      "kafka.listeners[%zu] '%s' authenticates no one: any client that reaches port %lld is the principal ANONYMOUS",
				      i, nm, p);
	}
}

/* What the checks read, through the model too (c->topics is every
 * topic: written, default and built-in). */
static const char *const reads_users[] = { "platform", "strimzi", "kafka", "registry", "topicDefaults", "topics",
					   "alertDatabase", "simulator", "kafdrop", "name", "superusers", "users", NULL };
static const char *const reads_listeners[] = { "kafka", "external", NULL };

void check_users(struct check *c)
{
	if (check_reads_sound(c, reads_users)) {
		check_user_names(c);
		check_user_topics(c);
		check_transactional_ids(c);
		check_acl_operations(c);
		check_users_without_acls(c);
	}
	if (check_reads_sound(c, reads_listeners))
		check_listeners(c);
}
