/*
 * email.c: notification mails (FORMATS.md §4.1, §4.2), one RFC 5322
 * message per file, as a Maildir or an .eml holds it.  A mail is a whole
 * document: the bytes are buffered and GMime parses them at the end.  The
 * sender and subject tell what a mail is: a Connect Health alert goes to
 * email_alert.c, a sync-error report to email_report.c, with the text of
 * its body (text/plain and text/html, the latter through email_html.c);
 * any other mail is read and skipped.
 *
 * GMime parses the whole MIME tree eagerly and recursively, so a cheap
 * scan of the raw bytes first bounds what it may build: nesting (through
 * the Content-Type lines), parts (through the lines that may be
 * boundaries) and header fields.
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <gmime/gmime.h>

#include "parsers.h"
#include "email.h"

#define EMAIL_MAXMSG	(32 * 1024 * 1024)	/* one message, buffered */
#define EMAIL_MAXDEPTH	32		/* MIME nesting walked */
#define EMAIL_MAXCTYPE	512		/* Content-Type lines in a message */
#define EMAIL_MAXBOUND	10000		/* lines that may be boundaries */
#define EMAIL_MAXFIELDS	100000		/* lines that look like fields */
#define EMAIL_MAXPART	(8 * 1024 * 1024) /* a longer text part is unread */
#define EMAIL_MAXTEXT	(1024 * 1024)	/* body text kept */

struct email {
	rec_cb			 cb;
	rec_err_cb		 ecb;
	void			*arg;
	struct pbuf		 in;
	int			 failed;
	char			 errbuf[256];
	uint64_t		 erroff;
	struct parser_stats	 stats;
};

static void
email_fail(struct email *em, uint64_t off, const char *reason)
{
	if (em->failed)
		return;
	em->failed = 1;
	em->erroff = off;
	snprintf(em->errbuf, sizeof(em->errbuf), "%s", reason);
}

static void
email_item_error(struct email *em, const char *reason)
{
	em->stats.errors++;
	if (em->ecb != NULL)
		em->ecb(0, reason, em->arg);
}

/* Hands a record of the mail's reader on, and counts it. */
static int
email_record_cb(const struct record *r, void *arg)
{
	struct email	*em = arg;

	em->stats.records++;
	if (em->cb(r, em->arg) == -1) {
		email_fail(em, 0, "stopped by the record callback");
		return (-1);
	}
	return (0);
}

static int
email_space(int c)
{
	return (c == ' ' || c == '\t' || c == '\r' || c == '\n' ||
	    c == '\f' || c == '\v');
}

/* s past leading blanks, with trailing blanks cut off in place. */
char *
email_trim(char *s)
{
	size_t	len;

	while (email_space((unsigned char)*s))
		s++;
	len = strlen(s);
	while (len > 0 && email_space((unsigned char)s[len - 1]))
		s[--len] = '\0';
	return (s);
}

/* Copies src into dst (dstsz bytes; they may overlap), cut whole. */
void
email_copy(char *dst, size_t dstsz, const char *src)
{
	size_t	len = strlen(src);

	if (len >= dstsz) {
		len = dstsz - 1;
		while (len > 0 && ((unsigned char)src[len] & 0xc0) == 0x80)
			len--;
	}
	memmove(dst, src, len);
	dst[len] = '\0';
}

/* A malloc'd copy of s folded to one line and capped; NULL for NULL. */
char *
email_dup(const char *s)
{
	char	*d;

	if (s == NULL || (d = malloc(EMAIL_MAXFIELD)) == NULL)
		return (NULL);
	email_copy(d, EMAIL_MAXFIELD, s);
	pvalue_fold(d);
	return (d);
}

/* A number of up to 9 digits at *s, moving past it; -1 if none. */
static int
email_num(const char **s)
{
	int	v = 0, n;

	for (n = 0; **s >= '0' && **s <= '9'; (*s)++, n++)
		if (n < 9)
			v = v * 10 + (**s - '0');
	return (n > 0 ? v : -1);
}

/*
 * Dates as the alert mails write them: "June 16, 2024 01:30 UTC",
 * "16 June 2024 1:30 AM", an optional weekday first, an optional zone
 * (UTC, GMT, Z or +hh:mm) after; UTC when none is given, midnight when
 * there is no time.
 */
