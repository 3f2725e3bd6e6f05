/*
 * test_parse.h: running a parser over bytes in the unit tests, with the
 * result as text: the records as JSON lines (record_json), each rejected
 * item as "! error at OFFSET: REASON", then "# read N, records M, errors
 * K", and "! failed at OFFSET: REASON" when the input failed as a whole.
 * The golden files of tests/data/<format>/ hold exactly this text.
 */

#ifndef TEST_PARSE_H
#define TEST_PARSE_H

#include <stddef.h>

#include "parsers.h"

/*
 * Pushes buf in chunks of chunk bytes (0: whole) into a parser of format
 * fmt named name; returns the text above (malloc'd).
 */
char	*test_parse(enum parser_format fmt, const char *name,
	    const void *buf, size_t len, size_t chunk);
/* The same, for the file at path (read whole). */
char	*test_parse_file(enum parser_format fmt, const char *path,
	    size_t chunk);

#endif /* TEST_PARSE_H */
