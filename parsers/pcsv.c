/*
 * pcsv.c: a streaming reader for what PowerShell's Export-Csv writes: an
 * optional "#TYPE <type>" line, a header row, then data rows.  Every
 * field is normally quoted, quotes inside are doubled, and a Message
 * field carries raw CR LF line ends inside its quotes, so rows are found
 * by following quotes, not lines.  -UseCulture writes ';' in many locales;
 * the header line decides.  Columns are found by header name: PowerShell
 * versions order them differently.
 */

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "parsers.h"

#define PCSV_MAXFIELDS	1024
#define PCSV_CHUNK	(64 * 1024)

struct pcsv {
	pcsv_header_cb	 hcb;
	pcsv_row_cb	 cb;
	rec_err_cb	 ecb;
	void		*arg;
	size_t		 maxrow;

	struct putf	 utf;
	struct pbuf	 buf;		/* text of rows not yet complete */
	uint64_t	 base;		/* text offset of buf.buf[0] */
	size_t		 scan;		/* next byte to look at */
	int		 inquote;
	int		 skipping;	/* row too long: drop until its end */
	int		 delim;		/* 0 until the header line is seen */
	int		 lines;		/* rows seen, #TYPE included */

	struct pbuf	 field;		/* the current row's fields */
	char		*fields[PCSV_MAXFIELDS];
	char		*type;
	char		**header;
	size_t		 nheader;

	int		 failed;
	char		 errbuf[160];
	uint64_t	 erroff;
};

struct pcsv *
pcsv_new(size_t maxrow, pcsv_header_cb hcb, pcsv_row_cb cb, rec_err_cb ecb,
    void *arg)
{
	struct pcsv	*c;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return (NULL);
	c->maxrow = maxrow;
	c->hcb = hcb;
	c->cb = cb;
	c->ecb = ecb;
	c->arg = arg;
	putf_init(&c->utf);
	return (c);
}

/* The file offset of a text offset: exact for ASCII text. */
static uint64_t
pcsv_fileoff(const struct pcsv *c, uint64_t off)
{
	return (off * putf_width(&c->utf) + c->utf.bom);
}

static void
pcsv_item_error(struct pcsv *c, uint64_t off, const char *why)
{
	if (c->ecb != NULL)
		c->ecb(pcsv_fileoff(c, off), why, c->arg);
}

static void
pcsv_fail(struct pcsv *c, uint64_t off, const char *why)
{
	if (c->failed)
		return;
	c->failed = 1;
	c->erroff = pcsv_fileoff(c, off);
	strncpy(c->errbuf, why, sizeof(c->errbuf) - 1);
}

/* ',' or ';', whichever the header line uses outside quotes. */
static int
pcsv_delim(const char *s, size_t len)
{
	size_t	i, comma = 0, semi = 0;
	int	q = 0;

	for (i = 0; i < len; i++) {
		if (s[i] == '"')
			q = !q;
		else if (!q && s[i] == ',')
			comma++;
		else if (!q && s[i] == ';')
			semi++;
	}
	return (semi > comma ? ';' : ',');
}

/*
 * Splits the row [s, s + len) into fields (unquoted, doubled quotes
 * undone) in c->field; returns their number, or -1 past PCSV_MAXFIELDS.
 */
static int
pcsv_split(struct pcsv *c, const char *s, size_t len)
{
	size_t	 i = 0, n = 0;
	char	*o;

	/* Unquoting never grows a field: the row plus one NUL a field. */
	if (c->field.cap < len + PCSV_MAXFIELDS + 1) {
		free(c->field.buf);
		c->field.cap = len + PCSV_MAXFIELDS + 1;
		if ((c->field.buf = malloc(c->field.cap)) == NULL) {
			c->field.cap = 0;
			return (-1);
		}
	}
	o = c->field.buf;
	for (;;) {
		if (n == PCSV_MAXFIELDS)
			return (-1);
		c->fields[n++] = o;
		if (i < len && s[i] == '"') {
			for (i++; i < len; i++) {
				if (s[i] == '"') {
					if (i + 1 < len && s[i + 1] == '"') {
						*o++ = '"';
						i++;
						continue;
					}
					i++;
					break;
				}
				*o++ = s[i];
			}
			/* Text after the closing quote is kept as it is. */
			while (i < len && s[i] != c->delim)
				*o++ = s[i++];
		} else {
			while (i < len && s[i] != c->delim)
				*o++ = s[i++];
		}
		*o++ = '\0';
		if (i >= len)
			break;
		i++;			/* the delimiter */
	}
	return ((int)n);
}

/* Keeps the header row's names and announces them. */
static int
pcsv_set_header(struct pcsv *c, int n, uint64_t off)
{
	int	i;

	if ((c->header = calloc((size_t)n, sizeof(*c->header))) == NULL) {
		pcsv_fail(c, off, "out of memory");
		return (-1);
	}
	c->nheader = (size_t)n;
	for (i = 0; i < n; i++)
		if ((c->header[i] = strdup(c->fields[i])) == NULL) {
			pcsv_fail(c, off, "out of memory");
			return (-1);
		}
	if (c->hcb != NULL && c->hcb(c->header, c->nheader,
	    pcsv_fileoff(c, off), c->arg) == -1) {
		pcsv_fail(c, off, "stopped by the header callback");
		return (-1);
	}
	return (0);
}

