/*
 * email_html.c: the HTML body of a notification mail turned into lines of
 * text, so that the email parser reads "Title: …" whether the mail wrote it
 * as text or as a two-cell table row.  libxml2's HTML parser runs in SAX
 * mode: no tree is built, so memory stays flat whatever the markup, and
 * the text is written as the elements stream by.
 *
 * Tables are the subtle part.  A data row (label and value, or a report's
 * columns) must stay one line, its cells separated by tabs; but mails are
 * laid out with tables too, one wide cell holding headings, paragraphs
 * and further tables, and those must keep their lines.  So a break inside
 * a cell is written as a mark, and decided when the row ends: a row with
 * two or more cells of text is data and its marks become spaces, a row
 * with one is layout and they become line ends.  A nested table always
 * stands on lines of its own.
 */

#include <stdlib.h>
#include <string.h>

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>

#include "parsers.h"
#include "email.h"

#define EMAIL_HTML_MAXSTACK	64	/* table/cell nesting tracked */
#define EMAIL_HTML_MAXTABS	32	/* empty cells kept as separators */
#define EMAIL_HTML_SOFT	'\001'	/* a break inside a cell, not decided yet */

/* The tables and cells around the current text, innermost last. */
struct email_html_frame {
	char	kind;		/* 'T' table, 'C' cell */
	int	cells;		/* table: cells of the current row */
	int	filled;		/* table: cells of the row with text */
	int	cell_filled;	/* table: the current cell has text */
	size_t	row_start;	/* table: where the current row's text is */
};

struct email_html {
	htmlParserCtxtPtr	 ctxt;
	char			*buf;
	size_t			 len, cap, max;
	int			 full;		/* max reached: stopped */
	int			 nomem;
	int			 skip;		/* inside script, style… */
	int			 pend_nl;	/* line ends owed: 1, 2 */
	int			 pend_tabs;	/* cell separators owed */
	int			 pend_soft;	/* a break in a cell owed */
	int			 pend_space;
	struct email_html_frame	 stack[EMAIL_HTML_MAXSTACK];
	int			 depth;		/* may pass the stack */
};

/* How an element shapes the text. */
enum email_html_el {
	EMAIL_HTML_EL_INLINE = 0,
	EMAIL_HTML_EL_SKIP,		/* its content is not text */
	EMAIL_HTML_EL_LINE,		/* ends a line */
	EMAIL_HTML_EL_PARA,		/* ends a paragraph: a blank line */
	EMAIL_HTML_EL_ROW,
	EMAIL_HTML_EL_CELL,
	EMAIL_HTML_EL_TABLE
};

