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
	struct pdoc	 doc;		/* first: pdoc_* are the ops */
	int		 col[CLOUD_C_MAX];
	uint64_t	 values;	/* JSON values seen */
};

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
	return (cloud_nz(pjson_str(c->doc.js, pjson_getci(c->doc.js, obj,
	    key))));
}

/* One Graph user: a record per provisioning error.  0 or -1 (stop). */
static int
cloud_user(struct cloud *c, int u, const char *ctxtype, uint64_t off)
{
	struct record		 r;
	struct rec_cloud_error	*e = &r.u.cloud;
	int			 errs, el, i, n;

	c->doc.stats.read++;
	errs = pjson_getci(c->doc.js, u, "onPremisesProvisioningErrors");
	if (pjson_type(c->doc.js, errs) == PJSON_STRING) {
		/* ConvertTo-Json below its -Depth writes the type name. */
		pdoc_reject(&c->doc, off, "provisioning errors flattened to text "
		    "(ConvertTo-Json -Depth too small)");
		return (0);
	}
	if (pjson_type(c->doc.js, errs) != PJSON_ARRAY)
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
	n = pjson_size(c->doc.js, errs);
	for (i = 0, el = pjson_first(c->doc.js, errs); i < n && el > 0;
	    i++, el = pjson_skip(c->doc.js, el)) {
		if (pjson_type(c->doc.js, el) != PJSON_OBJECT) {
			pdoc_reject(&c->doc, off, "a provisioning error that is not "
			    "a JSON object");
			continue;
		}
		if ((e->value = cloud_str(c, el, "value")) == NULL) {
			pdoc_reject(&c->doc, off, "a provisioning error without a "
			    "value");
			continue;
		}
		e->category = cloud_str(c, el, "category");
		e->property = cloud_str(c, el, "propertyCausingError");
		r.time = pjson_time(c->doc.js, pjson_getci(c->doc.js, el,
		    "occurredDateTime"));
		if (pdoc_emit(&c->doc, &r, off) == -1)
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
		if (pjson_getci(c->doc.js, o, keys[i]) != -1)
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
	if (pjson_parse(c->doc.js, text, len) == -1)
		why = pjson_why(c->doc.js);
	else if (pjson_type(c->doc.js, 0) != PJSON_OBJECT)
		why = "not a JSON object";
	else if (pjson_type(c->doc.js, (v = pjson_getci(c->doc.js, 0, "value"))) ==
	    PJSON_ARRAY && !cloud_is_user(c, 0)) {
		ctxtype = cloud_type(cloud_str(c, 0, "@odata.context"), 1);
		n = pjson_size(c->doc.js, v);
		for (i = 0, u = pjson_first(c->doc.js, v); i < n && u > 0;
		    i++, u = pjson_skip(c->doc.js, u)) {
			if (pjson_type(c->doc.js, u) != PJSON_OBJECT) {
				pdoc_reject(&c->doc, off, "a page element that is "
				    "not a JSON object");
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
	if (c->values == 1)
		return (pdoc_fail(&c->doc, off, why));
	pdoc_reject(&c->doc, off, why);
	return (0);
}

/*
 * The Msol CSV's header row: the columns by name.  Without PropertyName
 * and PropertyValue the file is no provisioning error export at all.
 */
static int
cloud_header_cb(char **names, size_t nnames, uint64_t off, void *arg)
{
	struct cloud	*c = arg;
	int		 i;

	(void)names, (void)nnames;
	for (i = 0; i < CLOUD_C_MAX; i++)
		c->col[i] = pcsv_col(c->doc.csv, cloud_cols[i]);
	if (c->col[CLOUD_C_VALUE] < 0 || c->col[CLOUD_C_PROPERTY] < 0)
		return (pdoc_fail(&c->doc, off, "not a provisioning error "
		    "CSV: no PropertyName and PropertyValue columns"));
	return (0);
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

	c->doc.stats.read++;
	for (i = 0; i < CLOUD_C_MAX; i++)
		v[i] = c->col[i] >= 0 && (size_t)c->col[i] < nf ?
		    cloud_nz(f[c->col[i]]) : NULL;
	if (v[CLOUD_C_VALUE] == NULL) {
		pdoc_reject(&c->doc, off, "a provisioning error without a "
		    "PropertyValue");
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
	r.time = ptime_parse_culture(v[CLOUD_C_WHEN]);
	return (pdoc_emit(&c->doc, &r, off));
}

/* Graph JSON; counts users read, records, items rejected. */
static void *
cloud_json_new(const char *name, rec_cb cb, rec_err_cb ecb, void *arg)
{
	(void)name;
	return (pdoc_new_json(sizeof(struct cloud), CLOUD_MAXVALUE,
	    cloud_value_cb, cb, ecb, arg));
}

/* The Msol CSV; counts rows read, records, rows rejected. */
static void *
cloud_csv_new(const char *name, rec_cb cb, rec_err_cb ecb, void *arg)
{
	(void)name;
	return (pdoc_new_csv(sizeof(struct cloud), CLOUD_MAXROW,
	    cloud_header_cb, cloud_row_cb, cb, ecb, arg));
}

const struct parser_ops cloud_json_ops = {
	.name = "cloud-json",
	.new = cloud_json_new,
	.push = pdoc_push,
	.finish = pdoc_finish,
	.error = pdoc_error,
	.stats = pdoc_stats,
	.free = pdoc_free,
};

const struct parser_ops cloud_csv_ops = {
	.name = "cloud-csv",
	.new = cloud_csv_new,
	.push = pdoc_push,
	.finish = pdoc_finish,
	.error = pdoc_error,
	.stats = pdoc_stats,
	.free = pdoc_free,
};
