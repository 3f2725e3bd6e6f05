/*
 * replay.c: syncorr replay, the investigation front end.  It reads every
 * file named (directories as spool roots) in path order, keeps every
 * record, sorts them all by event time and only then feeds the
 * correlator, with the event time as the clock.  Sorting first is what
 * makes the output independent of the order files were named or found
 * in: the same input gives the same bytes out.  Bad files are reported on stderr and skipped; what
 * they yielded before the fault is kept.
 */

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "correlate.h"
#include "daemon.h"
#include "xmalloc.h"

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
	struct arena		 *mem;		/* the records kept */
	struct record		**recs;
	size_t			  nrecs;
	size_t			  cap;
	const char		 *host;		/* of the file being read */
	struct input_say	  say;
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
	FILE			 *out;
};

static _Noreturn void
replay_usage(void)
{
	fprintf(stderr, "usage: syncorr replay [-f config] [--since time] "
	    "[--until time] [--host host]\n"
	    "\t[--format json|text|rfc5424] [--db file] path ...\n");
	exit(1);
}

static void *
replay_alloc_cb(void *arg, size_t size)
{
	return (arena_alloc(arg, size));
}

/* Keeps a copy of every record; the host comes from the spool layout. */
static int
replay_record_cb(const struct record *r, void *arg)
{
	struct replay	*rp = arg;
	struct record	*c;

	/* The window applies to what happened, as --since/--until say. */
	if (r->time != REC_TIME_NONE && ((rp->since != REC_TIME_NONE &&
	    r->time < rp->since) || (rp->until != REC_TIME_NONE &&
	    r->time > rp->until)))
		return (0);
	c = record_clone(r, rp->host, replay_alloc_cb, rp->mem);
	if (rp->nrecs == rp->cap) {
		rp->cap = rp->cap == 0 ? 1024 : rp->cap * 2;
		rp->recs = xreallocarray(rp->recs, rp->cap,
		    sizeof(*rp->recs));
	}
	rp->recs[rp->nrecs++] = c;
	return (0);
}

/* An item a parser rejected: said, and the file goes on. */
static void
replay_error_cb(uint64_t offset, const char *reason, void *arg)
{
	struct replay	*rp = arg;

	input_say_item(&rp->say, offset, reason);
}

/* Where a record stands in replay: its time, then where it was read. */
struct replay_ord {
	int64_t		 time;
	size_t		 idx;		/* files in path order, then records */
};

/*
 * Event time first; records of the same time in the order they were read,
 * which is fixed: files are read in path order and a parser emits in the
 * order of its input.  No string is compared, whatever the input.
 */
static int
replay_cmp(const void *a, const void *b)
{
	const struct replay_ord	*x = a, *y = b;

	if (x->time != y->time)
		return (x->time < y->time ? -1 : 1);
	return (x->idx < y->idx ? -1 : x->idx > y->idx);
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
		for (j = 0; j < st->nlines; j++) {
			fprintf(rp->out, "    %s\n", st->lines[j]);
			free(st->lines[j]);
		}
		table_del(rp->storyidx, st->id);
		free(st->lines);
		free(st->last);
		free(st);
	}
	free(rp->stories);
	table_free(rp->storyidx);
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
 * Reads one file; returns 1 when it was rejected.  Files found by walking
 * a spool that are in no known format are noted and skipped; a file named
 * on the command line must be readable.
 */
static int
replay_read(struct replay *rp, const struct walk_file *f)
{
	struct input_result	res;
	size_t			first;

	rp->host = f->host;
	rp->say.path = f->path;
	rp->say.items = 0;
	first = rp->nrecs;
	(void)input_file(f->path, replay_record_cb, replay_error_cb, rp, &res);
	input_say_result(&rp->say, &res);
	switch (res.status) {
	case INPUT_OK:
		if (res.fmt == PARSER_FMT_CSEXPORT && rp->nrecs > first)
			input_restamp(rp->recs + first, rp->nrecs - first);
		return (rp->say.items > 0);
	case INPUT_UNKNOWN:
		return (f->explicit);
	case INPUT_REJECTED:
		break;
	}
	return (1);
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
	struct correlate	*c;
	struct conf		*conf = NULL;
	struct replay		 rp;
	struct replay_ord	*ord;
	struct walk		 w;
	const char		*cfile = NULL, *dbfile = NULL;
	char			 err[256];
	size_t			 i;
	int			 ch, rejected = 0, sorted;

	memset(&rp, 0, sizeof(rp));
	rp.mem = arena_new();
	rp.out = stdout;
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
	rejected = w.errors;
	for (i = 0; i < w.nfiles; i++)
		rejected += replay_read(&rp, &w.files[i]);

	ord = xreallocarray(NULL, rp.nrecs + 1, sizeof(*ord));
	for (i = 0, sorted = 1; i < rp.nrecs; i++) {
		ord[i].time = rp.recs[i]->time;
		ord[i].idx = i;
		if (i > 0 && ord[i].time < ord[i - 1].time)
			sorted = 0;
	}
	/* Read in time order already (one file written in order): no sort. */
	if (!sorted)
		qsort(ord, rp.nrecs, sizeof(*ord), replay_cmp);
	c = replay_correlator(&rp, conf, &w);
	walk_free(&w);
	for (i = 0; i < rp.nrecs; i++)
		correlate_feed(c, rp.recs[ord[i].idx], ord[i].time);
	free(ord);
	arena_free(rp.mem);
	correlate_finish(c);
	replay_caps(correlate_stats(c));
	if (rp.format == REPLAY_TEXT)
		replay_stories(&rp);
	free(rp.recs);
	correlate_free(c);
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
