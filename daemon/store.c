/*
 * store.c: everything syncorrd must not lose, in one SQLite database in
 * the state directory: how far each input file was read (and how to know
 * it again), the correlator's state, each output's queue of messages and
 * the counters `syncorr status` shows.  The database is in WAL mode with
 * full synchronous commits; the daemon wraps each input increment, the
 * state and transitions it produced and the new offset in one
 * transaction, so a kill at any moment leaves either all of it or none.
 *
 * Schema (version 1):
 *   files(path PRIMARY KEY, dev, ino, head, offset, tail, size, done,
 *       format, updated): an input file; head is a digest of its first
 *       bytes and tail of the bytes just before offset, which tell a
 *       rotated, truncated or reused file from the one that was read.
 *   state(kind, key, doc): the correlator's documents (state.c).
 *   outbox(output, seq, time, msg): messages to send, in seq order.
 *   counters(name PRIMARY KEY, value).
 *   meta(key PRIMARY KEY, value): schema_version.
 */

#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "daemon.h"
#include "xmalloc.h"

#define STORE_FILE	"syncorr.db"
#define STORE_VERSION	"1"

enum store_stmt {
	ST_BEGIN,
	ST_COMMIT,
	ST_FILE_GET,
	ST_FILE_PUT,
	ST_FILE_DEL,
	ST_FILE_BYINO,
	ST_STATE_PUT,
	ST_STATE_DEL,
	ST_STATE_ALL,
	ST_OUT_ADD,
	ST_OUT_NEXT,
	ST_OUT_ACK,
	ST_OUT_DEPTH,
	ST_OUT_LAST,
	ST_OUT_DROP,
	ST_COUNTER_PUT,
	ST_COUNTER_GET,
	ST_COUNTER_ALL,
	ST_MAX
};

static const char *const store_sql[ST_MAX] = {
	[ST_BEGIN] = "BEGIN IMMEDIATE",
	[ST_COMMIT] = "COMMIT",
	[ST_FILE_GET] = "SELECT dev, ino, head, offset, tail, size, done, "
	    "format FROM files WHERE path = ?1",
	[ST_FILE_PUT] = "INSERT INTO files (path, dev, ino, head, offset, "
	    "tail, size, done, format, updated) VALUES (?1, ?2, ?3, ?4, ?5, "
	    "?6, ?7, ?8, ?9, ?10) ON CONFLICT(path) DO UPDATE SET dev = ?2, "
	    "ino = ?3, head = ?4, offset = ?5, tail = ?6, size = ?7, "
	    "done = ?8, format = ?9, updated = ?10",
	[ST_FILE_DEL] = "DELETE FROM files WHERE path = ?1",
	[ST_FILE_BYINO] = "SELECT path FROM files WHERE dev = ?1 AND "
	    "ino = ?2 AND path <> ?3",
	[ST_STATE_PUT] = "INSERT INTO state (kind, key, doc) VALUES (?1, ?2, "
	    "?3) ON CONFLICT(kind, key) DO UPDATE SET doc = ?3",
	[ST_STATE_DEL] = "DELETE FROM state WHERE kind = ?1 AND key = ?2",
	[ST_STATE_ALL] = "SELECT doc FROM state WHERE kind = ?1 ORDER BY key",
	[ST_OUT_ADD] = "INSERT INTO outbox (output, seq, time, msg) VALUES "
	    "(?1, ?2, ?3, ?4)",
	[ST_OUT_NEXT] = "SELECT seq, msg FROM outbox WHERE output = ?1 AND "
	    "seq > ?2 ORDER BY seq LIMIT ?3",
	[ST_OUT_ACK] = "DELETE FROM outbox WHERE output = ?1 AND seq <= ?2",
	[ST_OUT_DEPTH] = "SELECT count(*) FROM outbox WHERE output = ?1",
	[ST_OUT_LAST] = "SELECT max(seq) FROM outbox WHERE output = ?1",
	[ST_OUT_DROP] = "DELETE FROM outbox WHERE output = ?1 AND seq IN "
	    "(SELECT seq FROM outbox WHERE output = ?1 ORDER BY seq LIMIT ?2)",
	[ST_COUNTER_PUT] = "INSERT INTO counters (name, value) VALUES (?1, "
	    "?2) ON CONFLICT(name) DO UPDATE SET value = ?2",
	[ST_COUNTER_GET] = "SELECT value FROM counters WHERE name = ?1",
	[ST_COUNTER_ALL] = "SELECT name, value FROM counters ORDER BY name",
};

