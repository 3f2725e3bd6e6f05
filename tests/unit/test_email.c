/*
 * test_email.c: the notification mail parser on small hand-made mails:
 * the HTML-to-text step (tables as data and as layout, entities, scripts,
 * the output cap), the dates and the alert catalogue in all their
 * wordings, the report's layouts, the bounds (message size at and past
 * the cap, MIME parts, nesting), a callback that stops the parser and a
 * missing error callback.  Every mail is also pushed one byte at a time
 * and must give the same text.
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
#include "email.h"

#define HEAD(from, subject) "From: " from "\nTo: a@contoso.com\n" \
		"Subject: " subject "\nDate: Sun, 16 Jun 2024 01:37:12 +0000\n"
#define MSSEC	"Microsoft Security <MSSecurity-noreply@microsoft.com>"
#define ONLINE	"MSOnlineServicesTeam@MicrosoftOnline.com"
#define ALERT(body) HEAD(MSSEC, "An alert - You have an important alert") \
		"Content-Type: text/plain; charset=utf-8\n\n" body
#define REPORT(body) HEAD(ONLINE, "Directory Synchronization Error Report") \
		"Content-Type: text/plain; charset=utf-8\n\n" body
#define STATS(r, n, e)	"# read " #r ", records " #n ", errors " #e "\n"

/* The output of in, the same pushed whole and one byte at a time. */
static char *
run(const char *in, size_t len)
{
	return (test_parse_both(PARSER_FMT_EMAIL, "1.eml", in, len));
}

static void
test_html(void **state)
{
	static const struct {
		const char	*name, *in, *want;
	} cases[] = {
		{ "label and value cells",
		    "<table><tr><td>Title:</td><td>X failed.</td></tr>"
		    "<tr><td>Server:</td><td>S1</td></tr></table>",
		    "Title:\tX failed.\nServer:\tS1" },
		{ "a break in a data cell is a space",
		    "<table><tr><td>A</td><td>b<br>c<p>d</p></td></tr></table>",
		    "A\tb c d" },
		{ "a layout cell keeps its lines",
		    "<table><tr><td><h1>Head</h1><p><b>RAISED</b></p>"
		    "<table><tr><td>Title:</td><td>T</td></tr></table>"
		    "<p>after</p></td></tr></table>",
		    "Head\n\nRAISED\n\nTitle:\tT\n\nafter" },
		{ "a spacer cell before the layout cell",
		    "<table><tr><td>&nbsp;</td><td><table><tr><td>Server:"
		    "</td><td>S1</td></tr></table></td></tr></table>",
		    "Server:\tS1" },
		{ "empty cells keep their place",
		    "<table><tr><td>a</td><td></td><td>c</td></tr></table>",
		    "a\t\tc" },
		{ "entities, NBSP, white space folded",
		    "<p>a&amp;b&nbsp;&lt;c&gt; &#233;\n\t d</p>",
		    "a&b <c> \xc3\xa9 d" },
		{ "scripts, styles and the head are no text",
		    "<html><head><title>T</title><style>p{}</style></head>"
		    "<body>x<script>var y = 1;</script>z</body></html>",
		    "xz" },
		{ "a meta charset is ignored: the text is UTF-8",
		    "<meta charset=\"iso-8859-1\"><p>M\xc3\xbcller</p>",
		    "M\xc3\xbcller" },
		{ "unclosed rows and cells", "<table><tr><td>a<td>b<tr><td>c",
		    "a\tb\nc" },
		{ "not HTML at all", "just text", "just text" },
		{ "nothing", "", "" },
	};
	size_t	 i;
	char	*out;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		out = email_html_text(cases[i].in, strlen(cases[i].in), 4096);
		assert_non_null(out);
		if (strcmp(out, cases[i].want) != 0)
			fail_msg("%s: got \"%s\"", cases[i].name, out);
		free(out);
	}
}

