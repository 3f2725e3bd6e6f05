/*
 * remedy_aad.c: the steps for faults on the cloud side and of the server
 * itself.  A directory data collision is a decision about who owns a
 * value, so its steps find both owners and never grant a permission; the
 * other AAD export errors get the documented fix of their name;
 * connectivity, a stalled sync and an unexplained Connect Health alert
 * get what to check on the server.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "correlate.h"
#include "xmalloc.h"

/*
 * A value two objects claim: find both, decide who keeps it, change the
 * other where it is mastered (on-premises for a synced object).
 */
size_t
remedy_collision(const struct incident *inc, char **lines, size_t max)
{
	const char	*v, *bare;
	size_t		 n = 0;
	int		 upn;

	v = inc->value != NULL ? inc->value : "<value>";
	bare = strncasecmp(v, "smtp:", 5) == 0 ? v + 5 : v;
	upn = inc->attribute != NULL &&
	    strcasecmp(inc->attribute, "UserPrincipalName") == 0;
	if (n < max && upn)
		xasprintf(&lines[n++], "Find the cloud owner: Get-MgUser "
		    "-Filter \"userPrincipalName eq '%s'\"", bare);
	else if (n < max)
		xasprintf(&lines[n++], "Find the cloud owner: Get-MgUser "
		    "-Filter \"proxyAddresses/any(p:p eq 'smtp:%s')\" (and "
		    "Get-MgGroup, Get-MgContact with the same filter)", bare);
	if (n < max)
		xasprintf(&lines[n++], "Find the on-premises owners: "
		    "Get-ADObject -LDAPFilter \"(|(proxyAddresses=smtp:%s)"
		    "(userPrincipalName=%s)(mail=%s))\"", bare, bare, bare);
	if (n < max)
		xasprintf(&lines[n++], "Decide which object keeps %s; remove "
		    "or change it on the other (in on-premises AD for a synced "
		    "object, in Entra ID for a cloud-only one)", v);
	if (n < max)
		xasprintf(&lines[n++], "On %s: Start-ADSyncSyncCycle "
		    "-PolicyType Delta; verify: the AAD connector's export no "
		    "longer reports %s for %s", inc->host,
		    inc->error_name != NULL ? inc->error_name :
		    "AttributeValueMustBeUnique", v);
	return (n);
}

/* The documented fix of each AAD export error class. */
static const struct {
	enum incident_class	 cls;
	const char		*fix;
} remedy_aad_fixes[] = {
	{ INC_OBJECT_TYPE_MISMATCH, "The soft-match candidate in Entra ID is "
	    "an object of another type (a group against a contact, say): find "
	    "the cloud object with the same proxyAddresses or UPN and remove "
	    "or change it, or keep one side out of sync" },
	{ INC_INVALID_HARD_MATCH, "The sourceAnchor is already used by "
	    "another cloud object: compare the on-premises "
	    "mS-DS-ConsistencyGuid/objectGUID with the cloud object's "
	    "onPremisesImmutableId and correct the one that should not "
	    "match" },
	{ INC_LARGE_OBJECT, "An attribute exceeds Entra ID's limits "
	    "(userCertificate over 15 values, userSMIMECertificate, "
	    "thumbnailPhoto over 100 KB, very many proxyAddresses): reduce "
	    "the values on-premises" },
	{ INC_DATA_VALIDATION, "A value fails Entra ID's validation (UPN "
	    "characters or format): correct it on-premises; IdFix lists such "
	    "values" },
	{ INC_FEDERATED_DOMAIN, "The UPN suffix moved between two federated "
	    "domains: change the UPN to a managed domain first, let it sync, "
	    "then to the new federated domain (or set it in Entra ID with "
	    "Update-MgUser)" },
};

