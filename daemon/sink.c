/*
 * sink.c: one output's connection to its receiver, on the event loop.  A
 * sink takes messages one at a time from the caller's durable outbox,
 * frames them for its transport (unix or UDP datagrams, a TCP or TLS
 * stream with octet counting or LF framing, a JSON-lines file), writes
 * them without blocking, and says when they are delivered so that the
 * outbox can forget them.  A receiver that refuses, closes or fails TLS
 * makes the sink down; it reconnects by itself with backoff and the caller
 * resends what was not acknowledged: delivery is at-least-once.
 *
 * This file is the API, the framing, the acknowledgements and the up and
 * down states; sink_connect.c reaches the receiver and sink_dgram.c sends
 * datagrams and writes the file.  Writes to a peer that has gone can raise
 * SIGPIPE: the program ignores it.
 */

#include <sys/types.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <arpa/inet.h>
#include <linux/sockios.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <event2/dns.h>
#include <event2/event.h>
#include <event2/util.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include "daemon.h"
#include "xmalloc.h"

#define SINK_PORT_SYSLOG	514	/* udp and tcp, when port is 0 */
#define SINK_PORT_TLS		6514	/* RFC 5425 */
#define SINK_BACKOFF_MAX	60	/* seconds between attempts, at most */
#define SINK_STABLE		30	/* seconds up before backoff resets */
#define SINK_POLL_MIN		1	/* ms between acknowledgement polls */
#define SINK_POLL_MAX		256

/* Arms timer ev to fire in ms milliseconds. */
void
sink_timer_add(struct event *ev, int ms)
{
	struct timeval	tv;

	tv.tv_sec = ms / 1000;
	tv.tv_usec = (ms % 1000) * 1000;
	evtimer_add(ev, &tv);
}

/*
 * Appends msg to b framed for a stream: "LEN SP MSG" (RFC 6587 octet
 * counting) or "MSG LF".  LF framing cannot carry a newline, so one
 * inside the message becomes a space rather than a second message.
 */
static void
sink_frame(struct evbuffer *b, enum conf_framing framing, const char *msg,
    size_t len)
{
	const char	*nl;

	if (framing == CONF_FRAMING_OCTET) {
		evbuffer_add_printf(b, "%zu ", len);
		evbuffer_add(b, msg, len);
		return;
	}
	while ((nl = memchr(msg, '\n', len)) != NULL) {
		evbuffer_add(b, msg, (size_t)(nl - msg));
		evbuffer_add(b, " ", 1);
		len -= (size_t)(nl - msg) + 1;
		msg = nl + 1;
	}
	evbuffer_add(b, msg, len);
	evbuffer_add(b, "\n", 1);
}

/*
 * Forgets the messages whose bytes end at or before offset bytes of this
 * connection and tells the caller the last one.  Returns whether any was.
 */
int
sink_acked(struct sink *sink, uint64_t bytes)
{
	struct sink_msg	*m;
	uint64_t	 last = 0;
	int		 n = 0;

	while ((m = TAILQ_FIRST(&sink->msgs)) != NULL && m->end <= bytes) {
		TAILQ_REMOVE(&sink->msgs, m, entry);
		sink->backlog -= m->size;
		sink->stats.acked++;
		last = m->seq;
		free(m);
		n++;
	}
	if (n > 0)
		sink->ackcb(last, sink->arg);
	return (n > 0);
}

/*
 * Ends the connection or attempt: the messages not acknowledged are given
 * up (the caller resends them from its outbox).  An evdns answer still
 * on its way is left to arrive; sink_connect_resolved_cb drops it.
 */
