/*
 * test_syslog.c: incident_syslog in each of its four forms, byte for byte
 * for a hand-built incident: RFC 5424 with and without its options and
 * with empty fields left out, RFC 3164, JSON in @cee: and CEF; then the
 * PRI every class, transition and facility gets, and the timestamp of each
 * format at and past the edges of the calendar.  Hostile input, escaping
 * and the length limits are in test_syslog_inject.c.
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

#include "test_syslog.h"

/* The incident's summary as the message's text carries it (caller frees). */
static char *
test_syslog_summary(const struct incident *inc)
{
	char	buf[2048];

	remedy_summary(inc, buf, sizeof(buf));
	return (strdup(buf));
}

/* s with a backslash before every byte in special (s has no controls). */
static char *
test_syslog_esc(const char *s, const char *special)
{
	char	*out, *o;

	o = out = malloc(strlen(s) * 2 + 1);
	for (; *s != '\0'; s++) {
		if (strchr(special, *s) != NULL)
			*o++ = '\\';
		*o++ = *s;
	}
	*o = '\0';
	return (out);
}

static void
test_rfc5424(void **state)
{
	struct incident		*inc;
	struct syslog_opts	 o;
	char			*m, *want, *sum;

	(void)state;
	inc = test_syslog_incident();
	sum = test_syslog_summary(inc);
	m = incident_syslog(inc, INC_OPEN, T0, NULL);
	want = test_syslog_fmt("<131>1 2026-04-02T09:00:00.123Z HQ-SYNC01 "
	    "syncorr - adminsdholder-writeback-denied [syncorr@32473 "
	    "id=\"%s\" state=\"open\" class=\"adminsdholder-writeback-denied\" "
	    "host=\"HQ-SYNC01\" connector=\"lawfirm.example\" "
	    "connector_kind=\"AD\" attribute=\"msDS-KeyCredentialLink\" "
	    "object_count=\"1\" error_type=\"permission-issue\" "
	    "error_code=\"8344\" first_seen=\"2025-05-07T03:11:09Z\" "
	    "last_seen=\"2026-06-16T01:06:51Z\" pattern=\"ad-connector-only\" "
	    "protected=\"adminCount\" ou=\"OU=Admins,DC=lawfirm,DC=example\" "
	    "evidence=\"csexport,event-6100,health-email\"] " BOM "%s",
	    inc->id, sum);
	assert_string_equal(m, want);
	free(m);
	free(want);

	/* Options: enterprise number, host name, PROCID; a resolve. */
	memset(&o, 0, sizeof(o));
	o.enterprise = 12345;
	o.hostname = "collector.example";
	o.procid = "4242";
	m = incident_syslog(inc, INC_RESOLVE, T0, &o);
	want = test_syslog_fmt("<133>1 2026-04-02T09:00:00.123Z "
	    "collector.example syncorr 4242 adminsdholder-writeback-denied "
	    "[syncorr@12345 id=\"%s\" state=\"resolve\" ", inc->id);
	assert_memory_equal(m, want, strlen(want));
	/* host= stays the incident's, whatever HOSTNAME says. */
	assert_non_null(strstr(m, " host=\"HQ-SYNC01\" "));
	free(m);
	free(want);
	free(sum);
	incident_free(inc);
}

static void
test_rfc5424_omit(void **state)
{
	struct incident	*inc;
	char		*m, *want, *sum;

	(void)state;
	inc = incident_new(INC_SYNC_STALLED, "HQ-SYNC01", NULL,
	    REC_CONN_UNKNOWN, "stall");
	sum = test_syslog_summary(inc);
	m = incident_syslog(inc, INC_UPDATE, T0, NULL);
	want = test_syslog_fmt("<131>1 2026-04-02T09:00:00.123Z HQ-SYNC01 "
	    "syncorr - sync-stalled [syncorr@32473 id=\"%s\" state=\"update\" "
	    "class=\"sync-stalled\" host=\"HQ-SYNC01\"] " BOM "%s",
	    inc->id, sum);
	assert_string_equal(m, want);
	free(m);
	free(want);
	free(sum);
	incident_free(inc);
}

