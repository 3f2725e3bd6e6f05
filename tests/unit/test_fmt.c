/*
 * test_fmt.c: fmt_snprintf and xasprintf write what vsnprintf writes,
 * and return what it returns, for the conversions done by hand (every
 * length of integer at its extremes, %s, %c, %%) and for the
 * ones handed on (flags, widths, precisions), at every buffer size from
 * none to more than enough, so truncation is checked too.
 */

#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <cmocka.h>

#include "xmalloc.h"

/* The two formatters side by side into buffers of size. */
static void
same(size_t size, const char *fmt, ...)
    __attribute__((__format__(__printf__, 2, 3)));

static void
same(size_t size, const char *fmt, ...)
{
	char	want[256], got[256], *s;
	va_list	ap, ap2;
	int	w, g;

	memset(want, '#', sizeof(want));
	memset(got, '#', sizeof(got));
	va_start(ap, fmt);
	va_copy(ap2, ap);
	w = vsnprintf(want, size, fmt, ap);
	g = fmt_vsnprintf(got, size, fmt, ap2);
	va_end(ap2);
	va_end(ap);
	assert_int_equal(g, w);
	assert_memory_equal(got, want, sizeof(got));
	if (size == sizeof(want)) {
		va_start(ap, fmt);
		s = NULL;
		assert_int_equal(vasprintf(&s, fmt, ap), w);
		va_end(ap);
		assert_string_equal(s, want);
		free(s);
	}
}

static void
test_fmt_same(void **state)
{
	size_t	size;

	(void)state;
	for (size = 0; size <= 256; size++) {
		same(size, "plain text, no conversion");
		same(size, "%s: %s writeback to %s is denied", "SYNC01",
		    "msDS-KeyCredentialLink", "CN=Admin,OU=T0,DC=contoso,DC=com");
		same(size, "%s|%s|", "", "x");
		same(size, "100%% of %c%c", 'o', 'k');
		same(size, "%d %d %d %i", 0, -1, INT_MIN, INT_MAX);
		same(size, "%u %u", 0U, UINT_MAX);
		same(size, "%ld %ld %lu", LONG_MIN, LONG_MAX, ULONG_MAX);
		same(size, "%lld %lld %llu", LLONG_MIN, LLONG_MAX, ULLONG_MAX);
		same(size, "%zu %zu %zd %zd", (size_t)0, SIZE_MAX,
		    (ssize_t)-5, (ssize_t)SSIZE_MAX);
		same(size, "(%lld retries) since %s", 206LL, "2026-02-19");
		same(size, "%02x%03d|%-6s|%.*s|%.3s|%5d", 10, 7, "ab", 2,
		    "xyz", "abcdef", -42);
		same(size, "%s %s %s %s %s %s %s %s %s %s %s %s",
		    "Set-ADSyncExchangeHybridPermissions", "-ADConnectorAccountDN",
		    "\"CN=MSOL_0123456789ab,CN=Users,DC=contoso,DC=com\"",
		    "-ADobjectDN", "\"OU=Users,DC=contoso,DC=com\"", "a", "b",
		    "c", "d", "e", "f", "g");
	}
}

/* xasprintf past its stack buffer formats a second time, whole. */
static void
test_fmt_long(void **state)
{
	char	big[2000], *s;
	int	n;

	(void)state;
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	n = xasprintf(&s, "<%s|%d>", big, -7);
	assert_int_equal(n, (int)sizeof(big) - 1 + 5);
	assert_int_equal(s[0], '<');
	assert_string_equal(s + sizeof(big), "|-7>");
	free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fmt_same),
		cmocka_unit_test(test_fmt_long),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
