/* cmd_teardown.c - `asbgen teardown SPEC --testid ID`: remove a test
 * instance's rendered folder (seed 004's teardown), so that Argo CD's
 * prune deletes its objects.  Only the files asbgen's record lists go
 * (write.h); a spec marked production: true is refused whatever else is
 * given, and so is a command without a testid. */
#include "arena.h"
#include "cli.h"
#include "load.h"
#include "value.h"
#include "write.h"

#include <string.h>

static const char help[] =
	"usage: asbgen teardown SPEC --testid ID [-o DIR] [--quiet]\n"
	"\n"
	"Remove the test instance ID of SPEC (what asbgen render --testid ID\n"
	"wrote): every file listed in DIR/<environment>-ID/.asbgen-files, then the\n"
	"record, then the folder when nothing else is left in it.  Files asbgen did\n"
	"not write are left alone.  Commit the removal and Argo CD's prune deletes\n"
	"the test instance's objects from the cluster.\n"
	"\n"
	"  --testid ID        the test instance (required: teardown never removes\n"
	"                     an environment's own folder)\n"
	"  -o, --output DIR   where the environment folders are (default: out)\n"
	"  -q, --quiet        do not list removed files\n"
	"\n"
	"Refuses a spec marked production: true, whatever else is given.\n"
	"\n"
	"exit: 0 removed, 1 refused (a production spec, no asbgen record in the\n"
	"folder, an invalid spec), 2 usage or I/O error\n";

const char *const cmd_teardown_help = help;

struct opts {
	const char *spec, *outdir, *testid;
	bool quiet;
};

static int parse(int argc, char **argv, struct opts *o)
{
	for (int i = 1; i < argc; i++) {
		const char *v;
		int r;
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return 1;
		if (!strcmp(argv[i], "-q") || !strcmp(argv[i], "--quiet")) {
			o->quiet = true;
		} else if ((r = opt_value(argc, argv, &i, "--testid", &v)) != 0) {
			if (r < 0 || !parse_testid("teardown", v, &o->testid))
				return -1;
		} else if ((r = opt_value(argc, argv, &i, "-o", &v)) != 0 ||
			   (r = opt_value(argc, argv, &i, "--output", &v)) != 0) {
			if (r < 0)
				return -1;
			if (!*v) {
				fprintf(stderr, "asbgen teardown: -o/--output needs a directory, not an empty string\n");
				return -1;
			}
			o->outdir = v;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			unknown_option("teardown", argv[i], help);
			return -1;
		} else if (cli_spec_operand("teardown", argv[i], &o->spec) < 0) {
			return -1;
		}
	}
	if (!cli_spec_given("teardown", o->spec))
		return -1;
	if (!o->testid) {
		fprintf(stderr, "asbgen teardown: give --testid ID: teardown removes a test instance, never an "
				"environment's own folder\n");
		return -1;
	}
	return 0;
}

static void on_removed(void *ctx, const char *dir, const char *path, enum file_state st)
{
	const struct opts *o = ctx;
	if (st == FILE_STALE && !o->quiet)
		printf("removed  %s/%s\n", dir, path);
}

/* production: true in the spec as written, before anything else about it
 * is read: the refusal does not depend on the spec being valid. */
static bool production_refused(struct ctx *c, const char *spec)
{
	const struct value *doc = !strcmp(spec, "-") ? NULL : load_yaml_file(c->arena, &c->diags, spec);
	const struct value *p = map_get(doc, "production");
	if (!p || p->kind != V_BOOL || !p->b)
		return false;
	diag_at(&c->diags, SEV_ERROR, &p->mark, "teardown-production",
		"teardown removes test instances of environments that are not production; remove a production "
		"environment's files by hand, with review",
		"%s is marked production: true: asbgen teardown refuses it, whatever the testid", spec);
	return true;
}

int cmd_teardown(int argc, char **argv)
{
	struct opts o = { .outdir = "out" };
	int pr = parse(argc, argv, &o);
	if (pr != 0) {
		fputs(help, pr > 0 ? stdout : stderr);
		return pr > 0 ? EXIT_OK : EXIT_USAGE;
	}
	if (!strcmp(o.spec, "-")) {
		fprintf(stderr, "asbgen teardown: give the spec as a file (its production flag is read first)\n");
		return EXIT_USAGE;
	}
	struct ctx c;
	ctx_init(&c);
	int rc = EXIT_INVALID;
	if (production_refused(&c, o.spec) || c.diags.nerrors)
		goto done;
	c.testid = o.testid;
	const struct value *model = model_load(&c, o.spec);
	if (!model)
		goto done;
	const char *env = v_as_str(v_path(model, "env.name"), NULL);
	const char *dir = arena_printf(c.arena, "%s/%s", o.outdir, env);
	bool kept;
	int r = out_teardown(c.arena, &c.diags, dir, spec_display_name(c.arena, o.spec), on_removed, &o, &kept);
	if (r < 0) {
		rc = EXIT_USAGE;
	} else if (r > 0) {
		diag_pos(&c.diags, SEV_ERROR, dir, 0, 0, "teardown-no-record",
			 arena_printf(c.arena, "render the test instance first (asbgen render --testid %s %s), or check -o", o.testid,
				      o.spec),
			 "%s holds no record of asbgen's (%s): nothing there is known to be asbgen's to remove", dir,
			 RECORD_NAME);
	} else {
		rc = EXIT_OK;
		if (!o.quiet)
			printf(kept ? "kept     %s: it holds files asbgen did not write\n" : "removed  %s\n", dir);
	}
done:
	ctx_report(&c);
	ctx_free(&c);
	return rc;
}
