/*
 * email_report.c: the sync-error report mail (FORMATS.md §4.2) read into
 * one REC_CLOUD_ERROR per error it lists.  Its layout was never seen in
 * full, so it is read leniently: rows of an HTML table (tab-separated
 * cells, columns named by a header row when there is one), "Label: value"
 * lines, or blocks of text where an error sentence stands out by its
 * wording or its "[UserPrincipalName john@contoso.com;]".
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "parsers.h"
#include "email.h"

#define EMAIL_REPORT_MAXCELLS	32	/* table cells of a row looked at */

/* Columns and labels of the report. */
enum email_col {
	EMAIL_COL_NONE = 0,
	EMAIL_COL_OBJECT,
	EMAIL_COL_DESC,
	EMAIL_COL_OBJID,
	EMAIL_COL_IMMUTABLE,
	EMAIL_COL_ATTR,
	EMAIL_COL_TYPE,
	EMAIL_COL_TIME,
	EMAIL_COL_MAX
};

/* The report being read, and the error being gathered. */
struct email_report {
	struct email_msg	*m;
	email_emit_cb		 emit;
	void			*arg;
	char			 field[EMAIL_COL_MAX][EMAIL_MAXFIELD];
	int			 open;		/* a description goes on */
	enum email_col		 cols[EMAIL_REPORT_MAXCELLS];
	int			 ncols;		/* from a header row */
	int			 records;
};

/* The role of a report column or label named s ("Error type:"). */
static enum email_col
email_report_col(const char *s)
{
	static const struct {
		const char	*name;
		enum email_col	 col;
	} names[] = {
		{ "object identity", EMAIL_COL_OBJECT },
		{ "object", EMAIL_COL_OBJECT },
		{ "identity", EMAIL_COL_OBJECT },
		{ "object name", EMAIL_COL_OBJECT },
		{ "display name", EMAIL_COL_OBJECT },
		{ "displayname", EMAIL_COL_OBJECT },
		{ "user", EMAIL_COL_OBJECT },
		{ "userprincipalname", EMAIL_COL_OBJECT },
		{ "error description", EMAIL_COL_DESC },
		{ "description", EMAIL_COL_DESC },
		{ "error", EMAIL_COL_DESC },
		{ "error message", EMAIL_COL_DESC },
		{ "error details", EMAIL_COL_DESC },
		{ "object id", EMAIL_COL_OBJID },
		{ "objectid", EMAIL_COL_OBJID },
		{ "on-premises object id", EMAIL_COL_IMMUTABLE },
		{ "immutableid", EMAIL_COL_IMMUTABLE },
		{ "immutable id", EMAIL_COL_IMMUTABLE },
		{ "source anchor", EMAIL_COL_IMMUTABLE },
		{ "attribute(s)", EMAIL_COL_ATTR },
		{ "attribute", EMAIL_COL_ATTR },
		{ "attributes", EMAIL_COL_ATTR },
		{ "property", EMAIL_COL_ATTR },
		{ "error type", EMAIL_COL_TYPE },
		{ "category", EMAIL_COL_TYPE },
		{ "error category", EMAIL_COL_TYPE },
		{ "time", EMAIL_COL_TIME },
		{ "date", EMAIL_COL_TIME },
		{ "time (utc)", EMAIL_COL_TIME },
		{ "time occurred", EMAIL_COL_TIME },
		{ "timeoccurred (utc)", EMAIL_COL_TIME },
		{ "date occurred", EMAIL_COL_TIME },
		{ "occurred", EMAIL_COL_TIME },
		{ "when started", EMAIL_COL_TIME },
	};
	size_t	i, len = strlen(s);

	while (len > 0 && (s[len - 1] == ':' || s[len - 1] == ' '))
		len--;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strlen(names[i].name) == len &&
		    strncasecmp(names[i].name, s, len) == 0)
			return (names[i].col);
	}
	return (EMAIL_COL_NONE);
}

/*
 * Whether s names a contested value as the report does, "[ProxyAddresses
 * SMTP:john@contoso.com;]", and not some other word in brackets.
 */
static int
email_report_conflict(struct pconflict *pc, const char *s)
{
	return (pconflict_text(pc, s) == 0 && pc->value != NULL &&
	    strstr(s, ";]") != NULL);
}

