/*
 * config.c: the configuration from disk.  conf/ parses buffers only; this
 * file reads the main file and every file it includes, hands the bytes to
 * conf_parse_load and prints the errors in the "FILE:LINE: message" form
 * that syncorrd -n promises.
 */

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "daemon.h"
#include "xmalloc.h"

#define CONFIG_MAXSIZE	(4 << 20)	/* a config file larger than this is a mistake */

/* Reads path whole; -1 with a static reason on failure. */
static int
config_read(const char *path, char **bufp, size_t *lenp, const char **reason)
{
	struct stat	 st;
	char		*buf;
	size_t		 len = 0;
	ssize_t		 n;
	int		 fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		*reason = strerror(errno);
		return (-1);
	}
	if (fstat(fd, &st) == -1) {
		*reason = strerror(errno);
		close(fd);
		return (-1);
	}
	if (!S_ISREG(st.st_mode) || st.st_size > CONFIG_MAXSIZE) {
		*reason = S_ISREG(st.st_mode) ? "file too large" :
		    "not a regular file";
		close(fd);
		return (-1);
	}
	buf = xmalloc((size_t)st.st_size + 1);
	while (len < (size_t)st.st_size &&
	    (n = read(fd, buf + len, (size_t)st.st_size - len)) != 0) {
		if (n == -1) {
			if (errno == EINTR)
				continue;
			*reason = strerror(errno);
			free(buf);
			close(fd);
			return (-1);
		}
		len += (size_t)n;
	}
	close(fd);
	*bufp = buf;
	*lenp = len;
	return (0);
}

static int
config_load_cb(const char *path, char **buf, size_t *len,
    const char **reason, void *arg)
{
	(void)arg;
	return (config_read(path, buf, len, reason));
}

/* Loads path; prints every error; returns their number. */
int
config_load(const char *path, struct conf **confp)
{
	struct conf_errors	 errors;
	struct conf_error	*e;
	const char		*reason;
	char			*buf;
	size_t			 len;
	int			 n;

	*confp = NULL;
	if (config_read(path, &buf, &len, &reason) == -1) {
		fprintf(stderr, "%s: %s\n", path, reason);
		return (1);
	}
	conf_errors_init(&errors);
	n = conf_parse_load(buf, len, path, config_load_cb, NULL, confp,
	    &errors);
	free(buf);
	TAILQ_FOREACH(e, &errors, entry)
		fprintf(stderr, "%s\n", e->msg);
	conf_errors_free(&errors);
	return (n);
}
