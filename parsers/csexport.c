/*
 * csexport.c: a streaming parser for csexport.exe dumps (FORMATS.md §2).
 * Dumps reach gigabytes, so this is a libxml2 SAX2 push parser that never
 * builds a tree: a small context stack follows the few elements that
 * matter (the pending export delta, the hologram's UPN, sAMAccountName and
 * adminCount, the export error detail in both of its shapes) and skips
 * every other subtree without looking inside.  Each cs-object with an
 * export error becomes one REC_EXPORT_ERROR record; the whole dump becomes
 * one REC_SNAPSHOT record at the end.
 *
 * Untrusted input: a DOCTYPE is refused outright, so no entity is ever
 * declared, expanded or fetched (XXE and "billion laughs" both stop at
 * the internal subset), and the network is off.  struct pxml feeds
 * libxml2 and keeps why and where a dump failed.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>

#include "parsers.h"

#define CSX_MAXDEPTH	32		/* contexts tracked; deeper is skipped */
#define CSX_MAXFIELD	(64 * 1024)	/* bytes kept of one text value */
#define CSX_MAXNAME	256		/* bytes kept of an attribute name */

/* What the element at some depth is, as far as this parser cares. */
enum csx_cx {
	CSX_CX_SKIP = 0,	/* not interesting: nor is anything inside */
	CSX_CX_DOC,
	CSX_CX_ROOT,		/* cs-objects */
	CSX_CX_OBJECT,		/* cs-object */
	CSX_CX_PENDING,		/* unapplied-export, escrowed-export */
	CSX_CX_DELTA,
	CSX_CX_DELTA_ATTR,	/* attr, dn-attr in a pending delta */
	CSX_CX_HOLOGRAM,	/* synchronized-hologram */
	CSX_CX_ENTRY,
	CSX_CX_HOLO_ATTR,	/* an attr of the hologram we keep */
	CSX_CX_ERRDETAIL,	/* export-errordetail */
	CSX_CX_ERROR,		/* export-error (older shape) */
	CSX_CX_STATUS,		/* export-status */
	CSX_CX_CDERROR,		/* cd-error */
	CSX_CX_TEXT		/* a leaf whose text goes into a field */
};

/* The values kept of one cs-object, as offsets into the arena. */
enum csx_field {
	CSX_F_DN,
	CSX_F_ID,
	CSX_F_TYPE,
	CSX_F_ERRTYPE,
	CSX_F_ERRNAME,
	CSX_F_CODE,
	CSX_F_LITERAL,
	CSX_F_DETAIL,
	CSX_F_EXTRA,
	CSX_F_FIRST,
	CSX_F_DATE,
	CSX_F_RETRY,
	CSX_F_UPN,
	CSX_F_SAM,
	CSX_F_ADMINCOUNT,
	CSX_F_DELTA_UPN,	/* AAD adds carry the UPN only in the delta */
	CSX_F_MAX
};

#define CSX_UNSET	SIZE_MAX

struct csexport {
	struct pxml		 px;
	xmlSAXHandler		 sax;
	rec_cb			 cb;
	void			*arg;

	char			 conn[256];	/* connector, "" until known */
	int			 conn_from_name;
	int			 conn_checked;	/* a DN has decided the kind */
	enum rec_conn		 conn_kind;
	int64_t			 name_time;	/* from the file name */
	int64_t			 newest;	/* newest date-occurred */

	enum csx_cx		 stack[CSX_MAXDEPTH];
	int			 depth;		/* elements open */
	int			 skip;		/* depth of a skipped subtree */
	int			 root_seen;
	int			 pending_kind;	/* 1 unapplied, 2 escrowed */

	/* The current object. */
	char			*arena;
	size_t			 alen, acap;
	size_t			 field[CSX_F_MAX];
	int			 capture;	/* field being read, or -1 */
	size_t			 capture_start;
	int			 has_error;
	int			 holo_field;	/* field of the current holo attr */
	size_t			 attrs[2][REC_MAXATTRS];
	size_t			 nattrs[2];	/* [0] unapplied, [1] escrowed */

	int64_t			 import_errors;
	struct parser_stats	 stats;
};

