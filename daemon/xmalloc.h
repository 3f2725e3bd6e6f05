/*
 * xmalloc.h: allocation wrappers that never return NULL.  daemon/, conf/
 * and correlate/ use them so that out-of-memory is one decision, made
 * here, instead of a NULL check at every call site.
 */

#ifndef XMALLOC_H
#define XMALLOC_H

#include <stddef.h>

/* xmalloc.c */
void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xreallocarray(void *, size_t, size_t);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);
int	 xasprintf(char **, const char *, ...)
	    __attribute__((__format__(__printf__, 2, 3)));

#endif /* XMALLOC_H */
