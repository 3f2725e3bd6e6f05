/*
 * test_pjson.c: the JSON reader every JSON format goes through.  The
 * splitter is run over each input pushed whole and one byte at a time,
 * and what it hands over (values, their offsets, rejected items, the
 * count of values) must be the same text both ways.  struct pjson is
 * checked on what it accepts, its getters, its unescaping and the dates
 * PowerShell and ISO writers put in JSON.
 */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "parsers.h"

#define NITEMS(a)	(sizeof(a) / sizeof((a)[0]))

/* How a case's text is encoded before it is pushed. */
enum split_enc {
	ENC_ASIS = 0,
	ENC_U16LE_BOM,
	ENC_U16BE_BOM,
	ENC_U16LE,
	ENC_U8_BOM,
	ENC_MASK = 0x0f,
	TEXTONLY = 0x10		/* values without their offsets */
};

/*
 * One splitter case: in is UTF-8 (re-encoded by enc), maxvalue 0 means
 * 1 MiB, stop_at makes the n-th value's callback return -1.  want is
 * "OFFSET TEXT\n" per value (just "TEXT\n" with TEXTONLY in enc),
 * "! error at OFFSET: REASON\n" per rejected item, "# values N\n", then
 * "! failed at OFFSET: REASON\n" on failure.
 */
struct split_case {
	const char	*name;
	const char	*in;
	int		 enc;		/* enum split_enc */
	size_t		 maxvalue;
	int		 stop_at;
	const char	*want;
};

struct split_out {
	char	*buf;
	size_t	 len;
	int	 nvalues;
	int	 stop_at;
	int	 textonly;
};

static void	out_printf(struct split_out *, const char *, ...)
		    __attribute__((__format__(__printf__, 2, 3)));

static void
out_printf(struct split_out *o, const char *fmt, ...)
{
	va_list	ap;
	char	*s;
	int	 n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	assert_true(n >= 0);
	o->buf = realloc(o->buf, o->len + (size_t)n + 1);
	assert_non_null(o->buf);
	memcpy(o->buf + o->len, s, (size_t)n + 1);
	o->len += (size_t)n;
	free(s);
}

static int
split_value_cb(const char *text, size_t len, uint64_t off, void *arg)
{
	struct split_out	*o = arg;

	if (o->textonly)
		out_printf(o, "%.*s\n", (int)len, text);
	else
		out_printf(o, "%llu %.*s\n", (unsigned long long)off, (int)len,
		    text);
	if (++o->nvalues == o->stop_at)
		return (-1);
	return (0);
}

static void
split_err_cb(uint64_t off, const char *reason, void *arg)
{
	out_printf(arg, "! error at %llu: %s\n", (unsigned long long)off,
	    reason);
}

/* s (UTF-8) as UTF-16; 3-byte forms of surrogates pass as units. */
static unsigned char *
utf16(const char *s, int be, int bom, size_t *len)
{
	const unsigned char	*p = (const unsigned char *)s;
	unsigned char		*out, *o;
	uint32_t		 c, u[2];
	int			 n, i;

	assert_non_null(out = o = malloc(strlen(s) * 4 + 2));
	if (bom) {
		*o++ = be ? 0xfe : 0xff;
		*o++ = be ? 0xff : 0xfe;
	}
	while ((c = *p++) != '\0') {
		n = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : c >= 0xc0 ? 1 : 0;
		for (c &= 0x7f >> n, i = 0; i < n; i++)
			c = c << 6 | (*p++ & 0x3f);
		u[0] = c;
		n = 1;
		if (c >= 0x10000) {
			u[0] = 0xd800 + ((c - 0x10000) >> 10);
			u[1] = 0xdc00 + ((c - 0x10000) & 0x3ff);
			n = 2;
		}
		for (i = 0; i < n; i++) {
			*o++ = (unsigned char)(be ? u[i] >> 8 : u[i] & 0xff);
			*o++ = (unsigned char)(be ? u[i] & 0xff : u[i] >> 8);
		}
	}
	*len = (size_t)(o - out);
	return (out);
}

/* The case's bytes as pushed (malloc'd). */
static unsigned char *
split_input(const struct split_case *c, size_t *len)
{
	unsigned char	*b;
	size_t		 bom = (c->enc & ENC_MASK) == ENC_U8_BOM ? 3 : 0;

	switch (c->enc & ENC_MASK) {
	case ENC_U16LE_BOM:
		return (utf16(c->in, 0, 1, len));
	case ENC_U16BE_BOM:
		return (utf16(c->in, 1, 1, len));
	case ENC_U16LE:
		return (utf16(c->in, 0, 0, len));
	default:
		*len = strlen(c->in) + bom;
		assert_non_null(b = malloc(*len + 1));
		memcpy(b, "\xef\xbb\xbf", bom);
		memcpy(b + bom, c->in, *len - bom);
		return (b);
	}
}

