/*
 * email_alert.c: a Microsoft Entra Connect Health alert mail (FORMATS.md
 * §4.1) read into one REC_HEALTH_ALERT.  The fields are "Label: value"
 * lines of the body, or two-cell table rows of its HTML, or a label with
 * its value on the next line; the alert's title is matched against the
 * alert catalogue in every wording Microsoft used over the years, so that
 * the correlator sees one name per alert whatever the mail's age.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "parsers.h"
#include "email.h"

/*
 * The catalogue name of an alert title (FORMATS.md §4.1).  The title is
 * lowered, its blanks folded, a trailing period dropped, and the names
 * the directory had over the years (Azure Active Directory, Azure AD,
 * Microsoft Entra ID) all become "aad", so one entry covers every wording.
 */
static const char *
email_alert_name(const char *title, enum rec_conn *conn)
{
	static const struct {
		const char	*from, *to;
	} words[] = {
		{ "microsoft entra id", "aad" },
		{ "azure active directory", "aad" },
		{ "microsoft entra", "aad" },
		{ "azure ad", "aad" },
		{ "isn't", "is not" },
		{ "isn\xe2\x80\x99t", "is not" },
	};
	static const struct {
		const char	*title, *name;
		enum rec_conn	 conn;
		int		 prefix;
	} cat[] = {
		{ "export to active directory failed", "export-to-ad-failed",
		    REC_CONN_AD, 0 },
		{ "import from active directory failed",
		    "import-from-ad-failed", REC_CONN_AD, 0 },
		{ "export to aad failed", "export-to-aad-failed",
		    REC_CONN_AAD, 0 },
		{ "import from aad failed", "import-from-aad-failed",
		    REC_CONN_AAD, 0 },
		{ "connection to aad failed due to authentication failure",
		    "aad-authentication-failed", REC_CONN_AAD, 0 },
		{ "aad connect sync service is not running",
		    "sync-service-not-running", REC_CONN_UNKNOWN, 0 },
		{ "aad sync service is not running",
		    "sync-service-not-running", REC_CONN_UNKNOWN, 0 },
		{ "health service data is not up to date",
		    "health-data-stale", REC_CONN_UNKNOWN, 0 },
		{ "password hash synchronization heartbeat was skipped",
		    "phs-heartbeat-skipped", REC_CONN_UNKNOWN, 1 },
		{ "password hash synchronization stopped working",
		    "phs-stopped", REC_CONN_UNKNOWN, 0 },
		{ "password hash synchronization has stopped working",
		    "phs-stopped", REC_CONN_UNKNOWN, 0 },
		{ "high cpu usage detected", "high-cpu", REC_CONN_UNKNOWN, 0 },
		{ "high memory consumption detected", "high-memory",
		    REC_CONN_UNKNOWN, 0 },
		{ "export to aad was stopped. accidental delete threshold "
		    "was reached", "delete-threshold-reached", REC_CONN_AAD,
		    0 },
	};
	char	 norm[256];
	size_t	 n = 0, i, k, len;
	int	 blank = 0;

	*conn = REC_CONN_UNKNOWN;
	for (; *title != '\0' && n < sizeof(norm) - 8; ) {
		if (*title == ' ' || *title == '\t' || *title == '\r' ||
		    *title == '\n' || ((unsigned char)title[0] == 0xc2 &&
		    (unsigned char)title[1] == 0xa0)) {
			title += (unsigned char)*title == 0xc2 ? 2 : 1;
			blank = n > 0;
			continue;
		}
		if (blank)
			norm[n++] = ' ';
		blank = 0;
		for (k = 0; k < sizeof(words) / sizeof(words[0]); k++) {
			len = strlen(words[k].from);
			if (strncasecmp(title, words[k].from, len) == 0 &&
			    !((title[len] | 0x20) >= 'a' &&
			    (title[len] | 0x20) <= 'z')) {
				memcpy(norm + n, words[k].to,
				    strlen(words[k].to));
				n += strlen(words[k].to);
				title += len;
				break;
			}
		}
		if (k == sizeof(words) / sizeof(words[0])) {
			norm[n++] = *title >= 'A' && *title <= 'Z' ?
			    (char)(*title | 0x20) : *title;
			title++;
		}
	}
	while (n > 0 && (norm[n - 1] == '.' || norm[n - 1] == ' '))
		n--;
	norm[n] = '\0';
	for (i = 0; i < sizeof(cat) / sizeof(cat[0]); i++) {
		len = strlen(cat[i].title);
		if (cat[i].prefix ? strncmp(norm, cat[i].title, len) == 0 :
		    strcmp(norm, cat[i].title) == 0) {
			*conn = cat[i].conn;
			return (cat[i].name);
		}
	}
	return ("other");
}

