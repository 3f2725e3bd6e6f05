/*
 * fmt.c: snprintf for the text written by the thousand, an incident's
 * summary and remediation steps.  glibc's costs a few hundred
 * instructions a call and as many a conversion before the first byte is
 * copied; most formats here are words and %s.  So the plain conversions
 * (%s, %c, %%, and %d %i %u with no length, l, ll or z), with no flag,
 * width or precision, are copied here, and a format with any other is
 * handed whole to vsnprintf.  The result is the same either way.  It
 * goes with xmalloc.c, as xasprintf formats through it.
 */

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "xmalloc.h"

struct fmt_out {
	char	*buf;
	size_t	 size;
	size_t	 len;		/* as if buf had no end */
};

static void
fmt_put(struct fmt_out *o, const char *s, size_t len)
{
	size_t	room;

	if (o->len + 1 < o->size) {
		room = o->size - 1 - o->len;
		memcpy(o->buf + o->len, s, len < room ? len : room);
	}
	o->len += len;
}

/* v in decimal, a minus before it if neg. */
static void
fmt_dec(struct fmt_out *o, unsigned long long v, int neg)
{
	char	d[24], *p = d + sizeof(d);

	do {
		*--p = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	if (neg)
		*--p = '-';
	fmt_put(o, p, (size_t)(d + sizeof(d) - p));
}

/*
 * The integer conversion at f (past its '%'): its length and type read,
 * the argument taken and written; how many format bytes it spans, or 0
 * when it is not one done here.
 */
static size_t
fmt_int(struct fmt_out *o, const char *f, va_list *ap)
{
	long long	 s;
	size_t		 n = 0;
	int		 len = 0;	/* 0 int, 1 long, 2 long long, 3 size_t */

	if (f[0] == 'l' && f[1] == 'l')
		len = 2, n = 2;
	else if (f[0] == 'l')
		len = 1, n = 1;
	else if (f[0] == 'z')
		len = 3, n = 1;
	switch (f[n]) {
	case 'd':
	case 'i':
		switch (len) {
		case 0:
			s = va_arg(*ap, int);
			break;
		case 1:
			s = va_arg(*ap, long);
			break;
		case 2:
			s = va_arg(*ap, long long);
			break;
		default:
			s = (long long)va_arg(*ap, ssize_t);
			break;
		}
		/* -(s + 1) + 1 holds LLONG_MIN too. */
		fmt_dec(o, s < 0 ? (unsigned long long)-(s + 1) + 1 :
		    (unsigned long long)s, s < 0);
		return (n + 1);
	case 'u':
		switch (len) {
		case 0:
			fmt_dec(o, va_arg(*ap, unsigned int), 0);
			break;
		case 1:
			fmt_dec(o, va_arg(*ap, unsigned long), 0);
			break;
		case 2:
			fmt_dec(o, va_arg(*ap, unsigned long long), 0);
			break;
		default:
			fmt_dec(o, va_arg(*ap, size_t), 0);
			break;
		}
		return (n + 1);
	}
	return (0);
}

int
fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct fmt_out	 o = { buf, size, 0 };
	const char	*f, *s;
	va_list		 whole, args;
	size_t		 n;
	char		 c;
	int		 rc;

	va_copy(whole, ap);
	va_copy(args, ap);
	for (f = fmt; *f != '\0'; f++) {
		if (*f != '%') {
			if ((s = strchr(f, '%')) == NULL)
				s = f + strlen(f);
			fmt_put(&o, f, (size_t)(s - f));
			f = s - 1;
			continue;
		}
		switch (*++f) {
		case 's':
			if ((s = va_arg(args, const char *)) == NULL)
				s = "(null)";
			fmt_put(&o, s, strlen(s));
			break;
		case 'c':
			c = (char)va_arg(args, int);
			fmt_put(&o, &c, 1);
			break;
		case '%':
			fmt_put(&o, "%", 1);
			break;
		default:
			if ((n = fmt_int(&o, f, &args)) == 0)
				goto other;
			f += n - 1;
			break;
		}
	}
	va_end(args);
	va_end(whole);
	if (size > 0)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (o.len > INT32_MAX ? -1 : (int)o.len);
other:
	va_end(args);
	rc = vsnprintf(buf, size, fmt, whole);
	va_end(whole);
	return (rc);
}

int
fmt_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list	ap;
	int	rc;

	va_start(ap, fmt);
	rc = fmt_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return (rc);
}
