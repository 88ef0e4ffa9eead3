/* check_kafka_config.c - kafka.config and the topic configs against Kafka's
 * configuration of the cluster's Kafka version and Strimzi's forbidden
 * options (the tables of schemas/kafka/, kafka_config.h).
 *
 * Why each rule: Strimzi drops a forbidden option with a line in its own
 * log, and refuses the whole Kafka resource for a known option of the wrong
 * type or out of range; Kafka ignores an unknown broker option and refuses
 * a topic with an unknown one.  Relations between options and the cluster
 * (replication factors, min.insync.replicas) are check_cluster.c's and
 * check_topics.c's: they read a value only when it is an integer, and
 * leave its type and range to this file. */
#include "check.h"
#include "arena.h"
#include "kafka_config.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct scope {
	const struct kafka_table *t;
	const char *refused;        /* what happens to a value Kafka refuses */
	const char *version;        /* the cluster's Kafka version */
	bool topic;                 /* topic options, else broker options */
	const char *where;          /* "kafka.config", "topics[2].config" */
	const struct value *prefixes; /* kafka.pluginConfigPrefixes (broker options) */
};

static const char *kafka_text(struct check *c, const struct scope *s)
{
	/* The table may be older than the cluster (4.0's for 4.1.1): say so. */
	size_t n = strlen(s->t->version);
	if (!strncmp(s->version, s->t->version, n) && (s->version[n] == '.' || !s->version[n]))
		return arena_printf(c->a, "Kafka %s", s->version);
	return arena_printf(c->a, "Kafka %s (asbgen checks it with its Kafka %s table)", s->version, s->t->version);
}

/* The text of a scalar as Strimzi hands it to Kafka, or NULL (a float,
 * whose text Java and asbgen write differently, or not a scalar). */
static const char *scalar_text(struct check *c, const struct value *v)
{
	switch (v->kind) {
	case V_STRING: return v->str.s;
	case V_INT: return arena_printf(c->a, "%lld", v->i);
	case V_BOOL: return v->b ? "true" : "false";
	default: return NULL;
	}
}

static const char *shown(struct check *c, const struct value *v)
{
	const char *t = scalar_text(c, v);
	if (t)
		return v->kind == V_STRING ? arena_printf(c->a, "'%s'", t) : t;
	if (v->kind == V_FLOAT)
		return arena_printf(c->a, "%g", v->f);
	return v->kind == V_NULL ? "null" : v->kind == V_MAP ? "a mapping" : "a list";
}

/* How to write a value of the type (the hint of a type error). */
static const char *type_words(enum kafka_type t)
{
	switch (t) {
	case KT_BOOLEAN: return "write true or false";
	case KT_INT: return "write a whole number (an int: 32 bits)";
	case KT_SHORT: return "write a whole number (a short: 16 bits)";
	case KT_LONG: return "write a whole number (a long: 64 bits)";
	case KT_DOUBLE: return "write a number";
	case KT_STRING: return "quote the value as you mean it, so that YAML reads it as text";
	case KT_LIST: return "write a comma-separated list (quoted, so that YAML reads it as text)";
	case KT_CLASS: return "write a Java class name (dotted identifiers, such as org.example.MyPlugin)";
	case KT_PASSWORD: return "leave it out";
	}
	return "?";
}

static bool parse_ll(const char *s, long long *out)
{
	while (isspace((unsigned char)*s))
		s++;
	char *end;
	errno = 0;
	long long x = strtoll(s, &end, 10);
	while (end != s && isspace((unsigned char)*end))
		end++;
	if (end == s || *end || errno == ERANGE || !isdigit((unsigned char)s[*s == '-' || *s == '+']))
		return false;
	*out = x;
	return true;
}

static bool parse_double(const char *s, double *out)
{
	char *end;
	errno = 0;
	double x = strtod(s, &end);
	while (end != s && isspace((unsigned char)*end))
		end++;
	if (end == s || *end || errno == ERANGE || !isfinite(x))
		return false;
	*out = x;
	return true;
}

/* "1 or more", "between 0 and 100", "between 1 and 9, or -1". */
static const char *range_text(struct check *c, const struct kafka_option *o)
{
	const char *r = o->max ? arena_printf(c->a, "a value between %s and %s", o->min, o->max)
			       : arena_printf(c->a, "%s or more", o->min);
	return o->alt ? arena_printf(c->a, "%s, or %s", r, o->alt) : r;
}