/* A whole row is [start, end) of buf (line end excluded). */
static int
pcsv_row(struct pcsv *c, size_t start, size_t end)
{
	const char	*s = c->buf.buf + start;
	size_t		 len = end - start;
	uint64_t	 off = c->base + start;
	int		 n;

	if (len > c->maxrow) {
		pcsv_item_error(c, off, "CSV row too long");
		return (0);
	}
	if (len > 0 && s[len - 1] == '\r')
		len--;
	if (len == 0)
		return (0);		/* blank line */
	if (c->lines++ == 0 && len >= 5 && memcmp(s, "#TYPE", 5) == 0) {
		s += 5;
		len -= 5;
		while (len > 0 && *s == ' ') {
			s++;
			len--;
		}
		if ((c->type = strndup(s, len)) == NULL)
			return (-1);
		return (0);
	}
	if (c->delim == 0)
		c->delim = pcsv_delim(s, len);
	if ((n = pcsv_split(c, s, len)) == -1) {
		pcsv_item_error(c, off, "CSV row with too many fields");
		return (0);
	}
	if (c->header == NULL)
		return (pcsv_set_header(c, n, off));
	if (c->cb(c->fields, (size_t)n, pcsv_fileoff(c, off), c->arg) == -1) {
		pcsv_fail(c, off, "stopped by the record callback");
		return (-1);
	}
	return (0);
}

/* Finds the rows completed in buf and hands them over. */
static int
pcsv_scan(struct pcsv *c)
{
	size_t	i, rstart = 0;

	for (i = c->scan; i < c->buf.len; i++) {
		if (c->buf.buf[i] == '"')
			c->inquote = !c->inquote;
		else if (c->buf.buf[i] == '\n' && !c->inquote) {
			if (c->skipping)
				c->skipping = 0;
			else if (pcsv_row(c, rstart, i) == -1)
				return (-1);
			rstart = i + 1;
		}
	}
	c->scan = i;
	if (rstart > 0) {
		pbuf_consume(&c->buf, rstart);
		c->base += rstart;
		c->scan -= rstart;
	}
	if (c->scan > c->maxrow && !c->skipping) {
		pcsv_item_error(c, c->base, "CSV row too long");
		c->skipping = 1;
	}
	if (c->skipping) {
		c->base += c->buf.len;
		pbuf_consume(&c->buf, c->buf.len);
		c->scan = 0;
	}
	return (0);
}

int
pcsv_push(struct pcsv *c, const void *buf, size_t len)
{
	const char	*p = buf;
	size_t		 n;

	if (c->failed)
		return (-1);
	while (len > 0) {
		n = len < PCSV_CHUNK ? len : PCSV_CHUNK;
		if (putf_conv(&c->utf, p, n, &c->buf, c->maxrow +
		    4 * PCSV_CHUNK) == -1) {
			pcsv_fail(c, c->base, "out of memory");
			return (-1);
		}
		p += n;
		len -= n;
		if (pcsv_scan(c) == -1) {
			pcsv_fail(c, c->base, "out of memory");
			return (-1);
		}
	}
	return (0);
}

int
pcsv_finish(struct pcsv *c)
{
	if (c->failed)
		return (-1);
	if (putf_finish(&c->utf, &c->buf, c->maxrow + 4 * PCSV_CHUNK) == -1 ||
	    pcsv_scan(c) == -1) {
		pcsv_fail(c, c->base, "out of memory");
		return (-1);
	}
	if (c->skipping || c->buf.len == 0)
		return (0);
	if (c->inquote) {
		pcsv_item_error(c, c->base, "unterminated quoted CSV field");
		return (0);
	}
	/* A last row without a line end. */
	return (pcsv_row(c, 0, c->buf.len));
}

const char *
pcsv_error(const struct pcsv *c, uint64_t *offset)
{
	if (!c->failed)
		return (NULL);
	if (offset != NULL)
		*offset = c->erroff;
	return (c->errbuf);
}

const char *
pcsv_type(const struct pcsv *c)
{
	return (c->type);
}

size_t
pcsv_header(const struct pcsv *c, char ***names)
{
	*names = c->header;
	return (c->nheader);
}

int
pcsv_col(const struct pcsv *c, const char *name)
{
	size_t	i;

	for (i = 0; i < c->nheader; i++)
		if (strcasecmp(c->header[i], name) == 0)
			return ((int)i);
	return (-1);
}

void
pcsv_free(struct pcsv *c)
{
	size_t	i;

	if (c == NULL)
		return;
	for (i = 0; i < c->nheader; i++)
		free(c->header[i]);
	free(c->header);
	free(c->type);
	pbuf_free(&c->buf);
	pbuf_free(&c->field);
	free(c);
}
