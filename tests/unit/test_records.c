/*
 * test_records.c: the records parser, which reads back what record_json
 * writes.  The main check is the round trip `syncorr explain X | syncorr
 * explain` makes: every golden input of every format and every file of
 * the shared fixtures is parsed and written as explain writes it (a host
 * filled in from its directory), that text is read by the records parser
 * and written again, and the two must be byte-identical.  Then records
 * built field by field (every kind, times at the ends of int64_t) must
 * come back equal under record_cmp, and sniffing must tell records from
 * the JSON formats next to them.
 */

#include <sys/stat.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <cmocka.h>
#include <zlib.h>

#include "test_parse.h"
#include "test_util.h"

#include "parsers.h"

#define DATA		"data/"
#define FIXTURES	"../../shared/fixtures"	/* from tests/, as make runs */

/* What explain prints of one input, and how many records it was. */
struct test_records_out {
	struct test_buf	 b;
	const char	*host;		/* for records with none, or NULL */
	size_t		 n;
};

static int
test_records_write_cb(const struct record *r, void *arg)
{
	struct test_records_out	*o = arg;
	struct record		 c = *r;
	char			*s;

	if (c.host == NULL)
		c.host = o->host;
	s = record_json(&c);
	assert_non_null(s);
	test_buf_printf(&o->b, "%s\n", s);
	free(s);
	o->n++;
	return (0);
}

static void
test_records_ignore_cb(uint64_t offset, const char *reason, void *arg)
{
	(void)offset, (void)reason, (void)arg;
}

/*
 * The lines explain prints for buf read as fmt, pushed in chunks of
 * chunk bytes; *st gets the parser's counts.  The text is malloc'd ("" for
 * no records).
 */
static char *
test_records_explain(enum parser_format fmt, const char *name,
    const char *host, const void *buf, size_t len, size_t chunk,
    struct parser_stats *st)
{
	struct test_records_out	 o;
	struct parser		*ps;
	const unsigned char	*p = buf;
	size_t			 at, n;
	int			 rc = 0;

	memset(&o, 0, sizeof(o));
	o.host = host;
	ps = parser_new(fmt, name, test_records_write_cb,
	    test_records_ignore_cb, &o);
	assert_non_null(ps);
	for (at = 0; at < len && rc == 0; at += n) {
		n = len - at < chunk ? len - at : chunk;
		rc = parser_push(ps, p + at, n);
	}
	if (rc == 0)
		(void)parser_finish(ps);
	*st = *parser_stats(ps);
	parser_free(ps);
	if (o.b.buf == NULL)
		test_buf_add(&o.b, "", 0);
	return (o.b.buf);
}

/*
 * The round trip of one input: explain's text read as records, whole and
 * in 4 KiB and 7-byte pushes, gives the same text again, every line a
 * record and none rejected.
 */
static void
test_records_trip(const char *what, enum parser_format fmt, const char *name,
    const char *host, const void *buf, size_t len)
{
	static const size_t	 chunks[] = { SIZE_MAX, 4096, 7 };
	struct parser_stats	 st, st2;
	char			*first, *again;
	size_t			 i, flen;

	first = test_records_explain(fmt, name, host, buf, len, SIZE_MAX, &st);
	flen = strlen(first);
	if (flen > 0 && sniff_format(first, flen < SNIFF_BYTES ? flen :
	    SNIFF_BYTES) != PARSER_FMT_RECORDS)
		fail_msg("%s: explain's text is not sniffed as records", what);
	for (i = 0; i < sizeof(chunks) / sizeof(chunks[0]); i++) {
		again = test_records_explain(PARSER_FMT_RECORDS,
		    "records.jsonl", NULL, first, flen, chunks[i], &st2);
		if (strcmp(first, again) != 0)
			fail_msg("%s: read back in %zu-byte pushes, explain "
			    "prints\n%s\ninstead of\n%s", what, chunks[i],
			    again, first);
		if (st2.read != st.records || st2.records != st.records ||
		    st2.errors != 0)
			fail_msg("%s: %llu records read back as %llu read, "
			    "%llu records, %llu errors", what,
			    (unsigned long long)st.records,
			    (unsigned long long)st2.read,
			    (unsigned long long)st2.records,
			    (unsigned long long)st2.errors);
		free(again);
	}
	free(first);
}

