/*
 * test_parse.c: runs a parser over bytes and writes what it made of them
 * as text (see test_parse.h), for golden files and table tests alike.
 * The checks every parser's table tests make on that text live here too,
 * so each test file holds its cases and not another copy of the loop.
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

static int
test_parse_record(const struct record *r, void *arg)
{
	char	*s;

	s = record_json(r);
	assert_non_null(s);
	test_buf_printf(arg, "%s\n", s);
	free(s);
	return (0);
}

static void
test_parse_error(uint64_t offset, const char *reason, void *arg)
{
	test_buf_printf(arg, "! error at %llu: %s\n",
	    (unsigned long long)offset, reason);
}

/* The text of buf pushed in chunks of chunk bytes (malloc'd). */
char *
test_parse(enum parser_format fmt, const char *name, const void *buf,
    size_t len, size_t chunk)
{
	struct test_buf			 o = { NULL, 0, 0 };
	const struct parser_stats	*st;
	const unsigned char		*p = buf;
	struct parser			*ps;
	const char			*why;
	uint64_t			 off = 0;
	size_t				 at, n;
	int				 rc = 0;

	ps = parser_new(fmt, name, test_parse_record, test_parse_error, &o);
	assert_non_null(ps);
	if (chunk == 0)
		chunk = len > 0 ? len : 1;
	for (at = 0; at < len && rc == 0; at += n) {
		n = len - at < chunk ? len - at : chunk;
		rc = parser_push(ps, p + at, n);
	}
	if (rc == 0)
		rc = parser_finish(ps);
	st = parser_stats(ps);
	test_buf_printf(&o, "# read %llu, records %llu, errors %llu\n",
	    (unsigned long long)st->read, (unsigned long long)st->records,
	    (unsigned long long)st->errors);
	if (rc == -1) {
		why = parser_error(ps, &off);
		test_buf_printf(&o, "! failed at %llu: %s\n",
		    (unsigned long long)off, why != NULL ? why : "(no reason)");
	}
	parser_free(ps);
	return (o.buf);
}

/* The same, for the file at path (read whole). */
char *
test_parse_file(enum parser_format fmt, const char *path, size_t chunk)
{
	const char	*base;
	char		*buf, *out;
	size_t		 len;

	buf = test_slurp(path, &len);
	base = strrchr(path, '/');
	base = base != NULL ? base + 1 : path;
	out = test_parse(fmt, base, buf, len, chunk);
	free(buf);
	return (out);
}

/*
 * The text of buf pushed whole, failing the test unless each of chunks
 * gives the same (malloc'd).  A parser must not depend on where its
 * input is cut: a record, an item error or an offset that changes with
 * the pushes is a bug the golden files, pushed whole, would never show.
 */
char *
test_parse_chunks(enum parser_format fmt, const char *name, const void *buf,
    size_t len, const size_t *chunks, size_t nchunks)
{
	char	*whole, *other;
	size_t	 i;

	whole = test_parse(fmt, name, buf, len, 0);
	for (i = 0; i < nchunks; i++) {
		other = test_parse(fmt, name, buf, len, chunks[i]);
		if (strcmp(whole, other) != 0)
			fail_msg("%s: %zu-byte pushes give\n%s\nbut a whole "
			    "push gives\n%s", name, chunks[i], other, whole);
		free(other);
	}
	return (whole);
}

/* test_parse_chunks with 1-byte pushes alone. */
char *
test_parse_both(enum parser_format fmt, const char *name, const void *buf,
    size_t len)
{
	static const size_t	one = 1;

	return (test_parse_chunks(fmt, name, buf, len, &one, 1));
}

/* Fails the test unless out holds the strings of want and stats. */
void
test_parse_expect(const char *out, const char *name, const char *const *want,
    size_t nwant, const char *stats)
{
	size_t	k;

	for (k = 0; k < nwant && want[k] != NULL; k++)
		if (strstr(out, want[k]) == NULL)
			fail_msg("%s: lacks \"%s\" in\n%s", name, want[k], out);
	if (stats != NULL && strstr(out, stats) == NULL)
		fail_msg("%s: not \"%s\" in\n%s", name, stats, out);
}

/* Fails the test if out holds any of the strings of nots. */
void
test_parse_expect_not(const char *out, const char *name,
    const char *const *nots, size_t nnot)
{
	size_t	k;

	for (k = 0; k < nnot && nots[k] != NULL; k++)
		if (strstr(out, nots[k]) != NULL)
			fail_msg("%s: has \"%s\" in\n%s", name, nots[k], out);
}

/* Runs the table cases whole and in 1-byte pushes, checking each. */
void
test_parse_cases(enum parser_format fmt, const char *name,
    const struct test_parse_case *cases, size_t ncases)
{
	char	*out;
	size_t	 i;

	for (i = 0; i < ncases; i++) {
		out = test_parse_both(fmt, name, cases[i].in,
		    strlen(cases[i].in));
		test_parse_expect(out, cases[i].name, cases[i].want,
		    sizeof(cases[i].want) / sizeof(cases[i].want[0]),
		    cases[i].stats);
		free(out);
	}
}

/* The "! error" lines of out, in order (malloc'd). */
char *
test_parse_errors(const char *out)
{
	const char	*p, *nl;
	char		*errs;
	size_t		 len = 0;

	errs = calloc(1, strlen(out) + 1);
	assert_non_null(errs);
	for (p = out; (nl = strchr(p, '\n')) != NULL; p = nl + 1) {
		if (strncmp(p, "! error", 7) != 0)
			continue;
		memcpy(errs + len, p, (size_t)(nl - p) + 1);
		len += (size_t)(nl - p) + 1;
	}
	return (errs);
}

/* Counts a record into the int at arg. */
int
test_parse_count_cb(const struct record *r, void *arg)
{
	(void)r;
	(*(int *)arg)++;
	return (0);
}

/*
 * Counts a record and stops the parser; the count shows a test that it
 * stopped at the first.
 */
int
test_parse_stop_cb(const struct record *r, void *arg)
{
	(void)r;
	(*(int *)arg)++;
	return (-1);
}
