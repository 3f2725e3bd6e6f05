/*
 * test_csexport.c: the csexport parser against real-shaped dumps and
 * hostile ones.  Each good case in tests/data/csexport has a .golden file
 * with the records it must yield; each case is pushed whole, in 4 KiB
 * chunks, and in 3- and 1-byte chunks, and must give the same records
 * every way.  Bad cases must fail with the expected reason and never
 * yield a snapshot.  Set SYNCORR_GOLDEN_UPDATE=1 to rewrite the goldens.
 */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "test_util.h"

#include "parsers.h"

#define DATA	"data/csexport/"

struct out {
	char	*buf;
	size_t	 len;
	int	 snapshots;
};

static void	out_printf(struct out *, const char *, ...)
		    __attribute__((__format__(__printf__, 2, 3)));

static void
out_printf(struct out *o, const char *fmt, ...)
{
	va_list	ap;
	char	*s;
	int	 n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	assert_true(n >= 0);
	o->buf = realloc(o->buf, o->len + (size_t)n + 1);
	assert_non_null(o->buf);
	memcpy(o->buf + o->len, s, (size_t)n + 1);
	o->len += (size_t)n;
	free(s);
}

static void
out_str(struct out *o, const char *key, const char *v)
{
	if (v == NULL)
		out_printf(o, " %s=-", key);
	else if (strlen(v) > 120)
		out_printf(o, " %s=<%zu bytes>", key, strlen(v));
	else
		out_printf(o, " %s=\"%s\"", key, v);
}

static void
out_time(struct out *o, const char *key, int64_t t)
{
	char	buf[32];

	ptime_format(t, buf, sizeof(buf));
	out_printf(o, " %s=%s", key, buf);
}

/* One line per record: every field, so a golden diff shows any change. */
static int
record_cb(const struct record *r, void *arg)
{
	const struct rec_export_error	*x = &r->u.xerr;
	struct out			*o = arg;
	size_t				 i;

	out_printf(o, "%s", record_kind_name(r->kind));
	out_str(o, "connector", r->connector);
	out_str(o, "kind", record_conn_name(r->conn_kind));
	out_time(o, "time", r->time);
	if (r->kind == REC_SNAPSHOT) {
		o->snapshots++;
		out_printf(o, " objects=%lld errors=%lld import_errors=%lld\n",
		    (long long)r->u.snap.objects,
		    (long long)r->u.snap.export_errors,
		    (long long)r->u.snap.import_errors);
		return (0);
	}
	out_str(o, "dn", x->dn);
	out_str(o, "id", x->cs_id);
	out_str(o, "type", x->object_type);
	out_str(o, "error_type", x->error_type);
	out_str(o, "error_name", x->error_name);
	out_printf(o, " code=%lld", (long long)x->error_code);
	out_str(o, "literal", x->literal);
	out_str(o, "detail", x->server_detail);
	out_str(o, "extra", x->extra_details);
	out_time(o, "first", x->first_occurred);
	out_time(o, "date", x->date_occurred);
	out_printf(o, " retries=%lld attrs=[", (long long)x->retry_count);
	for (i = 0; i < x->nattrs; i++)
		out_printf(o, "%s%s", i ? "," : "", strlen(x->attrs[i]) > 60 ?
		    "<long>" : x->attrs[i]);
	out_printf(o, "]");
	out_str(o, "upn", x->upn);
	out_str(o, "sam", x->sam);
	out_printf(o, " admin=%d\n", x->admin_count);
	return (0);
}

/* Parses buf in chunks of size chunk (0: whole); returns 0 or -1. */
static int
parse(const char *name, const char *buf, size_t len, size_t chunk,
    struct out *o, const char **why)
{
	struct csexport	*cx;
	size_t		 off, n;
	uint64_t	 eoff;
	int		 rc = 0;

	memset(o, 0, sizeof(*o));
	o->buf = strdup("");
	cx = csexport_new(name, record_cb, o);
	assert_non_null(cx);
	for (off = 0; off < len && rc == 0; off += n) {
		n = chunk == 0 || len - off < chunk ? len - off : chunk;
		rc = csexport_push(cx, buf + off, n);
	}
	if (rc == 0)
		rc = csexport_finish(cx);
	*why = NULL;
	if (rc == -1) {
		static char	reason[256];

		snprintf(reason, sizeof(reason), "%s",
		    csexport_error(cx, &eoff));
		*why = reason;
		assert_true(eoff <= len);
	}
	csexport_free(cx);
	return (rc);
}

static const char *good_cases[] = {
	"current-shape", "older-shape", "aad", "pending-no-errors",
	"empty-dump", "crlf-missing-fields", "utf16le-bom", "huge-values",
	"deep-nesting",
};

