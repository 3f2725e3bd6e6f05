/*
 * test_util.c: helpers the unit tests share: reading a data file whole,
 * a growing text buffer for the outputs tests compare, and UTF-16 inputs
 * made from UTF-8 literals.  Failures fail the running test through
 * cmocka.
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

/* The whole file at path, NUL terminated, length in *len (malloc'd). */
char *
test_slurp(const char *path, size_t *len)
{
	FILE	*f;
	char	*buf;
	long	 n;

	f = fopen(path, "rb");
	if (f == NULL)
		fail_msg("%s: cannot open", path);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n >= 0);
	rewind(f);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return (buf);
}

/* Appends the len bytes at p to b. */
void
test_buf_add(struct test_buf *b, const void *p, size_t len)
{
	if (b->len + len + 1 > b->cap) {
		/*
		 * Doubling: a parse prints a line per record, and the
		 * inputs tests build run to tens of MiB.
		 */
		b->cap = b->cap == 0 ? 4096 : b->cap;
		while (b->len + len + 1 > b->cap)
			b->cap *= 2;
		b->buf = realloc(b->buf, b->cap);
		assert_non_null(b->buf);
	}
	memcpy(b->buf + b->len, p, len);
	b->len += len;
	b->buf[b->len] = '\0';
}

/* Appends the printf-formatted text to b. */
void
test_buf_printf(struct test_buf *b, const char *fmt, ...)
{
	va_list	 ap;
	char	*s;
	int	 n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	assert_true(n >= 0);
	test_buf_add(b, s, (size_t)n);
	free(s);
}

/*
 * s (UTF-8) as UTF-16, big endian if be, after a BOM if bom; the bytes
 * of a surrogate's 3-byte form pass as one unit (malloc'd, *len bytes).
 * That last is on purpose: it is how a test writes an unpaired surrogate.
 */
char *
test_utf16_encode(const char *s, int be, int bom, size_t *len)
{
	const unsigned char	*p = (const unsigned char *)s;
	unsigned char		*out, *o;
	uint32_t		 c, u[2];
	int			 n, i;

	out = o = malloc(strlen(s) * 4 + 2);
	assert_non_null(out);
	if (bom) {
		*o++ = be ? 0xfe : 0xff;
		*o++ = be ? 0xff : 0xfe;
	}
	while ((c = *p++) != '\0') {
		n = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : c >= 0xc0 ? 1 : 0;
		for (c &= 0x7f >> n, i = 0; i < n; i++)
			c = c << 6 | (*p++ & 0x3f);
		u[0] = c;
		n = 1;
		if (c >= 0x10000) {
			u[0] = 0xd800 + ((c - 0x10000) >> 10);
			u[1] = 0xdc00 + ((c - 0x10000) & 0x3ff);
			n = 2;
		}
		for (i = 0; i < n; i++) {
			*o++ = (unsigned char)(be ? u[i] >> 8 : u[i] & 0xff);
			*o++ = (unsigned char)(be ? u[i] & 0xff : u[i] >> 8);
		}
	}
	*len = (size_t)(o - out);
	return ((char *)out);
}

static char	test_tmpdir[64];

/* cmocka setup: a fresh scratch directory for the test. */
int
test_tmp_setup(void **state)
{
	(void)state;
	snprintf(test_tmpdir, sizeof(test_tmpdir), "/tmp/syncorr-test.XXXXXX");
	assert_non_null(mkdtemp(test_tmpdir));
	return (0);
}

/* cmocka teardown: the scratch directory and all in it go. */
int
test_tmp_teardown(void **state)
{
	char	cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", test_tmpdir);
	return (system(cmd) == 0 ? 0 : -1);
}

/* name inside the scratch directory (a static buffer). */
const char *
test_tmp_path(const char *name)
{
	static char	path[128];

	snprintf(path, sizeof(path), "%s/%s", test_tmpdir, name);
	return (path);
}