static bool in_range(const struct kafka_option *o, double x)
{
	double mn, mx, alt;
	if (o->alt && parse_double(o->alt, &alt) && x == alt)
		return true;
	if (o->min && parse_double(o->min, &mn) && x < mn)
		return false;
	return !(o->max && parse_double(o->max, &mx) && x > mx);
}

static const char *valid_values(struct check *c, const struct kafka_option *o)
{
	const char *s = "";
	for (size_t i = 0; i < o->nenums; i++)
		s = arena_printf(c->a, "%s%s%s", s, i ? ", " : "", o->enums[i]);
	return s;
}

static bool enum_has(const struct kafka_option *o, const char *s, size_t n)
{
	for (size_t i = 0; i < o->nenums; i++)
		if (strlen(o->enums[i]) == n && !memcmp(o->enums[i], s, n))
			return true;
	return false;
}

static void not_enumerated(struct check *c, const struct scope *s, const char *k, const struct kafka_option *o,
			   const struct value *v, const char *item, size_t n)
{
	const char *dym = suggest_hint(c->a, item, n, o->enums, o->nenums);
	const char *hint = arena_printf(c->a, "%s%sKafka's values: %s", dym ? dym : "", dym ? " " : "", valid_values(c, o));
	if (o->type == KT_LIST)
		check_error(c, v, "kafka-config-value", hint, "%s.%s: '%.*s' is not a valid item (Kafka wants items among %s)",
			    s->where, k, (int)n, item, valid_values(c, o));
	else
		check_error(c, v, "kafka-config-value", hint, "%s.%s is %s, not one of Kafka's values for it", s->where, k,
			    shown(c, v));
}

static void wrong_type(struct check *c, const struct scope *s, const char *k, const struct kafka_option *o,
		       const struct value *v)
{
	check_error(c, v, "kafka-config-type",
		    arena_printf(c->a, "%s: %s", type_words(o->type), s->refused),
		    "%s.%s is %s; Kafka wants %s %s", s->where, k, shown(c, v),
		    o->type == KT_INT ? "an" : "a", kafka_type_name(o->type));
}

static void check_integer(struct check *c, const struct scope *s, const char *k, const struct kafka_option *o,
			  const struct value *v)
{
	long long x, lo = o->type == KT_SHORT ? -32768 : o->type == KT_INT ? INT_MIN : LLONG_MIN;
	long long hi = o->type == KT_SHORT ? 32767 : o->type == KT_INT ? INT_MAX : LLONG_MAX;
	if (v->kind == V_FLOAT) {
		if (isfinite(v->f) && v->f == floor(v->f) && fabs(v->f) < 9.2e18)
			check_error(c, v, "config-integer",
				    arena_printf(c->a, "write %lld: Kafka reads %s as an integer, and a float is written with a decimal point or exponent",
						 (long long)v->f, k),
				    "%s.%s is a float; Kafka wants an integer", s->where, k);
		else
			check_error(c, v, "config-integer", "write a whole number, without a decimal point or exponent",
				    "%s.%s is a float; Kafka wants an integer", s->where, k);
		return;
	}
	if (!(v->kind == V_INT ? (x = v->i, true) : v->kind == V_STRING && parse_ll(v->str.s, &x))) {
		wrong_type(c, s, k, o, v);
		return;
	}
	if (x < lo || x > hi) {
		check_error(c, v, "kafka-config-type",
			    arena_printf(c->a, "write a whole number between %lld and %lld (a Kafka %s)", lo, hi, kafka_type_name(o->type)),
			    "%s.%s is %lld, beyond what a Kafka %s holds", s->where, k, x, kafka_type_name(o->type));
		return;
	}
	if (!in_range(o, (double)x))
		check_error(c, v, "kafka-config-value", arena_printf(c->a, "write %s: %s", range_text(c, o), s->refused),
			    "%s.%s is %lld; Kafka wants %s", s->where, k, x, range_text(c, o));
}

static bool java_class_name(const char *s)
{
	/* Dotted Java identifiers ($ for nested classes). */
	bool start = true;
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if (ch == '.' && !start)
			start = true;
		else if (isalpha(ch) || ch == '_' || ch == '$' || (!start && isdigit(ch)) || ch >= 0x80)
			start = false;
		else
			return false;
	}
	return !start;
}

