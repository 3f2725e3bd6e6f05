/*
 * test_cloud.c: the cloud provisioning error parsers on small hand-made
 * inputs: Graph pages in the shapes PowerShell re-exports them (PascalCase
 * members, the {"value":…,"Count":n} wrapper, dates as \/Date(ms)\/), the
 * object type from @odata.type or the page's context, errors without a
 * value, the Msol CSV's columns and dates, the size bounds at the bound,
 * a callback that stops the parser and a missing error callback.  Every
 * input is also pushed one byte at a time and must give the same text.
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

#define STATS(r, n, e)	"# read " #r ", records " #n ", errors " #e "\n"
#define ERR(v)		"{\"category\":\"PropertyConflict\"," \
		"\"propertyCausingError\":\"ProxyAddress\",\"value\":\"" v "\"}"
#define HDR		"\"DisplayName\",\"ObjectType\",\"PropertyName\"," \
		"\"PropertyValue\",\"WhenStarted\"\n"

static const struct {
	const char		*name;
	enum parser_format	 fmt;
	const char		*in;
	const char		*want[4];
} cases[] = {
	{ "PascalCase members, as Get-MgUser | ConvertTo-Json writes them",
	    PARSER_FMT_CLOUD_JSON,
	    "[{\"Id\":\"i1\",\"UserPrincipalName\":\"a@x\","
	    "\"OnPremisesProvisioningErrors\":[{\"Category\":"
	    "\"PropertyConflict\",\"OccurredDateTime\":"
	    "\"\\/Date(1718494562000)\\/\",\"PropertyCausingError\":"
	    "\"UserPrincipalName\",\"Value\":\"a@contoso.com\"}]}]",
	    { "\"object\":\"a@x\"", "\"value\":\"a@contoso.com\"",
	    "\"time\":\"2024-06-15T23:36:02.000Z\"", STATS(1, 1, 0) } },
	{ "the Count wrapper of ConvertTo-Json -InputObject",
	    PARSER_FMT_CLOUD_JSON, "{\"value\":[{\"id\":\"i1\","
	    "\"onPremisesProvisioningErrors\":[" ERR("smtp:a@x") "]}],"
	    "\"Count\":1}", { "\"object_id\":\"i1\"", STATS(1, 1, 0) } },
	{ "object: UPN, else display name, else mail",
	    PARSER_FMT_CLOUD_JSON, "{\"mail\":\"m@x\",\"displayName\":\"D\","
	    "\"onPremisesProvisioningErrors\":[" ERR("v") "]}"
	    "{\"mail\":\"m@x\",\"onPremisesProvisioningErrors\":[" ERR("v")
	    "]}", { "\"object\":\"D\"", "\"object\":\"m@x\"",
	    STATS(2, 2, 0) } },
	{ "types from @odata.type and from the context",
	    PARSER_FMT_CLOUD_JSON, "{\"@odata.type\":\"#microsoft.graph."
	    "orgContact\",\"id\":\"c\",\"onPremisesProvisioningErrors\":["
	    ERR("v") "]}{\"@odata.context\":\"https://graph.microsoft.com/"
	    "v1.0/$metadata#groups(id,onPremisesProvisioningErrors)\","
	    "\"value\":[{\"id\":\"g\",\"onPremisesProvisioningErrors\":["
	    ERR("v") "]}]}{\"@odata.type\":\"#microsoft.graph.thing\","
	    "\"id\":\"t\",\"onPremisesProvisioningErrors\":[" ERR("v") "]}",
	    { "\"object_id\":\"c\",\"object_type\":\"Contact\"",
	    "\"object_id\":\"g\",\"object_type\":\"Group\"",
	    "\"object_id\":\"t\",\"category\"", STATS(3, 3, 0) } },
	{ "an empty value is no value", PARSER_FMT_CLOUD_JSON,
	    "{\"id\":\"i\",\"onPremisesProvisioningErrors\":[" ERR("") "]}",
	    { "! error at 0: a provisioning error without a value",
	    STATS(1, 0, 1) } },
	{ "a bad value after a good one is an item", PARSER_FMT_CLOUD_JSON,
	    "{\"id\":\"i\"}\n{]\n\"s\"\n",
	    { "! error at 11: not valid JSON",
	    "! error at 14: not a JSON object", STATS(1, 0, 2) } },
	{ "a first value that is no Graph export fails the file",
	    PARSER_FMT_CLOUD_JSON, "{\"foo\":1}\n{\"id\":\"i\"}",
	    { "! failed at 0: neither a Graph page nor a directory object",
	    STATS(0, 0, 0) } },
	{ "an empty array", PARSER_FMT_CLOUD_JSON, "[]\n",
	    { STATS(0, 0, 0) } },
	{ "CSV: the UPN column when there is no display name",
	    PARSER_FMT_CLOUD_CSV, "\"UserPrincipalName\",\"PropertyName\","
	    "\"PropertyValue\"\n\"u@x\",\"ProxyAddresses\",\"smtp:u@x\"\n",
	    { "\"object\":\"u@x\",", "\"upn\":\"u@x\"", STATS(1, 1, 0) } },
	{ "CSV: dates en-US, ISO, dotted, or none",
	    PARSER_FMT_CLOUD_CSV, HDR
	    "\"A\",\"User\",\"P\",\"v1\",\"12/31/2024 11:59:59 PM\"\n"
	    "\"B\",\"User\",\"P\",\"v2\",\"2024-06-15T23:36:02Z\"\n"
	    "\"C\",\"User\",\"P\",\"v3\",\"1.2.2025 3:04\"\n"
	    "\"D\",\"User\",\"P\",\"v4\",\"yesterday\"\n"
	    "\"E\",\"User\",\"P\",\"v5\",\"31.02.2025 00:00:00\"\n",
	    { "\"time\":\"2024-12-31T23:59:59.000Z\",\"object\":\"A\"",
	    "\"time\":\"2024-06-15T23:36:02.000Z\",\"object\":\"B\"",
	    "\"time\":\"2025-02-01T03:04:00.000Z\",\"object\":\"C\"",
	    STATS(5, 5, 0) } },
	{ "CSV: a row without the value column's field",
	    PARSER_FMT_CLOUD_CSV, HDR "\"A\",\"User\"\n\"B\",\"User\",\"P\","
	    "\"v\"\n", { "! error at 72: a provisioning error without a "
	    "PropertyValue", "\"object\":\"B\"", STATS(2, 1, 1) } },
	{ "CSV: header only", PARSER_FMT_CLOUD_CSV, HDR,
	    { STATS(0, 0, 0) } },
	{ "CSV: no final newline, CRLF",
	    PARSER_FMT_CLOUD_CSV, "\"PropertyName\",\"PropertyValue\"\r\n"
	    "\"P\",\"v\"", { "\"property\":\"P\",\"value\":\"v\"",
	    STATS(1, 1, 0) } },
};

static void
test_cases(void **state)
{
	size_t	 i;
	char	*out;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		out = test_parse_both(cases[i].fmt, "x", cases[i].in,
		    strlen(cases[i].in));
		test_parse_expect(out, cases[i].name, cases[i].want,
		    sizeof(cases[i].want) / sizeof(cases[i].want[0]), NULL);
		free(out);
	}
	/* "E": 31 February is no date. */
	out = test_parse_both(PARSER_FMT_CLOUD_CSV, "x", cases[9].in,
	    strlen(cases[9].in));
	assert_non_null(strstr(out, "\"source\":\"cloud-error\","
	    "\"object\":\"E\""));
	assert_non_null(strstr(out, "\"source\":\"cloud-error\","
	    "\"object\":\"D\""));
	free(out);
}

