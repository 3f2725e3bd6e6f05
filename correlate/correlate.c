/*
 * correlate.c: records in, incident transitions out.  Every record is
 * classified by rules.c and attached to its Connect server (host.c);
 * those that name a problem land on the incident of the fix they call
 * for, so the hundredth sync cycle repeating a fault finds the same
 * incident and, bringing nothing new, emits nothing.  Run results keep
 * each connector's cycle state (the ad-connector-only pattern, whether
 * an export succeeded since), dumps resolve what they no longer hold, and
 * mail.c joins Connect Health alerts.  Transitions are settled when the
 * clock moves on: everything observed at one instant is one message.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "correlate.h"
#include "xmalloc.h"

static void	correlate_emit(struct correlate *, struct incident *,
		    enum incident_transition);

/* A correlator that reports transitions to cb. */
struct correlate *
correlate_new(const struct correlate_params *params, correlate_cb cb,
    void *arg)
{
	struct correlate	*c;
	struct correlate_params	*p;

	c = xcalloc(1, sizeof(*c));
	p = &c->params;
	*p = *params;
	if (p->reminder == 0)
		p->reminder = CORRELATE_DEF_REMINDER;
	if (p->mail_window == 0)
		p->mail_window = CORRELATE_DEF_MAILWIN;
	if (p->stall == 0)
		p->stall = CORRELATE_DEF_STALL;
	if (p->host_max == 0)
		p->host_max = CORRELATE_DEF_HOSTMAX;
	if (p->dn_max == 0)
		p->dn_max = CORRELATE_DEF_DNMAX;
	if (p->alert_max == 0)
		p->alert_max = CORRELATE_DEF_ALERTMAX;
	c->cb = cb;
	c->arg = arg;
	c->incidents = table_new();
	c->scopes = table_new();
	c->names = table_new();
	c->shorts = table_new();
	c->domains = table_new();
	c->conns = table_new();
	c->dns = table_new();
	TAILQ_INIT(&c->hosts);
	TAILQ_INIT(&c->dirty);
	TAILQ_INIT(&c->remind);
	TAILQ_INIT(&c->unsaved);
	TAILQ_INIT(&c->alerts);
	c->now = REC_TIME_NONE;
	return (c);
}

/* Declares a host with its aliases, domains and connector account. */
void
correlate_host_add(struct correlate *c, const char *name,
    const char *const *aliases, size_t naliases, const char *const *domains,
    size_t ndomains, const char *account)
{
	struct correlate_host	*h = host_get(c, name);
	size_t			 i;

	for (i = 0; i < naliases; i++)
		host_add_alias(c, h, aliases[i]);
	for (i = 0; i < ndomains; i++)
		host_add_domain(c, h, domains[i]);
	if (account != NULL)
		incident_set(&h->account, account);
}

/* Marks inc as changed since the correlator's state was last saved. */
void
correlate_changed(struct correlate *c, struct incident *inc)
{
	if (inc->unsaved)
		return;
	inc->unsaved = 1;
	TAILQ_INSERT_TAIL(&c->unsaved, inc, save_entry);
}

/* Marks inc to be settled at the next flush. */
void
correlate_touch(struct correlate *c, struct incident *inc)
{
	correlate_changed(c, inc);
	if (inc->dirty)
		return;
	inc->dirty = 1;
	TAILQ_INSERT_TAIL(&c->dirty, inc, dirty_entry);
}

/*
 * The correlator's key of a scope, host, class family, connector and
 * scope, into buf when it fits in bufsz bytes, else xmalloc'd: a lookup
 * of every record then allocates nothing.
 */
static char *
correlate_skey_buf(const struct correlate_host *h, const char *family,
    const char *connector, const char *scope, char *buf, size_t bufsz)
{
	const char	*part[4];
	size_t		 len[4], total = 0, i;
	char		*k, *p;

	part[0] = h->key;
	part[1] = family;
	part[2] = connector != NULL ? connector : "";
	part[3] = scope;
	for (i = 0; i < 4; i++)
		total += (len[i] = strlen(part[i])) + 1;
	p = k = total <= bufsz ? buf : xmalloc(total);
	for (i = 0; i < 4; i++) {
		table_lower_copy(p, part[i], len[i]);
		p += len[i];
		*p++ = i < 3 ? '\n' : '\0';
	}
	return (k);
}

/* The correlator's key of a scope (xmalloc'd). */
char *
correlate_skey(const struct correlate_host *h, const char *family,
    const char *connector, const char *scope)
{
	return (correlate_skey_buf(h, family, connector, scope, NULL, 0));
}

