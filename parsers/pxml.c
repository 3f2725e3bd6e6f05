/*
 * pxml.c: what every libxml2 SAX2 parser here needs besides its own
 * element logic: finding an attribute among the SAX2 attribute tuples,
 * and turning a libxml2 error, whose message may span lines, into the
 * one-line reason syncorr reports with a file and an offset.
 */

#include <stdio.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/xmlerror.h>

#include "parsers.h"

/* No entity is ever looked up: undeclared is the only answer. */
static xmlEntityPtr
pxml_entity_cb(void *ctx, const xmlChar *name)
{
	(void)ctx, (void)name;
	return (NULL);
}

/*
 * Readies an empty SAX2 handler (an xmlSAXHandler *) for untrusted
 * input: no entity is ever resolved, so nothing can expand or be fetched.
 * The caller adds its element callbacks and refuses a DOCTYPE itself.
 */
void
pxml_sax_init(void *handler)
{
	xmlSAXHandler	*sax = handler;

	memset(sax, 0, sizeof(*sax));
	sax->initialized = XML_SAX2_MAGIC;
	sax->getEntity = pxml_entity_cb;
	sax->getParameterEntity = pxml_entity_cb;
}

/*
 * Finds attribute name among SAX2's nattrs (localname, prefix, URI,
 * value, end) tuples; its value is not NUL terminated.  1 if found.
 */
int
pxml_attr(const unsigned char **attrs, int nattrs, const char *name,
    const char **val, size_t *len)
{
	int	i;

	for (i = 0; i < nattrs; i++) {
		if (strcmp((const char *)attrs[i * 5], name) == 0) {
			*val = (const char *)attrs[i * 5 + 3];
			*len = (size_t)(attrs[i * 5 + 4] - attrs[i * 5 + 3]);
			return (1);
		}
	}
	return (0);
}

/*
 * The message of a libxml2 error (a const xmlError *) after prefix,
 * folded to one line, into buf.
 */
void
pxml_error_text(const void *error, const char *prefix, char *buf,
    size_t bufsz)
{
	const xmlError	*err = error;

	snprintf(buf, bufsz, "%s%s", prefix,
	    err != NULL && err->message != NULL ? err->message : "XML error");
	pvalue_fold(buf);
}
