/*
 * replay.c: syncorr replay, the investigation front end.  It reads every
 * file named (directories as spool roots) and feeds the correlator their
 * records in event-time order (replay_merge.c), with the event time as
 * the clock.  That order does not depend on the order files were named
 * or found in: the same input gives the same bytes out.  Output is held
 * in a temporary file until the replay is done, as a pass that finds a
 * file out of order is replayed from the start.  Bad files are reported
 * on stderr and skipped; what they yielded before the fault is kept.
 */

#include <sys/sendfile.h>

#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "correlate.h"
#include "daemon.h"
#include "xmalloc.h"

#define REPLAY_HOLDBUF	(1 << 20)	/* stdio buffer of the held output */

enum replay_format {
	REPLAY_JSON = 0,
	REPLAY_TEXT,
	REPLAY_RFC5424
};

/* --format text: one incident's timeline, printed once replay is done. */
struct replay_story {
	char			 id[INCIDENT_IDLEN + 1];
	char			*last;		/* the latest transition's text */
	char			**lines;	/* the timeline */
	size_t			 nlines;
};

struct replay {
	struct correlate	 *c;
	enum replay_format	  format;
	struct syslog_opts	  syslog;
	const char		 *only;		/* --host: its incidents only */
	int64_t			  since;	/* --since, --until */
	int64_t			  until;
	struct replay_db	 *db;
	int			  dbfailed;
	struct table		 *storyidx;	/* by id */
	struct replay_story	**stories;	/* in order of first word */
	size_t			  nstories;
	FILE			 *out;		/* stdout, or held here first */
};

static _Noreturn void
replay_usage(void)
{
	fprintf(stderr, "usage: syncorr replay [-f config] [--since time] "
	    "[--until time] [--host host]\n"
	    "\t[--format json|text|rfc5424] [--db file] path ...\n");
	exit(1);
}

static void
replay_feed_cb(const struct record *r, void *arg)
{
	struct replay	*rp = arg;

	correlate_feed(rp->c, r, r->time);
}

/* Whether host names the host --host asked for (FQDN ↔ short name). */
static int
replay_host_match(const char *want, const char *host)
{
	size_t	wl, hl;

	if (want == NULL)
		return (1);
	wl = strcspn(want, ".");
	hl = strcspn(host, ".");
	if (strcasecmp(want, host) == 0)
		return (1);
	/* A short name matches either spelling of its server. */
	return ((want[wl] == '\0' || host[hl] == '\0') && wl == hl &&
	    strncasecmp(want, host, wl) == 0);
}

/* Adds a transition to the timeline of its incident. */
static void
replay_story_add(struct replay *rp, const struct incident *inc,
    enum incident_transition tr, int64_t now)
{
	struct replay_story	*st;

	if ((st = table_get(rp->storyidx, inc->id)) == NULL) {
		st = xcalloc(1, sizeof(*st));
		memcpy(st->id, inc->id, sizeof(st->id));
		table_put(rp->storyidx, st->id, st);
		rp->stories = xreallocarray(rp->stories, rp->nstories + 1,
		    sizeof(*rp->stories));
		rp->stories[rp->nstories++] = st;
	}
	free(st->last);
	st->last = incident_text(inc, tr, now);
	st->lines = xreallocarray(st->lines, st->nlines + 1,
	    sizeof(*st->lines));
	st->lines[st->nlines++] = incident_text_change(inc, tr, now);
}

/* Forgets every timeline (a pass is replayed again). */
static void
replay_stories_clear(struct replay *rp)
{
	struct replay_story	*st;
	size_t			 i, j;

	for (i = 0; i < rp->nstories; i++) {
		st = rp->stories[i];
		for (j = 0; j < st->nlines; j++)
			free(st->lines[j]);
		table_del(rp->storyidx, st->id);
		free(st->lines);
		free(st->last);
		free(st);
	}
	free(rp->stories);
	rp->stories = NULL;
	rp->nstories = 0;
}

/*
 * --format text: each incident as it stands at the end of the replay,
 * then how it got there, one line a transition.
 */
static void
replay_stories(struct replay *rp)
{
	struct replay_story	*st;
	size_t			 i, j;

	for (i = 0; i < rp->nstories; i++) {
		st = rp->stories[i];
		fprintf(rp->out, "%s%s  timeline:\n", i > 0 ? "\n" : "",
		    st->last);
		for (j = 0; j < st->nlines; j++)
			fprintf(rp->out, "    %s\n", st->lines[j]);
	}
	replay_stories_clear(rp);
}

