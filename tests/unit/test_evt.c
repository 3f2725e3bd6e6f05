/*
 * test_evt.c: the event-to-record mapping every event format shares
 * (evt_emit), the conflict readers behind AAD export errors (pconflict)
 * and the en-US dates of PowerShell's CSV exports (ptime_parse_us).  The
 * events are built by hand in each shape an export gives them: data
 * items only, message text only (CRLF or LF), or both.
 */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "parsers.h"

#define NITEMS(a)	(sizeof(a) / sizeof((a)[0]))
#define T0		1718500012447LL	/* 2024-06-16T01:06:52.447Z */

/* The "Additional Information" block of 6100 and 6050 (FORMATS.md §1.3). */
#define RUNMSG(EOL, HEAD, D, S, M, X, W)	HEAD EOL \
	" " EOL \
	" Additional Information" EOL \
	" Discovery Errors       : \"" D "\"" EOL \
	" Synchronization Errors : \"" S "\"" EOL \
	" Metaverse Retry Errors : \"" M "\"" EOL \
	" Export Errors          : \"" X "\"" EOL \
	" Warnings               : \"" W "\"" EOL \
	" " EOL \
	" User Action" EOL \
	" View the management agent run history for details."
#define HEAD6100(MA, PROF)	"The management agent \"" MA "\" step " \
	"execution completed on run profile \"" PROF "\" with errors."
#define HEAD6050	"The management agent \"Contoso.com\" failed on run " \
	"profile \"Delta Import\" because of connectivity issues."

/* 6941's detail texts (FORMATS.md §1.5). */
#define DN6941		"CN={4C483861586B4537456569417877415658516F624C413D3D}"
#define DETAIL_UPN	"Unable to update this object because the " \
	"following attributes associated with this object have values that " \
	"may already be associated with another object in your local " \
	"directory services: [UserPrincipalName john@contoso.com;]. Correct " \
	"or remove the duplicate values in your local directory. Please " \
	"refer to https://support.microsoft.com/kb/2647098 for more " \
	"information on identifying objects with duplicate attribute values."
#define DETAIL_PROXY	"Unable to update this object because the " \
	"following attributes associated with this object have values that " \
	"may already be associated with another object in your local " \
	"directory services: [ProxyAddresses SMTP:john@contoso.com;]. " \
	"Correct or remove the duplicate values in your local directory."
#define DETAIL_FED	"Unable to update this object in Azure Active " \
	"Directory, because the attribute [FederatedUser.UserPrincipalName]," \
	" is not valid. Update the value in your local directory services."
#define DETAIL_NOID	"Unable to update this object because the user ID " \
	"is not found."
/* The best reconstruction of the raw message, with its line ends. */
#define MSG6941(EOL, NAME, DETAIL)	"ECMA2 MA export run caused an " \
	"error." EOL EOL "DN: " DN6941 EOL "Error Name: " NAME EOL EOL \
	"Error Detail: " DETAIL EOL
/* The support article's copy: no DN line, a space after "error.". */
#define MSG6941_KB(EOL, NAME, DETAIL)	"ECMA2 MA export run caused an " \
	"error. " EOL EOL "Error Name: " NAME EOL "Error Detail: " DETAIL

/* The last record handed over, copied; the count of them. */
struct emit_out {
	struct record	*rec;
	int		 n;
	int		 rc;		/* what the callback returns */
};

static int
emit_cb(const struct record *r, void *arg)
{
	struct emit_out	*o = arg;

	free(o->rec);
	o->rec = record_dup(r, NULL);
	assert_non_null(o->rec);
	o->n++;
	return (o->rc);
}

static int
str_eq(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return (a == b);
	return (strcmp(a, b) == 0);
}

/* An event from its parts; data end at the first NULL unless ndata says. */
static void
evt_make(struct evt *e, uint32_t id, const char *provider, const char *msg,
    const char *const *data, size_t ndata)
{
	size_t	i;

	memset(e, 0, sizeof(*e));
	e->id = id;
	e->provider = provider;
	e->computer = "AADCONNECT01.contoso.com";
	e->message = msg;
	e->time = T0;
	for (i = 0; i < ndata && i < EVT_MAXDATA; i++)
		e->data[i] = data[i];
	e->ndata = i;
}