static void
test_rfc3164(void **state)
{
	struct incident		*inc;
	struct syslog_opts	 o;
	char			*m, *want, *sum;

	(void)state;
	inc = test_syslog_incident();
	sum = test_syslog_summary(inc);
	memset(&o, 0, sizeof(o));
	o.format = SYSLOG_RFC3164;
	m = incident_syslog(inc, INC_OPEN, T0, &o);
	want = test_syslog_fmt("<131>Apr  2 09:00:00 HQ-SYNC01 syncorr: %s "
	    "[id=%s state=open class=adminsdholder-writeback-denied]",
	    sum, inc->id);
	assert_string_equal(m, want);
	free(m);
	free(want);

	o.procid = "4242";
	o.facility = 1;
	m = incident_syslog(inc, INC_RESOLVE, 1798243199000LL, &o);
	want = test_syslog_fmt("<13>Dec 25 23:59:59 HQ-SYNC01 syncorr[4242]: "
	    "%s [id=%s state=resolve class=adminsdholder-writeback-denied]",
	    sum, inc->id);
	assert_string_equal(m, want);
	free(m);
	free(want);
	free(sum);
	incident_free(inc);
}

static void
test_json(void **state)
{
	struct incident		*inc;
	struct syslog_opts	 o;
	struct json_object	*j, *v;
	char			*m, *want, *json;
	const char		*p;

	(void)state;
	inc = test_syslog_incident();
	memset(&o, 0, sizeof(o));
	o.format = SYSLOG_JSON;
	m = incident_syslog(inc, INC_UPDATE, T0, &o);
	json = incident_json(inc, INC_UPDATE);
	want = test_syslog_fmt("<131>1 2026-04-02T09:00:00.123Z HQ-SYNC01 "
	    "syncorr - adminsdholder-writeback-denied - @cee:%s", json);
	assert_string_equal(m, want);
	assert_null(strchr(m, '\n'));
	p = strstr(m, "@cee:") + 5;
	j = json_tokener_parse(p);
	assert_non_null(j);
	assert_true(json_object_object_get_ex(j, "id", &v));
	assert_string_equal(json_object_get_string(v), inc->id);
	assert_true(json_object_object_get_ex(j, "state", &v));
	assert_string_equal(json_object_get_string(v), "update");
	json_object_put(j);
	free(m);
	free(want);
	free(json);
	incident_free(inc);
}

static void
test_cef(void **state)
{
	struct incident		*inc;
	struct syslog_opts	 o;
	char			*m, *want, *sum, *hsum, *xsum;

	(void)state;
	inc = test_syslog_incident();
	sum = test_syslog_summary(inc);
	hsum = test_syslog_esc(sum, "|\\");
	xsum = test_syslog_esc(sum, "=\\");
	memset(&o, 0, sizeof(o));
	o.format = SYSLOG_CEF;
	o.procid = "4242";
	m = incident_syslog(inc, INC_OPEN, T0, &o);
	want = test_syslog_fmt("<131>1 2026-04-02T09:00:00.123Z HQ-SYNC01 "
	    "syncorr 4242 adminsdholder-writeback-denied - "
	    "CEF:0|syncorr|syncorr|1.0|adminsdholder-writeback-denied|%s|8|"
	    "rt=1775120400123 dhost=HQ-SYNC01 cs1Label=id cs1=%s "
	    "cs2Label=state cs2=open cs3Label=connector cs3=lawfirm.example "
	    "cs4Label=attribute cs4=msDS-KeyCredentialLink "
	    "cs5Label=errorType cs5=permission-issue "
	    "cn1Label=errorCode cn1=8344 cnt=1 msg=%s", hsum, inc->id, xsum);
	assert_string_equal(m, want);
	free(m);
	free(want);

	/* A resolve is low; a version given is used. */
	o.version = "2.1";
	m = incident_syslog(inc, INC_RESOLVE, T0, &o);
	assert_non_null(strstr(m, "|syncorr|2.1|adminsdholder-writeback-"
	    "denied|"));
	assert_non_null(strstr(m, "|3|rt="));
	free(m);
	free(sum);
	free(hsum);
	free(xsum);
	incident_free(inc);
}

