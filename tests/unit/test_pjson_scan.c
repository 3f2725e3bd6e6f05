/*
 * test_pjson_scan.c: the one-pass JSON reader the records format uses.
 * Tables of values it must accept and refuse (strict JSON, nesting cap),
 * the spans it hands out for members and elements, and pjson_plain, the
 * run finder JSON readers and writers share, at every offset of a word.
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

/* Reads text whole: 0 when valid (every member read through), else -1. */
static int
scan_all(const char *text, const char **why)
{
	struct pjson_iter	it;
	struct pjson_span	name, v;
	enum pjson_type		t;
	int			rc;

	t = pjson_scan(&it, text, strlen(text));
	*why = it.why;
	if (t == PJSON_NONE)
		return (-1);
	if (t != PJSON_OBJECT && t != PJSON_ARRAY)
		return (0);
	while ((rc = pjson_iter_next(&it, &name, &v)) == 1)
		;
	*why = it.why;
	return (rc);
}

static void
test_scan_accept(void **state)
{
	static const char *const good[] = {
		"{}", "[]", " { } ", "\"s\"", "42", "-0", "0.5", "-1.5e3",
		"1E+2", "true", "false", "null",
		"{\"a\":[1,{\"b\":null}],\"c\":true}",
		"  {\"a\": -1.5e3 }\r\n", "[false, null, \"\\u00e9\"]",
		"{\"e\":\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\uD83D\\ude00\"}",
		"{\"utf8\":\"h\xc3\xa9 \xe2\x82\xac\"}",
		"{\"long\":\"0123456789abcdef0123456789abcdef0123\"}",
		"[[[[[[[[[[]]]]]]]]]]",
	};
	const char	*why;
	size_t		 i;

	(void)state;
	for (i = 0; i < NITEMS(good); i++) {
		if (scan_all(good[i], &why) != 0)
			fail_msg("refused %s: %s", good[i], why);
	}
}

static void
test_scan_refuse(void **state)
{
	static const char *const bad[] = {
		"", "   ", "{", "}", "[1,]", "{\"a\":1,}", "{,}", "[,1]",
		"{\"a\" 1}", "{\"a\":}", "{a:1}", "{\"a\":1} x", "[1] [2]",
		"{\"a\":tru}", "{\"a\":nul}", "{\"a\":1.}", "{\"a\":.5}",
		"{\"a\":01}", "{\"a\":-}", "{\"a\":1e}", "{\"a\":+1}",
		"{\"a\":\"x}", "{\"a\":\"\\x\"}", "{\"a\":\"\\u12g4\"}",
		"{\"a\":\"\\u12\"}", "{\"a\":\"tab\there\"}",
		"{\"a\":\"nl\nhere\"}", "{\"a\":'s'}", "{\"a\":1 2}",
		"{\"a\":[1 2]}", "{\"a\":{\"b\"}}", "{\"a\":\"01234567\x01\"}",
	};
	const char	*why;
	size_t		 i;

	(void)state;
	for (i = 0; i < NITEMS(bad); i++) {
		if (scan_all(bad[i], &why) == 0)
			fail_msg("accepted \"%s\"", bad[i]);
		assert_string_equal(why, "not valid JSON");
	}
}

/* 256 brackets deep is the most; one more is refused, and said so. */
static void
test_scan_depth(void **state)
{
	char		 buf[2 * 257 + 1];
	const char	*why;
	size_t		 n;

	(void)state;
	for (n = 256; n <= 257; n++) {
		memset(buf, '[', n);
		memset(buf + n, ']', n);
		buf[2 * n] = '\0';
		if (n == 256)
			assert_int_equal(scan_all(buf, &why), 0);
		else {
			assert_int_equal(scan_all(buf, &why), -1);
			assert_string_equal(why,
			    "JSON nested more than 256 deep");
		}
	}
}

/* The spans: strings between quotes, escapes flagged, nested whole. */
static void
test_scan_spans(void **state)
{
	static const char	 text[] = " {\"s\":\"plain\",\"e\":\"a\\nb\","
	    "\"n\":-12,\"w\":null,\"o\":{\"x\":[1]},\"a\":[\"p\",2]} ";
	static const struct {
		const char	*name;
		enum pjson_type	 type;
		const char	*value;
		int		 escaped;
	} want[] = {
		{ "s", PJSON_STRING, "plain", 0 },
		{ "e", PJSON_STRING, "a\\nb", 1 },
		{ "n", PJSON_PRIMITIVE, "-12", 0 },
		{ "w", PJSON_PRIMITIVE, "null", 0 },
		{ "o", PJSON_OBJECT, "{\"x\":[1]}", 0 },
		{ "a", PJSON_ARRAY, "[\"p\",2]", 0 },
	};
	static const char	 esc[] = "a\\nb\\u00e9";
	struct pjson_iter	 it, in;
	struct pjson_span	 name, v, e;
	char			 out[16];
	size_t			 i, n;

	(void)state;
	assert_int_equal(pjson_scan(&it, text, strlen(text)), PJSON_OBJECT);
	for (i = 0; i < NITEMS(want); i++) {
		assert_int_equal(pjson_iter_next(&it, &name, &v), 1);
		assert_int_equal(name.len, strlen(want[i].name));
		assert_memory_equal(name.text, want[i].name, name.len);
		assert_int_equal(v.type, want[i].type);
		assert_int_equal(v.len, strlen(want[i].value));
		assert_memory_equal(v.text, want[i].value, v.len);
		if (v.type == PJSON_STRING)
			assert_int_equal(v.escaped, want[i].escaped);
	}
	assert_int_equal(pjson_iter_next(&it, &name, &v), 0);

	/* Into the array just read: its elements, then the end. */
	pjson_iter_init(&in, &v);
	assert_int_equal(pjson_iter_next(&in, NULL, &e), 1);
	assert_int_equal(e.type, PJSON_STRING);
	assert_memory_equal(e.text, "p", 1);
	assert_int_equal(pjson_iter_next(&in, NULL, &e), 1);
	assert_int_equal(e.type, PJSON_PRIMITIVE);
	assert_int_equal(pjson_iter_next(&in, NULL, &e), 0);

	/* An escaped span unescapes as pjson_str would. */
	n = pjson_unescape(esc, esc + strlen(esc), out);
	assert_int_equal(n, 5);
	assert_memory_equal(out, "a\nb\xc3\xa9", 5);
}

/* pjson_plain stops at the first byte to escape, wherever it falls. */
static void
test_plain(void **state)
{
	static const char	 stops[] = { '"', '\\', '\n', '\x01', '\x1f' };
	char			 buf[40];
	size_t			 at, s;

	(void)state;
	for (s = 0; s < sizeof(stops); s++) {
		for (at = 0; at < sizeof(buf); at++) {
			memset(buf, 'x', sizeof(buf));
			buf[at] = stops[s];
			/* A later stop must not hide the first one. */
			if (at + 1 < sizeof(buf))
				buf[at + 1] = '"';
			assert_ptr_equal(pjson_plain(buf, buf + sizeof(buf)),
			    buf + at);
		}
	}
	memset(buf, 0xc3, sizeof(buf));		/* high bytes are plain */
	buf[0] = ' ';
	assert_ptr_equal(pjson_plain(buf, buf + sizeof(buf)),
	    buf + sizeof(buf));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scan_accept),
		cmocka_unit_test(test_scan_refuse),
		cmocka_unit_test(test_scan_depth),
		cmocka_unit_test(test_scan_spans),
		cmocka_unit_test(test_plain),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