struct run_case {
	const char	*name;
	uint32_t	 id;
	const char	*msg;
	const char	*data[8];
	size_t		 ndata;
	const char	*connector;
	const char	*profile;
	int64_t		 cnt[5];	/* the five, in message order */
	const char	*result;
};

static const struct run_case run_cases[] = {
	{ "6100-data", 6100, NULL,
	    { "contoso.com", "Export", "0", "0", "0", "4", "0" }, 7,
	    "contoso.com", "Export", { 0, 0, 0, 4, 0 },
	    "completed-export-errors" },
	{ "6100-msg-crlf", 6100,
	    RUNMSG("\r\n", HEAD6100("contoso.com", "Export"), "0", "0", "0",
	    "4", "0"), { NULL }, 0,
	    "contoso.com", "Export", { 0, 0, 0, 4, 0 },
	    "completed-export-errors" },
	{ "6100-msg-lf", 6100,
	    RUNMSG("\n", HEAD6100("contoso.com", "Export"), "0", "0", "0",
	    "4", "0"), { NULL }, 0,
	    "contoso.com", "Export", { 0, 0, 0, 4, 0 },
	    "completed-export-errors" },
	/* Winlogbeat carries both; PowerShell's data may be empty. */
	{ "6100-data-and-msg", 6100,
	    RUNMSG("\n", HEAD6100("contoso.com", "Export"), "0", "0", "0",
	    "4", "0"),
	    { "contoso.com", "Export", "0", "0", "0", "4", "0" }, 7,
	    "contoso.com", "Export", { 0, 0, 0, 4, 0 },
	    "completed-export-errors" },
	{ "6100-empty-data", 6100,
	    RUNMSG("\r\n", HEAD6100("contoso.com", "Full Import"), "1", "0",
	    "0", "0", "0"), { "", "", "", "", "", "", "" }, 7,
	    "contoso.com", "Full Import", { 1, 0, 0, 0, 0 },
	    "completed-discovery-errors" },
	{ "6100-two-data", 6100,
	    RUNMSG("\r\n", HEAD6100("contoso.com", "Export"), "0", "0", "0",
	    "0", "2"), { "contoso.com", "Export" }, 2,
	    "contoso.com", "Export", { 0, 0, 0, 0, 2 },
	    "completed-warnings" },
	{ "6100-quoted-data", 6100, NULL,
	    { "contoso.com", "Export", "\"0\"", " 0 ", "\"0\"", "\"12\"",
	    "0" }, 7,
	    "contoso.com", "Export", { 0, 0, 0, 12, 0 },
	    "completed-export-errors" },
	{ "6100-sync", 6100, NULL,
	    { "contoso.com", "Delta Synchronization", "0", "3", "0", "0",
	    "0" }, 7,
	    "contoso.com", "Delta Synchronization", { 0, 3, 0, 0, 0 },
	    "completed-sync-errors" },
	{ "6100-export-and-sync", 6100, NULL,
	    { "contoso.com", "Export", "0", "2", "0", "1", "5" }, 7,
	    "contoso.com", "Export", { 0, 2, 0, 1, 5 },
	    "completed-export-errors" },
	{ "6100-none", 6100, NULL,
	    { "contoso.com", "Export", "0", "0", "0", "0", "0" }, 7,
	    "contoso.com", "Export", { 0, 0, 0, 0, 0 }, "completed-errors" },
	{ "6100-warnings", 6100,
	    RUNMSG("\n", HEAD6100("contoso.com", "Delta Import"), "0", "0",
	    "0", "0", "7"), { NULL }, 0,
	    "contoso.com", "Delta Import", { 0, 0, 0, 0, 7 },
	    "completed-warnings" },
	{ "6100-aad", 6100,
	    RUNMSG("\r\n", HEAD6100("contoso.onmicrosoft.com - AAD", "Export"),
	    "0", "0", "0", "2", "0"), { NULL }, 0,
	    "contoso.onmicrosoft.com - AAD", "Export", { 0, 0, 0, 2, 0 },
	    "completed-export-errors" },
	{ "6100-bad-counter", 6100, NULL,
	    { "contoso.com", "Export", "x", "", "-1", "4", "0" }, 7,
	    "contoso.com", "Export", { -1, -1, -1, 4, 0 },
	    "completed-export-errors" },
	{ "6050-msg-crlf", 6050,
	    RUNMSG("\r\n", HEAD6050, "0", "0", "0", "0", "0"), { NULL }, 0,
	    "Contoso.com", "Delta Import", { 0, 0, 0, 0, 0 },
	    "stopped-connectivity" },
	{ "6050-data", 6050, NULL,
	    { "Contoso.com", "Delta Import", "0", "0", "0", "0", "0" }, 7,
	    "Contoso.com", "Delta Import", { 0, 0, 0, 0, 0 },
	    "stopped-connectivity" },
};

