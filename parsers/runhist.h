/*
 * runhist.h: the pieces of the run-history parser and what they share.
 * runhist.c follows the document's elements (libxml2 SAX2) and decides
 * what each one is; runhist_step.c keeps the values of the current run
 * and step, holds the step's export errors and makes the records when
 * the step closes.  Kept apart from parsers.h: nothing outside the
 * run-history parser needs these.
 */

#ifndef RUNHIST_H
#define RUNHIST_H

#include <stddef.h>
#include <stdint.h>

#include <libxml/parser.h>

#include "parsers.h"

#define RH_MAXDEPTH	32		/* contexts tracked; deeper: skipped */
#define RH_MAXFIELD	(64 * 1024)	/* bytes kept of one text value */
#define RH_MAXSTEP	(32 * 1024 * 1024) /* bytes held for one step */
#define RH_STEPROOM	(2 * 1024 * 1024) /* room one more error may need */
#define RH_MAXERRORS	100000		/* export errors held for one step */

#define RH_UNSET	SIZE_MAX

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

struct runhist_xerr {
	size_t		 f[RH_X_MAX];
};

struct runhist {
	struct pxml		 px;
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

	struct parser_stats	 stats;
};

/* runhist_step.c */
/*
 * Keeps s[0..len) (cut at RH_MAXFIELD) and a NUL in b: where it starts,
 * or RH_UNSET when memory ran out, which fails the document.
 */
size_t		 runhist_keep(struct runhist *, struct pbuf *b, const char *s,
		     size_t len);
/* A run-details starts: forget the previous run. */
void		 runhist_run_start(struct runhist *);
/* A step-details starts: forget the previous step and its errors. */
void		 runhist_step_start(struct runhist *,
		     const unsigned char **attrs, int nattrs);
/* An export-error starts: 0 when it is held, -1 when it is not. */
int		 runhist_xerr_start(struct runhist *,
		     const unsigned char **attrs, int nattrs);
/*
 * A leaf starts whose text goes to field f of cap: RH_CX_TEXT, or
 * RH_CX_SKIP when that field is already set.
 */
enum rh_cx	 runhist_capture(struct runhist *, enum rh_cap cap, int f);
/* More text of the leaf being read (past RH_MAXFIELD it is dropped). */
void		 runhist_text_add(struct runhist *, const void *text,
		     size_t len);
/* The leaf ended: its text, trimmed, becomes its field or counter. */
void		 runhist_text_end(struct runhist *);
/* The step-details ended: its run record, then its export errors. */
void		 runhist_step_end(struct runhist *);

#endif /* RUNHIST_H */