static int64_t
email_date(const char *s)
{
	static const char *const months[] = { "january", "february", "march",
	    "april", "may", "june", "july", "august", "september", "october",
	    "november", "december" };
	int		 mon = 0, day = -1, year, h, mi = 0, sec = 0;
	int		 i, n, off = 0, tries, neg;
	char		 word[12];
	int64_t		 t;

	/* "[Weekday,] Month day," or "[Weekday,] day Month": whole or Jun. */
	for (tries = 0; tries < 2 && mon == 0; tries++) {
		while (email_space((unsigned char)*s))
			s++;
		if ((day = email_num(&s)) >= 0)
			while (*s == ' ' || *s == '.' || *s == '-')
				s++;
		for (n = 0; (*s | 0x20) >= 'a' && (*s | 0x20) <= 'z'; s++)
			if (n < (int)sizeof(word) - 1)
				word[n++] = (char)(*s | 0x20);
		word[n] = '\0';
		for (i = 0; i < 12; i++)
			if (strcmp(word, months[i]) == 0 || (n == 3 &&
			    strncmp(word, months[i], 3) == 0) ||
			    (i == 8 && strcmp(word, "sept") == 0))
				mon = i + 1;
		if (*s == ',')
			s++;
	}
	if (mon == 0)
		return (REC_TIME_NONE);
	while (*s == ' ' || *s == '.' || *s == '-')
		s++;
	if (day < 0 && (day = email_num(&s)) < 0)
		return (REC_TIME_NONE);
	if ((*s | 0x20) >= 'a' && (*s | 0x20) <= 'z' &&
	    (s[1] | 0x20) >= 'a' && (s[1] | 0x20) <= 'z')
		s += 2;				/* 1st, 2nd, 16th */
	while (*s == ',' || *s == ' ' || *s == '-')
		s++;
	if ((year = email_num(&s)) < 0)
		return (REC_TIME_NONE);
	while (*s == ',' || email_space((unsigned char)*s))
		s++;
	if ((h = email_num(&s)) >= 0) {
		if (*s++ != ':' || (mi = email_num(&s)) < 0)
			return (REC_TIME_NONE);
		if (*s == ':') {
			s++;
			if ((sec = email_num(&s)) < 0)
				return (REC_TIME_NONE);
		}
		while (*s == ' ')
			s++;
		if (strncasecmp(s, "AM", 2) == 0 ||
		    strncasecmp(s, "PM", 2) == 0) {
			if (h < 1 || h > 12)
				return (REC_TIME_NONE);
			h = h % 12 + ((*s | 0x20) == 'p' ? 12 : 0);
			s += 2;
		}
		while (*s == ' ' || *s == '(')
			s++;
		if (strncasecmp(s, "UTC", 3) == 0 ||
		    strncasecmp(s, "GMT", 3) == 0)
			s += 3;
		if ((*s == '+' || *s == '-') && s[1] >= '0' && s[1] <= '9' &&
		    s[2] >= '0' && s[2] <= '9') {
			neg = *s == '-';
			off = ((s[1] - '0') * 10 + s[2] - '0') * 60;
			s += s[3] == ':' ? 4 : 3;
			if (s[0] >= '0' && s[0] <= '9' && s[1] >= '0' &&
			    s[1] <= '9')
				off += (s[0] - '0') * 10 + s[1] - '0';
			if (neg)
				off = -off;
		}
	} else
		h = 0;
	if ((t = ptime_make(year, mon, day, h, mi, sec, 0)) == REC_TIME_NONE)
		return (REC_TIME_NONE);
	return (t - off * 60000LL);
}

/* A time as any of the mails may write it, or REC_TIME_NONE. */
int64_t
email_when(const char *s)
{
	int64_t	t;

	if (s == NULL || *s == '\0')
		return (REC_TIME_NONE);
	if ((t = email_date(s)) == REC_TIME_NONE &&
	    (t = ptime_parse(s, strlen(s))) == REC_TIME_NONE)
		t = ptime_parse_us(s, strlen(s));
	return (t);
}

/* Splits text into lines in place: an array the caller frees, or NULL. */
char **
email_lines(char *text, size_t *n)
{
	size_t	  count = 1;
	char	 *p, **v;

	for (p = text; (p = strchr(p, '\n')) != NULL; p++)
		count++;
	if ((v = calloc(count, sizeof(*v))) == NULL)
		return (NULL);
	*n = 0;
	for (p = text; p != NULL; ) {
		v[(*n)++] = p;
		if ((p = strchr(p, '\n')) != NULL)
			*p++ = '\0';
	}
	return (v);
}

