/*
 * records.c: the normalized records themselves as an input, one JSON
 * object a line exactly as record_json writes them and `syncorr explain`
 * prints them, read back into the same struct record: explain's output
 * can be archived, filtered with grep and replayed, and it is what the
 * replay benchmark feeds syncorr and SEC alike.  So this parser is built
 * for speed: each line is read in one pass (pjson_scan), which validates
 * it and hands each member over as a span of the line, found by a hash of
 * the names record_json writes; a string is copied out only when asked
 * for, into an arena that grows with the longest line, so nothing is
 * allocated per line.
 *
 * A line that is not an object, has no kind or source or an unknown one,
 * or a known member of the wrong type (a string where a number belongs, a
 * time that is no RFC 3339 time) is rejected alone and the next line is
 * read.  Members record_json never writes are passed over.
 */

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parsers.h"

/*
 * The longest line read.  A record's strings are bounded by its source's
 * parser (64 KiB a csexport value, 1 MiB of mail text), so a real record
 * stays well under this even with its escapes.
 */
#define RECORDS_MAXLINE	(4 * 1024 * 1024)
#define RECORDS_HASH	256		/* name slots, a power of two */

/* The member names record_json writes, over every kind. */
enum records_key {
	RECORDS_K_KIND,
	RECORDS_K_SOURCE,
	RECORDS_K_HOST,
	RECORDS_K_CONNECTOR,
	RECORDS_K_CONN_KIND,
	RECORDS_K_TIME,
	RECORDS_K_PROFILE,		/* run */
	RECORDS_K_STEP_TYPE,
	RECORDS_K_RESULT,
	RECORDS_K_CONNECTION,
	RECORDS_K_CONN_SERVER,
	RECORDS_K_CONN_CODE,
	RECORDS_K_CONN_LITERAL,
	RECORDS_K_RUN_ID,
	RECORDS_K_RUN_NUMBER,
	RECORDS_K_STEP_NUMBER,
	RECORDS_K_START,
	RECORDS_K_END,
	RECORDS_K_COUNTERS,
	RECORDS_K_DN,			/* export error */
	RECORDS_K_CS_ID,
	RECORDS_K_OBJECT_TYPE,
	RECORDS_K_ERROR_TYPE,
	RECORDS_K_ERROR_NAME,
	RECORDS_K_ERROR_CODE,
	RECORDS_K_LITERAL,
	RECORDS_K_SERVER_DETAIL,
	RECORDS_K_EXTRA_DETAILS,
	RECORDS_K_CONFLICT_ATTR,
	RECORDS_K_CONFLICT_VALUE,
	RECORDS_K_OBJECT_ID,
	RECORDS_K_CONFLICT_OBJECT_ID,
	RECORDS_K_FIRST_OCCURRED,
	RECORDS_K_DATE_OCCURRED,
	RECORDS_K_RETRY_COUNT,
	RECORDS_K_ATTRIBUTES,
	RECORDS_K_UPN,
	RECORDS_K_SAM,
	RECORDS_K_ADMIN_COUNT,
	RECORDS_K_OBJECTS,		/* snapshot */
	RECORDS_K_EXPORT_ERRORS,
	RECORDS_K_IMPORT_ERRORS,
	RECORDS_K_ALERT,		/* health alert */
	RECORDS_K_TITLE,
	RECORDS_K_DESCRIPTION,
	RECORDS_K_STATE,
	RECORDS_K_RAISED,
	RECORDS_K_SERVER,
	RECORDS_K_SERVICE,
	RECORDS_K_TENANT,
	RECORDS_K_SENDER,
	RECORDS_K_SUBJECT,
	RECORDS_K_MESSAGE_ID,
	RECORDS_K_OBJECT,		/* cloud error */
	RECORDS_K_IMMUTABLE_ID,
	RECORDS_K_CATEGORY,
	RECORDS_K_PROPERTY,
	RECORDS_K_VALUE,
	RECORDS_K_ERROR,
	RECORDS_K_MAX
};

