/*
 * syncorrd.c: the daemon's entry point.  -n checks a configuration file
 * and exits 0 when it is valid, 1 otherwise, printing every error as
 * "FILE:LINE: message" (the ExecStartPre of the systemd unit).
 */

#include <stdio.h>
#include <stdlib.h>
#include <syslog.h>
#include <unistd.h>

#include "daemon.h"

#define SYNCORRD_CONF	"/etc/syncorr/syncorr.conf"

static _Noreturn void
syncorrd_usage(void)
{
	fprintf(stderr, "usage: syncorrd [-dnv] [-f file]\n");
	exit(1);
}

int
main(int argc, char **argv)
{
	struct conf	*conf;
	const char	*file = SYNCORRD_CONF;
	int		 ch, noaction = 0, verbose = 0;

	while ((ch = getopt(argc, argv, "df:nv")) != -1) {
		switch (ch) {
		case 'd':
			/* Foreground: the only way this build runs. */
			break;
		case 'f':
			file = optarg;
			break;
		case 'n':
			noaction = 1;
			break;
		case 'v':
			verbose++;
			break;
		default:
			syncorrd_usage();
		}
	}
	if (optind != argc)
		syncorrd_usage();
	log_init(1, LOG_DAEMON);
	parser_init();
	log_setverbose(verbose);

	if (config_load(file, &conf) != 0)
		exit(1);
	if (noaction) {
		fprintf(stderr, "%s: configuration OK\n", file);
		conf_free(conf);
		exit(0);
	}
	conf_free(conf);
	fatalx("watching the spool is not available in this build; "
	    "use -n to check a configuration, or syncorr replay");
}