/* Appends len bytes to the arena; -1 (and the parser fails) on no memory. */
static int
csexport_arena_add(struct csexport *cx, const char *s, size_t len)
{
	size_t	 ncap;
	char	*p;

	if (cx->alen + len + 1 > cx->acap) {
		ncap = cx->acap == 0 ? 4096 : cx->acap;
		while (ncap < cx->alen + len + 1)
			ncap *= 2;
		if ((p = realloc(cx->arena, ncap)) == NULL) {
			pxml_fail(&cx->px, "out of memory");
			return (-1);
		}
		cx->arena = p;
		cx->acap = ncap;
	}
	memcpy(cx->arena + cx->alen, s, len);
	cx->alen += len;
	return (0);
}

/* Stores s[0..len) as field f unless f is already set. */
static void
csexport_set(struct csexport *cx, enum csx_field f, const char *s, size_t len)
{
	size_t	start = cx->alen;

	if (cx->field[f] != CSX_UNSET)
		return;
	if (len > CSX_MAXFIELD)
		len = CSX_MAXFIELD;
	if (csexport_arena_add(cx, s, len) == -1 ||
	    csexport_arena_add(cx, "", 1) == -1)
		return;
	cx->field[f] = start;
}

static const char *
csexport_get(const struct csexport *cx, enum csx_field f)
{
	if (cx->field[f] == CSX_UNSET)
		return (NULL);
	return (cx->arena + cx->field[f]);
}

static void
csexport_attr_field(struct csexport *cx, const xmlChar **attrs, int n,
    const char *name, enum csx_field f)
{
	const char	*v;
	size_t		 len;

	if (pxml_attr(attrs, n, name, &v, &len))
		csexport_set(cx, f, v, len);
}

/* Starts a new cs-object: forget everything about the previous one. */
static void
csexport_object_start(struct csexport *cx, const xmlChar **attrs, int n)
{
	int	i;

	cx->alen = 0;
	for (i = 0; i < CSX_F_MAX; i++)
		cx->field[i] = CSX_UNSET;
	cx->nattrs[0] = cx->nattrs[1] = 0;
	cx->has_error = 0;
	cx->capture = -1;
	csexport_attr_field(cx, attrs, n, "cs-dn", CSX_F_DN);
	csexport_attr_field(cx, attrs, n, "id", CSX_F_ID);
	csexport_attr_field(cx, attrs, n, "object-type", CSX_F_TYPE);
}

/* Keeps the name of an attribute the pending export writes. */
static void
csexport_pending_attr(struct csexport *cx, const xmlChar **attrs, int n)
{
	const char	*v;
	size_t		 len, i, start;
	int		 k = cx->pending_kind - 1;

	if (k < 0 || k > 1 || !pxml_attr(attrs, n, "name", &v, &len))
		return;
	if (len == 0 || len > CSX_MAXNAME || cx->nattrs[k] >= REC_MAXATTRS)
		return;
	for (i = 0; i < cx->nattrs[k]; i++) {
		if (strncasecmp(cx->arena + cx->attrs[k][i], v, len) == 0 &&
		    cx->arena[cx->attrs[k][i] + len] == '\0')
			return;
	}
	start = cx->alen;
	if (csexport_arena_add(cx, v, len) == -1 ||
	    csexport_arena_add(cx, "", 1) == -1)
		return;
	cx->attrs[k][cx->nattrs[k]++] = start;
}

/* The hologram attributes whose value we keep, by attr name. */
static int
csexport_holo_field(const char *name, size_t len)
{
	static const struct {
		const char	*name;
		enum csx_field	 field;
	} keep[] = {
		{ "userPrincipalName", CSX_F_UPN },
		{ "sAMAccountName", CSX_F_SAM },
		{ "adminCount", CSX_F_ADMINCOUNT },
	};
	size_t	i;

	for (i = 0; i < sizeof(keep) / sizeof(keep[0]); i++) {
		if (strlen(keep[i].name) == len &&
		    strncasecmp(keep[i].name, name, len) == 0)
			return (keep[i].field);
	}
	return (-1);
}