/* Whether line [s, e) starts with a header field name and its colon. */
static int
email_field_line(const char *s, const char *e)
{
	const char	*p;

	for (p = s; p < e && *p > ' ' && *p < 0x7f && *p != ':'; p++)
		;
	if (p == s)
		return (0);
	while (p < e && (*p == ' ' || *p == '\t'))
		p++;
	return (p < e && *p == ':');
}

/*
 * Whether the header block at p is one: header fields (or their folded
 * continuations) up to a blank line.  0, or -1 with the reason set.
 */
static int
email_check_head(struct email *em, const char *buf, const char *p,
    const char *end)
{
	const char	*e, *first = p;

	for (; p < end; p = e + 1) {
		if ((e = memchr(p, '\n', (size_t)(end - p))) == NULL)
			e = end;
		if (e == p || (e == p + 1 && *p == '\r'))
			return (0);
		if ((p == first || (*p != ' ' && *p != '\t')) &&
		    !email_field_line(p, e)) {
			email_fail(em, (uint64_t)(p - buf), "not a mail: a "
			    "line of the header block is no header field");
			return (-1);
		}
	}
	email_fail(em, (uint64_t)(end - buf), "truncated mail: the header "
	    "block does not end");
	return (-1);
}

/*
 * Whether buf is a mail at all, and one GMime can parse within bounds:
 * the message may not hold more Content-Type lines (nesting),
 * boundary-like lines (parts) or field-like lines (header objects) than
 * the caps.  *skip is set past an mbox "From " line.
 */
static int
email_check(struct email *em, const char *buf, size_t len, size_t *skip)
{
	const char	*p = buf, *end = buf + len, *e;
	size_t		 nct = 0, nbound = 0, nfields = 0;

	if (len >= 5 && memcmp(buf, "From ", 5) == 0) {
		if ((p = memchr(buf, '\n', len)) == NULL)
			p = end;
		else
			p++;
	}
	*skip = (size_t)(p - buf);
	if (p == end) {
		email_fail(em, 0, "empty mail");
		return (-1);
	}
	if (email_check_head(em, buf, p, end) == -1)
		return (-1);
	for (; p < end; p = e + 1) {
		if ((e = memchr(p, '\n', (size_t)(end - p))) == NULL)
			e = end;
		if (e - p >= 2 && p[0] == '-' && p[1] == '-')
			nbound++;
		else if (email_field_line(p, e)) {
			nfields++;
			if (e - p >= 12 &&
			    strncasecmp(p, "content-type", 12) == 0)
				nct++;
		}
		if (nct > EMAIL_MAXCTYPE || nbound > EMAIL_MAXBOUND ||
		    nfields > EMAIL_MAXFIELDS) {
			email_fail(em, (uint64_t)(p - buf), "too many MIME "
			    "parts or header fields in one mail");
			return (-1);
		}
	}
	return (0);
}

/* A decoded, NUL-free, valid UTF-8 copy of n bytes (bad bytes → '?'). */
static char *
email_utf8(const unsigned char *data, size_t n)
{
	const gchar	*bad;
	char		*s;
	size_t		 i;

	if ((s = malloc(n + 1)) == NULL)
		return (NULL);
	if (n > 0)
		memcpy(s, data, n);
	s[n] = '\0';
	for (i = 0; i < n; i++)
		if (s[i] == '\0')
			s[i] = ' ';
	for (i = 0; !g_utf8_validate(s + i, (gssize)(n - i), &bad); ) {
		i = (size_t)(bad - s);
		s[i++] = '?';
	}
	return (s);
}

/*
 * The text of a leaf part: transfer encoding undone, converted from its
 * charset to UTF-8 (left as it is when iconv does not know the charset).
 * NULL when the part has no content or is too big to be a notification.
 */
static char *
email_part_text(GMimePart *part)
{
	GMimeDataWrapper	*content;
	GMimeStream		*mem, *filtered, *raw;
	GMimeFilter		*filter;
	GByteArray		*ba;
	const char		*charset;
	char			*text;

	if ((content = g_mime_part_get_content(part)) == NULL)
		return (NULL);
	if ((raw = g_mime_data_wrapper_get_stream(content)) != NULL &&
	    g_mime_stream_length(raw) > EMAIL_MAXPART)
		return (NULL);
	mem = g_mime_stream_mem_new();
	filtered = g_mime_stream_filter_new(mem);
	charset = g_mime_object_get_content_type_parameter(
	    (GMimeObject *)part, "charset");
	if (charset != NULL &&
	    (filter = g_mime_filter_charset_new(charset, "utf-8")) != NULL) {
		g_mime_stream_filter_add((GMimeStreamFilter *)filtered, filter);
		g_object_unref(filter);
	}
	g_mime_data_wrapper_write_to_stream(content, filtered);
	g_mime_stream_flush(filtered);
	g_object_unref(filtered);
	ba = g_mime_stream_mem_get_byte_array((GMimeStreamMem *)mem);
	text = email_utf8(ba->data, ba->len < EMAIL_MAXTEXT ? ba->len :
	    EMAIL_MAXTEXT);
	g_object_unref(mem);
	return (text);
}

