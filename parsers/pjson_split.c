/*
 * pjson_split.c: cuts a JSON byte stream into its top-level values.
 *
 * The splitter does not parse values: it only follows strings, escapes
 * and nesting.  That one loop reads Winlogbeat's NDJSON, concatenated
 * objects and PowerShell's ConvertTo-Json arrays (whose elements it hands
 * over one by one, so a 2 GB array never sits in memory), in UTF-8 or
 * UTF-16.  When the stream is line-delimited, a line that ends inside a
 * value is reported and dropped, and the next line starts afresh: one
 * broken line loses one event.  Each value goes to struct pjson (pjson.c).
 */

#include <stdlib.h>
#include <string.h>

#include "parsers.h"

#define PJSON_SPLIT_CHUNK (64 * 1024)	/* bytes scanned before compacting */

struct pjson_split {
	pjson_value_cb	 cb;
	rec_err_cb	 ecb;
	void		*arg;
	size_t		 maxvalue;

	struct putf	 utf;
	struct pbuf	 buf;		/* UTF-8 text not yet handed over */
	uint64_t	 base;		/* text offset of buf.buf[0] */
	size_t		 scan;		/* next byte of buf to look at */

	int		 invalue;
	int		 skipping;	/* value too long: drop until its end */
	size_t		 vstart;	/* in buf */
	uint64_t	 voff;		/* text offset of the value */
	int		 depth;		/* nesting within the value */
	int		 instring;
	int		 escape;
	int		 rawline;	/* a line that opens with no JSON */
	int		 array;		/* inside a top-level array */
	int		 lines;		/* the stream is line-delimited */
	int		 whole;		/* so said: lines cut, not scanned */
	int		 decided;	/* lines decided from the first value */
	int		 linestart;	/* the value began a line */

	uint64_t	 values;
	int		 failed;
	char		 errbuf[160];
	uint64_t	 erroff;
};

struct pjson_split *
pjson_split_new(size_t maxvalue, pjson_value_cb cb, rec_err_cb ecb,
    void *arg)
{
	struct pjson_split	*s;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		return (NULL);
	s->maxvalue = maxvalue;
	s->cb = cb;
	s->ecb = ecb;
	s->arg = arg;
	s->linestart = 1;
	putf_init(&s->utf);
	return (s);
}

/*
 * Says the stream holds one value a line before any is seen, rather than
 * deciding it from the first value: a broken first line then loses that
 * line alone instead of swallowing the lines after it.  Lines are then
 * cut at their ends and handed over whole (pjson_split_scan_lines).
 */
void
pjson_split_lines(struct pjson_split *s)
{
	s->lines = s->decided = s->whole = 1;
}

/* The file offset of a text offset: exact for ASCII text. */
static uint64_t
pjson_split_fileoff(const struct pjson_split *s, uint64_t off)
{
	return (off * putf_width(&s->utf) + s->utf.bom);
}

static void
pjson_split_item_error(struct pjson_split *s, uint64_t off, const char *why)
{
	if (s->ecb != NULL)
		s->ecb(pjson_split_fileoff(s, off), why, s->arg);
}

static void
pjson_split_fail(struct pjson_split *s, uint64_t off, const char *why)
{
	if (s->failed)
		return;
	s->failed = 1;
	s->erroff = pjson_split_fileoff(s, off);
	strncpy(s->errbuf, why, sizeof(s->errbuf) - 1);
}

/* A value ended at buf[end - 1]: hand it over and forget it. */
static int
pjson_split_emit(struct pjson_split *s, size_t end)
{
	s->invalue = 0;
	s->values++;
	if (s->skipping) {
		s->skipping = 0;
		return (0);
	}
	if (!s->decided) {
		s->decided = 1;
		s->lines = s->linestart && !s->array &&
		    memchr(s->buf.buf + s->vstart, '\n', end - s->vstart) ==
		    NULL;
	}
	s->linestart = 0;
	if (end - s->vstart > s->maxvalue) {
		pjson_split_item_error(s, s->voff, "JSON value too long");
		return (0);
	}
	if (s->cb(s->buf.buf + s->vstart, end - s->vstart,
	    pjson_split_fileoff(s, s->voff), s->arg) == -1) {
		pjson_split_fail(s, s->voff, "stopped by the record callback");
		return (-1);
	}
	return (0);
}