/* Where an error sentence starts in s, or NULL when none does. */
static char *
email_report_start(char *s)
{
	static const char *const starts[] = { "unable to update",
	    "unable to create", "a synchronized object with the same" };
	struct pconflict	 pc;
	char			*p, *best = NULL;
	size_t			 i;

	for (i = 0; i < sizeof(starts) / sizeof(starts[0]); i++) {
		if ((p = strcasestr(s, starts[i])) != NULL &&
		    (best == NULL || p < best))
			best = p;
	}
	if (best == NULL && email_report_conflict(&pc, s))
		best = s;
	return (best);
}

/* Emits the gathered error, if there is one, and starts afresh. */
static int
email_report_flush(struct email_report *rp)
{
	struct record		 r;
	struct rec_cloud_error	*c = &r.u.cloud;
	struct pconflict	 pc;
	char			*desc = rp->field[EMAIL_COL_DESC];
	int			 dup, rc = 0;

	if (desc[0] != '\0') {
		pvalue_fold(desc);
		memset(&r, 0, sizeof(r));
		r.kind = REC_CLOUD_ERROR;
		r.source = REC_SRC_CLOUD;
		r.time = email_when(rp->field[EMAIL_COL_TIME]);
		if (r.time == REC_TIME_NONE)
			r.time = rp->m->date;
		if (email_report_conflict(&pc, desc)) {
			c->property = pc.attr;
			c->value = pc.value;
		}
		if (c->property == NULL && rp->field[EMAIL_COL_ATTR][0] != '\0')
			c->property = rp->field[EMAIL_COL_ATTR];
		if (c->property == NULL &&
		    strcasestr(desc, "same proxy address") != NULL)
			c->property = "ProxyAddresses";
		dup = c->value != NULL ||
		    strcasestr(desc, "same proxy address") != NULL ||
		    strcasestr(desc, "associated with another object") != NULL;
		c->category = dup ? "PropertyConflict" :
		    rp->field[EMAIL_COL_TYPE][0] != '\0' ?
		    rp->field[EMAIL_COL_TYPE] : NULL;
		c->object = rp->field[EMAIL_COL_OBJECT][0] != '\0' ?
		    rp->field[EMAIL_COL_OBJECT] : NULL;
		c->object_id = rp->field[EMAIL_COL_OBJID][0] != '\0' ?
		    rp->field[EMAIL_COL_OBJID] : NULL;
		c->immutable_id = rp->field[EMAIL_COL_IMMUTABLE][0] != '\0' ?
		    rp->field[EMAIL_COL_IMMUTABLE] : NULL;
		c->error = desc;
		rp->records++;
		rc = rp->emit(&r, rp->arg);
	}
	memset(rp->field, 0, sizeof(rp->field));
	rp->open = 0;
	return (rc);
}

/* Appends s to the description being gathered, a space between. */
static void
email_report_desc(struct email_report *rp, const char *s)
{
	char	*d = rp->field[EMAIL_COL_DESC];
	size_t	 len = strlen(d);

	if (len > 0 && len + 1 < EMAIL_MAXFIELD)
		d[len++] = ' ';
	email_copy(d + len, EMAIL_MAXFIELD - len, s);
	rp->open = 1;
}

/*
 * A "Label: value" line of the report.  An object, or a second value for
 * a field, starts the next error.  0, or -1 when the parser must stop.
 */
static int
email_report_label(struct email_report *rp, enum email_col col, char *v)
{
	if ((col == EMAIL_COL_DESC || rp->field[col][0] != '\0' ||
	    col == EMAIL_COL_OBJECT) && rp->field[EMAIL_COL_DESC][0] != '\0' &&
	    email_report_flush(rp) == -1)
		return (-1);
	if (col == EMAIL_COL_DESC) {
		email_report_desc(rp, v);
		return (0);
	}
	rp->open = 0;
	email_copy(rp->field[col], EMAIL_MAXFIELD, v);
	return (0);
}

/*
 * A table row: tab-separated cells.  A header row names the columns; a
 * row with an error sentence is one error; a two-cell row with a label
 * first is a label line.  Returns 1 when the row was taken, 0 when it is
 * text after all, -1 when the parser must stop.
 */
