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
	struct pdoc	 doc;		/* first: pdoc_* are the ops */
	int		 col[RP_P_MAX];	/* CSV columns, -1: none */
	size_t		 nheader;
	int		 seen;		/* a JSON value was read */
};

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
		pdoc_reject(&rp->doc, offset, "RunProfileResult without a "
		    "ConnectorName");
		return (0);
	}
	if (r->u.run.result == NULL || r->u.run.result[0] == '\0') {
		pdoc_reject(&rp->doc, offset, "RunProfileResult without a "
		    "Result");
		return (0);
	}
	r->conn_kind = record_aad_id(connid) ? REC_CONN_AAD :
	    record_conn_kind(r->connector);
	r->time = r->u.run.end != REC_TIME_NONE ? r->u.run.end :
	    r->u.run.start;
	return (pdoc_emit(&rp->doc, r, offset));
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
	struct pjson		*js = rp->doc.js;
	struct rec_run		*run;
	struct record		 r;
	const char		*connid;
	int			 step, first = !rp->seen;
	size_t			 i;

	rp->doc.stats.read++;
	rp->seen = 1;
	if (pjson_parse(js, text, len) == -1 ||
	    pjson_type(js, 0) != PJSON_OBJECT) {
		/*
		 * A file that opens with neither an object nor an array is
		 * no ConvertTo-Json of results at all, whatever follows.
		 */
		if (first && text[0] != '{' && text[0] != '[')
			return (pdoc_fail(&rp->doc, offset, "not a JSON export "
			    "of RunProfileResult objects"));
		pdoc_reject(&rp->doc, offset, pjson_type(js, 0) ==
		    PJSON_NONE ? pjson_why(js) : "not a JSON object");
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
 * The header row: the columns are found by name, once.  A header without
 * ConnectorName or Result is not a run profile export at all.
 */
static int
runprofile_csv_header_cb(char **names, size_t nnames, uint64_t offset,
    void *arg)
{
	struct runprofile	*rp = arg;
	int			 i;

	(void)names;
	rp->nheader = nnames;
	for (i = 0; i < RP_P_MAX; i++)
		rp->col[i] = pcsv_col(rp->doc.csv, runprofile_props[i]);
	if (rp->col[RP_P_CONNNAME] == -1 || rp->col[RP_P_RESULT] == -1)
		return (pdoc_fail(&rp->doc, offset, "not a RunProfileResult "
		    "CSV: no ConnectorName or Result column"));
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
	char			 why[80];

	rp->doc.stats.read++;
	if (nfields != rp->nheader) {
		snprintf(why, sizeof(why), "CSV row with %zu fields under a "
		    "header of %zu", nfields, rp->nheader);
		pdoc_reject(&rp->doc, offset, why);
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
	run->start = ptime_parse_culture(runprofile_csv_field(rp, fields,
	    RP_P_START));
	run->end = ptime_parse_culture(runprofile_csv_field(rp, fields,
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

/* Counts results read (good or bad), run records, results rejected. */
static void *
runprofile_json_new(const char *name, rec_cb cb, rec_err_cb ecb, void *arg)
{
	(void)name;
	return (pdoc_new_json(sizeof(struct runprofile), RP_MAXVALUE,
	    runprofile_json_value_cb, cb, ecb, arg));
}

static void *
runprofile_csv_new(const char *name, rec_cb cb, rec_err_cb ecb, void *arg)
{
	(void)name;
	return (pdoc_new_csv(sizeof(struct runprofile), RP_MAXROW,
	    runprofile_csv_header_cb, runprofile_csv_row_cb, cb, ecb, arg));
}

const struct parser_ops runprofile_json_ops = {
	.name = "runprofile-json",
	.new = runprofile_json_new,
	.push = pdoc_push,
	.finish = pdoc_finish,
	.error = pdoc_error,
	.stats = pdoc_stats,
	.free = pdoc_free,
};

const struct parser_ops runprofile_csv_ops = {
	.name = "runprofile-csv",
	.new = runprofile_csv_new,
	.push = pdoc_push,
	.finish = pdoc_finish,
	.error = pdoc_error,
	.stats = pdoc_stats,
	.free = pdoc_free,
};
