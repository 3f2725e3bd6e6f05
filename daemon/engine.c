/*
 * engine.c: the daemon's work, between the watcher and the outputs.  A
 * file the watcher names is visited: known again (tail.c), its format
 * told from its first bytes, and then read whole once complete (a
 * document) or read on from its offset up to the last whole item (an
 * append-only file).  Each step is one database transaction holding the
 * new offset, the correlator state the records changed and the messages
 * of every transition they caused, queued for each output; delivery
 * starts once it is committed.  A step that cannot be committed stops
 * the daemon: what is in the database is what the restart goes on from.
 */

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include "daemon.h"
#include "xmalloc.h"

#define ENGINE_CHUNK	(4 * 1024 * 1024)	/* appended bytes a step */
#define ENGINE_SAYMAX	5			/* item errors said a visit */
#define ENGINE_COUNTERS	32			/* engine_counters, at most */
#define ENGINE_ASIDE	"\001inode:"		/* files by inode, not name */

static _Noreturn void
engine_fatal_store(struct engine *e)
{
	fatalx("state database: %s", store_error(e->store));
}

/* The engine's own counters by name (the correlator's are its own). */
struct engine_counter {
	const char	*name;
	uint64_t	*value;
};

static size_t
engine_counters(struct engine *e, struct engine_counter *v)
{
	struct engine_stats	*st = &e->stats;
	size_t			 n = 0;

	v[n++] = (struct engine_counter){ "files.visits", &st->visits };
	v[n++] = (struct engine_counter){ "files.documents", &st->documents };
	v[n++] = (struct engine_counter){ "files.appends", &st->appends };
	v[n++] = (struct engine_counter){ "files.renames", &st->renames };
	v[n++] = (struct engine_counter){ "files.truncations",
	    &st->truncations };
	v[n++] = (struct engine_counter){ "files.rejected",
	    &st->files_rejected };
	v[n++] = (struct engine_counter){ "files.unknown",
	    &st->files_unknown };
	v[n++] = (struct engine_counter){ "parse.item_errors",
	    &st->item_errors };
	v[n++] = (struct engine_counter){ "records.run",
	    &st->records[REC_RUN] };
	v[n++] = (struct engine_counter){ "records.export_error",
	    &st->records[REC_EXPORT_ERROR] };
	v[n++] = (struct engine_counter){ "records.snapshot",
	    &st->records[REC_SNAPSHOT] };
	v[n++] = (struct engine_counter){ "records.health_alert",
	    &st->records[REC_HEALTH_ALERT] };
	v[n++] = (struct engine_counter){ "records.cloud_error",
	    &st->records[REC_CLOUD_ERROR] };
	v[n++] = (struct engine_counter){ "transitions.open",
	    &st->transitions[INC_OPEN] };
	v[n++] = (struct engine_counter){ "transitions.update",
	    &st->transitions[INC_UPDATE] };
	v[n++] = (struct engine_counter){ "transitions.resolve",
	    &st->transitions[INC_RESOLVE] };
	return (n);
}

/* A counter kept by an earlier run: counting goes on from it. */
static void
engine_counter_load(const char *name, uint64_t value, void *arg)
{
	struct engine		*e = arg;
	struct engine_counter	 v[ENGINE_COUNTERS];
	size_t			 i, n;

	n = engine_counters(e, v);
	for (i = 0; i < n; i++)
		if (strcmp(v[i].name, name) == 0)
			*v[i].value = value;
}

static void
engine_counter_put(struct engine *e, const char *name, uint64_t value)
{
	if (store_counter_put(e->store, name, value) == -1)
		engine_fatal_store(e);
}

/* The counters, kept in the step for syncorr status. */
void
engine_counters_save(struct engine *e)
{
	const struct correlate_stats	*cs = correlate_stats(e->corr);
	struct engine_counter		 v[ENGINE_COUNTERS];
	size_t				 i, n;

	n = engine_counters(e, v);
	for (i = 0; i < n; i++)
		engine_counter_put(e, v[i].name, *v[i].value);
	engine_counter_put(e, "incidents.known", cs->incidents);
	engine_counter_put(e, "drops.evicted_incidents",
	    cs->evicted_incidents);
	engine_counter_put(e, "drops.evicted_dns", cs->evicted_dns);
	engine_counter_put(e, "drops.evicted_alerts", cs->evicted_alerts);
	engine_counter_put(e, "drops.untracked_objects",
	    cs->objects_dropped);
	for (i = 0; i < e->nouts; i++)
		if (outbox_save(e->outs[i]) == -1)
			engine_fatal_store(e);
}

