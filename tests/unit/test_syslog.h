/*
 * test_syslog.h: what the two syslog test programs share (test_syslog.c
 * and test_syslog_inject.c): the hand-built incident every message is made
 * of, the four formats, and an RFC 5424 message parsed back the way a
 * receiver reads it.
 */

#ifndef TEST_SYSLOG_H
#define TEST_SYSLOG_H

#include "correlate.h"

#define T0	1775120400123LL		/* 2026-04-02T09:00:00.123Z */
#define FIRST	1746587469000LL		/* 2025-05-07T03:11:09Z */
#define LAST	1781572011000LL		/* 2026-06-16T01:06:51Z */
#define BOM	"\xef\xbb\xbf"
#define TEST_SYSLOG_MAXPARAMS	32
#define TEST_SYSLOG_NFORMATS	4

/* An RFC 5424 message as a receiver reads it. */
struct test_syslog_msg {
	int		 pri;
	char		 field[5][256];	/* TIMESTAMP … MSGID */
	int		 nsd;		/* SD elements */
	char		 sdid[33];	/* the first one's */
	char		 name[TEST_SYSLOG_MAXPARAMS][33];
	char		*value[TEST_SYSLOG_MAXPARAMS]; /* unescaped */
	int		 nparams;
	const char	*msg;		/* NULL: none */
};

/* test_syslog_util.c */
/* Every format, in the order of enum syslog_format. */
extern const enum syslog_format test_syslog_formats[TEST_SYSLOG_NFORMATS];
/* The incident of DESIGN.md §3's example (caller frees). */
struct incident	*test_syslog_incident(void);
/* fmt formatted into a new string (caller frees); fails the test on error. */
char		*test_syslog_fmt(const char *fmt, ...)
		     __attribute__((__format__(__printf__, 1, 2)));
/* Parses m by the ABNF of RFC 5424 §6; 0, or -1 when malformed. */
int		 test_syslog_parse(const char *m, struct test_syslog_msg *t);
/* The unescaped value of SD-PARAM name, or NULL. */
const char	*test_syslog_param(const struct test_syslog_msg *t,
		     const char *name);
/* Frees the values test_syslog_parse kept in t. */
void		 test_syslog_msg_free(struct test_syslog_msg *t);

#endif /* TEST_SYSLOG_H */