/* A CSV row of 1 MiB is read; one byte more is an item error. */
static void
test_csv_row_cap(void **state)
{
	static const char	 head[] =
	    "\"PropertyName\",\"PropertyValue\"\n";
	size_t			 cap = 1024 * 1024, len, row, i;
	char			*buf, *out;

	(void)state;
	buf = malloc(2 * cap);
	assert_non_null(buf);
	for (i = 0; i < 2; i++) {
		/* "P","xxx…" of row bytes, then a short row. */
		row = cap + i;
		len = sizeof(head) - 1;
		memcpy(buf, head, len);
		memcpy(buf + len, "\"P\",\"", 5);
		memset(buf + len + 5, 'x', row - 6);
		len += row - 1;
		len += (size_t)sprintf(buf + len, "\"\n\"Q\",\"v\"\n");
		out = test_parse(PARSER_FMT_CLOUD_CSV, "x", buf, len, 4096);
		if (i == 0)
			assert_non_null(strstr(out, STATS(2, 2, 0)));
		else {
			assert_non_null(strstr(out, "! error at 31: CSV row "
			    "too long"));
			/* The rejected item was read too. */
			assert_non_null(strstr(out, STATS(2, 1, 1)));
		}
		free(out);
	}
	free(buf);
}

/* A Graph value of 64 MiB is read; one byte more is skipped as an item. */
static void
test_json_value_cap(void **state)
{
	static const char	 head[] = "{\"id\":\"big\",\"displayName\":\"";
	static const char	 tail[] =
	    "\",\"onPremisesProvisioningErrors\":[" ERR("v") "]}\n"
	    "{\"id\":\"next\",\"onPremisesProvisioningErrors\":[" ERR("w")
	    "]}\n";
	size_t			 cap = 64 * 1024 * 1024, len, fill;
	int			 i;
	char			*buf, *out;

	(void)state;
	buf = malloc(cap + 256 * 1024);
	assert_non_null(buf);
	for (i = 0; i < 2; i++) {
		/* A value of exactly cap bytes, then one byte longer. */
		fill = cap - (sizeof(head) - 1) - (size_t)(strstr(tail,
		    "]}\n") + 2 - tail) + (size_t)i;
		memcpy(buf, head, sizeof(head) - 1);
		memset(buf + sizeof(head) - 1, 'y', fill);
		len = sizeof(head) - 1 + fill;
		memcpy(buf + len, tail, sizeof(tail));
		len += sizeof(tail) - 1;
		out = test_parse(PARSER_FMT_CLOUD_JSON, "x", buf, len, 1 << 20);
		if (i == 0)
			assert_non_null(strstr(out, STATS(2, 2, 0)));
		else {
			assert_non_null(strstr(out, "! error at 0: JSON value "
			    "too long"));
			/* The rejected item was read too. */
			assert_non_null(strstr(out, STATS(2, 1, 1)));
		}
		free(out);
	}
	free(buf);
}

