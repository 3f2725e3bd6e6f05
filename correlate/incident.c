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
	[INC_PERMISSION_MISSING] = "connector-permission-missing",
	[INC_COLLISION] = "directory-data-collision",
	[INC_OBJECT_TYPE_MISMATCH] = "object-type-mismatch",
	[INC_INVALID_HARD_MATCH] = "invalid-hard-match",
	[INC_LARGE_OBJECT] = "large-object",
	[INC_DATA_VALIDATION] = "data-validation-failed",
	[INC_FEDERATED_DOMAIN] = "federated-domain-change",
	[INC_AAD_EXPORT_ERROR] = "aad-export-error",
	[INC_AD_EXPORT_ERROR] = "ad-export-error",
	[INC_CONNECTIVITY] = "connectivity",
	[INC_SYNC_STALLED] = "sync-stalled",
	[INC_HEALTH_ALERT] = "health-alert",
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

/*
 * Appends s (lower-cased when fold) and a NUL, a separator no string
 * holds, so that ("ab", "c") and ("a", "bc") differ; returns past it.
 */
static char *
incident_digest_str(char *p, const char *s, int fold)
{
	for (; s != NULL && *s != '\0'; s++)
		*p++ = fold ? (char)tolower((unsigned char)*s) : *s;
	*p++ = '\0';
	return (p);
}

/*
 * The fingerprint of (host, class, connector, scope) as hex into id: the
 * SHA-256 of the four, each ended by a NUL, taken in one digest.  The
 * algorithm is fetched once, and its context kept: fetching it at every
 * call cost more than the hash of a short key.
 */
void
incident_fingerprint(enum incident_class cls, const char *host,
    const char *connector, const char *scope, char id[INCIDENT_IDLEN + 1])
{
	static const char	 hex[] = "0123456789abcdef";
	static EVP_MD		*md;
	static EVP_MD_CTX	*ctx;
	const char		*name = incident_class_name(cls);
	unsigned char		 d[EVP_MAX_MD_SIZE];
	unsigned int		 dlen = 0, i;
	char			 stack[1024], *msg = stack, *p;
	size_t			 len;

	len = strlen(host) + strlen(name) + 4;
	len += (connector != NULL ? strlen(connector) : 0) +
	    (scope != NULL ? strlen(scope) : 0);
	if (len > sizeof(stack))
		msg = xmalloc(len);
	p = incident_digest_str(msg, host, 1);
	p = incident_digest_str(p, name, 0);
	p = incident_digest_str(p, connector, 1);
	p = incident_digest_str(p, scope, 0);
	if (md == NULL && ((md = EVP_MD_fetch(NULL, "SHA256", NULL)) ==
	    NULL || (ctx = EVP_MD_CTX_new()) == NULL))
		abort();
	if (EVP_DigestInit_ex2(ctx, md, NULL) != 1 ||
	    EVP_DigestUpdate(ctx, msg, (size_t)(p - msg)) != 1 ||
	    EVP_DigestFinal_ex(ctx, d, &dlen) != 1 ||
	    dlen * 2 < INCIDENT_IDLEN)
		abort();
	if (msg != stack)
		free(msg);
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
	inc->cleared = REC_TIME_NONE;
	inc->alert.raised = inc->alert.resolved = REC_TIME_NONE;
	incident_fingerprint(cls, host, connector, scope, inc->id);
	return (inc);
}

static void
incident_object_free(struct incident_object *o)
{
	free(o->key);
	free(o->dn);
	free(o->upn);
	free(o->sam);
	free(o);
}

