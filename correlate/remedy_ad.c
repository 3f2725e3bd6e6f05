/*
 * remedy_ad.c: the steps for faults of writing to on-premises AD: the
 * AdminSDHolder grant for protected accounts, the ADSyncConfig grant on
 * an OU for a missing permission, and for any other AD export error what
 * it usually means and how to look at the object.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "correlate.h"
#include "xmalloc.h"

/* What an AD export error type usually means, and where to look. */
static const struct {
	const char	*type;
	const char	*hint;
} remedy_hints[] = {
	{ "cd-missing-object", "The object was moved or deleted in AD after "
	    "the last import: a delta import and sync usually clears it; if "
	    "not, run a full import of the connector" },
	{ "cd-existing-object", "An object with this DN already exists in AD: "
	    "find it and decide which one should stay" },
	{ "constraint-violation", "AD refused a value: compare the pending "
	    "export with the attribute's schema (length, range, single value)" },
	{ "dn-attributes-failure", "A reference attribute names an object AD "
	    "does not have: check the referenced DNs" },
	{ "schema-violation", "The export does not fit the object class in "
	    "AD's schema: check the object class and the attribute" },
	{ "invalid-dn", "The DN is not valid in AD: check the provisioning "
	    "rule that builds it" },
	{ "non-existent-parent", "The parent container does not exist in AD" },
	{ "rename-to-existing-dn", "An object with the new name already "
	    "exists in AD" },
};

/* ad-export-error: what failed, what it usually means, how to look. */
size_t
remedy_ad_export(const struct incident *inc, char **lines, size_t max)
{
	const struct incident_object	*o = remedy_first(inc);
	const char			*conn;
	size_t				 n = 0, i;

	conn = inc->connector != NULL ? inc->connector : "<AD connector>";
	for (i = 0; inc->error_type != NULL && n < max &&
	    i < sizeof(remedy_hints) / sizeof(remedy_hints[0]); i++)
		if (strcasecmp(remedy_hints[i].type, inc->error_type) == 0)
			xasprintf(&lines[n++], "%s", remedy_hints[i].hint);
	if (n < max)
		xasprintf(&lines[n++], "Error %s, code %lld%s%s%s%s",
		    inc->error_type != NULL ? inc->error_type : "unknown",
		    (long long)inc->error_code,
		    inc->literal != NULL ? ": " : "",
		    inc->literal != NULL ? inc->literal : "",
		    inc->server_detail != NULL ? "; server: " : "",
		    inc->server_detail != NULL ? inc->server_detail : "");
	if (o != NULL && n < max)
		xasprintf(&lines[n++], "Inspect it: Get-ADSyncCSObject "
		    "-ConnectorName \"%s\" -DistinguishedName \"%s\"", conn,
		    o->dn);
	if (n < max)
		xasprintf(&lines[n++], "After the fix: on %s "
		    "Start-ADSyncSyncCycle -PolicyType Delta; verify with "
		    "csexport \"%s\" errors.xml /f:e", inc->host, conn);
	return (n);
}

/*
 * AdminSDHolder: one attribute-scoped grant per domain and attribute,
 * SDProp forced so the grant reaches the protected objects now, a delta
 * sync, and how to tell that it worked.
 */
size_t
remedy_adminsdholder(const struct incident *inc, char **lines, size_t max)
{
	const char	*dom[REMEDY_MAXDOMAINS], *account, *a, *comma;
	size_t		 n = 0, ndom, i, alen;
	const char	*attrs = inc->attribute != NULL ? inc->attribute :
			    "<attribute>";

	account = inc->account != NULL ? inc->account :
	    REMEDY_ACCOUNT_PLACEHOLDER;
	if ((ndom = remedy_domains(inc, dom, REMEDY_MAXDOMAINS)) == 0) {
		dom[0] = "<domain DN>";
		ndom = 1;
	}
	for (i = 0; i < ndom; i++) {
		for (a = attrs; *a != '\0' && n < max; a += alen) {
			comma = strchr(a, ',');
			alen = comma != NULL ? (size_t)(comma - a) : strlen(a);
			xasprintf(&lines[n++], "dsacls \"CN=AdminSDHolder,"
			    "CN=System,%s\" /G \"%s:WP;%.*s\"", dom[i], account,
			    (int)alen, a);
			if (comma != NULL)
				alen++;
		}
	}
	if (inc->account == NULL && n < max)
		xasprintf(&lines[n++], "Get-ADSyncADConnectorAccount "
		    "(ADSyncConfig module) names the AD connector account to "
		    "use for %s; set it as connector-account in the host "
		    "block of syncorr.conf", REMEDY_ACCOUNT_PLACEHOLDER);
	if (n < max)
		xasprintf(&lines[n++], "Force SDProp on the PDC emulator so "
		    "the grant reaches the protected accounts now: "
		    "$r = [ADSI]\"LDAP://RootDSE\"; "
		    "$r.Put(\"RunProtectAdminGroupsTask\", 1); $r.SetInfo()");
	if (n < max)
		xasprintf(&lines[n++], "On %s: Start-ADSyncSyncCycle "
		    "-PolicyType Delta", inc->host);
	if (n < max)
		xasprintf(&lines[n++], "Verify: csexport \"%s\" errors.xml "
		    "/f:e lists no errored object and the next Export run of "
		    "%s ends success", inc->connector != NULL ?
		    inc->connector : "<AD connector>", inc->connector != NULL ?
		    inc->connector : "the AD connector");
	return (n);
}

