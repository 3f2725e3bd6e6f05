/*
 * remedy.c: the words of an incident, for the person who reads it at
 * 3 a.m.: a one-line summary and the exact remediation steps.  They are
 * generated from what the evidence says, never executed.  Where a value is
 * not known (the connector account when the config does not give it) the
 * text says so with a placeholder and the command that finds it.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "correlate.h"
#include "xmalloc.h"

#define REMEDY_ACCOUNT_PLACEHOLDER	"<DOMAIN>\\MSOL_<id>"
#define REMEDY_MAXDOMAINS		8

/* The name a person knows an object by: UPN, else sAMAccountName, DN. */
static const char *
remedy_object_name(const struct incident_object *o)
{
	if (o->upn != NULL)
		return (o->upn);
	if (o->sam != NULL)
		return (o->sam);
	return (o->dn);
}

/* The distinct domain DNs of the incident's objects, in DN order. */
static size_t
remedy_domains(const struct incident *inc, const char **v, size_t max)
{
	const struct incident_object	*o;
	const char			*d;
	size_t				 n = 0, i;

	TAILQ_FOREACH(o, &inc->objects, entry) {
		if ((d = dn_domain(o->dn)) == NULL)
			continue;
		for (i = 0; i < n; i++)
			if (strcasecmp(v[i], d) == 0)
				break;
		if (i == n && n < max)
			v[n++] = d;
	}
	return (n);
}

/* The one line a person reads, into buf. */
void
remedy_summary(const struct incident *inc, char *buf, size_t bufsz)
{
	const struct incident_object	*o = TAILQ_FIRST(&inc->objects);
	char				 since[32], who[512], retries[48];
	const char			*dom[1];
	int64_t				 r = incident_retries(inc);

	ptime_format(inc->first_seen, since, sizeof(since));
	since[10] = '\0';	/* the date is what a person wants here */
	if (inc->nobjects == 1 && o != NULL)
		snprintf(who, sizeof(who), "%s", remedy_object_name(o));
	else if (o != NULL)
		snprintf(who, sizeof(who), "%zu %s (%s, …)", inc->nobjects,
		    inc->protect != INC_PROT_NONE ? "protected accounts" :
		    "objects", remedy_object_name(o));
	else
		snprintf(who, sizeof(who), "protected accounts");
	retries[0] = '\0';
	if (r >= 0)
		snprintf(retries, sizeof(retries), " (%lld retries)",
		    (long long)r);
	switch (inc->cls) {
	case INC_ADMINSDHOLDER:
		if (remedy_domains(inc, dom, 1) == 0)
			dom[0] = "<domain DN>";
		snprintf(buf, bufsz, "%s: %s writeback to %s is denied by "
		    "AdminSDHolder since %s%s; fix: grant WP;%s to the "
		    "connector account on CN=AdminSDHolder,CN=System,%s",
		    inc->host, inc->attribute != NULL ? inc->attribute :
		    "attribute", who, since, retries, inc->attribute != NULL ?
		    inc->attribute : "<attribute>", dom[0]);
		break;
	case INC_AD_EXPORT_ERROR:
		snprintf(buf, bufsz, "%s: export%s%s to %s on %s fails with "
		    "%s%s%s%s since %s%s", inc->host,
		    inc->attribute != NULL ? " of " : "",
		    inc->attribute != NULL ? inc->attribute : "", who,
		    inc->connector != NULL ? inc->connector : "the AD connector",
		    inc->error_type != NULL ? inc->error_type : "an error",
		    inc->literal != NULL ? " (" : "",
		    inc->literal != NULL ? inc->literal : "",
		    inc->literal != NULL ? ")" : "", since, retries);
		break;
	default:
		snprintf(buf, bufsz, "%s: %s", inc->host,
		    incident_class_name(inc->cls));
		break;
	}
	pvalue_fold(buf);
}

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
static size_t
remedy_ad_export(const struct incident *inc, char **lines, size_t max)
{
	const struct incident_object	*o = TAILQ_FIRST(&inc->objects);
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
static size_t
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

/* The remediation steps into lines (xmalloc'd); returns how many. */
size_t
remedy_lines(const struct incident *inc, char **lines, size_t maxlines)
{
	size_t	n, i;

	switch (inc->cls) {
	case INC_ADMINSDHOLDER:
		n = remedy_adminsdholder(inc, lines, maxlines);
		break;
	case INC_AD_EXPORT_ERROR:
		n = remedy_ad_export(inc, lines, maxlines);
		break;
	default:
		n = 0;
		break;
	}
	for (i = 0; i < n; i++)
		pvalue_fold(lines[i]);
	return (n);
}
