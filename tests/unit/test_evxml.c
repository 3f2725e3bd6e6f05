/*
 * test_evxml.c: the event XML parser on small hand-made streams: how the
 * framer cuts events (one a line, several a line, pretty-printed, in an
 * <Events> wrapper, left open, cut off), what it skips between them, the
 * offsets of item errors behind a BOM and in UTF-16, the bounds (field
 * length, data items, nesting, event length) at and past their limits,
 * hostile markup, and a callback that stops it.  Every table case is also
 * pushed one and seven bytes at a time and must give the same text.  The
 * real-shaped variants are checked by test_golden against
 * tests/data/event-xml.
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

#define NS	"<Event xmlns='http://schemas.microsoft.com/win/2004/08/" \
		"events/event'>"
#define SYS(id)	"<System><Provider Name='ADSync'/><EventID " \
		"Qualifiers='16384'>" id "</EventID><Level>2</Level>" \
		"<TimeCreated SystemTime='2024-06-16T01:06:52.4471234Z'/>" \
		"<Computer>AADCONNECT01.contoso.com</Computer></System>"
#define DATA7	"<EventData><Data>contoso.com</Data><Data>Export</Data>" \
		"<Data>0</Data><Data>0</Data><Data>0</Data><Data>4</Data>" \
		"<Data>0</Data></EventData>"
/* A good 6100, 414 bytes. */
#define EV	NS SYS("6100") DATA7 "</Event>"
#define EVLEN	(sizeof(EV) - 1)
#define REC	"\"connector\":\"contoso.com\""
/* The same with a NUL in a data item. */
#define NULEV	NS SYS("6100") "<EventData><Data>a\0b</Data></EventData>" \
		"</Event>\n" EV
#define STATS(r, n, e)	"# read " #r ", records " #n ", errors " #e "\n"

