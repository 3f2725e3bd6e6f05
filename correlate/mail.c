/*
 * mail.c: Connect Health alert mail against the rest of the evidence.
 * An alert is the cloud's view of a fault syncorr may already see in the
 * logs: "Export to Active Directory failed" is the AD export incident of
 * the same host, a sync-service alert is its stall.  An alert joins every
 * open incident of its host in its direction whose evidence lies within
 * the mail window; one that arrives first waits (per host, bounded) for
 * such an incident, and when its window closes unexplained it becomes a
 * health-alert incident of its own.  RESOLVED mail is recorded on the
 * incidents the alert joined and resolves its health-alert incident.
 */

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "correlate.h"
#include "xmalloc.h"

/* Whether an alert named alert is about incidents of class cls. */
static int
mail_explains(const char *alert, enum rec_conn kind, enum incident_class cls,
    enum rec_conn ikind)
{
	if (alert == NULL)
		return (0);
	if (strcmp(alert, "export-to-ad-failed") == 0)
		return (cls == INC_ADMINSDHOLDER ||
		    cls == INC_PERMISSION_MISSING ||
		    cls == INC_AD_EXPORT_ERROR ||
		    (cls == INC_CONNECTIVITY && ikind == REC_CONN_AD));
	if (strcmp(alert, "export-to-aad-failed") == 0)
		return ((cls >= INC_COLLISION && cls <= INC_AAD_EXPORT_ERROR) ||
		    (cls == INC_CONNECTIVITY && ikind == REC_CONN_AAD));
	if (strcmp(alert, "import-from-ad-failed") == 0 ||
	    strcmp(alert, "import-from-aad-failed") == 0 ||
	    strcmp(alert, "aad-authentication-failed") == 0)
		return (cls == INC_CONNECTIVITY && (kind == REC_CONN_UNKNOWN ||
		    ikind == kind));
	if (strcmp(alert, "sync-service-not-running") == 0 ||
	    strcmp(alert, "health-data-stale") == 0)
		return (cls == INC_SYNC_STALLED);
	return (0);
}

/* Whether t lies within the window around the incident's evidence. */
static int
mail_near(const struct correlate *c, const struct incident *inc, int64_t t)
{
	int64_t	w = c->params.mail_window;

	if (t == REC_TIME_NONE || w < 0)
		return (0);
	if (inc->last_seen != REC_TIME_NONE && t > inc->last_seen + w)
		return (0);
	/* An alert raised long before the fault was seen is another one. */
	return (c->now == REC_TIME_NONE || t >= c->now - w ||
	    (inc->last_seen != REC_TIME_NONE && t >= inc->last_seen - w));
}

/* Joins alert record r to inc. */
static void
mail_attach(struct correlate *c, struct incident *inc, const struct record *r)
{
	const struct rec_health_alert	*a = &r->u.alert;

	incident_set(&inc->alert.alert, a->alert);
	incident_set(&inc->alert.title, a->title != NULL ? a->title :
	    a->subject);
	incident_set(&inc->alert.message_id, a->message_id);
	inc->alert.raised = a->raised != REC_TIME_NONE ? a->raised : r->time;
	inc->alert.resolved = REC_TIME_NONE;
	inc->evidence |= 1U << REC_SRC_HEALTH_EMAIL;
	c->stats.alerts_joined++;
	correlate_touch(c, inc);
}

static void
mail_drop(struct correlate *c, struct correlate_host *h,
    struct state_alert *sa)
{
	TAILQ_REMOVE(&h->alerts, sa, entry);
	TAILQ_REMOVE(&c->alerts, sa, all);
	h->nalerts--;
	h->unsaved = 1;
	free(sa->rec);
	free(sa);
}

/* The RESOLVED mail of an alert: recorded, and its own incident ends. */
static void
mail_resolved(struct correlate *c, struct correlate_host *h,
    const struct record *r)
{
	const struct rec_health_alert	*a = &r->u.alert;
	struct incident			*inc;
	struct state_alert		*sa, *next;

	for (sa = TAILQ_FIRST(&h->alerts); sa != NULL; sa = next) {
		next = TAILQ_NEXT(sa, entry);
		if (strcmp(sa->rec->u.alert.alert, a->alert) == 0)
			mail_drop(c, h, sa);
	}
	TAILQ_FOREACH(inc, &h->incidents, entry) {
		if (inc->alert.alert == NULL ||
		    strcmp(inc->alert.alert, a->alert) != 0)
			continue;
		inc->alert.resolved = r->time;
		if (inc->cls == INC_HEALTH_ALERT)
			correlate_resolve(c, inc, r->time);
	}
}

