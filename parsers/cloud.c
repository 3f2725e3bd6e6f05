/*
 * cloud.c: cloud-side provisioning errors (FORMATS.md §4.3), the
 * directory's own view of a duplicate UPN or proxy address.  Two exports
 * carry them: Microsoft Graph users with onPremisesProvisioningErrors, as
 * the API returns them (pages, possibly several concatenated) or as
 * PowerShell re-exports them (a bare array, UTF-16), and the flattened CSV
 * a common script makes of the older Get-MsolDirSyncProvisioningError.
 * Either way each error becomes one REC_CLOUD_ERROR.  An error without a
 * value is rejected as an item: the value is what correlation matches on.
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "parsers.h"

#define CLOUD_MAXVALUE	(64 * 1024 * 1024)	/* one Graph page */
#define CLOUD_MAXROW	(1024 * 1024)		/* one CSV row */

/* The CSV columns read, by name. */
enum cloud_col {
	CLOUD_C_NAME,
	CLOUD_C_IMMUTABLE,
	CLOUD_C_TYPE,
	CLOUD_C_CATEGORY,
	CLOUD_C_PROPERTY,
	CLOUD_C_VALUE,
	CLOUD_C_WHEN,
	CLOUD_C_ID,
	CLOUD_C_UPN,
	CLOUD_C_MAX
};

static const char *const cloud_cols[CLOUD_C_MAX] = {
	"DisplayName", "ImmutableId", "ObjectType", "ErrorCategory",
	"PropertyName", "PropertyValue", "WhenStarted", "ObjectId",
	"UserPrincipalName"
};

struct cloud {
	rec_cb			 cb;
	rec_err_cb		 ecb;
	void			*arg;
	struct pjson_split	*split;		/* cloud-json */
	struct pjson		*js;
	struct pcsv		*csv;		/* cloud-csv */
	int			 col[CLOUD_C_MAX];
	int			 cols_found;
	uint64_t		 values;	/* JSON values seen */
	int			 failed;
	char			 errbuf[256];
	uint64_t		 erroff;
	struct parser_stats	 stats;
};

static void
cloud_fail(struct cloud *c, uint64_t off, const char *reason)
{
	if (c->failed)
		return;
	c->failed = 1;
	c->erroff = off;
	snprintf(c->errbuf, sizeof(c->errbuf), "%s", reason);
}

/* Item errors, ours and the splitter's or reader's: counted, passed on. */
static void
cloud_error_cb(uint64_t off, const char *reason, void *arg)
{
	struct cloud	*c = arg;

	c->stats.errors++;
	if (c->ecb != NULL)
		c->ecb(off, reason, c->arg);
}

static int
cloud_emit(struct cloud *c, const struct record *r)
{
	c->stats.records++;
	if (c->cb(r, c->arg) == -1) {
		cloud_fail(c, 0, "stopped by the record callback");
		return (-1);
	}
	return (0);
}

/* NULL for an empty string: a field not given. */
static const char *
cloud_nz(const char *s)
{
	return (s != NULL && *s != '\0' ? s : NULL);
}

/*
 * The object type of a Graph "@odata.type" ("#microsoft.graph.user") or
 * of a page's "@odata.context" ("…$metadata#users(id,…)"), or NULL.
 */
static const char *
cloud_type(const char *s, int context)
{
	static const struct {
		const char	*graph, *context, *type;
	} types[] = {
		{ "user", "users", "User" },
		{ "group", "groups", "Group" },
		{ "orgContact", "contacts", "Contact" },
		{ "device", "devices", "Device" },
	};
	const char	*p;
	size_t		 i, len;

	if (s == NULL)
		return (NULL);
	if (context) {
		if ((p = strrchr(s, '#')) == NULL)
			return (NULL);
		p++;
		len = strcspn(p, "(/");
	} else {
		p = (p = strrchr(s, '.')) != NULL ? p + 1 : s;
		len = strlen(p);
	}
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		if (strlen(context ? types[i].context : types[i].graph) ==
		    len && strncasecmp(p, context ? types[i].context :
		    types[i].graph, len) == 0)
			return (types[i].type);
	}
	return (NULL);
}

