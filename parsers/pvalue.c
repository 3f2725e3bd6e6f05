/*
 * pvalue.c: the small value forms every input shares: text with blanks
 * and line ends around it (csexport keeps the newline after
 * server-error-detail), and integers written in decimal or as 0x hex
 * (error codes appear both ways; csexport writes integer attributes in
 * hex).
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "parsers.h"

static int
pvalue_blank(char c)
{
	return (c == ' ' || c == '\t' || c == '\r' || c == '\n');
}

/* Narrows [*s, *s + *len) past blanks and line ends at both ends. */
void
pvalue_trim(const char **s, size_t *len)
{
	while (*len > 0 && pvalue_blank((*s)[0])) {
		(*s)++;
		(*len)--;
	}
	while (*len > 0 && pvalue_blank((*s)[*len - 1]))
		(*len)--;
}

/*
 * "8344", "0x2098", "-2146", " 0x1\n" (NUL terminated) → *v; 0, or -1
 * when s is not one whole number.
 */
int
pvalue_int(const char *s, int64_t *v)
{
	char	*end;
	size_t	 len = strlen(s);

	pvalue_trim(&s, &len);
	if (len == 0)
		return (-1);
	if (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		*v = (int64_t)strtoull(s + 2, &end, 16);
	else
		*v = strtoll(s, &end, 10);
	return (end == s + len ? 0 : -1);
}

/*
 * How many bytes from the start of s, eight at a time, need no folding:
 * no control byte, no DEL, no space at the start, none next to another.
 * In each word, a byte's top bit marks it as below 0x20, as 0x7f or as a
 * space, each test exact as no sum carries into the next byte.  Where a
 * word ends in a space, the byte after it must be text too.
 */
/* The top bit of each byte of w that equals c (exact: no carries). */
static uint64_t
pvalue_bytes_eq(uint64_t w, unsigned char c)
{
	const uint64_t	hi = 0x8080808080808080ULL, lo = ~hi;
	uint64_t	x = w ^ (0x0101010101010101ULL * c);

	return (~(((x & lo) + lo) | x) & hi);
}

static size_t
pvalue_folded(const char *s)
{
	const uint64_t	 hi = 0x8080808080808080ULL, lo = ~hi;
	const uint64_t	 one = 0x0101010101010101ULL;
	size_t		 len = strlen(s), i;
	uint64_t	 w, ctl, del, sp;
	unsigned char	 next;

	if (*s == ' ')
		return (0);
	for (i = 0; len - i >= 8; i += 8) {
		memcpy(&w, s + i, 8);
		ctl = ~((w & lo) + 0x60 * one) & ~w & hi;
		del = pvalue_bytes_eq(w, 0x7f);
		sp = pvalue_bytes_eq(w, ' ');
		if ((ctl | del | (sp & sp << 8)) != 0)
			break;
		next = (unsigned char)s[i + 8];
		if ((sp >> 56) != 0 && (next <= ' ' || next == 0x7f))
			break;
	}
	return (i);
}

/*
 * Folds, in place, every run of blanks and control characters in s into
 * one space, and drops them at the start: whatever a value held, it then
 * fits on one line.
 */
void
pvalue_fold(char *s)
{
	char		*r, *w;
	unsigned char	 c;
	int		 blank = 0;

	/* Most text is folded already: pass over it without writing. */
	r = s + pvalue_folded(s);
	for (; (c = (unsigned char)*r) != '\0'; r++) {
		if (c > ' ' && c != 0x7f)
			continue;
		if (c == ' ' && r != s && (unsigned char)r[1] > ' ' &&
		    r[1] != 0x7f)
			continue;
		break;
	}
	for (w = r; *r != '\0'; r++) {
		if ((unsigned char)*r <= ' ' || *r == 0x7f) {
			blank = 1;
			continue;
		}
		if (blank && w != s)
			*w++ = ' ';
		blank = 0;
		*w++ = *r;
	}
	*w = '\0';
}

/*
 * A JSON integer, the whole of [s, s + len), that an int64_t holds: 0,
 * or -1 (a fraction, an exponent, true, or a number out of range, which
 * strtoll would quietly clamp).  Digits are taken on the negative side,
 * which holds one more value than the positive.
 */
int
pvalue_int_exact(const char *s, size_t len, int64_t *v)
{
	const char	*end = s + len;
	int64_t		 n = 0;
	int		 neg, d;

	if ((neg = s < end && *s == '-'))
		s++;
	if (s == end)
		return (-1);
	for (; s < end; s++) {
		if (*s < '0' || *s > '9')
			return (-1);
		d = *s - '0';
		if (n < (INT64_MIN + d) / 10)
			return (-1);
		n = n * 10 - d;
	}
	if (!neg && n == INT64_MIN)
		return (-1);
	*v = neg ? n : -n;
	return (0);
}
