/*
 * evxml.c: Windows events as XML (FORMATS.md §1.6, §1.7): wevtutil's
 * "qe … /f:xml" and "/f:RenderedXml", which write one <Event> after
 * another with no root element, its "/e:Events" form wrapped in <Events>,
 * and Event Viewer's pretty-printed "Save as XML", in UTF-8 or, through
 * PowerShell's Out-File, UTF-16 with a BOM.  Each event becomes a struct
 * evt, and evt_emit decides whether it is a record.
 *
 * A root-less stream is not a document, and one broken event must not
 * cost the rest.  So a small framer (evxml_frame.c) cuts the text into
 * events first, and each event is handed whole to one libxml2 SAX2 push
 * parser that lives inside a synthetic root element.  libxml2 thus
 * decides whether an event is well-formed, and sees the same bytes in the
 * same pieces however the input arrived.  An event it rejects is an item
 * error at the offset of its "<Event"; the parser context is then thrown
 * away and a fresh one starts with the next event.  In the steady state
 * nothing is allocated per event: the context, the text buffer and the
 * field arena are all reused.
 *
 * Untrusted input: a DOCTYPE before the events fails the file, one
 * inside an event fails that event; no entity is ever declared, expanded
 * or fetched, and the network is off.
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>

#include "parsers.h"
#include "evxml.h"

#define EVX_MAXFIELD	(64 * 1024)	/* bytes kept of one text value */
#define EVX_SLICE	(64 * 1024)	/* input bytes converted at a time */
#define EVX_INMAX	(EVX_MAXEVENT + 4 * EVX_SLICE)
/* Room for every value of an event: its text, and a NUL each. */
#define EVX_ARENA(n)	((n) + 2 * (EVX_F_MAX + EVT_MAXDATA) + 1)
#define EVX_MAXNEST	64		/* deeper nesting rejects the event */
#define EVX_ROOT	"<_>"		/* the synthetic root's start tag */

#define EVX_UNSET	SIZE_MAX

/* The names of enum evx_name, in its order. */
static const char *const evxml_names[EVX_N_MAX] = {
	"Event", "System", "EventData", "RenderingInfo", "Provider",
	"TimeCreated", "EventID", "Computer", "Data", "Message"
};

/*
 * The offset in the input of position pos of the UTF-8 text buffer: past
 * the BOM putf dropped, and twice as far for UTF-16 (exact for ASCII,
 * which is all the markup an offset can point at).
 */
uint64_t
evxml_offset(const struct evxml *ex, size_t pos)
{
	const unsigned char	*h = ex->head;
	uint64_t		 bom = 0;

	if (ex->utf.enc == PUTF_UTF8 && ex->nhead == 3 && h[0] == 0xef &&
	    h[1] == 0xbb && h[2] == 0xbf)
		bom = 3;
	else if (ex->utf.enc != PUTF_UTF8 && ex->nhead >= 2 &&
	    ((h[0] == 0xff && h[1] == 0xfe) || (h[0] == 0xfe && h[1] == 0xff)))
		bom = 2;
	return (bom + (ex->base + pos) * putf_width(&ex->utf));
}

/* Fails the whole input; the first reason is the one kept. */
void
evxml_fail(struct evxml *ex, uint64_t off, const char *reason)
{
	if (ex->failed)
		return;
	ex->failed = 1;
	ex->erroff = off;
	snprintf(ex->errbuf, sizeof(ex->errbuf), "%s", reason);
	if (ex->ctxt != NULL)
		xmlStopParser(ex->ctxt);
}

/* Rejects the item at input offset off (an event, or text) and goes on. */
void
evxml_reject(struct evxml *ex, uint64_t off, const char *reason)
{
	ex->stats.errors++;
	if (ex->ecb != NULL)
		ex->ecb(off, reason, ex->arg);
}

/*
 * Makes the arena hold an event of len bytes: the values libxml2 hands
 * over are never longer than the text they were written as, so the
 * appends that follow need no allocation, just a check.  0 or -1.
 */