/*
 * Finds the first text/plain and text/html parts that are not
 * attachments.  Attached messages are not entered.  -1 when the nesting
 * is deeper than a notification's can be.
 */
static int
email_walk(struct email_msg *m, GMimeObject *o, int depth)
{
	GMimeContentDisposition	*cd;
	GMimeContentType	*ct;
	char			*raw;
	int			 i, n;

	if (depth > EMAIL_MAXDEPTH)
		return (-1);
	if (GMIME_IS_MULTIPART(o)) {
		n = g_mime_multipart_get_count((GMimeMultipart *)o);
		for (i = 0; i < n; i++) {
			if (email_walk(m, g_mime_multipart_get_part(
			    (GMimeMultipart *)o, i), depth + 1) == -1)
				return (-1);
		}
		return (0);
	}
	if (!GMIME_IS_TEXT_PART(o))
		return (0);
	if ((cd = g_mime_object_get_content_disposition(o)) != NULL &&
	    g_mime_content_disposition_is_attachment(cd))
		return (0);
	ct = g_mime_object_get_content_type(o);
	if (m->plain == NULL && g_mime_content_type_is_type(ct, "text",
	    "plain"))
		m->plain = email_part_text((GMimePart *)o);
	else if (m->html == NULL && g_mime_content_type_is_type(ct, "text",
	    "html") && (raw = email_part_text((GMimePart *)o)) != NULL) {
		m->html = email_html_text(raw, strlen(raw), EMAIL_MAXTEXT);
		free(raw);
	}
	return (0);
}

/* The first mailbox address of the From header, or NULL. */
static const char *
email_sender(GMimeMessage *msg)
{
	InternetAddressList	*from;
	InternetAddress		*ia;
	int			 i, n;

	if ((from = g_mime_message_get_from(msg)) == NULL)
		return (NULL);
	n = internet_address_list_length(from);
	for (i = 0; i < n; i++) {
		ia = internet_address_list_get_address(from, i);
		if (INTERNET_ADDRESS_IS_MAILBOX(ia))
			return (internet_address_mailbox_get_addr(
			    INTERNET_ADDRESS_MAILBOX(ia)));
	}
	return (NULL);
}

/* What kind of notification a mail is, by its sender and subject. */
enum email_kind {
	EMAIL_OTHER = 0,
	EMAIL_ALERT,
	EMAIL_REPORT
};

static enum email_kind
email_kind(const struct email_msg *m)
{
	static const char *const reports[] = {
	    "directory synchronization error report",
	    "identity synchronization error report",
	    "we detected synchronization errors in your directory" };
	size_t	i;
	int	health, online;

	if (m->sender == NULL)
		return (EMAIL_OTHER);
	health = strcasecmp(m->sender, "MSSecurity-noreply@microsoft.com")
	    == 0 || strcasecmp(m->sender, "azure-noreply@microsoft.com") == 0;
	online = strcasecmp(m->sender,
	    "MSOnlineServicesTeam@MicrosoftOnline.com") == 0;
	if (!health && !online)
		return (EMAIL_OTHER);
	for (i = 0; m->subject != NULL && i < sizeof(reports) /
	    sizeof(reports[0]); i++)
		if (strcasestr(m->subject, reports[i]) != NULL)
			return (EMAIL_REPORT);
	return (online ? EMAIL_REPORT : EMAIL_ALERT);
}

