/*
 * test_evbeat.c: the Winlogbeat NDJSON parser on small hand-made lines:
 * both numberings of the unnamed data items (param1… and param0…), keys
 * out of order or missing, the ECS fallbacks when winlog is absent, the
 * qualifiers, bad lines with their offsets, the line-length bound, and a
 * callback that stops the parser.  Every case is also pushed one byte at
 * a time and must give the same text.
 */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "test_parse.h"

#include "parsers.h"

/* A 6100 message naming an MA the data items do not. */
#define MSG	"\"message\":\"The management agent \\\"frommsg\\\" step " \
		"execution completed on run profile \\\"Delta Import\\\" " \
		"with errors.\""
#define TS	"\"@timestamp\":\"2026-04-02T09:00:54.447Z\""
/* A winlog line with event id id and event_data members data. */
#define WL(id, data) "{" TS "," MSG ",\"winlog\":{\"event_id\":" id \
		",\"provider_name\":\"ADSync\",\"computer_name\":" \
		"\"AADCONNECT01.contoso.com\",\"event_data\":{" data "}}}\n"
#define P1	"\"param1\":\"fromdata\",\"param2\":\"Export\",\"param3\":" \
		"\"0\",\"param4\":\"0\",\"param5\":\"0\",\"param6\":\"4\"," \
		"\"param7\":\"0\""

#define STATS(r, n, e)	"# read " #r ", records " #n ", errors " #e "\n"

