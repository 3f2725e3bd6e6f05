/*
 * record_json.c: a record as one line of JSON.  This is what `syncorr
 * explain` prints and what the parsers' golden files hold, so it names
 * every field a parser can fill and leaves out the ones it did not: a
 * golden diff then shows exactly what a parser change altered.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "parsers.h"

static const char *const record_json_counters[REC_CNT_MAX] = {
	[REC_CNT_DISCOVERY_ERRORS] = "discovery_errors",
	[REC_CNT_SYNC_ERRORS] = "sync_errors",
	[REC_CNT_MV_RETRY_ERRORS] = "mv_retry_errors",
	[REC_CNT_EXPORT_ERRORS] = "export_errors",
	[REC_CNT_WARNINGS] = "warnings",
	[REC_CNT_EXPORT_ADD] = "export_add",
	[REC_CNT_EXPORT_UPDATE] = "export_update",
	[REC_CNT_EXPORT_RENAME] = "export_rename",
	[REC_CNT_EXPORT_DELETE] = "export_delete",
	[REC_CNT_EXPORT_DELETE_ADD] = "export_delete_add",
	[REC_CNT_EXPORT_FAILURE] = "export_failure",
	[REC_CNT_STAGE_FAILURE] = "stage_failure",
	[REC_CNT_FLOW_FAILURE] = "flow_failure",
};

/* The member name of counter c in "counters", as records.c reads it. */
const char *
record_json_counter(enum rec_counter c)
{
	if ((unsigned)c >= REC_CNT_MAX)
		return (NULL);
	return (record_json_counters[c]);
}

/* "raised", "resolved", or NULL for an unknown alert state. */
const char *
record_json_state(enum rec_alert_state st)
{
	switch (st) {
	case REC_ALERT_RAISED:
		return ("raised");
	case REC_ALERT_RESOLVED:
		return ("resolved");
	default:
		return (NULL);
	}
}

static void
record_json_str(json_object *o, const char *key, const char *v)
{
	if (v != NULL)
		json_object_object_add(o, key, json_object_new_string(v));
}

/* An integer; negative values mean "not given" and are left out. */
static void
record_json_int(json_object *o, const char *key, int64_t v)
{
	if (v >= 0)
		json_object_object_add(o, key, json_object_new_int64(v));
}

/* "2026-04-02T09:00:54.120Z", or nothing when unknown. */
static void
record_json_time(json_object *o, const char *key, int64_t t)
{
	char	buf[40], out[48];
	size_t	len;
	int64_t	ms;

	if (t == REC_TIME_NONE)
		return;
	ptime_format(t, buf, sizeof(buf));
	len = strlen(buf);
	if (len == 0 || buf[len - 1] != 'Z')
		return;
	buf[len - 1] = '\0';
	ms = t % 1000;
	if (ms < 0)
		ms += 1000;
	snprintf(out, sizeof(out), "%s.%03dZ", buf, (int)ms);
	json_object_object_add(o, key, json_object_new_string(out));
}

static void
record_json_run(json_object *o, const struct rec_run *run)
{
	json_object	*c;
	int		 i;

	record_json_str(o, "profile", run->profile);
	record_json_str(o, "step_type", run->step_type);
	record_json_str(o, "result", run->result);
	record_json_str(o, "connection", run->connection);
	record_json_str(o, "connection_server", run->conn_server);
	record_json_int(o, "connection_code", run->conn_code);
	record_json_str(o, "connection_literal", run->conn_literal);
	record_json_str(o, "run_id", run->run_id);
	record_json_int(o, "run_number", run->run_number);
	record_json_int(o, "step_number", run->step_number);
	record_json_time(o, "start", run->start);
	record_json_time(o, "end", run->end);
	c = json_object_new_object();
	for (i = 0; i < REC_CNT_MAX; i++)
		record_json_int(c, record_json_counters[i], run->counters[i]);
	if (json_object_object_length(c) > 0)
		json_object_object_add(o, "counters", c);
	else
		json_object_put(c);
}

