/*
 * runhist.c: a streaming parser for sync run-history XML (FORMATS.md
 * §3.1), as MIIS_RunHistory.RunDetails() and the Sync Service Manager
 * save it, in UTF-8 or UTF-16.  Every step-details becomes one REC_RUN
 * record, followed by one REC_EXPORT_ERROR record per export-error of its
 * synchronization-errors (runhist_step.c builds them).
 *
 * This file follows the document: like csexport.c it is a libxml2 SAX2
 * push parser (struct pxml) that never builds a tree and follows only the
 * elements that matter; a DOCTYPE is refused, so no entity is ever
 * declared or expanded, and the network is off.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>

#include "parsers.h"
#include "runhist.h"

#define RH_MAXNEST	256		/* elements open at once */

/*
 * The elements followed, by parent: those of runhist_nodes open the
 * context given; the text of a leaf of runhist_leaves goes into a field,
 * of the kind its parent holds (runhist_leaf_cap).  Anything else is
 * skipped whole.
 */
static const struct runhist_node {
	enum rh_cx	 parent;
	const char	*name;
	enum rh_cx	 cx;
} runhist_nodes[] = {
	{ RH_CX_ROOT, "run-details", RH_CX_RUN },
	{ RH_CX_RUN, "step-details", RH_CX_STEP },
	{ RH_CX_STEP, "step-description", RH_CX_DESC },
	{ RH_CX_STEP, "ma-connection", RH_CX_CONN },
	{ RH_CX_STEP, "synchronization-errors", RH_CX_SYNCERR },
	{ RH_CX_STEP, "export-counters", RH_CX_EXPCNT },
	{ RH_CX_STEP, "staging-counters", RH_CX_STAGECNT },
	{ RH_CX_STEP, "inbound-flow-counters", RH_CX_FLOWCNT },
	{ RH_CX_CONN, "connection-log", RH_CX_CONNLOG },
	{ RH_CX_CONNLOG, "incident", RH_CX_INCIDENT },
	{ RH_CX_INCIDENT, "cd-error", RH_CX_CONNCD },
	{ RH_CX_SYNCERR, "export-error", RH_CX_XERR },
	{ RH_CX_XERR, "cd-error", RH_CX_XCD },
};

static const struct runhist_leaf {
	enum rh_cx	 parent;
	const char	*name;
	int		 field;		/* an rh_field, rh_xf or rec_counter */
} runhist_leaves[] = {
	{ RH_CX_RUN, "ma-id", RH_F_MAID },
	{ RH_CX_RUN, "ma-name", RH_F_NAME },
	{ RH_CX_RUN, "run-number", RH_F_NUMBER },
	{ RH_CX_RUN, "run-profile-name", RH_F_PROFILE },
	{ RH_CX_STEP, "start-date", RH_F_START },
	{ RH_CX_STEP, "end-date", RH_F_END },
	{ RH_CX_STEP, "step-result", RH_F_RESULT },
	{ RH_CX_CONN, "connection-result", RH_F_CONN },
	{ RH_CX_CONN, "server", RH_F_SERVER },
	{ RH_CX_CONNCD, "error-code", RH_F_CCODE },
	{ RH_CX_CONNCD, "error-literal", RH_F_CLITERAL },
	{ RH_CX_XERR, "date-occurred", RH_X_DATE },
	{ RH_CX_XERR, "first-occurred", RH_X_FIRST },
	{ RH_CX_XERR, "retry-count", RH_X_RETRY },
	{ RH_CX_XERR, "error-type", RH_X_TYPE },
	{ RH_CX_XCD, "error-code", RH_X_CODE },
	{ RH_CX_XCD, "error-name", RH_X_NAME },
	{ RH_CX_XCD, "error-literal", RH_X_LITERAL },
	{ RH_CX_XCD, "server-error-detail", RH_X_DETAIL },
	{ RH_CX_XCD, "extra-error-details", RH_X_EXTRA },
	{ RH_CX_EXPCNT, "export-add", REC_CNT_EXPORT_ADD },
	{ RH_CX_EXPCNT, "export-update", REC_CNT_EXPORT_UPDATE },
	{ RH_CX_EXPCNT, "export-rename", REC_CNT_EXPORT_RENAME },
	{ RH_CX_EXPCNT, "export-delete", REC_CNT_EXPORT_DELETE },
	{ RH_CX_EXPCNT, "export-delete-add", REC_CNT_EXPORT_DELETE_ADD },
	{ RH_CX_EXPCNT, "export-failure", REC_CNT_EXPORT_FAILURE },
	{ RH_CX_STAGECNT, "stage-failure", REC_CNT_STAGE_FAILURE },
	{ RH_CX_FLOWCNT, "flow-failure", REC_CNT_FLOW_FAILURE },
};