/* Runs the splitter over buf in chunks of chunk bytes; the text above. */
static char *
split_run(const struct split_case *c, const unsigned char *buf, size_t len,
    size_t chunk)
{
	struct split_out	 o = { NULL, 0, 0, c->stop_at,
	    (c->enc & TEXTONLY) != 0 };
	struct pjson_split	*s;
	const char		*why;
	uint64_t		 off = 0;
	size_t			 at, n;
	int			 rc = 0;

	s = pjson_split_new(c->maxvalue > 0 ? c->maxvalue : 1024 * 1024,
	    split_value_cb, split_err_cb, &o);
	assert_non_null(s);
	if (chunk == 0)
		chunk = len > 0 ? len : 1;
	for (at = 0; at < len && rc == 0; at += n) {
		n = len - at < chunk ? len - at : chunk;
		rc = pjson_split_push(s, buf + at, n);
	}
	if (rc == 0)
		rc = pjson_split_finish(s);
	out_printf(&o, "# values %llu\n",
	    (unsigned long long)pjson_split_values(s));
	if (rc == -1) {
		why = pjson_split_error(s, &off);
		out_printf(&o, "! failed at %llu: %s\n",
		    (unsigned long long)off, why != NULL ? why : "(none)");
		/* Once stopped, it stays stopped. */
		assert_int_equal(pjson_split_push(s, "{}", 2), -1);
		assert_int_equal(pjson_split_finish(s), -1);
	}
	pjson_split_free(s);
	return (o.buf);
}

/*
 * Each case whole, in 1-byte pushes and in 7-byte pushes: all three must
 * give want.  Every mismatch is printed before the test fails.
 */
static void
split_check(const struct split_case *cases, size_t ncases)
{
	static const size_t	 chunks[] = { 0, 1, 7 };
	unsigned char		*in;
	char			*out;
	size_t			 i, k, len;
	int			 bad = 0;

	for (i = 0; i < ncases; i++) {
		in = split_input(&cases[i], &len);
		for (k = 0; k < NITEMS(chunks); k++) {
			out = split_run(&cases[i], in, len, chunks[k]);
			if (strcmp(out, cases[i].want) != 0) {
				print_error("%s (pushes of %zu bytes):\n"
				    "--- want\n%s--- got\n%s", cases[i].name,
				    chunks[k], cases[i].want, out);
				bad++;
			}
			free(out);
		}
		free(in);
	}
	assert_int_equal(bad, 0);
}

/* PowerShell 5.1's ConvertTo-Json of two events (FORMATS.md §1.9). */
#define PS_EL1	"{\r\n" \
	"        \"Id\":  6100,\r\n" \
	"        \"MatchedQueryIds\":  [\r\n" \
	"\r\n" \
	"                            ],\r\n" \
	"        \"Message\":  \"a \\\"b\\\" [c] {d}\"\r\n" \
	"    }"
#define PS_EL2	"{\r\n" \
	"        \"Id\":  6941,\r\n" \
	"        \"Bookmark\":  {\r\n" \
	"\r\n" \
	"                     }\r\n" \
	"    }"
#define PS_ARRAY	"[\r\n    " PS_EL1 ",\r\n    " PS_EL2 "\r\n]\r\n"

/* Strings that hold what would end a value if it were not quoted. */
#define TRICKY1	"{\"a\":\"}]{[\",\"b\":\"say \\\"hi\\\"\"," \
	"\"c\":\"C:\\\\dir\\\\\"}"
#define TRICKY2	"\"\\\\\""

static const struct split_case split_good[] = {
	{ "ndjson-lf", "{\"a\":1}\n{\"b\":[2]}\n{\"c\":\"x\"}\n", 0, 0, 0,
	    "0 {\"a\":1}\n8 {\"b\":[2]}\n18 {\"c\":\"x\"}\n# values 3\n" },
	{ "ndjson-crlf", "{\"a\":1}\r\n{\"b\":2}\r\n", 0, 0, 0,
	    "0 {\"a\":1}\n9 {\"b\":2}\n# values 2\n" },
	{ "ndjson-no-final-newline", "{\"a\":1}\n{\"b\":2}", 0, 0, 0,
	    "0 {\"a\":1}\n8 {\"b\":2}\n# values 2\n" },
	{ "ndjson-scalars", "\"x\"\n42\ntrue", 0, 0, 0,
	    "0 \"x\"\n4 42\n7 true\n# values 3\n" },
	{ "concatenated", "{\"a\":1}{\"b\":{\"c\":2}} {\"d\":3}", 0, 0, 0,
	    "0 {\"a\":1}\n7 {\"b\":{\"c\":2}}\n21 {\"d\":3}\n# values 3\n" },
	{ "concatenated-pretty", "{\n \"a\": 1\n}\n{\n \"b\": 2\n}\n", 0, 0,
	    0, "0 {\n \"a\": 1\n}\n12 {\n \"b\": 2\n}\n# values 2\n" },
	{ "ps51-array", PS_ARRAY, 0, 0, 0,
	    "7 " PS_EL1 "\n148 " PS_EL2 "\n# values 2\n" },
	{ "compact-array", "[{\"a\":1},{\"b\":[]}]", 0, 0, 0,
	    "1 {\"a\":1}\n9 {\"b\":[]}\n# values 2\n" },
	{ "array-of-scalars", "[1, \"two\", true, null, -2.5]", 0, 0, 0,
	    "1 1\n4 \"two\"\n11 true\n17 null\n23 -2.5\n# values 5\n" },
	{ "nested-arrays", "[[1,[2]],[],[[]]]", 0, 0, 0,
	    "1 [1,[2]]\n9 []\n12 [[]]\n# values 3\n" },
	{ "tricky-strings", TRICKY1 "\n" TRICKY2 "\n{\"d\":1}\n", 0, 0, 0,
	    "0 " TRICKY1 "\n46 " TRICKY2 "\n51 {\"d\":1}\n# values 3\n" },
	{ "empty", "", 0, 0, 0, "# values 0\n" },
	{ "blanks", " \r\n\t\n", 0, 0, 0, "# values 0\n" },
};