static void
replay_transition_cb(const struct incident *inc, enum incident_transition tr,
    int64_t now, void *arg)
{
	struct replay	*rp = arg;
	char		*s;

	if (!replay_host_match(rp->only, inc->host))
		return;
	if (rp->db != NULL && !rp->dbfailed &&
	    replay_db_put(rp->db, inc, tr, now) == -1) {
		log_warnx("database: %s", replay_db_error(rp->db));
		rp->dbfailed = 1;
	}
	switch (rp->format) {
	case REPLAY_TEXT:
		replay_story_add(rp, inc, tr, now);
		return;
	case REPLAY_RFC5424:
		s = incident_syslog(inc, tr, now, &rp->syslog);
		break;
	default:
		s = incident_json(inc, tr);
		break;
	}
	fprintf(rp->out, "%s\n", s);
	free(s);
}

/* A --since/--until time: RFC 3339, or a date (midnight UTC). */
static int64_t
replay_time(const char *opt, const char *s)
{
	char	buf[64];
	int64_t	t;

	if (strlen(s) == 10)
		snprintf(buf, sizeof(buf), "%sT00:00:00Z", s);
	else
		snprintf(buf, sizeof(buf), "%s", s);
	if ((t = ptime_parse(buf, strlen(buf))) == REC_TIME_NONE) {
		fprintf(stderr, "syncorr replay: %s: not a time: \"%s\" "
		    "(use 2026-04-02 or 2026-04-02T09:00:00Z)\n", opt, s);
		exit(1);
	}
	return (t);
}

/*
 * The correlator, told the hosts the config declares and then those the
 * spool names (in path order, so that the first spelling is stable).
 */
static struct correlate *
replay_correlator(struct replay *rp, const struct conf *conf,
    const struct walk *w)
{
	struct correlate_params	 params;
	struct correlate	*c;
	size_t			 i;

	config_correlate_params(conf, &params);
	c = correlate_new(&params, replay_transition_cb, rp);
	config_hosts(c, conf);
	for (i = 0; i < w->nfiles; i++)
		if (w->files[i].host != NULL && !w->files[i].explicit)
			correlate_host_add(c, w->files[i].host, NULL, 0, NULL,
			    0, NULL);
	return (c);
}

/*
 * Starts over: what a pass wrote is dropped, in the held output, the
 * timelines and the database alike.
 */
static void
replay_restart(struct replay *rp)
{
	if (fflush(rp->out) == EOF || ftruncate(fileno(rp->out), 0) == -1 ||
	    fseeko(rp->out, 0, SEEK_SET) == -1)
		fatal("replay output");
	if (rp->storyidx != NULL)
		replay_stories_clear(rp);
	if (rp->db != NULL && !rp->dbfailed && replay_db_clear(rp->db) == -1) {
		log_warnx("database: %s", replay_db_error(rp->db));
		rp->dbfailed = 1;
	}
}

/*
 * A file to hold the output in, unnamed, in TMPDIR else /tmp; NULL
 * (said) when there is none to be had.
 */
static FILE *
replay_hold(void)
{
	const char	*dir;
	char		*path;
	FILE		*f;
	int		 fd;

	if ((dir = getenv("TMPDIR")) == NULL || *dir == '\0')
		dir = "/tmp";
	if ((fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600)) == -1) {
		/* A file system without O_TMPFILE: named, then unlinked. */
		xasprintf(&path, "%s/syncorr-replay.XXXXXXXX", dir);
		if ((fd = mkostemp(path, O_CLOEXEC)) != -1)
			(void)unlink(path);
		free(path);
	}
	if (fd == -1 || (f = fdopen(fd, "w+")) == NULL) {
		log_warn("%s: cannot hold the output there, files read whole",
		    dir);
		if (fd != -1)
			close(fd);
		return (NULL);
	}
	/* Written once, in large pieces. */
	(void)setvbuf(f, NULL, _IOFBF, REPLAY_HOLDBUF);
	return (f);
}

/*
 * The held output to stdout: handed from file to file in the kernel where
 * it can be (sendfile), else read and written.
 */
static void
replay_unhold(FILE *held)
{
	char	buf[64 * 1024];
	off_t	off = 0, size;
	ssize_t	n;

	if (fflush(held) == EOF || fflush(stdout) == EOF ||
	    (size = lseek(fileno(held), 0, SEEK_END)) == -1)
		fatal("replay output");
	while (off < size && (n = sendfile(STDOUT_FILENO, fileno(held), &off,
	    (size_t)(size - off))) > 0)
		continue;
	if (off < size && lseek(fileno(held), off, SEEK_SET) == -1)
		fatal("replay output");
	while (off < size && (n = read(fileno(held), buf, sizeof(buf))) > 0) {
		if (fwrite(buf, 1, (size_t)n, stdout) != (size_t)n)
			fatal("stdout");
		off += n;
	}
	if (off < size)
		fatal("replay output");
	fclose(held);
}

