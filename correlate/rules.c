/*
 * rules.c: the class catalogue of DESIGN.md §3, as far as records alone
 * decide it.  An AD-connector export that is denied (permission-issue,
 * 8344) on an object the dump marks adminCount=1 is the AdminSDHolder
 * case: SDProp has stripped the inherited ACE that lets the connector
 * account write the attribute, so the fix is one grant on AdminSDHolder,
 * scoped to the attribute.  The scope is therefore the attribute(s) the
 * pending export writes, not the object.  Any other AD export error is
 * an ad-export-error of its one object; AAD errors go by their name
 * (FORMATS.md §5.2), collisions scoped to the contested value.
 */

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "correlate.h"
#include "xmalloc.h"

/* Win32 8344 ERROR_DS_INSUFF_ACCESS_RIGHTS, and as an HRESULT. */
#define RULES_INSUFF_ACCESS		8344
#define RULES_INSUFF_ACCESS_HRESULT	0x80072098LL

/*
 * Attributes Entra Connect writes back to on-premises AD (FORMATS.md
 * §5.4), by the feature that writes them.
 */
static const char *rules_writeback[] = {
	/* Exchange hybrid */
	"msDS-ExternalDirectoryObjectID", "msExchArchiveStatus",
	"msExchBlockedSendersHash", "msExchSafeRecipientsHash",
	"msExchSafeSendersHash", "msExchUCVoiceMailSettings",
	"msExchUserHoldPolicies", "proxyAddresses", "publicDelegates",
	/* ConsistencyGuid as source anchor */
	"mS-DS-ConsistencyGuid",
	/* Windows Hello for Business key writeback */
	"msDS-KeyCredentialLink",
	/* Device writeback */
	"msDS-DeviceID", "msDS-CloudAnchor", "msDS-IsManaged",
	"msDS-RegisteredOwner", "msDS-DeviceOSType", "altSecurityIdentities",
};

/* Whether AD Connect writes attribute back to on-premises AD. */
int
rules_writeback_attr(const char *attribute)
{
	size_t	i;

	for (i = 0; i < sizeof(rules_writeback) / sizeof(rules_writeback[0]);
	    i++) {
		if (strcasecmp(rules_writeback[i], attribute) == 0)
			return (1);
	}
	return (0);
}

static int
rules_strcasecmp_cb(const void *a, const void *b)
{
	return (strcasecmp(*(const char *const *)a, *(const char *const *)b));
}

/*
 * The attributes of the pending export, sorted and comma separated.  With
 * writeback set, only the writeback attributes when it names any: a denied
 * export that also sets other attributes fails on the writeback one.
 */
static void
rules_scope(const struct rec_export_error *x, int writeback, char *scope,
    size_t scopesz)
{
	const char	*v[REC_MAXATTRS];
	size_t		 i, n = 0, len = 0, alen;

	for (i = 0; writeback && i < x->nattrs; i++)
		if (rules_writeback_attr(x->attrs[i]))
			v[n++] = x->attrs[i];
	if (n == 0)
		for (i = 0; i < x->nattrs; i++)
			v[n++] = x->attrs[i];
	qsort(v, n, sizeof(v[0]), rules_strcasecmp_cb);
	scope[0] = '\0';
	for (i = 0; i < n; i++) {
		alen = strlen(v[i]);
		if (len + alen + 2 > scopesz)
			break;
		if (len > 0)
			scope[len++] = ',';
		memcpy(scope + len, v[i], alen + 1);
		len += alen;
	}
}

static int
rules_is_ad(const struct record *r)
{
	if (r->conn_kind != REC_CONN_UNKNOWN)
		return (r->conn_kind == REC_CONN_AD);
	if (r->u.xerr.error_name != NULL)
		return (0);
	return (r->u.xerr.dn != NULL && dn_domain(r->u.xerr.dn) != NULL);
}

