/*
 * test_parse.c: runs a parser over bytes and writes what it made of them
 * as text (see test_parse.h), for golden files and table tests alike.
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

struct test_out {
	char	*buf;
	size_t	 len, cap;
};

static void	test_out_printf(struct test_out *, const char *, ...)
		    __attribute__((__format__(__printf__, 2, 3)));

static void
test_out_printf(struct test_out *o, const char *fmt, ...)
{
	va_list	ap;
	char	*s;
	int	 n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	assert_true(n >= 0);
	if (o->len + (size_t)n + 1 > o->cap) {
		/* Doubling: big parses print many lines. */
		o->cap = o->cap == 0 ? 4096 : o->cap;
		while (o->len + (size_t)n + 1 > o->cap)
			o->cap *= 2;
		o->buf = realloc(o->buf, o->cap);
		assert_non_null(o->buf);
	}
	memcpy(o->buf + o->len, s, (size_t)n + 1);
	o->len += (size_t)n;
	free(s);
}

static int
test_parse_record(const struct record *r, void *arg)
{
	char	*s;

	s = record_json(r);
	assert_non_null(s);
	test_out_printf(arg, "%s\n", s);
	free(s);
	return (0);
}

static void
test_parse_error(uint64_t offset, const char *reason, void *arg)
{
	test_out_printf(arg, "! error at %llu: %s\n",
	    (unsigned long long)offset, reason);
}

char *
test_parse(enum parser_format fmt, const char *name, const void *buf,
    size_t len, size_t chunk)
{
	struct test_out			 o = { NULL, 0, 0 };
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
	test_out_printf(&o, "# read %llu, records %llu, errors %llu\n",
	    (unsigned long long)st->read, (unsigned long long)st->records,
	    (unsigned long long)st->errors);
	if (rc == -1) {
		why = parser_error(ps, &off);
		test_out_printf(&o, "! failed at %llu: %s\n",
		    (unsigned long long)off, why != NULL ? why : "(no reason)");
	}
	parser_free(ps);
	return (o.buf);
}

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