static void
test_split_good(void **state)
{
	(void)state;
	split_check(split_good, NITEMS(split_good));
}

/*
 * Offsets are the file's: a UTF-16 file's value at text offset t starts
 * at byte 2 + 2t (after the BOM), a UTF-8 file with a BOM at 3 + t.
 */
static const struct split_case split_enc[] = {
	{ "utf16le-bom", "{\"a\":1}\r\n{\"b\":2}\r\n", ENC_U16LE_BOM, 0, 0,
	    "2 {\"a\":1}\n20 {\"b\":2}\n# values 2\n" },
	{ "utf16be-bom", "{\"a\":1}\r\n{\"b\":2}\r\n", ENC_U16BE_BOM, 0, 0,
	    "2 {\"a\":1}\n20 {\"b\":2}\n# values 2\n" },
	{ "utf16le-bom-ps51-array", PS_ARRAY, ENC_U16LE_BOM, 0, 0,
	    "16 " PS_EL1 "\n298 " PS_EL2 "\n# values 2\n" },
	{ "utf8-bom", "{\"a\":1}\r\n{\"b\":2}\r\n", ENC_U8_BOM, 0, 0,
	    "3 {\"a\":1}\n12 {\"b\":2}\n# values 2\n" },
	{ "utf16le-no-bom", "{\"a\":1}\r\n{\"b\":2}\r\n", ENC_U16LE, 0, 0,
	    "0 {\"a\":1}\n18 {\"b\":2}\n# values 2\n" },
	/* Item errors carry file offsets too. */
	{ "utf16le-bom-broken-line", "{\"a\":1}\n{\"b\":\n{\"c\":3}\n",
	    ENC_U16LE_BOM, 0, 0,
	    "2 {\"a\":1}\n! error at 18: line ends inside a JSON value\n"
	    "30 {\"c\":3}\n# values 2\n" },
};

static void
test_split_encodings(void **state)
{
	(void)state;
	split_check(split_enc, NITEMS(split_enc));
}

/*
 * What UTF-16 turns into, offsets aside: non-ASCII text, surrogate pairs,
 * and unpaired surrogates as U+FFFD (written here in their 3-byte form).
 */
static const struct split_case split_decode[] = {
	{ "utf16le-bom-non-ascii", "{\"n\":\"Zo\xc3\xab \xe2\x82\xac\"}",
	    ENC_U16LE_BOM | TEXTONLY, 0, 0,
	    "{\"n\":\"Zo\xc3\xab \xe2\x82\xac\"}\n# values 1\n" },
	{ "utf16le-bom-surrogate-pair", "{\"s\":\"\xf0\x9f\x98\x80\"}",
	    ENC_U16LE_BOM | TEXTONLY, 0, 0,
	    "{\"s\":\"\xf0\x9f\x98\x80\"}\n# values 1\n" },
	{ "utf16be-bom-surrogate-pair", "{\"s\":\"\xf0\x9f\x98\x80\"}",
	    ENC_U16BE_BOM | TEXTONLY, 0, 0,
	    "{\"s\":\"\xf0\x9f\x98\x80\"}\n# values 1\n" },
	/* An unpaired high surrogate before 'x', and one before the quote. */
	{ "utf16le-bom-unpaired-high",
	    "{\"s\":\"\xed\xa0\x80x\xed\xa0\x80\"}", ENC_U16LE_BOM | TEXTONLY,
	    0, 0,
	    "{\"s\":\"\xef\xbf\xbdx\xef\xbf\xbd\"}\n# values 1\n" },
	{ "utf16le-bom-unpaired-low", "{\"s\":\"\xed\xb0\x80\"}",
	    ENC_U16LE_BOM | TEXTONLY, 0, 0,
	    "{\"s\":\"\xef\xbf\xbd\"}\n# values 1\n" },
	{ "utf16be-bom-ps51-array", PS_ARRAY, ENC_U16BE_BOM | TEXTONLY, 0, 0,
	    PS_EL1 "\n" PS_EL2 "\n# values 2\n" },
	{ "utf16le-no-bom-text", "{\"a\":\"\xc3\xa9\"}\n{\"b\":1}",
	    ENC_U16LE | TEXTONLY, 0, 0,
	    "{\"a\":\"\xc3\xa9\"}\n{\"b\":1}\n# values 2\n" },
	{ "utf8-bom-text", "{\"a\":\"\xc3\xa9\"}", ENC_U8_BOM | TEXTONLY, 0, 0,
	    "{\"a\":\"\xc3\xa9\"}\n# values 1\n" },
};

