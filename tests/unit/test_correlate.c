/*
 * test_correlate.c: records in, transitions out, with the clock in the
 * test's hands.  It checks the lifecycle (repeated cycles are silent, a
 * dump without the object plus a successful export resolve, a returning
 * fault reopens the same id), reminders, what one incident groups (an
 * attribute for AdminSDHolder, an OU for a missing grant, an object for
 * other errors), connectivity, stalls, the ad-connector-only pattern,
 * host names, the bounds, determinism and the JSON.  Connect Health mail
 * and the cloud side are in test_correlate_mail.c.
 */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <json-c/json.h>

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

/* A run that cannot reach its DC opens connectivity; success ends it. */
static void
test_connectivity_stopped(void **state)
{
	struct correlate	*c;
	struct record		 r;
	struct seen		 s;
	int			 i;

	(void)state;
	c = new_correlate(&s);
	for (i = 0; i < 3; i++) {
		r = run(HOST, ADCONN, "delta-import", "stopped-connectivity",
		    T0 + i * 30 * MIN);
		r.u.run.conn_server = "dc01.contoso.com";
		feed(c, &r);
	}
	correlate_flush(c);
	assert_int_equal(s.n[INC_OPEN], 1);	/* repeats are silent */
	assert_int_equal(s.n[INC_UPDATE], 0);
	assert_string_equal(j_str(s.last, "class"), "connectivity");
	assert_string_equal(j_str(s.last, "connector"), ADCONN);
	assert_non_null(strstr(j_str(s.last, "detail"), "dc01.contoso.com"));
	/* The other connector's success says nothing of this one. */
	r = run(HOST, AADCONN, "export", "success", T0 + 80 * MIN);
	feed(c, &r);
	correlate_flush(c);
	assert_int_equal(s.n[INC_RESOLVE], 0);
	r = run(HOST, ADCONN, "delta-import", "success", T0 + 90 * MIN);
	feed(c, &r);
	correlate_flush(c);
	assert_int_equal(s.n[INC_RESOLVE], 1);
	assert_string_equal(j_str(s.last, "class"), "connectivity");
	correlate_free(c);
	seen_free(&s);
}

/* Event 6050 and a failed connection are connectivity too. */
static void
test_connectivity_6050_and_connection(void **state)
{
	struct correlate	*c;
	struct record		 r;
	struct seen		 s;

	(void)state;
	c = new_correlate(&s);
	r = run(HOST, ADCONN, "export", "stopped-server-down", T0);
	r.source = REC_SRC_EVENT_6050;
	feed(c, &r);
	correlate_flush(c);
	assert_int_equal(seen_count(&s, INC_OPEN, INC_CONNECTIVITY), 1);
	assert_true(j_has(s.last, "evidence", "event-6050"));
	r = run(HOST, AADCONN, "export", "completed-export-errors",
	    T0 + MIN);
	r.u.run.connection = "failed-connection";
	feed(c, &r);
	correlate_flush(c);
	assert_int_equal(seen_count(&s, INC_OPEN, INC_CONNECTIVITY), 2);
	assert_string_equal(j_str(s.last, "connector_kind"), "AAD");
	assert_true(j_has(s.last, "remediation", "login.microsoftonline.com"));
	correlate_free(c);
	seen_free(&s);
}