static enum email_html_el
email_html_class(const char *name)
{
	static const struct {
		const char	*name;
		enum email_html_el	 el;
	} els[] = {
		{ "script", EMAIL_HTML_EL_SKIP },
		{ "style", EMAIL_HTML_EL_SKIP },
		{ "head", EMAIL_HTML_EL_SKIP },
		{ "title", EMAIL_HTML_EL_SKIP },
		{ "template", EMAIL_HTML_EL_SKIP },
		{ "br", EMAIL_HTML_EL_LINE },
		{ "div", EMAIL_HTML_EL_LINE },
		{ "li", EMAIL_HTML_EL_LINE },
		{ "dt", EMAIL_HTML_EL_LINE },
		{ "dd", EMAIL_HTML_EL_LINE },
		{ "section", EMAIL_HTML_EL_LINE },
		{ "article", EMAIL_HTML_EL_LINE },
		{ "header", EMAIL_HTML_EL_LINE },
		{ "footer", EMAIL_HTML_EL_LINE },
		{ "address", EMAIL_HTML_EL_LINE },
		{ "caption", EMAIL_HTML_EL_LINE },
		{ "center", EMAIL_HTML_EL_LINE },
		{ "form", EMAIL_HTML_EL_LINE },
		{ "main", EMAIL_HTML_EL_LINE },
		{ "nav", EMAIL_HTML_EL_LINE },
		{ "aside", EMAIL_HTML_EL_LINE },
		{ "figure", EMAIL_HTML_EL_LINE },
		{ "fieldset", EMAIL_HTML_EL_LINE },
		{ "p", EMAIL_HTML_EL_PARA },
		{ "h1", EMAIL_HTML_EL_PARA },
		{ "h2", EMAIL_HTML_EL_PARA },
		{ "h3", EMAIL_HTML_EL_PARA },
		{ "h4", EMAIL_HTML_EL_PARA },
		{ "h5", EMAIL_HTML_EL_PARA },
		{ "h6", EMAIL_HTML_EL_PARA },
		{ "ul", EMAIL_HTML_EL_PARA },
		{ "ol", EMAIL_HTML_EL_PARA },
		{ "dl", EMAIL_HTML_EL_PARA },
		{ "blockquote", EMAIL_HTML_EL_PARA },
		{ "pre", EMAIL_HTML_EL_PARA },
		{ "hr", EMAIL_HTML_EL_PARA },
		{ "tr", EMAIL_HTML_EL_ROW },
		{ "td", EMAIL_HTML_EL_CELL },
		{ "th", EMAIL_HTML_EL_CELL },
		{ "table", EMAIL_HTML_EL_TABLE },
	};
	size_t	i;

	for (i = 0; i < sizeof(els) / sizeof(els[0]); i++) {
		if (strcmp(els[i].name, name) == 0)
			return (els[i].el);
	}
	return (EMAIL_HTML_EL_INLINE);
}

/* The frame n levels out from the innermost (0), or NULL. */
static struct email_html_frame *
email_html_frame(struct email_html *h, int n)
{
	int	d = h->depth > EMAIL_HTML_MAXSTACK ? EMAIL_HTML_MAXSTACK :
	    h->depth;

	d -= n;
	return (d > 0 ? &h->stack[d - 1] : NULL);
}

static void
email_html_push(struct email_html *h, char kind)
{
	if (h->depth < EMAIL_HTML_MAXSTACK) {
		memset(&h->stack[h->depth], 0, sizeof(h->stack[0]));
		h->stack[h->depth].kind = kind;
		h->stack[h->depth].row_start = h->len;
	}
	h->depth++;
}

/*
 * Decides the breaks of the row of table t that just ended: line ends in
 * a layout row, one space for each run of them in a data row.
 */
static void
email_html_row_end(struct email_html *h, struct email_html_frame *t)
{
	size_t	r, w;
	char	c, last = '\0';

	if (t->row_start > h->len)
		t->row_start = h->len;
	for (r = w = t->row_start; r < h->len; r++, last = c) {
		if ((c = h->buf[r]) != EMAIL_HTML_SOFT)
			h->buf[w++] = c;
		else if (t->filled < 2)
			h->buf[w++] = '\n';
		else if (last != EMAIL_HTML_SOFT)
			h->buf[w++] = ' ';
	}
	if (h->buf != NULL)
		h->buf[w] = '\0';
	h->len = w;
	t->row_start = h->len;
	t->cells = t->filled = t->cell_filled = 0;
}

/* Owes a line end (1) or a blank line (2); inside a cell, marks. */
static void
email_html_break(struct email_html *h, int n)
{
	struct email_html_frame	*f = email_html_frame(h, 0);

	if (f != NULL && f->kind == 'C') {
		if (n > h->pend_soft)
			h->pend_soft = n;
	} else if (n > h->pend_nl)
		h->pend_nl = n;
}

