/*
 * input.c: one input file through one parser.  gzip is undone here, not
 * in the parsers, with a cap on how far a file may inflate (a small .gz
 * that expands without end is an attack, not a sync dump).  The format is
 * sniffed from the first bytes after inflation; then the file streams
 * through the parser in fixed chunks, so memory stays flat whatever the
 * file's size.  Offsets in error messages count uncompressed bytes.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zlib.h>

#include "daemon.h"
#include "xmalloc.h"

struct input {
	int		 fd;
	int		 gzip;
	int		 eof;
	z_stream	 z;
	unsigned char	*raw;		/* compressed bytes */
	uint64_t	 in;		/* bytes read from the file */
	uint64_t	 out;		/* bytes handed on */
	char		 reason[128];
};

static ssize_t
input_read_raw(struct input *in, void *buf, size_t len)
{
	ssize_t	n;

	do {
		n = read(in->fd, buf, len);
	} while (n == -1 && errno == EINTR);
	if (n == -1)
		snprintf(in->reason, sizeof(in->reason), "read: %s",
		    strerror(errno));
	else
		in->in += (uint64_t)n;
	return (n);
}

/*
 * Up to len uncompressed bytes into buf; 0 at the end, -1 on error (the
 * reason is in in->reason).  Concatenated gzip members are read as one
 * stream, as gzip(1) does.
 */
static ssize_t
input_read(struct input *in, unsigned char *buf, size_t len)
{
	ssize_t	n;
	int	rc;

	if (!in->gzip) {
		if ((n = input_read_raw(in, buf, len)) > 0)
			in->out += (uint64_t)n;
		return (n);
	}
	in->z.next_out = buf;
	in->z.avail_out = (uInt)len;
	while (in->z.avail_out == len && !in->eof) {
		if (in->z.avail_in == 0) {
			if ((n = input_read_raw(in, in->raw, INPUT_CHUNK)) == -1)
				return (-1);
			if (n == 0) {
				snprintf(in->reason, sizeof(in->reason),
				    "gzip: unexpected end of file");
				return (-1);
			}
			in->z.next_in = in->raw;
			in->z.avail_in = (uInt)n;
		}
		rc = inflate(&in->z, Z_NO_FLUSH);
		if (rc == Z_STREAM_END) {
			/* Another member may follow: look for it. */
			if (in->z.avail_in == 0) {
				n = input_read_raw(in, in->raw, INPUT_CHUNK);
				if (n == -1)
					return (-1);
				if (n == 0) {
					in->eof = 1;
					break;
				}
				in->z.next_in = in->raw;
				in->z.avail_in = (uInt)n;
			}
			inflateReset(&in->z);
		} else if (rc != Z_OK && rc != Z_BUF_ERROR) {
			snprintf(in->reason, sizeof(in->reason), "gzip: %s",
			    in->z.msg != NULL ? in->z.msg : "corrupt data");
			return (-1);
		}
	}
	n = (ssize_t)(len - in->z.avail_out);
	in->out += (uint64_t)n;
	if (in->out > INPUT_GZIP_FLOOR &&
	    in->out / INPUT_GZIP_RATIO > in->in) {
		snprintf(in->reason, sizeof(in->reason), "gzip: inflates more "
		    "than %d times its size, refused", INPUT_GZIP_RATIO);
		return (-1);
	}
	return (n);
}

