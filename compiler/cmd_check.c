/* cmd_check.c - `asbgen check`: YAML/JSON documents against a JSON Schema,
 * or Kubernetes manifests against the CRDs that define their kinds. */
#include "arena.h"
#include "cli.h"
#include "crd.h"
#include "dirwalk.h"
#include "load.h"
#include "schema.h"
#include "yaml11.h"

#include <string.h>

static const char help[] =
	"usage: asbgen check --schema SCHEMA [--ref URI=PATH...] FILE_OR_DIR...\n"
	"       asbgen check --crds DIR [--crds DIR...] FILE_OR_DIR...\n"
	"                    [--format text|json|github] [--strict] [--quiet]\n"
	"\n"
	"--schema: validate every document of each YAML or JSON file against a\n"
	"JSON Schema (draft-07), e.g. schemas/environment.schema.json.  A document\n"
	"that is null is checked like any other; a schema may be true or false.\n"
	"$refs to other files next to the schema are followed; other URIs (the\n"
	"draft-07 meta-schema, http://...) only through --ref.  Patterns are\n"
	"ECMA 262 regular expressions (PCRE2).\n"
	"\n"
	"--crds: validate Kubernetes manifests against the CustomResourceDefinitions\n"
	"in the *.yaml/*.yml files below each DIR (every served version's\n"
	"openAPIV3Schema), strictly: unknown fields are errors; nullable,\n"
	"x-kubernetes-int-or-string and x-kubernetes-preserve-unknown-fields are\n"
	"honoured.  Objects of kinds no CRD defines (Deployment, Secret, ...) are\n"
	"not judged; an apiVersion the CRDs do not serve for a kind they define is\n"
	"a warning.  Same verdicts as ../shared/conformance/crdcheck.py.\n"
	"\n"
	"Directories are searched recursively for *.yaml, *.yml and *.json, in\n"
	"sorted order; every document of a multi-document file is checked.\n"
	"Problems are reported at the manifest's node, as file:line:column.\n"
	"\n"
	"  --schema FILE  the JSON Schema to check against\n"
	"  --ref URI=PATH a $ref to URI is read from the file PATH; a URI ending in\n"
	"                 '/' maps every URI below it into the directory PATH\n"
	"                 (--ref http://localhost:1234/=remotes/); may be repeated\n"
	"  --crds DIR     a directory (or file) of CRDs; may be repeated\n"
	"  --format FMT   text (default), json or github (as asbgen validate)\n"
	"  --strict       warnings fail too\n"
	"  -q, --quiet    no summary line (\"asbgen check: N checked, ...\")\n"
	"\n"
	"exit: 0 valid, 1 errors (or warnings with --strict),\n"
	"      2 usage or I/O error, or a schema or CRD that cannot be used\n";

static const char *const manifest_exts[] = { ".yaml", ".yml", ".json", NULL };

struct counts {
	size_t checked, invalid, uncovered;
	bool ran; /* the inputs could be read: the counts mean something */
};

struct opts {
	const char *schema;
	const char **crds, **targets, **refs;
	size_t ncrds, ntargets, nrefs;
	bool strict, quiet;
};

/* Copy a document's diagnostics, saying which object they are about. */
static void add_prefixed(struct ctx *c, struct yaml11 *y, const struct diags *from, const char *prefix)
{
	for (size_t i = 0; i < from->n; i++) {
		const struct diag *g = &from->items[i];
		const char *hint = yaml11_hint(y, c->arena, &c->diags, g);
		diag_pos(&c->diags, g->sev, g->file, g->line, g->col, g->id, hint, "%s%s", prefix, g->msg);
	}
}

/* The documents of one file (empty ones are none).  skip_null: a written
 * null (`~`) is skipped too, as crdcheck.py's safe_load_all filter does for
 * manifests; a JSON Schema instance may be null.  -1: reported. */
static int load_docs(struct ctx *c, const char *path, bool skip_null, struct value ***docs)
{
	size_t len;
	const char *text = load_file_text(c->arena, &c->diags, path, &len);
	if (!text)
		return -1;
	struct value **all;
	int n = load_yaml_stream(c->arena, &c->diags, path, text, len, &all);
	if (n < 0)
		return -1;
	int k = 0;
	for (int i = 0; i < n; i++)
		if (!skip_null || all[i]->kind != V_NULL)
			all[k++] = all[i];
	*docs = all;
	return k;
}

/* Plain timestamps are strings here and to kubectl, but dates to PyYAML
 * (crdcheck.py), which then fails them against any type: say so. */
static void warn_timestamps(struct ctx *c, struct yaml11 *y, const struct value *v, const char *prefix)
{
	if (v->kind == V_SEQ) {
		for (size_t i = 0; i < v->seq.n; i++)
			warn_timestamps(c, y, v->seq.items[i], prefix);
	} else if (v->kind == V_MAP) {
		for (size_t i = 0; i < v->map.n; i++)
			warn_timestamps(c, y, v->map.items[i].val, prefix);
	} else if (yaml11_is_timestamp(y, v)) {
		diag_at(&c->diags, SEV_WARNING, &v->mark, "check-yaml11-timestamp",
			arena_printf(c->arena, "quote it: \"%s\"", v->str.s),
			"%s%s is a date to PyYAML (crdcheck.py then rejects it wherever a type is "
			"given), a string to kubectl and asbgen", prefix, v->str.s);
	}
}

