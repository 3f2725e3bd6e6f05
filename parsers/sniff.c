/*
 * sniff.c: tells a file's format from its first bytes, never from its
 * name: shippers rename, compress and concatenate freely.  XML formats are
 * told apart by their root element, found past any byte-order mark, XML
 * declaration, comment or DOCTYPE (a DOCTYPE still names the root, so a
 * hostile dump is routed to its parser and rejected there, loudly).
 */

#include <ctype.h>
#include <string.h>

#include "parsers.h"

/* XML root elements and the formats they announce. */
static const struct {
	const char		*root;
	enum parser_format	 fmt;
} sniff_roots[] = {
	{ "cs-objects", PARSER_FMT_CSEXPORT },
};

/*
 * Copies the first bytes of buf into out as 8-bit text: UTF-16 (with a
 * BOM, or told by the zero bytes around '<') is narrowed, a UTF-8 BOM is
 * dropped.  Returns the number of bytes written.
 */
static size_t
sniff_narrow(const unsigned char *b, size_t len, char *out, size_t outsz)
{
	size_t	i, n = 0;
	int	le;

	if (len >= 3 && b[0] == 0xef && b[1] == 0xbb && b[2] == 0xbf) {
		b += 3;
		len -= 3;
	}
	if (len >= 2 && ((b[0] == 0xff && b[1] == 0xfe) ||
	    (b[0] == 0xfe && b[1] == 0xff) ||
	    (b[0] != 0 && b[1] == 0) || (b[0] == 0 && b[1] != 0))) {
		le = b[0] == 0xff || (b[0] != 0 && b[1] == 0 && b[0] != 0xfe);
		if (b[0] == 0xff || b[0] == 0xfe) {
			b += 2;
			len -= 2;
		}
		for (i = 0; i + 1 < len && n < outsz; i += 2) {
			if (b[i + (le ? 1 : 0)] != 0)
				out[n++] = '?';
			else
				out[n++] = (char)b[i + (le ? 0 : 1)];
		}
		return (n);
	}
	n = len < outsz ? len : outsz;
	memcpy(out, b, n);
	return (n);
}

/* Skips past the first occurrence of end at or after *i; 0 if none. */
static int
sniff_skip_to(const char *s, size_t len, size_t *i, const char *end)
{
	size_t	n = strlen(end);

	for (; *i + n <= len; (*i)++) {
		if (memcmp(s + *i, end, n) == 0) {
			*i += n;
			return (1);
		}
	}
	return (0);
}

/*
 * The XML root element's name (or the name a DOCTYPE gives it) into root;
 * 0, or -1 when the text does not start like an XML document.
 */
static int
sniff_xml_root(const char *s, size_t len, char *root, size_t rootsz)
{
	size_t	i = 0, n;

	for (;;) {
		while (i < len && isspace((unsigned char)s[i]))
			i++;
		if (i + 1 >= len || s[i] != '<')
			return (-1);
		if (s[i + 1] == '?') {
			if (!sniff_skip_to(s, len, &i, "?>"))
				return (-1);
		} else if (len - i >= 4 && memcmp(s + i, "<!--", 4) == 0) {
			if (!sniff_skip_to(s, len, &i, "-->"))
				return (-1);
		} else if (len - i >= 9 && memcmp(s + i, "<!DOCTYPE", 9) == 0) {
			i += 9;
			while (i < len && isspace((unsigned char)s[i]))
				i++;
			break;
		} else {
			i++;
			break;
		}
	}
	for (n = 0; i < len && n + 1 < rootsz; i++, n++) {
		if (isspace((unsigned char)s[i]) || s[i] == '>' ||
		    s[i] == '/' || s[i] == '[')
			break;
		root[n] = s[i];
	}
	root[n] = '\0';
	return (n > 0 ? 0 : -1);
}

/* The format of a file from its first bytes; PARSER_FMT_UNKNOWN if none. */
enum parser_format
sniff_format(const void *buf, size_t len)
{
	char	text[SNIFF_BYTES], root[64];
	size_t	n, i;

	n = sniff_narrow(buf, len, text, sizeof(text));
	if (sniff_xml_root(text, n, root, sizeof(root)) == 0) {
		for (i = 0; i < sizeof(sniff_roots) / sizeof(sniff_roots[0]);
		    i++) {
			if (strcmp(root, sniff_roots[i].root) == 0)
				return (sniff_roots[i].fmt);
		}
	}
	return (PARSER_FMT_UNKNOWN);
}
