/*
 * test_correlate.c: records in, transitions out, with the clock in the
 * test's hands.  It checks the grouping rule (one incident per host,
 * connector and attribute), that repeated evidence is silent, that a new
 * object or the reminder interval is an update, what is not an
 * AdminSDHolder case, and the JSON and remediation text.
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

#include "correlate.h"

#define HOUR	(3600LL * 1000)
#define T0	1775120400000LL		/* 2026-04-02T09:00:00Z */

struct seen {
	int	 n[3];
	char	*last;		/* JSON of the last transition */
	char	 ids[16][INCIDENT_IDLEN + 1];
	int	 nids;
};

static void
seen_cb(const struct incident *inc, enum incident_transition tr,
    int64_t now, void *arg)
{
	struct seen	*s = arg;
	int		 i;

	(void)now;
	s->n[tr]++;
	free(s->last);
	s->last = incident_json(inc, tr);
	for (i = 0; i < s->nids; i++)
		if (strcmp(s->ids[i], inc->id) == 0)
			return;
	if (s->nids < 16)
		memcpy(s->ids[s->nids++], inc->id, sizeof(s->ids[0]));
}

static struct correlate *
new_correlate(struct seen *s)
{
	struct correlate_params	p;

	memset(s, 0, sizeof(*s));
	memset(&p, 0, sizeof(p));
	p.reminder = 24 * HOUR;
	return (correlate_new(&p, seen_cb, s));
}

/* An AD permission-issue export error on dn writing attr. */
static struct record
xerr(const char *host, const char *dn, const char *attr, int admin)
{
	struct record	r;

	memset(&r, 0, sizeof(r));
	r.kind = REC_EXPORT_ERROR;
	r.source = REC_SRC_CSEXPORT;
	r.host = host;
	r.connector = "contoso.com";
	r.conn_kind = REC_CONN_AD;
	r.u.xerr.dn = dn;
	r.u.xerr.error_type = "permission-issue";
	r.u.xerr.error_code = 8344;
	r.u.xerr.retry_count = 10;
	r.u.xerr.attrs[0] = attr;
	r.u.xerr.nattrs = attr != NULL;
	r.u.xerr.admin_count = admin;
	r.u.xerr.first_occurred = T0 - 30 * 24 * HOUR;
	r.u.xerr.date_occurred = T0;
	r.time = T0;
	return (r);
}

#define ALICE	"CN=Alice Admin,OU=Admins,DC=contoso,DC=com"
#define BOB	"CN=Bob Admin,OU=Admins,DC=contoso,DC=com"
#define KCL	"msDS-KeyCredentialLink"

/* Six cycles of the same fault: one open, nothing else. */
static void
test_repeat_is_silent(void **state)
{
	struct correlate	*c;
	struct record		 r;
	struct seen		 s;
	int			 i;

	(void)state;
	c = new_correlate(&s);
	for (i = 0; i < 6; i++) {
		r = xerr("AADCONNECT01", ALICE, KCL, 1);
		r.time = T0 + i * HOUR / 2;
		r.u.xerr.retry_count = 10 + i;
		correlate_feed(c, &r, r.time);
	}
	correlate_flush(c);
	assert_int_equal(s.n[INC_OPEN], 1);
	assert_int_equal(s.n[INC_UPDATE], 0);
	assert_int_equal(s.nids, 1);
	assert_int_equal(correlate_stats(c)->incidents, 1);
	correlate_free(c);
	free(s.last);
}

/* Two protected accounts failing on one attribute: one incident. */
static void
test_group_by_attribute(void **state)
{
	struct correlate	*c;
	struct record		 r;
	struct seen		 s;
	struct json_object	*j, *v;

	(void)state;
	c = new_correlate(&s);
	r = xerr("AADCONNECT01", BOB, KCL, 1);
	correlate_feed(c, &r, T0);
	r = xerr("AADCONNECT01", ALICE, KCL, 1);
	correlate_feed(c, &r, T0);
	assert_int_equal(s.n[INC_OPEN], 0);	/* not before the flush */
	correlate_flush(c);
	/* One observation, one message: both objects in the open. */
	assert_int_equal(s.n[INC_OPEN], 1);
	assert_int_equal(s.n[INC_UPDATE], 0);
	assert_int_equal(s.nids, 1);
	j = json_tokener_parse(s.last);
	assert_non_null(j);
	assert_true(json_object_object_get_ex(j, "object_count", &v));
	assert_int_equal(json_object_get_int(v), 2);
	assert_true(json_object_object_get_ex(j, "objects", &v));
	/* Sorted by DN, whatever the arrival order. */
	assert_string_equal(json_object_get_string(json_object_object_get(
	    json_object_array_get_idx(v, 0), "dn")), ALICE);
	assert_true(json_object_object_get_ex(j, "retries", &v));
	assert_int_equal(json_object_get_int(v), 20);
	json_object_put(j);

	/* Another attribute, another host: two more incidents. */
	r = xerr("AADCONNECT01", ALICE, "msExchSafeSendersHash", 1);
	correlate_feed(c, &r, T0 + HOUR);
	r = xerr("OTHER-SYNC", ALICE, KCL, 1);
	correlate_feed(c, &r, T0 + HOUR);
	correlate_flush(c);
	assert_int_equal(s.n[INC_OPEN], 3);
	assert_int_equal(s.nids, 3);
	/* The host's case does not fork an incident. */
	r = xerr("aadconnect01", ALICE, KCL, 1);
	correlate_feed(c, &r, T0 + 2 * HOUR);
	correlate_flush(c);
	assert_int_equal(s.nids, 3);
	/* A later cycle with a third object is an update. */
	r = xerr("AADCONNECT01", "CN=Carol,OU=Admins,DC=contoso,DC=com", KCL, 1);
	correlate_feed(c, &r, T0 + 3 * HOUR);
	correlate_flush(c);
	assert_int_equal(s.n[INC_UPDATE], 1);
	assert_non_null(strstr(s.last, "\"object_count\":3"));
	correlate_free(c);
	free(s.last);
}

