/*
 * log.c: logging in the OpenBSD daemons' manner.  In the foreground
 * messages go to stderr, prefixed by the program name; otherwise to
 * syslog.  log_warn appends strerror(errno); fatal and fatalx log and
 * exit.  Messages that carry input bytes (file names, values) should pass
 * them through log_escape first, so a hostile name cannot forge a line.
 */

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#include "daemon.h"

static int	log_foreground = 1;
static int	log_verbose;

/* Logs to stderr when foreground, else to syslog with facility. */
void
log_init(int foreground, int facility)
{
	log_foreground = foreground;
	if (!foreground)
		openlog(program_invocation_short_name, LOG_PID | LOG_NDELAY,
		    facility);
	tzset();
}

void
log_setverbose(int v)
{
	log_verbose = v;
}

static void	vlog(int, const char *, va_list)
		    __attribute__((__format__(__printf__, 2, 0)));

/* Logs one message at priority pri. */
static void
vlog(int pri, const char *fmt, va_list ap)
{
	int	saved = errno;

	if (log_foreground) {
		fprintf(stderr, "%s: ", program_invocation_short_name);
		vfprintf(stderr, fmt, ap);
		fputc('\n', stderr);
		fflush(stderr);
	} else
		vsyslog(pri, fmt, ap);
	errno = saved;
}

static void	log_errno(int, const char *, va_list)
		    __attribute__((__format__(__printf__, 2, 0)));

static void
log_errno(int pri, const char *fmt, va_list ap)
{
	char	msg[1024];
	int	saved = errno;

	vsnprintf(msg, sizeof(msg), fmt, ap);
	errno = saved;
	if (log_foreground)
		fprintf(stderr, "%s: %s: %s\n", program_invocation_short_name,
		    msg, strerror(saved));
	else
		syslog(pri, "%s: %s", msg, strerror(saved));
	errno = saved;
}

/* A warning with strerror(errno) appended. */
void
log_warn(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_errno(LOG_WARNING, fmt, ap);
	va_end(ap);
}

/* A warning. */
void
log_warnx(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vlog(LOG_WARNING, fmt, ap);
	va_end(ap);
}

/* An informational message. */
void
log_info(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vlog(LOG_INFO, fmt, ap);
	va_end(ap);
}

/* A message shown only when verbose. */
void
log_debug(const char *fmt, ...)
{
	va_list	ap;

	if (log_verbose < 1)
		return;
	va_start(ap, fmt);
	vlog(LOG_DEBUG, fmt, ap);
	va_end(ap);
}

/* Logs with strerror(errno) and exits 1. */
void
fatal(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_errno(LOG_CRIT, fmt, ap);
	va_end(ap);
	exit(1);
}

/* Logs and exits 1. */
void
fatalx(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vlog(LOG_CRIT, fmt, ap);
	va_end(ap);
	exit(1);
}

/*
 * s with every byte outside printable ASCII written as \xNN (and the
 * backslash doubled), truncated to fit buf; returns buf.
 */
char *
log_escape(const char *s, char *buf, size_t bufsz)
{
	static const char	 hex[] = "0123456789abcdef";
	size_t			 n = 0;
	unsigned char		 c;

	for (; *s != '\0'; s++) {
		c = (unsigned char)*s;
		if (c >= 0x20 && c < 0x7f && c != '\\') {
			if (n + 2 > bufsz)
				break;
			buf[n++] = (char)c;
		} else if (c == '\\') {
			if (n + 3 > bufsz)
				break;
			buf[n++] = '\\';
			buf[n++] = '\\';
		} else {
			if (n + 5 > bufsz)
				break;
			buf[n++] = '\\';
			buf[n++] = 'x';
			buf[n++] = hex[c >> 4];
			buf[n++] = hex[c & 0xf];
		}
	}
	if (bufsz > 0)
		buf[n] = '\0';
	return (buf);
}
