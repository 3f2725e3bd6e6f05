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
	struct pdoc	*d = arg;
	struct pjson	*js = d->js;
	struct evt	 ev;
	const char	*why;
	int		 winlog, event, host, tok;

	d->stats.read++;
	if (pjson_parse(js, text, len) == -1) {
		pdoc_reject(d, offset, pjson_why(js));
		return (0);
	}
	if (pjson_type(js, 0) != PJSON_OBJECT) {
		pdoc_reject(d, offset, "not a JSON object");
		return (0);
	}
	winlog = pjson_get(js, 0, "winlog");
	event = pjson_get(js, 0, "event");
	if ((why = evbeat_id(js, winlog, event, &ev.id)) != NULL) {
		pdoc_reject(d, offset, why);
		return (0);
	}
	if ((ev.provider = evbeat_str(js, winlog, "provider_name")) == NULL)
		ev.provider = evbeat_str(js, event, "provider");
	if (!evt_wanted(ev.id, ev.provider))
		return (0);		/* read, and nothing more to it */
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

	return (pdoc_event(d, &ev, offset));
}

/* Counts lines read (good or bad), records emitted, lines rejected. */
static void *
evbeat_new(const char *name, rec_cb cb, rec_err_cb ecb, void *arg)
{
	(void)name;
	return (pdoc_new_json(sizeof(struct pdoc), EVBEAT_MAXLINE,
	    evbeat_line_cb, cb, ecb, arg));
}

const struct parser_ops evbeat_ops = {
	.name = "event-beat",
	.new = evbeat_new,
	.push = pdoc_push,
	.finish = pdoc_finish,
	.error = pdoc_error,
	.stats = pdoc_stats,
	.free = pdoc_free,
};
