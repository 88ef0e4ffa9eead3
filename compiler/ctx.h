/* ctx.h - one compilation: an arena, its diagnostics and how to print them.
 * Every subcommand makes one (cli.h) and hands it down. */
#ifndef ASBGEN_CTX_H
#define ASBGEN_CTX_H

#include <stdbool.h>

#include "diag.h"

struct defaults;
struct kafka_tables;
struct schema;

/* One compilation: an arena and its diagnostics. */
struct ctx {
	struct arena *arena;
	/* What outlives one spec (the schema, the Kafka tables) when arena is
	 * a spec's own (validate of many specs); NULL: arena. */
	struct arena *keep;
	struct diags diags;
	enum diag_format format;
	bool color;
	struct schema *schema; /* the environment schema, loaded once */
	struct kafka_tables *kafka; /* schemas/kafka/, loaded with it */
	struct defaults *defaults; /* when set, model_load records the defaults it fills */
	bool bootstrap;        /* render --phase bootstrap: the spec without its external listener */
	const char *testid;    /* --testid ID: the spec's test instance (testid.h), or NULL */
};

void ctx_init(struct ctx *c);
void ctx_free(struct ctx *c);
/* Print collected diagnostics (sorted) to stderr in the chosen format. */
void ctx_report(struct ctx *c);

#endif