/* Every input with a golden file, as its format, host its directory. */
static void
test_records_golden(void **state)
{
	struct dirent	*de;
	DIR		*d;
	char		 dir[256], path[1024], what[1024];
	const char	*name;
	char		*buf;
	size_t		 len, n = 0, nl;
	int		 f;
	struct stat	 sb;

	(void)state;
	for (f = 1; f < PARSER_FMT_MAX; f++) {
		snprintf(dir, sizeof(dir), DATA "%s",
		    parser_format_name((enum parser_format)f));
		assert_non_null(d = opendir(dir));
		while ((de = readdir(d)) != NULL) {
			nl = strlen(de->d_name);
			if (de->d_name[0] == '.' || (nl > 7 &&
			    strcmp(de->d_name + nl - 7, ".golden") == 0))
				continue;
			snprintf(path, sizeof(path), "%s/%s.golden", dir,
			    de->d_name);
			if (stat(path, &sb) == -1)
				continue;
			snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
			buf = test_slurp(path, &len);
			name = strchr(de->d_name, '@') != NULL ?
			    strchr(de->d_name, '@') + 1 : de->d_name;
			snprintf(what, sizeof(what), "%s", path);
			test_records_trip(what, (enum parser_format)f, name,
			    parser_format_name((enum parser_format)f), buf,
			    len);
			free(buf);
			n++;
		}
		closedir(d);
	}
	print_message("records: %zu golden inputs read back\n", n);
}

/* The whole file at path, gzip undone (zlib reads plain files as is). */
static char *
test_records_slurp_gz(const char *path, size_t *len)
{
	struct test_buf	 b = { NULL, 0, 0 };
	char		 chunk[65536];
	gzFile		 gz;
	int		 n;

	assert_non_null(gz = gzopen(path, "rb"));
	while ((n = gzread(gz, chunk, sizeof(chunk))) > 0)
		test_buf_add(&b, chunk, (size_t)n);
	assert_true(n == 0);
	gzclose(gz);
	if (b.buf == NULL)
		test_buf_add(&b, "", 0);
	*len = b.len;
	return (b.buf);
}

/* Every file below dir, as sniffed; returns how many were read. */
static size_t
test_records_tree(const char *dir)
{
	struct dirent		*de;
	struct stat		 sb;
	DIR			*d;
	char			 path[1024], *buf;
	size_t			 len, n = 0;
	enum parser_format	 fmt;

	assert_non_null(d = opendir(dir));
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		assert_int_equal(stat(path, &sb), 0);
		if (S_ISDIR(sb.st_mode)) {
			n += test_records_tree(path);
			continue;
		}
		buf = test_records_slurp_gz(path, &len);
		fmt = sniff_format(buf, len < SNIFF_BYTES ? len : SNIFF_BYTES);
		if (fmt != PARSER_FMT_UNKNOWN) {
			test_records_trip(path, fmt, de->d_name, NULL, buf,
			    len);
			n++;
		}
		free(buf);
	}
	closedir(d);
	return (n);
}

/* The shared fixtures (a Connect server's spool, real .evtx files). */
static void
test_records_fixtures(void **state)
{
	const char	*root;
	char		 dir[1024];
	struct stat	 sb;

	(void)state;
	root = getenv("SYNCORR_SHARED");
	if (root != NULL)
		snprintf(dir, sizeof(dir), "%s/fixtures", root);
	else
		snprintf(dir, sizeof(dir), "%s", FIXTURES);
	if (stat(dir, &sb) == -1) {
		print_message("records: no fixtures at %s\n", dir);
		skip();
	}
	print_message("records: %zu fixture files read back\n",
	    test_records_tree(dir));
}

/* r through record_json and the records parser: the record read back. */
static int
test_records_keep_cb(const struct record *r, void *arg)
{
	struct record	**out = arg;

	assert_null(*out);
	assert_non_null(*out = record_dup(r, NULL));
	return (0);
}

static struct record *
test_records_back(const struct record *r)
{
	struct record	*back = NULL;
	struct parser	*ps;
	char		*s;

	assert_non_null(s = record_json(r));
	assert_non_null(ps = parser_new(PARSER_FMT_RECORDS, "r.jsonl",
	    test_records_keep_cb, NULL, &back));
	assert_int_equal(parser_push(ps, s, strlen(s)), 0);
	assert_int_equal(parser_finish(ps), 0);
	parser_free(ps);
	free(s);
	if (back == NULL)
		fail_msg("no record read back");
	return (back);
}