/* Wall-clock time in milliseconds: the correlator's clock here. */
int64_t
engine_now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ((int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}


static void
engine_begin(struct engine *e)
{
	if (store_begin(e->store) == -1)
		engine_fatal_store(e);
	e->intxn = 1;
}

/* Saves what the step changed and commits it; delivery may start. */
void
engine_commit(struct engine *e)
{
	size_t	i;

	correlate_flush(e->corr);
	state_save(e->corr, 0, engine_state_cb, e);
	engine_counters_save(e);
	if (store_commit(e->store) == -1)
		engine_fatal_store(e);
	e->intxn = 0;
	for (i = 0; i < e->nouts; i++)
		outbox_pump(e->outs[i]);
}

/* state_save_cb: a correlator document into the open transaction. */
void
engine_state_cb(enum state_kind kind, const char *key, const char *doc,
    void *arg)
{
	struct engine	*e = arg;

	if (store_state_put(e->store, kind, key, doc) == -1)
		engine_fatal_store(e);
}

/* A transition: a message for every output, queued in the step. */
static void
engine_transition_cb(const struct incident *inc,
    enum incident_transition tr, int64_t now, void *arg)
{
	struct engine		*e = arg;
	struct outbox		*ob;
	struct syslog_opts	 so;
	char			*msg;
	size_t			 i;

	e->stats.transitions[tr]++;
	for (i = 0; i < e->nouts; i++) {
		ob = e->outs[i];
		if (ob->file)
			msg = incident_json(inc, tr);
		else {
			memset(&so, 0, sizeof(so));
			so.enterprise = e->conf->enterprise;
			switch (ob->format) {
			case CONF_FORMAT_RFC3164:
				so.format = SYSLOG_RFC3164;
				break;
			case CONF_FORMAT_JSON:
				so.format = SYSLOG_JSON;
				break;
			case CONF_FORMAT_CEF:
				so.format = SYSLOG_CEF;
				break;
			default:
				so.format = SYSLOG_RFC5424;
				break;
			}
			msg = incident_syslog(inc, tr, now, &so);
		}
		if (!e->intxn)
			fatalx("internal error: a transition outside a step");
		if (outbox_add(ob, now, msg) == -1)
			engine_fatal_store(e);
		free(msg);
	}
}

/* Says an item error of the file being read, a few a visit. */
static void
engine_item_cb(uint64_t offset, const char *reason, void *arg)
{
	struct engine	*e = arg;
	char		 esc[1024], resc[512];

	e->stats.item_errors++;
	if (++e->said <= ENGINE_SAYMAX)
		log_warnx("%s: at offset %llu: %s",
		    log_escape(e->path, esc, sizeof(esc)),
		    (unsigned long long)(offset + e->off),
		    log_escape(reason, resc, sizeof(resc)));
}

/* An appended record: straight to the correlator. */
static int
engine_feed_cb(const struct record *r, void *arg)
{
	struct engine	*e = arg;
	struct record	*c;

	e->stats.records[r->kind < REC_KINDS ? r->kind : 0]++;
	if (r->host == NULL && e->host != NULL) {
		if ((c = record_dup(r, e->host)) == NULL)
			fatalx("out of memory");
		correlate_feed(e->corr, c, e->now);
		free(c);
	} else
		correlate_feed(e->corr, r, e->now);
	return (0);
}

/* A document's record: kept until the document is read whole. */
static int
engine_keep_cb(const struct record *r, void *arg)
{
	struct engine	*e = arg;
	struct record	*c;

	e->stats.records[r->kind < REC_KINDS ? r->kind : 0]++;
	if ((c = record_dup(r, e->host)) == NULL)
		fatalx("out of memory");
	e->recs = xreallocarray(e->recs, e->nrecs + 1, sizeof(*e->recs));
	e->recs[e->nrecs++] = c;
	return (0);
}

static int
engine_reccmp(const void *a, const void *b)
{
	return (record_cmp(*(struct record *const *)a,
	    *(struct record *const *)b));
}

/* Says once what became of a file that could not be read. */
static void
engine_say_result(struct engine *e, const struct input_result *res)
{
	char	esc[1024];

	log_escape(e->path, esc, sizeof(esc));
	if (res->status == INPUT_REJECTED) {
		e->stats.files_rejected++;
		log_warnx("%s: %s at offset %llu: %s", esc,
		    res->fmt != PARSER_FMT_UNKNOWN ?
		    parser_format_name(res->fmt) : "input",
		    (unsigned long long)res->offset, res->reason);
	} else if (res->status == INPUT_UNKNOWN) {
		e->stats.files_unknown++;
		log_info("%s: skipped: %s", esc, res->reason);
	}
}

/* A whole document: read once, its records fed in their time order. */
static void
engine_document(struct engine *e, const struct stat *st, int fd,
    struct store_file *f)
{
	struct input_result	res;
	size_t			i;

	e->said = 0;
	e->off = 0;
	(void)input_file(e->path, engine_keep_cb, engine_item_cb, e, &res);
	engine_say_result(e, &res);
	if (res.fmt == PARSER_FMT_CSEXPORT)
		input_restamp(e->recs, e->nrecs);
	if (e->nrecs > 1)
		qsort(e->recs, e->nrecs, sizeof(*e->recs), engine_reccmp);
	engine_begin(e);
	e->now = engine_now();
	for (i = 0; i < e->nrecs; i++) {
		correlate_feed(e->corr, e->recs[i], e->now);
		free(e->recs[i]);
	}
	free(e->recs);
	e->recs = NULL;
	e->nrecs = 0;
	/*
	 * A file of no known format was not read at all: it keeps offset 0,
	 * so one that turns out to be appended to (it was half a line) is
	 * read from its start.
	 */
	tail_mark(fd, st, res.status == INPUT_UNKNOWN ? 0 :
	    (uint64_t)st->st_size, f);
	f->done = 1;
	free(f->format);
	f->format = xstrdup(res.status == INPUT_UNKNOWN ? "unknown" :
	    parser_format_name(res.fmt));
	if (store_file_put(e->store, e->path, f, e->now) == -1)
		engine_fatal_store(e);
	e->stats.documents++;
	engine_commit(e);
}

/* Pushes buf through a fresh parser of format fmt, feeding records. */
static void
engine_parse(struct engine *e, enum parser_format fmt, const char *name,
    const char *head, size_t headlen, const char *buf, size_t len)
{
	struct parser	*ps;
	const char	*why;
	uint64_t	 off = 0;
	char		 esc[1024];

	if ((ps = parser_new(fmt, name, engine_feed_cb, engine_item_cb, e)) ==
	    NULL)
		fatalx("out of memory");
	if ((headlen > 0 && parser_push(ps, head, headlen) == -1) ||
	    parser_push(ps, buf, len) == -1 || parser_finish(ps) == -1) {
		why = parser_error(ps, &off);
		e->stats.item_errors++;
		log_warnx("%s: %s at offset %llu: %s",
		    log_escape(e->path, esc, sizeof(esc)),
		    parser_format_name(fmt), (unsigned long long)(off + e->off),
		    why != NULL ? why : "parse error");
	}
	parser_free(ps);
}

/*
 * An append-only file: on from where the last visit stopped, one step
 * per chunk of whole items; a line still being written waits.
 */
static void
engine_append(struct engine *e, const struct stat *st, int fd,
    struct store_file *f, enum parser_format fmt, uint64_t from)
{
	char		*buf, *head = NULL;
	const char	*name;
	size_t		 headlen = 0, len, cut;
	ssize_t		 n;

	if ((name = strrchr(e->path, '/')) != NULL)
		name++;
	else
		name = e->path;
	if (from > 0 && (fmt == PARSER_FMT_EVENT_CSV ||
	    fmt == PARSER_FMT_RUNPROFILE_CSV || fmt == PARSER_FMT_CLOUD_CSV))
		head = tail_csv_header(fd, &headlen);
	buf = xmalloc(ENGINE_CHUNK);
	while (from < (uint64_t)st->st_size) {
		len = (uint64_t)st->st_size - from < ENGINE_CHUNK ?
		    (size_t)((uint64_t)st->st_size - from) : ENGINE_CHUNK;
		if ((n = pread(fd, buf, len, (off_t)from)) <= 0)
			break;
		len = (size_t)n;
		if ((cut = tail_cut(fmt, buf, len)) == 0) {
			if (len < ENGINE_CHUNK)
				break;		/* a line still being written */
			cut = len;		/* one longer than a chunk */
		}
		e->said = 0;
		e->off = from;
		engine_begin(e);
		e->now = engine_now();
		engine_parse(e, fmt, name, head, from > 0 ? headlen : 0, buf,
		    cut);
		from += cut;
		tail_mark(fd, st, from, f);
		free(f->format);
		f->format = xstrdup(parser_format_name(fmt));
		if (store_file_put(e->store, e->path, f, e->now) == -1)
			engine_fatal_store(e);
		e->stats.appends++;
		engine_commit(e);
		if (head == NULL && (fmt == PARSER_FMT_EVENT_CSV ||
		    fmt == PARSER_FMT_RUNPROFILE_CSV ||
		    fmt == PARSER_FMT_CLOUD_CSV))
			head = tail_csv_header(fd, &headlen);
	}
	free(head);
	free(buf);
}

/*
 * A file that came under this name by rename (rotation while it was
 * being read): what was known of it under its old name, moved here.
 */
static int
engine_renamed(struct engine *e, const struct stat *st, int fd,
    struct store_file *f, uint64_t *from)
{
	struct store_file	old;
	char			*other;
	int			 rc;

	if ((rc = store_file_byino(e->store, (uint64_t)st->st_dev,
	    (uint64_t)st->st_ino, e->path, &other)) == -1)
		engine_fatal_store(e);
	if (rc == 0)
		return (0);
	rc = store_file_get(e->store, other, &old);
	if (rc == 1 && tail_decide(fd, st, &old, from) == TAIL_SAME) {
		engine_begin(e);
		if (store_file_del(e->store, other) == -1)
			engine_fatal_store(e);
		old.done = old.done && (uint64_t)st->st_size == old.size;
		if (store_file_put(e->store, e->path, &old, engine_now()) == -1)
			engine_fatal_store(e);
		engine_commit(e);
		store_file_free(f);
		*f = old;
		free(other);
		e->stats.renames++;
		return (1);
	}
	if (rc == 1)
		store_file_free(&old);
	free(other);
	return (0);
}

/* The document path still growing, or NULL. */
static struct engine_pending *
engine_pending(struct engine *e, const char *path)
{
	struct engine_pending	*p;

	TAILQ_FOREACH(p, &e->pending, entry)
		if (strcmp(p->path, path) == 0)
			return (p);
	return (NULL);
}

/* Arms the settle timer for the pending document due first. */
static void
engine_settle_arm(struct engine *e)
{
	struct engine_pending	*p;
	struct timeval		 tv;
	int64_t			 due = INT64_MAX, wait;

	TAILQ_FOREACH(p, &e->pending, entry)
		if (p->since + (int64_t)e->conf->settle * 1000 < due)
			due = p->since + (int64_t)e->conf->settle * 1000;
	if (due == INT64_MAX) {
		evtimer_del(e->settle_ev);
		return;
	}
	wait = due - engine_now();
	if (wait < 0)
		wait = 0;
	tv.tv_sec = wait / 1000;
	tv.tv_usec = (wait % 1000) * 1000;
	evtimer_add(e->settle_ev, &tv);
}

/*
 * Another file took the name of one that was read (rotated while the
 * daemon was down, say): what was known of the old one is kept under its
 * inode, for when it turns up under its new name.
 */
static void
engine_set_aside(struct engine *e, struct store_file *f)
{
	char	*key;

	xasprintf(&key, "%s%llu:%llu", ENGINE_ASIDE,
	    (unsigned long long)f->dev, (unsigned long long)f->ino);
	engine_begin(e);
	if (store_file_del(e->store, e->path) == -1 ||
	    store_file_put(e->store, key, f, engine_now()) == -1)
		engine_fatal_store(e);
	engine_commit(e);
	free(key);
	store_file_free(f);
}

/* Remembers a document still growing; the settle timer comes back. */
static void
engine_pend(struct engine *e, const struct stat *st, const char *host)
{
	struct engine_pending	*p;

	if ((p = engine_pending(e, e->path)) == NULL) {
		p = xcalloc(1, sizeof(*p));
		p->path = xstrdup(e->path);
		p->host = host != NULL ? xstrdup(host) : NULL;
		TAILQ_INSERT_TAIL(&e->pending, p, entry);
	} else if (p->size == st->st_size &&
	    p->mtime.tv_sec == st->st_mtim.tv_sec &&
	    p->mtime.tv_nsec == st->st_mtim.tv_nsec)
		return;
	p->size = st->st_size;
	p->mtime = st->st_mtim;
	p->since = engine_now();
	engine_settle_arm(e);
}

static void
engine_unpend(struct engine *e, const char *path)
{
	struct engine_pending	*p;

	if ((p = engine_pending(e, path)) == NULL)
		return;
	TAILQ_REMOVE(&e->pending, p, entry);
	free(p->path);
	free(p->host);
	free(p);
}

/*
 * Whether host is this instance's under "shard N/M": its lower-case name
 * hashes (FNV-1a) to N modulo M.  Mail, which names no host by its place,
 * is shard 0's.
 */
static int
engine_mine(const struct engine *e, const char *host)
{
	uint64_t	h;
	char		*k;

	if (e->conf->shard_count == 0)
		return (1);
	if (host == NULL)
		return (e->conf->shard_index == 0);
	k = table_lower(host, -1);
	h = table_hash(k);
	free(k);
	return (h % e->conf->shard_count == e->conf->shard_index);
}

/*
 * Visits path (of host, NULL for mail): reads what is new in it.  With
 * complete set the writer is known to be done (closed after writing,
 * renamed into place, quiet for the settle time).
 */
void
engine_visit(struct engine *e, const char *path, const char *host,
    int complete)
{
	struct store_file	 f;
	struct stat		 st;
	unsigned char		 buf[SNIFF_BYTES];
	enum parser_format	 fmt;
	enum tail_verdict	 v;
	uint64_t		 from = 0;
	ssize_t			 n;
	int			 fd, known, gz, settled;

	if (!engine_mine(e, host))
		return;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW |
	    O_NONBLOCK)) == -1)
		return;
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode) || st.st_size == 0) {
		close(fd);
		return;
	}
	e->path = path;
	e->host = host;
	e->stats.visits++;
	/*
	 * The spool directory names its host before any record does, as in
	 * replay: the first spelling is the incidents' host, and their ids
	 * do not depend on which file happened to arrive first.
	 */
	if (host != NULL)
		correlate_host_add(e->corr, host, NULL, 0, NULL, 0, NULL);
	if ((known = store_file_get(e->store, path, &f)) == -1)
		engine_fatal_store(e);
	settled = complete || st.st_mtim.tv_sec + (time_t)e->conf->settle <=
	    time(NULL);
	v = tail_decide(fd, &st, known ? &f : NULL, &from);
	if (v == TAIL_REPLACED)
		engine_set_aside(e, &f);
	if ((v == TAIL_NEW || v == TAIL_REPLACED) &&
	    engine_renamed(e, &st, fd, &f, &from))
		v = tail_decide(fd, &st, &f, &from);
	/* A document read before, unchanged: nothing to do. */
	if (v == TAIL_SAME && f.done && f.size == (uint64_t)st.st_size)
		goto done;
	n = pread(fd, buf, sizeof(buf), 0);
	gz = n >= 2 && buf[0] == 0x1f && buf[1] == 0x8b;
	fmt = n > 0 && !gz ? sniff_format(buf, (size_t)n) :
	    PARSER_FMT_UNKNOWN;
	if (!gz && fmt != PARSER_FMT_UNKNOWN && tail_appended(fmt) &&
	    !(n >= 2 && ((buf[0] == 0xff && buf[1] == 0xfe) ||
	    (buf[0] == 0xfe && buf[1] == 0xff)))) {
		if (v == TAIL_TRUNCATED && f.offset > 0) {
			e->stats.truncations++;
			log_info("%s: truncated in place (copytruncate?): read "
			    "again from the start; what was written after the "
			    "last read and before the cut is lost", path);
		}
		engine_unpend(e, path);
		engine_append(e, &st, fd, &f, fmt,
		    v == TAIL_SAME ? from : 0);
		goto done;
	}
	/* A document: once complete, and once. */
	if (!settled) {
		engine_pend(e, &st, host);
		goto done;
	}
	engine_unpend(e, path);
	engine_document(e, &st, fd, &f);