static void
test_golden(void **state)
{
	static const size_t	 chunks[] = { 0, 4096, 3, 1 };
	const char		*why;
	struct out		 o, first;
	char			 path[256], gpath[256], name[256], *buf, *golden;
	size_t			 i, c, len, glen;
	FILE			*f;

	(void)state;
	for (i = 0; i < sizeof(good_cases) / sizeof(good_cases[0]); i++) {
		snprintf(path, sizeof(path), DATA "%s.xml", good_cases[i]);
		snprintf(gpath, sizeof(gpath), DATA "%s.golden",
		    good_cases[i]);
		/* A name that carries the connector and the dump's time. */
		snprintf(name, sizeof(name), "csexport-%s-20260616T011000Z.xml",
		    strcmp(good_cases[i], "aad") == 0 ?
		    "contoso.onmicrosoft.com - AAD" : "contoso.com");
		if (strcmp(good_cases[i], "crlf-missing-fields") == 0)
			snprintf(name, sizeof(name), "dump.xml");
		buf = test_slurp(path, &len);
		memset(&first, 0, sizeof(first));
		for (c = 0; c < sizeof(chunks) / sizeof(chunks[0]); c++) {
			if (parse(name, buf, len, chunks[c], &o, &why) != 0)
				fail_msg("%s (chunk %zu): %s", path, chunks[c],
				    why);
			assert_int_equal(o.snapshots, 1);
			if (c == 0) {
				first = o;
				continue;
			}
			assert_string_equal(o.buf, first.buf);
			free(o.buf);
		}
		if (getenv("SYNCORR_GOLDEN_UPDATE") != NULL) {
			f = fopen(gpath, "w");
			assert_non_null(f);
			fputs(first.buf, f);
			fclose(f);
		}
		golden = test_slurp(gpath, &glen);
		if (strcmp(golden, first.buf) != 0)
			fail_msg("%s: got\n%s\nwant\n%s", path, first.buf,
			    golden);
		free(golden);
		free(first.buf);
		free(buf);
	}
}

static const struct {
	const char	*file;
	const char	*reason;	/* a substring of the error */
} bad_cases[] = {
	{ "bad-xxe", "DOCTYPE is not allowed" },
	{ "bad-billion-laughs", "DOCTYPE is not allowed" },
	{ "bad-truncated", "truncated document" },
	{ "bad-wrong-root", "not a csexport dump" },
	{ "bad-embedded-nul", "" },
	{ "bad-encoding", "" },
	{ "bad-utf16-surrogate", "not valid in the document's encoding" },
	{ "bad-junk", "" },
};

static void
test_bad(void **state)
{
	const char	*why;
	struct out	 o;
	char		 path[256], *buf;
	size_t		 i, len;

	(void)state;
	for (i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		snprintf(path, sizeof(path), DATA "%s.xml", bad_cases[i].file);
		buf = test_slurp(path, &len);
		if (parse("x.xml", buf, len, 4096, &o, &why) == 0)
			fail_msg("%s: parsed without error", path);
		assert_non_null(why);
		if (strstr(why, bad_cases[i].reason) == NULL)
			fail_msg("%s: \"%s\" lacks \"%s\"", path, why,
			    bad_cases[i].reason);
		/* No entity ever reached a record. */
		assert_null(strstr(o.buf, "root:"));
		assert_null(strstr(o.buf, "lollol"));
		assert_int_equal(o.snapshots, 0);
		free(o.buf);
		free(buf);
	}
}

/* Input shorter than the four bytes libxml2 sniffs, and none at all. */
static void
test_tiny(void **state)
{
	const char	*why;
	struct out	 o;

	(void)state;
	assert_int_equal(parse("x", "", 0, 0, &o, &why), -1);
	assert_string_equal(why, "empty file");
	free(o.buf);
	assert_int_equal(parse("x", "<a", 2, 1, &o, &why), -1);
	free(o.buf);
}

/* The callback can stop the parser. */
static int
stop_cb(const struct record *r, void *arg)
{
	(void)r;
	(*(int *)arg)++;
	return (-1);
}

static void
test_stop(void **state)
{
	struct csexport	*cx;
	char		*buf;
	size_t		 len;
	int		 n = 0;

	(void)state;
	buf = test_slurp(DATA "current-shape.xml", &len);
	cx = csexport_new("x.xml", stop_cb, &n);
	assert_int_equal(csexport_push(cx, buf, len), -1);
	assert_int_equal(n, 1);
	assert_non_null(csexport_error(cx, NULL));
	csexport_free(cx);
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
		cmocka_unit_test(test_golden),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_tiny),
		cmocka_unit_test(test_stop),
		cmocka_unit_test(test_name),
	};

	parser_init();
	return (cmocka_run_group_tests(tests, NULL, NULL));
}