/* The ADSyncConfig cmdlets that grant what a feature writes back. */
static const struct {
	const char	*attr;
	const char	*cmdlet;
} remedy_cmdlets[] = {
	{ "mS-DS-ConsistencyGuid", "Set-ADSyncMsDsConsistencyGuidPermissions" },
	{ "msDS-ExternalDirectoryObjectID",
	    "Set-ADSyncExchangeHybridPermissions" },
	{ "msExchArchiveStatus", "Set-ADSyncExchangeHybridPermissions" },
	{ "msExchBlockedSendersHash", "Set-ADSyncExchangeHybridPermissions" },
	{ "msExchSafeRecipientsHash", "Set-ADSyncExchangeHybridPermissions" },
	{ "msExchSafeSendersHash", "Set-ADSyncExchangeHybridPermissions" },
	{ "msExchUCVoiceMailSettings", "Set-ADSyncExchangeHybridPermissions" },
	{ "msExchUserHoldPolicies", "Set-ADSyncExchangeHybridPermissions" },
	{ "proxyAddresses", "Set-ADSyncExchangeHybridPermissions" },
	{ "publicDelegates", "Set-ADSyncExchangeHybridPermissions" },
	{ "member", "Set-ADSyncUnifiedGroupWritebackPermissions" },
	{ "unicodePwd", "Set-ADSyncPasswordWritebackPermissions" },
};

/* The cmdlet for the first attribute of a comma list, or NULL. */
static const char *
remedy_cmdlet(const char *attrs)
{
	size_t	i, len;

	if (attrs == NULL)
		return (NULL);
	len = strcspn(attrs, ",");
	for (i = 0; i < sizeof(remedy_cmdlets) / sizeof(remedy_cmdlets[0]);
	    i++)
		if (strlen(remedy_cmdlets[i].attr) == len &&
		    strncasecmp(remedy_cmdlets[i].attr, attrs, len) == 0)
			return (remedy_cmdlets[i].cmdlet);
	return (NULL);
}

/*
 * A missing grant on an OU: the ADSyncConfig cmdlet of the feature that
 * writes the attribute, scoped to the failing objects' common OU (or, for
 * an attribute no cmdlet covers, the dsacls grant it would make), and
 * the check for objects that block inheritance.
 */
size_t
remedy_permission(const struct incident *inc, char **lines, size_t max)
{
	const char	*cmdlet, *ou, *acct, *sep, *attr;
	char		 name[256], dom[256];
	size_t		 n = 0;

	ou = inc->ou != NULL ? inc->ou : "<OU DN>";
	attr = inc->attribute != NULL ? inc->attribute : "<attribute>";
	acct = inc->account != NULL ? inc->account :
	    REMEDY_ACCOUNT_PLACEHOLDER;
	if ((sep = strchr(acct, '\\')) != NULL) {
		fmt_snprintf(dom, sizeof(dom), "%.*s", (int)(sep - acct), acct);
		fmt_snprintf(name, sizeof(name), "%s", sep + 1);
	} else {
		fmt_snprintf(dom, sizeof(dom), "<DOMAIN>");
		fmt_snprintf(name, sizeof(name), "%s", acct);
	}
	if (n < max)
		xasprintf(&lines[n++], "Import-Module \"C:\\Program Files\\"
		    "Microsoft Azure Active Directory Connect\\AdSyncConfig\\"
		    "AdSyncConfig.psm1\"");
	if ((cmdlet = remedy_cmdlet(inc->attribute)) != NULL && n < max)
		xasprintf(&lines[n++], "%s -ADConnectorAccountName \"%s\" "
		    "-ADConnectorAccountDomain \"%s\" -ADobjectDN \"%s\"",
		    cmdlet, name, dom, ou);
	else if (n < max)
		xasprintf(&lines[n++], "dsacls \"%s\" /I:S /G \"%s:WP;%.*s;"
		    "user\" (no ADSyncConfig cmdlet covers %s)", ou, acct,
		    (int)strcspn(attr, ","), attr, attr);
	if (inc->account == NULL && n < max)
		xasprintf(&lines[n++], "Get-ADSyncADConnectorAccount names "
		    "the AD connector account; set it as connector-account in "
		    "the host block of syncorr.conf");
	if (n < max)
		xasprintf(&lines[n++], "Objects that block inheritance keep "
		    "failing after the grant: Get-ADSyncObjectsWithInheritance"
		    "Disabled -SearchBase \"%s\"", ou);
	if (n < max)
		xasprintf(&lines[n++], "On %s: Start-ADSyncSyncCycle "
		    "-PolicyType Delta", inc->host);
	if (n < max)
		xasprintf(&lines[n++], "Verify: the next Export run of %s ends "
		    "success and csexport \"%s\" errors.xml /f:e lists none of "
		    "these objects", inc->connector != NULL ? inc->connector :
		    "the AD connector", inc->connector != NULL ?
		    inc->connector : "<AD connector>");
	return (n);
}
