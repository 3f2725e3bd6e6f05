/*
 * watch.c: which files to visit, and when.  Every spool root and Maildir
 * is watched with inotify, down to each host's subdirectories; a
 * directory that appears is watched and read at once, so files written
 * before its watch began are not missed.  A file closed after writing or
 * renamed into place is visited as complete, one modified as growing.  A
 * rescan timer (the configured interval) visits everything again, for
 * what inotify cannot see (NFS) or dropped (queue overflow).  Between
 * events and timers nothing runs.
 */

#include <sys/inotify.h>
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "daemon.h"
#include "xmalloc.h"

#define WATCH_MAXDEPTH	16
#define WATCH_DIRMASK	(IN_CREATE | IN_MOVED_TO | IN_CLOSE_WRITE | \
			    IN_MODIFY | IN_DELETE_SELF | IN_MOVE_SELF | \
			    IN_ONLYDIR)

/* A watched directory. */
struct watch_dir {
	int			 wd;
	char			*path;
	char			*host;		/* NULL: a root, or mail */
	int			 depth;		/* 0: a spool root */
	int			 mail;		/* a Maildir's new/ or cur/ */
	TAILQ_ENTRY(watch_dir)	 entry;
};

struct watch {
	struct event_base	*base;
	const struct conf	*conf;
	watch_cb		 cb;
	void			*arg;
	int			 fd;
	struct event		*ev;
	struct event		*rescan;
	TAILQ_HEAD(, watch_dir)	 dirs;
	uint64_t		 overflows;
};

static struct watch_dir *
watch_bywd(struct watch *w, int wd)
{
	struct watch_dir	*d;

	TAILQ_FOREACH(d, &w->dirs, entry)
		if (d->wd == wd)
			return (d);
	return (NULL);
}

static int
watch_isdir(const char *path)
{
	struct stat	st;

	return (stat(path, &st) == 0 && S_ISDIR(st.st_mode));
}

/* A Maildir holds new/ and cur/. */
static int
watch_maildir(const char *path)
{
	char	p[PATH_MAX];

	snprintf(p, sizeof(p), "%s/new", path);
	if (!watch_isdir(p))
		return (0);
	snprintf(p, sizeof(p), "%s/cur", path);
	return (watch_isdir(p));
}

/* Watches dir (once); its record. */
static struct watch_dir *
watch_add(struct watch *w, const char *path, const char *host, int depth,
    int mail)
{
	struct watch_dir	*d;
	char			 esc[512];
	int			 wd;

	if ((wd = inotify_add_watch(w->fd, path, WATCH_DIRMASK)) == -1) {
		log_warn("%s: cannot watch", log_escape(path, esc,
		    sizeof(esc)));
		return (NULL);
	}
	if ((d = watch_bywd(w, wd)) != NULL)
		return (d);
	d = xcalloc(1, sizeof(*d));
	d->wd = wd;
	d->path = xstrdup(path);
	d->host = host != NULL ? xstrdup(host) : NULL;
	d->depth = depth;
	d->mail = mail;
	TAILQ_INSERT_TAIL(&w->dirs, d, entry);
	return (d);
}

static void
watch_forget(struct watch *w, struct watch_dir *d)
{
	TAILQ_REMOVE(&w->dirs, d, entry);
	free(d->path);
	free(d->host);
	free(d);
}

/*
 * Watches dir and everything below it, visiting each file found.  At
 * depth 0 of a spool each child directory is a host, unless it is a
 * Maildir; in a Maildir only new/ and cur/ hold mail.
 */
