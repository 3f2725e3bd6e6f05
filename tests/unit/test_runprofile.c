/*
 * test_runprofile.c: the Get-ADSyncRunProfileResult parsers (JSON and
 * CSV) on small inputs written inline: the connector's kind, the date
 * forms of each PowerShell and culture, the step a -Depth 4 result ended
 * on, columns found by name, rejected items and the bounds (an element
 * or row too long).  The real-shaped exports are in tests/data.
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

#define J	PARSER_FMT_RUNPROFILE_JSON
#define C	PARSER_FMT_RUNPROFILE_CSV

#define SEL	"\"RunNumber\",\"RunHistoryId\",\"ConnectorName\"," \
	"\"RunProfileName\",\"Result\",\"StartDate\",\"EndDate\"\r\n"
/* A 7-column row of connector contoso.com with the dates s and e. */
#define ROW(s, e) "\"1\",\"id\",\"contoso.com\",\"Export\",\"success\",\"" \
	s "\",\"" e "\"\r\n"

/* The parse of s, the same pushed whole and in 1- and 5-byte pushes. */
static char *
parse(enum parser_format fmt, const char *s, size_t len)
{
	static const size_t	 chunks[] = { 1, 5 };

	return (test_parse_chunks(fmt, "x", s, len, chunks,
	    sizeof(chunks) / sizeof(chunks[0])));
}

