/*
 * incident_syslog.c: one incident transition as one syslog message: RFC
 * 5424 with the incident as structured data, RFC 3164, JSON behind an
 * @cee: cookie, or CEF.  Every byte from the input passes through one of
 * three filters here (header fields, SD-PARAM or CEF values, free text),
 * so no DN, host name or mail subject can end the message, open a second
 * one or add a structured-data element of its own.  Pure formatting: the
 * time is an argument and framing is the sender's.
 */

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "correlate.h"
#include "xmalloc.h"

/* Field limits of RFC 5424 §6. */
#define INCIDENT_SYSLOG_HOSTMAX		255
#define INCIDENT_SYSLOG_PROCIDMAX	128
#define INCIDENT_SYSLOG_MSGIDMAX	32
/* RFC 3164 §4.1: a TAG of 32 characters at most, 1024 bytes in all. */
#define INCIDENT_SYSLOG_TAGMAX		32
#define INCIDENT_SYSLOG_3164MAX		1024
/* CEF header field limits: device version, event class id, name. */
#define INCIDENT_SYSLOG_CEFVERMAX	31
#define INCIDENT_SYSLOG_CEFCLASSMAX	1023
#define INCIDENT_SYSLOG_CEFNAMEMAX	512
#define INCIDENT_SYSLOG_SUMMARY		2048
/* 9999-12-31T23:59:59.999Z, the last time RFC 3339 can write. */
#define INCIDENT_SYSLOG_TMAX		253402300799999LL
#define INCIDENT_SYSLOG_BOM		"\xef\xbb\xbf"
#define INCIDENT_SYSLOG_FFFD		"\xef\xbf\xbd"

/* How free text is escaped on its way into the message. */
enum incident_syslog_esc {
	INCIDENT_SYSLOG_MSG = 0,	/* MSG: nothing */
	INCIDENT_SYSLOG_SD,		/* PARAM-VALUE: " \ ] */
	INCIDENT_SYSLOG_CEFHDR,		/* CEF header field: | \ */
	INCIDENT_SYSLOG_CEFEXT		/* CEF extension: = \, CR LF */
};

/* The message as it grows. */
struct incident_syslog {
	char	*buf;
	size_t	 len;
	size_t	 cap;
};

static void
incident_syslog_add(struct incident_syslog *b, const void *p, size_t len)
{
	while (b->len + len + 1 > b->cap) {
		b->cap = b->cap == 0 ? 512 : b->cap * 2;
		b->buf = xreallocarray(b->buf, b->cap, 1);
	}
	memcpy(b->buf + b->len, p, len);
	b->len += len;
	b->buf[b->len] = '\0';
}

static void
incident_syslog_puts(struct incident_syslog *b, const char *s)
{
	incident_syslog_add(b, s, strlen(s));
}

/* Appends fmt; no argument may carry input, only numbers and constants. */
static void
incident_syslog_printf(struct incident_syslog *b, const char *fmt, ...)
    __attribute__((__format__(__printf__, 2, 3)));

static void
incident_syslog_printf(struct incident_syslog *b, const char *fmt, ...)
{
	va_list	ap;
	char	tmp[128];
	int	n;

	va_start(ap, fmt);
	n = fmt_vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(tmp))
		abort();	/* a format of this file is too long */
	incident_syslog_add(b, tmp, (size_t)n);
}

/*
 * The length of the well-formed UTF-8 sequence at s, its code point in
 * *cp; 0 for a byte that starts none (overlong forms, surrogates and
 * values past U+10FFFF included).  s is NUL terminated and NUL is no
 * continuation byte, so this never reads past the end.
 */
static size_t
incident_syslog_utf8(const unsigned char *s, uint32_t *cp)
{
	uint32_t	c = s[0], min;
	size_t		n, i;

	if (c < 0x80) {
		*cp = c;
		return (1);
	}
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
		c &= 0x1f;
		min = 0x80;
	} else if ((c & 0xf0) == 0xe0) {
		n = 3;
		c &= 0x0f;
		min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		c &= 0x07;
		min = 0x10000;
	} else
		return (0);
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return (0);
		c = c << 6 | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return (0);
	*cp = c;
	return (n);
}

