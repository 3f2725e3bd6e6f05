/*
 * pjson_scan.c: one JSON object or array read in a single pass, for a
 * format that knows the names of its members.  pjson_scan validates
 * strict JSON as it goes and hands out each member as a span of the
 * text: no tokens, no copies, no lookups by name afterwards.  This is
 * what makes the records format (one object a line, every line read
 * whole) cost little more than the bytes it reads; pjson.c stays the
 * reader for formats that walk paths through nested values.
 */

#include <stdint.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "parsers.h"

#define PJSON_SCAN_MAXDEPTH	256	/* as pjson.c: brackets open at once */
#define PJSON_SCAN_ONES		0x0101010101010101ULL
#define PJSON_SCAN_HIGHS	0x8080808080808080ULL

static const char *pjson_scan_value(const char *, const char *, int,
		     struct pjson_span *, const char **);

/* Past JSON's four blanks. */
static const char *
pjson_scan_ws(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' ||
	    *p == '\r'))
		p++;
	return (p);
}

/*
 * The bytes of w that end a run of plain string text, a quote, a
 * backslash or a control character, as their high bits: the usual
 * word-at-a-time tests (a zero byte after xor, a byte below 0x20).  A
 * borrow may mark a byte above a marked one, never one below, so the
 * lowest mark is exact.
 */
static uint64_t
pjson_scan_stop8(uint64_t w)
{
	uint64_t	q = w ^ (PJSON_SCAN_ONES * '"');
	uint64_t	b = w ^ (PJSON_SCAN_ONES * '\\');

	return ((((q - PJSON_SCAN_ONES) & ~q) | ((b - PJSON_SCAN_ONES) & ~b) |
	    ((w - PJSON_SCAN_ONES * 0x20) & ~w)) & PJSON_SCAN_HIGHS);
}

/*
 * Sixteen bytes a step where SSE2 is (every x86-64), then eight: the
 * first byte in memory is the lowest of a word only on a little-endian
 * machine, where the lowest mark tells which byte stopped the run.
 */
const char *
pjson_plain(const char *p, const char *end)
{
	uint64_t	w, m;
#ifdef __SSE2__
	const __m128i	quote = _mm_set1_epi8('"');
	const __m128i	bslash = _mm_set1_epi8('\\');
	const __m128i	ctl = _mm_set1_epi8(0x1f);
	__m128i		v;
	int		mask;

	for (; end - p >= 16; p += 16) {
		v = _mm_loadu_si128((const __m128i *)(const void *)p);
		/* Below 0x20 is where min(v, 0x1f) is v itself. */
		mask = _mm_movemask_epi8(_mm_or_si128(_mm_or_si128(
		    _mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, bslash)),
		    _mm_cmpeq_epi8(_mm_min_epu8(v, ctl), v)));
		if (mask != 0)
			return (p + __builtin_ctz((unsigned)mask));
	}
#endif

	while (end - p >= 8) {
		memcpy(&w, p, 8);
		if ((m = pjson_scan_stop8(w)) != 0) {
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && \
    __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
			return (p + (__builtin_ctzll(m) >> 3));
#else
			break;
#endif
		}
		p += 8;
	}
	while (p < end && (unsigned char)*p >= 0x20 && *p != '"' &&
	    *p != '\\')
		p++;
	return (p);
}

static int
pjson_scan_hex(int c)
{
	return ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
	    (c >= 'A' && c <= 'F'));
}

/*
 * The string opening at p (a quote): past its closing quote, or NULL.
 * Escapes must be JSON's; control characters must be escaped.
 */
static const char *
pjson_scan_string(const char *p, const char *end, struct pjson_span *v)
{
	const char	*s = ++p;
	int		 esc = 0;

	for (;;) {
		if ((p = pjson_plain(p, end)) >= end)
			return (NULL);
		if (*p == '"')
			break;
		if (*p != '\\')
			return (NULL);		/* a control character */
		esc = 1;
		if (++p >= end)
			return (NULL);
		switch (*p) {
		case '"': case '\\': case '/': case 'b': case 'f': case 'n':
		case 'r': case 't':
			p++;
			break;
		case 'u':
			if (end - p < 5 || !pjson_scan_hex(p[1]) ||
			    !pjson_scan_hex(p[2]) || !pjson_scan_hex(p[3]) ||
			    !pjson_scan_hex(p[4]))
				return (NULL);
			p += 5;
			break;
		default:
			return (NULL);
		}
	}
	if (v != NULL) {
		v->type = PJSON_STRING;
		v->text = s;
		v->len = (size_t)(p - s);
		v->escaped = esc;
	}
	return (p + 1);
}

static const char *
pjson_scan_digits(const char *p, const char *end)
{
	const char	*s = p;

	while (p < end && *p >= '0' && *p <= '9')
		p++;
	return (p > s ? p : NULL);
}

/* A number as JSON writes one: past it, or NULL. */
static const char *
pjson_scan_number(const char *p, const char *end)
{
	if (p < end && *p == '-')
		p++;
	if (p < end && *p == '0')
		p++;
	else if ((p = pjson_scan_digits(p, end)) == NULL)
		return (NULL);
	if (p < end && *p == '.' &&
	    (p = pjson_scan_digits(p + 1, end)) == NULL)
		return (NULL);
	if (p < end && (*p == 'e' || *p == 'E')) {
		p++;
		if (p < end && (*p == '+' || *p == '-'))
			p++;
		if ((p = pjson_scan_digits(p, end)) == NULL)
			return (NULL);
	}
	return (p);
}

