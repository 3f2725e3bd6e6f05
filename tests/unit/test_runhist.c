/*
 * test_runhist.c: the run-history parser on small documents written
 * inline, one property per case: the connector's kind, number forms,
 * which elements count and which are skipped, and the bounds (fields cut
 * at 64 KiB, export errors held per step) and hostile inputs.  The
 * real-shaped documents are in tests/data/runhist with their goldens.
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

#define HEAD	"<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<run-history>"
#define TAIL	"</run-history>\n"
#define RUN(id, name, body) "<run-details><ma-id>" id "</ma-id><ma-name>" \
	name "</ma-name><run-number>7</run-number>" \
	"<run-profile-name>Export</run-profile-name>" body "</run-details>"
#define STEP(body) "<step-details step-number=\"1\"><start-date>" \
	"2024-06-16 01:00:00.000</start-date><end-date>2024-06-16 " \
	"01:00:10.000</end-date>" body "</step-details>"

/* The parse of s, the same pushed whole and one byte at a time. */
static char *
parse(const char *s, size_t len)
{
	return (test_parse_both(PARSER_FMT_RUNHIST, "runhistory.xml", s,
	    len));
}

static const struct {
	const char	*doc;
	const char	*want[4];
	const char	*not[3];
} cases[] = {
	/* The AAD connector by its fixed ma-id, braced or not, any case. */
	{ HEAD RUN("{B891884F-051E-4A83-95AF-2544101C9083}", "Tenant",
	    STEP("")) TAIL, { "\"connector_kind\":\"AAD\"" }, { NULL } },
	{ HEAD RUN("b891884f-051e-4a83-95af-2544101c9083", "Tenant",
	    STEP("")) TAIL, { "\"connector_kind\":\"AAD\"" }, { NULL } },
	{ HEAD RUN("{b891884f-051e-4a83-95af-2544101c908}", "Tenant",
	    STEP("")) TAIL, { "\"connector_kind\":\"AD\"" }, { NULL } },
	/* …or by its name. */
	{ HEAD RUN("{00000000-0000-0000-0000-000000000000}",
	    "contoso.onmicrosoft.com - AAD", STEP("")) TAIL,
	    { "\"connector_kind\":\"AAD\"" }, { NULL } },
	/* No name, no id: the kind is unknown. */
	{ HEAD "<run-details>" STEP("") "</run-details>" TAIL,
	    { "# read 1, records 1" }, { "connector", NULL } },
	/* Counters not given stay out; given ones are kept, 0 too. */
	{ HEAD RUN("{1}", "c", STEP("<export-counters><export-failure>0"
	    "</export-failure></export-counters>")) TAIL,
	    { "\"counters\":{\"export_failure\":0}}" }, { NULL } },
	/* A counter given twice keeps its first value. */
	{ HEAD RUN("{1}", "c", STEP("<staging-counters><stage-failure>3"
	    "</stage-failure><stage-failure>4</stage-failure>"
	    "</staging-counters>")) TAIL, { "\"stage_failure\":3" },
	    { "\"stage_failure\":4", NULL } },
	/* Counters of the wrong group are not taken. */
	{ HEAD RUN("{1}", "c", STEP("<staging-counters><flow-failure>3"
	    "</flow-failure></staging-counters>")) TAIL, { "# read 1" },
	    { "counters", NULL } },
	/* Hex and decimal codes; the first incident only. */
	{ HEAD RUN("{1}", "c", STEP("<ma-connection><connection-log>"
	    "<incident><date>x</date></incident><incident><cd-error>"
	    "<error-code>0x80230703</error-code></cd-error></incident>"
	    "<incident><cd-error><error-code>5</error-code></cd-error>"
	    "</incident></connection-log></ma-connection>")) TAIL,
	    { "\"connection_code\":2149779203" }, { NULL } },
	/* Export errors follow their run record, with the step's time. */
	{ HEAD RUN("{1}", "c", STEP("<synchronization-errors><import-error "
	    "dn=\"CN=I\"/><export-error dn=\"CN=E\"><retry-count>300"
	    "</retry-count></export-error></synchronization-errors>")) TAIL,
	    { "{\"kind\":\"run\"", "\"retry_count\":300}",
	    "\"time\":\"2024-06-16T01:00:10.000Z\",\"dn\":\"CN=E\"" },
	    { "CN=I", NULL } },
	/*
	 * Blanks and line ends around values go; inside they stay (XML
	 * itself turns CR LF into LF).
	 */
	{ HEAD RUN("{1}", "c", STEP("<step-result>\r\n  success  \r\n"
	    "</step-result><synchronization-errors><export-error>"
	    "<cd-error><error-literal>a\r\nb\r\n</error-literal></cd-error>"
	    "</export-error></synchronization-errors>")) TAIL,
	    { "\"result\":\"success\"", "\"literal\":\"a\\nb\"" },
	    { NULL } },
	/* CDATA and character references are text like any other. */
	{ HEAD RUN("{1}", "c&#x2D;x", STEP("<step-result><![CDATA[suc]]>"
	    "cess</step-result>")) TAIL,
	    { "\"connector\":\"c-x\"", "\"result\":\"success\"" }, { NULL } },
	/* A step outside run-details is not one. */
	{ HEAD STEP("") TAIL, { "# read 0, records 0" }, { NULL } },
	/* Namespaces do not change the names. */
	{ "<run-history xmlns=\"urn:x\"><run-details><ma-name>c</ma-name>"
	    STEP("") "</run-details></run-history>",
	    { "# read 1, records 1" }, { NULL } },
	/* A document-level failure after records keeps them. */
	{ HEAD RUN("{1}", "c", STEP("") STEP("<x>")), { "# read 2, records 1",
	    "! failed at" }, { NULL } },
	/* Hostile: entities are never expanded, nothing is fetched. */
	{ "<?xml version=\"1.0\"?><!DOCTYPE run-history [<!ENTITY x SYSTEM "
	    "\"file:///etc/passwd\">]><run-history><run-details><ma-name>&x;"
	    "</ma-name>" STEP("") "</run-details></run-history>",
	    { "DOCTYPE is not allowed", "records 0" }, { "root:", NULL } },
	{ "<run-history><run-details><ma-name>&lol;</ma-name>" STEP("")
	    "</run-details></run-history>", { "! failed at" },
	    { "lol\"", NULL } },
	{ "<cs-objects/>", { "! failed at 11: not a run history" },
	    { NULL } },
	{ "<?xml version=\"1.0\"?><!-- only a comment -->",
	    { "! failed at" }, { NULL } },
	{ "", { "! failed at 0: empty file" }, { NULL } },
	{ "<r", { "! failed at" }, { NULL } },
	{ "\xff\xfe<\0r\0", { "! failed at" }, { NULL } },
};