/* The string member key of object obj (any case), or NULL. */
static const char *
cloud_str(struct cloud *c, int obj, const char *key)
{
	return (cloud_nz(pjson_str(c->js, pjson_getci(c->js, obj, key))));
}

/* One Graph user: a record per provisioning error.  0 or -1 (stop). */
static int
cloud_user(struct cloud *c, int u, const char *ctxtype, uint64_t off)
{
	struct record		 r;
	struct rec_cloud_error	*e = &r.u.cloud;
	int			 errs, el, i, n;

	c->stats.read++;
	errs = pjson_getci(c->js, u, "onPremisesProvisioningErrors");
	if (pjson_type(c->js, errs) == PJSON_STRING) {
		/* ConvertTo-Json below its -Depth writes the type name. */
		cloud_error_cb(off, "provisioning errors flattened to text "
		    "(ConvertTo-Json -Depth too small)", c);
		return (0);
	}
	if (pjson_type(c->js, errs) != PJSON_ARRAY)
		return (0);
	memset(&r, 0, sizeof(r));
	r.kind = REC_CLOUD_ERROR;
	r.source = REC_SRC_CLOUD;
	e->upn = cloud_str(c, u, "userPrincipalName");
	e->object = e->upn;
	if (e->object == NULL)
		e->object = cloud_str(c, u, "displayName");
	if (e->object == NULL)
		e->object = cloud_str(c, u, "mail");
	e->object_id = cloud_str(c, u, "id");
	e->immutable_id = cloud_str(c, u, "onPremisesImmutableId");
	e->object_type = cloud_type(cloud_str(c, u, "@odata.type"), 0);
	if (e->object_type == NULL)
		e->object_type = ctxtype;
	n = pjson_size(c->js, errs);
	for (i = 0, el = pjson_first(c->js, errs); i < n && el > 0;
	    i++, el = pjson_skip(c->js, el)) {
		if (pjson_type(c->js, el) != PJSON_OBJECT) {
			cloud_error_cb(off, "a provisioning error that is not "
			    "a JSON object", c);
			continue;
		}
		if ((e->value = cloud_str(c, el, "value")) == NULL) {
			cloud_error_cb(off, "a provisioning error without a "
			    "value", c);
			continue;
		}
		e->category = cloud_str(c, el, "category");
		e->property = cloud_str(c, el, "propertyCausingError");
		r.time = pjson_time(c->js, pjson_getci(c->js, el,
		    "occurredDateTime"));
		if (cloud_emit(c, &r) == -1)
			return (-1);
	}
	return (0);
}

/* Whether object o looks like a directory object. */
static int
cloud_is_user(struct cloud *c, int o)
{
	static const char *const keys[] = { "id", "userPrincipalName",
	    "displayName", "mail", "onPremisesProvisioningErrors" };
	size_t	i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (pjson_getci(c->js, o, keys[i]) != -1)
			return (1);
	return (0);
}

/*
 * One top-level value: a page ({"@odata.context":…, "value":[users]}, or
 * PowerShell's {"value":[…],"Count":n}) or one user.  A first value that
 * is neither says the file is no Graph export at all.
 */
static int
cloud_value_cb(const char *text, size_t len, uint64_t off, void *arg)
{
	struct cloud	*c = arg;
	const char	*why = NULL, *ctxtype;
	int		 v, u, i, n;

	c->values++;
	if (pjson_parse(c->js, text, len) == -1)
		why = "not valid JSON";
	else if (pjson_type(c->js, 0) != PJSON_OBJECT)
		why = "not a JSON object";
	else if (pjson_type(c->js, (v = pjson_getci(c->js, 0, "value"))) ==
	    PJSON_ARRAY && !cloud_is_user(c, 0)) {
		ctxtype = cloud_type(cloud_str(c, 0, "@odata.context"), 1);
		n = pjson_size(c->js, v);
		for (i = 0, u = pjson_first(c->js, v); i < n && u > 0;
		    i++, u = pjson_skip(c->js, u)) {
			if (pjson_type(c->js, u) != PJSON_OBJECT) {
				cloud_error_cb(off, "a page element that is "
				    "not a JSON object", c);
				continue;
			}
			if (cloud_user(c, u, ctxtype, off) == -1)
				return (-1);
		}
		return (0);
	} else if (!cloud_is_user(c, 0))
		why = "neither a Graph page nor a directory object";
	else
		return (cloud_user(c, 0, NULL, off));
	if (c->values == 1) {
		cloud_fail(c, off, why);
		return (-1);
	}
	cloud_error_cb(off, why, c);
	return (0);
}

