/*
 * walk.c: turns the paths a user names into the list of files to read.
 * A directory is a spool root laid out as spool/<host>/…: each child
 * directory names a Connect server and everything below it is that
 * server's.  A Maildir among the children (new/ and cur/ inside) is mail,
 * not a host.  Hidden files and Maildir tmp/ are passed over; the list is
 * sorted so that every run reads the same files in the same order.
 */

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "daemon.h"
#include "xmalloc.h"

#define WALK_MAXDEPTH	16

static void
walk_push(struct walk *w, const char *path, const char *host, int explicit)
{
	struct walk_file	*f;

	if (w->nfiles == w->cap) {
		w->cap = w->cap == 0 ? 64 : w->cap * 2;
		w->files = xreallocarray(w->files, w->cap, sizeof(*w->files));
	}
	f = &w->files[w->nfiles++];
	f->path = xstrdup(path);
	f->host = host != NULL ? xstrdup(host) : NULL;
	f->explicit = explicit;
}

static int
walk_is_dir(const char *path, const char *name)
{
	struct stat	 st;
	char		*p;
	int		 rc;

	xasprintf(&p, "%s/%s", path, name);
	rc = stat(p, &st) == 0 && S_ISDIR(st.st_mode);
	free(p);
	return (rc);
}

/* A Maildir holds new/ and cur/. */
static int
walk_is_maildir(const char *path)
{
	return (walk_is_dir(path, "new") && walk_is_dir(path, "cur"));
}

/*
 * Every regular file below dir, as files of host (NULL: unknown).  At
 * depth 0 dir is a spool root: each child directory names its host,
 * unless it is a Maildir, whose mail belongs to no host by its place.
 */
static int
walk_tree(struct walk *w, const char *dir, const char *host, int depth)
{
	struct dirent	*de;
	struct stat	 st;
	DIR		*d;
	char		*p;
	char		 esc[512];
	int		 rc = 0, maildir;

	if (depth > WALK_MAXDEPTH) {
		log_warnx("%s: directories nested too deeply, not read",
		    log_escape(dir, esc, sizeof(esc)));
		w->errors++;
		return (-1);
	}
	if ((d = opendir(dir)) == NULL) {
		log_warn("%s", log_escape(dir, esc, sizeof(esc)));
		w->errors++;
		return (-1);
	}
	maildir = depth > 0 && walk_is_maildir(dir);
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if (maildir && strcmp(de->d_name, "tmp") == 0)
			continue;	/* mail still being delivered */
		xasprintf(&p, "%s/%s", dir, de->d_name);
		if (stat(p, &st) == -1) {
			log_warn("%s", log_escape(p, esc, sizeof(esc)));
			w->errors++;
			rc = -1;
		} else if (S_ISDIR(st.st_mode)) {
			if (depth == 0)
				host = walk_is_maildir(p) ? NULL : de->d_name;
			if (walk_tree(w, p, host, depth + 1) == -1)
				rc = -1;
		} else if (S_ISREG(st.st_mode))
			walk_push(w, p, depth == 0 ? NULL : host, 0);
		free(p);
	}
	closedir(d);
	return (rc);
}

/* Adds a file, or a directory as a spool root. */
int
walk_add(struct walk *w, const char *path)
{
	struct stat	 st;
	char		*dir, *host;
	char		 esc[512];
	size_t		 len;
	int		 rc;

	if (stat(path, &st) == -1) {
		log_warn("%s", log_escape(path, esc, sizeof(esc)));
		w->errors++;
		return (-1);
	}
	if (S_ISDIR(st.st_mode)) {
		len = strlen(path);
		dir = xstrdup(path);
		while (len > 1 && dir[len - 1] == '/')
			dir[--len] = '\0';
		rc = walk_tree(w, dir, NULL, 0);
		free(dir);
		return (rc);
	}
	/* A file: its directory's name is the host, as in the spool. */
	dir = xstrdup(path);
	if ((host = strrchr(dir, '/')) != NULL) {
		*host = '\0';
		host = (host = strrchr(dir, '/')) != NULL ? host + 1 : dir;
		if (*host == '\0' || strcmp(host, ".") == 0 ||
		    strcmp(host, "..") == 0)
			host = NULL;
	}
	walk_push(w, path, host, 1);
	free(dir);
	return (0);
}

static int
walk_cmp(const void *a, const void *b)
{
	return (strcmp(((const struct walk_file *)a)->path,
	    ((const struct walk_file *)b)->path));
}

/* Sorts the files by path. */
void
walk_sort(struct walk *w)
{
	if (w->nfiles > 1)
		qsort(w->files, w->nfiles, sizeof(*w->files), walk_cmp);
}

void
walk_free(struct walk *w)
{
	size_t	i;

	for (i = 0; i < w->nfiles; i++) {
		free(w->files[i].path);
		free(w->files[i].host);
	}
	free(w->files);
	memset(w, 0, sizeof(*w));
}