static const char *const records_names[RECORDS_K_MAX] = {
	[RECORDS_K_KIND] = "kind",
	[RECORDS_K_SOURCE] = "source",
	[RECORDS_K_HOST] = "host",
	[RECORDS_K_CONNECTOR] = "connector",
	[RECORDS_K_CONN_KIND] = "connector_kind",
	[RECORDS_K_TIME] = "time",
	[RECORDS_K_PROFILE] = "profile",
	[RECORDS_K_STEP_TYPE] = "step_type",
	[RECORDS_K_RESULT] = "result",
	[RECORDS_K_CONNECTION] = "connection",
	[RECORDS_K_CONN_SERVER] = "connection_server",
	[RECORDS_K_CONN_CODE] = "connection_code",
	[RECORDS_K_CONN_LITERAL] = "connection_literal",
	[RECORDS_K_RUN_ID] = "run_id",
	[RECORDS_K_RUN_NUMBER] = "run_number",
	[RECORDS_K_STEP_NUMBER] = "step_number",
	[RECORDS_K_START] = "start",
	[RECORDS_K_END] = "end",
	[RECORDS_K_COUNTERS] = "counters",
	[RECORDS_K_DN] = "dn",
	[RECORDS_K_CS_ID] = "cs_id",
	[RECORDS_K_OBJECT_TYPE] = "object_type",
	[RECORDS_K_ERROR_TYPE] = "error_type",
	[RECORDS_K_ERROR_NAME] = "error_name",
	[RECORDS_K_ERROR_CODE] = "error_code",
	[RECORDS_K_LITERAL] = "literal",
	[RECORDS_K_SERVER_DETAIL] = "server_detail",
	[RECORDS_K_EXTRA_DETAILS] = "extra_details",
	[RECORDS_K_CONFLICT_ATTR] = "conflict_attribute",
	[RECORDS_K_CONFLICT_VALUE] = "conflict_value",
	[RECORDS_K_OBJECT_ID] = "object_id",
	[RECORDS_K_CONFLICT_OBJECT_ID] = "conflict_object_id",
	[RECORDS_K_FIRST_OCCURRED] = "first_occurred",
	[RECORDS_K_DATE_OCCURRED] = "date_occurred",
	[RECORDS_K_RETRY_COUNT] = "retry_count",
	[RECORDS_K_ATTRIBUTES] = "attributes",
	[RECORDS_K_UPN] = "upn",
	[RECORDS_K_SAM] = "sam_account_name",
	[RECORDS_K_ADMIN_COUNT] = "admin_count",
	[RECORDS_K_OBJECTS] = "objects",
	[RECORDS_K_EXPORT_ERRORS] = "export_errors",
	[RECORDS_K_IMPORT_ERRORS] = "import_errors",
	[RECORDS_K_ALERT] = "alert",
	[RECORDS_K_TITLE] = "title",
	[RECORDS_K_DESCRIPTION] = "description",
	[RECORDS_K_STATE] = "state",
	[RECORDS_K_RAISED] = "raised",
	[RECORDS_K_SERVER] = "server",
	[RECORDS_K_SERVICE] = "service",
	[RECORDS_K_TENANT] = "tenant",
	[RECORDS_K_SENDER] = "sender",
	[RECORDS_K_SUBJECT] = "subject",
	[RECORDS_K_MESSAGE_ID] = "message_id",
	[RECORDS_K_OBJECT] = "object",
	[RECORDS_K_IMMUTABLE_ID] = "immutable_id",
	[RECORDS_K_CATEGORY] = "category",
	[RECORDS_K_PROPERTY] = "property",
	[RECORDS_K_VALUE] = "value",
	[RECORDS_K_ERROR] = "error",
};