/* What is not the AdminSDHolder case. */
static void
test_not_adminsdholder(void **state)
{
	struct correlate	*c;
	struct record		 r;
	struct seen		 s;

	(void)state;
	c = new_correlate(&s);
	r = xerr("H", ALICE, KCL, 0);		/* not protected */
	correlate_feed(c, &r, T0);
	r = xerr("H", ALICE, KCL, -1);		/* not known */
	correlate_feed(c, &r, T0);
	r = xerr("H", ALICE, KCL, 1);		/* the AAD connector */
	r.conn_kind = REC_CONN_AAD;
	correlate_feed(c, &r, T0);
	r = xerr("H", ALICE, KCL, 1);		/* a snapshot */
	r.kind = REC_SNAPSHOT;
	correlate_feed(c, &r, T0);
	correlate_flush(c);
	assert_int_equal(s.n[INC_OPEN], 0);
	assert_int_equal(correlate_stats(c)->unclassified, 4);
	/* The code alone is enough; the error type alone too. */
	r = xerr("H", ALICE, KCL, 1);
	r.u.xerr.error_type = NULL;
	correlate_feed(c, &r, T0);
	r = xerr("H2", ALICE, KCL, 1);
	r.u.xerr.error_code = -1;
	r.conn_kind = REC_CONN_UNKNOWN;		/* AD told by the DN */
	correlate_feed(c, &r, T0);
	correlate_flush(c);
	assert_int_equal(s.n[INC_OPEN], 2);
	assert_non_null(strstr(s.last, "adminsdholder-writeback-denied"));
	correlate_free(c);
	free(s.last);
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
	r = xerr("H", BOB, "department", 0);
	r.u.xerr.error_type = "cd-missing-object";
	r.u.xerr.error_code = 8240;
	r.u.xerr.literal = "There is no such object on the server.";
	correlate_feed(c, &r, T0);
	r = xerr("H", ALICE, "department", 1);	/* protected, same error */
	r.u.xerr.error_type = "cd-missing-object";
	r.u.xerr.error_code = 8240;
	correlate_feed(c, &r, T0);
	correlate_flush(c);
	assert_int_equal(s.n[INC_OPEN], 2);	/* scoped to the object */
	assert_non_null(strstr(s.last, "\"class\":\"ad-export-error\""));
	assert_non_null(strstr(s.last, "Get-ADSyncCSObject"));
	assert_non_null(strstr(s.last, "moved or deleted"));
	assert_null(strstr(s.last, "dsacls"));
	assert_null(strstr(s.last, "AdminSDHolder"));
	correlate_free(c);
	free(s.last);
}

/* The reminder: an update when the interval passes, from feed or tick. */
static void
test_reminder(void **state)
{
	struct correlate	*c;
	struct record		 r;
	struct seen		 s;

	(void)state;
	c = new_correlate(&s);
	r = xerr("H", ALICE, KCL, 1);
	correlate_feed(c, &r, T0);
	correlate_flush(c);
	correlate_tick(c, T0 + 23 * HOUR);
	assert_int_equal(s.n[INC_UPDATE], 0);
	correlate_tick(c, T0 + 24 * HOUR);
	assert_int_equal(s.n[INC_UPDATE], 1);
	correlate_feed(c, &r, T0 + 30 * HOUR);
	assert_int_equal(s.n[INC_UPDATE], 1);
	correlate_feed(c, &r, T0 + 48 * HOUR);
	correlate_flush(c);
	assert_int_equal(s.n[INC_UPDATE], 2);
	assert_non_null(strstr(s.last, "\"state\":\"update\""));
	correlate_free(c);
	free(s.last);
}

