/*
 * replay.c: syncorr replay, the investigation front end.  It reads every
 * file named (directories as spool roots), keeps every record, sorts them
 * all by event time and only then feeds the correlator, with the event
 * time as the clock.  Sorting first is what makes the output independent
 * of the order files were named or found in: the same input gives the
 * same bytes out.  Bad files are reported on stderr and skipped; what
 * they yielded before the fault is kept.
 */

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "correlate.h"
#include "daemon.h"
#include "xmalloc.h"

enum replay_format {
	REPLAY_JSON = 0,
	REPLAY_TEXT
};

struct replay {
	struct record		**recs;
	size_t			  nrecs;
	size_t			  cap;
	const char		 *host;		/* of the file being read */
	struct input_say	  say;
	enum replay_format	  format;
	FILE			 *out;
};

static _Noreturn void
replay_usage(void)
{
	fprintf(stderr, "usage: syncorr replay [-f config] "
	    "[--format json|text] path ...\n");
	exit(1);
}

/* Keeps a copy of every record; the host comes from the spool layout. */
static int
replay_record_cb(const struct record *r, void *arg)
{
	struct replay	*rp = arg;
	struct record	*c;

	if ((c = record_dup(r, rp->host)) == NULL)
		fatalx("out of memory");
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

static int
replay_cmp(const void *a, const void *b)
{
	return (record_cmp(*(struct record *const *)a,
	    *(struct record *const *)b));
}

static void
replay_transition_cb(const struct incident *inc, enum incident_transition tr,
    int64_t now, void *arg)
{
	struct replay	*rp = arg;
	char		*s;

	s = rp->format == REPLAY_TEXT ? incident_text(inc, tr, now) :
	    incident_json(inc, tr);
	fprintf(rp->out, "%s\n", s);
	free(s);
}

/*
 * A dump is one observation: every errored object in it was seen when
 * the dump was taken, which its snapshot record carries (from the file
 * name, else the newest date-occurred).  The parser streams and cannot
 * know that time before the end when the name does not give it, so the
 * records of the file are stamped here, once it is read whole.
 */
static void
replay_restamp(struct replay *rp, size_t first)
{
	const struct record	*snap = NULL;
	size_t			 i;

	for (i = first; i < rp->nrecs; i++)
		if (rp->recs[i]->kind == REC_SNAPSHOT &&
		    rp->recs[i]->source == REC_SRC_CSEXPORT)
			snap = rp->recs[i];
	if (snap == NULL || snap->time == REC_TIME_NONE)
		return;
	for (i = first; i < rp->nrecs; i++)
		if (rp->recs[i]->source == REC_SRC_CSEXPORT)
			rp->recs[i]->time = snap->time;
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
		replay_restamp(rp, first);
		return (rp->say.items > 0);
	case INPUT_UNKNOWN:
		return (f->explicit);
	case INPUT_REJECTED:
		break;
	}
	return (1);
}

/* syncorr replay [options] PATH…; returns the exit status. */
int
replay_main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'F' },
		{ "config", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 }
	};
	struct correlate_params	 params;
	struct correlate	*c;
	struct conf		*conf = NULL;
	struct conf_host	*h;
	struct replay		 rp;
	struct walk		 w;
	const char		*cfile = NULL;
	size_t			 i;
	int			 ch, rejected = 0;

	memset(&rp, 0, sizeof(rp));
	rp.out = stdout;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "f:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'F':
			if (strcmp(optarg, "json") == 0)
				rp.format = REPLAY_JSON;
			else if (strcmp(optarg, "text") == 0)
				rp.format = REPLAY_TEXT;
			else {
				fprintf(stderr, "syncorr replay: unknown "
				    "format \"%s\"\n", optarg);
				replay_usage();
			}
			break;
		case 'f':
			cfile = optarg;
			break;
		default:
			replay_usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0)
		replay_usage();
	if (cfile != NULL && config_load(cfile, &conf) != 0)
		return (1);

	memset(&w, 0, sizeof(w));
	for (i = 0; i < (size_t)argc; i++)
		walk_add(&w, argv[i]);
	walk_sort(&w);
	rejected = w.errors;
	for (i = 0; i < w.nfiles; i++)
		rejected += replay_read(&rp, &w.files[i]);
	walk_free(&w);

	if (rp.nrecs > 1)
		qsort(rp.recs, rp.nrecs, sizeof(*rp.recs), replay_cmp);
	memset(&params, 0, sizeof(params));
	params.reminder = (int64_t)(conf != NULL ? conf->reminder :
	    CONF_DEFAULT_REMINDER) * 1000;
	c = correlate_new(&params, replay_transition_cb, &rp);
	if (conf != NULL)
		TAILQ_FOREACH(h, &conf->hosts, entry)
			correlate_set_account(c, h->name,
			    h->connector_account);
	for (i = 0; i < rp.nrecs; i++) {
		correlate_feed(c, rp.recs[i], rp.recs[i]->time);
		free(rp.recs[i]);
	}
	correlate_flush(c);
	free(rp.recs);
	correlate_free(c);
	conf_free(conf);
	if (fflush(stdout) == EOF || ferror(stdout))
		fatal("stdout");
	return (rejected > 0 ? 2 : 0);
}
