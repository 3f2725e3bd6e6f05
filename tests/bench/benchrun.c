/*
 * benchrun.c: runs one command and reports what it cost, for bench.sh.
 * The child's stdout goes to OUTFILE (default /dev/null) so that writing
 * the output to a terminal or pipe is not part of the measurement; its
 * stderr is inherited unless -q.  wait4() gives the child's own CPU
 * times and peak RSS, which GNU time is not always there to give.
 */

#include <sys/types.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Prints the usage line and exits 2. */
static _Noreturn void
benchrun_usage(void)
{
	fprintf(stderr, "usage: benchrun [-o OUTFILE] [-q] -- CMD [ARG ...]\n");
	exit(2);
}

/* Seconds of a timeval as a double. */
static double
benchrun_tv(const struct timeval *tv)
{
	return ((double)tv->tv_sec + (double)tv->tv_usec / 1e6);
}

/*
 * In the child: point stdout (and with -q stderr) where asked and exec.
 * Runs after fork, so it only reports and _exits; 127 is what a shell
 * gives for a command it cannot run.
 */
static _Noreturn void
benchrun_child(const char *outfile, int quiet, char *argv[])
{
	int	fd;

	if ((fd = open(outfile, O_WRONLY | O_CREAT | O_TRUNC, 0644)) == -1) {
		fprintf(stderr, "benchrun: %s: %s\n", outfile, strerror(errno));
		_exit(127);
	}
	if (dup2(fd, STDOUT_FILENO) == -1) {
		fprintf(stderr, "benchrun: dup2: %s\n", strerror(errno));
		_exit(127);
	}
	if (quiet && (fd = open("/dev/null", O_WRONLY)) != -1)
		(void)dup2(fd, STDERR_FILENO);
	if (fd > STDERR_FILENO)
		(void)close(fd);
	execvp(argv[0], argv);
	if (!quiet)
		fprintf(stderr, "benchrun: %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

/* benchrun [-o OUTFILE] [-q] -- CMD [ARG ...]; exits with CMD's status. */
int
main(int argc, char *argv[])
{
	struct rusage	 ru;
	struct timespec	 t0, t1;
	const char	*outfile = "/dev/null";
	double		 wall;
	pid_t		 pid;
	int		 ch, quiet = 0, status, code;

	/* "+": stop at the command, whose options are its own. */
	while ((ch = getopt(argc, argv, "+o:q")) != -1) {
		switch (ch) {
		case 'o':
			outfile = optarg;
			break;
		case 'q':
			quiet = 1;
			break;
		default:
			benchrun_usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1)
		benchrun_usage();

	fflush(NULL);
	if (clock_gettime(CLOCK_MONOTONIC, &t0) == -1) {
		perror("benchrun: clock_gettime");
		exit(2);
	}
	if ((pid = fork()) == -1) {
		perror("benchrun: fork");
		exit(2);
	}
	if (pid == 0)
		benchrun_child(outfile, quiet, argv);

	while (wait4(pid, &status, 0, &ru) == -1) {
		if (errno != EINTR) {
			perror("benchrun: wait4");
			exit(2);
		}
	}
	if (clock_gettime(CLOCK_MONOTONIC, &t1) == -1) {
		perror("benchrun: clock_gettime");
		exit(2);
	}
	wall = (double)(t1.tv_sec - t0.tv_sec) +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;

	/* A signal shows as 128 + its number, the way a shell reports it. */
	if (WIFEXITED(status))
		code = WEXITSTATUS(status);
	else if (WIFSIGNALED(status))
		code = 128 + WTERMSIG(status);
	else
		code = 255;

	/* ru_maxrss is in KiB on Linux. */
	printf("wall=%.3f user=%.3f sys=%.3f maxrss_kib=%ld status=%d\n",
	    wall, benchrun_tv(&ru.ru_utime), benchrun_tv(&ru.ru_stime),
	    ru.ru_maxrss, code);
	if (fflush(stdout) == EOF) {
		perror("benchrun: stdout");
		exit(2);
	}
	return (code);
}