static int
input_open(struct input *in, const char *path, char *reason, size_t rsz)
{
	unsigned char	magic[2];
	ssize_t		n;

	memset(in, 0, sizeof(*in));
	if ((in->fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		snprintf(reason, rsz, "%s", strerror(errno));
		return (-1);
	}
	n = pread(in->fd, magic, sizeof(magic), 0);
	if (n == 2 && magic[0] == 0x1f && magic[1] == 0x8b) {
		in->gzip = 1;
		in->raw = xmalloc(INPUT_CHUNK);
		/* 15 + 32: a gzip (or zlib) header, detected. */
		if (inflateInit2(&in->z, 15 + 32) != Z_OK) {
			snprintf(reason, rsz, "gzip: cannot initialise");
			free(in->raw);
			close(in->fd);
			return (-1);
		}
	}
	return (0);
}

static void
input_close(struct input *in)
{
	if (in->gzip) {
		inflateEnd(&in->z);
		free(in->raw);
	}
	close(in->fd);
}

/* Fills buf with up to len bytes, however many reads that takes. */
static ssize_t
input_fill(struct input *in, unsigned char *buf, size_t len)
{
	size_t	got = 0;
	ssize_t	n;

	while (got < len) {
		if ((n = input_read(in, buf + got, len - got)) == -1)
			return (-1);
		if (n == 0)
			break;
		got += (size_t)n;
	}
	return ((ssize_t)got);
}

/* A file on its way through its parser, a chunk at a time. */
struct input_stream {
	struct input	 in;
	struct parser	*ps;
	unsigned char	*buf;
	size_t		 len;		/* of buf, not yet pushed */
};

/* Fills res for a file that could not be read on. */
static void
input_stream_reject(struct input_stream *st, struct input_result *res)
{
	if (res->reason[0] == '\0')
		snprintf(res->reason, sizeof(res->reason), "%s",
		    st->in.reason);
	res->offset = st->in.out;
	res->status = INPUT_REJECTED;
}

struct input_stream *
input_stream_open(const char *path, rec_cb cb, rec_err_cb ecb, void *arg,
    struct input_result *res)
{
	struct input_stream	*st;
	const char		*base;
	ssize_t			 n;

	memset(res, 0, sizeof(*res));
	st = xcalloc(1, sizeof(*st));
	if (input_open(&st->in, path, res->reason, sizeof(res->reason)) ==
	    -1) {
		free(st);
		res->status = INPUT_REJECTED;
		return (NULL);
	}
	res->gzip = st->in.gzip;
	st->buf = xmalloc(INPUT_CHUNK);
	if ((n = input_fill(&st->in, st->buf, SNIFF_BYTES)) == -1) {
		input_stream_reject(st, res);
		goto fail;
	}
	st->len = (size_t)n;
	if ((res->fmt = sniff_format(st->buf, st->len)) ==
	    PARSER_FMT_UNKNOWN) {
		res->status = INPUT_UNKNOWN;
		snprintf(res->reason, sizeof(res->reason),
		    n == 0 ? "empty file" : "not a format syncorr reads");
		goto fail;
	}
	base = (base = strrchr(path, '/')) != NULL ? base + 1 : path;
	if ((st->ps = parser_new(res->fmt, base, cb, ecb, arg)) == NULL) {
		snprintf(res->reason, sizeof(res->reason), "out of memory");
		input_stream_reject(st, res);
		goto fail;
	}
	res->status = INPUT_OK;
	return (st);
fail:
	input_stream_close(st, res);
	return (NULL);
}

int
input_stream_step(struct input_stream *st, struct input_result *res)
{
	const char	*why;
	ssize_t		 n;
	uint64_t	 off;

	if (st->len == 0) {
		if ((n = input_read(&st->in, st->buf, INPUT_CHUNK)) == -1) {
			input_stream_reject(st, res);
			return (-1);
		}
		st->len = (size_t)n;
	}
	if (st->len > 0) {
		n = parser_push(st->ps, st->buf, st->len);
		st->len = 0;
		if (n == 0)
			return (1);
	} else if (parser_finish(st->ps) == 0)
		return (0);
	off = 0;
	why = parser_error(st->ps, &off);
	res->offset = off;
	snprintf(res->reason, sizeof(res->reason), "%s",
	    why != NULL ? why : "parse error");
	res->status = INPUT_REJECTED;
	return (-1);
}

void
input_stream_close(struct input_stream *st, struct input_result *res)
{
	if (st == NULL)
		return;
	if (st->ps != NULL) {
		res->stats = *parser_stats(st->ps);
		parser_free(st->ps);
	}
	free(st->buf);
	input_close(&st->in);
	free(st);
}

/* Reads path through the parser its first bytes call for. */
enum input_status
input_file(const char *path, rec_cb cb, rec_err_cb ecb, void *arg,
    struct input_result *res)
{
	struct input_stream	*st;

	if ((st = input_stream_open(path, cb, ecb, arg, res)) == NULL)
		return (res->status);
	while (input_stream_step(st, res) == 1)
		continue;
	input_stream_close(st, res);
	return (res->status);
}

/*
 * A dump is one observation: every errored object in it was seen when
 * the dump was taken, which its snapshot record carries (from the file
 * name, else the newest date-occurred).  The parser streams and cannot
 * know that time before the end when the name does not give it, so the
 * records of the file, v[0, n), are stamped here, once it is read whole.
 */
void
input_restamp(struct record **v, size_t n)
{
	const struct record	*snap = NULL;
	size_t			 i;

	for (i = 0; i < n; i++)
		if (v[i]->kind == REC_SNAPSHOT &&
		    v[i]->source == REC_SRC_CSEXPORT)
			snap = v[i];
	if (snap == NULL || snap->time == REC_TIME_NONE)
		return;
	for (i = 0; i < n; i++)
		if (v[i]->source == REC_SRC_CSEXPORT)
			v[i]->time = snap->time;
}

/* An item a parser rejected: said, up to INPUT_SAY_MAX a file. */
void
input_say_item(struct input_say *say, uint64_t offset, const char *reason)
{
	char	esc[1024], resc[512];

	if (++say->items <= INPUT_SAY_MAX)
		fprintf(stderr, "%s: at offset %llu: %s\n",
		    log_escape(say->path, esc, sizeof(esc)),
		    (unsigned long long)offset,
		    log_escape(reason, resc, sizeof(resc)));
}

/* The items not said, and what became of the file when it was not read. */
void
input_say_result(const struct input_say *say, const struct input_result *res)
{
	char	esc[1024];

	log_escape(say->path, esc, sizeof(esc));
	if (say->items > INPUT_SAY_MAX)
		fprintf(stderr, "%s: %llu more errors\n", esc,
		    (unsigned long long)(say->items - INPUT_SAY_MAX));
	switch (res->status) {
	case INPUT_UNKNOWN:
		fprintf(stderr, "%s: unknown: skipped: %s\n", esc,
		    res->reason);
		break;
	case INPUT_REJECTED:
		if (res->fmt == PARSER_FMT_UNKNOWN)
			fprintf(stderr, "%s: at offset %llu: %s\n", esc,
			    (unsigned long long)res->offset, res->reason);
		else
			fprintf(stderr, "%s: %s%s at offset %llu: %s\n", esc,
			    parser_format_name(res->fmt),
			    res->gzip ? " (gzip)" : "",
			    (unsigned long long)res->offset, res->reason);
		break;
	case INPUT_OK:
		break;
	}
}
