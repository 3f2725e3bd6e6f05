/*
 * evt.c: one Windows event, whatever it was exported as, into the record
 * it stands for.  The event formats differ in what they carry: wevtutil
 * /f:xml and .evtx have the unnamed data items but no message text;
 * PowerShell 5.1's JSON and CSV have the message but only type names for
 * the data; Winlogbeat and RenderedXml have both.  So each field is taken
 * from the data items when they are there and from the message text when
 * not (FORMATS.md §1.3: MA name, run profile, then the five counters of
 * the "Additional Information" block, in that order).
 *
 * 6100 and 6050 become run records, 6941 an AAD export-error record.
 * Every other event, and any event of another provider, is skipped.
 */

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "parsers.h"

#define EVT_MAXFIELD	1024

/* The providers whose events syncorr reads (FORMATS.md §1.1). */
static const char *const evt_providers[] = {
	"ADSync",
	"Directory Synchronization",
	"FIMSynchronizationService",
};

/* The counter lines of the "Additional Information" block, in order. */
static const struct {
	const char		*label;
	enum rec_counter	 counter;
} evt_counters[] = {
	{ "Discovery Errors", REC_CNT_DISCOVERY_ERRORS },
	{ "Synchronization Errors", REC_CNT_SYNC_ERRORS },
	{ "Metaverse Retry Errors", REC_CNT_MV_RETRY_ERRORS },
	{ "Export Errors", REC_CNT_EXPORT_ERRORS },
	{ "Warnings", REC_CNT_WARNINGS },
};

static int
evt_provider_ok(const char *p)
{
	size_t	i;

	if (p == NULL)
		return (1);	/* an export without it: judge by the id */
	for (i = 0; i < sizeof(evt_providers) / sizeof(evt_providers[0]); i++)
		if (strcasecmp(p, evt_providers[i]) == 0)
			return (1);
	return (0);
}

/* A counter's text: digits, maybe quoted and padded; -1 if not one. */
static int64_t
evt_count(const char *s, size_t len)
{
	char	buf[32];
	int64_t	v;

	while (len > 0 && (*s == '"' || isspace((unsigned char)*s))) {
		s++;
		len--;
	}
	while (len > 0 && (s[len - 1] == '"' ||
	    isspace((unsigned char)s[len - 1])))
		len--;
	if (len == 0 || len >= sizeof(buf))
		return (-1);
	memcpy(buf, s, len);
	buf[len] = '\0';
	return (pvalue_int(buf, &v) == 0 && v >= 0 ? v : -1);
}

/* The quoted text after marker in msg, into buf; NULL if not found. */
static const char *
evt_quoted(const char *msg, const char *marker, char *buf, size_t bufsz)
{
	const char	*p, *q;
	size_t		 len;

	if (msg == NULL || (p = strstr(msg, marker)) == NULL)
		return (NULL);
	p += strlen(marker);
	while (*p == ' ')
		p++;
	if (*p++ != '"' || (q = strchr(p, '"')) == NULL)
		return (NULL);
	len = (size_t)(q - p);
	if (len == 0 || len >= bufsz)
		return (NULL);
	memcpy(buf, p, len);
	buf[len] = '\0';
	return (buf);
}

/* The value after "label" and its colon on some line of msg; -1 if none. */
static int64_t
evt_msg_counter(const char *msg, const char *label)
{
	const char	*p, *end;
	size_t		 n = strlen(label);

	for (p = msg; p != NULL && (p = strstr(p, label)) != NULL; p += n) {
		/* The label starts a line (after the block's one space). */
		if (p != msg && p[-1] != ' ' && p[-1] != '\n')
			continue;
		end = p + n;
		while (*end == ' ' || *end == '\t')
			end++;
		if (*end != ':')
			continue;
		end++;
		p = end;
		while (*end != '\0' && *end != '\r' && *end != '\n')
			end++;
		return (evt_count(p, (size_t)(end - p)));
	}
	return (-1);
}

