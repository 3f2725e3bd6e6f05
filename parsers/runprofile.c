/*
 * runprofile.c: Get-ADSyncRunProfileResult output (FORMATS.md §3.3), as
 * ConvertTo-Json (Windows PowerShell 5.1's UTF-16 with "\/Date(ms)\/"
 * times, or PowerShell 7's ISO times; one object or an array) and as
 * Export-Csv (the full property set, or the seven columns Microsoft's
 * diagnostics select; with or without a #TYPE line; ',' or ';').  Every
 * result becomes one REC_RUN record.  At the default depth RunStepResults
 * is a list of type names; with -Depth 4 it holds the steps themselves,
 * and the last step's counters are kept.
 *
 * pjson_split and pcsv do the streaming: one element or one row is in
 * memory at a time, and a bad one is reported and skipped.
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "parsers.h"

/* -Depth 4 results carry their steps' XML: allow a few MiB. */
#define RP_MAXVALUE	(8 * 1024 * 1024)
#define RP_MAXROW	(1024 * 1024)

/* The AAD connector's fixed ConnectorId in every installation. */
#define RP_AAD_ID	"b891884f-051e-4a83-95af-2544101c9083"

/* The properties read, by name; the CSV's columns in this order. */
enum rp_prop {
	RP_P_CONNNAME,
	RP_P_RESULT,
	RP_P_CONNID,
	RP_P_PROFILE,
	RP_P_RUNID,
	RP_P_RUNNUMBER,
	RP_P_STEPNUMBER,
	RP_P_START,
	RP_P_END,
	RP_P_MAX
};

static const char *const runprofile_props[RP_P_MAX] = {
	[RP_P_CONNNAME] = "ConnectorName",
	[RP_P_RESULT] = "Result",
	[RP_P_CONNID] = "ConnectorId",
	[RP_P_PROFILE] = "RunProfileName",
	[RP_P_RUNID] = "RunHistoryId",
	[RP_P_RUNNUMBER] = "RunNumber",
	[RP_P_STEPNUMBER] = "CurrentStepNumber",
	[RP_P_START] = "StartDate",
	[RP_P_END] = "EndDate",
};

/* A RunStepResult's counters and the record slots they fill. */
static const struct {
	const char		*name;
	enum rec_counter	 slot;
} runprofile_counters[] = {
	{ "ExportAdd", REC_CNT_EXPORT_ADD },
	{ "ExportUpdate", REC_CNT_EXPORT_UPDATE },
	{ "ExportRename", REC_CNT_EXPORT_RENAME },
	{ "ExportDelete", REC_CNT_EXPORT_DELETE },
	{ "ExportDeleteAdd", REC_CNT_EXPORT_DELETE_ADD },
	{ "ExportFailure", REC_CNT_EXPORT_FAILURE },
	{ "StageFailure", REC_CNT_STAGE_FAILURE },
	{ "FlowFailure", REC_CNT_FLOW_FAILURE },
};

struct runprofile {
	rec_cb			 cb;
	rec_err_cb		 ecb;
	void			*arg;

	struct pjson_split	*split;		/* JSON: one of these two */
	struct pjson		*js;
	struct pcsv		*csv;
	int			 col[RP_P_MAX];	/* CSV columns, -1: none */
	int			 cols_known;
	int			 seen;		/* a value or row was read */

	int			 failed;
	char			 errbuf[160];
	uint64_t		 erroff;
	struct parser_stats	 stats;
};

/* Fails the whole input; the first reason is the one kept. */
static void
runprofile_fail(struct runprofile *rp, uint64_t offset, const char *reason)
{
	if (rp->failed)
		return;
	rp->failed = 1;
	rp->erroff = offset;
	snprintf(rp->errbuf, sizeof(rp->errbuf), "%s", reason);
}