/* The callback stops either parser at its first record. */
static void
test_stop(void **state)
{
	static const char	 json[] = "[{\"id\":\"a\","
	    "\"onPremisesProvisioningErrors\":[" ERR("1") "," ERR("2") "]}]";
	static const char	 csv[] = HDR "\"A\",\"U\",\"P\",\"1\",\"\"\n"
	    "\"B\",\"U\",\"P\",\"2\",\"\"\n";
	struct parser		*ps;
	int			 n, i;

	(void)state;
	for (i = 0; i < 2; i++) {
		n = 0;
		ps = parser_new(i == 0 ? PARSER_FMT_CLOUD_JSON :
		    PARSER_FMT_CLOUD_CSV, "x", test_parse_stop_cb, NULL, &n);
		assert_non_null(ps);
		assert_int_equal(parser_push(ps, i == 0 ? json : csv,
		    i == 0 ? sizeof(json) - 1 : sizeof(csv) - 1), -1);
		assert_string_equal(parser_error(ps, NULL),
		    "stopped by the record callback");
		assert_int_equal(n, 1);
		/* A record counts once the callback took it. */
		assert_int_equal(parser_stats(ps)->records, 0);
		assert_int_equal(parser_finish(ps), -1);
		parser_free(ps);
	}
}

/* No error callback: item errors, ours and the readers', are counted. */
static void
test_no_error_cb(void **state)
{
	static const char	 json[] = "{\"id\":\"a\","
	    "\"onPremisesProvisioningErrors\":[" ERR("") "]}\n{\"id\":";
	static const char	 csv[] = HDR "\"A\",\"U\",\"P\",\"\",\"\"\n"
	    "\"B\",\"U\",\"P\",\"2";
	struct parser		*ps;
	int			 n = 0, i;

	(void)state;
	for (i = 0; i < 2; i++) {
		ps = parser_new(i == 0 ? PARSER_FMT_CLOUD_JSON :
		    PARSER_FMT_CLOUD_CSV, "x", test_parse_count_cb, NULL, &n);
		assert_non_null(ps);
		assert_int_equal(parser_push(ps, i == 0 ? json : csv,
		    i == 0 ? sizeof(json) - 1 : sizeof(csv) - 1), 0);
		assert_int_equal(parser_finish(ps), 0);
		assert_int_equal(parser_stats(ps)->errors, 2);
		parser_free(ps);
	}
	assert_int_equal(n, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_csv_row_cap),
		cmocka_unit_test(test_json_value_cap),
		cmocka_unit_test(test_stop),
		cmocka_unit_test(test_no_error_cb),
	};

	parser_init();
	return (cmocka_run_group_tests(tests, NULL, NULL));
}
