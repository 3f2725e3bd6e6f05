/*
 * parsers.h: the normalized records every input format is reduced to, and
 * the parsers that produce them.  Parsers are pure: bytes are pushed in,
 * records come out through a callback, errors come back with a byte
 * offset.  No parser reads a file, the clock or the environment; gzip is
 * undone by the caller before the bytes arrive here.
 */

#ifndef PARSERS_H
#define PARSERS_H

#include <stddef.h>
#include <stdint.h>

/* Milliseconds since the epoch, UTC; REC_TIME_NONE when unknown. */
#define REC_TIME_NONE	INT64_MIN
#define REC_MAXATTRS	16	/* attribute names kept per export error */

enum rec_kind {
	REC_RUN = 1,
	REC_EXPORT_ERROR,
	REC_SNAPSHOT,
	REC_HEALTH_ALERT,
	REC_CLOUD_ERROR
};

enum rec_conn {
	REC_CONN_UNKNOWN = 0,
	REC_CONN_AD,
	REC_CONN_AAD
};

/* Where a record came from: the evidence kinds an incident lists. */
enum rec_source {
	REC_SRC_CSEXPORT = 0,
	REC_SRC_RUNHIST,
	REC_SRC_RUNPROFILE,
	REC_SRC_EVENT_6100,
	REC_SRC_EVENT_6050,
	REC_SRC_EVENT_6941,
	REC_SRC_HEALTH_EMAIL,
	REC_SRC_CLOUD,
	REC_SRC_MAX
};

/* The counters a run record may carry; -1 in a slot means not given. */
enum rec_counter {
	REC_CNT_DISCOVERY_ERRORS = 0,	/* event 6100/6050 block */
	REC_CNT_SYNC_ERRORS,
	REC_CNT_MV_RETRY_ERRORS,
	REC_CNT_EXPORT_ERRORS,
	REC_CNT_WARNINGS,
	REC_CNT_EXPORT_ADD,		/* run history export-counters */
	REC_CNT_EXPORT_UPDATE,
	REC_CNT_EXPORT_RENAME,
	REC_CNT_EXPORT_DELETE,
	REC_CNT_EXPORT_DELETE_ADD,
	REC_CNT_EXPORT_FAILURE,
	REC_CNT_STAGE_FAILURE,		/* staging-counters */
	REC_CNT_FLOW_FAILURE,		/* inbound-flow-counters */
	REC_CNT_MAX
};

/*
 * One run-profile step: from event 6100/6050, run-history XML or
 * Get-ADSyncRunProfileResult.  The record's time is the step's end (its
 * start when it has no end).
 */
struct rec_run {
	const char	*profile;		/* Export, Delta Import, … */
	const char	*step_type;		/* export, delta-import, … */
	const char	*result;		/* success, completed-export-errors */
	const char	*connection;		/* connection-result, if any */
	const char	*conn_server;		/* the server connected to */
	int64_t		 conn_code;		/* connection cd-error; -1 none */
	const char	*conn_literal;
	const char	*run_id;		/* RunHistoryId / ma-id + number */
	int64_t		 run_number;		/* -1: not given */
	int64_t		 step_number;		/* -1: not given */
	int64_t		 start;
	int64_t		 end;
	int64_t		 counters[REC_CNT_MAX];
};

/*
 * One errored connector-space object.  attrs are the attribute names of
 * the pending export (unapplied-export delta), which is what the export
 * was trying to write.  The conflict fields come from an AAD error's
 * extra-error-details, or the "[Attribute value;]" of its detail text.
 */
