/*
 * metrics.c: the Prometheus endpoint, when the configuration asks for
 * one (metrics ADDRESS port N): GET /metrics on libevent's evhttp, the
 * engine's counters, each output's queue and delivery, the correlator's
 * incidents and drops, in the text exposition format.  It is meant for
 * loopback; another address is served but warned about.
 */

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>

#include "daemon.h"
#include "xmalloc.h"

struct metrics {
	struct evhttp	*http;
	struct engine	*(*engine)(void *);
	void		*arg;
};

static void
metrics_counter(struct evbuffer *b, const char *name, const char *help,
    uint64_t v)
{
	evbuffer_add_printf(b, "# HELP syncorr_%s %s\n# TYPE syncorr_%s "
	    "counter\nsyncorr_%s %llu\n", name, help, name, name,
	    (unsigned long long)v);
}

/* One value of a family labelled by output (the name is config text). */
static void
metrics_output(struct evbuffer *b, const char *name, const char *output,
    uint64_t v)
{
	const char	*p;

	evbuffer_add_printf(b, "syncorr_%s{output=\"", name);
	for (p = output; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\')
			evbuffer_add_printf(b, "\\%c", *p);
		else if (*p == '\n')
			evbuffer_add_printf(b, "\\n");
		else
			evbuffer_add(b, p, 1);
	}
	evbuffer_add_printf(b, "\"} %llu\n", (unsigned long long)v);
}

static void
metrics_family(struct evbuffer *b, const struct engine *e, const char *name,
    const char *type, const char *help, size_t field)
{
	size_t	i;

	evbuffer_add_printf(b, "# HELP syncorr_%s %s\n# TYPE syncorr_%s %s\n",
	    name, help, name, type);
	for (i = 0; i < e->nouts; i++)
		metrics_output(b, name, e->outs[i]->name,
		    *(const uint64_t *)((const char *)e->outs[i] + field));
}

static void
metrics_cb(struct evhttp_request *req, void *arg)
{
	struct metrics			*m = arg;
	const struct engine		*e = m->engine(m->arg);
	const struct engine_stats	*s;
	const struct correlate_stats	*cs;
	struct evbuffer			*b;

	if (evhttp_request_get_command(req) != EVHTTP_REQ_GET) {
		evhttp_send_error(req, 405, "GET only");
		return;
	}
	if (e == NULL) {
		evhttp_send_error(req, 503, "stopping");
		return;
	}
	s = &e->stats;
	cs = correlate_stats(e->corr);
	b = evbuffer_new();
	metrics_counter(b, "file_visits_total", "Files visited.", s->visits);
	metrics_counter(b, "documents_total", "Whole documents read.",
	    s->documents);
	metrics_counter(b, "append_steps_total", "Steps of appended bytes "
	    "read.", s->appends);
	metrics_counter(b, "truncations_total", "Files cut short in place "
	    "(copytruncate); bytes may be lost.", s->truncations);
	metrics_counter(b, "files_rejected_total", "Files that could not be "
	    "read.", s->files_rejected);
	metrics_counter(b, "parse_errors_total", "Items rejected by a parser.",
	    s->item_errors);
	metrics_counter(b, "records_run_total", "Run records.",
	    s->records[REC_RUN]);
	metrics_counter(b, "records_export_error_total", "Export-error "
	    "records.", s->records[REC_EXPORT_ERROR]);
	metrics_counter(b, "records_snapshot_total", "Snapshot records.",
	    s->records[REC_SNAPSHOT]);
	metrics_counter(b, "records_health_alert_total", "Health-alert "
	    "records.", s->records[REC_HEALTH_ALERT]);
	metrics_counter(b, "records_cloud_error_total", "Cloud-error "
	    "records.", s->records[REC_CLOUD_ERROR]);
	metrics_counter(b, "incidents_opened_total", "Open transitions.",
	    s->transitions[INC_OPEN]);
	metrics_counter(b, "incidents_updated_total", "Update transitions.",
	    s->transitions[INC_UPDATE]);
	metrics_counter(b, "incidents_resolved_total", "Resolve transitions.",
	    s->transitions[INC_RESOLVE]);
	metrics_counter(b, "evicted_incidents_total", "Incidents dropped "
	    "past a host's cap.", cs->evicted_incidents);
	metrics_counter(b, "evicted_alerts_total", "Waiting alerts dropped "
	    "past a host's cap.", cs->evicted_alerts);
	metrics_family(b, e, "queue_depth", "gauge", "Messages queued.",
	    offsetof(struct outbox, depth));
	metrics_family(b, e, "delivered_total", "counter", "Messages "
	    "delivered.", offsetof(struct outbox, stats.delivered));
	metrics_family(b, e, "send_failures_total", "counter", "Sends that "
	    "failed.", offsetof(struct outbox, stats.send_failures));
	metrics_family(b, e, "disconnects_total", "counter", "Times the "
	    "receiver went away.", offsetof(struct outbox, stats.disconnects));
	metrics_family(b, e, "dropped_total", "counter", "Messages dropped "
	    "from a full queue.", offsetof(struct outbox, stats.dropped));
	evhttp_add_header(evhttp_request_get_output_headers(req),
	    "Content-Type", "text/plain; version=0.0.4");
	evhttp_send_reply(req, 200, "OK", b);
	evbuffer_free(b);
}

/*
 * Serves /metrics on address:port of base, the engine of the moment
 * from engine(arg); NULL when it cannot bind (said).
 */
struct metrics *
metrics_new(struct event_base *base, const char *address, uint16_t port,
    struct engine *(*engine)(void *), void *arg)
{
	struct metrics	*m;

	if (strcmp(address, "127.0.0.1") != 0 && strcmp(address, "::1") != 0 &&
	    strcmp(address, "localhost") != 0)
		log_warnx("metrics: %s is not a loopback address", address);
	m = xcalloc(1, sizeof(*m));
	m->engine = engine;
	m->arg = arg;
	if ((m->http = evhttp_new(base)) == NULL ||
	    evhttp_bind_socket(m->http, address, port) == -1) {
		log_warnx("metrics: cannot listen on %s port %u", address,
		    port);
		metrics_free(m);
		return (NULL);
	}
	evhttp_set_allowed_methods(m->http, EVHTTP_REQ_GET);
	evhttp_set_cb(m->http, "/metrics", metrics_cb, m);
	return (m);
}

void
metrics_free(struct metrics *m)
{
	if (m == NULL)
		return;
	if (m->http != NULL)
		evhttp_free(m->http);
	free(m);
}