static void
sink_close(struct sink *sink)
{
	struct sink_msg	*m;

	sink->resolving = 0;
	if (sink->ai != NULL) {
		evutil_freeaddrinfo(sink->ai);
		sink->ai = sink->cur = NULL;
	}
	if (sink->bev != NULL) {
		bufferevent_free(sink->bev);
		sink->bev = NULL;
	}
	if (sink->io != NULL) {
		event_free(sink->io);
		sink->io = NULL;
	}
	if (sink->fd != -1) {
		close(sink->fd);
		sink->fd = -1;
	}
	if (sink->tick != NULL)
		evtimer_del(sink->tick);
	if (sink->out != NULL)
		evbuffer_drain(sink->out, evbuffer_get_length(sink->out));
	while ((m = TAILQ_FIRST(&sink->msgs)) != NULL) {
		TAILQ_REMOVE(&sink->msgs, m, entry);
		sink->stats.given_up++;
		free(m);
	}
	sink->unsent = NULL;
	sink->written = sink->backlog = 0;
	sink->dgram_max = 0;
}

/*
 * The sink is down (an attempt failed or the connection ended): close,
 * wait a backoff of 1 s doubling to SINK_BACKOFF_MAX, half of it random
 * so that many sinks do not reconnect in step, and tell the caller why.
 */
void
sink_down(struct sink *sink, const char *fmt, ...)
{
	char		 why[SINK_WHY];
	va_list		 ap;
	uint32_t	 half;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);

	if (sink->state == SINK_CONNECTING)
		sink->stats.connect_failures++;
	sink_close(sink);
	sink->state = SINK_DOWN;
	sink->backoff = sink->backoff == 0 ? 1 :
	    (sink->backoff * 2 > SINK_BACKOFF_MAX ? SINK_BACKOFF_MAX :
	    sink->backoff * 2);
	half = (uint32_t)sink->backoff * 500;
	sink_timer_add(sink->timer, (int)(half + arc4random_uniform(half + 1)));
	sink->statecb(0, why, sink->arg);
}

/* The connection (or file) is usable: tell the caller. */
void
sink_up(struct sink *sink, const char *what)
{
	char	why[SINK_WHY];

	sink->state = SINK_UP;
	sink->stats.connects++;
	sink->poll = SINK_POLL_MIN;
	sink_timer_add(sink->timer, SINK_STABLE * 1000);
	snprintf(why, sizeof(why), "%s %s", what, sink->peer);
	sink->statecb(1, why, sink->arg);
}

/*
 * Retries when down; gives up an attempt that takes too long; resets the
 * backoff once a connection has stayed up SINK_STABLE seconds.
 */
static void
sink_timer_cb(evutil_socket_t fd, short what, void *arg)
{
	struct sink	*sink = arg;

	(void)fd;
	(void)what;
	switch (sink->state) {
	case SINK_DOWN:
		sink_connect_attempt(sink);
		break;
	case SINK_CONNECTING:
		sink_down(sink, "%s: connect timed out", sink->peer);
		break;
	case SINK_UP:
		sink->backoff = 0;
		break;
	}
}

/*
 * Acknowledgements of a stream.  The bytes given to the kernel are those
 * written minus those still in the bufferevent; SIOCOUTQ says how many of
 * them the peer's TCP has not acknowledged.  TLS adds record overhead, so
 * there the count is only exact when the queue is empty: then everything
 * handed to OpenSSL has arrived.  Polled from 1 ms, doubling while
 * nothing moves, so a slow receiver is not polled hard.
 *
 * A TCP acknowledgement is all a plain syslog receiver gives: bytes its
 * kernel took but it never read die with it.  Acknowledging on write
 * instead loses every message in flight when a receiver restarts (the
 * regress test sees it); this leaves only what sat unread in its socket.
 */
void
sink_stream_poll(struct sink *sink)
{
	uint64_t	 given;
	int		 q;

	given = sink->written -
	    evbuffer_get_length(bufferevent_get_output(sink->bev));
	if (ioctl(bufferevent_getfd(sink->bev), SIOCOUTQ, &q) == -1 || q < 0)
		q = -1;
	if (q != -1 && sink->transport == CONF_TRANSPORT_TLS)
		q = q == 0 ? 0 : -1;
	if (q != -1 && (uint64_t)q <= given && sink_acked(sink, given - q))
		sink->poll = SINK_POLL_MIN;
	else if (sink->poll < SINK_POLL_MAX)
		sink->poll *= 2;
	if (!TAILQ_EMPTY(&sink->msgs))
		sink_timer_add(sink->tick, sink->poll);
}

