/*
 * test_conf.h: the table of configuration error cases test_conf.c runs,
 * kept in test_conf_cases.c so the table and the tests each stay short.
 */

#ifndef TEST_CONF_H
#define TEST_CONF_H

#include <stddef.h>

/* One input and every error it must produce, in order. */
struct test_conf_case {
	const char	*text;
	size_t		 len;		/* 0: strlen(text) */
	const char	*want;		/* errors joined by '\n' */
	int		 noload;	/* conf_parse, not conf_parse_load */
};

/* test_conf_cases.c */
extern const struct test_conf_case	test_conf_cases[];
extern const size_t			test_conf_ncases;

#endif /* TEST_CONF_H */