static int
rules_is_denied(const struct rec_export_error *x)
{
	if (x->error_type != NULL &&
	    strcasecmp(x->error_type, "permission-issue") == 0)
		return (1);
	return (x->error_code == RULES_INSUFF_ACCESS ||
	    x->error_code == RULES_INSUFF_ACCESS_HRESULT);
}

/* AAD export error names (FORMATS.md §5.2) and their classes. */
static const struct {
	const char		*name;
	enum incident_class	 cls;
} rules_aad[] = {
	{ "AttributeValueMustBeUnique", INC_COLLISION },
	{ "QuarantinedAttributeValueMustBeUnique", INC_COLLISION },
	{ "InvalidSoftMatch", INC_COLLISION },
	{ "ObjectTypeMismatch", INC_OBJECT_TYPE_MISMATCH },
	{ "InvalidHardMatch", INC_INVALID_HARD_MATCH },
	{ "LargeObject", INC_LARGE_OBJECT },
	{ "ExceededAllowedLength", INC_LARGE_OBJECT },
	{ "DataValidationFailed", INC_DATA_VALIDATION },
	{ "IdentityDataValidationFailed", INC_DATA_VALIDATION },
	{ "FederatedDomainChangeError", INC_FEDERATED_DOMAIN },
};

static enum incident_class
rules_aad_class(const struct rec_export_error *x)
{
	const char	*name;
	size_t		 i;

	name = x->error_name != NULL ? x->error_name : x->error_type;
	for (i = 0; name != NULL && i < sizeof(rules_aad) /
	    sizeof(rules_aad[0]); i++)
		if (strcasecmp(rules_aad[i].name, name) == 0)
			return (rules_aad[i].cls);
	return (INC_AAD_EXPORT_ERROR);
}

/* The contested value as a key: lower case, without "smtp:". */
void
rules_value_key(const char *value, char *buf, size_t bufsz)
{
	size_t	i;

	while (*value == ' ')
		value++;
	if (strncasecmp(value, "smtp:", 5) == 0)
		value += 5;
	for (i = 0; value[i] != '\0' && i + 1 < bufsz; i++)
		buf[i] = (char)tolower((unsigned char)value[i]);
	while (i > 0 && buf[i - 1] == ' ')
		i--;
	if (bufsz > 0)
		buf[i] = '\0';
}

/* A collision on value, else (value unknown) on its one object. */
static void
rules_collision(const char *value, const char *object, struct rules_match *m)
{
	m->cls = INC_COLLISION;
	if (value != NULL && *value != '\0') {
		m->family = RULES_COLLISION;
		rules_value_key(value, m->scope, sizeof(m->scope));
	} else if (object != NULL) {
		m->family = RULES_OBJECT;
		fmt_snprintf(m->scope, sizeof(m->scope), "%s", object);
	} else
		m->family = RULES_NONE;
}

static void
rules_export_error(const struct record *r, struct rules_match *m)
{
	const struct rec_export_error	*x = &r->u.xerr;
	const char			*obj;

	obj = x->dn != NULL ? x->dn : x->object_id;
	if (obj == NULL)
		return;
	if (rules_is_ad(r)) {
		if (rules_is_denied(x)) {
			/*
			 * Whether the object is protected (AdminSDHolder) or
			 * not (a missing grant) is the correlator's call: it
			 * knows what dumps said of the DN and how many fail.
			 */
			m->family = RULES_DENIED;
			m->cls = INC_ADMINSDHOLDER;
			rules_scope(x, 1, m->attribute, sizeof(m->attribute));
			fmt_snprintf(m->scope, sizeof(m->scope), "%s",
			    m->attribute);
			return;
		}
		m->family = RULES_OBJECT;
		m->cls = INC_AD_EXPORT_ERROR;
		fmt_snprintf(m->scope, sizeof(m->scope), "%s", obj);
		rules_scope(x, 0, m->attribute, sizeof(m->attribute));
		return;
	}
	if ((m->cls = rules_aad_class(x)) == INC_COLLISION) {
		rules_collision(x->conflict_value, obj, m);
		if (x->conflict_attr != NULL)
			fmt_snprintf(m->attribute, sizeof(m->attribute), "%s",
			    x->conflict_attr);
		return;
	}
	m->family = RULES_OBJECT;
	fmt_snprintf(m->scope, sizeof(m->scope), "%s", obj);
	rules_scope(x, 0, m->attribute, sizeof(m->attribute));
}

