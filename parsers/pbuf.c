/*
 * pbuf.c: a growing byte buffer for the streaming parsers, which keep the
 * unfinished tail of their input (a line, a JSON value, a CSV row) between
 * pushes.  Every growth is checked against a caller's cap so that no
 * input, however hostile, makes a parser hold more than it said it would.
 */

#include <stdlib.h>
#include <string.h>

#include "parsers.h"

/* Appends len bytes, keeping a NUL after them; -1 past max or no memory. */
int
pbuf_add(struct pbuf *b, const void *p, size_t len, size_t max)
{
	size_t	 cap;
	char	*n;

	if (len > max || b->len > max - len)
		return (-1);
	if (b->len + len + 1 > b->cap) {
		cap = b->cap > 0 ? b->cap : 4096;
		while (cap < b->len + len + 1)
			cap *= 2;
		if ((n = realloc(b->buf, cap)) == NULL)
			return (-1);
		b->buf = n;
		b->cap = cap;
	}
	if (len > 0)
		memcpy(b->buf + b->len, p, len);
	b->len += len;
	b->buf[b->len] = '\0';
	return (0);
}

/* Drops the first n bytes (all of them when n passes the end). */
void
pbuf_consume(struct pbuf *b, size_t n)
{
	if (n >= b->len) {
		b->len = 0;
		if (b->buf != NULL)
			b->buf[0] = '\0';
		return;
	}
	memmove(b->buf, b->buf + n, b->len - n + 1);
	b->len -= n;
}

void
pbuf_free(struct pbuf *b)
{
	free(b->buf);
	memset(b, 0, sizeof(*b));
}