/* Runs stop while dumps still arrive: stalled; a new run ends it. */
static void
test_stall_opens_and_resolves(void **state)
{
	struct correlate	*c;
	struct record		 r;
	struct seen		 s;

	(void)state;
	c = new_correlate(&s);
	r = run(HOST, ADCONN, "delta-import", "success", T0 - 30 * MIN);
	feed(c, &r);
	r = run(HOST, ADCONN, "export", "success", T0);
	feed(c, &r);
	r = snap("OTHER-SYNC", ADCONN, T0 + 2 * HOUR);	/* never ran */
	feed(c, &r);
	r = snap(HOST, ADCONN, T0 + 2 * HOUR + 59 * MIN);
	feed(c, &r);
	correlate_flush(c);
	assert_int_equal(s.n[INC_OPEN], 0);
	r = aderr(HOST, ALICE, "cd-missing-object");
	r.time = r.u.xerr.date_occurred = T0 + 4 * HOUR;
	feed(c, &r);
	correlate_flush(c);
	assert_int_equal(seen_count(&s, INC_OPEN, INC_SYNC_STALLED), 1);
	assert_string_equal(j_str(seen_first(&s, INC_OPEN,
	    INC_SYNC_STALLED)->json, "host"), HOST);
	assert_non_null(strstr(j_str(seen_first(&s, INC_OPEN,
	    INC_SYNC_STALLED)->json, "detail"), "no run result"));
	r = snap(HOST, ADCONN, T0 + 4 * HOUR + 10 * MIN);
	feed(c, &r);
	r = run(HOST, ADCONN, "delta-import", "success",
	    T0 + 4 * HOUR + 30 * MIN);
	feed(c, &r);
	correlate_flush(c);
	assert_int_equal(seen_count(&s, INC_OPEN, INC_SYNC_STALLED), 1);
	assert_int_equal(seen_count(&s, INC_RESOLVE, INC_SYNC_STALLED), 1);
	correlate_free(c);
	seen_free(&s);
}

/*
 * A dump 4 h after the last run and the next run arrive in one batch
 * (one now): the stall is over before it was said, and never opens.
 */
static void
test_stall_run_same_observation(void **state)
{
	struct correlate	*c;
	struct record		 r;
	struct seen		 s;

	(void)state;
	c = new_correlate(&s);
	r = run(HOST, ADCONN, "export", "success", T0);
	feed(c, &r);
	r = snap(HOST, ADCONN, T0 + 4 * HOUR);
	correlate_feed(c, &r, T0 + 5 * HOUR);
	r = run(HOST, ADCONN, "delta-import", "success", T0 + 4 * HOUR);
	correlate_feed(c, &r, T0 + 5 * HOUR);
	correlate_flush(c);
	assert_int_equal(seen_count(&s, INC_OPEN, INC_SYNC_STALLED),
	    seen_count(&s, INC_RESOLVE, INC_SYNC_STALLED));
	correlate_free(c);
	seen_free(&s);
}

/* One cycle of runs before t: the AD export fails, the rest as told. */
static void
cycle_runs(struct correlate *c, const char *aad_export, int64_t t)
{
	struct record	r;

	r = run(HOST, ADCONN, "delta-import", "success", t - 20 * MIN);
	feed(c, &r);
	r = run(HOST, AADCONN, "delta-import", "success", t - 18 * MIN);
	feed(c, &r);
	r = run(HOST, ADCONN, "delta-sync", "success", t - 15 * MIN);
	feed(c, &r);
	r = run(HOST, AADCONN, "delta-sync", "success", t - 12 * MIN);
	feed(c, &r);
	r = run(HOST, AADCONN, "export", aad_export, t - 10 * MIN);
	feed(c, &r);
	r = run(HOST, ADCONN, "export", "completed-export-errors",
	    t - 5 * MIN);
	feed(c, &r);
}

/* Only the AD connector's export fails: the pattern is named. */
static void
test_pattern_ad_connector_only(void **state)
{
	struct correlate	*c;
	struct record		 r;
	struct seen		 s;

	(void)state;
	c = new_correlate(&s);
	cycle_runs(c, "success", T0);
	r = xerr(HOST, ALICE, KCL, 1);
	feed(c, &r);
	correlate_flush(c);
	assert_int_equal(s.n[INC_OPEN], 1);
	assert_string_equal(j_str(s.last, "pattern"), "ad-connector-only");
	assert_true(j_has(s.last, "evidence", "run-profile"));
	assert_true(j_has(s.last, "evidence", "csexport"));
	correlate_free(c);
	seen_free(&s);
}

