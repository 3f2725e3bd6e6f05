/*
 * evidence.c: what an export error or a cloud error does to incidents.
 * A denied AD export goes to the incident of its attribute on its
 * connector, protected accounts apart from the rest, and sharpens as dumps
 * tell the attribute and adminCount; any other error goes to the incident
 * of its object, a collision to that of its contested value.
 */

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "correlate.h"
#include "xmalloc.h"

/*
 * The class of a denied-export incident, which sharpens as evidence
 * comes: adminCount=1 in a dump makes it AdminSDHolder for certain, and
 * adminCount=0 a missing grant; with protection unknown, a few objects
 * on an attribute the connector otherwise writes read as protected
 * accounts, many as a missing grant.
 */
static void
evidence_denied_class(struct incident *inc)
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

/* An incident that had no object left has one again: not cleared. */
static void
evidence_uncleared(struct incident *inc)
{
	if (inc->cleared == REC_TIME_NONE || inc->conn == NULL)
		return;
	TAILQ_REMOVE(&inc->conn->cleared, inc, conn_entry);
	TAILQ_INSERT_TAIL(&inc->conn->incidents, inc, conn_entry);
	inc->cleared = REC_TIME_NONE;
}

/* Adds what an export error says to inc. */
static void
evidence_xerr(struct correlate *c, struct incident *inc,
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
	evidence_uncleared(inc);
	correlate_touch(c, inc);
}

/* The longest common parent of two DNs, at RDN boundaries, into *ou. */
static void
evidence_common_ou(char **ou, const char *dn)
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
evidence_rekey(struct correlate *c, struct incident *inc, char *skey)
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
evidence_denied_find(struct correlate *c, struct correlate_host *h,
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
		evidence_rekey(c, inc, key);
		incident_set(&inc->scope, attr);
	} else if (inc == NULL)
		inc = correlate_incident_new(c, h, admin != 0 ?
		    INC_ADMINSDHOLDER : INC_PERMISSION_MISSING, cn, cn->name,
		    REC_CONN_AD, attr, key);
	else
		free(key);
	free(key == pkey ? rkey : pkey);
	return (inc);
}

/*
 * Moves every object of from into into, as its evidence: an inferred
 * group whose protection a dump has since shown.  from is resolved.
 */
static void
evidence_merge(struct correlate *c, struct incident *from,
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
void
evidence_denied(struct correlate *c, struct correlate_host *h,
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
		inc = evidence_denied_find(c, h, cn, m->attribute,
		    d->admin_count, prev);
		/* The DN moves: an incident left empty by it is merged. */
		if (prev != NULL && prev != inc && prot &&
		    prev->protect == INC_PROT_INFERRED)
			evidence_merge(c, prev, inc, r->time);
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
	evidence_xerr(c, inc, r, m, x->dn, NULL);
	evidence_common_ou(&inc->ou, x->dn);
	evidence_denied_class(inc);
}

/* Any other error of one object, or a collision on a contested value. */
void
evidence_object(struct correlate *c, struct correlate_host *h,
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
		evidence_uncleared(inc);
		correlate_touch(c, inc);
		return;
	}
	obj = x->dn != NULL ? x->dn : x->object_id;
	if (m->cls == INC_COLLISION) {
		if (inc->value == NULL || (strncasecmp(inc->value, "smtp:",
		    5) != 0 && x->conflict_value != NULL &&
		    strncasecmp(x->conflict_value, "smtp:", 5) == 0))
			incident_set(&inc->value, x->conflict_value);
		fmt_snprintf(owner, sizeof(owner), "%s%s%s%s",
		    x->upn != NULL ? x->upn : obj,
		    x->object_id != NULL ? " (objectId " : "",
		    x->object_id != NULL ? x->object_id : "",
		    x->object_id != NULL ? ")" : "");
		incident_add_owner(inc, owner);
		if (x->conflict_object_id != NULL) {
			fmt_snprintf(owner, sizeof(owner), "objectId %s",
			    x->conflict_object_id);
			incident_add_owner(inc, owner);
		}
	}
	evidence_xerr(c, inc, r, m, obj, NULL);
}