/* The output is cut at the cap, however much HTML there is. */
static void
test_html_cap(void **state)
{
	char	*in, *out;
	size_t	 i, len = 100000;

	(void)state;
	in = malloc(400000);
	assert_non_null(in);
	for (i = 0; i < len; i++)
		in[i] = i % 7 == 6 ? ' ' : 'x';
	in[len] = '\0';
	out = email_html_text(in, len, 1000);
	assert_non_null(out);
	assert_true(strlen(out) < 1000);
	assert_true(strlen(out) > 900);
	free(out);
	/* Deep nesting stays flat. */
	len = 0;
	for (i = 0; i < 20000; i++)
		len += (size_t)sprintf(in + len, "<table><tr><td>");
	out = email_html_text(in, len, 1000);
	assert_non_null(out);
	free(out);
	free(in);
}

static void
test_dates(void **state)
{
	static const struct {
		const char	*raised, *want;
	} cases[] = {
		{ "June 16, 2024 01:30 UTC", "2024-06-16T01:30:00.000Z" },
		{ "January 24, 2025 00:00 UTC", "2025-01-24T00:00:00.000Z" },
		{ "April 02, 2026 09:09 UTC", "2026-04-02T09:09:00.000Z" },
		{ "Jun 16, 2024 1:30:15 PM UTC", "2024-06-16T13:30:15.000Z" },
		{ "16 June 2024 12:05 AM", "2024-06-16T00:05:00.000Z" },
		{ "Sunday, June 16, 2024 01:30 UTC",
		    "2024-06-16T01:30:00.000Z" },
		{ "June 16th, 2024 01:30 (UTC)", "2024-06-16T01:30:00.000Z" },
		{ "June 16, 2024 03:30 +02:00", "2024-06-16T01:30:00.000Z" },
		{ "June 16, 2024 01:30 -0130", "2024-06-16T03:00:00.000Z" },
		{ "June 16, 2024", "2024-06-16T00:00:00.000Z" },
		{ "2024-06-16T01:30:00Z", "2024-06-16T01:30:00.000Z" },
		{ "6/16/2024 1:30:00 AM", "2024-06-16T01:30:00.000Z" },
		/* Not dates: the mail's Date is the time, no raised. */
		{ "February 30, 2024 01:30 UTC", NULL },
		{ "June 16, 2024 13:30 PM", NULL },
		{ "June 16, 2024 01: UTC", NULL },
		{ "Junk 16, 2024", NULL },
		{ "soon", NULL },
	};
	char	 mail[512], raised[80], *out;
	size_t	 i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(mail, sizeof(mail), ALERT("Title: High CPU Usage "
		    "detected\nRaised: %s\n"), cases[i].raised);
		out = run(mail, strlen(mail));
		snprintf(raised, sizeof(raised), "\"raised\":\"%s\"",
		    cases[i].want != NULL ? cases[i].want : "");
		if (cases[i].want != NULL && strstr(out, raised) == NULL)
			fail_msg("%s: lacks %s in\n%s", cases[i].raised, raised,
			    out);
		if (cases[i].want == NULL && (strstr(out, "\"raised\"") !=
		    NULL || strstr(out, "\"time\":\"2024-06-16T01:37:12")
		    == NULL))
			fail_msg("%s: a raised time in\n%s", cases[i].raised,
			    out);
		free(out);
	}
}