/* The AAD export fails in the same window: no pattern. */
static void
test_pattern_aad_fails_too(void **state)
{
	struct correlate	*c;
	struct record		 r;
	struct seen		 s;

	(void)state;
	c = new_correlate(&s);
	cycle_runs(c, "completed-export-errors", T0);
	r = xerr(HOST, ALICE, KCL, 1);
	feed(c, &r);
	correlate_flush(c);
	assert_int_equal(s.n[INC_OPEN], 1);
	assert_null(j_str(s.last, "pattern"));
	correlate_free(c);
	seen_free(&s);
}

/* Every spelling of a server and its config alias: one host, one name. */
static void
test_hosts_one_name(void **state)
{
	struct correlate	*c;
	struct record		 r;
	struct seen		 s;
	const char		*aliases[] = { "sync-a.corp.local" };

	(void)state;
	c = new_correlate(&s);
	correlate_host_add(c, HOST, aliases, 1, NULL, 0, NULL);
	r = xerr("aadconnect01.contoso.com", ALICE, KCL, 1);
	feed(c, &r);
	r = xerr("AADCONNECT01.CONTOSO.COM", BOB, KCL, 1);
	feed(c, &r);
	r = xerr(HOST, CAROL, KCL, 1);
	feed(c, &r);
	r = xerr("sync-a.corp.local", DAVE, KCL, 1);
	feed(c, &r);
	correlate_flush(c);
	assert_int_equal(s.n[INC_OPEN], 1);
	assert_string_equal(j_str(s.last, "host"), HOST);
	assert_int_equal(j_int(s.last, "object_count"), 4);
	r = xerr("AADCONNECT02", ALICE, KCL, 1);	/* another server */
	feed(c, &r);
	correlate_flush(c);
	assert_int_equal(s.n[INC_OPEN], 2);
	assert_string_equal(j_str(s.last, "host"), "AADCONNECT02");
	correlate_free(c);
	seen_free(&s);
}

/* The configured connector account replaces the placeholder. */
static void
test_hosts_account(void **state)
{
	struct correlate	*c;
	struct record		 r;
	struct seen		 s;
	const char		*j;

	(void)state;
	c = new_correlate(&s);
	correlate_host_add(c, HOST, NULL, 0, NULL, 0,
	    "CONTOSO\\MSOL_1a2b3c4d5e6f");
	r = xerr(HOST, ALICE, KCL, 1);
	feed(c, &r);
	r = xerr(HOST, "CN=Ann,OU=Sales,DC=contoso,DC=com", CGUID, 0);
	feed(c, &r);
	correlate_flush(c);
	j = seen_first(&s, INC_OPEN, INC_ADMINSDHOLDER)->json;
	assert_true(j_has(j, "remediation", "dsacls \"CN=AdminSDHolder,"
	    "CN=System,DC=contoso,DC=com\" /G \"CONTOSO\\MSOL_1a2b3c4d5e6f:"
	    "WP;" KCL "\""));
	assert_false(j_has(j, "remediation", "<DOMAIN>"));
	assert_false(j_has(j, "remediation", "Get-ADSyncADConnectorAccount"));
	j = seen_first(&s, INC_OPEN, INC_PERMISSION_MISSING)->json;
	assert_true(j_has(j, "remediation", "-ADConnectorAccountName "
	    "\"MSOL_1a2b3c4d5e6f\" -ADConnectorAccountDomain \"CONTOSO\""));
	correlate_free(c);
	seen_free(&s);
}

