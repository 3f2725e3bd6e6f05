/*
 * test_replay_db.c: incident transitions into the replay database and
 * back out through SQLite: the rows and their counts, the state and time
 * columns, that an incident keeps its opening time through updates, that
 * opening an existing file replaces it (stale journal files too), and
 * that paths it cannot or must not write are refused with a reason.
 */

#include <sys/stat.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <sqlite3.h>

#include "correlate.h"
#include "daemon.h"
#include "test_util.h"

#define HOUR	(3600LL * 1000)
#define T0	1775120400000LL		/* 2026-04-02T09:00:00Z */

static struct incident *
new_incident(enum incident_class cls, const char *connector,
    const char *scope)
{
	struct incident	*inc;

	inc = incident_new(cls, "HQ-SYNC01", connector, REC_CONN_AD, scope);
	assert_non_null(inc);
	return (inc);
}

/* Adds the object dn to inc, as evidence would. */
static void
add(struct incident *inc, const char *dn)
{
	uint64_t	dropped = 0;

	assert_non_null(incident_add_object(inc, dn, NULL, NULL, 1, T0, T0,
	    T0, &dropped));
}

static void
put(struct replay_db *rdb, const struct incident *inc,
    enum incident_transition tr, int64_t now)
{
	if (replay_db_put(rdb, inc, tr, now) != 0)
		fail_msg("put: %s", replay_db_error(rdb));
}

static void
close_db(struct replay_db *rdb)
{
	char	err[256];

	if (replay_db_close(rdb, err, sizeof(err)) != 0)
		fail_msg("close: %s", err);
}