static int
evxml_arena_reserve(struct evxml *ex, size_t len)
{
	struct pbuf	*a = &ex->arena;
	char		*p;

	a->len = 0;
	if (a->cap >= EVX_ARENA(len))
		return (0);
	if ((p = realloc(a->buf, EVX_ARENA(len))) == NULL)
		return (-1);
	a->buf = p;
	a->cap = EVX_ARENA(len);
	return (0);
}

/* Appends to the arena; -1 past its room, which does not happen. */
static int
evxml_arena_add(struct evxml *ex, const void *p, size_t len)
{
	struct pbuf	*a = &ex->arena;

	if (len > a->cap - a->len) {
		evxml_fail(ex, evxml_offset(ex, ex->evstart),
		    "internal error: event values overflow");
		return (-1);
	}
	memcpy(a->buf + a->len, p, len);
	a->len += len;
	return (0);
}

static const char *
evxml_get(const struct evxml *ex, enum evx_field f)
{
	if (ex->field[f] == EVX_UNSET)
		return (NULL);
	return (ex->arena.buf + ex->field[f]);
}

/* Keeps attribute name of an element as field f, unless f is set. */
static void
evxml_attr_field(struct evxml *ex, const xmlChar **attrs, int n,
    const char *name, enum evx_field f)
{
	const char	*v;
	size_t		 len, start = ex->arena.len;

	if (ex->field[f] != EVX_UNSET || !pxml_attr(attrs, n, name, &v, &len))
		return;
	if (len > EVX_MAXFIELD)
		len = EVX_MAXFIELD;
	if (evxml_arena_add(ex, v, len) == 0 &&
	    evxml_arena_add(ex, "", 1) == 0)
		ex->field[f] = start;
}

/* Starts capturing the text of a leaf into field f; its context. */
static enum evx_cx
evxml_capture(struct evxml *ex, int f)
{
	if (f == EVX_F_DATA ? ex->ndata >= EVT_MAXDATA :
	    ex->field[f] != EVX_UNSET)
		return (EVX_CX_SKIP);
	ex->capture = f;
	return (EVX_CX_TEXT);
}

/*
 * Decides what a new element is from its name and its parent's context:
 * only the few names that matter under that parent are compared.
 */
static enum evx_cx
evxml_classify(struct evxml *ex, enum evx_cx parent, const xmlChar *name,
    const xmlChar **attrs, int n)
{
	const xmlChar *const	*nm = ex->name;

	switch (parent) {
	case EVX_CX_ROOT:
		if (ex->nevents++ > 0 || name != nm[EVX_N_EVENT]) {
			if (ex->bad == NULL)
				ex->bad = "not one <Event> element";
			return (EVX_CX_SKIP);
		}
		return (EVX_CX_EVENT);
	case EVX_CX_EVENT:
		if (name == nm[EVX_N_SYSTEM])
			return (EVX_CX_SYSTEM);
		if (name == nm[EVX_N_EVENTDATA])
			return (EVX_CX_EVDATA);
		if (name == nm[EVX_N_RENDERINGINFO])
			return (EVX_CX_RENDER);
		return (EVX_CX_SKIP);
	case EVX_CX_SYSTEM:
		if (name == nm[EVX_N_PROVIDER])
			evxml_attr_field(ex, attrs, n, "Name", EVX_F_PROVIDER);
		else if (name == nm[EVX_N_TIMECREATED])
			evxml_attr_field(ex, attrs, n, "SystemTime",
			    EVX_F_TIME);
		else if (name == nm[EVX_N_EVENTID])
			return (evxml_capture(ex, EVX_F_ID));
		else if (name == nm[EVX_N_COMPUTER])
			return (evxml_capture(ex, EVX_F_COMPUTER));
		return (EVX_CX_SKIP);
	case EVX_CX_EVDATA:
		/* Named or not, every Data item counts, in order. */
		if (name == nm[EVX_N_DATA])
			return (evxml_capture(ex, EVX_F_DATA));
		return (EVX_CX_SKIP);
	case EVX_CX_RENDER:
		if (name == nm[EVX_N_MESSAGE])
			return (evxml_capture(ex, EVX_F_MESSAGE));
		return (EVX_CX_SKIP);
	default:
		return (EVX_CX_SKIP);
	}
}

