/*
 * test_evcsv.c: the Export-Csv event parser on small hand-made files:
 * with and without "#TYPE", columns in any order, ',' and ';', the
 * Get-EventLog columns (EventID, InstanceId, Source, TimeGenerated), the
 * time forms, rows that are too short or lack an id, a header that is not
 * an event export, the row-length bound, UTF-16, and a callback that
 * stops the parser.  Every case is also pushed one byte at a time and
 * must give the same text.
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
#include "test_util.h"

#include "parsers.h"

#define TYPE	"#TYPE System.Diagnostics.Eventing.Reader.EventLogRecord\r\n"
#define HDR	"\"Message\",\"Id\",\"ProviderName\",\"MachineName\"," \
		"\"TimeCreated\",\"Properties\"\r\n"
/* A quoted multi-line 6100 message naming MA "frommsg". */
#define MSG	"\"The management agent \"\"frommsg\"\" step execution " \
		"completed on run profile \"\"Export\"\" with errors." \
		"\r\n \r\n Additional Information\r\n" \
		" Export Errors          : \"\"3\"\"\r\n \r\n User Action\""
#define PROPS	"\"System.Collections.Generic.List`1[System.Diagnostics." \
		"Eventing.Reader.EventProperty]\""
#define ROW(id, when) MSG ",\"" id "\",\"ADSync\",\"AADCONNECT01\",\"" \
		when "\"," PROPS "\r\n"
#define STATS(r, n, e)	"# read " #r ", records " #n ", errors " #e "\n"

static const struct test_parse_case cases[] = {
	{ "PS 5.1 with #TYPE", TYPE HDR ROW("6100", "6/16/2024 1:06:52 AM"),
	    { "\"connector\":\"frommsg\"", "\"export_errors\":3",
	    "\"host\":\"AADCONNECT01\"",
	    "\"time\":\"2024-06-16T01:06:52.000Z\"" },
	    STATS(1, 1, 0) },
	{ "PS 7: no #TYPE, another column order, LF only",
	    "\"TimeCreated\",\"Id\",\"MachineName\",\"ProviderName\","
	    "\"Message\"\n\"6/16/2024 12:00:01 PM\",\"6050\",\"h7\",\"ADSync\","
	    MSG "\n",
	    { "\"source\":\"event-6050\"", "\"host\":\"h7\"",
	    "\"time\":\"2024-06-16T12:00:01.000Z\"" }, STATS(1, 1, 0) },
	{ "';' as the delimiter, ',' and ';' inside quotes",
	    "\"Message\";\"Id\";\"ProviderName\"\r\n\"The management agent "
	    "\"\"a,b;c\"\" failed on run profile \"\"Export\"\"\";\"6050\";"
	    "\"ADSync\"\r\n",
	    { "\"connector\":\"a,b;c\"", "\"source\":\"event-6050\"" },
	    STATS(1, 1, 0) },
	{ "Get-EventLog columns; InstanceId when EventID is empty",
	    "#TYPE System.Diagnostics.EventLogEntry#Application/ADSync/"
	    "1073748765\r\n\"EventID\",\"Message\",\"Source\","
	    "\"ReplacementStrings\",\"InstanceId\",\"TimeGenerated\"\r\n"
	    "\"\",\"ECMA2 MA export run caused an error.\r\n\r\nDN: CN={41}"
	    "\r\nError Name: InvalidSoftMatch\r\n\r\nError Detail: x\","
	    "\"ADSync\",\"System.String[]\",\"1073748765\","
	    "\"6/16/2024 1:07:29 AM\"\r\n",
	    { "\"source\":\"event-6941\"", "\"dn\":\"CN={41}\"",
	    "\"time\":\"2024-06-16T01:07:29.000Z\"" }, STATS(1, 1, 0) },
	{ "times: ISO read leniently, day-first cultures too",
	    HDR ROW("6100", "2024-06-16T01:06:52.5Z")
	    ROW("6100", "16.06.2024 01:06:52"),
	    { "\"time\":\"2024-06-16T01:06:52.500Z\"",
	    "\"time\":\"2024-06-16T01:06:52.000Z\"" }, STATS(2, 2, 0) },
	{ "a longer row is read; other ids and providers are skipped",
	    HDR MSG ",\"6100\",\"ADSync\",\"h\",\"\",\"x\",\"extra\"\r\n"
	    ROW("4624", "6/16/2024 1:06:52 AM")
	    MSG ",\"6100\",\"Other\",\"h\",\"\",\"x\"\r\n",
	    { "\"connector\":\"frommsg\"" }, STATS(3, 1, 0) },
	{ "bad rows are items at their offsets",
	    HDR "\"only\",\"two\"\r\n"
	    MSG ",\"\",\"ADSync\",\"h\",\"\",\"x\"\r\n"
	    "\"m\",\"six\",\"ADSync\",\"h\",\"\",\"x\"\r\n"
	    ROW("6100", "6/16/2024 1:06:52 AM"),
	    { "! error at 72: short row: 2 fields, the header has 6\n",
	    "! error at 86: no event id\n",
	    "! error at 287: the event id is not a number\n" },
	    STATS(4, 1, 3) },
	{ "header only", TYPE HDR, { NULL }, STATS(0, 0, 0) },
	{ "empty input", "", { NULL }, STATS(0, 0, 0) },
	{ "blank lines between rows",
	    HDR "\r\n" ROW("6100", "") "\r\n\r\n",
	    { "\"connector\":\"frommsg\"" }, STATS(1, 1, 0) },
	{ "not an event export",
	    "\"Name\",\"Value\"\r\n\"a\",\"1\"\r\n",
	    { "! failed at 0: not an event export: no Id, EventID or "
	    "InstanceId column\n" }, STATS(0, 0, 0) },
	{ "not an event export, header only",
	    "#TYPE Foo\r\n\"Name\",\"Value\"\r\n",
	    { "! failed at 11: not an event export" }, STATS(0, 0, 0) },
	{ "unterminated quote at the end",
	    HDR ROW("6100", "") MSG ",\"6100\",\"ADSync\",\"h\",\"\",\"x",
	    { "\"connector\":\"frommsg\"",
	    "! error at 370: unterminated quoted CSV field\n" },
	    STATS(2, 1, 1) },
};