static void check_manifest(struct ctx *c, struct crd_set *cs, struct yaml11 *y, const struct value *doc,
			   int index, struct counts *n)
{
	if (doc->kind != V_MAP) {
		diag_at(&c->diags, SEV_ERROR, &doc->mark, "check-not-mapping",
			"a Kubernetes object is a mapping with apiVersion, kind and metadata",
			"document %d is not a mapping (%s)", index + 1, vkind_name(doc->kind));
		n->invalid++;
		return;
	}
	const char *av = v_as_str(map_get(doc, "apiVersion"), NULL);
	const char *kind = v_as_str(map_get(doc, "kind"), NULL);
	struct schema *s;
	const char *other = NULL; /* the versions served, or the closest kind */
	switch (crd_set_lookup(cs, &c->diags, av, kind, &s, &other)) {
	case CRD_SERVED:
		break;
	case CRD_NOT_SERVED: {
		const struct value *avn = map_get(doc, "apiVersion");
		diag_at(&c->diags, SEV_WARNING, &avn->mark, "crd-version-not-served",
			arena_printf(c->arena, "use apiVersion %s, or the CRDs of the operator version "
				     "this manifest is for", other),
			"%s %s is not served by the CRDs given (they serve %s); the object is not checked",
			kind, av, other);
		n->uncovered++; /* not judged, as crdcheck.py counts it */
		return;
	}
	case CRD_UNKNOWN_KIND: {
		const struct value *kn = map_get(doc, "kind");
		diag_at(&c->diags, SEV_WARNING, &kn->mark, "crd-unknown-kind",
			other ? arena_printf(c->arena, "did you mean '%s'?", other)
			       : "check the kind's spelling, or give the CRD that defines it",
			"no CRD given defines kind %s in %s; the object is not checked", kind, av);
		n->uncovered++;
		return;
	}
	case CRD_UNKNOWN:
	case CRD_BROKEN:
		n->uncovered++;
		return;
	}
	n->checked++;
	/* Judge what Kubernetes tooling (YAML 1.1: yes is a boolean, 0755 octal)
	 * reads, as crdcheck.py (PyYAML) does. */
	doc = yaml11_retype(y, c->arena, &c->diags, doc);
	const char *name = v_as_str(v_path(doc, "metadata.name"), "?");
	const char *prefix = arena_printf(c->arena, "%s/%s: ", kind, name);
	warn_timestamps(c, y, doc, prefix);
	struct diags sd;
	diags_init(&sd, c->arena);
	int errors = schema_validate(&sd, s, doc);
	add_prefixed(c, y, &sd, prefix);
	diags_free(&sd);
	if (errors)
		n->invalid++;
}

static bool collect(struct ctx *c, const struct opts *o, struct pathlist *files)
{
	bool ok = true;
	for (size_t i = 0; i < o->ntargets; i++)
		ok = dirwalk_collect(c->arena, &c->diags, o->targets[i], manifest_exts, "io", files) && ok;
	return ok;
}

static int run_crds(struct ctx *c, const struct opts *o, struct counts *n)
{
	struct crd_set *cs = crd_set_new(c->arena);
	bool ok = true;
	for (size_t i = 0; i < o->ncrds; i++)
		ok = crd_set_load(cs, &c->diags, o->crds[i]) && ok;
	if (ok && crd_set_count(cs) == 0) {
		diag_pos(&c->diags, SEV_ERROR, NULL, 0, 0, "crd-load",
			 "give the directories holding the CRD files (e.g. ../shared/conformance/strimzi/0.51.0)",
			 "no CustomResourceDefinition with a schema in the --crds paths");
		ok = false;
	}
	if (!ok) {
		crd_set_free(cs);
		return EXIT_USAGE;
	}
	struct yaml11 *y = yaml11_new();
	if (!y) {
		diag_pos(&c->diags, SEV_ERROR, NULL, 0, 0, "io", NULL, "cannot compile the YAML 1.1 patterns");
		crd_set_free(cs);
		return EXIT_USAGE;
	}
	struct pathlist files = { 0 };
	bool io_ok = collect(c, o, &files);
	n->ran = true;
	for (size_t f = 0; f < files.n; f++) {
		struct value **docs;
		int nd = load_docs(c, files.items[f], true, &docs);
		for (int i = 0; i < nd; i++)
			check_manifest(c, cs, y, docs[i], i, n);
	}
	yaml11_free(y);
	crd_set_free(cs);
	return io_ok ? EXIT_OK : EXIT_USAGE;
}

