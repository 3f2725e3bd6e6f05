/*
 * putf.c: the text encodings Windows tools write, turned into UTF-8 as the
 * bytes stream in.  Windows PowerShell 5.1's Out-File and ">" write UTF-16
 * LE with a BOM; other tools write UTF-8 with or without a BOM.  libxml2
 * does this itself for XML; the JSON and CSV readers come through here.
 * Unpaired surrogates become U+FFFD and are counted rather than failing a
 * whole file over one bad character.
 */

#include <string.h>

#include "parsers.h"

#define PUTF_REPLACEMENT	0xfffd

void
putf_init(struct putf *u)
{
	memset(u, 0, sizeof(*u));
}

/* Decides the encoding from the first two bytes; 0 while undecided. */
static int
putf_detect(struct putf *u, const unsigned char *b, size_t len,
    size_t *skip)
{
	*skip = 0;
	if (len >= 2 && b[0] == 0xff && b[1] == 0xfe) {
		*skip = 2;
		return (PUTF_UTF16LE);
	}
	if (len >= 2 && b[0] == 0xfe && b[1] == 0xff) {
		*skip = 2;
		return (PUTF_UTF16BE);
	}
	if (len >= 3 && b[0] == 0xef && b[1] == 0xbb && b[2] == 0xbf) {
		*skip = 3;
		return (PUTF_UTF8);
	}
	if (len < 2 || (len < 3 && b[0] == 0xef))
		return (0);		/* a BOM may still be coming */
	if (len >= 2 && b[0] != 0 && b[1] == 0)
		return (PUTF_UTF16LE);	/* "{\0" or "\"\0": no BOM */
	if (len >= 2 && b[0] == 0 && b[1] != 0)
		return (PUTF_UTF16BE);
	(void)u;
	return (PUTF_UTF8);
}

/* One code point as UTF-8 into out; returns its length. */
static size_t
putf_encode(uint32_t c, unsigned char *out)
{
	if (c < 0x80) {
		out[0] = (unsigned char)c;
		return (1);
	}
	if (c < 0x800) {
		out[0] = (unsigned char)(0xc0 | c >> 6);
		out[1] = (unsigned char)(0x80 | (c & 0x3f));
		return (2);
	}
	if (c < 0x10000) {
		out[0] = (unsigned char)(0xe0 | c >> 12);
		out[1] = (unsigned char)(0x80 | (c >> 6 & 0x3f));
		out[2] = (unsigned char)(0x80 | (c & 0x3f));
		return (3);
	}
	out[0] = (unsigned char)(0xf0 | c >> 18);
	out[1] = (unsigned char)(0x80 | (c >> 12 & 0x3f));
	out[2] = (unsigned char)(0x80 | (c >> 6 & 0x3f));
	out[3] = (unsigned char)(0x80 | (c & 0x3f));
	return (4);
}

/* Converts whole UTF-16 units of b into out; the odd byte is kept. */
static int
putf_utf16(struct putf *u, const unsigned char *b, size_t len,
    struct pbuf *out, size_t max)
{
	unsigned char	 tmp[4096 + 8];
	size_t		 i, n = 0;
	uint32_t	 c;
	int		 le = u->enc == PUTF_UTF16LE;

	for (i = 0; i + 1 < len; i += 2) {
		/* One unit writes at most 7 bytes (U+FFFD and a BMP char). */
		if (n >= 4096) {
			if (pbuf_add(out, tmp, n, max) == -1)
				return (-1);
			n = 0;
		}
		c = le ? (uint32_t)(b[i] | b[i + 1] << 8) :
		    (uint32_t)(b[i] << 8 | b[i + 1]);
		if (u->hi != 0) {
			if (c >= 0xdc00 && c <= 0xdfff) {
				c = 0x10000 + ((u->hi - 0xd800) << 10) +
				    (c - 0xdc00);
				u->hi = 0;
				n += putf_encode(c, tmp + n);
				continue;
			}
			u->hi = 0;
			u->bad++;
			n += putf_encode(PUTF_REPLACEMENT, tmp + n);
		}
		if (c >= 0xd800 && c <= 0xdbff) {
			u->hi = c;
			continue;
		}
		if (c >= 0xdc00 && c <= 0xdfff) {
			u->bad++;
			c = PUTF_REPLACEMENT;
		}
		n += putf_encode(c, tmp + n);
	}
	if (n > 0 && pbuf_add(out, tmp, n, max) == -1)
		return (-1);
	u->npend = len - i;
	if (u->npend > 0)
		u->pend[0] = b[i];
	return (0);
}

/* Appends decided-encoding bytes to out. */
static int
putf_feed(struct putf *u, const unsigned char *b, size_t len,
    struct pbuf *out, size_t max)
{
	unsigned char	two[2];

	if (len == 0)
		return (0);
	if (u->enc == PUTF_UTF8)
		return (pbuf_add(out, b, len, max));
	if (u->npend == 1) {
		two[0] = u->pend[0];
		two[1] = b[0];
		u->npend = 0;
		if (putf_utf16(u, two, 2, out, max) == -1)
			return (-1);
		b++;
		len--;
	}
	return (putf_utf16(u, b, len, out, max));
}

/* Converts len bytes, appending UTF-8 to out; 0, or -1 past max bytes. */
int
putf_conv(struct putf *u, const void *in, size_t len, struct pbuf *out,
    size_t max)
{
	const unsigned char	*b = in;
	unsigned char		 head[sizeof(u->pend)];
	size_t			 skip, take, n;

	if (u->enc == 0) {
		/* The first bytes decide; hold them until there are enough. */
		take = sizeof(u->pend) - u->npend;
		if (take > len)
			take = len;
		memcpy(u->pend + u->npend, b, take);
		u->npend += take;
		b += take;
		len -= take;
		if ((u->enc = putf_detect(u, u->pend, u->npend, &skip)) == 0)
			return (0);
		u->bom = (unsigned)skip;
		n = u->npend - skip;
		memcpy(head, u->pend + skip, n);
		u->npend = 0;
		if (putf_feed(u, head, n, out, max) == -1)
			return (-1);
	}
	return (putf_feed(u, b, len, out, max));
}

/* Ends the input: bytes held undecided pass as UTF-8; 0 or -1. */
int
putf_finish(struct putf *u, struct pbuf *out, size_t max)
{
	size_t	n = u->npend;

	if (u->enc == 0) {
		u->enc = PUTF_UTF8;
		u->npend = 0;
		return (pbuf_add(out, u->pend, n, max));
	}
	if (u->hi != 0 || u->npend > 0) {
		/* A surrogate or half a unit at the end: U+FFFD, like others. */
		u->hi = 0;
		u->npend = 0;
		u->bad++;
		return (pbuf_add(out, "\xef\xbf\xbd", 3, max));
	}
	return (0);
}

/* Input bytes per output byte for ASCII text: 2 for UTF-16, else 1. */
unsigned
putf_width(const struct putf *u)
{
	return (u->enc == PUTF_UTF16LE || u->enc == PUTF_UTF16BE ? 2 : 1);
}
