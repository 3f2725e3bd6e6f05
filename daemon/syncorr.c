/*
 * syncorr.c: the command-line tool.  One binary, one subcommand per job:
 * replay runs the daemon's pipeline over archived files for an
 * investigation; explain shows the records a file yields; status shows
 * what the running daemon has done and holds.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon.h"

static _Noreturn void
syncorr_usage(void)
{
	fprintf(stderr,
	    "usage: syncorr replay [-f config] [--since time] [--until time]\n"
	    "                      [--host host] [--format json|text|rfc5424]\n"
	    "                      [--db file] path ...\n"
	    "       syncorr explain [-c] path ...\n"
	    "       syncorr status [-f config]\n");
	exit(1);
}

int
main(int argc, char **argv)
{
	log_init(1, 0);
	parser_init();
	if (argc < 2)
		syncorr_usage();
	if (strcmp(argv[1], "replay") == 0)
		return (replay_main(argc - 1, argv + 1));
	if (strcmp(argv[1], "explain") == 0)
		return (explain_main(argc - 1, argv + 1));
	if (strcmp(argv[1], "status") == 0)
		return (status_main(argc - 1, argv + 1));
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0)
		syncorr_usage();
	fprintf(stderr, "syncorr: unknown command \"%s\"\n", argv[1]);
	syncorr_usage();
}
