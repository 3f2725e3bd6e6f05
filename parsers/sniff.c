/*
 * sniff.c: tells a file's format from its first bytes, never from its
 * name: shippers rename, compress and concatenate freely.  In order:
 * the .evtx magic; XML by its root element, found past any byte-order
 * mark, XML declaration, comment or DOCTYPE (a DOCTYPE still names the
 * root, so a hostile dump is routed to its parser and rejected there,
 * loudly); syncorr's own records by the kind and source of the first;
 * other JSON by the member names of its first object; CSV by its
 * "#TYPE" line or header row; mail by an RFC 5322 header block.
 */

#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "parsers.h"

/* XML root elements and the formats they announce. */
static const struct {
	const char		*root;
	enum parser_format	 fmt;
} sniff_roots[] = {
	{ "cs-objects", PARSER_FMT_CSEXPORT },
	{ "run-history", PARSER_FMT_RUNHIST },
	{ "Event", PARSER_FMT_EVENT_XML },
	{ "Events", PARSER_FMT_EVENT_XML },
};

/*
 * Member names or column names that announce a format: all of a row's
 * names (up to three; NULL ends) must be present.  Rows are tried in
 * order, so the more specific come first.
 */
struct sniff_keys {
	const char		*names[3];
	enum parser_format	 fmt;
};

static const struct sniff_keys sniff_json[] = {
	{ { "winlog", NULL }, PARSER_FMT_EVENT_BEAT },
	{ { "event_data", NULL }, PARSER_FMT_EVENT_BEAT },
	{ { "RunHistoryId", NULL }, PARSER_FMT_RUNPROFILE_JSON },
	{ { "ConnectorName", "RunProfileName", NULL },
	    PARSER_FMT_RUNPROFILE_JSON },
	{ { "onPremisesProvisioningErrors", NULL }, PARSER_FMT_CLOUD_JSON },
	{ { "propertyCausingError", NULL }, PARSER_FMT_CLOUD_JSON },
	{ { "Id", "ProviderName", NULL }, PARSER_FMT_EVENT_PSJSON },
	{ { "Id", "TimeCreated", NULL }, PARSER_FMT_EVENT_PSJSON },
	{ { "EventID", "Source", NULL }, PARSER_FMT_EVENT_PSJSON },
	{ { "InstanceId", "TimeGenerated", NULL }, PARSER_FMT_EVENT_PSJSON },
};

static const struct sniff_keys sniff_csv[] = {
	{ { "ConnectorName", "Result", NULL }, PARSER_FMT_RUNPROFILE_CSV },
	{ { "ConnectorName", "RunProfileName", NULL },
	    PARSER_FMT_RUNPROFILE_CSV },
	{ { "ErrorCategory", "PropertyValue", NULL }, PARSER_FMT_CLOUD_CSV },
	{ { "PropertyName", "PropertyValue", NULL }, PARSER_FMT_CLOUD_CSV },
	{ { "Id", "ProviderName", NULL }, PARSER_FMT_EVENT_CSV },
	{ { "Id", "TimeCreated", NULL }, PARSER_FMT_EVENT_CSV },
	{ { "EventID", "Source", NULL }, PARSER_FMT_EVENT_CSV },
	{ { "InstanceId", "TimeGenerated", NULL }, PARSER_FMT_EVENT_CSV },
};

/* Mail header fields one of which a message must have. */
static const char *const sniff_mail_fields[] = {
	"From", "Date", "Subject", "Received", "Return-Path", "Message-ID",
	"MIME-Version", "Delivered-To", "To", "Content-Type",
};

#define SNIFF_MAXNAMES	64

/* Names seen in a JSON text or a CSV header, for sniff_keys. */
struct sniff_names {
	char	 name[SNIFF_MAXNAMES][48];
	size_t	 n;
};

