/*
 * replay_db.c: syncorr replay --db FILE, the replay's incidents and
 * their transitions kept in an SQLite file for later queries.  The file
 * holds one replay and nothing else: an existing one is replaced, and
 * the whole replay is one transaction, committed when it is closed.
 *
 * The schema (meta.schema_version is 1; times are RFC 3339 UTC to the
 * second, e.g. 2026-04-02T10:01:04Z, the same as in the JSON):
 *
 *	meta(key TEXT PRIMARY KEY, value TEXT)
 *	incidents(			one row per incident, as last seen
 *	    id TEXT PRIMARY KEY,	the fingerprint, as in the JSON
 *	    class TEXT, host TEXT,
 *	    connector TEXT,		NULL when none
 *	    state TEXT,			last transition: open, update, resolve
 *	    first_seen TEXT,		evidence times, NULL when unknown
 *	    last_seen TEXT,
 *	    object_count INTEGER,
 *	    opened TEXT,		time of the latest open transition
 *	    updated TEXT,		time of the last transition
 *	    transitions INTEGER,	how many transitions it had
 *	    json TEXT)			the JSON of the last transition
 *	transitions(			one row per transition
 *	    seq INTEGER PRIMARY KEY,	in the order they happened
 *	    id TEXT REFERENCES incidents(id),
 *	    transition TEXT, time TEXT, json TEXT)
 *	indexes on incidents(host), incidents(class) and transitions(id).
 */

#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "correlate.h"
#include "daemon.h"
#include "xmalloc.h"

struct replay_db {
	sqlite3		*db;
	sqlite3_stmt	*incident;	/* upserts into incidents */
	sqlite3_stmt	*transition;	/* inserts into transitions */
	char		*path;
	char		 err[256];
};

/*
 * The pragma goes before the transaction (inside one it does nothing);
 * the schema is part of it, so the tables appear at commit with their
 * rows or not at all.
 */
static const char replay_db_schema[] =
    "PRAGMA foreign_keys = ON;"
    "BEGIN;"
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);"
    "INSERT INTO meta VALUES ('schema_version', '1');"
    "CREATE TABLE incidents (id TEXT PRIMARY KEY, class TEXT, host TEXT,"
    " connector TEXT, state TEXT, first_seen TEXT, last_seen TEXT,"
    " object_count INTEGER, opened TEXT, updated TEXT,"
    " transitions INTEGER, json TEXT);"
    "CREATE TABLE transitions (seq INTEGER PRIMARY KEY,"
    " id TEXT REFERENCES incidents(id), transition TEXT, time TEXT,"
    " json TEXT);"
    "CREATE INDEX incidents_host ON incidents(host);"
    "CREATE INDEX incidents_class ON incidents(class);"
    "CREATE INDEX transitions_id ON transitions(id);";

/* opened is bound only for an open: a later transition keeps it. */
static const char replay_db_upsert[] =
    "INSERT INTO incidents (id, class, host, connector, state, first_seen,"
    " last_seen, object_count, opened, updated, transitions, json)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 1, ?11)"
    " ON CONFLICT(id) DO UPDATE SET class = excluded.class,"
    " host = excluded.host, connector = excluded.connector,"
    " state = excluded.state, first_seen = excluded.first_seen,"
    " last_seen = excluded.last_seen,"
    " object_count = excluded.object_count,"
    " opened = coalesce(excluded.opened, opened),"
    " updated = excluded.updated, transitions = transitions + 1,"
    " json = excluded.json";

static const char replay_db_insert[] =
    "INSERT INTO transitions (id, transition, time, json)"
    " VALUES (?1, ?2, ?3, ?4)";

/* Sets err to "PATH: reason", the path escaped. */
static void
replay_db_say(char *err, size_t errsz, const char *path, const char *why)
{
	char	esc[512];

	snprintf(err, errsz, "%s: %s", log_escape(path, esc, sizeof(esc)),
	    why);
}

/*
 * Removes path and what SQLite may have left beside it: a stale journal
 * or WAL would otherwise be taken as part of the new database.
 */
static int
replay_db_unlink(const char *path, char *err, size_t errsz)
{
	static const char *const	 suffix[] = {
		"", "-journal", "-wal", "-shm"
	};
	struct stat			 st;
	char				*p;
	size_t				 i;
	int				 rc = 0;

	if (lstat(path, &st) == 0) {
		if (!S_ISREG(st.st_mode)) {
			replay_db_say(err, errsz, path, "not a regular file");
			return (-1);
		}
	} else if (errno != ENOENT) {
		replay_db_say(err, errsz, path, strerror(errno));
		return (-1);
	}
	for (i = 0; i < sizeof(suffix) / sizeof(suffix[0]) && rc == 0; i++) {
		xasprintf(&p, "%s%s", path, suffix[i]);
		if (unlink(p) == -1 && errno != ENOENT) {
			replay_db_say(err, errsz, p, strerror(errno));
			rc = -1;
		}
		free(p);
	}
	return (rc);
}

