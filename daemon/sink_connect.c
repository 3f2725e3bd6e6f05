/*
 * sink_connect.c: how a sink reaches its receiver.  An attempt opens the
 * file or the unix socket (sink_dgram.c), or resolves the host and tries
 * its addresses in turn; a TCP connection is wrapped in a bufferevent,
 * with OpenSSL for TLS, whose callbacks say when it is up, drained or
 * gone.  The TLS client context is made here too, with the reason a CA,
 * certificate or key cannot be used.
 *
 * Host names are resolved with evdns, so a slow resolver never stalls the
 * loop; numeric addresses are converted on the spot.
 */

#include <sys/types.h>
#include <sys/socket.h>

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
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

#define SINK_CONNECT_TIMEOUT	10	/* s to resolve, connect, handshake */

static void	sink_connect_cb(evutil_socket_t, short, void *);

/* Why a TLS connection failed: the certificate check, else OpenSSL's. */
static void
sink_connect_tls_why(struct sink *sink, char *why, size_t size)
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
sink_connect_read_cb(struct bufferevent *bev, void *arg)
{
	struct evbuffer	*in = bufferevent_get_input(bev);

	(void)arg;
	evbuffer_drain(in, evbuffer_get_length(in));
}

/* The output buffer drained into the kernel: look for acks now. */
static void
sink_connect_write_cb(struct bufferevent *bev, void *arg)
{
	struct sink	*sink = arg;

	(void)bev;
	if (sink->state == SINK_UP && !TAILQ_EMPTY(&sink->msgs))
		sink_stream_poll(sink);
}

static void
sink_connect_event_cb(struct bufferevent *bev, short what, void *arg)
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
		sink_connect_tls_why(sink, why, sizeof(why));
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
sink_connect_stream_start(struct sink *sink)
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
	bufferevent_setcb(sink->bev, sink_connect_read_cb,
	    sink_connect_write_cb, sink_connect_event_cb, sink);
	bufferevent_enable(sink->bev, EV_READ | EV_WRITE);
	if (sink->transport == CONF_TRANSPORT_TCP)
		sink_up(sink, "connected to");
}

/* Names the address being tried, "127.0.0.1:514" or "[::1]:514". */
static void
sink_connect_peer(struct sink *sink, const struct sockaddr *sa, socklen_t salen)
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
sink_connect_try(struct sink *sink, const char *last)
{
	struct evutil_addrinfo	*ai;
	char			 why[SINK_WHY];
	int			 fd, on = 1;

	snprintf(why, sizeof(why), "%s", last);
	for (; (ai = sink->cur) != NULL; sink->cur = ai->ai_next) {
		sink_connect_peer(sink, ai->ai_addr, (socklen_t)ai->ai_addrlen);
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
		sink_connect_stream_start(sink);
		return;
	}
	snprintf(why, sizeof(why), "%s: %s", sink->peer, strerror(err));
	close(sink->fd);
	sink->fd = -1;
	sink->cur = sink->cur->ai_next;
	sink_connect_try(sink, why);
}

static void
sink_connect_free_cb(evutil_socket_t fd, short what, void *arg)
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
sink_connect_resolved_cb(int err, struct evutil_addrinfo *ai, void *arg)
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
			    sink_connect_free_cb, sink, &now);
		return;
	}
	sink->resolving = 0;
	if (err != 0) {
		sink_down(sink, "%s: %s", sink->host, evutil_gai_strerror(err));
		return;
	}
	sink->ai = sink->cur = ai;
	sink_connect_try(sink, "no address");
}

/* Looks up the configured address, asynchronously unless numeric. */
static void
sink_connect_resolve(struct sink *sink)
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
		sink_connect_resolved_cb(err, err == 0 ? ai : NULL, sink);
		return;
	}
	/* The answer may come at once, inside this call. */
	sink->nreq++;
	evdns_getaddrinfo(sink->dns, sink->host, sink->port, &hints,
	    sink_connect_resolved_cb, sink);
}

/* One attempt: open the file, connect the socket, or resolve first. */
void
sink_connect_attempt(struct sink *sink)
{
	sink->state = SINK_CONNECTING;
	sink_timer_add(sink->timer, SINK_CONNECT_TIMEOUT * 1000);
	switch (sink->transport) {
	case CONF_TRANSPORT_NONE:
		sink_dgram_file_open(sink);
		break;
	case CONF_TRANSPORT_UNIX:
		sink_dgram_unix_open(sink);
		break;
	default:
		sink_connect_resolve(sink);
		break;
	}
}

/* Whether path can be opened for reading; if not, why in err. */
static int
sink_connect_readable(const char *what, const char *path, char *err,
    size_t errsz)
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
sink_connect_ssl_reason(void)
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
SSL_CTX *
sink_connect_tls_ctx(const struct conf_output *o, char *err, size_t errsz)
{
	SSL_CTX	*ctx;

	if ((ctx = SSL_CTX_new(TLS_client_method())) == NULL)
		fatalx("SSL_CTX_new");
	SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
	SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
	/* libevent may retry a write from a moved buffer. */
	SSL_CTX_set_mode(ctx, SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
	if (o->ca != NULL) {
		if (!sink_connect_readable("ca", o->ca, err, errsz))
			goto fail;
		if (SSL_CTX_load_verify_locations(ctx, o->ca, NULL) != 1) {
			snprintf(err, errsz, "ca %s: %s", o->ca,
			    sink_connect_ssl_reason());
			goto fail;
		}
	} else if (SSL_CTX_set_default_verify_paths(ctx) != 1) {
		snprintf(err, errsz, "system CAs: %s",
		    sink_connect_ssl_reason());
		goto fail;
	}
	if (o->cert == NULL)
		return (ctx);
	if (!sink_connect_readable("cert", o->cert, err, errsz) ||
	    !sink_connect_readable("key", o->key, err, errsz))
		goto fail;
	if (SSL_CTX_use_certificate_chain_file(ctx, o->cert) != 1) {
		snprintf(err, errsz, "cert %s: %s", o->cert,
		    sink_connect_ssl_reason());
		goto fail;
	}
	if (SSL_CTX_use_PrivateKey_file(ctx, o->key, SSL_FILETYPE_PEM) != 1 ||
	    SSL_CTX_check_private_key(ctx) != 1) {
		snprintf(err, errsz, "key %s: %s", o->key,
		    sink_connect_ssl_reason());
		goto fail;
	}
	return (ctx);
fail:
	SSL_CTX_free(ctx);
	return (NULL);
}