void
incident_free(struct incident *inc)
{
	size_t	i;

	if (inc == NULL)
		return;
	for (i = 0; i < inc->nobjects; i++)
		incident_object_free(inc->objects[i]);
	free(inc->objects);
	table_free(inc->objindex);
	for (i = 0; i < inc->nowners; i++)
		free(inc->owners[i]);
	free(inc->host);
	free(inc->connector);
	free(inc->scope);
	free(inc->skey);
	free(inc->attribute);
	free(inc->ou);
	free(inc->value);
	free(inc->error_type);
	free(inc->error_name);
	free(inc->literal);
	free(inc->server_detail);
	free(inc->detail);
	free(inc->account);
	free(inc->alert.alert);
	free(inc->alert.title);
	free(inc->alert.message_id);
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

/* The object whose key (lower-case DN) is key, or NULL. */
static struct incident_object *
incident_find_key(const struct incident *inc, const char *key)
{
	size_t	i;

	if (inc->objindex != NULL)
		return (table_get(inc->objindex, key));
	for (i = 0; i < inc->nobjects; i++)
		if (strcmp(inc->objects[i]->key, key) == 0)
			return (inc->objects[i]);
	return (NULL);
}

/* The object dn, or NULL. */
struct incident_object *
incident_find_object(const struct incident *inc, const char *dn)
{
	struct incident_object	*o;
	char			 buf[512], *k;
	size_t			 i, len = strlen(dn);

	if (len >= sizeof(buf)) {
		k = table_lower(dn, -1);
		o = incident_find_key(inc, k);
		free(k);
		return (o);
	}
	for (i = 0; i <= len; i++)
		buf[i] = (char)tolower((unsigned char)dn[i]);
	return (incident_find_key(inc, buf));
}

/*
 * Adds the object dn, or refreshes what is known of it, in O(1) through
 * the index.  Past CORRELATE_MAXTRACKED objects are dropped and counted.
 */
struct incident_object *
incident_add_object(struct incident *inc, const char *dn, const char *upn,
    const char *sam, int64_t retries, int64_t first, int64_t last,
    int64_t seen, uint64_t *dropped)
{
	struct incident_object	*o;
	size_t			 i;

	if ((o = incident_find_object(inc, dn)) != NULL) {
		incident_set(&o->upn, upn);
		incident_set(&o->sam, sam);
		if (retries > o->retries)
			o->retries = retries;
		if (first != REC_TIME_NONE && (o->first_seen ==
		    REC_TIME_NONE || first < o->first_seen))
			o->first_seen = first;
		if (last > o->last_seen)
			o->last_seen = last;
		if (seen > o->observed)
			o->observed = seen;
		return (o);
	}
	if (inc->nobjects >= CORRELATE_MAXTRACKED) {
		(*dropped)++;
		return (NULL);
	}
	o = xcalloc(1, sizeof(*o));
	o->key = table_lower(dn, -1);
	o->dn = xstrdup(dn);
	o->upn = upn != NULL ? xstrdup(upn) : NULL;
	o->sam = sam != NULL ? xstrdup(sam) : NULL;
	o->retries = retries;
	o->first_seen = first;
	o->last_seen = last;
	o->observed = seen;
	o->admin = -1;
	if (inc->nobjects == inc->objcap) {
		inc->objcap = inc->objcap == 0 ? 4 : inc->objcap * 2;
		inc->objects = xreallocarray(inc->objects, inc->objcap,
		    sizeof(*inc->objects));
	}
	inc->objects[inc->nobjects++] = o;
	/* Most incidents have one object: an index only for many. */
	if (inc->objindex == NULL && inc->nobjects > INCIDENT_LINEAR) {
		inc->objindex = table_new();
		for (i = 0; i < inc->nobjects; i++)
			table_put(inc->objindex, inc->objects[i]->key,
			    inc->objects[i]);
	} else if (inc->objindex != NULL)
		table_put(inc->objindex, o->key, o);
	return (o);
}

/*
 * Drops the objects observed before t (a snapshot taken at t no longer
 * holds them); returns how many went.
 */
size_t
incident_drop_before(struct incident *inc, int64_t t)
{
	struct incident_object	*o;
	size_t			 i, j, n;

	for (i = j = 0; i < inc->nobjects; i++) {
		o = inc->objects[i];
		if (o->observed < t) {
			if (inc->objindex != NULL)
				table_del(inc->objindex, o->key);
			incident_object_free(o);
			continue;
		}
		inc->objects[j++] = o;
	}
	n = inc->nobjects - j;
	inc->nobjects = j;
	return (n);
}

/* Drops the object dn; 1 if it was there. */
int
incident_drop_object(struct incident *inc, const char *dn)
{
	struct incident_object	*o;
	size_t			 i;

	if ((o = incident_find_object(inc, dn)) == NULL)
		return (0);
	for (i = 0; i < inc->nobjects; i++)
		if (inc->objects[i] == o)
			break;
	inc->objects[i] = inc->objects[--inc->nobjects];
	if (inc->objindex != NULL)
		table_del(inc->objindex, o->key);
	incident_object_free(o);
	return (1);
}

/* Names one more owner of a contested value, once. */
void
incident_add_owner(struct incident *inc, const char *owner)
{
	size_t	i;

	if (owner == NULL || *owner == '\0')
		return;
	for (i = 0; i < inc->nowners; i++)
		if (strcasecmp(inc->owners[i], owner) == 0)
			return;
	if (inc->nowners < INCIDENT_MAXOWNERS)
		inc->owners[inc->nowners++] = xstrdup(owner);
}

static int
incident_object_cmp(const void *a, const void *b)
{
	const struct incident_object *const *x = a, *const *y = b;

	return (strcmp((*x)->key, (*y)->key));
}

/* The listed objects sorted by DN, for output (xmalloc'd array). */
struct incident_object **
incident_sorted(const struct incident *inc)
{
	struct incident_object	**v;

	v = xreallocarray(NULL, inc->nobjects + 1, sizeof(*v));
	if (inc->nobjects > 0)
		memcpy(v, inc->objects, inc->nobjects * sizeof(*v));
	qsort(v, inc->nobjects, sizeof(*v), incident_object_cmp);
	return (v);
}

/* The sum of the listed objects' retry counts, -1 when none is known. */
int64_t
incident_retries(const struct incident *inc)
{
	int64_t	sum = -1;
	size_t	i;

	for (i = 0; i < inc->nobjects; i++) {
		if (inc->objects[i]->retries < 0)
			continue;
		sum = (sum < 0 ? 0 : sum) + inc->objects[i]->retries;
	}
	return (sum);
}