static void
test_catalogue(void **state)
{
	static const struct {
		const char	*title, *alert, *kind;
	} cases[] = {
		{ "Export to Active Directory failed.", "export-to-ad-failed",
		    "AD" },
		{ "import from active directory failed",
		    "import-from-ad-failed", "AD" },
		{ "Export to Microsoft Entra ID failed",
		    "export-to-aad-failed", "AAD" },
		{ "Export to Azure Active Directory failed.",
		    "export-to-aad-failed", "AAD" },
		{ "Export  to\tAzure AD failed", "export-to-aad-failed",
		    "AAD" },
		{ "Import from Microsoft Entra ID failed",
		    "import-from-aad-failed", "AAD" },
		{ "Connection to Microsoft Entra ID failed due to "
		    "authentication failure", "aad-authentication-failed",
		    "AAD" },
		{ "Microsoft Entra Connect Sync Service isn't running",
		    "sync-service-not-running", NULL },
		{ "Azure AD Sync Service is not running.",
		    "sync-service-not-running", NULL },
		{ "Health service data isn\xe2\x80\x99t up to date",
		    "health-data-stale", NULL },
		{ "Health service data is not up to date.",
		    "health-data-stale", NULL },
		{ "Password Hash Synchronization heartbeat was skipped in "
		    "last 240 minutes", "phs-heartbeat-skipped", NULL },
		{ "Password Hash Synchronization stopped working",
		    "phs-stopped", NULL },
		{ "HIGH CPU USAGE DETECTED", "high-cpu", NULL },
		{ "High Memory Consumption Detected.", "high-memory", NULL },
		{ "Export to Microsoft Entra ID was Stopped. Accidental delete "
		    "threshold was reached.", "delete-threshold-reached",
		    "AAD" },
		{ "Export to Azure Active Directory was Stopped. Accidental "
		    "delete threshold was reached", "delete-threshold-reached",
		    "AAD" },
		{ "Resolved: High CPU Usage detected", "high-cpu", NULL },
		{ "Export to Azure ADX failed", "other", NULL },
		{ "Export to Active Directory failed twice", "other", NULL },
	};
	char	 mail[512], want[2][80], *out;
	size_t	 i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(mail, sizeof(mail), ALERT("RAISED\nTitle: %s\n"),
		    cases[i].title);
		out = run(mail, strlen(mail));
		snprintf(want[0], sizeof(want[0]), "\"alert\":\"%s\"",
		    cases[i].alert);
		snprintf(want[1], sizeof(want[1]), "\"connector_kind\":\"%s\"",
		    cases[i].kind != NULL ? cases[i].kind : "");
		if (strstr(out, want[0]) == NULL || (cases[i].kind != NULL ?
		    strstr(out, want[1]) == NULL :
		    strstr(out, "connector_kind") != NULL))
			fail_msg("%s: not %s/%s in\n%s", cases[i].title,
			    cases[i].alert, cases[i].kind, out);
		free(out);
	}
}

