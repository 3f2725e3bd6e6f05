/*
 * pjson.c: one JSON value, tokenized and read field by field.
 *
 * struct pjson tokenizes one value with jsmn (strict mode, parent links),
 * which allocates nothing per token, and reads fields from the tokens.
 * Strings are unescaped on demand into an arena sized at parse time, so a
 * field read costs nothing when it is not asked for and pointers stay
 * valid until the next parse.  The values come from pjson_split
 * (pjson_split.c), which cuts them out of a stream.
 */

#include <stdlib.h>
#include <string.h>

#define JSMN_STATIC
#define JSMN_STRICT
#define JSMN_PARENT_LINKS
#include <jsmn.h>

#include "parsers.h"

#define PJSON_MINTOKENS	256
#define PJSON_MAXTOKENS	(1U << 22)	/* 4M tokens: ~64 MB of value */
#define PJSON_MAXDEPTH	256		/* brackets open at once, at most */
#define PJSON_MAXDEPTH_S "256"
#define PJSON_SHALLOW	4096		/* shorter values cannot nest deep */

struct pjson {
	const char	*text;
	size_t		 len;
	jsmntok_t	*tok;
	unsigned	 ntok, captok;
	char		**str;		/* unescaped strings, by token */
	unsigned	 capstr;
	char		*arena;
	size_t		 arenalen, arenacap;
	const char	*why;		/* why the last value was refused */
};

struct pjson *
pjson_new(void)
{
	return (calloc(1, sizeof(struct pjson)));
}

void
pjson_free(struct pjson *j)
{
	if (j == NULL)
		return;
	free(j->tok);
	free(j->str);
	free(j->arena);
	free(j);
}

/* A bare number, true, false or null: jsmn wants a delimiter after it. */
static int
pjson_bare(struct pjson *j, const char *text, size_t len)
{
	size_t	s = 0, e = len, i;

	while (s < e && memchr(" \t\r\n", text[s], 4) != NULL)
		s++;
	while (e > s && memchr(" \t\r\n", text[e - 1], 4) != NULL)
		e--;
	if (s == e || memchr("-0123456789tfn", text[s], 14) == NULL)
		return (-1);
	for (i = s; i < e; i++)
		if (memchr("-+.0123456789eEtrufalsn", text[i], 23) == NULL)
			return (-1);
	j->tok[0].type = JSMN_PRIMITIVE;
	j->tok[0].start = (int)s;
	j->tok[0].end = (int)e;
	j->tok[0].size = 0;
	j->tok[0].parent = -1;
	j->ntok = 1;
	return (0);
}

/*
 * Whether a value long enough to hide deep nesting stays within
 * PJSON_MAXDEPTH: jsmn closes a bracket by walking up the brackets still
 * open, so a line of nothing but brackets costs the square of its length.
 */
static int
pjson_shallow(const char *text, size_t len)
{
	const char	*p = text, *end = text + len, *q;
	int		 depth = 0;

	if (len <= PJSON_SHALLOW)
		return (1);
	for (; p < end; p++) {
		switch (*p) {
		case '"':
			/* To the closing quote, past escaped ones. */
			for (q = p + 1; q < end; q++) {
				if (*q == '\\')
					q++;
				else if (*q == '"')
					break;
			}
			p = q;
			break;
		case '{':
		case '[':
			if (++depth > PJSON_MAXDEPTH)
				return (0);
			break;
		case '}':
		case ']':
			depth--;
			break;
		}
	}
	return (1);
}

int
pjson_parse(struct pjson *j, const char *text, size_t len)
{
	jsmn_parser	 p;
	jsmntok_t	*t;
	unsigned	 cap;
	int		 rc;

	/* Forget the strings of the last value (only its tokens'). */
	if (j->str != NULL)
		memset(j->str, 0, (j->ntok < j->capstr ? j->ntok : j->capstr) *
		    sizeof(*j->str));
	j->text = text;
	j->len = len;
	j->ntok = 0;
	j->arenalen = 0;
	j->why = "not valid JSON";
	if (!pjson_shallow(text, len)) {
		j->why = "JSON nested more than " PJSON_MAXDEPTH_S " deep";
		return (-1);
	}
	if (j->tok == NULL) {
		if ((j->tok = calloc(PJSON_MINTOKENS, sizeof(*j->tok))) == NULL)
			return (-1);
		j->captok = PJSON_MINTOKENS;
	}
	jsmn_init(&p);
	for (;;) {
		rc = jsmn_parse(&p, text, len, j->tok, j->captok);
		if (rc != JSMN_ERROR_NOMEM)
			break;
		if (j->captok >= PJSON_MAXTOKENS)
			return (-1);
		cap = j->captok * 2;
		if ((t = realloc(j->tok, cap * sizeof(*t))) == NULL)
			return (-1);
		j->tok = t;
		j->captok = cap;
	}
	if (rc == JSMN_ERROR_PART && pjson_bare(j, text, len) == 0)
		return (0);
	if (rc <= 0)
		return (-1);
	j->ntok = (unsigned)rc;
	/* One value, and nothing after it but blanks. */
	if (j->tok[0].end < 0 || pjson_skip(j, 0) != (int)j->ntok)
		return (-1);
	return (0);
}