/* The field a leaf under cd-error or export-error holds, or -1. */
static int
csexport_error_field(const char *name, enum csx_cx parent)
{
	static const struct {
		const char	*name;
		enum csx_field	 field;
		enum csx_cx	 parent;	/* CSX_CX_SKIP: any */
	} leaves[] = {
		{ "error-code", CSX_F_CODE, CSX_CX_CDERROR },
		{ "error-name", CSX_F_ERRNAME, CSX_CX_CDERROR },
		{ "error-literal", CSX_F_LITERAL, CSX_CX_CDERROR },
		{ "server-error-detail", CSX_F_DETAIL, CSX_CX_CDERROR },
		{ "extra-error-details", CSX_F_EXTRA, CSX_CX_CDERROR },
		/* Run-history style children, accepted leniently. */
		{ "date-occurred", CSX_F_DATE, CSX_CX_ERROR },
		{ "first-occurred", CSX_F_FIRST, CSX_CX_ERROR },
		{ "retry-count", CSX_F_RETRY, CSX_CX_ERROR },
		{ "error-type", CSX_F_ERRTYPE, CSX_CX_ERROR },
	};
	size_t	i;

	for (i = 0; i < sizeof(leaves) / sizeof(leaves[0]); i++) {
		if (leaves[i].parent == parent &&
		    strcmp(leaves[i].name, name) == 0)
			return (leaves[i].field);
	}
	return (-1);
}

static void
csexport_error_attrs(struct csexport *cx, const xmlChar **attrs, int n)
{
	cx->has_error = 1;
	csexport_attr_field(cx, attrs, n, "first-occurred", CSX_F_FIRST);
	csexport_attr_field(cx, attrs, n, "date-occurred", CSX_F_DATE);
	csexport_attr_field(cx, attrs, n, "retry-count", CSX_F_RETRY);
	csexport_attr_field(cx, attrs, n, "error-type", CSX_F_ERRTYPE);
}

/*
 * Decides what a new element is from its name and its parent's context.
 * Only names that can occur under that parent are compared, so the cost
 * per element stays a handful of string compares at most.
 */
static enum csx_cx
csexport_classify(struct csexport *cx, enum csx_cx parent, const char *name,
    const xmlChar **attrs, int n)
{
	const char	*v;
	size_t		 len;
	int		 f;

	switch (parent) {
	case CSX_CX_DOC:
		if (strcmp(name, "cs-objects") != 0) {
			pxml_fail(&cx->px, "not a csexport dump: the root "
			    "element is not cs-objects");
			return (CSX_CX_SKIP);
		}
		cx->root_seen = 1;
		return (CSX_CX_ROOT);
	case CSX_CX_ROOT:
		if (strcmp(name, "cs-object") != 0)
			return (CSX_CX_SKIP);
		cx->stats.read++;
		csexport_object_start(cx, attrs, n);
		return (CSX_CX_OBJECT);
	case CSX_CX_OBJECT:
		if (strcmp(name, "unapplied-export") == 0) {
			cx->pending_kind = 1;
			return (CSX_CX_PENDING);
		}
		if (strcmp(name, "escrowed-export") == 0) {
			cx->pending_kind = 2;
			return (CSX_CX_PENDING);
		}
		if (strcmp(name, "synchronized-hologram") == 0)
			return (CSX_CX_HOLOGRAM);
		if (strcmp(name, "export-errordetail") == 0) {
			csexport_error_attrs(cx, attrs, n);
			return (CSX_CX_ERRDETAIL);
		}
		if (strcmp(name, "import-errordetail") == 0)
			cx->import_errors++;
		return (CSX_CX_SKIP);
	case CSX_CX_PENDING:
		return (strcmp(name, "delta") == 0 ? CSX_CX_DELTA :
		    CSX_CX_SKIP);
	case CSX_CX_DELTA:
		if (strcmp(name, "attr") != 0 && strcmp(name, "dn-attr") != 0)
			return (CSX_CX_SKIP);
		csexport_pending_attr(cx, attrs, n);
		if (cx->pending_kind == 1 &&
		    pxml_attr(attrs, n, "name", &v, &len) &&
		    csexport_holo_field(v, len) == CSX_F_UPN) {
			cx->holo_field = CSX_F_DELTA_UPN;
			return (CSX_CX_HOLO_ATTR);
		}
		return (CSX_CX_SKIP);
	case CSX_CX_HOLOGRAM:
		return (strcmp(name, "entry") == 0 ? CSX_CX_ENTRY :
		    CSX_CX_SKIP);
	case CSX_CX_ENTRY:
		if (strcmp(name, "attr") != 0 ||
		    !pxml_attr(attrs, n, "name", &v, &len) ||
		    (f = csexport_holo_field(v, len)) == -1)
			return (CSX_CX_SKIP);
		cx->holo_field = f;
		return (CSX_CX_HOLO_ATTR);
	case CSX_CX_HOLO_ATTR:
		if (strcmp(name, "value") != 0 ||
		    cx->field[cx->holo_field] != CSX_UNSET)
			return (CSX_CX_SKIP);
		cx->capture = cx->holo_field;
		return (CSX_CX_TEXT);
	case CSX_CX_ERRDETAIL:
		if (strcmp(name, "export-status") == 0)
			return (CSX_CX_STATUS);
		if (strcmp(name, "export-error") == 0) {
			csexport_error_attrs(cx, attrs, n);
			return (CSX_CX_ERROR);
		}
		if (strcmp(name, "cd-error") == 0)
			return (CSX_CX_CDERROR);
		return (CSX_CX_SKIP);
	case CSX_CX_ERROR:
	case CSX_CX_STATUS:
		if (strcmp(name, "cd-error") == 0)
			return (CSX_CX_CDERROR);
		if (parent == CSX_CX_ERROR &&
		    (f = csexport_error_field(name, CSX_CX_ERROR)) != -1 &&
		    cx->field[f] == CSX_UNSET) {
			cx->capture = f;
			return (CSX_CX_TEXT);
		}
		return (CSX_CX_SKIP);
	case CSX_CX_CDERROR:
		if ((f = csexport_error_field(name, CSX_CX_CDERROR)) == -1 ||
		    cx->field[f] != CSX_UNSET)
			return (CSX_CX_SKIP);
		cx->capture = f;
		return (CSX_CX_TEXT);
	default:
		return (CSX_CX_SKIP);
	}
}