/* 6100 and 6050: a run-profile step of one management agent. */
static int
evt_run(const struct evt *e, rec_cb cb, void *arg)
{
	struct record	 r;
	struct rec_run	*run = &r.u.run;
	char		 ma[EVT_MAXFIELD], prof[EVT_MAXFIELD];
	size_t		 i;
	int64_t		 v;

	memset(&r, 0, sizeof(r));
	r.kind = REC_RUN;
	r.source = e->id == 6050 ? REC_SRC_EVENT_6050 : REC_SRC_EVENT_6100;
	r.host = e->computer;
	r.time = e->time;
	run->conn_code = run->run_number = run->step_number = -1;
	run->start = REC_TIME_NONE;
	run->end = e->time;
	for (i = 0; i < REC_CNT_MAX; i++)
		run->counters[i] = -1;

	if (e->ndata >= 2 && e->data[0] != NULL && e->data[0][0] != '\0') {
		r.connector = e->data[0];
		run->profile = e->data[1];
	} else {
		r.connector = evt_quoted(e->message, "management agent", ma,
		    sizeof(ma));
		run->profile = evt_quoted(e->message, "run profile", prof,
		    sizeof(prof));
	}
	for (i = 0; i < sizeof(evt_counters) / sizeof(evt_counters[0]); i++) {
		v = -1;
		if (e->ndata >= 2 + i + 1 && e->data[2 + i] != NULL)
			v = evt_count(e->data[2 + i], strlen(e->data[2 + i]));
		if (v == -1 && e->message != NULL)
			v = evt_msg_counter(e->message, evt_counters[i].label);
		run->counters[evt_counters[i].counter] = v;
	}
	r.conn_kind = record_conn_kind(r.connector);

	/* The step result the event stands for. */
	if (e->id == 6050)
		run->result = "stopped-connectivity";
	else if (run->counters[REC_CNT_EXPORT_ERRORS] > 0)
		run->result = "completed-export-errors";
	else if (run->counters[REC_CNT_SYNC_ERRORS] > 0)
		run->result = "completed-sync-errors";
	else if (run->counters[REC_CNT_DISCOVERY_ERRORS] > 0)
		run->result = "completed-discovery-errors";
	else if (run->counters[REC_CNT_WARNINGS] > 0)
		run->result = "completed-warnings";
	else
		run->result = "completed-errors";
	return (cb(&r, arg) == -1 ? -1 : 1);
}

/*
 * The rest of the line after label in text, trimmed, into buf; NULL if
 * the label is not there.  With rest set, everything to the end.
 */
static const char *
evt_field(const char *text, const char *label, int rest, char *buf,
    size_t bufsz)
{
	const char	*p, *end;
	size_t		 len;

	if ((p = strstr(text, label)) == NULL)
		return (NULL);
	p += strlen(label);
	end = rest ? p + strlen(p) : p + strcspn(p, "\r\n");
	len = (size_t)(end - p);
	pvalue_trim(&p, &len);
	if (len == 0)
		return (NULL);
	if (len >= bufsz)
		len = bufsz - 1;
	memcpy(buf, p, len);
	buf[len] = '\0';
	return (buf);
}

/* 6941: one failed AAD export, with the object's DN and the error. */
static int
evt_export_error(const struct evt *e, rec_cb cb, void *arg)
{
	struct record		 r;
	struct rec_export_error	*x = &r.u.xerr;
	struct pconflict	 pc;
	char			 dn[EVT_MAXFIELD], name[EVT_MAXFIELD];
	char			 detail[4 * EVT_MAXFIELD], joined[8192];
	const char		*text = e->message;
	size_t			 i, len, n;
	int			 rc;

	if (text == NULL) {
		/* No rendered message: the data items hold its parts. */
		for (i = 0, len = 0; i < e->ndata; i++) {
			n = e->data[i] != NULL ? strlen(e->data[i]) : 0;
			if (len + n + 2 > sizeof(joined))
				break;
			if (n > 0)
				memcpy(joined + len, e->data[i], n);
			len += n;
			joined[len++] = '\n';
		}
		joined[len] = '\0';
		text = joined;
	}
	memset(&r, 0, sizeof(r));
	r.kind = REC_EXPORT_ERROR;
	r.source = REC_SRC_EVENT_6941;
	r.host = e->computer;
	r.conn_kind = REC_CONN_AAD;
	r.time = e->time;
	x->error_code = x->retry_count = -1;
	x->admin_count = -1;
	x->first_occurred = REC_TIME_NONE;
	x->date_occurred = e->time;
	x->dn = evt_field(text, "DN:", 0, dn, sizeof(dn));
	x->error_name = evt_field(text, "Error Name:", 0, name, sizeof(name));
	x->error_type = x->error_name;
	x->literal = evt_field(text, "Error Detail:", 1, detail,
	    sizeof(detail));
	if (x->literal == NULL)
		x->literal = evt_field(text, "", 1, detail, sizeof(detail));
	if (x->literal != NULL)
		pvalue_fold(detail);
	if (pconflict_text(&pc, x->literal) == 0) {
		x->conflict_attr = pc.attr;
		x->conflict_value = pc.value;
	}
	rc = cb(&r, arg);
	return (rc == -1 ? -1 : 1);
}

/* Whether an event of this id and provider gives a record at all. */
int
evt_wanted(uint32_t id, const char *provider)
{
	return ((id == 6100 || id == 6050 || id == 6941) &&
	    evt_provider_ok(provider));
}

int
evt_emit(const struct evt *e, rec_cb cb, void *arg)
{
	if (!evt_wanted(e->id, e->provider))
		return (0);
	switch (e->id) {
	case 6100:
	case 6050:
		return (evt_run(e, cb, arg));
	case 6941:
		return (evt_export_error(e, cb, arg));
	default:
		return (0);
	}
}
