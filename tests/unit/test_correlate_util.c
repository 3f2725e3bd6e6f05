/*
 * test_correlate_util.c: the callback, record builders and JSON questions
 * of test_correlate.h.  Builders fill a record the way the parsers do for
 * a real dump, run or mail, with the fields a test does not care about
 * left unknown; each returns it by value for the test to adjust.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "test_correlate.h"

/* Keeps every transition, with its JSON. */
void
seen_cb(const struct incident *inc, enum incident_transition tr,
    int64_t now, void *arg)
{
	struct seen	*s = arg;
	struct seen_tr	*t;

	if (s->nv == s->cap) {
		s->cap = s->cap == 0 ? 16 : s->cap * 2;
		if ((s->v = realloc(s->v, s->cap * sizeof(*s->v))) == NULL)
			abort();
	}
	t = &s->v[s->nv++];
	t->tr = tr;
	t->cls = inc->cls;
	memcpy(t->id, inc->id, sizeof(t->id));
	t->now = now;
	t->json = incident_json(inc, tr);
	s->n[tr]++;
	s->last = t->json;
}

struct correlate *
new_correlate_params(struct seen *s, const struct correlate_params *p)
{
	memset(s, 0, sizeof(*s));
	return (correlate_new(p, seen_cb, s));
}

struct correlate *
new_correlate(struct seen *s)
{
	struct correlate_params	p;

	memset(&p, 0, sizeof(p));
	p.reminder = 24 * HOUR;
	return (new_correlate_params(s, &p));
}

void
seen_free(struct seen *s)
{
	size_t	i;

	for (i = 0; i < s->nv; i++)
		free(s->v[i].json);
	free(s->v);
	memset(s, 0, sizeof(*s));
}

void
seen_skip(struct seen *s, size_t n)
{
	size_t	i;

	for (i = 0; i < n && i < s->nv; i++)
		free(s->v[i].json);
	memmove(s->v, s->v + i, (s->nv - i) * sizeof(*s->v));
	s->nv -= i;
	s->last = s->nv > 0 ? s->v[s->nv - 1].json : NULL;
}

size_t
seen_ids(const struct seen *s)
{
	size_t	i, j, n = 0;

	for (i = 0; i < s->nv; i++) {
		for (j = 0; j < i; j++)
			if (strcmp(s->v[i].id, s->v[j].id) == 0)
				break;
		if (j == i)
			n++;
	}
	return (n);
}

int
seen_count(const struct seen *s, enum incident_transition tr,
    enum incident_class cls)
{
	size_t	i;
	int	n = 0;

	for (i = 0; i < s->nv; i++)
		if (s->v[i].tr == tr && s->v[i].cls == cls)
			n++;
	return (n);
}

const struct seen_tr *
seen_first(const struct seen *s, enum incident_transition tr,
    enum incident_class cls)
{
	size_t	i;

	for (i = 0; i < s->nv; i++)
		if (s->v[i].tr == tr && s->v[i].cls == cls)
			return (&s->v[i]);
	return (NULL);
}

const struct seen_tr *
seen_last(const struct seen *s, enum incident_transition tr,
    enum incident_class cls)
{
	size_t	i;

	for (i = s->nv; i > 0; i--)
		if (s->v[i - 1].tr == tr && s->v[i - 1].cls == cls)
			return (&s->v[i - 1]);
	return (NULL);
}

char *
seen_dump(const struct seen *s)
{
	size_t	 i, len = 1, off = 0;
	char	*out;

	for (i = 0; i < s->nv; i++)
		len += strlen(s->v[i].json) + 32;
	if ((out = malloc(len)) == NULL)
		abort();
	out[0] = '\0';
	for (i = 0; i < s->nv; i++)
		off += (size_t)snprintf(out + off, len - off, "%lld %s\n",
		    (long long)s->v[i].now, s->v[i].json);
	return (out);
}

void
feed(struct correlate *c, const struct record *r)
{
	correlate_feed(c, r, r->time);
}