/* Each case against every field a run record from an event carries. */
static void
test_run(void **state)
{
	static const enum rec_counter slot[5] = { REC_CNT_DISCOVERY_ERRORS,
	    REC_CNT_SYNC_ERRORS, REC_CNT_MV_RETRY_ERRORS,
	    REC_CNT_EXPORT_ERRORS, REC_CNT_WARNINGS };
	const struct run_case	*c;
	const struct rec_run	*run;
	struct emit_out		 o;
	struct evt		 e;
	size_t			 i, k;
	int			 bad = 0;

	(void)state;
	for (i = 0; i < NITEMS(run_cases); i++) {
		c = &run_cases[i];
		memset(&o, 0, sizeof(o));
		evt_make(&e, c->id, "ADSync", c->msg, c->data, c->ndata);
		assert_int_equal(evt_emit(&e, emit_cb, &o), 1);
		assert_int_equal(o.n, 1);
		run = &o.rec->u.run;
		assert_int_equal(o.rec->kind, REC_RUN);
		assert_int_equal(o.rec->source, c->id == 6050 ?
		    REC_SRC_EVENT_6050 : REC_SRC_EVENT_6100);
		assert_string_equal(o.rec->host, "AADCONNECT01.contoso.com");
		assert_int_equal(o.rec->time, T0);
		assert_int_equal(run->end, T0);
		assert_int_equal(run->start, REC_TIME_NONE);
		assert_int_equal(run->conn_code, -1);
		assert_int_equal(run->run_number, -1);
		assert_int_equal(run->step_number, -1);
		assert_int_equal(o.rec->conn_kind,
		    record_conn_kind(c->connector));
		for (k = 5; k < REC_CNT_MAX; k++)
			assert_int_equal(run->counters[k], -1);
		if (!str_eq(o.rec->connector, c->connector) ||
		    !str_eq(run->profile, c->profile) ||
		    !str_eq(run->result, c->result)) {
			print_error("%s: connector %s profile %s result %s\n",
			    c->name, o.rec->connector, run->profile,
			    run->result);
			bad++;
		}
		for (k = 0; k < 5; k++)
			if (run->counters[slot[k]] != c->cnt[k]) {
				print_error("%s: counter %zu is %lld, want "
				    "%lld\n", c->name, k,
				    (long long)run->counters[slot[k]],
				    (long long)c->cnt[k]);
				bad++;
			}
		free(o.rec);
	}
	assert_int_equal(bad, 0);
}

struct xerr_case {
	const char	*name;
	const char	*msg;
	const char	*data[6];
	size_t		 ndata;
	const char	*dn;
	const char	*error_name;
	const char	*literal;
	const char	*attr;
	const char	*value;
};

static const struct xerr_case xerr_cases[] = {
	{ "6941-msg-upn-crlf",
	    MSG6941("\r\n", "AttributeValueMustBeUnique", DETAIL_UPN),
	    { NULL }, 0, DN6941, "AttributeValueMustBeUnique", DETAIL_UPN,
	    "UserPrincipalName", "john@contoso.com" },
	{ "6941-msg-upn-lf",
	    MSG6941("\n", "AttributeValueMustBeUnique", DETAIL_UPN),
	    { NULL }, 0, DN6941, "AttributeValueMustBeUnique", DETAIL_UPN,
	    "UserPrincipalName", "john@contoso.com" },
	{ "6941-msg-proxy", MSG6941("\r\n", "InvalidSoftMatch", DETAIL_PROXY),
	    { NULL }, 0, DN6941, "InvalidSoftMatch", DETAIL_PROXY,
	    "ProxyAddresses", "SMTP:john@contoso.com" },
	{ "6941-msg-kb", MSG6941_KB("\r\n", "AttributeValueMustBeUnique",
	    DETAIL_UPN), { NULL }, 0, NULL, "AttributeValueMustBeUnique",
	    DETAIL_UPN, "UserPrincipalName", "john@contoso.com" },
	{ "6941-msg-federated",
	    MSG6941("\r\n", "FederatedDomainChangeError", DETAIL_FED),
	    { NULL }, 0, DN6941, "FederatedDomainChangeError", DETAIL_FED,
	    "FederatedUser.UserPrincipalName", NULL },
	{ "6941-msg-no-conflict", MSG6941("\r\n", "ObjectNotFound",
	    DETAIL_NOID), { NULL }, 0, DN6941, "ObjectNotFound", DETAIL_NOID,
	    NULL, NULL },
	{ "6941-data", NULL,
	    { "ECMA2 MA export run caused an error.", "DN: " DN6941,
	    "Error Name: AttributeValueMustBeUnique",
	    "Error Detail: " DETAIL_UPN }, 4,
	    DN6941, "AttributeValueMustBeUnique", DETAIL_UPN,
	    "UserPrincipalName", "john@contoso.com" },
};

