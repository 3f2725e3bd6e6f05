/*
 * replay_main.c: a plain driver for the libFuzzer targets, so that make
 * check can replay the seed corpus and every committed crash reproducer
 * with any compiler, no libFuzzer needed.  Each argument is a file or a
 * directory of files (sorted, dot files skipped); a crash is a crash.
 */

#include <sys/stat.h>

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Runs the target on the contents of one file; -1 if it cannot be read. */
static int
replay_main_file(const char *path)
{
	FILE	*fp;
	uint8_t	*buf = NULL, *p;
	size_t	 len = 0, size = 0, n;

	if ((fp = fopen(path, "rb")) == NULL) {
		perror(path);
		return (-1);
	}
	for (;;) {
		if (len == size) {
			size = size == 0 ? 4096 : size * 2;
			if ((p = realloc(buf, size)) == NULL) {
				perror("realloc");
				exit(1);
			}
			buf = p;
		}
		if ((n = fread(buf + len, 1, size - len, fp)) == 0)
			break;
		len += n;
	}
	if (ferror(fp)) {
		perror(path);
		fclose(fp);
		free(buf);
		return (-1);
	}
	fclose(fp);
	(void)LLVMFuzzerTestOneInput(buf, len);
	free(buf);
	return (0);
}

/* Orders directory entries by name, for a reproducible replay. */
static int
replay_main_cmp(const struct dirent **a, const struct dirent **b)
{
	return (strcmp((*a)->d_name, (*b)->d_name));
}

/* Skips dot files: .gitkeep marks an empty crash directory. */
static int
replay_main_visible(const struct dirent *d)
{
	return (d->d_name[0] != '.');
}

/* Replays every regular file in dir; returns how many, or -1. */
static int
replay_main_dir(const char *dir)
{
	struct dirent	**names;
	struct stat	  st;
	char		 *path;
	int		  i, n, count = 0;

	if ((n = scandir(dir, &names, replay_main_visible,
	    replay_main_cmp)) == -1) {
		perror(dir);
		return (-1);
	}
	for (i = 0; i < n; i++) {
		if (asprintf(&path, "%s/%s", dir, names[i]->d_name) == -1) {
			perror("asprintf");
			exit(1);
		}
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
		    replay_main_file(path) == 0)
			count++;
		free(path);
		free(names[i]);
	}
	free(names);
	return (count);
}

/* Replays each argument; exits 1 only if one could not be read. */
int
main(int argc, char *argv[])
{
	struct stat	 st;
	int		 i, n, count = 0, failed = 0;

	for (i = 1; i < argc; i++) {
		if (stat(argv[i], &st) == -1) {
			perror(argv[i]);
			failed = 1;
			continue;
		}
		if (S_ISDIR(st.st_mode))
			n = replay_main_dir(argv[i]);
		else
			n = replay_main_file(argv[i]) == 0 ? 1 : -1;
		if (n == -1)
			failed = 1;
		else
			count += n;
	}
	printf("replayed %d inputs\n", count);
	return (failed);
}