static void
evxml_start_cb(void *ctx, const xmlChar *localname, const xmlChar *prefix,
    const xmlChar *uri, int nns, const xmlChar **ns, int nattrs,
    int ndefaulted, const xmlChar **attrs)
{
	struct evxml	*ex = ctx;
	enum evx_cx	 c;

	(void)prefix, (void)uri, (void)nns, (void)ns, (void)ndefaulted;
	/*
	 * An event is a few elements deep.  libxml2's push parser sets no
	 * depth limit of its own, and each level costs it memory.
	 */
	if (++ex->depth > EVX_MAXNEST) {
		if (ex->bad == NULL)
			ex->bad = "elements nested too deep";
		xmlStopParser(ex->ctxt);
		return;
	}
	if (ex->skip != 0 || ex->failed)
		return;
	if (ex->depth == 1)
		c = EVX_CX_ROOT;	/* the synthetic root, always */
	else if (ex->depth > EVX_MAXDEPTH)
		c = EVX_CX_SKIP;
	else
		c = evxml_classify(ex, ex->stack[ex->depth - 2], localname,
		    attrs, nattrs);
	if (c == EVX_CX_SKIP) {
		ex->skip = ex->depth;
		return;
	}
	ex->stack[ex->depth - 1] = c;
	if (c == EVX_CX_TEXT)
		ex->capture_start = ex->arena.len;
}

/* Ends a leaf's capture: its text, NUL terminated, becomes its field. */
static void
evxml_capture_end(struct evxml *ex)
{
	const char	*s;
	size_t		 len, start = ex->capture_start;

	if (ex->capture != EVX_F_DATA && ex->capture != EVX_F_MESSAGE &&
	    ex->arena.len > start) {
		/* EventID and Computer: blanks around them are layout. */
		s = ex->arena.buf + start;
		len = ex->arena.len - start;
		pvalue_trim(&s, &len);
		if (len > 0)
			memmove(ex->arena.buf + start, s, len);
		ex->arena.len = start + len;
	}
	if (evxml_arena_add(ex, "", 1) == -1)
		return;
	if (ex->capture == EVX_F_DATA)
		ex->data[ex->ndata++] = start;
	else
		ex->field[ex->capture] = start;
	ex->capture = -1;
}

static void
evxml_end_cb(void *ctx, const xmlChar *localname, const xmlChar *prefix,
    const xmlChar *uri)
{
	struct evxml	*ex = ctx;
	enum evx_cx	 c;

	(void)localname, (void)prefix, (void)uri;
	if (ex->skip != 0) {
		if (ex->skip == ex->depth)
			ex->skip = 0;
		ex->depth--;
		return;
	}
	if (ex->failed || ex->depth < 1) {
		ex->depth--;
		return;
	}
	c = ex->stack[ex->depth - 1];
	ex->depth--;
	if (c == EVX_CX_TEXT)
		evxml_capture_end(ex);
	else if (c == EVX_CX_EVENT)
		ex->closed = 1;
}

static void
evxml_text_cb(void *ctx, const xmlChar *ch, int len)
{
	struct evxml	*ex = ctx;
	size_t		 room, n;

	if (ex->capture < 0 || ex->skip != 0 || ex->failed || len <= 0)
		return;
	if (ex->arena.len - ex->capture_start >= EVX_MAXFIELD)
		return;
	room = EVX_MAXFIELD - (ex->arena.len - ex->capture_start);
	n = (size_t)len;
	if (n > room) {
		/* Cut on a character boundary: the value stays UTF-8. */
		n = room;
		while (n > 0 && (ch[n] & 0xc0) == 0x80)
			n--;
	}
	evxml_arena_add(ex, ch, n);
}

/* libxml2's errors: the first one condemns the event being parsed. */
static void
evxml_error_cb(void *ctx, xmlErrorPtr err)
{
	struct evxml	*ex = ctx;

	if (err == NULL || err->level < XML_ERR_ERROR || ex->xmlerr[0] != '\0')
		return;
	pxml_error_text(err, "", ex->xmlerr, sizeof(ex->xmlerr));
}

/*
 * Blanks out the event namespace's declaration on <Event>, if that is
 * what follows the tag name.  Names are compared without namespaces
 * anyway, and libxml2 parses a declaration's URI again for each event,
 * which is a twentieth of the time spent on a small event.
 */