/*
 * WhenStarted as Export-Csv wrote it: en-US "6/15/2024 11:36:02 PM", or
 * the dotted day-first form of -UseCulture in Germany and its neighbours
 * ("15.06.2024 23:36:02"), or ISO 8601.
 */
static int64_t
cloud_when(const char *s)
{
	int	d, mo, y, h = 0, mi = 0, sec = 0, n;
	int64_t	t;

	if ((t = ptime_parse_us(s, strlen(s))) != REC_TIME_NONE ||
	    (t = ptime_parse(s, strlen(s))) != REC_TIME_NONE)
		return (t);
	n = -1;
	if (sscanf(s, "%2d.%2d.%4d%n", &d, &mo, &y, &n) != 3 || n < 0)
		return (REC_TIME_NONE);
	s += n;
	if (*s == ' ' && sscanf(s, " %2d:%2d%n", &h, &mi, &n) == 2) {
		s += n;
		if (*s == ':' && sscanf(s, ":%2d%n", &sec, &n) == 1)
			s += n;
	}
	return (*s == '\0' ? ptime_make(y, mo, d, h, mi, sec, 0) :
	    REC_TIME_NONE);
}

/* One Msol CSV row: one record. */
static int
cloud_row_cb(char **f, size_t nf, uint64_t off, void *arg)
{
	struct cloud		*c = arg;
	struct record		 r;
	struct rec_cloud_error	*e = &r.u.cloud;
	const char		*v[CLOUD_C_MAX];
	int			 i;

	if (!c->cols_found) {
		for (i = 0; i < CLOUD_C_MAX; i++)
			c->col[i] = pcsv_col(c->csv, cloud_cols[i]);
		c->cols_found = 1;
		if (c->col[CLOUD_C_VALUE] < 0 || c->col[CLOUD_C_PROPERTY] < 0) {
			cloud_fail(c, 0, "not a provisioning error CSV: no "
			    "PropertyName and PropertyValue columns");
			return (-1);
		}
	}
	c->stats.read++;
	for (i = 0; i < CLOUD_C_MAX; i++)
		v[i] = c->col[i] >= 0 && (size_t)c->col[i] < nf ?
		    cloud_nz(f[c->col[i]]) : NULL;
	if (v[CLOUD_C_VALUE] == NULL) {
		cloud_error_cb(off, "a provisioning error without a "
		    "PropertyValue", c);
		return (0);
	}
	memset(&r, 0, sizeof(r));
	r.kind = REC_CLOUD_ERROR;
	r.source = REC_SRC_CLOUD;
	e->object = v[CLOUD_C_NAME] != NULL ? v[CLOUD_C_NAME] :
	    v[CLOUD_C_UPN];
	e->object_id = v[CLOUD_C_ID];
	e->object_type = v[CLOUD_C_TYPE];
	e->upn = v[CLOUD_C_UPN];
	e->immutable_id = v[CLOUD_C_IMMUTABLE];
	e->category = v[CLOUD_C_CATEGORY];
	e->property = v[CLOUD_C_PROPERTY];
	e->value = v[CLOUD_C_VALUE];
	r.time = v[CLOUD_C_WHEN] != NULL ? cloud_when(v[CLOUD_C_WHEN]) :
	    REC_TIME_NONE;
	return (cloud_emit(c, &r));
}