static void
test_cases(void **state)
{
	char	*out;
	size_t	 i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		out = parse(cases[i].doc, strlen(cases[i].doc));
		test_parse_expect(out, cases[i].doc, cases[i].want,
		    sizeof(cases[i].want) / sizeof(cases[i].want[0]), NULL);
		test_parse_expect_not(out, cases[i].doc, cases[i].not,
		    sizeof(cases[i].not) / sizeof(cases[i].not[0]));
		free(out);
	}
}

/* What a parse left behind, counted rather than printed. */
struct count {
	uint64_t	 records, errors, first_error;
	const char	*why;
	size_t		 maxlit;	/* the longest literal */
};

static int
count_record_cb(const struct record *r, void *arg)
{
	struct count	*c = arg;

	if (c->records++ == 0)
		assert_int_equal(r->kind, REC_RUN);
	else
		assert_int_equal(r->kind, REC_EXPORT_ERROR);
	if (r->kind == REC_EXPORT_ERROR && r->u.xerr.literal != NULL &&
	    strlen(r->u.xerr.literal) > c->maxlit)
		c->maxlit = strlen(r->u.xerr.literal);
	return (0);
}

static void
count_error_cb(uint64_t offset, const char *reason, void *arg)
{
	struct count	*c = arg;

	if (c->errors++ == 0) {
		c->first_error = offset;
		c->why = reason;
	}
}

/* Parses buf in chunks of chunk bytes, counting what comes out. */
static void
count_parse(const char *buf, size_t len, size_t chunk, struct count *c)
{
	struct parser	*ps;
	size_t		 at, n;
	int		 rc = 0;

	memset(c, 0, sizeof(*c));
	ps = parser_new(PARSER_FMT_RUNHIST, "x", count_record_cb,
	    count_error_cb, c);
	assert_non_null(ps);
	for (at = 0; at < len && rc == 0; at += n) {
		n = len - at < chunk ? len - at : chunk;
		rc = parser_push(ps, buf + at, n);
	}
	assert_int_equal(rc, 0);
	assert_int_equal(parser_finish(ps), 0);
	assert_int_equal(parser_stats(ps)->records, c->records);
	assert_int_equal(parser_stats(ps)->errors, c->errors);
	assert_int_equal(parser_stats(ps)->read, 1);
	parser_free(ps);
}