static void
test_split_decode(void **state)
{
	(void)state;
	split_check(split_decode, NITEMS(split_decode));
}

static const struct split_case split_bad[] = {
	{ "broken-line", "{\"a\":1}\n{\"b\":\n{\"c\":3}\n", 0, 0, 0,
	    "0 {\"a\":1}\n! error at 8: line ends inside a JSON value\n"
	    "14 {\"c\":3}\n# values 2\n" },
	{ "broken-line-crlf", "{\"a\":1}\r\n{\"b\":[1,\r\n{\"c\":3}\r\n", 0,
	    0, 0,
	    "0 {\"a\":1}\n! error at 9: line ends inside a JSON value\n"
	    "19 {\"c\":3}\n# values 2\n" },
	{ "line-ends-in-string", "{\"a\":1}\n{\"b\":\"abc\n{\"c\":3}\n", 0, 0,
	    0,
	    "0 {\"a\":1}\n! error at 8: line ends inside a JSON string\n"
	    "18 {\"c\":3}\n# values 2\n" },
	{ "unbalanced-brace", "{\"a\":1}\n}\n{\"c\":3}\n", 0, 0, 0,
	    "0 {\"a\":1}\n! error at 8: unbalanced closing bracket\n"
	    "10 {\"c\":3}\n# values 2\n" },
	{ "unbalanced-after-value", "{\"a\":1}}\n{\"c\":3}\n", 0, 0, 0,
	    "0 {\"a\":1}\n! error at 7: unbalanced closing bracket\n"
	    "9 {\"c\":3}\n# values 2\n" },
	{ "truncated-object", "{\"a\":1}\n{\"b\":[1,2", 0, 0, 0,
	    "0 {\"a\":1}\n! error at 8: truncated JSON value\n# values 1\n" },
	{ "truncated-string", "{\"a\":1}\n{\"b\":\"ab", 0, 0, 0,
	    "0 {\"a\":1}\n! error at 8: truncated JSON value\n# values 1\n" },
	{ "truncated-array-element", "[{\"a\":1},{\"b\":", 0, 0, 0,
	    "1 {\"a\":1}\n! error at 9: truncated JSON value\n# values 1\n" },
	{ "stop-second", "{\"a\":1}\n{\"b\":2}\n{\"c\":3}\n", 0, 0, 2,
	    "0 {\"a\":1}\n8 {\"b\":2}\n# values 2\n"
	    "! failed at 8: stopped by the record callback\n" },
	{ "stop-scalar", "[1,2,3]", 0, 0, 2,
	    "1 1\n3 2\n# values 2\n"
	    "! failed at 3: stopped by the record callback\n" },
	{ "stop-at-finish", "{\"a\":1}\n7", 0, 0, 2,
	    "0 {\"a\":1}\n8 7\n# values 2\n"
	    "! failed at 8: stopped by the record callback\n" },
};

static void
test_split_errors(void **state)
{
	(void)state;
	split_check(split_bad, NITEMS(split_bad));
}

/*
 * A value longer than maxvalue is rejected and skipped, the next ones
 * still come out, however the bytes were pushed.  A value of exactly
 * maxvalue bytes passes.
 */
static const struct split_case split_long[] = {
	{ "too-long-ndjson",
	    "{\"a\":1}\n{\"long\":\"xxxxxxxxxxxxxxxxxxxx\"}\n{\"c\":3}\n", 0,
	    16, 0,
	    "0 {\"a\":1}\n! error at 8: JSON value too long\n"
	    "40 {\"c\":3}\n# values 3\n" },
	{ "too-long-array",
	    "[{\"a\":1},{\"long\":\"xxxxxxxxxxxxxxxxxxxx\"},{\"c\":3}]", 0,
	    16, 0,
	    "1 {\"a\":1}\n! error at 9: JSON value too long\n"
	    "41 {\"c\":3}\n# values 3\n" },
	{ "at-the-bound", "{\"a\":1}\n{\"ab\":1}\n{\"c\":3}\n", 0, 7, 0,
	    "0 {\"a\":1}\n! error at 8: JSON value too long\n"
	    "17 {\"c\":3}\n# values 3\n" },
};

static void
test_split_long(void **state)
{
	(void)state;
	split_check(split_long, NITEMS(split_long));
}

