/*
 * xmalloc.c: allocation wrappers that never return NULL.  On failure they
 * abort: a correlator or daemon that cannot allocate cannot keep its
 * promises, and a core dump says more than a half-applied change.  This
 * file is built into its own archive so that the libraries can use it
 * without linking the rest of daemon/.
 */

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xmalloc.h"

static _Noreturn void
xmalloc_oom(const char *what, size_t size)
{
	char	buf[128];
	int	n;

	/* No stdio buffering and no allocation on the way out. */
	n = snprintf(buf, sizeof(buf), "syncorr: %s: out of memory (%zu bytes)\n",
	    what, size);
	if (n > 0)
		(void)write(STDERR_FILENO, buf, (size_t)n < sizeof(buf) ?
		    (size_t)n : sizeof(buf) - 1);
	abort();
}

/* malloc that never fails; a zero size is an error of the caller. */
void *
xmalloc(size_t size)
{
	void	*p;

	if (size == 0)
		xmalloc_oom("xmalloc: zero size", size);
	if ((p = malloc(size)) == NULL)
		xmalloc_oom("xmalloc", size);
	return (p);
}

/* calloc that never fails. */
void *
xcalloc(size_t nmemb, size_t size)
{
	void	*p;

	if (nmemb == 0 || size == 0)
		xmalloc_oom("xcalloc: zero size", 0);
	if ((p = calloc(nmemb, size)) == NULL)
		xmalloc_oom("xcalloc", nmemb * size);
	return (p);
}

/* reallocarray that never fails and checks nmemb * size for overflow. */
void *
xreallocarray(void *ptr, size_t nmemb, size_t size)
{
	void	*p;

	if (nmemb == 0 || size == 0)
		xmalloc_oom("xreallocarray: zero size", 0);
	if (size != 0 && nmemb > SIZE_MAX / size)
		xmalloc_oom("xreallocarray: overflow", SIZE_MAX);
	if ((p = realloc(ptr, nmemb * size)) == NULL)
		xmalloc_oom("xreallocarray", nmemb * size);
	return (p);
}

/* strdup that never fails. */
char *
xstrdup(const char *s)
{
	char	*p;

	if ((p = strdup(s)) == NULL)
		xmalloc_oom("xstrdup", strlen(s) + 1);
	return (p);
}

/* strndup that never fails. */
char *
xstrndup(const char *s, size_t n)
{
	char	*p;

	if ((p = strndup(s, n)) == NULL)
		xmalloc_oom("xstrndup", n + 1);
	return (p);
}

/*
 * asprintf that never fails; returns the length.  Most results fit on
 * the stack, and are formatted once.
 */
int
xasprintf(char **ret, const char *fmt, ...)
{
	va_list	ap;
	char	stack[512];
	int	i;

	va_start(ap, fmt);
	i = fmt_vsnprintf(stack, sizeof(stack), fmt, ap);
	va_end(ap);
	if (i < 0)
		xmalloc_oom("xasprintf", 0);
	*ret = xmalloc((size_t)i + 1);
	if ((size_t)i < sizeof(stack))
		memcpy(*ret, stack, (size_t)i + 1);
	else {
		va_start(ap, fmt);
		(void)fmt_vsnprintf(*ret, (size_t)i + 1, fmt, ap);
		va_end(ap);
	}
	return (i);
}