struct rec_export_error {
	const char	*dn;
	const char	*cs_id;
	const char	*object_type;
	const char	*error_type;		/* permission-issue, … */
	const char	*error_name;		/* AAD: AttributeValueMustBeUnique */
	int64_t		 error_code;		/* -1: not given */
	const char	*literal;
	const char	*server_detail;
	const char	*extra_details;		/* AAD: JSON */
	const char	*conflict_attr;		/* UserPrincipalName, … */
	const char	*conflict_value;	/* john@contoso.com */
	const char	*object_id;		/* AAD: the object's id */
	const char	*conflict_object_id;	/* AAD: the other owner's id */
	int64_t		 first_occurred;
	int64_t		 date_occurred;
	int64_t		 retry_count;		/* -1: not given */
	const char	*attrs[REC_MAXATTRS];
	size_t		 nattrs;
	const char	*upn;			/* from the hologram */
	const char	*sam;
	int		 admin_count;		/* -1: not in the dump */
};

/* A csexport dump of connector C taken at T held these objects. */
struct rec_snapshot {
	int64_t		 objects;		/* cs-objects read */
	int64_t		 export_errors;		/* objects with export-errordetail */
	int64_t		 import_errors;
};

enum rec_alert_state {
	REC_ALERT_UNKNOWN = 0,
	REC_ALERT_RAISED,
	REC_ALERT_RESOLVED
};

/*
 * A Connect Health alert mail.  alert is the catalogue's name for the
 * title (FORMATS.md §4.1, old and new wordings alike), e.g.
 * "export-to-ad-failed"; "other" for a title not in it.  The record's
 * host is the Server field; its time is Raised, else the mail's Date.
 */
struct rec_health_alert {
	const char		*alert;
	const char		*title;
	const char		*description;
	enum rec_alert_state	 state;
	int64_t			 raised;
	const char		*server;
	const char		*service;
	const char		*tenant;
	const char		*sender;
	const char		*subject;
	const char		*message_id;
};

/*
 * A cloud-side provisioning error: one conflicting property of one
 * object (Graph, Msol, or a line of the sync-error report mail).
 */
struct rec_cloud_error {
	const char	*object;		/* display name or UPN */
	const char	*object_id;
	const char	*object_type;		/* User, Group, Contact */
	const char	*upn;
	const char	*immutable_id;
	const char	*category;		/* PropertyConflict */
	const char	*property;		/* UserPrincipalName, ProxyAddresses */
	const char	*value;			/* the conflicting value */
	const char	*error;			/* the report's error text */
};

/*
 * A normalized record.  Strings point into the parser's buffers and are
 * valid only during the callback; record_dup makes a lasting copy.
 */
struct record {
	enum rec_kind		 kind;
	enum rec_source		 source;
	const char		*host;		/* NULL: the driver knows it */
	const char		*connector;	/* NULL: unknown */
	enum rec_conn		 conn_kind;
	int64_t			 time;		/* event time */
	union {
		struct rec_run		run;
		struct rec_export_error	xerr;
		struct rec_snapshot	snap;
		struct rec_health_alert	alert;
		struct rec_cloud_error	cloud;
	} u;
};

/* Called for each record; return 0 to go on, -1 to stop the parser. */
typedef int (*rec_cb)(const struct record *, void *arg);
/*
 * Called for each item a parser rejects while it goes on with the rest
 * (a bad line, a bad event): the byte offset where the item starts and
 * why, as one line of text.
 */
typedef void (*rec_err_cb)(uint64_t offset, const char *reason, void *arg);

/* The formats sniff can tell apart. */
enum parser_format {
	PARSER_FMT_UNKNOWN = 0,
	PARSER_FMT_CSEXPORT,		/* csexport.c */
	PARSER_FMT_EVENT_XML,		/* evxml.c: wevtutil /f:xml */
	PARSER_FMT_EVENT_BEAT,		/* evbeat.c: Winlogbeat NDJSON */
	PARSER_FMT_EVENT_PSJSON,	/* evpsjson.c: Get-WinEvent JSON */
	PARSER_FMT_EVENT_CSV,		/* evcsv.c: Export-Csv of events */
	PARSER_FMT_EVENT_EVTX,		/* evtx.c: native .evtx */
	PARSER_FMT_RUNHIST,		/* runhist.c: <run-history> */
	PARSER_FMT_RUNPROFILE_JSON,	/* runprofile.c */
	PARSER_FMT_RUNPROFILE_CSV,	/* runprofile.c */
	PARSER_FMT_EMAIL,		/* email.c */
	PARSER_FMT_CLOUD_JSON,		/* cloud.c: Graph */
	PARSER_FMT_CLOUD_CSV,		/* cloud.c: Msol, flattened */
	PARSER_FMT_RECORDS,		/* records.c: record_json lines */
	PARSER_FMT_MAX
};