/* A value far past one internal chunk, split by whatever pushes. */
static void
test_split_big(void **state)
{
	static const char	 tail[] = "307200 {\"b\":1}\n";
	struct split_out	 o = { NULL, 0, 0, 0, 0 };
	struct pjson_split	*s;
	char			*buf;
	size_t			 i, len = 300 * 1024;

	(void)state;
	buf = malloc(len);
	assert_non_null(buf);
	memcpy(buf, "{\"a\":\"", 6);
	memset(buf + 6, 'x', len - 6);
	memcpy(buf + len - 3, "\"}\n", 3);
	s = pjson_split_new(1024 * 1024, split_value_cb, split_err_cb, &o);
	assert_non_null(s);
	for (i = 0; i < len; i += 10007)
		assert_int_equal(pjson_split_push(s, buf + i,
		    len - i < 10007 ? len - i : 10007), 0);
	assert_int_equal(pjson_split_push(s, "{\"b\":1}", 7), 0);
	assert_int_equal(pjson_split_finish(s), 0);
	assert_int_equal(o.nvalues, 2);
	assert_int_equal(pjson_split_values(s), 2);
	/* "0 " + the value + "\n", then the small value after it. */
	assert_int_equal(o.len, 2 + (len - 1) + 1 + strlen(tail));
	assert_memory_equal(o.buf + 2, buf, len - 1);
	assert_string_equal(o.buf + 2 + len, tail);
	pjson_split_free(s);
	free(o.buf);
	free(buf);
}

/* --- struct pjson ------------------------------------------------------ */

static void
test_parse_accept(void **state)
{
	static const char *const good[] = {
		"{}", "[]", "\"s\"", "{\"a\":[1,{\"b\":null}],\"c\":true}",
		"  {\"a\": -1.5e3 }\r\n", "[false, null, \"\\u00e9\"]",
		/* A bare scalar is one value too (an array element). */
		"42", "true", "null", "-2.5",
	};
	static const char *const bad[] = {
		"", "   ", "{\"a\":1} x", "{\"a\":1}{\"b\":2}", "{\"a\":1} 2",
		"[1] [2]", "{\"a\":\"\\x\"}", "{\"a\":\"\\u12G4\"}",
		"{\"a\":x}", "{\"a\":True}", "{a:1}", "{\"a\":'x'}",
		"{\"a\":1", "[1,2", "\"open", "{\"a\" 1}",
	};
	struct pjson	*j;
	size_t		 i;
	int		 bads = 0;

	(void)state;
	assert_non_null(j = pjson_new());
	for (i = 0; i < NITEMS(good); i++)
		if (pjson_parse(j, good[i], strlen(good[i])) != 0) {
			print_error("refused: %s\n", good[i]);
			bads++;
		}
	for (i = 0; i < NITEMS(bad); i++)
		if (pjson_parse(j, bad[i], strlen(bad[i])) != -1) {
			print_error("accepted: %s\n", bad[i]);
			bads++;
		}
	/* Only len bytes are read: a longer buffer's tail does not count. */
	assert_int_equal(pjson_parse(j, "{\"a\":1}garbage", 7), 0);
	pjson_free(j);
	assert_int_equal(bads, 0);
}

#define NESTED	"{\"Id\":6100,\"winlog\":{\"event_data\":{\"param1\":" \
	"\"contoso.com\",\"param2\":\"Export\"},\"event_id\":\"6100\"}," \
	"\"arr\":[1,[2,3],{\"k\":\"v\"}],\"Empty\":{},\"E2\":[],\"n\":null," \
	"\"x\":\"a\",\"a\":3,\"ab\":4}"

