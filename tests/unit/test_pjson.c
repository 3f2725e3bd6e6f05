/*
 * test_pjson.c: struct pjson, the parsed JSON value every JSON format
 * reads its items through: what it accepts, its getters, its unescaping,
 * the integers and the dates PowerShell and ISO writers put in JSON, a
 * value past its first token table, and one struct reused for many
 * values.  The splitter that cuts a stream into values is test_psplit's.
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
	free(big);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_accept),
		cmocka_unit_test(test_getters),
		cmocka_unit_test(test_str),
		cmocka_unit_test(test_primitives),
		cmocka_unit_test(test_time),
		cmocka_unit_test(test_many_tokens),
		cmocka_unit_test(test_reuse),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
