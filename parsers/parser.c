/*
 * parser.c: one face for every format parser, so that the drivers (replay
 * and the daemon) push bytes without knowing which format they hold.  The
 * per-format parsers keep their own typed API for tests and fuzzing.
 */

#include <stdlib.h>

#include <libxml/parser.h>
#include <libxml/xmlerror.h>

#include "parsers.h"

struct parser {
	enum parser_format	 fmt;
	union {
		struct csexport	*csexport;
	} p;
};

/* libxml2's generic channel would print to stderr: parsers never print. */
static void
parser_xml_quiet_cb(void *ctx, const char *fmt, ...)
{
	(void)ctx, (void)fmt;
}

/*
 * Sets the XML library up once per process: initialised, and silent.
 * Every error a parser cares about reaches it through its own structured
 * callback, with the byte offset; what libxml2 would print besides (as
 * encoding errors) is only noise on the daemon's stderr.
 */
void
parser_init(void)
{
	xmlInitParser();
	xmlSetGenericErrorFunc(NULL, parser_xml_quiet_cb);
	xmlThrDefSetGenericErrorFunc(NULL, parser_xml_quiet_cb);
}

/* A parser for format fmt, or NULL (unknown format or no memory). */
struct parser *
parser_new(enum parser_format fmt, const char *name, rec_cb cb, void *arg)
{
	struct parser	*ps;

	if ((ps = calloc(1, sizeof(*ps))) == NULL)
		return (NULL);
	ps->fmt = fmt;
	switch (fmt) {
	case PARSER_FMT_CSEXPORT:
		ps->p.csexport = csexport_new(name, cb, arg);
		if (ps->p.csexport != NULL)
			return (ps);
		break;
	default:
		break;
	}
	free(ps);
	return (NULL);
}

/* Feeds len bytes; 0, or -1 once the input is known bad. */
int
parser_push(struct parser *ps, const void *buf, size_t len)
{
	switch (ps->fmt) {
	case PARSER_FMT_CSEXPORT:
		return (csexport_push(ps->p.csexport, buf, len));
	default:
		return (-1);
	}
}

/* Ends the input; 0 or -1. */
int
parser_finish(struct parser *ps)
{
	switch (ps->fmt) {
	case PARSER_FMT_CSEXPORT:
		return (csexport_finish(ps->p.csexport));
	default:
		return (-1);
	}
}

/* The reason and byte offset of a failure, or NULL. */
const char *
parser_error(const struct parser *ps, uint64_t *offset)
{
	switch (ps->fmt) {
	case PARSER_FMT_CSEXPORT:
		return (csexport_error(ps->p.csexport, offset));
	default:
		return ("unknown format");
	}
}

/* The parser's counters. */
const struct parser_stats *
parser_stats(const struct parser *ps)
{
	static const struct parser_stats none;

	switch (ps->fmt) {
	case PARSER_FMT_CSEXPORT:
		return (csexport_stats(ps->p.csexport));
	default:
		return (&none);
	}
}

void
parser_free(struct parser *ps)
{
	if (ps == NULL)
		return;
	switch (ps->fmt) {
	case PARSER_FMT_CSEXPORT:
		csexport_free(ps->p.csexport);
		break;
	default:
		break;
	}
	free(ps);
}

/* The name formats go by in messages and in explain's summary. */
const char *
parser_format_name(enum parser_format fmt)
{
	switch (fmt) {
	case PARSER_FMT_CSEXPORT:
		return ("csexport");
	default:
		return ("unknown");
	}
}
