/*
 * csexport_name.c: what a csexport dump's file name tells.  Shippers name
 * dumps "csexport-<connector>-<YYYYmmddTHHMMSSZ>.xml[.gz]"; the connector
 * names the AD forest or the AAD connector, and the time is when the dump
 * was taken, which the dump itself does not record.
 */

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "parsers.h"

/* Length of name without a trailing suffix (case-insensitive). */
static size_t
csexport_name_strip(const char *name, size_t len, const char *suffix)
{
	size_t	n = strlen(suffix);

	if (len > n && strncasecmp(name + len - n, suffix, n) == 0)
		return (len - n);
	return (len);
}

static int
csexport_name_num(const char *s, int n)
{
	int	v = 0;

	for (; n > 0; n--, s++) {
		if (*s < '0' || *s > '9')
			return (-1);
		v = v * 10 + (*s - '0');
	}
	return (v);
}

/*
 * A trailing "-YYYYmmddTHHMMSSZ", "-YYYYmmddTHHMMSS" or "-YYYYmmddHHMMSS"
 * at the end of s[0..len): its time, and the length of what is before it.
 */
static int64_t
csexport_name_time(const char *s, size_t len, size_t *before)
{
	static const struct {
		size_t	len;
		int	t;	/* a 'T' between date and time */
		int	z;	/* a trailing 'Z' */
	} forms[] = { { 16, 1, 1 }, { 15, 1, 0 }, { 14, 0, 0 } };
	const char	*p;
	size_t		 i;
	int		 t;

	for (i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		if (len < forms[i].len + 1 || s[len - forms[i].len - 1] != '-')
			continue;
		p = s + len - forms[i].len;
		t = forms[i].t;
		if ((t && p[8] != 'T' && p[8] != 't') ||
		    (forms[i].z && p[15] != 'Z' && p[15] != 'z'))
			continue;
		*before = len - forms[i].len - 1;
		/* ptime_make refuses the -1 of a non-digit. */
		return (ptime_make(csexport_name_num(p, 4),
		    csexport_name_num(p + 4, 2), csexport_name_num(p + 6, 2),
		    csexport_name_num(p + 8 + t, 2),
		    csexport_name_num(p + 10 + t, 2),
		    csexport_name_num(p + 12 + t, 2), 0));
	}
	return (REC_TIME_NONE);
}

/*
 * Splits "csexport-<connector>-<time>.xml[.gz]" into connector (copied
 * into conn, NUL terminated, "" when absent) and time (REC_TIME_NONE when
 * absent).  A connector too long for conn is left empty.
 */
void
csexport_name_parse(const char *name, char *conn, size_t connsz,
    int64_t *time)
{
	const char	*p;
	size_t		 len, before;

	*time = REC_TIME_NONE;
	if (connsz > 0)
		conn[0] = '\0';
	if ((p = strrchr(name, '/')) != NULL)
		name = p + 1;
	len = strlen(name);
	len = csexport_name_strip(name, len, ".gz");
	len = csexport_name_strip(name, len, ".xml");
	if (len <= 9 || strncasecmp(name, "csexport-", 9) != 0)
		return;
	name += 9;
	len -= 9;
	before = len;
	*time = csexport_name_time(name, len, &before);
	if (*time == REC_TIME_NONE)
		before = len;
	if (before > 0 && before < connsz) {
		memcpy(conn, name, before);
		conn[before] = '\0';
	}
}