static const char store_schema[] =
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);"
    "CREATE TABLE IF NOT EXISTS files (path TEXT PRIMARY KEY, dev INTEGER,"
    " ino INTEGER, head TEXT, offset INTEGER, tail TEXT, size INTEGER,"
    " done INTEGER, format TEXT, updated INTEGER);"
    "CREATE INDEX IF NOT EXISTS files_ino ON files (dev, ino);"
    "CREATE TABLE IF NOT EXISTS state (kind INTEGER, key TEXT, doc TEXT,"
    " PRIMARY KEY (kind, key)) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS outbox (output TEXT, seq INTEGER,"
    " time INTEGER, msg BLOB, PRIMARY KEY (output, seq)) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY,"
    " value INTEGER);"
    "INSERT OR IGNORE INTO meta VALUES ('schema_version', '"
    STORE_VERSION "');";

struct store {
	sqlite3		*db;
	sqlite3_stmt	*st[ST_MAX];
	char		*path;
	char		 err[256];
};

static int
store_fail(struct store *s, const char *what)
{
	snprintf(s->err, sizeof(s->err), "%s: %s: %s", s->path, what,
	    sqlite3_errmsg(s->db));
	return (-1);
}

/* Why the last call failed. */
const char *
store_error(const struct store *s)
{
	return (s->err);
}

/* Opens (creating) the database in dir; NULL with a reason in err. */
struct store *
store_open(const char *dir, char *err, size_t errsz)
{
	struct store	*s;
	char		*msg = NULL;
	int		 i;

	s = xcalloc(1, sizeof(*s));
	xasprintf(&s->path, "%s/%s", dir, STORE_FILE);
	if (sqlite3_open_v2(s->path, &s->db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		snprintf(err, errsz, "%s: %s", s->path, s->db != NULL ?
		    sqlite3_errmsg(s->db) : "out of memory");
		store_close(s);
		return (NULL);
	}
	sqlite3_busy_timeout(s->db, 5000);
	if (sqlite3_exec(s->db, "PRAGMA journal_mode=WAL;"
	    "PRAGMA synchronous=FULL;", NULL, NULL, &msg) != SQLITE_OK ||
	    sqlite3_exec(s->db, store_schema, NULL, NULL, &msg) !=
	    SQLITE_OK) {
		snprintf(err, errsz, "%s: %s", s->path, msg != NULL ? msg :
		    sqlite3_errmsg(s->db));
		sqlite3_free(msg);
		store_close(s);
		return (NULL);
	}
	for (i = 0; i < ST_MAX; i++) {
		if (sqlite3_prepare_v3(s->db, store_sql[i], -1,
		    SQLITE_PREPARE_PERSISTENT, &s->st[i], NULL) != SQLITE_OK) {
			snprintf(err, errsz, "%s: %s", s->path,
			    sqlite3_errmsg(s->db));
			store_close(s);
			return (NULL);
		}
	}
	return (s);
}

void
store_close(struct store *s)
{
	int	i;

	if (s == NULL)
		return;
	for (i = 0; i < ST_MAX; i++)
		sqlite3_finalize(s->st[i]);
	sqlite3_close(s->db);
	free(s->path);
	free(s);
}

/* Runs a statement that returns no row; 0 or -1. */
static int
store_run(struct store *s, enum store_stmt n)
{
	sqlite3_stmt	*st = s->st[n];
	int		 rc;

	rc = sqlite3_step(st);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc != SQLITE_DONE)
		return (store_fail(s, store_sql[n]));
	return (0);
}

