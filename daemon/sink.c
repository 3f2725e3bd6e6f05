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
 * Host names are resolved with evdns, so a slow resolver never stalls the
 * loop; numeric addresses are converted on the spot.  Writes to a peer
 * that has gone can raise SIGPIPE: the program ignores it.
 */

#include <sys/types.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/sockios.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
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
#include <openssl/x509v3.h>

#include "daemon.h"
#include "xmalloc.h"

#define SINK_PORT_SYSLOG	514	/* udp and tcp, when port is 0 */
#define SINK_PORT_TLS		6514	/* RFC 5425 */
#define SINK_BACKOFF_MAX	60	/* seconds between attempts, at most */
#define SINK_STABLE		30	/* seconds up before backoff resets */
#define SINK_CONNECT_TIMEOUT	10	/* s to resolve, connect, handshake */
#define SINK_POLL_MIN		1	/* ms between acknowledgement polls */
#define SINK_POLL_MAX		256
#define SINK_DGRAM_MIN		480	/* a datagram is never cut below this */
#define SINK_WHY		2048

enum sink_state {
	SINK_DOWN = 0,		/* waiting for the next attempt */
	SINK_CONNECTING,	/* resolving, connecting, TLS handshake */
	SINK_UP
};

/* A message taken and not yet acknowledged. */
struct sink_msg {
	TAILQ_ENTRY(sink_msg)	 entry;
	uint64_t		 seq;
	uint64_t		 end;	/* offset after its bytes; UINT64_MAX:
					   a datagram not sent yet */
	size_t			 size;	/* its share of the backlog */
	size_t			 len;	/* datagram: bytes in data */
	char			 data[];
};
TAILQ_HEAD(sink_msgs, sink_msg);

struct sink {
	struct event_base	*base;
	enum conf_transport	 transport;	/* NONE: the file output */
	enum conf_framing	 framing;
	char			*host;		/* udp, tcp, tls */
	char			 port[8];
	int			 numeric;	/* host is an IP address */
	char			*path;		/* unix socket or file */
	SSL_CTX			*ctx;		/* tls */
	struct evdns_base	*dns;		/* host names only */
	sink_ack_cb		 ackcb;
	sink_state_cb		 statecb;
	void			*arg;

	enum sink_state		 state;
	int			 backoff;	/* seconds; 0: at once */
	int			 poll;		/* ms to the next ack poll */
	int			 reopen;	/* file: reopen at next flush */
	int			 resolving;	/* an attempt awaits evdns */
	int			 nreq;		/* evdns answers still due */
	int			 dead;		/* freed, waiting for nreq */
	struct evutil_addrinfo	*ai;
	struct evutil_addrinfo	*cur;		/* the address tried */
	char			 peer[NI_MAXHOST + 16];

	int			 fd;		/* connecting, dgram, file */
	struct bufferevent	*bev;		/* tcp, tls */
	struct event		*io;		/* fd writable */
	struct event		*timer;		/* retry, timeout, stable */
	struct event		*tick;		/* ack poll, file flush */
	struct evbuffer		*out;		/* file: lines to write */

	struct sink_msgs	 msgs;
	struct sink_msg		*unsent;	/* dgram: first not sent */
	uint64_t		 written;	/* bytes on this connection */
	uint64_t		 backlog;	/* bytes not acknowledged */
	size_t			 dgram_max;	/* 0: no cut learnt yet */
	struct sink_stats	 stats;
};

static void	sink_connect(struct sink *);
static void	sink_connect_cb(evutil_socket_t, short, void *);
static void	sink_down(struct sink *, const char *, ...)
		    __attribute__((__format__(__printf__, 2, 3)));

/* Arms timer ev to fire in ms milliseconds. */
static void
sink_timer_add(struct event *ev, int ms)
{
	struct timeval	tv;

	tv.tv_sec = ms / 1000;
	tv.tv_usec = (ms % 1000) * 1000;
	evtimer_add(ev, &tv);
}

/*
 * The longest prefix of s no longer than n that does not end inside a
 * UTF-8 sequence: s[n] must not be a continuation byte.  n < len(s).
 */
static size_t
sink_utf8_cut(const char *s, size_t n)
{
	while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	return (n);
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
static int
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
 * on its way is left to arrive; sink_resolved_cb drops it.
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
	sink->reopen = 0;
}

/*
 * The sink is down (an attempt failed or the connection ended): close,
 * wait a backoff of 1 s doubling to SINK_BACKOFF_MAX, half of it random
 * so that many sinks do not reconnect in step, and tell the caller why.
 */
