/*
 * state.c: the correlator's state as JSON documents, for the daemon to
 * keep in its database beside the offsets they came from, so that a
 * restart neither says again what was said nor forgets what is open.
 * A host document holds its names, domains, connectors (cycle state) and
 * waiting alerts; an incident document everything it knows, objects
 * included.  Only what changed since the last save is handed out; what
 * a DN's dump said is not saved apart, it is rebuilt from the denied
 * incidents' objects.
 */

#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "correlate.h"
#include "xmalloc.h"

typedef struct json_object	jobj;

static void
state_str(jobj *o, const char *key, const char *v)
{
	if (v != NULL)
		json_object_object_add(o, key, json_object_new_string(v));
}

/* v[0, n) as an array of strings, member key of o. */
static void
state_strs(jobj *o, const char *key, const char *const *v, size_t n)
{
	jobj	*a;
	size_t	 i;

	a = json_object_new_array();
	for (i = 0; i < n; i++)
		json_object_array_add(a, json_object_new_string(v[i]));
	json_object_object_add(o, key, a);
}

static void
state_int(jobj *o, const char *key, int64_t v)
{
	json_object_object_add(o, key, json_object_new_int64(v));
}

static const char *
state_getstr(jobj *o, const char *key)
{
	jobj	*v;

	if (!json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return (NULL);
	return (json_object_get_string(v));
}

static int64_t
state_getint(jobj *o, const char *key, int64_t def)
{
	jobj	*v;

	if (!json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_int))
		return (def);
	return (json_object_get_int64(v));
}

static jobj *
state_getarr(jobj *o, const char *key)
{
	jobj	*v;

	if (!json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_array))
		return (NULL);
	return (v);
}

