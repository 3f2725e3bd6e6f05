/*
 * test_util.h: helpers the unit tests share.  They may fail the running
 * cmocka test; they never return an error.
 */

#ifndef TEST_UTIL_H
#define TEST_UTIL_H

#include <stddef.h>

/* test_util.c */
/* The whole file at path, NUL terminated, length in *len (malloc'd). */
char	*test_slurp(const char *path, size_t *len);

#endif /* TEST_UTIL_H */
