/*
 * runhist.c: a streaming parser for sync run-history XML (FORMATS.md
 * §3.1), as MIIS_RunHistory.RunDetails() and the Sync Service Manager
 * save it, in UTF-8 or UTF-16.  Every step-details becomes one REC_RUN
 * record, followed by one REC_EXPORT_ERROR record per export-error of its
 * synchronization-errors.  The step's counters come last in the step, so
 * its export errors are held (bounded) until the step closes.
 *
 * Like csexport.c this is a libxml2 SAX2 push parser that never builds a
 * tree and follows only the elements that matter; a DOCTYPE is refused,
 * so no entity is ever declared or expanded, and the network is off.
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>
#include <libxml/parserInternals.h>

#include "parsers.h"

#define RH_MAXDEPTH	32		/* contexts tracked; deeper: skipped */
#define RH_MAXNEST	256		/* elements open at once */
#define RH_BLOCK	16384		/* bytes libxml2 is given at a time */
#define RH_MAXFIELD	(64 * 1024)	/* bytes kept of one text value */
#define RH_MAXSTEP	(32 * 1024 * 1024) /* bytes held for one step */
#define RH_STEPROOM	(2 * 1024 * 1024) /* room one more error may need */
#define RH_MAXERRORS	100000		/* export errors held for one step */

#define RH_BADENC	"the bytes are not valid in the document's encoding"

/* The AAD connector's fixed ma-id in every installation. */
#define RH_AAD_MAID	"b891884f-051e-4a83-95af-2544101c9083"

/* What the element at some depth is, as far as this parser cares. */
enum rh_cx {
	RH_CX_SKIP = 0,		/* not interesting: nor is anything inside */
	RH_CX_DOC,
	RH_CX_ROOT,		/* run-history */
	RH_CX_RUN,		/* run-details */
	RH_CX_STEP,		/* step-details */
	RH_CX_DESC,		/* step-description */
	RH_CX_CONN,		/* ma-connection */
	RH_CX_CONNLOG,		/* connection-log */
	RH_CX_INCIDENT,
	RH_CX_CONNCD,		/* an incident's cd-error */
	RH_CX_SYNCERR,		/* synchronization-errors */
	RH_CX_XERR,		/* export-error */
	RH_CX_XCD,		/* an export-error's cd-error */
	RH_CX_EXPCNT,		/* export-counters */
	RH_CX_STAGECNT,		/* staging-counters */
	RH_CX_FLOWCNT,		/* inbound-flow-counters */
	RH_CX_TEXT		/* a leaf whose text goes into a field */
};

/*
 * The values of the current run and step.  Those before RH_F_START belong
 * to the run-details and live in the run arena; the rest belong to the
 * step-details and live in the step arena, which is emptied per step.
 */
enum rh_field {
	RH_F_MAID, RH_F_NAME, RH_F_NUMBER, RH_F_PROFILE,
	RH_F_START, RH_F_END, RH_F_RESULT, RH_F_TYPE, RH_F_CONN, RH_F_SERVER,
	RH_F_CCODE, RH_F_CLITERAL,	/* the first connection incident's */
	RH_F_MAX
};

/* One export error's values, in the step arena. */
enum rh_xf {
	RH_X_GUID, RH_X_DN, RH_X_DATE, RH_X_FIRST, RH_X_RETRY, RH_X_TYPE,
	RH_X_CODE, RH_X_NAME, RH_X_LITERAL, RH_X_DETAIL, RH_X_EXTRA,
	RH_X_MAX
};

/* Where the text being read goes. */
enum rh_cap {
	RH_CAP_NONE = 0,
	RH_CAP_FIELD,		/* a run or step field */
	RH_CAP_XERR,		/* a field of the current export error */
	RH_CAP_COUNTER		/* a counter, parsed when the element ends */
};

#define RH_UNSET	SIZE_MAX

struct runhist_xerr {
	size_t		 f[RH_X_MAX];
};

struct runhist {
	xmlParserCtxtPtr	 ctxt;
	xmlSAXHandler		 sax;
	rec_cb			 cb;
	rec_err_cb		 ecb;
	void			*arg;

	enum rh_cx		 stack[RH_MAXDEPTH];
	int			 depth;		/* elements open */
	int			 skip;		/* depth of a skipped subtree */
	int			 root_seen;

