/*
 * dn.c: the few things syncorr needs to know about an LDAP distinguished
 * name: where its domain part (the trailing DC= components) starts, the
 * DNS name that part spells, and the parent container.  Escaped commas
 * ("CN=Doe\, Jane,…") are honoured; nothing is allocated.
 */

#include <stdio.h>
#include <string.h>

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

/* Whether the RDN at p is a DC= one (compared inline: one per RDN). */
static int
dn_is_dc(const char *p)
{
	while (*p == ' ')
		p++;
	return ((p[0] | 0x20) == 'd' && (p[1] | 0x20) == 'c' && p[2] == '=');
}

/* Whether the comma at p is escaped: an odd run of backslashes before. */
static int
dn_escaped(const char *dn, const char *p)
{
	size_t	n = 0;

	for (; p > dn && p[-1] == '\\'; p--)
		n++;
	return (n & 1);
}

/*
 * The trailing run of DC= components of dn ("DC=contoso,DC=com"), as a
 * pointer into dn; NULL when dn does not end in DC= components.  Read
 * from the end, RDN by RDN, up to the first that is not DC=: a DN's
 * domain part is its shortest.
 */
const char *
dn_domain(const char *dn)
{
	const char	*p = dn + strlen(dn), *rdn, *start = NULL;

	for (;;) {
		/* The RDN ending at p starts past the comma before it. */
		for (rdn = p; rdn > dn && (rdn[-1] != ',' ||
		    dn_escaped(dn, rdn - 1)); rdn--)
			continue;
		if (!dn_is_dc(rdn))
			break;
		start = rdn;
		if (rdn == dn)
			break;
		p = rdn - 1;
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