static const struct test_parse_case cases[] = {
	{ "7.x: numeric id, param1…", WL("6100", P1),
	    { "\"connector\":\"fromdata\"", "\"profile\":\"Export\"",
	    "\"export_errors\":4,\"warnings\":0",
	    "\"time\":\"2026-04-02T09:00:54.447Z\"" }, STATS(1, 1, 0) },
	{ "8.x: keyword id", WL("\"6100\"", P1),
	    { "\"connector\":\"fromdata\"",
	    "\"host\":\"AADCONNECT01.contoso.com\"" }, STATS(1, 1, 0) },
	{ "keys out of numeric order", WL("6100", "\"param7\":\"1\","
	    "\"param2\":\"Export\",\"param10\":\"x\",\"param1\":\"fromdata\","
	    "\"param6\":\"4\",\"param3\":\"0\",\"param5\":\"0\","
	    "\"param4\":\"2\""),
	    { "\"connector\":\"fromdata\"", "\"profile\":\"Export\"",
	    "\"sync_errors\":2,\"mv_retry_errors\":0,\"export_errors\":4,"
	    "\"warnings\":1" },
	    STATS(1, 1, 0) },
	{ "param0…", WL("\"6100\"", "\"param0\":\"fromdata\","
	    "\"param1\":\"Full Import\",\"param2\":\"3\",\"param3\":\"0\","
	    "\"param4\":\"0\",\"param5\":\"0\",\"param6\":\"0\""),
	    { "\"connector\":\"fromdata\"", "\"profile\":\"Full Import\"",
	    "\"discovery_errors\":3" }, STATS(1, 1, 0) },
	{ "a number missing keeps the places after it",
	    WL("6100", "\"param0\":\"fromdata\",\"param1\":\"Export\","
	    "\"param2\":\"0\",\"param4\":\"0\",\"param5\":\"6\","
	    "\"param6\":\"0\""),
	    { "\"connector\":\"fromdata\"",
	    "\"mv_retry_errors\":0,\"export_errors\":6,\"warnings\":0" },
	    STATS(1, 1, 0) },
	{ "param1 dropped (empty): numbering still from 1",
	    WL("6100", "\"param2\":\"Export\",\"param6\":\"5\""),
	    { "\"connector\":\"frommsg\"", "\"profile\":\"Delta Import\"",
	    "\"export_errors\":5" }, STATS(1, 1, 0) },
	{ "named keys and out-of-range numbers are not data",
	    WL("6100", "\"Binary\":\"00\",\"param\":\"x\",\"paramX\":\"y\","
	    "\"param1x\":\"z\",\"param99\":\"w\",\"param1\":\"fromdata\","
	    "\"param2\":\"Export\""),
	    { "\"connector\":\"fromdata\"", "\"profile\":\"Export\"" },
	    STATS(1, 1, 0) },
	{ "numbers and null as data", WL("6100", "\"param1\":\"fromdata\","
	    "\"param2\":\"Export\",\"param3\":0,\"param4\":null,"
	    "\"param5\":{},\"param6\":12"),
	    { "\"discovery_errors\":0", "\"export_errors\":12" },
	    STATS(1, 1, 0) },
	{ "no event_data: the message", WL("6100", ""),
	    { "\"connector\":\"frommsg\"", "\"profile\":\"Delta Import\"" },
	    STATS(1, 1, 0) },
	{ "ECS only: event.code, event.provider, host.hostname",
	    "{" TS ",\"event\":{\"code\":6100,\"provider\":\"ADSync\"},"
	    "\"host\":{\"hostname\":\"aadconnect01\"}," MSG "}\n",
	    { "\"host\":\"aadconnect01\"", "\"connector\":\"frommsg\"" },
	    STATS(1, 1, 0) },
	{ "event.created without @timestamp",
	    "{\"event\":{\"code\":\"6050\",\"provider\":\"ADSync\","
	    "\"created\":\"2026-04-02T09:00:55.102Z\"},"
	    "\"host\":{\"name\":\"h1\"}," MSG "}\n",
	    { "\"source\":\"event-6050\"",
	    "\"time\":\"2026-04-02T09:00:55.102Z\"", "\"host\":\"h1\"" },
	    STATS(1, 1, 0) },
	{ "winlog wins over ECS",
	    "{" TS ",\"event\":{\"code\":\"1\",\"provider\":\"Other\"},"
	    "\"host\":{\"name\":\"ecs\"}," MSG ",\"winlog\":{\"event_id\":"
	    "6100,\"provider_name\":\"ADSync\",\"computer_name\":\"wl\"}}\n",
	    { "\"host\":\"wl\"", "\"source\":\"event-6100\"" },
	    STATS(1, 1, 0) },
	{ "qualifiers are masked off",
	    "{" TS ",\"message\":\"ECMA2 MA export run caused an error.\\n\\n"
	    "DN: CN={41}\\nError Name: InvalidSoftMatch\\n\\nError Detail: "
	    "x\",\"winlog\":{\"event_id\":1073748765,\"provider_name\":"
	    "\"ADSync\"}}\n",
	    { "\"source\":\"event-6941\"", "\"dn\":\"CN={41}\"",
	    "\"error_name\":\"InvalidSoftMatch\"" }, STATS(1, 1, 0) },
	{ "another provider's 6100 is read, not a record",
	    "{" TS ",\"winlog\":{\"event_id\":6100,\"provider_name\":"
	    "\"Foo\"}}\n{" TS ",\"winlog\":{\"event_id\":4624,"
	    "\"provider_name\":\"ADSync\"}}\n", { NULL }, STATS(2, 0, 0) },
	{ "CRLF, blank lines, no final newline",
	    "\r\n" WL("6100", P1) "\r\n\r\n{" TS ",\"winlog\":{\"event_id\":"
	    "6100,\"provider_name\":\"ADSync\",\"event_data\":{\"param1\":"
	    "\"last\",\"param2\":\"Export\"}}}",
	    { "\"connector\":\"fromdata\"", "\"connector\":\"last\"" },
	    STATS(2, 2, 0) },
	{ "UTF-8 BOM", "\xef\xbb\xbf" WL("6100", P1),
	    { "\"connector\":\"fromdata\"" }, STATS(1, 1, 0) },
	{ "escapes in the data", WL("6100", "\"param1\":\"a\\u0027b\\\"c\","
	    "\"param2\":\"\\u00c9xport\\ud83d\\ude00\""),
	    { "\"connector\":\"a'b\\\"c\"", "\"profile\":\"Éxport😀\"" },
	    STATS(1, 1, 0) },
	{ "empty input", "", { NULL }, STATS(0, 0, 0) },
	{ "blank lines only", "\n\r\n  \n", { NULL }, STATS(0, 0, 0) },
};