static const struct {
	const char	*name;
	const char	*in;
	size_t		 len;		/* 0: strlen(in) */
	const char	*want[3];	/* substrings of the output */
	const char	*stats;
} cases[] = {
	{ "one event, no final newline", EV, 0,
	    { REC, "\"time\":\"2024-06-16T01:06:52.447Z\"",
	    "\"host\":\"AADCONNECT01.contoso.com\"" }, STATS(1, 1, 0) },
	{ "CRLF between events, blank lines", EV "\r\n\r\n  \t\r\n" EV "\r\n",
	    0, { REC }, STATS(2, 2, 0) },
	{ "two events on one line", EV EV "\n", 0, { REC }, STATS(2, 2, 0) },
	{ "Events wrapper on one line", "<Events>" EV EV "</Events>", 0,
	    { REC }, STATS(2, 2, 0) },
	{ "declaration and comments between events",
	    "<?xml version='1.0' encoding='utf-16'?>\n<!-- a <Event> -->"
	    EV "<!---->\n" EV, 0, { REC }, STATS(2, 2, 0) },
	{ "double quotes, spaces before />, end tag with blanks",
	    "<Event xmlns=\"http://schemas.microsoft.com/win/2004/08/events/"
	    "event\">\n  <System>\n    <Provider Name=\"ADSync\" />\n    "
	    "<EventID>6100</EventID>\n    <Computer> HOST </Computer>\n  "
	    "</System>\n  <EventData>\n    <Data>contoso.com</Data>\n    "
	    "<Data>Export</Data>\n  </EventData>\n</Event \n >\n", 0,
	    { REC, "\"host\":\"HOST\"" }, STATS(1, 1, 0) },
	{ "the InstanceId form of an id is masked to the event id",
	    NS "<System><Provider Name='ADSync'/><EventID>1073748765"
	    "</EventID></System><EventData><Data>Error Name: X</Data>"
	    "</EventData></Event>", 0,
	    { "\"source\":\"event-6941\"", "\"error_name\":\"X\"" },
	    STATS(1, 1, 0) },
	{ "no time, no computer", NS "<System><Provider Name='ADSync'/>"
	    "<EventID>6100</EventID></System>" DATA7 "</Event>", 0,
	    { REC }, STATS(1, 1, 0) },
	{ "empty Data items count", NS SYS("6100") "<EventData><Data/>"
	    "<Data></Data><Data>0</Data><Data>0</Data><Data>0</Data>"
	    "<Data>7</Data><Data>0</Data></EventData></Event>", 0,
	    { "\"export_errors\":7" }, STATS(1, 1, 0) },
	{ "named Data items count, in order", NS SYS("6100") "<EventData>"
	    "<Data Name='ma'>named.example</Data><Data>Export</Data>"
	    "</EventData></Event>", 0,
	    { "\"connector\":\"named.example\"" }, STATS(1, 1, 0) },
	{ "a self-closed event is read, not a record", "<Event/>\n" EV, 0,
	    { REC }, STATS(2, 1, 0) },
	{ "markup left open after a closed event is not carried on",
	    "<Event/><Foo\n" EV, 0, { REC }, STATS(2, 1, 0) },
	{ "nor is a reference left unfinished after it",
	    "<Event/>&am\n" EV, 0, { REC }, STATS(2, 1, 0) },
	{ "no System at all", NS "</Event>", 0, { "# read 1, records 0" },
	    STATS(1, 0, 0) },
	{ "empty values first", NS "<System><EventID></EventID><Computer> "
	    "</Computer></System></Event>", 0, { "# read 1, records 0" },
	    STATS(1, 0, 0) },
	{ "other providers and ids are read and skipped",
	    NS "<System><Provider Name='MsiInstaller'/><EventID>6100"
	    "</EventID></System></Event>" NS SYS("6309") "</Event>", 0,
	    { "# read 2" }, STATS(2, 0, 0) },
	{ "junk before, between and after", "junk\n" EV "\njunk <Event>\n"
	    EV "\nmore", 0,
	    { "! error at 0: text between events",
	    "! error at 420: text between events",
	    "! error at 848: text between events" }, STATS(2, 2, 3) },
	{ "an element that is not an Event", "<Foo/>\n" EV, 0,
	    { "! error at 0: not an <Event> element", REC },
	    STATS(1, 1, 1) },
	{ "left open: cut at the next line's <Event", NS SYS("6100")
	    "\n" EV, 0,
	    { "! error at 0: event not closed before the next <Event>",
	    REC }, STATS(2, 1, 1) },
	{ "not at a line start, <Event inside is no cut", NS SYS("6100")
	    "<Event>" DATA7 "</Event>\n" EV, 0,
	    { "! error at 0: unfinished <Event> element", REC },
	    STATS(2, 1, 1) },
	{ "truncated in the end tag", EV "\n" EV, 2 * EVLEN - 3,
	    { "! error at 415: truncated: the input ends inside the event" },
	    STATS(2, 1, 1) },
	{ "truncated after '<'", EV "<", 0,
	    { "! error at 414: not an <Event> element" }, STATS(1, 1, 1) },
	{ "embedded NUL in an event", NULEV, sizeof(NULEV) - 1,
	    { "! error at 0:", REC }, STATS(2, 1, 1) },
	{ "undefined entity", NS SYS("6100") "<EventData><Data>&xxe;</Data>"
	    "</EventData></Event>\n" EV, 0,
	    { "! error at 0: Entity 'xxe' not defined", REC },
	    STATS(2, 1, 1) },
	{ "predefined and character references are text",
	    NS SYS("6100") "<EventData><Data>a&amp;b&#x41;&lt;</Data>"
	    "<Data>Export</Data></EventData></Event>", 0,
	    { "\"connector\":\"a&bA<\"" }, STATS(1, 1, 0) },
	{ "a DOCTYPE fails the input, records before stay",
	    EV "\n<!DOCTYPE x [<!ENTITY a 'b'>]>\n" EV, 0,
	    { REC, "! failed at 415: a DOCTYPE is not allowed" },
	    STATS(1, 1, 0) },
	{ "unterminated comment", EV "\n<!-- no end", 0,
	    { "! error at 415: unfinished markup between events" },
	    STATS(1, 1, 1) },

	{ "empty input", "", 0, { "# read 0" }, STATS(0, 0, 0) },
	{ "blanks only", " \r\n\t\n", 0, { "# read 0" }, STATS(0, 0, 0) },
};

/* The output for in, the same however it is pushed. */
static char *
parse_all_ways(const char *in, size_t len)
{
	static const size_t	 chunks[] = { 1, 7, 4096 };

	return (test_parse_chunks(PARSER_FMT_EVENT_XML, "x.xml", in, len,
	    chunks, sizeof(chunks) / sizeof(chunks[0])));
}

static void
test_cases(void **state)
{
	char	*out;
	size_t	 i, len;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		len = cases[i].len != 0 ? cases[i].len : strlen(cases[i].in);
		out = parse_all_ways(cases[i].in, len);
		test_parse_expect(out, cases[i].name, cases[i].want,
		    sizeof(cases[i].want) / sizeof(cases[i].want[0]),
		    cases[i].stats);
		free(out);
	}
}

