/*
 * test_correlate.h: what the correlator's test programs share
 * (test_correlate.c, test_correlate_cycle.c, test_correlate_mail.c and
 * test_state.c): a callback that keeps every transition, builders for each
 * kind of record, and questions put to an incident's JSON.  The clock is
 * the test's: a record is fed at its own time, so a test walks through
 * days by changing r.time.
 */

#ifndef TEST_CORRELATE_H
#define TEST_CORRELATE_H

#include <stddef.h>
#include <stdint.h>

#include "correlate.h"

#define MIN	(60LL * 1000)
#define HOUR	(60 * MIN)
#define DAY	(24 * HOUR)
#define T0	1775120400000LL		/* 2026-04-02T09:00:00Z */

#define HOST	"AADCONNECT01"
#define ADCONN	"contoso.com"
#define AADCONN	"contoso.onmicrosoft.com - AAD"
#define ALICE	"CN=Alice Admin,OU=Admins,DC=contoso,DC=com"
#define BOB	"CN=Bob Admin,OU=Admins,DC=contoso,DC=com"
#define CAROL	"CN=Carol Admin,OU=Admins,DC=contoso,DC=com"
#define DAVE	"CN=Dave Admin,OU=Admins,DC=contoso,DC=com"
#define KCL	"msDS-KeyCredentialLink"
#define CGUID	"mS-DS-ConsistencyGuid"
#define SSH	"msExchSafeSendersHash"

/* One transition as the callback saw it. */
struct seen_tr {
	enum incident_transition tr;
	enum incident_class	 cls;
	char			 id[INCIDENT_IDLEN + 1];
	int64_t			 now;
	char			*json;
};

struct seen {
	int		 n[3];		/* transitions by kind */
	const char	*last;		/* the last JSON, or NULL */
	struct seen_tr	*v;		/* every one, in order */
	size_t		 nv;
	size_t		 cap;
};

/* test_correlate_util.c */
void		 seen_cb(const struct incident *, enum incident_transition,
		     int64_t now, void *arg);
/* A correlator with the default parameters (reminder 24 h). */
struct correlate *new_correlate(struct seen *);
/* A correlator with parameters p. */
struct correlate *new_correlate_params(struct seen *,
		     const struct correlate_params *p);
void		 seen_free(struct seen *);
/* Forgets the first n transitions seen. */
void		 seen_skip(struct seen *, size_t n);
/* How many distinct incident ids the transitions carried. */
size_t		 seen_ids(const struct seen *);
/* How many transitions tr of class cls were seen. */
int		 seen_count(const struct seen *, enum incident_transition,
		     enum incident_class);
/* The first transition tr of class cls, or NULL. */
const struct seen_tr *seen_first(const struct seen *,
		     enum incident_transition, enum incident_class);
/* The last transition tr of class cls, or NULL. */
const struct seen_tr *seen_last(const struct seen *,
		     enum incident_transition, enum incident_class);
/* Every transition's JSON, one per line (caller frees). */
char		*seen_dump(const struct seen *);

/* Feeds r at its own time. */
void		 feed(struct correlate *, const struct record *r);

/* A csexport permission-issue/8344 export error of dn on attr at T0. */
struct record	 xerr(const char *host, const char *dn, const char *attr,
		     int admin_count);
/* An AD export error of another type (cd-missing-object) at T0. */
struct record	 aderr(const char *host, const char *dn, const char *type);
/* A dump of connector conn taken at t. */
struct record	 snap(const char *host, const char *conn, int64_t t);
/* A run-profile step of conn (kind from its name) ending at t. */
struct record	 run(const char *host, const char *conn, const char *step,
		     const char *result, int64_t t);
/* An AAD export error named name of dn at T0. */
struct record	 aaderr(const char *host, const char *name,
		     const char *dn);
/* A cloud PropertyConflict on ProxyAddresses value of upn at T0. */
struct record	 cloud(const char *host, const char *value,
		     const char *upn);
/* A Connect Health alert mail about server, raised at raised. */
struct record	 alert(const char *server, const char *name,
		     enum rec_alert_state, int64_t raised);

/* The string at key (a.b: member b of a; a.0: a's first), or NULL. */
const char	*j_str(const char *json, const char *key);
/* The integer at key, or -1. */
int64_t		 j_int(const char *json, const char *key);
/* How many elements the array at key has; -1 when there is none. */
int		 j_len(const char *json, const char *key);
/* Whether a string element of the array at key contains needle. */
int		 j_has(const char *json, const char *key,
		     const char *needle);
/* The same, ignoring case. */
int		 j_hascase(const char *json, const char *key,
		     const char *needle);

#endif /* TEST_CORRELATE_H */
