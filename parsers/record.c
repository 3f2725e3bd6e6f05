/*
 * record.c: helpers around struct record.  A parser's record points into
 * the parser's buffers; record_dup copies it into one allocation so a
 * driver can keep it (replay sorts every record by event time before the
 * correlator sees any).  record_cmp is the total order that makes replay
 * output independent of the order files were named in.
 */

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "parsers.h"

#define RECORD_MAXSTR	(16 + REC_MAXATTRS)

/*
 * The addresses of every string field of r, so that copying and comparing
 * walk one list instead of repeating the field names.
 */
static size_t
record_strings(const struct record *r, const char *const **v)
{
	const struct rec_export_error	*x = &r->u.xerr;
	const struct rec_run		*run = &r->u.run;
	const struct rec_health_alert	*a = &r->u.alert;
	const struct rec_cloud_error	*c = &r->u.cloud;
	size_t				 n = 0, i;

	v[n++] = &r->host;
	v[n++] = &r->connector;
	switch (r->kind) {
	case REC_RUN:
		v[n++] = &run->profile;
		v[n++] = &run->step_type;
		v[n++] = &run->result;
		v[n++] = &run->connection;
		v[n++] = &run->conn_server;
		v[n++] = &run->conn_literal;
		v[n++] = &run->run_id;
		break;
	case REC_HEALTH_ALERT:
		v[n++] = &a->alert;
		v[n++] = &a->title;
		v[n++] = &a->description;
		v[n++] = &a->server;
		v[n++] = &a->service;
		v[n++] = &a->tenant;
		v[n++] = &a->sender;
		v[n++] = &a->subject;
		v[n++] = &a->message_id;
		break;
	case REC_CLOUD_ERROR:
		v[n++] = &c->object;
		v[n++] = &c->object_id;
		v[n++] = &c->object_type;
		v[n++] = &c->upn;
		v[n++] = &c->immutable_id;
		v[n++] = &c->category;
		v[n++] = &c->property;
		v[n++] = &c->value;
		v[n++] = &c->error;
		break;
	case REC_EXPORT_ERROR:
		v[n++] = &x->dn;
		v[n++] = &x->cs_id;
		v[n++] = &x->object_type;
		v[n++] = &x->error_type;
		v[n++] = &x->error_name;
		v[n++] = &x->literal;
		v[n++] = &x->server_detail;
		v[n++] = &x->extra_details;
		v[n++] = &x->conflict_attr;
		v[n++] = &x->conflict_value;
		v[n++] = &x->object_id;
		v[n++] = &x->conflict_object_id;
		v[n++] = &x->upn;
		v[n++] = &x->sam;
		for (i = 0; i < x->nattrs && i < REC_MAXATTRS; i++)
			v[n++] = &x->attrs[i];
		break;
	default:
		break;
	}
	return (n);
}

/*
 * A copy of r in one block from alloc: the struct, then its strings, each
 * measured once.  NULL when alloc gives none.
 */
struct record *
record_clone(const struct record *r, const char *host, record_alloc_cb alloc,
    void *arg)
{
	const char *const	*src[RECORD_MAXSTR + 2];
	const char		**dst;
	size_t			 len[RECORD_MAXSTR + 2];
	struct record		*c;
	size_t			 n, i, total = sizeof(*c);
	char			*p;

	n = record_strings(r, src);
	for (i = 0; i < n; i++) {
		if (i == 0 && *src[i] == NULL && host != NULL)
			len[i] = strlen(host) + 1;
		else
			len[i] = *src[i] != NULL ? strlen(*src[i]) + 1 : 0;
		total += len[i];
	}
	if ((c = alloc(arg, total)) == NULL)
		return (NULL);
	memcpy(c, r, sizeof(*c));
	p = (char *)(c + 1);
	n = record_strings(c, src);
	for (i = 0; i < n; i++) {
		/* src[i] points into c: the same field of the copy. */
		dst = (const char **)(uintptr_t)src[i];
		if (i == 0 && *dst == NULL && host != NULL)
			*dst = host;
		if (*dst == NULL)
			continue;
		memcpy(p, *dst, len[i]);
		*dst = p;
		p += len[i];
	}
	return (c);
}

static void *
record_malloc_cb(void *arg, size_t size)
{
	(void)arg;
	return (malloc(size));
}

/* A copy of r in one allocation (free with free()); NULL on no memory. */
struct record *
record_dup(const struct record *r, const char *host)
{
	return (record_clone(r, host, record_malloc_cb, NULL));
}

static int
record_strcmp(const char *a, const char *b)
{
	if (a == b)
		return (0);
	if (a == NULL)
		return (-1);
	if (b == NULL)
		return (1);
	return (strcmp(a, b));
}

static int
record_intcmp(int64_t a, int64_t b)
{
	return ((a > b) - (a < b));
}

/*
 * Orders by event time, then host, kind and every field, so that two runs
 * over the same records sort them the same way whatever order the files
 * were read in.  Records equal under this order are identical evidence.
 */