/* One step holds at most 100000 export errors: the rest are rejected. */
static void
test_many_errors(void **state)
{
	struct test_buf	 g = { NULL, 0, 0 };
	struct count	 whole, parts;
	size_t		 i;

	(void)state;
	test_buf_printf(&g, "%s", HEAD "<run-details><ma-name>c</ma-name>"
	    "<step-details><synchronization-errors>");
	for (i = 0; i < 100002; i++)
		test_buf_printf(&g, "%s", "<export-error/>");
	test_buf_printf(&g, "%s", "</synchronization-errors></step-details>"
	    "</run-details>" TAIL);
	count_parse(g.buf, g.len, g.len, &whole);
	assert_int_equal(whole.records, 100001);
	assert_int_equal(whole.errors, 2);
	assert_string_equal(whole.why, "export-error dropped: its step "
	    "holds too many errors");
	count_parse(g.buf, g.len, 4093, &parts);
	assert_int_equal(parts.records, whole.records);
	assert_int_equal(parts.first_error, whole.first_error);
	free(g.buf);
}

/*
 * A step holds at most 32 MiB of errors: with literals of 64 KiB (the
 * most kept of one), errors past about 500 are rejected.
 */
static void
test_step_bytes(void **state)
{
	struct test_buf	 g = { NULL, 0, 0 };
	struct count	 c;
	char		*lit;
	size_t		 i;

	(void)state;
	lit = malloc(70000);
	assert_non_null(lit);
	memset(lit, 'a', 69999);
	lit[69999] = '\0';
	test_buf_printf(&g, "%s", HEAD "<run-details><ma-name>c</ma-name>"
	    "<step-details><synchronization-errors>");
	for (i = 0; i < 600; i++)
		test_buf_printf(&g, "%s%s%s",
		    "<export-error><cd-error><error-literal>", lit,
		    "</error-literal></cd-error></export-error>");
	test_buf_printf(&g, "%s", "</synchronization-errors></step-details>"
	    "</run-details>" TAIL);
	count_parse(g.buf, g.len, g.len, &c);
	assert_int_equal(c.records, 513);
	assert_int_equal(c.errors, 88);
	/* Each literal was cut at 64 KiB. */
	assert_int_equal(c.maxlit, 65536);
	free(lit);
	free(g.buf);
}

/* Elements nested past 256 fail the document; a record before stays. */
static void
test_nesting(void **state)
{
	struct test_buf	 g = { NULL, 0, 0 };
	char		*out;
	size_t		 i;

	(void)state;
	test_buf_printf(&g, "%s",
	    HEAD RUN("{1}", "c", STEP("")) "<run-details>");
	for (i = 0; i < 300; i++)
		test_buf_printf(&g, "%s", "<a>");
	for (i = 0; i < 300; i++)
		test_buf_printf(&g, "%s", "</a>");
	test_buf_printf(&g, "%s", "</run-details>" TAIL);
	out = parse(g.buf, g.len);
	assert_non_null(strstr(out, "records 1, errors 0\n! failed at"));
	assert_non_null(strstr(out, "nested too deeply"));
	free(out);
	free(g.buf);
}

/* The record callback can stop the parser; nothing more is emitted. */
static void
test_stop(void **state)
{
	static const char	 doc[] = HEAD RUN("{1}", "c", STEP(
	    "<synchronization-errors><export-error/><export-error/>"
	    "</synchronization-errors>")) TAIL;
	struct parser		*ps;
	uint64_t		 off;
	int			 n = 0, rc;

	(void)state;
	ps = parser_new(PARSER_FMT_RUNHIST, "x", test_parse_stop_cb, NULL, &n);
	assert_non_null(ps);
	rc = parser_push(ps, doc, sizeof(doc) - 1);
	if (rc == 0)
		rc = parser_finish(ps);
	assert_int_equal(rc, -1);
	assert_int_equal(n, 1);
	assert_string_equal(parser_error(ps, &off),
	    "stopped by the record callback");
	assert_true(off <= sizeof(doc) - 1);
	assert_int_equal(parser_push(ps, "x", 1), -1);
	parser_free(ps);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_many_errors),
		cmocka_unit_test(test_step_bytes),
		cmocka_unit_test(test_nesting),
		cmocka_unit_test(test_stop),
	};

	parser_init();
	return (cmocka_run_group_tests(tests, NULL, NULL));
}
