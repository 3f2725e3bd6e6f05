/*
 * sinksend.c: drives daemon/sink.c for the regress scripts.  It reads a
 * configuration, takes one of its outputs and sends numbered messages (or
 * the lines of stdin) through a sink on an event loop, resending from the
 * first unacknowledged one after every reconnect as syncorrd's outbox
 * does.  It stops once all are acknowledged or at the deadline, and
 * prints the counts on stdout; state changes go to stderr.  -P prints a
 * free loopback port for a receiver to listen on.
 */

#include <sys/socket.h>

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include "daemon.h"
#include "xmalloc.h"

#define SINKSEND_TICK	10	/* ms between paced sends */

struct sinksend {
	struct event_base	*base;
	struct sink		*sink;
	char			**msgs;
	size_t			*lens;
	size_t			 n;
	size_t			 next;		/* index of the next to send */
	size_t			 acked;		/* all up to this seq are */
	uint64_t		 rate;		/* per second; 0: no pacing */
	struct timespec		 start;
	int			 stopdown;	/* stop when the sink is down */
};

static _Noreturn void
sinksend_usage(void)
{
	fprintf(stderr, "usage: sinksend [-ex] [-n count] [-o output] "
	    "[-r rate] [-t seconds] -f file\n"
	    "       sinksend -P tcp|tcp6|udp\n");
	exit(2);
}

/* Prints a port nothing listens on now: bind port 0, read it back. */
static int
sinksend_probe(const char *what)
{
	struct sockaddr_storage	 ss;
	struct sockaddr_in	*sin = (struct sockaddr_in *)&ss;
	struct sockaddr_in6	*sin6 = (struct sockaddr_in6 *)&ss;
	socklen_t		 len;
	int			 fd, v6 = strcmp(what, "tcp6") == 0;

	memset(&ss, 0, sizeof(ss));
	if (v6) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_addr = in6addr_loopback;
		len = sizeof(*sin6);
	} else {
		sin->sin_family = AF_INET;
		sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		len = sizeof(*sin);
	}
	fd = socket(ss.ss_family, strcmp(what, "udp") == 0 ? SOCK_DGRAM :
	    SOCK_STREAM, 0);
	if (fd == -1 || bind(fd, (struct sockaddr *)&ss, len) == -1 ||
	    getsockname(fd, (struct sockaddr *)&ss, &len) == -1) {
		fprintf(stderr, "sinksend: probe %s: %s\n", what,
		    strerror(errno));
		return (1);
	}
	printf("%u\n", ntohs(v6 ? sin6->sin6_port : sin->sin_port));
	close(fd);
	return (0);
}

/* Sends what the sink takes, up to what the pace allows so far. */
static void
sinksend_pump(struct sinksend *s)
{
	struct timespec	 now;
	uint64_t	 ms;
	size_t		 limit = s->n;

	if (s->rate != 0) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		ms = (uint64_t)(now.tv_sec - s->start.tv_sec) * 1000 +
		    (uint64_t)(now.tv_nsec / 1000000) -
		    (uint64_t)(s->start.tv_nsec / 1000000);
		if (ms * s->rate / 1000 + 1 < limit)
			limit = (size_t)(ms * s->rate / 1000 + 1);
	}
	while (s->next < limit &&
	    sink_send(s->sink, s->next + 1, s->msgs[s->next],
	    s->lens[s->next]) == 0)
		s->next++;
}

static void
sinksend_ack_cb(uint64_t seq, void *arg)
{
	struct sinksend	*s = arg;

	s->acked = (size_t)seq;
	if (s->acked == s->n)
		event_base_loopbreak(s->base);
	else
		sinksend_pump(s);
}

/* Down: whatever was not acknowledged goes again after the reconnect. */
static void
sinksend_state_cb(int up, const char *why, void *arg)
{
	struct sinksend	*s = arg;

	fprintf(stderr, "sinksend: %s: %s\n", up ? "up" : "down", why);
	if (up) {
		sinksend_pump(s);
		return;
	}
	s->next = s->acked;
	if (s->stopdown)
		event_base_loopbreak(s->base);
}

static void
sinksend_tick_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	sinksend_pump(arg);
}

/* The lines of stdin, newlines stripped, as the messages. */
static void
sinksend_stdin(struct sinksend *s)
{
	char	*buf = NULL, *p, *nl;
	size_t	 len = 0, cap = 0;
	ssize_t	 r;

	for (;;) {
		if (len == cap) {
			cap = cap == 0 ? 65536 : cap * 2;
			buf = xreallocarray(buf, cap, 1);
		}
		if ((r = read(STDIN_FILENO, buf + len, cap - len)) == 0)
			break;
		if (r == -1) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "sinksend: stdin: %s\n",
			    strerror(errno));
			exit(2);
		}
		len += (size_t)r;
	}
	for (p = buf; p < buf + len; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(buf + len - p))) == NULL)
			nl = buf + len;
		s->msgs = xreallocarray(s->msgs, s->n + 1, sizeof(*s->msgs));
		s->lens = xreallocarray(s->lens, s->n + 1, sizeof(*s->lens));
		s->msgs[s->n] = xstrndup(p, (size_t)(nl - p));
		s->lens[s->n++] = (size_t)(nl - p);
	}
	free(buf);
}