/* A value of a known option: its type, then its range or enumeration. */
static void check_value(struct check *c, const struct scope *s, const char *k, const struct kafka_option *o,
			const struct value *v)
{
	const char *text = scalar_text(c, v);
	double x;
	switch (o->type) {
	case KT_PASSWORD:
		check_error(c, v, "kafka-config-password",
			    "the spec and out/ are committed in plain text: keep the secret out of them",
			    "%s.%s is a password; asbgen would write it into the Kafka resource in plain text", s->where, k);
		return;
	case KT_BOOLEAN:
		if (v->kind != V_BOOL && !(v->kind == V_STRING && (!strcasecmp(text, "true") || !strcasecmp(text, "false"))))
			wrong_type(c, s, k, o, v);
		return;
	case KT_INT:
	case KT_SHORT:
	case KT_LONG:
		check_integer(c, s, k, o, v);
		return;
	case KT_DOUBLE:
		x = v->kind == V_FLOAT ? v->f : (double)v->i;
		if (v->kind != V_FLOAT && v->kind != V_INT && !(v->kind == V_STRING && parse_double(text, &x)))
			wrong_type(c, s, k, o, v);
		else if (!in_range(o, x))
			check_error(c, v, "kafka-config-value",
				    arena_printf(c->a, "write %s: %s", range_text(c, o), s->refused),
				    "%s.%s is %s; Kafka wants %s", s->where, k, shown(c, v), range_text(c, o));
		return;
	case KT_CLASS:
		if (v->kind != V_STRING || !java_class_name(text))
			wrong_type(c, s, k, o, v);
		return;
	case KT_STRING:
	case KT_LIST:
		break;
	}
	if (!text) {
		if (v->kind != V_FLOAT || o->nenums || o->type == KT_LIST)
			wrong_type(c, s, k, o, v);
		return;
	}
	if (o->type == KT_STRING) {
		if (o->nonempty && !*text)
			check_error(c, v, "kafka-config-value", "write a value, or remove the option", "%s.%s is empty; Kafka wants a non-empty string", s->where, k);
		else if (o->nenums && !enum_has(o, text, strlen(text)))
			not_enumerated(c, s, k, o, v, text, strlen(text));
		return;
	}
	/* A list: comma-separated items, each trimmed. */
	size_t items = 0;
	for (const char *p = text; *p;) {
		const char *comma = strchr(p, ','), *e = comma ? comma : p + strlen(p);
		const char *b = p;
		while (b < e && isspace((unsigned char)*b))
			b++;
		const char *t = e;
		while (t > b && isspace((unsigned char)t[-1]))
			t--;
		if (t > b) {
			items++;
			if (o->nenums && !enum_has(o, b, (size_t)(t - b))) {
				not_enumerated(c, s, k, o, v, b, (size_t)(t - b));
				return;
			}
		}
		p = comma ? comma + 1 : e;
	}
	if (o->nonempty && !items)
		check_error(c, v, "kafka-config-value", "write one item or more, or remove the option",
			    "%s.%s is empty; Kafka wants a non-empty list", s->where, k);
}

static bool plugin_prefix(const struct scope *s, const char *k)
{
	for (size_t i = 0; s->prefixes && s->prefixes->kind == V_SEQ && i < s->prefixes->seq.n; i++) {
		const struct value *p = s->prefixes->seq.items[i];
		if (p->kind == V_STRING && p->str.len && !strncmp(k, p->str.s, p->str.len))
			return true;
	}
	return false;
}

/* The option of the other scope that means the same (retention.ms for
 * log.retention.ms), for the hint of an unknown option. */
static const char *other_scope_hint(struct check *c, const struct scope *s, const char *k)
{
	const struct kafka_table *t = s->t;
	if (!s->topic) {
		const struct kafka_option *o = kafka_option_find(t->topic, t->ntopic, k);
		if (o && o->broker && strcmp(o->broker, k))
			return arena_printf(c->a, "%s is a topic option: the broker's default for every topic is %s", k, o->broker);
		if (o)
			return arena_printf(c->a, "%s is a topic option (set it per topic, or in topicDefaults.config)", k);
		return NULL;
	}
	for (size_t i = 0; i < t->ntopic; i++)
		if (t->topic[i].broker && !strcmp(t->topic[i].broker, k))
			return arena_printf(c->a, "%s is a broker option: the topic option is %s", k, t->topic[i].name);
	if (kafka_option_find(t->broker, t->nbroker, k))
		return arena_printf(c->a, "%s is a broker option (kafka.config), not a topic option", k);
	return NULL;
}

