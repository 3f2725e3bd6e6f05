/*
 * test_csexport.c: the csexport parser on hostile dumps (each must fail
 * with its reason and never yield a snapshot), tiny inputs, a callback
 * that stops it, and the file names it takes connector and time from.
 * The records of good dumps are checked by test_golden against
 * tests/data/csexport.
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

#define DATA	"data/csexport/"

/*
 * Dumps that must be refused as a whole, with the reason's substring.
 * (Their golden files hold the same; this says why each must fail.)
 */
static const struct {
	const char	*file;
	const char	*reason;
} bad_cases[] = {
	{ "bad-xxe", "DOCTYPE is not allowed" },
	{ "bad-billion-laughs", "DOCTYPE is not allowed" },
	{ "bad-truncated", "truncated document" },
	{ "bad-wrong-root", "not a csexport dump" },
	{ "bad-embedded-nul", "! failed at" },
	{ "bad-encoding", "! failed at" },
	{ "bad-utf16-surrogate", "not valid in the document's encoding" },
	{ "bad-junk", "! failed at" },
};

static void
test_bad(void **state)
{
	char	 path[256], *out;
	size_t	 i;

	(void)state;
	for (i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		snprintf(path, sizeof(path), DATA "%s.xml", bad_cases[i].file);
		out = test_parse_file(PARSER_FMT_CSEXPORT, path, 4096);
		if (strstr(out, "! failed at") == NULL ||
		    strstr(out, bad_cases[i].reason) == NULL)
			fail_msg("%s: \"%s\" lacks \"%s\"", path, out,
			    bad_cases[i].reason);
		/* No entity ever reached a record, and no snapshot. */
		assert_null(strstr(out, "root:"));
		assert_null(strstr(out, "lollol"));
		assert_null(strstr(out, "\"snapshot\""));
		free(out);
	}
}

/* Input shorter than the four bytes libxml2 sniffs, and none at all. */
static void
test_tiny(void **state)
{
	char	*out;

	(void)state;
	out = test_parse(PARSER_FMT_CSEXPORT, "x", "", 0, 0);
	assert_non_null(strstr(out, "! failed at 0: empty file"));
	free(out);
	out = test_parse(PARSER_FMT_CSEXPORT, "x", "<a", 2, 1);
	assert_non_null(strstr(out, "! failed at"));
	free(out);
}

/* The callback can stop the parser. */
static void
test_stop(void **state)
{
	struct parser	*ps;
	char		*buf;
	size_t		 len;
	int		 n = 0, rc;

	(void)state;
	buf = test_slurp(DATA
	    "current-shape@csexport-contoso.com-20260616T011000Z.xml", &len);
	ps = parser_new(PARSER_FMT_CSEXPORT, "x.xml", test_parse_stop_cb, NULL,
	    &n);
	/* A small dump is fed to libxml2 whole only at the end. */
	if ((rc = parser_push(ps, buf, len)) == 0)
		rc = parser_finish(ps);
	assert_int_equal(rc, -1);
	assert_int_equal(n, 1);
	assert_non_null(parser_error(ps, NULL));
	parser_free(ps);
	free(buf);
}

/* The file name carries the connector and the snapshot time. */
static void
test_name(void **state)
{
	static const struct {
		const char	*name;
		const char	*conn;
		const char	*time;
	} cases[] = {
		{ "csexport-contoso.com-20260402T100104Z.xml.gz",
		    "contoso.com", "2026-04-02T10:01:04Z" },
		{ "dir/csexport-contoso.onmicrosoft.com - AAD-20260402T100104.xml",
		    "contoso.onmicrosoft.com - AAD", "2026-04-02T10:01:04Z" },
		{ "csexport-my-forest.local-20260402100104.xml",
		    "my-forest.local", "2026-04-02T10:01:04Z" },
		{ "csexport-contoso.com.xml", "contoso.com", "unknown" },
		{ "CSEXPORT-aad-20260230T000000Z.xml", "aad-20260230T000000Z",
		    "unknown" },
		{ "export.xml", "", "unknown" },
		{ "csexport-.xml", "", "unknown" },
		{ "csexport--20260402T100104Z.xml", "", "2026-04-02T10:01:04Z" },
	};
	char	conn[64], t[32];
	int64_t	ms;
	size_t	i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		csexport_name_parse(cases[i].name, conn, sizeof(conn), &ms);
		ptime_format(ms, t, sizeof(t));
		assert_string_equal(conn, cases[i].conn);
		assert_string_equal(t, cases[i].time);
	}
	/* Too long for the buffer: no connector rather than a cut one. */
	csexport_name_parse("csexport-averyveryverylongforestname.example.com"
	    "-20260402T100104Z.xml", conn, 16, &ms);
	assert_string_equal(conn, "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_tiny),
		cmocka_unit_test(test_stop),
		cmocka_unit_test(test_name),
	};

	parser_init();
	return (cmocka_run_group_tests(tests, NULL, NULL));
}
