/*
 * test_correlate_cycle.c: the sync cycle as the correlator sees it, and
 * the correlator's own machinery.  It checks connectivity (a run that
 * cannot reach its server, event 6050), stalls (runs stop while dumps
 * still arrive), the ad-connector-only pattern, one name per host and its
 * configured account in the remediation, the bounds and their eviction
 * counts, determinism, the fingerprint, JSON escaping, the object listing
 * cap, and the hash table and its keys.  What one incident is lives in
 * test_correlate.c.
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

/*
 * One cycle whose AAD export ends as aad_export, then ALICE denied on KCL
 * in its window: the transitions are left in s for the caller to free.
 */
static void
pattern_cycle(struct seen *s, const char *aad_export)
{
	struct correlate	*c;
	struct record		 r;

	c = new_correlate(s);
	cycle_runs(c, aad_export, T0);
	r = xerr(HOST, ALICE, KCL, 1);
	feed(c, &r);
	correlate_flush(c);
	correlate_free(c);
}

/* Only the AD connector's export fails: the pattern is named. */
static void
test_pattern_ad_connector_only(void **state)
{
	struct seen	s;

	(void)state;
	pattern_cycle(&s, "success");
	assert_int_equal(s.n[INC_OPEN], 1);
	assert_string_equal(j_str(s.last, "pattern"), "ad-connector-only");
	assert_true(j_has(s.last, "evidence", "run-profile"));
	assert_true(j_has(s.last, "evidence", "csexport"));
	seen_free(&s);
}

/* The AAD export fails in the same window: no pattern. */
static void
test_pattern_aad_fails_too(void **state)
{
	struct seen	s;

	(void)state;
	pattern_cycle(&s, "completed-export-errors");
	assert_int_equal(s.n[INC_OPEN], 1);
	assert_null(j_str(s.last, "pattern"));
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

/*
 * Keys in lower case, eight bytes a step: every byte value, at every
 * place in a word and in the tail, is what tolower in the C locale
 * makes of it.
 */
static void
test_table_lower(void **state)
{
	char	src[256 + 17], dst[sizeof(src)], want;
	size_t	i, off, len;

	(void)state;
	for (off = 0; off < 8; off++) {
		for (i = 0; i < 256; i++)
			src[off + i] = (char)i;
		for (len = 0; len + off <= 256 + off; len += 37) {
			memset(dst, '#', sizeof(dst));
			table_lower_copy(dst + off, src + off, 256 - len);
			for (i = 0; i < 256 - len; i++) {
				want = i >= 'A' && i <= 'Z' ? (char)(i + 32) :
				    (char)i;
				assert_int_equal(dst[off + i], want);
			}
			assert_int_equal(dst[off + i], '#');
		}
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
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
		cmocka_unit_test(test_table_lower),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