done:
	store_file_free(&f);
	e->path = e->host = NULL;
	close(fd);
}

/* Visits the documents that have been quiet for the settle time. */
static void
engine_settle_cb(int fd, short ev, void *arg)
{
	struct engine		*e = arg;
	struct engine_pending	*p, *next;
	struct stat		 st;
	int64_t			 now = engine_now();
	char			*path, *host;

	(void)fd, (void)ev;
	for (p = TAILQ_FIRST(&e->pending); p != NULL; p = next) {
		next = TAILQ_NEXT(p, entry);
		if (p->since + (int64_t)e->conf->settle * 1000 > now)
			continue;
		path = xstrdup(p->path);
		host = p->host != NULL ? xstrdup(p->host) : NULL;
		if (stat(path, &st) == -1)
			engine_unpend(e, path);
		else if (st.st_size == p->size &&
		    st.st_mtim.tv_sec == p->mtime.tv_sec &&
		    st.st_mtim.tv_nsec == p->mtime.tv_nsec)
			engine_visit(e, path, host, 1);
		else
			engine_visit(e, path, host, 0);
		free(path);
		free(host);
		/* The visit may have changed the list: start over. */
		next = TAILQ_FIRST(&e->pending);
		while (next != NULL && next->since +
		    (int64_t)e->conf->settle * 1000 > now)
			next = TAILQ_NEXT(next, entry);
	}
	engine_settle_arm(e);
}