static void
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
static void
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
		sink_connect(sink);
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
static void
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

/*
 * File output: writes the queued lines and syncs them; only then are they
 * delivered.  One sync covers every line taken in a loop turn.
 */
static void
sink_file_flush(struct sink *sink)
{
	const char	*what = "write";

	while (evbuffer_get_length(sink->out) > 0) {
		if (evbuffer_write(sink->out, sink->fd) == -1 && errno != EINTR)
			goto fail;
	}
	what = "fsync";
	if (fdatasync(sink->fd) == -1)
		goto fail;
	sink_acked(sink, sink->written);
	if (sink->reopen) {
		sink->reopen = 0;
		close(sink->fd);
		sink->fd = -1;
		sink_connect(sink);
	}
	return;
fail:
	sink->stats.send_failures++;
	sink_down(sink, "%s: %s: %s", sink->peer, what, strerror(errno));
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
		sink_file_flush(sink);
	else
		sink_stream_poll(sink);
}

/*
 * Opens the file output for appending.  A line left half written by a
 * failed write (a full disk) is ended first, so that every line stays
 * one JSON object.
 */
static void
sink_file_open(struct sink *sink)
{
	struct stat	 st;
	char		 c;

	/* Read access too: pread looks at the last byte. */
	sink->fd = open(sink->path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC |
	    O_NOCTTY | O_NONBLOCK, 0640);
	if (sink->fd == -1) {
		sink_down(sink, "%s: %s", sink->path, strerror(errno));
		return;
	}
	if (fstat(sink->fd, &st) == 0 && st.st_size > 0 &&
	    pread(sink->fd, &c, 1, st.st_size - 1) == 1 && c != '\n' &&
	    write(sink->fd, "\n", 1) != 1) {
		sink_down(sink, "%s: %s", sink->path, strerror(errno));
		return;
	}
	sink_up(sink, "opened");
}

/*
 * Sends the datagrams waiting, in order, until the socket is full.  One
 * too big for the socket is cut at a UTF-8 boundary and counted; the
 * size that fit is kept for the next ones.
 */
static void
sink_dgram_flush(struct sink *sink)
{
	struct sink_msg	*m;
	ssize_t		 n = 0;
	size_t		 len;
	int		 err = 0, retried = 0;

	while ((m = sink->unsent) != NULL) {
		len = m->len;
		if (sink->dgram_max != 0 && len > sink->dgram_max)
			len = sink_utf8_cut(m->data, sink->dgram_max);
		while ((n = send(sink->fd, m->data, len, MSG_NOSIGNAL)) == -1 &&
		    errno == EMSGSIZE && len > SINK_DGRAM_MIN)
			sink->dgram_max = len = sink_utf8_cut(m->data,
			    len - len / 4);
		/*
		 * UDP reports an ICMP port unreachable left by an earlier
		 * datagram on the next send, which did not go: count it and
		 * send this one again.
		 */
		if (n == -1 && errno == ECONNREFUSED && !retried &&
		    sink->transport == CONF_TRANSPORT_UDP) {
			sink->stats.send_failures++;
			retried = 1;
			continue;
		}
		if (n == -1) {
			err = errno;
			break;
		}
		retried = 0;
		if (len < m->len)
			sink->stats.truncated++;
		sink->stats.sent++;
		sink->stats.bytes += (uint64_t)n;
		sink->written += m->size;
		m->end = sink->written;
		sink->unsent = TAILQ_NEXT(m, entry);
	}
	if (err == EAGAIN || err == EWOULDBLOCK) {
		event_add(sink->io, NULL);
		err = 0;
	}
	sink_acked(sink, sink->written);
	if (err != 0) {
		sink->stats.send_failures++;
		sink_down(sink, "%s: %s", sink->peer, strerror(err));
	}
}

static void
sink_dgram_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	sink_dgram_flush(arg);
}

/* A connected datagram socket is up at once. */
static void
sink_dgram_start(struct sink *sink)
{
	sink->io = event_new(sink->base, sink->fd, EV_WRITE, sink_dgram_cb,
	    sink);
	if (sink->io == NULL)
		fatalx("event_new");
	sink_up(sink, "sending to");
}

/* Connects a datagram socket to the unix path (a missing one refuses). */
static void
sink_unix_open(struct sink *sink)
{
	struct sockaddr_un	 sun;
	int			 fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path, sink->path, strlen(sink->path) + 1);
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd == -1) {
		sink_down(sink, "%s: socket: %s", sink->path, strerror(errno));
		return;
	}
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		sink_down(sink, "%s: %s", sink->path, strerror(errno));
		close(fd);
		return;
	}
	sink->fd = fd;
	sink_dgram_start(sink);
}