/* Frees an incident the host has no room for, and all that points at it. */
static void
correlate_evict(struct correlate *c, struct incident *inc)
{
	struct correlate_host	*h = inc->h;

	if (h->stalled == inc)
		h->stalled = NULL;
	if (inc->conn != NULL) {
		if (inc->conn->connectivity == inc)
			inc->conn->connectivity = NULL;
		if (inc->cleared != REC_TIME_NONE)
			TAILQ_REMOVE(&inc->conn->cleared, inc, conn_entry);
		else
			TAILQ_REMOVE(&inc->conn->incidents, inc, conn_entry);
	}
	if (inc->dirty)
		TAILQ_REMOVE(&c->dirty, inc, dirty_entry);
	if (inc->open)
		TAILQ_REMOVE(&c->remind, inc, remind_entry);
	if (inc->unsaved)
		TAILQ_REMOVE(&c->unsaved, inc, save_entry);
	c->gone = xreallocarray(c->gone, c->ngone + 1, sizeof(*c->gone));
	c->gone[c->ngone++] = xstrdup(inc->id);
	TAILQ_REMOVE(&h->incidents, inc, entry);
	h->nincidents--;
	table_del(c->incidents, inc->id);
	table_del(c->scopes, inc->skey);
	incident_free(inc);
}

/*
 * An incident whose class sharpened keeps the id of the class it opened
 * as, so a later incident of that class and scope would get the same
 * fingerprint: it takes the next free one of (scope, "#2"), (scope,
 * "#3")…, which is as deterministic as the order of the evidence.
 */
static void
correlate_unique_id(struct correlate *c, struct incident *inc,
    const char *fpconn, const char *scope)
{
	char	*s;
	int	 n;

	for (n = 2; table_get(c->incidents, inc->id) != NULL; n++) {
		xasprintf(&s, "%s#%d", scope, n);
		incident_fingerprint(inc->cls, inc->host, fpconn, s, inc->id);
		free(s);
	}
}

/*
 * A new incident of (host, class, connector, scope), found by skey (which
 * it then owns).  A host past its cap first lets go of its oldest
 * incident: resolved ones are kept at the front of its list, so they go
 * first.
 */
struct incident *
correlate_incident_new(struct correlate *c, struct correlate_host *h,
    enum incident_class cls, struct correlate_conn *conn,
    const char *connector, enum rec_conn kind, const char *scope,
    char *skey)
{
	struct incident	*inc;
	const char	*fpconn;

	/* A host has one AAD connector, however a source names it. */
	fpconn = kind == REC_CONN_AAD ? "aad" : connector;
	if (h->nincidents >= c->params.host_max &&
	    TAILQ_FIRST(&h->incidents) != NULL) {
		correlate_evict(c, TAILQ_FIRST(&h->incidents));
		c->stats.evicted_incidents++;
	}
	inc = incident_new(cls, h->name, fpconn, kind, scope);
	correlate_unique_id(c, inc, fpconn, scope);
	incident_set(&inc->connector, connector);
	inc->skey = skey;
	inc->h = h;
	incident_set(&inc->account, h->account);
	if ((inc->conn = conn) != NULL)
		TAILQ_INSERT_TAIL(&conn->incidents, inc, conn_entry);
	table_put(c->incidents, inc->id, inc);
	table_put(c->scopes, inc->skey, inc);
	TAILQ_INSERT_TAIL(&h->incidents, inc, entry);
	h->nincidents++;
	c->stats.incidents++;
	correlate_changed(c, inc);
	return (inc);
}

/* The incident of (host, class, connector, scope), made when new. */
struct incident *
correlate_incident(struct correlate *c, struct correlate_host *h,
    enum incident_class cls, struct correlate_conn *conn,
    const char *connector, enum rec_conn kind, const char *scope)
{
	struct incident	*inc;
	char		 buf[512], *skey;

	skey = correlate_skey_buf(h, incident_class_name(cls),
	    kind == REC_CONN_AAD ? "aad" : connector, scope, buf, sizeof(buf));
	if ((inc = table_get(c->scopes, skey)) != NULL) {
		if (skey != buf)
			free(skey);
		return (inc);
	}
	if (skey == buf)
		skey = xstrdup(buf);
	return (correlate_incident_new(c, h, cls, conn, connector, kind,
	    scope, skey));
}

