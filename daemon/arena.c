/*
 * arena.c: memory for many small objects that are all freed at once, as
 * replay keeps the records of a file until they are fed.  It comes in large chunks
 * mapped from the kernel, so an object costs no allocator header and no
 * search, and freeing is a few munmaps rather than a free per object.
 * Huge pages were tried and dropped: where fresh memory is slow to come
 * by (a virtual machine's first touch), clearing them cost more than the
 * page faults they save, and the cost varied threefold run to run.
 */

#include <sys/mman.h>

#include <stdint.h>
#include <stdlib.h>

#include "daemon.h"
#include "xmalloc.h"

#define ARENA_ALIGN	16		/* as malloc's */

struct arena_map {
	void		*addr;
	size_t		 len;
};

struct arena {
	size_t		 chunk;
	char		*next, *end;	/* the room left in the last chunk */
	struct arena_map *maps;
	size_t		 nmaps, cap;
};

struct arena *
arena_new(size_t chunk)
{
	struct arena	*a;

	a = xcalloc(1, sizeof(*a));
	a->chunk = chunk;
	return (a);
}

/* len bytes more, kept for arena_free. */
static char *
arena_map(struct arena *a, size_t len)
{
	struct arena_map	*m;

	if (a->nmaps == a->cap) {
		a->cap = a->cap == 0 ? 16 : a->cap * 2;
		a->maps = xreallocarray(a->maps, a->cap, sizeof(*a->maps));
	}
	m = &a->maps[a->nmaps];
	m->len = len;
	if ((m->addr = mmap(NULL, len, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)) == MAP_FAILED)
		fatal("mmap %zu bytes", len);
	a->nmaps++;
	return (m->addr);
}

void *
arena_alloc(struct arena *a, size_t size)
{
	void	*p;

	size = (size + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
	if (size > (size_t)(a->end - a->next)) {
		/* A large object gets its own map; the chunk stays open. */
		if (size > a->chunk / 4)
			return (arena_map(a, size));
		a->next = arena_map(a, a->chunk);
		a->end = a->next + a->chunk;
	}
	p = a->next;
	a->next += size;
	return (p);
}

void
arena_reset(struct arena *a)
{
	size_t	i, keep = SIZE_MAX;

	for (i = 0; i < a->nmaps; i++) {
		if (keep == SIZE_MAX && a->maps[i].len == a->chunk)
			keep = i;
		else
			(void)munmap(a->maps[i].addr, a->maps[i].len);
	}
	a->nmaps = 0;
	a->next = a->end = NULL;
	if (keep != SIZE_MAX) {
		a->maps[0] = a->maps[keep];
		a->nmaps = 1;
		a->next = a->maps[0].addr;
		a->end = a->next + a->chunk;
	}
}

void
arena_free(struct arena *a)
{
	size_t	i;

	if (a == NULL)
		return;
	for (i = 0; i < a->nmaps; i++)
		(void)munmap(a->maps[i].addr, a->maps[i].len);
	free(a->maps);
	free(a);
}