/* Checks every field of the export-error record cases give. */
static void
xerr_check(const struct xerr_case *cases, size_t ncases)
{
	const struct xerr_case		*c;
	const struct rec_export_error	*x;
	struct emit_out			 o;
	struct evt			 e;
	size_t				 i;
	int				 bad = 0;

	for (i = 0; i < ncases; i++) {
		c = &cases[i];
		memset(&o, 0, sizeof(o));
		evt_make(&e, 6941, "ADSync", c->msg, c->data, c->ndata);
		assert_int_equal(evt_emit(&e, emit_cb, &o), 1);
		assert_int_equal(o.n, 1);
		x = &o.rec->u.xerr;
		assert_int_equal(o.rec->kind, REC_EXPORT_ERROR);
		assert_int_equal(o.rec->source, REC_SRC_EVENT_6941);
		assert_int_equal(o.rec->conn_kind, REC_CONN_AAD);
		assert_string_equal(o.rec->host, "AADCONNECT01.contoso.com");
		assert_int_equal(o.rec->time, T0);
		assert_int_equal(x->date_occurred, T0);
		assert_int_equal(x->first_occurred, REC_TIME_NONE);
		assert_int_equal(x->error_code, -1);
		assert_int_equal(x->retry_count, -1);
		assert_int_equal(x->admin_count, -1);
		assert_int_equal(x->nattrs, 0);
		assert_true(str_eq(x->error_type, x->error_name));
		if (!str_eq(x->dn, c->dn) ||
		    !str_eq(x->error_name, c->error_name) ||
		    !str_eq(x->literal, c->literal) ||
		    !str_eq(x->conflict_attr, c->attr) ||
		    !str_eq(x->conflict_value, c->value)) {
			print_error("%s: dn %s name %s attr %s value %s\n"
			    "literal %s\n", c->name, x->dn, x->error_name,
			    x->conflict_attr, x->conflict_value, x->literal);
			bad++;
		}
		free(o.rec);
	}
	assert_int_equal(bad, 0);
}

static void
test_export_error(void **state)
{
	(void)state;
	xerr_check(xerr_cases, NITEMS(xerr_cases));
}

/*
 * A data item the export left out (NULL) among the parts of a message.
 * Last in the table: under UBSan a failure here ends the program.
 */
static void
test_export_error_null_item(void **state)
{
	static const struct xerr_case	c = { "6941-data-null-item", NULL,
	    { "ECMA2 MA export run caused an error.", NULL, "DN: " DN6941,
	    "Error Name: InvalidSoftMatch", "Error Detail: " DETAIL_PROXY },
	    5, DN6941, "InvalidSoftMatch", DETAIL_PROXY, "ProxyAddresses",
	    "SMTP:john@contoso.com" };

	(void)state;
	xerr_check(&c, 1);
}

