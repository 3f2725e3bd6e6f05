/*
 * test_parse.h: running a parser over bytes in the unit tests, with the
 * result as text: the records as JSON lines (record_json), each rejected
 * item as "! error at OFFSET: REASON", then "# read N, records M, errors
 * K", and "! failed at OFFSET: REASON" when the input failed as a whole.
 * The golden files of tests/data/<format>/ hold exactly this text.  Also
 * what the parser tests share around it: the same parse pushed several
 * ways, a table case's expected substrings, and record callbacks that
 * count or stop.
 */

#ifndef TEST_PARSE_H
#define TEST_PARSE_H

#include <stddef.h>

#include "parsers.h"

/* A table case: an input and what the text of its parse must hold. */
struct test_parse_case {
	const char	*name;
	const char	*in;		/* NUL terminated */
	const char	*want[4];	/* substrings; NULL ends them early */
	const char	*stats;		/* the "# read" line, NULL: any */
};

/* test_parse.c */
/*
 * Pushes buf in chunks of chunk bytes (0: whole) into a parser of format
 * fmt named name; returns the text above (malloc'd).
 */
char	*test_parse(enum parser_format fmt, const char *name,
	    const void *buf, size_t len, size_t chunk);
/* The same, for the file at path (read whole). */
char	*test_parse_file(enum parser_format fmt, const char *path,
	    size_t chunk);
/*
 * The text of buf pushed whole; the test fails unless pushes of each of
 * the nchunks sizes in chunks give the same (malloc'd).
 */
char	*test_parse_chunks(enum parser_format fmt, const char *name,
	    const void *buf, size_t len, const size_t *chunks,
	    size_t nchunks);
/* test_parse_chunks with 1-byte pushes, the hardest split there is. */
char	*test_parse_both(enum parser_format fmt, const char *name,
	    const void *buf, size_t len);
/*
 * Fails the test, naming case name, unless out holds each of the first
 * nwant strings of want (those before a NULL), and stats if not NULL.
 */
void	 test_parse_expect(const char *out, const char *name,
	    const char *const *want, size_t nwant, const char *stats);
/* Fails the test if out holds any of the first nnot strings of nots. */
void	 test_parse_expect_not(const char *out, const char *name,
	    const char *const *nots, size_t nnot);
/*
 * Parses each of the ncases cases with a parser of format fmt named name,
 * whole and in 1-byte pushes, and fails the test on the first whose text
 * lacks a want or its stats.
 */
void	 test_parse_cases(enum parser_format fmt, const char *name,
	    const struct test_parse_case *cases, size_t ncases);
/* The "! error" lines of the text out, in order (malloc'd). */
char	*test_parse_errors(const char *out);
/* Record callbacks that count records into the int at arg, and stop. */
int	 test_parse_count_cb(const struct record *r, void *arg);
int	 test_parse_stop_cb(const struct record *r, void *arg);

#endif /* TEST_PARSE_H */
