/*
 * remedy.c: the words of an incident, for the person who reads it at
 * 3 a.m.: a one-line summary here, and the exact remediation steps the
 * class calls for (remedy_ad.c, remedy_aad.c).  They are generated from
 * what the evidence says, never executed.  Where a value is not known
 * (the connector account when the config does not give it) the text says
 * so with a placeholder and the command that finds it.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "correlate.h"
#include "xmalloc.h"

/* The name a person knows an object by: UPN, else sAMAccountName, DN. */
const char *
remedy_object_name(const struct incident_object *o)
{
	if (o->upn != NULL)
		return (o->upn);
	if (o->sam != NULL)
		return (o->sam);
	return (o->dn);
}

/* The first object in DN order, or NULL. */
const struct incident_object *
remedy_first(const struct incident *inc)
{
	const struct incident_object	*o = NULL;
	size_t				 i;

	for (i = 0; i < inc->nobjects; i++)
		if (o == NULL || strcmp(inc->objects[i]->key, o->key) < 0)
			o = inc->objects[i];
	return (o);
}

/* The distinct domain DNs of the incident's objects, sorted. */
size_t
remedy_domains(const struct incident *inc, const char **v, size_t max)
{
	const char	*d, *t;
	size_t		 n = 0, i, j;

	for (j = 0; j < inc->nobjects; j++) {
		if ((d = dn_domain(inc->objects[j]->dn)) == NULL)
			continue;
		for (i = 0; i < n; i++)
			if (strcasecmp(v[i], d) == 0)
				break;
		if (i == n && n < max)
			v[n++] = d;
	}
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && strcasecmp(v[j - 1], v[j]) > 0; j--) {
			t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	return (n);
}

/* "N objects (first, …)", the one object's name, or what. */
static void
remedy_who(const struct incident *inc, const char *what, char *buf,
    size_t bufsz)
{
	const struct incident_object	*o = remedy_first(inc);

	if (inc->nobjects == 1 && o != NULL)
		fmt_snprintf(buf, bufsz, "%s", remedy_object_name(o));
	else if (o != NULL)
		fmt_snprintf(buf, bufsz, "%zu %s (%s, …)", inc->nobjects, what,
		    remedy_object_name(o));
	else
		fmt_snprintf(buf, bufsz, "%s", what);
}

/* The summary of the classes about objects and their errors. */
static void
remedy_summary_objects(const struct incident *inc, const char *since,
    const char *retries, char *buf, size_t bufsz)
{
	const char	*dom[1], *conn, *attr, *name;
	char		 who[512];

	conn = inc->connector != NULL ? inc->connector : "the connector";
	attr = inc->attribute != NULL ? inc->attribute : "attribute";
	name = inc->error_name != NULL ? inc->error_name :
	    inc->error_type != NULL ? inc->error_type : "an error";
	switch (inc->cls) {
	case INC_ADMINSDHOLDER:
		remedy_who(inc, "protected accounts", who, sizeof(who));
		if (remedy_domains(inc, dom, 1) == 0)
			dom[0] = "<domain DN>";
		fmt_snprintf(buf, bufsz, "%s: %s writeback to %s is denied by "
		    "AdminSDHolder since %s%s%s; fix: grant WP;%s to the "
		    "connector account on CN=AdminSDHolder,CN=System,%s",
		    inc->host, attr, who, since, retries,
		    inc->protect == INC_PROT_INFERRED ? " (protection "
		    "inferred: few objects fail on an attribute the connector "
		    "writes elsewhere)" : "", inc->attribute != NULL ?
		    inc->attribute : "<attribute>", dom[0]);
		break;
	case INC_PERMISSION_MISSING:
		remedy_who(inc, "objects", who, sizeof(who));
		fmt_snprintf(buf, bufsz, "%s: the connector account of %s may not "
		    "write %s to %s under %s since %s%s; fix: grant it on "
		    "that OU (ADSyncConfig)", inc->host, conn, attr, who,
		    inc->ou != NULL ? inc->ou : "their OU", since, retries);
		break;
	case INC_AD_EXPORT_ERROR:
		remedy_who(inc, "objects", who, sizeof(who));
		fmt_snprintf(buf, bufsz, "%s: export%s%s to %s on %s fails with "
		    "%s%s%s%s since %s%s", inc->host,
		    inc->attribute != NULL ? " of " : "",
		    inc->attribute != NULL ? inc->attribute : "", who, conn,
		    name, inc->literal != NULL ? " (" : "",
		    inc->literal != NULL ? inc->literal : "",
		    inc->literal != NULL ? ")" : "", since, retries);
		break;
	case INC_COLLISION:
		fmt_snprintf(buf, bufsz, "%s: %s%s%s is claimed by more than one "
		    "object (%s, %s) since %s; fix: decide which object keeps "
		    "it and change the other", inc->host,
		    inc->attribute != NULL ? inc->attribute : "",
		    inc->attribute != NULL ? " " : "",
		    inc->value != NULL ? inc->value : "a value",
		    inc->nowners > 0 ? inc->owners[0] : "unknown owner",
		    inc->nowners > 1 ? inc->owners[1] : "another object",
		    since);
		break;
	default:
		remedy_who(inc, "objects", who, sizeof(who));
		fmt_snprintf(buf, bufsz, "%s: export of %s to Microsoft Entra ID "
		    "fails with %s since %s%s", inc->host, who, name, since,
		    retries);
		break;
	}
}

