/*
 * pconflict.c: what an AAD export error says is contested.  The AAD
 * connector names the attribute and value twice: as JSON in
 * extra-error-details ([{"Key":"AttributeConflictName","Value":[…]}, …],
 * the keys Microsoft's own tooling reads), and as "[UserPrincipalName
 * john@contoso.com;]" inside its detail text, which is all event 6941 and
 * the sync-error mail carry.  Both end up in the same four fields.
 */

#include <ctype.h>
#include <string.h>

#include "parsers.h"

/* Copies [s, s + len) into pc->buf; NULL when it is full. */
static const char *
pconflict_keep(struct pconflict *pc, size_t *used, const char *s,
    size_t len)
{
	char	*o;

	if (len == 0 || *used + len + 1 > sizeof(pc->buf))
		return (NULL);
	o = pc->buf + *used;
	memcpy(o, s, len);
	o[len] = '\0';
	*used += len + 1;
	return (o);
}

static void
pconflict_clear(struct pconflict *pc)
{
	pc->attr = pc->value = pc->object_id = pc->conflict_object_id = NULL;
}

/* The first string of a Value (an array of strings, or a string). */
static const char *
pconflict_first(struct pjson *j, int v)
{
	if (pjson_type(j, v) == PJSON_ARRAY)
		v = pjson_first(j, v);
	return (pjson_str(j, v));
}

int
pconflict_extra(struct pconflict *pc, const char *json)
{
	struct pjson	*j;
	const char	*key, *val, **slot;
	size_t		 used = 0;
	int		 el, n, i;

	pconflict_clear(pc);
	if (json == NULL || (j = pjson_new()) == NULL)
		return (-1);
	if (pjson_parse(j, json, strlen(json)) == -1 ||
	    pjson_type(j, 0) != PJSON_ARRAY) {
		pjson_free(j);
		return (-1);
	}
	n = pjson_size(j, 0);
	for (i = 0, el = pjson_first(j, 0); i < n && el > 0;
	    i++, el = pjson_skip(j, el)) {
		if ((key = pjson_str(j, pjson_getci(j, el, "Key"))) == NULL)
			continue;
		if (strcmp(key, "AttributeConflictName") == 0)
			slot = &pc->attr;
		else if (strcmp(key, "AttributeConflictValues") == 0)
			slot = &pc->value;
		else if (strcmp(key, "ObjectId") == 0)
			slot = &pc->object_id;
		else if (strcmp(key, "ObjectIdInConflict") == 0)
			slot = &pc->conflict_object_id;
		else
			continue;
		val = pconflict_first(j, pjson_getci(j, el, "Value"));
		if (val != NULL && *slot == NULL)
			*slot = pconflict_keep(pc, &used, val, strlen(val));
	}
	pjson_free(j);
	return (pc->attr != NULL || pc->value != NULL ||
	    pc->object_id != NULL || pc->conflict_object_id != NULL ? 0 : -1);
}

/*
 * "… [UserPrincipalName john@contoso.com;] …", "[ProxyAddresses
 * SMTP:a@x;smtp:b@x;]" (the first value is kept) or "[FederatedUser.
 * UserPrincipalName]" (no value): the first bracket that opens with an
 * attribute name.
 */
int
pconflict_text(struct pconflict *pc, const char *text)
{
	const char	*p, *a, *v;
	size_t		 used = 0, alen;

	pconflict_clear(pc);
	if (text == NULL)
		return (-1);
	for (p = strchr(text, '['); p != NULL; p = strchr(p + 1, '[')) {
		a = p + 1;
		if (!isalpha((unsigned char)*a))
			continue;
		for (alen = 0; isalnum((unsigned char)a[alen]) ||
		    a[alen] == '.' || a[alen] == '-' || a[alen] == '_'; alen++)
			;
		if (a[alen] != ' ' && a[alen] != ']' && a[alen] != ';')
			continue;
		pc->attr = pconflict_keep(pc, &used, a, alen);
		v = a + alen;
		while (*v == ' ')
			v++;
		p = v;
		while (*p != '\0' && *p != ';' && *p != ']')
			p++;
		while (p > v && p[-1] == ' ')
			p--;
		if (p > v)
			pc->value = pconflict_keep(pc, &used, v,
			    (size_t)(p - v));
		return (0);
	}
	return (-1);
}