static void
csexport_start_cb(void *ctx, const xmlChar *localname,
    const xmlChar *prefix, const xmlChar *uri, int nns,
    const xmlChar **ns, int nattrs, int ndefaulted, const xmlChar **attrs)
{
	struct csexport	*cx = ctx;
	enum csx_cx	 parent, c;

	(void)prefix, (void)uri, (void)nns, (void)ns, (void)ndefaulted;
	cx->depth++;
	if (cx->skip != 0 || cx->px.failed)
		return;
	parent = cx->depth == 1 ? CSX_CX_DOC : cx->stack[cx->depth - 2];
	if (cx->depth > CSX_MAXDEPTH || parent == CSX_CX_TEXT)
		c = CSX_CX_SKIP;
	else
		c = csexport_classify(cx, parent, (const char *)localname,
		    attrs, nattrs);
	if (c == CSX_CX_SKIP) {
		cx->skip = cx->depth;
		return;
	}
	cx->stack[cx->depth - 1] = c;
	if (c == CSX_CX_TEXT)
		cx->capture_start = cx->alen;
}

static int64_t
csexport_time(const struct csexport *cx, enum csx_field f)
{
	const char	*s = csexport_get(cx, f);

	return (s == NULL ? REC_TIME_NONE : ptime_parse(s, strlen(s)));
}

/*
 * The connector, decided at the first DN: an AAD connector-space DN is
 * CN={hex…} whatever the file is called; otherwise the connector is an AD
 * one, named by the file when it carried a name, else by the forest the
 * DN's DC= components spell.
 */
static void
csexport_connector(struct csexport *cx, const char *dn)
{
	if (cx->conn_checked || dn == NULL)
		return;
	cx->conn_checked = 1;
	if (strncmp(dn, "CN={", 4) == 0 && dn_domain(dn) == NULL) {
		cx->conn_kind = REC_CONN_AAD;
		return;
	}
	if (cx->conn_kind == REC_CONN_UNKNOWN)
		cx->conn_kind = REC_CONN_AD;
	if (!cx->conn_from_name &&
	    dn_dns_name(dn, cx->conn, sizeof(cx->conn)) == -1)
		cx->conn[0] = '\0';
}

