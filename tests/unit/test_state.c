/*
 * test_state.c: the correlator's state saved and restored.  A correlator
 * restored from what another saved must go on exactly as the original
 * does: the same records after the save give the same transitions, byte
 * for byte, and nothing said before the save is said again.  Saves hand
 * out only what changed, and evicted incidents as deletions.
 */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "test_correlate.h"

#define MAXDOCS	256

/* The documents of one save, as a database would keep them. */
struct docs {
	enum state_kind	 kind[MAXDOCS];
	char		*key[MAXDOCS];
	char		*doc[MAXDOCS];	/* NULL: deleted */
	size_t		 n;
};

static void
docs_cb(enum state_kind kind, const char *key, const char *doc, void *arg)
{
	struct docs	*d = arg;
	size_t		 i;

	for (i = 0; i < d->n; i++)
		if (d->kind[i] == kind && strcmp(d->key[i], key) == 0)
			break;
	if (i == d->n) {
		assert_true(d->n < MAXDOCS);
		d->kind[i] = kind;
		d->key[i] = strdup(key);
		d->doc[i] = NULL;
		d->n++;
	}
	free(d->doc[i]);
	d->doc[i] = doc != NULL ? strdup(doc) : NULL;
}

static void
docs_free(struct docs *d)
{
	size_t	i;

	for (i = 0; i < d->n; i++) {
		free(d->key[i]);
		free(d->doc[i]);
	}
	d->n = 0;
}

/* A correlator restored from d, as the daemon does at start. */
static struct correlate *
restore(struct seen *s, const struct docs *d)
{
	struct correlate	*c = new_correlate(s);
	size_t			 i;

	for (i = 0; i < d->n; i++)
		if (d->kind[i] == STATE_HOST)
			assert_int_equal(state_load(c, STATE_HOST,
			    d->doc[i]), 0);
	for (i = 0; i < d->n; i++)
		if (d->kind[i] == STATE_INCIDENT && d->doc[i] != NULL)
			assert_int_equal(state_load(c, STATE_INCIDENT,
			    d->doc[i]), 0);
	for (i = 0; i < d->n; i++)
		if (d->kind[i] == STATE_HOST)
			assert_int_equal(state_load(c, STATE_LINKS,
			    d->doc[i]), 0);
	return (c);
}

/* Half the story: denied, collision, connectivity, an alert waiting. */
static void
story_before(struct correlate *c)
{
	struct record	r;

	correlate_host_add(c, HOST, NULL, 0, NULL, 0, "CONTOSO\\MSOL_1");
	r = run(HOST, ADCONN, "export", "completed-export-errors", T0);
	feed(c, &r);
	r = xerr(HOST, ALICE, NULL, -1);
	r.source = REC_SRC_RUNHIST;
	feed(c, &r);
	r = aaderr(HOST, "AttributeValueMustBeUnique", "CN={AB12}");
	feed(c, &r);
	r = run(HOST, AADCONN, "export", "stopped-connectivity", T0 + MIN);
	feed(c, &r);
	r = alert(HOST ".contoso.com", "import-from-ad-failed",
	    REC_ALERT_RAISED, T0 + 2 * MIN);
	feed(c, &r);
	correlate_flush(c);
}

/* The rest: the dump sharpens, the AAD side recovers, time passes. */
static void
story_after(struct correlate *c)
{
	struct record	r;

	r = xerr(HOST, ALICE, KCL, 1);
	r.time = T0 + HOUR;
	feed(c, &r);
	r = xerr(HOST, BOB, KCL, 1);
	r.time = T0 + HOUR;
	feed(c, &r);
	r = run(HOST, AADCONN, "export", "success", T0 + 2 * HOUR);
	feed(c, &r);
	r = snap(HOST, ADCONN, T0 + 3 * HOUR);
	feed(c, &r);
	r = run(HOST, ADCONN, "export", "success", T0 + 4 * HOUR);
	feed(c, &r);
	correlate_tick(c, T0 + 5 * DAY);
	correlate_finish(c);
}

/* Saved halfway and restored: the rest of the story is the same. */
static void
test_state_roundtrip(void **state)
{
	struct correlate	*a, *b;
	struct seen		 sa, sb;
	struct docs		 d = { .n = 0 };
	char			*ja, *jb;
	size_t			 before;

	(void)state;
	a = new_correlate(&sa);
	story_before(a);
	state_save(a, 0, docs_cb, &d);
	assert_true(d.n >= 3);
	before = sa.nv;
	b = restore(&sb, &d);
	story_after(a);
	story_after(b);
	assert_true(sa.nv > before);
	/* b says what a says after the save, and nothing before it. */
	seen_skip(&sa, before);
	ja = seen_dump(&sa);
	jb = seen_dump(&sb);
	assert_string_equal(ja, jb);
	free(ja);
	free(jb);
	docs_free(&d);
	correlate_free(a);
	correlate_free(b);
	seen_free(&sa);
	seen_free(&sb);
}

/* A second save hands out only what changed; all set, everything. */
static void
test_state_incremental(void **state)
{
	struct correlate	*c;
	struct seen		 s;
	struct record		 r;
	struct docs		 d = { .n = 0 }, e = { .n = 0 };

	(void)state;
	c = new_correlate(&s);
	story_before(c);
	state_save(c, 0, docs_cb, &d);
	state_save(c, 0, docs_cb, &e);
	assert_int_equal(e.n, 0);
	r = xerr(HOST, ALICE, NULL, -1);
	r.source = REC_SRC_RUNHIST;
	r.time = T0 + 30 * MIN;
	feed(c, &r);
	correlate_flush(c);
	state_save(c, 0, docs_cb, &e);
	/* The host, and the one incident the record touched. */
	assert_int_equal(e.n, 2);
	docs_free(&e);
	state_save(c, 1, docs_cb, &e);
	assert_int_equal(e.n, d.n);
	docs_free(&d);
	docs_free(&e);
	correlate_free(c);
	seen_free(&s);
}

/* An evicted incident is saved as deleted; junk is refused. */
static void
test_state_evicted_and_junk(void **state)
{
	struct correlate_params	 p;
	struct correlate	*c;
	struct seen		 s;
	struct record		 r;
	struct docs		 d = { .n = 0 };
	char			 dn[64];
	size_t			 i, gone = 0;
	int			 k;

	(void)state;
	memset(&p, 0, sizeof(p));
	p.host_max = 2;
	c = new_correlate_params(&s, &p);
	for (k = 0; k < 4; k++) {
		snprintf(dn, sizeof(dn), "CN=U%d,OU=Sales,DC=contoso,DC=com",
		    k);
		r = aderr(HOST, dn, "cd-missing-object");
		r.time = T0 + k * MIN;
		feed(c, &r);
	}
	correlate_flush(c);
	state_save(c, 0, docs_cb, &d);
	for (i = 0; i < d.n; i++)
		if (d.kind[i] == STATE_INCIDENT && d.doc[i] == NULL)
			gone++;
	assert_int_equal(gone, 2);
	assert_int_equal(state_load(c, STATE_INCIDENT, "not json"), -1);
	assert_int_equal(state_load(c, STATE_INCIDENT, "[1]"), -1);
	assert_int_equal(state_load(c, STATE_INCIDENT, "{\"id\":\"x\"}"), -1);
	assert_int_equal(state_load(c, STATE_HOST, "{}"), -1);
	docs_free(&d);
	correlate_free(c);
	seen_free(&s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_state_roundtrip),
		cmocka_unit_test(test_state_incremental),
		cmocka_unit_test(test_state_evicted_and_junk),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