static void
runprofile_reject(struct runprofile *rp, uint64_t offset, const char *reason)
{
	rp->stats.errors++;
	if (rp->ecb != NULL)
		rp->ecb(offset, reason, rp->arg);
}

/* An element or row the reader itself refused (too long, cut off). */
static void
runprofile_reader_err_cb(uint64_t offset, const char *reason, void *arg)
{
	struct runprofile	*rp = arg;

	rp->stats.read++;
	runprofile_reject(rp, offset, reason);
}

/* "b891884f-…" or "{B891884F-…}": the AAD connector's id? */
static int
runprofile_aad_id(const char *id)
{
	size_t	len;

	if (id == NULL)
		return (0);
	len = strlen(id);
	if (len > 2 && id[0] == '{' && id[len - 1] == '}') {
		id++;
		len -= 2;
	}
	return (len == strlen(RP_AAD_ID) &&
	    strncasecmp(id, RP_AAD_ID, len) == 0);
}

/* A new run record with every number unknown. */
static void
runprofile_record(struct record *r)
{
	int	i;

	memset(r, 0, sizeof(*r));
	r->kind = REC_RUN;
	r->source = REC_SRC_RUNPROFILE;
	r->u.run.conn_code = -1;
	r->u.run.run_number = -1;
	r->u.run.step_number = -1;
	r->u.run.start = r->u.run.end = REC_TIME_NONE;
	for (i = 0; i < REC_CNT_MAX; i++)
		r->u.run.counters[i] = -1;
}

/*
 * Checks and sends a filled record: the item is rejected at offset when
 * it lacks a connector or a result.  Returns -1 when the callback asked
 * to stop.
 */
static int
runprofile_emit(struct runprofile *rp, struct record *r, const char *connid,
    uint64_t offset)
{
	if (r->connector == NULL || r->connector[0] == '\0') {
		runprofile_reject(rp, offset, "RunProfileResult without a "
		    "ConnectorName");
		return (0);
	}
	if (r->u.run.result == NULL || r->u.run.result[0] == '\0') {
		runprofile_reject(rp, offset, "RunProfileResult without a "
		    "Result");
		return (0);
	}
	r->conn_kind = runprofile_aad_id(connid) ? REC_CONN_AAD :
	    record_conn_kind(r->connector);
	r->time = r->u.run.end != REC_TIME_NONE ? r->u.run.end :
	    r->u.run.start;
	rp->stats.records++;
	if (rp->cb(r, rp->arg) == -1) {
		runprofile_fail(rp, offset, "stopped by the record callback");
		return (-1);
	}
	return (0);
}

/* --- ConvertTo-Json ---------------------------------------------------- */

static const char *
runprofile_json_str(struct pjson *js, int obj, const char *key)
{
	return (pjson_str(js, pjson_getci(js, obj, key)));
}

static int64_t
runprofile_json_int(struct pjson *js, int obj, const char *key)
{
	int64_t	v;

	return (pjson_int(js, pjson_getci(js, obj, key), &v) == 0 ? v : -1);
}

/*
 * The step a -Depth 4 result ended on: the RunStepResults object with
 * the highest StepNumber (the last one when none is numbered), or -1.
 * Elements that are type-name strings (the default depth) are ignored.
 */
static int
runprofile_json_last_step(struct pjson *js, int obj)
{
	int64_t	num, best_num = -1;
	int	arr, el, i, n, best = -1;

	arr = pjson_getci(js, obj, "RunStepResults");
	if (pjson_type(js, arr) == PJSON_OBJECT)
		return (arr);		/* one step, not in a list */
	if (pjson_type(js, arr) != PJSON_ARRAY)
		return (-1);
	n = pjson_size(js, arr);
	for (i = 0, el = pjson_first(js, arr); i < n && el > 0;
	    i++, el = pjson_skip(js, el)) {
		if (pjson_type(js, el) != PJSON_OBJECT)
			continue;
		num = runprofile_json_int(js, el, "StepNumber");
		if (best == -1 || num >= best_num) {
			best = el;
			best_num = num;
		}
	}
	return (best);
}