/*
 * Whether cp ends or bends a line somewhere: C0, DEL and C1 (U+0085 is a
 * newline to some readers) and the Unicode line and paragraph separators.
 */
static int
incident_syslog_control(uint32_t cp)
{
	return (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) ||
	    cp == 0x2028 || cp == 0x2029);
}

/* Whether cp takes a backslash in esc. */
static int
incident_syslog_special(enum incident_syslog_esc esc, uint32_t cp)
{
	switch (esc) {
	case INCIDENT_SYSLOG_MSG:
		break;
	case INCIDENT_SYSLOG_SD:
		return (cp == '"' || cp == '\\' || cp == ']');
	case INCIDENT_SYSLOG_CEFHDR:
		return (cp == '|' || cp == '\\');
	case INCIDENT_SYSLOG_CEFEXT:
		return (cp == '=' || cp == '\\');
	}
	return (0);
}

/*
 * Appends input text s, at most max bytes of it before escaping, cut at
 * a character boundary.  Controls become a space (CR and LF \r and \n in
 * a CEF extension, as CEF wants), a byte that is not UTF-8 becomes
 * U+FFFD, and what esc makes special gets a backslash.
 */
static void
incident_syslog_text(struct incident_syslog *b, const char *s,
    enum incident_syslog_esc esc, size_t max)
{
	const unsigned char	*p = (const unsigned char *)s;
	const char		*out;
	uint32_t		 cp;
	size_t			 n, olen, used = 0;
	int			 bs;

	for (; *p != '\0'; p += n) {
		bs = 0;
		out = (const char *)p;
		if ((n = incident_syslog_utf8(p, &cp)) == 0) {
			n = 1;
			out = INCIDENT_SYSLOG_FFFD;
			olen = 3;
		} else if (incident_syslog_control(cp)) {
			olen = 1;
			out = " ";
			if (esc == INCIDENT_SYSLOG_CEFEXT &&
			    (cp == '\r' || cp == '\n')) {
				out = cp == '\r' ? "r" : "n";
				bs = 1;
			}
		} else {
			olen = n;
			bs = incident_syslog_special(esc, cp);
		}
		if (olen > max - used)
			break;
		used += olen;
		if (bs)
			incident_syslog_add(b, "\\", 1);
		incident_syslog_add(b, out, olen);
	}
}

/*
 * Appends a header field of RFC 5424 (HOSTNAME, PROCID, MSGID) or RFC
 * 3164: printable US-ASCII only, any other byte '_', at most max bytes,
 * "-" (the NILVALUE) when NULL or empty.
 */
static void
incident_syslog_field(struct incident_syslog *b, const char *s, size_t max)
{
	size_t	i;
	char	c;

	if (s == NULL || *s == '\0') {
		incident_syslog_puts(b, "-");
		return;
	}
	for (i = 0; s[i] != '\0' && i < max; i++) {
		c = s[i] >= 33 && s[i] <= 126 ? s[i] : '_';
		incident_syslog_add(b, &c, 1);
	}
}

/* Whether t can be written in RFC 3339: years 0000 to 9999. */
static int
incident_syslog_time_ok(int64_t t)
{
	return (t >= 0 && t <= INCIDENT_SYSLOG_TMAX);
}

/* now as RFC 3339 UTC with milliseconds, or "-" out of range. */
static void
incident_syslog_time(int64_t now, char *buf, size_t bufsz)
{
	char	t[32];

	if (!incident_syslog_time_ok(now)) {
		fmt_snprintf(buf, bufsz, "-");
		return;
	}
	ptime_format(now, t, sizeof(t));	/* YYYY-MM-DDThh:mm:ssZ */
	fmt_snprintf(buf, bufsz, "%.19s.%03dZ", t, (int)(now % 1000));
}

/*
 * The syslog severity: a transition that needs someone is err when sync
 * itself is broken or data is at stake, warning when one object waits;
 * a resolve is a notice.
 */
