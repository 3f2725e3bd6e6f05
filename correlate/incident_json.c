/*
 * incident_json.c: the incident JSON of DESIGN.md §3, one object per
 * transition.  The field names and their order are a contract with the
 * SIEMs and scripts that read it; fields that do not apply are left out
 * rather than written as null.  The object is written straight into one
 * growing buffer, with the escaping json-c uses (", \ and control bytes;
 * the rest, UTF-8 included, as is), so no byte of the input can break out
 * of a string; a replay that opens a hundred thousand incidents spends its
 * time correlating, not building trees.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "correlate.h"
#include "xmalloc.h"

#define INCIDENT_JSON_MAXLINES	32

/* The JSON being written into one growing buffer, NUL-terminated at the end. */
struct ijson {
	char	*buf;
	size_t	 len;
	size_t	 cap;
	int	 first;		/* no member yet in the open object/array */
};

/* Room for n bytes more and the final NUL. */
static void
ijson_grow(struct ijson *j, size_t n)
{
	if (j->cap - j->len > n)
		return;
	while (j->cap - j->len <= n)
		j->cap = j->cap == 0 ? 2048 : j->cap * 2;
	j->buf = xreallocarray(j->buf, j->cap, 1);
}

static void
ijson_raw(struct ijson *j, const char *s, size_t n)
{
	ijson_grow(j, n);
	memcpy(j->buf + j->len, s, n);
	j->len += n;
}

static void
ijson_char(struct ijson *j, char c)
{
	ijson_grow(j, 1);
	j->buf[j->len++] = c;
}

/*
 * s as a JSON string, quotes included: the runs that need no escape are
 * found eight bytes a step (pjson_plain) and copied whole.
 */
static void
ijson_string(struct ijson *j, const char *s)
{
	static const char	 hex[] = "0123456789abcdef";
	const char		*end = s + strlen(s), *run;
	char			 esc[6];
	unsigned char		 c;

	ijson_grow(j, (size_t)(end - s) + 2);
	j->buf[j->len++] = '"';
	for (;;) {
		run = s;
		s = pjson_plain(s, end);
		ijson_raw(j, run, (size_t)(s - run));
		if (s == end)
			break;
		c = (unsigned char)*s++;
		switch (c) {
		case '"':
			ijson_raw(j, "\\\"", 2);
			break;
		case '\\':
			ijson_raw(j, "\\\\", 2);
			break;
		case '\b':
			ijson_raw(j, "\\b", 2);
			break;
		case '\f':
			ijson_raw(j, "\\f", 2);
			break;
		case '\n':
			ijson_raw(j, "\\n", 2);
			break;
		case '\r':
			ijson_raw(j, "\\r", 2);
			break;
		case '\t':
			ijson_raw(j, "\\t", 2);
			break;
		default:
			memcpy(esc, "\\u00", 4);
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 0xf];
			ijson_raw(j, esc, 6);
			break;
		}
	}
	ijson_char(j, '"');
}

/*
 * The separator and, in an object, the key of the next member: the keys
 * are this file's own words, none with a byte to escape.
 */
static void
ijson_key(struct ijson *j, const char *key)
{
	size_t	n;

	if (!j->first)
		ijson_char(j, ',');
	j->first = 0;
	if (key != NULL) {
		n = strlen(key);
		ijson_grow(j, n + 3);
		j->buf[j->len++] = '"';
		memcpy(j->buf + j->len, key, n);
		j->len += n;
		j->buf[j->len++] = '"';
		j->buf[j->len++] = ':';
	}
}

static void
ijson_open(struct ijson *j, const char *key, char bracket)
{
	ijson_key(j, key);
	ijson_char(j, bracket);
	j->first = 1;
}

static void
ijson_close(struct ijson *j, char bracket)
{
	ijson_char(j, bracket);
	j->first = 0;
}

static void
ijson_str(struct ijson *j, const char *key, const char *v)
{
	if (v == NULL)
		return;
	ijson_key(j, key);
	ijson_string(j, v);
}

/* A count (negative: not known, left out), written digit by digit. */
static void
ijson_int(struct ijson *j, const char *key, int64_t v)
{
	char	buf[24], *p = buf + sizeof(buf);

	if (v < 0)
		return;
	ijson_key(j, key);
	do {
		*--p = (char)('0' + v % 10);
	} while ((v /= 10) != 0);
	ijson_raw(j, p, (size_t)(buf + sizeof(buf) - p));
}

static void
ijson_time(struct ijson *j, const char *key, int64_t t)
{
	char	buf[32];

	if (t == REC_TIME_NONE)
		return;
	ptime_format(t, buf, sizeof(buf));
	ijson_str(j, key, buf);
}

