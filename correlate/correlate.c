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

#include <ctype.h>
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

/* The correlator's key of a scope: host, class family, connector, scope. */
static char *
correlate_skey(const struct correlate_host *h, const char *family,
    const char *connector, const char *scope)
{
	char	*k, *p;

	xasprintf(&k, "%s\n%s\n%s\n%s", h->key, family,
	    connector != NULL ? connector : "", scope);
	for (p = k; *p != '\0'; p++)
		*p = (char)tolower((unsigned char)*p);
	return (k);
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
 * The incident of (host, class, connector, scope), made when new.  A
 * host past its cap first lets go of its oldest incident: resolved ones
 * are kept at the front of its list, so they go first.
 */
struct incident *
correlate_incident(struct correlate *c, struct correlate_host *h,
    enum incident_class cls, struct correlate_conn *conn,
    const char *connector, enum rec_conn kind, const char *scope)
{
	struct incident	*inc;
	const char	*fpconn;
	char		*skey;

	/* A host has one AAD connector, however a source names it. */
	fpconn = kind == REC_CONN_AAD ? "aad" : connector;
	skey = correlate_skey(h, incident_class_name(cls), fpconn, scope);
	if ((inc = table_get(c->scopes, skey)) != NULL) {
		free(skey);
		return (inc);
	}
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

/*
 * Whether the AD connector's export failed while, in the same cycle, the
 * AAD connector's export and every import and sync of the host
 * succeeded: the fault is in writeback to AD alone.
 */
static int
correlate_ad_only(const struct correlate *c, const struct incident *inc)
{
	const struct correlate_conn	*cn = inc->conn, *o;
	int64_t				 t, w = CORRELATE_CYCLE_WINDOW;
	int				 aad = 0;

	(void)c;
	if (cn == NULL || cn->kind != REC_CONN_AD ||
	    (t = cn->export_fail) == REC_TIME_NONE)
		return (0);
	TAILQ_FOREACH(o, &inc->h->conns, entry) {
		if (o->kind == REC_CONN_AAD && o->export.time !=
		    REC_TIME_NONE && llabs(o->export.time - t) <= w) {
			if (!o->export.ok)
				return (0);
			aad = 1;
		}
		if (o->import.time != REC_TIME_NONE && !o->import.ok &&
		    llabs(o->import.time - t) <= w)
			return (0);
		if (o->sync.time != REC_TIME_NONE && !o->sync.ok &&
		    llabs(o->sync.time - t) <= w)
			return (0);
	}
	return (aad);
}

/*
 * The class of a denied-export incident, which sharpens as evidence
 * comes: adminCount=1 in a dump makes it AdminSDHolder for certain, and
 * adminCount=0 a missing grant; with protection unknown, a few objects
 * on an attribute the connector otherwise writes read as protected
 * accounts, many as a missing grant.
 */
static void
correlate_denied_class(struct incident *inc)
{
	if (inc->protect == INC_PROT_ADMINCOUNT)
		inc->cls = INC_ADMINSDHOLDER;
	else if (!inc->unprotected && inc->nobjects <= CORRELATE_INFER_MAX) {
		inc->cls = INC_ADMINSDHOLDER;
		inc->protect = INC_PROT_INFERRED;
	} else {
		inc->cls = INC_PERMISSION_MISSING;
		inc->protect = INC_PROT_NONE;
	}
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
		inc->ad_only = correlate_ad_only(c, inc);
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

/* An incident that had no object left has one again: not cleared. */
static void
correlate_uncleared(struct incident *inc)
{
	if (inc->cleared == REC_TIME_NONE || inc->conn == NULL)
		return;
	TAILQ_REMOVE(&inc->conn->cleared, inc, conn_entry);
	TAILQ_INSERT_TAIL(&inc->conn->incidents, inc, conn_entry);
	inc->cleared = REC_TIME_NONE;
}

/* Adds what an export error says to inc. */
static void
correlate_xerr(struct correlate *c, struct incident *inc,
    const struct record *r, const struct rules_match *m, const char *obj,
    const char *upn)
{
	const struct rec_export_error	*x = &r->u.xerr;
	struct incident_object		*o;
	int64_t				 first, last;

	if (m->attribute[0] != '\0')
		incident_set(&inc->attribute, m->attribute);
	incident_set(&inc->error_type, x->error_type);
	incident_set(&inc->error_name, x->error_name);
	incident_set(&inc->literal, x->literal);
	incident_set(&inc->server_detail, x->server_detail);
	if (x->error_code >= 0)
		inc->error_code = x->error_code;
	inc->evidence |= 1U << r->source;
	first = x->first_occurred != REC_TIME_NONE ? x->first_occurred :
	    r->time;
	last = x->date_occurred != REC_TIME_NONE ? x->date_occurred : r->time;
	correlate_times(inc, first, last);
	o = incident_add_object(inc, obj, upn != NULL ? upn : x->upn,
	    x->sam, x->retry_count, first, last, r->time,
	    &c->stats.objects_dropped);
	if (o != NULL && x->admin_count >= 0)
		o->admin = x->admin_count;
	correlate_uncleared(inc);
	correlate_touch(c, inc);
}

/* The longest common parent of two DNs, at RDN boundaries, into *ou. */
static void
correlate_common_ou(char **ou, const char *dn)
{
	const char	*p, *a, *b;
	size_t		 la, lb;

	if ((p = dn_parent(dn)) == NULL)
		return;
	if (*ou == NULL) {
		*ou = xstrdup(p);
		return;
	}
	a = *ou;
	b = p;
	la = strlen(a);
	lb = strlen(b);
	while (la > 0 && lb > 0 &&
	    tolower((unsigned char)a[la - 1]) ==
	    tolower((unsigned char)b[lb - 1])) {
		la--;
		lb--;
	}
	/* Back to the start of a whole RDN on both sides. */
	while (la < strlen(a) && !(la == 0 || a[la - 1] == ','))
		la++;
	if (la == strlen(a))
		return;		/* nothing in common: keep what was */
	memmove(*ou, a + la, strlen(a + la) + 1);
}

/* Re-keys inc to skey (which it then owns). */
static void
correlate_rekey(struct correlate *c, struct incident *inc, char *skey)
{
	table_del(c->scopes, inc->skey);
	free(inc->skey);
	inc->skey = skey;
	table_put(c->scopes, inc->skey, inc);
}

/*
 * Which denied incident of attribute attr on cn an object goes to.  Its
 * protection known, to the protected group (adminCount=1) or the rest;
 * unknown, to the rest when that is a missing grant already, else with
 * the protected if there are any: one fix, one incident.  An incident of
 * few objects of unknown protection becomes the protected group once one
 * of them shows adminCount=1, and one opened before its attribute was
 * known takes it when a dump tells it.
 */
static struct incident *
correlate_denied_find(struct correlate *c, struct correlate_host *h,
    struct correlate_conn *cn, const char *attr, int admin,
    struct incident *prev)
{
	struct incident	*inc, *rest, *prot;
	char		*pkey, *rkey, *scope, *key;

	xasprintf(&scope, "%s\nprotected", attr);
	pkey = correlate_skey(h, "denied", cn->name, scope);
	free(scope);
	rkey = correlate_skey(h, "denied", cn->name, attr);
	prot = table_get(c->scopes, pkey);
	rest = table_get(c->scopes, rkey);
	if (admin == 1)
		inc = prot;
	else if (admin == 0 || (rest != NULL &&
	    rest->protect != INC_PROT_INFERRED))
		inc = rest;
	else
		inc = prot != NULL ? prot : rest;
	key = admin == 1 ? pkey : rkey;
	if (inc == NULL && prev != NULL && *attr != '\0' &&
	    (prev->attribute == NULL || (admin == 1 && prev == rest &&
	    prev->protect == INC_PROT_INFERRED))) {
		/* The incident sharpens: attribute, or protection, learnt. */
		inc = prev;
		correlate_rekey(c, inc, key);
		incident_set(&inc->scope, attr);
	} else if (inc == NULL) {
		inc = correlate_incident(c, h, admin != 0 ? INC_ADMINSDHOLDER :
		    INC_PERMISSION_MISSING, cn, cn->name, REC_CONN_AD, attr);
		/* Found by the denied key from now on. */
		correlate_rekey(c, inc, key);
	} else
		free(key);
	free(key == pkey ? rkey : pkey);
	return (inc);
}

/*
 * Moves every object of from into into, as its evidence: an inferred
 * group whose protection a dump has since shown.  from is resolved.
 */
static void
correlate_merge(struct correlate *c, struct incident *from,
    struct incident *into, int64_t now)
{
	struct incident_object	*o, *n;
	struct state_dn		*d;

	while (from->nobjects > 0) {
		o = from->objects[0];
		n = incident_add_object(into, o->dn, o->upn, o->sam,
		    o->retries, o->first_seen, o->last_seen, o->observed,
		    &c->stats.objects_dropped);
		if (n != NULL && o->admin >= 0)
			n->admin = o->admin;
		if ((d = host_dn(c, from->h, o->dn, 0)) != NULL)
			memcpy(d->denied, into->id, sizeof(d->denied));
		incident_drop_object(from, o->dn);
	}
	into->evidence |= from->evidence;
	correlate_times(into, from->first_seen, from->last_seen);
	correlate_touch(c, into);
	correlate_resolve(c, from, now);
}

/*
 * A denied AD export (permission-issue, 8344): to the incident of its
 * attribute on that connector, the protected objects (adminCount=1) apart
 * from the rest, since each group has its own fix.  Run history names the
 * object but not the attribute: such evidence joins the incident the DN
 * is already in, and an incident opened on it takes the attribute when a
 * dump tells it.
 */
static void
correlate_denied(struct correlate *c, struct correlate_host *h,
    const struct record *r, const struct rules_match *m)
{
	const struct rec_export_error	*x = &r->u.xerr;
	struct correlate_conn		*cn;
	struct state_dn			*d;
	struct incident			*inc = NULL, *prev;
	int				 prot;

	cn = host_conn(c, h, r->connector != NULL ? r->connector :
	    "unknown", REC_CONN_AD);
	d = host_dn(c, h, x->dn, 1);
	if (x->admin_count >= 0)
		d->admin_count = x->admin_count;
	prot = d->admin_count == 1;
	/* By id: an incident evicted since is no longer found. */
	prev = d->denied[0] != '\0' ? table_get(c->incidents, d->denied) :
	    NULL;
	if (prev != NULL && (prev->conn != cn ||
	    (prev->cls != INC_ADMINSDHOLDER &&
	    prev->cls != INC_PERMISSION_MISSING)))
		prev = NULL;
	if (m->attribute[0] == '\0' && prev != NULL)
		inc = prev;
	else {
		inc = correlate_denied_find(c, h, cn, m->attribute,
		    d->admin_count, prev);
		/* The DN moves: an incident left empty by it is merged. */
		if (prev != NULL && prev != inc && prot &&
		    prev->protect == INC_PROT_INFERRED)
			correlate_merge(c, prev, inc, r->time);
		else if (prev != NULL && prev != inc &&
		    incident_drop_object(prev, x->dn)) {
			if (prev->nobjects == 0)
				correlate_resolve(c, prev, r->time);
			else
				correlate_touch(c, prev);
		}
	}
	memcpy(d->denied, inc->id, sizeof(d->denied));
	if (prot)
		inc->protect = INC_PROT_ADMINCOUNT;
	else if (d->admin_count == 0)
		inc->unprotected = 1;
	correlate_xerr(c, inc, r, m, x->dn, NULL);
	correlate_common_ou(&inc->ou, x->dn);
	correlate_denied_class(inc);
}

/* Any other error of one object, or a collision on a contested value. */
static void
correlate_object(struct correlate *c, struct correlate_host *h,
    const struct record *r, const struct rules_match *m)
{
	const struct rec_export_error	*x = &r->u.xerr;
	const struct rec_cloud_error	*ce = &r->u.cloud;
	struct correlate_conn		*cn = NULL;
	struct incident			*inc;
	enum rec_conn			 kind = r->conn_kind;
	const char			*name = r->connector, *obj;
	char				 owner[512];

	if (m->cls == INC_COLLISION || kind == REC_CONN_AAD ||
	    r->kind == REC_CLOUD_ERROR)
		kind = REC_CONN_AAD;
	if (kind == REC_CONN_AAD && h->aad != NULL)
		name = h->aad;
	if (r->kind == REC_EXPORT_ERROR)
		cn = host_conn(c, h, name != NULL ? name : "unknown", kind);
	inc = correlate_incident(c, h, m->cls, cn, name, kind, m->scope);
	if (inc->conn == NULL && cn != NULL) {
		inc->conn = cn;
		TAILQ_INSERT_TAIL(&cn->incidents, inc, conn_entry);
	}
	if (kind == REC_CONN_AAD && h->aad != NULL)
		incident_set(&inc->connector, h->aad);
	if (r->kind == REC_CLOUD_ERROR) {
		obj = ce->upn != NULL ? ce->upn : ce->object != NULL ?
		    ce->object : ce->object_id;
		if (obj == NULL)
			obj = "unknown";
		incident_set(&inc->value, ce->value);
		if (m->attribute[0] != '\0')
			incident_set(&inc->attribute, m->attribute);
		incident_set(&inc->error_type, ce->category);
		incident_add_owner(inc, obj);
		inc->evidence |= 1U << r->source;
		correlate_times(inc, r->time, r->time);
		incident_add_object(inc, obj, ce->upn, NULL, -1, r->time,
		    r->time, r->time, &c->stats.objects_dropped);
		correlate_uncleared(inc);
		correlate_touch(c, inc);
		return;
	}
	obj = x->dn != NULL ? x->dn : x->object_id;
	if (m->cls == INC_COLLISION) {
		if (inc->value == NULL || (strncasecmp(inc->value, "smtp:",
		    5) != 0 && x->conflict_value != NULL &&
		    strncasecmp(x->conflict_value, "smtp:", 5) == 0))
			incident_set(&inc->value, x->conflict_value);
		snprintf(owner, sizeof(owner), "%s%s%s%s",
		    x->upn != NULL ? x->upn : obj,
		    x->object_id != NULL ? " (objectId " : "",
		    x->object_id != NULL ? x->object_id : "",
		    x->object_id != NULL ? ")" : "");
		incident_add_owner(inc, owner);
		if (x->conflict_object_id != NULL) {
			snprintf(owner, sizeof(owner), "objectId %s",
			    x->conflict_object_id);
			incident_add_owner(inc, owner);
		}
	}
	correlate_xerr(c, inc, r, m, obj, NULL);
}

/*
 * A run result: the connector's cycle state, evidence for its incidents,
 * and connectivity, which a later run that reaches its server resolves.
 * A successful export resolves the incidents a dump found empty.
 */
static void
correlate_run(struct correlate *c, struct correlate_host *h,
    const struct record *r)
{
	const struct rec_run	*run = &r->u.run;
	struct correlate_conn	*cn;
	struct state_step	*st = NULL;
	struct incident		*inc;
	char			*detail;
	int			 ok, step;
	unsigned		 bit = 1U << r->source;

	if (r->time > h->last_run || h->last_run == REC_TIME_NONE)
		h->last_run = r->time;
	if (h->stalled != NULL)
		correlate_resolve(c, h->stalled, r->time);
	if (r->connector == NULL || (run->result != NULL &&
	    strcasecmp(run->result, "in-progress") == 0))
		return;
	cn = host_conn(c, h, r->connector, r->conn_kind);
	ok = rules_run_ok(run->result);
	step = rules_run_step(run);
	if (step == 'i')
		st = &cn->import;
	else if (step == 's')
		st = &cn->sync;
	else if (step == 'e')
		st = &cn->export;
	if (st != NULL && (st->time == REC_TIME_NONE || r->time >= st->time)) {
		st->time = r->time;
		st->ok = ok;
	}
	if (step == 'e' && !ok) {
		cn->export_fail = r->time;
		if ((cn->fail_sources & bit) == 0) {
			cn->fail_sources |= bit;
			TAILQ_FOREACH(inc, &cn->incidents, conn_entry)
				if (inc->open)
					correlate_touch(c, inc);
		}
	} else if (step == 'e' && ok) {
		cn->fail_sources = 0;
		while ((inc = TAILQ_FIRST(&cn->cleared)) != NULL) {
			TAILQ_REMOVE(&cn->cleared, inc, conn_entry);
			TAILQ_INSERT_TAIL(&cn->incidents, inc, conn_entry);
			inc->cleared = REC_TIME_NONE;
			correlate_resolve(c, inc, r->time);
		}
	}
	if (rules_run_unreachable(run) || r->source == REC_SRC_EVENT_6050) {
		inc = correlate_incident(c, h, INC_CONNECTIVITY, NULL,
		    cn->name, cn->kind, cn->name);
		xasprintf(&detail, "%s%s%s%s%s",
		    run->result != NULL ? run->result : "connectivity",
		    run->conn_server != NULL ? " to " : "",
		    run->conn_server != NULL ? run->conn_server : "",
		    run->conn_literal != NULL ? ": " : "",
		    run->conn_literal != NULL ? run->conn_literal : "");
		incident_set(&inc->detail, detail);
		free(detail);
		if (run->conn_code >= 0)
			inc->error_code = run->conn_code;
		inc->evidence |= bit;
		correlate_times(inc, r->time, r->time);
		cn->connectivity = inc;
		correlate_touch(c, inc);
	} else if (cn->connectivity != NULL && step != 0)
		correlate_resolve(c, cn->connectivity, r->time);
}

/*
 * A dump of a connector taken at the snapshot's time: objects of its
 * incidents not in it are fixed.  An incident left without objects is
 * resolved by the next successful export of the connector, or at once
 * when its last export succeeded after the fault was last seen.
 */
static void
correlate_snapshot(struct correlate *c, struct correlate_host *h,
    const struct record *r)
{
	struct correlate_conn	*cn;
	struct incident		*inc, *next;
	int64_t			 t = r->time;

	if (r->connector == NULL || t == REC_TIME_NONE)
		return;
	cn = host_conn(c, h, r->connector, r->conn_kind);
	for (inc = TAILQ_FIRST(&cn->incidents); inc != NULL; inc = next) {
		next = TAILQ_NEXT(inc, conn_entry);
		if (incident_drop_before(inc, t) == 0)
			continue;
		correlate_changed(c, inc);
		if (inc->nobjects > 0)
			continue;
		TAILQ_REMOVE(&cn->incidents, inc, conn_entry);
		/* The connector's last export succeeded after the fault. */
		if (cn->export.time != REC_TIME_NONE && cn->export.ok &&
		    cn->export.time > inc->last_seen && inc->open) {
			TAILQ_INSERT_TAIL(&cn->incidents, inc, conn_entry);
			correlate_resolve(c, inc, t);
			continue;
		}
		inc->cleared = t;
		TAILQ_INSERT_TAIL(&cn->cleared, inc, conn_entry);
	}
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

/* Opens (or keeps open) the stall of a host whose runs stopped. */
static void
correlate_stall(struct correlate *c, struct correlate_host *h, int64_t now,
    const char *why, unsigned evidence)
{
	struct incident	*inc;
	char		 detail[256];

	inc = correlate_incident(c, h, INC_SYNC_STALLED, NULL, NULL,
	    REC_CONN_UNKNOWN, "sync");
	if (why != NULL)
		incident_set(&inc->detail, why);
	else if (inc->detail == NULL) {
		snprintf(detail, sizeof(detail), "no run result for %lld "
		    "minutes while other data arrives",
		    (long long)((now - h->last_run) / 60000));
		incident_set(&inc->detail, detail);
	}
	inc->evidence |= evidence;
	correlate_times(inc, h->last_run != REC_TIME_NONE ? h->last_run :
	    now, now);
	h->stalled = inc;
	correlate_touch(c, inc);
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
		correlate_run(c, h, r);
		break;
	case RULES_SNAPSHOT:
		correlate_snapshot(c, h, r);
		break;
	case RULES_ALERT:
		mail_alert(c, h, r);
		break;
	case RULES_DENIED:
		correlate_denied(c, h, r, &m);
		break;
	case RULES_OBJECT:
	case RULES_COLLISION:
		correlate_object(c, h, r, &m);
		break;
	case RULES_NONE:
		c->stats.unclassified++;
		break;
	}
	if (m.family != RULES_RUN && r->time != REC_TIME_NONE &&
	    h->last_run != REC_TIME_NONE && c->params.stall > 0 &&
	    r->time - h->last_run > c->params.stall && h->stalled == NULL)
		correlate_stall(c, h, r->time, NULL, 0);
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

/* Opens or updates the stall of h for an alert that says so. */
void
correlate_alert_stall(struct correlate *c, struct correlate_host *h,
    const struct record *r)
{
	correlate_stall(c, h, r->time, r->u.alert.title,
	    1U << REC_SRC_HEALTH_EMAIL);
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