/* Emits transition tr of inc at the correlator's time. */
static void
correlate_emit(struct correlate *c, struct incident *inc,
    enum incident_transition tr)
{
	/* The callback still sees what was said before: what changed. */
	correlate_changed(c, inc);
	c->stats.transitions[tr]++;
	c->cb(inc, tr, c->now, c->arg);
	inc->last_emit = c->now;
	inc->emitted_evidence = inc->evidence;
	inc->emitted_objects = inc->nobjects;
	inc->emitted_cls = inc->cls;
	inc->emitted_protect = inc->protect;
	inc->emitted_ad_only = inc->ad_only;
	inc->emitted = 1;
}

/* Emits the resolve of inc; it stays known, should the fault return. */
void
correlate_resolve(struct correlate *c, struct incident *inc, int64_t now)
{
	struct correlate_host	*h = inc->h;

	if (h->stalled == inc)
		h->stalled = NULL;
	if (inc->conn != NULL && inc->conn->connectivity == inc)
		inc->conn->connectivity = NULL;
	if (!inc->open) {
		/* Gone before it was ever said: it is not opened. */
		if (inc->dirty) {
			TAILQ_REMOVE(&c->dirty, inc, dirty_entry);
			inc->dirty = 0;
		}
		return;
	}
	if (now > c->now)
		c->now = now;
	inc->open = 0;
	inc->resolved = 1;
	TAILQ_REMOVE(&c->remind, inc, remind_entry);
	correlate_emit(c, inc, INC_RESOLVE);
	/* Resolved incidents are the first a full host lets go of. */
	TAILQ_REMOVE(&h->incidents, inc, entry);
	TAILQ_INSERT_HEAD(&h->incidents, inc, entry);
}

/* Open a new incident, or update an open one when the change matters. */
static void
correlate_settle(struct correlate *c, struct incident *inc)
{
	int	ad;

	ad = inc->cls == INC_ADMINSDHOLDER ||
	    inc->cls == INC_PERMISSION_MISSING ||
	    inc->cls == INC_AD_EXPORT_ERROR;
	if (inc->conn != NULL && inc->nobjects > 0)
		inc->evidence |= inc->conn->fail_sources;
	if (ad)
		inc->ad_only = cycle_ad_only(inc);
	mail_join(c, inc);
	if (!inc->open) {
		/* Evidence of objects that are all gone again opens nothing. */
		if (inc->conn != NULL && inc->nobjects == 0 &&
		    inc->cls != INC_CONNECTIVITY)
			return;
		inc->open = 1;
		inc->resolved = 0;
		TAILQ_INSERT_TAIL(&c->remind, inc, remind_entry);
		correlate_emit(c, inc, INC_OPEN);
		return;
	}
	if ((inc->evidence & ~inc->emitted_evidence) != 0 ||
	    inc->nobjects > inc->emitted_objects ||
	    inc->cls != inc->emitted_cls ||
	    inc->protect != inc->emitted_protect ||
	    inc->ad_only != inc->emitted_ad_only ||
	    (c->params.reminder > 0 &&
	    c->now - inc->last_emit >= c->params.reminder)) {
		TAILQ_REMOVE(&c->remind, inc, remind_entry);
		TAILQ_INSERT_TAIL(&c->remind, inc, remind_entry);
		correlate_emit(c, inc, INC_UPDATE);
	}
}

/* Emits the transitions the records fed so far call for. */
void
correlate_flush(struct correlate *c)
{
	struct incident	*inc;

	while ((inc = TAILQ_FIRST(&c->dirty)) != NULL) {
		TAILQ_REMOVE(&c->dirty, inc, dirty_entry);
		inc->dirty = 0;
		correlate_settle(c, inc);
	}
}

/* Keeps the earliest first and the latest last time. */
void
correlate_times(struct incident *inc, int64_t first, int64_t last)
{
	if (first != REC_TIME_NONE && (inc->first_seen == REC_TIME_NONE ||
	    first < inc->first_seen))
		inc->first_seen = first;
	if (last > inc->last_seen)
		inc->last_seen = last;
}

/*
 * The host of a record: the name it carries (spool directory, Computer,
 * Server), else the domain of what it is about.
 */
