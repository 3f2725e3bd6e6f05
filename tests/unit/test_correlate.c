/*
 * test_correlate.c: what one incident is, from records in to transitions
 * out, with the clock in the test's hands.  It checks the lifecycle
 * (repeated cycles are silent, a dump without the object plus a successful
 * export resolve, a returning fault reopens the same id), reminders, what
 * one incident groups (an attribute for AdminSDHolder, an OU for a missing
 * grant, an object for other errors), protection inferred and then known,
 * and how run history and event 6100 join the dump's evidence.  The sync
 * cycle and the correlator's machinery are in test_correlate_cycle.c,
 * Connect Health mail and the cloud side in test_correlate_mail.c.
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

/* n sync cycles of ALICE denied on KCL, each with its dump; the last time. */
static int64_t
cycles(struct correlate *c, int n)
{
	struct record	r;
	int64_t		t = T0;
	int		i;

	for (i = 0; i < n; i++) {
		t = T0 + i * 30 * MIN;
		r = xerr(HOST, ALICE, KCL, 1);
		r.time = r.u.xerr.date_occurred = t;
		r.u.xerr.retry_count = 10 + i;
		feed(c, &r);
		r = snap(HOST, ADCONN, t);
		feed(c, &r);
	}
	return (t);
}

/* Six cycles of the same fault: one open, nothing else. */
static void
test_lifecycle_repeat_is_silent(void **state)
{
	struct correlate	*c;
	struct seen		 s;

	(void)state;
	c = new_correlate(&s);
	cycles(c, 6);
	correlate_flush(c);
	assert_int_equal(s.n[INC_OPEN], 1);
	assert_int_equal(s.n[INC_UPDATE], 0);
	assert_int_equal(s.n[INC_RESOLVE], 0);
	assert_int_equal(seen_ids(&s), 1);
	assert_int_equal(correlate_stats(c)->incidents, 1);
	assert_string_equal(j_str(s.last, "class"),
	    "adminsdholder-writeback-denied");
	correlate_free(c);
	seen_free(&s);
}

/* Fixed: the dump without the object, then a successful export. */
static void
test_lifecycle_snapshot_then_export(void **state)
{
	struct correlate	*c;
	struct record		 r;
	struct seen		 s;
	int64_t			 t;

	(void)state;
	c = new_correlate(&s);
	t = cycles(c, 6) + 30 * MIN;
	r = snap(HOST, ADCONN, t);
	feed(c, &r);
	correlate_flush(c);
	/* The dump alone: not yet. */
	assert_int_equal(s.n[INC_RESOLVE], 0);
	r = run(HOST, ADCONN, "export", "success", t + 5 * MIN);
	feed(c, &r);
	correlate_flush(c);
	assert_int_equal(s.n[INC_OPEN], 1);
	assert_int_equal(s.n[INC_RESOLVE], 1);
	assert_string_equal(j_str(s.last, "state"), "resolve");
	assert_string_equal(s.v[s.nv - 1].id, s.v[0].id);
	correlate_free(c);
	seen_free(&s);
}

/* The export's success known first: the dump resolves at once. */
static void
test_lifecycle_export_then_snapshot(void **state)
{
	struct correlate	*c;
	struct record		 r;
	struct seen		 s;
	int64_t			 t;

	(void)state;
	c = new_correlate(&s);
	t = cycles(c, 6) + 30 * MIN;
	r = run(HOST, ADCONN, NULL, "success", t);
	r.u.run.profile = "Export";
	feed(c, &r);
	correlate_flush(c);
	assert_int_equal(s.n[INC_RESOLVE], 0);	/* the object is in */
	r = snap(HOST, ADCONN, t);
	feed(c, &r);
	correlate_flush(c);
	assert_int_equal(s.n[INC_RESOLVE], 1);
	correlate_free(c);
	seen_free(&s);
}