/* No account configured: a placeholder and how to find it. */
static void
test_remediation_adminsdholder(void **state)
{
	struct correlate	*c;
	struct record		 r;
	struct seen		 s;

	(void)state;
	c = new_correlate(&s);
	r = xerr(HOST, ALICE, KCL, 1);
	feed(c, &r);
	correlate_flush(c);
	assert_true(j_has(s.last, "remediation", "dsacls \"CN=AdminSDHolder,"
	    "CN=System,DC=contoso,DC=com\" /G \"<DOMAIN>\\MSOL_<id>:WP;" KCL
	    "\""));
	assert_true(j_has(s.last, "remediation",
	    "Get-ADSyncADConnectorAccount"));
	assert_true(j_has(s.last, "remediation", "RunProtectAdminGroupsTask"));
	assert_true(j_has(s.last, "remediation",
	    "Start-ADSyncSyncCycle -PolicyType Delta"));
	assert_string_equal(j_str(s.last, "first_seen"),
	    "2026-03-03T09:00:00Z");
	/* Two domains of one forest: a grant on each AdminSDHolder. */
	r = xerr("H2", "CN=Root Admin,CN=Users,DC=lawfirm,DC=example", KCL, 1);
	feed(c, &r);
	r = xerr("H2", "CN=Sub Admin,CN=Users,DC=sub,DC=lawfirm,DC=example",
	    KCL, 1);
	feed(c, &r);
	correlate_flush(c);
	assert_true(j_has(s.last, "remediation",
	    "CN=System,DC=lawfirm,DC=example\" /G"));
	assert_true(j_has(s.last, "remediation",
	    "CN=System,DC=sub,DC=lawfirm,DC=example\" /G"));
	correlate_free(c);
	seen_free(&s);
}

/* Past host_max incidents the oldest go, counted. */
static void
test_bounds_host_max(void **state)
{
	struct correlate_params	 p;
	struct correlate	*c;
	struct record		 r;
	struct seen		 s;
	char			 dn[8][64];
	int			 i;

	(void)state;
	memset(&p, 0, sizeof(p));
	p.host_max = 5;
	c = new_correlate_params(&s, &p);
	for (i = 0; i < 8; i++) {
		snprintf(dn[i], sizeof(dn[i]), "CN=U%d,OU=A,DC=contoso,DC=com",
		    i);
		r = aderr(HOST, dn[i], "cd-missing-object");
		r.time = T0 + i * MIN;
		feed(c, &r);
	}
	correlate_flush(c);
	assert_int_equal(correlate_stats(c)->evicted_incidents, 3);
	assert_int_equal(s.n[INC_OPEN], 8);
	/* The kept ones still work: a reminder for each. */
	correlate_tick(c, T0 + 2 * DAY);
	assert_int_equal(s.n[INC_UPDATE], 5);
	correlate_free(c);
	seen_free(&s);
}

/*
 * A resolved denied incident whose object a dump had dropped is evicted;
 * the fault returning finds no stale incident through the DN's state.
 */
static void
test_bounds_evict_resolved_denied(void **state)
{
	struct correlate_params	 p;
	struct correlate	*c;
	struct record		 r;
	struct seen		 s;

	(void)state;
	memset(&p, 0, sizeof(p));
	p.host_max = 2;
	c = new_correlate_params(&s, &p);
	r = xerr(HOST, ALICE, KCL, 1);
	feed(c, &r);
	r = snap(HOST, ADCONN, T0 + 30 * MIN);
	feed(c, &r);
	r = run(HOST, ADCONN, "export", "success", T0 + 35 * MIN);
	feed(c, &r);
	assert_int_equal(s.n[INC_RESOLVE], 1);
	r = aderr(HOST, BOB, "cd-missing-object");
	r.time = T0 + HOUR;
	feed(c, &r);
	r = aderr(HOST, CAROL, "cd-missing-object");
	r.time = T0 + HOUR;
	feed(c, &r);
	assert_int_equal(correlate_stats(c)->evicted_incidents, 1);
	r = xerr(HOST, ALICE, KCL, 1);
	r.time = T0 + 2 * HOUR;
	feed(c, &r);
	correlate_flush(c);
	assert_int_equal(seen_count(&s, INC_OPEN, INC_ADMINSDHOLDER), 2);
	correlate_free(c);
	seen_free(&s);
}