/* What the field of a leaf under parent is: the parent decides. */
static enum rh_cap
runhist_leaf_cap(enum rh_cx parent)
{
	switch (parent) {
	case RH_CX_XERR:
	case RH_CX_XCD:
		return (RH_CAP_XERR);
	case RH_CX_EXPCNT:
	case RH_CX_STAGECNT:
	case RH_CX_FLOWCNT:
		return (RH_CAP_COUNTER);
	default:
		return (RH_CAP_FIELD);
	}
}

/* The context an element called name opens under parent, or RH_CX_SKIP. */
static enum rh_cx
runhist_node_cx(enum rh_cx parent, const char *name)
{
	size_t	i;

	for (i = 0; i < sizeof(runhist_nodes) / sizeof(runhist_nodes[0]);
	    i++) {
		if (runhist_nodes[i].parent == parent &&
		    strcmp(runhist_nodes[i].name, name) == 0)
			return (runhist_nodes[i].cx);
	}
	return (RH_CX_SKIP);
}

/*
 * Decides what a new element is from its name and its parent's context,
 * and does what entering it takes.
 */
static enum rh_cx
runhist_classify(struct runhist *rh, enum rh_cx parent, const char *name,
    const xmlChar **attrs, int n)
{
	const struct runhist_leaf	*lf;
	const char			*v;
	size_t				 i, len;
	enum rh_cx			 cx;

	if (parent == RH_CX_DOC) {
		if (strcmp(name, "run-history") != 0) {
			pxml_fail(&rh->px, "not a run history: the root "
			    "element is not run-history");
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
	for (i = 0; i < sizeof(runhist_leaves) / sizeof(runhist_leaves[0]);
	    i++) {
		lf = &runhist_leaves[i];
		if (lf->parent == parent && strcmp(lf->name, name) == 0)
			return (runhist_capture(rh, runhist_leaf_cap(parent),
			    lf->field));
	}
	switch ((cx = runhist_node_cx(parent, name))) {
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
	return (cx);
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
		pxml_fail(&rh->px, "elements nested too deeply");
	if (rh->skip != 0 || rh->px.failed)
		return;
	parent = rh->depth == 1 ? RH_CX_DOC : rh->stack[rh->depth - 2];
	if (rh->depth > RH_MAXDEPTH || parent == RH_CX_TEXT)
		c = RH_CX_SKIP;
	else
		c = runhist_classify(rh, parent, (const char *)localname,
		    attrs, nattrs);
	if (c == RH_CX_SKIP || rh->px.failed) {
		rh->skip = rh->depth;
		return;
	}
	rh->stack[rh->depth - 1] = c;
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
	if (rh->px.failed || rh->depth < 1) {
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

	if (rh->cap == RH_CAP_NONE || rh->skip != 0 || rh->px.failed ||
	    len <= 0)
		return;
	runhist_text_add(rh, ch, (size_t)len);
}

/* Any DOCTYPE is refused: run history never has one, attacks always do. */
static void
runhist_dtd_cb(void *ctx, const xmlChar *name, const xmlChar *eid,
    const xmlChar *sid)
{
	struct runhist	*rh = ctx;

	(void)name, (void)eid, (void)sid;
	pxml_fail(&rh->px, "a DOCTYPE is not allowed in a run history "
	    "(entities are never expanded)");
}

/* libxml2's structured errors: the first one stops the parser. */
static void
runhist_error_cb(void *ctx, xmlErrorPtr err)
{
	struct runhist	*rh = ctx;

	pxml_fail_xml(&rh->px, err, rh->depth);
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
	pxml_init(&rh->px, &rh->sax, rh);
	return (rh);
}

/* Feeds len bytes; returns 0, or -1 once the document is known bad. */
static int
runhist_push(void *v, const void *buf, size_t len)
{
	struct runhist	*rh = v;

	return (pxml_push(&rh->px, buf, len));
}

/* Ends the document; 0, or -1 when it was cut off or never began. */
static int
runhist_finish(void *v)
{
	struct runhist	*rh = v;

	if (pxml_finish(&rh->px) == -1)
		return (-1);
	if (!rh->root_seen) {
		pxml_fail(&rh->px, "no run-history element");
		return (-1);
	}
	return (0);
}

/* Why the parser failed, and at which byte offset of its input. */
static const char *
runhist_error(const void *v, uint64_t *offset)
{
	const struct runhist	*rh = v;

	return (pxml_error(&rh->px, offset));
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
	pxml_free(&rh->px);
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