/* One top-level JSON value: a RunProfileResult object, or a reject. */
static int
runprofile_json_value_cb(const char *text, size_t len, uint64_t offset,
    void *arg)
{
	struct runprofile	*rp = arg;
	struct pjson		*js = rp->js;
	struct rec_run		*run;
	struct record		 r;
	const char		*connid;
	int			 step, first = !rp->seen;
	size_t			 i;

	rp->stats.read++;
	rp->seen = 1;
	if (pjson_parse(js, text, len) == -1 ||
	    pjson_type(js, 0) != PJSON_OBJECT) {
		/*
		 * A file that opens with neither an object nor an array is
		 * no ConvertTo-Json of results at all, whatever follows.
		 */
		if (first && text[0] != '{' && text[0] != '[') {
			runprofile_fail(rp, offset, "not a JSON export of "
			    "RunProfileResult objects");
			return (-1);
		}
		runprofile_reject(rp, offset, pjson_type(js, 0) ==
		    PJSON_NONE ? "not valid JSON" : "not a JSON object");
		return (0);
	}
	runprofile_record(&r);
	run = &r.u.run;
	r.connector = runprofile_json_str(js, 0, "ConnectorName");
	connid = runprofile_json_str(js, 0, "ConnectorId");
	run->result = runprofile_json_str(js, 0, "Result");
	run->profile = runprofile_json_str(js, 0, "RunProfileName");
	run->run_id = runprofile_json_str(js, 0, "RunHistoryId");
	run->run_number = runprofile_json_int(js, 0, "RunNumber");
	run->step_number = runprofile_json_int(js, 0, "CurrentStepNumber");
	run->start = pjson_time(js, pjson_getci(js, 0, "StartDate"));
	run->end = pjson_time(js, pjson_getci(js, 0, "EndDate"));
	if ((step = runprofile_json_last_step(js, 0)) != -1) {
		/* The step's own result stands in when the run has none. */
		if (run->result == NULL)
			run->result = runprofile_json_str(js, step,
			    "StepResult");
		if (run->step_number == -1)
			run->step_number = runprofile_json_int(js, step,
			    "StepNumber");
		for (i = 0; i < sizeof(runprofile_counters) /
		    sizeof(runprofile_counters[0]); i++)
			run->counters[runprofile_counters[i].slot] =
			    runprofile_json_int(js, step,
			    runprofile_counters[i].name);
	}
	return (runprofile_emit(rp, &r, connid, offset));
}

/* --- Export-Csv -------------------------------------------------------- */

/*
 * Export-Csv writes dates in the session's culture: en-US "6/16/2024
 * 1:06:40 AM" first, ISO next, and the day-first forms of the cultures
 * whose list separator is ';' ("16.06.2024 01:06:40", "16/06/2024 …").
 * A day-first date whose day is 12 or less cannot be told from en-US and
 * is read as en-US.
 */
static int64_t
runprofile_csv_time(const char *s)
{
	unsigned	 d, m;
	int64_t		 t;
	char		 buf[64];
	int		 n = 0;

	if (s == NULL || *s == '\0')
		return (REC_TIME_NONE);
	if ((t = ptime_parse_us(s, strlen(s))) != REC_TIME_NONE ||
	    (t = ptime_parse(s, strlen(s))) != REC_TIME_NONE)
		return (t);
	if (sscanf(s, "%2u%*1[./-]%2u%*1[./-]%n", &d, &m, &n) != 2 || n == 0)
		return (REC_TIME_NONE);
	snprintf(buf, sizeof(buf), "%u/%u/%s", m, d, s + n);
	return (ptime_parse_us(buf, strlen(buf)));
}

static const char *
runprofile_csv_field(struct runprofile *rp, char **fields, enum rp_prop p)
{
	return (rp->col[p] >= 0 ? fields[rp->col[p]] : NULL);
}

