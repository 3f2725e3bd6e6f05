/*
 * test_evpsjson.c: the PowerShell ConvertTo-Json event parser on small
 * hand-made documents: Get-WinEvent from PS 5.1 (type-name Properties,
 * "\/Date()\/" times, UTF-16 LE) and PS 7 (Properties as Value objects,
 * ISO times), Get-EventLog entries (EventID, InstanceId,
 * ReplacementStrings), the -InputObject wrapper, bad elements with their
 * offsets, and a callback that stops the parser.  Every case is also
 * pushed one byte at a time and must give the same text.
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

/* A 6100 message naming an MA the data items do not. */
#define MSG	"\"Message\":  \"The management agent \\\"frommsg\\\" step " \
		"execution completed on run profile \\\"Delta Import\\\" " \
		"with errors.\\r\\n Export Errors          : \\\"7\\\"\""
#define WE(head, tail) "{" head "\"ProviderName\":  \"ADSync\"," \
		"\"MachineName\":  \"AADCONNECT01.contoso.com\"," \
		"\"TimeCreated\":  \"\\/Date(1718500012447)\\/\"," tail MSG "}"
#define VALUES	"\"Properties\": [{\"Value\": \"fromdata\"}, {\"Value\": " \
		"\"Export\"}, {\"Value\": \"0\"}, {\"Value\": \"0\"}, " \
		"{\"Value\": \"0\"}, {\"Value\": \"4\"}, {\"Value\": \"0\"}],"
#define STATS(r, n, e)	"# read " #r ", records " #n ", errors " #e "\n"

static const struct test_parse_case cases[] = {
	{ "PS 5.1: type names, the message carries all",
	    WE("\"Id\":  6100,", "\"Properties\":  [\"System.Diagnostics."
	    "Eventing.Reader.EventProperty\", \"System.Diagnostics.Eventing."
	    "Reader.EventProperty\"],"),
	    { "\"connector\":\"frommsg\"", "\"profile\":\"Delta Import\"",
	    "\"export_errors\":7", "\"time\":\"2024-06-16T01:06:52.447Z\"" },
	    STATS(1, 1, 0) },
	{ "PS 7: Properties values are the data",
	    "[{\"Id\": 6100, \"ProviderName\": \"ADSync\", \"MachineName\": "
	    "\"h7\", \"TimeCreated\": \"2024-06-15T21:06:52.4471234-04:00\", "
	    VALUES MSG "}]",
	    { "\"connector\":\"fromdata\"", "\"profile\":\"Export\"",
	    "\"export_errors\":4", "\"time\":\"2024-06-16T01:06:52.447Z\"" },
	    STATS(1, 1, 0) },
	{ "PS 7: a Value that is null or an object is empty",
	    WE("\"Id\": 6100,", "\"Properties\": [{\"Value\": null}, "
	    "{\"Value\": {\"x\": 1}}, {\"Value\": 5}, {\"Other\": 1}],"),
	    { "\"connector\":\"frommsg\"", "\"discovery_errors\":5" },
	    STATS(1, 1, 0) },
	{ "Get-EventLog: EventID, Source, ReplacementStrings",
	    "{\"EventID\":  6100, \"Source\":  \"ADSync\", \"MachineName\":  "
	    "\"h1\", \"TimeGenerated\":  \"\\/Date(1718500012447)\\/\", "
	    "\"ReplacementStrings\":  [\"fromdata\", \"Export\", \"1\"], "
	    "\"InstanceId\":  1073747924, " MSG "}",
	    { "\"connector\":\"fromdata\"", "\"discovery_errors\":1",
	    "\"host\":\"h1\"", "\"time\":\"2024-06-16T01:06:52.447Z\"" },
	    STATS(1, 1, 0) },
	{ "Get-EventLog: InstanceId alone, qualifiers masked",
	    "{\"Source\":\"ADSync\",\"InstanceId\":1073748765,\"Message\":"
	    "\"ECMA2 MA export run caused an error.\\r\\n\\r\\nDN: CN={41}"
	    "\\r\\nError Name: AttributeValueMustBeUnique\\r\\n\\r\\n"
	    "Error Detail: x\"}",
	    { "\"source\":\"event-6941\"", "\"dn\":\"CN={41}\"" },
	    STATS(1, 1, 0) },
	{ "Id null falls back to EventID; keys in any case",
	    "{\"id\": null, \"eventid\": \"6050\", \"source\": \"ADSync\", "
	    MSG "}",
	    { "\"source\":\"event-6050\"", "\"connector\":\"frommsg\"" },
	    STATS(1, 1, 0) },
	{ "a DateTime with extended properties",
	    "{\"Id\": 6100, \"TimeCreated\": {\"value\": "
	    "\"\\/Date(1718500072447)\\/\", \"DisplayHint\": 2}, " MSG "}",
	    { "\"time\":\"2024-06-16T01:07:52.447Z\"" }, STATS(1, 1, 0) },
	{ "the -InputObject wrapper",
	    "{\"value\": [" WE("\"Id\": 6100,", "") ", "
	    WE("\"Id\": 4624,", "") "], \"Count\": 2}",
	    { "\"connector\":\"frommsg\"" }, STATS(2, 1, 0) },
	{ "concatenated objects, other providers",
	    WE("\"Id\": 6100,", "") "\r\n"
	    "{\"Id\": 6100, \"ProviderName\": \"Other\"}\r\n"
	    "{\"Id\": 611, \"ProviderName\": \"Directory Synchronization\"}",
	    { "\"connector\":\"frommsg\"" }, STATS(3, 1, 0) },
	{ "bad elements are items; the array goes on",
	    "[\n  1,\n  \"text\",\n  [],\n  {\"Name\": \"x\"},\n"
	    "  {\"Id\": \"abc\"},\n  {\"Id\": -1},\n"
	    "  " WE("\"Id\": 6100,", "") "\n]\n",
	    { "! error at 9: not a JSON object\n"
	    "! error at 19: not a JSON object\n! error at 25: no event id "
	    "(Id, EventID or InstanceId)\n! error at 42: the event id is not a "
	    "number\n! error at 59: the event id is not a number\n",
	    "\"connector\":\"frommsg\"" }, STATS(7, 1, 6) },
	{ "truncated array",
	    "[\n" WE("\"Id\": 6100,", "") ",\n{\"Id\": 6100, \"Message\": \"x",
	    { "\"connector\":\"frommsg\"", "truncated JSON value" },
	    STATS(2, 1, 1) },
	{ "empty array", "[\r\n\r\n]\r\n", { NULL }, STATS(0, 0, 0) },
	{ "empty input", "", { NULL }, STATS(0, 0, 0) },
};

