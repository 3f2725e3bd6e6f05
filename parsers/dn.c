/*
 * dn.c: the few things syncorr needs to know about an LDAP distinguished
 * name: where its domain part (the trailing DC= components) starts, the
 * DNS name that part spells, and the parent container.  Escaped commas
 * ("CN=Doe\, Jane,…") are honoured; nothing is allocated.
 */

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "parsers.h"

/* The start of the RDN after the one at p (past an unescaped comma). */
static const char *
dn_next(const char *p)
{
	for (; *p != '\0'; p++) {
		if (*p == '\\' && p[1] != '\0')
			p++;
		else if (*p == ',')
			return (p + 1);
	}
	return (NULL);
}

static int
dn_is_dc(const char *p)
{
	while (*p == ' ')
		p++;
	return (strncasecmp(p, "DC=", 3) == 0);
}

/*
 * The trailing run of DC= components of dn ("DC=contoso,DC=com"), as a
 * pointer into dn; NULL when dn does not end in DC= components.
 */
const char *
dn_domain(const char *dn)
{
	const char	*p, *start = NULL;

	for (p = dn; p != NULL; p = dn_next(p)) {
		if (dn_is_dc(p)) {
			if (start == NULL)
				start = p;
		} else
			start = NULL;
	}
	while (start != NULL && *start == ' ')
		start++;
	return (start);
}

/*
 * The DNS name the DC= components of dn spell ("contoso.com") into buf;
 * returns 0, or -1 when there are none or buf is too small.
 */
int
dn_dns_name(const char *dn, char *buf, size_t bufsz)
{
	const char	*p, *end;
	size_t		 n = 0, len;

	if (bufsz == 0 || (p = dn_domain(dn)) == NULL)
		return (-1);
	for (; p != NULL; p = dn_next(p)) {
		while (*p == ' ')
			p++;
		p += 3;
		end = p;
		while (*end != '\0' && *end != ',')
			end++;
		len = (size_t)(end - p);
		while (len > 0 && p[len - 1] == ' ')
			len--;
		if (n + len + (n > 0) + 1 > bufsz)
			return (-1);
		if (n > 0)
			buf[n++] = '.';
		memcpy(buf + n, p, len);
		n += len;
	}
	buf[n] = '\0';
	return (0);
}

/* The parent container of dn (past its first RDN), or NULL. */
const char *
dn_parent(const char *dn)
{
	const char	*p;

	if ((p = dn_next(dn)) == NULL)
		return (NULL);
	while (*p == ' ')
		p++;
	return (*p == '\0' ? NULL : p);
}