/* The fingerprint is stable and covers exactly its four parts. */
static void
test_fingerprint(void **state)
{
	char	a[INCIDENT_IDLEN + 1], b[INCIDENT_IDLEN + 1];

	(void)state;
	incident_fingerprint(INC_ADMINSDHOLDER, "AADCONNECT01", "contoso.com",
	    KCL, a);
	assert_int_equal(strlen(a), INCIDENT_IDLEN);
	incident_fingerprint(INC_ADMINSDHOLDER, "aadconnect01", "CONTOSO.COM",
	    KCL, b);
	assert_string_equal(a, b);
	incident_fingerprint(INC_ADMINSDHOLDER, "AADCONNECT01", "contoso.com",
	    "msExchSafeSendersHash", b);
	assert_string_not_equal(a, b);
	/* ("ab", "c") and ("a", "bc") are different identities. */
	incident_fingerprint(INC_ADMINSDHOLDER, "ab", "c", KCL, a);
	incident_fingerprint(INC_ADMINSDHOLDER, "a", "bc", KCL, b);
	assert_string_not_equal(a, b);
}

/* The remediation names the right AdminSDHolder and account. */
static void
test_remediation(void **state)
{
	struct correlate	*c;
	struct record		 r;
	struct seen		 s;

	(void)state;
	c = new_correlate(&s);
	r = xerr("H", ALICE, KCL, 1);
	correlate_feed(c, &r, T0);
	correlate_flush(c);
	assert_non_null(strstr(s.last, "dsacls \\\"CN=AdminSDHolder,"
	    "CN=System,DC=contoso,DC=com\\\" /G \\\"<DOMAIN>\\\\MSOL_<id>:WP;"
	    "msDS-KeyCredentialLink\\\""));
	assert_non_null(strstr(s.last, "Get-ADSyncADConnectorAccount"));
	assert_non_null(strstr(s.last, "RunProtectAdminGroupsTask"));
	assert_non_null(strstr(s.last, "Start-ADSyncSyncCycle -PolicyType "
	    "Delta"));
	assert_non_null(strstr(s.last, "\"protected\":\"adminCount\""));
	assert_non_null(strstr(s.last, "\"first_seen\":\"2026-03-03T09:00:00Z\""));

	/* With the account configured, and a second domain. */
	correlate_set_account(c, "h2", "LAWFIRM\\MSOL_1a2b3c4d5e6f");
	r = xerr("H2", "CN=Root Admin,CN=Users,DC=lawfirm,DC=example", KCL, 1);
	correlate_feed(c, &r, T0);
	r = xerr("H2", "CN=Sub Admin,CN=Users,DC=sub,DC=lawfirm,DC=example",
	    KCL, 1);
	correlate_feed(c, &r, T0);
	correlate_flush(c);
	assert_non_null(strstr(s.last, "CN=System,DC=lawfirm,DC=example\\\" "
	    "/G \\\"LAWFIRM\\\\MSOL_1a2b3c4d5e6f:WP;msDS-KeyCredentialLink"));
	assert_non_null(strstr(s.last, "CN=System,DC=sub,DC=lawfirm,"
	    "DC=example"));
	assert_null(strstr(s.last, "Get-ADSyncADConnectorAccount"));
	correlate_free(c);
	free(s.last);
}

/* Hostile bytes in a DN stay inside their JSON string. */
static void
test_json_escaping(void **state)
{
	struct correlate	*c;
	struct record		 r;
	struct seen		 s;
	struct json_object	*j;

	(void)state;
	c = new_correlate(&s);
	r = xerr("H", "CN=\"}\n{\"id\":\"x\",OU=A\\,B,DC=x,DC=y", KCL, 1);
	correlate_feed(c, &r, T0);
	correlate_flush(c);
	assert_null(strchr(s.last, '\n'));
	j = json_tokener_parse(s.last);
	assert_non_null(j);
	assert_int_equal(json_object_object_length(j) > 10, 1);
	json_object_put(j);
	correlate_free(c);
	free(s.last);
}

/* Many objects: listed up to the cap, counted beyond it. */
static void
test_object_cap(void **state)
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
		correlate_feed(c, &r, T0);
	}
	correlate_flush(c);
	assert_int_equal(s.n[INC_OPEN], 1);
	assert_int_equal(correlate_stats(c)->objects_dropped, 5);
	assert_non_null(strstr(s.last, "\"object_count\":1005"));
	correlate_free(c);
	free(s.last);
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
		cmocka_unit_test(test_repeat_is_silent),
		cmocka_unit_test(test_group_by_attribute),
		cmocka_unit_test(test_not_adminsdholder),
		cmocka_unit_test(test_ad_export_error),
		cmocka_unit_test(test_reminder),
		cmocka_unit_test(test_fingerprint),
		cmocka_unit_test(test_remediation),
		cmocka_unit_test(test_json_escaping),
		cmocka_unit_test(test_object_cap),
		cmocka_unit_test(test_table),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