struct record
xerr(const char *host, const char *dn, const char *attr, int admin_count)
{
	struct record	r;

	memset(&r, 0, sizeof(r));
	r.kind = REC_EXPORT_ERROR;
	r.source = REC_SRC_CSEXPORT;
	r.host = host;
	r.connector = ADCONN;
	r.conn_kind = REC_CONN_AD;
	r.time = T0;
	r.u.xerr.dn = dn;
	r.u.xerr.object_type = "user";
	r.u.xerr.error_type = "permission-issue";
	r.u.xerr.error_code = 8344;
	r.u.xerr.literal = "Insufficient access rights to perform the "
	    "operation.";
	r.u.xerr.server_detail = "00002098: SecErr: DSID-03150F94, problem "
	    "4003 (INSUFF_ACCESS_RIGHTS), data 0";
	r.u.xerr.retry_count = 10;
	r.u.xerr.attrs[0] = attr;
	r.u.xerr.nattrs = attr != NULL;
	r.u.xerr.admin_count = admin_count;
	r.u.xerr.first_occurred = T0 - 30 * DAY;
	r.u.xerr.date_occurred = T0;
	return (r);
}

struct record
aderr(const char *host, const char *dn, const char *type)
{
	struct record	r;

	r = xerr(host, dn, "department", -1);
	r.u.xerr.error_type = type;
	r.u.xerr.error_code = 8240;
	r.u.xerr.literal = "There is no such object on the server.";
	r.u.xerr.server_detail = NULL;
	return (r);
}

struct record
snap(const char *host, const char *conn, int64_t t)
{
	struct record	r;

	memset(&r, 0, sizeof(r));
	r.kind = REC_SNAPSHOT;
	r.source = REC_SRC_CSEXPORT;
	r.host = host;
	r.connector = conn;
	r.conn_kind = record_conn_kind(conn);
	r.time = t;
	r.u.snap.objects = 5000;
	return (r);
}

struct record
run(const char *host, const char *conn, const char *step, const char *result,
    int64_t t)
{
	struct record	r;

	memset(&r, 0, sizeof(r));
	r.kind = REC_RUN;
	r.source = REC_SRC_RUNPROFILE;
	r.host = host;
	r.connector = conn;
	r.conn_kind = record_conn_kind(conn);
	r.time = t;
	r.u.run.step_type = step;
	r.u.run.result = result;
	r.u.run.conn_code = -1;
	r.u.run.run_number = -1;
	r.u.run.step_number = -1;
	r.u.run.start = t - MIN;
	r.u.run.end = t;
	return (r);
}

struct record
aaderr(const char *host, const char *name, const char *dn)
{
	struct record	r;

	memset(&r, 0, sizeof(r));
	r.kind = REC_EXPORT_ERROR;
	r.source = REC_SRC_CSEXPORT;
	r.host = host;
	r.connector = AADCONN;
	r.conn_kind = REC_CONN_AAD;
	r.time = T0;
	r.u.xerr.dn = dn;
	r.u.xerr.object_type = "user";
	r.u.xerr.error_name = name;
	r.u.xerr.error_code = -1;
	r.u.xerr.retry_count = 3;
	r.u.xerr.admin_count = -1;
	r.u.xerr.first_occurred = T0 - DAY;
	r.u.xerr.date_occurred = T0;
	return (r);
}

struct record
cloud(const char *host, const char *value, const char *upn)
{
	struct record	r;

	memset(&r, 0, sizeof(r));
	r.kind = REC_CLOUD_ERROR;
	r.source = REC_SRC_CLOUD;
	r.host = host;
	r.time = T0;
	r.u.cloud.object = upn;
	r.u.cloud.upn = upn;
	r.u.cloud.object_type = "User";
	r.u.cloud.category = "PropertyConflict";
	r.u.cloud.property = "ProxyAddresses";
	r.u.cloud.value = value;
	return (r);
}