static void
test_cases(void **state)
{
	(void)state;
	test_parse_cases(PARSER_FMT_EVENT_CSV, "events.csv", cases,
	    sizeof(cases) / sizeof(cases[0]));
}

/* Export-Csv -Encoding Unicode: UTF-16 LE, offsets in file bytes. */
static void
test_utf16(void **state)
{
	static const char doc[] = TYPE HDR "\"m\",\"\",\"ADSync\",\"h\","
	    "\"\",\"x\"\r\n" ROW("6100", "6/16/2024 1:06:52 AM");
	char	*in, *out, want[64];
	size_t	 len;

	(void)state;
	in = test_utf16_encode(doc, 0, 1, &len);
	out = test_parse_both(PARSER_FMT_EVENT_CSV, "events.csv", in, len);
	snprintf(want, sizeof(want), "! error at %zu: no event id\n",
	    2 + 2 * (strlen(TYPE) + strlen(HDR)));
	if (strstr(out, want) == NULL)
		fail_msg("lacks %s in\n%s", want, out);
	assert_non_null(strstr(out, "\"connector\":\"frommsg\""));
	assert_non_null(strstr(out, STATS(2, 1, 1)));
	free(out);
	free(in);
}

/*
 * A row of exactly the bound (1 MiB before its "\n") is read; one byte
 * more is refused whatever the chunking, and the next row is read.
 */
static void
test_row_bound(void **state)
{
	static const char tail[] = "\",\"6100\",\"ADSync\",\"h\",\"\",\"x\"";
	const size_t	 bound = 1024 * 1024;
	static const size_t chunks[] = { 0, 4096 };
	size_t		 extra, len, c, at;
	char		*in, *out;

	(void)state;
	for (extra = 0; extra <= 1; extra++) {
		len = bound + extra;
		in = malloc(strlen(HDR) + len + 1 + 1024);
		assert_non_null(in);
		at = strlen(HDR);
		memcpy(in, HDR, at);
		in[at] = '"';
		memset(in + at + 1, 'x', len - 1 - (sizeof(tail) - 1));
		memcpy(in + at + len - (sizeof(tail) - 1), tail,
		    sizeof(tail) - 1);
		in[at + len] = '\n';
		memcpy(in + at + len + 1, ROW("6100", ""),
		    strlen(ROW("6100", "")));
		for (c = 0; c < sizeof(chunks) / sizeof(chunks[0]); c++) {
			out = test_parse(PARSER_FMT_EVENT_CSV, "b.csv", in,
			    at + len + 1 + strlen(ROW("6100", "")), chunks[c]);
			if (strstr(out, extra == 0 ? STATS(2, 2, 0) :
			    STATS(2, 1, 1)) == NULL)
				fail_msg("%zu-byte row, chunk %zu:\n%s", len,
				    chunks[c], out);
			if (extra == 1)
				assert_non_null(strstr(out,
				    "! error at 72: CSV row too long\n"));
			free(out);
		}
		free(in);
	}
}

/* A callback's -1 stops the parser at the row that made the record. */
static void
test_stop(void **state)
{
	static const char in[] = HDR ROW("4624", "") ROW("6100", "")
	    ROW("6100", "");
	uint64_t	 off = 0;
	void		*p;
	int		 n = 0;

	(void)state;
	p = evcsv_ops.new("e.csv", test_parse_stop_cb, NULL, &n);
	assert_non_null(p);
	assert_int_equal(evcsv_ops.push(p, in, sizeof(in) - 1), -1);
	assert_int_equal(n, 1);
	assert_string_equal(evcsv_ops.error(p, &off),
	    "stopped by the record callback");
	assert_int_equal(off, strlen(HDR) + strlen(ROW("4624", "")));
	assert_int_equal(evcsv_ops.finish(p), -1);
	assert_int_equal(evcsv_ops.stats(p)->read, 2);
	evcsv_ops.free(p);
	evcsv_ops.free(NULL);
}

/* Without an error callback, bad rows are still counted. */
static void
test_no_error_cb(void **state)
{
	static const char in[] = HDR "\"a\"\r\n" ROW("", "") "\"x";
	const struct parser_stats	*st;
	void				*p;
	int				 n = 0;

	(void)state;
	p = evcsv_ops.new(NULL, test_parse_stop_cb, NULL, &n);
	assert_non_null(p);
	assert_int_equal(evcsv_ops.push(p, in, sizeof(in) - 1), 0);
	assert_int_equal(evcsv_ops.finish(p), 0);
	st = evcsv_ops.stats(p);
	assert_int_equal(st->read, 3);
	assert_int_equal(st->errors, 3);
	assert_int_equal(n, 0);
	evcsv_ops.free(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_utf16),
		cmocka_unit_test(test_row_bound),
		cmocka_unit_test(test_stop),
		cmocka_unit_test(test_no_error_cb),
	};

	parser_init();
	return (cmocka_run_group_tests(tests, NULL, NULL));
}