/* A dump without a later successful export of that connector: open. */
static void
test_lifecycle_snapshot_alone(void **state)
{
	struct correlate	*c;
	struct record		 r;
	struct seen		 s;
	int64_t			 t;

	(void)state;
	c = new_correlate(&s);
	/* A success from before the fault proves nothing of its fix. */
	r = run(HOST, ADCONN, "export", "success", T0 - 10 * MIN);
	feed(c, &r);
	t = cycles(c, 3) + 30 * MIN;
	r = snap(HOST, ADCONN, t);
	feed(c, &r);
	/* Not an export, not this connector, not a success. */
	r = run(HOST, ADCONN, "delta-import", "success", t + MIN);
	feed(c, &r);
	r = run(HOST, AADCONN, "export", "success", t + 2 * MIN);
	feed(c, &r);
	r = run(HOST, ADCONN, "export", "completed-export-errors", t + 3 * MIN);
	feed(c, &r);
	correlate_tick(c, t + HOUR);
	assert_int_equal(s.n[INC_OPEN], 1);
	assert_int_equal(s.n[INC_RESOLVE], 0);
	correlate_free(c);
	seen_free(&s);
}

/* The fault returns after its resolve: a new open, the same id. */
static void
test_lifecycle_reopen_same_id(void **state)
{
	struct correlate	*c;
	struct record		 r;
	struct seen		 s;
	int64_t			 t;

	(void)state;
	c = new_correlate(&s);
	t = cycles(c, 2) + 30 * MIN;
	r = snap(HOST, ADCONN, t);
	feed(c, &r);
	r = run(HOST, ADCONN, "export", "success", t + 5 * MIN);
	feed(c, &r);
	assert_int_equal(s.n[INC_RESOLVE], 1);
	r = xerr(HOST, ALICE, KCL, 1);
	r.time = r.u.xerr.date_occurred = t + HOUR;
	feed(c, &r);
	correlate_flush(c);
	assert_int_equal(s.n[INC_OPEN], 2);
	assert_int_equal(seen_ids(&s), 1);
	assert_string_equal(j_str(s.last, "state"), "open");
	assert_int_equal(j_int(s.last, "object_count"), 1);
	correlate_free(c);
	seen_free(&s);
}

/* The same evidence 25 h later is the reminder: one update. */
static void
test_reminder_on_feed(void **state)
{
	struct correlate	*c;
	struct record		 r;
	struct seen		 s;

	(void)state;
	c = new_correlate(&s);
	r = xerr(HOST, ALICE, KCL, 1);
	feed(c, &r);
	correlate_flush(c);
	r.time = T0 + 25 * HOUR;
	feed(c, &r);
	correlate_flush(c);
	assert_int_equal(s.n[INC_OPEN], 1);
	assert_int_equal(s.n[INC_UPDATE], 1);
	assert_string_equal(j_str(s.last, "state"), "update");
	correlate_free(c);
	seen_free(&s);
}

/* A negative reminder turns it off. */
static void
test_reminder_off(void **state)
{
	struct correlate_params	 p;
	struct correlate	*c;
	struct record		 r;
	struct seen		 s;

	(void)state;
	memset(&p, 0, sizeof(p));
	p.reminder = -1;
	c = new_correlate_params(&s, &p);
	r = xerr(HOST, ALICE, KCL, 1);
	feed(c, &r);
	r.time = T0 + 25 * HOUR;
	feed(c, &r);
	correlate_tick(c, T0 + 100 * DAY);
	assert_int_equal(s.n[INC_OPEN], 1);
	assert_int_equal(s.n[INC_UPDATE], 0);
	correlate_free(c);
	seen_free(&s);
}

/* correlate_tick emits due reminders, once per interval. */
static void
test_reminder_on_tick(void **state)
{
	struct correlate	*c;
	struct record		 r;
	struct seen		 s;

	(void)state;
	c = new_correlate(&s);
	r = xerr(HOST, ALICE, KCL, 1);
	feed(c, &r);
	correlate_flush(c);
	correlate_tick(c, T0 + 23 * HOUR);
	assert_int_equal(s.n[INC_UPDATE], 0);
	correlate_tick(c, T0 + 24 * HOUR);
	assert_int_equal(s.n[INC_UPDATE], 1);
	r.time = T0 + 30 * HOUR;
	feed(c, &r);
	correlate_flush(c);
	assert_int_equal(s.n[INC_UPDATE], 1);
	correlate_tick(c, T0 + 48 * HOUR);
	assert_int_equal(s.n[INC_UPDATE], 2);
	correlate_free(c);
	seen_free(&s);
}