/* Says what the correlator's bounds made it forget, if anything. */
static void
replay_caps(const struct correlate_stats *st)
{
	if (st->evicted_incidents > 0 || st->evicted_dns > 0 ||
	    st->evicted_alerts > 0 || st->objects_dropped > 0)
		log_warnx("state limits reached: %llu incidents, %llu DNs, "
		    "%llu alerts evicted, %llu objects not tracked",
		    (unsigned long long)st->evicted_incidents,
		    (unsigned long long)st->evicted_dns,
		    (unsigned long long)st->evicted_alerts,
		    (unsigned long long)st->objects_dropped);
}

/* syncorr replay [options] PATH…; returns the exit status. */
int
replay_main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'F' },
		{ "config", required_argument, NULL, 'f' },
		{ "since", required_argument, NULL, 'S' },
		{ "until", required_argument, NULL, 'U' },
		{ "host", required_argument, NULL, 'H' },
		{ "db", required_argument, NULL, 'D' },
		{ NULL, 0, NULL, 0 }
	};
	struct replay_merge	*m;
	struct conf		*conf = NULL;
	struct replay		 rp;
	struct walk		 w;
	const char		*cfile = NULL, *dbfile = NULL;
	char			 err[256];
	size_t			 i;
	int			 ch, n, rejected, whole;

	memset(&rp, 0, sizeof(rp));
	rp.since = rp.until = REC_TIME_NONE;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "f:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'F':
			if (strcmp(optarg, "json") == 0)
				rp.format = REPLAY_JSON;
			else if (strcmp(optarg, "text") == 0)
				rp.format = REPLAY_TEXT;
			else if (strcmp(optarg, "rfc5424") == 0)
				rp.format = REPLAY_RFC5424;
			else {
				fprintf(stderr, "syncorr replay: unknown "
				    "format \"%s\"\n", optarg);
				replay_usage();
			}
			break;
		case 'f':
			cfile = optarg;
			break;
		case 'S':
			rp.since = replay_time("--since", optarg);
			break;
		case 'U':
			rp.until = replay_time("--until", optarg);
			break;
		case 'H':
			rp.only = optarg;
			break;
		case 'D':
			dbfile = optarg;
			break;
		default:
			replay_usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0)
		replay_usage();
	if (rp.format == REPLAY_TEXT)
		rp.storyidx = table_new();
	if (cfile != NULL && config_load(cfile, &conf) != 0)
		return (1);
	rp.syslog.format = SYSLOG_RFC5424;
	rp.syslog.enterprise = conf != NULL ? conf->enterprise :
	    CONF_DEFAULT_ENTERPRISE;
	rp.syslog.facility = 16;
	if (dbfile != NULL &&
	    (rp.db = replay_db_open(dbfile, err, sizeof(err))) == NULL) {
		fprintf(stderr, "syncorr replay: %s: %s\n", dbfile, err);
		conf_free(conf);
		return (1);
	}

	memset(&w, 0, sizeof(w));
	for (i = 0; i < (size_t)argc; i++)
		walk_add(&w, argv[i]);
	walk_sort(&w);
	m = replay_merge_new(&w, rp.since, rp.until);
	/* Files in turns, held output; without a place to hold it, whole. */
	whole = (rp.out = replay_hold()) == NULL;
	if (whole)
		rp.out = stdout;
	rp.c = replay_correlator(&rp, conf, &w);
	if ((n = replay_merge_run(m, whole, replay_feed_cb, &rp)) == -1) {
		/* A file was out of order past what was fed: again, whole. */
		replay_restart(&rp);
		correlate_free(rp.c);
		rp.c = replay_correlator(&rp, conf, &w);
		n = replay_merge_run(m, 1, replay_feed_cb, &rp);
	}
	rejected = w.errors + n;
	replay_merge_free(m);
	walk_free(&w);
	correlate_finish(rp.c);
	replay_caps(correlate_stats(rp.c));
	if (rp.format == REPLAY_TEXT) {
		replay_stories(&rp);
		table_free(rp.storyidx);
	}
	if (rp.out != stdout)
		replay_unhold(rp.out);
	correlate_free(rp.c);
	conf_free(conf);
	if (rp.db != NULL && replay_db_close(rp.db, err, sizeof(err)) == -1) {
		fprintf(stderr, "syncorr replay: %s: %s\n", dbfile, err);
		rp.dbfailed = 1;
	}
	if (fflush(stdout) == EOF || ferror(stdout))
		fatal("stdout");
	if (rp.dbfailed)
		return (1);
	return (rejected > 0 ? 2 : 0);
}