int
record_cmp(const struct record *a, const struct record *b)
{
	const char *const	*sa[RECORD_MAXSTR + 2], *const *sb[RECORD_MAXSTR + 2];
	const struct rec_export_error *xa = &a->u.xerr, *xb = &b->u.xerr;
	size_t			 na, nb, i;
	int			 c;

	if ((c = record_intcmp(a->time, b->time)) != 0)
		return (c);
	if ((c = record_strcmp(a->host, b->host)) != 0)
		return (c);
	if ((c = record_intcmp(a->kind, b->kind)) != 0)
		return (c);
	if ((c = record_intcmp(a->source, b->source)) != 0)
		return (c);
	if ((c = record_intcmp(a->conn_kind, b->conn_kind)) != 0)
		return (c);
	switch (a->kind) {
	case REC_EXPORT_ERROR:
		if ((c = record_intcmp(xa->error_code, xb->error_code)) != 0 ||
		    (c = record_intcmp(xa->first_occurred,
		    xb->first_occurred)) != 0 ||
		    (c = record_intcmp(xa->date_occurred,
		    xb->date_occurred)) != 0 ||
		    (c = record_intcmp(xa->retry_count, xb->retry_count)) != 0 ||
		    (c = record_intcmp(xa->admin_count, xb->admin_count)) != 0 ||
		    (c = record_intcmp(xa->nattrs, xb->nattrs)) != 0)
			return (c);
		break;
	case REC_RUN:
		if ((c = record_intcmp(a->u.run.start, b->u.run.start)) != 0 ||
		    (c = record_intcmp(a->u.run.end, b->u.run.end)) != 0 ||
		    (c = record_intcmp(a->u.run.run_number,
		    b->u.run.run_number)) != 0 ||
		    (c = record_intcmp(a->u.run.step_number,
		    b->u.run.step_number)) != 0 ||
		    (c = record_intcmp(a->u.run.conn_code,
		    b->u.run.conn_code)) != 0 ||
		    (c = memcmp(a->u.run.counters, b->u.run.counters,
		    sizeof(a->u.run.counters))) != 0)
			return (c);
		break;
	case REC_HEALTH_ALERT:
		if ((c = record_intcmp(a->u.alert.state,
		    b->u.alert.state)) != 0 ||
		    (c = record_intcmp(a->u.alert.raised,
		    b->u.alert.raised)) != 0)
			return (c);
		break;
	case REC_SNAPSHOT:
		if ((c = record_intcmp(a->u.snap.objects,
		    b->u.snap.objects)) != 0 ||
		    (c = record_intcmp(a->u.snap.export_errors,
		    b->u.snap.export_errors)) != 0 ||
		    (c = record_intcmp(a->u.snap.import_errors,
		    b->u.snap.import_errors)) != 0)
			return (c);
		break;
	default:
		break;
	}
	na = record_strings(a, sa);
	nb = record_strings(b, sb);
	for (i = 0; i < na && i < nb; i++)
		if ((c = record_strcmp(*sa[i], *sb[i])) != 0)
			return (c);
	return (record_intcmp(na, nb));
}

/* The JSON and log name of a record kind. */
const char *
record_kind_name(enum rec_kind k)
{
	switch (k) {
	case REC_RUN:
		return ("run");
	case REC_EXPORT_ERROR:
		return ("export-error");
	case REC_SNAPSHOT:
		return ("snapshot");
	case REC_HEALTH_ALERT:
		return ("health-alert");
	case REC_CLOUD_ERROR:
		return ("cloud-error");
	}
	return ("unknown");
}

/* The evidence name of a source, as incidents list it. */
const char *
record_source_name(enum rec_source s)
{
	static const char *names[REC_SRC_MAX] = {
		[REC_SRC_CSEXPORT] = "csexport",
		[REC_SRC_RUNHIST] = "run-history",
		[REC_SRC_RUNPROFILE] = "run-profile",
		[REC_SRC_EVENT_6100] = "event-6100",
		[REC_SRC_EVENT_6050] = "event-6050",
		[REC_SRC_EVENT_6941] = "event-6941",
		[REC_SRC_HEALTH_EMAIL] = "health-email",
		[REC_SRC_CLOUD] = "cloud-error",
	};

	if ((unsigned)s >= REC_SRC_MAX)
		return ("unknown");
	return (names[s]);
}

/*
 * The kind of a connector by its name: the AAD connector is named
 * "<tenant>.onmicrosoft.com - AAD" (shippers label its dumps just "aad");
 * any other name is an AD forest's.  Unknown for no name.
 */
enum rec_conn
record_conn_kind(const char *name)
{
	size_t	len;

	if (name == NULL || name[0] == '\0')
		return (REC_CONN_UNKNOWN);
	len = strlen(name);
	if (strcasecmp(name, "aad") == 0 ||
	    (len > 6 && strcasecmp(name + len - 6, " - AAD") == 0))
		return (REC_CONN_AAD);
	return (REC_CONN_AD);
}

/*
 * Whether id ("b891884f-…" or "{B891884F-…}", any case) is the connector
 * id every AAD connector has: run history and Get-ADSyncRunProfileResult
 * name it where a renamed connector hides the " - AAD" suffix.
 */
int
record_aad_id(const char *id)
{
	static const char	aad[] = "b891884f-051e-4a83-95af-2544101c9083";
	size_t			len;

	if (id == NULL)
		return (0);
	len = strlen(id);
	if (len > 2 && id[0] == '{' && id[len - 1] == '}') {
		id++;
		len -= 2;
	}
	return (len == sizeof(aad) - 1 && strncasecmp(id, aad, len) == 0);
}

/* "AD", "AAD" or NULL when unknown. */
const char *
record_conn_name(enum rec_conn k)
{
	switch (k) {
	case REC_CONN_AD:
		return ("AD");
	case REC_CONN_AAD:
		return ("AAD");
	default:
		return (NULL);
	}
}
