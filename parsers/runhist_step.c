/*
 * runhist_step.c: the values of the run-details and step-details being
 * read, and the records they make.  A step's counters come last in the
 * step, so its export errors are held (up to RH_MAXERRORS, and RH_MAXSTEP
 * bytes) until it closes; then its REC_RUN record goes out, followed by
 * one REC_EXPORT_ERROR record per error held.  Values live in two arenas:
 * the run's, kept across its steps, and the step's, emptied per step.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "parsers.h"
#include "runhist.h"

/*
 * Appends s[0..len) and a NUL to b, returning where it starts, or
 * RH_UNSET.  Every field is kept once and errors are admitted only while
 * RH_STEPROOM is left, so a refusal here is a lack of memory and fails
 * the document.
 */
size_t
runhist_keep(struct runhist *rh, struct pbuf *b, const char *s, size_t len)
{
	size_t	start = b->len;

	if (len > RH_MAXFIELD)
		len = RH_MAXFIELD;
	if (pbuf_add(b, s, len, RH_MAXSTEP + RH_STEPROOM) == -1 ||
	    pbuf_add(b, "", 1, RH_MAXSTEP + RH_STEPROOM) == -1) {
		pxml_fail(&rh->px, "out of memory");
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

/* A run-details starts: forget the previous run. */
void
runhist_run_start(struct runhist *rh)
{
	int	i;

	rh->run.len = 0;
	for (i = 0; i < RH_F_START; i++)
		rh->f[i] = RH_UNSET;
}

/* A step-details starts: forget the previous step and its errors. */
void
runhist_step_start(struct runhist *rh, const unsigned char **attrs, int n)
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
int
runhist_xerr_start(struct runhist *rh, const unsigned char **attrs, int n)
{
	struct runhist_xerr	*x;
	const char		*v;
	size_t			 len, ncap;
	int			 i;

	if (rh->nxerr >= RH_MAXERRORS || rh->step.len > RH_MAXSTEP) {
		rh->stats.errors++;
		if (rh->ecb != NULL)
			rh->ecb(pxml_consumed(&rh->px), "export-error "
			    "dropped: its step holds too many errors",
			    rh->arg);
		return (-1);
	}
	if (rh->nxerr == rh->xerrcap) {
		ncap = rh->xerrcap == 0 ? 16 : rh->xerrcap * 2;
		if ((x = reallocarray(rh->xerr, ncap, sizeof(*x))) == NULL) {
			pxml_fail(&rh->px, "out of memory");
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
 * A leaf starts whose text goes to field f of cap: RH_CX_TEXT, or
 * RH_CX_SKIP when that field is already set.
 */
enum rh_cx
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
		pxml_fail(&rh->px, "stopped by the record callback");
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

/* The step-details ended: its run record, then its export errors. */
void
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
	r.conn_kind = record_aad_id(runhist_field(rh, RH_F_MAID)) ?
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

/*
 * More text of the leaf being read.  Past RH_MAXFIELD it is dropped: a
 * value is cut, never the document.
 */
void
runhist_text_add(struct runhist *rh, const void *text, size_t len)
{
	struct pbuf	*b = runhist_arena(rh);
	size_t		 room;

	if (b->len - rh->cap_start >= RH_MAXFIELD)
		return;
	room = RH_MAXFIELD - (b->len - rh->cap_start);
	if (pbuf_add(b, text, len < room ? len : room,
	    RH_MAXSTEP + RH_STEPROOM) == -1)
		pxml_fail(&rh->px, "out of memory");
}

/* The leaf ended: its text, trimmed, becomes its field or counter. */
void
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
		pxml_fail(&rh->px, "out of memory");
	else if (cap == RH_CAP_FIELD)
		rh->f[rh->cap_field] = rh->cap_start;
	else
		rh->xerr[rh->nxerr - 1].f[rh->cap_field] = rh->cap_start;
}
