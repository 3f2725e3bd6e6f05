/*
 * ptime.c: the timestamps the inputs carry, turned into milliseconds since
 * the epoch in UTC.  csexport and run history write "yyyy-MM-dd
 * HH:mm:ss.fff" without a zone (UTC); other sources write RFC 3339.  The
 * arithmetic is done here rather than with timegm() so that parsing never
 * depends on the process's time zone and stays cheap on hot paths.
 */

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "parsers.h"

#define PTIME_FORMAT_LEN	20	/* "2024-06-16T01:06:51Z" */
#define PTIME_DAY		86400000LL	/* ms */

/*
 * Days since 1970-01-01 of a proleptic Gregorian date: the era-based
 * algorithm, exact for every year an int holds.
 */
int64_t
ptime_days(int64_t y, int m, int d)
{
	int64_t	era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (era * 146097 + doe - 719468);
}

/* Proleptic Gregorian date and time of day → ms since the epoch. */
int64_t
ptime_make(int year, int mon, int day, int hour, int min, int sec, int msec)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };

	if (year < 1 || year > 9999 || mon < 1 || mon > 12 || day < 1 ||
	    day > mdays[mon - 1] || hour < 0 || hour > 23 || min < 0 ||
	    min > 59 || sec < 0 || sec > 60 || msec < 0 || msec > 999)
		return (REC_TIME_NONE);
	if (mon == 2 && day == 29 &&
	    !((year % 4 == 0 && year % 100 != 0) || year % 400 == 0))
		return (REC_TIME_NONE);
	return (((ptime_days(year, mon, day) * 24 + hour) * 60 + min) *
	    60000LL + sec * 1000LL + msec);
}

/* Reads n digits at s[*i]; -1 if any is not a digit. */
static int
ptime_digits(const char *s, size_t len, size_t *i, int n)
{
	int	v = 0;

	for (; n > 0; n--, (*i)++) {
		if (*i >= len || s[*i] < '0' || s[*i] > '9')
			return (-1);
		v = v * 10 + (s[*i] - '0');
	}
	return (v);
}

/* The n digits at s[at] of a fixed-width form; -1 if any is not one. */
static int
ptime_field(const char *s, size_t at, int n)
{
	size_t	i = at;

	return (ptime_digits(s, at + (size_t)n, &i, n));
}

/*
 * "2024-06-16 01:06:51.873", "2024-06-16T01:06:51.8731234Z",
 * "2024-06-16T01:06:51+02:00": the fraction may have any number of digits
 * (milliseconds are kept) and a zone offset is applied.  Surrounding
 * blanks are ignored.  Returns REC_TIME_NONE on anything else.
 */
int64_t
ptime_parse(const char *s, size_t len)
{
	size_t	i = 0;
	int	y, mo, d, h, mi, sec, ms = 0, scale = 100, oh, om, sign;
	int64_t	t;

	while (i < len && (s[i] == ' ' || s[i] == '\t'))
		i++;
	while (len > i && (s[len - 1] == ' ' || s[len - 1] == '\t' ||
	    s[len - 1] == '\r' || s[len - 1] == '\n'))
		len--;
	if ((y = ptime_digits(s, len, &i, 4)) < 0 || i >= len || s[i++] != '-')
		return (REC_TIME_NONE);
	if ((mo = ptime_digits(s, len, &i, 2)) < 0 || i >= len ||
	    s[i++] != '-')
		return (REC_TIME_NONE);
	if ((d = ptime_digits(s, len, &i, 2)) < 0 || i >= len ||
	    (s[i] != ' ' && s[i] != 'T' && s[i] != 't'))
		return (REC_TIME_NONE);
	i++;
	if ((h = ptime_digits(s, len, &i, 2)) < 0 || i >= len ||
	    s[i++] != ':')
		return (REC_TIME_NONE);
	if ((mi = ptime_digits(s, len, &i, 2)) < 0)
		return (REC_TIME_NONE);
	sec = 0;
	if (i < len && s[i] == ':') {
		i++;
		if ((sec = ptime_digits(s, len, &i, 2)) < 0)
			return (REC_TIME_NONE);
	}
	if (i < len && s[i] == '.') {
		for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
			ms += (s[i] - '0') * scale;
			scale /= 10;
		}
	}
	if ((t = ptime_make(y, mo, d, h, mi, sec, ms)) == REC_TIME_NONE)
		return (REC_TIME_NONE);
	if (i == len)
		return (t);
	if ((s[i] == 'Z' || s[i] == 'z') && i + 1 == len)
		return (t);
	if (s[i] != '+' && s[i] != '-')
		return (REC_TIME_NONE);
	sign = s[i++] == '-' ? -1 : 1;
	if ((oh = ptime_digits(s, len, &i, 2)) < 0 || oh > 23)
		return (REC_TIME_NONE);
	if (i < len && s[i] == ':')
		i++;
	if ((om = ptime_digits(s, len, &i, 2)) < 0 || om > 59 || i != len)
		return (REC_TIME_NONE);
	return (t - sign * (oh * 60 + om) * 60000LL);
}

