/*
 * evcsv.c: Windows events as PowerShell's Export-Csv writes them
 * (FORMATS.md §1.10): Get-WinEvent records (Id, ProviderName,
 * TimeCreated; PS 5.1 with a "#TYPE" line, PS 7 without) and classic
 * Get-EventLog entries (EventID, InstanceId, Source, TimeGenerated).
 * Columns are found by header name, since the order depends on the
 * PowerShell version and on any Select-Object.  Export-Csv flattens
 * Properties and ReplacementStrings to their type names, so these events
 * carry no data items: the rendered Message holds everything.  Times are
 * in the exporting machine's culture and zone, neither of which the file
 * names; they are read as en-US and taken as UTC.
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parsers.h"

/* One row; a message with a BAIL trace rarely passes a few KiB. */
#define EVCSV_MAXROW	(1024 * 1024)

/* The columns read, each under one of its names. */
enum evcsv_col {
	EVCSV_C_ID,
	EVCSV_C_EVENTID,
	EVCSV_C_INSTANCEID,
	EVCSV_C_PROVIDER,
	EVCSV_C_SOURCE,
	EVCSV_C_MACHINE,
	EVCSV_C_CREATED,
	EVCSV_C_GENERATED,
	EVCSV_C_MESSAGE,
	EVCSV_C_MAX
};

static const char *const evcsv_names[EVCSV_C_MAX] = {
	[EVCSV_C_ID] = "Id",
	[EVCSV_C_EVENTID] = "EventID",
	[EVCSV_C_INSTANCEID] = "InstanceId",
	[EVCSV_C_PROVIDER] = "ProviderName",
	[EVCSV_C_SOURCE] = "Source",
	[EVCSV_C_MACHINE] = "MachineName",
	[EVCSV_C_CREATED] = "TimeCreated",
	[EVCSV_C_GENERATED] = "TimeGenerated",
	[EVCSV_C_MESSAGE] = "Message",
};

struct evcsv {
	struct pdoc	 doc;		/* first: pdoc_* are the ops */
	size_t		 nheader;
	int		 col[EVCSV_C_MAX];
};

/*
 * The header row: the columns are found once.  A header without any id
 * column is not an event export at all: the whole file is refused.
 */
static int
evcsv_header_cb(char **names, size_t nnames, uint64_t offset, void *arg)
{
	struct evcsv	*ec = arg;
	int		 i;

	(void)names;
	ec->nheader = nnames;
	for (i = 0; i < EVCSV_C_MAX; i++)
		ec->col[i] = pcsv_col(ec->doc.csv, evcsv_names[i]);
	if (ec->col[EVCSV_C_ID] < 0 && ec->col[EVCSV_C_EVENTID] < 0 &&
	    ec->col[EVCSV_C_INSTANCEID] < 0)
		return (pdoc_fail(&ec->doc, offset, "not an event export: no "
		    "Id, EventID or InstanceId column"));
	return (0);
}

/* The field of column c (or of c2 when c is absent or empty), or NULL. */
static const char *
evcsv_field(const struct evcsv *ec, char **fields, size_t nfields,
    enum evcsv_col c, enum evcsv_col c2)
{
	int	i = ec->col[c];

	if ((i < 0 || (size_t)i >= nfields || fields[i][0] == '\0') &&
	    c2 != c)
		i = ec->col[c2];
	if (i < 0 || (size_t)i >= nfields || fields[i][0] == '\0')
		return (NULL);
	return (fields[i]);
}

/* Id, else EventID, else InstanceId, qualifiers masked: NULL, or why not. */
static const char *
evcsv_id(const struct evcsv *ec, char **fields, size_t nfields,
    uint32_t *id)
{
	const char	*s;
	int64_t		 v;

	if ((s = evcsv_field(ec, fields, nfields, EVCSV_C_ID,
	    EVCSV_C_EVENTID)) == NULL)
		s = evcsv_field(ec, fields, nfields, EVCSV_C_INSTANCEID,
		    EVCSV_C_INSTANCEID);
	if (s == NULL)
		return ("no event id");
	if (pvalue_int(s, &v) == -1 || v < 0 || v > UINT32_MAX)
		return ("the event id is not a number");
	*id = (uint32_t)v & 0xffff;
	return (NULL);
}

/* One data row: an event, or an item error at the row's offset. */
static int
evcsv_row_cb(char **fields, size_t nfields, uint64_t offset, void *arg)
{
	struct evcsv	*ec = arg;
	struct evt	 ev;
	const char	*bad;
	char		 why[96];

	ec->doc.stats.read++;
	if (nfields < ec->nheader) {
		snprintf(why, sizeof(why), "short row: %zu fields, the header "
		    "has %zu", nfields, ec->nheader);
		pdoc_reject(&ec->doc, offset, why);
		return (0);
	}
	if ((bad = evcsv_id(ec, fields, nfields, &ev.id)) != NULL) {
		pdoc_reject(&ec->doc, offset, bad);
		return (0);
	}
	ev.provider = evcsv_field(ec, fields, nfields, EVCSV_C_PROVIDER,
	    EVCSV_C_SOURCE);
	ev.computer = evcsv_field(ec, fields, nfields, EVCSV_C_MACHINE,
	    EVCSV_C_MACHINE);
	ev.message = evcsv_field(ec, fields, nfields, EVCSV_C_MESSAGE,
	    EVCSV_C_MESSAGE);
	ev.time = ptime_parse_culture(evcsv_field(ec, fields, nfields,
	    EVCSV_C_CREATED, EVCSV_C_GENERATED));
	ev.ndata = 0;

	return (pdoc_event(&ec->doc, &ev, offset));
}

/* Counts data rows read (good or bad), records, rows rejected. */
static void *
evcsv_new(const char *name, rec_cb cb, rec_err_cb ecb, void *arg)
{
	(void)name;
	return (pdoc_new_csv(sizeof(struct evcsv), EVCSV_MAXROW,
	    evcsv_header_cb, evcsv_row_cb, cb, ecb, arg));
}

const struct parser_ops evcsv_ops = {
	.name = "event-csv",
	.new = evcsv_new,
	.push = pdoc_push,
	.finish = pdoc_finish,
	.error = pdoc_error,
	.stats = pdoc_stats,
	.free = pdoc_free,
};