/* Past dn_max remembered DNs the oldest go, counted. */
static void
test_bounds_dn_max(void **state)
{
	struct correlate_params	 p;
	struct correlate	*c;
	struct record		 r;
	struct seen		 s;
	char			 dn[5][64];
	int			 i;

	(void)state;
	memset(&p, 0, sizeof(p));
	p.dn_max = 2;
	c = new_correlate_params(&s, &p);
	for (i = 0; i < 5; i++) {
		snprintf(dn[i], sizeof(dn[i]), "CN=A%d,OU=A,DC=contoso,DC=com",
		    i);
		r = xerr(HOST, dn[i], KCL, 1);
		feed(c, &r);
	}
	correlate_flush(c);
	assert_int_equal(correlate_stats(c)->evicted_dns, 3);
	assert_int_equal(s.n[INC_OPEN], 1);
	assert_int_equal(j_int(s.last, "object_count"), 5);
	correlate_free(c);
	seen_free(&s);
}

/* A bit of everything, for the determinism test. */
static void
scenario(struct correlate *c)
{
	struct record	r;
	char		dn[64];
	int		i;

	r = alert(HOST ".contoso.com", "export-to-ad-failed",
	    REC_ALERT_RAISED, T0 - HOUR);
	feed(c, &r);
	cycle_runs(c, "success", T0);
	for (i = 0; i < 12; i++) {
		snprintf(dn, sizeof(dn), "CN=U%02d,OU=Sales,DC=contoso,DC=com",
		    (i * 7) % 12);
		r = xerr(HOST, dn, i % 3 == 0 ? KCL : CGUID, i % 3 == 0);
		feed(c, &r);
	}
	r = aaderr(HOST, "AttributeValueMustBeUnique", "CN={AAD-1}");
	r.u.xerr.conflict_value = "smtp:sales@contoso.com";
	feed(c, &r);
	r = cloud(HOST, "Sales@contoso.com", "jane@contoso.com");
	r.time = T0 + HOUR;
	feed(c, &r);
	r = run(HOST, ADCONN, "delta-import", "stopped-connectivity",
	    T0 + 2 * HOUR);
	feed(c, &r);
	r = snap(HOST, ADCONN, T0 + 3 * HOUR);
	feed(c, &r);
	r = run(HOST, ADCONN, "export", "success", T0 + 3 * HOUR + MIN);
	feed(c, &r);
	r = alert("OTHER-SYNC", "import-from-aad-failed", REC_ALERT_RAISED,
	    T0 + 4 * HOUR);
	feed(c, &r);
	correlate_tick(c, T0 + 5 * DAY);
	correlate_finish(c);
}

/* The same records in the same order: byte-identical transitions. */
static void
test_determinism(void **state)
{
	struct correlate	*c1, *c2;
	struct seen		 s1, s2;
	char			*d1, *d2;

	(void)state;
	c1 = new_correlate(&s1);
	c2 = new_correlate(&s2);
	scenario(c1);
	scenario(c2);
	assert_true(s1.nv >= 6);
	d1 = seen_dump(&s1);
	d2 = seen_dump(&s2);
	assert_string_equal(d1, d2);
	free(d1);
	free(d2);
	correlate_free(c1);
	correlate_free(c2);
	seen_free(&s1);
	seen_free(&s2);
}

/* The fingerprint is stable and covers exactly its four parts. */
static void
test_fingerprint(void **state)
{
	char	a[INCIDENT_IDLEN + 1], b[INCIDENT_IDLEN + 1];

	(void)state;
	incident_fingerprint(INC_ADMINSDHOLDER, HOST, ADCONN, KCL, a);
	assert_int_equal(strlen(a), INCIDENT_IDLEN);
	incident_fingerprint(INC_ADMINSDHOLDER, "aadconnect01", "CONTOSO.COM",
	    KCL, b);
	assert_string_equal(a, b);
	incident_fingerprint(INC_ADMINSDHOLDER, HOST, ADCONN, SSH, b);
	assert_string_not_equal(a, b);
	incident_fingerprint(INC_PERMISSION_MISSING, HOST, ADCONN, KCL, b);
	assert_string_not_equal(a, b);
	/* ("ab", "c") and ("a", "bc") are different identities. */
	incident_fingerprint(INC_ADMINSDHOLDER, "ab", "c", KCL, a);
	incident_fingerprint(INC_ADMINSDHOLDER, "a", "bc", KCL, b);
	assert_string_not_equal(a, b);
}

