/*
 * explain.c: syncorr explain, which shows what syncorr understood of a
 * file: every record it yields, one JSON object a line on stdout, with
 * the host replay would give it, and on stderr one line a file,
 * "FILE: FORMAT: N read, M records, K errors", N counting the events,
 * objects, rows or messages read, relevant or not.  Items the parser
 * rejects and files it cannot read are said with their byte offset.
 * With -c only the summary lines are printed (and timed by make bench).
 */

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon.h"

struct explain {
	const struct walk_file	*file;
	int			 count_only;
	struct input_say	 say;
};

static _Noreturn void
explain_usage(void)
{
	fprintf(stderr, "usage: syncorr explain [-c] path ...\n");
	exit(1);
}

static int
explain_record_cb(const struct record *r, void *arg)
{
	struct explain	*ex = arg;
	struct record	 c;
	char		*s;

	if (ex->count_only)
		return (0);
	/* The host replay would give it; the strings stay the parser's. */
	c = *r;
	if (c.host == NULL)
		c.host = ex->file->host;
	if ((s = record_json(&c)) == NULL)
		fatalx("out of memory");
	printf("%s\n", s);
	free(s);
	return (0);
}

static void
explain_error_cb(uint64_t offset, const char *reason, void *arg)
{
	struct explain	*ex = arg;

	input_say_item(&ex->say, offset, reason);
}

/* One file; returns 1 when it had errors or was not understood. */
static int
explain_file(const struct walk_file *f, int count_only)
{
	struct explain		ex;
	struct input_result	res;
	char			esc[1024];

	memset(&ex, 0, sizeof(ex));
	ex.file = f;
	ex.count_only = count_only;
	ex.say.path = f->path;
	(void)input_file(f->path, explain_record_cb, explain_error_cb, &ex,
	    &res);
	if (fflush(stdout) == EOF)
		fatal("stdout");
	input_say_result(&ex.say, &res);
	if (res.status == INPUT_UNKNOWN)
		return (1);
	fprintf(stderr, "%s: %s%s: %llu read, %llu records, %llu errors\n",
	    log_escape(f->path, esc, sizeof(esc)),
	    parser_format_name(res.fmt), res.gzip ? " (gzip)" : "",
	    (unsigned long long)res.stats.read,
	    (unsigned long long)res.stats.records,
	    (unsigned long long)(res.stats.errors +
	    (res.status == INPUT_REJECTED)));
	return (res.status != INPUT_OK || res.stats.errors > 0);
}

/* syncorr explain [-c] PATH…: 0 when every file read cleanly, else 2. */
int
explain_main(int argc, char **argv)
{
	struct walk	w;
	size_t		i;
	int		ch, bad, count_only = 0;

	optind = 1;
	while ((ch = getopt(argc, argv, "c")) != -1) {
		switch (ch) {
		case 'c':
			count_only = 1;
			break;
		default:
			explain_usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0)
		explain_usage();
	memset(&w, 0, sizeof(w));
	for (i = 0; i < (size_t)argc; i++)
		walk_add(&w, argv[i]);
	walk_sort(&w);
	bad = w.errors;
	for (i = 0; i < w.nfiles; i++)
		bad += explain_file(&w.files[i], count_only);
	walk_free(&w);
	return (bad > 0 ? 2 : 0);
}