/* Counters a parser keeps; "read" counts irrelevant items too. */
struct parser_stats {
	uint64_t	 read;		/* objects, events, messages seen */
	uint64_t	 records;	/* records emitted */
	uint64_t	 errors;	/* items rejected */
};

/*
 * What every format parser provides; parser.c holds the table of them.
 * new gets the file's base name (csexport takes its connector and time
 * from it) and the callbacks.  push returns 0, or -1 once the input is
 * known bad as a whole (error then says why and where); items rejected
 * one by one go to the error callback and the stats instead.
 */
struct parser_ops {
	const char	*name;		/* as explain and logs name it */
	void		*(*new)(const char *name, rec_cb, rec_err_cb, void *arg);
	int		 (*push)(void *, const void *buf, size_t len);
	int		 (*finish)(void *);
	const char	*(*error)(const void *, uint64_t *offset);
	const struct parser_stats *(*stats)(const void *);
	void		 (*free)(void *);
};

extern const struct parser_ops csexport_ops;
extern const struct parser_ops evxml_ops;
extern const struct parser_ops evbeat_ops;
extern const struct parser_ops evpsjson_ops;
extern const struct parser_ops evcsv_ops;
extern const struct parser_ops evtx_ops;
extern const struct parser_ops runhist_ops;
extern const struct parser_ops runprofile_json_ops;
extern const struct parser_ops runprofile_csv_ops;
extern const struct parser_ops email_ops;
extern const struct parser_ops cloud_json_ops;
extern const struct parser_ops cloud_csv_ops;
extern const struct parser_ops records_ops;

/* csexport_name.c */
/*
 * Splits a csexport file name "csexport-<connector>-<YYYYmmddTHHMMSSZ>.xml"
 * into its connector (copied into conn, NUL terminated; empty when absent)
 * and time (REC_TIME_NONE when absent).
 */
void		 csexport_name_parse(const char *name, char *conn,
		     size_t connsz, int64_t *time);

/* parser.c */
struct parser;
/* Once per process, before any parser: sets up the XML library. */
void		 parser_init(void);
/* A parser for format fmt, or NULL (unknown format or no memory). */
struct parser	*parser_new(enum parser_format fmt, const char *name, rec_cb,
		     rec_err_cb, void *arg);
int		 parser_push(struct parser *, const void *buf, size_t len);
int		 parser_finish(struct parser *);
const char	*parser_error(const struct parser *, uint64_t *offset);
const struct parser_stats *parser_stats(const struct parser *);
void		 parser_free(struct parser *);
const char	*parser_format_name(enum parser_format);
/* The format named name ("event-xml", …), PARSER_FMT_UNKNOWN if none. */
enum parser_format parser_format_byname(const char *name);

/* sniff.c */
/*
 * The format of a file from its first bytes (after gzip is undone): BOM,
 * XML root element, first JSON keys, CSV header, mail headers, magic.
 * PARSER_FMT_UNKNOWN when nothing matches.
 */
enum parser_format sniff_format(const void *buf, size_t len);
/* How many leading bytes sniff_format wants to decide. */
#define SNIFF_BYTES	8192