/* Reads 1 to max digits at s[*i]; -1 if there is none. */
static int
ptime_number(const char *s, size_t len, size_t *i, int max)
{
	int	v = 0, n = 0;

	while (*i < len && n < max && s[*i] >= '0' && s[*i] <= '9') {
		v = v * 10 + (s[(*i)++] - '0');
		n++;
	}
	return (n > 0 ? v : -1);
}

/*
 * The en-US culture's "M/d/yyyy h:mm:ss tt" that Export-Csv and the Msol
 * cmdlets write ("6/16/2024 1:06:52 AM"), or the same with a 24-hour
 * clock.  The file does not say the zone: the time is taken as UTC.
 */
int64_t
ptime_parse_us(const char *s, size_t len)
{
	size_t	i = 0, y0;
	int	mo, d, y, h, mi, sec = 0;

	while (i < len && (s[i] == ' ' || s[i] == '\t'))
		i++;
	while (len > i && (s[len - 1] == ' ' || s[len - 1] == '\t' ||
	    s[len - 1] == '\r' || s[len - 1] == '\n'))
		len--;
	if ((mo = ptime_number(s, len, &i, 2)) < 0 || i >= len ||
	    s[i++] != '/' || (d = ptime_number(s, len, &i, 2)) < 0 ||
	    i >= len || s[i++] != '/')
		return (REC_TIME_NONE);
	y0 = i;
	if ((y = ptime_number(s, len, &i, 4)) < 0 || i - y0 != 4)
		return (REC_TIME_NONE);
	if (i == len)
		return (ptime_make(y, mo, d, 0, 0, 0, 0));
	if (s[i++] != ' ' || (h = ptime_number(s, len, &i, 2)) < 0 ||
	    i >= len || s[i++] != ':' || (mi = ptime_number(s, len, &i, 2)) < 0)
		return (REC_TIME_NONE);
	if (i < len && s[i] == ':') {
		i++;
		if ((sec = ptime_number(s, len, &i, 2)) < 0)
			return (REC_TIME_NONE);
	}
	while (i < len && s[i] == ' ')
		i++;
	if (len - i == 2 && (s[i + 1] == 'M' || s[i + 1] == 'm')) {
		if (h < 1 || h > 12)
			return (REC_TIME_NONE);
		if (s[i] == 'A' || s[i] == 'a')
			h = h == 12 ? 0 : h;
		else if (s[i] == 'P' || s[i] == 'p')
			h = h == 12 ? 12 : h + 12;
		else
			return (REC_TIME_NONE);
	} else if (i != len)
		return (REC_TIME_NONE);
	return (ptime_make(y, mo, d, h, mi, sec, 0));
}

/*
 * A date as PowerShell's Export-Csv writes it, in whatever culture the
 * session had: en-US "6/16/2024 1:06:40 AM" first, then ISO 8601, then
 * the day-first forms of the cultures that also write ';' lists
 * ("16.06.2024 01:06:40", "16/06/2024 …").  A day-first date whose day
 * is 12 or less cannot be told from en-US and is read as en-US.  The zone
 * is not written: the time is taken as UTC.
 */
int64_t
ptime_parse_culture(const char *s)
{
	unsigned	 d, m;
	int64_t		 t;
	char		 buf[64];
	int		 n = 0;

	if (s == NULL || *s == '\0')
		return (REC_TIME_NONE);
	if ((t = ptime_parse_us(s, strlen(s))) != REC_TIME_NONE ||
	    (t = ptime_parse(s, strlen(s))) != REC_TIME_NONE)
		return (t);
	if (sscanf(s, "%2u%*1[./-]%2u%*1[./-]%n", &d, &m, &n) != 2 || n == 0)
		return (REC_TIME_NONE);
	snprintf(buf, sizeof(buf), "%u/%u/%s", m, d, s + n);
	return (ptime_parse_us(buf, strlen(buf)));
}

/*
 * A time as record_json writes it, "2026-04-02T09:00:54.120Z", with any
 * year ptime_format may print: a parser given an epoch number far out
 * gets a year of more than four digits, or a signed one, and that too
 * must read back as the time written.  REC_TIME_NONE if it is not one.
 */