static void
test_pri(void **state)
{
	static const struct {
		enum incident_class		cls;
		enum incident_transition	tr;
		int				facility;
		int				pri;
		int				cef;
	} cases[] = {
		{ INC_ADMINSDHOLDER, INC_OPEN, 0, 131, 8 },
		{ INC_PERMISSION_MISSING, INC_UPDATE, 0, 131, 8 },
		{ INC_COLLISION, INC_OPEN, 0, 131, 8 },
		{ INC_CONNECTIVITY, INC_OPEN, 0, 131, 8 },
		{ INC_SYNC_STALLED, INC_UPDATE, 0, 131, 8 },
		{ INC_LARGE_OBJECT, INC_OPEN, 0, 132, 5 },
		{ INC_AD_EXPORT_ERROR, INC_UPDATE, 0, 132, 5 },
		{ INC_HEALTH_ALERT, INC_OPEN, 0, 132, 5 },
		{ INC_OBJECT_TYPE_MISMATCH, INC_OPEN, 0, 132, 5 },
		{ INC_ADMINSDHOLDER, INC_RESOLVE, 0, 133, 3 },
		{ INC_LARGE_OBJECT, INC_RESOLVE, 0, 133, 3 },
		{ INC_ADMINSDHOLDER, INC_OPEN, 1, 11, 8 },	/* user */
		{ INC_LARGE_OBJECT, INC_OPEN, 4, 36, 5 },	/* auth */
		{ INC_ADMINSDHOLDER, INC_RESOLVE, 23, 189, 3 }, /* local7 */
		{ INC_ADMINSDHOLDER, INC_OPEN, 24, 131, 8 }, /* none */
		{ INC_ADMINSDHOLDER, INC_OPEN, -1, 131, 8 },
	};
	struct incident		*inc;
	struct syslog_opts	 o;
	size_t			 i, f;
	char			*m, pri[16], cef[16];

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		inc = incident_new(cases[i].cls, "HQ", "contoso.com",
		    REC_CONN_AD, "scope");
		snprintf(pri, sizeof(pri), "<%d>", cases[i].pri);
		snprintf(cef, sizeof(cef), "|%d|", cases[i].cef);
		for (f = 0; f < TEST_SYSLOG_NFORMATS; f++) {
			memset(&o, 0, sizeof(o));
			o.format = test_syslog_formats[f];
			o.facility = cases[i].facility;
			m = incident_syslog(inc, cases[i].tr, T0, &o);
			if (strncmp(m, pri, strlen(pri)) != 0)
				fail_msg("case %zu format %zu: %s", i, f, m);
			if (test_syslog_formats[f] == SYSLOG_CEF)
				assert_non_null(strstr(m, cef));
			free(m);
		}
		incident_free(inc);
	}
}

static void
test_timestamp(void **state)
{
	static const struct {
		int64_t		 now;
		const char	*rfc5424;
		const char	*rfc3164;
	} cases[] = {
		{ T0, "2026-04-02T09:00:00.123Z", "Apr  2 09:00:00" },
		{ 0, "1970-01-01T00:00:00.000Z", "Jan  1 00:00:00" },
		{ 1798243199999LL, "2026-12-25T23:59:59.999Z",
		    "Dec 25 23:59:59" },
		{ 253402300799999LL, "9999-12-31T23:59:59.999Z",
		    "Dec 31 23:59:59" },
		/* Out of RFC 3339's years: NILVALUE, and the epoch. */
		{ 253402300800000LL, "-", "Jan  1 00:00:00" },
		{ -1, "-", "Jan  1 00:00:00" },
		{ REC_TIME_NONE, "-", "Jan  1 00:00:00" },
	};
	struct incident		*inc;
	struct syslog_opts	 o;
	struct test_syslog_msg	 t;
	size_t			 i;
	char			*m;

	(void)state;
	inc = test_syslog_incident();
	memset(&o, 0, sizeof(o));
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		o.format = SYSLOG_RFC5424;
		m = incident_syslog(inc, INC_OPEN, cases[i].now, &o);
		assert_int_equal(test_syslog_parse(m, &t), 0);
		assert_string_equal(t.field[0], cases[i].rfc5424);
		test_syslog_msg_free(&t);
		free(m);

		o.format = SYSLOG_CEF;
		m = incident_syslog(inc, INC_OPEN, cases[i].now, &o);
		assert_true((strstr(m, "|8|rt=") != NULL) ==
		    (cases[i].rfc5424[0] != '-'));
		free(m);

		o.format = SYSLOG_RFC3164;
		m = incident_syslog(inc, INC_OPEN, cases[i].now, &o);
		assert_memory_equal(m + 5, cases[i].rfc3164, 15);
		assert_true(m[20] == ' ');
		free(m);
	}
	incident_free(inc);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc5424),
		cmocka_unit_test(test_rfc5424_omit),
		cmocka_unit_test(test_rfc3164),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_cef),
		cmocka_unit_test(test_pri),
		cmocka_unit_test(test_timestamp),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