static void
test_getters(void **state)
{
	struct pjson	*j;
	int		 t, arr, el;

	(void)state;
	assert_non_null(j = pjson_new());
	assert_int_equal(pjson_parse(j, NESTED, strlen(NESTED)), 0);
	assert_int_equal(pjson_type(j, 0), PJSON_OBJECT);
	assert_int_equal(pjson_size(j, 0), 9);
	assert_int_equal(pjson_type(j, -1), PJSON_NONE);
	assert_int_equal(pjson_type(j, 10000), PJSON_NONE);
	assert_int_equal(pjson_size(j, -1), 0);

	t = pjson_get(j, 0, "Id");
	assert_int_equal(pjson_type(j, t), PJSON_PRIMITIVE);
	assert_string_equal(pjson_str(j, t), "6100");
	assert_int_equal(pjson_get(j, 0, "id"), -1);
	assert_int_equal(pjson_getci(j, 0, "id"), t);
	assert_int_equal(pjson_getci(j, 0, "WINLOG"), pjson_get(j, 0,
	    "winlog"));
	assert_int_equal(pjson_get(j, 0, "nope"), -1);
	/* Keys only: "a" is also the value of "x"; "a" is a prefix of "ab". */
	assert_string_equal(pjson_str(j, pjson_get(j, 0, "a")), "3");
	assert_string_equal(pjson_str(j, pjson_get(j, 0, "ab")), "4");

	t = pjson_path(j, 0, "winlog.event_data.param2");
	assert_string_equal(pjson_str(j, t), "Export");
	assert_string_equal(pjson_str(j, pjson_path(j, 0,
	    "winlog.event_id")), "6100");
	assert_int_equal(pjson_type(j, pjson_path(j, 0, "winlog.event_data")),
	    PJSON_OBJECT);
	assert_int_equal(pjson_path(j, 0, "winlog.nope"), -1);
	assert_int_equal(pjson_path(j, 0, "winlog.event_data.param2.x"), -1);
	assert_int_equal(pjson_path(j, 0, "Id.x"), -1);
	assert_int_equal(pjson_path(j, 0, "nope.x"), -1);
	assert_int_equal(pjson_get(j, pjson_get(j, 0, "Id"), "x"), -1);
	assert_int_equal(pjson_get(j, -1, "x"), -1);

	arr = pjson_get(j, 0, "arr");
	assert_int_equal(pjson_type(j, arr), PJSON_ARRAY);
	assert_int_equal(pjson_size(j, arr), 3);
	el = pjson_first(j, arr);
	assert_string_equal(pjson_str(j, el), "1");
	el = pjson_skip(j, el);
	assert_int_equal(pjson_type(j, el), PJSON_ARRAY);
	assert_int_equal(pjson_size(j, el), 2);
	assert_string_equal(pjson_str(j, pjson_first(j, el)), "2");
	assert_null(pjson_str(j, el));
	el = pjson_skip(j, el);
	assert_int_equal(pjson_type(j, el), PJSON_OBJECT);
	assert_string_equal(pjson_str(j, pjson_get(j, el, "k")), "v");
	/* The array's next sibling is the key "Empty". */
	el = pjson_skip(j, arr);
	assert_int_equal(pjson_type(j, el), PJSON_STRING);
	assert_string_equal(pjson_str(j, el), "Empty");

	t = pjson_get(j, 0, "Empty");
	assert_int_equal(pjson_type(j, t), PJSON_OBJECT);
	assert_int_equal(pjson_size(j, t), 0);
	assert_int_equal(pjson_first(j, t), -1);
	assert_int_equal(pjson_first(j, pjson_get(j, 0, "E2")), -1);
	assert_int_equal(pjson_first(j, pjson_get(j, 0, "Id")), -1);

	t = pjson_get(j, 0, "n");
	assert_int_equal(pjson_type(j, t), PJSON_PRIMITIVE);
	assert_null(pjson_str(j, t));
	assert_null(pjson_str(j, 0));
	assert_null(pjson_str(j, -1));
	/* The root's subtree is every token. */
	assert_int_equal(pjson_skip(j, pjson_skip(j, 0)), -1);
	assert_int_equal(pjson_skip(j, -1), -1);
	pjson_free(j);
}

#define ESCAPED	"[\"a\\nb\",\"t\\tb\",\"q\\\"q\",\"b\\\\s\",\"s\\/l\"," \
	"\"\\u0027\",\"\\u003cx\\u003e\",\"\\ud83d\\ude00\",\"x\\u0000y\"," \
	"\"\\ud800z\",\"\\udc00\",\"\\b\\f\\r\",\"\\u00e9\\u20ac\"," \
	"\"\\ud800\\u0041\",\"plain\",\"\"]"

static void
test_str(void **state)
{
	static const char *const want[] = {
		"a\nb", "t\tb", "q\"q", "b\\s", "s/l", "'", "<x>",
		"\xf0\x9f\x98\x80", "x\xef\xbf\xbdy", "\xef\xbf\xbdz",
		"\xef\xbf\xbd", "\b\f\r", "\xc3\xa9\xe2\x82\xac",
		"\xef\xbf\xbd\x41", "plain", "",
	};
	struct pjson	*j;
	size_t		 i;
	int		 el;

	(void)state;
	assert_non_null(j = pjson_new());
	assert_int_equal(pjson_parse(j, ESCAPED, strlen(ESCAPED)), 0);
	assert_int_equal(pjson_size(j, 0), (int)NITEMS(want));
	for (i = 0, el = pjson_first(j, 0); i < NITEMS(want);
	    i++, el = pjson_skip(j, el)) {
		assert_int_equal(pjson_type(j, el), PJSON_STRING);
		assert_string_equal(pjson_str(j, el), want[i]);
	}
	pjson_free(j);
}

