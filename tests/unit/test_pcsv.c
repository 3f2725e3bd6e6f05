/*
 * test_pcsv.c: the Export-Csv reader every CSV format goes through.  Each
 * input is pushed whole, one byte at a time and in 7-byte pieces, and the
 * rows (with the byte offset each starts at), the rejected rows, the
 * header and the #TYPE name must come out the same every time.
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

#define NITEMS(a)	(sizeof(a) / sizeof((a)[0]))

enum csv_enc {
	ENC_ASIS = 0,
	ENC_U16LE_BOM,
	ENC_U8_BOM
};

/*
 * One case: maxrow 0 means 64 KiB; stop_at makes the n-th row's callback
 * return -1.  want is "OFFSET: F1|F2|…\n" per row, "! error at OFFSET:
 * REASON\n" per rejected row, then "# header H1|H2|…\n" and "# type T\n"
 * when there are, then "! failed at OFFSET: REASON\n" on failure.
 */
struct csv_case {
	const char	*name;
	const char	*in;
	enum csv_enc	 enc;
	size_t		 maxrow;
	int		 stop_at;
	const char	*want;
};

/* What the callbacks write for one run. */
struct csv_out {
	struct test_buf	 out;
	int		 nrows;
	int		 stop_at;
	struct pcsv	*csv;
};

static void
csv_fields(struct csv_out *o, char **f, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		test_buf_printf(&o->out, "%s%s", i > 0 ? "|" : "", f[i]);
	test_buf_printf(&o->out, "\n");
}

static int
csv_row_cb(char **fields, size_t nfields, uint64_t off, void *arg)
{
	struct csv_out	*o = arg;
	char		**names;

	/* The header is known by the time the first row arrives. */
	assert_true(pcsv_header(o->csv, &names) > 0);
	test_buf_printf(&o->out, "%llu: ", (unsigned long long)off);
	csv_fields(o, fields, nfields);
	if (++o->nrows == o->stop_at)
		return (-1);
	return (0);
}

static void
csv_err_cb(uint64_t off, const char *reason, void *arg)
{
	struct csv_out	*o = arg;

	test_buf_printf(&o->out, "! error at %llu: %s\n",
	    (unsigned long long)off, reason);
}

/* The case's bytes as pushed (malloc'd). */
static char *
csv_input(const struct csv_case *c, size_t *len)
{
	size_t	 n = strlen(c->in);
	char	*b;

	if (c->enc == ENC_U16LE_BOM)
		return (test_utf16_encode(c->in, 0, 1, len));
	assert_non_null(b = malloc(n + 3));
	switch (c->enc) {
	case ENC_U8_BOM:
		memcpy(b, "\xef\xbb\xbf", 3);
		memcpy(b + 3, c->in, n);
		*len = n + 3;
		break;
	default:
		memcpy(b, c->in, n);
		*len = n;
		break;
	}
	return (b);
}

/* Runs the reader over buf in chunks of chunk bytes; the text above. */
static char *
csv_run(const struct csv_case *c, const char *buf, size_t len, size_t chunk)
{
	struct csv_out	 o = { { NULL, 0, 0 }, 0, c->stop_at, NULL };
	char		**names;
	const char	*why, *type;
	uint64_t	 off = 0;
	size_t		 at, n;
	int		 rc = 0;

	o.csv = pcsv_new(c->maxrow > 0 ? c->maxrow : 64 * 1024, NULL,
	    csv_row_cb, csv_err_cb, &o);
	assert_non_null(o.csv);
	if (chunk == 0)
		chunk = len > 0 ? len : 1;
	for (at = 0; at < len && rc == 0; at += n) {
		n = len - at < chunk ? len - at : chunk;
		rc = pcsv_push(o.csv, buf + at, n);
	}
	if (rc == 0)
		rc = pcsv_finish(o.csv);
	if ((n = pcsv_header(o.csv, &names)) > 0) {
		test_buf_printf(&o.out, "# header ");
		csv_fields(&o, names, n);
	}
	if ((type = pcsv_type(o.csv)) != NULL)
		test_buf_printf(&o.out, "# type %s\n", type);
	if (rc == -1) {
		why = pcsv_error(o.csv, &off);
		test_buf_printf(&o.out, "! failed at %llu: %s\n",
		    (unsigned long long)off, why != NULL ? why : "(none)");
		assert_int_equal(pcsv_push(o.csv, "x\n", 2), -1);
		assert_int_equal(pcsv_finish(o.csv), -1);
	}
	/* An empty want is "", not NULL. */
	test_buf_add(&o.out, "", 0);
	pcsv_free(o.csv);
	return (o.out.buf);
}