	/* The current run-details, step-details and the step's errors. */
	struct pbuf		 run;
	struct pbuf		 step;
	size_t			 f[RH_F_MAX];
	int64_t			 step_number;
	int64_t			 counters[REC_CNT_MAX];
	int			 conn_cd_seen;	/* an incident cd-error read */
	struct runhist_xerr	*xerr;
	size_t			 nxerr, xerrcap;

	/* The text being read. */
	enum rh_cap		 cap;
	int			 cap_field;
	size_t			 cap_start;

	char			 blk[RH_BLOCK];	/* input not yet handed on */
	size_t			 nblk;
	uint64_t		 fed;		/* bytes handed to libxml2 */
	int			 finishing;	/* the last chunk is in */
	int			 failed;
	char			 errbuf[256];
	uint64_t		 erroff;
	struct parser_stats	 stats;
};

/* Stops the parser with reason; the first reason is the one kept. */
static void
runhist_fail(struct runhist *rh, const char *reason)
{
	long	consumed;

	if (rh->failed)
		return;
	rh->failed = 1;
	snprintf(rh->errbuf, sizeof(rh->errbuf), "%s", reason);
	rh->erroff = rh->fed;
	if (rh->ctxt != NULL) {
		consumed = xmlByteConsumed(rh->ctxt);
		if (consumed > 0 && (uint64_t)consumed <= rh->fed)
			rh->erroff = (uint64_t)consumed;
		xmlStopParser(rh->ctxt);
	}
}

/*
 * Appends s[0..len) and a NUL to b, returning where it starts, or
 * RH_UNSET.  Every field is kept once and errors are admitted only while
 * RH_STEPROOM is left, so a refusal here is a lack of memory and fails
 * the document.
 */
static size_t
runhist_keep(struct runhist *rh, struct pbuf *b, const char *s, size_t len)
{
	size_t	start = b->len;

	if (len > RH_MAXFIELD)
		len = RH_MAXFIELD;
	if (pbuf_add(b, s, len, RH_MAXSTEP + RH_STEPROOM) == -1 ||
	    pbuf_add(b, "", 1, RH_MAXSTEP + RH_STEPROOM) == -1) {
		runhist_fail(rh, "out of memory");
		return (RH_UNSET);
	}
	return (start);
}

static const char *
runhist_get(const struct pbuf *b, size_t off)
{
	return (off == RH_UNSET ? NULL : b->buf + off);
}

/* The arena the text being read goes to. */
static struct pbuf *
runhist_arena(struct runhist *rh)
{
	return (rh->cap == RH_CAP_FIELD && rh->cap_field < RH_F_START ?
	    &rh->run : &rh->step);
}

/* A run or step field, or NULL. */
static const char *
runhist_field(const struct runhist *rh, enum rh_field f)
{
	return (runhist_get(f < RH_F_START ? &rh->run : &rh->step, rh->f[f]));
}

/* Starts a run-details: forget the previous run. */
static void
runhist_run_start(struct runhist *rh)
{
	int	i;

	rh->run.len = 0;
	for (i = 0; i < RH_F_START; i++)
		rh->f[i] = RH_UNSET;
}

/* Starts a step-details: forget the previous step and its errors. */
static void
runhist_step_start(struct runhist *rh, const xmlChar **attrs, int n)
{
	const char	*v;
	char		 num[32];
	size_t		 len;
	int		 i;

	rh->step.len = 0;
	for (i = RH_F_START; i < RH_F_MAX; i++)
		rh->f[i] = RH_UNSET;
	for (i = 0; i < REC_CNT_MAX; i++)
		rh->counters[i] = -1;
	rh->nxerr = 0;
	rh->conn_cd_seen = 0;
	rh->step_number = -1;
	if (pxml_attr(attrs, n, "step-number", &v, &len) &&
	    len < sizeof(num)) {
		memcpy(num, v, len);
		num[len] = '\0';
		if (pvalue_int(num, &rh->step_number) == -1)
			rh->step_number = -1;
	}
	rh->stats.read++;
}

/*
 * Admits an export-error into the step's hold, or rejects it as an item
 * when the step already holds too much: the run record and the errors
 * before it still go out.
 */
