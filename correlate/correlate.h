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
#define INCIDENT_MAXOWNERS	4	/* owners named of a contested value */
#define INCIDENT_LINEAR		8	/* objects found without an index */
#define CORRELATE_MAXOBJECTS	1000	/* objects an incident's JSON lists */
#define CORRELATE_MAXTRACKED	100000	/* objects an incident tracks */
#define CORRELATE_MAXSCOPE	1024
/* Denied objects of unknown protection on one attribute, at most, that
 * still read as protected accounts rather than a missing grant. */
#define CORRELATE_INFER_MAX	3
/* Runs this close to an export count as the same sync cycle. */
#define CORRELATE_CYCLE_WINDOW	(60LL * 60 * 1000)

/* Defaults of struct correlate_params, in milliseconds or counts. */
#define CORRELATE_DEF_REMINDER	(24LL * 3600 * 1000)
#define CORRELATE_DEF_MAILWIN	(72LL * 3600 * 1000)
#define CORRELATE_DEF_STALL	(3LL * 3600 * 1000)
#define CORRELATE_DEF_HOSTMAX	250000	/* incidents kept per host */
#define CORRELATE_DEF_DNMAX	100000	/* DNs remembered per host */
#define CORRELATE_DEF_ALERTMAX	1000	/* alerts waiting per host */

/* The catalogue of DESIGN.md §3; the order is the output's. */
enum incident_class {
	INC_ADMINSDHOLDER = 0,		/* adminsdholder-writeback-denied */
	INC_PERMISSION_MISSING,		/* connector-permission-missing */
	INC_COLLISION,			/* directory-data-collision */
	INC_OBJECT_TYPE_MISMATCH,
	INC_INVALID_HARD_MATCH,
	INC_LARGE_OBJECT,
	INC_DATA_VALIDATION,		/* data-validation-failed */
	INC_FEDERATED_DOMAIN,		/* federated-domain-change */
	INC_AAD_EXPORT_ERROR,		/* any other AAD export error */
	INC_AD_EXPORT_ERROR,		/* ad-export-error */
	INC_CONNECTIVITY,
	INC_SYNC_STALLED,
	INC_HEALTH_ALERT,
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
	INC_PROT_INFERRED,		/* few objects on a working attribute */
	INC_PROT_ADMINCOUNT		/* adminCount=1 in the dump */
};

/* One failing object of an incident. */
struct incident_object {
	char		*key;		/* lower-case DN, the index's key */
	char		*dn;
	char		*upn;
	char		*sam;
	int64_t		 retries;	/* -1: unknown */
	int64_t		 first_seen;
	int64_t		 last_seen;	/* newest error time evidence gave */
	int64_t		 observed;	/* newest record naming it */
	int		 admin;		/* adminCount a dump gave; -1 */
};

/* The Connect Health mail an incident was joined with. */
struct incident_alert {
	char		*alert;		/* catalogue name */
	char		*title;
	char		*message_id;
	int64_t		 raised;
	int64_t		 resolved;	/* RESOLVED mail; REC_TIME_NONE */
};

struct correlate_host;
struct correlate_conn;

/*
 * An incident.  The id is the fingerprint over (host, class, connector,
 * scope) of the class it opened as: a class that sharpens later keeps
 * the id.  Everything else is what the evidence says so far.
 */