static void
sink_tick_cb(evutil_socket_t fd, short what, void *arg)
{
	struct sink	*sink = arg;

	(void)fd;
	(void)what;
	if (sink->state != SINK_UP)
		return;
	if (sink->transport == CONF_TRANSPORT_NONE)
		sink_dgram_file_flush(sink);
	else
		sink_stream_poll(sink);
}

/*
 * A sink for output o, connecting at the next turn of base's loop; NULL
 * with the reason in err when o cannot be used (no transport, a path too
 * long, an unreadable CA, certificate or key).  The sink copies what it
 * needs of o.  Free with sink_free.
 */
struct sink *
sink_new(struct event_base *base, const struct conf_output *o,
    sink_ack_cb ackcb, sink_state_cb statecb, void *arg, char *err,
    size_t errsz)
{
	struct sink		*sink;
	struct sockaddr_un	 sun;
	struct in6_addr		 in6;
	unsigned		 port;
	SSL_CTX			*ctx = NULL;

	if (o->file == NULL && o->transport == CONF_TRANSPORT_UNIX &&
	    (o->path == NULL || strlen(o->path) >= sizeof(sun.sun_path))) {
		snprintf(err, errsz, "output %s: unix path missing or too long",
		    o->name);
		return (NULL);
	}
	if (o->file == NULL && (o->transport == CONF_TRANSPORT_UDP ||
	    o->transport == CONF_TRANSPORT_TCP ||
	    o->transport == CONF_TRANSPORT_TLS) && o->address == NULL) {
		snprintf(err, errsz, "output %s: no address", o->name);
		return (NULL);
	}
	if (o->file == NULL && o->transport == CONF_TRANSPORT_NONE) {
		snprintf(err, errsz, "output %s: no transport", o->name);
		return (NULL);
	}
	if (o->file == NULL && o->transport == CONF_TRANSPORT_TLS &&
	    (ctx = sink_connect_tls_ctx(o, err, errsz)) == NULL)
		return (NULL);

	sink = xcalloc(1, sizeof(*sink));
	sink->base = base;
	sink->ackcb = ackcb;
	sink->statecb = statecb;
	sink->arg = arg;
	sink->framing = o->framing;
	sink->ctx = ctx;
	sink->fd = -1;
	TAILQ_INIT(&sink->msgs);
	if (o->file != NULL) {
		sink->transport = CONF_TRANSPORT_NONE;
		sink->path = xstrdup(o->file);
		if ((sink->out = evbuffer_new()) == NULL)
			fatalx("evbuffer_new");
		snprintf(sink->peer, sizeof(sink->peer), "%s", sink->path);
	} else if (o->transport == CONF_TRANSPORT_UNIX) {
		sink->transport = CONF_TRANSPORT_UNIX;
		sink->path = xstrdup(o->path);
		snprintf(sink->peer, sizeof(sink->peer), "%s", sink->path);
	} else {
		sink->transport = o->transport;
		sink->host = xstrdup(o->address);
		port = o->port;
		if (port == 0)
			port = o->transport == CONF_TRANSPORT_TLS ?
			    SINK_PORT_TLS : SINK_PORT_SYSLOG;
		snprintf(sink->port, sizeof(sink->port), "%u", port);
		snprintf(sink->peer, sizeof(sink->peer), "%s:%s", sink->host,
		    sink->port);
		sink->numeric = evutil_inet_pton(AF_INET, sink->host,
		    &in6) == 1 || evutil_inet_pton(AF_INET6, sink->host,
		    &in6) == 1;
		/* Inactive, evdns keeps no event: an idle loop sleeps. */
		if (!sink->numeric && (sink->dns = evdns_base_new(base,
		    EVDNS_BASE_INITIALIZE_NAMESERVERS |
		    EVDNS_BASE_DISABLE_WHEN_INACTIVE)) == NULL)
			fatalx("evdns_base_new");
	}
	sink->timer = evtimer_new(base, sink_timer_cb, sink);
	sink->tick = evtimer_new(base, sink_tick_cb, sink);
	if (sink->timer == NULL || sink->tick == NULL)
		fatalx("evtimer_new");
	sink_timer_add(sink->timer, 0);
	return (sink);
}