/* Hostile bytes in a DN and a literal stay inside their JSON string. */
static void
test_json_escaping(void **state)
{
	struct correlate	*c;
	struct record		 r;
	struct seen		 s;
	const char		*dn;

	(void)state;
	dn = "CN=\"}\n{\"id\":\"x\",OU=A\\,B,DC=x,DC=y";
	c = new_correlate(&s);
	r = aderr("H\r\n<13>1 fake", dn, "cd-missing-object");
	r.u.xerr.literal = "bad\x01\x1b[2J\\\"";
	feed(c, &r);
	correlate_flush(c);
	assert_int_equal(s.n[INC_OPEN], 1);
	assert_null(strchr(s.last, '\n'));
	assert_null(strchr(s.last, '\r'));
	assert_null(strchr(s.last, '\x1b'));
	assert_null(strstr(s.last, ",\"id\":\"x\""));
	assert_string_equal(j_str(s.last, "objects.0.dn"), dn);
	correlate_free(c);
	seen_free(&s);
}

/* Many objects: all counted, the JSON lists up to its cap. */
static void
test_object_listing_cap(void **state)
{
	struct correlate	*c;
	struct record		 r;
	struct seen		 s;
	char			 dn[64];
	int			 i;

	(void)state;
	c = new_correlate(&s);
	for (i = 0; i < CORRELATE_MAXOBJECTS + 5; i++) {
		snprintf(dn, sizeof(dn), "CN=Admin %04d,OU=A,DC=x,DC=y", i);
		r = xerr("H", dn, KCL, 1);
		feed(c, &r);
	}
	correlate_flush(c);
	assert_int_equal(s.n[INC_OPEN], 1);
	assert_int_equal(j_int(s.last, "object_count"),
	    CORRELATE_MAXOBJECTS + 5);
	assert_int_equal(j_len(s.last, "objects"), CORRELATE_MAXOBJECTS);
	assert_int_equal(correlate_stats(c)->objects_dropped, 0);
	correlate_free(c);
	seen_free(&s);
}

static void
test_table(void **state)
{
	struct table	*t;
	char		 keys[5000][16];
	int		 i;

	(void)state;
	t = table_new();
	for (i = 0; i < 5000; i++) {
		snprintf(keys[i], sizeof(keys[i]), "k%d", i);
		table_put(t, keys[i], keys[i]);
	}
	assert_int_equal(table_count(t), 5000);
	for (i = 0; i < 5000; i += 2)
		assert_ptr_equal(table_del(t, keys[i]), keys[i]);
	for (i = 0; i < 5000; i++)
		assert_ptr_equal(table_get(t, keys[i]), i % 2 ? keys[i] : NULL);
	assert_null(table_del(t, "absent"));
	assert_int_equal(table_count(t), 2500);
	table_free(t);
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
		cmocka_unit_test(test_connectivity_stopped),
		cmocka_unit_test(test_connectivity_6050_and_connection),
		cmocka_unit_test(test_stall_opens_and_resolves),
		cmocka_unit_test(test_stall_run_same_observation),
		cmocka_unit_test(test_pattern_ad_connector_only),
		cmocka_unit_test(test_pattern_aad_fails_too),
		cmocka_unit_test(test_hosts_one_name),
		cmocka_unit_test(test_hosts_account),
		cmocka_unit_test(test_remediation_adminsdholder),
		cmocka_unit_test(test_bounds_host_max),
		cmocka_unit_test(test_bounds_dn_max),
		cmocka_unit_test(test_bounds_evict_resolved_denied),
		cmocka_unit_test(test_determinism),
		cmocka_unit_test(test_fingerprint),
		cmocka_unit_test(test_json_escaping),
		cmocka_unit_test(test_object_listing_cap),
		cmocka_unit_test(test_table),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
