/*
 * arena.c: memory for many small objects that are all freed at once, as
 * replay keeps every record until its end.  It comes in large chunks
 * mapped from the kernel and offered to it as transparent huge pages, so
 * that half a gigabyte of records costs a few hundred page faults rather
 * than a hundred thousand, and no allocator header each.
 */

#include <sys/mman.h>

#include <stdint.h>
#include <stdlib.h>

#include "daemon.h"
#include "xmalloc.h"

#define ARENA_CHUNK	(32UL << 20)	/* a multiple of ARENA_HUGE */
#define ARENA_HUGE	(2UL << 20)	/* the huge page: its size, alignment */
#define ARENA_ALIGN	16		/* as malloc's */

struct arena_map {
	void		*addr;
	size_t		 len;
};

struct arena {
	char		*next, *end;	/* the room left in the last chunk */
	struct arena_map *maps;
	size_t		 nmaps, cap;
};

struct arena *
arena_new(void)
{
	return (xcalloc(1, sizeof(struct arena)));
}

/*
 * len bytes, huge-page aligned: the kernel backs a range with huge pages
 * only where it covers whole aligned ones, so a huge page more is mapped
 * and the start moved up to the first boundary.
 */
static char *
arena_map(struct arena *a, size_t len)
{
	struct arena_map	*m;
	char			*p;

	if (a->nmaps == a->cap) {
		a->cap = a->cap == 0 ? 16 : a->cap * 2;
		a->maps = xreallocarray(a->maps, a->cap, sizeof(*a->maps));
	}
	m = &a->maps[a->nmaps];
	m->len = len + ARENA_HUGE;
	if ((m->addr = mmap(NULL, m->len, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)) == MAP_FAILED)
		fatal("mmap %zu bytes", m->len);
	a->nmaps++;
	p = (char *)(((uintptr_t)m->addr + ARENA_HUGE - 1) &
	    ~(uintptr_t)(ARENA_HUGE - 1));
#ifdef MADV_HUGEPAGE
	/* Only a hint: without it the same memory comes in small pages. */
	(void)madvise(p, len, MADV_HUGEPAGE);
#endif
	return (p);
}

void *
arena_alloc(struct arena *a, size_t size)
{
	void	*p;

	size = (size + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
	if (size > (size_t)(a->end - a->next)) {
		/* A large object gets its own map; the chunk stays open. */
		if (size > ARENA_CHUNK / 4)
			return (arena_map(a, size));
		a->next = arena_map(a, ARENA_CHUNK);
		a->end = a->next + ARENA_CHUNK;
	}
	p = a->next;
	a->next += size;
	return (p);
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
