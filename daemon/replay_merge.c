/*
 * replay_merge.c: replay's records in event-time order, from all its
 * files at once.  Each file is read a chunk at a time and the correlator
 * is fed from whichever file holds the earliest record next, a merge of
 * sorted runs: memory stays near a chunk a file, whatever the size of
 * the replay, as long as each file is in time order, as logs mostly are.
 * A file found out of order is read to its end and sorted; so is every
 * csexport dump (its records take the dump's time once it is read) and
 * every file past REPLAY_MERGE_OPEN open at once.
 *
 * The order is event time, then the file's place in path order, then the
 * record's place in its file: one total order, so the correlator sees the
 * same sequence however the files were named.  Should a record turn up
 * that belongs before one already fed (a file in order for a chunk, then
 * not), the pass stops and says so; the caller runs another with every
 * file read whole first, which cannot fail that way.  Items and files
 * said on stderr in one pass are not said again in the next.
 */

#include <stdlib.h>
#include <string.h>

#include "daemon.h"
#include "xmalloc.h"

#define REPLAY_MERGE_OPEN	64		/* files read in turns */
#define REPLAY_MERGE_CHUNK	(256UL << 10)	/* a file's arena */

/* A record waiting for its turn; seq is its place in its file. */
struct replay_item {
	int64_t			 time;
	uint64_t		 seq;
	struct record		*rec;		/* the stream's own copy */
};

struct replay_stream {
	struct replay_merge	*m;
	const struct walk_file	*file;
	size_t			 idx;		/* in path order */
	struct input_stream	*in;		/* NULL once read */
	struct input_result	 res;
	struct input_say	 say;
	uint64_t		 said;		/* items said by earlier passes */
	int			 told;		/* its fate was said */
	int			 whole;		/* read to its end at once */
	int			 sorted;	/* q as read is in order */
	struct arena		*mem;		/* q's records */
	struct replay_item	*q;		/* [head, len) waiting */
	size_t			 head, len, cap;
	uint64_t		 seq;		/* records read */
	int64_t			 last;		/* latest time read */
};

struct replay_merge {
	struct arena		 *mem;		/* of files read whole at once */
	struct replay_stream	 *streams;
	size_t			  nstreams;
	struct replay_stream	**heap;		/* by head, earliest first */
	size_t			  nheap;
	size_t			  open;		/* streams read in turns */
	int64_t			  since, until;
	replay_merge_cb		  feed;
	void			 *arg;
	int			  priming;	/* nothing may be fed yet */
	int			  late;		/* a record missed its turn */
	int			  fed;		/* the last fed, if any: */
	struct replay_item	  last;
	size_t			  lastidx;
	int			  rejected;
};

/* Whether (t, i, s) comes before (u, j, r) in replay order. */
static int
replay_merge_before(int64_t t, size_t i, uint64_t s, int64_t u, size_t j,
    uint64_t r)
{
	if (t != u)
		return (t < u);
	if (i != j)
		return (i < j);
	return (s < r);
}

/* Whether stream a's next record comes before stream b's. */
static int
replay_merge_ahead(const struct replay_stream *a,
    const struct replay_stream *b)
{
	const struct replay_item	*x = &a->q[a->head], *y = &b->q[b->head];

	return (replay_merge_before(x->time, a->idx, x->seq, y->time, b->idx,
	    y->seq));
}

static void
replay_merge_push(struct replay_merge *m, struct replay_stream *st)
{
	size_t	i, up;

	for (i = m->nheap++; i > 0; i = up) {
		up = (i - 1) / 2;
		if (!replay_merge_ahead(st, m->heap[up]))
			break;
		m->heap[i] = m->heap[up];
	}
	m->heap[i] = st;
}

static struct replay_stream *
replay_merge_pop(struct replay_merge *m)
{
	struct replay_stream	*top = m->heap[0], *st;
	size_t			 i, c;

	st = m->heap[--m->nheap];
	for (i = 0; (c = 2 * i + 1) < m->nheap; i = c) {
		if (c + 1 < m->nheap &&
		    replay_merge_ahead(m->heap[c + 1], m->heap[c]))
			c++;
		if (!replay_merge_ahead(m->heap[c], st))
			break;
		m->heap[i] = m->heap[c];
	}
	if (m->nheap > 0)
		m->heap[i] = st;
	return (top);
}

static void
replay_merge_feed(struct replay_merge *m, const struct replay_stream *st,
    const struct record *r, uint64_t seq)
{
	m->fed = 1;
	m->last.time = r->time;
	m->last.seq = seq;
	m->lastidx = st->idx;
	m->feed(r, m->arg);
}