static void
watch_tree(struct watch *w, const char *dir, const char *host, int depth,
    int mail)
{
	struct dirent	*de;
	DIR		*dp;
	char		*p;
	char		 esc[512];

	if (depth > WATCH_MAXDEPTH)
		return;
	if (depth > 0 && !mail && watch_maildir(dir)) {
		xasprintf(&p, "%s/new", dir);
		watch_tree(w, p, NULL, depth + 1, 1);
		free(p);
		xasprintf(&p, "%s/cur", dir);
		watch_tree(w, p, NULL, depth + 1, 1);
		free(p);
		return;
	}
	if (watch_add(w, dir, host, depth, mail) == NULL)
		return;
	if ((dp = opendir(dir)) == NULL) {
		log_warn("%s", log_escape(dir, esc, sizeof(esc)));
		return;
	}
	while ((de = readdir(dp)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		xasprintf(&p, "%s/%s", dir, de->d_name);
		if (watch_isdir(p)) {
			if (!mail)
				watch_tree(w, p, depth == 0 ? de->d_name :
				    host, depth + 1, 0);
		} else
			w->cb(p, host, 0, w->arg);
		free(p);
	}
	closedir(dp);
}

/* Visits every file of every root again, and watches what is new. */
void
watch_scan(struct watch *w)
{
	struct conf_str	*s;

	TAILQ_FOREACH(s, &w->conf->spools, entry)
		watch_tree(w, s->value, NULL, 0, 0);
	TAILQ_FOREACH(s, &w->conf->maildirs, entry)
		watch_tree(w, s->value, NULL, 1, 0);
}

/* One inotify event of directory d. */
static void
watch_event(struct watch *w, struct watch_dir *d,
    const struct inotify_event *ev)
{
	char	*p;

	if (ev->mask & (IN_DELETE_SELF | IN_MOVE_SELF | IN_IGNORED)) {
		if (ev->mask & IN_IGNORED)
			watch_forget(w, d);
		return;
	}
	if (ev->len == 0 || ev->name[0] == '.')
		return;
	xasprintf(&p, "%s/%s", d->path, ev->name);
	if (ev->mask & IN_ISDIR) {
		if (!d->mail && (ev->mask & (IN_CREATE | IN_MOVED_TO)))
			watch_tree(w, p, d->depth == 0 ? ev->name : d->host,
			    d->depth + 1, 0);
	} else if (ev->mask & (IN_CLOSE_WRITE | IN_MOVED_TO))
		w->cb(p, d->host, 1, w->arg);
	else if (ev->mask & (IN_MODIFY | IN_CREATE))
		w->cb(p, d->host, 0, w->arg);
	free(p);
}

static void
watch_read_cb(int fd, short what, void *arg)
{
	struct watch			*w = arg;
	const struct inotify_event	*ev;
	struct watch_dir		*d;
	char				 buf[64 * 1024]
	    __attribute__((aligned(__alignof__(struct inotify_event))));
	ssize_t				 n;
	char				*p;
	int				 rescan = 0;

	(void)what;
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		for (p = buf; p < buf + n; p += sizeof(*ev) + ev->len) {
			ev = (const struct inotify_event *)p;
			if (ev->mask & IN_Q_OVERFLOW) {
				rescan = 1;
				continue;
			}
			if ((d = watch_bywd(w, ev->wd)) != NULL)
				watch_event(w, d, ev);
		}
	}
	if (n == -1 && errno != EAGAIN && errno != EINTR)
		log_warn("inotify");
	if (rescan) {
		w->overflows++;
		log_warnx("inotify queue overflow: rescanning");
		watch_scan(w);
	}
}

static void
watch_rescan_cb(int fd, short what, void *arg)
{
	(void)fd, (void)what;
	watch_scan(arg);
}

/*
 * Watches the roots of conf, calling cb for each file to visit; the
 * first scan is the caller's (watch_scan), once it is ready.
 */
struct watch *
watch_new(struct event_base *base, const struct conf *conf, watch_cb cb,
    void *arg)
{
	struct watch	*w;
	struct timeval	 tv;

	w = xcalloc(1, sizeof(*w));
	w->base = base;
	w->conf = conf;
	w->cb = cb;
	w->arg = arg;
	TAILQ_INIT(&w->dirs);
	if ((w->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) == -1)
		fatal("inotify_init1");
	w->ev = event_new(base, w->fd, EV_READ | EV_PERSIST, watch_read_cb,
	    w);
	event_add(w->ev, NULL);
	w->rescan = event_new(base, -1, EV_PERSIST, watch_rescan_cb, w);
	tv.tv_sec = conf->rescan > 0 ? (time_t)conf->rescan :
	    CONF_DEFAULT_RESCAN;
	tv.tv_usec = 0;
	evtimer_add(w->rescan, &tv);
	return (w);
}

void
watch_free(struct watch *w)
{
	struct watch_dir	*d;

	if (w == NULL)
		return;
	while ((d = TAILQ_FIRST(&w->dirs)) != NULL)
		watch_forget(w, d);
	event_free(w->ev);
	event_free(w->rescan);
	close(w->fd);
	free(w);
}