/* Why the last pjson_parse refused its value. */
const char *
pjson_why(const struct pjson *j)
{
	return (j->why != NULL ? j->why : "not valid JSON");
}

enum pjson_type
pjson_type(const struct pjson *j, int tok)
{
	if (tok < 0 || (unsigned)tok >= j->ntok)
		return (PJSON_NONE);
	switch (j->tok[tok].type) {
	case JSMN_OBJECT:
		return (PJSON_OBJECT);
	case JSMN_ARRAY:
		return (PJSON_ARRAY);
	case JSMN_STRING:
		return (PJSON_STRING);
	case JSMN_PRIMITIVE:
		return (PJSON_PRIMITIVE);
	default:
		return (PJSON_NONE);
	}
}

const char *
pjson_raw(const struct pjson *j, int tok, size_t *len)
{
	if (pjson_type(j, tok) == PJSON_NONE)
		return (NULL);
	*len = (size_t)(j->tok[tok].end - j->tok[tok].start);
	return (j->text + j->tok[tok].start);
}

int
pjson_size(const struct pjson *j, int tok)
{
	if (pjson_type(j, tok) == PJSON_NONE)
		return (0);
	return (j->tok[tok].size);
}

int
pjson_first(const struct pjson *j, int tok)
{
	if (pjson_size(j, tok) == 0 || (unsigned)tok + 1 >= j->ntok)
		return (-1);
	return (tok + 1);
}

/* The token after tok's subtree: tokens are in document order. */
int
pjson_skip(const struct pjson *j, int tok)
{
	unsigned	i;
	int		end;

	if (tok < 0 || (unsigned)tok >= j->ntok)
		return (-1);
	end = j->tok[tok].end;
	for (i = (unsigned)tok + 1; i < j->ntok; i++)
		if (j->tok[i].start >= end)
			break;
	return ((int)i);
}

static int
pjson_key_eq(const struct pjson *j, int k, const char *key, size_t klen,
    int ci)
{
	const jsmntok_t	*t = &j->tok[k];

	if (t->type != JSMN_STRING || (size_t)(t->end - t->start) != klen)
		return (0);
	if (ci)
		return (strncasecmp(j->text + t->start, key, klen) == 0);
	return (memcmp(j->text + t->start, key, klen) == 0);
}

static int
pjson_lookup(const struct pjson *j, int obj, const char *key, size_t klen,
    int ci)
{
	int	i, k, n;

	if (pjson_type(j, obj) != PJSON_OBJECT)
		return (-1);
	n = j->tok[obj].size;
	for (i = 0, k = obj + 1; i < n && k > 0 && (unsigned)k + 1 < j->ntok;
	    i++) {
		if (pjson_key_eq(j, k, key, klen, ci))
			return (k + 1);
		k = pjson_skip(j, k + 1);
	}
	return (-1);
}

int
pjson_get(const struct pjson *j, int obj, const char *key)
{
	return (pjson_lookup(j, obj, key, strlen(key), 0));
}

int
pjson_getci(const struct pjson *j, int obj, const char *key)
{
	return (pjson_lookup(j, obj, key, strlen(key), 1));
}

int
pjson_path(const struct pjson *j, int obj, const char *path)
{
	const char	*dot;

	while (obj >= 0 && *path != '\0') {
		dot = strchr(path, '.');
		if (dot == NULL)
			return (pjson_lookup(j, obj, path, strlen(path), 0));
		obj = pjson_lookup(j, obj, path, (size_t)(dot - path), 0);
		path = dot + 1;
	}
	return (obj);
}

/* Four hex digits at s; -1 if not. */
static int
pjson_hex4(const char *s, const char *end)
{
	int	v = 0, i, c;

	if (end - s < 4)
		return (-1);
	for (i = 0; i < 4; i++) {
		c = (unsigned char)s[i];
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v |= c - 'A' + 10;
		else
			return (-1);
	}
	return (v);
}

/* Writes code point c as UTF-8 at o; returns the bytes written. */
static size_t
pjson_utf8(uint32_t c, char *o)
{
	if (c < 0x80) {
		o[0] = (char)c;
		return (1);
	}
	if (c < 0x800) {
		o[0] = (char)(0xc0 | c >> 6);
		o[1] = (char)(0x80 | (c & 0x3f));
		return (2);
	}
	if (c < 0x10000) {
		o[0] = (char)(0xe0 | c >> 12);
		o[1] = (char)(0x80 | (c >> 6 & 0x3f));
		o[2] = (char)(0x80 | (c & 0x3f));
		return (3);
	}
	o[0] = (char)(0xf0 | c >> 18);
	o[1] = (char)(0x80 | (c >> 12 & 0x3f));
	o[2] = (char)(0x80 | (c >> 6 & 0x3f));
	o[3] = (char)(0x80 | (c & 0x3f));
	return (4);
}