static void
test_primitives(void **state)
{
	static const char	 text[] = "{\"t\":true,\"f\":false,\"i\":-42,"
	    "\"d\":1.5e3,\"big\":36028797018963968,\"n\":null,"
	    "\"s\":\"8344\",\"h\":\"0x2098\",\"g\":\"12abc\",\"e\":\"\","
	    "\"o\":{},\"sp\":\" 12 \"}";
	static const struct {
		const char	*key;
		int		 rc;
		int64_t		 v;
	} ints[] = {
		{ "i", 0, -42 }, { "big", 0, 36028797018963968LL },
		{ "s", 0, 8344 }, { "h", 0, 0x2098 }, { "sp", 0, 12 },
		{ "g", -1, 0 }, { "e", -1, 0 }, { "d", -1, 0 }, { "t", -1, 0 },
		{ "n", -1, 0 }, { "o", -1, 0 }, { "nope", -1, 0 },
	};
	struct pjson		*j;
	size_t			 i;
	int64_t			 v;

	(void)state;
	assert_non_null(j = pjson_new());
	assert_int_equal(pjson_parse(j, text, strlen(text)), 0);
	assert_string_equal(pjson_str(j, pjson_get(j, 0, "t")), "true");
	assert_string_equal(pjson_str(j, pjson_get(j, 0, "f")), "false");
	assert_string_equal(pjson_str(j, pjson_get(j, 0, "d")), "1.5e3");
	assert_null(pjson_str(j, pjson_get(j, 0, "n")));
	for (i = 0; i < NITEMS(ints); i++) {
		v = 0;
		if (pjson_int(j, pjson_get(j, 0, ints[i].key), &v) !=
		    ints[i].rc || (ints[i].rc == 0 && v != ints[i].v))
			fail_msg("pjson_int of %s gave %lld", ints[i].key,
			    (long long)v);
	}
	pjson_free(j);
}

static void
test_time(void **state)
{
	static const struct {
		const char	*json;
		int64_t		 want;
	} cases[] = {
		/* PS 5.1 as written, and as the text is once unescaped. */
		{ "\"\\/Date(1718500012447)\\/\"", 1718500012447LL },
		{ "\"/Date(1718500012447)/\"", 1718500012447LL },
		/* The ms are UTC; the suffix only says the writer's zone. */
		{ "\"\\/Date(1718500012447+0200)\\/\"", 1718500012447LL },
		{ "\"\\/Date(1718500012447-0500)\\/\"", 1718500012447LL },
		{ "\"\\/Date(-86400000)\\/\"", -86400000LL },
		{ "\"\\/Date(0)\\/\"", 0 },
		{ "\"2024-06-16T01:06:52.447Z\"", 1718500012447LL },
		{ "\"2024-06-16T03:06:52.447+02:00\"", 1718500012447LL },
		{ "\"2015-08-06T20:12:25.3151096-04:00\"", 1438906345315LL },
		{ "\"2024-06-16T01:06:52.4470000Z\"", 1718500012447LL },
		{ "\"2024-06-16T01:06:52\"", 1718500012000LL },
		{ "\"2024-06-16 01:06:52.447\"", 1718500012447LL },
		{ "1718500012447", 1718500012447LL },
		{ "\"garbage\"", REC_TIME_NONE },
		{ "\"\"", REC_TIME_NONE },
		{ "\"\\/Date()\\/\"", REC_TIME_NONE },
		{ "\"\\/Date(abc)\\/\"", REC_TIME_NONE },
		{ "\"/Date(99999999999999999999)/\"", REC_TIME_NONE },
		{ "\"2024-13-16T01:06:52Z\"", REC_TIME_NONE },
		{ "null", REC_TIME_NONE },
		{ "true", REC_TIME_NONE },
		{ "1.5", REC_TIME_NONE },
		{ "{}", REC_TIME_NONE },
	};
	struct pjson	*j;
	char		 text[128];
	size_t		 i;
	int64_t		 t;
	int		 bad = 0;

	(void)state;
	assert_int_equal(ptime_make(2024, 6, 16, 1, 6, 52, 447),
	    1718500012447LL);
	assert_non_null(j = pjson_new());
	for (i = 0; i < NITEMS(cases); i++) {
		/* Inside an object: a bare primitive is another test's. */
		snprintf(text, sizeof(text), "{\"t\":%s}", cases[i].json);
		assert_int_equal(pjson_parse(j, text, strlen(text)), 0);
		t = pjson_time(j, pjson_get(j, 0, "t"));
		if (t != cases[i].want) {
			print_error("%s: %lld, want %lld\n", cases[i].json,
			    (long long)t, (long long)cases[i].want);
			bad++;
		}
	}
	assert_int_equal(pjson_time(j, -1), REC_TIME_NONE);
	pjson_free(j);
	assert_int_equal(bad, 0);
}