/* evt.c */
#define EVT_MAXDATA	32	/* unnamed data items kept per event */
/*
 * One Windows event, whatever it was exported as (wevtutil XML, .evtx,
 * Winlogbeat, PowerShell JSON or CSV).  data are the unnamed EventData
 * items in order (Winlogbeat's param1… or param0…, PowerShell's
 * ReplacementStrings); message is the rendered text when the export has it.
 */
struct evt {
	uint32_t	 id;		/* the event ID, qualifiers masked off */
	const char	*provider;	/* ADSync, Directory Synchronization */
	const char	*computer;
	const char	*message;	/* NULL: not rendered */
	int64_t		 time;
	const char	*data[EVT_MAXDATA];
	size_t		 ndata;
};
/*
 * The record an event gives, if it is one syncorr reads (6100 and 6050 →
 * run, 6941 → export-error, from the ADSync or Directory Synchronization
 * providers).  Returns 1 when a record went to cb, 0 when the event was
 * skipped as irrelevant, -1 when cb asked to stop.
 */
int		 evt_emit(const struct evt *, rec_cb, void *arg);
/*
 * Whether evt_emit would make a record of an event with this id and
 * provider: parsers ask before reading the rest of a busy log's events.
 */
int		 evt_wanted(uint32_t id, const char *provider);

/* pconflict.c */
/*
 * What an AAD export error says is contested: from extra-error-details
 * JSON ([{"Key":"AttributeConflictName","Value":[…]}, …]) or from the
 * "[UserPrincipalName john@contoso.com;]" of its detail text.  The
 * strings are copied into buf; fields not found stay NULL.
 */
struct pconflict {
	const char	*attr;
	const char	*value;
	const char	*object_id;
	const char	*conflict_object_id;
	char		 buf[1024];
};
/* 0 when anything was found, -1 otherwise (or not JSON). */
int		 pconflict_extra(struct pconflict *, const char *json);
int		 pconflict_text(struct pconflict *, const char *text);

/* pbuf.c */
/* A growing byte buffer; always NUL terminated once anything is in it. */
struct pbuf {
	char	*buf;
	size_t	 len, cap;
};
/* Appends len bytes; 0, or -1 when the buffer would pass max bytes. */
int		 pbuf_add(struct pbuf *, const void *, size_t len, size_t max);
/* Drops the first n bytes. */
void		 pbuf_consume(struct pbuf *, size_t n);
void		 pbuf_free(struct pbuf *);

/* putf.c */
/*
 * Text input to UTF-8, streaming: a UTF-8 BOM is dropped, UTF-16 (a BOM,
 * or NUL bytes told apart in the first pair) is converted, anything else
 * passes as it is.  Unpaired surrogates become U+FFFD and are counted.
 */
struct putf {
	int		 enc;		/* 0: undecided, then PUTF_* */
	unsigned char	 pend[4];	/* bytes of a split unit */
	size_t		 npend;
	uint32_t	 hi;		/* a high surrogate waiting for its pair */
	uint64_t	 bad;		/* unpaired surrogates replaced */
	unsigned	 bom;		/* bytes of BOM dropped */
};
enum { PUTF_UTF8 = 1, PUTF_UTF16LE, PUTF_UTF16BE };
void		 putf_init(struct putf *);
/* Converts len bytes, appending UTF-8 to out; 0 or -1 (past max). */
int		 putf_conv(struct putf *, const void *in, size_t len,
		     struct pbuf *out, size_t max);
/* Ends the input (flushes bytes held to decide); 0 or -1. */
int		 putf_finish(struct putf *, struct pbuf *out, size_t max);
/* How many input bytes one output byte stood for (1 or 2), for offsets. */
unsigned	 putf_width(const struct putf *);

/* pjson_split.c */
/*
 * JSON reading, first layer: pjson_split cuts a byte stream into its
 * top-level values, which covers NDJSON, concatenated objects and the
 * elements of a top-level array (PowerShell's ConvertTo-Json of many
 * objects) alike, without holding more than one value in memory.
 */