static void
test_cases(void **state)
{
	(void)state;
	test_parse_cases(PARSER_FMT_EVENT_BEAT, "winlogbeat.ndjson", cases,
	    sizeof(cases) / sizeof(cases[0]));
}

/* Each bad line is one item error at its own offset; the rest is read. */
static void
test_bad_lines(void **state)
{
	static const struct {
		const char	*line;
		const char	*why;	/* NULL: a good line */
	} lines[] = {
		{ WL("6100", P1), NULL },
		{ "not json at all\n", "not valid JSON" },
		{ "[1,2]\n", "not a JSON object" },
		{ "{\"winlog\":{\"event_id\":\"abc\"}}\n",
		    "the event id is not a number" },
		{ "{\"winlog\":{\"event_id\":-5}}\n",
		    "the event id is not a number" },
		{ "{\"winlog\":{\"event_id\":4294967296}}\n",
		    "the event id is not a number" },
		{ "{\"winlog\":{\"provider_name\":\"ADSync\"}}\n",
		    "no event id (winlog.event_id or event.code)" },
		{ "{\"winlog\":\"x\",\"event\":[]}\n",
		    "no event id (winlog.event_id or event.code)" },
		{ "{\"a\":\"cut\n", "line ends inside a JSON string" },
		{ "{\"a\":[1,\n", "line ends inside a JSON value" },
		{ "{key:1}\n", "not valid JSON" },
		{ WL("6100", P1), NULL },
		{ "{\"a\":{\"b\":", "truncated JSON value" },
	};
	char	in[8192], want[8192], *out, *errs;
	size_t	i, len = 0, wlen = 0, good = 0;

	(void)state;
	for (i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		if (lines[i].why != NULL)
			wlen += (size_t)snprintf(want + wlen, sizeof(want) -
			    wlen, "! error at %zu: %s\n", len, lines[i].why);
		else
			good++;
		len += (size_t)snprintf(in + len, sizeof(in) - len, "%s",
		    lines[i].line);
	}
	out = test_parse_both(PARSER_FMT_EVENT_BEAT, "winlogbeat.ndjson", in,
	    len);
	errs = test_parse_errors(out);
	assert_string_equal(errs, want);
	free(errs);
	snprintf(want, sizeof(want), "# read %zu, records %zu, errors %zu\n",
	    sizeof(lines) / sizeof(lines[0]), good,
	    sizeof(lines) / sizeof(lines[0]) - good);
	test_parse_expect(out, "bad lines", NULL, 0, want);
	free(out);
}

/* An embedded NUL spoils its line only. */
static void
test_nul(void **state)
{
	static const char in[] = "{\"winlog\":{\"event_id\":6100,\"x\":\"a\0b"
	    "\"}}\n" WL("6100", P1);
	char	*out;

	(void)state;
	out = test_parse_both(PARSER_FMT_EVENT_BEAT, "winlogbeat.ndjson", in,
	    sizeof(in) - 1);
	assert_non_null(strstr(out, "! error at 0: not valid JSON\n"));
	assert_non_null(strstr(out, "\"connector\":\"fromdata\""));
	assert_non_null(strstr(out, STATS(2, 1, 1)));
	free(out);
}

/*
 * A line of exactly the bound (256 KiB) is read; one byte more is
 * refused, whatever the chunking, and the next line is read again.
 */
