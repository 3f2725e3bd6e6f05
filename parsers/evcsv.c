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
	struct pcsv		*csv;
	rec_cb			 cb;
	rec_err_cb		 ecb;
	void			*arg;
	size_t			 nheader;	/* 0 until the first row */
	int			 col[EVCSV_C_MAX];
	int			 failed;
	char			 errbuf[128];
	uint64_t		 erroff;
	struct parser_stats	 stats;
};

static void
evcsv_reject(struct evcsv *ec, uint64_t offset, const char *reason)
{
	ec->stats.errors++;
	if (ec->ecb != NULL)
		ec->ecb(offset, reason, ec->arg);
}

/* A row pcsv itself refused (too long, broken quoting). */
static void
evcsv_csv_err_cb(uint64_t offset, const char *reason, void *arg)
{
	struct evcsv	*ec = arg;

	ec->stats.read++;
	evcsv_reject(ec, offset, reason);
}

static int
evcsv_fail(struct evcsv *ec, uint64_t offset, const char *reason)
{
	ec->failed = 1;
	ec->erroff = offset;
	snprintf(ec->errbuf, sizeof(ec->errbuf), "%s", reason);
	return (-1);
}

/*
 * Finds the columns once, at the first row.  A header without any id
 * column is not an event export at all: the whole file is refused.
 */
static int
evcsv_columns(struct evcsv *ec, uint64_t offset)
{
	char	**names;
	int	  i;

	ec->nheader = pcsv_header(ec->csv, &names);
	for (i = 0; i < EVCSV_C_MAX; i++)
		ec->col[i] = pcsv_col(ec->csv, evcsv_names[i]);
	if (ec->nheader == 0 || (ec->col[EVCSV_C_ID] < 0 &&
	    ec->col[EVCSV_C_EVENTID] < 0 && ec->col[EVCSV_C_INSTANCEID] < 0))
		return (evcsv_fail(ec, offset, "not an event export: no Id, "
		    "EventID or InstanceId column"));
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

/* en-US as PS writes it; ISO 8601 from a -Format'ed export, leniently. */
static int64_t
evcsv_time(const char *s)
{
	int64_t	t;
	size_t	len;

	if (s == NULL)
		return (REC_TIME_NONE);
	len = strlen(s);
	if ((t = ptime_parse_us(s, len)) == REC_TIME_NONE)
		t = ptime_parse(s, len);
	return (t);
}

/* One data row: an event, or an item error at the row's offset. */
static int
evcsv_row_cb(char **fields, size_t nfields, uint64_t offset, void *arg)
{
	struct evcsv	*ec = arg;
	struct evt	 ev;
	const char	*bad;
	char		 why[96];
	int		 rc;

	if (ec->nheader == 0 && evcsv_columns(ec, offset) == -1)
		return (-1);
	ec->stats.read++;
	if (nfields < ec->nheader) {
		snprintf(why, sizeof(why), "short row: %zu fields, the header "
		    "has %zu", nfields, ec->nheader);
		evcsv_reject(ec, offset, why);
		return (0);
	}
	if ((bad = evcsv_id(ec, fields, nfields, &ev.id)) != NULL) {
		evcsv_reject(ec, offset, bad);
		return (0);
	}
	ev.provider = evcsv_field(ec, fields, nfields, EVCSV_C_PROVIDER,
	    EVCSV_C_SOURCE);
	ev.computer = evcsv_field(ec, fields, nfields, EVCSV_C_MACHINE,
	    EVCSV_C_MACHINE);
	ev.message = evcsv_field(ec, fields, nfields, EVCSV_C_MESSAGE,
	    EVCSV_C_MESSAGE);
	ev.time = evcsv_time(evcsv_field(ec, fields, nfields,
	    EVCSV_C_CREATED, EVCSV_C_GENERATED));
	ev.ndata = 0;

	if ((rc = evt_emit(&ev, ec->cb, ec->arg)) == -1)
		return (evcsv_fail(ec, offset,
		    "stopped by the record callback"));
	if (rc == 1)
		ec->stats.records++;
	return (0);
}

static void *
evcsv_new(const char *name, rec_cb cb, rec_err_cb ecb, void *arg)
{
	struct evcsv	*ec;

	(void)name;
	if ((ec = calloc(1, sizeof(*ec))) == NULL)
		return (NULL);
	ec->cb = cb;
	ec->ecb = ecb;
	ec->arg = arg;
	if ((ec->csv = pcsv_new(EVCSV_MAXROW, evcsv_row_cb, evcsv_csv_err_cb,
	    ec)) == NULL) {
		free(ec);
		return (NULL);
	}
	return (ec);
}

static int
evcsv_push(void *v, const void *buf, size_t len)
{
	struct evcsv	*ec = v;

	if (ec->failed)
		return (-1);
	return (pcsv_push(ec->csv, buf, len));
}

/*
 * Ends the file.  A header that never got a data row is still judged:
 * junk is refused even when it holds a single line.
 */
static int
evcsv_finish(void *v)
{
	struct evcsv	*ec = v;
	char		**names;

	if (ec->failed || pcsv_finish(ec->csv) == -1)
		return (-1);
	if (ec->nheader == 0 && pcsv_header(ec->csv, &names) > 0)
		return (evcsv_columns(ec, 0));
	return (0);
}

static const char *
evcsv_error(const void *v, uint64_t *offset)
{
	const struct evcsv	*ec = v;

	if (!ec->failed)
		return (pcsv_error(ec->csv, offset));
	if (offset != NULL)
		*offset = ec->erroff;
	return (ec->errbuf);
}

/* Data rows read (good or bad), records emitted, rows rejected. */
static const struct parser_stats *
evcsv_stats(const void *v)
{
	const struct evcsv	*ec = v;

	return (&ec->stats);
}

static void
evcsv_free(void *v)
{
	struct evcsv	*ec = v;

	if (ec == NULL)
		return;
	pcsv_free(ec->csv);
	free(ec);
}

const struct parser_ops evcsv_ops = {
	.name = "event-csv",
	.new = evcsv_new,
	.push = evcsv_push,
	.finish = evcsv_finish,
	.error = evcsv_error,
	.stats = evcsv_stats,
	.free = evcsv_free,
};