/* Any other AAD export error: the documented fix, and the object. */
size_t
remedy_aad(const struct incident *inc, char **lines, size_t max)
{
	const struct incident_object	*o = remedy_first(inc);
	size_t				 n = 0, i;

	for (i = 0; i < sizeof(remedy_aad_fixes) /
	    sizeof(remedy_aad_fixes[0]) && n < max; i++)
		if (remedy_aad_fixes[i].cls == inc->cls)
			xasprintf(&lines[n++], "%s", remedy_aad_fixes[i].fix);
	if (n < max && (inc->error_name != NULL || inc->literal != NULL))
		xasprintf(&lines[n++], "Error %s%s%s",
		    inc->error_name != NULL ? inc->error_name : "",
		    inc->literal != NULL ? ": " : "",
		    inc->literal != NULL ? inc->literal : "");
	if (o != NULL && n < max)
		xasprintf(&lines[n++], "Inspect it: Get-ADSyncCSObject "
		    "-ConnectorName \"%s\" -DistinguishedName \"%s\"",
		    inc->connector != NULL ? inc->connector : "<AAD connector>",
		    o->dn);
	if (n < max)
		xasprintf(&lines[n++], "After the fix: on %s "
		    "Start-ADSyncSyncCycle -PolicyType Delta", inc->host);
	return (n);
}

/* A connector that cannot reach its directory. */
size_t
remedy_connectivity(const struct incident *inc, char **lines, size_t max)
{
	const char	*conn;
	size_t		 n = 0;

	conn = inc->connector != NULL ? inc->connector : "<connector>";
	if (n < max && inc->conn_kind == REC_CONN_AAD)
		xasprintf(&lines[n++], "From %s: Test-NetConnection "
		    "login.microsoftonline.com -Port 443; check the proxy "
		    "(machine.config) and the AAD connector account's "
		    "credentials in the Microsoft Entra Connect wizard",
		    inc->host);
	else if (n < max)
		xasprintf(&lines[n++], "From %s: nltest /dsgetdc:%s and "
		    "Test-NetConnection <DC> -Port 389; check the AD connector "
		    "account's password (Synchronization Service Manager, "
		    "Connectors, %s, Properties)", inc->host, conn, conn);
	if (n < max && inc->detail != NULL)
		xasprintf(&lines[n++], "Reported: %s", inc->detail);
	if (n < max)
		xasprintf(&lines[n++], "Verify: the next run of %s ends "
		    "success (Get-ADSyncRunProfileResult -ConnectorName \"%s\" "
		    "-NumberRequested 1)", conn, conn);
	return (n);
}

/* No run result for too long: the scheduler, the service, staging. */
size_t
remedy_stalled(const struct incident *inc, char **lines, size_t max)
{
	size_t	n = 0;

	if (n < max)
		xasprintf(&lines[n++], "On %s: Get-ADSyncScheduler "
		    "(SyncCycleEnabled True, StagingModeEnabled False, "
		    "NextSyncCycleStartTimeInUTC in the future)", inc->host);
	if (n < max)
		xasprintf(&lines[n++], "Get-Service ADSync (Running); if the "
		    "scheduler is off: Set-ADSyncScheduler -SyncCycleEnabled "
		    "$true");
	if (n < max)
		xasprintf(&lines[n++], "Start-ADSyncSyncCycle -PolicyType "
		    "Delta; verify: new run results arrive from %s", inc->host);
	return (n);
}

/* An alert nothing else explains: as received, and where to look. */
size_t
remedy_alert(const struct incident *inc, char **lines, size_t max)
{
	size_t	n = 0;

	if (n < max)
		xasprintf(&lines[n++], "Alert as received: %s%s%s",
		    inc->alert.title != NULL ? inc->alert.title : "unknown",
		    inc->detail != NULL ? ": " : "",
		    inc->detail != NULL ? inc->detail : "");
	if (n < max)
		xasprintf(&lines[n++], "Open it in the Microsoft Entra Connect "
		    "Health portal (Sync services, %s, Alerts) for its details "
		    "and the steps Microsoft gives", inc->host);
	return (n);
}