/* Why a TLS connection failed: the certificate check, else OpenSSL's. */
static void
sink_tls_why(struct sink *sink, char *why, size_t size)
{
	SSL		*ssl = bufferevent_openssl_get_ssl(sink->bev);
	unsigned long	 e, first = 0;
	long		 v;
	int		 saved = EVUTIL_SOCKET_ERROR();

	while ((e = bufferevent_get_openssl_error(sink->bev)) != 0) {
		if (first == 0)
			first = e;
	}
	if (ssl != NULL && (v = SSL_get_verify_result(ssl)) != X509_V_OK)
		snprintf(why, size, "TLS verify failed: %s",
		    X509_verify_cert_error_string(v));
	else if (first != 0 && ERR_reason_error_string(first) != NULL)
		snprintf(why, size, "TLS: %s", ERR_reason_error_string(first));
	else if (first != 0)
		snprintf(why, size, "TLS: error %lx", first);
	else if (saved != 0)
		snprintf(why, size, "%s", strerror(saved));
	else
		snprintf(why, size, "peer closed");
}

/* A receiver never talks: whatever it sends is dropped. */
static void
sink_read_cb(struct bufferevent *bev, void *arg)
{
	struct evbuffer	*in = bufferevent_get_input(bev);

	(void)arg;
	evbuffer_drain(in, evbuffer_get_length(in));
}

/* The output buffer drained into the kernel: look for acks now. */
static void
sink_write_cb(struct bufferevent *bev, void *arg)
{
	struct sink	*sink = arg;

	(void)bev;
	if (sink->state == SINK_UP && !TAILQ_EMPTY(&sink->msgs))
		sink_stream_poll(sink);
}

static void
sink_event_cb(struct bufferevent *bev, short what, void *arg)
{
	struct sink	*sink = arg;
	char		 why[SINK_WHY];
	SSL		*ssl;

	if (what & BEV_EVENT_CONNECTED) {
		ssl = bufferevent_openssl_get_ssl(bev);
		snprintf(why, sizeof(why), "%s to",
		    ssl != NULL ? SSL_get_version(ssl) : "connected");
		sink_up(sink, why);
		return;
	}
	if (what & BEV_EVENT_EOF)
		snprintf(why, sizeof(why), "peer closed");
	else if (sink->transport == CONF_TRANSPORT_TLS)
		sink_tls_why(sink, why, sizeof(why));
	else
		snprintf(why, sizeof(why), "%s",
		    strerror(EVUTIL_SOCKET_ERROR()));
	if ((what & BEV_EVENT_WRITING) && sink->state == SINK_UP)
		sink->stats.send_failures++;
	sink_down(sink, "%s: %s", sink->peer, why);
}

/*
 * The TCP connection is made: wrap it in a bufferevent, with OpenSSL for
 * TLS.  The peer's certificate must chain to the CA and name the address
 * configured (a host name, or an IP address in its subjectAltName).
 */