/* Forty unprotected users in one OU: one missing grant on the OU. */
static void
test_group_ou_permission_missing(void **state)
{
	struct correlate	*c;
	struct record		 r;
	struct seen		 s;
	char			 dn[128];
	int			 i;

	(void)state;
	c = new_correlate(&s);
	for (i = 0; i < 40; i++) {
		snprintf(dn, sizeof(dn), "CN=User %02d,OU=Sales,OU=Staff,"
		    "DC=contoso,DC=com", i);
		r = xerr(HOST, dn, CGUID, 0);
		feed(c, &r);
	}
	correlate_flush(c);
	assert_int_equal(s.n[INC_OPEN], 1);
	assert_int_equal(seen_ids(&s), 1);
	assert_string_equal(j_str(s.last, "class"),
	    "connector-permission-missing");
	assert_int_equal(j_int(s.last, "object_count"), 40);
	assert_string_equal(j_str(s.last, "ou"),
	    "OU=Sales,OU=Staff,DC=contoso,DC=com");
	assert_true(j_has(s.last, "remediation",
	    "Set-ADSyncMsDsConsistencyGuidPermissions"));
	assert_true(j_has(s.last, "remediation",
	    "-ADobjectDN \"OU=Sales,OU=Staff,DC=contoso,DC=com\""));
	assert_true(j_has(s.last, "remediation",
	    "Get-ADSyncObjectsWithInheritanceDisabled"));
	assert_null(j_str(s.last, "protected"));
	assert_null(strstr(s.last, "AdminSDHolder"));
	correlate_free(c);
	seen_free(&s);
}

/*
 * In one dump 36 users without adminCount and 4 with adminCount=0 fail
 * on one attribute in one OU: one missing grant, one incident.
 */
static void
test_group_ou_mixed_admincount(void **state)
{
	struct correlate	*c;
	struct record		 r;
	struct seen		 s;
	char			 dn[128];
	int			 i;

	(void)state;
	c = new_correlate(&s);
	for (i = 0; i < 40; i++) {
		snprintf(dn, sizeof(dn), "CN=User %02d,OU=Sales,"
		    "DC=contoso,DC=com", i);
		r = xerr(HOST, dn, CGUID, i < 36 ? -1 : 0);
		feed(c, &r);
	}
	correlate_flush(c);
	assert_int_equal(s.n[INC_OPEN], 1);
	assert_string_equal(j_str(s.last, "class"),
	    "connector-permission-missing");
	assert_int_equal(j_int(s.last, "object_count"), 40);
	correlate_free(c);
	seen_free(&s);
}

/* An Exchange writeback attribute: the Exchange hybrid cmdlet. */
static void
test_group_exchange_cmdlet(void **state)
{
	struct correlate	*c;
	struct record		 r;
	struct seen		 s;

	(void)state;
	c = new_correlate(&s);
	r = xerr(HOST, "CN=Ann,OU=Sales,DC=contoso,DC=com", SSH, 0);
	feed(c, &r);
	r = xerr(HOST, "CN=Ben,OU=Sales,DC=contoso,DC=com", SSH, 0);
	feed(c, &r);
	correlate_flush(c);
	assert_int_equal(s.n[INC_OPEN], 1);
	assert_string_equal(j_str(s.last, "class"),
	    "connector-permission-missing");
	assert_true(j_has(s.last, "remediation",
	    "Set-ADSyncExchangeHybridPermissions"));
	assert_true(j_has(s.last, "remediation",
	    "-ADobjectDN \"OU=Sales,DC=contoso,DC=com\""));
	assert_null(strstr(s.last, "AdminSDHolder"));
	correlate_free(c);
	seen_free(&s);
}

