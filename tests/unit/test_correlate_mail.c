/*
 * test_correlate_mail.c: the correlator and the cloud's view of a fault.
 * A directory data collision is a decision about who owns a value, so it
 * is scoped to the value, joins the cloud's PropertyConflict for it, and
 * is never merged with (nor remedied like) a permission fault; the other
 * AAD export errors go by their name.  Connect Health mail joins the
 * incident it is about when both lie within the mail window, and becomes
 * an incident of its own when nothing explains it.
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

#define FQDN	HOST ".contoso.com"
#define AADDN	"CN={8E5B4A4D1E344BB99C453F6A2C1D0E11}"
#define OID1	"3c1d0e11-8e5b-4a4d-9c45-1e344bb93f6a"
#define OID2	"77a0c2f4-5d21-4b8e-a3c9-0e6f1b2d4c58"
#define EXPAD	"export-to-ad-failed"

/* An AAD export error name contesting value with another object. */
static struct record
collision(const char *name, const char *value)
{
	struct record	r;

	r = aaderr(HOST, name, AADDN);
	r.u.xerr.upn = "sales.team@contoso.com";
	r.u.xerr.conflict_attr = "ProxyAddresses";
	r.u.xerr.conflict_value = value;
	r.u.xerr.object_id = OID1;
	r.u.xerr.conflict_object_id = OID2;
	return (r);
}

/* A collision's steps find owners; they never grant a permission. */
static void
assert_no_grant(const char *json)
{
	assert_false(j_hascase(json, "remediation", "dsacls"));
	assert_false(j_hascase(json, "remediation", "AdminSDHolder"));
	assert_false(j_hascase(json, "remediation", "Set-ADSync"));
	assert_false(j_hascase(json, "remediation", "permission"));
	assert_null(strstr(json, "AdminSDHolder"));
}

/* AttributeValueMustBeUnique: a collision on the value, both owners. */
static void
test_collision_aad_export(void **state)
{
	struct correlate	*c;
	struct record		 r;
	struct seen		 s;

	(void)state;
	c = new_correlate(&s);
	r = collision("AttributeValueMustBeUnique", "smtp:sales@contoso.com");
	feed(c, &r);
	correlate_flush(c);
	assert_int_equal(s.n[INC_OPEN], 1);
	assert_string_equal(j_str(s.last, "class"),
	    "directory-data-collision");
	assert_string_equal(j_str(s.last, "connector_kind"), "AAD");
	assert_string_equal(j_str(s.last, "attribute"), "ProxyAddresses");
	assert_string_equal(j_str(s.last, "value"), "smtp:sales@contoso.com");
	assert_true(j_has(s.last, "owners", OID1));
	assert_true(j_has(s.last, "owners", OID2));
	assert_true(j_has(s.last, "remediation", "sales@contoso.com"));
	assert_no_grant(s.last);
	correlate_free(c);
	seen_free(&s);
}

/* The cloud's PropertyConflict on the same value joins it. */
static void
test_collision_cloud_joins(void **state)
{
	struct correlate	*c;
	struct record		 r;
	struct seen		 s;

	(void)state;
	c = new_correlate(&s);
	r = collision("AttributeValueMustBeUnique", "smtp:sales@contoso.com");
	feed(c, &r);
	r = cloud(HOST, "SALES@Contoso.com", "jane@contoso.com");
	r.time = T0 + HOUR;
	feed(c, &r);
	correlate_flush(c);
	assert_int_equal(s.n[INC_OPEN], 1);
	assert_int_equal(s.n[INC_UPDATE], 1);	/* new kind of evidence */
	assert_int_equal(seen_ids(&s), 1);
	assert_string_equal(j_str(s.last, "class"),
	    "directory-data-collision");
	assert_true(j_has(s.last, "evidence", "cloud-error"));
	assert_true(j_has(s.last, "evidence", "csexport"));
	assert_true(j_has(s.last, "owners", "jane@contoso.com"));
	assert_true(j_has(s.last, "owners", OID2));
	assert_no_grant(s.last);
	correlate_free(c);
	seen_free(&s);
}

/* A cloud error naming no server: placed by its value's domain. */
static void
test_collision_cloud_by_domain(void **state)
{
	struct correlate	*c;
	struct record		 r;
	struct seen		 s;

	(void)state;
	c = new_correlate(&s);
	/* The host learns DC=contoso,DC=com from the DN. */
	r = aderr(HOST, ALICE, "cd-missing-object");
	feed(c, &r);
	r = collision("AttributeValueMustBeUnique", "smtp:sales@contoso.com");
	feed(c, &r);
	r = cloud(NULL, "sales@contoso.com", "jane@contoso.com");
	r.time = T0 + HOUR;
	feed(c, &r);
	correlate_flush(c);
	assert_int_equal(seen_ids(&s), 2);
	assert_int_equal(seen_count(&s, INC_OPEN, INC_COLLISION), 1);
	assert_int_equal(seen_count(&s, INC_UPDATE, INC_COLLISION), 1);
	assert_string_equal(j_str(s.last, "host"), HOST);
	assert_true(j_has(s.last, "evidence", "cloud-error"));
	assert_int_equal(correlate_stats(c)->hosts_unknown, 0);
	correlate_free(c);
	seen_free(&s);
}

