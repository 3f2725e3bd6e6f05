/*
 * test_record.c: the small pure helpers every parser leans on: timestamps
 * (both csexport's and RFC 3339 forms, zones, bad dates), DNs (escaped
 * commas, the domain part), format sniffing (BOMs, UTF-16, prologs),
 * record copies and ordering, and values: integers, trimming, folding.
 */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <cmocka.h>

#include "parsers.h"

static void
test_ptime(void **state)
{
	static const struct {
		const char	*in;
		const char	*out;
		int64_t		 ms;	/* -1: do not check */
	} cases[] = {
		{ "2024-06-16 01:06:51.873", "2024-06-16T01:06:51Z",
		    1718500011873LL },
		{ "2024-06-16T01:06:52.4471234Z", "2024-06-16T01:06:52Z",
		    1718500012447LL },
		{ " 2026-01-12 06:40:03.120\r\n", "2026-01-12T06:40:03Z", -1 },
		{ "2015-08-06T20:12:25.3151096-04:00", "2015-08-07T00:12:25Z",
		    -1 },
		{ "2024-06-16T01:06:40", "2024-06-16T01:06:40Z", -1 },
		{ "2024-06-16 01:06", "2024-06-16T01:06:00Z", -1 },
		{ "2024-02-29 00:00:00", "2024-02-29T00:00:00Z", -1 },
		{ "2000-02-29 00:00:00", "2000-02-29T00:00:00Z", -1 },
		{ "1970-01-01 00:00:00.000", "1970-01-01T00:00:00Z", 0 },
		{ "1969-12-31 23:59:59.500", "1969-12-31T23:59:59Z", -500 },
		{ "2023-02-29 00:00:00", "unknown", -1 },
		{ "1900-02-29 00:00:00", "unknown", -1 },
		{ "2024-13-01 00:00:00", "unknown", -1 },
		{ "2024-06-16 24:00:00", "unknown", -1 },
		{ "2024-06-16", "unknown", -1 },
		{ "6/16/2024 1:06:52 AM", "unknown", -1 },
		{ "2024-06-16T01:06:40Zjunk", "unknown", -1 },
		{ "", "unknown", -1 },
	};
	char	buf[32];
	int64_t	t;
	size_t	i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		t = ptime_parse(cases[i].in, strlen(cases[i].in));
		ptime_format(t, buf, sizeof(buf));
		assert_string_equal(buf, cases[i].out);
		if (cases[i].ms != -1)
			assert_true(t == cases[i].ms);
	}
	/* Not NUL terminated: only len bytes are read. */
	assert_true(ptime_parse("2024-06-16 01:06:51.873XXXX", 23) ==
	    1718500011873LL);
	ptime_format(ptime_make(9999, 12, 31, 23, 59, 59, 999), buf,
	    sizeof(buf));
	assert_string_equal(buf, "9999-12-31T23:59:59Z");
}

static void
test_dn(void **state)
{
	char	buf[64];

	(void)state;
	assert_string_equal(dn_domain("CN=Alice,OU=Admins,DC=contoso,DC=com"),
	    "DC=contoso,DC=com");
	assert_string_equal(dn_domain("CN=Doe\\, DC=x,OU=A, DC=a,DC=b"),
	    "DC=a,DC=b");
	assert_string_equal(dn_domain("cn=x,dc=Sub,dc=Contoso,dc=com"),
	    "dc=Sub,dc=Contoso,dc=com");
	assert_null(dn_domain("CN={4C48386158}"));
	assert_null(dn_domain("DC=a,CN=b"));
	assert_int_equal(dn_dns_name("CN=A,DC=contoso,DC=com", buf,
	    sizeof(buf)), 0);
	assert_string_equal(buf, "contoso.com");
	assert_int_equal(dn_dns_name("CN=A,DC=contoso,DC=com", buf, 8), -1);
	assert_int_equal(dn_dns_name("CN=A", buf, sizeof(buf)), -1);
	assert_string_equal(dn_parent("CN=A,OU=Users,DC=x"), "OU=Users,DC=x");
	assert_string_equal(dn_parent("CN=A\\,B,OU=U"), "OU=U");
	assert_null(dn_parent("DC=com"));
}