/* Called with each top-level value; return 0 to go on, -1 to stop. */
typedef int (*pjson_value_cb)(const char *text, size_t len, uint64_t offset,
		     void *arg);
struct pjson_split;
/* maxvalue: a longer value is rejected (error callback) and skipped. */
struct pjson_split *pjson_split_new(size_t maxvalue, pjson_value_cb,
		     rec_err_cb, void *arg);
/*
 * One value a line from the start (NDJSON known to be), said before a
 * push: lines are cut at their ends and handed over whole, bad or not.
 */
void		 pjson_split_lines(struct pjson_split *);
/* UTF-8 (or UTF-16, converted) text; 0, or -1 once stopped or broken. */
int		 pjson_split_push(struct pjson_split *, const void *buf,
		     size_t len);
/* Ends the stream: a value left open is an error; 0 or -1. */
int		 pjson_split_finish(struct pjson_split *);
const char	*pjson_split_error(const struct pjson_split *,
		     uint64_t *offset);
/* Top-level values seen (the elements of a top-level array count one each). */
uint64_t	 pjson_split_values(const struct pjson_split *);
void		 pjson_split_free(struct pjson_split *);

/* pjson.c */
/*
 * JSON reading, second layer: struct pjson tokenizes one value (jsmn) and
 * reads fields from it.
 */
enum pjson_type {
	PJSON_NONE = 0,		/* no such token */
	PJSON_OBJECT,
	PJSON_ARRAY,
	PJSON_STRING,
	PJSON_PRIMITIVE		/* number, true, false, null */
};
struct pjson;
struct pjson	*pjson_new(void);
/* Tokenizes one JSON value (text stays the caller's); 0 or -1 (bad). */
int		 pjson_parse(struct pjson *, const char *text, size_t len);
/* Why the last pjson_parse refused its value, as one line. */
const char	*pjson_why(const struct pjson *);
/* Tokens are numbered in document order; 0 is the value itself. */
enum pjson_type	 pjson_type(const struct pjson *, int tok);
/* The text of tok as it stands in the value (escapes kept), or NULL. */
const char	*pjson_raw(const struct pjson *, int tok, size_t *len);
/* Members of an object or elements of an array. */
int		 pjson_size(const struct pjson *, int tok);
/* The first child of an object/array (for an object: its first key). */
int		 pjson_first(const struct pjson *, int tok);
/* The token after tok and all it contains: its next sibling. */
int		 pjson_skip(const struct pjson *, int tok);
/* The value of member key of object obj, or -1 (keys compared exactly). */
int		 pjson_get(const struct pjson *, int obj, const char *key);
/* The same, with keys compared without regard to case. */
int		 pjson_getci(const struct pjson *, int obj, const char *key);
/* A dotted path of member names from obj ("winlog.event_data"), or -1. */
int		 pjson_path(const struct pjson *, int obj, const char *path);
/*
 * A string token unescaped, or a primitive's text, NUL terminated; NULL
 * for null, objects, arrays and -1.  The text lives until the next
 * pjson_parse.
 */
const char	*pjson_str(struct pjson *, int tok);
/* A number, or a string holding one (decimal or 0x); 0 or -1. */
int		 pjson_int(struct pjson *, int tok, int64_t *v);
/*
 * A date: PowerShell 5.1's "\/Date(ms)\/" (with or without an offset
 * suffix), ISO 8601 with Z or an offset, or epoch milliseconds.
 */
int64_t		 pjson_time(struct pjson *, int tok);
void		 pjson_free(struct pjson *);
/*
 * Unescapes a JSON string's text [s, end) into o, which has room for
 * end - s bytes; returns the bytes written (no NUL).  NUL and unpaired
 * surrogates become U+FFFD.
 */
size_t		 pjson_unescape(const char *s, const char *end, char *o);