/*
 * Whether a record of st read now may go to the correlator at once: st
 * has none waiting, and it comes before the next of every other file
 * (which are all in the heap, st being read).
 */
static int
replay_merge_now(const struct replay_merge *m, const struct replay_stream *st,
    int64_t time, uint64_t seq)
{
	const struct replay_stream	*top;
	const struct replay_item	*y;

	if (m->priming || st->whole || st->head < st->len)
		return (0);
	if (m->nheap == 0)
		return (1);
	top = m->heap[0];
	y = &top->q[top->head];
	return (replay_merge_before(time, st->idx, seq, y->time, top->idx,
	    y->seq));
}

static void *
replay_merge_alloc_cb(void *arg, size_t size)
{
	return (arena_alloc(arg, size));
}

static int
replay_merge_record_cb(const struct record *r, void *arg)
{
	struct replay_stream	*st = arg;
	struct replay_merge	*m = st->m;
	struct replay_item	*it;
	struct record		 c;
	uint64_t		 seq;

	/* The window applies to what happened, as --since/--until say. */
	if (r->time != REC_TIME_NONE && ((m->since != REC_TIME_NONE &&
	    r->time < m->since) || (m->until != REC_TIME_NONE &&
	    r->time > m->until)))
		return (0);
	seq = st->seq++;
	if (m->fed && replay_merge_before(r->time, st->idx, seq,
	    m->last.time, m->lastidx, m->last.seq)) {
		m->late = 1;
		return (-1);
	}
	if (r->time < st->last) {
		/* Out of order: the rest of the file is read, then sorted. */
		st->whole = 1;
		st->sorted = 0;
	} else
		st->last = r->time;

	if (replay_merge_now(m, st, r->time, seq)) {
		if (r->host == NULL && st->file->host != NULL) {
			c = *r;
			c.host = st->file->host;
			r = &c;
		}
		replay_merge_feed(m, st, r, seq);
		return (0);
	}
	if (st->len == st->cap) {
		st->cap = st->cap == 0 ? 256 : st->cap * 2;
		st->q = xreallocarray(st->q, st->cap, sizeof(*st->q));
	}
	/*
	 * A file read whole at once keeps its records to the end of the
	 * pass, in memory all such files share: a spool of many small files
	 * costs a few large maps.  One read in turns has its own, reused.
	 */
	if (st->mem == NULL)
		st->mem = st->whole ? m->mem : arena_new(REPLAY_MERGE_CHUNK);
	it = &st->q[st->len++];
	it->time = r->time;
	it->seq = seq;
	it->rec = record_clone(r, st->file->host, replay_merge_alloc_cb,
	    st->mem);
	return (0);
}

/* An item a parser rejected: said, unless an earlier pass said it. */
static void
replay_merge_error_cb(uint64_t offset, const char *reason, void *arg)
{
	struct replay_stream	*st = arg;

	if (st->say.items < st->said)
		st->say.items++;
	else
		input_say_item(&st->say, offset, reason);
}

static int
replay_merge_cmp(const void *a, const void *b)
{
	const struct replay_item	*x = a, *y = b;

	if (x->time != y->time)
		return (x->time < y->time ? -1 : 1);
	return (x->seq < y->seq ? -1 : x->seq > y->seq);
}

/* st's file is read: its fate said, its dump restamped, its run sorted. */
static void
replay_merge_done(struct replay_merge *m, struct replay_stream *st)
{
	struct record		**v;
	size_t			  i, n = st->len - st->head;

	if (st->in != NULL) {
		input_stream_close(st->in, &st->res);
		st->in = NULL;
		m->open--;
	}
	if (st->res.status == INPUT_OK &&
	    st->res.fmt == PARSER_FMT_CSEXPORT && n > 0) {
		v = xreallocarray(NULL, n, sizeof(*v));
		for (i = 0; i < n; i++)
			v[i] = st->q[st->head + i].rec;
		input_restamp(v, n);
		for (i = 0; i < n; i++)
			st->q[st->head + i].time = v[i]->time;
		free(v);
		st->sorted = 0;
	}
	if (!st->sorted)
		qsort(st->q + st->head, n, sizeof(*st->q), replay_merge_cmp);
	if (!st->told) {
		input_say_result(&st->say, &st->res);
		st->told = 1;
	}
	switch (st->res.status) {
	case INPUT_OK:
		m->rejected += st->say.items > 0;
		break;
	case INPUT_UNKNOWN:
		m->rejected += st->file->explicit;
		break;
	case INPUT_REJECTED:
		m->rejected++;
		break;
	}
}

