/*
 * incident_json.c: the incident JSON of DESIGN.md §3, one object per
 * transition.  The field names and their order are a contract with the
 * SIEMs and scripts that read it; fields that do not apply are left out
 * rather than written as null.  json-c does the escaping, so no byte of
 * the input can break out of a string.
 */

#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "correlate.h"
#include "xmalloc.h"

#define INCIDENT_JSON_MAXLINES	32

static void
incident_json_str(struct json_object *o, const char *key, const char *v)
{
	if (v != NULL)
		json_object_object_add(o, key, json_object_new_string(v));
}

static void
incident_json_int(struct json_object *o, const char *key, int64_t v)
{
	if (v >= 0)
		json_object_object_add(o, key, json_object_new_int64(v));
}

static void
incident_json_time(struct json_object *o, const char *key, int64_t t)
{
	char	buf[32];

	if (t == REC_TIME_NONE)
		return;
	ptime_format(t, buf, sizeof(buf));
	json_object_object_add(o, key, json_object_new_string(buf));
}

static struct json_object *
incident_json_objects(const struct incident *inc)
{
	struct incident_object	**v;
	struct json_object	 *a, *j;
	size_t			  i;

	v = incident_sorted(inc);
	a = json_object_new_array();
	for (i = 0; i < inc->nobjects && i < CORRELATE_MAXOBJECTS; i++) {
		j = json_object_new_object();
		incident_json_str(j, "dn", v[i]->dn);
		incident_json_str(j, "upn", v[i]->upn);
		incident_json_str(j, "sam", v[i]->sam);
		incident_json_int(j, "retries", v[i]->retries);
		json_object_array_add(a, j);
	}
	free(v);
	return (a);
}

static struct json_object *
incident_json_evidence(const struct incident *inc)
{
	struct json_object	*a;
	int			 s;

	a = json_object_new_array();
	for (s = 0; s < REC_SRC_MAX; s++)
		if (inc->evidence & (1U << s))
			json_object_array_add(a, json_object_new_string(
			    record_source_name((enum rec_source)s)));
	return (a);
}

static struct json_object *
incident_json_alert(const struct incident *inc)
{
	struct json_object	*o;

	o = json_object_new_object();
	incident_json_str(o, "title", inc->alert.title);
	incident_json_str(o, "alert", inc->alert.alert);
	incident_json_time(o, "raised", inc->alert.raised);
	incident_json_time(o, "resolved", inc->alert.resolved);
	incident_json_str(o, "message_id", inc->alert.message_id);
	return (o);
}

static void
incident_json_lines(struct json_object *o, const struct incident *inc)
{
	struct json_object	*a;
	char			*lines[INCIDENT_JSON_MAXLINES];
	size_t			 n, i;

	n = remedy_lines(inc, lines, INCIDENT_JSON_MAXLINES);
	if (n == 0)
		return;
	a = json_object_new_array();
	for (i = 0; i < n; i++) {
		json_object_array_add(a, json_object_new_string(lines[i]));
		free(lines[i]);
	}
	json_object_object_add(o, "remediation", a);
}

/* The incident JSON for transition tr, one line (xmalloc'd). */
char *
incident_json(const struct incident *inc, enum incident_transition tr)
{
	struct json_object	*o, *a;
	char			 summary[1024];
	char			*out;
	size_t			 i;

	o = json_object_new_object();
	incident_json_str(o, "id", inc->id);
	incident_json_str(o, "state", incident_transition_name(tr));
	incident_json_str(o, "class", incident_class_name(inc->cls));
	incident_json_str(o, "host", inc->host);
	incident_json_str(o, "connector", inc->connector);
	if (inc->conn_kind != REC_CONN_UNKNOWN)
		incident_json_str(o, "connector_kind",
		    record_conn_name(inc->conn_kind));
	incident_json_str(o, "attribute", inc->attribute);
	incident_json_str(o, "value", inc->value);
	if (inc->nowners > 0) {
		a = json_object_new_array();
		for (i = 0; i < inc->nowners; i++)
			json_object_array_add(a,
			    json_object_new_string(inc->owners[i]));
		json_object_object_add(o, "owners", a);
	}
	incident_json_str(o, "ou", inc->cls == INC_PERMISSION_MISSING ?
	    inc->ou : NULL);
	if (inc->nobjects > 0) {
		json_object_object_add(o, "objects",
		    incident_json_objects(inc));
		incident_json_int(o, "object_count", (int64_t)inc->nobjects);
	}
	incident_json_str(o, "error_type", inc->error_type);
	if (inc->error_name != NULL && (inc->error_type == NULL ||
	    strcmp(inc->error_name, inc->error_type) != 0))
		incident_json_str(o, "error_name", inc->error_name);
	incident_json_int(o, "error_code", inc->error_code);
	if (inc->cls == INC_AD_EXPORT_ERROR)
		incident_json_str(o, "error_literal", inc->literal);
	incident_json_str(o, "detail", inc->detail);
	incident_json_int(o, "retries", incident_retries(inc));
	incident_json_time(o, "first_seen", inc->first_seen);
	incident_json_time(o, "last_seen", inc->last_seen);
	if (inc->ad_only)
		incident_json_str(o, "pattern", "ad-connector-only");
	if (inc->protect == INC_PROT_ADMINCOUNT)
		incident_json_str(o, "protected", "adminCount");
	else if (inc->protect == INC_PROT_INFERRED)
		incident_json_str(o, "protected", "inferred");
	json_object_object_add(o, "evidence", incident_json_evidence(inc));
	if (inc->alert.title != NULL || inc->alert.alert != NULL)
		json_object_object_add(o, "health_alert",
		    incident_json_alert(inc));
	remedy_summary(inc, summary, sizeof(summary));
	incident_json_str(o, "summary", summary);
	incident_json_lines(o, inc);
	out = xstrdup(json_object_to_json_string_ext(o,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
	return (out);
}
