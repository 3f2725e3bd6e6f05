/*
 * test_replay_merge.c: replay's merge of its files by event time.  Files
 * of record lines are written to a scratch directory; each record's
 * objects count is its name, so the order the feed sees can be checked
 * against the one replay promises (time, then path order, then order in
 * the file), read in turns and read whole alike.  Out-of-order files,
 * one that goes out of order past what was fed (the pass gives up and
 * the whole pass is right), the --since/--until window, more files than
 * are read in turns, and an item said once over two passes.
 */

#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "test_util.h"

#include "daemon.h"

#define DAY	INT64_C(1775088000000)	/* 2026-04-02T00:00:00Z */

/* A record as written and as fed: its time and its name. */
struct rec {
	int64_t		 time;
	int64_t		 id;
	size_t		 file;
	size_t		 seq;
};

struct fed {
	struct rec	*v;
	size_t		 n, cap;
};

static void
feed_cb(const struct record *r, void *arg)
{
	struct fed	*f = arg;

	if (f->n == f->cap) {
		f->cap = f->cap == 0 ? 1024 : f->cap * 2;
		assert_non_null(f->v = realloc(f->v, f->cap * sizeof(*f->v)));
	}
	assert_int_equal(r->kind, REC_SNAPSHOT);
	f->v[f->n].time = r->time;
	f->v[f->n++].id = r->u.snap.objects;
}

/* Appends a snapshot record named id at DAY + ms to f. */
static void
put(FILE *f, int64_t ms, int64_t id)
{
	fprintf(f, "{\"kind\":\"snapshot\",\"source\":\"csexport\","
	    "\"connector\":\"contoso.com\",\"time\":"
	    "\"2026-04-02T%02d:%02d:%02d.%03dZ\",\"objects\":%lld,"
	    "\"export_errors\":0,\"import_errors\":0}\n",
	    (int)(ms / 3600000), (int)(ms / 60000 % 60), (int)(ms / 1000 % 60),
	    (int)(ms % 1000), (long long)id);
}

/* The files to write and what they hold. */
struct set {
	struct rec	*v;
	size_t		 n, cap;
	struct walk	 w;
};

static FILE *
set_file(const char *name)
{
	FILE	*f;

	assert_non_null(f = fopen(test_tmp_path(name), "w"));
	return (f);
}

/* Record id of file (in path order) at ms, seq-th of it. */
static void
set_put(struct set *s, FILE *f, size_t file, size_t seq, int64_t ms,
    int64_t id)
{
	put(f, ms, id);
	if (s->n == s->cap) {
		s->cap = s->cap == 0 ? 1024 : s->cap * 2;
		assert_non_null(s->v = realloc(s->v, s->cap * sizeof(*s->v)));
	}
	s->v[s->n++] = (struct rec){ DAY + ms, id, file, seq };
}

static int
rec_cmp(const void *a, const void *b)
{
	const struct rec	*x = a, *y = b;

	if (x->time != y->time)
		return (x->time < y->time ? -1 : 1);
	if (x->file != y->file)
		return (x->file < y->file ? -1 : 1);
	return (x->seq < y->seq ? -1 : x->seq > y->seq);
}

/* What was fed is what s holds, in replay's order. */
static void
check_order(struct set *s, const struct fed *f)
{
	size_t	i;

	qsort(s->v, s->n, sizeof(*s->v), rec_cmp);
	assert_int_equal(f->n, s->n);
	for (i = 0; i < s->n; i++) {
		assert_int_equal(f->v[i].id, s->v[i].id);
		assert_int_equal(f->v[i].time, s->v[i].time);
	}
}

/* One pass over the set's files: its return, the feed in f. */
static int
run(struct set *s, int whole, int64_t since, int64_t until, struct fed *f)
{
	struct replay_merge	*m;
	int			 rc;

	memset(&s->w, 0, sizeof(s->w));
	assert_int_equal(walk_add(&s->w, test_tmp_path("")), 0);
	walk_sort(&s->w);
	m = replay_merge_new(&s->w, since, until);
	f->n = 0;
	rc = replay_merge_run(m, whole, feed_cb, f);
	replay_merge_free(m);
	walk_free(&s->w);
	return (rc);
}