/* Offsets count input bytes: past a UTF-8 BOM, and doubled for UTF-16. */
static void
test_offsets(void **state)
{
	const char	*text = "junk\n" EV "\n";
	char		 buf[2048], *out, *u16;
	size_t		 n;
	int		 be;

	(void)state;
	memcpy(buf, "\xef\xbb\xbf", 3);
	n = strlen(text);
	memcpy(buf + 3, text, n);
	out = parse_all_ways(buf, n + 3);
	assert_non_null(strstr(out, "! error at 3: text between events"));
	assert_non_null(strstr(out, STATS(1, 1, 1)));
	free(out);

	/* UTF-16LE with a BOM, then UTF-16BE: "junk" is at byte 2. */
	for (be = 0; be <= 1; be++) {
		u16 = test_utf16_encode(text, be, 1, &n);
		out = parse_all_ways(u16, n);
		assert_non_null(strstr(out,
		    "! error at 2: text between events"));
		assert_non_null(strstr(out, REC));
		free(out);
		free(u16);
	}
}

/* An event of n bytes: a 6100 whose MA name is padded with pad. */
static char *
make_event(size_t n, const char *pad, size_t *len)
{
	const char	*head = NS SYS("6100") "<EventData><Data>";
	const char	*tail = "</Data><Data>Export</Data></EventData></Event>"
			    "\n";
	size_t		 h = strlen(head), t = strlen(tail), p = strlen(pad);
	size_t		 i;
	char		*b;

	assert_true(n > h + t);
	b = malloc(n + EVLEN + 1);
	assert_non_null(b);
	memcpy(b, head, h);
	for (i = h; i < n - t; i++)
		b[i] = pad[(i - h) % p];
	memcpy(b + n - t, tail, t);
	/* A good event after it shows the parser went on. */
	memcpy(b + n, EV, EVLEN);
	*len = n + EVLEN;
	return (b);
}

/* The length of the connector name in the first record of out. */
static size_t
connector_len(const char *out)
{
	const char	*p = strstr(out, "\"connector\":\""), *q;

	assert_non_null(p);
	p += strlen("\"connector\":\"");
	q = strchr(p, '"');
	assert_non_null(q);
	return ((size_t)(q - p));
}

/* A kept value stops at 64 KiB, on a character boundary. */
static void
test_field_bound(void **state)
{
	const size_t	 other = strlen(NS SYS("6100") "<EventData><Data>"
			    "</Data><Data>Export</Data></EventData></Event>\n");
	char		*b, *out;
	size_t		 len;

	(void)state;
	b = make_event(other + 65536, "x", &len);
	out = test_parse(PARSER_FMT_EVENT_XML, "x.xml", b, len, 4096);
	assert_int_equal(connector_len(out), 65536);
	free(out);
	free(b);
	b = make_event(other + 65537, "x", &len);
	out = test_parse(PARSER_FMT_EVENT_XML, "x.xml", b, len, 4096);
	assert_int_equal(connector_len(out), 65536);
	assert_non_null(strstr(out, STATS(2, 2, 0)));
	free(out);
	free(b);
	/* "é" is two bytes: the cut backs off rather than split one. */
	b = make_event(other + 65538, "\xc3\xa9", &len);
	out = test_parse(PARSER_FMT_EVENT_XML, "x.xml", b, len, 4096);
	assert_int_equal(connector_len(out), 65536);
	free(out);
	free(b);
	b = make_event(other + 65538, "\xc3\xa9x", &len);
	out = test_parse(PARSER_FMT_EVENT_XML, "x.xml", b, len, 4096);
	assert_int_equal(connector_len(out), 65535);
	free(out);
	free(b);
}

/*
 * An event of 1 MiB is read; one byte more is an item error, whether its
 * end tag is in sight or not.  (make_event counts the newline after it.)
 */
