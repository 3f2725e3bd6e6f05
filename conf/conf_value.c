/*
 * conf_value.c: the values a configuration statement takes, converted from
 * their text, and the names they print as.  Numbers and durations are
 * strict: decimal digits only, no sign, no white space, and a value that
 * does not fit is an error rather than a wrapped or clamped number.
 */

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "conf.h"

static const char *const conf_value_transports[] = {
	"none", "unix", "udp", "tcp", "tls"
};
static const char *const conf_value_framings[] = {
	"octet-counted", "lf"
};
static const char *const conf_value_formats[] = {
	"rfc5424", "rfc3164", "json", "cef"
};

#define CONF_VALUE_NITEMS(a)	(sizeof(a) / sizeof((a)[0]))

/* The n digits at s as a number no greater than max. */
static int
conf_value_digits(const char *s, size_t n, uint64_t max, uint64_t *out)
{
	uint64_t	 v = 0, d;
	size_t		 i;

	if (n == 0)
		return (CONF_EINVAL);
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return (CONF_EINVAL);
	}
	/* Only once the syntax is known good, so "99…9x" is EINVAL. */
	for (i = 0; i < n; i++) {
		d = (uint64_t)(s[i] - '0');
		if (d > max || v > (max - d) / 10)
			return (CONF_ERANGE);
		v = v * 10 + d;
	}
	*out = v;
	return (0);
}

/* Parses the decimal number s, at most max, into *out. */
int
conf_value_number(const char *s, uint64_t max, uint64_t *out)
{
	return (conf_value_digits(s, strlen(s), max, out));
}

/* Parses a duration: digits and an optional unit s, m, h or d. */
int
conf_duration(const char *s, uint64_t *secs)
{
	uint64_t	 v, mult;
	size_t		 n;

	n = strspn(s, "0123456789");
	if (strcmp(s + n, "") == 0 || strcmp(s + n, "s") == 0)
		mult = 1;
	else if (strcmp(s + n, "m") == 0)
		mult = 60;
	else if (strcmp(s + n, "h") == 0)
		mult = 3600;
	else if (strcmp(s + n, "d") == 0)
		mult = 86400;
	else
		return (-1);
	if (conf_value_digits(s, n, CONF_DURATION_MAX / mult, &v) != 0)
		return (-1);
	*secs = v * mult;
	return (0);
}

/*
 * "N/M": this instance handles shard N of M.  Both are plain numbers that
 * fit 32 bits; N counts from 0, so N must be less than M.
 */
int
conf_value_shard(const char *s, uint32_t *index, uint32_t *count)
{
	const char	*slash;
	uint64_t	 n, m;
	int		 rn, rm;

	if ((slash = strchr(s, '/')) == NULL)
		return (CONF_EINVAL);
	rn = conf_value_digits(s, (size_t)(slash - s), UINT32_MAX, &n);
	rm = conf_value_number(slash + 1, UINT32_MAX, &m);
	if (rn == CONF_EINVAL || rm == CONF_EINVAL)
		return (CONF_EINVAL);
	if (rn != 0 || rm != 0 || n >= m)
		return (CONF_ERANGE);
	*index = (uint32_t)n;
	*count = (uint32_t)m;
	return (0);
}

/* The index of s in names, from first on, or -1. */
static int
conf_value_lookup(const char *const *names, size_t n, size_t first,
    const char *s)
{
	size_t	 i;

	for (i = first; i < n; i++) {
		if (strcmp(names[i], s) == 0)
			return ((int)i);
	}
	return (-1);
}

/* The transport called s; "none" is not a name a user can give. */
int
conf_value_transport(const char *s, enum conf_transport *t)
{
	int	 i;

	i = conf_value_lookup(conf_value_transports,
	    CONF_VALUE_NITEMS(conf_value_transports), 1, s);
	if (i == -1)
		return (-1);
	*t = (enum conf_transport)i;
	return (0);
}

/* The framing called s. */
int
conf_value_framing(const char *s, enum conf_framing *f)
{
	int	 i;

	i = conf_value_lookup(conf_value_framings,
	    CONF_VALUE_NITEMS(conf_value_framings), 0, s);
	if (i == -1)
		return (-1);
	*f = (enum conf_framing)i;
	return (0);
}

/* The format called s. */
int
conf_value_format(const char *s, enum conf_format *f)
{
	int	 i;

	i = conf_value_lookup(conf_value_formats,
	    CONF_VALUE_NITEMS(conf_value_formats), 0, s);
	if (i == -1)
		return (-1);
	*f = (enum conf_format)i;
	return (0);
}

/* The configuration name of a transport ("none" for a file output). */
const char *
conf_transport_name(enum conf_transport t)
{
	if ((size_t)t >= CONF_VALUE_NITEMS(conf_value_transports))
		return ("unknown");
	return (conf_value_transports[t]);
}

/* The configuration name of a format. */
const char *
conf_format_name(enum conf_format f)
{
	if ((size_t)f >= CONF_VALUE_NITEMS(conf_value_formats))
		return ("unknown");
	return (conf_value_formats[f]);
}

/* The configuration name of a framing. */
const char *
conf_framing_name(enum conf_framing f)
{
	if ((size_t)f >= CONF_VALUE_NITEMS(conf_value_framings))
		return ("unknown");
	return (conf_value_framings[f]);
}

/*
 * Error messages quote what the user wrote, and what the user wrote may
 * be any byte: quote and backslash are escaped, anything outside printable
 * ASCII becomes \xNN, so a message is one clean line whatever the input.
 * A long value is cut and ends in ..." instead.  size must be at least 8.
 */
const char *
conf_value_quote(char *dst, size_t size, const char *s)
{
	char		 esc[8];
	size_t		 o = 0, n;
	unsigned char	 c;

	dst[o++] = '"';
	for (; *s != '\0'; s++) {
		c = (unsigned char)*s;
		if (c == '"' || c == '\\') {
			esc[0] = '\\';
			esc[1] = (char)c;
			n = 2;
		} else if (c >= 0x20 && c < 0x7f) {
			esc[0] = (char)c;
			n = 1;
		} else
			n = (size_t)snprintf(esc, sizeof(esc), "\\x%02x", c);
		/* Keep room for the ..." ending and the NUL. */
		if (o + n + 5 > size) {
			memcpy(dst + o, "...\"", 5);
			return (dst);
		}
		memcpy(dst + o, esc, n);
		o += n;
	}
	dst[o++] = '"';
	dst[o] = '\0';
	return (dst);
}
