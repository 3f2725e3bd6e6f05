/*
 * parser.c: one face for every format parser, so that the drivers (replay,
 * explain and the daemon) push bytes without knowing which format they
 * hold.  Each format file exports its parser_ops; this file holds the
 * table from format to ops and to the name users see.
 */

#include <stdlib.h>
#include <string.h>

#include <gmime/gmime.h>
#include <libxml/parser.h>
#include <libxml/xmlerror.h>

#include "parsers.h"

struct parser {
	const struct parser_ops	*ops;
	void			*p;
};

static const struct parser_ops *const parser_table[PARSER_FMT_MAX] = {
	[PARSER_FMT_CSEXPORT] = &csexport_ops,
	[PARSER_FMT_EVENT_XML] = &evxml_ops,
	[PARSER_FMT_EVENT_BEAT] = &evbeat_ops,
	[PARSER_FMT_EVENT_PSJSON] = &evpsjson_ops,
	[PARSER_FMT_EVENT_CSV] = &evcsv_ops,
	[PARSER_FMT_EVENT_EVTX] = &evtx_ops,
	[PARSER_FMT_RUNHIST] = &runhist_ops,
	[PARSER_FMT_RUNPROFILE_JSON] = &runprofile_json_ops,
	[PARSER_FMT_RUNPROFILE_CSV] = &runprofile_csv_ops,
	[PARSER_FMT_EMAIL] = &email_ops,
	[PARSER_FMT_CLOUD_JSON] = &cloud_json_ops,
	[PARSER_FMT_CLOUD_CSV] = &cloud_csv_ops,
	[PARSER_FMT_RECORDS] = &records_ops,
};

/* libxml2's generic channel would print to stderr: parsers never print. */
static void
parser_xml_quiet_cb(void *ctx, const char *fmt, ...)
{
	(void)ctx, (void)fmt;
}

/*
 * Sets the libraries up once per process.  libxml2 is initialised and
 * silenced: every error a parser cares about reaches it through its own
 * structured callback, with the byte offset; what libxml2 would print
 * besides (as encoding errors) is only noise on the daemon's stderr.
 * GMime keeps global tables (charsets, content types) set up once.
 */
void
parser_init(void)
{
	g_mime_init();
	xmlInitParser();
	xmlSetGenericErrorFunc(NULL, parser_xml_quiet_cb);
	xmlThrDefSetGenericErrorFunc(NULL, parser_xml_quiet_cb);
}

/* A parser for format fmt, or NULL (unknown format or no memory). */
struct parser *
parser_new(enum parser_format fmt, const char *name, rec_cb cb,
    rec_err_cb ecb, void *arg)
{
	struct parser	*ps;

	if ((unsigned)fmt >= PARSER_FMT_MAX || parser_table[fmt] == NULL)
		return (NULL);
	if ((ps = calloc(1, sizeof(*ps))) == NULL)
		return (NULL);
	ps->ops = parser_table[fmt];
	if ((ps->p = ps->ops->new(name, cb, ecb, arg)) == NULL) {
		free(ps);
		return (NULL);
	}
	return (ps);
}

/* Feeds len bytes; 0, or -1 once the input is known bad. */
int
parser_push(struct parser *ps, const void *buf, size_t len)
{
	return (ps->ops->push(ps->p, buf, len));
}

/* Ends the input; 0 or -1. */
int
parser_finish(struct parser *ps)
{
	return (ps->ops->finish(ps->p));
}

/* The reason and byte offset of a failure, or NULL. */
const char *
parser_error(const struct parser *ps, uint64_t *offset)
{
	return (ps->ops->error(ps->p, offset));
}

/* The parser's counters. */
const struct parser_stats *
parser_stats(const struct parser *ps)
{
	return (ps->ops->stats(ps->p));
}

void
parser_free(struct parser *ps)
{
	if (ps == NULL)
		return;
	ps->ops->free(ps->p);
	free(ps);
}

/* The name formats go by in messages and in explain's summary. */
const char *
parser_format_name(enum parser_format fmt)
{
	if ((unsigned)fmt >= PARSER_FMT_MAX || parser_table[fmt] == NULL)
		return ("unknown");
	return (parser_table[fmt]->name);
}

/* The format named name, or PARSER_FMT_UNKNOWN. */
enum parser_format
parser_format_byname(const char *name)
{
	int	f;

	for (f = 1; f < PARSER_FMT_MAX; f++)
		if (parser_table[f] != NULL &&
		    strcmp(parser_table[f]->name, name) == 0)
			return ((enum parser_format)f);
	return (PARSER_FMT_UNKNOWN);
}
