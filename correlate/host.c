/*
 * host.c: which Connect server a record is about, and what the
 * correlator remembers of each.  A server is known by several names: the
 * spool directory (AADCONNECT01), the event's Computer and the alert
 * mail's Server field (AADCONNECT01.contoso.com), config aliases.  Names
 * match case-insensitively, and a full name matches a short one by its
 * first DNS label.  Mail that names no server is placed by domain: the
 * forest domains of the AD connector names and DNs a host's records
 * show, the tenant of its AAD connector, and those the config gives.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "correlate.h"
#include "xmalloc.h"

/* The host of a domain two hosts claim: nobody's. */
struct correlate_host	state_ambiguous;

/* Keeps key for as long as the correlator lives (tables only point). */
static char *
host_keep(struct correlate *c, char *key)
{
	if (c->nkeys == c->keycap) {
		c->keycap = c->keycap == 0 ? 16 : c->keycap * 2;
		c->keys = xreallocarray(c->keys, c->keycap, sizeof(*c->keys));
	}
	c->keys[c->nkeys++] = key;
	return (key);
}

/*
 * The host a name means (FQDN ↔ short, any case); NULL if none.  *exact
 * says whether the name itself is known, not just its first label.
 */
static struct correlate_host *
host_find(struct correlate *c, const char *name, int *exact)
{
	struct correlate_host	*h;
	const char		*dot;
	char			*k;

	k = table_lower(name, -1);
	h = table_get(c->names, k);
	free(k);
	if ((*exact = h != NULL))
		return (h);
	dot = strchr(name, '.');
	k = table_lower(name, dot != NULL ? dot - name : -1);
	h = table_get(c->shorts, k);
	free(k);
	return (h);
}

/* The host a name means (FQDN ↔ short, any case); NULL if none. */
struct correlate_host *
host_lookup(struct correlate *c, const char *name)
{
	int	exact;

	return (host_find(c, name, &exact));
}

/* Adds name as an alias of h, and its first label as a short name. */
void
host_add_alias(struct correlate *c, struct correlate_host *h, const char *name)
{
	const char	*dot;
	char		*k;

	k = table_lower(name, -1);
	if (table_get(c->names, k) == NULL) {
		table_put(c->names, host_keep(c, k), h);
		h->names = xreallocarray(h->names, h->nnames + 1,
		    sizeof(*h->names));
		h->names[h->nnames++] = k;
		h->unsaved = 1;
	} else
		free(k);
	dot = strchr(name, '.');
	k = table_lower(name, dot != NULL ? dot - name : -1);
	if (*k != '\0' && table_get(c->shorts, k) == NULL)
		table_put(c->shorts, host_keep(c, k), h);
	else
		free(k);
}

static void
host_remember(struct correlate *c, struct correlate_host *h,
    const char *name)
{
	free(c->lastname);
	c->lastname = xstrdup(name);
	c->lasthost = h;
}

/* The host a name means, made when new; the name becomes an alias. */
struct correlate_host *
host_get(struct correlate *c, const char *name)
{
	struct correlate_host	*h;
	int			 exact;

	/* Records come in runs of one host: the last answer, first. */
	if (c->lastname != NULL && strcmp(c->lastname, name) == 0)
		return (c->lasthost);
	if ((h = host_find(c, name, &exact)) != NULL) {
		if (!exact)
			host_add_alias(c, h, name);
		host_remember(c, h, name);
		return (h);
	}
	h = xcalloc(1, sizeof(*h));
	h->name = xstrdup(name);
	h->key = table_lower(name, -1);
	h->last_run = h->last_data = REC_TIME_NONE;
	TAILQ_INIT(&h->conns);
	TAILQ_INIT(&h->dns);
	TAILQ_INIT(&h->alerts);
	TAILQ_INIT(&h->incidents);
	TAILQ_INSERT_TAIL(&c->hosts, h, entry);
	host_add_alias(c, h, name);
	host_remember(c, h, name);
	return (h);
}

/* The host a domain belongs to (or a parent domain of it), or NULL. */
struct correlate_host *
host_by_domain(struct correlate *c, const char *dom)
{
	struct correlate_host	*h;
	const char		*p;
	char			*k;

	if ((p = strrchr(dom, '@')) != NULL)
		dom = p + 1;
	for (p = dom; p != NULL && *p != '\0'; p = strchr(p, '.')) {
		if (*p == '.')
			p++;
		/* A bare top-level label names nobody. */
		if (strchr(p, '.') == NULL)
			break;
		k = table_lower(p, -1);
		h = table_get(c->domains, k);
		free(k);
		if (h != NULL)
			return (h == STATE_AMBIGUOUS ? NULL : h);
	}
	return (NULL);
}

/* Learns that domain belongs to h; two claimants make it nobody's. */
void
host_add_domain(struct correlate *c, struct correlate_host *h,
    const char *domain)
{
	struct correlate_host	*o;
	char			*k;

	if (domain == NULL || strchr(domain, '.') == NULL)
		return;
	k = table_lower(domain, -1);
	if ((o = table_get(c->domains, k)) == NULL) {
		table_put(c->domains, host_keep(c, k), h);
		h->domains = xreallocarray(h->domains, h->ndomains + 1,
		    sizeof(*h->domains));
		h->domains[h->ndomains++] = k;
		h->unsaved = 1;
	} else {
		if (o != h && o != STATE_AMBIGUOUS) {
			table_del(c->domains, k);
			table_put(c->domains, host_keep(c, k),
			    STATE_AMBIGUOUS);
			return;
		}
		free(k);
	}
}