/* A health-alert record of host h: joined, recorded or kept waiting. */
void
mail_alert(struct correlate *c, struct correlate_host *h,
    const struct record *r)
{
	const struct rec_health_alert	*a = &r->u.alert;
	struct incident			*inc;
	struct state_alert		*sa;
	int				 joined = 0;

	if (a->alert == NULL)
		return;
	if (a->state == REC_ALERT_RESOLVED) {
		mail_resolved(c, h, r);
		return;
	}
	if (strcmp(a->alert, "sync-service-not-running") == 0 ||
	    strcmp(a->alert, "health-data-stale") == 0) {
		cycle_alert_stall(c, h, r);
		if (h->stalled != NULL)
			mail_attach(c, h->stalled, r);
		return;
	}
	TAILQ_FOREACH(inc, &h->incidents, entry) {
		if (inc->open && mail_explains(a->alert, r->conn_kind,
		    inc->cls, inc->conn_kind) && mail_near(c, inc, r->time)) {
			mail_attach(c, inc, r);
			joined = 1;
		}
	}
	if (joined || c->params.mail_window < 0)
		return;
	sa = xcalloc(1, sizeof(*sa));
	if ((sa->rec = record_dup(r, h->name)) == NULL)
		abort();
	sa->expires = r->time + c->params.mail_window;
	mail_keep(c, h, sa);
}

/* Keeps sa waiting with the alerts of h, the oldest going past the cap. */
void
mail_keep(struct correlate *c, struct correlate_host *h,
    struct state_alert *sa)
{
	struct state_alert	*at;

	if (h->nalerts >= c->params.alert_max) {
		mail_drop(c, h, TAILQ_FIRST(&h->alerts));
		c->stats.evicted_alerts++;
	}
	TAILQ_INSERT_TAIL(&h->alerts, sa, entry);
	h->nalerts++;
	h->unsaved = 1;
	/* Usually the newest: the walk back from the tail is short. */
	TAILQ_FOREACH_REVERSE(at, &c->alerts, state_alerts, all)
		if (at->expires <= sa->expires)
			break;
	if (at == NULL)
		TAILQ_INSERT_HEAD(&c->alerts, sa, all);
	else
		TAILQ_INSERT_AFTER(&c->alerts, at, sa, all);
}

/* An incident settles: waiting alerts of its host it explains join it. */
void
mail_join(struct correlate *c, struct incident *inc)
{
	struct correlate_host	*h = inc->h;
	struct state_alert	*sa, *next;

	for (sa = TAILQ_FIRST(&h->alerts); sa != NULL; sa = next) {
		next = TAILQ_NEXT(sa, entry);
		if (mail_explains(sa->rec->u.alert.alert, sa->rec->conn_kind,
		    inc->cls, inc->conn_kind) &&
		    mail_near(c, inc, sa->rec->time)) {
			mail_attach(c, inc, sa->rec);
			mail_drop(c, h, sa);
		}
	}
}

/* Alerts whose window closed by now become health-alert incidents. */
void
mail_expire(struct correlate *c, int64_t now)
{
	struct state_alert		*sa;
	struct correlate_host		*h;
	struct incident			*inc;
	const struct rec_health_alert	*a;

	while ((sa = TAILQ_FIRST(&c->alerts)) != NULL && sa->expires <= now) {
		a = &sa->rec->u.alert;
		h = host_get(c, sa->rec->host);
		/* Stamped when the window closed, or at the end of input. */
		if (now != INT64_MAX && (c->now == REC_TIME_NONE ||
		    sa->expires > c->now))
			c->now = sa->expires;
		inc = correlate_incident(c, h, INC_HEALTH_ALERT, NULL, NULL,
		    sa->rec->conn_kind, strcmp(a->alert, "other") == 0 &&
		    a->title != NULL ? a->title : a->alert);
		incident_set(&inc->detail, a->description);
		correlate_times(inc, sa->rec->time, sa->rec->time);
		mail_attach(c, inc, sa->rec);
		mail_drop(c, h, sa);
		correlate_flush(c);
	}
}

void
mail_free_all(struct correlate *c)
{
	struct state_alert	*sa;

	while ((sa = TAILQ_FIRST(&c->alerts)) != NULL) {
		TAILQ_REMOVE(&c->alerts, sa, all);
		free(sa->rec);
		free(sa);
	}
}