/*
 * Reads st until it has a record waiting or is read, to its end when it
 * is to be read whole.  -1 when a record came late.
 */
static int
replay_merge_fill(struct replay_merge *m, struct replay_stream *st)
{
	int	rc;

	while (st->in != NULL && (st->whole || st->head == st->len)) {
		rc = input_stream_step(st->in, &st->res);
		if (m->late)
			return (-1);
		if (rc != 1)
			replay_merge_done(m, st);
	}
	return (0);
}

/*
 * st has no record left waiting: its memory is for the next chunk's, or
 * given back when the file is read.
 */
static int
replay_merge_refill(struct replay_merge *m, struct replay_stream *st)
{
	st->head = st->len = 0;
	if (st->in == NULL) {
		if (st->mem != m->mem)
			arena_free(st->mem);
		st->mem = NULL;
		free(st->q);
		st->q = NULL;
		st->cap = 0;
		return (0);
	}
	if (st->mem != m->mem)
		arena_reset(st->mem);
	return (replay_merge_fill(m, st));
}

/* Opens file i for this pass and reads its first records. */
static int
replay_merge_prime(struct replay_merge *m, size_t i, int whole)
{
	struct replay_stream	*st = &m->streams[i];

	st->say.items = 0;
	st->seq = 0;
	st->last = REC_TIME_NONE;
	st->sorted = 1;
	st->head = st->len = 0;
	st->in = input_stream_open(st->file->path, replay_merge_record_cb,
	    replay_merge_error_cb, st, &st->res);
	if (st->in == NULL) {
		replay_merge_done(m, st);
		return (0);
	}
	st->whole = whole || st->res.fmt == PARSER_FMT_CSEXPORT ||
	    m->open >= REPLAY_MERGE_OPEN;
	m->open++;
	if (replay_merge_fill(m, st) == -1)
		return (-1);
	if (st->head < st->len)
		replay_merge_push(m, st);
	return (0);
}

struct replay_merge *
replay_merge_new(const struct walk *w, int64_t since, int64_t until)
{
	struct replay_merge	*m;
	size_t			 i;

	m = xcalloc(1, sizeof(*m));
	m->since = since;
	m->until = until;
	m->nstreams = w->nfiles;
	m->streams = xcalloc(w->nfiles + 1, sizeof(*m->streams));
	m->heap = xcalloc(w->nfiles + 1, sizeof(*m->heap));
	for (i = 0; i < w->nfiles; i++) {
		m->streams[i].m = m;
		m->streams[i].file = &w->files[i];
		m->streams[i].idx = i;
		m->streams[i].say.path = w->files[i].path;
	}
	return (m);
}

/* What one pass leaves behind, but what was said. */
static void
replay_merge_clear(struct replay_merge *m)
{
	struct replay_stream	*st;
	size_t			 i;

	for (i = 0; i < m->nstreams; i++) {
		st = &m->streams[i];
		if (st->in != NULL)
			input_stream_close(st->in, &st->res);
		st->in = NULL;
		if (st->mem != m->mem)
			arena_free(st->mem);
		st->mem = NULL;
		free(st->q);
		st->q = NULL;
		st->head = st->len = st->cap = 0;
		if (st->say.items > st->said)
			st->said = st->say.items;
	}
	arena_free(m->mem);
	m->mem = NULL;
	m->nheap = m->open = 0;
	m->fed = m->late = 0;
}

int
replay_merge_run(struct replay_merge *m, int whole, replay_merge_cb feed,
    void *arg)
{
	struct replay_stream	*st;
	const struct record	*r;
	size_t			 i;
	uint64_t		 seq;

	m->feed = feed;
	m->arg = arg;
	m->rejected = 0;
	m->mem = arena_new(ARENA_CHUNK);
	m->priming = 1;
	for (i = 0; i < m->nstreams; i++)
		if (replay_merge_prime(m, i, whole) == -1)
			goto late;
	m->priming = 0;
	while (m->nheap > 0) {
		st = replay_merge_pop(m);
		r = st->q[st->head].rec;
		seq = st->q[st->head++].seq;
		replay_merge_feed(m, st, r, seq);
		if (st->head == st->len)
			if (replay_merge_refill(m, st) == -1)
				goto late;
		if (st->head < st->len)
			replay_merge_push(m, st);
	}
	replay_merge_clear(m);
	return (m->rejected);
late:
	replay_merge_clear(m);
	return (-1);
}

void
replay_merge_free(struct replay_merge *m)
{
	if (m == NULL)
		return;
	replay_merge_clear(m);
	free(m->streams);
	free(m->heap);
	free(m);
}