/* Past the first token table: 300 members, 1000-element arrays. */
static void
test_many_tokens(void **state)
{
	struct pjson	*j;
	char		*text, key[16];
	size_t		 len = 0;
	int		 i, t;
	int64_t		 v;

	(void)state;
	text = malloc(64 * 1024);
	assert_non_null(text);
	len += (size_t)sprintf(text + len, "{");
	for (i = 0; i < 300; i++)
		len += (size_t)sprintf(text + len, "%s\"k%d\":[%d,\"v%d\"]",
		    i > 0 ? "," : "", i, i, i);
	len += (size_t)sprintf(text + len, "}");
	assert_non_null(j = pjson_new());
	assert_int_equal(pjson_parse(j, text, len), 0);
	assert_int_equal(pjson_size(j, 0), 300);
	for (i = 0; i < 300; i += 37) {
		snprintf(key, sizeof(key), "k%d", i);
		t = pjson_get(j, 0, key);
		assert_int_equal(pjson_size(j, t), 2);
		assert_int_equal(pjson_int(j, pjson_first(j, t), &v), 0);
		assert_int_equal(v, i);
	}
	assert_string_equal(pjson_str(j, pjson_skip(j, pjson_first(j,
	    pjson_get(j, 0, "k299")))), "v299");
	assert_int_equal(pjson_skip(j, 0), 1 + 300 * 4);
	pjson_free(j);
	free(text);
}

/*
 * One struct pjson for many values, large and small, good and bad: the
 * tokens and strings of the last value never leak into the next, and a
 * string read early stays put while the value's others are read.
 */
static void
test_reuse(void **state)
{
	static const char	 small[] = "{\"a\":\"x\",\"b\":\"y\"}";
	static const char	 other[] = "[\"p\\nq\",7]";
	struct pjson		*j;
	const char		*first;
	char			*big, want[16];
	size_t			 len = 0;
	int			 i, round, el;

	(void)state;
	big = malloc(32 * 1024);
	assert_non_null(big);
	len += (size_t)sprintf(big + len, "[\"fir\\u0073t\"");
	for (i = 1; i < 1000; i++)
		len += (size_t)sprintf(big + len, ",\"e\\t%d\"", i);
	len += (size_t)sprintf(big + len, "]");
	assert_non_null(j = pjson_new());
	for (round = 0; round < 3; round++) {
		assert_int_equal(pjson_parse(j, big, len), 0);
		assert_int_equal(pjson_size(j, 0), 1000);
		first = pjson_str(j, 1);
		assert_string_equal(first, "first");
		for (i = 1, el = pjson_skip(j, 1); i < 1000; i++,
		    el = pjson_skip(j, el)) {
			snprintf(want, sizeof(want), "e\t%d", i);
			assert_string_equal(pjson_str(j, el), want);
		}
		assert_string_equal(first, "first");
		assert_ptr_equal(pjson_str(j, 1), first);

		assert_int_equal(pjson_parse(j, small, strlen(small)), 0);
		assert_string_equal(pjson_str(j, pjson_get(j, 0, "b")), "y");
		assert_string_equal(pjson_str(j, pjson_get(j, 0, "a")), "x");
		assert_int_equal(pjson_type(j, 5), PJSON_NONE);
		assert_null(pjson_str(j, 5));
		assert_int_equal(pjson_parse(j, "{\"a\":", 5), -1);
		assert_int_equal(pjson_parse(j, "[1] 2", 5), -1);
		assert_int_equal(pjson_parse(j, other, strlen(other)), 0);
		assert_string_equal(pjson_str(j, 1), "p\nq");
		assert_string_equal(pjson_str(j, 2), "7");
		assert_null(pjson_str(j, 3));
	}
	pjson_free(j);
	pjson_free(NULL);
	pjson_split_free(NULL);
	free(big);
}

/*
 * Thousands of unpaired high surrogates in a row: each becomes U+FFFD
 * (3 bytes for 2), and the converter's staging buffer must not overrun
 * (a fuzzer found it did, when no other character came between them).
 */
static void
test_utf16_surrogate_run(void **state)
{
	struct putf	 u;
	struct pbuf	 out = { NULL, 0, 0 };
	unsigned char	*in;
	size_t		 i, n = 6000;

	(void)state;
	in = malloc(2 + 2 * n);
	assert_non_null(in);
	in[0] = 0xff;
	in[1] = 0xfe;
	for (i = 0; i < n; i++) {
		in[2 + 2 * i] = 0x00;
		in[3 + 2 * i] = 0xd8;
	}
	putf_init(&u);
	assert_int_equal(putf_conv(&u, in, 2 + 2 * n, &out, SIZE_MAX), 0);
	assert_int_equal(putf_finish(&u, &out, SIZE_MAX), 0);
	/* The last one waits for a pair that never comes. */
	assert_int_equal(out.len, 3 * n);
	assert_int_equal(u.bad, n);
	pbuf_free(&out);
	free(in);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_split_good),
		cmocka_unit_test(test_split_encodings),
		cmocka_unit_test(test_split_decode),
		cmocka_unit_test(test_split_errors),
		cmocka_unit_test(test_split_long),
		cmocka_unit_test(test_split_big),
		cmocka_unit_test(test_parse_accept),
		cmocka_unit_test(test_getters),
		cmocka_unit_test(test_str),
		cmocka_unit_test(test_primitives),
		cmocka_unit_test(test_time),
		cmocka_unit_test(test_many_tokens),
		cmocka_unit_test(test_reuse),
		cmocka_unit_test(test_utf16_surrogate_run),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
