/*
 * rules.c: the class catalogue of DESIGN.md §3, as far as records alone
 * decide it.  An AD-connector export that is denied (permission-issue,
 * 8344) on an object the dump marks adminCount=1 is the AdminSDHolder
 * case: SDProp has stripped the inherited ACE that lets the connector
 * account write the attribute, so the fix is one grant on AdminSDHolder,
 * scoped to the attribute.  The scope is therefore the attribute(s) the
 * pending export writes, not the object.  Any other AD export error is
 * an ad-export-error of its one object.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "correlate.h"

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
	if (r->conn_kind == REC_CONN_AD)
		return (1);
	return (r->conn_kind == REC_CONN_UNKNOWN && r->u.xerr.dn != NULL &&
	    dn_domain(r->u.xerr.dn) != NULL);
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

/*
 * The class and scope of a record; -1 when no rule takes it.  Denied
 * writes to objects without adminCount=1 are left to the classes that
 * need the whole picture (how many objects, which OU), not guessed here.
 */
int
rules_classify(const struct record *r, struct rules_match *m)
{
	const struct rec_export_error	*x = &r->u.xerr;

	if (r->kind != REC_EXPORT_ERROR || x->dn == NULL || !rules_is_ad(r))
		return (-1);
	memset(m, 0, sizeof(*m));
	if (rules_is_denied(x)) {
		if (x->admin_count != 1)
			return (-1);
		m->cls = INC_ADMINSDHOLDER;
		m->protect = INC_PROT_ADMINCOUNT;
		rules_scope(x, 1, m->scope, sizeof(m->scope));
		snprintf(m->attribute, sizeof(m->attribute), "%s", m->scope);
		return (0);
	}
	m->cls = INC_AD_EXPORT_ERROR;
	snprintf(m->scope, sizeof(m->scope), "%s", x->dn);
	rules_scope(x, 0, m->attribute, sizeof(m->attribute));
	return (0);
}