/* Fixed: an AAD dump (shipped as just "aad") without it, an export. */
static void
test_collision_resolves(void **state)
{
	struct correlate	*c;
	struct record		 r;
	struct seen		 s;

	(void)state;
	c = new_correlate(&s);
	r = collision("AttributeValueMustBeUnique", "smtp:sales@contoso.com");
	feed(c, &r);
	r = snap(HOST, "aad", T0 + 30 * MIN);
	feed(c, &r);
	correlate_flush(c);
	assert_int_equal(s.n[INC_OPEN], 1);
	assert_int_equal(s.n[INC_RESOLVE], 0);
	r = run(HOST, AADCONN, "export", "success", T0 + 35 * MIN);
	feed(c, &r);
	correlate_flush(c);
	assert_int_equal(s.n[INC_RESOLVE], 1);
	assert_string_equal(j_str(s.last, "class"),
	    "directory-data-collision");
	correlate_free(c);
	seen_free(&s);
}

/* InvalidSoftMatch contests a value too. */
static void
test_collision_invalid_soft_match(void **state)
{
	struct correlate	*c;
	struct record		 r;
	struct seen		 s;

	(void)state;
	c = new_correlate(&s);
	r = collision("InvalidSoftMatch", "smtp:info@contoso.com");
	feed(c, &r);
	correlate_flush(c);
	assert_int_equal(s.n[INC_OPEN], 1);
	assert_string_equal(j_str(s.last, "class"),
	    "directory-data-collision");
	assert_no_grant(s.last);
	correlate_free(c);
	seen_free(&s);
}

/* A collision beside an AdminSDHolder case: two incidents, never one. */
static void
test_collision_apart_from_adminsdholder(void **state)
{
	struct correlate	*c;
	struct record		 r;
	struct seen		 s;
	const char		*j;
	int			 i;

	(void)state;
	c = new_correlate(&s);
	for (i = 0; i < 3; i++) {
		r = xerr(HOST, ALICE, KCL, 1);
		r.time = r.u.xerr.date_occurred = T0 + i * 30 * MIN;
		feed(c, &r);
		r = cloud(HOST, "alice@contoso.com", "alice.cloud@contoso.com");
		r.u.cloud.property = "UserPrincipalName";
		r.time = T0 + i * 30 * MIN;
		feed(c, &r);
	}
	correlate_flush(c);
	assert_int_equal(s.n[INC_OPEN], 2);
	assert_int_equal(seen_ids(&s), 2);
	j = seen_first(&s, INC_OPEN, INC_ADMINSDHOLDER)->json;
	assert_null(j_str(j, "value"));
	assert_false(j_has(j, "evidence", "cloud-error"));
	j = seen_first(&s, INC_OPEN, INC_COLLISION)->json;
	assert_string_equal(j_str(j, "attribute"), "UserPrincipalName");
	assert_false(j_has(j, "evidence", "csexport"));
	assert_no_grant(j);
	correlate_free(c);
	seen_free(&s);
}

/* Every other AAD export error goes by its name. */
static void
test_aad_classes(void **state)
{
	static const struct {
		const char	*name;
		const char	*cls;
	} cases[] = {
		{ "ObjectTypeMismatch", "object-type-mismatch" },
		{ "InvalidHardMatch", "invalid-hard-match" },
		{ "LargeObject", "large-object" },
		{ "ExceededAllowedLength", "large-object" },
		{ "DataValidationFailed", "data-validation-failed" },
		{ "FederatedDomainChangeError", "federated-domain-change" },
		{ "SomethingNewFromTheCloud", "aad-export-error" },
	};
	struct correlate	*c;
	struct record		 r;
	struct seen		 s;
	size_t			 i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		c = new_correlate(&s);
		r = aaderr(HOST, cases[i].name, AADDN);
		feed(c, &r);
		correlate_flush(c);
		assert_int_equal(s.n[INC_OPEN], 1);
		assert_string_equal(j_str(s.last, "class"), cases[i].cls);
		assert_string_equal(j_str(s.last, "connector_kind"), "AAD");
		assert_string_equal(j_str(s.last, "objects.0.dn"), AADDN);
		assert_false(j_hascase(s.last, "remediation", "dsacls"));
		correlate_free(c);
		seen_free(&s);
	}
}