/* Opens (creates) path for writing; NULL with a one-line reason in err. */
struct replay_db *
replay_db_open(const char *path, char *err, size_t errsz)
{
	struct replay_db	*rdb;

	if (replay_db_unlink(path, err, errsz) == -1)
		return (NULL);
	rdb = xcalloc(1, sizeof(*rdb));
	if (sqlite3_open_v2(path, &rdb->db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE, NULL) != SQLITE_OK ||
	    sqlite3_exec(rdb->db, replay_db_schema, NULL, NULL,
	    NULL) != SQLITE_OK ||
	    sqlite3_prepare_v3(rdb->db, replay_db_upsert, -1,
	    SQLITE_PREPARE_PERSISTENT, &rdb->incident, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v3(rdb->db, replay_db_insert, -1,
	    SQLITE_PREPARE_PERSISTENT, &rdb->transition, NULL) != SQLITE_OK) {
		replay_db_say(err, errsz, path, sqlite3_errmsg(rdb->db));
		sqlite3_finalize(rdb->incident);
		sqlite3_close(rdb->db);
		free(rdb);
		return (NULL);
	}
	rdb->path = xstrdup(path);
	return (rdb);
}

/* ms as RFC 3339 into buf, or NULL (an SQL NULL) when unknown. */
static const char *
replay_db_time(int64_t ms, char *buf, size_t bufsz)
{
	if (ms == REC_TIME_NONE)
		return (NULL);
	ptime_format(ms, buf, bufsz);
	return (buf);
}

/*
 * Runs st, whose parameters are bound, and makes it ready for the next
 * put.  The text was bound SQLITE_STATIC, so the bindings are cleared
 * before the caller frees it.
 */
static int
replay_db_step(struct replay_db *rdb, sqlite3_stmt *st, const char *what)
{
	int	rc = 0;

	if (sqlite3_step(st) != SQLITE_DONE) {
		snprintf(rdb->err, sizeof(rdb->err), "%s: %s", what,
		    sqlite3_errmsg(rdb->db));
		rc = -1;
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return (rc);
}

/* Records one transition at time now (ms); 0 or -1 (replay_db_error). */
int
replay_db_put(struct replay_db *rdb, const struct incident *inc,
    enum incident_transition tr, int64_t now)
{
	sqlite3_stmt	*st;
	const char	*state, *when;
	char		 first[32], last[32], nowbuf[32], *json;
	int		 bad = 0, rc = -1;

	state = incident_transition_name(tr);
	when = replay_db_time(now, nowbuf, sizeof(nowbuf));
	json = incident_json(inc, tr);

	st = rdb->incident;
	bad |= sqlite3_bind_text(st, 1, inc->id, -1, SQLITE_STATIC);
	bad |= sqlite3_bind_text(st, 2, incident_class_name(inc->cls), -1,
	    SQLITE_STATIC);
	bad |= sqlite3_bind_text(st, 3, inc->host, -1, SQLITE_STATIC);
	bad |= sqlite3_bind_text(st, 4, inc->connector, -1, SQLITE_STATIC);
	bad |= sqlite3_bind_text(st, 5, state, -1, SQLITE_STATIC);
	bad |= sqlite3_bind_text(st, 6, replay_db_time(inc->first_seen, first,
	    sizeof(first)), -1, SQLITE_STATIC);
	bad |= sqlite3_bind_text(st, 7, replay_db_time(inc->last_seen, last,
	    sizeof(last)), -1, SQLITE_STATIC);
	bad |= sqlite3_bind_int64(st, 8, (sqlite3_int64)inc->nobjects);
	bad |= sqlite3_bind_text(st, 9, tr == INC_OPEN ? when : NULL, -1,
	    SQLITE_STATIC);
	bad |= sqlite3_bind_text(st, 10, when, -1, SQLITE_STATIC);
	bad |= sqlite3_bind_text(st, 11, json, -1, SQLITE_STATIC);
	if (bad != SQLITE_OK) {
		snprintf(rdb->err, sizeof(rdb->err), "incidents: %s",
		    sqlite3_errmsg(rdb->db));
		sqlite3_clear_bindings(st);
		goto out;
	}
	if (replay_db_step(rdb, st, "incidents") == -1)
		goto out;

	st = rdb->transition;
	bad |= sqlite3_bind_text(st, 1, inc->id, -1, SQLITE_STATIC);
	bad |= sqlite3_bind_text(st, 2, state, -1, SQLITE_STATIC);
	bad |= sqlite3_bind_text(st, 3, when, -1, SQLITE_STATIC);
	bad |= sqlite3_bind_text(st, 4, json, -1, SQLITE_STATIC);
	if (bad != SQLITE_OK) {
		snprintf(rdb->err, sizeof(rdb->err), "transitions: %s",
		    sqlite3_errmsg(rdb->db));
		sqlite3_clear_bindings(st);
		goto out;
	}
	rc = replay_db_step(rdb, st, "transitions");
out:
	free(json);
	return (rc);
}

/* The reason the last put failed (owned by rdb; "" when none did). */
/* Drops every row written so far; 0 or -1 (replay_db_error). */
int
replay_db_clear(struct replay_db *rdb)
{
	if (sqlite3_exec(rdb->db, "DELETE FROM transitions;"
	    "DELETE FROM incidents;", NULL, NULL, NULL) != SQLITE_OK) {
		snprintf(rdb->err, sizeof(rdb->err), "%s",
		    sqlite3_errmsg(rdb->db));
		return (-1);
	}
	return (0);
}

const char *
replay_db_error(const struct replay_db *rdb)
{
	return (rdb->err);
}

/* Commits and closes; 0 or -1 (reason in err).  NULL is a no-op. */
int
replay_db_close(struct replay_db *rdb, char *err, size_t errsz)
{
	int	rc = 0;

	if (rdb == NULL)
		return (0);
	sqlite3_finalize(rdb->incident);
	sqlite3_finalize(rdb->transition);
	if (sqlite3_exec(rdb->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		replay_db_say(err, errsz, rdb->path, sqlite3_errmsg(rdb->db));
		rc = -1;
	}
	/*
	 * With no statement left, closing cannot fail; it rolls back what a
	 * failed commit left open.
	 */
	sqlite3_close(rdb->db);
	free(rdb->path);
	free(rdb);
	return (rc);
}