/* pjson_scan.c */
/*
 * JSON reading in one pass for formats that know their member names: an
 * object's members (an array's elements) are handed out one by one as
 * spans of the text, the whole validated as strict JSON on the way.
 */
struct pjson_span {
	enum pjson_type	 type;
	const char	*text;		/* a string's: between its quotes */
	size_t		 len;
	int		 escaped;	/* a string holding a backslash */
};
struct pjson_iter {
	const char	*p, *end;
	const char	*why;		/* why the text was refused */
	int		 depth;
	char		 close;		/* '}' or ']' */
	char		 first;
	char		 top;		/* blanks only may follow the close */
};
/*
 * Starts reading the value [text, text + len): its type, then for an
 * object or array pjson_iter_next reads on; PJSON_NONE when the text is
 * not one JSON value (it->why says why).
 */
enum pjson_type	 pjson_scan(struct pjson_iter *, const char *text,
		     size_t len);
/*
 * Past the bytes from p that a JSON string holds as they are: to the
 * first quote, backslash or control character, or to end.  For readers
 * and writers of JSON alike.
 */
const char	*pjson_plain(const char *p, const char *end);
/* Reads into the object or array span v, which was read valid before. */
void		 pjson_iter_init(struct pjson_iter *,
		     const struct pjson_span *v);
/*
 * The next member (name NULL for an array's elements): 1, 0 past the
 * last, -1 when the text is invalid there (it->why).  Nested values are
 * validated whole and handed out as one span, brackets included.
 */
int		 pjson_iter_next(struct pjson_iter *, struct pjson_span *name,
		     struct pjson_span *value);

/* pcsv.c */
/*
 * A streaming CSV reader for PowerShell's Export-Csv: an optional
 * "#TYPE …" first line (kept, see pcsv_type), then a header row and data
 * rows; fields may be quoted, with doubled quotes and raw line ends
 * inside; the delimiter (',' or ';') is taken from the header line.
 * Rows are handed over whole; columns are found by header name.
 */
typedef int (*pcsv_row_cb)(char **fields, size_t nfields, uint64_t offset,
		     void *arg);
/* Called once with the header row (may be NULL); -1 stops the reader. */
typedef int (*pcsv_header_cb)(char **names, size_t nnames, uint64_t offset,
		     void *arg);
struct pcsv;
/* maxrow: a longer row is rejected (error callback) and skipped. */
struct pcsv	*pcsv_new(size_t maxrow, pcsv_header_cb, pcsv_row_cb,
		     rec_err_cb, void *arg);
int		 pcsv_push(struct pcsv *, const void *buf, size_t len);
int		 pcsv_finish(struct pcsv *);
const char	*pcsv_error(const struct pcsv *, uint64_t *offset);
/* The type named by a "#TYPE" line, or NULL. */
const char	*pcsv_type(const struct pcsv *);
/* The header row's fields (valid once the header callback ran). */
size_t		 pcsv_header(const struct pcsv *, char ***names);
/* The index of column name (case-insensitive) in the header, or -1. */
int		 pcsv_col(const struct pcsv *, const char *name);
void		 pcsv_free(struct pcsv *);

/* pdoc.c */
/*
 * The state every parser built on pjson_split or pcsv shares; a format
 * parser's own state starts with it, so that pdoc_push, pdoc_finish,
 * pdoc_error, pdoc_stats and pdoc_free are its parser_ops.
 */
struct pdoc {
	struct pjson_split	*split;		/* JSON: split and js */
	struct pjson		*js;
	struct pcsv		*csv;		/* CSV */
	rec_cb			 cb;
	rec_err_cb		 ecb;
	void			*arg;
	int			 failed;
	char			 errbuf[160];
	uint64_t		 erroff;
	struct parser_stats	 stats;
};
/* A zeroed state of size bytes reading JSON values; the callbacks get it. */
void		*pdoc_new_json(size_t size, size_t maxvalue, pjson_value_cb,
		     rec_cb, rec_err_cb, void *arg);