/* true, false or null at p: past it, or NULL. */
static const char *
pjson_scan_word(const char *p, const char *end)
{
	static const char *const words[] = { "true", "false", "null" };
	size_t			 i, n;

	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		n = strlen(words[i]);
		if ((size_t)(end - p) >= n && memcmp(p, words[i], n) == 0)
			return (p + n);
	}
	return (NULL);
}

/*
 * The members or elements of the object or array opening at p, at depth
 * (its own): past its closing bracket, or NULL.
 */
static const char *
pjson_scan_nested(const char *p, const char *end, int depth,
    const char **why)
{
	struct pjson_iter	it;
	int			rc;

	if (depth > PJSON_SCAN_MAXDEPTH) {
		*why = "JSON nested more than 256 deep";
		return (NULL);
	}
	memset(&it, 0, sizeof(it));
	it.p = p + 1;
	it.end = end;
	it.depth = depth;
	it.close = *p == '{' ? '}' : ']';
	it.first = 1;
	while ((rc = pjson_iter_next(&it, NULL, NULL)) == 1)
		;
	if (rc == -1) {
		*why = it.why;
		return (NULL);
	}
	return (it.p);
}

/*
 * The value at p (blanks skipped before, not after), at the depth of the
 * container holding it: past it, or NULL with why set.
 */
static const char *
pjson_scan_value(const char *p, const char *end, int depth,
    struct pjson_span *v, const char **why)
{
	const char	*s = p, *e;

	*why = "not valid JSON";
	if (p >= end)
		return (NULL);
	switch (*p) {
	case '"':
		return (pjson_scan_string(p, end, v));
	case '{':
	case '[':
		if ((e = pjson_scan_nested(p, end, depth + 1, why)) == NULL)
			return (NULL);
		if (v != NULL)
			v->type = *s == '{' ? PJSON_OBJECT : PJSON_ARRAY;
		break;
	case 't':
	case 'f':
	case 'n':
		if ((e = pjson_scan_word(p, end)) == NULL)
			return (NULL);
		if (v != NULL)
			v->type = PJSON_PRIMITIVE;
		break;
	default:
		if ((e = pjson_scan_number(p, end)) == NULL)
			return (NULL);
		if (v != NULL)
			v->type = PJSON_PRIMITIVE;
		break;
	}
	if (v != NULL) {
		v->text = s;
		v->len = (size_t)(e - s);
		v->escaped = 0;
	}
	return (e);
}

enum pjson_type
pjson_scan(struct pjson_iter *it, const char *text, size_t len)
{
	struct pjson_span	 v;
	const char		*end = text + len, *p;

	memset(it, 0, sizeof(*it));
	it->end = end;
	p = pjson_scan_ws(text, end);
	if (p < end && (*p == '{' || *p == '[')) {
		it->p = p + 1;
		it->depth = 1;
		it->close = *p == '{' ? '}' : ']';
		it->first = 1;
		it->top = 1;
		return (*p == '{' ? PJSON_OBJECT : PJSON_ARRAY);
	}
	/* A lone string, number or word: whole, with blanks only after. */
	if ((p = pjson_scan_value(p, end, 0, &v, &it->why)) == NULL)
		return (PJSON_NONE);
	if (pjson_scan_ws(p, end) != end) {
		it->why = "not valid JSON";
		return (PJSON_NONE);
	}
	it->p = p;
	return (v.type);
}

void
pjson_iter_init(struct pjson_iter *it, const struct pjson_span *v)
{
	memset(it, 0, sizeof(*it));
	it->p = v->text + 1;
	it->end = v->text + v->len;
	it->depth = 1;
	it->close = v->text[0] == '{' ? '}' : ']';
	it->first = 1;
}

/* At the closing bracket p: done, with blanks only after a top value. */
static int
pjson_iter_close(struct pjson_iter *it, const char *p)
{
	it->p = p + 1;
	if (it->top && pjson_scan_ws(it->p, it->end) != it->end)
		return (-1);
	return (0);
}

int
pjson_iter_next(struct pjson_iter *it, struct pjson_span *name,
    struct pjson_span *value)
{
	const char	*p = pjson_scan_ws(it->p, it->end), *end = it->end;

	it->why = "not valid JSON";
	if (p >= end)
		return (-1);
	/* A close right after a comma: the value read below refuses it. */
	if (*p == it->close)
		return (pjson_iter_close(it, p));
	if (!it->first) {
		if (*p != ',')
			return (-1);
		p = pjson_scan_ws(p + 1, end);
	}
	it->first = 0;
	if (it->close == '}') {
		if (p >= end || *p != '"' ||
		    (p = pjson_scan_string(p, end, name)) == NULL)
			return (-1);
		p = pjson_scan_ws(p, end);
		if (p >= end || *p != ':')
			return (-1);
		p = pjson_scan_ws(p + 1, end);
	}
	if ((p = pjson_scan_value(p, end, it->depth, value, &it->why)) ==
	    NULL)
		return (-1);
	it->p = p;
	return (1);
}