/* Starts a value at buf[i]. */
static void
pjson_split_begin(struct pjson_split *s, size_t i)
{
	s->invalue = 1;
	s->vstart = i;
	s->voff = s->base + i;
	s->depth = 0;
	s->instring = 0;
	s->escape = 0;
	s->rawline = 0;
}

/* A scalar outside any object ends at a delimiter. */
static int
pjson_split_scalar_end(int c)
{
	return (c == ',' || c == ']' || c == '}' || c == ' ' || c == '\t' ||
	    c == '\r' || c == '\n' || c == '[' || c == '{');
}

/*
 * Inside a string most bytes are plain: skips from i to the next byte
 * that matters (a quote, a backslash, a line end when lines are values)
 * with memchr, which is what makes this loop run at memory speed.
 */
static size_t
pjson_split_string(const struct pjson_split *s, size_t i)
{
	const char	*p = s->buf.buf + i, *end = s->buf.buf + s->buf.len;
	const char	*q, *b, *n;

	q = memchr(p, '"', (size_t)(end - p));
	if (q == NULL)
		q = end;
	b = memchr(p, '\\', (size_t)(q - p));
	if (b != NULL)
		q = b;
	if (s->lines && (n = memchr(p, '\n', (size_t)(q - p))) != NULL)
		q = n;
	return ((size_t)(q - s->buf.buf));
}

/*
 * A stream said to hold one value a line: each line is handed over whole,
 * found with one memchr and no look at the bytes between, and the value
 * parser says what is wrong with a bad one.  This is what lets a file of
 * short lines go at memory speed.  Blank lines are passed over.
 */
static int
pjson_split_scan_lines(struct pjson_split *s)
{
	const char	*nl;
	size_t		 i = s->scan;
	int		 c;

	while (i < s->buf.len && !s->failed) {
		if (!s->invalue) {
			c = (unsigned char)s->buf.buf[i];
			if (c == '\n' || c == '\r' || c == ' ' || c == '\t') {
				i++;
				continue;
			}
			pjson_split_begin(s, i);
		}
		if ((nl = memchr(s->buf.buf + i, '\n', s->buf.len - i)) ==
		    NULL) {
			i = s->buf.len;
			break;
		}
		i = (size_t)(nl - s->buf.buf);
		if (pjson_split_emit(s, i) == -1)
			return (-1);
		i++;
	}
	s->scan = i;
	return (s->failed ? -1 : 0);
}

