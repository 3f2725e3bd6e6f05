/*
 * sink_dgram.c: the outputs a sink writes without a stream.  Unix and UDP
 * datagrams carry one message each and are delivered once sent; one too
 * big for the socket is cut at a UTF-8 boundary rather than lost.  The
 * JSON-lines file is delivered once its lines are written and synced.
 */

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/event.h>

#include "daemon.h"

#define SINK_DGRAM_MIN		480	/* a datagram is never cut below this */

/*
 * The longest prefix of s no longer than n that does not end inside a
 * UTF-8 sequence: s[n] must not be a continuation byte.  n < len(s).
 */
static size_t
sink_dgram_utf8_cut(const char *s, size_t n)
{
	while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	return (n);
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
			len = sink_dgram_utf8_cut(m->data, sink->dgram_max);
		while ((n = send(sink->fd, m->data, len, MSG_NOSIGNAL)) == -1 &&
		    errno == EMSGSIZE && len > SINK_DGRAM_MIN)
			sink->dgram_max = len = sink_dgram_utf8_cut(m->data,
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
void
sink_dgram_start(struct sink *sink)
{
	sink->io = event_new(sink->base, sink->fd, EV_WRITE, sink_dgram_cb,
	    sink);
	if (sink->io == NULL)
		fatalx("event_new");
	sink_up(sink, "sending to");
}

/* Connects a datagram socket to the unix path (a missing one refuses). */
void
sink_dgram_unix_open(struct sink *sink)
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

/*
 * Opens the file output for appending.  A line left half written by a
 * failed write (a full disk) is ended first, so that every line stays
 * one JSON object.
 */
void
sink_dgram_file_open(struct sink *sink)
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
 * File output: writes the queued lines and syncs them; only then are they
 * delivered.  One sync covers every line taken in a loop turn.
 */
void
sink_dgram_file_flush(struct sink *sink)
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
	return;
fail:
	sink->stats.send_failures++;
	sink_down(sink, "%s: %s: %s", sink->peer, what, strerror(errno));
}