static void
email_html_put(struct email_html *h, const char *s, size_t len)
{
	size_t	 ncap;
	char	*p;

	if (h->full || h->nomem)
		return;
	if (h->len + len + 1 > h->max) {
		h->full = 1;
		xmlStopParser(h->ctxt);
		return;
	}
	if (h->len + len + 1 > h->cap) {
		ncap = h->cap == 0 ? 1024 : h->cap;
		while (ncap < h->len + len + 1)
			ncap *= 2;
		if ((p = realloc(h->buf, ncap)) == NULL) {
			h->nomem = 1;
			xmlStopParser(h->ctxt);
			return;
		}
		h->buf = p;
		h->cap = ncap;
	}
	memcpy(h->buf + h->len, s, len);
	h->len += len;
	h->buf[h->len] = '\0';
}

/* Writes what is owed before the next visible character. */
static void
email_html_flush(struct email_html *h)
{
	static const char	 soft[2] = { EMAIL_HTML_SOFT, EMAIL_HTML_SOFT };
	struct email_html_frame	*c = email_html_frame(h, 0);
	struct email_html_frame	*t = email_html_frame(h, 1);
	int			 i;

	if (h->len > 0) {
		if (h->pend_nl > 0)
			email_html_put(h, "\n\n", (size_t)h->pend_nl);
		for (i = 0; i < h->pend_tabs; i++)
			email_html_put(h, "\t", 1);
		if (h->pend_tabs == 0 && h->pend_nl == 0) {
			if (h->pend_soft)
				email_html_put(h, soft, (size_t)h->pend_soft);
			else if (h->pend_space)
				email_html_put(h, " ", 1);
		}
	}
	h->pend_nl = h->pend_tabs = h->pend_soft = h->pend_space = 0;
	if (c != NULL && c->kind == 'C' && t != NULL && t->kind == 'T' &&
	    !t->cell_filled) {
		t->cell_filled = 1;
		t->filled++;
	}
}

static int
email_html_blank(const unsigned char *s, int i, int len)
{
	return (s[i] <= ' ' || s[i] == 0x7f || (s[i] == 0xc2 &&
	    i + 1 < len && s[i + 1] == 0xa0));
}

/* Text: runs of white space (NBSP too) fold into one space. */
static void
email_html_text_cb(void *ctx, const xmlChar *ch, int len)
{
	struct email_html	*h = ctx;
	const unsigned char	*s = ch;
	int			 i, start;

	if (h->skip > 0 || len <= 0)
		return;
	for (i = 0; i < len && !h->full && !h->nomem; ) {
		if (email_html_blank(s, i, len)) {
			h->pend_space = 1;
			i += s[i] == 0xc2 ? 2 : 1;
			continue;
		}
		email_html_flush(h);
		for (start = i; i < len && !email_html_blank(s, i, len); i++)
			;
		email_html_put(h, (const char *)s + start, (size_t)(i - start));
	}
}

/* A row starts or ends (HTML may leave <tr> open): its cells end a line. */
static void
email_html_row(struct email_html *h)
{
	struct email_html_frame	*f;

	if ((f = email_html_frame(h, 0)) != NULL && f->kind == 'T') {
		email_html_row_end(h, f);
		h->pend_tabs = 0;
		if (h->pend_nl < 1)
			h->pend_nl = 1;
	}
}

static void
email_html_start_cb(void *ctx, const xmlChar *name, const xmlChar **atts)
{
	struct email_html	*h = ctx;
	struct email_html_frame	*f;

	(void)atts;
	switch (email_html_class((const char *)name)) {
	case EMAIL_HTML_EL_SKIP:
		h->skip++;
		break;
	case EMAIL_HTML_EL_LINE:
		email_html_break(h, 1);
		break;
	case EMAIL_HTML_EL_PARA:
		email_html_break(h, 2);
		break;
	case EMAIL_HTML_EL_ROW:
		email_html_row(h);
		break;
	case EMAIL_HTML_EL_CELL:
		if ((f = email_html_frame(h, 0)) != NULL && f->kind == 'T') {
			if (f->cells++ > 0 && h->pend_tabs < EMAIL_HTML_MAXTABS)
				h->pend_tabs++;
			f->cell_filled = 0;
		}
		email_html_push(h, 'C');
		break;
	case EMAIL_HTML_EL_TABLE:
		/* Its own lines: a tab owed around it would be misplaced. */
		h->pend_nl = 2;
		h->pend_tabs = 0;
		email_html_push(h, 'T');
		break;
	default:
		break;
	}
}