static int
runhist_xerr_start(struct runhist *rh, const xmlChar **attrs, int n)
{
	struct runhist_xerr	*x;
	const char		*v;
	size_t			 len, ncap;
	long			 at;
	int			 i;

	if (rh->nxerr >= RH_MAXERRORS || rh->step.len > RH_MAXSTEP) {
		rh->stats.errors++;
		if (rh->ecb != NULL) {
			at = xmlByteConsumed(rh->ctxt);
			rh->ecb(at > 0 ? (uint64_t)at : 0, "export-error "
			    "dropped: its step holds too many errors",
			    rh->arg);
		}
		return (-1);
	}
	if (rh->nxerr == rh->xerrcap) {
		ncap = rh->xerrcap == 0 ? 16 : rh->xerrcap * 2;
		if ((x = reallocarray(rh->xerr, ncap, sizeof(*x))) == NULL) {
			runhist_fail(rh, "out of memory");
			return (-1);
		}
		rh->xerr = x;
		rh->xerrcap = ncap;
	}
	x = &rh->xerr[rh->nxerr++];
	for (i = 0; i < RH_X_MAX; i++)
		x->f[i] = RH_UNSET;
	if (pxml_attr(attrs, n, "cs-guid", &v, &len))
		x->f[RH_X_GUID] = runhist_keep(rh, &rh->step, v, len);
	if (pxml_attr(attrs, n, "dn", &v, &len))
		x->f[RH_X_DN] = runhist_keep(rh, &rh->step, v, len);
	return (0);
}

/*
 * The elements followed, by parent: the context each opens, and for a
 * leaf (RH_CX_TEXT) where its text goes.  Anything else is skipped whole.
 */