static void
sink_stream_start(struct sink *sink)
{
	X509_VERIFY_PARAM	*param;
	SSL			*ssl;
	int			 fd = sink->fd;

	if (sink->transport == CONF_TRANSPORT_TLS) {
		if ((ssl = SSL_new(sink->ctx)) == NULL)
			fatalx("SSL_new");
		param = SSL_get0_param(ssl);
		X509_VERIFY_PARAM_set_hostflags(param,
		    X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
		if (sink->numeric)
			X509_VERIFY_PARAM_set1_ip_asc(param, sink->host);
		else {
			X509_VERIFY_PARAM_set1_host(param, sink->host, 0);
			SSL_set_tlsext_host_name(ssl, sink->host);
		}
		ERR_clear_error();
		sink->bev = bufferevent_openssl_socket_new(sink->base, fd, ssl,
		    BUFFEREVENT_SSL_CONNECTING, BEV_OPT_CLOSE_ON_FREE);
	} else
		sink->bev = bufferevent_socket_new(sink->base, fd,
		    BEV_OPT_CLOSE_ON_FREE);
	if (sink->bev == NULL)
		fatalx("bufferevent_socket_new");
	sink->fd = -1;
	bufferevent_setcb(sink->bev, sink_read_cb, sink_write_cb, sink_event_cb,
	    sink);
	bufferevent_enable(sink->bev, EV_READ | EV_WRITE);
	if (sink->transport == CONF_TRANSPORT_TCP)
		sink_up(sink, "connected to");
}

/* Names the address being tried, "127.0.0.1:514" or "[::1]:514". */
static void
sink_peer(struct sink *sink, const struct sockaddr *sa, socklen_t salen)
{
	char	host[NI_MAXHOST];

	if (getnameinfo(sa, salen, host, sizeof(host), NULL, 0,
	    NI_NUMERICHOST) != 0)
		snprintf(host, sizeof(host), "%s", sink->host);
	snprintf(sink->peer, sizeof(sink->peer),
	    sa->sa_family == AF_INET6 ? "[%s]:%s" : "%s:%s", host, sink->port);
}

/*
 * Tries the resolved addresses from sink->cur on; last says why the
 * previous one failed.  UDP is up once its socket is connected; TCP
 * waits for the connect to finish in sink_connect_cb.
 */
static void
sink_try(struct sink *sink, const char *last)
{
	struct evutil_addrinfo	*ai;
	char			 why[SINK_WHY];
	int			 fd, on = 1;

	snprintf(why, sizeof(why), "%s", last);
	for (; (ai = sink->cur) != NULL; sink->cur = ai->ai_next) {
		sink_peer(sink, ai->ai_addr, (socklen_t)ai->ai_addrlen);
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK |
		    SOCK_CLOEXEC, ai->ai_protocol);
		if (fd == -1) {
			snprintf(why, sizeof(why), "%s: socket: %s",
			    sink->peer, strerror(errno));
			continue;
		}
		if (ai->ai_socktype == SOCK_STREAM) {
			/* Nagle would hold an incident for an ack. */
			setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on,
			    sizeof(on));
			setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &on,
			    sizeof(on));
		}
		if (connect(fd, ai->ai_addr, (socklen_t)ai->ai_addrlen) == 0 ||
		    (errno == EINPROGRESS && ai->ai_socktype == SOCK_STREAM)) {
			sink->fd = fd;
			if (ai->ai_socktype == SOCK_DGRAM) {
				sink_dgram_start(sink);
				return;
			}
			sink->io = event_new(sink->base, fd, EV_WRITE,
			    sink_connect_cb, sink);
			if (sink->io == NULL)
				fatalx("event_new");
			event_add(sink->io, NULL);
			return;
		}
		snprintf(why, sizeof(why), "%s: %s", sink->peer,
		    strerror(errno));
		close(fd);
	}
	sink_down(sink, "%s", why);
}

/* The non-blocking connect finished, one way or the other. */
static void
sink_connect_cb(evutil_socket_t fd, short what, void *arg)
{
	struct sink	*sink = arg;
	char		 why[SINK_WHY];
	socklen_t	 len = sizeof(int);
	int		 err;

	(void)what;
	event_free(sink->io);
	sink->io = NULL;
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == -1)
		err = errno;
	if (err == 0) {
		sink_stream_start(sink);
		return;
	}
	snprintf(why, sizeof(why), "%s: %s", sink->peer, strerror(err));
	close(sink->fd);
	sink->fd = -1;
	sink->cur = sink->cur->ai_next;
	sink_try(sink, why);
}

static void
sink_free_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	sink_free(arg);
}

/*
 * The addresses of the host, from evdns or at once for a numeric one.
 * An answer that no attempt waits for any more (it timed out, or the
 * sink was freed) is dropped; a freed sink is released by the last one.
 */
static void
sink_resolved_cb(int err, struct evutil_addrinfo *ai, void *arg)
{
	struct sink	*sink = arg;
	struct timeval	 now = { 0, 0 };

	if (sink->dns != NULL)
		sink->nreq--;
	if (!sink->resolving) {
		if (ai != NULL)
			evutil_freeaddrinfo(ai);
		if (sink->dead && sink->nreq == 0)
			event_base_once(sink->base, -1, EV_TIMEOUT,
			    sink_free_cb, sink, &now);
		return;
	}
	sink->resolving = 0;
	if (err != 0) {
		sink_down(sink, "%s: %s", sink->host, evutil_gai_strerror(err));
		return;
	}
	sink->ai = sink->cur = ai;
	sink_try(sink, "no address");
}