static void
email_html_end_cb(void *ctx, const xmlChar *name)
{
	struct email_html	*h = ctx;
	struct email_html_frame	*f;

	switch (email_html_class((const char *)name)) {
	case EMAIL_HTML_EL_SKIP:
		if (h->skip > 0)
			h->skip--;
		break;
	case EMAIL_HTML_EL_LINE:
		if (strcmp((const char *)name, "br") != 0)
			email_html_break(h, 1);
		break;
	case EMAIL_HTML_EL_PARA:
		email_html_break(h, 2);
		break;
	case EMAIL_HTML_EL_ROW:
		email_html_row(h);
		break;
	case EMAIL_HTML_EL_CELL:
		if ((f = email_html_frame(h, 0)) != NULL && f->kind == 'C')
			h->depth--;
		break;
	case EMAIL_HTML_EL_TABLE:
		/* Cells the parser left open end with their table. */
		while ((f = email_html_frame(h, 0)) != NULL) {
			if (f->kind == 'T')
				email_html_row_end(h, f);
			h->depth--;
			if (f->kind == 'T')
				break;
		}
		h->pend_nl = 2;
		h->pend_tabs = 0;
		break;
	default:
		break;
	}
}

static void
email_html_silent_cb(void *ctx, const xmlChar *s, int len)
{
	(void)ctx, (void)s, (void)len;
}

static void
email_html_serror_cb(void *ctx, xmlErrorPtr err)
{
	(void)ctx, (void)err;
}

/*
 * The text of an HTML body, at most max bytes; the caller frees it.  The
 * body is UTF-8 already (the MIME layer converted it), so a <meta>
 * charset in it is ignored.
 */
char *
email_html_text(const char *html, size_t len, size_t max)
{
	struct email_html	 h;
	xmlSAXHandler	 sax;
	size_t		 i;
	int		 n;

	memset(&h, 0, sizeof(h));
	h.max = max;
	pxml_sax_init(&sax);
	sax.startElement = email_html_start_cb;
	sax.endElement = email_html_end_cb;
	sax.characters = email_html_text_cb;
	sax.ignorableWhitespace = email_html_text_cb;
	sax.cdataBlock = email_html_silent_cb;
	sax.serror = email_html_serror_cb;
	h.ctxt = htmlCreatePushParserCtxt(&sax, &h, NULL, 0, NULL,
	    XML_CHAR_ENCODING_UTF8);
	if (h.ctxt == NULL)
		return (NULL);
	htmlCtxtUseOptions(h.ctxt, HTML_PARSE_NONET | HTML_PARSE_NOERROR |
	    HTML_PARSE_NOWARNING | HTML_PARSE_RECOVER | HTML_PARSE_IGNORE_ENC |
	    HTML_PARSE_NOIMPLIED);
	while (len > 0 && !h.full && !h.nomem) {
		n = len > 1024 * 1024 ? 1024 * 1024 : (int)len;
		htmlParseChunk(h.ctxt, html, n, 0);
		html += n;
		len -= (size_t)n;
	}
	if (!h.full && !h.nomem)
		htmlParseChunk(h.ctxt, NULL, 0, 1);
	htmlFreeParserCtxt(h.ctxt);
	if (h.nomem) {
		free(h.buf);
		return (NULL);
	}
	if (h.buf == NULL)
		return (strdup(""));
	/* Rows cut off (by the cap, or never closed) end here. */
	for (i = 0; i < h.len; i++)
		if (h.buf[i] == EMAIL_HTML_SOFT)
			h.buf[i] = '\n';
	return (h.buf);
}
