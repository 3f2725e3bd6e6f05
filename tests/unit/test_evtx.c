/*
 * test_evtx.c: the .evtx reader against the real sample logs (the counts
 * evtxexport reads), against logs damaged on purpose (a slot of junk, a
 * chunk whose records are zeroed, every cut of a file), the size cap, and
 * inputs that are no .evtx at all.  The whole outputs of the samples are
 * checked by test_golden against tests/data/event-evtx.
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

#include "parsers.h"

#define DATA	"data/event-evtx/"
#define HEADER	4096
#define CHUNK	65536

#define STATS(r, n, e)	"# read " #r ", records " #n ", errors " #e "\n"

/* The records evtxexport reads, and the damaged chunks. */
static void
test_samples(void **state)
{
	static const struct {
		const char	*file;
		const char	*stats;
	} cases[] = {
		{ "Application_no_crc32.evtx", STATS(17, 0, 0) },
		{ "system.evtx", STATS(1881, 0, 0) },
		{ "sample_with_a_bad_chunk_magic.evtx", STATS(267, 0, 5) },
	};
	char	path[256], *out;
	size_t	i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(path, sizeof(path), DATA "%s", cases[i].file);
		out = test_parse_file(PARSER_FMT_EVENT_EVTX, path, 65536);
		if (strstr(out, cases[i].stats) == NULL)
			fail_msg("%s: not \"%s\" in\n%s", path, cases[i].stats,
			    out);
		assert_null(strstr(out, "! failed"));
		free(out);
	}
}

/* The output for buf, which must not depend on how it is pushed. */
static char *
parse(const char *buf, size_t len)
{
	static const size_t	 chunk = 4093;

	return (test_parse_chunks(PARSER_FMT_EVENT_EVTX, "x.evtx", buf, len,
	    &chunk, 1));
}

/* Slots of zeros are unused; a slot of junk is one damaged chunk. */
static void
test_slots(void **state)
{
	char	*app, *buf, *out;
	size_t	 len, i;

	(void)state;
	app = test_slurp(DATA "Application_no_crc32.evtx", &len);
	assert_int_equal(len, HEADER + CHUNK);
	buf = calloc(1, HEADER + 3 * CHUNK);
	assert_non_null(buf);
	memcpy(buf, app, len);
	out = parse(buf, HEADER + 3 * CHUNK);
	assert_non_null(strstr(out, STATS(17, 0, 0)));
	free(out);

	for (i = 0; i < CHUNK; i++)
		buf[HEADER + 2 * CHUNK + i] = (char)(i * 7 + 1);
	out = parse(buf, HEADER + 3 * CHUNK);
	assert_non_null(strstr(out, "! error at 135168: chunk 2 has no chunk "
	    "signature: its records are lost\n" STATS(17, 0, 1)));
	free(out);

	/* The chunk's records zeroed from the middle on. */
	memset(buf + HEADER + 20000, 0, CHUNK - 20000);
	out = parse(buf, HEADER + CHUNK);
	assert_non_null(strstr(out, "! error at 4096: chunk 0: 3 of its 17 "
	    "records could not be read\n" STATS(14, 0, 1)));
	free(out);
	free(buf);
	free(app);
}

/* Every cut of a file is read as far as it goes, never worse. */
static void
test_cuts(void **state)
{
	char	*app, *out;
	size_t	 len, cut;

	(void)state;
	app = test_slurp(DATA "Application_no_crc32.evtx", &len);
	for (cut = 0; cut <= len; cut += cut < 64 ? 1 : 509) {
		out = test_parse(PARSER_FMT_EVENT_EVTX, "x.evtx", app, cut,
		    cut % 3 + 1 + cut / 64);
		if (cut < 8)
			assert_non_null(strstr(out, "! failed at 0: not an "
			    ".evtx file: no ElfFile signature"));
		else if (cut < HEADER)
			assert_non_null(strstr(out, "! failed at 0: not a "
			    "readable .evtx file: "));
		else if (cut == HEADER)
			assert_string_equal(out, STATS(0, 0, 0));
		else
			assert_non_null(strstr(out, "! error at 4096: "
			    "truncated: the file ends inside chunk 0\n"
			    STATS(0, 0, 1)));
		free(out);
	}
	free(app);
}

/* Junk after the magic, and no magic. */
static void
test_not_evtx(void **state)
{
	char	buf[6000], *out, *p;
	size_t	i;

	(void)state;
	memcpy(buf, "ElfFile", 8);
	for (i = 8; i < sizeof(buf); i++)
		buf[i] = (char)(i * 31 + 7);
	out = parse(buf, sizeof(buf));
	assert_non_null(strstr(out, "! failed at 0: not a readable .evtx "
	    "file: "));
	/* The reason is one line, the output's last. */
	p = strstr(out, "! failed");
	assert_ptr_equal(strchr(p, '\n'), out + strlen(out) - 1);
	free(out);
	buf[0] = 'e';
	out = parse(buf, sizeof(buf));
	assert_non_null(strstr(out, "no ElfFile signature"));
	free(out);
}

/* Past 1 GiB the file fails where the cap is, before anything is kept. */
static void
test_cap(void **state)
{
	struct parser	*ps;
	uint64_t	 off;
	char		 b[16] = "ElfFile";

	(void)state;
	ps = parser_new(PARSER_FMT_EVENT_EVTX, "x.evtx", NULL, NULL, NULL);
	assert_non_null(ps);
	assert_int_equal(parser_push(ps, b, 8), 0);
	/* The length alone is judged: no byte past the first 16 is read. */
	assert_int_equal(parser_push(ps, b, ((size_t)1 << 30) - 7), -1);
	assert_string_equal(parser_error(ps, &off),
	    "an .evtx file larger than 1 GiB is not read");
	assert_int_equal(off, (uint64_t)1 << 30);
	assert_int_equal(parser_finish(ps), -1);
	parser_free(ps);
}

/* Item errors with no error callback are still counted. */
static void
test_no_error_cb(void **state)
{
	struct parser	*ps;
	char		*buf;
	size_t		 len;

	(void)state;
	buf = test_slurp(DATA "sample_with_a_bad_chunk_magic.evtx", &len);
	ps = parser_new(PARSER_FMT_EVENT_EVTX, "x.evtx", NULL, NULL, NULL);
	assert_non_null(ps);
	assert_int_equal(parser_push(ps, buf, len), 0);
	assert_int_equal(parser_finish(ps), 0);
	assert_int_equal(parser_stats(ps)->read, 267);
	assert_int_equal(parser_stats(ps)->errors, 5);
	assert_null(parser_error(ps, NULL));
	parser_free(ps);
	free(buf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_samples),
		cmocka_unit_test(test_slots),
		cmocka_unit_test(test_cuts),
		cmocka_unit_test(test_not_evtx),
		cmocka_unit_test(test_cap),
		cmocka_unit_test(test_no_error_cb),
	};

	parser_init();
	return (cmocka_run_group_tests(tests, NULL, NULL));
}