static const struct runhist_rule {
	enum rh_cx	 parent;
	const char	*name;
	enum rh_cx	 cx;
	enum rh_cap	 cap;
	int		 field;
} runhist_rules[] = {
	{ RH_CX_ROOT, "run-details", RH_CX_RUN, 0, 0 },
	{ RH_CX_RUN, "step-details", RH_CX_STEP, 0, 0 },
	{ RH_CX_RUN, "ma-id", RH_CX_TEXT, RH_CAP_FIELD, RH_F_MAID },
	{ RH_CX_RUN, "ma-name", RH_CX_TEXT, RH_CAP_FIELD, RH_F_NAME },
	{ RH_CX_RUN, "run-number", RH_CX_TEXT, RH_CAP_FIELD, RH_F_NUMBER },
	{ RH_CX_RUN, "run-profile-name", RH_CX_TEXT, RH_CAP_FIELD,
	    RH_F_PROFILE },
	{ RH_CX_STEP, "start-date", RH_CX_TEXT, RH_CAP_FIELD, RH_F_START },
	{ RH_CX_STEP, "end-date", RH_CX_TEXT, RH_CAP_FIELD, RH_F_END },
	{ RH_CX_STEP, "step-result", RH_CX_TEXT, RH_CAP_FIELD, RH_F_RESULT },
	{ RH_CX_STEP, "step-description", RH_CX_DESC, 0, 0 },
	{ RH_CX_STEP, "ma-connection", RH_CX_CONN, 0, 0 },
	{ RH_CX_STEP, "synchronization-errors", RH_CX_SYNCERR, 0, 0 },
	{ RH_CX_STEP, "export-counters", RH_CX_EXPCNT, 0, 0 },
	{ RH_CX_STEP, "staging-counters", RH_CX_STAGECNT, 0, 0 },
	{ RH_CX_STEP, "inbound-flow-counters", RH_CX_FLOWCNT, 0, 0 },
	{ RH_CX_CONN, "connection-result", RH_CX_TEXT, RH_CAP_FIELD,
	    RH_F_CONN },
	{ RH_CX_CONN, "server", RH_CX_TEXT, RH_CAP_FIELD, RH_F_SERVER },
	{ RH_CX_CONN, "connection-log", RH_CX_CONNLOG, 0, 0 },
	{ RH_CX_CONNLOG, "incident", RH_CX_INCIDENT, 0, 0 },
	{ RH_CX_INCIDENT, "cd-error", RH_CX_CONNCD, 0, 0 },
	{ RH_CX_CONNCD, "error-code", RH_CX_TEXT, RH_CAP_FIELD, RH_F_CCODE },
	{ RH_CX_CONNCD, "error-literal", RH_CX_TEXT, RH_CAP_FIELD,
	    RH_F_CLITERAL },
	{ RH_CX_SYNCERR, "export-error", RH_CX_XERR, 0, 0 },
	{ RH_CX_XERR, "date-occurred", RH_CX_TEXT, RH_CAP_XERR, RH_X_DATE },
	{ RH_CX_XERR, "first-occurred", RH_CX_TEXT, RH_CAP_XERR, RH_X_FIRST },
	{ RH_CX_XERR, "retry-count", RH_CX_TEXT, RH_CAP_XERR, RH_X_RETRY },
	{ RH_CX_XERR, "error-type", RH_CX_TEXT, RH_CAP_XERR, RH_X_TYPE },
	{ RH_CX_XERR, "cd-error", RH_CX_XCD, 0, 0 },
	{ RH_CX_XCD, "error-code", RH_CX_TEXT, RH_CAP_XERR, RH_X_CODE },
	{ RH_CX_XCD, "error-name", RH_CX_TEXT, RH_CAP_XERR, RH_X_NAME },
	{ RH_CX_XCD, "error-literal", RH_CX_TEXT, RH_CAP_XERR, RH_X_LITERAL },
	{ RH_CX_XCD, "server-error-detail", RH_CX_TEXT, RH_CAP_XERR,
	    RH_X_DETAIL },
	{ RH_CX_XCD, "extra-error-details", RH_CX_TEXT, RH_CAP_XERR,
	    RH_X_EXTRA },
	{ RH_CX_EXPCNT, "export-add", RH_CX_TEXT, RH_CAP_COUNTER,
	    REC_CNT_EXPORT_ADD },
	{ RH_CX_EXPCNT, "export-update", RH_CX_TEXT, RH_CAP_COUNTER,
	    REC_CNT_EXPORT_UPDATE },
	{ RH_CX_EXPCNT, "export-rename", RH_CX_TEXT, RH_CAP_COUNTER,
	    REC_CNT_EXPORT_RENAME },
	{ RH_CX_EXPCNT, "export-delete", RH_CX_TEXT, RH_CAP_COUNTER,
	    REC_CNT_EXPORT_DELETE },
	{ RH_CX_EXPCNT, "export-delete-add", RH_CX_TEXT, RH_CAP_COUNTER,
	    REC_CNT_EXPORT_DELETE_ADD },
	{ RH_CX_EXPCNT, "export-failure", RH_CX_TEXT, RH_CAP_COUNTER,
	    REC_CNT_EXPORT_FAILURE },
	{ RH_CX_STAGECNT, "stage-failure", RH_CX_TEXT, RH_CAP_COUNTER,
	    REC_CNT_STAGE_FAILURE },
	{ RH_CX_FLOWCNT, "flow-failure", RH_CX_TEXT, RH_CAP_COUNTER,
	    REC_CNT_FLOW_FAILURE },
};

/* Reads a leaf's text into field f of cap, unless f is already set. */
static enum rh_cx
runhist_capture(struct runhist *rh, enum rh_cap cap, int f)
{
	size_t	set;

	if (cap == RH_CAP_FIELD)
		set = rh->f[f];
	else if (cap == RH_CAP_XERR)
		set = rh->xerr[rh->nxerr - 1].f[f];
	else
		set = rh->counters[f] == -1 ? RH_UNSET : 0;
	if (set != RH_UNSET)
		return (RH_CX_SKIP);
	rh->cap = cap;
	rh->cap_field = f;
	rh->cap_start = runhist_arena(rh)->len;
	return (RH_CX_TEXT);
}

/*
 * Decides what a new element is from its name and its parent's context,
 * and does what entering it takes.
 */