static int
email_report_row(struct email_report *rp, char *s)
{
	char		*cell[EMAIL_REPORT_MAXCELLS], *p;
	enum email_col	 role;
	int		 n = 0, i, nroles = 0, desc = -1, full = 0;

	for (p = s; p != NULL && n < EMAIL_REPORT_MAXCELLS; ) {
		cell[n++] = p;
		if ((p = strchr(p, '\t')) != NULL)
			*p++ = '\0';
	}
	for (i = 0; i < n; i++) {
		cell[i] = email_trim(cell[i]);
		if (*cell[i] != '\0')
			full++;
		if (i < rp->ncols && rp->cols[i] == EMAIL_COL_DESC &&
		    *cell[i] != '\0')
			desc = i;
		if (email_report_col(cell[i]) != EMAIL_COL_NONE)
			nroles++;
	}
	/* A label cell and its value cell: a label line. */
	for (i = 0; full == 2 && nroles == 1 && i < n; i++) {
		if (*cell[i] == '\0')
			continue;
		if ((role = email_report_col(cell[i])) == EMAIL_COL_NONE)
			break;
		while (*cell[++i] == '\0')
			;
		return (email_report_label(rp, role, cell[i]) == -1 ? -1 : 1);
	}
	for (i = 0; i < n && desc < 0; i++)
		if (email_report_start(cell[i]) != NULL)
			desc = i;
	if (desc < 0 && nroles >= 2) {
		for (i = 0; i < n; i++)
			rp->cols[i] = email_report_col(cell[i]);
		rp->ncols = n;
		return (1);
	}
	if (desc < 0)
		return (0);
	if (email_report_flush(rp) == -1)
		return (-1);
	for (i = 0; i < n; i++) {
		role = i < rp->ncols ? rp->cols[i] : EMAIL_COL_NONE;
		if (i == desc)
			role = EMAIL_COL_DESC;
		else if (role == EMAIL_COL_NONE && rp->ncols == 0) {
			/* No header: a date is the time, else the object. */
			if (email_when(cell[i]) != REC_TIME_NONE)
				role = EMAIL_COL_TIME;
			else if (i < desc)
				role = EMAIL_COL_OBJECT;
		}
		if (role != EMAIL_COL_NONE && *cell[i] != '\0' &&
		    rp->field[role][0] == '\0')
			email_copy(rp->field[role], EMAIL_MAXFIELD, cell[i]);
	}
	return (email_report_flush(rp) == -1 ? -1 : 1);
}

/* One line of the report's text. */
static int
email_report_line(struct email_report *rp, char *line)
{
	struct pconflict	 pc;
	enum email_col		 col;
	char			*s = email_trim(line), *p, *colon, *d;
	int			 rc;

	if (*s == '\0')
		return (email_report_flush(rp));
	if (strchr(s, '\t') != NULL && (rc = email_report_row(rp, s)) != 0)
		return (rc == -1 ? -1 : 0);
	if ((colon = strchr(s, ':')) != NULL && colon - s < 40) {
		*colon = '\0';
		col = email_report_col(s);
		if (col != EMAIL_COL_NONE)
			return (email_report_label(rp, col,
			    email_trim(colon + 1)));
		*colon = ':';
	}
	if ((p = email_report_start(s)) != NULL) {
		/* A new error while the last one is whole: that one is done. */
		d = rp->field[EMAIL_COL_DESC];
		if (d[0] != '\0' && (email_report_conflict(&pc, d) ||
		    d[strlen(d) - 1] == '.') && email_report_flush(rp) == -1)
			return (-1);
		if (p > s && rp->field[EMAIL_COL_OBJECT][0] == '\0') {
			p[-1] = '\0';
			email_copy(rp->field[EMAIL_COL_OBJECT], EMAIL_MAXFIELD,
			    email_trim(s));
		}
		email_report_desc(rp, p);
		return (0);
	}
	if (rp->open)
		email_report_desc(rp, s);
	return (0);
}

/* The sync-error report: one record per error it lists. */
int
email_report(struct email_msg *m, email_emit_cb emit, void *arg)
{
	struct email_report	*rp;
	char			*texts[2], **v = NULL;
	size_t			 i, n;
	int			 t, rc = 0;

	if ((rp = calloc(1, sizeof(*rp))) == NULL)
		return (-1);
	rp->m = m;
	rp->emit = emit;
	rp->arg = arg;
	/* The HTML table first: its cells tell the columns apart. */
	texts[0] = m->html;
	texts[1] = m->plain;
	for (t = 0; t < 2 && rp->records == 0 && rc == 0; t++) {
		if (texts[t] == NULL)
			continue;
		free(v);
		if ((v = email_lines(texts[t], &n)) == NULL) {
			rc = -1;
			break;
		}
		memset(rp->field, 0, sizeof(rp->field));
		rp->open = 0;
		rp->ncols = 0;
		for (i = 0; i < n && rc == 0; i++)
			rc = email_report_line(rp, v[i]);
		if (rc == 0)
			rc = email_report_flush(rp);
	}
	if (rc == 0)
		rc = rp->records;
	free(v);
	free(rp);
	return (rc);
}