static void
evxml_drop_ns(char *b, size_t len)
{
	static const char	url[] =
	    "http://schemas.microsoft.com/win/2004/08/events/event";
	size_t			u = sizeof(url) - 1;
	char			q;

	/* "<Event" " xmlns=" quote url quote */
	if (len < 6 + 7 + 1 + u + 1 || memcmp(b + 6, " xmlns=", 7) != 0)
		return;
	q = b[13];
	if ((q != '\'' && q != '"') || memcmp(b + 14, url, u) != 0 ||
	    b[14 + u] != q)
		return;
	memset(b + 6, ' ', 7 + 1 + u + 1);
}

/* A context inside the synthetic root, ready for the next event. */
static int
evxml_open(struct evxml *ex)
{
	int	i;

	ex->ctxt = pxml_ctxt_new(&ex->sax, ex, EVX_ROOT, sizeof(EVX_ROOT) - 1);
	if (ex->ctxt == NULL) {
		evxml_fail(ex, evxml_offset(ex, ex->evstart),
		    "cannot create an XML parser");
		return (-1);
	}
	for (i = 0; i < EVX_N_MAX; i++) {
		ex->name[i] = xmlDictLookup(ex->ctxt->dict,
		    (const xmlChar *)evxml_names[i], -1);
		if (ex->name[i] == NULL) {
			xmlFreeParserCtxt(ex->ctxt);
			ex->ctxt = NULL;
			evxml_fail(ex, evxml_offset(ex, ex->evstart),
			    "out of memory");
			return (-1);
		}
	}
	ex->depth = 0;
	ex->skip = 0;
	return (0);
}

/*
 * Parses the event text in.buf[start, end) and emits its record.  cut
 * says why the framer ended it where it did when no "</Event>" did: the
 * reason given if libxml2 finds it unfinished.
 */
void
evxml_event(struct evxml *ex, size_t start, size_t end, const char *cut)
{
	struct evt	 e;
	const char	*reason = NULL, *s;
	int64_t		 v;
	size_t		 i;
	int		 rc;

	ex->stats.read++;
	if (ex->ctxt == NULL && evxml_open(ex) == -1)
		return;
	if (evxml_arena_reserve(ex, end - start) == -1) {
		evxml_fail(ex, evxml_offset(ex, start), "out of memory");
		return;
	}
	for (i = 0; i < EVX_F_MAX; i++)
		ex->field[i] = EVX_UNSET;
	ex->ndata = 0;
	ex->capture = -1;
	ex->nevents = ex->closed = 0;
	ex->bad = NULL;
	ex->xmlerr[0] = '\0';
	evxml_drop_ns(ex->in.buf + start, end - start);
	/* Line numbers in libxml2's messages count from the event's start. */
	ex->ctxt->input->line = 1;
	ex->ctxt->input->col = 1;
	rc = xmlParseChunk(ex->ctxt, ex->in.buf + start, (int)(end - start), 0);
	if (ex->failed)
		return;
	if (ex->bad != NULL)
		reason = ex->bad;
	else if (ex->xmlerr[0] != '\0')
		reason = ex->xmlerr;
	else if (rc == XML_ERR_INVALID_ENCODING || rc == XML_ERR_INVALID_CHAR)
		reason = "bytes that are not valid UTF-8 text";
	else if (rc != 0 || ex->ctxt->wellFormed == 0)
		reason = "malformed XML";
	else if (!ex->closed)
		reason = cut != NULL ? cut : "unfinished <Event> element";
	/*
	 * A failed context cannot go on, nor one the event left inside some
	 * markup or holding bytes it has yet to parse (after a cut): the next
	 * event gets a new one.
	 */
	if (reason != NULL || ex->depth != 1 ||
	    ex->ctxt->instate != XML_PARSER_CONTENT ||
	    ex->ctxt->input->cur != ex->ctxt->input->end) {
		xmlFreeParserCtxt(ex->ctxt);
		ex->ctxt = NULL;
	}
	if (reason != NULL) {
		evxml_reject(ex, evxml_offset(ex, start), reason);
		return;
	}

	memset(&e, 0, sizeof(e));
	e.provider = evxml_get(ex, EVX_F_PROVIDER);
	e.computer = evxml_get(ex, EVX_F_COMPUTER);
	e.message = evxml_get(ex, EVX_F_MESSAGE);
	e.time = REC_TIME_NONE;
	if ((s = evxml_get(ex, EVX_F_TIME)) != NULL)
		e.time = ptime_parse(s, strlen(s));
	if ((s = evxml_get(ex, EVX_F_ID)) != NULL && pvalue_int(s, &v) == 0)
		e.id = (uint32_t)v & 0xffff;
	for (i = 0; i < ex->ndata; i++)
		e.data[i] = ex->arena.buf + ex->data[i];
	e.ndata = ex->ndata;
	switch (evt_emit(&e, ex->cb, ex->arg)) {
	case 1:
		ex->stats.records++;
		break;
	case -1:
		evxml_fail(ex, evxml_offset(ex, start),
		    "stopped by the record callback");
		break;
	}
}

