/*
 * incident.c: an incident's identity and its list of objects.  The id is
 * a fingerprint over (host, class, connector, scope) and nothing else, so
 * every sync cycle that repeats a fault lands on the same incident, across
 * restarts and across replays.  Host and connector are case-folded first:
 * Windows spells the same server AADCONNECT01 and aadconnect01.
 */

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/evp.h>

#include "correlate.h"
#include "xmalloc.h"

static const char *incident_class_names[INC_CLASS_MAX] = {
	[INC_ADMINSDHOLDER] = "adminsdholder-writeback-denied",
	[INC_AD_EXPORT_ERROR] = "ad-export-error",
};

/* The class's name in JSON, syslog MSGID and the fingerprint. */
const char *
incident_class_name(enum incident_class c)
{
	if ((unsigned)c >= INC_CLASS_MAX)
		return ("unknown");
	return (incident_class_names[c]);
}

/* "open", "update" or "resolve". */
const char *
incident_transition_name(enum incident_transition tr)
{
	switch (tr) {
	case INC_OPEN:
		return ("open");
	case INC_UPDATE:
		return ("update");
	case INC_RESOLVE:
		return ("resolve");
	}
	return ("unknown");
}

static void
incident_digest_str(EVP_MD_CTX *md, const char *s, int fold)
{
	unsigned char	c;

	for (; s != NULL && *s != '\0'; s++) {
		c = fold ? (unsigned char)tolower((unsigned char)*s) :
		    (unsigned char)*s;
		EVP_DigestUpdate(md, &c, 1);
	}
	/* A separator no string holds, so ("ab","c") ≠ ("a","bc"). */
	EVP_DigestUpdate(md, "", 1);
}

/* The fingerprint of (host, class, connector, scope) as hex into id. */
void
incident_fingerprint(enum incident_class cls, const char *host,
    const char *connector, const char *scope, char id[INCIDENT_IDLEN + 1])
{
	static const char	 hex[] = "0123456789abcdef";
	unsigned char		 d[EVP_MAX_MD_SIZE];
	unsigned int		 dlen = 0, i;
	EVP_MD_CTX		*md;

	if ((md = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestInit_ex(md, EVP_sha256(), NULL) != 1)
		abort();
	incident_digest_str(md, host, 1);
	incident_digest_str(md, incident_class_name(cls), 0);
	incident_digest_str(md, connector, 1);
	incident_digest_str(md, scope, 0);
	if (EVP_DigestFinal_ex(md, d, &dlen) != 1 ||
	    dlen * 2 < INCIDENT_IDLEN)
		abort();
	EVP_MD_CTX_free(md);
	for (i = 0; i < INCIDENT_IDLEN / 2; i++) {
		id[i * 2] = hex[d[i] >> 4];
		id[i * 2 + 1] = hex[d[i] & 0xf];
	}
	id[INCIDENT_IDLEN] = '\0';
}

/* A new, not yet open incident; its id is the fingerprint. */
struct incident *
incident_new(enum incident_class cls, const char *host,
    const char *connector, enum rec_conn kind, const char *scope)
{
	struct incident	*inc;

	inc = xcalloc(1, sizeof(*inc));
	inc->cls = cls;
	inc->host = xstrdup(host);
	inc->connector = connector != NULL ? xstrdup(connector) : NULL;
	inc->conn_kind = kind;
	inc->scope = xstrdup(scope);
	inc->error_code = -1;
	inc->first_seen = inc->last_seen = REC_TIME_NONE;
	TAILQ_INIT(&inc->objects);
	incident_fingerprint(cls, host, connector, scope, inc->id);
	return (inc);
}

static void
incident_object_free(struct incident_object *o)
{
	free(o->dn);
	free(o->upn);
	free(o->sam);
	free(o);
}

void
incident_free(struct incident *inc)
{
	struct incident_object	*o;

	if (inc == NULL)
		return;
	while ((o = TAILQ_FIRST(&inc->objects)) != NULL) {
		TAILQ_REMOVE(&inc->objects, o, entry);
		incident_object_free(o);
	}
	free(inc->host);
	free(inc->connector);
	free(inc->scope);
	free(inc->attribute);
	free(inc->error_type);
	free(inc->literal);
	free(inc->server_detail);
	free(inc->account);
	free(inc);
}

/* Replaces *field with a copy of value; a NULL value changes nothing. */
void
incident_set(char **field, const char *value)
{
	if (value == NULL || (*field != NULL && strcmp(*field, value) == 0))
		return;
	free(*field);
	*field = xstrdup(value);
}

/*
 * Adds the object dn, or refreshes what is known of it: the list stays
 * sorted by DN so that output does not depend on arrival order.  Past
 * CORRELATE_MAXOBJECTS objects are counted, not listed.  Returns 1 when
 * the object is new to the incident.
 */
int
incident_add_object(struct incident *inc, const char *dn, const char *upn,
    const char *sam, int64_t retries, int64_t first, int64_t last,
    uint64_t *dropped)
{
	struct incident_object	*o, *after = NULL;
	int			 c;

	TAILQ_FOREACH(o, &inc->objects, entry) {
		if ((c = strcasecmp(o->dn, dn)) == 0) {
			incident_set(&o->upn, upn);
			incident_set(&o->sam, sam);
			if (retries > o->retries)
				o->retries = retries;
			if (first != REC_TIME_NONE && (o->first_seen ==
			    REC_TIME_NONE || first < o->first_seen))
				o->first_seen = first;
			if (last > o->last_seen)
				o->last_seen = last;
			return (0);
		}
		if (c > 0)
			break;
		after = o;
	}
	inc->nobjects++;
	if (inc->nobjects > CORRELATE_MAXOBJECTS) {
		(*dropped)++;
		return (1);
	}
	o = xcalloc(1, sizeof(*o));
	o->dn = xstrdup(dn);
	o->upn = upn != NULL ? xstrdup(upn) : NULL;
	o->sam = sam != NULL ? xstrdup(sam) : NULL;
	o->retries = retries;
	o->first_seen = first;
	o->last_seen = last;
	if (after == NULL)
		TAILQ_INSERT_HEAD(&inc->objects, o, entry);
	else
		TAILQ_INSERT_AFTER(&inc->objects, after, o, entry);
	return (1);
}

/* The sum of the listed objects' retry counts, -1 when none is known. */
int64_t
incident_retries(const struct incident *inc)
{
	const struct incident_object	*o;
	int64_t				 sum = -1;

	TAILQ_FOREACH(o, &inc->objects, entry) {
		if (o->retries < 0)
			continue;
		sum = (sum < 0 ? 0 : sum) + o->retries;
	}
	return (sum);
}