/* Protected accounts failing on one attribute: one incident. */
static void
test_group_adminsdholder_by_attribute(void **state)
{
	struct correlate	*c;
	struct record		 r;
	struct seen		 s;

	(void)state;
	c = new_correlate(&s);
	r = xerr(HOST, BOB, KCL, 1);
	feed(c, &r);
	r = xerr(HOST, ALICE, KCL, 1);
	feed(c, &r);
	assert_int_equal(s.n[INC_OPEN], 0);	/* not before the flush */
	correlate_flush(c);
	/* One observation, one message: both objects in the open. */
	assert_int_equal(s.n[INC_OPEN], 1);
	assert_int_equal(s.n[INC_UPDATE], 0);
	assert_string_equal(j_str(s.last, "class"),
	    "adminsdholder-writeback-denied");
	assert_int_equal(j_int(s.last, "object_count"), 2);
	assert_int_equal(j_int(s.last, "retries"), 20);
	assert_string_equal(j_str(s.last, "protected"), "adminCount");
	assert_string_equal(j_str(s.last, "attribute"), KCL);
	/* Sorted by DN, whatever the arrival order. */
	assert_non_null(strstr(s.last, "\"objects\":[{\"dn\":\"" ALICE));

	/* Another attribute: another incident; the host's case: none. */
	r = xerr(HOST, DAVE, SSH, 1);
	r.time = T0 + HOUR;
	feed(c, &r);
	r = xerr("aadconnect01", BOB, KCL, 1);
	r.time = T0 + HOUR;
	feed(c, &r);
	correlate_flush(c);
	assert_int_equal(s.n[INC_OPEN], 2);
	assert_int_equal(seen_ids(&s), 2);
	/* A later cycle with a third object is an update. */
	r = xerr(HOST, CAROL, KCL, 1);
	r.time = T0 + 2 * HOUR;
	feed(c, &r);
	correlate_flush(c);
	assert_int_equal(s.n[INC_UPDATE], 1);
	assert_int_equal(j_int(s.last, "object_count"), 3);
	correlate_free(c);
	seen_free(&s);
}

/* Protection unknown: a few objects read as protected, more do not. */
static void
test_inferred_sharpens_to_permission(void **state)
{
	struct correlate	*c;
	struct record		 r;
	struct seen		 s;
	const char		*dns[] = { ALICE, BOB, CAROL, DAVE };
	int			 i;

	(void)state;
	c = new_correlate(&s);
	for (i = 0; i < CORRELATE_INFER_MAX; i++) {
		r = xerr(HOST, dns[i], KCL, -1);
		feed(c, &r);
	}
	correlate_flush(c);
	assert_int_equal(s.n[INC_OPEN], 1);
	assert_string_equal(j_str(s.last, "class"),
	    "adminsdholder-writeback-denied");
	assert_string_equal(j_str(s.last, "protected"), "inferred");
	r = xerr(HOST, dns[CORRELATE_INFER_MAX], KCL, -1);
	r.time = T0 + 30 * MIN;
	feed(c, &r);
	correlate_flush(c);
	assert_int_equal(s.n[INC_OPEN], 1);
	assert_int_equal(s.n[INC_UPDATE], 1);
	assert_int_equal(seen_ids(&s), 1);
	assert_string_equal(j_str(s.last, "class"),
	    "connector-permission-missing");
	assert_null(j_str(s.last, "protected"));
	assert_int_equal(j_int(s.last, "object_count"),
	    CORRELATE_INFER_MAX + 1);
	correlate_free(c);
	seen_free(&s);
}

/* A dump that shows adminCount=1 for an inferred object: certain now. */
static void
test_inferred_then_admincount(void **state)
{
	struct correlate	*c;
	struct record		 r;
	struct seen		 s;

	(void)state;
	c = new_correlate(&s);
	r = xerr(HOST, ALICE, KCL, -1);
	feed(c, &r);
	r = xerr(HOST, BOB, KCL, -1);
	feed(c, &r);
	correlate_flush(c);
	assert_string_equal(j_str(s.last, "protected"), "inferred");
	r = xerr(HOST, ALICE, KCL, 1);
	r.time = T0 + 30 * MIN;
	feed(c, &r);
	correlate_flush(c);
	assert_int_equal(s.n[INC_OPEN], 1);
	assert_int_equal(s.n[INC_UPDATE], 1);
	assert_int_equal(seen_ids(&s), 1);
	assert_string_equal(j_str(s.last, "class"),
	    "adminsdholder-writeback-denied");
	assert_string_equal(j_str(s.last, "protected"), "adminCount");
	correlate_free(c);
	seen_free(&s);
}