/* Only the sync engine's providers count, whatever their case. */
static void
test_provider(void **state)
{
	static const struct {
		const char	*provider;
		int		 want;
	} cases[] = {
		{ "ADSync", 1 },
		{ "adsync", 1 },
		{ "Directory Synchronization", 1 },
		{ "DIRECTORY SYNCHRONIZATION", 1 },
		{ "FIMSynchronizationService", 1 },
		{ "fimsynchronizationservice", 1 },
		{ NULL, 1 },
		{ "Application Error", 0 },
		{ "ADSync2", 0 },
		{ "", 0 },
		{ "Microsoft-Windows-Security-Auditing", 0 },
	};
	static const char *const data[] = { "contoso.com", "Export", "0",
	    "0", "0", "4", "0" };
	struct emit_out	 o;
	struct evt	 e;
	size_t		 i;

	(void)state;
	for (i = 0; i < NITEMS(cases); i++) {
		memset(&o, 0, sizeof(o));
		evt_make(&e, 6100, cases[i].provider, NULL, data, 7);
		assert_int_equal(evt_emit(&e, emit_cb, &o), cases[i].want);
		assert_int_equal(o.n, cases[i].want);
		free(o.rec);
		memset(&o, 0, sizeof(o));
		evt_make(&e, 6941, cases[i].provider, MSG6941("\r\n",
		    "AttributeValueMustBeUnique", DETAIL_UPN), NULL, 0);
		assert_int_equal(evt_emit(&e, emit_cb, &o), cases[i].want);
		assert_int_equal(o.n, cases[i].want);
		free(o.rec);
	}
}

/* Other events of the same providers are skipped. */
static void
test_other_ids(void **state)
{
	static const uint32_t	 ids[] = { 0, 611, 6101, 6127, 6942, 61000,
	    906, 6951 };
	static const char *const data[] = { "contoso.com", "Export", "0",
	    "0", "0", "4", "0" };
	struct emit_out		 o;
	struct evt		 e;
	size_t			 i;

	(void)state;
	memset(&o, 0, sizeof(o));
	for (i = 0; i < NITEMS(ids); i++) {
		evt_make(&e, ids[i], "ADSync", RUNMSG("\r\n",
		    HEAD6100("contoso.com", "Export"), "0", "0", "0", "4",
		    "0"), data, 7);
		assert_int_equal(evt_emit(&e, emit_cb, &o), 0);
	}
	assert_int_equal(o.n, 0);
	assert_null(o.rec);
}

/* A callback that says stop makes evt_emit say so. */
static void
test_stop(void **state)
{
	static const uint32_t	 ids[] = { 6100, 6050, 6941 };
	static const char *const data[] = { "contoso.com", "Export", "0",
	    "0", "0", "4", "0" };
	struct emit_out		 o;
	struct evt		 e;
	size_t			 i;

	(void)state;
	for (i = 0; i < NITEMS(ids); i++) {
		memset(&o, 0, sizeof(o));
		o.rc = -1;
		evt_make(&e, ids[i], "ADSync", ids[i] == 6941 ? MSG6941("\r\n",
		    "AttributeValueMustBeUnique", DETAIL_UPN) : NULL, data,
		    ids[i] == 6941 ? 0 : 7);
		assert_int_equal(evt_emit(&e, emit_cb, &o), -1);
		assert_int_equal(o.n, 1);
		free(o.rec);
	}
}

/* --- pconflict --------------------------------------------------------- */

static void
test_conflict_extra(void **state)
{
	static const char	 sample[] = "[{\"Key\":\"ObjectId\",\"Value\":"
	    "[\"677e2ead-3b3a-4a52-9d1b-1f6c0e0d4f11\"]},{\"Key\":"
	    "\"ObjectIdInConflict\",\"Value\":[\"7505ed65-8c1e-4a40-a6c3-"
	    "2a9b2f6a0c22\"]},{\"Key\":\"AttributeConflictName\",\"Value\":"
	    "[\"SipProxyAddress\"]},{\"Key\":\"AttributeConflictValues\","
	    "\"Value\":[\"user@contoso.com\"]}]";
	static const char *const none[] = {
		"not json", "", "{", "[{\"Key\":", "{}", "[]", "[1,2]",
		"[{\"Key\":\"Other\",\"Value\":[\"x\"]}]",
		"[{\"Value\":[\"x\"]}]",
		"{\"Key\":\"ObjectId\",\"Value\":[\"x\"]}",
		"[{\"Key\":\"AttributeConflictName\",\"Value\":[]}]",
	};
	struct pconflict	 pc;
	char			*big;
	size_t			 i;

	(void)state;
	assert_int_equal(pconflict_extra(&pc, sample), 0);
	assert_string_equal(pc.attr, "SipProxyAddress");
	assert_string_equal(pc.value, "user@contoso.com");
	assert_string_equal(pc.object_id,
	    "677e2ead-3b3a-4a52-9d1b-1f6c0e0d4f11");
	assert_string_equal(pc.conflict_object_id,
	    "7505ed65-8c1e-4a40-a6c3-2a9b2f6a0c22");

	/* A bare string Value, keys in another case, the first of many. */
	assert_int_equal(pconflict_extra(&pc, "[{\"key\":"
	    "\"AttributeConflictName\",\"value\":\"UserPrincipalName\"},"
	    "{\"Key\":\"AttributeConflictValues\",\"Value\":[\"a@x\","
	    "\"b@x\"]}]"), 0);
	assert_string_equal(pc.attr, "UserPrincipalName");
	assert_string_equal(pc.value, "a@x");
	assert_null(pc.object_id);
	assert_null(pc.conflict_object_id);

	for (i = 0; i < NITEMS(none); i++) {
		pc.attr = pc.value = "stale";
		if (pconflict_extra(&pc, none[i]) != -1)
			fail_msg("found something in %s", none[i]);
		assert_null(pc.attr);
		assert_null(pc.value);
		assert_null(pc.object_id);
		assert_null(pc.conflict_object_id);
	}
	assert_int_equal(pconflict_extra(&pc, NULL), -1);

	/* A value too long for the buffer is dropped, not cut. */
	big = malloc(4096);
	assert_non_null(big);
	i = (size_t)sprintf(big, "[{\"Key\":\"AttributeConflictName\","
	    "\"Value\":[\"Mail\"]},{\"Key\":\"AttributeConflictValues\","
	    "\"Value\":[\"");
	memset(big + i, 'v', 2000);
	strcpy(big + i + 2000, "\"]}]");
	assert_int_equal(pconflict_extra(&pc, big), 0);
	assert_string_equal(pc.attr, "Mail");
	assert_null(pc.value);
	free(big);
}

