/*
 * evbeat.c: Windows events as Winlogbeat ships them (FORMATS.md §1.8),
 * NDJSON with one event per line.  Both generations are read: 7.x writes
 * winlog.event_id as a number, 8.x as a keyword string; the unnamed
 * EventData items of a classic source are keyed param1… by older
 * releases and param0… by the newer renderer.  Each line becomes a
 * struct evt, and evt_emit decides whether it is a record.
 *
 * This is the busiest parser: a shipper may send a whole Application log.
 * So each line is tokenized once into one reused struct pjson, only the
 * keys needed are looked up, and nothing is allocated per event.
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parsers.h"

/*
 * The longest line kept.  A 6941's message is a few KiB and an engine
 * error with its BAIL trace rarely passes 64 KiB; a longer line is not an
 * event worth holding in memory.
 */
#define EVBEAT_MAXLINE	(256 * 1024)

struct evbeat {
	struct pjson_split	*split;
	struct pjson		*js;
	rec_cb			 cb;
	rec_err_cb		 ecb;
	void			*arg;
	int			 failed;
	char			 errbuf[128];
	uint64_t		 erroff;
	struct parser_stats	 stats;
};

/* Rejects one line: counted, reported, and parsing goes on. */
static void
evbeat_reject(struct evbeat *eb, uint64_t offset, const char *reason)
{
	eb->stats.errors++;
	if (eb->ecb != NULL)
		eb->ecb(offset, reason, eb->arg);
}

/* A line pjson_split itself refused (too long, not JSON at all). */
static void
evbeat_split_err_cb(uint64_t offset, const char *reason, void *arg)
{
	struct evbeat	*eb = arg;

	eb->stats.read++;
	evbeat_reject(eb, offset, reason);
}

/* The string at key of object obj, or NULL (absent, null, not text). */
static const char *
evbeat_str(struct pjson *js, int obj, const char *key)
{
	if (obj < 0)
		return (NULL);
	return (pjson_str(js, pjson_get(js, obj, key)));
}

/* N of a "paramN" key, or -1 for any other key. */
static int
evbeat_param(const char *key)
{
	int	n = 0, i;

	if (key == NULL || strncmp(key, "param", 5) != 0)
		return (-1);
	for (i = 5; key[i] >= '0' && key[i] <= '9'; i++) {
		if (i > 8)
			return (-1);
		n = n * 10 + (key[i] - '0');
	}
	return (i == 5 || key[i] != '\0' ? -1 : n);
}

/*
 * The unnamed data items of winlog.event_data, in the order of their
 * numbers whatever the order of the keys.  param0 present means the
 * 0-based renderer; otherwise numbering starts at 1, which also keeps the
 * positions right when an old winlogbeat dropped an empty param1.  A
 * number missing in between leaves an empty item; named keys (manifest
 * events) are not unnamed data and are left alone.
 */
static void
evbeat_data(struct pjson *js, int obj, struct evt *ev)
{
	const char	*slot[EVT_MAXDATA + 1], *v;
	int		 n, members, tok, base, top = -1, i;

	ev->ndata = 0;
	if (obj < 0 || pjson_type(js, obj) != PJSON_OBJECT)
		return;
	memset(slot, 0, sizeof(slot));
	members = pjson_size(js, obj);
	tok = pjson_first(js, obj);
	for (i = 0; i < members && tok >= 0; i++) {
		n = evbeat_param(pjson_str(js, tok));
		if (n >= 0 && n <= EVT_MAXDATA) {
			v = pjson_str(js, tok + 1);
			slot[n] = v != NULL ? v : "";
			if (n > top)
				top = n;
		}
		tok = pjson_skip(js, tok + 1);
	}
	if (top < 0)
		return;
	base = slot[0] != NULL ? 0 : 1;
	for (n = base; n <= top && ev->ndata < EVT_MAXDATA; n++)
		ev->data[ev->ndata++] = slot[n] != NULL ? slot[n] : "";
}

/*
 * The event ID: winlog.event_id, else ECS event.code.  NULL, or why the
 * line has none.
 */
static const char *
evbeat_id(struct pjson *js, int winlog, int event, uint32_t *id)
{
	int64_t	v;
	int	tok = -1;

	if (winlog >= 0)
		tok = pjson_get(js, winlog, "event_id");
	if (tok < 0 && event >= 0)
		tok = pjson_get(js, event, "code");
	if (tok < 0)
		return ("no event id (winlog.event_id or event.code)");
	if (pjson_int(js, tok, &v) == -1 || v < 0 || v > UINT32_MAX)
		return ("the event id is not a number");
	/* Qualifiers never reach Winlogbeat's id, but a forwarder may add. */
	*id = (uint32_t)v & 0xffff;
	return (NULL);
}