struct record
alert(const char *server, const char *name, enum rec_alert_state st,
    int64_t raised)
{
	struct record	r;

	memset(&r, 0, sizeof(r));
	r.kind = REC_HEALTH_ALERT;
	r.source = REC_SRC_HEALTH_EMAIL;
	r.host = server;
	r.time = raised;
	r.u.alert.alert = name;
	r.u.alert.title = strcmp(name, "export-to-ad-failed") == 0 ?
	    "Export to Active Directory failed" : name;
	r.u.alert.state = st;
	r.u.alert.raised = raised;
	r.u.alert.server = server;
	r.u.alert.service = "Sync Service";
	r.u.alert.sender = "azure-noreply@microsoft.com";
	r.u.alert.message_id = "<alert-1@mail.microsoft.com>";
	return (r);
}

/* The value at key (a.b a member of a, a.0 an element), or NULL. */
static struct json_object *
j_get(struct json_object *j, const char *key)
{
	struct json_object	*v;
	char			 buf[128];
	const char		*dot;

	dot = strchr(key, '.');
	snprintf(buf, sizeof(buf), "%.*s", dot != NULL ? (int)(dot - key) :
	    (int)strlen(key), key);
	if (json_object_is_type(j, json_type_array)) {
		/* a.0.b: the first element's b */
		if ((v = json_object_array_get_idx(j, (size_t)atoi(buf))) ==
		    NULL)
			return (NULL);
	} else if (!json_object_object_get_ex(j, buf, &v))
		return (NULL);
	return (dot != NULL ? j_get(v, dot + 1) : v);
}

const char *
j_str(const char *json, const char *key)
{
	static char		 buf[4096];
	struct json_object	*j, *v;
	const char		*ret = NULL;

	if (json == NULL || (j = json_tokener_parse(json)) == NULL)
		return (NULL);
	if ((v = j_get(j, key)) != NULL &&
	    json_object_is_type(v, json_type_string)) {
		snprintf(buf, sizeof(buf), "%s", json_object_get_string(v));
		ret = buf;
	}
	json_object_put(j);
	return (ret);
}

int64_t
j_int(const char *json, const char *key)
{
	struct json_object	*j, *v;
	int64_t			 ret = -1;

	if (json == NULL || (j = json_tokener_parse(json)) == NULL)
		return (-1);
	if ((v = j_get(j, key)) != NULL &&
	    json_object_is_type(v, json_type_int))
		ret = json_object_get_int64(v);
	json_object_put(j);
	return (ret);
}

int
j_len(const char *json, const char *key)
{
	struct json_object	*j, *v;
	int			 ret = -1;

	if (json == NULL || (j = json_tokener_parse(json)) == NULL)
		return (-1);
	if ((v = j_get(j, key)) != NULL &&
	    json_object_is_type(v, json_type_array))
		ret = (int)json_object_array_length(v);
	json_object_put(j);
	return (ret);
}

static int
j_find(const char *json, const char *key, const char *needle, int icase)
{
	struct json_object	*j, *v, *e;
	const char		*s;
	size_t			 i;
	int			 ret = 0;

	if (json == NULL || (j = json_tokener_parse(json)) == NULL)
		return (0);
	if ((v = j_get(j, key)) != NULL &&
	    json_object_is_type(v, json_type_array)) {
		for (i = 0; !ret && i < json_object_array_length(v); i++) {
			e = json_object_array_get_idx(v, i);
			if (!json_object_is_type(e, json_type_string))
				continue;
			s = json_object_get_string(e);
			ret = (icase ? strcasestr(s, needle) :
			    strstr(s, needle)) != NULL;
		}
	}
	json_object_put(j);
	return (ret);
}

int
j_has(const char *json, const char *key, const char *needle)
{
	return (j_find(json, key, needle, 0));
}

int
j_hascase(const char *json, const char *key, const char *needle)
{
	return (j_find(json, key, needle, 1));
}