static void
incident_json_objects(struct ijson *j, const struct incident *inc)
{
	struct incident_object	**v;
	size_t			  i;

	v = incident_sorted(inc);
	ijson_open(j, "objects", '[');
	for (i = 0; i < inc->nobjects && i < CORRELATE_MAXOBJECTS; i++) {
		ijson_open(j, NULL, '{');
		ijson_str(j, "dn", v[i]->dn);
		ijson_str(j, "upn", v[i]->upn);
		ijson_str(j, "sam", v[i]->sam);
		ijson_int(j, "retries", v[i]->retries);
		ijson_close(j, '}');
	}
	ijson_close(j, ']');
	free(v);
}

static void
incident_json_evidence(struct ijson *j, const struct incident *inc)
{
	int	s;

	ijson_open(j, "evidence", '[');
	for (s = 0; s < REC_SRC_MAX; s++)
		if (inc->evidence & (1U << s))
			ijson_str(j, NULL, record_source_name(
			    (enum rec_source)s));
	ijson_close(j, ']');
}

static void
incident_json_alert(struct ijson *j, const struct incident *inc)
{
	ijson_open(j, "health_alert", '{');
	ijson_str(j, "title", inc->alert.title);
	ijson_str(j, "alert", inc->alert.alert);
	ijson_time(j, "raised", inc->alert.raised);
	ijson_time(j, "resolved", inc->alert.resolved);
	ijson_str(j, "message_id", inc->alert.message_id);
	ijson_close(j, '}');
}

static void
incident_json_lines(struct ijson *j, const struct incident *inc)
{
	char	*lines[INCIDENT_JSON_MAXLINES];
	size_t	 n, i;

	if ((n = remedy_lines(inc, lines, INCIDENT_JSON_MAXLINES)) == 0)
		return;
	ijson_open(j, "remediation", '[');
	for (i = 0; i < n; i++) {
		ijson_str(j, NULL, lines[i]);
		free(lines[i]);
	}
	ijson_close(j, ']');
}

/* The incident JSON for transition tr, one line (xmalloc'd). */
char *
incident_json(const struct incident *inc, enum incident_transition tr)
{
	struct ijson	 j = { NULL, 0, 0, 1 };
	char		 summary[1024];
	size_t		 i;

	ijson_grow(&j, 2048);
	ijson_char(&j, '{');
	ijson_str(&j, "id", inc->id);
	ijson_str(&j, "state", incident_transition_name(tr));
	ijson_str(&j, "class", incident_class_name(inc->cls));
	ijson_str(&j, "host", inc->host);
	ijson_str(&j, "connector", inc->connector);
	if (inc->conn_kind != REC_CONN_UNKNOWN)
		ijson_str(&j, "connector_kind",
		    record_conn_name(inc->conn_kind));
	ijson_str(&j, "attribute", inc->attribute);
	ijson_str(&j, "value", inc->value);
	if (inc->nowners > 0) {
		ijson_open(&j, "owners", '[');
		for (i = 0; i < inc->nowners; i++)
			ijson_str(&j, NULL, inc->owners[i]);
		ijson_close(&j, ']');
	}
	ijson_str(&j, "ou", inc->cls == INC_PERMISSION_MISSING ? inc->ou :
	    NULL);
	if (inc->nobjects > 0) {
		incident_json_objects(&j, inc);
		ijson_int(&j, "object_count", (int64_t)inc->nobjects);
	}
	ijson_str(&j, "error_type", inc->error_type);
	if (inc->error_name != NULL && (inc->error_type == NULL ||
	    strcmp(inc->error_name, inc->error_type) != 0))
		ijson_str(&j, "error_name", inc->error_name);
	ijson_int(&j, "error_code", inc->error_code);
	if (inc->cls == INC_AD_EXPORT_ERROR)
		ijson_str(&j, "error_literal", inc->literal);
	ijson_str(&j, "detail", inc->detail);
	ijson_int(&j, "retries", incident_retries(inc));
	ijson_time(&j, "first_seen", inc->first_seen);
	ijson_time(&j, "last_seen", inc->last_seen);
	if (inc->ad_only)
		ijson_str(&j, "pattern", "ad-connector-only");
	if (inc->protect == INC_PROT_ADMINCOUNT)
		ijson_str(&j, "protected", "adminCount");
	else if (inc->protect == INC_PROT_INFERRED)
		ijson_str(&j, "protected", "inferred");
	incident_json_evidence(&j, inc);
	if (inc->alert.title != NULL || inc->alert.alert != NULL)
		incident_json_alert(&j, inc);
	remedy_summary(inc, summary, sizeof(summary));
	ijson_str(&j, "summary", summary);
	incident_json_lines(&j, inc);
	ijson_char(&j, '}');
	j.buf[j.len] = '\0';
	return (j.buf);
}