/* Looks at every byte not yet seen; hands over each value completed. */
static int
pjson_split_scan(struct pjson_split *s)
{
	size_t	i;
	int	c;

	if (s->whole)
		return (pjson_split_scan_lines(s));
	for (i = s->scan; i < s->buf.len && !s->failed; i++) {
		c = (unsigned char)s->buf.buf[i];
		if (s->invalue) {
			if (s->instring) {
				if (s->escape)
					s->escape = 0;
				else if (c == '\\')
					s->escape = 1;
				else if (c == '"') {
					s->instring = 0;
					if (s->depth == 0 &&
					    pjson_split_emit(s, i + 1) == -1)
						return (-1);
				} else if (c == '\n' && s->lines) {
					pjson_split_item_error(s, s->voff,
					    "line ends inside a JSON string");
					s->invalue = s->skipping = 0;
				} else
					i = pjson_split_string(s, i) - 1;
				continue;
			}
			if (s->rawline) {
				/* The whole line is one (bad) value. */
				if (c == '\n') {
					if (pjson_split_emit(s, i) == -1)
						return (-1);
					s->linestart = 1;
				}
				continue;
			}
			if (s->depth == 0 && !s->instring &&
			    pjson_split_scalar_end(c)) {
				/* A bare scalar ended just before i. */
				if (pjson_split_emit(s, i) == -1)
					return (-1);
				i--;
				continue;
			}
			if (c == '"')
				s->instring = 1;
			else if (c == '{' || c == '[')
				s->depth++;
			else if (c == '}' || c == ']') {
				if (--s->depth == 0 &&
				    pjson_split_emit(s, i + 1) == -1)
					return (-1);
			} else if (c == '\n' && s->lines) {
				pjson_split_item_error(s, s->voff,
				    "line ends inside a JSON value");
				s->invalue = s->skipping = 0;
				s->linestart = 1;
			}
			continue;
		}
		/* Between values. */
		if (c == '\n') {
			s->linestart = 1;
			continue;
		}
		if (c == ' ' || c == '\t' || c == '\r' || c == ',')
			continue;
		if (c == '[' && !s->array && !s->lines) {
			s->array = 1;
			continue;
		}
		if (c == ']' && s->array) {
			s->array = 0;
			continue;
		}
		pjson_split_begin(s, i);
		if (c == '"')
			s->instring = 1;
		else if (c == '{' || c == '[')
			s->depth = 1;
		else if (c == '}' || c == ']') {
			pjson_split_item_error(s, s->voff,
			    "unbalanced closing bracket");
			s->invalue = 0;
		} else if (s->lines)
			s->rawline = 1;
	}
	s->scan = i;
	return (s->failed ? -1 : 0);
}

/* Drops what has been handed over; drops a value that grew too long. */
static void
pjson_split_compact(struct pjson_split *s)
{
	size_t	drop;

	if (s->invalue && !s->skipping && s->scan - s->vstart > s->maxvalue) {
		pjson_split_item_error(s, s->voff, "JSON value too long");
		s->skipping = 1;
	}
	drop = s->invalue && !s->skipping ? s->vstart : s->scan;
	if (drop == 0)
		return;
	pbuf_consume(&s->buf, drop);
	s->base += drop;
	s->scan -= drop;
	if (s->invalue)
		s->vstart = s->skipping ? 0 : s->vstart - drop;
}

int
pjson_split_push(struct pjson_split *s, const void *buf, size_t len)
{
	const char	*p = buf;
	size_t		 n;

	if (s->failed)
		return (-1);
	while (len > 0) {
		n = len < PJSON_SPLIT_CHUNK ? len : PJSON_SPLIT_CHUNK;
		if (putf_conv(&s->utf, p, n, &s->buf, s->maxvalue +
		    4 * PJSON_SPLIT_CHUNK) == -1) {
			pjson_split_fail(s, s->base, "out of memory");
			return (-1);
		}
		p += n;
		len -= n;
		if (pjson_split_scan(s) == -1)
			return (-1);
		pjson_split_compact(s);
	}
	return (0);
}

int
pjson_split_finish(struct pjson_split *s)
{
	if (s->failed)
		return (-1);
	if (putf_finish(&s->utf, &s->buf, s->maxvalue +
	    4 * PJSON_SPLIT_CHUNK) == -1 || pjson_split_scan(s) == -1)
		return (-1);
	if (s->invalue && s->depth == 0 && !s->instring) {
		if (pjson_split_emit(s, s->buf.len) == -1)
			return (-1);
	} else if (s->invalue) {
		pjson_split_item_error(s, s->voff, "truncated JSON value");
		s->invalue = 0;
	}
	return (0);
}

const char *
pjson_split_error(const struct pjson_split *s, uint64_t *offset)
{
	if (!s->failed)
		return (NULL);
	if (offset != NULL)
		*offset = s->erroff;
	return (s->errbuf);
}

uint64_t
pjson_split_values(const struct pjson_split *s)
{
	return (s->values);
}

void
pjson_split_free(struct pjson_split *s)
{
	if (s == NULL)
		return;
	pbuf_free(&s->buf);
	free(s);
}