/* Learns the domains a record shows: connector names, DNs. */
void
host_learn(struct correlate *c, struct correlate_host *h,
    const struct record *r)
{
	char		 dom[256];
	const char	*suffix;
	size_t		 len;

	if (r->connector != NULL && r->conn_kind == REC_CONN_AAD &&
	    (suffix = strstr(r->connector, " - AAD")) != NULL) {
		/* "contoso.onmicrosoft.com - AAD" */
		len = (size_t)(suffix - r->connector);
		if (len < sizeof(dom)) {
			memcpy(dom, r->connector, len);
			dom[len] = '\0';
			host_add_domain(c, h, dom);
		}
		incident_set(&h->aad, r->connector);
	} else if (r->connector != NULL && r->conn_kind == REC_CONN_AD &&
	    strcmp(r->connector, h->lastdom) != 0) {
		host_add_domain(c, h, r->connector);
		fmt_snprintf(h->lastdom, sizeof(h->lastdom), "%s", r->connector);
	}
	/* The domains of a dump's DNs repeat: the last one is skipped. */
	if (r->kind == REC_EXPORT_ERROR && r->u.xerr.dn != NULL &&
	    dn_dns_name(r->u.xerr.dn, dom, sizeof(dom)) == 0 &&
	    strcmp(dom, h->lastdom) != 0) {
		host_add_domain(c, h, dom);
		fmt_snprintf(h->lastdom, sizeof(h->lastdom), "%s", dom);
	}
}

/*
 * The connector name of h, made when new.  A server has one AAD
 * connector, which a csexport file name may call just "aad": every AAD
 * name is the same connector, known by its full name once one shows it.
 */
struct correlate_conn *
host_conn(struct correlate *c, struct correlate_host *h, const char *name,
    enum rec_conn kind)
{
	struct correlate_conn	*cn;
	char			*lname, *key;

	if ((cn = h->lastconn) != NULL && (kind == REC_CONN_AAD ?
	    cn->kind == REC_CONN_AAD && (strstr(name, " - AAD") == NULL ||
	    strcmp(cn->name, name) == 0) :
	    cn->kind != REC_CONN_AAD && strcasecmp(cn->name, name) == 0)) {
		if (cn->kind == REC_CONN_UNKNOWN)
			cn->kind = kind;
		return (cn);
	}
	lname = table_lower(kind == REC_CONN_AAD ? "\001aad" : name, -1);
	xasprintf(&key, "%s\n%s", h->key, lname);
	free(lname);
	if ((cn = table_get(c->conns, key)) != NULL) {
		free(key);
		if (cn->kind == REC_CONN_UNKNOWN)
			cn->kind = kind;
		if (kind == REC_CONN_AAD && strstr(name, " - AAD") != NULL &&
		    strcmp(cn->name, name) != 0) {
			free(cn->name);
			cn->name = xstrdup(name);
		}
		h->lastconn = cn;
		return (cn);
	}
	cn = xcalloc(1, sizeof(*cn));
	cn->key = key;
	cn->name = xstrdup(kind == REC_CONN_AAD && h->aad != NULL ? h->aad :
	    name);
	cn->kind = kind;
	cn->import.time = cn->sync.time = cn->export.time = REC_TIME_NONE;
	cn->export_fail = REC_TIME_NONE;
	TAILQ_INIT(&cn->incidents);
	TAILQ_INIT(&cn->cleared);
	table_put(c->conns, cn->key, cn);
	TAILQ_INSERT_TAIL(&h->conns, cn, entry);
	h->lastconn = cn;
	return (cn);
}

/*
 * What dumps said of a DN of h; with make set it is made when new, the
 * oldest remembered DN of the host making room past dn_max.
 */
struct state_dn *
host_dn(struct correlate *c, struct correlate_host *h, const char *dn,
    int make)
{
	struct state_dn	*d;
	char		*ldn, *key;

	ldn = table_lower(dn, -1);
	xasprintf(&key, "%s\n%s", h->key, ldn);
	free(ldn);
	if ((d = table_get(c->dns, key)) != NULL || !make) {
		free(key);
		return (d);
	}
	if (h->ndns >= c->params.dn_max && (d = TAILQ_FIRST(&h->dns)) !=
	    NULL) {
		TAILQ_REMOVE(&h->dns, d, entry);
		table_del(c->dns, d->key);
		free(d->key);
		free(d);
		h->ndns--;
		c->stats.evicted_dns++;
	}
	d = xcalloc(1, sizeof(*d));
	d->key = key;
	d->admin_count = -1;
	table_put(c->dns, d->key, d);
	TAILQ_INSERT_TAIL(&h->dns, d, entry);
	h->ndns++;
	return (d);
}

void
host_free_all(struct correlate *c)
{
	struct correlate_host	*h;
	struct correlate_conn	*cn;
	struct state_dn		*d;
	size_t			 i;

	while ((h = TAILQ_FIRST(&c->hosts)) != NULL) {
		TAILQ_REMOVE(&c->hosts, h, entry);
		while ((cn = TAILQ_FIRST(&h->conns)) != NULL) {
			TAILQ_REMOVE(&h->conns, cn, entry);
			free(cn->key);
			free(cn->name);
			free(cn);
		}
		while ((d = TAILQ_FIRST(&h->dns)) != NULL) {
			TAILQ_REMOVE(&h->dns, d, entry);
			free(d->key);
			free(d);
		}
		free(h->names);
		free(h->domains);
		free(h->key);
		free(h->name);
		free(h->account);
		free(h->aad);
		free(h);
	}
	for (i = 0; i < c->nkeys; i++)
		free(c->keys[i]);
	free(c->keys);
	free(c->lastname);
}