static struct cloud *
cloud_alloc(rec_cb cb, rec_err_cb ecb, void *arg)
{
	struct cloud	*c;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return (NULL);
	c->cb = cb;
	c->ecb = ecb;
	c->arg = arg;
	return (c);
}

static void
cloud_free(void *v)
{
	struct cloud	*c = v;

	if (c == NULL)
		return;
	pjson_split_free(c->split);
	pjson_free(c->js);
	pcsv_free(c->csv);
	free(c);
}

/* A parser for Graph JSON; the file name says nothing. */
static void *
cloud_json_new(const char *name, rec_cb cb, rec_err_cb ecb, void *arg)
{
	struct cloud	*c;

	(void)name;
	if ((c = cloud_alloc(cb, ecb, arg)) == NULL)
		return (NULL);
	if ((c->js = pjson_new()) == NULL || (c->split = pjson_split_new(
	    CLOUD_MAXVALUE, cloud_value_cb, cloud_error_cb, c)) == NULL) {
		cloud_free(c);
		return (NULL);
	}
	return (c);
}

/* A parser for the Msol CSV. */
static void *
cloud_csv_new(const char *name, rec_cb cb, rec_err_cb ecb, void *arg)
{
	struct cloud	*c;

	(void)name;
	if ((c = cloud_alloc(cb, ecb, arg)) == NULL)
		return (NULL);
	if ((c->csv = pcsv_new(CLOUD_MAXROW, cloud_row_cb, cloud_error_cb,
	    c)) == NULL) {
		cloud_free(c);
		return (NULL);
	}
	return (c);
}

/* The reader's own failure, when ours does not say more. */
static int
cloud_check(struct cloud *c, int rc)
{
	const char	*why;
	uint64_t	 off = 0;

	if (rc == 0 || c->failed)
		return (rc == 0 && !c->failed ? 0 : -1);
	why = c->split != NULL ? pjson_split_error(c->split, &off) :
	    pcsv_error(c->csv, &off);
	cloud_fail(c, off, why != NULL ? why : "unreadable input");
	return (-1);
}

static int
cloud_push(void *v, const void *buf, size_t len)
{
	struct cloud	*c = v;

	if (c->failed)
		return (-1);
	return (cloud_check(c, c->split != NULL ?
	    pjson_split_push(c->split, buf, len) :
	    pcsv_push(c->csv, buf, len)));
}

/* Ends the input; a CSV whose header lacks the columns is refused. */
static int
cloud_finish(void *v)
{
	struct cloud	*c = v;
	char		**names;

	if (c->failed)
		return (-1);
	if (c->split != NULL)
		return (cloud_check(c, pjson_split_finish(c->split)));
	if (cloud_check(c, pcsv_finish(c->csv)) == -1)
		return (-1);
	if (!c->cols_found && pcsv_header(c->csv, &names) > 0 &&
	    (pcsv_col(c->csv, "PropertyValue") < 0 ||
	    pcsv_col(c->csv, "PropertyName") < 0)) {
		cloud_fail(c, 0, "not a provisioning error CSV: no "
		    "PropertyName and PropertyValue columns");
		return (-1);
	}
	return (0);
}

static const char *
cloud_error(const void *v, uint64_t *offset)
{
	const struct cloud	*c = v;

	if (!c->failed)
		return (NULL);
	if (offset != NULL)
		*offset = c->erroff;
	return (c->errbuf);
}

/* Users (JSON) or rows (CSV) read; records; items rejected. */
static const struct parser_stats *
cloud_stats(const void *v)
{
	const struct cloud	*c = v;

	return (&c->stats);
}

const struct parser_ops cloud_json_ops = {
	.name = "cloud-json",
	.new = cloud_json_new,
	.push = cloud_push,
	.finish = cloud_finish,
	.error = cloud_error,
	.stats = cloud_stats,
	.free = cloud_free,
};

const struct parser_ops cloud_csv_ops = {
	.name = "cloud-csv",
	.new = cloud_csv_new,
	.push = cloud_push,
	.finish = cloud_finish,
	.error = cloud_error,
	.stats = cloud_stats,
	.free = cloud_free,
};
