/*
 * tail.c: one input file as the daemon knows it from one visit to the
 * next.  Whole documents (a dump, run history, a JSON array, .evtx, a
 * mail, anything gzip'd) are read once they are complete, and once;
 * append-only files (NDJSON, root-less event XML, CSV, normalized
 * records) are read on from
 * the offset where the last visit stopped, up to the last complete item:
 * a line still being written waits for its end.
 *
 * A file is known again by its device and inode, a digest of its first
 * bytes and a digest of the bytes just before the saved offset.  That
 * tells apart the same file grown (go on), the same file cut short by
 * copytruncate (start again at 0; what was written between the last
 * visit and the cut is lost and counted), and another file under the old
 * name, whether rotated in by rename or an inode reused (start at 0).
 */

#include <sys/stat.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "daemon.h"
#include "xmalloc.h"

/* Whether files of format fmt are appended to (and tailed). */
int
tail_appended(enum parser_format fmt)
{
	switch (fmt) {
	case PARSER_FMT_EVENT_XML:
	case PARSER_FMT_EVENT_BEAT:
	case PARSER_FMT_EVENT_CSV:
	case PARSER_FMT_RUNPROFILE_CSV:
	case PARSER_FMT_CLOUD_CSV:
	case PARSER_FMT_RECORDS:
		return (1);
	default:
		return (0);
	}
}

/* The hex digest of buf[0, len) into out (TAIL_DIGESTLEN + 1 bytes). */
void
tail_digest(const void *buf, size_t len, char *out)
{
	static const char	 hex[] = "0123456789abcdef";
	unsigned char		 d[EVP_MAX_MD_SIZE];
	unsigned int		 dlen = 0, i;

	if (EVP_Digest(buf, len, d, &dlen, EVP_sha256(), NULL) != 1 ||
	    dlen * 2 < TAIL_DIGESTLEN)
		abort();
	for (i = 0; i < TAIL_DIGESTLEN / 2; i++) {
		out[i * 2] = hex[d[i] >> 4];
		out[i * 2 + 1] = hex[d[i] & 0xf];
	}
	out[TAIL_DIGESTLEN] = '\0';
}

/* Reads up to len bytes at off; how many, or -1. */
static ssize_t
tail_pread(int fd, void *buf, size_t len, uint64_t off)
{
	size_t	got = 0;
	ssize_t	n;

	while (got < len) {
		n = pread(fd, (char *)buf + got, len - got,
		    (off_t)(off + got));
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			return (-1);
		if (n == 0)
			break;
		got += (size_t)n;
	}
	return ((ssize_t)got);
}

/* The digest of len bytes at off into out; 0, or -1 when short. */
int
tail_digest_at(int fd, uint64_t off, size_t len, char *out)
{
	char	*buf;
	ssize_t	 n;

	buf = xmalloc(len > 0 ? len : 1);
	n = tail_pread(fd, buf, len, off);
	if (n == (ssize_t)len)
		tail_digest(buf, len, out);
	free(buf);
	return (n == (ssize_t)len ? 0 : -1);
}

/* How many bytes of the head and of the tail the digests cover. */
static size_t
tail_span(uint64_t upto)
{
	return (upto < TAIL_SPAN ? (size_t)upto : TAIL_SPAN);
}

/*
 * How to go on with the open file fd (stat st) that store knew as known
 * (NULL: never seen): into *from the offset to read on from.
 */
enum tail_verdict
tail_decide(int fd, const struct stat *st, const struct store_file *known,
    uint64_t *from)
{
	char	 digest[TAIL_DIGESTLEN + 1];
	size_t	 span;

	*from = 0;
	if (known == NULL || known->head == NULL)
		return (TAIL_NEW);
	if ((uint64_t)st->st_dev != known->dev ||
	    (uint64_t)st->st_ino != known->ino)
		return (TAIL_REPLACED);
	if ((uint64_t)st->st_size < known->offset)
		return (TAIL_TRUNCATED);
	/* The bytes it began with: not the same file if they changed. */
	span = tail_span(known->offset > 0 ? known->offset : known->size);
	if (span > (uint64_t)st->st_size)
		return (TAIL_TRUNCATED);
	if (span > 0 && (tail_digest_at(fd, 0, span, digest) == -1 ||
	    strncmp(digest, known->head, TAIL_DIGESTLEN) != 0))
		return (TAIL_TRUNCATED);
	span = tail_span(known->offset);
	if (span > 0 && known->tail != NULL &&
	    (tail_digest_at(fd, known->offset - span, span, digest) == -1 ||
	    strcmp(digest, known->tail) != 0))
		return (TAIL_TRUNCATED);
	*from = known->offset;
	return (TAIL_SAME);
}

