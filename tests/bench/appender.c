/*
 * appender.c: appends COUNT lines to FILE at RATE lines a second, for the
 * daemon latency benchmark in bench.sh.  Each line is TEMPLATE with every
 * "@SEQ@" replaced by the line's sequence number (from 1, eight digits)
 * and a newline added, written with one write(2) to the file opened with
 * O_APPEND, as a log shipper appends.  After each write returns it prints
 * "SEQ EPOCH_NS END_NS" to stdout: CLOCK_REALTIME (the clock rsyslog
 * stamps messages with) just before the write and just after it returned.
 * The line is there for a reader from within the write; the time after it
 * can be late by however long the readers it woke kept this process off
 * the CPU (milliseconds on two cores), so EPOCH_NS, the earlier, is the
 * append time to measure from.  Lines are paced against absolute
 * CLOCK_MONOTONIC deadlines, so a slow write does not make the next ones
 * late.  No fsync: syncorrd reads through the page cache.
 */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define APPENDER_MARK	"@SEQ@"
#define APPENDER_MAXLINE 65536

static _Noreturn void
appender_usage(void)
{
	fprintf(stderr, "usage: appender [-n count] [-r rate] file "
	    "template\n");
	exit(2);
}

/* A positive number from option optarg, or the usage. */
static unsigned long
appender_num(const char *s, unsigned long max)
{
	char		*end;
	unsigned long	 v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno != 0 || *s == '\0' || *end != '\0' || v == 0 || v > max)
		appender_usage();
	return (v);
}

/* Line seq of template tpl into buf; its length, or 0 if too long. */
static size_t
appender_line(char *buf, size_t bufsz, const char *tpl, unsigned long seq)
{
	const char	*p, *mark;
	size_t		 len = 0, n;
	char		 num[32];
	int		 nlen;

	nlen = snprintf(num, sizeof(num), "%08lu", seq);
	for (p = tpl; *p != '\0'; p = mark + strlen(APPENDER_MARK)) {
		if ((mark = strstr(p, APPENDER_MARK)) == NULL)
			mark = p + strlen(p);
		n = (size_t)(mark - p);
		if (len + n + (size_t)nlen + 1 >= bufsz)
			return (0);
		memcpy(buf + len, p, n);
		len += n;
		if (*mark == '\0')
			break;
		memcpy(buf + len, num, (size_t)nlen);
		len += (size_t)nlen;
	}
	buf[len++] = '\n';
	return (len);
}

/* appender [-n count] [-r rate] file template */
int
main(int argc, char *argv[])
{
	static char	 buf[APPENDER_MAXLINE];
	struct timespec	 due, t0, t1;
	unsigned long	 count = 1000, rate = 40, seq;
	uint64_t	 period;
	size_t		 len;
	ssize_t		 w;
	int		 ch, fd;

	while ((ch = getopt(argc, argv, "n:r:")) != -1) {
		switch (ch) {
		case 'n':
			count = appender_num(optarg, ULONG_MAX);
			break;
		case 'r':
			rate = appender_num(optarg, 1000000000);
			break;
		default:
			appender_usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc != 2)
		appender_usage();
	if ((fd = open(argv[0], O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC,
	    0644)) == -1) {
		fprintf(stderr, "appender: %s: %s\n", argv[0], strerror(errno));
		return (1);
	}
	period = 1000000000ULL / rate;
	if (clock_gettime(CLOCK_MONOTONIC, &due) == -1) {
		perror("appender: clock_gettime");
		return (1);
	}
	for (seq = 1; seq <= count; seq++) {
		len = appender_line(buf, sizeof(buf), argv[1], seq);
		if (len == 0) {
			fprintf(stderr, "appender: line %lu too long\n", seq);
			return (1);
		}
		while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &due,
		    NULL) == EINTR)
			;
		clock_gettime(CLOCK_REALTIME, &t0);
		if ((w = write(fd, buf, len)) != (ssize_t)len) {
			fprintf(stderr, "appender: %s: %s\n", argv[0],
			    w == -1 ? strerror(errno) : "short write");
			return (1);
		}
		clock_gettime(CLOCK_REALTIME, &t1);
		printf("%lu %lld%09ld %lld%09ld\n", seq, (long long)t0.tv_sec,
		    t0.tv_nsec, (long long)t1.tv_sec, t1.tv_nsec);
		due.tv_nsec += (long)(period % 1000000000ULL);
		due.tv_sec += (time_t)(period / 1000000000ULL);
		if (due.tv_nsec >= 1000000000L) {
			due.tv_nsec -= 1000000000L;
			due.tv_sec++;
		}
	}
	if (fflush(stdout) == EOF || close(fd) == -1) {
		perror("appender");
		return (1);
	}
	return (0);
}