int
store_begin(struct store *s)
{
	return (store_run(s, ST_BEGIN));
}

int
store_commit(struct store *s)
{
	return (store_run(s, ST_COMMIT));
}

static void
store_text(sqlite3_stmt *st, int i, const char *v)
{
	if (v == NULL)
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
}

static char *
store_column(sqlite3_stmt *st, int i)
{
	const unsigned char	*v = sqlite3_column_text(st, i);

	return (v != NULL ? xstrdup((const char *)v) : NULL);
}

/* The one number statement n gives for arg, 0 when it gives none. */
static uint64_t
store_scalar(struct store *s, enum store_stmt n, const char *arg)
{
	sqlite3_stmt	*st = s->st[n];
	uint64_t	 v = 0;

	store_text(st, 1, arg);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = (uint64_t)sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return (v);
}

/* What is known of path into f; 1 found, 0 not, -1 error. */
int
store_file_get(struct store *s, const char *path, struct store_file *f)
{
	sqlite3_stmt	*st = s->st[ST_FILE_GET];
	int		 rc;

	memset(f, 0, sizeof(*f));
	store_text(st, 1, path);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		f->dev = (uint64_t)sqlite3_column_int64(st, 0);
		f->ino = (uint64_t)sqlite3_column_int64(st, 1);
		f->head = store_column(st, 2);
		f->offset = (uint64_t)sqlite3_column_int64(st, 3);
		f->tail = store_column(st, 4);
		f->size = (uint64_t)sqlite3_column_int64(st, 5);
		f->done = sqlite3_column_int(st, 6);
		f->format = store_column(st, 7);
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc == SQLITE_ROW)
		return (1);
	if (rc == SQLITE_DONE)
		return (0);
	return (store_fail(s, "files"));
}

void
store_file_free(struct store_file *f)
{
	free(f->head);
	free(f->tail);
	free(f->format);
	memset(f, 0, sizeof(*f));
}

/* Records what is known of path, at time now (ms). */
int
store_file_put(struct store *s, const char *path, const struct store_file *f,
    int64_t now)
{
	sqlite3_stmt	*st = s->st[ST_FILE_PUT];

	store_text(st, 1, path);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)f->dev);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)f->ino);
	store_text(st, 4, f->head);
	sqlite3_bind_int64(st, 5, (sqlite3_int64)f->offset);
	store_text(st, 6, f->tail);
	sqlite3_bind_int64(st, 7, (sqlite3_int64)f->size);
	sqlite3_bind_int(st, 8, f->done);
	store_text(st, 9, f->format);
	sqlite3_bind_int64(st, 10, now);
	return (store_run(s, ST_FILE_PUT));
}

int
store_file_del(struct store *s, const char *path)
{
	store_text(s->st[ST_FILE_DEL], 1, path);
	return (store_run(s, ST_FILE_DEL));
}

/*
 * The path another record of (dev, ino) was read under (a file renamed
 * while it was read), into *other (xmalloc'd); 1, 0 none, -1 error.
 */
int
store_file_byino(struct store *s, uint64_t dev, uint64_t ino,
    const char *path, char **other)
{
	sqlite3_stmt	*st = s->st[ST_FILE_BYINO];
	int		 rc;

	*other = NULL;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)dev);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)ino);
	store_text(st, 3, path);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		*other = store_column(st, 0);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc == SQLITE_ROW)
		return (1);
	return (rc == SQLITE_DONE ? 0 : store_fail(s, "files"));
}

/* Keeps one correlator document (state_save_cb); a NULL doc deletes. */
int
store_state_put(struct store *s, int kind, const char *key, const char *doc)
{
	enum store_stmt	n = doc != NULL ? ST_STATE_PUT : ST_STATE_DEL;
	sqlite3_stmt	*st = s->st[n];

	sqlite3_bind_int(st, 1, kind);
	store_text(st, 2, key);
	if (doc != NULL)
		store_text(st, 3, doc);
	return (store_run(s, n));
}

