/* test_kafka_config.c - the Kafka config tables asbgen ships
 * (schemas/kafka/, compiler/kafka_config.h): which table a Kafka version
 * is checked with, what a row says, Strimzi's forbidden prefixes and their
 * exceptions, and a malformed table reported at its line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arena.h"
#include "diag.h"
#include "kafka_config.h"
#include "unit.h"

static const char *table(const struct kafka_tables *t, const char *v)
{
	const struct kafka_table *k = kafka_table_for(t, v);
	return k ? k->version : "(none)";
}

static const char *forbidden(const struct kafka_tables *t, const char *name)
{
	const char *where = NULL, *p = kafka_strimzi_forbidden(&t->strimzi, name, &where);
	return p && where ? p : "(allowed)";
}

int main(void)
{
	struct arena *a = arena_new();
	struct diags d;
	diags_init(&d, a);
	struct kafka_tables *t = kafka_tables_load(a, &d, "schemas/kafka");
	CHECK("load: schemas/kafka", t && d.n == 0);
	if (!t)
		return UNIT_DONE();
	CHECK_STR("table: 3.9.0 is 3.9's", table(t, "3.9.0"), "3.9");
	CHECK_STR("table: 3.6.0, older than every 3.x table, the oldest 3.x", table(t, "3.6.0"), "3.9");
	CHECK_STR("table: 4.0.0 is 4.0's", table(t, "4.0.0"), "4.0");
	CHECK_STR("table: 4.1.1 the newest 4.x not newer (4.0)", table(t, "4.1.1"), "4.0");
	CHECK_STR("table: no 9.x table", table(t, "9.9.9"), "(none)");
	CHECK_STR("table: not a version", table(t, "latest"), "(none)");

	const struct kafka_table *k40 = kafka_table_for(t, "4.0.0"), *k39 = kafka_table_for(t, "3.9.0");
	const struct kafka_option *o = kafka_option_find(k40->broker, k40->nbroker, "log.cleaner.min.cleanable.ratio");
	CHECK("row: a double with its range", o && o->type == KT_DOUBLE && !strcmp(o->min, "0") && !strcmp(o->max, "1"));
	o = kafka_option_find(k40->topic, k40->ntopic, "compression.gzip.level");
	CHECK("row: a range with one more value", o && o->alt && !strcmp(o->alt, "-1"));
	o = kafka_option_find(k40->topic, k40->ntopic, "cleanup.policy");
	CHECK("row: a list with its values, and its broker default",
	      o && o->type == KT_LIST && o->nenums == 2 && !strcmp(o->broker, "log.cleanup.policy"));
	o = kafka_option_find(k40->broker, k40->nbroker, "log.message.format.version");
	CHECK("row: removed in 4.0", o && o->removed && !strcmp(o->removed, "4.0"));
	o = kafka_option_find(k39->broker, k39->nbroker, "log.message.format.version");
	CHECK("row: still there in 3.9", o && !o->removed);

	CHECK_STR("forbidden: ssl.*", forbidden(t, "ssl.client.auth"), "ssl.");
	CHECK_STR("forbidden: on the lower-cased name", forbidden(t, "SSL.Client.Auth"), "ssl.");
	CHECK_STR("forbidden: an exception passes", forbidden(t, "ssl.cipher.suites"), "(allowed)");
	CHECK_STR("forbidden: another exception", forbidden(t, "controller.quorum.fetch.timeout.ms"), "(allowed)");
	CHECK_STR("forbidden: a prefix without a dot", forbidden(t, "log.dirs"), "log.dir");
	CHECK_STR("forbidden: not a prefix of it", forbidden(t, "log.retention.hours"), "(allowed)");
	CHECK("listener options: three", t->strimzi.nlistener == 3);

	char dir[] = "/tmp/asbgen-kafka-XXXXXX";
	if (mkdtemp(dir)) {
		char path[256];
		snprintf(path, sizeof path, "%s/kafka-4.0.tsv", dir);
		FILE *f = fopen(path, "w");
		if (f) {
			fputs("# a comment\nkafka\t4.0\nbroker\tx\tint\n", f);
			fclose(f);
		}
		snprintf(path, sizeof path, "%s/strimzi.tsv", dir);
		f = fopen(path, "w");
		if (f) {
			fputs("forbidden\tssl.\twhere\n", f);
			fclose(f);
		}
		struct diags d2;
		diags_init(&d2, a);
		CHECK("malformed: not loaded", kafka_tables_load(a, &d2, dir) == NULL);
		CHECK("malformed: reported at its line", d2.n == 1 && d2.items[0].line == 3 && !strcmp(d2.items[0].id, "kafka-tables"));
		diags_free(&d2);
		snprintf(path, sizeof path, "%s/kafka-4.0.tsv", dir);
		unlink(path);
		snprintf(path, sizeof path, "%s/strimzi.tsv", dir);
		unlink(path);
		struct diags d3;
		diags_init(&d3, a);
		CHECK("empty: no table is an error", kafka_tables_load(a, &d3, dir) == NULL && d3.n == 1 &&
							 !strcmp(d3.items[0].id, "kafka-tables"));
		diags_free(&d3);
		rmdir(dir);
	}
	diags_free(&d);
	arena_free(a);
	return UNIT_DONE();
}