/* Connect Health says the sync service is not running: stalled. */
static void
test_stall_health_alert(void **state)
{
	struct correlate	*c;
	struct record		 r;
	struct seen		 s;
	const char		*j;

	(void)state;
	c = new_correlate(&s);
	r = alert(HOST, "sync-service-not-running", REC_ALERT_RAISED, T0);
	r.u.alert.title = "Azure AD Sync service is not running";
	feed(c, &r);
	correlate_flush(c);
	assert_int_equal(s.n[INC_OPEN], 1);
	j = seen_first(&s, INC_OPEN, INC_SYNC_STALLED)->json;
	assert_true(j_has(j, "evidence", "health-email"));
	assert_string_equal(j_str(j, "health_alert.title"),
	    "Azure AD Sync service is not running");
	r = run(HOST, ADCONN, "delta-import", "success", T0 + HOUR);
	feed(c, &r);
	correlate_flush(c);
	assert_int_equal(seen_count(&s, INC_RESOLVE, INC_SYNC_STALLED), 1);
	correlate_free(c);
	seen_free(&s);
}

/* An alert that came first is in the AD incident's very open. */
static void
test_mail_joins_open(void **state)
{
	struct correlate	*c;
	struct record		 r;
	struct seen		 s;
	const char		*j;

	(void)state;
	c = new_correlate(&s);
	r = alert(FQDN, EXPAD, REC_ALERT_RAISED, T0 - HOUR);
	feed(c, &r);
	r = xerr(HOST, ALICE, KCL, 1);
	feed(c, &r);
	correlate_flush(c);
	assert_int_equal(s.n[INC_OPEN], 1);
	assert_int_equal(s.n[INC_UPDATE], 0);
	j = seen_first(&s, INC_OPEN, INC_ADMINSDHOLDER)->json;
	assert_true(j_has(j, "evidence", "health-email"));
	assert_true(j_has(j, "evidence", "csexport"));
	assert_string_equal(j_str(j, "health_alert.title"),
	    "Export to Active Directory failed");
	assert_string_equal(j_str(j, "health_alert.raised"),
	    "2026-04-02T08:00:00Z");
	assert_int_equal(correlate_stats(c)->alerts_joined, 1);
	correlate_finish(c);	/* explained: no incident of its own */
	assert_int_equal(seen_count(&s, INC_OPEN, INC_HEALTH_ALERT), 0);
	correlate_free(c);
	seen_free(&s);
}

/* An alert raised four days before the fault is another one. */
static void
test_mail_too_old(void **state)
{
	struct correlate	*c;
	struct record		 r;
	struct seen		 s;
	const char		*j;

	(void)state;
	c = new_correlate(&s);
	r = alert(FQDN, EXPAD, REC_ALERT_RAISED, T0 - 4 * DAY);
	correlate_feed(c, &r, T0);	/* the mail is read late */
	r = xerr(HOST, ALICE, KCL, 1);
	r.u.xerr.first_occurred = T0;
	feed(c, &r);
	correlate_flush(c);
	j = seen_first(&s, INC_OPEN, INC_ADMINSDHOLDER)->json;
	assert_false(j_has(j, "evidence", "health-email"));
	assert_null(j_str(j, "health_alert.title"));
	/* Its window is long closed: it stands alone. */
	correlate_tick(c, T0 + MIN);
	assert_int_equal(seen_count(&s, INC_OPEN, INC_HEALTH_ALERT), 1);
	correlate_free(c);
	seen_free(&s);
}

/* Nothing explains an alert within its window: a health-alert. */
static void
test_mail_window_expires(void **state)
{
	struct correlate	*c;
	struct record		 r;
	struct seen		 s;

	(void)state;
	c = new_correlate(&s);
	r = alert(FQDN, EXPAD, REC_ALERT_RAISED, T0);
	feed(c, &r);
	correlate_tick(c, T0 + 71 * HOUR);
	assert_int_equal(s.n[INC_OPEN], 0);
	correlate_tick(c, T0 + 72 * HOUR + MIN);
	assert_int_equal(s.n[INC_OPEN], 1);
	assert_string_equal(j_str(s.last, "class"), "health-alert");
	assert_true(j_has(s.last, "evidence", "health-email"));
	assert_string_equal(j_str(s.last, "health_alert.title"),
	    "Export to Active Directory failed");
	assert_true(j_has(s.last, "remediation",
	    "Export to Active Directory failed"));
	correlate_free(c);
	seen_free(&s);
}