static void
set_free(struct set *s, struct fed *f)
{
	free(s->v);
	free(f->v);
}

/*
 * Three files in order whose times interleave, two of them with the same
 * times (path order breaks the tie): read in turns, nothing held back.
 */
static void
test_merge_interleaved(void **state)
{
	struct set	 s = { 0 };
	struct fed	 f = { 0 };
	FILE		*a, *b, *c;
	size_t		 i;

	(void)state;
	a = set_file("a.jsonl");
	b = set_file("b.jsonl");
	c = set_file("c.jsonl");
	for (i = 0; i < 3000; i++) {
		set_put(&s, a, 0, i, (int64_t)i * 2000, 100000 + (int64_t)i);
		set_put(&s, b, 1, i, (int64_t)i * 2000 + 1000,
		    200000 + (int64_t)i);
		set_put(&s, c, 2, i, (int64_t)i * 2000, 300000 + (int64_t)i);
	}
	fclose(a);
	fclose(b);
	fclose(c);
	assert_int_equal(run(&s, 0, REC_TIME_NONE, REC_TIME_NONE, &f), 0);
	check_order(&s, &f);
	assert_int_equal(run(&s, 1, REC_TIME_NONE, REC_TIME_NONE, &f), 0);
	check_order(&s, &f);
	set_free(&s, &f);
}

/*
 * a.jsonl and b.jsonl, n records each, the i-th at ta(i) and tb(i) ms
 * into the day, named 100000 + i and 200000 + i; left open for more.
 */
static void
set_pair(struct set *s, FILE **a, FILE **b, size_t n, int64_t (*ta)(size_t),
    int64_t (*tb)(size_t))
{
	size_t	i;

	*a = set_file("a.jsonl");
	*b = set_file("b.jsonl");
	for (i = 0; i < n; i++) {
		set_put(s, *a, 0, i, ta(i), 100000 + (int64_t)i);
		set_put(s, *b, 1, i, tb(i), 200000 + (int64_t)i);
	}
}

static int64_t
time_down(size_t i)
{
	return ((int64_t)(3000 - i) * 1000);
}

static int64_t
time_up_half(size_t i)
{
	return ((int64_t)i * 1000 + 500);
}

static int64_t
time_up_late(size_t i)
{
	return (60000 + (int64_t)i * 1000);
}

/* Newest first, as Get-WinEvent writes: sorted, not given up on. */
static void
test_merge_descending(void **state)
{
	struct set	 s = { 0 };
	struct fed	 f = { 0 };
	FILE		*a, *b;

	(void)state;
	set_pair(&s, &a, &b, 3000, time_down, time_up_half);
	fclose(a);
	fclose(b);
	assert_int_equal(run(&s, 0, REC_TIME_NONE, REC_TIME_NONE, &f), 0);
	check_order(&s, &f);
	set_free(&s, &f);
}

/*
 * In order for longer than a chunk, then a record earlier than what was
 * fed: the pass in turns gives up, the whole one has it right.
 */
static void
test_merge_late(void **state)
{
	struct set	 s = { 0 };
	struct fed	 f = { 0 };
	FILE		*a, *b;

	(void)state;
	set_pair(&s, &a, &b, 3000, time_up_late, time_up_late);
	set_put(&s, a, 0, 3000, 0, 199999);
	fclose(a);
	fclose(b);
	assert_int_equal(run(&s, 0, REC_TIME_NONE, REC_TIME_NONE, &f), -1);
	assert_int_equal(run(&s, 1, REC_TIME_NONE, REC_TIME_NONE, &f), 0);
	check_order(&s, &f);
	set_free(&s, &f);
}

/* --since and --until: what happened outside the window is not fed. */
static void
test_merge_window(void **state)
{
	struct set	 s = { 0 };
	struct fed	 f = { 0 };
	FILE		*a;
	size_t		 i, j;

	(void)state;
	a = set_file("a.jsonl");
	for (i = 0; i < 100; i++)
		set_put(&s, a, 0, i, (int64_t)i * 1000, (int64_t)i);
	fclose(a);
	assert_int_equal(run(&s, 0, DAY + 10000, DAY + 19000, &f), 0);
	assert_int_equal(f.n, 10);
	for (j = 0; j < f.n; j++)
		assert_int_equal(f.v[j].id, 10 + (int64_t)j);
	set_free(&s, &f);
}

