/*
 * test_golden.c: every parser against its golden files.  Each input in
 * tests/data/<format>/ with a neighbour <input>.golden must be sniffed as
 * <format> (inputs named bad-* are fed to that parser regardless), and
 * must yield the golden text (test_parse.h) when pushed whole, in 4 KiB
 * chunks, and in 7- and 1-byte chunks: records, item errors with their
 * offsets and the final counts may not depend on how the bytes arrive.
 * An input named CASE@NAME is parsed under the name NAME, for parsers
 * that read the file name (csexport takes connector and time from it).
 * SYNCORR_GOLDEN_UPDATE=1 rewrites the golden files from the whole push;
 * SYNCORR_GOLDEN_UPDATE=<format> rewrites only that format's.
 */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <cmocka.h>

#include "test_parse.h"
#include "test_util.h"

#include "parsers.h"

#define DATA		"data/"
#define ONEBYTE_MAX	(64 * 1024)	/* bigger inputs skip 1-byte pushes */

static int
golden_name_cmp(const void *a, const void *b)
{
	return (strcmp(*(char *const *)a, *(char *const *)b));
}

/* The inputs of dir that have a golden file, sorted. */
static size_t
golden_inputs(const char *dir, char ***names)
{
	struct dirent	*de;
	DIR		*d;
	char		 path[1024], **v = NULL;
	size_t		 n = 0, len;
	FILE		*f;

	if ((d = opendir(dir)) == NULL)
		return (0);
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (de->d_name[0] == '.' || (len > 7 &&
		    strcmp(de->d_name + len - 7, ".golden") == 0))
			continue;
		snprintf(path, sizeof(path), "%s%s.golden", dir, de->d_name);
		if ((f = fopen(path, "r")) == NULL)
			continue;
		fclose(f);
		v = realloc(v, (n + 1) * sizeof(*v));
		assert_non_null(v);
		v[n++] = strdup(de->d_name);
	}
	closedir(d);
	if (n > 0)
		qsort(v, n, sizeof(*v), golden_name_cmp);
	*names = v;
	return (n);
}

static void
golden_check(enum parser_format fmt, const char *dir, const char *name)
{
	static const size_t	 chunks[] = { 4096, 7, 1 };
	char			 path[1024], gpath[1040], *buf, *want, *got;
	char			*other;
	const char		*pname, *upd;
	size_t			 len, glen, i;
	enum parser_format	 sniffed;
	FILE			*f;

	snprintf(path, sizeof(path), "%s%s", dir, name);
	snprintf(gpath, sizeof(gpath), "%s.golden", path);
	buf = test_slurp(path, &len);
	pname = strchr(name, '@') != NULL ? strchr(name, '@') + 1 : name;
	if (strncmp(name, "bad-", 4) != 0) {
		sniffed = sniff_format(buf, len < SNIFF_BYTES ? len :
		    SNIFF_BYTES);
		if (sniffed != fmt)
			fail_msg("%s: sniffed as %s, not %s", path,
			    parser_format_name(sniffed),
			    parser_format_name(fmt));
	}
	got = test_parse(fmt, pname, buf, len, 0);
	for (i = 0; i < sizeof(chunks) / sizeof(chunks[0]); i++) {
		if (chunks[i] == 1 && len > ONEBYTE_MAX)
			continue;
		other = test_parse(fmt, pname, buf, len, chunks[i]);
		if (strcmp(got, other) != 0)
			fail_msg("%s: %zu-byte pushes give\n%s\nbut a whole "
			    "push gives\n%s", path, chunks[i], other, got);
		free(other);
	}
	free(buf);
	upd = getenv("SYNCORR_GOLDEN_UPDATE");
	if (upd != NULL && (strcmp(upd, "1") == 0 ||
	    strcmp(upd, parser_format_name(fmt)) == 0)) {
		f = fopen(gpath, "w");
		assert_non_null(f);
		fputs(got, f);
		fclose(f);
	}
	want = test_slurp(gpath, &glen);
	if (strcmp(got, want) != 0)
		fail_msg("%s: output differs from %s:\n%s", path, gpath, got);
	free(want);
	free(got);
}

/* All the golden cases of one format. */
static void
test_golden_format(void **state)
{
	enum parser_format	 fmt = (enum parser_format)(intptr_t)*state;
	char			 dir[256], **names = NULL;
	size_t			 n, i;

	snprintf(dir, sizeof(dir), DATA "%s/", parser_format_name(fmt));
	n = golden_inputs(dir, &names);
	for (i = 0; i < n; i++) {
		golden_check(fmt, dir, names[i]);
		free(names[i]);
	}
	free(names);
	print_message("%s: %zu golden cases\n", parser_format_name(fmt), n);
}

int
main(void)
{
	struct CMUnitTest	tests[PARSER_FMT_MAX];
	size_t			n = 0;
	int			f;

	parser_init();
	for (f = 1; f < PARSER_FMT_MAX; f++) {
		tests[n] = (struct CMUnitTest)cmocka_unit_test_prestate(
		    test_golden_format, (void *)(intptr_t)f);
		tests[n].name = parser_format_name((enum parser_format)f);
		n++;
	}
	return (_cmocka_run_group_tests("golden", tests, n, NULL, NULL));
}
