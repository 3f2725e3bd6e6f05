/*
 * test_input.c: files through input_file, the one place gzip is undone:
 * plain and gzip'd dumps must yield the same records, concatenated gzip
 * members read as one stream, and corrupt, truncated and over-inflating
 * gzip, unknown formats, empty and missing files are each reported with
 * their reason.  Files are written to a fresh temporary directory.
 */

#include <sys/stat.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "test_util.h"

#include <zlib.h>

#include "daemon.h"

#define DUMP	\
    "data/csexport/current-shape@csexport-contoso.com-20260616T011000Z.xml"

static int
count_cb(const struct record *r, void *arg)
{
	(void)r;
	(*(int *)arg)++;
	return (0);
}

static void
write_file(const char *name, const void *buf, size_t len, const char *mode)
{
	FILE	*f;

	assert_non_null(f = fopen(test_tmp_path(name), mode));
	assert_int_equal(fwrite(buf, 1, len, f), len);
	fclose(f);
}

/* Appends one gzip member holding buf to name. */
static void
write_gz(const char *name, const void *buf, size_t len, const char *mode)
{
	gzFile	gz;

	assert_non_null(gz = gzopen(test_tmp_path(name), mode));
	assert_int_equal(gzwrite(gz, buf, (unsigned)len), (int)len);
	assert_int_equal(gzclose(gz), Z_OK);
}

/* Plain, gzip'd, and two gzip members: the same three records. */
static void
test_gzip_transparent(void **state)
{
	struct input_result	 res;
	char			*buf;
	size_t			 len;
	int			 n;

	(void)state;
	buf = test_slurp(DUMP, &len);
	write_file("plain.xml", buf, len, "wb");
	write_gz("one.xml.gz", buf, len, "wb");
	write_gz("two.xml.gz", buf, len / 2, "wb");
	write_gz("two.xml.gz", buf + len / 2, len - len / 2, "ab");

	n = 0;
	assert_int_equal(input_file(test_tmp_path("plain.xml"), count_cb, NULL, &n, &res),
	    INPUT_OK);
	assert_int_equal(n, 2);
	assert_int_equal(res.gzip, 0);
	assert_int_equal(res.fmt, PARSER_FMT_CSEXPORT);
	assert_int_equal(res.stats.read, 2);
	n = 0;
	assert_int_equal(input_file(test_tmp_path("one.xml.gz"), count_cb, NULL, &n, &res),
	    INPUT_OK);
	assert_int_equal(n, 2);
	assert_int_equal(res.gzip, 1);
	n = 0;
	assert_int_equal(input_file(test_tmp_path("two.xml.gz"), count_cb, NULL, &n, &res),
	    INPUT_OK);
	assert_int_equal(n, 2);
	free(buf);
}

/* Corrupt and cut gzip are rejected with zlib's reason. */
static void
test_gzip_bad(void **state)
{
	struct input_result	 res;
	char			*buf, *gz;
	size_t			 len, glen;
	int			 n = 0;

	(void)state;
	buf = test_slurp(DUMP, &len);
	write_gz("good.gz", buf, len, "wb");
	gz = test_slurp(test_tmp_path("good.gz"), &glen);
	write_file("cut.gz", gz, glen - 20, "wb");
	assert_int_equal(input_file(test_tmp_path("cut.gz"), count_cb, NULL, &n, &res),
	    INPUT_REJECTED);
	assert_non_null(strstr(res.reason, "gzip: unexpected end of file"));
	gz[glen / 2] ^= 0x55;
	gz[glen / 2 + 1] ^= 0xaa;
	write_file("corrupt.gz", gz, glen, "wb");
	assert_int_equal(input_file(test_tmp_path("corrupt.gz"), count_cb, NULL, &n, &res),
	    INPUT_REJECTED);
	assert_non_null(strstr(res.reason, "gzip"));
	free(gz);
	free(buf);
}

/* A small file inflating past the cap is refused, not read to the end. */
static void
test_gzip_bomb(void **state)
{
	struct input_result	 res;
	char			*zeros;
	size_t			 len = 16 << 20;
	int			 i, n = 0;

	(void)state;
	assert_non_null(zeros = malloc(len));
	memcpy(zeros, "<cs-objects>", 12);
	memset(zeros + 12, ' ', len - 12);
	for (i = 0; i < 8; i++)
		write_gz("bomb.gz", zeros, len, i == 0 ? "wb9" : "ab9");
	free(zeros);
	assert_int_equal(input_file(test_tmp_path("bomb.gz"), count_cb, NULL, &n, &res),
	    INPUT_REJECTED);
	assert_non_null(strstr(res.reason, "inflates more than"));
	assert_true(res.offset > INPUT_GZIP_FLOOR);
}

/* Unknown, empty, missing, malformed. */
static void
test_other(void **state)
{
	struct input_result	res;
	int			n = 0;

	(void)state;
	write_file("notes.txt", "hello\n", 6, "wb");
	assert_int_equal(input_file(test_tmp_path("notes.txt"), count_cb, NULL, &n, &res),
	    INPUT_UNKNOWN);
	assert_string_equal(res.reason, "not a format syncorr reads");
	write_file("empty", "", 0, "wb");
	assert_int_equal(input_file(test_tmp_path("empty"), count_cb, NULL, &n, &res),
	    INPUT_UNKNOWN);
	assert_string_equal(res.reason, "empty file");
	assert_int_equal(input_file(test_tmp_path("absent"), count_cb, NULL, &n, &res),
	    INPUT_REJECTED);
	assert_string_equal(res.reason, "No such file or directory");
	write_file("bad.xml", "<cs-objects><cs-object></cs-objects>", 36,
	    "wb");
	assert_int_equal(input_file(test_tmp_path("bad.xml"), count_cb, NULL, &n, &res),
	    INPUT_REJECTED);
	assert_int_equal(res.fmt, PARSER_FMT_CSEXPORT);
	assert_true(res.offset > 0);
	assert_int_equal(n, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gzip_transparent),
		cmocka_unit_test(test_gzip_bad),
		cmocka_unit_test(test_gzip_bomb),
		cmocka_unit_test(test_other),
	};

	parser_init();
	return (cmocka_run_group_tests(tests, test_tmp_setup,
	    test_tmp_teardown));
}