/* Parses the buffered message and emits its records; 0 or -1. */
static int
email_message(struct email *em, const char *buf, size_t len)
{
	struct email_msg	 m;
	GMimeStream		*stream;
	GMimeParser		*parser;
	GMimeMessage		*msg;
	GDateTime		*dt;
	enum email_kind		 kind;
	size_t			 skip;
	int			 rc = 0, n;

	if (email_check(em, buf, len, &skip) == -1)
		return (-1);
	stream = g_mime_stream_mem_new_with_buffer(buf + skip, len - skip);
	parser = g_mime_parser_new_with_stream(stream);
	g_object_unref(stream);
	g_mime_parser_set_format(parser, GMIME_FORMAT_MESSAGE);
	msg = g_mime_parser_construct_message(parser, NULL);
	g_object_unref(parser);
	if (msg == NULL) {
		email_fail(em, 0, "not a mail: no message could be parsed");
		return (-1);
	}
	memset(&m, 0, sizeof(m));
	if (g_mime_message_get_from(msg) == NULL ||
	    internet_address_list_length(g_mime_message_get_from(msg)) == 0) {
		email_fail(em, 0, "not a mail: no From header");
		g_object_unref(msg);
		return (-1);
	}
	em->stats.read++;
	m.sender = email_sender(msg);
	m.subject = email_dup(g_mime_message_get_subject(msg));
	m.msgid = email_dup(g_mime_message_get_message_id(msg));
	m.date = REC_TIME_NONE;
	if ((dt = g_mime_message_get_date(msg)) != NULL)
		m.date = (int64_t)g_date_time_to_unix(dt) * 1000;
	if ((kind = email_kind(&m)) != EMAIL_OTHER &&
	    g_mime_message_get_mime_part(msg) != NULL &&
	    email_walk(&m, g_mime_message_get_mime_part(msg), 0) == -1) {
		email_fail(em, 0, "MIME parts nested too deep");
		rc = -1;
	}
	if (rc == 0 && kind == EMAIL_ALERT)
		rc = email_alert(&m, email_record_cb, em) == -1 ? -1 : 0;
	else if (rc == 0 && kind == EMAIL_REPORT) {
		/* A report nothing was read of: its layout may have changed. */
		if ((n = email_report(&m, email_record_cb, em)) == 0 &&
		    m.subject != NULL && strcasestr(m.subject, "error") != NULL)
			email_item_error(em, "a synchronization error report "
			    "with no error that could be read");
		rc = n == -1 ? -1 : 0;
	}
	if (rc == -1)
		email_fail(em, 0, "out of memory");
	g_object_unref(msg);
	free(m.subject);
	free(m.msgid);
	free(m.plain);
	free(m.html);
	return (rc);
}

/* A parser for one mail; the file name says nothing. */
static void *
email_new(const char *name, rec_cb cb, rec_err_cb ecb, void *arg)
{
	struct email	*em;

	(void)name;
	if ((em = calloc(1, sizeof(*em))) == NULL)
		return (NULL);
	em->cb = cb;
	em->ecb = ecb;
	em->arg = arg;
	return (em);
}

/* Buffers len more bytes of the mail; -1 past the size cap. */
static int
email_push(void *v, const void *buf, size_t len)
{
	struct email	*em = v;

	if (em->failed)
		return (-1);
	if (em->in.len + len > EMAIL_MAXMSG) {
		email_fail(em, EMAIL_MAXMSG, "mail larger than 32 MiB");
		return (-1);
	}
	if (pbuf_add(&em->in, buf, len, EMAIL_MAXMSG) == -1) {
		email_fail(em, em->in.len, "out of memory");
		return (-1);
	}
	return (0);
}

/* Parses the whole mail; 0 or -1. */
static int
email_finish(void *v)
{
	struct email	*em = v;
	int		 rc;

	if (em->failed)
		return (-1);
	if (em->in.len == 0) {
		email_fail(em, 0, "empty file");
		return (-1);
	}
	rc = email_message(em, em->in.buf, em->in.len);
	pbuf_free(&em->in);
	return (rc);
}

static const char *
email_error(const void *v, uint64_t *offset)
{
	const struct email	*em = v;

	if (!em->failed)
		return (NULL);
	if (offset != NULL)
		*offset = em->erroff;
	return (em->errbuf);
}

/* One message read per mail; records; reports nothing could be read of. */
static const struct parser_stats *
email_stats(const void *v)
{
	const struct email	*em = v;

	return (&em->stats);
}

static void
email_free(void *v)
{
	struct email	*em = v;

	if (em == NULL)
		return;
	pbuf_free(&em->in);
	free(em);
}

const struct parser_ops email_ops = {
	.name = "email",
	.new = email_new,
	.push = email_push,
	.finish = email_finish,
	.error = email_error,
	.stats = email_stats,
	.free = email_free,
};