static void
test_event_bound(void **state)
{
	char	*b, *out;
	size_t	 len;

	(void)state;
	b = make_event(1024 * 1024 + 1, "y", &len);
	out = test_parse(PARSER_FMT_EVENT_XML, "x.xml", b, len, 65536);
	assert_non_null(strstr(out, STATS(2, 2, 0)));
	free(out);
	out = test_parse(PARSER_FMT_EVENT_XML, "x.xml", b, len - EVLEN - 2,
	    65536);
	assert_non_null(strstr(out, "! error at 0: truncated"));
	free(out);
	free(b);
	b = make_event(1024 * 1024 + 2, "y", &len);
	out = test_parse(PARSER_FMT_EVENT_XML, "x.xml", b, len, 65536);
	assert_non_null(strstr(out,
	    "! error at 0: event longer than 1 MiB\n"));
	assert_non_null(strstr(out, STATS(2, 1, 1)));
	free(out);
	out = test_parse(PARSER_FMT_EVENT_XML, "x.xml", b, len, 0);
	assert_non_null(strstr(out, STATS(2, 1, 1)));
	free(out);
	free(b);
	b = make_event(2 * 1024 * 1024, "y", &len);
	out = test_parse(PARSER_FMT_EVENT_XML, "x.xml", b, len, 65536);
	assert_non_null(strstr(out,
	    "! error at 0: event longer than 1 MiB\n"));
	assert_non_null(strstr(out, STATS(2, 1, 1)));
	free(out);
	free(b);
}

/* Markup between events is skipped up to 4 KiB, and junk past that. */
static void
test_tag_bound(void **state)
{
	char	buf[2 * 4096], *out;
	size_t	len, n;

	(void)state;
	for (n = 4096; n <= 4097; n++) {
		memcpy(buf, "<!--", 4);
		memset(buf + 4, '-', n - 7);
		buf[4] = ' ';
		memcpy(buf + n - 3, "-->", 3);
		len = n;
		buf[len++] = '\n';
		memcpy(buf + len, EV, EVLEN);
		len += EVLEN;
		out = parse_all_ways(buf, len);
		if (n == 4096)
			assert_string_equal(strstr(out, "# read"),
			    STATS(1, 1, 0));
		else
			assert_non_null(strstr(out, "! error at 0: unfinished "
			    "markup between events\n" "{"));
		free(out);
	}
}

/* 32 data items are kept, more are dropped; nesting to 64 is read. */
static void
test_bounds(void **state)
{
	char	buf[8192], *out;
	size_t	len, i;
	int	depth;

	(void)state;
	len = (size_t)snprintf(buf, sizeof(buf), NS SYS("6100")
	    "<EventData>");
	for (i = 0; i < 40; i++)
		len += (size_t)snprintf(buf + len, sizeof(buf) - len,
		    "<Data>%zu</Data>", i);
	len += (size_t)snprintf(buf + len, sizeof(buf) - len,
	    "</EventData></Event>");
	out = parse_all_ways(buf, len);
	assert_non_null(strstr(out, "\"connector\":\"0\""));
	assert_non_null(strstr(out, STATS(1, 1, 0)));
	free(out);

	/* The root, Event and EventData take three levels of 64. */
	for (depth = 61; depth <= 62; depth++) {
		len = (size_t)snprintf(buf, sizeof(buf), NS SYS("6100")
		    "<EventData>");
		for (i = 0; i < (size_t)depth; i++)
			len += (size_t)snprintf(buf + len, sizeof(buf) - len,
			    "<x>");
		for (i = 0; i < (size_t)depth; i++)
			len += (size_t)snprintf(buf + len, sizeof(buf) - len,
			    "</x>");
		len += (size_t)snprintf(buf + len, sizeof(buf) - len,
		    "</EventData></Event>\n" EV);
		out = parse_all_ways(buf, len);
		if (depth == 61)
			assert_non_null(strstr(out, STATS(2, 2, 0)));
		else
			assert_non_null(strstr(out, "! error at 0: elements "
			    "nested too deep"));
		free(out);
	}
}

/* The callback can stop the parser; no error callback is fine. */
static void
test_stop(void **state)
{
	const char	*in = "junk\n" EV "\n" EV;
	struct parser	*ps;
	uint64_t	 off;
	int		 n = 0;

	(void)state;
	ps = parser_new(PARSER_FMT_EVENT_XML, "x.xml", test_parse_stop_cb, NULL,
	    &n);
	assert_non_null(ps);
	assert_int_equal(parser_push(ps, in, strlen(in)), -1);
	assert_int_equal(n, 1);
	assert_string_equal(parser_error(ps, &off),
	    "stopped by the record callback");
	assert_int_equal(off, 5);
	assert_int_equal(parser_stats(ps)->errors, 1);
	assert_int_equal(parser_finish(ps), -1);
	parser_free(ps);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_offsets),
		cmocka_unit_test(test_field_bound),
		cmocka_unit_test(test_event_bound),
		cmocka_unit_test(test_tag_bound),
		cmocka_unit_test(test_bounds),
		cmocka_unit_test(test_stop),
	};

	parser_init();
	return (cmocka_run_group_tests(tests, NULL, NULL));
}