/* Every case whole, byte by byte and in 7-byte pieces must give want. */
static void
csv_check(const struct csv_case *cases, size_t ncases)
{
	static const size_t	 chunks[] = { 0, 1, 7 };
	char			*in, *out;
	size_t			 i, k, len;
	int			 bad = 0;

	for (i = 0; i < ncases; i++) {
		in = csv_input(&cases[i], &len);
		for (k = 0; k < NITEMS(chunks); k++) {
			out = csv_run(&cases[i], in, len, chunks[k]);
			if (strcmp(out, cases[i].want) != 0) {
				print_error("%s (pushes of %zu bytes):\n"
				    "--- want\n%s--- got\n%s", cases[i].name,
				    chunks[k], cases[i].want, out);
				bad++;
			}
			free(out);
		}
		free(in);
	}
	assert_int_equal(bad, 0);
}

/* Get-WinEvent | Export-Csv as Windows PowerShell 5.1 writes it. */
#define EVCSV	"#TYPE System.Diagnostics.Eventing.Reader.EventLogRecord\r\n" \
	"\"Message\",\"Id\",\"TimeCreated\"\r\n" \
	"\"The management agent \"\"contoso.com\"\" step\r\n \r\n" \
	" Additional Information\",\"6100\",\"6/16/2024 1:06:52 AM\"\r\n" \
	"\"second\",\"6941\",\"\"\r\n"
#define EVCSV_ROW1	"The management agent \"contoso.com\" step\r\n \r\n" \
	" Additional Information|6100|6/16/2024 1:06:52 AM\n"
#define EVCSV_TAIL	"# header Message|Id|TimeCreated\n" \
	"# type System.Diagnostics.Eventing.Reader.EventLogRecord\n"

static const struct csv_case csv_good[] = {
	{ "type-header-rows", EVCSV, 0, 0, 0,
	    "87: " EVCSV_ROW1 "190: second|6941|\n" EVCSV_TAIL },
	{ "no-type-line", "\"RunNumber\",\"Result\"\r\n"
	    "\"4312\",\"success\"\r\n", 0, 0, 0,
	    "22: 4312|success\n# header RunNumber|Result\n" },
	{ "doubled-quotes", "a,b\n\"say \"\"hi\"\"\",\"\"\"\"\n", 0, 0, 0,
	    "4: say \"hi\"|\"\n# header a|b\n" },
	{ "lf-in-quotes", "a,b\n\"x\ny\",\"2\"\n\"p\r\n\r\nq\",3\n", 0, 0, 0,
	    "4: x\ny|2\n14: p\r\n\r\nq|3\n# header a|b\n" },
	{ "unquoted", "Name,Value\nalpha,1\nbeta,\n", 0, 0, 0,
	    "11: alpha|1\n19: beta|\n# header Name|Value\n" },
	{ "empty-fields", "\"a\",\"b\",\"c\"\n\"\",,\"z\"\n,,\n", 0, 0, 0,
	    "12: ||z\n20: ||\n# header a|b|c\n" },
	{ "semicolon", "\"a\";\"b\"\n\"1,5\";\"2\"\n1;2\n", 0, 0, 0,
	    "8: 1,5|2\n18: 1|2\n# header a|b\n" },
	{ "crlf-rows", "a,b\r\n1,2\r\n3,4\r\n", 0, 0, 0,
	    "5: 1|2\n10: 3|4\n# header a|b\n" },
	{ "no-final-line-end", "a,b\r\n1,2\r\n3,4", 0, 0, 0,
	    "5: 1|2\n10: 3|4\n# header a|b\n" },
	{ "blank-lines", "a,b\n\n1,2\n\r\n\n3,4\n\n", 0, 0, 0,
	    "5: 1|2\n12: 3|4\n# header a|b\n" },
	{ "text-after-quote", "a,b\n\"x\"y,z\n", 0, 0, 0,
	    "4: xy|z\n# header a|b\n" },
	/* Only the first line can name the type. */
	{ "late-type-line", "a\n#TYPE x\n", 0, 0, 0,
	    "2: #TYPE x\n# header a\n" },
	{ "header-only", "\"a\",\"b\"\r\n", 0, 0, 0, "# header a|b\n" },
	{ "type-only", "#TYPE Foo\r\n", 0, 0, 0, "# type Foo\n" },
	{ "empty", "", 0, 0, 0, "" },
	{ "stop-second-row", "a\n1\n2\n3\n", 0, 0, 2,
	    "2: 1\n4: 2\n# header a\n"
	    "! failed at 4: stopped by the record callback\n" },
	{ "stop-last-row", "a\n1\n2", 0, 0, 2,
	    "2: 1\n4: 2\n# header a\n"
	    "! failed at 4: stopped by the record callback\n" },
};

static void
test_good(void **state)
{
	(void)state;
	csv_check(csv_good, NITEMS(csv_good));
}

/* Offsets are the file's: past a BOM, and two bytes a unit in UTF-16. */
static const struct csv_case csv_enc[] = {
	{ "utf16le-bom", EVCSV, ENC_U16LE_BOM, 0, 0,
	    "176: " EVCSV_ROW1 "382: second|6941|\n" EVCSV_TAIL },
	{ "utf8-bom", EVCSV, ENC_U8_BOM, 0, 0,
	    "90: " EVCSV_ROW1 "193: second|6941|\n" EVCSV_TAIL },
};