/*
 * The value after label at the start of line s ("Title:  x", "Title:",
 * "Title\tx" from a table row), or NULL when s is not that label's line.
 */
static char *
email_alert_value(char *s, const char *label)
{
	size_t	len = strlen(label);

	if (strncasecmp(s, label, len) != 0)
		return (NULL);
	s += len;
	while (*s == ' ')
		s++;
	if (*s != ':' && *s != '\t')
		return (NULL);
	s++;
	return (email_trim(s));
}

enum {
	EMAIL_A_TITLE, EMAIL_A_DESC, EMAIL_A_RAISED, EMAIL_A_SERVER,
	EMAIL_A_SERVICE, EMAIL_A_TENANT, EMAIL_A_MAX
};
static const char *const email_alert_labels[EMAIL_A_MAX] = {
	"Title", "Description", "Raised", "Server", "Service", "Tenant"
};

/* Whether s is the line of one of the alert's labels. */
static int
email_alert_islabel(char *s)
{
	int	k;

	for (k = 0; k < EMAIL_A_MAX; k++)
		if (email_alert_value(s, email_alert_labels[k]) != NULL)
			return (1);
	return (0);
}

/* The alert's fields and state from the lines of its body. */
static void
email_alert_fields(char **lines, size_t n, char **f,
    enum rec_alert_state *state)
{
	size_t	 i, j;
	char	*s, *v;
	int	 k;

	for (i = 0; i < n; i++) {
		s = email_trim(lines[i]);
		if (strcasecmp(s, "RAISED") == 0 ||
		    strcasecmp(s, "ACTIVE") == 0) {
			if (*state == REC_ALERT_UNKNOWN)
				*state = REC_ALERT_RAISED;
			continue;
		}
		if (strcasecmp(s, "RESOLVED") == 0) {
			if (*state == REC_ALERT_UNKNOWN)
				*state = REC_ALERT_RESOLVED;
			continue;
		}
		for (k = 0; k < EMAIL_A_MAX; k++) {
			if (f[k] != NULL || (v = email_alert_value(s,
			    email_alert_labels[k])) == NULL)
				continue;
			/* "Title:" alone: the value is the next line. */
			for (j = i + 1; *v == '\0' && j < n; j++) {
				s = email_trim(lines[j]);
				if (*s == '\0')
					continue;
				if (!email_alert_islabel(s))
					v = s;
				break;
			}
			if (*v != '\0')
				f[k] = v;
			break;
		}
	}
}

/* The title a subject gives: what comes before " - You have …". */
static char *
email_alert_subject(const char *subject)
{
	const char	*p;
	char		*t;
	size_t		 len;
	int		 dash = 0;

	if ((t = email_dup(subject)) == NULL)
		return (NULL);
	if ((p = strcasestr(t, "you have")) != NULL) {
		len = (size_t)(p - t);
		while (len > 0 && (t[len - 1] == ' ' || t[len - 1] == '-' ||
		    t[len - 1] == ':' || (len >= 3 &&
		    memcmp(t + len - 3, "\xe2\x80", 2) == 0 &&
		    (t[len - 1] == '\x93' || t[len - 1] == '\x94')))) {
			if (t[len - 1] == ' ' || t[len - 1] == ':')
				len--;
			else {
				dash = 1;
				len -= t[len - 1] == '-' ? 1 : 3;
			}
		}
		if (dash && len > 0)
			t[len] = '\0';
	}
	return (t);
}