/* Mails and what their output must hold. */
static void
test_mails(void **state)
{
	static const struct {
		const char	*name, *in, *want[5];
	} cases[] = {
		{ "value on the next line, state from the subject",
		    HEAD(MSSEC, "Resolved: High CPU Usage detected - You have "
		    "an alert") "\nTitle:\n\n  High CPU Usage detected\nServer:"
		    "\nDescription: d\n",
		    { "\"state\":\"resolved\"", "\"title\":\"High CPU Usage "
		    "detected\"", "\"description\":\"d\"", STATS(1, 1, 0) } },
		{ "no title: the subject's, past a Resolved prefix",
		    HEAD(MSSEC, "Resolved - High Memory Consumption Detected - "
		    "You have an important alert") "\nbody\n",
		    { "\"alert\":\"high-memory\"", "\"state\":\"resolved\"",
		    "\"title\":\"High Memory Consumption Detected\"" } },
		{ "sender compared without case",
		    HEAD("AZURE-NOREPLY@Microsoft.COM", "x - You have an alert")
		    "\nTitle: High CPU Usage detected\n",
		    { "\"alert\":\"high-cpu\"", STATS(1, 1, 0) } },
		{ "another sender: read, no record",
		    HEAD("MSSecurity-noreply@microsoft.com.evil.example",
		    "x - You have an alert") "\nTitle: High CPU\n",
		    { STATS(1, 0, 0) } },
		{ "the sender's other mails are skipped",
		    HEAD(MSSEC, "Your sign-in activity") "\nHello.\n",
		    { STATS(1, 0, 0) } },
		{ "an attachment is not the body",
		    HEAD(MSSEC, "High CPU Usage detected - You have an alert")
		    "Content-Type: multipart/mixed; boundary=b\n\n--b\n"
		    "Content-Type: text/plain\nContent-Disposition: attachment"
		    "\n\nServer: WRONG\n--b\nContent-Type: text/plain\n\n"
		    "Server: RIGHT\n--b--\n",
		    { "\"server\":\"RIGHT\"", STATS(1, 1, 0) } },
		{ "an unknown charset leaves the bytes, made valid",
		    HEAD(MSSEC, "x - You have an alert") "Content-Type: "
		    "text/plain; charset=x-no-such\n\nTitle: High CPU Usage "
		    "detected\nTenant: A\xff" "B\n",
		    { "\"tenant\":\"A?B\"" } },
		{ "an embedded NUL is a blank",
		    ALERT("Title: High CPU Usage detected\nTenant: A\0B\n"),
		    { "\"tenant\":\"A B\"" } },
		{ "CRLF everywhere",
		    "From: " MSSEC "\r\nSubject: s - You have an alert\r\n\r\n"
		    "Title: High CPU Usage detected\r\nServer: S1\r\n",
		    { "\"host\":\"S1\"", "\"alert\":\"high-cpu\"" } },
		{ "report: table without a header row",
		    REPORT("John\tUnable to update this object because "
		    "[UserPrincipalName j@contoso.com;] is taken.\t"
		    "6/15/2024 11:36:02 PM\n"),
		    { "\"object\":\"John\"", "\"value\":\"j@contoso.com\"",
		    "\"time\":\"2024-06-15T23:36:02.000Z\"",
		    "\"category\":\"PropertyConflict\"", STATS(1, 1, 0) } },
		{ "report: label cells",
		    REPORT("Display name\tSales\nError\tA synchronized object "
		    "with the same proxy address already exists.\n"
		    "Object ID\t0b9a\n"),
		    { "\"object\":\"Sales\"", "\"object_id\":\"0b9a\"",
		    "\"property\":\"ProxyAddresses\"", STATS(1, 1, 0) } },
		{ "report: one error a line, objects before them",
		    REPORT("a@x Unable to update: [ProxyAddresses smtp:a@x;]\n"
		    "b@x Unable to update: [ProxyAddresses smtp:b@x;]\n"),
		    { "\"object\":\"a@x\",", "\"object\":\"b@x\",",
		    STATS(1, 2, 0) } },
		{ "report: a word in brackets is no conflict",
		    REPORT("[Microsoft logo] Report\n"),
		    { "! error at 0: a synchronization error report with no "
		    "error that could be read", STATS(1, 0, 1) } },
		{ "an MSOnline mail without errors is no report",
		    HEAD(ONLINE, "Your subscription") "\nThanks.\n",
		    { STATS(1, 0, 0) } },
		{ "mbox From line and no body",
		    "From x@y Sun Jun 16 00:00:00 2024\nFrom: a@b\n\n",
		    { STATS(1, 0, 0) } },
		{ "header block without a blank line at its end",
		    "From: a@b\nSubject: x",
		    { "! failed at 20: truncated mail" } },
		{ "a folded line first is no mail", " From: a@b\n\n",
		    { "! failed at 0: not a mail" } },
		{ "only an mbox From line", "From x@y Sun Jun 16\n",
		    { "! failed at 0: empty mail" } },
	};
	size_t	 i;
	char	*out;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		/* The NUL case carries one inside its literal. */
		out = run(cases[i].in, strlen(cases[i].in) +
		    (strstr(cases[i].name, "NUL") != NULL ? 3 : 0));
		test_parse_expect(out, cases[i].name, cases[i].want,
		    sizeof(cases[i].want) / sizeof(cases[i].want[0]), NULL);
		free(out);
	}
}

/* A mail of exactly the cap is read; one byte more is refused. */
static void
test_size_cap(void **state)
{
	static const char	 head[] = "From: a@b\nSubject: big\n\n";
	size_t			 cap = 32 * 1024 * 1024, i;
	char			*buf, *out;

	(void)state;
	buf = malloc(cap + 1);
	assert_non_null(buf);
	memcpy(buf, head, sizeof(head) - 1);
	for (i = sizeof(head) - 1; i < cap + 1; i++)
		buf[i] = i % 64 == 63 ? '\n' : 'x';
	out = test_parse(PARSER_FMT_EMAIL, "big.eml", buf, cap, 1 << 20);
	assert_string_equal(out, STATS(1, 0, 0));
	free(out);
	out = test_parse(PARSER_FMT_EMAIL, "big.eml", buf, cap + 1, 1 << 20);
	assert_non_null(strstr(out, "! failed at 33554432: mail larger than "
	    "32 MiB"));
	free(out);
	free(buf);
}