static void
test_encodings(void **state)
{
	(void)state;
	csv_check(csv_enc, NITEMS(csv_enc));
}

/*
 * A row longer than maxrow (line end not counted) is rejected and the
 * next rows still come out, whatever the pushes; exactly maxrow passes.
 */
static const struct csv_case csv_long[] = {
	{ "too-long", "a,b\n1,2\n\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxx\",3\n5,6\n", 0, 32, 0,
	    "4: 1|2\n! error at 8: CSV row too long\n63: 5|6\n# header a|b\n" },
	{ "too-long-quoted-lines", "a,b\n\"x\ny\ny\ny\ny\ny\ny\ny\ny\ny\n\",1\n"
	    "5,6\n", 0, 16, 0,
	    "! error at 4: CSV row too long\n29: 5|6\n# header a|b\n" },
	{ "at-the-bound", "a,b\n12345678\n123456789\nx\n", 0, 8, 0,
	    "4: 12345678\n! error at 13: CSV row too long\n23: x\n"
	    "# header a|b\n" },
};

static void
test_long(void **state)
{
	(void)state;
	csv_check(csv_long, NITEMS(csv_long));
}

static const struct csv_case csv_bad[] = {
	{ "unterminated-quote", "a,b\n1,2\n\"open,3\n", 0, 0, 0,
	    "4: 1|2\n! error at 8: unterminated quoted CSV field\n"
	    "# header a|b\n" },
	{ "unterminated-quote-crlf", "a,b\r\n1,2\r\n\"open,3\r\nmore\r\n", 0,
	    0, 0,
	    "5: 1|2\n! error at 10: unterminated quoted CSV field\n"
	    "# header a|b\n" },
};

static void
test_bad(void **state)
{
	(void)state;
	csv_check(csv_bad, NITEMS(csv_bad));
}

/* 1024 fields pass; 1025 are refused and the next row still comes out. */
static void
test_many_fields(void **state)
{
	struct csv_case	 c = { "many-fields", NULL, 0, 0, 0, NULL };
	char		*in, *want, *p;
	size_t		 i;

	(void)state;
	in = malloc(8 * 1024);
	want = malloc(8 * 1024);
	assert_non_null(in);
	assert_non_null(want);
	p = in;
	p += sprintf(p, "h\n");
	for (i = 0; i < 1024; i++)
		p += sprintf(p, "%s1", i > 0 ? "," : "");
	p += sprintf(p, "\n");
	for (i = 0; i < 1025; i++)
		p += sprintf(p, "%s2", i > 0 ? "," : "");
	p += sprintf(p, "\nlast\n");
	c.in = in;
	p = want;
	p += sprintf(p, "2: ");
	for (i = 0; i < 1024; i++)
		p += sprintf(p, "%s1", i > 0 ? "|" : "");
	sprintf(p, "\n! error at 2050: CSV row with too many fields\n"
	    "4100: last\n# header h\n");
	c.want = want;
	csv_check(&c, 1);
	free(in);
	free(want);
}

/* Columns by name, whatever their case; the header as read. */
static void
test_columns(void **state)
{
	static const char	 in[] = "#TYPE T\r\n\"Message\";\"Id\";"
	    "\"TimeCreated\"\r\n\"m\";\"1\";\"t\"\r\n";
	struct csv_out		 o = { { NULL, 0, 0 }, 0, 0, NULL };
	char			**names;

	(void)state;
	o.csv = pcsv_new(1024, NULL, csv_row_cb, csv_err_cb, &o);
	assert_non_null(o.csv);
	assert_int_equal(pcsv_col(o.csv, "Id"), -1);
	assert_null(pcsv_type(o.csv));
	assert_int_equal(pcsv_push(o.csv, in, sizeof(in) - 1), 0);
	assert_int_equal(pcsv_finish(o.csv), 0);
	assert_string_equal(o.out.buf, "39: m|1|t\n");
	assert_int_equal(pcsv_header(o.csv, &names), 3);
	assert_string_equal(names[0], "Message");
	assert_string_equal(names[2], "TimeCreated");
	assert_int_equal(pcsv_col(o.csv, "Message"), 0);
	assert_int_equal(pcsv_col(o.csv, "id"), 1);
	assert_int_equal(pcsv_col(o.csv, "ID"), 1);
	assert_int_equal(pcsv_col(o.csv, "timecreated"), 2);
	assert_int_equal(pcsv_col(o.csv, "Time"), -1);
	assert_int_equal(pcsv_col(o.csv, ""), -1);
	assert_string_equal(pcsv_type(o.csv), "T");
	assert_null(pcsv_error(o.csv, NULL));
	pcsv_free(o.csv);
	pcsv_free(NULL);
	free(o.out.buf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_encodings),
		cmocka_unit_test(test_long),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_many_fields),
		cmocka_unit_test(test_columns),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