static int
incident_syslog_severity(const struct incident *inc,
    enum incident_transition tr)
{
	if (tr == INC_RESOLVE)
		return (5);
	switch (inc->cls) {
	case INC_ADMINSDHOLDER:
	case INC_PERMISSION_MISSING:
	case INC_CONNECTIVITY:
	case INC_SYNC_STALLED:
	case INC_COLLISION:
		return (3);
	default:
		return (4);
	}
}

/* "<PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID " of RFC 5424. */
static void
incident_syslog_header(struct incident_syslog *b, const struct incident *inc,
    int pri, int64_t now, const struct syslog_opts *o)
{
	char	ts[32];

	incident_syslog_time(now, ts, sizeof(ts));
	incident_syslog_printf(b, "<%d>1 %s ", pri, ts);
	incident_syslog_field(b, o->hostname != NULL ? o->hostname :
	    inc->host, INCIDENT_SYSLOG_HOSTMAX);
	incident_syslog_puts(b, " syncorr ");
	incident_syslog_field(b, o->procid, INCIDENT_SYSLOG_PROCIDMAX);
	incident_syslog_puts(b, " ");
	incident_syslog_field(b, incident_class_name(inc->cls),
	    INCIDENT_SYSLOG_MSGIDMAX);
	incident_syslog_puts(b, " ");
}

/* Appends SD-PARAM ` name="value"`; a NULL value does not apply. */
static void
incident_syslog_param(struct incident_syslog *b, const char *name,
    const char *value)
{
	if (value == NULL)
		return;
	incident_syslog_printf(b, " %s=\"", name);
	incident_syslog_text(b, value, INCIDENT_SYSLOG_SD, SIZE_MAX);
	incident_syslog_puts(b, "\"");
}

static void
incident_syslog_param_time(struct incident_syslog *b, const char *name,
    int64_t t)
{
	char	buf[32];

	if (t == REC_TIME_NONE)
		return;
	ptime_format(t, buf, sizeof(buf));
	incident_syslog_param(b, name, buf);
}

/* The structured-data element: the incident JSON's fields, flat. */
static void
incident_syslog_sd(struct incident_syslog *b, const struct incident *inc,
    enum incident_transition tr, uint32_t enterprise)
{
	char		 num[32];
	const char	*sep = " evidence=\"";
	int		 s;

	incident_syslog_printf(b, "[syncorr@%" PRIu32, enterprise);
	incident_syslog_param(b, "id", inc->id);
	incident_syslog_param(b, "state", incident_transition_name(tr));
	incident_syslog_param(b, "class", incident_class_name(inc->cls));
	incident_syslog_param(b, "host", inc->host);
	incident_syslog_param(b, "connector", inc->connector);
	incident_syslog_param(b, "connector_kind",
	    record_conn_name(inc->conn_kind));
	incident_syslog_param(b, "attribute", inc->attribute);
	if (inc->nobjects > 0) {
		fmt_snprintf(num, sizeof(num), "%zu", inc->nobjects);
		incident_syslog_param(b, "object_count", num);
	}
	incident_syslog_param(b, "error_type", inc->error_type);
	if (inc->error_code >= 0) {
		fmt_snprintf(num, sizeof(num), "%lld", (long long)inc->error_code);
		incident_syslog_param(b, "error_code", num);
	}
	incident_syslog_param_time(b, "first_seen", inc->first_seen);
	incident_syslog_param_time(b, "last_seen", inc->last_seen);
	if (inc->ad_only)
		incident_syslog_param(b, "pattern", "ad-connector-only");
	if (inc->protect == INC_PROT_ADMINCOUNT)
		incident_syslog_param(b, "protected", "adminCount");
	else if (inc->protect == INC_PROT_INFERRED)
		incident_syslog_param(b, "protected", "inferred");
	incident_syslog_param(b, "value", inc->value);
	incident_syslog_param(b, "ou", inc->ou);
	/* Source names are fixed ASCII: nothing in them to escape. */
	for (s = 0; s < REC_SRC_MAX; s++) {
		if ((inc->evidence & (1U << s)) == 0)
			continue;
		incident_syslog_puts(b, sep);
		incident_syslog_puts(b, record_source_name((enum rec_source)s));
		sep = ",";
	}
	if (*sep == ',')
		incident_syslog_puts(b, "\"");
	incident_syslog_puts(b, "]");
}

