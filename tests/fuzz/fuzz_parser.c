/*
 * fuzz_parser.c: the libFuzzer target of every parser, built once per
 * format with FUZZ_FORMAT naming it ("csexport", "event-xml", …).  The
 * first input byte picks a chunk size, so the fuzzer also explores input
 * split at odd places; every record is turned into JSON, so a field left
 * dangling or unterminated shows under ASan.  The records target also
 * reads that JSON back, which must print the same line again: what
 * `syncorr explain` prints is a records input that round-trips.
 */

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "parsers.h"

#ifndef FUZZ_FORMAT
#error FUZZ_FORMAT must name a parser format
#endif

/*
 * Lines longer than this are not read back: the records parser may
 * rightly refuse them (a string of control characters grows sixfold
 * once escaped).
 */
#define FUZZ_ROUNDTRIP_MAX	(1024 * 1024)

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static int	fuzz_roundtrip;

/* The one record a line of JSON reads back as, printed. */
static int
fuzz_again_cb(const struct record *r, void *arg)
{
	char	**again = arg;

	if (*again != NULL)
		abort();		/* one line, one record */
	*again = record_json(r);
	return (0);
}

/* The record's JSON read back as records must print the same line. */
static void
fuzz_roundtrip_check(const char *json)
{
	struct parser	*ps;
	char		*again = NULL;

	if (strlen(json) > FUZZ_ROUNDTRIP_MAX)
		return;
	ps = parser_new(PARSER_FMT_RECORDS, "records.jsonl", fuzz_again_cb,
	    NULL, &again);
	if (ps == NULL)
		return;
	if (parser_push(ps, json, strlen(json)) == -1 ||
	    parser_finish(ps) == -1 || again == NULL ||
	    strcmp(again, json) != 0)
		abort();
	free(again);
	parser_free(ps);
}

static int
fuzz_record_cb(const struct record *r, void *arg)
{
	size_t	*n = arg;
	char	*s;

	if ((s = record_json(r)) != NULL) {
		*n += strlen(s);
		if (fuzz_roundtrip)
			fuzz_roundtrip_check(s);
		free(s);
	}
	return (0);
}

static void
fuzz_error_cb(uint64_t offset, const char *reason, void *arg)
{
	size_t	*n = arg;

	*n += (size_t)offset + strlen(reason);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int		 init;
	static enum parser_format fmt;
	struct parser		*ps;
	size_t			 chunk, off, n, seen = 0;

	if (!init) {
		parser_init();
		fmt = parser_format_byname(FUZZ_FORMAT);
		if (fmt == PARSER_FMT_UNKNOWN)
			abort();
		fuzz_roundtrip = fmt == PARSER_FMT_RECORDS;
		init = 1;
	}
	if (size == 0)
		return (0);
	chunk = (size_t)data[0] * 61 + 1;
	data++;
	size--;
	(void)sniff_format(data, size);
	ps = parser_new(fmt, "csexport-contoso.com-20260402T100104Z.xml",
	    fuzz_record_cb, fuzz_error_cb, &seen);
	if (ps == NULL)
		return (0);
	for (off = 0; off < size; off += n) {
		n = size - off < chunk ? size - off : chunk;
		if (parser_push(ps, data + off, n) == -1)
			break;
	}
	if (off >= size)
		(void)parser_finish(ps);
	(void)parser_error(ps, NULL);
	(void)parser_stats(ps);
	parser_free(ps);
	return (0);
}