/* Lets time pass in the correlator: reminders, alert windows, stalls. */
static void
engine_tick_cb(int fd, short ev, void *arg)
{
	struct engine	*e = arg;

	(void)fd, (void)ev;
	engine_begin(e);
	e->now = engine_now();
	correlate_tick(e->corr, e->now);
	engine_commit(e);
}

/* Restores the correlator's state from the database. */
static int
engine_load_cb(const char *doc, void *arg)
{
	struct engine	*e = arg;

	return (state_load(e->corr, e->loading, doc) == -1);
}

static void
engine_load(struct engine *e)
{
	static const enum state_kind	 order[] = { STATE_HOST,
	    STATE_INCIDENT, STATE_LINKS };
	size_t				 i;
	int				 bad;

	for (i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		e->loading = order[i];
		bad = store_state_each(e->store, order[i] == STATE_LINKS ?
		    STATE_HOST : order[i], engine_load_cb, e);
		if (bad == -1)
			engine_fatal_store(e);
		if (bad > 0)
			log_warnx("state database: %d documents not restored",
			    bad);
	}
}

/* The correlator, its parameters from conf and its state restored. */
static struct correlate *
engine_correlator(struct engine *e)
{
	struct correlate_params	 p;

	config_correlate_params(e->conf, &p);
	e->corr = correlate_new(&p, engine_transition_cb, e);
	engine_load(e);
	config_hosts(e->corr, e->conf);
	return (e->corr);
}