static const struct {
	enum parser_format	 fmt;
	const char		*in;
	const char		*want[4];
	const char		*not[3];
} cases[] = {
	/* AAD by ConnectorId (any case, braces or not) or by name. */
	{ J, "{\"ConnectorName\":\"x\",\"Result\":\"success\",\"ConnectorId\":"
	    "\"{B891884F-051E-4A83-95AF-2544101C9083}\"}",
	    { "\"connector_kind\":\"AAD\"" }, { NULL } },
	{ J, "{\"ConnectorName\":\"x - AAD\",\"Result\":\"success\"}",
	    { "\"connector_kind\":\"AAD\"" }, { NULL } },
	{ J, "{\"ConnectorName\":\"x\",\"Result\":\"success\",\"ConnectorId\":"
	    "\"b891884f-051e-4a83-95af-2544101c9084\"}",
	    { "\"connector_kind\":\"AD\"" }, { NULL } },
	/* Dates: PS 5.1, PS 7 with Z, an offset or no zone, epoch ms. */
	{ J, "{\"ConnectorName\":\"x\",\"Result\":\"r\",\"StartDate\":"
	    "\"\\/Date(1718500000000)\\/\",\"EndDate\":\"2024-06-16T03:06:52"
	    "+02:00\"}", { "\"start\":\"2024-06-16T01:06:40.000Z\"",
	    "\"time\":\"2024-06-16T01:06:52.000Z\"" }, { NULL } },
	{ J, "{\"ConnectorName\":\"x\",\"Result\":\"r\",\"StartDate\":"
	    "\"2024-06-16T01:06:40\",\"EndDate\":null}",
	    { "\"time\":\"2024-06-16T01:06:40.000Z\"" }, { "\"end\"", NULL } },
	/* Numbers as numbers or strings, decimal or hex. */
	{ J, "{\"ConnectorName\":\"x\",\"Result\":\"r\",\"RunNumber\":\"12\","
	    "\"CurrentStepNumber\":\"0x2\"}", { "\"run_number\":12,"
	    "\"step_number\":2" }, { NULL } },
	/* -Depth 4: the step with the highest StepNumber gives counters. */
	{ J, "{\"ConnectorName\":\"x\",\"Result\":\"r\",\"RunStepResults\":["
	    "\"Microsoft.IdentityManagement.PowerShell.ObjectModel."
	    "RunStepResult\",{\"StepNumber\":2,\"ExportFailure\":5},"
	    "{\"StepNumber\":1,\"ExportFailure\":9}]}",
	    { "\"step_number\":2", "\"counters\":{\"export_failure\":5}" },
	    { NULL } },
	/* Unnumbered steps: the last one; its result when the run has none. */
	{ J, "{\"ConnectorName\":\"x\",\"RunStepResults\":[{\"StepResult\":"
	    "\"a\",\"StageFailure\":1},{\"StepResult\":\"b\",\"FlowFailure\":"
	    "2}]}", { "\"result\":\"b\"", "\"counters\":{\"flow_failure\":2}" },
	    { NULL } },
	/* A lone step object rather than a list of them. */
	{ J, "{\"ConnectorName\":\"x\",\"Result\":\"r\",\"RunStepResults\":"
	    "{\"StepNumber\":3,\"ExportAdd\":1}}", { "\"step_number\":3",
	    "\"counters\":{\"export_add\":1}" }, { NULL } },
	/* Type-name strings only: no counters at all. */
	{ J, "{\"ConnectorName\":\"x\",\"Result\":\"r\",\"RunStepResults\":"
	    "[\"a\",\"b\"]}", { "records 1" }, { "counters", NULL } },
	/* Rejected elements, the rest goes on. */
	{ J, "[{\"Result\":\"r\"},{\"ConnectorName\":\"\",\"Result\":\"r\"},"
	    "{\"ConnectorName\":\"x\",\"Result\":\"\"},{\"ConnectorName\":"
	    "\"x\",\"Result\":null},7,{\"ConnectorName\":\"y\",\"Result\":"
	    "\"r\"}]", { "! error at 16: RunProfileResult without a "
	    "ConnectorName", "! error at 84: RunProfileResult without a Result",
	    "! error at 120: not a JSON object",
	    "read 6, records 1, errors 5" }, { NULL } },
	{ J, "{\"ConnectorName\":\"x\",\"Result\":\"r\"} {\"ConnectorName\":",
	    { "! error at 35: truncated JSON value", "read 2, records 1" },
	    { NULL } },
	/* Not JSON at all fails as a whole; nothing at all is no error. */
	{ J, "RunNumber,ConnectorName\n1,x\n",
	    { "! failed at 0: not a JSON export" }, { NULL } },
	{ J, "", { "# read 0, records 0, errors 0\n" }, { "failed", NULL } },
	{ J, "\xff\xfe", { "# read 0, records 0, errors 0\n" }, { NULL } },

	/* CSV dates: en-US 12-hour, ISO, and the day-first cultures. */
	{ C, SEL ROW("6/16/2024 12:00:01 AM", "6/16/2024 12:00:02 PM"),
	    { "\"start\":\"2024-06-16T00:00:01.000Z\"",
	    "\"end\":\"2024-06-16T12:00:02.000Z\"" }, { NULL } },
	{ C, SEL ROW("2024-06-16T01:02:03Z", "2024-06-16 01:02:04"),
	    { "\"start\":\"2024-06-16T01:02:03.000Z\"",
	    "\"end\":\"2024-06-16T01:02:04.000Z\"" }, { NULL } },
	{ C, SEL ROW("16.06.2024 13:02:03", "16-6-2024 13:02:04"),
	    { "\"start\":\"2024-06-16T13:02:03.000Z\"",
	    "\"end\":\"2024-06-16T13:02:04.000Z\"" }, { NULL } },
	{ C, SEL ROW("31/12/2024 23:59:59", "1/2/2025 00:00:00"),
	    { "\"start\":\"2024-12-31T23:59:59.000Z\"",
	    "\"end\":\"2025-01-02T00:00:00.000Z\"" }, { NULL } },
	{ C, SEL ROW("6/31/2024 1:00:00 AM", "13:00 PM"),
	    { "records 1" }, { "\"start\"", "\"end\"" } },
	/* Columns by name, in any order and any case. */
	{ C, "result;CONNECTORNAME;rundate\r\nsuccess;contoso.com;x\r\n",
	    { "\"connector\":\"contoso.com\",\"connector_kind\":\"AD\","
	    "\"result\":\"success\"" }, { NULL } },
	/* A header with no ConnectorName or Result: not this format. */
	{ C, "\"ConnectorName\",\"RunNumber\"\r\n\"x\",\"1\"\r\n",
	    { "! failed at 0: not a RunProfileResult CSV" }, { NULL } },
	/* A header alone is an empty export. */
	{ C, SEL, { "# read 0, records 0, errors 0\n" }, { "failed", NULL } },
	/* Rows of the wrong width are rejected at their offset. */
	{ C, SEL "\"1\",\"id\"\r\n" ROW("", ""),
	    { "! error at 92: CSV row with 2 fields under a header of 7",
	    "read 2, records 1, errors 1" }, { NULL } },
};