/*
 * RFC 3164: "<PRI>Mmm dd hh:mm:ss HOST syncorr[PROCID]: summary [id=…
 * state=… class=…]".  The time is UTC (a library knows no time zone); the
 * summary is cut so the message keeps to 1024 bytes with the incident's
 * identity at the end, where a relay's truncation would have hit it.
 */
static void
incident_syslog_3164(struct incident_syslog *b, const struct incident *inc,
    enum incident_transition tr, int64_t now, const struct syslog_opts *o,
    int pri, const char *summary)
{
	static const char	*months[12] = { "Jan", "Feb", "Mar", "Apr",
	    "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	struct incident_syslog	 sfx = { NULL, 0, 0 };
	char			 t[32];
	int			 mon;

	if (!incident_syslog_time_ok(now))
		now = 0;
	ptime_format(now, t, sizeof(t));	/* YYYY-MM-DDThh:mm:ssZ */
	mon = (t[5] - '0') * 10 + (t[6] - '0');
	incident_syslog_printf(b, "<%d>%s %c%c %.8s ", pri, months[mon - 1],
	    t[8] == '0' ? ' ' : t[8], t[9], t + 11);
	incident_syslog_field(b, o->hostname != NULL ? o->hostname :
	    inc->host, INCIDENT_SYSLOG_HOSTMAX);
	incident_syslog_puts(b, " syncorr");
	if (o->procid != NULL) {
		incident_syslog_puts(b, "[");
		incident_syslog_field(b, o->procid, INCIDENT_SYSLOG_TAGMAX -
		    strlen("syncorr[]"));
		incident_syslog_puts(b, "]");
	}
	incident_syslog_puts(b, ": ");

	/* The id is hex, state and class fixed names: nothing to escape. */
	incident_syslog_printf(&sfx, " [id=%s state=%s class=%s]", inc->id,
	    incident_transition_name(tr), incident_class_name(inc->cls));
	if (b->len + sfx.len < INCIDENT_SYSLOG_3164MAX)
		incident_syslog_text(b, summary, INCIDENT_SYSLOG_MSG,
		    INCIDENT_SYSLOG_3164MAX - b->len - sfx.len);
	incident_syslog_add(b, sfx.buf, sfx.len);
	free(sfx.buf);
}

/* Appends CEF extension key=value, escaped; a NULL value does not apply. */
static void
incident_syslog_ext(struct incident_syslog *b, const char *key,
    const char *value)
{
	if (value == NULL)
		return;
	/* The first pair follows the header's last '|'. */
	if (b->buf[b->len - 1] != '|')
		incident_syslog_puts(b, " ");
	incident_syslog_printf(b, "%s=", key);
	incident_syslog_text(b, value, INCIDENT_SYSLOG_CEFEXT, SIZE_MAX);
}

/* A custom string n of CEF with its label; NULL does not apply. */
static void
incident_syslog_cs(struct incident_syslog *b, int n, const char *label,
    const char *value)
{
	char	key[16];

	if (value == NULL)
		return;
	fmt_snprintf(key, sizeof(key), "cs%dLabel", n);
	incident_syslog_ext(b, key, label);
	fmt_snprintf(key, sizeof(key), "cs%d", n);
	incident_syslog_ext(b, key, value);
}

/*
 * CEF after an RFC 5424 header: "CEF:0|syncorr|syncorr|version|class|
 * summary|severity|extension".  CEF severity 8 (high) for err, 5 for
 * warning, 3 (low) for a resolve.
 */
static void
incident_syslog_cef(struct incident_syslog *b, const struct incident *inc,
    enum incident_transition tr, int64_t now, const struct syslog_opts *o,
    int sev, const char *summary)
{
	char	num[32];

	incident_syslog_puts(b, "- CEF:0|syncorr|syncorr|");
	incident_syslog_text(b, o->version != NULL ? o->version : "1.0",
	    INCIDENT_SYSLOG_CEFHDR, INCIDENT_SYSLOG_CEFVERMAX);
	incident_syslog_puts(b, "|");
	incident_syslog_text(b, incident_class_name(inc->cls),
	    INCIDENT_SYSLOG_CEFHDR, INCIDENT_SYSLOG_CEFCLASSMAX);
	incident_syslog_puts(b, "|");
	incident_syslog_text(b, summary, INCIDENT_SYSLOG_CEFHDR,
	    INCIDENT_SYSLOG_CEFNAMEMAX);
	incident_syslog_printf(b, "|%d|", sev == 3 ? 8 : sev == 4 ? 5 : 3);

	if (incident_syslog_time_ok(now)) {
		fmt_snprintf(num, sizeof(num), "%lld", (long long)now);
		incident_syslog_ext(b, "rt", num);
	}
	incident_syslog_ext(b, "dhost", inc->host);
	incident_syslog_cs(b, 1, "id", inc->id);
	incident_syslog_cs(b, 2, "state", incident_transition_name(tr));
	incident_syslog_cs(b, 3, "connector", inc->connector);
	incident_syslog_cs(b, 4, "attribute", inc->attribute);
	incident_syslog_cs(b, 5, "errorType", inc->error_type);
	if (inc->error_code >= 0) {
		fmt_snprintf(num, sizeof(num), "%lld", (long long)inc->error_code);
		incident_syslog_ext(b, "cn1Label", "errorCode");
		incident_syslog_ext(b, "cn1", num);
	}
	if (inc->nobjects > 0) {
		fmt_snprintf(num, sizeof(num), "%zu", inc->nobjects);
		incident_syslog_ext(b, "cnt", num);
	}
	incident_syslog_ext(b, "msg", summary);
}

/*
 * The message for transition tr at time now, without framing or trailing
 * newline (xmalloc'd; the caller frees).
 */
char *
incident_syslog(const struct incident *inc, enum incident_transition tr,
    int64_t now, const struct syslog_opts *opts)
{
	struct incident_syslog	 b = { NULL, 0, 0 };
	struct syslog_opts	 o;
	char			 summary[INCIDENT_SYSLOG_SUMMARY], *json;
	int			 sev, pri;

	if (opts != NULL)
		o = *opts;
	else
		memset(&o, 0, sizeof(o));
	if (o.enterprise == 0)
		o.enterprise = SYSLOG_DEF_ENTERPRISE;
	if (o.facility < 1 || o.facility > 23)
		o.facility = SYSLOG_DEF_FACILITY;
	sev = incident_syslog_severity(inc, tr);
	pri = o.facility * 8 + sev;
	remedy_summary(inc, summary, sizeof(summary));

	switch (o.format) {
	case SYSLOG_RFC3164:
		incident_syslog_3164(&b, inc, tr, now, &o, pri, summary);
		break;
	case SYSLOG_JSON:
		/*
		 * json-c escapes C0 controls but passes other bytes
		 * through: the filter keeps broken UTF-8, C1 controls and
		 * line separators out too, and what it writes in their
		 * place is still valid JSON.
		 */
		incident_syslog_header(&b, inc, pri, now, &o);
		incident_syslog_puts(&b, "- @cee:");
		json = incident_json(inc, tr);
		incident_syslog_text(&b, json, INCIDENT_SYSLOG_MSG, SIZE_MAX);
		free(json);
		break;
	case SYSLOG_CEF:
		incident_syslog_header(&b, inc, pri, now, &o);
		incident_syslog_cef(&b, inc, tr, now, &o, sev, summary);
		break;
	case SYSLOG_RFC5424:
	default:
		incident_syslog_header(&b, inc, pri, now, &o);
		incident_syslog_sd(&b, inc, tr, o.enterprise);
		/* The BOM tells the receiver MSG is UTF-8 (§6.4). */
		incident_syslog_puts(&b, " " INCIDENT_SYSLOG_BOM);
		incident_syslog_text(&b, summary, INCIDENT_SYSLOG_MSG,
		    SIZE_MAX);
		break;
	}
	return (b.buf);
}
