/*
 * test_psplit.c: the splitter every JSON format goes through, and the
 * UTF-16 converter under it.  Each input is pushed whole, one byte at a
 * time and in 7-byte pieces, and what the splitter hands over (values,
 * their offsets, rejected items, the count of values) must be the same
 * text every way.  struct pjson itself is test_pjson's.
 */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "test_util.h"

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

/* What the callbacks write for one run. */
struct split_out {
	struct test_buf	 out;
	int		 nvalues;
	int		 stop_at;
	int		 textonly;
};

static int
split_value_cb(const char *text, size_t len, uint64_t off, void *arg)
{
	struct split_out	*o = arg;

	if (o->textonly)
		test_buf_printf(&o->out, "%.*s\n", (int)len, text);
	else
		test_buf_printf(&o->out, "%llu %.*s\n",
		    (unsigned long long)off, (int)len, text);
	if (++o->nvalues == o->stop_at)
		return (-1);
	return (0);
}

static void
split_err_cb(uint64_t off, const char *reason, void *arg)
{
	struct split_out	*o = arg;

	test_buf_printf(&o->out, "! error at %llu: %s\n",
	    (unsigned long long)off, reason);
}

/* The case's bytes as pushed (malloc'd). */
static char *
split_input(const struct split_case *c, size_t *len)
{
	char		*b;
	size_t		 bom = (c->enc & ENC_MASK) == ENC_U8_BOM ? 3 : 0;

	switch (c->enc & ENC_MASK) {
	case ENC_U16LE_BOM:
		return (test_utf16_encode(c->in, 0, 1, len));
	case ENC_U16BE_BOM:
		return (test_utf16_encode(c->in, 1, 1, len));
	case ENC_U16LE:
		return (test_utf16_encode(c->in, 0, 0, len));
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
split_run(const struct split_case *c, const char *buf, size_t len,
    size_t chunk)
{
	struct split_out	 o = { { NULL, 0, 0 }, 0, c->stop_at,
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
	test_buf_printf(&o.out, "# values %llu\n",
	    (unsigned long long)pjson_split_values(s));
	if (rc == -1) {
		why = pjson_split_error(s, &off);
		test_buf_printf(&o.out, "! failed at %llu: %s\n",
		    (unsigned long long)off, why != NULL ? why : "(none)");
		/* Once stopped, it stays stopped. */
		assert_int_equal(pjson_split_push(s, "{}", 2), -1);
		assert_int_equal(pjson_split_finish(s), -1);
	}
	pjson_split_free(s);
	return (o.out.buf);
}

/*
 * Each case whole, in 1-byte pushes and in 7-byte pushes: all three must
 * give want.  Every mismatch is printed before the test fails.
 */
static void
split_check(const struct split_case *cases, size_t ncases)
{
	static const size_t	 chunks[] = { 0, 1, 7 };
	char			*in, *out;
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
	struct split_out	 o = { { NULL, 0, 0 }, 0, 0, 0 };
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
	assert_int_equal(o.out.len, 2 + (len - 1) + 1 + strlen(tail));
	assert_memory_equal(o.out.buf + 2, buf, len - 1);
	assert_string_equal(o.out.buf + 2 + len, tail);
	pjson_split_free(s);
	pjson_split_free(NULL);
	free(o.out.buf);
	free(buf);
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
		cmocka_unit_test(test_utf16_surrogate_run),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