static void
test_line_bound(void **state)
{
	static const char head[] = "{\"winlog\":{\"event_id\":6100,"
	    "\"provider_name\":\"ADSync\",\"event_data\":{\"param1\":\"";
	static const char tail[] = "\"}}}";
	const size_t	 bound = 256 * 1024;
	size_t		 extra, len, fill;
	char		*in, *out, want[128];

	(void)state;
	for (extra = 0; extra <= 1; extra++) {
		len = bound + extra;
		in = malloc(2 * len + 2);
		assert_non_null(in);
		fill = len - (sizeof(head) - 1) - (sizeof(tail) - 1);
		memcpy(in, head, sizeof(head) - 1);
		memset(in + sizeof(head) - 1, 'x', fill);
		memcpy(in + len - (sizeof(tail) - 1), tail, sizeof(tail) - 1);
		in[len] = '\n';
		memcpy(in + len + 1, in, len);	/* twice */
		out = test_parse(PARSER_FMT_EVENT_BEAT, "b.ndjson", in,
		    2 * len + 1, 0);
		if (extra == 0)
			assert_non_null(strstr(out, STATS(2, 2, 0)));
		else {
			snprintf(want, sizeof(want), "! error at 0: JSON value "
			    "too long\n! error at %zu: JSON value too long\n",
			    len + 1);
			assert_non_null(strstr(out, want));
			assert_non_null(strstr(out, STATS(2, 0, 2)));
		}
		free(out);
		out = test_parse(PARSER_FMT_EVENT_BEAT, "b.ndjson", in,
		    2 * len + 1, 4096);
		assert_non_null(strstr(out, extra == 0 ? STATS(2, 2, 0) :
		    STATS(2, 0, 2)));
		free(out);
		free(in);
	}
}

/* A callback's -1 stops the parser at the line that made the record. */
static void
test_stop(void **state)
{
	static const char in[] = "{\"winlog\":{\"event_id\":1}}\n"
	    WL("6100", P1) WL("6100", P1);
	const struct parser_stats	*st;
	const char			*why;
	uint64_t			 off = 0;
	void				*p;
	int				 n = 0;

	(void)state;
	p = evbeat_ops.new("b.ndjson", test_parse_stop_cb, NULL, &n);
	assert_non_null(p);
	assert_int_equal(evbeat_ops.push(p, in, sizeof(in) - 1), -1);
	assert_int_equal(n, 1);
	why = evbeat_ops.error(p, &off);
	assert_string_equal(why, "stopped by the record callback");
	assert_int_equal(off, strlen("{\"winlog\":{\"event_id\":1}}\n"));
	assert_int_equal(evbeat_ops.push(p, in, 1), -1);
	assert_int_equal(evbeat_ops.finish(p), -1);
	st = evbeat_ops.stats(p);
	assert_int_equal(st->read, 2);
	assert_int_equal(st->records, 0);
	evbeat_ops.free(p);
	evbeat_ops.free(NULL);
}

/* Without an error callback, bad lines are still counted. */
static void
test_no_error_cb(void **state)
{
	static const char in[] = "junk\n{\"a\":1}\n" WL("6100", P1) "{\"a";
	const struct parser_stats	*st;
	void				*p;
	int				 n = 0;

	(void)state;
	p = evbeat_ops.new(NULL, test_parse_count_cb, NULL, &n);
	assert_non_null(p);
	assert_int_equal(evbeat_ops.push(p, in, sizeof(in) - 1), 0);
	assert_int_equal(evbeat_ops.finish(p), 0);
	assert_null(evbeat_ops.error(p, NULL));
	st = evbeat_ops.stats(p);
	assert_int_equal(st->read, 4);
	assert_int_equal(st->records, 1);
	assert_int_equal(st->errors, 3);
	assert_int_equal(n, 1);
	evbeat_ops.free(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_bad_lines),
		cmocka_unit_test(test_nul),
		cmocka_unit_test(test_line_bound),
		cmocka_unit_test(test_stop),
		cmocka_unit_test(test_no_error_cb),
	};

	parser_init();
	return (cmocka_run_group_tests(tests, NULL, NULL));
}