static sqlite3 *
open_read(const char *name)
{
	sqlite3	*db;

	assert_int_equal(sqlite3_open_v2(test_tmp_path(name), &db,
	    SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	return (db);
}

/* The one value sql yields, as text into buf; "NULL" for NULL. */
static const char *
query(sqlite3 *db, const char *sql, char *buf, size_t bufsz)
{
	sqlite3_stmt		*st;
	const unsigned char	*v;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	v = sqlite3_column_text(st, 0);
	snprintf(buf, bufsz, "%s", v != NULL ? (const char *)v : "NULL");
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
	return (buf);
}

static void
expect(sqlite3 *db, const char *sql, const char *want)
{
	char	buf[4096];

	assert_string_equal(query(db, sql, buf, sizeof(buf)), want);
}

/* Two incidents, one through open, update and resolve. */
static void
test_lifecycle(void **state)
{
	struct replay_db	*rdb;
	struct incident		*a, *b;
	sqlite3			*db;
	char			 err[256], sql[256], *json;

	(void)state;
	a = new_incident(INC_ADMINSDHOLDER, "lawfirm.example",
	    "msDS-KeyCredentialLink");
	b = new_incident(INC_AD_EXPORT_ERROR, NULL, "CN=x,DC=lawfirm");
	assert_non_null(rdb = replay_db_open(test_tmp_path("a.db"), err,
	    sizeof(err)));
	assert_string_equal(replay_db_error(rdb), "");

	a->first_seen = T0 - 24 * HOUR;
	a->last_seen = T0;
	add(a, "CN=One,OU=Admins,DC=lawfirm,DC=example");
	put(rdb, a, INC_OPEN, T0);
	put(rdb, b, INC_OPEN, T0 + HOUR / 2);
	a->last_seen = T0 + HOUR + 999;	/* milliseconds are cut off */
	add(a, "CN=Two,OU=Admins,DC=lawfirm,DC=example");
	add(a, "CN=Three,OU=Admins,DC=lawfirm,DC=example");
	put(rdb, a, INC_UPDATE, T0 + HOUR);
	put(rdb, a, INC_RESOLVE, T0 + 2 * HOUR);
	close_db(rdb);

	db = open_read("a.db");
	expect(db, "SELECT value FROM meta WHERE key = 'schema_version'", "1");
	expect(db, "SELECT count(*) FROM incidents", "2");
	expect(db, "SELECT count(*) FROM transitions", "4");
	expect(db, "SELECT group_concat(transition, ',') FROM"
	    " (SELECT transition FROM transitions ORDER BY seq)",
	    "open,open,update,resolve");

	snprintf(sql, sizeof(sql), "SELECT class || ' ' || host || ' ' ||"
	    " connector || ' ' || state || ' ' || first_seen || ' ' ||"
	    " last_seen || ' ' || object_count || ' ' || opened || ' ' ||"
	    " updated || ' ' || transitions FROM incidents WHERE id = '%s'",
	    a->id);
	expect(db, sql, "adminsdholder-writeback-denied HQ-SYNC01"
	    " lawfirm.example resolve 2026-04-01T09:00:00Z"
	    " 2026-04-02T10:00:00Z 3 2026-04-02T09:00:00Z"
	    " 2026-04-02T11:00:00Z 3");
	snprintf(sql, sizeof(sql), "SELECT group_concat(time, ',') FROM"
	    " (SELECT time FROM transitions WHERE id = '%s' ORDER BY seq)",
	    a->id);
	expect(db, sql, "2026-04-02T09:00:00Z,2026-04-02T10:00:00Z,"
	    "2026-04-02T11:00:00Z");

	/* The latest JSON, the one of the resolve. */
	snprintf(sql, sizeof(sql), "SELECT json FROM incidents WHERE id = '%s'",
	    a->id);
	json = incident_json(a, INC_RESOLVE);
	expect(db, sql, json);
	free(json);

	/* Unknown times and no connector are NULL, not "unknown". */
	snprintf(sql, sizeof(sql), "SELECT coalesce(connector, 'NULL') ||"
	    " ' ' || coalesce(first_seen, 'NULL') || ' ' ||"
	    " coalesce(last_seen, 'NULL') || ' ' || state || ' ' || opened"
	    " FROM incidents WHERE id = '%s'", b->id);
	expect(db, sql, "NULL NULL NULL open 2026-04-02T09:30:00Z");
	expect(db, "SELECT id FROM incidents WHERE class = 'ad-export-error'",
	    b->id);

	sqlite3_close(db);
	incident_free(a);
	incident_free(b);
}

/* An incident first seen as an update has no opening time until it opens. */
static void
test_opened(void **state)
{
	struct replay_db	*rdb;
	struct incident		*a;
	sqlite3			*db;
	char			 err[256];

	(void)state;
	a = new_incident(INC_ADMINSDHOLDER, "lawfirm.example", "scope");
	assert_non_null(rdb = replay_db_open(test_tmp_path("o.db"), err,
	    sizeof(err)));
	put(rdb, a, INC_UPDATE, T0);
	put(rdb, a, INC_RESOLVE, T0 + HOUR);
	put(rdb, a, INC_OPEN, T0 + 2 * HOUR);
	put(rdb, a, INC_UPDATE, T0 + 3 * HOUR);
	close_db(rdb);

	db = open_read("o.db");
	expect(db, "SELECT opened || ' ' || updated || ' ' || state || ' ' ||"
	    " transitions FROM incidents", "2026-04-02T11:00:00Z"
	    " 2026-04-02T12:00:00Z update 4");
	sqlite3_close(db);
	incident_free(a);
}

/* Opening again replaces the file and what SQLite left beside it. */
static void
test_replace(void **state)
{
	static const char *const	 stale[] = { "r.db-wal", "r.db-shm" };
	struct replay_db		*rdb;
	struct incident			*a, *b;
	sqlite3				*db;
	FILE				*f;
	char				 err[256], sql[256];
	size_t				 i;

	(void)state;
	a = new_incident(INC_ADMINSDHOLDER, "lawfirm.example", "one");
	b = new_incident(INC_ADMINSDHOLDER, "lawfirm.example", "two");
	assert_non_null(rdb = replay_db_open(test_tmp_path("r.db"), err,
	    sizeof(err)));
	put(rdb, a, INC_OPEN, T0);
	put(rdb, a, INC_UPDATE, T0 + HOUR);
	close_db(rdb);

	for (i = 0; i < sizeof(stale) / sizeof(stale[0]); i++) {
		assert_non_null(f = fopen(test_tmp_path(stale[i]), "w"));
		fputs("stale", f);
		fclose(f);
	}
	assert_non_null(rdb = replay_db_open(test_tmp_path("r.db"), err,
	    sizeof(err)));
	put(rdb, b, INC_OPEN, T0);
	close_db(rdb);
	for (i = 0; i < sizeof(stale) / sizeof(stale[0]); i++)
		assert_int_equal(access(test_tmp_path(stale[i]), F_OK), -1);

	db = open_read("r.db");
	expect(db, "SELECT count(*) FROM incidents", "1");
	expect(db, "SELECT count(*) FROM transitions", "1");
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM transitions"
	    " WHERE id = '%s'", b->id);
	expect(db, sql, "1");
	sqlite3_close(db);

	/* Leftovers beside a path that does not exist go too. */
	assert_int_equal(unlink(test_tmp_path("r.db")), 0);
	for (i = 0; i < sizeof(stale) / sizeof(stale[0]); i++) {
		assert_non_null(f = fopen(test_tmp_path(stale[i]), "w"));
		fclose(f);
	}
	assert_non_null(rdb = replay_db_open(test_tmp_path("r.db"), err,
	    sizeof(err)));
	close_db(rdb);
	for (i = 0; i < sizeof(stale) / sizeof(stale[0]); i++)
		assert_int_equal(access(test_tmp_path(stale[i]), F_OK), -1);

	/* Any regular file is replaced, even one that is not a database. */
	assert_non_null(f = fopen(test_tmp_path("r.db"), "w"));
	fputs("not a database\n", f);
	fclose(f);
	assert_non_null(rdb = replay_db_open(test_tmp_path("r.db"), err,
	    sizeof(err)));
	close_db(rdb);
	db = open_read("r.db");
	expect(db, "SELECT count(*) FROM incidents", "0");
	sqlite3_close(db);

	incident_free(a);
	incident_free(b);
}

/* What cannot or must not be written: NULL and a reason naming it. */
static void
test_refused(void **state)
{
	static const char *const	 bad[] = {
		"dir", "link", "missing/x.db"
	};
	struct replay_db		*rdb;
	struct stat			 st;
	char				 err[256];
	size_t				 i;

	(void)state;
	assert_int_equal(mkdir(test_tmp_path("dir"), 0700), 0);
	assert_int_equal(symlink("x.db", test_tmp_path("link")), 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		rdb = replay_db_open(test_tmp_path(bad[i]), err, sizeof(err));
		assert_null(rdb);
		assert_non_null(strstr(err, test_tmp_path(bad[i])));
		assert_null(strchr(err, '\n'));
		assert_true(strlen(err) > strlen(test_tmp_path(bad[i])) + 2);
	}
	/* Refused means untouched. */
	assert_int_equal(stat(test_tmp_path("dir"), &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_int_equal(lstat(test_tmp_path("link"), &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	assert_int_equal(replay_db_close(NULL, err, sizeof(err)), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lifecycle),
		cmocka_unit_test(test_opened),
		cmocka_unit_test(test_replace),
		cmocka_unit_test(test_refused),
	};

	return (cmocka_run_group_tests(tests, test_tmp_setup,
	    test_tmp_teardown));
}