int64_t
ptime_parse_ms(const char *s, size_t len)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };
	int64_t		 y = 0, days, tod, t;
	int		 nd = 0, mo, d, h, mi, sec, ms, mlen;
	const char	*p = s, *end = s + len;

	if (p < end && *p == '-')
		p++;
	for (; p < end && *p >= '0' && *p <= '9' && nd < 10; p++, nd++)
		y = y * 10 + (*p - '0');
	if (len > 0 && *s == '-')
		y = -y;
	/* "-MM-DDTHH:MM:SS.mmmZ" */
	if (nd == 0 || end - p != 20 || p[0] != '-' || p[3] != '-' ||
	    p[6] != 'T' || p[9] != ':' || p[12] != ':' || p[15] != '.' ||
	    p[19] != 'Z')
		return (REC_TIME_NONE);
	mo = ptime_field(p, 1, 2);
	d = ptime_field(p, 4, 2);
	h = ptime_field(p, 7, 2);
	mi = ptime_field(p, 10, 2);
	sec = ptime_field(p, 13, 2);
	ms = ptime_field(p, 16, 3);
	if (mo < 1 || mo > 12 || d < 1 || h < 0 || h > 23 || mi < 0 ||
	    mi > 59 || sec < 0 || sec > 59 || ms < 0)
		return (REC_TIME_NONE);
	mlen = mdays[mo - 1] + (mo == 2 && y % 4 == 0 &&
	    (y % 100 != 0 || y % 400 == 0));
	if (d > mlen)
		return (REC_TIME_NONE);
	days = ptime_days(y, mo, d);
	tod = ((h * 60LL + mi) * 60 + sec) * 1000 + ms;
	/*
	 * days * PTIME_DAY + tod, if an int64_t holds it (REC_TIME_NONE
	 * apart).  Before the epoch the sum is taken as (days + 1) days
	 * less the rest of the day, so that no step leaves the range even
	 * on the earliest day there is.
	 */
	if (days >= 0) {
		if (days > (INT64_MAX - tod) / PTIME_DAY)
			return (REC_TIME_NONE);
		return (days * PTIME_DAY + tod);
	}
	if (days + 1 < INT64_MIN / PTIME_DAY)
		return (REC_TIME_NONE);
	t = (days + 1) * PTIME_DAY;
	if (t < INT64_MIN + 1 + (PTIME_DAY - tod))
		return (REC_TIME_NONE);
	return (t - (PTIME_DAY - tod));
}

/* v (0 ≤ v < 10^n) as n digits at buf. */
static void
ptime_put(char *buf, int64_t v, int n)
{
	while (n-- > 0) {
		buf[n] = (char)('0' + v % 10);
		v /= 10;
	}
}

/* ms → "2024-06-16T01:06:51Z" (seconds precision, UTC). */
void
ptime_format(int64_t ms, char *buf, size_t bufsz)
{
	int64_t	days, secs, z, era, doe, yoe, y, doy, mp, d, m;

	if (ms == REC_TIME_NONE) {
		snprintf(buf, bufsz, "unknown");
		return;
	}
	secs = ms / 1000;
	if (ms < 0 && ms % 1000 != 0)
		secs--;
	days = secs / 86400;
	secs %= 86400;
	if (secs < 0) {
		secs += 86400;
		days--;
	}
	/* The inverse of ptime_days. */
	z = days + 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = doy - (153 * mp + 2) / 5 + 1;
	m = mp + (mp < 10 ? 3 : -9);
	y += m <= 2;
	if (y < 0 || y > 9999 || bufsz < PTIME_FORMAT_LEN + 1) {
		snprintf(buf, bufsz,
		    "%04lld-%02lld-%02lldT%02lld:%02lld:%02lldZ",
		    (long long)y, (long long)m, (long long)d,
		    (long long)(secs / 3600), (long long)(secs / 60 % 60),
		    (long long)(secs % 60));
		return;
	}
	/* The usual years, digit by digit: printf was most of the cost. */
	ptime_put(buf, y, 4);
	buf[4] = '-';
	ptime_put(buf + 5, m, 2);
	buf[7] = '-';
	ptime_put(buf + 8, d, 2);
	buf[10] = 'T';
	ptime_put(buf + 11, secs / 3600, 2);
	buf[13] = ':';
	ptime_put(buf + 14, secs / 60 % 60, 2);
	buf[16] = ':';
	ptime_put(buf + 17, secs % 60, 2);
	buf[19] = 'Z';
	buf[20] = '\0';
}