/* One line: tokenized, read into an event, handed to evt_emit. */
static int
evbeat_line_cb(const char *text, size_t len, uint64_t offset, void *arg)
{
	struct evbeat	*eb = arg;
	struct pjson	*js = eb->js;
	struct evt	 ev;
	const char	*why;
	int		 winlog, event, host, tok, rc;

	eb->stats.read++;
	if (pjson_parse(js, text, len) == -1) {
		evbeat_reject(eb, offset, "not valid JSON");
		return (0);
	}
	if (pjson_type(js, 0) != PJSON_OBJECT) {
		evbeat_reject(eb, offset, "not a JSON object");
		return (0);
	}
	winlog = pjson_get(js, 0, "winlog");
	event = pjson_get(js, 0, "event");
	if ((why = evbeat_id(js, winlog, event, &ev.id)) != NULL) {
		evbeat_reject(eb, offset, why);
		return (0);
	}
	if ((ev.provider = evbeat_str(js, winlog, "provider_name")) == NULL)
		ev.provider = evbeat_str(js, event, "provider");
	if ((ev.computer = evbeat_str(js, winlog, "computer_name")) == NULL) {
		host = pjson_get(js, 0, "host");
		if ((ev.computer = evbeat_str(js, host, "name")) == NULL)
			ev.computer = evbeat_str(js, host, "hostname");
	}
	ev.message = evbeat_str(js, 0, "message");
	if ((tok = pjson_get(js, 0, "@timestamp")) < 0 && event >= 0)
		tok = pjson_get(js, event, "created");
	ev.time = tok >= 0 ? pjson_time(js, tok) : REC_TIME_NONE;
	evbeat_data(js, winlog >= 0 ? pjson_get(js, winlog, "event_data") :
	    -1, &ev);

	if ((rc = evt_emit(&ev, eb->cb, eb->arg)) == -1) {
		eb->failed = 1;
		eb->erroff = offset;
		snprintf(eb->errbuf, sizeof(eb->errbuf),
		    "stopped by the record callback");
		return (-1);
	}
	if (rc == 1)
		eb->stats.records++;
	return (0);
}

static void *
evbeat_new(const char *name, rec_cb cb, rec_err_cb ecb, void *arg)
{
	struct evbeat	*eb;

	(void)name;
	if ((eb = calloc(1, sizeof(*eb))) == NULL)
		return (NULL);
	eb->cb = cb;
	eb->ecb = ecb;
	eb->arg = arg;
	eb->split = pjson_split_new(EVBEAT_MAXLINE, evbeat_line_cb,
	    evbeat_split_err_cb, eb);
	eb->js = pjson_new();
	if (eb->split == NULL || eb->js == NULL) {
		pjson_split_free(eb->split);
		pjson_free(eb->js);
		free(eb);
		return (NULL);
	}
	return (eb);
}

static int
evbeat_push(void *v, const void *buf, size_t len)
{
	struct evbeat	*eb = v;

	if (eb->failed)
		return (-1);
	return (pjson_split_push(eb->split, buf, len));
}

/* Ends the stream: a last line without its newline is still read. */
static int
evbeat_finish(void *v)
{
	struct evbeat	*eb = v;

	if (eb->failed)
		return (-1);
	return (pjson_split_finish(eb->split));
}

/* Why the stream failed and where: ours, else the splitter's. */
static const char *
evbeat_error(const void *v, uint64_t *offset)
{
	const struct evbeat	*eb = v;

	if (!eb->failed)
		return (pjson_split_error(eb->split, offset));
	if (offset != NULL)
		*offset = eb->erroff;
	return (eb->errbuf);
}

/* Lines read (good or bad), records emitted, lines rejected. */
static const struct parser_stats *
evbeat_stats(const void *v)
{
	const struct evbeat	*eb = v;

	return (&eb->stats);
}

static void
evbeat_free(void *v)
{
	struct evbeat	*eb = v;

	if (eb == NULL)
		return;
	pjson_split_free(eb->split);
	pjson_free(eb->js);
	free(eb);
}

const struct parser_ops evbeat_ops = {
	.name = "event-beat",
	.new = evbeat_new,
	.push = evbeat_push,
	.finish = evbeat_finish,
	.error = evbeat_error,
	.stats = evbeat_stats,
	.free = evbeat_free,
};