/* r must come back equal in every field, its host too. */
static void
test_records_same(const struct record *r)
{
	struct record	*back;

	back = test_records_back(r);
	assert_int_equal(record_cmp(r, back), 0);
	if (r->host == NULL)
		assert_null(back->host);
	assert_int_equal(back->conn_kind, r->conn_kind);
	free(back);
}

/* Records of every kind, each field set, come back equal. */
static void
test_records_fields(void **state)
{
	struct record		 r;
	struct rec_run		*run = &r.u.run;
	struct rec_export_error	*x = &r.u.xerr;
	struct rec_health_alert	*a = &r.u.alert;
	struct rec_cloud_error	*c = &r.u.cloud;
	size_t			 i;
	int			 k;

	(void)state;
	memset(&r, 0, sizeof(r));
	r.kind = REC_RUN;
	r.source = REC_SRC_RUNHIST;
	r.host = "HQ-SYNC01";
	r.connector = "contoso.com";
	r.conn_kind = REC_CONN_AD;
	r.time = 1775120454447LL;
	run->profile = "Export";
	run->step_type = "export";
	run->result = "stopped-connectivity";
	run->connection = "failed-connection";
	run->conn_server = "dc01.contoso.com";
	run->conn_code = 8453;
	run->conn_literal = "Replication access was denied.";
	run->run_id = "{3C1F7A52-9F0E-4F6B-A3C1-5D2E8B7F9A10}";
	run->run_number = 4312;
	run->step_number = 0;
	run->start = 1775120400000LL;
	run->end = r.time;
	for (i = 0; i < REC_CNT_MAX; i++)
		run->counters[i] = i % 3 == 0 ? -1 : (int64_t)i * 1000;
	test_records_same(&r);

	memset(&r.u, 0, sizeof(r.u));
	r.kind = REC_EXPORT_ERROR;
	r.source = REC_SRC_CSEXPORT;
	r.host = NULL;
	r.conn_kind = REC_CONN_AAD;
	x->dn = "CN=Jane \\, \"Doe\",OU=Admins,DC=contoso,DC=com";
	x->cs_id = "{8D3F1E2A-9B41-E811-80C7-00155D0A1B2C}";
	x->object_type = "user";
	x->error_type = "permission-issue";
	x->error_name = "";
	x->error_code = 8344;
	x->literal = "Insufficient access rights\r\n\tto perform";
	x->server_detail = "00002098: SecErr: DSID-03150F94\x01\x1f";
	x->extra_details = "[{\"Key\":\"AttributeConflictName\"}]";
	x->conflict_attr = "UserPrincipalName";
	x->conflict_value = "jane@contoso.com";
	x->object_id = "0b9a7f8e";
	x->conflict_object_id = "7505ed65";
	x->first_occurred = -1;
	x->date_occurred = 0;
	x->retry_count = INT64_MAX;
	for (i = 0; i < REC_MAXATTRS; i++)
		x->attrs[i] = i % 2 ? "msDS-KeyCredentialLink" : "éàü/日本";
	x->nattrs = REC_MAXATTRS;
	x->upn = "jane@contoso.com";
	x->sam = "jane";
	for (k = -1; k <= 1; k++) {
		x->admin_count = k;
		test_records_same(&r);
	}

	memset(&r.u, 0, sizeof(r.u));
	r.kind = REC_SNAPSHOT;
	r.conn_kind = REC_CONN_UNKNOWN;
	r.connector = NULL;
	r.time = REC_TIME_NONE;
	r.u.snap.objects = 0;
	r.u.snap.export_errors = -1;
	r.u.snap.import_errors = 12;
	test_records_same(&r);

	memset(&r.u, 0, sizeof(r.u));
	r.kind = REC_HEALTH_ALERT;
	r.source = REC_SRC_HEALTH_EMAIL;
	a->alert = "export-to-ad-failed";
	a->title = "Export to Active Directory failed.";
	a->description = "line one\nline two";
	a->raised = 1775120940000LL;
	a->server = "AADCONNECT01.contoso.com";
	a->service = "contoso.onmicrosoft.com";
	a->tenant = "Contoso";
	a->sender = "MSSecurity-noreply@microsoft.com";
	a->subject = "Resolved: Export";
	a->message_id = "<9a8b@mail>";
	for (k = REC_ALERT_UNKNOWN; k <= REC_ALERT_RESOLVED; k++) {
		a->state = (enum rec_alert_state)k;
		test_records_same(&r);
	}

	memset(&r.u, 0, sizeof(r.u));
	r.kind = REC_CLOUD_ERROR;
	r.source = REC_SRC_CLOUD;
	c->object = "John Doe";
	c->object_id = "0b9a";
	c->object_type = "User";
	c->upn = "john1234@contoso.onmicrosoft.com";
	c->immutable_id = "LH8aXkE7EeiAxwAVXQobLA==";
	c->category = "PropertyConflict";
	c->property = "ProxyAddresses";
	c->value = "SMTP:john@contoso.com";
	c->error = "";
	test_records_same(&r);
}