struct records {
	struct pdoc	 doc;			/* first: pdoc_* are the ops */
	unsigned char	 slot[RECORDS_HASH];	/* key + 1 by name hash; 0 */
	size_t		 namelen[RECORDS_K_MAX];

	/* The line being read. */
	struct pjson_span val[RECORDS_K_MAX];	/* each member's; PJSON_NONE */
	unsigned char	 set[RECORDS_K_MAX];	/* the keys val holds */
	size_t		 nset;
	char		*arena;			/* its strings, unescaped */
	size_t		 arenalen, arenacap;
	const char	*bad;			/* the first member refused */
	const char	*want;			/* what it should have been */
	char		 why[96];
};

/*
 * A member name to its first slot, from its length and three of its
 * bytes: a byte-by-byte hash cost more than all the rest of a line's
 * names, and these few tell record_json's names apart well enough.
 */
static unsigned
records_hash(const char *s, size_t len)
{
	uint32_t	h = (uint32_t)len * 0x9e3779b1U;

	if (len > 0)
		h ^= (unsigned char)s[0] * 31U ^
		    (unsigned char)s[len - 1] * 131U ^
		    (unsigned char)s[len / 2] * 7U;
	return ((h ^ h >> 8) & (RECORDS_HASH - 1));
}

/* The key named [s, s + len), or -1 for a member record_json never writes. */
static int
records_key(const struct records *rs, const char *s, size_t len)
{
	unsigned	 h;
	int		 key;

	for (h = records_hash(s, len); rs->slot[h] != 0;
	    h = (h + 1) & (RECORDS_HASH - 1)) {
		key = rs->slot[h] - 1;
		if (rs->namelen[key] == len &&
		    memcmp(records_names[key], s, len) == 0)
			return (key);
	}
	return (-1);
}

/* Member name held the wrong type: the line will be rejected. */
static void
records_wrong(struct records *rs, const char *name, const char *want)
{
	if (rs->bad == NULL) {
		rs->bad = name;
		rs->want = want;
	}
}

/* Whether v is JSON null (validated: a primitive starting with n). */
static int
records_null(const struct pjson_span *v)
{
	return (v->type == PJSON_PRIMITIVE && v->text[0] == 'n');
}

/*
 * The value of string member key, or NULL when absent or null (a value
 * of another type is said to be wrong).
 */
static const struct pjson_span *
records_string(struct records *rs, int key)
{
	const struct pjson_span	*v = &rs->val[key];

	if (v->type == PJSON_NONE)
		return (NULL);
	if (v->type != PJSON_STRING) {
		if (!records_null(v))
			records_wrong(rs, records_names[key], "a string");
		return (NULL);
	}
	return (v);
}

/*
 * String v as a C string in the arena, unescaped.  The arena is as long
 * as the line (records_line_cb), and each string is read once: strings
 * are disjoint spans of the line, each with two quotes for its one NUL,
 * and unescaping never grows.  NULL should a reader ask twice.
 */
static const char *
records_text(struct records *rs, const struct pjson_span *v)
{
	char	*o = rs->arena + rs->arenalen;
	size_t	 n;

	if (v->len + 1 > rs->arenacap - rs->arenalen)
		return (NULL);
	if (v->escaped)
		n = pjson_unescape(v->text, v->text + v->len, o);
	else
		memcpy(o, v->text, n = v->len);
	o[n] = '\0';
	rs->arenalen += n + 1;
	return (o);
}

/* String member key, or NULL when absent or null. */
static const char *
records_str(struct records *rs, int key)
{
	const struct pjson_span	*v;

	if ((v = records_string(rs, key)) == NULL)
		return (NULL);
	return (records_text(rs, v));
}

/*
 * String member key as it stands in the line, for the words record_json
 * writes there (kinds, sources, states, times), none of which has an
 * escape.  NULL when absent or null.
 */
static const char *
records_word(struct records *rs, int key, size_t *len)
{
	const struct pjson_span	*v;

	if ((v = records_string(rs, key)) == NULL)
		return (NULL);
	*len = v->len;
	return (v->text);
}