/* Converts and frames len bytes of input; 0, or -1 once failed. */
static int
evxml_push(void *v, const void *buf, size_t len)
{
	struct evxml	*ex = v;
	const unsigned char *p = buf;
	size_t		 n, i;

	while (!ex->failed && len > 0) {
		n = len < EVX_SLICE ? len : EVX_SLICE;
		for (i = 0; ex->nhead < sizeof(ex->head) && i < n; i++)
			ex->head[ex->nhead++] = p[i];
		if (putf_conv(&ex->utf, p, n, &ex->in, EVX_INMAX) == -1) {
			evxml_fail(ex, evxml_offset(ex, ex->in.len),
			    "out of memory");
			break;
		}
		p += n;
		len -= n;
		evxml_frame(ex, 0);
	}
	return (ex->failed ? -1 : 0);
}

/* Ends the input: an event left open is an item error; 0 or -1. */
static int
evxml_finish(void *v)
{
	struct evxml	*ex = v;

	if (ex->failed)
		return (-1);
	if (putf_finish(&ex->utf, &ex->in, EVX_INMAX) == -1) {
		evxml_fail(ex, evxml_offset(ex, ex->in.len), "out of memory");
		return (-1);
	}
	evxml_frame(ex, 1);
	return (ex->failed ? -1 : 0);
}

/* Why the input failed as a whole, and at which byte offset. */
static const char *
evxml_error(const void *v, uint64_t *offset)
{
	const struct evxml	*ex = v;

	if (!ex->failed)
		return (NULL);
	if (offset != NULL)
		*offset = ex->erroff;
	return (ex->errbuf);
}

/* Events read (broken ones too), records emitted, items rejected. */
static const struct parser_stats *
evxml_stats(const void *v)
{
	const struct evxml	*ex = v;

	return (&ex->stats);
}

static void
evxml_free(void *v)
{
	struct evxml	*ex = v;

	if (ex == NULL)
		return;
	if (ex->ctxt != NULL)
		xmlFreeParserCtxt(ex->ctxt);
	pbuf_free(&ex->in);
	pbuf_free(&ex->arena);
	free(ex);
}

/* A parser for one stream of events; the name plays no part. */
static void *
evxml_new(const char *name, rec_cb cb, rec_err_cb ecb, void *arg)
{
	struct evxml	*ex;

	(void)name;
	if ((ex = calloc(1, sizeof(*ex))) == NULL)
		return (NULL);
	ex->cb = cb;
	ex->ecb = ecb;
	ex->arg = arg;
	ex->capture = -1;
	putf_init(&ex->utf);
	pxml_sax_init(&ex->sax);
	ex->sax.startElementNs = evxml_start_cb;
	ex->sax.endElementNs = evxml_end_cb;
	ex->sax.characters = evxml_text_cb;
	ex->sax.cdataBlock = evxml_text_cb;
	ex->sax.serror = evxml_error_cb;
	return (ex);
}

const struct parser_ops evxml_ops = {
	.name = "event-xml",
	.new = evxml_new,
	.push = evxml_push,
	.finish = evxml_finish,
	.error = evxml_error,
	.stats = evxml_stats,
	.free = evxml_free,
};
