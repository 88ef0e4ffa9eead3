/* check_terraform.c - what the Terraform modules the tfvars feed can do:
 * lsst/idf_deploy's alertdb module creates only the buckets its naming
 * rule gives (the model derived which ones). */
#include "check.h"
#include "arena.h"

#include <string.h>

#define GCS_NAME_MAX 63

static void check_alertdb_buckets(struct check *c)
{
	const struct value *a = v_path(c->model, "alertDatabase");
	if (!c->gke || !v_as_bool(map_get(a, "enabled"), false))
		return;
	const char *packets = v_as_str(v_path(a, "terraformBuckets.packets"), "");
	const char *schemas = v_as_str(v_path(a, "terraformBuckets.schemas"), "");
	const char *alert = v_as_str(map_get(a, "alertBucket"), "");
	const char *schema = v_as_str(map_get(a, "schemaBucket"), "");
	const struct value *alert_at = check_written(v_path(c->spec, "alertDatabase.gcs.alertBucket"));
	const struct value *schema_at = check_written(v_path(c->spec, "alertDatabase.gcs.schemaBucket"));
	const char *hint = arena_printf(c->a,
		"idf_deploy's alertdb module names its buckets rubin-alertdb-ENV-us-central1-packets and "
		"rubin-alertdb-ENV-us-central1-schemas for one ENV: write alertBucket: %s and schemaBucket: %s "
		"(or another ENV in both), or leave both out for those of the environment's name", packets, schemas);
	if (!v_as_str(map_get(a, "terraformEnvironment"), NULL)) {
		bool alert_bad = strcmp(alert, packets) != 0;
		const struct value *at = check_first(alert_bad ? alert_at : schema_at, alert_at, schema_at);
		check_error(c, check_first(at, v_path(c->spec, "alertDatabase"), NULL), "alertdb-tf-buckets", hint,
			    "the alert database uses bucket '%s', which the Terraform alertdb module cannot create "
			    "beside '%s' (it would create '%s' and '%s')",
			    alert_bad ? alert : schema, alert_bad ? schema : alert, packets, schemas);
		return;
	}
	if (strlen(packets) > GCS_NAME_MAX || strlen(schemas) > GCS_NAME_MAX)
		check_error(c, check_first(v_path(c->spec, "name"), NULL, NULL), "alertdb-tf-buckets",
			    "name the buckets in alertDatabase.gcs (rubin-alertdb-ENV-us-central1-packets and -schemas "
			    "with a shorter ENV)",
			    "the Terraform alertdb module would name the buckets '%s' and '%s': GCS bucket names have "
			    "at most %d characters",
			    packets, schemas, GCS_NAME_MAX);
}

void check_terraform(struct check *c)
{
	check_alertdb_buckets(c);
}