/* dn_domain as it was first written: RDN by RDN from the start. */
static const char *
dn_domain_ref(const char *dn)
{
	const char	*p, *q, *start = NULL;

	for (p = dn; p != NULL; ) {
		for (q = p; *q == ' '; q++)
			continue;
		if (strncasecmp(q, "DC=", 3) == 0) {
			if (start == NULL)
				start = p;
		} else
			start = NULL;
		for (q = p; *q != '\0'; q++) {
			if (*q == '\\' && q[1] != '\0')
				q++;
			else if (*q == ',')
				break;
		}
		p = *q == ',' ? q + 1 : NULL;
	}
	while (start != NULL && *start == ' ')
		start++;
	return (start);
}

/*
 * The domain part, read from the end, is the one read from the start:
 * DNs drawn from RDNs with escaped commas, runs of backslashes, spaces,
 * empty RDNs and DC= in either case.
 */
static void
test_dn_domain_back(void **state)
{
	static const char *const	 part[] = {
		"DC=a", "dc=b", " DC=c", "CN=x", "OU=y\\,DC=z", "CN=q\\\\",
		"DC=d\\", "", "\\", "OU=\\,", "Dc=e",
	};
	char				 dn[256];
	size_t				 i, k, n;
	unsigned			 seed = 7;

	(void)state;
	for (n = 0; n < 50000; n++) {
		dn[0] = '\0';
		for (k = 0; k < 1 + n % 6; k++) {
			seed = seed * 1103515245U + 12345U;
			i = (seed >> 16) % (sizeof(part) / sizeof(part[0]));
			if (k > 0)
				strcat(dn, ",");
			strcat(dn, part[i]);
		}
		assert_ptr_equal(dn_domain(dn), dn_domain_ref(dn));
	}
}

static void
test_sniff(void **state)
{
	static const unsigned char u16le[] = { 0xff, 0xfe, '<', 0, 'c', 0,
	    's', 0, '-', 0, 'o', 0, 'b', 0, 'j', 0, 'e', 0, 'c', 0, 't', 0,
	    's', 0, '>', 0 };
	static const unsigned char u16be[] = { 0, '<', 0, 'c', 0, 's', 0,
	    '-', 0, 'o', 0, 'b', 0, 'j', 0, 'e', 0, 'c', 0, 't', 0, 's' };
	static const struct {
		const char		*in;
		enum parser_format	 fmt;
	} cases[] = {
		{ "<cs-objects>", PARSER_FMT_CSEXPORT },
		{ "\xef\xbb\xbf<?xml version=\"1.0\"?>\r\n<cs-objects>",
		    PARSER_FMT_CSEXPORT },
		{ "  <!-- dump --><?pi x?>\n<cs-objects/>",
		    PARSER_FMT_CSEXPORT },
		{ "<!DOCTYPE cs-objects [ <!ENTITY a 'b'> ]><cs-objects>",
		    PARSER_FMT_CSEXPORT },
		{ "<cs-objectsX>", PARSER_FMT_UNKNOWN },
		{ "<run-history>", PARSER_FMT_RUNHIST },
		{ "<?xml version=\"1.0\" encoding=\"utf-16\"?>\r\n"
		    "<run-history>", PARSER_FMT_RUNHIST },
		{ "<Event xmlns='http://schemas.microsoft.com/win/2004/08/"
		    "events/event'><System>", PARSER_FMT_EVENT_XML },
		{ "<?xml version=\"1.0\"?>\n<Events>\n<Event>",
		    PARSER_FMT_EVENT_XML },
		{ "{\"@timestamp\":\"2026-04-02T09:00:54.000Z\",\"event\":"
		    "{\"code\":\"6100\"},\"winlog\":{\"event_id\":6100}}",
		    PARSER_FMT_EVENT_BEAT },
		{ "{\r\n    \"Id\":  6100,\r\n    \"Version\":  0,\r\n"
		    "    \"ProviderName\":  \"ADSync\",", PARSER_FMT_EVENT_PSJSON },
		{ "[\r\n    {\r\n        \"RunHistoryId\":  \"3c1f\",",
		    PARSER_FMT_RUNPROFILE_JSON },
		{ "{\"@odata.context\":\"x\",\"value\":[{\"id\":\"0b9a\","
		    "\"onPremisesProvisioningErrors\":[]}]}",
		    PARSER_FMT_CLOUD_JSON },
		{ "#TYPE System.Diagnostics.Eventing.Reader.EventLogRecord\r\n"
		    "\"Message\",\"Id\",\"Version\",\"ProviderName\"\r\n",
		    PARSER_FMT_EVENT_CSV },
		{ "EventID;MachineName;Source;Message\n", PARSER_FMT_EVENT_CSV },
		{ "\"RunNumber\",\"RunHistoryId\",\"ConnectorName\","
		    "\"RunProfileName\",\"Result\",\"StartDate\",\"EndDate\"\r\n",
		    PARSER_FMT_RUNPROFILE_CSV },
		{ "\"DisplayName\",\"ImmutableId\",\"ObjectType\","
		    "\"ErrorCategory\",\"PropertyName\",\"PropertyValue\"\r\n",
		    PARSER_FMT_CLOUD_CSV },
		{ "Return-Path: <a@b>\r\nFrom: Microsoft Security "
		    "<MSSecurity-noreply@microsoft.com>\r\nSubject: x\r\n\r\n",
		    PARSER_FMT_EMAIL },
		{ "From x@y Sun Jun 16 01:37:12 2024\nX-Mailer: a\n"
		    "Subject: y\n  folded\n\nbody", PARSER_FMT_EMAIL },
		{ "ElfFile", PARSER_FMT_UNKNOWN },	/* no NUL after it */
		{ "Subject: one field only\n", PARSER_FMT_UNKNOWN },
		{ "hello: world\nand more\n", PARSER_FMT_UNKNOWN },
		{ "a,b,c\n1,2,3\n", PARSER_FMT_UNKNOWN },
		{ "\"Id\",\"ProviderName\"", PARSER_FMT_UNKNOWN }, /* no EOL */
		{ "{\"a\":1}", PARSER_FMT_UNKNOWN },
		{ "[1,2,3]", PARSER_FMT_UNKNOWN },
		{ "<!-- unterminated", PARSER_FMT_UNKNOWN },
		{ "", PARSER_FMT_UNKNOWN },
	};
	size_t	i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_int_equal(sniff_format(cases[i].in,
		    strlen(cases[i].in)), cases[i].fmt);
	assert_int_equal(sniff_format(u16le, sizeof(u16le)),
	    PARSER_FMT_CSEXPORT);
	assert_int_equal(sniff_format(u16be, sizeof(u16be)),
	    PARSER_FMT_CSEXPORT);
	assert_int_equal(sniff_format("ElfFile\0\0\0", 10),
	    PARSER_FMT_EVENT_EVTX);
}