/* "Anything found" includes the other object's id alone. */
static void
test_conflict_extra_other_only(void **state)
{
	struct pconflict	pc;

	(void)state;
	assert_int_equal(pconflict_extra(&pc, "[{\"Key\":"
	    "\"ObjectIdInConflict\",\"Value\":[\"7505ed65\"]}]"), 0);
	assert_string_equal(pc.conflict_object_id, "7505ed65");
}

static void
test_conflict_text(void **state)
{
	static const struct {
		const char	*text;
		int		 rc;
		const char	*attr;
		const char	*value;
	} cases[] = {
		{ DETAIL_UPN, 0, "UserPrincipalName", "john@contoso.com" },
		{ DETAIL_PROXY, 0, "ProxyAddresses", "SMTP:john@contoso.com" },
		{ DETAIL_FED, 0, "FederatedUser.UserPrincipalName", NULL },
		{ "[FederatedUser.UserPrincipalName]", 0,
		    "FederatedUser.UserPrincipalName", NULL },
		{ "[ProxyAddresses SMTP:a@x;smtp:b@x;]", 0, "ProxyAddresses",
		    "SMTP:a@x" },
		{ "see [1] and then [Mail a@x;] and [UPN b@x;]", 0, "Mail",
		    "a@x" },
		{ "[UserPrincipalName   john@x  ;]", 0, "UserPrincipalName",
		    "john@x" },
		{ "[UserPrincipalName]", 0, "UserPrincipalName", NULL },
		{ DETAIL_NOID, -1, NULL, NULL },
		{ "no brackets at all", -1, NULL, NULL },
		{ "[]", -1, NULL, NULL },
		{ "[ ]", -1, NULL, NULL },
		{ "[1 2;]", -1, NULL, NULL },
		{ "", -1, NULL, NULL },
		{ "[", -1, NULL, NULL },
	};
	struct pconflict	pc;
	size_t			i;

	(void)state;
	for (i = 0; i < NITEMS(cases); i++) {
		pc.attr = pc.value = "stale";
		assert_int_equal(pconflict_text(&pc, cases[i].text),
		    cases[i].rc);
		if (!str_eq(pc.attr, cases[i].attr) ||
		    !str_eq(pc.value, cases[i].value))
			fail_msg("%s: attr %s value %s", cases[i].text,
			    pc.attr, pc.value);
		assert_null(pc.object_id);
		assert_null(pc.conflict_object_id);
	}
	assert_int_equal(pconflict_text(&pc, NULL), -1);
}

/* --- ptime_parse_us ---------------------------------------------------- */

