/*
 * test_util.h: helpers the unit tests share: reading a data file whole,
 * a growing text buffer, UTF-8 re-encoded as UTF-16, and a scratch
 * directory made and removed around each test.  They may fail
 * the running cmocka test; they never return an error.
 */

#ifndef TEST_UTIL_H
#define TEST_UTIL_H

#include <stddef.h>

/*
 * Text that grows as it is written, always NUL terminated once written
 * to; { NULL, 0, 0 } is empty.  The writer frees buf.
 */
struct test_buf {
	char	*buf;
	size_t	 len, cap;
};

/* test_util.c */
/* The whole file at path, NUL terminated, length in *len (malloc'd). */
char	*test_slurp(const char *path, size_t *len);
/* Appends the len bytes at p to b. */
void	 test_buf_add(struct test_buf *b, const void *p, size_t len);
/* Appends the printf-formatted text to b. */
void	 test_buf_printf(struct test_buf *b, const char *fmt, ...)
	    __attribute__((__format__(__printf__, 2, 3)));
/*
 * s (UTF-8) as UTF-16, big endian if be, after a BOM if bom; the bytes
 * of a surrogate's 3-byte form pass as one unit (malloc'd, *len bytes).
 */
char	*test_utf16_encode(const char *s, int be, int bom, size_t *len);
/* cmocka setup and teardown: a fresh scratch directory for each test. */
int	 test_tmp_setup(void **state);
int	 test_tmp_teardown(void **state);
/* name inside the scratch directory (a static buffer). */
const char *test_tmp_path(const char *name);

#endif /* TEST_UTIL_H */
