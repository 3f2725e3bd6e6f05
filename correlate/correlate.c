/*
 * correlate.c: records in, incident transitions out.  Every record is
 * classified by rules.c; those that name a problem land on the incident
 * whose fingerprint they share, so the hundredth sync cycle repeating a
 * fault finds the same incident and, if it brings nothing new, emits
 * nothing.  A transition is emitted when an incident opens, and an update
 * only when something a person would act on changed: a new kind of
 * evidence, another object, or the reminder interval passing.
 */

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "correlate.h"
#include "xmalloc.h"

#define CORRELATE_MAXSCOPE	1024

/* What the correlator knows of a host beyond its incidents. */
struct correlate_host {
	char		*key;		/* lower-case name */
	char		*account;	/* connector account, or NULL */
	TAILQ_ENTRY(correlate_host) entry;
};

struct correlate {
	struct correlate_params	 params;
	correlate_cb		 cb;
	void			*arg;
	struct table		*incidents;	/* by id */
	struct table		*hosts;		/* by lower-case name */
	TAILQ_HEAD(, incident)	 list;		/* in order of creation */
	TAILQ_HEAD(, correlate_host) hostlist;
	struct correlate_stats	 stats;
};

/* A correlator that reports transitions to cb. */
struct correlate *
correlate_new(const struct correlate_params *params, correlate_cb cb,
    void *arg)
{
	struct correlate	*c;

	c = xcalloc(1, sizeof(*c));
	c->params = *params;
	c->cb = cb;
	c->arg = arg;
	c->incidents = table_new();
	c->hosts = table_new();
	TAILQ_INIT(&c->list);
	TAILQ_INIT(&c->hostlist);
	return (c);
}

static char *
correlate_key(const char *host)
{
	char	*k, *p;

	k = xstrdup(host);
	for (p = k; *p != '\0'; p++)
		*p = (char)tolower((unsigned char)*p);
	return (k);
}

static struct correlate_host *
correlate_host(struct correlate *c, const char *name)
{
	struct correlate_host	*h;
	char			*key;

	key = correlate_key(name);
	if ((h = table_get(c->hosts, key)) != NULL) {
		free(key);
		return (h);
	}
	h = xcalloc(1, sizeof(*h));
	h->key = key;
	table_put(c->hosts, h->key, h);
	TAILQ_INSERT_TAIL(&c->hostlist, h, entry);
	return (h);
}

/* The connector account of host, used in remediation text. */
void
correlate_set_account(struct correlate *c, const char *host,
    const char *account)
{
	struct correlate_host	*h = correlate_host(c, host);

	free(h->account);
	h->account = account != NULL ? xstrdup(account) : NULL;
}

static void
correlate_emit(struct correlate *c, struct incident *inc,
    enum incident_transition tr, int64_t now)
{
	inc->last_emit = now;
	inc->emitted_evidence = inc->evidence;
	inc->emitted_objects = inc->nobjects;
	c->stats.transitions[tr]++;
	c->cb(inc, tr, now, c->arg);
}

/*
 * Open a new incident, or update an open one when the change matters.
 * Identical evidence (the same objects seen again by the next cycle)
 * changes retry counts and last_seen only, which are not worth a message:
 * the reminder carries them.
 */
static void
correlate_settle(struct correlate *c, struct incident *inc, int64_t now)
{
	if (!inc->open) {
		inc->open = 1;
		correlate_emit(c, inc, INC_OPEN, now);
		return;
	}
	if ((inc->evidence & ~inc->emitted_evidence) != 0 ||
	    inc->nobjects > inc->emitted_objects ||
	    (c->params.reminder > 0 && now - inc->last_emit >=
	    c->params.reminder))
		correlate_emit(c, inc, INC_UPDATE, now);
}

static void
correlate_set(char **field, const char *value)
{
	if (value == NULL || (*field != NULL && strcmp(*field, value) == 0))
		return;
	free(*field);
	*field = xstrdup(value);
}

/* An export error a rule took: find or make its incident, add to it. */
static void
correlate_export_error(struct correlate *c, const struct record *r,
    enum incident_class cls, enum incident_protected prot,
    const char *scope, int64_t now)
{
	const struct rec_export_error	*x = &r->u.xerr;
	struct correlate_host		*h;
	struct incident			*inc;
	char				 id[INCIDENT_IDLEN + 1];
	const char			*host;
	int64_t				 first, last;

	host = r->host != NULL ? r->host : "unknown";
	incident_fingerprint(cls, host, r->connector, scope, id);
	if ((inc = table_get(c->incidents, id)) == NULL) {
		inc = incident_new(cls, host, r->connector, r->conn_kind,
		    scope);
		if (scope[0] != '\0')
			inc->attribute = xstrdup(scope);
		table_put(c->incidents, inc->id, inc);
		TAILQ_INSERT_TAIL(&c->list, inc, entry);
		c->stats.incidents++;
	}
	h = correlate_host(c, host);
	correlate_set(&inc->account, h->account);
	correlate_set(&inc->error_type, x->error_type);
	if (x->error_code >= 0)
		inc->error_code = x->error_code;
	if (prot > inc->protect)
		inc->protect = prot;
	inc->evidence |= 1U << r->source;

	first = x->first_occurred != REC_TIME_NONE ? x->first_occurred :
	    r->time;
	last = x->date_occurred != REC_TIME_NONE ? x->date_occurred : r->time;
	if (first != REC_TIME_NONE && (inc->first_seen == REC_TIME_NONE ||
	    first < inc->first_seen))
		inc->first_seen = first;
	if (last > inc->last_seen)
		inc->last_seen = last;
	incident_add_object(inc, x->dn, x->upn, x->sam, x->retry_count, first,
	    last, &c->stats.objects_dropped);
	correlate_settle(c, inc, now);
}

/* Feeds one record observed at time now. */
void
correlate_feed(struct correlate *c, const struct record *r, int64_t now)
{
	enum incident_class	 cls;
	enum incident_protected	 prot;
	char			 scope[CORRELATE_MAXSCOPE];

	c->stats.records++;
	if (r->kind == REC_EXPORT_ERROR &&
	    rules_classify(r, &cls, &prot, scope, sizeof(scope)) == 0) {
		correlate_export_error(c, r, cls, prot, scope, now);
		return;
	}
	c->stats.unclassified++;
}

/* Lets time pass: open incidents whose reminder is due are updated. */
void
correlate_tick(struct correlate *c, int64_t now)
{
	struct incident	*inc;

	if (c->params.reminder <= 0)
		return;
	TAILQ_FOREACH(inc, &c->list, entry) {
		if (inc->open && now - inc->last_emit >= c->params.reminder)
			correlate_emit(c, inc, INC_UPDATE, now);
	}
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
	struct incident		*inc;
	struct correlate_host	*h;

	if (c == NULL)
		return;
	while ((inc = TAILQ_FIRST(&c->list)) != NULL) {
		TAILQ_REMOVE(&c->list, inc, entry);
		table_del(c->incidents, inc->id);
		incident_free(inc);
	}
	table_free(c->incidents);
	while ((h = TAILQ_FIRST(&c->hostlist)) != NULL) {
		TAILQ_REMOVE(&c->hostlist, h, entry);
		free(h->account);
		free(h->key);
		free(h);
	}
	table_free(c->hosts);
	free(c);
}