static void
test_time_us(void **state)
{
	static const struct {
		const char	*s;
		int		 y, mo, d, h, mi, sec;	/* y 0: none */
	} cases[] = {
		{ "6/16/2024 1:06:52 AM", 2024, 6, 16, 1, 6, 52 },
		{ "6/16/2024 1:06:52 PM", 2024, 6, 16, 13, 6, 52 },
		{ "6/16/2024 12:00:00 AM", 2024, 6, 16, 0, 0, 0 },
		{ "6/16/2024 12:30:00 PM", 2024, 6, 16, 12, 30, 0 },
		{ "6/16/2024 11:59:59 pm", 2024, 6, 16, 23, 59, 59 },
		{ "6/16/2024 13:06:52", 2024, 6, 16, 13, 6, 52 },
		{ "6/16/2024 0:00:00", 2024, 6, 16, 0, 0, 0 },
		{ "12/31/2023 11:59:59 PM", 2023, 12, 31, 23, 59, 59 },
		{ "6/16/2024", 2024, 6, 16, 0, 0, 0 },
		{ "2/29/2024", 2024, 2, 29, 0, 0, 0 },
		{ " 6/16/2024 1:06:52 AM\r\n", 2024, 6, 16, 1, 6, 52 },
		{ "06/06/2024 01:06:52 AM", 2024, 6, 6, 1, 6, 52 },
		{ "13/40/2024", 0, 0, 0, 0, 0, 0 },
		{ "13/16/2024 1:06:52 AM", 0, 0, 0, 0, 0, 0 },
		{ "6/31/2024", 0, 0, 0, 0, 0, 0 },
		{ "2/29/2023", 0, 0, 0, 0, 0, 0 },
		{ "6/16/24 1:06:52 AM", 0, 0, 0, 0, 0, 0 },
		{ "6/16/24", 0, 0, 0, 0, 0, 0 },
		{ "6/16/20245", 0, 0, 0, 0, 0, 0 },
		{ "6/16/2024x", 0, 0, 0, 0, 0, 0 },
		{ "6/16/2024 1:06:52 AMX", 0, 0, 0, 0, 0, 0 },
		{ "6/16/2024 1:06:52 AM junk", 0, 0, 0, 0, 0, 0 },
		{ "6/16/2024 1:06:52 XM", 0, 0, 0, 0, 0, 0 },
		{ "6/16/2024 13:06:52 PM", 0, 0, 0, 0, 0, 0 },
		{ "6/16/2024 0:06:52 AM", 0, 0, 0, 0, 0, 0 },
		{ "6/16/2024 24:00:00", 0, 0, 0, 0, 0, 0 },
		{ "6/16/2024 1:60:00", 0, 0, 0, 0, 0, 0 },
		{ "6/16/2024 1:", 0, 0, 0, 0, 0, 0 },
		{ "2024-06-16 01:06:52", 0, 0, 0, 0, 0, 0 },
		{ "6/16", 0, 0, 0, 0, 0, 0 },
		{ "", 0, 0, 0, 0, 0, 0 },
		{ "   ", 0, 0, 0, 0, 0, 0 },
	};
	int64_t	t, want;
	size_t	i;
	int	bad = 0;

	(void)state;
	for (i = 0; i < NITEMS(cases); i++) {
		t = ptime_parse_us(cases[i].s, strlen(cases[i].s));
		want = cases[i].y == 0 ? REC_TIME_NONE : ptime_make(cases[i].y,
		    cases[i].mo, cases[i].d, cases[i].h, cases[i].mi,
		    cases[i].sec, 0);
		if (t != want) {
			print_error("\"%s\": %lld, want %lld\n", cases[i].s,
			    (long long)t, (long long)want);
			bad++;
		}
	}
	/* Only len bytes count. */
	assert_int_equal(ptime_parse_us("6/16/2024 1:06:52 AMjunk", 20),
	    ptime_make(2024, 6, 16, 1, 6, 52, 0));
	assert_int_equal(ptime_parse_us("6/16/2024 1:06:52 AM", 20),
	    T0 - 447);
	assert_int_equal(bad, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_run),
		cmocka_unit_test(test_export_error),
		cmocka_unit_test(test_provider),
		cmocka_unit_test(test_other_ids),
		cmocka_unit_test(test_stop),
		cmocka_unit_test(test_conflict_extra),
		cmocka_unit_test(test_conflict_extra_other_only),
		cmocka_unit_test(test_conflict_text),
		cmocka_unit_test(test_time_us),
		cmocka_unit_test(test_export_error_null_item),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