/* Whether the word [w, w + len) is name. */
static int
records_is(const char *w, size_t len, const char *name)
{
	return (name != NULL && strlen(name) == len &&
	    memcmp(w, name, len) == 0);
}

/* The integer v, member name; -1 when absent or null. */
static int64_t
records_int(struct records *rs, const struct pjson_span *v,
    const char *name)
{
	int64_t	n;

	if (v->type != PJSON_PRIMITIVE ||
	    pvalue_int_exact(v->text, v->len, &n) == -1) {
		if (v->type != PJSON_NONE && !records_null(v))
			records_wrong(rs, name, "an integer");
		return (-1);
	}
	return (n);
}

/* Integer member key; -1 when absent or null. */
static int64_t
records_num(struct records *rs, int key)
{
	return (records_int(rs, &rs->val[key], records_names[key]));
}

/*
 * A time member: record_json's form, read as it stands in the line, else
 * RFC 3339 as ptime reads it (unescaped first, should it hold escapes).
 */
static int64_t
records_time(struct records *rs, int key)
{
	const char	*s;
	size_t		 len;
	int64_t		 t;

	if ((s = records_word(rs, key, &len)) == NULL)
		return (REC_TIME_NONE);
	if ((t = ptime_parse_ms(s, len)) != REC_TIME_NONE)
		return (t);
	if ((s = records_str(rs, key)) == NULL ||
	    (t = ptime_parse(s, strlen(s))) == REC_TIME_NONE)
		records_wrong(rs, records_names[key], "an RFC 3339 time");
	return (t);
}

/* The counters object of a run: members named as record_json names them. */
static void
records_counters(struct records *rs, struct rec_run *run)
{
	const struct pjson_span	*obj = &rs->val[RECORDS_K_COUNTERS];
	struct pjson_iter	 it;
	struct pjson_span	 k, v;
	const char		*name, *cn;
	int			 c, next = 0;

	for (c = 0; c < REC_CNT_MAX; c++)
		run->counters[c] = -1;
	if (obj->type == PJSON_NONE || records_null(obj))
		return;
	if (obj->type != PJSON_OBJECT) {
		records_wrong(rs, "counters", "an object");
		return;
	}
	pjson_iter_init(&it, obj);
	while (pjson_iter_next(&it, &k, &v) == 1) {
		if ((name = records_text(rs, &k)) == NULL)
			continue;
		/* They come in order: try the one after the last first. */
		for (c = 0; c < REC_CNT_MAX; c++) {
			cn = record_json_counter((enum rec_counter)
			    ((next + c) % REC_CNT_MAX));
			if (strcmp(cn, name) == 0)
				break;
		}
		if (c == REC_CNT_MAX)
			continue;
		c = (next + c) % REC_CNT_MAX;
		run->counters[c] = records_int(rs, &v, cn);
		next = c + 1;
	}
}

static void
records_run(struct records *rs, struct rec_run *run)
{
	run->profile = records_str(rs, RECORDS_K_PROFILE);
	run->step_type = records_str(rs, RECORDS_K_STEP_TYPE);
	run->result = records_str(rs, RECORDS_K_RESULT);
	run->connection = records_str(rs, RECORDS_K_CONNECTION);
	run->conn_server = records_str(rs, RECORDS_K_CONN_SERVER);
	run->conn_code = records_num(rs, RECORDS_K_CONN_CODE);
	run->conn_literal = records_str(rs, RECORDS_K_CONN_LITERAL);
	run->run_id = records_str(rs, RECORDS_K_RUN_ID);
	run->run_number = records_num(rs, RECORDS_K_RUN_NUMBER);
	run->step_number = records_num(rs, RECORDS_K_STEP_NUMBER);
	run->start = records_time(rs, RECORDS_K_START);
	run->end = records_time(rs, RECORDS_K_END);
	records_counters(rs, run);
}