/* The same reading CSV rows. */
void		*pdoc_new_csv(size_t size, size_t maxrow, pcsv_header_cb,
		     pcsv_row_cb, rec_cb, rec_err_cb, void *arg);
/* An item rejected: counted in errors, said, and the rest is read. */
void		 pdoc_reject(struct pdoc *, uint64_t offset, const char *);
/* The whole input failed (the first reason is kept); returns -1. */
int		 pdoc_fail(struct pdoc *, uint64_t offset, const char *);
/* A record to the callback; -1 when it says stop. */
int		 pdoc_emit(struct pdoc *, const struct record *, uint64_t);
/* An event through evt_emit; -1 when the callback says stop. */
int		 pdoc_event(struct pdoc *, const struct evt *, uint64_t);
int		 pdoc_push(void *, const void *buf, size_t len);
int		 pdoc_finish(void *);
const char	*pdoc_error(const void *, uint64_t *offset);
const struct parser_stats *pdoc_stats(const void *);
void		 pdoc_free(void *);

/* dn.c */
/* The trailing DC= components of dn, as a pointer into it, or NULL. */
const char	*dn_domain(const char *dn);
/* "DC=contoso,DC=com" → "contoso.com" into buf; 0 or -1. */
int		 dn_dns_name(const char *dn, char *buf, size_t bufsz);
/* The parent container of dn (past its first RDN), or NULL. */
const char	*dn_parent(const char *dn);

/* ptime.c */
/* "2024-06-16 01:06:51.873" or "2024-06-16T01:06:51.873Z" → ms, UTC. */
int64_t		 ptime_parse(const char *s, size_t len);
/* Days since 1970-01-01 of a proleptic Gregorian date, any year, unchecked. */
int64_t		 ptime_days(int64_t year, int mon, int day);
/* Proleptic Gregorian date and time of day → ms since the epoch. */
int64_t		 ptime_make(int year, int mon, int day, int hour, int min,
		     int sec, int msec);
/* en-US "6/16/2024 1:06:52 AM" (Export-Csv, Msol) → ms, taken as UTC. */
int64_t		 ptime_parse_us(const char *s, size_t len);
/* Export-Csv's dates in any culture: en-US, ISO, then day-first; UTC. */
int64_t		 ptime_parse_culture(const char *s);
/* ms → "2024-06-16T01:06:51Z" into buf (at least 21 bytes). */
void		 ptime_format(int64_t ms, char *buf, size_t bufsz);
/*
 * record_json's time, "2026-04-02T09:00:54.120Z", any year ptime_format
 * prints; REC_TIME_NONE if [s, s + len) is not one.
 */
int64_t		 ptime_parse_ms(const char *s, size_t len);

/* pvalue.c */
/* Narrows [*s, *s + *len) past blanks and line ends at both ends. */
void		 pvalue_trim(const char **s, size_t *len);
/* A whole decimal or 0x hex number (NUL terminated) → *v; 0 or -1. */
int		 pvalue_int(const char *s, int64_t *v);
/* A JSON integer, the whole of [s, s + len), in an int64_t; 0 or -1. */
int		 pvalue_int_exact(const char *s, size_t len, int64_t *v);
/* Folds runs of blanks and control characters in s to one space. */
void		 pvalue_fold(char *s);

/* pxml.c */
#define PXML_BLOCK	16384		/* bytes libxml2 is given at a time */
#define PXML_BADENC	"the bytes are not valid in the document's encoding"
/*
 * One document through a libxml2 SAX2 push parser.  libxml2 is given the
 * input in blocks of PXML_BLOCK bytes however it arrives, so what it
 * reports, and where, never depends on the caller's chunking; its context
 * is made from the first block, whose first bytes tell the encoding.  The
 * first reason to fail is the one kept, with its byte offset.
 */
