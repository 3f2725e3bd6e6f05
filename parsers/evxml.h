/*
 * evxml.h: the pieces of the event-XML parser and what they share.
 * evxml_frame.c cuts the converted text into events; evxml.c parses each
 * event with libxml2 and makes its record, and is the parser the rest of
 * syncorr sees (evxml_ops).  Kept apart from parsers.h: nothing outside
 * the event-XML parser needs these.
 */

#ifndef EVXML_H
#define EVXML_H

#include <stddef.h>
#include <stdint.h>

#include <libxml/parser.h>

#include "parsers.h"

#define EVX_MAXEVENT	(1024 * 1024)	/* bytes of one event, at most */
#define EVX_MAXDEPTH	8		/* contexts tracked; deeper is skipped */

/* Where the framer is in the text. */
enum evx_state {
	EVX_OUT = 0,		/* between events */
	EVX_IN,			/* inside an event */
	EVX_SKIP		/* after junk: looking for a line's "<Event" */
};

/* What the element at some depth is, as far as this parser cares. */
enum evx_cx {
	EVX_CX_SKIP = 0,
	EVX_CX_ROOT,		/* the synthetic root */
	EVX_CX_EVENT,
	EVX_CX_SYSTEM,
	EVX_CX_EVDATA,		/* EventData */
	EVX_CX_RENDER,		/* RenderingInfo */
	EVX_CX_TEXT		/* a leaf whose text is kept */
};

/* The values kept of one event, as offsets into the arena. */
enum evx_field {
	EVX_F_PROVIDER,
	EVX_F_ID,
	EVX_F_TIME,
	EVX_F_COMPUTER,
	EVX_F_MESSAGE,
	EVX_F_MAX,
	EVX_F_DATA = EVX_F_MAX	/* a capture into the next data item */
};

/*
 * The element names looked for.  libxml2 hands element names over as
 * strings of its context's dictionary, so each is looked up there once
 * per context and then told apart by its pointer: a per-element cost of
 * one compare, where string compares were a measurable part of the time.
 */
enum evx_name {
	EVX_N_EVENT,
	EVX_N_SYSTEM,
	EVX_N_EVENTDATA,
	EVX_N_RENDERINGINFO,
	EVX_N_PROVIDER,
	EVX_N_TIMECREATED,
	EVX_N_EVENTID,
	EVX_N_COMPUTER,
	EVX_N_DATA,
	EVX_N_MESSAGE,
	EVX_N_MAX
};

struct evxml {
	xmlParserCtxtPtr	 ctxt;
	xmlSAXHandler		 sax;
	const xmlChar		*name[EVX_N_MAX];	/* in ctxt's dictionary */
	rec_cb			 cb;
	rec_err_cb		 ecb;
	void			*arg;

	/* Input: converted to UTF-8 into in, then framed. */
	struct putf		 utf;
	unsigned char		 head[3];	/* the first bytes, for the BOM */
	size_t			 nhead;
	struct pbuf		 in;
	uint64_t		 base;		/* UTF-8 offset of in.buf[0] */
	size_t			 scan;		/* the framer goes on from here */
	size_t			 evstart;	/* EVX_IN: the event's "<Event" */
	enum evx_state		 state;

	/* The event being parsed. */
	enum evx_cx		 stack[EVX_MAXDEPTH];
	int			 depth;
	int			 skip;		/* depth of a skipped subtree */
	int			 nevents;	/* Event elements in the segment */
	int			 closed;	/* its </Event> was seen */
	const char		*bad;		/* why the segment is not one event */
	char			 xmlerr[200];	/* libxml2's first error */
	struct pbuf		 arena;
	size_t			 field[EVX_F_MAX];
	size_t			 data[EVT_MAXDATA];
	size_t			 ndata;
	int			 capture;	/* field being read, or -1 */
	size_t			 capture_start;

	int			 failed;
	char			 errbuf[256];
	uint64_t		 erroff;
	struct parser_stats	 stats;
};

/* evxml.c */
/* The input offset of position pos of the text buffer. */
uint64_t	 evxml_offset(const struct evxml *, size_t pos);
/* Fails the whole input at offset off; the first reason is kept. */
void		 evxml_fail(struct evxml *, uint64_t off, const char *reason);
/* Rejects the item at input offset off (an event, or text) and goes on. */
void		 evxml_reject(struct evxml *, uint64_t off, const char *reason);
/*
 * Parses the event text in.buf[start, end) and emits its record; cut is
 * why the framer ended it there when no "</Event>" did, or NULL.
 */
void		 evxml_event(struct evxml *, size_t start, size_t end,
		     const char *cut);

/* evxml_frame.c */
/*
 * Frames what the text buffer holds into events, then drops what is done
 * with.  With final set there are no more bytes to wait for.
 */
void		 evxml_frame(struct evxml *, int final);

#endif /* EVXML_H */
