/*
 * correlate.h: the correlator turns normalized records into incidents,
 * one per problem that one fix solves, and reports each lifecycle
 * transition once.  It is a library without I/O and without a clock: the
 * caller passes the time with every record (event time in replay, wall
 * time in the daemon), which is what makes replay deterministic and the
 * tests able to walk through days in microseconds.
 */

#ifndef CORRELATE_H
#define CORRELATE_H

#include <sys/queue.h>

#include <stddef.h>
#include <stdint.h>

#include "parsers.h"

#define INCIDENT_IDLEN		32	/* hex digits of a fingerprint */
#define CORRELATE_MAXOBJECTS	1000	/* objects listed per incident */
#define CORRELATE_MAXSCOPE	1024

enum incident_class {
	INC_ADMINSDHOLDER = 0,		/* adminsdholder-writeback-denied */
	INC_AD_EXPORT_ERROR,		/* ad-export-error */
	INC_CLASS_MAX
};

enum incident_transition {
	INC_OPEN = 0,
	INC_UPDATE,
	INC_RESOLVE
};

/* How an incident knows the objects are protected. */
enum incident_protected {
	INC_PROT_NONE = 0,
	INC_PROT_ADMINCOUNT,		/* adminCount=1 in the dump */
	INC_PROT_INFERRED
};

/* One failing object of an incident. */
struct incident_object {
	TAILQ_ENTRY(incident_object)	 entry;
	char				*dn;
	char				*upn;
	char				*sam;
	int64_t				 retries;	/* -1: unknown */
	int64_t				 first_seen;
	int64_t				 last_seen;
};
TAILQ_HEAD(incident_objects, incident_object);

/*
 * An incident.  The fingerprint id covers (host, class, connector,
 * scope); everything else is what the evidence says so far.
 */
struct incident {
	char			 id[INCIDENT_IDLEN + 1];
	enum incident_class	 cls;
	char			*host;
	char			*connector;
	enum rec_conn		 conn_kind;
	char			*scope;		/* what the fix is scoped to */
	char			*attribute;	/* failing attribute(s), or NULL */
	struct incident_objects	 objects;	/* sorted by dn */
	size_t			 nobjects;	/* may exceed what is listed */
	char			*error_type;
	int64_t			 error_code;	/* -1: unknown */
	char			*literal;
	char			*server_detail;
	enum incident_protected	 protect;
	char			*account;	/* connector account, or NULL */
	unsigned		 evidence;	/* 1 << enum rec_source */
	int64_t			 first_seen;
	int64_t			 last_seen;
	int			 open;
	int64_t			 last_emit;	/* time of the last transition */
	unsigned		 emitted_evidence;
	size_t			 emitted_objects;
	int			 dirty;		/* changed since the last flush */
	TAILQ_ENTRY(incident)	 entry;
	TAILQ_ENTRY(incident)	 dirty_entry;
};

/* What a rule made of a record. */
struct rules_match {
	enum incident_class	 cls;
	enum incident_protected	 protect;
	char			 scope[CORRELATE_MAXSCOPE];
	char			 attribute[CORRELATE_MAXSCOPE]; /* "": none */
};

/* Called once per transition; inc is valid during the call. */
typedef void (*correlate_cb)(const struct incident *inc,
    enum incident_transition tr, int64_t now, void *arg);

struct correlate_params {
	int64_t		 reminder;	/* ms; 0: never remind */
};

struct correlate_stats {
	uint64_t	 records;
	uint64_t	 unclassified;	/* records no rule took */
	uint64_t	 incidents;	/* incidents known */
	uint64_t	 transitions[3];
	uint64_t	 objects_dropped; /* over CORRELATE_MAXOBJECTS */
};

struct correlate;

/* correlate.c */
/* A correlator that reports transitions to cb. */
struct correlate *correlate_new(const struct correlate_params *,
		     correlate_cb cb, void *arg);
void		 correlate_free(struct correlate *);
/* The connector account of host (from the config), for remediation. */
void		 correlate_set_account(struct correlate *, const char *host,
		     const char *account);
/*
 * Feeds one record observed at time now.  Transitions wait until the
 * clock moves past now (or correlate_flush): the records of one
 * observation, such as every errored object of one dump, make one open.
 */
void		 correlate_feed(struct correlate *, const struct record *,
		     int64_t now);
/* Emits the transitions the records fed so far call for. */
void		 correlate_flush(struct correlate *);
/* Lets time pass: reminders and time-based transitions. */
void		 correlate_tick(struct correlate *, int64_t now);
const struct correlate_stats *correlate_stats(const struct correlate *);

/* rules.c */
/* The class and scope of a record into m; -1 when no rule takes it. */
int		 rules_classify(const struct record *, struct rules_match *m);
/* Whether AD Connect writes attribute back to on-premises AD. */
int		 rules_writeback_attr(const char *attribute);

/* incident.c */
/* A new incident with fingerprint computed from its identity. */
struct incident	*incident_new(enum incident_class, const char *host,
		     const char *connector, enum rec_conn, const char *scope);
void		 incident_free(struct incident *);
/* The fingerprint of (host, class, connector, scope) as hex into id. */
void		 incident_fingerprint(enum incident_class, const char *host,
		     const char *connector, const char *scope,
		     char id[INCIDENT_IDLEN + 1]);
/* Replaces *field with a copy of value; a NULL value changes nothing. */
void		 incident_set(char **field, const char *value);
/* Adds or refreshes an object; returns 1 when it is new. */
int		 incident_add_object(struct incident *, const char *dn,
		     const char *upn, const char *sam, int64_t retries,
		     int64_t first, int64_t last, uint64_t *dropped);
/* The sum of the objects' retry counts, -1 when none is known. */
int64_t		 incident_retries(const struct incident *);
const char	*incident_class_name(enum incident_class);
const char	*incident_transition_name(enum incident_transition);

/* remedy.c */
/* The one line a person reads, into buf. */
void		 remedy_summary(const struct incident *, char *buf,
		     size_t bufsz);
/*
 * The remediation steps, one string each, into lines (xmalloc'd; the
 * caller frees each); returns how many.
 */
size_t		 remedy_lines(const struct incident *, char **lines,
		     size_t maxlines);

/* incident_json.c */
/* The incident JSON of DESIGN.md §3 for transition tr (xmalloc'd). */
char		*incident_json(const struct incident *,
		     enum incident_transition tr);

/* incident_text.c */
/* The transition at time now as lines for a terminal (xmalloc'd). */
char		*incident_text(const struct incident *,
		     enum incident_transition tr, int64_t now);

/* table.c */
struct table;
/* A string-keyed hash table; keys are owned by the values. */
struct table	*table_new(void);
void		 table_free(struct table *);
void		*table_get(const struct table *, const char *key);
/* Inserts value under key (which must stay valid while it is in). */
void		 table_put(struct table *, const char *key, void *value);
void		*table_del(struct table *, const char *key);
size_t		 table_count(const struct table *);

#endif /* CORRELATE_H */