static char *
state_text(jobj *o)
{
	char	*s;

	s = xstrdup(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
	json_object_put(o);
	return (s);
}

static jobj *
state_step(const struct state_step *st)
{
	jobj	*a = json_object_new_array();

	json_object_array_add(a, json_object_new_int64(st->time));
	json_object_array_add(a, json_object_new_int(st->ok));
	return (a);
}

static jobj *
state_alert(const struct state_alert *sa)
{
	const struct record		*r = sa->rec;
	const struct rec_health_alert	*a = &r->u.alert;
	jobj				*o = json_object_new_object();

	state_str(o, "host", r->host);
	state_int(o, "time", r->time);
	state_int(o, "kind", r->conn_kind);
	state_int(o, "expires", sa->expires);
	state_str(o, "alert", a->alert);
	state_str(o, "title", a->title);
	state_str(o, "description", a->description);
	state_int(o, "state", a->state);
	state_int(o, "raised", a->raised);
	state_str(o, "server", a->server);
	state_str(o, "service", a->service);
	state_str(o, "tenant", a->tenant);
	state_str(o, "sender", a->sender);
	state_str(o, "subject", a->subject);
	state_str(o, "message_id", a->message_id);
	return (o);
}

/* The document of host h. */
static char *
state_host(const struct correlate_host *h)
{
	const struct correlate_conn	*cn;
	const struct state_alert	*sa;
	jobj				*o, *a, *co;

	o = json_object_new_object();
	state_str(o, "name", h->name);
	state_str(o, "account", h->account);
	state_str(o, "aad", h->aad);
	state_int(o, "last_run", h->last_run);
	state_int(o, "last_data", h->last_data);
	state_str(o, "stalled", h->stalled != NULL ? h->stalled->id : NULL);
	state_strs(o, "names", h->names, h->nnames);
	state_strs(o, "domains", h->domains, h->ndomains);
	a = json_object_new_array();
	TAILQ_FOREACH(cn, &h->conns, entry) {
		co = json_object_new_object();
		state_str(co, "name", cn->name);
		state_int(co, "kind", cn->kind);
		json_object_object_add(co, "import", state_step(&cn->import));
		json_object_object_add(co, "sync", state_step(&cn->sync));
		json_object_object_add(co, "export", state_step(&cn->export));
		state_int(co, "fail_sources", cn->fail_sources);
		state_int(co, "export_fail", cn->export_fail);
		state_str(co, "connectivity", cn->connectivity != NULL ?
		    cn->connectivity->id : NULL);
		json_object_array_add(a, co);
	}
	json_object_object_add(o, "conns", a);
	a = json_object_new_array();
	TAILQ_FOREACH(sa, &h->alerts, entry)
		json_object_array_add(a, state_alert(sa));
	json_object_object_add(o, "alerts", a);
	return (state_text(o));
}

/* The document of incident inc. */
static char *
state_incident(const struct incident *inc)
{
	const struct incident_object	*ob;
	jobj				*o, *a, *j;
	size_t				 i;

	o = json_object_new_object();
	state_str(o, "id", inc->id);
	state_int(o, "class", inc->cls);
	state_str(o, "host", inc->h->name);
	state_str(o, "connector", inc->connector);
	state_int(o, "kind", inc->conn_kind);
	state_str(o, "conn", inc->conn != NULL ? inc->conn->name : NULL);
	state_int(o, "conn_kind", inc->conn != NULL ? inc->conn->kind : 0);
	state_str(o, "scope", inc->scope);
	state_str(o, "skey", inc->skey);
	state_str(o, "attribute", inc->attribute);
	state_str(o, "ou", inc->ou);
	state_str(o, "value", inc->value);
	state_strs(o, "owners", (const char *const *)inc->owners,
	    inc->nowners);
	a = json_object_new_array();
	for (i = 0; i < inc->nobjects; i++) {
		ob = inc->objects[i];
		j = json_object_new_object();
		state_str(j, "dn", ob->dn);
		state_str(j, "upn", ob->upn);
		state_str(j, "sam", ob->sam);
		state_int(j, "retries", ob->retries);
		state_int(j, "first", ob->first_seen);
		state_int(j, "last", ob->last_seen);
		state_int(j, "observed", ob->observed);
		state_int(j, "admin", ob->admin);
		json_object_array_add(a, j);
	}
	json_object_object_add(o, "objects", a);
	state_str(o, "error_type", inc->error_type);
	state_str(o, "error_name", inc->error_name);
	state_int(o, "error_code", inc->error_code);
	state_str(o, "literal", inc->literal);
	state_str(o, "server_detail", inc->server_detail);
	state_str(o, "detail", inc->detail);
	state_int(o, "protect", inc->protect);
	state_int(o, "unprotected", inc->unprotected);
	state_int(o, "ad_only", inc->ad_only);
	state_int(o, "evidence", inc->evidence);
	state_str(o, "alert", inc->alert.alert);
	state_str(o, "alert_title", inc->alert.title);
	state_str(o, "alert_message_id", inc->alert.message_id);
	state_int(o, "alert_raised", inc->alert.raised);
	state_int(o, "alert_resolved", inc->alert.resolved);
	state_int(o, "first_seen", inc->first_seen);
	state_int(o, "last_seen", inc->last_seen);
	state_int(o, "open", inc->open);
	state_int(o, "resolved", inc->resolved);
	state_int(o, "last_emit", inc->last_emit);
	state_int(o, "cleared", inc->cleared);
	state_int(o, "emitted", inc->emitted);
	state_int(o, "emitted_evidence", inc->emitted_evidence);
	state_int(o, "emitted_objects", (int64_t)inc->emitted_objects);
	state_int(o, "emitted_class", inc->emitted_cls);
	state_int(o, "emitted_protect", inc->emitted_protect);
	state_int(o, "emitted_ad_only", inc->emitted_ad_only);
	return (state_text(o));
}

/*
 * Hands cb what changed since the last save (everything with all set):
 * each host and incident as a document, and the ids of incidents evicted
 * since, with a NULL document.  The caller flushes the correlator first
 * and writes them in the same transaction as the transitions and the
 * offsets of the input they came from.
 */
void
state_save(struct correlate *c, int all, state_save_cb cb, void *arg)
{
	struct correlate_host	*h;
	struct incident		*inc;
	char			*doc;
	size_t			 i;

	TAILQ_FOREACH(h, &c->hosts, entry) {
		if (!h->unsaved && !all)
			continue;
		doc = state_host(h);
		cb(STATE_HOST, h->key, doc, arg);
		free(doc);
		h->unsaved = 0;
	}
	if (all) {
		TAILQ_FOREACH(h, &c->hosts, entry)
			TAILQ_FOREACH(inc, &h->incidents, entry)
				correlate_changed(c, inc);
	}
	while ((inc = TAILQ_FIRST(&c->unsaved)) != NULL) {
		TAILQ_REMOVE(&c->unsaved, inc, save_entry);
		inc->unsaved = 0;
		doc = state_incident(inc);
		cb(STATE_INCIDENT, inc->id, doc, arg);
		free(doc);
	}
	for (i = 0; i < c->ngone; i++) {
		if (table_get(c->incidents, c->gone[i]) == NULL)
			cb(STATE_INCIDENT, c->gone[i], NULL, arg);
		free(c->gone[i]);
	}
	c->ngone = 0;
}

static void
state_getstep(jobj *o, const char *key, struct state_step *st)
{
	jobj	*a = state_getarr(o, key);

	if (a == NULL || json_object_array_length(a) != 2)
		return;
	st->time = json_object_get_int64(json_object_array_get_idx(a, 0));
	st->ok = json_object_get_int(json_object_array_get_idx(a, 1));
}

/* Rebuilds a waiting alert from its document. */
static void
state_load_alert(struct correlate *c, struct correlate_host *h, jobj *o)
{
	struct record		 r;
	struct rec_health_alert	*a = &r.u.alert;
	struct state_alert	*sa;

	memset(&r, 0, sizeof(r));
	r.kind = REC_HEALTH_ALERT;
	r.source = REC_SRC_HEALTH_EMAIL;
	r.host = state_getstr(o, "host");
	r.time = state_getint(o, "time", REC_TIME_NONE);
	r.conn_kind = (enum rec_conn)state_getint(o, "kind", 0);
	if ((a->alert = state_getstr(o, "alert")) == NULL)
		return;
	a->title = state_getstr(o, "title");
	a->description = state_getstr(o, "description");
	a->state = (enum rec_alert_state)state_getint(o, "state", 0);
	a->raised = state_getint(o, "raised", REC_TIME_NONE);
	a->server = state_getstr(o, "server");
	a->service = state_getstr(o, "service");
	a->tenant = state_getstr(o, "tenant");
	a->sender = state_getstr(o, "sender");
	a->subject = state_getstr(o, "subject");
	a->message_id = state_getstr(o, "message_id");
	sa = xcalloc(1, sizeof(*sa));
	if ((sa->rec = record_dup(&r, h->name)) == NULL)
		abort();
	sa->expires = state_getint(o, "expires", r.time);
	mail_keep(c, h, sa);
}

/* A host from its document; its links to incidents come later. */
static int
state_load_host(struct correlate *c, jobj *o)
{
	struct correlate_host	*h;
	struct correlate_conn	*cn;
	jobj			*a, *co;
	const char		*name, *s;
	size_t			 i;

	if ((name = state_getstr(o, "name")) == NULL)
		return (-1);
	h = host_get(c, name);
	if ((s = state_getstr(o, "account")) != NULL)
		incident_set(&h->account, s);
	if ((s = state_getstr(o, "aad")) != NULL)
		incident_set(&h->aad, s);
	h->last_run = state_getint(o, "last_run", REC_TIME_NONE);
	h->last_data = state_getint(o, "last_data", REC_TIME_NONE);
	for (i = 0; (a = state_getarr(o, "names")) != NULL &&
	    i < json_object_array_length(a); i++)
		host_add_alias(c, h,
		    json_object_get_string(json_object_array_get_idx(a, i)));
	for (i = 0; (a = state_getarr(o, "domains")) != NULL &&
	    i < json_object_array_length(a); i++)
		host_add_domain(c, h,
		    json_object_get_string(json_object_array_get_idx(a, i)));
	for (i = 0; (a = state_getarr(o, "conns")) != NULL &&
	    i < json_object_array_length(a); i++) {
		co = json_object_array_get_idx(a, i);
		if ((s = state_getstr(co, "name")) == NULL)
			continue;
		cn = host_conn(c, h, s,
		    (enum rec_conn)state_getint(co, "kind", 0));
		state_getstep(co, "import", &cn->import);
		state_getstep(co, "sync", &cn->sync);
		state_getstep(co, "export", &cn->export);
		cn->fail_sources = (unsigned)state_getint(co, "fail_sources",
		    0);
		cn->export_fail = state_getint(co, "export_fail",
		    REC_TIME_NONE);
	}
	for (i = 0; (a = state_getarr(o, "alerts")) != NULL &&
	    i < json_object_array_length(a); i++)
		state_load_alert(c, h, json_object_array_get_idx(a, i));
	h->unsaved = 0;
	return (0);
}

static void
state_setstr(char **field, jobj *o, const char *key)
{
	incident_set(field, state_getstr(o, key));
}

/* The objects of an incident document, and what their dumps said. */
static void
state_load_objects(struct correlate *c, struct incident *inc, jobj *a)
{
	struct incident_object	*ob;
	struct state_dn		*d;
	jobj			*j;
	const char		*dn;
	size_t			 i;

	for (i = 0; a != NULL && i < json_object_array_length(a); i++) {
		j = json_object_array_get_idx(a, i);
		if ((dn = state_getstr(j, "dn")) == NULL)
			continue;
		ob = incident_add_object(inc, dn, state_getstr(j, "upn"),
		    state_getstr(j, "sam"), state_getint(j, "retries", -1),
		    state_getint(j, "first", REC_TIME_NONE),
		    state_getint(j, "last", REC_TIME_NONE),
		    state_getint(j, "observed", REC_TIME_NONE),
		    &c->stats.objects_dropped);
		if (ob == NULL)
			continue;
		ob->admin = (int)state_getint(j, "admin", -1);
		if (inc->cls != INC_ADMINSDHOLDER &&
		    inc->cls != INC_PERMISSION_MISSING)
			continue;
		d = host_dn(c, inc->h, dn, 1);
		d->admin_count = ob->admin;
		memcpy(d->denied, inc->id, sizeof(d->denied));
	}
}

/* An incident from its document, back in every list it was in. */
static int
state_load_incident(struct correlate *c, jobj *o)
{
	struct correlate_host	*h;
	struct incident		*inc, *at;
	const char		*id, *host, *scope, *skey, *conn;
	jobj			*a;
	size_t			 i;

	if ((id = state_getstr(o, "id")) == NULL ||
	    (host = state_getstr(o, "host")) == NULL ||
	    (scope = state_getstr(o, "scope")) == NULL ||
	    (skey = state_getstr(o, "skey")) == NULL ||
	    strlen(id) != INCIDENT_IDLEN || table_get(c->incidents, id) ||
	    table_get(c->scopes, skey) != NULL)
		return (-1);
	h = host_get(c, host);
	inc = incident_new((enum incident_class)state_getint(o, "class", 0),
	    h->name, NULL, (enum rec_conn)state_getint(o, "kind", 0), scope);
	memcpy(inc->id, id, sizeof(inc->id));
	inc->skey = xstrdup(skey);
	inc->h = h;
	state_setstr(&inc->connector, o, "connector");
	state_setstr(&inc->attribute, o, "attribute");
	state_setstr(&inc->ou, o, "ou");
	state_setstr(&inc->value, o, "value");
	for (i = 0; (a = state_getarr(o, "owners")) != NULL &&
	    i < json_object_array_length(a); i++)
		incident_add_owner(inc,
		    json_object_get_string(json_object_array_get_idx(a, i)));
	state_setstr(&inc->error_type, o, "error_type");
	state_setstr(&inc->error_name, o, "error_name");
	inc->error_code = state_getint(o, "error_code", -1);
	state_setstr(&inc->literal, o, "literal");
	state_setstr(&inc->server_detail, o, "server_detail");
	state_setstr(&inc->detail, o, "detail");
	incident_set(&inc->account, h->account);
	inc->protect = (enum incident_protected)state_getint(o, "protect", 0);
	inc->unprotected = (int)state_getint(o, "unprotected", 0);
	inc->ad_only = (int)state_getint(o, "ad_only", 0);
	inc->evidence = (unsigned)state_getint(o, "evidence", 0);
	state_setstr(&inc->alert.alert, o, "alert");
	state_setstr(&inc->alert.title, o, "alert_title");
	state_setstr(&inc->alert.message_id, o, "alert_message_id");
	inc->alert.raised = state_getint(o, "alert_raised", REC_TIME_NONE);
	inc->alert.resolved = state_getint(o, "alert_resolved",
	    REC_TIME_NONE);
	inc->first_seen = state_getint(o, "first_seen", REC_TIME_NONE);
	inc->last_seen = state_getint(o, "last_seen", REC_TIME_NONE);
	inc->open = (int)state_getint(o, "open", 0);
	inc->resolved = (int)state_getint(o, "resolved", 0);
	inc->last_emit = state_getint(o, "last_emit", REC_TIME_NONE);
	inc->cleared = state_getint(o, "cleared", REC_TIME_NONE);
	inc->emitted = (int)state_getint(o, "emitted", 0);
	inc->emitted_evidence = (unsigned)state_getint(o, "emitted_evidence",
	    0);
	inc->emitted_objects = (size_t)state_getint(o, "emitted_objects", 0);
	inc->emitted_cls = (enum incident_class)state_getint(o,
	    "emitted_class", 0);
	inc->emitted_protect = (enum incident_protected)state_getint(o,
	    "emitted_protect", 0);
	inc->emitted_ad_only = (int)state_getint(o, "emitted_ad_only", 0);

	table_put(c->incidents, inc->id, inc);
	table_put(c->scopes, inc->skey, inc);
	if (inc->resolved)
		TAILQ_INSERT_HEAD(&h->incidents, inc, entry);
	else
		TAILQ_INSERT_TAIL(&h->incidents, inc, entry);
	h->nincidents++;
	c->stats.incidents++;
	if ((conn = state_getstr(o, "conn")) != NULL) {
		inc->conn = host_conn(c, h, conn,
		    (enum rec_conn)state_getint(o, "conn_kind", 0));
		if (inc->cleared != REC_TIME_NONE)
			TAILQ_INSERT_TAIL(&inc->conn->cleared, inc, conn_entry);
		else
			TAILQ_INSERT_TAIL(&inc->conn->incidents, inc,
			    conn_entry);
	}
	state_load_objects(c, inc, state_getarr(o, "objects"));
	if (inc->open) {
		/* The reminder queue stays ordered by the last word. */
		TAILQ_FOREACH_REVERSE(at, &c->remind, incident_list,
		    remind_entry)
			if (at->last_emit <= inc->last_emit)
				break;
		if (at == NULL)
			TAILQ_INSERT_HEAD(&c->remind, inc, remind_entry);
		else
			TAILQ_INSERT_AFTER(&c->remind, at, inc, remind_entry);
	}
	return (0);
}

/* Links hosts to their stall and connectors to their connectivity. */
static int
state_load_links(struct correlate *c, jobj *o)
{
	struct correlate_host	*h;
	struct correlate_conn	*cn;
	struct incident		*inc;
	jobj			*a, *co;
	const char		*id, *name;
	size_t			 i;

	if ((name = state_getstr(o, "name")) == NULL ||
	    (h = host_lookup(c, name)) == NULL)
		return (-1);
	if ((id = state_getstr(o, "stalled")) != NULL &&
	    (inc = table_get(c->incidents, id)) != NULL && inc->open)
		h->stalled = inc;
	for (i = 0; (a = state_getarr(o, "conns")) != NULL &&
	    i < json_object_array_length(a); i++) {
		co = json_object_array_get_idx(a, i);
		if ((name = state_getstr(co, "name")) == NULL ||
		    (id = state_getstr(co, "connectivity")) == NULL ||
		    (inc = table_get(c->incidents, id)) == NULL || !inc->open)
			continue;
		cn = host_conn(c, h, name,
		    (enum rec_conn)state_getint(co, "kind", 0));
		cn->connectivity = inc;
	}
	h->unsaved = 0;
	return (0);
}

/*
 * Restores one saved document into a correlator that has seen no record
 * yet: every host (STATE_HOST), then every incident (STATE_INCIDENT),
 * then every host again (STATE_LINKS) to link what refers to incidents.
 * 0, or -1 when the document is not one state_save wrote.
 */
int
state_load(struct correlate *c, enum state_kind kind, const char *doc)
{
	jobj	*o;
	int	 rc = -1;

	if ((o = json_tokener_parse(doc)) == NULL)
		return (-1);
	if (json_object_is_type(o, json_type_object)) {
		switch (kind) {
		case STATE_HOST:
			rc = state_load_host(c, o);
			break;
		case STATE_INCIDENT:
			rc = state_load_incident(c, o);
			break;
		case STATE_LINKS:
			rc = state_load_links(c, o);
			break;
		}
	}
	json_object_put(o);
	return (rc);
}