/*
 * Every time comes back as written: ptime_format prints any year, so
 * the ends of int64_t, years past 9999 and before 1 read back too.
 */
static void
test_records_times(void **state)
{
	static const int64_t	 fixed[] = { 0, -1, 1, 999, -999, -1000,
	    1775120454447LL, 951782400000LL, 253402300799999LL,
	    253402300800000LL, -62135596800000LL, -62135596800001LL,
	    -62167219200000LL, -62167219200001LL, INT64_MAX, INT64_MAX - 1,
	    INT64_MIN + 1, INT64_MIN + 2, INT64_MAX / 1000 * 1000,
	    INT64_MIN / 1000 * 1000 };
	struct record		 r, *back;
	uint64_t		 x = 88172645463325252ULL;
	size_t			 i;

	(void)state;
	memset(&r, 0, sizeof(r));
	r.kind = REC_SNAPSHOT;
	r.source = REC_SRC_CSEXPORT;
	r.u.snap.objects = r.u.snap.export_errors = r.u.snap.import_errors =
	    -1;
	for (i = 0; i < sizeof(fixed) / sizeof(fixed[0]) + 2000; i++) {
		if (i < sizeof(fixed) / sizeof(fixed[0]))
			r.time = fixed[i];
		else {
			/* xorshift64: anywhere in the range, and near now. */
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			r.time = i % 2 ? (int64_t)x :
			    (int64_t)(x % 8000000000000ULL) - 4000000000000LL;
			if (r.time == REC_TIME_NONE)
				continue;
		}
		back = test_records_back(&r);
		if (back->time != r.time)
			fail_msg("time %lld read back as %lld",
			    (long long)r.time, (long long)back->time);
		free(back);
	}
}

/* A few behaviours the golden files show, said where they are tested. */
static const struct test_parse_case test_records_cases[] = {
	{ "a member of the wrong type names it",
	    "{\"kind\":\"snapshot\",\"source\":\"csexport\","
	    "\"objects\":\"1\"}\n",
	    { "! error at 0: \"objects\" is not an integer" },
	    "# read 1, records 0, errors 1" },
	{ "a counter of the wrong type names the counter",
	    "{\"kind\":\"run\",\"source\":\"run-history\",\"counters\":"
	    "{\"export_add\":true}}\n",
	    { "\"export_add\" is not an integer" }, NULL },
	{ "a broken line is one error, the next line is read",
	    "{\"kind\":\"snapshot\",\"source\":\"csexport\",\"objects\":\n"
	    "{\"kind\":\"snapshot\",\"source\":\"csexport\",\"objects\":2}\n",
	    { "! error at 0: not valid JSON", "\"objects\":2" },
	    "# read 2, records 1, errors 1" },
	{ "null is a field not given",
	    "{\"kind\":\"snapshot\",\"source\":\"csexport\",\"host\":null,"
	    "\"objects\":null,\"time\":null}\n",
	    { "{\"kind\":\"snapshot\",\"source\":\"csexport\"}\n" },
	    "# read 1, records 1, errors 0" },
	{ "the first 16 attributes are kept",
	    "{\"kind\":\"export-error\",\"source\":\"csexport\",\"attributes\":"
	    "[\"1\",\"2\",\"3\",\"4\",\"5\",\"6\",\"7\",\"8\",\"9\",\"10\","
	    "\"11\",\"12\",\"13\",\"14\",\"15\",\"16\",\"17\"]}",
	    { "\"16\"]}" }, "# read 1, records 1, errors 0" },
	{ "UTF-8 BOM, CRLF",
	    "\xef\xbb\xbf{\"kind\":\"snapshot\",\"source\":\"csexport\"}\r\n",
	    { "{\"kind\":\"snapshot\",\"source\":\"csexport\"}\n" },
	    "# read 1, records 1, errors 0" },
};