/* Emits the record of an errored cs-object. */
static void
csexport_emit(struct csexport *cx)
{
	struct record		 r;
	struct rec_export_error	*x = &r.u.xerr;
	struct pconflict	 pc;
	const char		*s;
	int64_t			 v;
	size_t			 i, k;

	memset(&r, 0, sizeof(r));
	r.kind = REC_EXPORT_ERROR;
	r.source = REC_SRC_CSEXPORT;
	r.connector = cx->conn[0] != '\0' ? cx->conn : NULL;
	r.conn_kind = cx->conn_kind;
	x->dn = csexport_get(cx, CSX_F_DN);
	x->cs_id = csexport_get(cx, CSX_F_ID);
	x->object_type = csexport_get(cx, CSX_F_TYPE);
	x->error_type = csexport_get(cx, CSX_F_ERRTYPE);
	x->error_name = csexport_get(cx, CSX_F_ERRNAME);
	x->literal = csexport_get(cx, CSX_F_LITERAL);
	x->server_detail = csexport_get(cx, CSX_F_DETAIL);
	x->extra_details = csexport_get(cx, CSX_F_EXTRA);
	x->upn = csexport_get(cx, CSX_F_UPN);
	if (x->upn == NULL)
		x->upn = csexport_get(cx, CSX_F_DELTA_UPN);
	x->sam = csexport_get(cx, CSX_F_SAM);
	x->error_code = -1;
	if ((s = csexport_get(cx, CSX_F_CODE)) != NULL &&
	    pvalue_int(s, &v) == 0)
		x->error_code = v;
	x->retry_count = -1;
	if ((s = csexport_get(cx, CSX_F_RETRY)) != NULL &&
	    pvalue_int(s, &v) == 0)
		x->retry_count = v;
	x->admin_count = -1;
	if ((s = csexport_get(cx, CSX_F_ADMINCOUNT)) != NULL &&
	    pvalue_int(s, &v) == 0)
		x->admin_count = v != 0;
	if (x->error_type == NULL)
		x->error_type = x->error_name;
	/* AAD errors: what is contested, and by whom. */
	if (pconflict_extra(&pc, x->extra_details) == 0 ||
	    (x->error_name != NULL && pconflict_text(&pc, x->literal) == 0)) {
		x->conflict_attr = pc.attr;
		x->conflict_value = pc.value;
		x->object_id = pc.object_id;
		x->conflict_object_id = pc.conflict_object_id;
	}
	x->first_occurred = csexport_time(cx, CSX_F_FIRST);
	x->date_occurred = csexport_time(cx, CSX_F_DATE);
	/* What the export tried to write: unapplied, else escrowed. */
	k = cx->nattrs[0] > 0 ? 0 : 1;
	for (i = 0; i < cx->nattrs[k]; i++)
		x->attrs[i] = cx->arena + cx->attrs[k][i];
	x->nattrs = cx->nattrs[k];

	/*
	 * The record is observed when the dump was taken; date-occurred is
	 * the engine's last retry.  Sharing the dump's time keeps its objects
	 * together in replay, as one observation.
	 */
	r.time = cx->name_time;
	if (r.time == REC_TIME_NONE)
		r.time = x->date_occurred;
	if (r.time == REC_TIME_NONE)
		r.time = x->first_occurred;
	if (x->date_occurred != REC_TIME_NONE && x->date_occurred > cx->newest)
		cx->newest = x->date_occurred;
	cx->stats.records++;
	if (cx->cb(&r, cx->arg) == -1)
		pxml_fail(&cx->px, "stopped by the record callback");
}

static void
csexport_end_cb(void *ctx, const xmlChar *localname, const xmlChar *prefix,
    const xmlChar *uri)
{
	struct csexport	*cx = ctx;
	enum csx_cx	 c;
	const char	*s;
	size_t		 len;

	(void)localname, (void)prefix, (void)uri;
	if (cx->skip != 0) {
		if (cx->skip == cx->depth)
			cx->skip = 0;
		cx->depth--;
		return;
	}
	if (cx->px.failed || cx->depth < 1) {
		cx->depth--;
		return;
	}
	c = cx->stack[cx->depth - 1];
	cx->depth--;
	switch (c) {
	case CSX_CX_TEXT:
		/* The text is at the arena's end: trim it into its field. */
		if (cx->capture < 0 || cx->alen == cx->capture_start) {
			cx->capture = -1;
			break;
		}
		s = cx->arena + cx->capture_start;
		len = cx->alen - cx->capture_start;
		pvalue_trim(&s, &len);
		memmove(cx->arena + cx->capture_start, s, len);
		cx->alen = cx->capture_start + len;
		if (csexport_arena_add(cx, "", 1) == 0)
			cx->field[cx->capture] = cx->capture_start;
		cx->capture = -1;
		break;
	case CSX_CX_PENDING:
		cx->pending_kind = 0;
		break;
	case CSX_CX_OBJECT:
		if (cx->field[CSX_F_DN] != CSX_UNSET)
			csexport_connector(cx, csexport_get(cx, CSX_F_DN));
		if (cx->has_error)
			csexport_emit(cx);
		break;
	default:
		break;
	}
}

