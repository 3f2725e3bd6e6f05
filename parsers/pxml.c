/*
 * pxml.c: what every libxml2 SAX2 parser here needs besides its own
 * element logic: a context that is safe on untrusted input, feeding one
 * document to it in fixed blocks and keeping the first reason it failed
 * with an offset (struct pxml), finding an attribute among the SAX2
 * attribute tuples, and turning a libxml2 error, whose message may span
 * lines, into the one-line reason syncorr reports.
 */

#include <stdint.h>
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

/*
 * A push context (an xmlParserCtxtPtr) for untrusted input, buf[0, len)
 * already in: no network, no entity replaced, CDATA as text.  NULL on no
 * memory; the caller frees it with xmlFreeParserCtxt.
 */
void *
pxml_ctxt_new(void *sax, void *user, const void *buf, size_t len)
{
	xmlParserCtxtPtr	ctxt;

	ctxt = xmlCreatePushParserCtxt(sax, user, buf, (int)len, NULL);
	if (ctxt == NULL)
		return (NULL);
	xmlCtxtUseOptions(ctxt, XML_PARSE_NONET | XML_PARSE_NOCDATA);
	/* xmlCtxtUseOptions resets this: keep entities unexpanded. */
	ctxt->replaceEntities = 0;
	return (ctxt);
}

/* Readies px to parse with handler sax, whose callbacks get user. */
void
pxml_init(struct pxml *px, void *sax, void *user)
{
	px->ctxt = NULL;
	px->sax = sax;
	px->user = user;
	px->nblk = 0;
	px->fed = 0;
	px->finishing = 0;
	px->failed = 0;
	px->errbuf[0] = '\0';
	px->erroff = 0;
}

/* Where libxml2 is in the input, or -1 when it cannot tell (UTF-16). */
static long
pxml_where(const struct pxml *px)
{
	return (px->ctxt != NULL ? xmlByteConsumed(px->ctxt) : -1);
}

/* The input offset libxml2 has parsed up to, 0 when it cannot tell. */
uint64_t
pxml_consumed(const struct pxml *px)
{
	long	at = pxml_where(px);

	return (at > 0 ? (uint64_t)at : 0);
}

/*
 * Stops the parser with reason; the first reason is the one kept.  The
 * offset is where libxml2 stopped when it can tell, else the end of
 * what it was given.
 */
void
pxml_fail(struct pxml *px, const char *reason)
{
	long	at;

	if (px->failed)
		return;
	px->failed = 1;
	snprintf(px->errbuf, sizeof(px->errbuf), "%s", reason);
	px->erroff = px->fed;
	if (px->ctxt != NULL) {
		at = pxml_where(px);
		if (at > 0 && (uint64_t)at <= px->fed)
			px->erroff = (uint64_t)at;
		xmlStopParser(px->ctxt);
	}
}

/*
 * Input libxml2 could not convert stops its input short without an error
 * of its own: what it reports next is only the document seeming to end.
 */
static int
pxml_badenc(const struct pxml *px)
{
	const xmlParserCtxt	*ctxt = px->ctxt;

	return (ctxt != NULL && ctxt->input != NULL &&
	    ctxt->input->buf != NULL && ctxt->input->buf->error != 0);
}

/*
 * Fails on a libxml2 error (a const xmlError *), from the handler's
 * serror with depth elements open; warnings pass.  The message may span
 * lines; ours is one.  An error at the end of the input inside an open
 * element is a cut-off copy, and says so plainly.
 */
void
pxml_fail_xml(struct pxml *px, const void *error, int depth)
{
	const xmlError	*err = error;
	char		 msg[200], prefix[64];

	if (err == NULL || err->level < XML_ERR_ERROR || px->failed)
		return;
	if (pxml_badenc(px)) {
		pxml_fail(px, PXML_BADENC);
		return;
	}
	prefix[0] = '\0';
	if (px->finishing && depth > 0)
		snprintf(prefix, sizeof(prefix), "truncated document (%d "
		    "elements still open): ", depth);
	pxml_error_text(err, prefix, msg, sizeof(msg));
	pxml_fail(px, msg);
}

/*
 * Hands one block to libxml2, creating its context from the first four
 * bytes (encoding detection) on the first block.
 */
static int
pxml_feed(struct pxml *px, const char *buf, size_t len, int last)
{
	xmlParserCtxtPtr	ctxt;
	size_t			n;
	int			rc;

	if (px->ctxt == NULL) {
		n = len < 4 ? len : 4;
		if ((px->ctxt = pxml_ctxt_new(px->sax, px->user, buf,
		    n)) == NULL) {
			pxml_fail(px, "cannot create an XML parser");
			return (-1);
		}
		px->fed += n;
		buf += n;
		len -= n;
	}
	ctxt = px->ctxt;
	px->fed += len;
	rc = xmlParseChunk(ctxt, buf, (int)len, last);
	/*
	 * Encoding errors reach no callback: libxml2 only returns them, or
	 * marks its input buffer and halts, and leaves wellFormed set.
	 */
	if (rc == XML_ERR_INVALID_ENCODING ||
	    rc == XML_ERR_UNSUPPORTED_ENCODING || pxml_badenc(px))
		pxml_fail(px, PXML_BADENC);
	else if ((rc != 0 || ctxt->wellFormed == 0) && !px->failed)
		pxml_fail(px, "malformed XML");
	return (px->failed ? -1 : 0);
}

/*
 * Feeds len bytes; 0, or -1 once the document is known bad.  Whole
 * blocks go straight from buf; only a block's pieces are copied.
 */
int
pxml_push(struct pxml *px, const void *buf, size_t len)
{
	const char	*p = buf;
	size_t		 n;

	if (px->failed)
		return (-1);
	while (len > 0) {
		if (px->nblk == 0 && len >= PXML_BLOCK) {
			if (pxml_feed(px, p, PXML_BLOCK, 0) == -1)
				return (-1);
			p += PXML_BLOCK;
			len -= PXML_BLOCK;
			continue;
		}
		n = PXML_BLOCK - px->nblk < len ? PXML_BLOCK - px->nblk : len;
		memcpy(px->blk + px->nblk, p, n);
		px->nblk += n;
		p += n;
		len -= n;
		if (px->nblk == PXML_BLOCK) {
			px->nblk = 0;
			if (pxml_feed(px, px->blk, PXML_BLOCK, 0) == -1)
				return (-1);
		}
	}
	return (0);
}

/* Ends the document; 0, or -1 when it was cut off or never began. */
int
pxml_finish(struct pxml *px)
{
	if (px->failed)
		return (-1);
	if (px->ctxt == NULL && px->nblk == 0) {
		pxml_fail(px, "empty file");
		return (-1);
	}
	/* What fails only once the end is known is a cut-off document. */
	if (pxml_feed(px, px->blk, px->nblk, 0) == -1)
		return (-1);
	px->nblk = 0;
	px->finishing = 1;
	return (pxml_feed(px, NULL, 0, 1));
}

/* Why the document failed and at which offset, or NULL. */
const char *
pxml_error(const struct pxml *px, uint64_t *offset)
{
	if (!px->failed)
		return (NULL);
	if (offset != NULL)
		*offset = px->erroff;
	return (px->errbuf);
}

/* Frees the libxml2 context (px itself is the caller's). */
void
pxml_free(struct pxml *px)
{
	if (px == NULL || px->ctxt == NULL)
		return;
	xmlFreeParserCtxt(px->ctxt);
	px->ctxt = NULL;
}