static void
test_cases(void **state)
{
	char	*out, name[32];
	size_t	 i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		out = parse(cases[i].fmt, cases[i].in, strlen(cases[i].in));
		snprintf(name, sizeof(name), "case %zu", i);
		test_parse_expect(out, name, cases[i].want,
		    sizeof(cases[i].want) / sizeof(cases[i].want[0]), NULL);
		test_parse_expect_not(out, name, cases[i].not,
		    sizeof(cases[i].not) / sizeof(cases[i].not[0]));
		free(out);
	}
}

/*
 * An element past 8 MiB or a row past 1 MiB is rejected; the ones after
 * it are still read.
 */
static void
test_too_long(void **state)
{
	static const char	 obj[] = "{\"ConnectorName\":\"x\","
	    "\"Result\":\"r\"}";
	size_t			 n = 9 * 1024 * 1024, len;
	char			*buf, *out, *other;

	(void)state;
	buf = malloc(n + 256);
	assert_non_null(buf);
	len = (size_t)snprintf(buf, 256, "[%s,{\"Pad\":\"", obj);
	memset(buf + len, 'a', n);
	len += n;
	len += (size_t)snprintf(buf + len, 256, "\"},%s]", obj);
	out = test_parse(J, "x", buf, len, 0);
	assert_non_null(strstr(out, "! error at 36: JSON value too long\n"));
	assert_non_null(strstr(out, "# read 3, records 2, errors 1\n"));
	other = test_parse(J, "x", buf, len, 65536);
	assert_string_equal(out, other);
	free(other);
	free(out);

	len = (size_t)snprintf(buf, 256, "%s", SEL);
	len += (size_t)snprintf(buf + len, 256, "\"1\",\"");
	n = 2 * 1024 * 1024;
	memset(buf + len, 'a', n);
	len += n;
	len += (size_t)snprintf(buf + len, 256, "\",\"x\",\"E\",\"r\",\"\","
	    "\"\"\r\n" ROW("", ""));
	out = test_parse(C, "x", buf, len, 0);
	assert_non_null(strstr(out, "! error at 92: CSV row too long\n"));
	assert_non_null(strstr(out, "# read 2, records 1, errors 1\n"));
	free(out);
	free(buf);
}

/* The record callback stops either parser after one record. */
static void
test_stop(void **state)
{
	static const struct {
		enum parser_format	 fmt;
		const char		*in;
	} in[] = {
		{ J, "[{\"ConnectorName\":\"x\",\"Result\":\"r\"},"
		    "{\"ConnectorName\":\"y\",\"Result\":\"r\"}]" },
		{ C, SEL ROW("", "") ROW("", "") },
	};
	struct parser	*ps;
	size_t		 i;
	int		 n, rc;

	(void)state;
	for (i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		n = 0;
		ps = parser_new(in[i].fmt, "x", test_parse_stop_cb, NULL, &n);
		assert_non_null(ps);
		rc = parser_push(ps, in[i].in, strlen(in[i].in));
		if (rc == 0)
			rc = parser_finish(ps);
		assert_int_equal(rc, -1);
		assert_int_equal(n, 1);
		assert_string_equal(parser_error(ps, NULL),
		    "stopped by the record callback");
		parser_free(ps);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_too_long),
		cmocka_unit_test(test_stop),
	};

	parser_init();
	return (cmocka_run_group_tests(tests, NULL, NULL));
}