/*
 * Takes one message (no framing, no trailing newline) with its seq,
 * strictly increasing.  Returns 0 when taken, -1 when not now: the sink
 * is down or its backlog is full, and the caller retries after the next
 * ack or state callback.  Never calls a callback itself.
 */
int
sink_send(struct sink *sink, uint64_t seq, const char *msg, size_t len)
{
	struct sink_msg	*m;
	struct evbuffer	*b;
	size_t		 before;

	if (!sink_ready(sink))
		return (-1);
	if (sink->transport == CONF_TRANSPORT_UNIX ||
	    sink->transport == CONF_TRANSPORT_UDP) {
		m = xmalloc(sizeof(*m) + len);
		memcpy(m->data, msg, len);
		m->len = m->size = len;
		m->end = UINT64_MAX;
		if (sink->unsent == NULL)
			sink->unsent = m;
		if (!event_pending(sink->io, EV_WRITE, NULL))
			event_add(sink->io, NULL);
	} else {
		m = xmalloc(sizeof(*m));
		m->len = 0;
		b = sink->transport == CONF_TRANSPORT_NONE ? sink->out :
		    bufferevent_get_output(sink->bev);
		before = evbuffer_get_length(b);
		sink_frame(b, sink->transport == CONF_TRANSPORT_NONE ?
		    CONF_FRAMING_LF : sink->framing, msg, len);
		m->size = evbuffer_get_length(b) - before;
		sink->written += m->size;
		m->end = sink->written;
		sink->stats.sent++;
		sink->stats.bytes += m->size;
		if (sink->transport == CONF_TRANSPORT_NONE)
			sink_timer_add(sink->tick, 0);
		else if (!evtimer_pending(sink->tick, NULL))
			sink_timer_add(sink->tick, sink->poll);
	}
	m->seq = seq;
	sink->backlog += m->size;
	TAILQ_INSERT_TAIL(&sink->msgs, m, entry);
	return (0);
}

/* Whether sink_send would take a message now. */
int
sink_ready(const struct sink *sink)
{
	return (sink->state == SINK_UP && sink->backlog <= SINK_MAXBACKLOG);
}

/* The counters since sink_new (owned by the sink). */
const struct sink_stats *
sink_stats(const struct sink *sink)
{
	return (&sink->stats);
}

/*
 * Closes the connection; messages not acknowledged are forgotten.  No
 * callback runs from here on.  NULL is a no-op.
 */
void
sink_free(struct sink *sink)
{
	if (sink == NULL)
		return;
	/* A clean close: the receiver sees close_notify, not an error. */
	if (sink->transport == CONF_TRANSPORT_TLS && sink->state == SINK_UP &&
	    sink->bev != NULL) {
		SSL_shutdown(bufferevent_openssl_get_ssl(sink->bev));
		ERR_clear_error();
	}
	sink_close(sink);
	if (sink->timer != NULL) {
		event_free(sink->timer);
		event_free(sink->tick);
		sink->timer = sink->tick = NULL;
	}
	/*
	 * evdns cannot safely cancel a lookup and be freed at once: the
	 * struct and its evdns base wait for the answers still due.
	 */
	if (sink->nreq > 0) {
		sink->dead = 1;
		return;
	}
	if (sink->out != NULL)
		evbuffer_free(sink->out);
	if (sink->dns != NULL)
		evdns_base_free(sink->dns, 0);
	SSL_CTX_free(sink->ctx);
	free(sink->host);
	free(sink->path);
	free(sink);
}