/*
 * Copies the first bytes of buf into out as 8-bit text: UTF-16 (with a
 * BOM, or told by the zero bytes around '<') is narrowed, a UTF-8 BOM is
 * dropped.  Returns the number of bytes written.
 */
static size_t
sniff_narrow(const unsigned char *b, size_t len, char *out, size_t outsz)
{
	size_t	i, n = 0;
	int	le;

	if (len >= 3 && b[0] == 0xef && b[1] == 0xbb && b[2] == 0xbf) {
		b += 3;
		len -= 3;
	}
	if (len >= 2 && ((b[0] == 0xff && b[1] == 0xfe) ||
	    (b[0] == 0xfe && b[1] == 0xff) ||
	    (b[0] != 0 && b[1] == 0) || (b[0] == 0 && b[1] != 0))) {
		le = b[0] == 0xff || (b[0] != 0 && b[1] == 0 && b[0] != 0xfe);
		if (b[0] == 0xff || b[0] == 0xfe) {
			b += 2;
			len -= 2;
		}
		for (i = 0; i + 1 < len && n < outsz; i += 2) {
			if (b[i + (le ? 1 : 0)] != 0)
				out[n++] = '?';
			else
				out[n++] = (char)b[i + (le ? 0 : 1)];
		}
		return (n);
	}
	n = len < outsz ? len : outsz;
	memcpy(out, b, n);
	return (n);
}

/* Skips past the first occurrence of end at or after *i; 0 if none. */
static int
sniff_skip_to(const char *s, size_t len, size_t *i, const char *end)
{
	size_t	n = strlen(end);

	for (; *i + n <= len; (*i)++) {
		if (memcmp(s + *i, end, n) == 0) {
			*i += n;
			return (1);
		}
	}
	return (0);
}

/*
 * The XML root element's name (or the name a DOCTYPE gives it) into root;
 * 0, or -1 when the text does not start like an XML document.
 */
static int
sniff_xml_root(const char *s, size_t len, char *root, size_t rootsz)
{
	size_t	i = 0, n;

	for (;;) {
		while (i < len && isspace((unsigned char)s[i]))
			i++;
		if (i + 1 >= len || s[i] != '<')
			return (-1);
		if (s[i + 1] == '?') {
			if (!sniff_skip_to(s, len, &i, "?>"))
				return (-1);
		} else if (len - i >= 4 && memcmp(s + i, "<!--", 4) == 0) {
			if (!sniff_skip_to(s, len, &i, "-->"))
				return (-1);
		} else if (len - i >= 9 && memcmp(s + i, "<!DOCTYPE", 9) == 0) {
			i += 9;
			while (i < len && isspace((unsigned char)s[i]))
				i++;
			break;
		} else {
			i++;
			break;
		}
	}
	for (n = 0; i < len && n + 1 < rootsz; i++, n++) {
		if (isspace((unsigned char)s[i]) || s[i] == '>' ||
		    s[i] == '/' || s[i] == '[')
			break;
		root[n] = s[i];
	}
	root[n] = '\0';
	return (n > 0 ? 0 : -1);
}

/* Adds [s, s + len) to the names, if it fits. */
static void
sniff_name_add(struct sniff_names *nm, const char *s, size_t len)
{
	if (nm->n >= SNIFF_MAXNAMES || len == 0 ||
	    len >= sizeof(nm->name[0]))
		return;
	memcpy(nm->name[nm->n], s, len);
	nm->name[nm->n++][len] = '\0';
}

static int
sniff_has(const struct sniff_names *nm, const char *name)
{
	size_t	i;

	/* PowerShell spells Graph's names its own way: no case. */
	for (i = 0; i < nm->n; i++)
		if (strcasecmp(nm->name[i], name) == 0)
			return (1);
	return (0);
}