/* The attribute names, an array of strings; the first REC_MAXATTRS kept. */
static void
records_attrs(struct records *rs, struct rec_export_error *x)
{
	const struct pjson_span	*arr = &rs->val[RECORDS_K_ATTRIBUTES];
	struct pjson_iter	 it;
	struct pjson_span	 e;

	x->nattrs = 0;
	if (arr->type == PJSON_NONE || records_null(arr))
		return;
	if (arr->type != PJSON_ARRAY) {
		records_wrong(rs, "attributes", "an array of strings");
		return;
	}
	pjson_iter_init(&it, arr);
	while (pjson_iter_next(&it, NULL, &e) == 1) {
		if (e.type != PJSON_STRING) {
			records_wrong(rs, "attributes", "an array of strings");
			return;
		}
		if (x->nattrs < REC_MAXATTRS &&
		    (x->attrs[x->nattrs] = records_text(rs, &e)) != NULL)
			x->nattrs++;
	}
}

static void
records_xerr(struct records *rs, struct rec_export_error *x)
{
	int64_t	v;

	x->dn = records_str(rs, RECORDS_K_DN);
	x->cs_id = records_str(rs, RECORDS_K_CS_ID);
	x->object_type = records_str(rs, RECORDS_K_OBJECT_TYPE);
	x->error_type = records_str(rs, RECORDS_K_ERROR_TYPE);
	x->error_name = records_str(rs, RECORDS_K_ERROR_NAME);
	x->error_code = records_num(rs, RECORDS_K_ERROR_CODE);
	x->literal = records_str(rs, RECORDS_K_LITERAL);
	x->server_detail = records_str(rs, RECORDS_K_SERVER_DETAIL);
	x->extra_details = records_str(rs, RECORDS_K_EXTRA_DETAILS);
	x->conflict_attr = records_str(rs, RECORDS_K_CONFLICT_ATTR);
	x->conflict_value = records_str(rs, RECORDS_K_CONFLICT_VALUE);
	x->object_id = records_str(rs, RECORDS_K_OBJECT_ID);
	x->conflict_object_id = records_str(rs, RECORDS_K_CONFLICT_OBJECT_ID);
	x->first_occurred = records_time(rs, RECORDS_K_FIRST_OCCURRED);
	x->date_occurred = records_time(rs, RECORDS_K_DATE_OCCURRED);
	x->retry_count = records_num(rs, RECORDS_K_RETRY_COUNT);
	records_attrs(rs, x);
	x->upn = records_str(rs, RECORDS_K_UPN);
	x->sam = records_str(rs, RECORDS_K_SAM);
	v = records_num(rs, RECORDS_K_ADMIN_COUNT);
	if (v < INT_MIN || v > INT_MAX) {
		records_wrong(rs, "admin_count", "an int");
		v = -1;
	}
	x->admin_count = (int)v;
}

static void
records_alert(struct records *rs, struct rec_health_alert *a)
{
	const char	*s;
	size_t		 len;

	a->alert = records_str(rs, RECORDS_K_ALERT);
	a->title = records_str(rs, RECORDS_K_TITLE);
	a->description = records_str(rs, RECORDS_K_DESCRIPTION);
	a->state = REC_ALERT_UNKNOWN;
	if ((s = records_word(rs, RECORDS_K_STATE, &len)) != NULL) {
		if (records_is(s, len, record_json_state(REC_ALERT_RAISED)))
			a->state = REC_ALERT_RAISED;
		else if (records_is(s, len,
		    record_json_state(REC_ALERT_RESOLVED)))
			a->state = REC_ALERT_RESOLVED;
		else
			records_wrong(rs, "state",
			    "\"raised\" or \"resolved\"");
	}
	a->raised = records_time(rs, RECORDS_K_RAISED);
	a->server = records_str(rs, RECORDS_K_SERVER);
	a->service = records_str(rs, RECORDS_K_SERVICE);
	a->tenant = records_str(rs, RECORDS_K_TENANT);
	a->sender = records_str(rs, RECORDS_K_SENDER);
	a->subject = records_str(rs, RECORDS_K_SUBJECT);
	a->message_id = records_str(rs, RECORDS_K_MESSAGE_ID);
}