static enum rh_cx
runhist_classify(struct runhist *rh, enum rh_cx parent, const char *name,
    const xmlChar **attrs, int n)
{
	const struct runhist_rule	*ru;
	const char			*v;
	size_t				 i, len;

	if (parent == RH_CX_DOC) {
		if (strcmp(name, "run-history") != 0) {
			runhist_fail(rh, "not a run history: the root element "
			    "is not run-history");
			return (RH_CX_SKIP);
		}
		rh->root_seen = 1;
		return (RH_CX_ROOT);
	}
	if (parent == RH_CX_DESC) {
		if (strcmp(name, "step-type") == 0 &&
		    rh->f[RH_F_TYPE] == RH_UNSET &&
		    pxml_attr(attrs, n, "type", &v, &len))
			rh->f[RH_F_TYPE] = runhist_keep(rh, &rh->step, v,
			    len);
		return (RH_CX_SKIP);
	}
	for (i = 0; i < sizeof(runhist_rules) / sizeof(runhist_rules[0]);
	    i++) {
		ru = &runhist_rules[i];
		if (ru->parent == parent && strcmp(ru->name, name) == 0)
			break;
	}
	if (i == sizeof(runhist_rules) / sizeof(runhist_rules[0]))
		return (RH_CX_SKIP);
	switch (ru->cx) {
	case RH_CX_TEXT:
		return (runhist_capture(rh, ru->cap, ru->field));
	case RH_CX_RUN:
		runhist_run_start(rh);
		break;
	case RH_CX_STEP:
		runhist_step_start(rh, attrs, n);
		break;
	case RH_CX_INCIDENT:
		/* Only the first incident's cd-error is kept. */
		if (rh->conn_cd_seen)
			return (RH_CX_SKIP);
		break;
	case RH_CX_CONNCD:
		rh->conn_cd_seen = 1;
		break;
	case RH_CX_XERR:
		if (runhist_xerr_start(rh, attrs, n) == -1)
			return (RH_CX_SKIP);
		break;
	default:
		break;
	}
	return (ru->cx);
}

static void
runhist_start_cb(void *ctx, const xmlChar *localname,
    const xmlChar *prefix, const xmlChar *uri, int nns,
    const xmlChar **ns, int nattrs, int ndefaulted, const xmlChar **attrs)
{
	struct runhist	*rh = ctx;
	enum rh_cx	 parent, c;

	(void)prefix, (void)uri, (void)nns, (void)ns, (void)ndefaulted;
	rh->depth++;
	if (rh->depth > RH_MAXNEST)
		runhist_fail(rh, "elements nested too deeply");
	if (rh->skip != 0 || rh->failed)
		return;
	parent = rh->depth == 1 ? RH_CX_DOC : rh->stack[rh->depth - 2];
	if (rh->depth > RH_MAXDEPTH || parent == RH_CX_TEXT)
		c = RH_CX_SKIP;
	else
		c = runhist_classify(rh, parent, (const char *)localname,
		    attrs, nattrs);
	if (c == RH_CX_SKIP || rh->failed) {
		rh->skip = rh->depth;
		return;
	}
	rh->stack[rh->depth - 1] = c;
}

/* "{B891884F-…}" or "b891884f-…": the AAD connector's ma-id? */
static int
runhist_aad_id(const char *id)
{
	size_t	len;

	if (id == NULL)
		return (0);
	len = strlen(id);
	if (len > 2 && id[0] == '{' && id[len - 1] == '}') {
		id++;
		len -= 2;
	}
	return (len == strlen(RH_AAD_MAID) &&
	    strncasecmp(id, RH_AAD_MAID, len) == 0);
}

static int64_t
runhist_time(const char *s)
{
	return (s == NULL ? REC_TIME_NONE : ptime_parse(s, strlen(s)));
}

static int64_t
runhist_int(const char *s)
{
	int64_t	v;

	return (s != NULL && pvalue_int(s, &v) == 0 ? v : -1);
}

/* Hands r to the callback; -1 when it asked to stop. */
static int
runhist_emit(struct runhist *rh, const struct record *r)
{
	rh->stats.records++;
	if (rh->cb(r, rh->arg) == -1) {
		runhist_fail(rh, "stopped by the record callback");
		return (-1);
	}
	return (0);
}