/* The first row of keys whose names are all present. */
static enum parser_format
sniff_match(const struct sniff_names *nm, const struct sniff_keys *k,
    size_t nk)
{
	size_t	i, j;

	for (i = 0; i < nk; i++) {
		for (j = 0; j < 3 && k[i].names[j] != NULL; j++)
			if (!sniff_has(nm, k[i].names[j]))
				break;
		if (j == 3 || k[i].names[j] == NULL)
			return (k[i].fmt);
	}
	return (PARSER_FMT_UNKNOWN);
}

/* [s, s + len) is the name of a record kind (kind) or a source. */
static int
sniff_record_name(const char *s, size_t len, int kind)
{
	const char	*name;
	int		 i;

	for (i = kind ? REC_RUN : 0; i <= (kind ? REC_CLOUD_ERROR :
	    REC_SRC_MAX - 1); i++) {
		name = kind ? record_kind_name((enum rec_kind)i) :
		    record_source_name((enum rec_source)i);
		if (strlen(name) == len && memcmp(name, s, len) == 0)
			return (1);
	}
	return (0);
}

/*
 * The normalized records (records.c): the first object has a member
 * "kind" naming a record kind and a member "source" naming a source, at
 * its top level.  Values are compared, not just names, so that no other
 * format's "kind" or "source" (Winlogbeat's event.kind) is taken for it.
 */
static int
sniff_records_text(const char *s, size_t len)
{
	size_t	 i, start, end;
	int	 depth = 0, kind = 0, src = 0, esc;
	int	*which;

	for (i = 0; i < len; i++) {
		if (s[i] == '{' || s[i] == '[')
			depth++;
		else if (s[i] == '}' || s[i] == ']') {
			if (--depth <= 0)
				break;
		}
		if (s[i] != '"')
			continue;
		for (start = ++i; i < len && s[i] != '"'; i++)
			if (s[i] == '\\')
				i++;
		if (i >= len)
			break;
		end = i;
		which = NULL;
		if (depth == 1 && end - start == 4 &&
		    memcmp(s + start, "kind", 4) == 0)
			which = &kind;
		else if (depth == 1 && end - start == 6 &&
		    memcmp(s + start, "source", 6) == 0)
			which = &src;
		if (which == NULL)
			continue;
		/* The member's value: a string, read up to its quote. */
		for (i++; i < len && isspace((unsigned char)s[i]); i++)
			;
		if (i >= len || s[i] != ':')
			continue;
		for (i++; i < len && isspace((unsigned char)s[i]); i++)
			;
		if (i >= len || s[i] != '"')
			continue;
		for (start = ++i, esc = 0; i < len && s[i] != '"'; i++) {
			if (s[i] == '\\') {
				esc = 1;	/* no name has an escape */
				i++;
			}
		}
		if (i < len && !esc)
			*which = sniff_record_name(s + start, i - start,
			    which == &kind);
		if (kind && src)
			return (1);
	}
	return (0);
}

/* JSON: every string followed by a colon is a member name. */
static enum parser_format
sniff_json_text(const char *s, size_t len)
{
	struct sniff_names	 nm;
	size_t			 i, start, j;

	nm.n = 0;
	for (i = 0; i < len; i++) {
		if (s[i] != '"')
			continue;
		for (start = ++i; i < len && s[i] != '"'; i++)
			if (s[i] == '\\')
				i++;
		if (i >= len)
			break;
		for (j = i + 1; j < len && isspace((unsigned char)s[j]); j++)
			;
		if (j < len && s[j] == ':')
			sniff_name_add(&nm, s + start, i - start);
	}
	return (sniff_match(&nm, sniff_json, sizeof(sniff_json) /
	    sizeof(sniff_json[0])));
}