/*
 * More files than are read in turns, each longer than a chunk: those
 * past the limit are read whole, the order holds.
 */
static void
test_merge_many(void **state)
{
	struct set	 s = { 0 };
	struct fed	 f = { 0 };
	FILE		*fp;
	char		 name[32];
	size_t		 i, j;

	(void)state;
	for (j = 0; j < 90; j++) {
		snprintf(name, sizeof(name), "f%03zu.jsonl", j);
		fp = set_file(name);
		for (i = 0; i < 450; i++)
			set_put(&s, fp, j, i, (int64_t)i * 1000 +
			    (int64_t)(j % 7) * 100, (int64_t)(j * 1000 + i));
		fclose(fp);
	}
	assert_int_equal(run(&s, 0, REC_TIME_NONE, REC_TIME_NONE, &f), 0);
	check_order(&s, &f);
	set_free(&s, &f);
}

/* Counts the lines of path that hold needle. */
static int
count_lines(const char *path, const char *needle)
{
	char	*buf, *p;
	size_t	 len;
	int	 n = 0;

	buf = test_slurp(path, &len);
	for (p = buf; (p = strstr(p, needle)) != NULL; p++)
		n++;
	free(buf);
	return (n);
}

/*
 * A bad line, then a late record: the bad line is said in the first
 * pass and not again in the second, which counts the file as rejected.
 */
static void
test_merge_said_once(void **state)
{
	struct replay_merge	*m;
	struct set		 s = { 0 };
	struct fed		 f = { 0 };
	FILE			*a;
	char			 err[4096];
	size_t			 i;
	int			 fd, saved;

	(void)state;
	a = set_file("a.jsonl");
	for (i = 0; i < 2000; i++) {
		set_put(&s, a, 0, i, 60000 + (int64_t)i * 1000, (int64_t)i);
		if (i == 0)
			fputs("{\"kind\":\"snapshot\", broken\n", a);
	}
	set_put(&s, a, 0, i, 0, 9999);
	fclose(a);
	snprintf(err, sizeof(err), "%s", test_tmp_path("stderr"));

	memset(&s.w, 0, sizeof(s.w));
	assert_int_equal(walk_add(&s.w, test_tmp_path("a.jsonl")), 0);
	fflush(stderr);
	assert_true((saved = dup(2)) != -1);
	assert_true((fd = open(err, O_WRONLY | O_CREAT | O_TRUNC,
	    0600)) != -1);
	assert_int_equal(dup2(fd, 2), 2);
	close(fd);
	m = replay_merge_new(&s.w, REC_TIME_NONE, REC_TIME_NONE);
	assert_int_equal(replay_merge_run(m, 0, feed_cb, &f), -1);
	f.n = 0;
	assert_int_equal(replay_merge_run(m, 1, feed_cb, &f), 1);
	replay_merge_free(m);
	fflush(stderr);
	assert_int_equal(dup2(saved, 2), 2);
	close(saved);
	walk_free(&s.w);

	check_order(&s, &f);
	assert_int_equal(count_lines(err, "not valid JSON"), 1);
	assert_int_equal(count_lines(err, "a.jsonl"), 1);
	set_free(&s, &f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_merge_interleaved,
		    test_tmp_setup, test_tmp_teardown),
		cmocka_unit_test_setup_teardown(test_merge_descending,
		    test_tmp_setup, test_tmp_teardown),
		cmocka_unit_test_setup_teardown(test_merge_late,
		    test_tmp_setup, test_tmp_teardown),
		cmocka_unit_test_setup_teardown(test_merge_window,
		    test_tmp_setup, test_tmp_teardown),
		cmocka_unit_test_setup_teardown(test_merge_many,
		    test_tmp_setup, test_tmp_teardown),
		cmocka_unit_test_setup_teardown(test_merge_said_once,
		    test_tmp_setup, test_tmp_teardown),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