struct incident {
	char			 id[INCIDENT_IDLEN + 1];
	enum incident_class	 cls;
	char			*host;
	char			*connector;
	enum rec_conn		 conn_kind;
	char			*scope;		/* what the fix is scoped to */
	char			*skey;		/* the correlator's key for it */
	char			*attribute;	/* failing attribute(s), or NULL */
	char			*ou;		/* common parent of the objects */
	char			*value;		/* the contested value */
	char			*owners[INCIDENT_MAXOWNERS];
	size_t			 nowners;
	struct incident_object	**objects;	/* in arrival order */
	size_t			 nobjects;
	size_t			 objcap;
	struct table		*objindex;	/* lower-case DN → object, past
						   INCIDENT_LINEAR objects */
	char			*error_type;
	char			*error_name;	/* AAD: the error's name */
	int64_t			 error_code;	/* -1: unknown */
	char			*literal;
	char			*server_detail;
	char			*detail;	/* connectivity, stall: what */
	enum incident_protected	 protect;
	int			 unprotected;	/* a dump said adminCount=0 */
	int			 ad_only;	/* pattern: ad-connector-only */
	char			*account;	/* connector account, or NULL */
	unsigned		 evidence;	/* 1 << enum rec_source */
	struct incident_alert	 alert;		/* alert.title NULL: none */
	int64_t			 first_seen;
	int64_t			 last_seen;

	/* Lifecycle. */
	int			 open;
	int			 resolved;
	int64_t			 last_emit;	/* time of the last transition */
	int64_t			 cleared;	/* snapshot found no object */
	unsigned		 emitted_evidence;
	size_t			 emitted_objects;
	enum incident_class	 emitted_cls;
	enum incident_protected	 emitted_protect;
	int			 emitted_ad_only;
	int			 emitted;	/* anything said of it yet */
	int			 dirty;		/* changed since the last flush */
	int			 unsaved;	/* changed since the last save */

	/* Where the correlator keeps it. */
	struct correlate_host	*h;
	struct correlate_conn	*conn;		/* NULL: not per connector */
	TAILQ_ENTRY(incident)	 entry;		/* every incident, by age */
	TAILQ_ENTRY(incident)	 conn_entry;	/* its connector's */
	TAILQ_ENTRY(incident)	 dirty_entry;
	TAILQ_ENTRY(incident)	 remind_entry;	/* open, by last_emit */
	TAILQ_ENTRY(incident)	 save_entry;	/* unsaved */
};
TAILQ_HEAD(incident_list, incident);

/* Called once per transition; inc is valid during the call. */
typedef void (*correlate_cb)(const struct incident *inc,
    enum incident_transition tr, int64_t now, void *arg);

/* Times in milliseconds; 0 takes the default, < 0 turns it off. */
struct correlate_params {
	int64_t		 reminder;	/* repeat of unchanged open incidents */
	int64_t		 mail_window;	/* alert ↔ evidence distance */
	int64_t		 stall;		/* no run result for this long */
	size_t		 host_max;	/* incidents kept per host */
	size_t		 dn_max;	/* DNs remembered per host */
	size_t		 alert_max;	/* alerts waiting per host */
};

struct correlate_stats {
	uint64_t	 records;
	uint64_t	 unclassified;	/* records no rule took */
	uint64_t	 incidents;	/* incidents known */
	uint64_t	 transitions[3];
	uint64_t	 objects_dropped; /* over CORRELATE_MAXTRACKED */
	uint64_t	 evicted_incidents; /* over host_max */
	uint64_t	 evicted_dns;	/* over dn_max */
	uint64_t	 evicted_alerts; /* over alert_max */
	uint64_t	 alerts_joined;
	uint64_t	 hosts_unknown;	/* records no host could be found for */
};

struct correlate;

/* What rules.c makes of one record: a class and what it is scoped to. */
enum rules_family {
	RULES_NONE = 0,
	RULES_DENIED,		/* permission-issue/8344 on the AD side */
	RULES_OBJECT,		/* one object's error: scope is the DN */
	RULES_COLLISION,	/* scope is the contested value */
	RULES_RUN,		/* a run result: cycle state, connectivity */
	RULES_SNAPSHOT,
	RULES_ALERT
};

struct rules_match {
	enum rules_family	 family;
	enum incident_class	 cls;
	char			 scope[CORRELATE_MAXSCOPE];
	char			 attribute[CORRELATE_MAXSCOPE]; /* "": none */
};

/* correlate.c */
struct correlate *correlate_new(const struct correlate_params *,
		     correlate_cb cb, void *arg);