static void check_option(struct check *c, const struct scope *s, const struct value *key, const struct value *v)
{
	const char *k = key->str.s;
	const struct kafka_strimzi *st = &c->kafka->strimzi;
	const char *where = NULL, *prefix = s->topic ? NULL : kafka_strimzi_forbidden(st, k, &where);
	if (prefix) {
		check_error(c, key, "kafka-config-forbidden", arena_printf(c->a, "remove it: %s", where),
			    "%s.%s: Strimzi drops options starting with '%s' (it sets them itself), so this one would do nothing",
			    s->where, k, prefix);
		return;
	}
	const struct kafka_option *o = s->topic ? kafka_option_find(s->t->topic, s->t->ntopic, k)
						: kafka_option_find(s->t->broker, s->t->nbroker, k);
	if (!o) {
		if (!s->topic && (kafka_strimzi_exception(st, k) || plugin_prefix(s, k)))
			return; /* Strimzi's own exceptions (Cruise Control's), a plugin's */
		const char *dym = s->topic ? suggest_hint(c->a, k, key->str.len, s->t->topic_names, s->t->ntopic)
					   : suggest_hint(c->a, k, key->str.len, s->t->broker_names, s->t->nbroker);
		const char *other = other_scope_hint(c, s, k);
		const char *hint = other ? other : dym ? dym : "check the spelling in Kafka's documentation";
		if (s->topic)
			check_error(c, key, "kafka-config-unknown", hint,
				    "%s.%s is not a topic option of %s: Kafka refuses to create the topic", s->where, k,
				    kafka_text(c, s));
		else
			check_error(c, key, "kafka-config-unknown",
				    arena_printf(c->a, "%s (an option meant for a plugin is allowed by kafka.pluginConfigPrefixes)", hint),
				    "%s.%s is not a broker option of %s: Kafka would ignore it", s->where, k, kafka_text(c, s));
		return;
	}
	if (o->removed) {
		const char *hint = arena_printf(c->a, "remove it; instead: %s", o->instead ? o->instead : "nothing");
		if (!strcmp(o->removed, "KRaft"))
			check_error(c, key, "kafka-config-removed", hint,
				    "%s.%s is not used in KRaft mode, which every asbgen cluster runs", s->where, k);
		else
			check_error(c, key, "kafka-config-removed", hint, "%s.%s was removed in Kafka %s (this cluster runs %s)",
				    s->where, k, o->removed, s->version);
		return;
	}
	check_value(c, s, k, o, v);
}

static void check_map(struct check *c, const struct scope *s, const struct value *cfg, bool written_only)
{
	for (size_t i = 0; cfg && cfg->kind == V_MAP && i < cfg->map.n; i++) {
		const struct pair *p = &cfg->map.items[i];
		if (p->key->kind == V_STRING && (!written_only || check_written(p->val)))
			check_option(c, s, p->key, p->val);
	}
}

/* A plugin prefix that covers Kafka's own options would hide their typos. */
static void check_prefixes(struct check *c, const struct scope *s)
{
	for (size_t i = 0; s->prefixes && s->prefixes->kind == V_SEQ && i < s->prefixes->seq.n; i++) {
		const struct value *p = s->prefixes->seq.items[i];
		if (p->kind != V_STRING)
			continue;
		for (size_t j = 0; j < s->t->nbroker; j++)
			if (!strncmp(s->t->broker[j].name, p->str.s, p->str.len)) {
				check_warning(c, p, "kafka-config-prefix",
					      "make the prefix the plugin's own (such as the package of its class)",
					      "kafka.pluginConfigPrefixes[%zu] '%s' also matches Kafka's %s: a misspelt Kafka option with that prefix would go unchecked",
					      i, p->str.s, s->t->broker[j].name);
				break;
			}
	}
}

void check_kafka_config(struct check *c)
{
	if (!c->kafka)
		return;
	const char *version = v_as_str(v_path(c->model, "kafka.version"), "");
	const struct kafka_table *t = kafka_table_for(c->kafka, version);
	if (!t)
		return; /* a version asbgen does not know: kafka-version says so */
	struct scope s = { t, "Strimzi refuses the whole Kafka resource otherwise", version, false, "kafka.config",
			   v_path(c->model, "kafka.pluginConfigPrefixes") };
	check_prefixes(c, &s);
	check_map(c, &s, v_path(c->model, "kafka.config"), true);
	s.topic = true;
	s.prefixes = NULL;
	s.refused = "Kafka refuses to create the topic otherwise";
	s.where = "topicDefaults.config";
	check_map(c, &s, v_path(c->spec, "topicDefaults.config"), false);
	const struct value *topics = map_get(c->spec, "topics");
	for (size_t i = 0; topics && topics->kind == V_SEQ && i < topics->seq.n; i++) {
		s.where = arena_printf(c->a, "topics[%zu].config", i);
		check_map(c, &s, map_get(topics->seq.items[i], "config"), false);
	}
}