static int run_schema(struct ctx *c, const struct opts *o, struct counts *n)
{
	struct schema *s = schema_load(c->arena, &c->diags, o->schema);
	if (!s)
		return EXIT_USAGE;
	for (size_t i = 0; i < o->nrefs; i++) {
		const char *eq = strchr(o->refs[i], '=');
		schema_map_uri(s, arena_strndup(c->arena, o->refs[i], (size_t)(eq - o->refs[i])), eq + 1);
	}
	struct pathlist files = { 0 };
	bool io_ok = collect(c, o, &files);
	n->ran = true;
	for (size_t f = 0; f < files.n; f++) {
		struct value **docs;
		int nd = load_docs(c, files.items[f], false, &docs);
		if (nd == 0)
			diag_pos(&c->diags, SEV_ERROR, files.items[f], 1, 1, "yaml-empty",
				 "write the document in this file", "the file has no document");
		for (int i = 0; i < nd; i++) {
			n->checked++;
			if (schema_validate(&c->diags, s, docs[i]))
				n->invalid++;
		}
	}
	schema_free(s);
	return io_ok ? EXIT_OK : EXIT_USAGE;
}

/* Usage and I/O problems with the tool's inputs (not the files checked). */
static bool is_setup_error(const char *id)
{
	static const char *const ids[] = { "io", "schema-load", "crd-load", "crd-not-mapping",
					   "crd-malformed", "crd-schema" };
	for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++)
		if (!strcmp(id, ids[i]))
			return true;
	return false;
}

static int parse(struct ctx *c, int argc, char **argv, struct opts *o)
{
	memset(o, 0, sizeof *o);
	o->crds = arena_alloc(c->arena, (size_t)argc * sizeof *o->crds);
	o->targets = arena_alloc(c->arena, (size_t)argc * sizeof *o->targets);
	o->refs = arena_alloc(c->arena, (size_t)argc * sizeof *o->refs);
	for (int i = 1; i < argc; i++) {
		const char *v;
		int r;
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			fputs(help, stdout);
			return 1;
		} else if (!strcmp(argv[i], "--strict")) {
			o->strict = true;
		} else if (!strcmp(argv[i], "-q") || !strcmp(argv[i], "--quiet")) {
			o->quiet = true;
		} else if ((r = opt_value(argc, argv, &i, "--format", &v)) != 0) {
			if (r < 0 || !parse_format(v, &c->format)) {
				if (r > 0)
					fprintf(stderr, "asbgen check: unknown format '%s'\n", v);
				return -1;
			}
		} else if ((r = opt_value(argc, argv, &i, "--schema", &v)) != 0) {
			if (r < 0 || o->schema) {
				if (r > 0)
					fprintf(stderr, "asbgen check: --schema given twice\n");
				return -1;
			}
			o->schema = v;
		} else if ((r = opt_value(argc, argv, &i, "--ref", &v)) != 0) {
			const char *eq = r > 0 ? strchr(v, '=') : NULL;
			if (r < 0 || !eq || eq == v || !eq[1]) {
				if (r > 0)
					fprintf(stderr, "asbgen check: --ref wants URI=PATH, got '%s'\n", v);
				return -1;
			}
			o->refs[o->nrefs++] = v;
		} else if ((r = opt_value(argc, argv, &i, "--crds", &v)) != 0) {
			if (r < 0)
				return -1;
			o->crds[o->ncrds++] = v;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			unknown_option("check", argv[i], help);
			return -1;
		} else {
			o->targets[o->ntargets++] = argv[i];
		}
	}
	if (!o->schema == !o->ncrds) {
		fprintf(stderr, "asbgen check: give either --schema or --crds\n");
		return -1;
	}
	if (o->nrefs && !o->schema) {
		fprintf(stderr, "asbgen check: --ref goes with --schema\n");
		return -1;
	}
	if (!o->ntargets) {
		fprintf(stderr, "asbgen check: no files to check\n");
		return -1;
	}
	return 0;
}

/* The text of --help, for completion and suggestions (commands.c). */
const char *const cmd_check_help = help;

int cmd_check(int argc, char **argv)
{
	struct ctx c;
	ctx_init(&c);
	struct opts o;
	int r = parse(&c, argc, argv, &o);
	if (r != 0) {
		if (r < 0)
			fputs(help, stderr);
		ctx_free(&c);
		return r < 0 ? EXIT_USAGE : EXIT_OK;
	}
	struct counts n = { 0 };
	int rc = o.schema ? run_schema(&c, &o, &n) : run_crds(&c, &o, &n);
	ctx_report(&c);
	if (!o.quiet && n.ran && c.format == DIAG_TEXT) {
		if (o.schema)
			fprintf(stderr, "asbgen check: %zu checked, %zu invalid\n", n.checked, n.invalid);
		else
			fprintf(stderr, "asbgen check: %zu checked, %zu invalid, %zu not covered\n", n.checked,
				n.invalid, n.uncovered);
	}
	if (rc == EXIT_OK && (c.diags.nerrors || (o.strict && c.diags.nwarnings)))
		rc = EXIT_INVALID;
	for (size_t i = 0; i < c.diags.n; i++)
		if (c.diags.items[i].sev == SEV_ERROR && is_setup_error(c.diags.items[i].id))
			rc = EXIT_USAGE;
	ctx_free(&c);
	return rc;
}