/* The record of export error x of the step, with its conflict if AAD. */
static int
runhist_emit_xerr(struct runhist *rh, struct record *r,
    const struct runhist_xerr *x)
{
	struct rec_export_error	*e = &r->u.xerr;
	struct pconflict	 pc;
	const struct pbuf	*b = &rh->step;

	memset(&r->u, 0, sizeof(r->u));
	r->kind = REC_EXPORT_ERROR;
	e->cs_id = runhist_get(b, x->f[RH_X_GUID]);
	e->dn = runhist_get(b, x->f[RH_X_DN]);
	e->error_type = runhist_get(b, x->f[RH_X_TYPE]);
	e->error_name = runhist_get(b, x->f[RH_X_NAME]);
	if (e->error_type == NULL)
		e->error_type = e->error_name;
	e->error_code = runhist_int(runhist_get(b, x->f[RH_X_CODE]));
	e->literal = runhist_get(b, x->f[RH_X_LITERAL]);
	e->server_detail = runhist_get(b, x->f[RH_X_DETAIL]);
	e->extra_details = runhist_get(b, x->f[RH_X_EXTRA]);
	e->first_occurred = runhist_time(runhist_get(b, x->f[RH_X_FIRST]));
	e->date_occurred = runhist_time(runhist_get(b, x->f[RH_X_DATE]));
	e->retry_count = runhist_int(runhist_get(b, x->f[RH_X_RETRY]));
	e->admin_count = -1;
	/*
	 * What an AAD error contests is in its extra details when the
	 * connector gave them, else in the "[Attribute value;]" of its text.
	 */
	if (r->conn_kind == REC_CONN_AAD &&
	    ((e->extra_details != NULL &&
	    pconflict_extra(&pc, e->extra_details) == 0) ||
	    (e->literal != NULL && pconflict_text(&pc, e->literal) == 0) ||
	    (e->server_detail != NULL &&
	    pconflict_text(&pc, e->server_detail) == 0))) {
		e->conflict_attr = pc.attr;
		e->conflict_value = pc.value;
		e->object_id = pc.object_id;
		e->conflict_object_id = pc.conflict_object_id;
	}
	return (runhist_emit(rh, r));
}

/* The step is complete: its run record, then its export errors. */
static void
runhist_step_end(struct runhist *rh)
{
	struct record	 r;
	struct rec_run	*run = &r.u.run;
	const char	*name;
	size_t		 i;

	memset(&r, 0, sizeof(r));
	r.kind = REC_RUN;
	r.source = REC_SRC_RUNHIST;
	name = runhist_field(rh, RH_F_NAME);
	r.connector = name;
	r.conn_kind = runhist_aad_id(runhist_field(rh, RH_F_MAID)) ?
	    REC_CONN_AAD : record_conn_kind(name);
	run->profile = runhist_field(rh, RH_F_PROFILE);
	run->run_number = runhist_int(runhist_field(rh, RH_F_NUMBER));
	run->step_number = rh->step_number;
	run->step_type = runhist_field(rh, RH_F_TYPE);
	run->result = runhist_field(rh, RH_F_RESULT);
	run->connection = runhist_field(rh, RH_F_CONN);
	run->conn_server = runhist_field(rh, RH_F_SERVER);
	run->conn_code = runhist_int(runhist_field(rh, RH_F_CCODE));
	run->conn_literal = runhist_field(rh, RH_F_CLITERAL);
	run->start = runhist_time(runhist_field(rh, RH_F_START));
	run->end = runhist_time(runhist_field(rh, RH_F_END));
	memcpy(run->counters, rh->counters, sizeof(run->counters));
	r.time = run->end != REC_TIME_NONE ? run->end : run->start;
	if (runhist_emit(rh, &r) == -1)
		return;
	for (i = 0; i < rh->nxerr; i++) {
		if (runhist_emit_xerr(rh, &r, &rh->xerr[i]) == -1)
			return;
	}
}

/* A leaf ended: its text, trimmed, becomes its field (or counter). */
static void
runhist_text_end(struct runhist *rh)
{
	struct pbuf	*b = runhist_arena(rh);
	enum rh_cap	 cap = rh->cap;
	const char	*s;
	size_t		 len = b->len - rh->cap_start;

	rh->cap = RH_CAP_NONE;
	if (len == 0)
		return;
	/* pbuf keeps a NUL after its bytes: the text is a string already. */
	s = b->buf + rh->cap_start;
	if (cap == RH_CAP_COUNTER) {
		rh->counters[rh->cap_field] = runhist_int(s);
		b->len = rh->cap_start;
		return;
	}
	pvalue_trim(&s, &len);
	memmove(b->buf + rh->cap_start, s, len);
	b->len = rh->cap_start + len;
	if (len == 0)
		return;
	if (pbuf_add(b, "", 1, RH_MAXSTEP + RH_STEPROOM) == -1)
		runhist_fail(rh, "out of memory");
	else if (cap == RH_CAP_FIELD)
		rh->f[rh->cap_field] = rh->cap_start;
	else
		rh->xerr[rh->nxerr - 1].f[rh->cap_field] = rh->cap_start;
}

