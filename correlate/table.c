/*
 * table.c: a string-keyed hash table with open addressing, for incidents
 * by fingerprint and hosts by name.  Lookups are O(1) however many
 * incidents are open, which is what keeps correlation flat as state grows.
 * Keys are not copied: each value owns its key.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "correlate.h"
#include "xmalloc.h"

struct table_slot {
	const char	*key;		/* NULL: empty */
	void		*value;		/* NULL with a key: deleted */
	uint64_t	 hash;
};

struct table {
	struct table_slot	*slots;
	size_t			 size;		/* a power of two */
	size_t			 count;
	size_t			 used;		/* count plus tombstones */
};

/*
 * FNV-1a over the key's bytes: a byte a step, but the hash "shard N/M"
 * is documented to use, so it stays as it is.
 */
uint64_t
table_hash(const char *key)
{
	uint64_t	h = 1469598103934665603ULL;

	for (; *key != '\0'; key++) {
		h ^= (unsigned char)*key;
		h *= 1099511628211ULL;
	}
	return (h);
}

/*
 * The table's own hash, eight bytes a step: keys of host, connector and
 * DN run to a hundred bytes, and FNV-1a's chain of multiplies over each
 * byte was the most of a lookup.  The end is murmur3's finalizer, so the
 * low bits the slot index takes depend on every byte.
 */
static uint64_t
table_mix(const char *key)
{
	const uint64_t	 m = 0xff51afd7ed558ccdULL;
	size_t		 len = strlen(key);
	uint64_t	 h = 0x9e3779b97f4a7c15ULL ^ len, w;

	for (; len >= 8; key += 8, len -= 8) {
		memcpy(&w, key, 8);
		h = (h ^ w) * m;
		h ^= h >> 32;
	}
	if (len > 0) {
		w = 0;
		memcpy(&w, key, len);
		h = (h ^ w) * m;
	}
	h ^= h >> 33;
	h *= m;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return (h);
}

/* An empty table. */
struct table *
table_new(void)
{
	struct table	*t;

	t = xcalloc(1, sizeof(*t));
	t->size = 64;
	t->slots = xcalloc(t->size, sizeof(*t->slots));
	return (t);
}

/* Frees the table, not the values. */
void
table_free(struct table *t)
{
	if (t == NULL)
		return;
	free(t->slots);
	free(t);
}

/* The slot holding key, or NULL. */
static struct table_slot *
table_find(const struct table *t, const char *key, uint64_t h)
{
	size_t	i, mask = t->size - 1;

	for (i = h & mask;; i = (i + 1) & mask) {
		if (t->slots[i].key == NULL)
			return (NULL);
		if (t->slots[i].value != NULL && t->slots[i].hash == h &&
		    strcmp(t->slots[i].key, key) == 0)
			return (&t->slots[i]);
	}
}

/* Rehashes into size slots, dropping tombstones. */
static void
table_resize(struct table *t, size_t size)
{
	struct table_slot	*old = t->slots;
	size_t			 i, j, oldsize = t->size;

	t->slots = xcalloc(size, sizeof(*t->slots));
	t->size = size;
	t->used = t->count;
	for (i = 0; i < oldsize; i++) {
		if (old[i].key == NULL || old[i].value == NULL)
			continue;
		for (j = old[i].hash & (size - 1); t->slots[j].key != NULL;
		    j = (j + 1) & (size - 1))
			;
		t->slots[j] = old[i];
	}
	free(old);
}

/* The value under key, or NULL. */
void *
table_get(const struct table *t, const char *key)
{
	struct table_slot	*s;

	s = table_find(t, key, table_mix(key));
	return (s == NULL ? NULL : s->value);
}

/* Inserts or replaces value (not NULL) under key. */
void
table_put(struct table *t, const char *key, void *value)
{
	struct table_slot	*s;
	uint64_t		 h = table_mix(key);
	size_t			 i;

	if ((s = table_find(t, key, h)) != NULL) {
		s->key = key;
		s->value = value;
		return;
	}
	/* Keep the table at most 70 % full, tombstones included. */
	if ((t->used + 1) * 10 > t->size * 7)
		table_resize(t, t->count * 2 * 10 > t->size * 7 ?
		    t->size * 2 : t->size);
	for (i = h & (t->size - 1);; i = (i + 1) & (t->size - 1)) {
		if (t->slots[i].key == NULL)
			break;
	}
	t->slots[i].key = key;
	t->slots[i].value = value;
	t->slots[i].hash = h;
	t->count++;
	t->used++;
}

/* Removes key; returns its value or NULL. */
void *
table_del(struct table *t, const char *key)
{
	struct table_slot	*s;
	void			*v;

	if ((s = table_find(t, key, table_mix(key))) == NULL)
		return (NULL);
	v = s->value;
	s->value = NULL;	/* a tombstone: probing goes on past it */
	t->count--;
	return (v);
}

/* How many keys the table holds. */
size_t
table_count(const struct table *t)
{
	return (t->count);
}

/*
 * The first len bytes of s (all of it when len is -1) in lower case, as
 * keys are: names of hosts, connectors and DNs compare ignoring case
 * (xmalloc'd).
 */
char *
table_lower(const char *s, long len)
{
	char	*k;
	size_t	 n;

	n = len < 0 ? strlen(s) : (size_t)len;
	k = xmalloc(n + 1);
	table_lower_copy(k, s, n);
	k[n] = '\0';
	return (k);
}

/*
 * len bytes of src into dst, A-Z as a-z, eight bytes a step: in each,
 * the bytes below 0x80 whose low seven bits reach 'A' but not past 'Z'
 * get 0x20 added; no sum carries into the next byte.
 */
void
table_lower_copy(char *dst, const char *src, size_t len)
{
	const uint64_t	 hi = 0x8080808080808080ULL;
	uint64_t	 w, low, upper;

	for (; len >= 8; src += 8, dst += 8, len -= 8) {
		memcpy(&w, src, 8);
		low = w & ~hi;
		upper = (low + 0x3f3f3f3f3f3f3f3fULL) &
		    ~(low + 0x2525252525252525ULL) & ~w & hi;
		w |= upper >> 2;
		memcpy(dst, &w, 8);
	}
	for (; len > 0; src++, dst++, len--)
		*dst = *src >= 'A' && *src <= 'Z' ? *src - 'A' + 'a' : *src;
}