/* Looks up the configured address, asynchronously unless numeric. */
static void
sink_resolve(struct sink *sink)
{
	struct evutil_addrinfo	 hints, *ai = NULL;
	int			 err;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	if (sink->transport == CONF_TRANSPORT_UDP) {
		hints.ai_socktype = SOCK_DGRAM;
		hints.ai_protocol = IPPROTO_UDP;
	} else {
		hints.ai_socktype = SOCK_STREAM;
		hints.ai_protocol = IPPROTO_TCP;
	}
	hints.ai_flags = EVUTIL_AI_NUMERICSERV;
	sink->resolving = 1;
	if (sink->dns == NULL) {
		hints.ai_flags |= EVUTIL_AI_NUMERICHOST;
		err = evutil_getaddrinfo(sink->host, sink->port, &hints, &ai);
		sink_resolved_cb(err, err == 0 ? ai : NULL, sink);
		return;
	}
	/* The answer may come at once, inside this call. */
	sink->nreq++;
	evdns_getaddrinfo(sink->dns, sink->host, sink->port, &hints,
	    sink_resolved_cb, sink);
}

/* One attempt: open the file, connect the socket, or resolve first. */
static void
sink_connect(struct sink *sink)
{
	sink->state = SINK_CONNECTING;
	sink_timer_add(sink->timer, SINK_CONNECT_TIMEOUT * 1000);
	switch (sink->transport) {
	case CONF_TRANSPORT_NONE:
		sink_file_open(sink);
		break;
	case CONF_TRANSPORT_UNIX:
		sink_unix_open(sink);
		break;
	default:
		sink_resolve(sink);
		break;
	}
}

/* Whether path can be opened for reading; if not, why in err. */
static int
sink_readable(const char *what, const char *path, char *err, size_t errsz)
{
	int	fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		snprintf(err, errsz, "%s %s: %s", what, path, strerror(errno));
		return (0);
	}
	close(fd);
	return (1);
}

/* OpenSSL's reason for the last failure, for a configuration error. */
static const char *
sink_ssl_reason(void)
{
	const char	*r = NULL;
	unsigned long	 e;

	if ((e = ERR_peek_last_error()) != 0)
		r = ERR_reason_error_string(e);
	ERR_clear_error();
	return (r != NULL ? r : "unusable");
}

/*
 * The TLS client context of a tls output: TLS 1.2 or later, the peer
 * verified against ca (the system's CAs when there is none), and the
 * client certificate when one is configured.
 */
static SSL_CTX *
sink_tls_ctx(const struct conf_output *o, char *err, size_t errsz)
{
	SSL_CTX	*ctx;

	if ((ctx = SSL_CTX_new(TLS_client_method())) == NULL)
		fatalx("SSL_CTX_new");
	SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
	SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
	/* libevent may retry a write from a moved buffer. */
	SSL_CTX_set_mode(ctx, SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
	if (o->ca != NULL) {
		if (!sink_readable("ca", o->ca, err, errsz))
			goto fail;
		if (SSL_CTX_load_verify_locations(ctx, o->ca, NULL) != 1) {
			snprintf(err, errsz, "ca %s: %s", o->ca,
			    sink_ssl_reason());
			goto fail;
		}
	} else if (SSL_CTX_set_default_verify_paths(ctx) != 1) {
		snprintf(err, errsz, "system CAs: %s", sink_ssl_reason());
		goto fail;
	}
	if (o->cert == NULL)
		return (ctx);
	if (!sink_readable("cert", o->cert, err, errsz) ||
	    !sink_readable("key", o->key, err, errsz))
		goto fail;
	if (SSL_CTX_use_certificate_chain_file(ctx, o->cert) != 1) {
		snprintf(err, errsz, "cert %s: %s", o->cert, sink_ssl_reason());
		goto fail;
	}
	if (SSL_CTX_use_PrivateKey_file(ctx, o->key, SSL_FILETYPE_PEM) != 1 ||
	    SSL_CTX_check_private_key(ctx) != 1) {
		snprintf(err, errsz, "key %s: %s", o->key, sink_ssl_reason());
		goto fail;
	}
	return (ctx);
fail:
	SSL_CTX_free(ctx);
	return (NULL);
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
	    (ctx = sink_tls_ctx(o, err, errsz)) == NULL)
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

/*
 * File output: after the lines taken so far are written and synced, the
 * file is closed and opened again (log rotation on SIGHUP).  A file that
 * is down is retried at once.  Other transports ignore it.
 */
void
sink_reopen(struct sink *sink)
{
	if (sink->transport != CONF_TRANSPORT_NONE)
		return;
	if (sink->state == SINK_UP) {
		sink->reopen = 1;
		sink_timer_add(sink->tick, 0);
	} else if (sink->state == SINK_DOWN)
		sink_timer_add(sink->timer, 0);
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