static void
test_cases(void **state)
{
	(void)state;
	test_parse_cases(PARSER_FMT_EVENT_PSJSON, "events.json", cases,
	    sizeof(cases) / sizeof(cases[0]));
}

/*
 * UTF-16 LE with a BOM, as Windows PowerShell's ">" writes it: the same
 * records, and offsets in bytes of the file.
 */
static void
test_utf16(void **state)
{
	static const char doc[] = "[\r\n    " WE("\"Id\":  6100,", "")
	    ",\r\n    {\"Version\":  0}\r\n]\r\n";
	char	*in, *out, want[64];
	size_t	 len, at;

	(void)state;
	in = test_utf16_encode(doc, 0, 1, &len);
	out = test_parse_both(PARSER_FMT_EVENT_PSJSON, "events.json", in, len);
	at = (size_t)(strstr(doc, "{\"Version\"") - doc);
	snprintf(want, sizeof(want), "! error at %zu: no event id", 2 + 2 * at);
	if (strstr(out, want) == NULL)
		fail_msg("lacks %s in\n%s", want, out);
	assert_non_null(strstr(out, "\"connector\":\"frommsg\""));
	assert_non_null(strstr(out, STATS(2, 1, 1)));
	free(out);
	free(in);
}

/* A callback's -1 stops the parser at the element that made the record. */
static void
test_stop(void **state)
{
	static const char in[] = "[{\"Id\": 1}, " WE("\"Id\": 6100,", "")
	    ", " WE("\"Id\": 6100,", "") "]";
	uint64_t	 off = 0;
	void		*p;
	int		 n = 0;

	(void)state;
	p = evpsjson_ops.new("e.json", test_parse_stop_cb, NULL, &n);
	assert_non_null(p);
	assert_int_equal(evpsjson_ops.push(p, in, sizeof(in) - 1), -1);
	assert_int_equal(n, 1);
	assert_string_equal(evpsjson_ops.error(p, &off),
	    "stopped by the record callback");
	assert_int_equal(off, 12);
	assert_int_equal(evpsjson_ops.finish(p), -1);
	assert_int_equal(evpsjson_ops.stats(p)->read, 2);
	evpsjson_ops.free(p);
	evpsjson_ops.free(NULL);
}

/* Without an error callback, bad elements are still counted. */
static void
test_no_error_cb(void **state)
{
	static const char in[] = "[1, {\"a\": 2}, {\"Id\": 4624}, {\"Id\"";
	const struct parser_stats	*st;
	void				*p;
	int				 n = 0;

	(void)state;
	p = evpsjson_ops.new(NULL, test_parse_stop_cb, NULL, &n);
	assert_non_null(p);
	assert_int_equal(evpsjson_ops.push(p, in, sizeof(in) - 1), 0);
	assert_int_equal(evpsjson_ops.finish(p), 0);
	st = evpsjson_ops.stats(p);
	assert_int_equal(st->read, 4);
	assert_int_equal(st->records, 0);
	assert_int_equal(st->errors, 3);
	assert_int_equal(n, 0);
	evpsjson_ops.free(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_utf16),
		cmocka_unit_test(test_stop),
		cmocka_unit_test(test_no_error_cb),
	};

	parser_init();
	return (cmocka_run_group_tests(tests, NULL, NULL));
}