static void
test_record_dup_cmp(void **state)
{
	struct record	 r, *a, *b;
	char		 dn[] = "CN=A,DC=x";

	(void)state;
	memset(&r, 0, sizeof(r));
	r.kind = REC_EXPORT_ERROR;
	r.connector = "x";
	r.time = 5;
	r.u.xerr.dn = dn;
	r.u.xerr.attrs[0] = "msDS-KeyCredentialLink";
	r.u.xerr.nattrs = 1;
	r.u.xerr.admin_count = 1;
	a = record_dup(&r, "HOST");
	assert_non_null(a);
	dn[0] = 'X';	/* the copy owns its strings */
	assert_string_equal(a->u.xerr.dn, "CN=A,DC=x");
	assert_string_equal(a->host, "HOST");
	assert_string_equal(a->u.xerr.attrs[0], "msDS-KeyCredentialLink");
	assert_null(a->u.xerr.upn);
	b = record_dup(a, "OTHER");	/* a host already set stays */
	assert_string_equal(b->host, "HOST");
	assert_int_equal(record_cmp(a, b), 0);
	b->time = 4;
	assert_true(record_cmp(a, b) > 0);
	b->time = 5;
	b->u.xerr.upn = "u";
	assert_true(record_cmp(a, b) < 0);
	b->u.xerr.upn = NULL;
	b->u.xerr.retry_count = 2;
	assert_true(record_cmp(a, b) < 0);
	free(a);
	free(b);
	assert_string_equal(record_kind_name(REC_SNAPSHOT), "snapshot");
	assert_string_equal(record_source_name(REC_SRC_HEALTH_EMAIL),
	    "health-email");
	assert_string_equal(record_source_name(REC_SRC_MAX), "unknown");
	assert_null(record_conn_name(REC_CONN_UNKNOWN));
	assert_int_equal(record_conn_kind("contoso.onmicrosoft.com - AAD"),
	    REC_CONN_AAD);
	assert_int_equal(record_conn_kind("AAD"), REC_CONN_AAD);
	assert_int_equal(record_conn_kind("contoso.com"), REC_CONN_AD);
	assert_int_equal(record_conn_kind("- AAD"), REC_CONN_AD);
	assert_int_equal(record_conn_kind(""), REC_CONN_UNKNOWN);
	assert_int_equal(record_conn_kind(NULL), REC_CONN_UNKNOWN);
}