/* Calls cb for every document of kind, in key order; 0 or -1. */
int
store_state_each(struct store *s, int kind,
    int (*cb)(const char *doc, void *), void *arg)
{
	sqlite3_stmt	*st = s->st[ST_STATE_ALL];
	int		 rc, bad = 0;

	sqlite3_bind_int(st, 1, kind);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (cb((const char *)sqlite3_column_text(st, 0), arg) != 0)
			bad++;
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc != SQLITE_DONE)
		return (store_fail(s, "state"));
	return (bad);
}

/* The last seq queued for output, 0 when its queue is empty. */
uint64_t
store_outbox_last(struct store *s, const char *output)
{
	return (store_scalar(s, ST_OUT_LAST, output));
}

/* Queues msg for output as seq, at time now. */
int
store_outbox_add(struct store *s, const char *output, uint64_t seq,
    int64_t now, const char *msg, size_t len)
{
	sqlite3_stmt	*st = s->st[ST_OUT_ADD];

	store_text(st, 1, output);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)seq);
	sqlite3_bind_int64(st, 3, now);
	sqlite3_bind_blob(st, 4, msg, (int)len, SQLITE_STATIC);
	return (store_run(s, ST_OUT_ADD));
}

/*
 * Up to max queued messages of output after seq, in order, each to cb;
 * returns how many, or -1.
 */
int
store_outbox_next(struct store *s, const char *output, uint64_t after,
    int max, void (*cb)(uint64_t seq, const char *msg, size_t len, void *),
    void *arg)
{
	sqlite3_stmt	*st = s->st[ST_OUT_NEXT];
	int		 rc, n = 0;

	store_text(st, 1, output);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)after);
	sqlite3_bind_int(st, 3, max);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		cb((uint64_t)sqlite3_column_int64(st, 0),
		    sqlite3_column_blob(st, 1),
		    (size_t)sqlite3_column_bytes(st, 1), arg);
		n++;
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc != SQLITE_DONE)
		return (store_fail(s, "outbox"));
	return (n);
}

/* Forgets the messages of output up to seq: delivered. */
int
store_outbox_ack(struct store *s, const char *output, uint64_t seq)
{
	sqlite3_stmt	*st = s->st[ST_OUT_ACK];

	store_text(st, 1, output);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)seq);
	return (store_run(s, ST_OUT_ACK));
}

/* How many messages wait for output. */
uint64_t
store_outbox_depth(struct store *s, const char *output)
{
	return (store_scalar(s, ST_OUT_DEPTH, output));
}

/* Drops the n oldest messages of output (its queue is full). */
int
store_outbox_drop(struct store *s, const char *output, uint64_t n)
{
	sqlite3_stmt	*st = s->st[ST_OUT_DROP];

	store_text(st, 1, output);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)n);
	return (store_run(s, ST_OUT_DROP));
}

/* Keeps counter name at value. */
int
store_counter_put(struct store *s, const char *name, uint64_t value)
{
	sqlite3_stmt	*st = s->st[ST_COUNTER_PUT];

	store_text(st, 1, name);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)value);
	return (store_run(s, ST_COUNTER_PUT));
}

/* The value of counter name, 0 when there is none. */
uint64_t
store_counter_get(struct store *s, const char *name)
{
	return (store_scalar(s, ST_COUNTER_GET, name));
}

/* Calls cb for every counter, by name; 0 or -1. */
int
store_counter_each(struct store *s,
    void (*cb)(const char *name, uint64_t value, void *), void *arg)
{
	sqlite3_stmt	*st = s->st[ST_COUNTER_ALL];
	int		 rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		cb((const char *)sqlite3_column_text(st, 0),
		    (uint64_t)sqlite3_column_int64(st, 1), arg);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return (store_fail(s, "counters"));
	return (0);
}