static void
record_json_xerr(json_object *o, const struct rec_export_error *x)
{
	json_object	*a;
	size_t		 i;

	record_json_str(o, "dn", x->dn);
	record_json_str(o, "cs_id", x->cs_id);
	record_json_str(o, "object_type", x->object_type);
	record_json_str(o, "error_type", x->error_type);
	record_json_str(o, "error_name", x->error_name);
	record_json_int(o, "error_code", x->error_code);
	record_json_str(o, "literal", x->literal);
	record_json_str(o, "server_detail", x->server_detail);
	record_json_str(o, "extra_details", x->extra_details);
	record_json_str(o, "conflict_attribute", x->conflict_attr);
	record_json_str(o, "conflict_value", x->conflict_value);
	record_json_str(o, "object_id", x->object_id);
	record_json_str(o, "conflict_object_id", x->conflict_object_id);
	record_json_time(o, "first_occurred", x->first_occurred);
	record_json_time(o, "date_occurred", x->date_occurred);
	record_json_int(o, "retry_count", x->retry_count);
	if (x->nattrs > 0) {
		a = json_object_new_array();
		for (i = 0; i < x->nattrs && i < REC_MAXATTRS; i++)
			json_object_array_add(a,
			    json_object_new_string(x->attrs[i]));
		json_object_object_add(o, "attributes", a);
	}
	record_json_str(o, "upn", x->upn);
	record_json_str(o, "sam_account_name", x->sam);
	record_json_int(o, "admin_count", x->admin_count);
}

static void
record_json_alert(json_object *o, const struct rec_health_alert *a)
{
	record_json_str(o, "alert", a->alert);
	record_json_str(o, "title", a->title);
	record_json_str(o, "description", a->description);
	record_json_str(o, "state", record_json_state(a->state));
	record_json_time(o, "raised", a->raised);
	record_json_str(o, "server", a->server);
	record_json_str(o, "service", a->service);
	record_json_str(o, "tenant", a->tenant);
	record_json_str(o, "sender", a->sender);
	record_json_str(o, "subject", a->subject);
	record_json_str(o, "message_id", a->message_id);
}

static void
record_json_cloud(json_object *o, const struct rec_cloud_error *c)
{
	record_json_str(o, "object", c->object);
	record_json_str(o, "object_id", c->object_id);
	record_json_str(o, "object_type", c->object_type);
	record_json_str(o, "upn", c->upn);
	record_json_str(o, "immutable_id", c->immutable_id);
	record_json_str(o, "category", c->category);
	record_json_str(o, "property", c->property);
	record_json_str(o, "value", c->value);
	record_json_str(o, "error", c->error);
}

/* r as one line of JSON; the caller frees it.  NULL on no memory. */
char *
record_json(const struct record *r)
{
	json_object	*o;
	char		*s;

	if ((o = json_object_new_object()) == NULL)
		return (NULL);
	record_json_str(o, "kind", record_kind_name(r->kind));
	record_json_str(o, "source", record_source_name(r->source));
	record_json_str(o, "host", r->host);
	record_json_str(o, "connector", r->connector);
	record_json_str(o, "connector_kind", record_conn_name(r->conn_kind));
	record_json_time(o, "time", r->time);
	switch (r->kind) {
	case REC_RUN:
		record_json_run(o, &r->u.run);
		break;
	case REC_EXPORT_ERROR:
		record_json_xerr(o, &r->u.xerr);
		break;
	case REC_SNAPSHOT:
		record_json_int(o, "objects", r->u.snap.objects);
		record_json_int(o, "export_errors", r->u.snap.export_errors);
		record_json_int(o, "import_errors", r->u.snap.import_errors);
		break;
	case REC_HEALTH_ALERT:
		record_json_alert(o, &r->u.alert);
		break;
	case REC_CLOUD_ERROR:
		record_json_cloud(o, &r->u.cloud);
		break;
	}
	s = strdup(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
	    JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
	return (s);
}