static int64_t
runprofile_csv_int(struct runprofile *rp, char **fields, enum rp_prop p)
{
	const char	*s = runprofile_csv_field(rp, fields, p);
	int64_t		 v;

	return (s != NULL && pvalue_int(s, &v) == 0 ? v : -1);
}

/*
 * Finds the columns by header name once the header is known.  A header
 * without ConnectorName or Result is not a run profile export at all.
 */
static int
runprofile_csv_columns(struct runprofile *rp)
{
	int	i;

	for (i = 0; i < RP_P_MAX; i++)
		rp->col[i] = pcsv_col(rp->csv, runprofile_props[i]);
	rp->cols_known = 1;
	if (rp->col[RP_P_CONNNAME] == -1 || rp->col[RP_P_RESULT] == -1) {
		runprofile_fail(rp, 0, "not a RunProfileResult CSV: no "
		    "ConnectorName or Result column");
		return (-1);
	}
	return (0);
}

/* One data row: a RunProfileResult, or a reject. */
static int
runprofile_csv_row_cb(char **fields, size_t nfields, uint64_t offset,
    void *arg)
{
	struct runprofile	*rp = arg;
	struct rec_run		*run;
	struct record		 r;
	char			**names, why[80];
	size_t			 nheader;

	if (!rp->cols_known && runprofile_csv_columns(rp) == -1)
		return (-1);
	rp->stats.read++;
	nheader = pcsv_header(rp->csv, &names);
	if (nfields != nheader) {
		snprintf(why, sizeof(why), "CSV row with %zu fields under a "
		    "header of %zu", nfields, nheader);
		runprofile_reject(rp, offset, why);
		return (0);
	}
	runprofile_record(&r);
	run = &r.u.run;
	r.connector = runprofile_csv_field(rp, fields, RP_P_CONNNAME);
	run->result = runprofile_csv_field(rp, fields, RP_P_RESULT);
	run->profile = runprofile_csv_field(rp, fields, RP_P_PROFILE);
	run->run_id = runprofile_csv_field(rp, fields, RP_P_RUNID);
	run->run_number = runprofile_csv_int(rp, fields, RP_P_RUNNUMBER);
	run->step_number = runprofile_csv_int(rp, fields, RP_P_STEPNUMBER);
	run->start = runprofile_csv_time(runprofile_csv_field(rp, fields,
	    RP_P_START));
	run->end = runprofile_csv_time(runprofile_csv_field(rp, fields,
	    RP_P_END));
	/* Export-Csv writes "" for what was null. */
	if (run->profile != NULL && run->profile[0] == '\0')
		run->profile = NULL;
	if (run->run_id != NULL && run->run_id[0] == '\0')
		run->run_id = NULL;
	return (runprofile_emit(rp, &r, runprofile_csv_field(rp, fields,
	    RP_P_CONNID), offset));
}

/* --- the parser -------------------------------------------------------- */

static struct runprofile *
runprofile_alloc(rec_cb cb, rec_err_cb ecb, void *arg)
{
	struct runprofile	*rp;

	if ((rp = calloc(1, sizeof(*rp))) == NULL)
		return (NULL);
	rp->cb = cb;
	rp->ecb = ecb;
	rp->arg = arg;
	return (rp);
}

static void
runprofile_free(void *v)
{
	struct runprofile	*rp = v;

	if (rp == NULL)
		return;
	pjson_split_free(rp->split);
	pjson_free(rp->js);
	pcsv_free(rp->csv);
	free(rp);
}

/* A parser of ConvertTo-Json output; the name is not used. */
static void *
runprofile_json_new(const char *name, rec_cb cb, rec_err_cb ecb, void *arg)
{
	struct runprofile	*rp;

	(void)name;
	if ((rp = runprofile_alloc(cb, ecb, arg)) == NULL)
		return (NULL);
	rp->split = pjson_split_new(RP_MAXVALUE, runprofile_json_value_cb,
	    runprofile_reader_err_cb, rp);
	rp->js = pjson_new();
	if (rp->split == NULL || rp->js == NULL) {
		runprofile_free(rp);
		return (NULL);
	}
	return (rp);
}