static void
records_cloud(struct records *rs, struct rec_cloud_error *c)
{
	c->object = records_str(rs, RECORDS_K_OBJECT);
	c->object_id = records_str(rs, RECORDS_K_OBJECT_ID);
	c->object_type = records_str(rs, RECORDS_K_OBJECT_TYPE);
	c->upn = records_str(rs, RECORDS_K_UPN);
	c->immutable_id = records_str(rs, RECORDS_K_IMMUTABLE_ID);
	c->category = records_str(rs, RECORDS_K_CATEGORY);
	c->property = records_str(rs, RECORDS_K_PROPERTY);
	c->value = records_str(rs, RECORDS_K_VALUE);
	c->error = records_str(rs, RECORDS_K_ERROR);
}

/*
 * The kind, the source and the connector's kind, by the names
 * record_kind_name, record_source_name and record_conn_name give them.
 * NULL, or why the line is no record.
 */
static const char *
records_head(struct records *rs, struct record *r)
{
	const char	*w;
	size_t		 len;
	int		 k;

	if ((w = records_word(rs, RECORDS_K_KIND, &len)) == NULL)
		return ("no \"kind\"");
	for (k = REC_RUN; k <= REC_CLOUD_ERROR; k++)
		if (records_is(w, len, record_kind_name((enum rec_kind)k)))
			break;
	if (k > REC_CLOUD_ERROR)
		return ("unknown \"kind\"");
	r->kind = (enum rec_kind)k;
	if ((w = records_word(rs, RECORDS_K_SOURCE, &len)) == NULL)
		return ("no \"source\"");
	for (k = 0; k < REC_SRC_MAX; k++)
		if (records_is(w, len, record_source_name((enum rec_source)k)))
			break;
	if (k == REC_SRC_MAX)
		return ("unknown \"source\"");
	r->source = (enum rec_source)k;
	r->conn_kind = REC_CONN_UNKNOWN;
	if ((w = records_word(rs, RECORDS_K_CONN_KIND, &len)) != NULL) {
		if (records_is(w, len, record_conn_name(REC_CONN_AD)))
			r->conn_kind = REC_CONN_AD;
		else if (records_is(w, len, record_conn_name(REC_CONN_AAD)))
			r->conn_kind = REC_CONN_AAD;
		else
			return ("unknown \"connector_kind\"");
	}
	return (NULL);
}

/* Why the line is rejected, when a member had the wrong type. */
static const char *
records_why(struct records *rs)
{
	snprintf(rs->why, sizeof(rs->why), "\"%s\" is not %s", rs->bad,
	    rs->want);
	return (rs->why);
}

/*
 * The members of the object it reads, each to its slot (the last of a
 * name wins); NULL, or why the line is not valid JSON.
 */
static const char *
records_members(struct records *rs, struct pjson_iter *it)
{
	struct pjson_span	name, v;
	int			rc, key;

	/* Only the slots the last line filled are cleared, not them all. */
	while (rs->nset > 0)
		rs->val[rs->set[--rs->nset]].type = PJSON_NONE;
	/* Names as they stand: record_json writes none with an escape. */
	while ((rc = pjson_iter_next(it, &name, &v)) == 1) {
		if ((key = records_key(rs, name.text, name.len)) < 0)
			continue;
		if (rs->val[key].type == PJSON_NONE)
			rs->set[rs->nset++] = (unsigned char)key;
		rs->val[key] = v;
	}
	return (rc == 0 ? NULL : it->why);
}