static void
runhist_end_cb(void *ctx, const xmlChar *localname, const xmlChar *prefix,
    const xmlChar *uri)
{
	struct runhist	*rh = ctx;
	enum rh_cx	 c;

	(void)localname, (void)prefix, (void)uri;
	if (rh->skip != 0) {
		if (rh->skip == rh->depth)
			rh->skip = 0;
		rh->depth--;
		return;
	}
	if (rh->failed || rh->depth < 1) {
		rh->depth--;
		return;
	}
	c = rh->stack[rh->depth - 1];
	rh->depth--;
	switch (c) {
	case RH_CX_TEXT:
		runhist_text_end(rh);
		break;
	case RH_CX_STEP:
		runhist_step_end(rh);
		break;
	default:
		break;
	}
}

static void
runhist_text_cb(void *ctx, const xmlChar *ch, int len)
{
	struct runhist	*rh = ctx;
	struct pbuf	*b;
	size_t		 room;

	if (rh->cap == RH_CAP_NONE || rh->skip != 0 || rh->failed || len <= 0)
		return;
	b = runhist_arena(rh);
	if (b->len - rh->cap_start >= RH_MAXFIELD)
		return;
	room = RH_MAXFIELD - (b->len - rh->cap_start);
	if (pbuf_add(b, ch, (size_t)len < room ? (size_t)len : room,
	    RH_MAXSTEP + RH_STEPROOM) == -1)
		runhist_fail(rh, "out of memory");
}

/* Any DOCTYPE is refused: run history never has one, attacks always do. */
static void
runhist_dtd_cb(void *ctx, const xmlChar *name, const xmlChar *eid,
    const xmlChar *sid)
{
	(void)name, (void)eid, (void)sid;
	runhist_fail(ctx, "a DOCTYPE is not allowed in a run history "
	    "(entities are never expanded)");
}

/*
 * Input libxml2 could not convert stops its input short without an error
 * of its own: what it reports next is only the document seeming to end.
 */
static int
runhist_badenc(const struct runhist *rh)
{
	return (rh->ctxt != NULL && rh->ctxt->input != NULL &&
	    rh->ctxt->input->buf != NULL && rh->ctxt->input->buf->error != 0);
}

/* libxml2's structured errors: the first one stops the parser. */
static void
runhist_error_cb(void *ctx, xmlErrorPtr err)
{
	struct runhist	*rh = ctx;
	char		 msg[200], prefix[64];

	if (err == NULL || err->level < XML_ERR_ERROR || rh->failed)
		return;
	if (runhist_badenc(rh)) {
		runhist_fail(rh, RH_BADENC);
		return;
	}
	prefix[0] = '\0';
	if (rh->finishing && rh->depth > 0)
		snprintf(prefix, sizeof(prefix), "truncated document (%d "
		    "elements still open): ", rh->depth);
	pxml_error_text(err, prefix, msg, sizeof(msg));
	runhist_fail(rh, msg);
}

/* A push parser for one run-history document; the name is not used. */
static void *
runhist_new(const char *name, rec_cb cb, rec_err_cb ecb, void *arg)
{
	struct runhist	*rh;

	(void)name;
	if ((rh = calloc(1, sizeof(*rh))) == NULL)
		return (NULL);
	rh->cb = cb;
	rh->ecb = ecb;
	rh->arg = arg;
	pxml_sax_init(&rh->sax);
	rh->sax.startElementNs = runhist_start_cb;
	rh->sax.endElementNs = runhist_end_cb;
	rh->sax.characters = runhist_text_cb;
	rh->sax.cdataBlock = runhist_text_cb;
	rh->sax.internalSubset = runhist_dtd_cb;
	rh->sax.externalSubset = runhist_dtd_cb;
	rh->sax.serror = runhist_error_cb;
	return (rh);
}

/*
 * Hands one block to libxml2, creating its context from the first four
 * bytes (encoding detection) on the first block.
 */
