/*
 * notify.c: the few lines of the systemd notification protocol syncorrd
 * needs (READY=1, RELOADING=1, STOPPING=1, WATCHDOG=1, STATUS=…), without
 * libsystemd: one datagram to the socket $NOTIFY_SOCKET names, an
 * abstract one when it starts with '@'.  Without the variable (not run by
 * systemd) every call does nothing.
 */

#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "daemon.h"

/* Sends state to the service manager; 0, or -1 (not under systemd too). */
int
notify_send(const char *state)
{
	struct sockaddr_un	 sun;
	const char		*path;
	socklen_t		 len;
	ssize_t			 n;
	int			 fd;

	if ((path = getenv("NOTIFY_SOCKET")) == NULL ||
	    (path[0] != '/' && path[0] != '@') ||
	    strlen(path) >= sizeof(sun.sun_path))
		return (-1);
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path, path, strlen(path));
	if (path[0] == '@')
		sun.sun_path[0] = '\0';
	len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) +
	    strlen(path));
	if ((fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1)
		return (-1);
	do {
		n = sendto(fd, state, strlen(state), MSG_NOSIGNAL,
		    (struct sockaddr *)&sun, len);
	} while (n == -1 && errno == EINTR);
	close(fd);
	return (n == (ssize_t)strlen(state) ? 0 : -1);
}

/*
 * How often to say WATCHDOG=1, in microseconds: half the interval
 * systemd expects ($WATCHDOG_USEC, for this process), or 0 for never.
 */
uint64_t
notify_watchdog_usec(void)
{
	const char		*s, *pid;
	unsigned long long	 usec;
	char			*end;

	if ((s = getenv("WATCHDOG_USEC")) == NULL)
		return (0);
	if ((pid = getenv("WATCHDOG_PID")) != NULL &&
	    strtol(pid, NULL, 10) != (long)getpid())
		return (0);
	errno = 0;
	usec = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0' || usec == 0)
		return (0);
	return ((uint64_t)usec / 2);
}