static void
csexport_text_cb(void *ctx, const xmlChar *ch, int len)
{
	struct csexport	*cx = ctx;
	size_t		 room;

	if (cx->capture < 0 || cx->skip != 0 || cx->px.failed || len <= 0)
		return;
	if (cx->alen - cx->capture_start >= CSX_MAXFIELD)
		return;
	room = CSX_MAXFIELD - (cx->alen - cx->capture_start);
	csexport_arena_add(cx, (const char *)ch,
	    (size_t)len < room ? (size_t)len : room);
}

/* Any DOCTYPE is refused: csexport never has one, attacks always do. */
static void
csexport_dtd_cb(void *ctx, const xmlChar *name, const xmlChar *eid,
    const xmlChar *sid)
{
	struct csexport	*cx = ctx;

	(void)name, (void)eid, (void)sid;
	pxml_fail(&cx->px, "a DOCTYPE is not allowed in a csexport dump "
	    "(entities are never expanded)");
}

/* libxml2's structured errors: the first one stops the parser. */
static void
csexport_error_cb(void *ctx, xmlErrorPtr err)
{
	struct csexport	*cx = ctx;

	pxml_fail_xml(&cx->px, err, cx->depth);
}

/* A push parser for one csexport dump named name (its base name). */
static void *
csexport_new(const char *name, rec_cb cb, rec_err_cb ecb, void *arg)
{
	struct csexport	*cx;

	(void)ecb;	/* a dump is good or bad as a whole */

	if ((cx = calloc(1, sizeof(*cx))) == NULL)
		return (NULL);
	cx->cb = cb;
	cx->arg = arg;
	cx->capture = -1;
	cx->newest = REC_TIME_NONE;
	csexport_name_parse(name != NULL ? name : "", cx->conn,
	    sizeof(cx->conn), &cx->name_time);
	cx->conn_from_name = cx->conn[0] != '\0';
	cx->conn_kind = record_conn_kind(cx->conn);

	pxml_sax_init(&cx->sax);
	cx->sax.startElementNs = csexport_start_cb;
	cx->sax.endElementNs = csexport_end_cb;
	cx->sax.characters = csexport_text_cb;
	cx->sax.cdataBlock = csexport_text_cb;
	cx->sax.internalSubset = csexport_dtd_cb;
	cx->sax.externalSubset = csexport_dtd_cb;
	cx->sax.serror = csexport_error_cb;
	pxml_init(&cx->px, &cx->sax, cx);
	return (cx);
}

/* Feeds len bytes; returns 0, or -1 once the document is known bad. */
static int
csexport_push(void *v, const void *buf, size_t len)
{
	struct csexport	*cx = v;

	return (pxml_push(&cx->px, buf, len));
}

/* Ends the document and emits the snapshot record; 0 or -1. */
static int
csexport_finish(void *v)
{
	struct csexport	*cx = v;
	struct record	 r;

	if (pxml_finish(&cx->px) == -1)
		return (-1);
	if (!cx->root_seen) {
		pxml_fail(&cx->px, "no cs-objects element");
		return (-1);
	}
	memset(&r, 0, sizeof(r));
	r.kind = REC_SNAPSHOT;
	r.source = REC_SRC_CSEXPORT;
	r.connector = cx->conn[0] != '\0' ? cx->conn : NULL;
	r.conn_kind = cx->conn_kind;
	r.time = cx->name_time != REC_TIME_NONE ? cx->name_time : cx->newest;
	r.u.snap.objects = (int64_t)cx->stats.read;
	r.u.snap.export_errors = (int64_t)cx->stats.records;
	r.u.snap.import_errors = cx->import_errors;
	cx->stats.records++;
	if (cx->cb(&r, cx->arg) == -1) {
		pxml_fail(&cx->px, "stopped by the record callback");
		return (-1);
	}
	return (0);
}

/* Why the parser failed, and at which byte offset of its input. */
static const char *
csexport_error(const void *v, uint64_t *offset)
{
	const struct csexport	*cx = v;

	return (pxml_error(&cx->px, offset));
}

/* Objects read, export-error and snapshot records, import errors seen. */
static const struct parser_stats *
csexport_stats(const void *v)
{
	const struct csexport	*cx = v;

	return (&cx->stats);
}

static void
csexport_free(void *v)
{
	struct csexport	*cx = v;

	if (cx == NULL)
		return;
	pxml_free(&cx->px);
	free(cx->arena);
	free(cx);
}

const struct parser_ops csexport_ops = {
	.name = "csexport",
	.new = csexport_new,
	.push = csexport_push,
	.finish = csexport_finish,
	.error = csexport_error,
	.stats = csexport_stats,
	.free = csexport_free,
};