/* The one line a person reads, into buf. */
void
remedy_summary(const struct incident *inc, char *buf, size_t bufsz)
{
	char	since[32], retries[48];
	int64_t	r = incident_retries(inc);

	ptime_format(inc->first_seen, since, sizeof(since));
	since[10] = '\0';	/* the date is what a person wants here */
	retries[0] = '\0';
	if (r >= 0)
		fmt_snprintf(retries, sizeof(retries), " (%lld retries)",
		    (long long)r);
	switch (inc->cls) {
	case INC_CONNECTIVITY:
		fmt_snprintf(buf, bufsz, "%s: connector %s cannot reach its "
		    "directory (%s) since %s", inc->host,
		    inc->connector != NULL ? inc->connector : "unknown",
		    inc->detail != NULL ? inc->detail : "connectivity", since);
		break;
	case INC_SYNC_STALLED:
		fmt_snprintf(buf, bufsz, "%s: sync has stalled since %s (%s)",
		    inc->host, since, inc->detail != NULL ? inc->detail :
		    "no run result");
		break;
	case INC_HEALTH_ALERT:
		fmt_snprintf(buf, bufsz, "%s: Connect Health alert \"%s\" since "
		    "%s, not explained by the logs", inc->host,
		    inc->alert.title != NULL ? inc->alert.title : "unknown",
		    since);
		break;
	default:
		remedy_summary_objects(inc, since, retries, buf, bufsz);
		break;
	}
	pvalue_fold(buf);
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
	case INC_PERMISSION_MISSING:
		n = remedy_permission(inc, lines, maxlines);
		break;
	case INC_AD_EXPORT_ERROR:
		n = remedy_ad_export(inc, lines, maxlines);
		break;
	case INC_COLLISION:
		n = remedy_collision(inc, lines, maxlines);
		break;
	case INC_CONNECTIVITY:
		n = remedy_connectivity(inc, lines, maxlines);
		break;
	case INC_SYNC_STALLED:
		n = remedy_stalled(inc, lines, maxlines);
		break;
	case INC_HEALTH_ALERT:
		n = remedy_alert(inc, lines, maxlines);
		break;
	default:
		n = remedy_aad(inc, lines, maxlines);
		break;
	}
	for (i = 0; i < n; i++)
		pvalue_fold(lines[i]);
	return (n);
}