/*
 * No escape grows: "\uXXXX" is 6 bytes for at most 3, a pair 12 for 4.
 * NUL and unpaired surrogates become U+FFFD, so strings stay C strings.
 */
size_t
pjson_unescape(const char *s, const char *end, char *o)
{
	char		*start = o;
	const char	*p;
	int		 c, lo;
	uint32_t	 cp;

	while (s < end) {
		if (*s != '\\' || s + 1 >= end) {
			/* Copy the run up to the next escape at once. */
			if ((p = memchr(s + 1, '\\', (size_t)(end - s - 1))) ==
			    NULL)
				p = end;
			memcpy(o, s, (size_t)(p - s));
			o += p - s;
			s = p;
			continue;
		}
		s++;
		switch (c = *s++) {
		case 'b':
			*o++ = '\b';
			break;
		case 'f':
			*o++ = '\f';
			break;
		case 'n':
			*o++ = '\n';
			break;
		case 'r':
			*o++ = '\r';
			break;
		case 't':
			*o++ = '\t';
			break;
		case 'u':
			if ((c = pjson_hex4(s, end)) < 0) {
				*o++ = 'u';
				break;
			}
			s += 4;
			cp = (uint32_t)c;
			if (cp >= 0xd800 && cp <= 0xdbff && end - s >= 6 &&
			    s[0] == '\\' && s[1] == 'u' &&
			    (lo = pjson_hex4(s + 2, end)) >= 0xdc00 &&
			    lo <= 0xdfff) {
				cp = 0x10000 + ((cp - 0xd800) << 10) +
				    ((uint32_t)lo - 0xdc00);
				s += 6;
			} else if (cp == 0 || (cp >= 0xd800 && cp <= 0xdfff))
				cp = 0xfffd;
			o += pjson_utf8(cp, o);
			break;
		default:
			*o++ = (char)c;
			break;
		}
	}
	return ((size_t)(o - start));
}

const char *
pjson_str(struct pjson *j, int tok)
{
	const jsmntok_t	*t;
	size_t		 n, need;
	char		*o;

	if (pjson_type(j, tok) != PJSON_STRING &&
	    pjson_type(j, tok) != PJSON_PRIMITIVE)
		return (NULL);
	t = &j->tok[tok];
	if (t->type == JSMN_PRIMITIVE && j->text[t->start] == 'n')
		return (NULL);		/* null */
	if (j->capstr < j->ntok) {
		free(j->str);
		if ((j->str = calloc(j->captok, sizeof(*j->str))) == NULL) {
			j->capstr = 0;
			return (NULL);
		}
		j->capstr = j->captok;
	}
	if (j->str[tok] != NULL)
		return (j->str[tok]);
	/* Every string fits in the arena: its text plus one NUL per token. */
	need = j->len + j->ntok;
	if (j->arenacap < need) {
		if (j->arenalen > 0)
			return (NULL);	/* never moves strings handed out */
		free(j->arena);
		if ((j->arena = malloc(need)) == NULL) {
			j->arenacap = 0;
			return (NULL);
		}
		j->arenacap = need;
	}
	o = j->arena + j->arenalen;
	n = pjson_unescape(j->text + t->start, j->text + t->end, o);
	o[n] = '\0';
	j->arenalen += n + 1;
	j->str[tok] = o;
	return (o);
}

int
pjson_int(struct pjson *j, int tok, int64_t *v)
{
	const char	*s;

	if ((s = pjson_str(j, tok)) == NULL)
		return (-1);
	return (pvalue_int(s, v));
}

/* "/Date(1718500012447)/" or "/Date(1718500012447+0200)/" → ms. */
static int64_t
pjson_msdate(const char *s)
{
	int64_t	v = 0;
	int	neg = 0, digits = 0;

	if (strncmp(s, "/Date(", 6) != 0)
		return (REC_TIME_NONE);
	s += 6;
	if (*s == '-') {
		neg = 1;
		s++;
	}
	for (; *s >= '0' && *s <= '9' && digits < 18; s++, digits++)
		v = v * 10 + (*s - '0');
	if (digits == 0 || (*s != ')' && *s != '+' && *s != '-'))
		return (REC_TIME_NONE);
	return (neg ? -v : v);
}

int64_t
pjson_time(struct pjson *j, int tok)
{
	const char	*s;
	int64_t		 v;

	if ((s = pjson_str(j, tok)) == NULL)
		return (REC_TIME_NONE);
	if (pjson_type(j, tok) == PJSON_PRIMITIVE)
		return (pvalue_int(s, &v) == 0 ? v : REC_TIME_NONE);
	if (s[0] == '/')
		return (pjson_msdate(s));
	return (ptime_parse(s, strlen(s)));
}