static int
runhist_feed(struct runhist *rh, const char *buf, size_t len, int last)
{
	size_t	n;
	int	rc;

	if (rh->ctxt == NULL) {
		n = len < 4 ? len : 4;
		rh->ctxt = xmlCreatePushParserCtxt(&rh->sax, rh, buf, (int)n,
		    NULL);
		if (rh->ctxt == NULL) {
			runhist_fail(rh, "cannot create an XML parser");
			return (-1);
		}
		xmlCtxtUseOptions(rh->ctxt, XML_PARSE_NONET |
		    XML_PARSE_NOCDATA);
		/* xmlCtxtUseOptions resets this: keep entities unexpanded. */
		rh->ctxt->replaceEntities = 0;
		rh->fed += n;
		buf += n;
		len -= n;
	}
	rh->fed += len;
	rc = xmlParseChunk(rh->ctxt, buf, (int)len, last);
	/* Encoding errors reach no callback: libxml2 only returns them. */
	if (rc == XML_ERR_INVALID_ENCODING ||
	    rc == XML_ERR_UNSUPPORTED_ENCODING || runhist_badenc(rh))
		runhist_fail(rh, RH_BADENC);
	else if ((rc != 0 || rh->ctxt->wellFormed == 0) && !rh->failed)
		runhist_fail(rh, "malformed XML");
	return (rh->failed ? -1 : 0);
}

/*
 * Feeds len bytes; returns 0, or -1 once the document is known bad.
 * libxml2 always gets the same blocks, however the bytes arrive, so what
 * it reports (and where) never depends on the caller's chunking.
 */
static int
runhist_push(void *v, const void *buf, size_t len)
{
	struct runhist	*rh = v;
	const char	*p = buf;
	size_t		 n;

	if (rh->failed)
		return (-1);
	while (len > 0) {
		if (rh->nblk == 0 && len >= RH_BLOCK) {
			if (runhist_feed(rh, p, RH_BLOCK, 0) == -1)
				return (-1);
			p += RH_BLOCK;
			len -= RH_BLOCK;
			continue;
		}
		n = RH_BLOCK - rh->nblk < len ? RH_BLOCK - rh->nblk : len;
		memcpy(rh->blk + rh->nblk, p, n);
		rh->nblk += n;
		p += n;
		len -= n;
		if (rh->nblk == RH_BLOCK) {
			rh->nblk = 0;
			if (runhist_feed(rh, rh->blk, RH_BLOCK, 0) == -1)
				return (-1);
		}
	}
	return (0);
}

/* Ends the document; 0, or -1 when it was cut off or never began. */
static int
runhist_finish(void *v)
{
	struct runhist	*rh = v;

	if (rh->failed)
		return (-1);
	if (rh->ctxt == NULL && rh->nblk == 0) {
		runhist_fail(rh, "empty file");
		return (-1);
	}
	/* What fails only once the end is known is a cut-off document. */
	if (runhist_feed(rh, rh->blk, rh->nblk, 0) == -1)
		return (-1);
	rh->nblk = 0;
	rh->finishing = 1;
	if (runhist_feed(rh, NULL, 0, 1) == -1)
		return (-1);
	if (!rh->root_seen) {
		runhist_fail(rh, "no run-history element");
		return (-1);
	}
	return (0);
}

/* Why the parser failed, and at which byte offset of its input. */
static const char *
runhist_error(const void *v, uint64_t *offset)
{
	const struct runhist	*rh = v;

	if (!rh->failed)
		return (NULL);
	if (offset != NULL)
		*offset = rh->erroff;
	return (rh->errbuf);
}

/* Steps read, run and export-error records, export errors dropped. */
static const struct parser_stats *
runhist_stats(const void *v)
{
	const struct runhist	*rh = v;

	return (&rh->stats);
}

static void
runhist_free(void *v)
{
	struct runhist	*rh = v;

	if (rh == NULL)
		return;
	if (rh->ctxt != NULL)
		xmlFreeParserCtxt(rh->ctxt);
	pbuf_free(&rh->run);
	pbuf_free(&rh->step);
	free(rh->xerr);
	free(rh);
}

const struct parser_ops runhist_ops = {
	.name = "runhist",
	.new = runhist_new,
	.push = runhist_push,
	.finish = runhist_finish,
	.error = runhist_error,
	.stats = runhist_stats,
	.free = runhist_free,
};
