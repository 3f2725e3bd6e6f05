/*
 * evtx.c: native Windows event logs (.evtx), read with libevtx.  An .evtx
 * file is a 4 KiB header and 64 KiB chunks of binary XML records: a
 * whole-document format, so the bytes are kept (up to 1 GiB) and opened
 * from memory at the end through a libbfio memory-range handle; the file
 * system is never touched.  Each record becomes a struct evt (event id,
 * source, computer, written time, strings) for evt_emit to judge.
 *
 * What counts: the records libevtx lists, as evtxexport exports them by
 * default.  Its "recovered" records are left out: they are remnants of
 * overwritten records found in chunk slack, often partial, and a
 * correlator fed them would count old events again.
 *
 * What is an error: a record libevtx cannot read, and a damaged chunk.
 * libevtx skips damaged chunks without a word (and says every file is
 * "corrupted", even a sound one whose header is merely stale), so each
 * chunk slot is checked here: one item error per slot that holds data
 * but no chunk signature, per chunk that promises more records than
 * libevtx could read from it, and for a last chunk cut short.  The
 * offset of an item error is its chunk's, or its record's when found.
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libbfio.h>
#include <libevtx.h>

#include "parsers.h"

#define EVTX_MAXFILE	((size_t)1 << 30)	/* bytes kept, at most */
#define EVTX_HEADER	4096			/* the file header block */
#define EVTX_CHUNK	65536
#define EVTX_CHUNKHDR	512			/* records start past it */
#define EVTX_RECHDR	24			/* signature … written time */
#define EVTX_MAXSTR	(64 * 1024)		/* bytes kept of one string */
#define EVTX_ARENAMAX	(64 * 1024 * 1024)
#define EVTX_LOOKAHEAD	8	/* chunks searched past the current one */
/* A chunk holds fewer records than this many, however small they are. */
#define EVTX_MAXRECS	((EVTX_CHUNK - EVTX_CHUNKHDR) / EVTX_RECHDR)

/* What a 64 KiB slot of the file holds. */
enum evtx_slot {
	EVTX_SLOT_EMPTY = 0,	/* zeros: never used */
	EVTX_SLOT_CHUNK,	/* a chunk with its signature */
	EVTX_SLOT_DAMAGED,	/* data, but no chunk signature */
	EVTX_SLOT_CUT		/* the file ends inside it */
};

struct evtx_chunk {
	enum evtx_slot	 slot;
	uint64_t	 first;		/* record identifiers it declares */
	uint64_t	 last;
	uint64_t	 got;		/* records libevtx returned from it */
};

struct evtx {
	rec_cb			 cb;
	rec_err_cb		 ecb;
	void			*arg;
	struct pbuf		 file;		/* the whole file */
	struct pbuf		 arena;		/* one record's strings */
	struct evtx_chunk	*chunks;
	size_t			 nchunks;
	size_t			 cur;		/* the chunk records come from */
	int			 failed;
	char			 errbuf[256];
	uint64_t		 erroff;
	struct parser_stats	 stats;
};

