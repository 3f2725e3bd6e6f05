/*
 * cycle.c: what run results and dumps say of a host's sync cycles.  Each
 * connector keeps the last result of its imports, syncs and exports: a
 * failing export is evidence for the connector's incidents, a successful
 * one resolves those a dump found empty, a run that cannot reach its
 * directory is connectivity, and a host whose runs stopped while its
 * other data still comes has stalled.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "correlate.h"
#include "xmalloc.h"

/*
 * Whether the AD connector's export failed while, in the same cycle, the
 * AAD connector's export and every import and sync of the host
 * succeeded: the fault is in writeback to AD alone.
 */
int
cycle_ad_only(const struct incident *inc)
{
	const struct correlate_conn	*cn = inc->conn, *o;
	int64_t				 t, w = CORRELATE_CYCLE_WINDOW;
	int				 aad = 0;

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
 * A run result: the connector's cycle state, evidence for its incidents,
 * and connectivity, which a later run that reaches its server resolves.
 * A successful export resolves the incidents a dump found empty.
 */
void
cycle_run(struct correlate *c, struct correlate_host *h,
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
void
cycle_snapshot(struct correlate *c, struct correlate_host *h,
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

/* Opens (or keeps open) the stall of a host whose runs stopped. */
void
cycle_stall(struct correlate *c, struct correlate_host *h, int64_t now,
    const char *why, unsigned evidence)
{
	struct incident	*inc;
	char		 detail[256];

	inc = correlate_incident(c, h, INC_SYNC_STALLED, NULL, NULL,
	    REC_CONN_UNKNOWN, "sync");
	if (why != NULL)
		incident_set(&inc->detail, why);
	else if (inc->detail == NULL) {
		fmt_snprintf(detail, sizeof(detail), "no run result for %lld "
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

/* Opens or updates the stall of h for an alert that says so. */
void
cycle_alert_stall(struct correlate *c, struct correlate_host *h,
    const struct record *r)
{
	cycle_stall(c, h, r->time, r->u.alert.title,
	    1U << REC_SRC_HEALTH_EMAIL);
}
