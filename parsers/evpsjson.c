/*
 * evpsjson.c: Windows events as PowerShell's ConvertTo-Json writes them
 * (FORMATS.md §1.9): Get-WinEvent records from Windows PowerShell 5.1
 * (UTF-16 LE with a BOM, "\/Date(ms)\/" times, Properties cut down to type
 * names at the default depth) or PowerShell 7 (ISO times with an offset,
 * Properties as [{"Value": …}]), and classic Get-EventLog entries
 * (EventID, Source, TimeGenerated, ReplacementStrings).  The file holds
 * one object or an array of them; pjson_split hands over one element at
 * a time, so a long export never sits in memory whole.
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parsers.h"

/* One event object; PS 5.1 pretty-printing makes them a few KiB. */
#define EVPSJSON_MAXVALUE	(1024 * 1024)

static const char *
evpsjson_str(struct pjson *js, int obj, const char *key)
{
	return (pjson_str(js, pjson_getci(js, obj, key)));
}

/*
 * The event ID: Get-WinEvent's Id, else Get-EventLog's EventID, else its
 * InstanceId, which carries the qualifiers in its top bits (6941 is
 * InstanceId 1073748765).  NULL, or why there is none.
 */
static const char *
evpsjson_id(struct pjson *js, int obj, uint32_t *id)
{
	static const char *const keys[] = { "Id", "EventID", "InstanceId" };
	int64_t	v;
	size_t	i;
	int	tok;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		/* Absent, null or not a scalar: try the next name. */
		if ((tok = pjson_getci(js, obj, keys[i])) < 0 ||
		    pjson_str(js, tok) == NULL)
			continue;
		if (pjson_int(js, tok, &v) == -1 || v < 0 || v > UINT32_MAX)
			return ("the event id is not a number");
		*id = (uint32_t)v & 0xffff;
		return (NULL);
	}
	return ("no event id (Id, EventID or InstanceId)");
}

/*
 * A time: a string, or the {"value": …, "DateTime": …} object PowerShell
 * writes for a DateTime that carries extended properties.
 */
static int64_t
evpsjson_time(struct pjson *js, int obj)
{
	int	tok;

	if ((tok = pjson_getci(js, obj, "TimeCreated")) < 0)
		tok = pjson_getci(js, obj, "TimeGenerated");
	if (tok >= 0 && pjson_type(js, tok) == PJSON_OBJECT)
		tok = pjson_getci(js, tok, "value");
	return (tok >= 0 ? pjson_time(js, tok) : REC_TIME_NONE);
}

/*
 * The unnamed data items.  PS 7 writes Properties as [{"Value": …}]; PS
 * 5.1 stops at depth 2 and writes each as the type name
 * "System.Diagnostics.Eventing.Reader.EventProperty", which holds no
 * data, so then there are none and the message carries everything.
 * Get-EventLog's ReplacementStrings are the items as plain strings.
 */
static void
evpsjson_data(struct pjson *js, int obj, struct evt *ev)
{
	const char	*v;
	int		 arr, tok, n, i, objects;

	ev->ndata = 0;
	if ((arr = pjson_getci(js, obj, "Properties")) >= 0 &&
	    pjson_type(js, arr) == PJSON_ARRAY)
		objects = 1;
	else if ((arr = pjson_getci(js, obj, "ReplacementStrings")) >= 0 &&
	    pjson_type(js, arr) == PJSON_ARRAY)
		objects = 0;
	else
		return;
	n = pjson_size(js, arr);
	tok = pjson_first(js, arr);
	for (i = 0; i < n && tok >= 0 && ev->ndata < EVT_MAXDATA; i++) {
		if (objects) {
			if (pjson_type(js, tok) != PJSON_OBJECT) {
				/* Type names: the values are not there. */
				ev->ndata = 0;
				return;
			}
			v = evpsjson_str(js, tok, "Value");
		} else
			v = pjson_str(js, tok);
		ev->data[ev->ndata++] = v != NULL ? v : "";
		tok = pjson_skip(js, tok);
	}
}

/* One event object at token obj; 0, or -1 when the callback stopped. */
static int
evpsjson_event(struct pdoc *d, int obj, uint64_t offset)
{
	struct pjson	*js = d->js;
	struct evt	 ev;
	const char	*why;

	d->stats.read++;
	if (pjson_type(js, obj) != PJSON_OBJECT) {
		pdoc_reject(d, offset, "not a JSON object");
		return (0);
	}
	if ((why = evpsjson_id(js, obj, &ev.id)) != NULL) {
		pdoc_reject(d, offset, why);
		return (0);
	}
	if ((ev.provider = evpsjson_str(js, obj, "ProviderName")) == NULL)
		ev.provider = evpsjson_str(js, obj, "Source");
	ev.computer = evpsjson_str(js, obj, "MachineName");
	ev.message = evpsjson_str(js, obj, "Message");
	ev.time = evpsjson_time(js, obj);
	evpsjson_data(js, obj, &ev);

	return (pdoc_event(d, &ev, offset));
}

/*
 * One top-level value: an event, or the {"value": […], "Count": n}
 * wrapper PS 5.1 writes for an array passed with -InputObject, whose
 * elements are then read one by one (all at the wrapper's offset).
 */
static int
evpsjson_value_cb(const char *text, size_t len, uint64_t offset, void *arg)
{
	struct pdoc	*d = arg;
	struct pjson	*js = d->js;
	int		 arr, tok, n, i;

	if (pjson_parse(js, text, len) == -1) {
		d->stats.read++;
		pdoc_reject(d, offset, pjson_why(js));
		return (0);
	}
	if (pjson_type(js, 0) == PJSON_OBJECT &&
	    (arr = pjson_get(js, 0, "value")) >= 0 &&
	    pjson_type(js, arr) == PJSON_ARRAY &&
	    pjson_get(js, 0, "Count") >= 0 && pjson_size(js, 0) == 2) {
		n = pjson_size(js, arr);
		tok = pjson_first(js, arr);
		for (i = 0; i < n && tok >= 0; i++) {
			if (evpsjson_event(d, tok, offset) == -1)
				return (-1);
			tok = pjson_skip(js, tok);
		}
		return (0);
	}
	return (evpsjson_event(d, 0, offset));
}

/* Counts event objects read (good or bad), records, objects rejected. */
static void *
evpsjson_new(const char *name, rec_cb cb, rec_err_cb ecb, void *arg)
{
	(void)name;
	return (pdoc_new_json(sizeof(struct pdoc), EVPSJSON_MAXVALUE,
	    evpsjson_value_cb, cb, ecb, arg));
}

const struct parser_ops evpsjson_ops = {
	.name = "event-psjson",
	.new = evpsjson_new,
	.push = pdoc_push,
	.finish = pdoc_finish,
	.error = pdoc_error,
	.stats = pdoc_stats,
	.free = pdoc_free,
};