/* count numbered messages; forge puts a newline in each. */
static void
sinksend_numbered(struct sinksend *s, size_t count, int forge)
{
	size_t	i;

	s->msgs = xreallocarray(NULL, count, sizeof(*s->msgs));
	s->lens = xreallocarray(NULL, count, sizeof(*s->lens));
	for (i = 0; i < count; i++) {
		if (forge)
			s->lens[i] = (size_t)xasprintf(&s->msgs[i],
			    "<13>1 - - sinksend - - - msg %zu\nforged %zu",
			    i + 1, i + 1);
		else
			s->lens[i] = (size_t)xasprintf(&s->msgs[i],
			    "<13>1 - - sinksend - - - msg %zu", i + 1);
	}
	s->n = count;
}

int
main(int argc, char **argv)
{
	struct sinksend		 s;
	struct conf		*conf;
	struct conf_output	*o;
	const struct sink_stats	*st;
	struct event		*tick = NULL;
	struct timeval		 tv;
	const char		*file = NULL, *name = NULL, *note;
	char			 err[512];
	long long		 count = -1, secs = 30;
	int			 ch, forge = 0, rc = 2;
	size_t			 i;

	memset(&s, 0, sizeof(s));
	while ((ch = getopt(argc, argv, "ef:n:o:P:r:t:x")) != -1) {
		switch (ch) {
		case 'e':
			forge = 1;
			break;
		case 'f':
			file = optarg;
			break;
		case 'n':
			count = strtoll(optarg, NULL, 10);
			break;
		case 'o':
			name = optarg;
			break;
		case 'P':
			return (sinksend_probe(optarg));
		case 'r':
			s.rate = strtoull(optarg, NULL, 10);
			break;
		case 't':
			secs = strtoll(optarg, NULL, 10);
			break;
		case 'x':
			s.stopdown = 1;
			break;
		default:
			sinksend_usage();
		}
	}
	if (file == NULL || optind != argc || secs <= 0)
		sinksend_usage();
	signal(SIGPIPE, SIG_IGN);
	if (config_load(file, &conf) != 0)
		return (2);
	TAILQ_FOREACH(o, &conf->outputs, entry) {
		if (name == NULL || strcmp(o->name, name) == 0)
			break;
	}
	if (o == NULL) {
		fprintf(stderr, "sinksend: %s: no such output\n", file);
		conf_free(conf);
		return (2);
	}
	if (count >= 0)
		sinksend_numbered(&s, (size_t)count, forge);
	else
		sinksend_stdin(&s);

	if ((s.base = event_base_new()) == NULL)
		fatalx("event_base_new");
	s.sink = sink_new(s.base, o, sinksend_ack_cb, sinksend_state_cb, &s,
	    err, sizeof(err));
	if (s.sink == NULL) {
		fprintf(stderr, "sinksend: %s\n", err);
		goto done;
	}
	clock_gettime(CLOCK_MONOTONIC, &s.start);
	if (s.rate != 0) {
		tick = event_new(s.base, -1, EV_PERSIST, sinksend_tick_cb, &s);
		tv.tv_sec = 0;
		tv.tv_usec = SINKSEND_TICK * 1000;
		event_add(tick, &tv);
	}
	tv.tv_sec = (time_t)secs;
	tv.tv_usec = 0;
	event_base_loopexit(s.base, &tv);
	if (s.n > 0)
		event_base_dispatch(s.base);

	st = sink_stats(s.sink);
	note = s.acked == s.n ? "" : " (deadline or down)";
	printf("acked %zu/%zu sent %" PRIu64 " connects %" PRIu64
	    " connect-failures %" PRIu64 " send-failures %" PRIu64
	    " given-up %" PRIu64 " truncated %" PRIu64 "%s\n", s.acked, s.n,
	    st->sent, st->connects, st->connect_failures, st->send_failures,
	    st->given_up, st->truncated, note);
	rc = s.acked == s.n ? 0 : 1;
	sink_free(s.sink);
	if (tick != NULL)
		event_free(tick);
	/*
	 * A freed TLS bufferevent may still hold itself through a deferred
	 * callback; one turn of the loop runs it, so that event_base_free
	 * finalizes it instead of dropping the callback and the memory.
	 */
	event_base_loop(s.base, EVLOOP_NONBLOCK);
done:
	event_base_free(s.base);
	for (i = 0; i < s.n; i++)
		free(s.msgs[i]);
	free(s.msgs);
	free(s.lens);
	conf_free(conf);
	return (rc);
}