static uint32_t
evtx_le32(const unsigned char *p)
{
	return ((uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24);
}

static uint64_t
evtx_le64(const unsigned char *p)
{
	return ((uint64_t)evtx_le32(p) | (uint64_t)evtx_le32(p + 4) << 32);
}

static uint64_t
evtx_chunk_offset(size_t i)
{
	return (EVTX_HEADER + (uint64_t)i * EVTX_CHUNK);
}

/* Fails the whole file; the first reason is the one kept. */
static void
evtx_fail(struct evtx *ev, uint64_t off, const char *reason)
{
	if (ev->failed)
		return;
	ev->failed = 1;
	ev->erroff = off;
	snprintf(ev->errbuf, sizeof(ev->errbuf), "%s", reason);
}

static void
evtx_reject(struct evtx *ev, uint64_t off, const char *reason)
{
	ev->stats.errors++;
	if (ev->ecb != NULL)
		ev->ecb(off, reason, ev->arg);
}

/*
 * A libevtx error as one line, into buf, and freed.  Its backtrace runs
 * from the first cause to the outermost call: the outermost says what
 * failed, the first cause why.
 */
static void
evtx_errtext(libevtx_error_t **err, const char *prefix, char *buf,
    size_t bufsz)
{
	char	 trace[4096], *what, *nl;
	size_t	 len;

	trace[0] = '\0';
	if (*err != NULL &&
	    libevtx_error_backtrace_sprint(*err, trace, sizeof(trace)) < 0 &&
	    libevtx_error_sprint(*err, trace, sizeof(trace)) < 0)
		trace[0] = '\0';
	libevtx_error_free(err);
	trace[sizeof(trace) - 1] = '\0';
	len = strlen(trace);
	while (len > 0 && (trace[len - 1] == '\n' || trace[len - 1] == '\r'))
		trace[--len] = '\0';
	if (len == 0)
		snprintf(buf, bufsz, "%slibevtx failed", prefix);
	else if ((what = strrchr(trace, '\n')) == NULL)
		snprintf(buf, bufsz, "%s%s", prefix, trace);
	else {
		*what++ = '\0';
		if ((nl = strchr(trace, '\n')) != NULL)
			*nl = '\0';
		snprintf(buf, bufsz, "%s%s (%s)", prefix, what, trace);
	}
	pvalue_fold(buf);
}

/* Sorts the file's 64 KiB slots: chunks, damaged, empty, cut short. */
static int
evtx_slots(struct evtx *ev)
{
	const unsigned char	*b = (const unsigned char *)ev->file.buf, *c;
	size_t			 len = ev->file.len, i, n, j;
	struct evtx_chunk	*ch;

	if (len <= EVTX_HEADER)
		return (0);
	ev->nchunks = (len - EVTX_HEADER + EVTX_CHUNK - 1) / EVTX_CHUNK;
	if ((ev->chunks = calloc(ev->nchunks, sizeof(*ev->chunks))) == NULL)
		return (-1);
	for (i = 0; i < ev->nchunks; i++) {
		ch = &ev->chunks[i];
		c = b + evtx_chunk_offset(i);
		n = len - evtx_chunk_offset(i);
		if (n > EVTX_CHUNK)
			n = EVTX_CHUNK;
		for (j = 0; j < n && c[j] == 0; j++)
			;
		if (j == n)
			ch->slot = EVTX_SLOT_EMPTY;
		else if (n < EVTX_CHUNK)
			ch->slot = EVTX_SLOT_CUT;
		else if (memcmp(c, "ElfChnk", 8) != 0)
			ch->slot = EVTX_SLOT_DAMAGED;
		else {
			ch->slot = EVTX_SLOT_CHUNK;
			ch->first = evtx_le64(c + 24);
			ch->last = evtx_le64(c + 32);
		}
	}
	return (0);
}

/*
 * The chunk a record read from comes from, by its identifier, found at or
 * past the current one (libevtx lists records in file order); or -1.
 */
static long
evtx_chunk_of(struct evtx *ev, uint64_t id)
{
	struct evtx_chunk	*ch;
	size_t			 i, seen = 0;

	for (i = ev->cur; i < ev->nchunks && seen <= EVTX_LOOKAHEAD; i++) {
		ch = &ev->chunks[i];
		if (ch->slot != EVTX_SLOT_CHUNK)
			continue;
		if (id >= ch->first && id <= ch->last) {
			ev->cur = i;
			return ((long)i);
		}
		seen++;
	}
	return (-1);
}

/* Where record id starts in the file: in its chunk, else the chunk's. */
static uint64_t
evtx_record_offset(struct evtx *ev, uint64_t id, int have_id)
{
	const unsigned char	*c;
	uint64_t		 base;
	size_t			 pos, size;
	long			 k;

	if (ev->nchunks == 0)
		return (0);
	if (!have_id || (k = evtx_chunk_of(ev, id)) == -1)
		return (evtx_chunk_offset(ev->cur));
	base = evtx_chunk_offset((size_t)k);
	c = (const unsigned char *)ev->file.buf + base;
	/* Records follow each other, each giving its own size. */
	for (pos = EVTX_CHUNKHDR; pos + EVTX_RECHDR <= EVTX_CHUNK; pos += size) {
		if (memcmp(c + pos, "**\0\0", 4) != 0)
			break;
		if (evtx_le64(c + pos + 8) == id)
			return (base + pos);
		size = evtx_le32(c + pos + 4);
		if (size < EVTX_RECHDR || size > EVTX_CHUNK - pos)
			break;
	}
	return (base);
}

/* libevtx's getters of a record's strings: their size, then the bytes. */
typedef int (*evtx_size_fn)(libevtx_record_t *, size_t *, libevtx_error_t **);
typedef int (*evtx_str_fn)(libevtx_record_t *, uint8_t *, size_t,
    libevtx_error_t **);

/* Room for need more bytes (and a NUL) in the arena; 0 or -1. */
static int
evtx_arena_room(struct evtx *ev, size_t need)
{
	char	*p;
	size_t	 cap;

	if (ev->arena.len + need + 1 <= ev->arena.cap)
		return (0);
	if (need > EVTX_ARENAMAX || ev->arena.len > EVTX_ARENAMAX - need)
		return (-1);
	cap = ev->arena.cap > 0 ? ev->arena.cap : 4096;
	while (cap < ev->arena.len + need + 1)
		cap *= 2;
	if ((p = realloc(ev->arena.buf, cap)) == NULL)
		return (-1);
	ev->arena.buf = p;
	ev->arena.cap = cap;
	return (0);
}

/* Ends the string just written at start: cut to EVTX_MAXSTR, NUL. */
static void
evtx_arena_end(struct evtx *ev, size_t start, size_t size)
{
	char	*s = ev->arena.buf + start;
	size_t	 len = strnlen(s, size);

	if (len > EVTX_MAXSTR) {
		/* Cut on a character boundary: the value stays UTF-8. */
		len = EVTX_MAXSTR;
		while (len > 0 && ((unsigned char)s[len] & 0xc0) == 0x80)
			len--;
	}
	s[len] = '\0';
	ev->arena.len = start + len + 1;
}

/*
 * Appends the string a pair of getters makes to the arena, NUL
 * terminated; *at is its offset, SIZE_MAX when the record has none.  0,
 * or -1 with *err set (or the file failed for want of memory).
 */
static int
evtx_string(struct evtx *ev, libevtx_record_t *rec, evtx_size_fn sizefn,
    evtx_str_fn strfn, size_t *at, libevtx_error_t **err)
{
	size_t	size = 0;
	int	rc;

	*at = SIZE_MAX;
	if ((rc = sizefn(rec, &size, err)) != 1)
		return (rc == 0 ? 0 : -1);
	if (size == 0)
		return (0);
	if (evtx_arena_room(ev, size) == -1) {
		evtx_fail(ev, 0, "out of memory");
		return (-1);
	}
	if (strfn(rec, (uint8_t *)ev->arena.buf + ev->arena.len, size,
	    err) != 1)
		return (-1);
	*at = ev->arena.len;
	evtx_arena_end(ev, ev->arena.len, size);
	return (0);
}

/* The same for data item i, which is always there, if maybe empty. */
static int
evtx_item(struct evtx *ev, libevtx_record_t *rec, int i, size_t *at,
    libevtx_error_t **err)
{
	size_t	size = 0;

	*at = ev->arena.len;
	if (libevtx_record_get_utf8_string_size(rec, i, &size, err) != 1)
		return (-1);
	if (evtx_arena_room(ev, size + 1) == -1) {
		evtx_fail(ev, 0, "out of memory");
		return (-1);
	}
	if (size == 0) {
		ev->arena.buf[ev->arena.len++] = '\0';
		return (0);
	}
	if (libevtx_record_get_utf8_string(rec, i,
	    (uint8_t *)ev->arena.buf + ev->arena.len, size, err) != 1)
		return (-1);
	evtx_arena_end(ev, ev->arena.len, size);
	return (0);
}

/* A FILETIME (100 ns since 1601) as ms since 1970; none for zero. */
static int64_t
evtx_time(uint64_t ft)
{
	if (ft == 0)
		return (REC_TIME_NONE);
	return ((int64_t)(ft / 10000) - 11644473600000LL);
}

/*
 * One record into a struct evt and on to evt_emit.  -1 with *err set
 * when libevtx cannot read it.
 */
static int
evtx_record(struct evtx *ev, libevtx_record_t *rec, libevtx_error_t **err)
{
	struct evt	 e;
	size_t		 src, comp, items[EVT_MAXDATA];
	uint64_t	 ft = 0;
	uint32_t	 id = 0;
	int		 n = 0, i;

	ev->arena.len = 0;
	if (libevtx_record_get_event_identifier(rec, &id, err) != 1 ||
	    libevtx_record_get_written_time(rec, &ft, err) != 1 ||
	    evtx_string(ev, rec, libevtx_record_get_utf8_source_name_size,
	    libevtx_record_get_utf8_source_name, &src, err) == -1 ||
	    evtx_string(ev, rec, libevtx_record_get_utf8_computer_name_size,
	    libevtx_record_get_utf8_computer_name, &comp, err) == -1 ||
	    libevtx_record_get_number_of_strings(rec, &n, err) != 1)
		return (-1);
	if (n > EVT_MAXDATA)
		n = EVT_MAXDATA;
	for (i = 0; i < n; i++)
		if (evtx_item(ev, rec, i, &items[i], err) == -1)
			return (-1);

	memset(&e, 0, sizeof(e));
	e.id = id & 0xffff;
	e.time = evtx_time(ft);
	e.provider = src != SIZE_MAX ? ev->arena.buf + src : NULL;
	e.computer = comp != SIZE_MAX ? ev->arena.buf + comp : NULL;
	for (i = 0; i < n; i++)
		e.data[i] = ev->arena.buf + items[i];
	e.ndata = (size_t)n;
	switch (evt_emit(&e, ev->cb, ev->arg)) {
	case 1:
		ev->stats.records++;
		break;
	case -1:
		evtx_fail(ev, ev->nchunks > 0 ? evtx_chunk_offset(ev->cur) : 0,
		    "stopped by the record callback");
		break;
	}
	return (0);
}

/* Reads record i of the file; item errors for what cannot be read. */
static void
evtx_walk_one(struct evtx *ev, libevtx_file_t *f, int i)
{
	libevtx_record_t	*rec = NULL;
	libevtx_error_t		*err = NULL;
	uint64_t		 id = 0;
	int			 have_id;
	long			 k;
	char			 why[256];

	ev->stats.read++;
	if (libevtx_file_get_record_by_index(f, i, &rec, &err) != 1) {
		evtx_errtext(&err, "unreadable record: ", why, sizeof(why));
		evtx_reject(ev, evtx_record_offset(ev, 0, 0), why);
		return;
	}
	have_id = libevtx_record_get_identifier(rec, &id, &err) == 1;
	libevtx_error_free(&err);
	if (have_id && (k = evtx_chunk_of(ev, id)) != -1)
		ev->chunks[k].got++;
	if (evtx_record(ev, rec, &err) == -1 && !ev->failed) {
		evtx_errtext(&err, "unreadable record: ", why, sizeof(why));
		evtx_reject(ev, evtx_record_offset(ev, id, have_id), why);
	}
	libevtx_error_free(&err);
	libevtx_record_free(&rec, NULL);
}

/* The damaged chunks, one item error each, in file order. */
static void
evtx_check_chunks(struct evtx *ev)
{
	struct evtx_chunk	*ch;
	uint64_t		 want;
	size_t			 i;
	char			 why[160];

	for (i = 0; i < ev->nchunks; i++) {
		ch = &ev->chunks[i];
		switch (ch->slot) {
		case EVTX_SLOT_DAMAGED:
			snprintf(why, sizeof(why), "chunk %zu has no chunk "
			    "signature: its records are lost", i);
			break;
		case EVTX_SLOT_CUT:
			snprintf(why, sizeof(why), "truncated: the file ends "
			    "inside chunk %zu", i);
			break;
		case EVTX_SLOT_CHUNK:
			if (ch->last < ch->first ||
			    ch->last - ch->first >= EVTX_MAXRECS)
				continue;	/* no count to hold it to */
			want = ch->last - ch->first + 1;
			if (ch->got >= want)
				continue;
			snprintf(why, sizeof(why), "chunk %zu: %llu of its "
			    "%llu records could not be read", i,
			    (unsigned long long)(want - ch->got),
			    (unsigned long long)want);
			break;
		default:
			continue;
		}
		evtx_reject(ev, evtx_chunk_offset(i), why);
	}
}

/* Opens the kept bytes with libevtx and walks every record. */
static void
evtx_walk(struct evtx *ev)
{
	libbfio_handle_t	*io = NULL;
	libbfio_error_t		*berr = NULL;
	libevtx_file_t		*f = NULL;
	libevtx_error_t		*err = NULL;
	int			 n = 0, i, opened = 0;
	char			 why[256];

	if (libbfio_memory_range_initialize(&io, &berr) != 1 ||
	    libbfio_memory_range_set(io, (uint8_t *)ev->file.buf,
	    ev->file.len, &berr) != 1) {
		evtx_fail(ev, 0, "cannot set up a memory range for libevtx");
		goto done;
	}
	if (libevtx_file_initialize(&f, &err) != 1) {
		evtx_fail(ev, 0, "out of memory");
		goto done;
	}
	if (libevtx_file_open_file_io_handle(f, io, LIBEVTX_OPEN_READ,
	    &err) != 1) {
		evtx_errtext(&err, "not a readable .evtx file: ", why,
		    sizeof(why));
		evtx_fail(ev, 0, why);
		goto done;
	}
	opened = 1;
	if (libevtx_file_get_number_of_records(f, &n, &err) != 1) {
		evtx_errtext(&err, "cannot count the records: ", why,
		    sizeof(why));
		evtx_fail(ev, 0, why);
		goto done;
	}
	for (i = 0; i < n && !ev->failed; i++)
		evtx_walk_one(ev, f, i);
	if (!ev->failed)
		evtx_check_chunks(ev);
done:
	libevtx_error_free(&err);
	if (opened)
		libevtx_file_close(f, NULL);
	libevtx_file_free(&f, NULL);
	libbfio_handle_free(&io, NULL);
	libbfio_error_free(&berr);
}

/* Keeps len more bytes of the file; 0, or -1 past the cap. */
static int
evtx_push(void *v, const void *buf, size_t len)
{
	struct evtx	*ev = v;

	if (ev->failed)
		return (-1);
	if (len > EVTX_MAXFILE - ev->file.len) {
		evtx_fail(ev, EVTX_MAXFILE, "an .evtx file larger than 1 GiB "
		    "is not read");
		return (-1);
	}
	if (pbuf_add(&ev->file, buf, len, EVTX_MAXFILE) == -1) {
		evtx_fail(ev, ev->file.len, "out of memory");
		return (-1);
	}
	return (0);
}

/* Reads the whole file now that it is in; 0 or -1. */
static int
evtx_finish(void *v)
{
	struct evtx	*ev = v;

	if (ev->failed)
		return (-1);
	if (ev->file.len < 8 || memcmp(ev->file.buf, "ElfFile", 8) != 0) {
		evtx_fail(ev, 0, "not an .evtx file: no ElfFile signature");
		return (-1);
	}
	if (evtx_slots(ev) == -1) {
		evtx_fail(ev, 0, "out of memory");
		return (-1);
	}
	evtx_walk(ev);
	return (ev->failed ? -1 : 0);
}

/* Why the file failed as a whole, and at which byte offset. */
static const char *
evtx_error(const void *v, uint64_t *offset)
{
	const struct evtx	*ev = v;

	if (!ev->failed)
		return (NULL);
	if (offset != NULL)
		*offset = ev->erroff;
	return (ev->errbuf);
}

/* Records read, records emitted, records and chunks rejected. */
static const struct parser_stats *
evtx_stats(const void *v)
{
	const struct evtx	*ev = v;

	return (&ev->stats);
}

static void
evtx_free(void *v)
{
	struct evtx	*ev = v;

	if (ev == NULL)
		return;
	pbuf_free(&ev->file);
	pbuf_free(&ev->arena);
	free(ev->chunks);
	free(ev);
}

/* A parser for one .evtx file; the name plays no part. */
static void *
evtx_new(const char *name, rec_cb cb, rec_err_cb ecb, void *arg)
{
	struct evtx	*ev;

	(void)name;
	if ((ev = calloc(1, sizeof(*ev))) == NULL)
		return (NULL);
	ev->cb = cb;
	ev->ecb = ecb;
	ev->arg = arg;
	return (ev);
}

const struct parser_ops evtx_ops = {
	.name = "event-evtx",
	.new = evtx_new,
	.push = evtx_push,
	.finish = evtx_finish,
	.error = evtx_error,
	.stats = evtx_stats,
	.free = evtx_free,
};