/* Run history names the object first, the dump the attribute later. */
static void
test_runhist_then_csexport(void **state)
{
	struct correlate	*c;
	struct record		 r;
	struct seen		 s;

	(void)state;
	c = new_correlate(&s);
	r = xerr(HOST, ALICE, NULL, -1);
	r.source = REC_SRC_RUNHIST;
	feed(c, &r);
	correlate_flush(c);
	assert_int_equal(s.n[INC_OPEN], 1);
	assert_null(j_str(s.last, "attribute"));
	assert_true(j_has(s.last, "evidence", "run-history"));
	r = xerr(HOST, ALICE, KCL, 1);
	r.time = T0 + 10 * MIN;
	feed(c, &r);
	correlate_flush(c);
	/* Run history again, still without the attribute: nothing new. */
	r = xerr(HOST, ALICE, NULL, -1);
	r.source = REC_SRC_RUNHIST;
	r.time = T0 + 40 * MIN;
	feed(c, &r);
	correlate_flush(c);
	assert_int_equal(s.n[INC_OPEN], 1);
	assert_int_equal(seen_ids(&s), 1);
	assert_string_equal(j_str(s.last, "attribute"), KCL);
	assert_string_equal(j_str(s.last, "protected"), "adminCount");
	assert_true(j_has(s.last, "evidence", "csexport"));
	assert_true(j_has(s.last, "evidence", "run-history"));
	assert_true(j_has(s.last, "remediation", "WP;" KCL));
	correlate_free(c);
	seen_free(&s);
}

/*
 * Run history opens an attribute-less incident for ALICE while BOB's on
 * KCL exists; the next dump moves ALICE there.  The one left without
 * objects must not stay open (and be reminded) forever.
 */
static void
test_runhist_orphan_resolves(void **state)
{
	struct correlate	*c;
	struct record		 r;
	struct seen		 s;
	int			 n;

	(void)state;
	c = new_correlate(&s);
	r = xerr(HOST, BOB, KCL, 1);
	feed(c, &r);
	r = snap(HOST, ADCONN, T0);
	feed(c, &r);
	r = xerr(HOST, ALICE, NULL, -1);
	r.source = REC_SRC_RUNHIST;
	r.time = T0 + 20 * MIN;
	feed(c, &r);
	r = xerr(HOST, ALICE, KCL, 1);
	r.time = T0 + 30 * MIN;
	feed(c, &r);
	r = xerr(HOST, BOB, KCL, 1);
	r.time = T0 + 30 * MIN;
	feed(c, &r);
	r = snap(HOST, ADCONN, T0 + 30 * MIN);
	feed(c, &r);
	/* Fixed: a dump without either, and a successful export. */
	r = snap(HOST, ADCONN, T0 + HOUR);
	feed(c, &r);
	r = run(HOST, ADCONN, "export", "success", T0 + HOUR + 5 * MIN);
	feed(c, &r);
	correlate_flush(c);
	assert_int_equal(s.n[INC_OPEN], 2);
	assert_int_equal(s.n[INC_RESOLVE], 2);
	n = s.n[INC_UPDATE];
	correlate_tick(c, T0 + 3 * DAY);
	assert_int_equal(s.n[INC_UPDATE], n);
	correlate_free(c);
	seen_free(&s);
}

/* Counts from event 6100 first, the dump's detail, then run history. */
static void
test_evidence_joins(void **state)
{
	struct correlate	*c;
	struct record		 r;
	struct seen		 s;

	(void)state;
	c = new_correlate(&s);
	r = run(HOST, ADCONN, "export", "completed-export-errors", T0);
	r.source = REC_SRC_EVENT_6100;
	r.u.run.counters[REC_CNT_EXPORT_ERRORS] = 1;
	feed(c, &r);
	correlate_flush(c);
	assert_int_equal(s.n[INC_OPEN], 0);	/* counts alone: no object */
	r = xerr(HOST, ALICE, KCL, 1);
	r.time = T0 + 5 * MIN;
	feed(c, &r);
	correlate_flush(c);
	assert_int_equal(s.n[INC_OPEN], 1);
	assert_true(j_has(s.last, "evidence", "event-6100"));
	assert_true(j_has(s.last, "evidence", "csexport"));
	/* The next cycle's 6100 again: nothing new. */
	r = run(HOST, ADCONN, "export", "completed-export-errors",
	    T0 + 30 * MIN);
	r.source = REC_SRC_EVENT_6100;
	feed(c, &r);
	correlate_flush(c);
	assert_int_equal(s.n[INC_UPDATE], 0);
	/* Run history of the same failure is a new kind of evidence. */
	r = xerr(HOST, ALICE, NULL, -1);
	r.source = REC_SRC_RUNHIST;
	r.time = T0 + 31 * MIN;
	feed(c, &r);
	correlate_flush(c);
	assert_int_equal(s.n[INC_OPEN], 1);
	assert_int_equal(s.n[INC_UPDATE], 1);
	assert_true(j_has(s.last, "evidence", "run-history"));
	assert_string_equal(j_str(s.last, "attribute"), KCL);
	correlate_free(c);
	seen_free(&s);
}