/* The members read into r; NULL, or why the line is rejected. */
static const char *
records_read(struct records *rs, struct record *r)
{
	const char	*why;

	rs->bad = NULL;
	memset(r, 0, sizeof(*r));
	if ((why = records_head(rs, r)) != NULL)
		return (rs->bad != NULL ? records_why(rs) : why);
	r->host = records_str(rs, RECORDS_K_HOST);
	r->connector = records_str(rs, RECORDS_K_CONNECTOR);
	r->time = records_time(rs, RECORDS_K_TIME);
	switch (r->kind) {
	case REC_RUN:
		records_run(rs, &r->u.run);
		break;
	case REC_EXPORT_ERROR:
		records_xerr(rs, &r->u.xerr);
		break;
	case REC_SNAPSHOT:
		r->u.snap.objects = records_num(rs, RECORDS_K_OBJECTS);
		r->u.snap.export_errors = records_num(rs,
		    RECORDS_K_EXPORT_ERRORS);
		r->u.snap.import_errors = records_num(rs,
		    RECORDS_K_IMPORT_ERRORS);
		break;
	case REC_HEALTH_ALERT:
		records_alert(rs, &r->u.alert);
		break;
	case REC_CLOUD_ERROR:
		records_cloud(rs, &r->u.cloud);
		break;
	}
	return (rs->bad != NULL ? records_why(rs) : NULL);
}

/* One line: read in one pass into a record, handed on. */
static int
records_line_cb(const char *text, size_t len, uint64_t offset, void *arg)
{
	struct records		*rs = arg;
	struct pjson_iter	 it;
	struct record		 r;
	const char		*why;
	char			*a;
	int			 rc;

	rs->doc.stats.read++;
	if (rs->arenacap < len + 1) {
		if ((a = realloc(rs->arena, len + 1)) == NULL) {
			pdoc_reject(&rs->doc, offset, "out of memory");
			return (0);
		}
		rs->arena = a;
		rs->arenacap = len + 1;
	}
	rs->arenalen = 0;
	switch (pjson_scan(&it, text, len)) {
	case PJSON_OBJECT:
		if ((why = records_members(rs, &it)) == NULL)
			why = records_read(rs, &r);
		break;
	case PJSON_NONE:
		why = it.why;
		break;
	case PJSON_ARRAY:
		/* Read through, to tell a bad line from a good array. */
		while ((rc = pjson_iter_next(&it, NULL, NULL)) == 1)
			;
		why = rc == 0 ? "not a JSON object" : it.why;
		break;
	default:
		why = "not a JSON object";
		break;
	}
	if (why != NULL) {
		pdoc_reject(&rs->doc, offset, why);
		return (0);
	}
	return (pdoc_emit(&rs->doc, &r, offset));
}

/* Counts lines read (good or bad), records emitted, lines rejected. */
static void *
records_new(const char *name, rec_cb cb, rec_err_cb ecb, void *arg)
{
	struct records	*rs;
	unsigned	 h;
	int		 key;

	(void)name;
	if ((rs = pdoc_new_json(sizeof(*rs), RECORDS_MAXLINE, records_line_cb,
	    cb, ecb, arg)) == NULL)
		return (NULL);
	pjson_split_lines(rs->doc.split);
	for (key = 0; key < RECORDS_K_MAX; key++) {
		rs->namelen[key] = strlen(records_names[key]);
		h = records_hash(records_names[key], rs->namelen[key]);
		while (rs->slot[h] != 0)
			h = (h + 1) & (RECORDS_HASH - 1);
		rs->slot[h] = (unsigned char)(key + 1);
	}
	return (rs);
}

static void
records_free(void *arg)
{
	struct records	*rs = arg;

	if (rs != NULL)
		free(rs->arena);
	pdoc_free(rs);
}

const struct parser_ops records_ops = {
	.name = "records",
	.new = records_new,
	.push = pdoc_push,
	.finish = pdoc_finish,
	.error = pdoc_error,
	.stats = pdoc_stats,
	.free = records_free,
};
