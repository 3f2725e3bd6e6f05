/*
 * xmalloc.h: allocation wrappers that never return NULL, and the
 * formatting xasprintf goes through.  daemon/, conf/ and correlate/ use
 * them so that out-of-memory is one decision, made here, instead of a
 * NULL check at every call site.
 */

#ifndef XMALLOC_H
#define XMALLOC_H

#include <stdarg.h>
#include <stddef.h>

/* xmalloc.c */
void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xreallocarray(void *, size_t, size_t);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);
int	 xasprintf(char **, const char *, ...)
	    __attribute__((__format__(__printf__, 2, 3)));

/* fmt.c */
/* vsnprintf and snprintf, the plain conversions done without stdio. */
int	 fmt_vsnprintf(char *, size_t, const char *, va_list)
	    __attribute__((__format__(__printf__, 3, 0)));
int	 fmt_snprintf(char *, size_t, const char *, ...)
	    __attribute__((__format__(__printf__, 3, 4)));

#endif /* XMALLOC_H */