/* The input ends: a waiting alert becomes a health-alert now. */
static void
test_mail_finish(void **state)
{
	struct correlate	*c;
	struct record		 r;
	struct seen		 s;

	(void)state;
	c = new_correlate(&s);
	r = alert(FQDN, EXPAD, REC_ALERT_RAISED, T0);
	feed(c, &r);
	correlate_flush(c);
	assert_int_equal(s.n[INC_OPEN], 0);
	correlate_finish(c);
	assert_int_equal(s.n[INC_OPEN], 1);
	assert_string_equal(j_str(s.last, "class"), "health-alert");
	correlate_free(c);
	seen_free(&s);
}

/* The RESOLVED mail of an unexplained alert resolves its incident. */
static void
test_mail_resolved(void **state)
{
	struct correlate	*c;
	struct record		 r;
	struct seen		 s;

	(void)state;
	c = new_correlate(&s);
	r = alert(FQDN, EXPAD, REC_ALERT_RAISED, T0);
	feed(c, &r);
	correlate_tick(c, T0 + 73 * HOUR);
	assert_int_equal(seen_count(&s, INC_OPEN, INC_HEALTH_ALERT), 1);
	r = alert(FQDN, EXPAD, REC_ALERT_RESOLVED, T0 + 80 * HOUR);
	feed(c, &r);
	correlate_flush(c);
	assert_int_equal(seen_count(&s, INC_RESOLVE, INC_HEALTH_ALERT), 1);
	assert_string_equal(s.v[s.nv - 1].id, seen_first(&s, INC_OPEN,
	    INC_HEALTH_ALERT)->id);
	assert_string_equal(j_str(s.last, "health_alert.resolved"),
	    "2026-04-05T17:00:00Z");
	correlate_free(c);
	seen_free(&s);
}

/* "Export to Active Directory failed" is not about a collision. */
static void
test_mail_not_collision(void **state)
{
	struct correlate	*c;
	struct record		 r;
	struct seen		 s;
	const char		*j;

	(void)state;
	c = new_correlate(&s);
	r = alert(FQDN, EXPAD, REC_ALERT_RAISED, T0 - HOUR);
	feed(c, &r);
	r = collision("AttributeValueMustBeUnique", "smtp:sales@contoso.com");
	feed(c, &r);
	correlate_flush(c);
	j = seen_first(&s, INC_OPEN, INC_COLLISION)->json;
	assert_false(j_has(j, "evidence", "health-email"));
	assert_null(j_str(j, "health_alert.title"));
	correlate_finish(c);
	assert_int_equal(seen_count(&s, INC_OPEN, INC_HEALTH_ALERT), 1);
	assert_int_equal(seen_count(&s, INC_UPDATE, INC_COLLISION), 0);
	correlate_free(c);
	seen_free(&s);
}

/* An alert naming no server goes to the host whose DNs show its tenant. */
static void
test_mail_by_tenant(void **state)
{
	struct correlate	*c;
	struct record		 r;
	struct seen		 s;

	(void)state;
	c = new_correlate(&s);
	/* Connector names without a dot: only the DNs tell the domains. */
	r = xerr(HOST, ALICE, KCL, 1);
	r.connector = "CONTOSO";
	feed(c, &r);
	r = xerr("OTHER-SYNC", "CN=Eve,OU=Admins,DC=fabrikam,DC=com", KCL, 1);
	r.connector = "FABRIKAM";
	feed(c, &r);
	correlate_flush(c);
	assert_int_equal(s.n[INC_OPEN], 2);
	r = alert(NULL, EXPAD, REC_ALERT_RAISED, T0 + HOUR);
	r.u.alert.tenant = "contoso.com";
	feed(c, &r);
	correlate_flush(c);
	assert_int_equal(s.n[INC_UPDATE], 1);
	assert_string_equal(j_str(s.last, "host"), HOST);
	assert_true(j_has(s.last, "evidence", "health-email"));
	assert_int_equal(correlate_stats(c)->hosts_unknown, 0);
	correlate_free(c);
	seen_free(&s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_collision_aad_export),
		cmocka_unit_test(test_collision_cloud_joins),
		cmocka_unit_test(test_collision_cloud_by_domain),
		cmocka_unit_test(test_collision_resolves),
		cmocka_unit_test(test_collision_invalid_soft_match),
		cmocka_unit_test(test_collision_apart_from_adminsdholder),
		cmocka_unit_test(test_aad_classes),
		cmocka_unit_test(test_stall_health_alert),
		cmocka_unit_test(test_mail_joins_open),
		cmocka_unit_test(test_mail_too_old),
		cmocka_unit_test(test_mail_window_expires),
		cmocka_unit_test(test_mail_finish),
		cmocka_unit_test(test_mail_resolved),
		cmocka_unit_test(test_mail_not_collision),
		cmocka_unit_test(test_mail_by_tenant),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