/* What is not the AdminSDHolder case, and what still is. */
static void
test_not_adminsdholder(void **state)
{
	struct correlate	*c;
	struct record		 r;
	struct seen		 s;

	(void)state;
	c = new_correlate(&s);
	r = xerr("H1", ALICE, KCL, 0);		/* not protected */
	feed(c, &r);
	r = xerr("H2", ALICE, KCL, 1);		/* the AAD connector */
	r.connector = AADCONN;
	r.conn_kind = REC_CONN_AAD;
	feed(c, &r);
	r = xerr("H3", ALICE, KCL, 1);		/* a dump, no error */
	r.kind = REC_SNAPSHOT;
	memset(&r.u, 0, sizeof(r.u));
	feed(c, &r);
	correlate_flush(c);
	assert_int_equal(s.n[INC_OPEN], 2);
	assert_int_equal(seen_count(&s, INC_OPEN, INC_ADMINSDHOLDER), 0);
	assert_int_equal(seen_count(&s, INC_OPEN, INC_PERMISSION_MISSING), 1);
	assert_int_equal(seen_count(&s, INC_OPEN, INC_AAD_EXPORT_ERROR), 1);
	/* The code alone is enough; the error type alone too. */
	r = xerr("H4", ALICE, KCL, 1);
	r.u.xerr.error_type = NULL;
	feed(c, &r);
	r = xerr("H5", ALICE, KCL, 1);
	r.u.xerr.error_code = -1;
	r.conn_kind = REC_CONN_UNKNOWN;		/* AD told by the DN */
	feed(c, &r);
	correlate_flush(c);
	assert_int_equal(seen_count(&s, INC_OPEN, INC_ADMINSDHOLDER), 2);
	correlate_free(c);
	seen_free(&s);
}

/* Any other AD export error: one ad-export-error per object, no dsacls. */
static void
test_ad_export_error(void **state)
{
	struct correlate	*c;
	struct record		 r;
	struct seen		 s;

	(void)state;
	c = new_correlate(&s);
	r = aderr(HOST, BOB, "cd-missing-object");
	r.u.xerr.admin_count = 0;
	feed(c, &r);
	r = aderr(HOST, ALICE, "cd-missing-object");	/* protected, too */
	r.u.xerr.admin_count = 1;
	feed(c, &r);
	correlate_flush(c);
	assert_int_equal(s.n[INC_OPEN], 2);	/* scoped to the object */
	assert_int_equal(seen_ids(&s), 2);
	assert_int_equal(seen_count(&s, INC_OPEN, INC_AD_EXPORT_ERROR), 2);
	assert_int_equal(j_int(s.last, "object_count"), 1);
	assert_int_equal(j_int(s.last, "error_code"), 8240);
	assert_true(j_has(s.last, "remediation", "Get-ADSyncCSObject"));
	assert_true(j_has(s.last, "remediation", "moved or deleted"));
	assert_null(strstr(s.last, "dsacls"));
	assert_null(strstr(s.last, "AdminSDHolder"));
	correlate_free(c);
	seen_free(&s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lifecycle_repeat_is_silent),
		cmocka_unit_test(test_lifecycle_snapshot_then_export),
		cmocka_unit_test(test_lifecycle_export_then_snapshot),
		cmocka_unit_test(test_lifecycle_snapshot_alone),
		cmocka_unit_test(test_lifecycle_reopen_same_id),
		cmocka_unit_test(test_reminder_on_feed),
		cmocka_unit_test(test_reminder_off),
		cmocka_unit_test(test_reminder_on_tick),
		cmocka_unit_test(test_group_ou_permission_missing),
		cmocka_unit_test(test_group_ou_mixed_admincount),
		cmocka_unit_test(test_group_exchange_cmdlet),
		cmocka_unit_test(test_group_adminsdholder_by_attribute),
		cmocka_unit_test(test_inferred_sharpens_to_permission),
		cmocka_unit_test(test_inferred_then_admincount),
		cmocka_unit_test(test_runhist_then_csexport),
		cmocka_unit_test(test_runhist_orphan_resolves),
		cmocka_unit_test(test_evidence_joins),
		cmocka_unit_test(test_not_adminsdholder),
		cmocka_unit_test(test_ad_export_error),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
