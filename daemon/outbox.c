/*
 * outbox.c: one output's durable queue and its delivery.  The engine
 * queues each message in the database in the transaction that made it;
 * delivery then takes them in order, one at a time: the next is sent once
 * the sink says the last was delivered (for TCP and TLS, acknowledged by
 * the receiver's stack) and its removal from the queue is committed.  So
 * a receiver that is down makes messages wait on disk, in order, and a
 * kill at any moment makes at most the one message in flight go twice:
 * receivers drop it by its incident id.  A full queue drops its oldest
 * messages, counted.
 */

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon.h"
#include "xmalloc.h"

/* The counters of an output that outlive a restart, by name. */
static const struct {
	const char	*name;
	size_t		 off;
} outbox_counters[] = {
	{ "delivered", offsetof(struct outbox_stats, delivered) },
	{ "send_failures", offsetof(struct outbox_stats, send_failures) },
	{ "disconnects", offsetof(struct outbox_stats, disconnects) },
	{ "dropped", offsetof(struct outbox_stats, dropped) },
};

static uint64_t *
outbox_counter(struct outbox *ob, size_t i, char *name, size_t namesz)
{
	snprintf(name, namesz, "output.%s.%s", ob->name,
	    outbox_counters[i].name);
	return ((uint64_t *)((char *)&ob->stats + outbox_counters[i].off));
}

/* Keeps the output's counters in the caller's transaction; 0 or -1. */
int
outbox_save(struct outbox *ob)
{
	char		 name[256];
	uint64_t	*v;
	size_t		 i;

	for (i = 0; i < sizeof(outbox_counters) / sizeof(outbox_counters[0]);
	    i++) {
		v = outbox_counter(ob, i, name, sizeof(name));
		if (store_counter_put(ob->store, name, *v) == -1)
			return (-1);
	}
	return (0);
}

/* A queue for output o; its sink is made by outbox_start. */
struct outbox *
outbox_new(struct store *st, const struct conf_output *o)
{
	struct outbox	*ob;
	char		 name[256];
	uint64_t	*v;
	size_t		 i;

	ob = xcalloc(1, sizeof(*ob));
	ob->store = st;
	ob->name = xstrdup(o->name);
	ob->format = o->format;
	ob->file = o->file != NULL;
	ob->max = o->queue_max > 0 ? o->queue_max : CONF_DEFAULT_QUEUE_MAX;
	ob->next = store_outbox_last(st, ob->name) + 1;
	ob->depth = store_outbox_depth(st, ob->name);
	for (i = 0; i < sizeof(outbox_counters) / sizeof(outbox_counters[0]);
	    i++) {
		v = outbox_counter(ob, i, name, sizeof(name));
		*v = store_counter_get(st, name);
	}
	return (ob);
}

/*
 * Queues msg as the next message, inside the caller's transaction;
 * past the queue's bound its oldest message goes.  0 or -1 (store).
 */
int
outbox_add(struct outbox *ob, int64_t now, const char *msg)
{
	if (ob->depth >= ob->max) {
		if (store_outbox_drop(ob->store, ob->name,
		    ob->depth - ob->max + 1) == -1)
			return (-1);
		ob->stats.dropped += ob->depth - ob->max + 1;
		ob->depth = ob->max - 1;
	}
	if (store_outbox_add(ob->store, ob->name, ob->next, now, msg,
	    strlen(msg)) == -1)
		return (-1);
	ob->next++;
	ob->depth++;
	ob->stats.queued++;
	return (0);
}

static void
outbox_take(uint64_t seq, const char *msg, size_t len, void *arg)
{
	struct outbox	*ob = arg;

	if (sink_send(ob->sink, seq, msg, len) == 0) {
		ob->inflight = seq;
		ob->stats.sent++;
	} else
		ob->stats.send_failures++;
}

/* Sends the next message when none is in flight and the sink is up. */
void
outbox_pump(struct outbox *ob)
{
	if (ob->sink == NULL || ob->inflight != 0 || ob->depth == 0 ||
	    !sink_ready(ob->sink))
		return;
	if (store_outbox_next(ob->store, ob->name, ob->acked, 1, outbox_take,
	    ob) == -1)
		fatalx("%s", store_error(ob->store));
}

static void
outbox_ack_cb(uint64_t seq, void *arg)
{
	struct outbox	*ob = arg;

	if (seq < ob->inflight || ob->inflight == 0)
		return;
	/* Delivered: forgotten for good, before the next goes. */
	ob->stats.delivered++;
	if (store_begin(ob->store) == -1 ||
	    store_outbox_ack(ob->store, ob->name, seq) == -1 ||
	    outbox_save(ob) == -1 || store_commit(ob->store) == -1)
		fatalx("%s", store_error(ob->store));
	ob->acked = seq;
	ob->inflight = 0;
	if (ob->depth > 0)
		ob->depth--;
	outbox_pump(ob);
}

static void
outbox_state_cb(int up, const char *why, void *arg)
{
	struct outbox	*ob = arg;

	if (up) {
		log_info("output %s: connected", ob->name);
		outbox_pump(ob);
		return;
	}
	/* What was in flight goes again once the receiver is back. */
	ob->inflight = 0;
	ob->stats.disconnects++;
	ob->stats.send_failures++;
	log_warnx("output %s: %s", ob->name, why);
}

/* Makes the sink of output o on base and starts delivery; 0 or -1. */
int
outbox_start(struct outbox *ob, struct event_base *base,
    const struct conf_output *o)
{
	char	err[256];

	ob->sink = sink_new(base, o, outbox_ack_cb, outbox_state_cb, ob, err,
	    sizeof(err));
	if (ob->sink == NULL) {
		log_warnx("output %s: %s", ob->name, err);
		return (-1);
	}
	/* Everything queued before a restart is after the last ack. */
	ob->acked = 0;
	outbox_pump(ob);
	return (0);
}

void
outbox_free(struct outbox *ob)
{
	if (ob == NULL)
		return;
	if (ob->sink != NULL)
		sink_free(ob->sink);
	free(ob->name);
	free(ob);
}