static void
test_records_table(void **state)
{
	(void)state;
	test_parse_cases(PARSER_FMT_RECORDS, "records.jsonl",
	    test_records_cases, sizeof(test_records_cases) /
	    sizeof(test_records_cases[0]));
}

/* A record callback that says stop stops the parser at once. */
static void
test_records_stop(void **state)
{
	static const char	in[] = "{\"kind\":\"snapshot\",\"source\":"
	    "\"csexport\"}\n{\"kind\":\"snapshot\",\"source\":\"csexport\"}\n";
	struct parser		*ps;
	uint64_t		 off = 1;
	int			 n = 0;

	(void)state;
	assert_non_null(ps = parser_new(PARSER_FMT_RECORDS, "r.jsonl",
	    test_parse_stop_cb, NULL, &n));
	assert_int_equal(parser_push(ps, in, sizeof(in) - 1), -1);
	assert_int_equal(n, 1);
	assert_string_equal(parser_error(ps, &off),
	    "stopped by the record callback");
	assert_true(off == 0);
	parser_free(ps);
}

/* Records are told by kind and source values, at the top level only. */
static void
test_records_sniff(void **state)
{
	static const struct {
		const char		*in;
		enum parser_format	 fmt;
	} cases[] = {
		{ "{\"kind\":\"run\",\"source\":\"event-6100\"}",
		    PARSER_FMT_RECORDS },
		{ "\n  { \"source\" : \"cloud-error\", \"x\":{\"kind\":1},"
		    "\"kind\" : \"cloud-error\" }", PARSER_FMT_RECORDS },
		{ "{\"kind\":\"snapshot\",\"source\":\"csexport\",\"dn\":\"",
		    PARSER_FMT_RECORDS },
		{ "{\"kind\":\"run\"}", PARSER_FMT_UNKNOWN },
		{ "{\"kind\":\"run\",\"source\":\"syslog\"}",
		    PARSER_FMT_UNKNOWN },
		{ "{\"kind\":\"incident\",\"source\":\"csexport\"}",
		    PARSER_FMT_UNKNOWN },
		{ "{\"kind\":\"ru\\n\",\"source\":\"csexport\"}",
		    PARSER_FMT_UNKNOWN },
		{ "{\"a\":{\"kind\":\"run\",\"source\":\"csexport\"}}",
		    PARSER_FMT_UNKNOWN },
		{ "{\"a\":\"}\"}\n{\"kind\":\"run\",\"source\":\"csexport\"}",
		    PARSER_FMT_UNKNOWN },
		{ "[{\"kind\":\"run\",\"source\":\"csexport\"}]",
		    PARSER_FMT_UNKNOWN },
		/* Winlogbeat's event.kind and a source of its own. */
		{ "{\"@timestamp\":\"x\",\"event\":{\"kind\":\"event\","
		    "\"code\":\"6100\"},\"source\":\"csexport\",\"winlog\":{}}",
		    PARSER_FMT_EVENT_BEAT },
		{ "{\"EventID\":6100,\"Source\":\"ADSync\",\"kind\":\"run\"}",
		    PARSER_FMT_EVENT_PSJSON },
	};
	size_t	i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (sniff_format(cases[i].in, strlen(cases[i].in)) !=
		    cases[i].fmt)
			fail_msg("%s: sniffed as %s", cases[i].in,
			    parser_format_name(sniff_format(cases[i].in,
			    strlen(cases[i].in))));
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(test_records_golden),
		cmocka_unit_test(test_records_fixtures),
		cmocka_unit_test(test_records_fields),
		cmocka_unit_test(test_records_times),
		cmocka_unit_test(test_records_table),
		cmocka_unit_test(test_records_stop),
		cmocka_unit_test(test_records_sniff),
	};

	parser_init();
	return (cmocka_run_group_tests(tests, NULL, NULL));
}