/*
 * Records in f where a visit left fd: read up to offset, its head and
 * tail digests, its identity.
 */
void
tail_mark(int fd, const struct stat *st, uint64_t offset,
    struct store_file *f)
{
	char	digest[TAIL_DIGESTLEN + 1];
	size_t	span;

	f->dev = (uint64_t)st->st_dev;
	f->ino = (uint64_t)st->st_ino;
	f->size = (uint64_t)st->st_size;
	f->offset = offset;
	free(f->head);
	free(f->tail);
	f->head = f->tail = NULL;
	span = tail_span(offset > 0 ? offset : (uint64_t)st->st_size);
	if (tail_digest_at(fd, 0, span, digest) == 0)
		f->head = xstrdup(digest);
	span = tail_span(offset);
	if (span > 0 && tail_digest_at(fd, offset - span, span, digest) == 0)
		f->tail = xstrdup(digest);
}

/* The end of the last "</Event>" in buf, with the line end after it. */
static size_t
tail_cut_xml(const char *buf, size_t len)
{
	const char	*p, *last = NULL;
	size_t		 end;

	for (p = buf; (p = memmem(p, len - (size_t)(p - buf), "</Event>",
	    8)) != NULL; p += 8)
		last = p;
	if (last == NULL)
		return (0);
	end = (size_t)(last - buf) + 8;
	while (end < len && (buf[end] == '\r' || buf[end] == ' ' ||
	    buf[end] == '\t'))
		end++;
	if (end < len && buf[end] == '\n')
		end++;
	return (end);
}

/* The end of the last line ending outside a quoted CSV field. */
static size_t
tail_cut_csv(const char *buf, size_t len)
{
	size_t	i, end = 0;
	int	quoted = 0;

	for (i = 0; i < len; i++) {
		if (buf[i] == '"')
			quoted = !quoted;
		else if (buf[i] == '\n' && !quoted)
			end = i + 1;
	}
	return (end);
}

/*
 * How much of buf[0, len), appended to a file of format fmt, is whole
 * items: a line, an event, a CSV row.  What is past it waits.
 */
size_t
tail_cut(enum parser_format fmt, const char *buf, size_t len)
{
	const char	*nl;

	switch (fmt) {
	case PARSER_FMT_EVENT_XML:
		return (tail_cut_xml(buf, len));
	case PARSER_FMT_EVENT_CSV:
	case PARSER_FMT_RUNPROFILE_CSV:
	case PARSER_FMT_CLOUD_CSV:
		return (tail_cut_csv(buf, len));
	default:
		nl = memrchr(buf, '\n', len);
		return (nl != NULL ? (size_t)(nl - buf) + 1 : 0);
	}
}

/* The end of the line that starts at buf[from], or 0 if none. */
static size_t
tail_line_end(const char *buf, size_t from, size_t len)
{
	const char	*nl;

	if (from >= len || (nl = memchr(buf + from, '\n', len - from)) ==
	    NULL)
		return (0);
	return ((size_t)(nl - buf) + 1);
}

/*
 * The header of a CSV file (its #TYPE line too), which a parser reading
 * on from an offset needs first: its length in *len (0: not complete
 * yet), read into a buffer the caller frees.
 */
char *
tail_csv_header(int fd, size_t *len)
{
	char	*buf;
	ssize_t	 n;
	size_t	 end;

	buf = xmalloc(TAIL_HEADMAX);
	*len = 0;
	if ((n = tail_pread(fd, buf, TAIL_HEADMAX, 0)) <= 0)
		return (buf);
	end = tail_line_end(buf, 0, (size_t)n);
	if (end > 0 && buf[0] == '#')
		end = tail_line_end(buf, end, (size_t)n);
	*len = end;
	return (buf);
}
