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

/*
 * One errored connector-space object.  attrs are the attribute names of
 * the pending export (unapplied-export delta), which is what the export
 * was trying to write.
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
		struct rec_export_error	xerr;
		struct rec_snapshot	snap;
	} u;
};

/* Called for each record; return 0 to go on, -1 to stop the parser. */
typedef int (*rec_cb)(const struct record *, void *arg);

/* The formats sniff can tell apart. */
enum parser_format {
	PARSER_FMT_UNKNOWN = 0,
	PARSER_FMT_CSEXPORT
};

/* Counters a parser keeps; "read" counts irrelevant items too. */
struct parser_stats {
	uint64_t	 read;		/* objects, events, messages seen */
	uint64_t	 records;	/* records emitted */
	uint64_t	 errors;	/* items rejected */
};

/* csexport.c */
struct csexport;
/*
 * A push parser for one csexport dump.  name is the file's base name, for
 * the connector and snapshot time it may carry (csexport-<conn>-<time>).
 */
struct csexport	*csexport_new(const char *name, rec_cb, void *arg);
/* Feeds len bytes; returns 0, or -1 once the document is known bad. */
int		 csexport_push(struct csexport *, const void *buf, size_t len);
/* Ends the document and emits the snapshot record; 0 or -1. */
int		 csexport_finish(struct csexport *);
/* Why the parser failed, and at which byte offset of its input. */
const char	*csexport_error(const struct csexport *, uint64_t *offset);
const struct parser_stats *csexport_stats(const struct csexport *);
void		 csexport_free(struct csexport *);

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
/* A parser for format fmt; the generic face of the per-format parsers. */
struct parser	*parser_new(enum parser_format fmt, const char *name, rec_cb,
		     void *arg);
int		 parser_push(struct parser *, const void *buf, size_t len);
int		 parser_finish(struct parser *);
const char	*parser_error(const struct parser *, uint64_t *offset);
const struct parser_stats *parser_stats(const struct parser *);
void		 parser_free(struct parser *);
const char	*parser_format_name(enum parser_format);

/* sniff.c */
/*
 * The format of a file from its first bytes (after gzip is undone): BOM,
 * XML root element, …  PARSER_FMT_UNKNOWN when nothing matches.
 */
enum parser_format sniff_format(const void *buf, size_t len);
/* How many leading bytes sniff_format wants to decide. */
#define SNIFF_BYTES	4096

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
/* Proleptic Gregorian date and time of day → ms since the epoch. */
int64_t		 ptime_make(int year, int mon, int day, int hour, int min,
		     int sec, int msec);
/* ms → "2024-06-16T01:06:51Z" into buf (at least 21 bytes). */
void		 ptime_format(int64_t ms, char *buf, size_t bufsz);

/* pvalue.c */
/* Narrows [*s, *s + *len) past blanks and line ends at both ends. */
void		 pvalue_trim(const char **s, size_t *len);
/* A whole decimal or 0x hex number (NUL terminated) → *v; 0 or -1. */
int		 pvalue_int(const char *s, int64_t *v);
/* Folds runs of blanks and control characters in s to one space. */
void		 pvalue_fold(char *s);

/* pxml.c */
/* An xmlSAXHandler readied for untrusted input (no entity resolved). */
void		 pxml_sax_init(void *handler);
/* An attribute among SAX2's (localname, prefix, URI, value, end) tuples. */
int		 pxml_attr(const unsigned char **attrs, int nattrs,
		     const char *name, const char **val, size_t *len);
/* A libxml2 error's message, folded to one line, after prefix. */
void		 pxml_error_text(const void *error, const char *prefix,
		     char *buf, size_t bufsz);

/* record.c */
/* A copy of r in one allocation (free with free()); NULL on no memory. */
struct record	*record_dup(const struct record *r, const char *host);
const char	*record_kind_name(enum rec_kind);
const char	*record_source_name(enum rec_source);
const char	*record_conn_name(enum rec_conn);
/* AAD for "… - AAD" (or "aad"), AD for another name, unknown for none. */
enum rec_conn	 record_conn_kind(const char *name);
/* Orders records by time, then by content, for deterministic replay. */
int		 record_cmp(const struct record *, const struct record *);

#endif /* PARSERS_H */
