/*
 * daemon.h: the drivers around the libraries: logging, loading the
 * configuration from disk, reading input files (gzip included) into the
 * parsers, walking spool trees, and the replay and daemon front ends.
 * Everything that touches the world lives behind these prototypes.
 */

#ifndef DAEMON_H
#define DAEMON_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "conf.h"
#include "correlate.h"
#include "parsers.h"

/* log.c */
/* Logs to stderr when foreground, else to syslog with facility. */
void		 log_init(int foreground, int facility);
void		 log_setverbose(int);
void		 log_warn(const char *, ...)
		    __attribute__((__format__(__printf__, 1, 2)));
void		 log_warnx(const char *, ...)
		    __attribute__((__format__(__printf__, 1, 2)));
void		 log_info(const char *, ...)
		    __attribute__((__format__(__printf__, 1, 2)));
void		 log_debug(const char *, ...)
		    __attribute__((__format__(__printf__, 1, 2)));
_Noreturn void	 fatal(const char *, ...)
		    __attribute__((__format__(__printf__, 1, 2)));
_Noreturn void	 fatalx(const char *, ...)
		    __attribute__((__format__(__printf__, 1, 2)));
/* s with control and non-ASCII bytes escaped, into buf; returns buf. */
char		*log_escape(const char *s, char *buf, size_t bufsz);

/* config.c */
/*
 * Reads and parses path (includes resolved from disk); prints every
 * error as "FILE:LINE: message" and returns their number.  *confp is set
 * when there were none.
 */
int		 config_load(const char *path, struct conf **confp);

/* explain.c */
/* syncorr explain FILE…: the records each file yields; the exit status. */
int		 explain_main(int argc, char **argv);

/* input.c */
#define INPUT_CHUNK		(64 * 1024)	/* read(2) size: stays in L2 */
#define INPUT_GZIP_RATIO	250	/* inflated : compressed, at most */
#define INPUT_GZIP_FLOOR	(64ULL << 20) /* bytes always allowed */

enum input_status {
	INPUT_OK = 0,
	INPUT_UNKNOWN,		/* not a format syncorr reads: skipped */
	INPUT_REJECTED		/* unreadable or malformed */
};

struct input_result {
	enum input_status	 status;
	enum parser_format	 fmt;
	struct parser_stats	 stats;
	uint64_t		 offset;	/* where a rejection happened */
	int			 gzip;
	char			 reason[256];
};

/*
 * Reads path (gzip undone), tells its format, and pushes it through that
 * format's parser; records go to cb, items the parser rejects on its way
 * to ecb (may be NULL).  Returns the status also in res.
 */
enum input_status input_file(const char *path, rec_cb cb, rec_err_cb ecb,
		     void *arg, struct input_result *res);

/*
 * What the command-line tools say of a file on stderr: each item a
 * parser rejected (the first INPUT_SAY_MAX, then only a count), and the
 * file's fate: "FILE: unknown: skipped: why" or "FILE: FORMAT[ (gzip)]
 * at offset N: why".
 */
#define INPUT_SAY_MAX	20
struct input_say {
	const char	*path;
	uint64_t	 items;		/* rejected items of the file */
};
void		 input_say_item(struct input_say *, uint64_t offset,
		     const char *reason);
void		 input_say_result(const struct input_say *,
		     const struct input_result *);

/* walk.c */
struct walk_file {
	char		*path;
	char		*host;		/* NULL: not known from the layout */
	int		 explicit;	/* named on the command line */
};

struct walk {
	struct walk_file	*files;
	size_t			 nfiles;
	size_t			 cap;
	int			 errors;	/* unreadable paths */
};

/*
 * Adds path to w: a file as itself (its host is its directory's name), a
 * directory as a spool root whose children are hosts.  Returns 0 or -1
 * (reported) when path cannot be read.
 */
int		 walk_add(struct walk *, const char *path);
/* Sorts the files by path, so that work is done in a stable order. */
void		 walk_sort(struct walk *);
void		 walk_free(struct walk *);

/* replay_db.c */
/*
 * syncorr replay --db FILE: the incidents and their transitions in an
 * SQLite file; the schema is in replay_db.c.
 */
struct replay_db;
/*
 * Opens (creates) path for writing; NULL with a one-line reason in err.
 * An existing file at path, its journal too, is replaced (the replay's
 * result stands alone); a path that is not a regular file is refused.
 */
struct replay_db *replay_db_open(const char *path, char *err, size_t errsz);
/* Records one transition at time now (ms). 0 or -1 (replay_db_error). */
int		 replay_db_put(struct replay_db *, const struct incident *,
		     enum incident_transition, int64_t now);
/* Why the last put failed (owned by the replay_db). */
const char	*replay_db_error(const struct replay_db *);
/* Commits and closes; 0 or -1 (reason in err).  NULL is a no-op. */
int		 replay_db_close(struct replay_db *, char *err,
		     size_t errsz);

/* replay.c */
/* syncorr replay [options] PATH…: the exit status. */
int		 replay_main(int argc, char **argv);

#endif /* DAEMON_H */