/* Too many Content-Type lines or boundaries: refused before GMime. */
static void
test_part_caps(void **state)
{
	char	*buf, *out;
	size_t	 len, i;

	(void)state;
	buf = malloc(1 << 20);
	assert_non_null(buf);
	len = (size_t)sprintf(buf, "From: a@b\nContent-Type: multipart/mixed;"
	    " boundary=b\n\n");
	for (i = 0; i < 512; i++)
		len += (size_t)sprintf(buf + len, "--b\nContent-Type: "
		    "text/plain\n\nx\n");
	out = test_parse(PARSER_FMT_EMAIL, "1.eml", buf, len, 0);
	assert_non_null(strstr(out, "! failed at"));
	assert_non_null(strstr(out, "too many MIME parts"));
	free(out);
	len = (size_t)sprintf(buf, "From: a@b\nContent-Type: multipart/mixed;"
	    " boundary=b\n\n");
	for (i = 0; i < 10001; i++)
		len += (size_t)sprintf(buf + len, "--b\n\n");
	out = test_parse(PARSER_FMT_EMAIL, "1.eml", buf, len, 0);
	assert_non_null(strstr(out, "too many MIME parts"));
	free(out);
	/* 33 levels from an alert sender: too deep to be a notification. */
	len = (size_t)sprintf(buf, "From: " MSSEC "\nContent-Type: "
	    "multipart/mixed; boundary=b0\n\n");
	for (i = 1; i <= 33; i++)
		len += (size_t)sprintf(buf + len, "--b%zu\nContent-Type: "
		    "multipart/mixed; boundary=b%zu\n\n", i - 1, i);
	len += (size_t)sprintf(buf + len, "--b33\n\nTitle: x\n");
	out = test_parse(PARSER_FMT_EMAIL, "1.eml", buf, len, 0);
	assert_non_null(strstr(out, "! failed at 0: MIME parts nested too "
	    "deep"));
	free(out);
	free(buf);
}

/* The callback stops a report after its first record. */
static void
test_stop(void **state)
{
	static const char	 in[] = REPORT("Unable to update [UserPrincipal"
	    "Name a@x;]\n\nUnable to update [UserPrincipalName b@x;]\n");
	struct parser		*ps;
	const char		*why;
	uint64_t		 off;
	int			 n = 0;

	(void)state;
	ps = parser_new(PARSER_FMT_EMAIL, "1.eml", test_parse_stop_cb, NULL,
	    &n);
	assert_non_null(ps);
	assert_int_equal(parser_push(ps, in, sizeof(in) - 1), 0);
	assert_int_equal(parser_finish(ps), -1);
	why = parser_error(ps, &off);
	assert_string_equal(why, "stopped by the record callback");
	assert_int_equal(n, 1);
	assert_int_equal(parser_stats(ps)->records, 1);
	assert_int_equal(parser_push(ps, "x", 1), -1);
	parser_free(ps);
}

/* No error callback: item errors are only counted. */
static void
test_no_error_cb(void **state)
{
	static const char	 in[] = REPORT("Nothing to read here.\n");
	struct parser		*ps;
	int			 n = 0;

	(void)state;
	ps = parser_new(PARSER_FMT_EMAIL, "1.eml", test_parse_count_cb, NULL,
	    &n);
	assert_non_null(ps);
	assert_int_equal(parser_push(ps, in, sizeof(in) - 1), 0);
	assert_int_equal(parser_finish(ps), 0);
	assert_null(parser_error(ps, NULL));
	assert_int_equal(parser_stats(ps)->errors, 1);
	assert_int_equal(n, 0);
	parser_free(ps);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_html),
		cmocka_unit_test(test_html_cap),
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_catalogue),
		cmocka_unit_test(test_mails),
		cmocka_unit_test(test_size_cap),
		cmocka_unit_test(test_part_caps),
		cmocka_unit_test(test_stop),
		cmocka_unit_test(test_no_error_cb),
	};

	parser_init();
	return (cmocka_run_group_tests(tests, NULL, NULL));
}
