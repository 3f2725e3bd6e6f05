/*
 * status.c: syncorr status, what the daemon has done and holds, read
 * from its state database (read-only, beside the running daemon): the
 * counters as of its last step (counting on across restarts), the
 * messages each configured output has queued now, and the incidents
 * open now.
 */

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "daemon.h"
#include "xmalloc.h"

#define STATUS_CONF	"/etc/syncorr/syncorr.conf"

static _Noreturn void
status_usage(void)
{
	fprintf(stderr, "usage: syncorr status [-f config]\n");
	exit(1);
}

/* Prints the rows of one query, name and value a line; 0 or -1. */
static int
status_query(sqlite3 *db, const char *sql)
{
	sqlite3_stmt	*st;
	int		 rc;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return (-1);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		printf("%-40s %lld\n", sqlite3_column_text(st, 0),
		    (long long)sqlite3_column_int64(st, 1));
	sqlite3_finalize(st);
	return (rc == SQLITE_DONE ? 0 : -1);
}

/* How many messages each configured output has queued now. */
static int
status_outputs(sqlite3 *db, const struct conf *conf)
{
	const struct conf_output	*o;
	sqlite3_stmt			*st;
	char				 name[256];
	int				 rc = 0;

	if (sqlite3_prepare_v2(db, "SELECT count(*) FROM outbox WHERE "
	    "output = ?1", -1, &st, NULL) != SQLITE_OK)
		return (-1);
	TAILQ_FOREACH(o, &conf->outputs, entry) {
		sqlite3_bind_text(st, 1, o->name, -1, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_ROW) {
			rc = -1;
			break;
		}
		snprintf(name, sizeof(name), "output.%s.queued", o->name);
		printf("%-40s %lld\n", name,
		    (long long)sqlite3_column_int64(st, 0));
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	return (rc);
}

/* syncorr status [-f config]: the exit status. */
int
status_main(int argc, char **argv)
{
	struct conf	*conf;
	sqlite3		*db = NULL;
	const char	*file = STATUS_CONF;
	char		*path;
	int		 ch, rc = 0;

	optind = 1;
	while ((ch = getopt(argc, argv, "f:")) != -1) {
		switch (ch) {
		case 'f':
			file = optarg;
			break;
		default:
			status_usage();
		}
	}
	if (optind != argc)
		status_usage();
	if (config_load(file, &conf) != 0)
		return (1);
	xasprintf(&path, "%s/syncorr.db", conf->state_dir);
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) !=
	    SQLITE_OK) {
		fprintf(stderr, "syncorr status: %s: %s\n", path,
		    db != NULL ? sqlite3_errmsg(db) : "cannot open");
		rc = 1;
		goto done;
	}
	sqlite3_busy_timeout(db, 5000);
	if (status_query(db, "SELECT name, value FROM counters "
	    "ORDER BY name") == -1 ||
	    status_outputs(db, conf) == -1 ||
	    status_query(db, "SELECT 'incidents.open_now', count(*) FROM "
	    "state WHERE kind = 1 AND json_extract(doc, '$.open') = 1") ==
	    -1) {
		fprintf(stderr, "syncorr status: %s: %s\n", path,
		    sqlite3_errmsg(db));
		rc = 1;
	}
done:
	sqlite3_close(db);
	free(path);
	conf_free(conf);
	return (rc);
}