/* A parser of Export-Csv output; the name is not used. */
static void *
runprofile_csv_new(const char *name, rec_cb cb, rec_err_cb ecb, void *arg)
{
	struct runprofile	*rp;

	(void)name;
	if ((rp = runprofile_alloc(cb, ecb, arg)) == NULL)
		return (NULL);
	if ((rp->csv = pcsv_new(RP_MAXROW, runprofile_csv_row_cb,
	    runprofile_reader_err_cb, rp)) == NULL) {
		runprofile_free(rp);
		return (NULL);
	}
	return (rp);
}

/*
 * After the reader failed: the reason is ours when one of our callbacks
 * stopped it, else the reader's own.
 */
static int
runprofile_reader_failed(struct runprofile *rp, const char *why,
    uint64_t offset)
{
	if (!rp->failed)
		runprofile_fail(rp, offset, why != NULL ? why : "read error");
	return (-1);
}

static int
runprofile_json_push(void *v, const void *buf, size_t len)
{
	struct runprofile	*rp = v;
	const char		*why;
	uint64_t		 off = 0;

	if (rp->failed)
		return (-1);
	if (pjson_split_push(rp->split, buf, len) == -1) {
		why = pjson_split_error(rp->split, &off);
		return (runprofile_reader_failed(rp, why, off));
	}
	return (0);
}

static int
runprofile_json_finish(void *v)
{
	struct runprofile	*rp = v;
	const char		*why;
	uint64_t		 off = 0;

	if (rp->failed)
		return (-1);
	if (pjson_split_finish(rp->split) == -1) {
		why = pjson_split_error(rp->split, &off);
		return (runprofile_reader_failed(rp, why, off));
	}
	return (0);
}

static int
runprofile_csv_push(void *v, const void *buf, size_t len)
{
	struct runprofile	*rp = v;
	const char		*why;
	uint64_t		 off = 0;

	if (rp->failed)
		return (-1);
	if (pcsv_push(rp->csv, buf, len) == -1) {
		why = pcsv_error(rp->csv, &off);
		return (runprofile_reader_failed(rp, why, off));
	}
	return (0);
}

static int
runprofile_csv_finish(void *v)
{
	struct runprofile	*rp = v;
	const char		*why;
	uint64_t		 off = 0;

	if (rp->failed)
		return (-1);
	if (pcsv_finish(rp->csv) == -1) {
		why = pcsv_error(rp->csv, &off);
		return (runprofile_reader_failed(rp, why, off));
	}
	return (0);
}

/* Why the parser failed, and at which byte offset of its input. */
static const char *
runprofile_error(const void *v, uint64_t *offset)
{
	const struct runprofile	*rp = v;

	if (!rp->failed)
		return (NULL);
	if (offset != NULL)
		*offset = rp->erroff;
	return (rp->errbuf);
}

/* Results read, run records, results rejected. */
static const struct parser_stats *
runprofile_stats(const void *v)
{
	const struct runprofile	*rp = v;

	return (&rp->stats);
}

const struct parser_ops runprofile_json_ops = {
	.name = "runprofile-json",
	.new = runprofile_json_new,
	.push = runprofile_json_push,
	.finish = runprofile_json_finish,
	.error = runprofile_error,
	.stats = runprofile_stats,
	.free = runprofile_free,
};

const struct parser_ops runprofile_csv_ops = {
	.name = "runprofile-csv",
	.new = runprofile_csv_new,
	.push = runprofile_csv_push,
	.finish = runprofile_csv_finish,
	.error = runprofile_error,
	.stats = runprofile_stats,
	.free = runprofile_free,
};