/*
 * What a record is: its family, class and scope.  Denied writes are only
 * marked as such; which of the two denied classes they are is decided
 * with the whole picture (adminCount, how many objects) in correlate.c.
 */
void
rules_classify(const struct record *r, struct rules_match *m)
{
	const struct rec_cloud_error	*c = &r->u.cloud;

	/* Not a memset: the two buffers are 2 KiB, and this is per record. */
	m->family = RULES_NONE;
	m->cls = INC_ADMINSDHOLDER;
	m->scope[0] = m->attribute[0] = '\0';
	switch (r->kind) {
	case REC_RUN:
		m->family = RULES_RUN;
		break;
	case REC_SNAPSHOT:
		m->family = RULES_SNAPSHOT;
		break;
	case REC_HEALTH_ALERT:
		m->family = RULES_ALERT;
		m->cls = INC_HEALTH_ALERT;
		break;
	case REC_EXPORT_ERROR:
		rules_export_error(r, m);
		break;
	case REC_CLOUD_ERROR:
		/* Cloud errors are conflicts: PropertyConflict, or unset. */
		if (c->category != NULL &&
		    strcasecmp(c->category, "PropertyConflict") != 0)
			break;
		rules_collision(c->value, NULL, m);
		if (c->property != NULL)
			fmt_snprintf(m->attribute, sizeof(m->attribute), "%s",
			    c->property);
		break;
	}
}

/*
 * Whether a step result is a success: Microsoft's own helper takes
 * success and completed-transient-objects; a step with nothing to do or
 * with warnings only did not fail either.
 */
int
rules_run_ok(const char *result)
{
	static const char	*ok[] = { "success", "completed-no-objects",
	    "completed-transient-objects", "completed-warnings" };
	size_t			 i;

	for (i = 0; result != NULL && i < sizeof(ok) / sizeof(ok[0]); i++)
		if (strcasecmp(result, ok[i]) == 0)
			return (1);
	return (0);
}

/* Whether a run failed to reach its server (connectivity). */
int
rules_run_unreachable(const struct rec_run *run)
{
	static const char	*results[] = { "no-start-connection",
	    "no-start-no-domain-controller", "no-start-server",
	    "no-start-credentials", "stopped-connectivity",
	    "stopped-server", "stopped-server-down",
	    "stopped-bad-server-credentials",
	    "stopped-database-connection-lost" };
	static const char	*conns[] = { "failed-connection",
	    "dropped-connection", "failed-authentication", "failed-search" };
	size_t			 i;

	for (i = 0; run->result != NULL &&
	    i < sizeof(results) / sizeof(results[0]); i++)
		if (strcasecmp(run->result, results[i]) == 0)
			return (1);
	for (i = 0; run->connection != NULL &&
	    i < sizeof(conns) / sizeof(conns[0]); i++)
		if (strcasecmp(run->connection, conns[i]) == 0)
			return (1);
	return (0);
}

/* The step of a run: 'i'mport, 's'ync, 'e'xport, or 0 when unknown. */
int
rules_run_step(const struct rec_run *run)
{
	const char	*s;

	if ((s = run->step_type) == NULL)
		s = run->profile;
	if (s == NULL)
		return (0);
	if (strcasestr(s, "export") != NULL)
		return ('e');
	if (strcasestr(s, "import") != NULL)
		return ('i');
	if (strcasestr(s, "sync") != NULL || strcasestr(s, "apply-rules") !=
	    NULL)
		return ('s');
	return (0);
}