/* CSV: a "#TYPE" line may come first; the header row names columns. */
static enum parser_format
sniff_csv_text(const char *s, size_t len)
{
	struct sniff_names	 nm;
	size_t			 i = 0, start, end;
	int			 delim;

	if (len >= 6 && memcmp(s, "#TYPE ", 6) == 0) {
		while (i < len && s[i] != '\n')
			i++;
		if (i++ >= len)
			return (PARSER_FMT_UNKNOWN);
	}
	for (end = i; end < len && s[end] != '\n' && s[end] != '\r'; end++)
		;
	if (end == len || end == i)
		return (PARSER_FMT_UNKNOWN);	/* no whole header line */
	delim = memchr(s + i, ',', end - i) == NULL &&
	    memchr(s + i, ';', end - i) != NULL ? ';' : ',';
	nm.n = 0;
	while (i < end) {
		if (s[i] == '"') {
			for (start = ++i; i < end && s[i] != '"'; i++)
				;
			sniff_name_add(&nm, s + start, i - start);
			i++;
		} else {
			for (start = i; i < end && s[i] != delim; i++)
				;
			sniff_name_add(&nm, s + start, i - start);
		}
		if (i < end && s[i] != delim)
			return (PARSER_FMT_UNKNOWN);
		i++;
	}
	return (sniff_match(&nm, sniff_csv, sizeof(sniff_csv) /
	    sizeof(sniff_csv[0])));
}

/*
 * Mail: the text opens with header fields ("Name: value", continuation
 * lines indented), maybe after an mbox "From " line, and one of them is
 * a field every message has.
 */
static int
sniff_mail_text(const char *s, size_t len)
{
	size_t	i = 0, start, k, fields = 0;
	int	known = 0;

	if (len >= 5 && memcmp(s, "From ", 5) == 0) {
		while (i < len && s[i] != '\n')
			i++;
		i++;
	}
	while (i < len) {
		if (s[i] == ' ' || s[i] == '\t') {		/* folded */
			if (fields == 0)
				return (0);
		} else if (s[i] == '\r' || s[i] == '\n') {
			break;				/* end of header */
		} else {
			for (start = i; i < len && s[i] > ' ' && s[i] < 127 &&
			    s[i] != ':'; i++)
				;
			if (i >= len || s[i] != ':' || i == start)
				return (0);
			fields++;
			for (k = 0; k < sizeof(sniff_mail_fields) /
			    sizeof(sniff_mail_fields[0]); k++)
				if (strlen(sniff_mail_fields[k]) == i - start &&
				    strncasecmp(s + start, sniff_mail_fields[k],
				    i - start) == 0)
					known = 1;
		}
		while (i < len && s[i] != '\n')
			i++;
		i++;
	}
	return (fields >= 2 && known);
}

/* The format of a file from its first bytes; PARSER_FMT_UNKNOWN if none. */
enum parser_format
sniff_format(const void *buf, size_t len)
{
	char			 text[SNIFF_BYTES], root[64];
	size_t			 n, i;
	enum parser_format	 fmt;

	if (len >= 8 && memcmp(buf, "ElfFile", 8) == 0)
		return (PARSER_FMT_EVENT_EVTX);
	n = sniff_narrow(buf, len, text, sizeof(text));
	if (sniff_xml_root(text, n, root, sizeof(root)) == 0) {
		for (i = 0; i < sizeof(sniff_roots) / sizeof(sniff_roots[0]);
		    i++) {
			if (strcmp(root, sniff_roots[i].root) == 0)
				return (sniff_roots[i].fmt);
		}
		return (PARSER_FMT_UNKNOWN);
	}
	for (i = 0; i < n && isspace((unsigned char)text[i]); i++)
		;
	if (i < n && text[i] == '{' && sniff_records_text(text + i, n - i))
		return (PARSER_FMT_RECORDS);
	if (i < n && (text[i] == '{' || text[i] == '['))
		return (sniff_json_text(text + i, n - i));
	if ((fmt = sniff_csv_text(text, n)) != PARSER_FMT_UNKNOWN)
		return (fmt);
	if (sniff_mail_text(text, n))
		return (PARSER_FMT_EMAIL);
	return (PARSER_FMT_UNKNOWN);
}