void		 correlate_free(struct correlate *);
/*
 * Declares a host and what the config says of it: aliases (FQDN or short
 * names), tenant or forest domains, the connector account.  Hosts
 * declared first keep their spelling as the name incidents carry.
 */
void		 correlate_host_add(struct correlate *, const char *name,
		     const char *const *aliases, size_t naliases,
		     const char *const *domains, size_t ndomains,
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
/* Lets time pass: reminders, expired alerts, stalls. */
void		 correlate_tick(struct correlate *, int64_t now);
/*
 * The input has ended (replay): alerts still waiting for evidence become
 * health-alert incidents now.
 */
void		 correlate_finish(struct correlate *);
const struct correlate_stats *correlate_stats(const struct correlate *);

/* rules.c */
/* What a record is: its family, class and scope into m. */
void		 rules_classify(const struct record *, struct rules_match *m);
/* Whether AD Connect writes attribute back to on-premises AD. */
int		 rules_writeback_attr(const char *attribute);
/* Whether a run's step result counts as a success. */
int		 rules_run_ok(const char *result);
/* Whether a run failed to reach its server (connectivity). */
int		 rules_run_unreachable(const struct rec_run *);
/* The step of a run: 'i'mport, 's'ync, 'e'xport, or 0 when unknown. */
int		 rules_run_step(const struct rec_run *);
/* The contested value as a key: lower case, without "smtp:". */
void		 rules_value_key(const char *value, char *buf, size_t bufsz);

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
/*
 * Adds or refreshes an object observed at time seen; returns it, NULL
 * past CORRELATE_MAXTRACKED.
 */
struct incident_object *incident_add_object(struct incident *,
		     const char *dn, const char *upn, const char *sam,
		     int64_t retries, int64_t first, int64_t last,
		     int64_t seen, uint64_t *dropped);
/* The object dn, or NULL. */
struct incident_object *incident_find_object(const struct incident *,
		     const char *dn);
/* Drops the objects observed before t; returns how many went. */
size_t		 incident_drop_before(struct incident *, int64_t t);
/* Drops the object dn; 1 if it was there. */
int		 incident_drop_object(struct incident *, const char *dn);
/* Names one more owner of a contested value, once. */
void		 incident_add_owner(struct incident *, const char *owner);
/*
 * The objects sorted by DN, for output (xmalloc'd array of nobjects
 * pointers; the caller frees the array only).
 */
struct incident_object **incident_sorted(const struct incident *);
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
#define REMEDY_ACCOUNT_PLACEHOLDER	"<DOMAIN>\\MSOL_<id>"
#define REMEDY_MAXDOMAINS		8
/* The first object in DN order, or NULL. */
const struct incident_object *remedy_first(const struct incident *);
/* The name a person knows an object by: UPN, else sAMAccountName, DN. */
const char	*remedy_object_name(const struct incident_object *);
/* The distinct domain DNs of the incident's objects, sorted. */
size_t		 remedy_domains(const struct incident *, const char **v,
		     size_t max);

/* remedy_ad.c: each fills up to max lines, returns how many. */
size_t		 remedy_adminsdholder(const struct incident *, char **lines,
		     size_t max);
size_t		 remedy_permission(const struct incident *, char **lines,
		     size_t max);
size_t		 remedy_ad_export(const struct incident *, char **lines,
		     size_t max);

/* remedy_aad.c */
size_t		 remedy_collision(const struct incident *, char **lines,
		     size_t max);
size_t		 remedy_aad(const struct incident *, char **lines,
		     size_t max);
size_t		 remedy_connectivity(const struct incident *, char **lines,
		     size_t max);
size_t		 remedy_stalled(const struct incident *, char **lines,
		     size_t max);
size_t		 remedy_alert(const struct incident *, char **lines,
		     size_t max);

/* incident_json.c */
/* The incident JSON of DESIGN.md §3 for transition tr (xmalloc'd). */
char		*incident_json(const struct incident *,
		     enum incident_transition tr);

/* incident_text.c */
/* The transition at time now as lines for a terminal (xmalloc'd). */
char		*incident_text(const struct incident *,
		     enum incident_transition tr, int64_t now);
/*
 * One line of an incident's timeline: when, the transition, and what
 * changed since the last one (xmalloc'd).  Called from the transition
 * callback, before the correlator records what it said.
 */
char		*incident_text_change(const struct incident *,
		     enum incident_transition tr, int64_t now);

/* incident_syslog.c */
#define SYSLOG_DEF_ENTERPRISE	32473	/* SD-ID syncorr@32473 */
#define SYSLOG_DEF_FACILITY	16	/* local0 */

enum syslog_format {
	SYSLOG_RFC5424 = 0,
	SYSLOG_RFC3164,
	SYSLOG_JSON,		/* @cee: JSON in MSG */
	SYSLOG_CEF
};

/* Zero takes the default, as does a facility outside 1..23. */
struct syslog_opts {
	enum syslog_format	 format;
	uint32_t		 enterprise;	/* SD-ID syncorr@<n> */
	const char		*hostname;	/* NULL: the incident's */
	const char		*procid;	/* NULL: "-" */
	int			 facility;
	const char		*version;	/* CEF's; NULL: "1.0" */
};

/*
 * The message for transition tr at time now (ms since the epoch, UTC),
 * without framing and without a trailing newline (xmalloc'd; the caller
 * frees).  NULL opts takes every default.
 */
char		*incident_syslog(const struct incident *,
		     enum incident_transition tr, int64_t now,
		     const struct syslog_opts *);

/* state.c */
enum state_kind {
	STATE_HOST = 0,		/* a host: names, connectors, alerts */
	STATE_INCIDENT,		/* an incident, objects included */
	STATE_LINKS		/* a host document again, read last */
};
/* One saved document; a NULL doc: the incident key is gone. */
typedef void (*state_save_cb)(enum state_kind, const char *key,
    const char *doc, void *arg);
/*
 * What changed since the last save (all of it with all set), as JSON
 * documents; the caller flushes first and keeps them with the offsets
 * and transitions of the same input, in one transaction.
 */
void		 state_save(struct correlate *, int all, state_save_cb,
		     void *arg);
/*
 * Restores one document into a correlator that has seen no record:
 * every host, then every incident, then every host as STATE_LINKS.
 * 0, or -1 when it is not a document state_save wrote.
 */
int		 state_load(struct correlate *, enum state_kind,
		     const char *doc);

/* table.c */
struct table;
/* A string-keyed hash table; keys are owned by the values. */
struct table	*table_new(void);
void		 table_free(struct table *);
void		*table_get(const struct table *, const char *key);
/* Inserts value under key (which must stay valid while it is in). */
void		 table_put(struct table *, const char *key, void *value);
void		*table_del(struct table *, const char *key);
/* FNV-1a of a key. */
uint64_t	 table_hash(const char *key);
/* s (its first len bytes, or all with -1) in lower case (xmalloc'd). */
char		*table_lower(const char *s, long len);
/* len bytes of src into dst in lower case as keys are (C locale). */
void		 table_lower_copy(char *dst, const char *src, size_t len);
size_t		 table_count(const struct table *);

/*
 * What the correlator keeps between records, for correlate.c, host.c and
 * mail.c only.  Hosts own their connectors, their remembered DNs and
 * their waiting alerts; incidents are listed by age, by host and
 * connector, and by when their reminder is due, so that every step
 * touches only what it needs: O(1) per record, however many incidents
 * are open.
 */
/* The last result of one kind of step on a connector. */
struct state_step {
	int64_t		 time;		/* REC_TIME_NONE: never seen */
	int		 ok;
};

/* One connector of a host, as run results and dumps describe it. */
struct correlate_conn {
	char			*key;		/* host key '\n' lower-case name */
	char			*name;
	enum rec_conn		 kind;
	struct state_step	 import, sync, export;
	unsigned		 fail_sources;	/* failing export runs, by source */
	int64_t			 export_fail;	/* the last failing export */
	struct incident		*connectivity;	/* open, or NULL */
	struct incident_list	 incidents;	/* with objects on it */
	struct incident_list	 cleared;	/* no object left: export? */
	TAILQ_ENTRY(correlate_conn) entry;
};

/* What a dump said of a DN: protected or not, and its denied incident. */
struct state_dn {
	char			*key;		/* host key '\n' lower-case DN */
	int			 admin_count;	/* -1: unknown */
	char			 denied[INCIDENT_IDLEN + 1]; /* its incident */
	TAILQ_ENTRY(state_dn)	 entry;		/* by age, for eviction */
};

/* A Connect Health alert waiting for the evidence it is about. */
struct state_alert {
	struct record		*rec;		/* its own copy */
	int64_t			 expires;
	TAILQ_ENTRY(state_alert) entry;		/* host's, by time */
	TAILQ_ENTRY(state_alert) all;		/* everyone's, by expiry */
};
TAILQ_HEAD(state_alerts, state_alert);

struct correlate_host {
	char			*key;		/* lower-case name */
	char			*name;		/* as first declared or seen */
	char			*account;	/* connector account, or NULL */
	char			*aad;		/* the AAD connector's name */
	int64_t			 last_run;	/* newest run result */
	int64_t			 last_data;	/* newest record of any kind */
	struct incident		*stalled;	/* open, or NULL */
	const char		**names;	/* its aliases, as keys */
	size_t			 nnames;
	const char		**domains;	/* its domains, as keys */
	size_t			 ndomains;
	int			 unsaved;	/* changed since the last save */
	struct correlate_conn	*lastconn;	/* host_conn's last answer */
	char			 lastdom[256];	/* host_learn's last domain */
	size_t			 nincidents;
	size_t			 ndns;
	size_t			 nalerts;
	TAILQ_HEAD(, correlate_conn) conns;
	TAILQ_HEAD(, state_dn)	 dns;
	struct state_alerts	 alerts;
	struct incident_list	 incidents;	/* this host's, by age */
	TAILQ_ENTRY(correlate_host) entry;
};

struct correlate {
	struct correlate_params	 params;
	correlate_cb		 cb;
	void			*arg;
	struct table		*incidents;	/* by id */
	struct table		*scopes;	/* by host, class, conn, scope */
	struct table		*names;		/* host by lower-case alias */
	struct table		*shorts;	/* host by first DNS label */
	struct table		*domains;	/* host by domain */
	struct table		*conns;		/* connector by key */
	struct table		*dns;		/* state_dn by key */
	char			**keys;		/* alias and domain keys owned */
	size_t			 nkeys;
	size_t			 keycap;
	TAILQ_HEAD(, correlate_host) hosts;
	struct incident_list	 dirty;		/* to settle at the flush */
	struct incident_list	 remind;	/* open, by last_emit */
	struct incident_list	 unsaved;	/* changed since the last save */
	struct correlate_host	*lasthost;	/* host_get's last answer */
	char			*lastname;	/* and the name it was asked */
	char			**gone;		/* ids evicted since then */
	size_t			 ngone;
	struct state_alerts	 alerts;	/* everyone's, by expiry */
	int64_t			 now;		/* time of the last feed */
	struct correlate_stats	 stats;
};

/* A host for which two hosts claim the same domain. */
#define STATE_AMBIGUOUS	(&state_ambiguous)
extern struct correlate_host	 state_ambiguous;

/* host.c */
/* The host a name means (FQDN ↔ short, any case); NULL if none. */
struct correlate_host *host_lookup(struct correlate *, const char *name);
/* Makes name (and its first label) another name of h. */
void		 host_add_alias(struct correlate *, struct correlate_host *,
		     const char *name);
/* The host a name means, made when new. */
struct correlate_host *host_get(struct correlate *, const char *name);
/* The host a domain (or an address's domain) belongs to, or NULL. */
struct correlate_host *host_by_domain(struct correlate *, const char *dom);
/* Learns that domain belongs to h. */
void		 host_add_domain(struct correlate *, struct correlate_host *,
		     const char *domain);
/* Learns the domains a record shows: connector names, DNs. */
void		 host_learn(struct correlate *, struct correlate_host *,
		     const struct record *);
/* The connector name of h, made when new. */
struct correlate_conn *host_conn(struct correlate *, struct correlate_host *,
		     const char *name, enum rec_conn);
/* What dumps said of a DN of h; made when new (evicting the oldest). */
struct state_dn	*host_dn(struct correlate *, struct correlate_host *,
		     const char *dn, int make);
void		 host_free_all(struct correlate *);

/* mail.c */
/* A health-alert record of host h: joined, recorded or kept waiting. */
void		 mail_alert(struct correlate *, struct correlate_host *,
		     const struct record *);
/* Keeps an alert waiting with those of h (bounded). */
void		 mail_keep(struct correlate *, struct correlate_host *,
		     struct state_alert *);
/* An incident settles: alerts of its host that it explains join it. */
void		 mail_join(struct correlate *, struct incident *);
/* Alerts whose window closed before now become health-alert incidents. */
void		 mail_expire(struct correlate *, int64_t now);
void		 mail_free_all(struct correlate *);

/* correlate.c */
/* The incident of (host, class, connector, scope), made when new. */
/* A new incident of (host, class, connector, scope), found by skey. */
struct incident	*correlate_incident_new(struct correlate *,
		     struct correlate_host *, enum incident_class,
		     struct correlate_conn *, const char *connector,
		     enum rec_conn, const char *scope, char *skey);
struct incident	*correlate_incident(struct correlate *,
		     struct correlate_host *, enum incident_class,
		     struct correlate_conn *, const char *connector,
		     enum rec_conn, const char *scope);
/* Marks inc to be settled at the next flush (and saved). */
void		 correlate_touch(struct correlate *, struct incident *);
/* Marks inc to be saved with the correlator's state. */
void		 correlate_changed(struct correlate *, struct incident *);
/* Emits the resolve of inc at time now. */
void		 correlate_resolve(struct correlate *, struct incident *,
		     int64_t now);
/* Keeps the earliest first and the latest last time of inc. */
void		 correlate_times(struct incident *, int64_t first,
		     int64_t last);
/* The key of a scope: host, class family, connector, scope (xmalloc'd). */
char		*correlate_skey(const struct correlate_host *,
		     const char *family, const char *connector,
		     const char *scope);

/* evidence.c */
/* A denied AD export error of host h, rules_match m. */
void		 evidence_denied(struct correlate *, struct correlate_host *,
		     const struct record *, const struct rules_match *);
/* Any other export error, or a cloud error. */
void		 evidence_object(struct correlate *, struct correlate_host *,
		     const struct record *, const struct rules_match *);

/* cycle.c */
/* A run result of host h. */
void		 cycle_run(struct correlate *, struct correlate_host *,
		     const struct record *);
/* A dump's snapshot of host h: what it no longer holds is fixed. */
void		 cycle_snapshot(struct correlate *, struct correlate_host *,
		     const struct record *);
/* Whether inc's fault is the ad-connector-only pattern. */
int		 cycle_ad_only(const struct incident *);
/* Opens (or keeps open) the stall of h at now; why NULL: no run. */
void		 cycle_stall(struct correlate *, struct correlate_host *,
		     int64_t now, const char *why, unsigned evidence);
/* Opens or updates the stall of h for an alert that says so. */
void		 cycle_alert_stall(struct correlate *,
		     struct correlate_host *, const struct record *);

#endif /* CORRELATE_H */