struct pxml {
	void		*ctxt;		/* an xmlParserCtxtPtr, or NULL */
	void		*sax;		/* an xmlSAXHandler *, the caller's */
	void		*user;		/* what its callbacks are given */
	char		 blk[PXML_BLOCK]; /* input not yet handed on */
	size_t		 nblk;
	uint64_t	 fed;		/* bytes handed to libxml2 */
	int		 finishing;	/* the last block is in */
	int		 failed;
	char		 errbuf[256];
	uint64_t	 erroff;
};
/* Readies px to parse with handler sax, whose callbacks get user. */
void		 pxml_init(struct pxml *, void *sax, void *user);
/* Feeds len bytes; 0, or -1 once the document is known bad. */
int		 pxml_push(struct pxml *, const void *buf, size_t len);
/* Ends the document; 0, or -1 when it was cut off or never began. */
int		 pxml_finish(struct pxml *);
/* Stops the parser with reason, at where libxml2 is; the first stays. */
void		 pxml_fail(struct pxml *, const char *reason);
/*
 * Fails on a libxml2 error (a const xmlError *), from the handler's
 * serror with depth elements open; warnings pass.
 */
void		 pxml_fail_xml(struct pxml *, const void *error, int depth);
/* The input offset libxml2 has parsed up to, 0 when it cannot tell. */
uint64_t	 pxml_consumed(const struct pxml *);
/* Why the document failed and at which offset, or NULL. */
const char	*pxml_error(const struct pxml *, uint64_t *offset);
/* Frees the libxml2 context (px itself is the caller's). */
void		 pxml_free(struct pxml *);
/*
 * A push context (an xmlParserCtxtPtr) for untrusted input, buf[0, len)
 * already in: no network, no entity replaced, CDATA as text.  NULL on no
 * memory; the caller frees it with xmlFreeParserCtxt.
 */
void		*pxml_ctxt_new(void *sax, void *user, const void *buf,
		     size_t len);
/* An xmlSAXHandler readied for untrusted input (no entity resolved). */
void		 pxml_sax_init(void *handler);
/* An attribute among SAX2's (localname, prefix, URI, value, end) tuples. */
int		 pxml_attr(const unsigned char **attrs, int nattrs,
		     const char *name, const char **val, size_t *len);
/* A libxml2 error's message, folded to one line, after prefix. */
void		 pxml_error_text(const void *error, const char *prefix,
		     char *buf, size_t bufsz);

/* record_json.c */
/*
 * r as one line of JSON (no newline), as explain prints it and the golden
 * files hold it: every field, fields not given left out.  The string is
 * the caller's to free; NULL on no memory.
 */
char		*record_json(const struct record *r);
/* The member name of a run counter ("export_errors"), NULL if none. */
const char	*record_json_counter(enum rec_counter);
/* The name of an alert state ("raised", "resolved"), NULL if unknown. */
const char	*record_json_state(enum rec_alert_state);

/* record.c */
/*
 * A copy of r in one allocation (free with free()); NULL on no memory.
 * host stands in for r's when it has none.
 */
struct record	*record_dup(const struct record *r, const char *host);
/* Gives size bytes aligned for a struct record, or NULL. */
typedef void	*(*record_alloc_cb)(void *arg, size_t size);
/* record_dup with the memory from alloc (replay's arena). */
struct record	*record_clone(const struct record *r, const char *host,
		     record_alloc_cb alloc, void *arg);
const char	*record_kind_name(enum rec_kind);
const char	*record_source_name(enum rec_source);
const char	*record_conn_name(enum rec_conn);
/* AAD for "… - AAD" (or "aad"), AD for another name, unknown for none. */
enum rec_conn	 record_conn_kind(const char *name);
/* Whether id is the AAD connector's fixed connector id. */
int		 record_aad_id(const char *id);
/* Orders records by time, then by content, for deterministic replay. */
int		 record_cmp(const struct record *, const struct record *);

#endif /* PARSERS_H */
