/*
 * pdoc.c: the body shared by the parsers that read a stream of JSON
 * values (pjson_split) or CSV rows (pcsv): how they are made and freed,
 * how bytes reach the reader, how an item is rejected (counted, said,
 * and the rest read), how a record is emitted, and how a failure of the
 * whole input keeps its first reason and offset.  A format parser puts a
 * struct pdoc first in its own state, so that the pdoc_* functions below
 * serve directly as its parser_ops, and keeps only what reads its values.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parsers.h"

/* An item the reader itself refused (too long, cut off, not JSON). */
static void
pdoc_reader_err_cb(uint64_t offset, const char *reason, void *arg)
{
	struct pdoc	*d = arg;

	d->stats.read++;
	pdoc_reject(d, offset, reason);
}

static struct pdoc *
pdoc_alloc(size_t size, rec_cb cb, rec_err_cb ecb, void *arg)
{
	struct pdoc	*d;

	if (size < sizeof(*d) || (d = calloc(1, size)) == NULL)
		return (NULL);
	d->cb = cb;
	d->ecb = ecb;
	d->arg = arg;
	return (d);
}

/* A parser state of size bytes (a struct pdoc first) reading JSON. */
void *
pdoc_new_json(size_t size, size_t maxvalue, pjson_value_cb value, rec_cb cb,
    rec_err_cb ecb, void *arg)
{
	struct pdoc	*d;

	if ((d = pdoc_alloc(size, cb, ecb, arg)) == NULL)
		return (NULL);
	d->js = pjson_new();
	d->split = pjson_split_new(maxvalue, value, pdoc_reader_err_cb, d);
	if (d->js == NULL || d->split == NULL) {
		pdoc_free(d);
		return (NULL);
	}
	return (d);
}

/* The same, reading CSV: header is called once, with the header row. */
void *
pdoc_new_csv(size_t size, size_t maxrow, pcsv_header_cb header,
    pcsv_row_cb row, rec_cb cb, rec_err_cb ecb, void *arg)
{
	struct pdoc	*d;

	if ((d = pdoc_alloc(size, cb, ecb, arg)) == NULL)
		return (NULL);
	if ((d->csv = pcsv_new(maxrow, header, row, pdoc_reader_err_cb,
	    d)) == NULL) {
		pdoc_free(d);
		return (NULL);
	}
	return (d);
}

/* Rejects one item: counted, said, and the rest is read. */
void
pdoc_reject(struct pdoc *d, uint64_t offset, const char *reason)
{
	d->stats.errors++;
	if (d->ecb != NULL)
		d->ecb(offset, reason, d->arg);
}

/* Fails the whole input; the first reason is kept.  Returns -1. */
int
pdoc_fail(struct pdoc *d, uint64_t offset, const char *reason)
{
	if (!d->failed) {
		d->failed = 1;
		d->erroff = offset;
		snprintf(d->errbuf, sizeof(d->errbuf), "%s", reason);
	}
	return (-1);
}

/*
 * Hands r on; -1 (and the input failed) when the callback says stop.  A
 * record counts once the callback took it.
 */
int
pdoc_emit(struct pdoc *d, const struct record *r, uint64_t offset)
{
	if (d->cb(r, d->arg) == -1)
		return (pdoc_fail(d, offset, "stopped by the record callback"));
	d->stats.records++;
	return (0);
}

/* An event read: to its record through evt_emit, if it is one. */
int
pdoc_event(struct pdoc *d, const struct evt *ev, uint64_t offset)
{
	switch (evt_emit(ev, d->cb, d->arg)) {
	case -1:
		return (pdoc_fail(d, offset, "stopped by the record callback"));
	case 1:
		d->stats.records++;
		break;
	}
	return (0);
}

/* After the reader returned rc: its own failure, unless ours came first. */
static int
pdoc_check(struct pdoc *d, int rc)
{
	const char	*why;
	uint64_t	 off = 0;

	if (rc == 0 && !d->failed)
		return (0);
	why = d->split != NULL ? pjson_split_error(d->split, &off) :
	    pcsv_error(d->csv, &off);
	return (pdoc_fail(d, off, why != NULL ? why : "unreadable input"));
}

int
pdoc_push(void *v, const void *buf, size_t len)
{
	struct pdoc	*d = v;

	if (d->failed)
		return (-1);
	return (pdoc_check(d, d->split != NULL ?
	    pjson_split_push(d->split, buf, len) :
	    pcsv_push(d->csv, buf, len)));
}

int
pdoc_finish(void *v)
{
	struct pdoc	*d = v;

	if (d->failed)
		return (-1);
	return (pdoc_check(d, d->split != NULL ?
	    pjson_split_finish(d->split) : pcsv_finish(d->csv)));
}

const char *
pdoc_error(const void *v, uint64_t *offset)
{
	const struct pdoc	*d = v;

	if (!d->failed)
		return (NULL);
	if (offset != NULL)
		*offset = d->erroff;
	return (d->errbuf);
}

const struct parser_stats *
pdoc_stats(const void *v)
{
	const struct pdoc	*d = v;

	return (&d->stats);
}

void
pdoc_free(void *v)
{
	struct pdoc	*d = v;

	if (d == NULL)
		return;
	pjson_split_free(d->split);
	pjson_free(d->js);
	pcsv_free(d->csv);
	free(d);
}