static void
test_pvalue(void **state)
{
	static const struct {
		const char	*in;
		int		 rc;
		int64_t		 v;
	} cases[] = {
		{ "8344", 0, 8344 }, { "0x2098", 0, 8344 }, { " 0x1\r\n", 0, 1 },
		{ "-2146", 0, -2146 }, { "0X80072098", 0, 0x80072098LL },
		{ "", -1, 0 }, { " \n", -1, 0 }, { "12ab", -1, 0 },
		{ "0x", -1, 0 }, { "1 2", -1, 0 },
	};
	const char	*s = "\t a b \r\n";
	size_t		 i, len = strlen(s);
	int64_t		 v;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		v = 0;
		assert_int_equal(pvalue_int(cases[i].in, &v), cases[i].rc);
		if (cases[i].rc == 0)
			assert_true(v == cases[i].v);
	}
	pvalue_trim(&s, &len);
	assert_int_equal(len, 3);
	assert_memory_equal(s, "a b", 3);
}

/* pvalue_fold as its comment says it, a byte at a time. */
static void
fold_ref(const char *s, char *out)
{
	int	blank = 0;
	char	*w = out;

	for (; *s != '\0'; s++) {
		if ((unsigned char)*s <= ' ' || *s == 0x7f) {
			blank = 1;
			continue;
		}
		if (blank && w != out)
			*w++ = ' ';
		blank = 0;
		*w++ = *s;
	}
	*w = '\0';
}

/*
 * Folding blanks: a table, then strings of every length to 40 drawn from
 * text, spaces, other blanks, DEL and UTF-8, so that every mix falls on
 * each place of an eight-byte word and across words.
 */
static void
test_pvalue_fold(void **state)
{
	static const struct {
		const char	*in, *out;
	} cases[] = {
		{ "", "" }, { "a", "a" }, { " a", "a" }, { "a ", "a" },
		{ "a b", "a b" }, { "a  b", "a b" }, { "a\tb", "a b" },
		{ "00002030: NameErr\n\t'OU=Users'", "00002030: NameErr 'OU=Users'" },
		{ "exactly8 bytes.", "exactly8 bytes." },
		{ "exactly8 ", "exactly8" }, { "exactly8\x7f", "exactly8" },
		{ "Set-ADSyncExchangeHybridPermissions -ADConnectorAccountDN",
		    "Set-ADSyncExchangeHybridPermissions -ADConnectorAccountDN" },
		{ "S\xc3\xb8ren  Lee", "S\xc3\xb8ren Lee" },
	};
	static const char	 alpha[] = "ab  \t\n\x7f\xc3\xb8.";
	char			 buf[64], want[64];
	size_t			 i, n, len;
	unsigned		 seed = 1;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(buf, sizeof(buf), "%s", cases[i].in);
		pvalue_fold(buf);
		assert_string_equal(buf, cases[i].out);
	}
	for (n = 0; n < 20000; n++) {
		len = n % 41;
		for (i = 0; i < len; i++) {
			seed = seed * 1103515245U + 12345U;
			buf[i] = alpha[(seed >> 16) % (sizeof(alpha) - 1)];
		}
		buf[len] = '\0';
		fold_ref(buf, want);
		pvalue_fold(buf);
		assert_string_equal(buf, want);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ptime),
		cmocka_unit_test(test_dn),
		cmocka_unit_test(test_dn_domain_back),
		cmocka_unit_test(test_sniff),
		cmocka_unit_test(test_record_dup_cmp),
		cmocka_unit_test(test_pvalue),
		cmocka_unit_test(test_pvalue_fold),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
