/*
 * syncorrd.c: the daemon.  It watches the spool roots and Maildirs of its
 * configuration, reads what arrives (engine.c), and delivers incidents
 * to every output from their durable queues.  -n checks a configuration
 * file and exits, printing every error as "FILE:LINE: message"; -d stays
 * in the foreground and logs to stderr (what systemd runs).  SIGHUP
 * reloads the configuration, keeping the running one when the new one
 * has errors; SIGTERM stops reading, gives the outputs a bounded time to
 * drain their queues, and exits.
 */

#include <sys/stat.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include <event2/event.h>

#include "daemon.h"

#define SYNCORRD_CONF	"/etc/syncorr/syncorr.conf"
#define SYNCORRD_DRAIN	10		/* seconds SIGTERM waits for outputs */

struct syncorrd {
	struct event_base	*base;
	const char		*file;
	struct conf		*conf;
	struct engine		*engine;
	struct watch		*watch;
	struct metrics		*metrics;
	struct event		*watchdog;
	struct event		*drain;
	int			 draining;
	int64_t			 drain_until;
};

static _Noreturn void
syncorrd_usage(void)
{
	fprintf(stderr, "usage: syncorrd [-dnv] [-f file]\n");
	exit(1);
}

static void
syncorrd_visit_cb(const char *path, const char *host, int complete,
    void *arg)
{
	struct syncorrd	*sd = arg;

	engine_visit(sd->engine, path, host, complete);
}

/* The state directory, made (private) when missing. */
static void
syncorrd_statedir(const char *dir)
{
	struct stat	st;

	if (stat(dir, &st) == 0) {
		if (!S_ISDIR(st.st_mode))
			fatalx("%s: not a directory", dir);
		return;
	}
	if (errno != ENOENT || mkdir(dir, 0700) == -1)
		fatal("%s", dir);
}

static struct engine *
syncorrd_engine(void *arg)
{
	struct syncorrd	*sd = arg;

	return (sd->engine);
}

/* Starts reading and delivering with sd->conf. */
static void
syncorrd_start(struct syncorrd *sd)
{
	syncorrd_statedir(sd->conf->state_dir);
	sd->engine = engine_new(sd->base, sd->conf);
	if (sd->conf->metrics_address != NULL)
		sd->metrics = metrics_new(sd->base, sd->conf->metrics_address,
		    sd->conf->metrics_port, syncorrd_engine, sd);
	sd->watch = watch_new(sd->base, sd->conf, syncorrd_visit_cb, sd);
	watch_scan(sd->watch);
}

static void
syncorrd_stop(struct syncorrd *sd)
{
	metrics_free(sd->metrics);
	watch_free(sd->watch);
	engine_free(sd->engine);
	sd->metrics = NULL;
	sd->watch = NULL;
	sd->engine = NULL;
}

/*
 * SIGHUP: the configuration again.  A bad one is said and the running
 * one kept; a good one replaces it, the engine starting again from the
 * database, where every step it took is.
 */
static void
syncorrd_hup_cb(int sig, short ev, void *arg)
{
	struct syncorrd	*sd = arg;
	struct conf	*conf;

	(void)sig, (void)ev;
	if (sd->draining)
		return;
	notify_send("RELOADING=1");
	if (config_load(sd->file, &conf) != 0) {
		log_warnx("%s: not reloaded: the configuration has errors; "
		    "the running one stays", sd->file);
		notify_send("READY=1\nSTATUS=reload failed: configuration "
		    "errors, running with the previous one");
		return;
	}
	syncorrd_stop(sd);
	conf_free(sd->conf);
	sd->conf = conf;
	syncorrd_start(sd);
	log_info("%s: reloaded", sd->file);
	notify_send("READY=1\nSTATUS=running");
}

static uint64_t
syncorrd_queued(const struct syncorrd *sd)
{
	uint64_t	n = 0;
	size_t		i;

	for (i = 0; sd->engine != NULL && i < sd->engine->nouts; i++)
		n += sd->engine->outs[i]->depth;
	return (n);
}