/*
 * The engine of configuration conf on base: its database opened in the
 * state directory, the correlator restored, every output started.
 */
struct engine *
engine_new(struct event_base *base, struct conf *conf)
{
	struct engine		*e;
	struct conf_output	*o;
	struct timeval		 tv = { 60, 0 };
	char			 err[512];

	e = xcalloc(1, sizeof(*e));
	e->base = base;
	e->conf = conf;
	TAILQ_INIT(&e->pending);
	if ((e->store = store_open(conf->state_dir, err, sizeof(err))) ==
	    NULL)
		fatalx("state database: %s", err);
	if (store_counter_each(e->store, engine_counter_load, e) == -1)
		engine_fatal_store(e);
	engine_correlator(e);
	TAILQ_FOREACH(o, &conf->outputs, entry) {
		e->outs = xreallocarray(e->outs, e->nouts + 1,
		    sizeof(*e->outs));
		e->outs[e->nouts] = outbox_new(e->store, o);
		(void)outbox_start(e->outs[e->nouts], base, o);
		e->nouts++;
	}
	e->settle_ev = evtimer_new(base, engine_settle_cb, e);
	e->tick_ev = event_new(base, -1, EV_PERSIST, engine_tick_cb, e);
	evtimer_add(e->tick_ev, &tv);
	return (e);
}

void
engine_free(struct engine *e)
{
	struct engine_pending	*p;
	size_t			 i;

	if (e == NULL)
		return;
	while ((p = TAILQ_FIRST(&e->pending)) != NULL)
		engine_unpend(e, p->path);
	event_free(e->settle_ev);
	event_free(e->tick_ev);
	for (i = 0; i < e->nouts; i++)
		outbox_free(e->outs[i]);
	free(e->outs);
	correlate_free(e->corr);
	store_close(e->store);
	free(e);
}
