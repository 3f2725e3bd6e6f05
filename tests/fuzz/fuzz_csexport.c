/*
 * fuzz_csexport.c: libFuzzer target for the csexport parser.  The first
 * input byte picks a chunk size, so the fuzzer also explores how a
 * document split at odd places reaches libxml2's push parser.
 */

#include <stddef.h>
#include <stdint.h>

#include "parsers.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static int
fuzz_csexport_cb(const struct record *r, void *arg)
{
	size_t	*n = arg;

	/* Touch the strings, so a dangling pointer shows under ASan. */
	if (r->kind == REC_EXPORT_ERROR && r->u.xerr.dn != NULL)
		*n += (size_t)r->u.xerr.dn[0];
	(*n)++;
	return (0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct csexport	*cx;
	size_t		 chunk, off, n, seen = 0;

	if (size == 0)
		return (0);
	parser_init();
	chunk = (size_t)data[0] * 16 + 1;
	data++;
	size--;
	if ((cx = csexport_new("csexport-contoso.com-20260402T100104Z.xml",
	    fuzz_csexport_cb, &seen)) == NULL)
		return (0);
	for (off = 0; off < size; off += n) {
		n = size - off < chunk ? size - off : chunk;
		if (csexport_push(cx, data + off, n) == -1)
			break;
	}
	if (off >= size)
		(void)csexport_finish(cx);
	(void)csexport_error(cx, NULL);
	csexport_free(cx);
	return (0);
}