/* While draining: exit once the queues are empty or time is up. */
static void
syncorrd_drain_cb(int fd, short ev, void *arg)
{
	struct syncorrd	*sd = arg;
	uint64_t	 left = syncorrd_queued(sd);

	(void)fd, (void)ev;
	if (left == 0 || engine_now() >= sd->drain_until) {
		if (left > 0)
			log_warnx("exiting with %llu messages queued; they "
			    "go out at the next start",
			    (unsigned long long)left);
		event_base_loopbreak(sd->base);
	}
}

/* SIGTERM, SIGINT: stop reading, drain the outputs for a while, exit. */
static void
syncorrd_term_cb(int sig, short ev, void *arg)
{
	struct syncorrd	*sd = arg;
	struct timeval	 tv = { 0, 50 * 1000 };

	(void)ev;
	if (sd->draining) {
		event_base_loopbreak(sd->base);
		return;
	}
	log_info("%s: stopping", strsignal(sig));
	notify_send("STOPPING=1");
	sd->draining = 1;
	watch_free(sd->watch);
	sd->watch = NULL;
	sd->drain_until = engine_now() + SYNCORRD_DRAIN * 1000;
	sd->drain = event_new(sd->base, -1, EV_PERSIST, syncorrd_drain_cb,
	    sd);
	evtimer_add(sd->drain, &tv);
	syncorrd_drain_cb(-1, 0, sd);
}

static void
syncorrd_watchdog_cb(int fd, short ev, void *arg)
{
	(void)fd, (void)ev, (void)arg;
	notify_send("WATCHDOG=1");
}

int
main(int argc, char **argv)
{
	struct syncorrd	 sd;
	struct event	*hup, *term, *intr;
	struct timeval	 tv;
	uint64_t	 usec;
	int		 ch, noaction = 0, verbose = 0, foreground = 0;

	memset(&sd, 0, sizeof(sd));
	sd.file = SYNCORRD_CONF;
	while ((ch = getopt(argc, argv, "df:nv")) != -1) {
		switch (ch) {
		case 'd':
			foreground = 1;
			break;
		case 'f':
			sd.file = optarg;
			break;
		case 'n':
			noaction = 1;
			break;
		case 'v':
			verbose++;
			break;
		default:
			syncorrd_usage();
		}
	}
	if (optind != argc)
		syncorrd_usage();
	log_init(1, LOG_DAEMON);
	log_setverbose(verbose);
	parser_init();

	if (config_load(sd.file, &sd.conf) != 0)
		exit(1);
	if (noaction) {
		fprintf(stderr, "%s: configuration OK\n", sd.file);
		conf_free(sd.conf);
		exit(0);
	}
	if (!foreground) {
		if (daemon(0, 0) == -1)
			fatal("daemon");
		log_init(0, LOG_DAEMON);
		log_setverbose(verbose);
	}
	signal(SIGPIPE, SIG_IGN);
	if ((sd.base = event_base_new()) == NULL)
		fatalx("event_base_new");
	syncorrd_start(&sd);
	hup = evsignal_new(sd.base, SIGHUP, syncorrd_hup_cb, &sd);
	term = evsignal_new(sd.base, SIGTERM, syncorrd_term_cb, &sd);
	intr = evsignal_new(sd.base, SIGINT, syncorrd_term_cb, &sd);
	evsignal_add(hup, NULL);
	evsignal_add(term, NULL);
	evsignal_add(intr, NULL);
	if ((usec = notify_watchdog_usec()) > 0) {
		tv.tv_sec = (time_t)(usec / 1000000);
		tv.tv_usec = (suseconds_t)(usec % 1000000);
		sd.watchdog = event_new(sd.base, -1, EV_PERSIST,
		    syncorrd_watchdog_cb, &sd);
		evtimer_add(sd.watchdog, &tv);
	}
	notify_send("READY=1\nSTATUS=running");
	log_info("started");
	event_base_dispatch(sd.base);

	syncorrd_stop(&sd);
	if (sd.drain != NULL)
		event_free(sd.drain);
	if (sd.watchdog != NULL)
		event_free(sd.watchdog);
	event_free(hup);
	event_free(term);
	event_free(intr);
	/* Deferred callbacks of freed bufferevents run, then all is freed. */
	event_base_loop(sd.base, EVLOOP_NONBLOCK);
	event_base_free(sd.base);
	conf_free(sd.conf);
	return (0);
}