static struct correlate_host *
correlate_host_of(struct correlate *c, const struct record *r)
{
	struct correlate_host	*h = NULL;
	const char		*v[3] = { NULL, NULL, NULL };
	char			 dom[256];
	size_t			 i;

	if (r->host != NULL && *r->host != '\0')
		return (host_get(c, r->host));
	switch (r->kind) {
	case REC_HEALTH_ALERT:
		v[0] = r->u.alert.tenant;
		v[1] = r->u.alert.service;
		break;
	case REC_CLOUD_ERROR:
		v[0] = r->u.cloud.value;
		v[1] = r->u.cloud.upn;
		v[2] = r->u.cloud.object;
		break;
	case REC_EXPORT_ERROR:
		if (r->u.xerr.dn != NULL &&
		    dn_dns_name(r->u.xerr.dn, dom, sizeof(dom)) == 0)
			v[0] = dom;
		v[1] = r->u.xerr.conflict_value;
		v[2] = r->u.xerr.upn;
		break;
	default:
		break;
	}
	for (i = 0; h == NULL && i < 3; i++)
		if (v[i] != NULL)
			h = host_by_domain(c, v[i]);
	if (h == NULL) {
		c->stats.hosts_unknown++;
		h = host_get(c, "unknown");
	}
	return (h);
}

/* Lets the clock reach now: reminders due, alert windows closed. */
static void
correlate_advance(struct correlate *c, int64_t now)
{
	struct incident	*inc;

	if (now == REC_TIME_NONE)
		return;
	mail_expire(c, now);
	if (c->now == REC_TIME_NONE || now > c->now)
		c->now = now;
	while (c->params.reminder > 0 && (inc = TAILQ_FIRST(&c->remind)) !=
	    NULL && c->now - inc->last_emit >= c->params.reminder) {
		TAILQ_REMOVE(&c->remind, inc, remind_entry);
		TAILQ_INSERT_TAIL(&c->remind, inc, remind_entry);
		correlate_emit(c, inc, INC_UPDATE);
	}
}

/* Feeds one record observed at time now. */
void
correlate_feed(struct correlate *c, const struct record *r, int64_t now)
{
	struct correlate_host	*h;
	struct rules_match	 m;

	if (now != c->now) {
		correlate_flush(c);
		correlate_advance(c, now);
	}
	c->stats.records++;
	rules_classify(r, &m);
	h = correlate_host_of(c, r);
	h->unsaved = 1;
	host_learn(c, h, r);
	switch (m.family) {
	case RULES_RUN:
		cycle_run(c, h, r);
		break;
	case RULES_SNAPSHOT:
		cycle_snapshot(c, h, r);
		break;
	case RULES_ALERT:
		mail_alert(c, h, r);
		break;
	case RULES_DENIED:
		evidence_denied(c, h, r, &m);
		break;
	case RULES_OBJECT:
	case RULES_COLLISION:
		evidence_object(c, h, r, &m);
		break;
	case RULES_NONE:
		c->stats.unclassified++;
		break;
	}
	if (m.family != RULES_RUN && r->time != REC_TIME_NONE &&
	    h->last_run != REC_TIME_NONE && c->params.stall > 0 &&
	    r->time - h->last_run > c->params.stall && h->stalled == NULL)
		cycle_stall(c, h, r->time, NULL, 0);
	if (r->time != REC_TIME_NONE && (h->last_data == REC_TIME_NONE ||
	    r->time > h->last_data))
		h->last_data = r->time;
}

/* Lets time pass: reminders, expired alerts. */
void
correlate_tick(struct correlate *c, int64_t now)
{
	correlate_flush(c);
	correlate_advance(c, now);
}

/* The input has ended: waiting alerts become incidents now. */
void
correlate_finish(struct correlate *c)
{
	correlate_flush(c);
	mail_expire(c, INT64_MAX);
	correlate_flush(c);
}

/* The correlator's counters. */
const struct correlate_stats *
correlate_stats(const struct correlate *c)
{
	return (&c->stats);
}

void
correlate_free(struct correlate *c)
{
	struct correlate_host	*h;
	struct incident		*inc;
	size_t			 i;

	if (c == NULL)
		return;
	mail_free_all(c);
	TAILQ_FOREACH(h, &c->hosts, entry) {
		while ((inc = TAILQ_FIRST(&h->incidents)) != NULL) {
			TAILQ_REMOVE(&h->incidents, inc, entry);
			incident_free(inc);
		}
	}
	host_free_all(c);
	for (i = 0; i < c->ngone; i++)
		free(c->gone[i]);
	free(c->gone);
	table_free(c->incidents);
	table_free(c->scopes);
	table_free(c->names);
	table_free(c->shorts);
	table_free(c->domains);
	table_free(c->conns);
	table_free(c->dns);
	free(c);
}
