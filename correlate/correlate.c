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
	TAILQ_HEAD(, incident)	 dirty;		/* to settle at the flush */
	int64_t			 now;		/* time of the last feed */
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
	TAILQ_INIT(&c->dirty);
	c->now = REC_TIME_NONE;
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

/* An export error a rule took: find or make its incident, add to it. */
static void
correlate_export_error(struct correlate *c, const struct record *r,
    const struct rules_match *m)
{
	const struct rec_export_error	*x = &r->u.xerr;
	struct correlate_host		*h;
	struct incident			*inc;
	char				 id[INCIDENT_IDLEN + 1];
	const char			*host;
	int64_t				 first, last;

	host = r->host != NULL ? r->host : "unknown";
	incident_fingerprint(m->cls, host, r->connector, m->scope, id);
	if ((inc = table_get(c->incidents, id)) == NULL) {
		inc = incident_new(m->cls, host, r->connector, r->conn_kind,
		    m->scope);
		table_put(c->incidents, inc->id, inc);
		TAILQ_INSERT_TAIL(&c->list, inc, entry);
		c->stats.incidents++;
	}
	h = correlate_host(c, host);
	incident_set(&inc->account, h->account);
	if (m->attribute[0] != '\0')
		incident_set(&inc->attribute, m->attribute);
	incident_set(&inc->error_type, x->error_type);
	incident_set(&inc->literal, x->literal);
	incident_set(&inc->server_detail, x->server_detail);
	if (x->error_code >= 0)
		inc->error_code = x->error_code;
	if (m->protect > inc->protect)
		inc->protect = m->protect;
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
	if (!inc->dirty) {
		inc->dirty = 1;
		TAILQ_INSERT_TAIL(&c->dirty, inc, dirty_entry);
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
		correlate_settle(c, inc, c->now);
	}
}

/*
 * Feeds one record observed at time now.  Changes are settled into
 * transitions only when the clock moves on, so that everything observed
 * at one instant (the objects of one dump share its time) is one message.
 */
void
correlate_feed(struct correlate *c, const struct record *r, int64_t now)
{
	struct rules_match	m;

	if (now != c->now) {
		correlate_flush(c);
		c->now = now;
	}
	c->stats.records++;
	if (rules_classify(r, &m) == 0) {
		correlate_export_error(c, r, &m);
		return;
	}
	c->stats.unclassified++;
}

/* Lets time pass: open incidents whose reminder is due are updated. */
void
correlate_tick(struct correlate *c, int64_t now)
{
	struct incident	*inc;

	correlate_flush(c);
	if (now > c->now)
		c->now = now;
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