/* "Resolved: x", "Resolved - x": the state, and s past it. */
static char *
email_alert_resolved(char *s, enum rec_alert_state *state)
{
	if (s == NULL || strncasecmp(s, "resolved", 8) != 0 ||
	    (s[8] != ':' && s[8] != ' ' && s[8] != '-'))
		return (s);
	*state = REC_ALERT_RESOLVED;
	s += 8;
	while (*s == ':' || *s == ' ' || *s == '-')
		s++;
	return (s);
}

/*
 * A Connect Health alert mail: one record.  A mail from the same senders
 * that is no alert (Entra sends many kinds) is skipped: it must have a
 * Title field, or an alert subject, or say Connect Health.
 */
int
email_alert(struct email_msg *m, email_emit_cb emit, void *arg)
{
	struct record		 r;
	struct rec_health_alert	*a = &r.u.alert;
	char			*f[EMAIL_A_MAX], *text, *title, **v = NULL;
	char			*fromsubj = NULL;
	size_t			 n;
	int			 k, rc = 0, tries, health;

	health = (m->subject != NULL && (strcasestr(m->subject, "you have")
	    != NULL || strcasestr(m->subject, "connect health") != NULL)) ||
	    (m->plain != NULL && strcasestr(m->plain, "connect health")) ||
	    (m->html != NULL && strcasestr(m->html, "connect health"));
	memset(&r, 0, sizeof(r));
	memset(f, 0, sizeof(f));
	/* The text part first; the HTML one when the text has no fields. */
	for (tries = 0; tries < 2 && f[EMAIL_A_TITLE] == NULL; tries++) {
		text = tries == 0 ? (m->plain != NULL ? m->plain : m->html) :
		    (m->plain != NULL ? m->html : NULL);
		if (text == NULL)
			break;
		free(v);
		if ((v = email_lines(text, &n)) == NULL)
			return (-1);
		memset(f, 0, sizeof(f));
		a->state = REC_ALERT_UNKNOWN;
		email_alert_fields(v, n, f, &a->state);
	}
	if (f[EMAIL_A_TITLE] == NULL && !health)
		goto out;
	for (k = 0; k < EMAIL_A_MAX; k++) {
		if (f[k] != NULL) {
			email_copy(f[k], EMAIL_MAXFIELD, f[k]);
			pvalue_fold(f[k]);
		}
	}
	title = f[EMAIL_A_TITLE];
	if (title == NULL && m->subject != NULL &&
	    (title = fromsubj = email_alert_subject(m->subject)) == NULL) {
		rc = -1;
		goto out;
	}
	(void)email_alert_resolved(m->subject, &a->state);
	title = email_alert_resolved(title, &a->state);

	r.kind = REC_HEALTH_ALERT;
	r.source = REC_SRC_HEALTH_EMAIL;
	r.host = f[EMAIL_A_SERVER];
	a->alert = title != NULL ? email_alert_name(title, &r.conn_kind) :
	    "other";
	a->title = title;
	a->description = f[EMAIL_A_DESC];
	a->raised = email_when(f[EMAIL_A_RAISED]);
	a->server = f[EMAIL_A_SERVER];
	a->service = f[EMAIL_A_SERVICE];
	a->tenant = f[EMAIL_A_TENANT];
	a->sender = m->sender;
	a->subject = m->subject;
	a->message_id = m->msgid;
	r.time = a->raised != REC_TIME_NONE ? a->raised : m->date;
	rc = emit(&r, arg) == -1 ? -1 : 1;
out:
	free(fromsubj);
	free(v);
	return (rc);
}
