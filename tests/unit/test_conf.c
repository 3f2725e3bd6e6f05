/*
 * test_conf.c: the configuration parser on buffers.  Error cases are a
 * table of (input, every expected "FILE:LINE: message"), so a new rule is
 * one line here; include statements go through an in-memory loader, and
 * the shipped example conf/syncorr.conf must parse with no error at all.
 */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "test_conf.h"
#include "test_util.h"

#include "conf.h"

#define TEST_CONF_EXAMPLE	"../conf/syncorr.conf"

/* An in-memory file the include loader serves. */
struct test_conf_file {
	const char	*path;
	const char	*text;
};

static const struct test_conf_file test_conf_files[] = {
	{ "/etc/syncorr/hosts.conf",
	    "host \"A\" { alias \"a.example\" }\ninclude \"sub/more.conf\"\n" },
	{ "/etc/syncorr/sub/more.conf", "spool \"/more\"\n" },
	{ "/etc/syncorr/bad.conf", "rescan 5q\n\nbogus\n" },
	{ "/etc/syncorr/loop.conf", "include \"loop.conf\"\n" },
	{ "/etc/syncorr/loop2.conf",
	    "include \"loop.conf\"\ninclude \"loop.conf\"\n" },
	{ "rel.conf", "spool \"/rel\"\n" },
	{ "/etc/syncorr/empty.conf", "" },
};

/* What the loader saw; chain is how deep "/chain/N" files go. */
struct test_conf_loader {
	int		 chain;
	int		 calls;
	char		 last[256];
};

/* Serves test_conf_files, and "/chain/N" which includes "/chain/N+1". */
static int
test_conf_load(const char *path, char **buf, size_t *len,
    const char **reason, void *arg)
{
	struct test_conf_loader	*l = arg;
	char			 text[64];
	const char		*src = NULL;
	size_t			 i;
	int			 n;

	l->calls++;
	snprintf(l->last, sizeof(l->last), "%s", path);
	if (sscanf(path, "/chain/%d", &n) == 1) {
		if (n < l->chain)
			snprintf(text, sizeof(text), "include \"%d\"\n", n + 1);
		else
			snprintf(text, sizeof(text), "spool \"/deep\"\n");
		src = text;
	}
	for (i = 0; src == NULL && i < sizeof(test_conf_files) /
	    sizeof(test_conf_files[0]); i++) {
		if (strcmp(test_conf_files[i].path, path) == 0)
			src = test_conf_files[i].text;
	}
	if (src == NULL) {
		*reason = "No such file or directory";
		return (-1);
	}
	*len = strlen(src);
	*buf = malloc(*len + 1);
	assert_non_null(*buf);
	memcpy(*buf, src, *len);
	return (0);
}

/*
 * Parses len bytes of text (strlen when len is 0) as name and returns
 * every error joined by newlines ("" for none); *confp gets the result.
 */
static char *
test_conf_run(const char *text, size_t len, const char *name, int noload,
    struct test_conf_loader *l, struct conf **confp)
{
	struct test_conf_loader	 dummy = { 0, 0, "" };
	struct conf_errors	 errors;
	struct conf_error	*e;
	struct conf		*conf = NULL;
	char			*out;
	size_t			 size = 1;
	int			 n, count = 0;

	if (len == 0)
		len = strlen(text);
	conf_errors_init(&errors);
	if (noload)
		n = conf_parse(text, len, name, &conf, &errors);
	else
		n = conf_parse_load(text, len, name, test_conf_load,
		    l != NULL ? l : &dummy, &conf, &errors);
	TAILQ_FOREACH(e, &errors, entry) {
		size += strlen(e->msg) + 1;
		count++;
	}
	assert_int_equal(n, count);
	assert_true((n == 0) == (conf != NULL));
	out = calloc(1, size);
	assert_non_null(out);
	TAILQ_FOREACH(e, &errors, entry) {
		if (e != TAILQ_FIRST(&errors))
			strcat(out, "\n");
		strcat(out, e->msg);
	}
	conf_errors_free(&errors);
	assert_true(TAILQ_EMPTY(&errors));
	if (confp != NULL)
		*confp = conf;
	else
		conf_free(conf);
	return (out);
}

/* Parses text, which must have no error, and returns the conf. */
static struct conf *
test_conf_ok(const char *text, struct test_conf_loader *l)
{
	struct conf	*conf;
	char		*errs;

	errs = test_conf_run(text, 0, "/etc/syncorr/syncorr.conf", 0, l,
	    &conf);
	assert_string_equal(errs, "");
	free(errs);
	assert_non_null(conf);
	return (conf);
}

/* The values of a string list, joined by commas. */
static void
test_conf_strs(const struct conf_strs *list, const char *want)
{
	const struct conf_str	*s;
	char			 got[512] = "";

	TAILQ_FOREACH(s, list, entry) {
		if (s != TAILQ_FIRST(list))
			strcat(got, ",");
		strcat(got, s->value);
	}
	assert_string_equal(got, want);
}

static void
test_conf_example(void **state)
{
	struct conf		*conf;
	struct conf_host	*h;
	struct conf_output	*o;
	char			*buf, *errs;
	size_t			 len;

	(void)state;
	buf = test_slurp(TEST_CONF_EXAMPLE, &len);
	assert_true(len > 0);

	errs = test_conf_run(buf, len, "syncorr.conf", 1, NULL, &conf);
	assert_string_equal(errs, "");
	assert_string_equal(conf->state_dir, "/var/lib/syncorr");
	test_conf_strs(&conf->spools, "/srv/syncorr/spool");
	test_conf_strs(&conf->maildirs, "/srv/syncorr/Maildir");
	assert_int_equal(conf->rescan, 60);
	assert_int_equal(conf->settle, 5);
	assert_int_equal(conf->reminder, 24 * 3600);
	assert_int_equal(conf->mail_window, 72 * 3600);
	assert_int_equal(conf->stall, 3 * 3600);
	assert_int_equal(conf->enterprise, 32473);
	assert_int_equal(conf->shard_count, 0);
	assert_string_equal(conf->metrics_address, "127.0.0.1");
	assert_int_equal(conf->metrics_port, 9469);

	h = TAILQ_FIRST(&conf->hosts);
	assert_non_null(h);
	assert_string_equal(h->name, "HQ-SYNC01");
	test_conf_strs(&h->aliases, "hq-sync01.lawfirm.local");
	test_conf_strs(&h->tenants, "lawfirm.example");
	assert_string_equal(h->connector_account, "LAWFIRM\\MSOL_1a2b3c4d5e6f");
	assert_null(TAILQ_NEXT(h, entry));

	o = TAILQ_FIRST(&conf->outputs);
	assert_non_null(o);
	assert_string_equal(o->name, "siem");
	assert_int_equal(o->transport, CONF_TRANSPORT_TCP);
	assert_string_equal(o->address, "127.0.0.1");
	assert_int_equal(o->port, 6514);
	assert_int_equal(o->framing, CONF_FRAMING_OCTET);
	assert_int_equal(o->format, CONF_FORMAT_RFC5424);
	assert_int_equal(o->queue_max, 100000);
	o = TAILQ_NEXT(o, entry);
	assert_non_null(o);
	assert_string_equal(o->name, "archive");
	assert_int_equal(o->transport, CONF_TRANSPORT_NONE);
	assert_string_equal(o->file, "/var/log/syncorr/incidents.jsonl");
	assert_int_equal(o->format, CONF_FORMAT_JSON);
	assert_string_equal(o->decl_file, "syncorr.conf");
	assert_null(TAILQ_NEXT(o, entry));
	conf_free(conf);
	free(errs);
	free(buf);
}

static void
test_conf_defaults(void **state)
{
	struct conf	*conf;

	(void)state;
	conf = test_conf_ok("", NULL);
	assert_string_equal(conf->state_dir, CONF_DEFAULT_STATE_DIR);
	assert_true(TAILQ_EMPTY(&conf->spools));
	assert_int_equal(conf->rescan, CONF_DEFAULT_RESCAN);
	assert_int_equal(conf->settle, CONF_DEFAULT_SETTLE);
	assert_int_equal(conf->reminder, CONF_DEFAULT_REMINDER);
	assert_int_equal(conf->mail_window, CONF_DEFAULT_MAIL_WINDOW);
	assert_int_equal(conf->stall, CONF_DEFAULT_STALL);
	assert_int_equal(conf->enterprise, CONF_DEFAULT_ENTERPRISE);
	assert_null(conf->metrics_address);
	assert_true(TAILQ_EMPTY(&conf->hosts) && TAILQ_EMPTY(&conf->outputs));
	conf_free(conf);
	conf_free(NULL);
}

/* Every keyword, several per line, with ; separators and bare values. */
static void
test_conf_keywords(void **state)
{
	struct test_conf_loader	 l = { 0, 0, "" };
	struct conf		*conf;
	struct conf_host	*h;
	struct conf_output	*o;

	(void)state;
	conf = test_conf_ok(
	    "state-dir \"/s\"; spool \"/a\" spool /b maildir \"/m\"\n"
	    "rescan 2m settle 0 reminder 1d mail-window 90 stall 4h\n"
	    "enterprise-number 4294967295 shard 3/4\n"
	    "metrics \"::1\" port 65535\n"
	    "include \"hosts.conf\"\n"
	    "host HQ { alias \"x\"; alias \"y\" tenant \"t1\" tenant \"t2\"\n"
	    "    connector-account \"D\\\\\\\"acct\\\"\" }\n"
	    "output \"t\" { transport tls address \"h\" port 1 framing lf\n"
	    "    format cef queue-max 18446744073709551615\n"
	    "    ca \"/ca\" cert \"/c\" key \"/k\" }\n"
	    "output \"u\" { transport udp address \"h\" format rfc3164 }\n"
	    "output \"x\" { transport unix path \"/dev/log\" format json }\n"
	    "output \"f\" { file \"/f\" format rfc3164 }\n", &l);
	assert_string_equal(conf->state_dir, "/s");
	test_conf_strs(&conf->spools, "/a,/b,/more");
	test_conf_strs(&conf->maildirs, "/m");
	assert_int_equal(conf->rescan, 120);
	assert_int_equal(conf->settle, 0);
	assert_int_equal(conf->reminder, 86400);
	assert_int_equal(conf->mail_window, 90);
	assert_int_equal(conf->stall, 4 * 3600);
	assert_int_equal(conf->enterprise, UINT32_MAX);
	assert_int_equal(conf->shard_index, 3);
	assert_int_equal(conf->shard_count, 4);
	assert_string_equal(conf->metrics_address, "::1");
	assert_int_equal(conf->metrics_port, 65535);
	assert_int_equal(l.calls, 2);
	assert_string_equal(l.last, "/etc/syncorr/sub/more.conf");

	h = TAILQ_FIRST(&conf->hosts);
	assert_string_equal(h->name, "A");
	assert_string_equal(h->file, "/etc/syncorr/hosts.conf");
	assert_int_equal(h->line, 1);
	h = TAILQ_NEXT(h, entry);
	assert_string_equal(h->name, "HQ");
	assert_int_equal(h->line, 6);
	test_conf_strs(&h->aliases, "x,y");
	test_conf_strs(&h->tenants, "t1,t2");
	assert_string_equal(h->connector_account, "D\\\"acct\"");

	o = TAILQ_FIRST(&conf->outputs);
	assert_int_equal(o->transport, CONF_TRANSPORT_TLS);
	assert_int_equal(o->port, 1);
	assert_int_equal(o->framing, CONF_FRAMING_LF);
	assert_int_equal(o->format, CONF_FORMAT_CEF);
	assert_true(o->queue_max == UINT64_MAX);
	assert_string_equal(o->ca, "/ca");
	assert_string_equal(o->cert, "/c");
	assert_string_equal(o->key, "/k");
	assert_int_equal(o->decl_line, 8);
	o = TAILQ_NEXT(o, entry);
	assert_int_equal(o->transport, CONF_TRANSPORT_UDP);
	assert_int_equal(o->port, 0);
	assert_int_equal(o->format, CONF_FORMAT_RFC3164);
	assert_int_equal(o->queue_max, CONF_DEFAULT_QUEUE_MAX);
	o = TAILQ_NEXT(o, entry);
	assert_int_equal(o->transport, CONF_TRANSPORT_UNIX);
	assert_string_equal(o->path, "/dev/log");
	o = TAILQ_NEXT(o, entry);
	assert_string_equal(o->file, "/f");
	assert_int_equal(o->format, CONF_FORMAT_RFC3164);
	conf_free(conf);
}


static void
test_conf_errors(void **state)
{
	const struct test_conf_case	*c;
	size_t				 i;
	char				*got;

	(void)state;
	for (i = 0; i < test_conf_ncases; i++) {
		c = &test_conf_cases[i];
		got = test_conf_run(c->text, c->len, "t.conf", c->noload, NULL,
		    NULL);
		if (strcmp(got, c->want) != 0)
			print_error("case %zu: %s\n", i, c->text);
		assert_string_equal(got, c->want);
		free(got);
	}
}

/* Every mistake in one file is reported, each at its own line. */
static void
test_conf_many(void **state)
{
	char	*got;

	(void)state;
	got = test_conf_run(
	    "# a config with a mistake on every other line\n"	/* 1 */
	    "spoll \"/srv/spool\"\n"				/* 2 */
	    "maildir \"/srv/Maildir\"\n"			/* 3 */
	    "rescan 60x\n"					/* 4 */
	    "settle 5s\n"					/* 5 */
	    "output \"siem\" {\n"				/* 6 */
	    "\ttransport tcp\n"					/* 7 */
	    "\taddress \"127.0.0.1\" port 65536\n"		/* 8 */
	    "\tframing octets\n"				/* 9 */
	    "}\n"						/* 10 */
	    "output \"siem\" { file \"/x\" bogus }\n"		/* 11 */
	    "host \"h\" { alias \"unterminated }\n"		/* 12 */
	    "}\n"						/* 13 */
	    "reminder\n"					/* 14 */
	    "}\n"						/* 15 */
	    "output \"x\" { transport udp }",			/* 16 */
	    0, "syncorr.conf", 0, NULL, NULL);
	assert_string_equal(got,
	    "syncorr.conf:2: unknown keyword \"spoll\"\n"
	    "syncorr.conf:4: rescan: invalid duration \"60x\"\n"
	    "syncorr.conf:8: port: \"65536\" out of range 1..65535\n"
	    "syncorr.conf:9: framing: expected octet-counted or lf, "
	    "got \"octets\"\n"
	    "syncorr.conf:11: unknown keyword \"bogus\"\n"
	    "syncorr.conf:12: unterminated string\n"
	    "syncorr.conf:14: reminder: missing argument\n"
	    "syncorr.conf:15: unexpected \"}\"\n"
	    "syncorr.conf:16: output \"x\": udp needs an address\n"
	    "syncorr.conf:11: duplicate output \"siem\" "
	    "(first at syncorr.conf:6)");
	free(got);
}

/* Tokens up to CONF_LEX_MAX bytes are fine, one more is an error. */
static void
test_conf_overlong(void **state)
{
	struct conf	*conf;
	char		*text, *got;
	size_t		 n = CONF_LEX_MAX;

	(void)state;
	text = malloc(n + 64);
	assert_non_null(text);
	memcpy(text, "spool \"", 7);
	memset(text + 7, 'a', n);
	strcpy(text + 7 + n, "\"\n");
	got = test_conf_run(text, 0, "t.conf", 0, NULL, &conf);
	assert_string_equal(got, "");
	assert_int_equal(strlen(TAILQ_FIRST(&conf->spools)->value), n);
	conf_free(conf);
	free(got);

	strcpy(text + 7 + n, "a\"\nrescan 1\nbogus");
	got = test_conf_run(text, 0, "t.conf", 0, NULL, NULL);
	assert_string_equal(got, "t.conf:1: token too long\n"
	    "t.conf:3: unknown keyword \"bogus\"");
	free(got);

	memcpy(text, "spool ", 6);
	memset(text + 6, 'b', n);
	text[6 + n] = '\0';
	got = test_conf_run(text, 0, "t.conf", 0, NULL, &conf);
	assert_string_equal(got, "");
	assert_int_equal(strlen(TAILQ_FIRST(&conf->spools)->value), n);
	conf_free(conf);
	free(got);

	memset(text, 'b', n + 1);
	strcpy(text + n + 1, " 5\nbogus");
	got = test_conf_run(text, 0, "t.conf", 0, NULL, NULL);
	assert_string_equal(got, "t.conf:1: token too long\n"
	    "t.conf:2: unknown keyword \"bogus\"");
	free(got);

	/* A long value is shortened in the message. */
	memset(text, 'c', 300);
	text[300] = '\0';
	got = test_conf_run(text, 0, "t.conf", 0, NULL, NULL);
	assert_true(strlen(got) < 160);
	assert_non_null(strstr(got, "cccc...\""));
	free(got);
	free(text);
}

static void
test_conf_include(void **state)
{
	struct test_conf_loader	 l = { 0, 0, "" };
	struct conf		*conf;
	char			*got;

	(void)state;
	/* Relative to the including file's directory, or as given. */
	got = test_conf_run("include \"rel.conf\"", 0, "top.conf", 0, &l,
	    &conf);
	assert_string_equal(got, "");
	assert_string_equal(l.last, "rel.conf");
	test_conf_strs(&conf->spools, "/rel");
	conf_free(conf);
	free(got);
	got = test_conf_run("include \"/etc/syncorr/empty.conf\"", 0,
	    "/x/top.conf", 0, &l, NULL);
	assert_string_equal(got, "");
	assert_string_equal(l.last, "/etc/syncorr/empty.conf");
	free(got);

	/* Errors name the included file and its lines. */
	got = test_conf_run("settle 1\ninclude \"bad.conf\"\nbogus2", 0,
	    "/etc/syncorr/syncorr.conf", 0, &l, NULL);
	assert_string_equal(got,
	    "/etc/syncorr/bad.conf:1: rescan: invalid duration \"5q\"\n"
	    "/etc/syncorr/bad.conf:3: unknown keyword \"bogus\"\n"
	    "/etc/syncorr/syncorr.conf:3: unknown keyword \"bogus2\"");
	free(got);

	got = test_conf_run("\ninclude \"nothere.conf\"", 0, "/etc/s.conf", 0,
	    &l, NULL);
	assert_string_equal(got, "/etc/s.conf:2: include "
	    "\"/etc/nothere.conf\": No such file or directory");
	free(got);

	/* One configuration: rescan set here is set in the included file. */
	got = test_conf_run("include \"sub/more.conf\"\nrescan 1\n"
	    "include \"bad.conf\"", 0, "/etc/syncorr/a.conf", 0, &l, NULL);
	assert_string_equal(got,
	    "/etc/syncorr/bad.conf:1: rescan: already set\n"
	    "/etc/syncorr/bad.conf:3: unknown keyword \"bogus\"");
	free(got);

	/* CONF_MAX_INCLUDE_DEPTH nested files are fine, one more is not. */
	l.chain = CONF_MAX_INCLUDE_DEPTH;
	got = test_conf_run("include \"/chain/1\"", 0, "t.conf", 0, &l,
	    &conf);
	assert_string_equal(got, "");
	test_conf_strs(&conf->spools, "/deep");
	conf_free(conf);
	free(got);
	l.chain = CONF_MAX_INCLUDE_DEPTH + 1;
	got = test_conf_run("include \"/chain/1\"", 0, "t.conf", 0, &l, NULL);
	assert_string_equal(got, "/chain/16:1: include nested too deeply");
	free(got);

	/* A loop is an include nested too deeply, reported once. */
	l.calls = 0;
	got = test_conf_run("include \"loop2.conf\"", 0, "/etc/syncorr/t.conf",
	    0, &l, NULL);
	assert_string_equal(got,
	    "/etc/syncorr/loop.conf:1: include nested too deeply");
	assert_int_equal(l.calls, CONF_MAX_INCLUDE_DEPTH);
	free(got);
}

static void
test_conf_duration(void **state)
{
	static const struct {
		const char	*s;
		int		 ret;
		uint64_t	 secs;
	} cases[] = {
		{ "0", 0, 0 }, { "90", 0, 90 }, { "60s", 0, 60 },
		{ "5m", 0, 300 }, { "24h", 0, 86400 }, { "7d", 0, 604800 },
		{ "007s", 0, 7 }, { "4294967295", 0, 4294967295ULL },
		{ "4294967295s", 0, 4294967295ULL },
		{ "49710d", 0, 4294944000ULL },
		{ "4294967296", -1, 0 }, { "49711d", -1, 0 },
		{ "18446744073709551616", -1, 0 }, { "", -1, 0 },
		{ "s", -1, 0 }, { "-5", -1, 0 }, { "+5", -1, 0 },
		{ "5 s", -1, 0 }, { "5S", -1, 0 }, { "5sec", -1, 0 },
		{ "5ms", -1, 0 }, { "1h30m", -1, 0 }, { "0x10", -1, 0 },
	};
	uint64_t	 secs;
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		secs = 12345;
		if (conf_duration(cases[i].s, &secs) != cases[i].ret)
			print_error("duration \"%s\"\n", cases[i].s);
		assert_int_equal(conf_duration(cases[i].s, &secs),
		    cases[i].ret);
		assert_true(secs == (cases[i].ret == 0 ? cases[i].secs :
		    12345));
	}
}

static void
test_conf_values(void **state)
{
	uint64_t	 v;
	char		 q[16];

	(void)state;
	assert_string_equal(conf_transport_name(CONF_TRANSPORT_NONE), "none");
	assert_string_equal(conf_transport_name(CONF_TRANSPORT_TLS), "tls");
	assert_string_equal(conf_format_name(CONF_FORMAT_RFC3164), "rfc3164");
	assert_string_equal(conf_format_name(CONF_FORMAT_CEF), "cef");
	assert_string_equal(conf_framing_name(CONF_FRAMING_OCTET),
	    "octet-counted");
	assert_string_equal(conf_framing_name(CONF_FRAMING_LF), "lf");
	assert_string_equal(conf_transport_name((enum conf_transport)99),
	    "unknown");
	assert_int_equal(conf_value_number("65535", 65535, &v), 0);
	assert_int_equal(v, 65535);
	assert_int_equal(conf_value_number("65536", 65535, &v), CONF_ERANGE);
	assert_int_equal(conf_value_number("", 65535, &v), CONF_EINVAL);
	assert_int_equal(conf_value_number("18446744073709551615", UINT64_MAX,
	    &v), 0);
	assert_true(v == UINT64_MAX);
	assert_int_equal(conf_value_number("18446744073709551616", UINT64_MAX,
	    &v), CONF_ERANGE);
	assert_string_equal(conf_value_quote(q, sizeof(q), "a\"\\\n"),
	    "\"a\\\"\\\\\\x0a\"");
	assert_string_equal(conf_value_quote(q, sizeof(q), "0123456789abc"),
	    "\"0123456789...\"");
	assert_string_equal(conf_value_quote(q, 8, ""), "\"\"");
}

static void
test_conf_host_find(void **state)
{
	struct conf		*conf;
	struct conf_host	*a, *b, *c;

	(void)state;
	conf = test_conf_ok(
	    "host \"AADCONNECT01.contoso.com\" { alias \"aadc-old\" }\n"
	    "host \"HQ-SYNC01\" { alias \"hq-sync01.lawfirm.local\" }\n"
	    "host \"web\" { }\nhost \"web.example\" { }\n", NULL);
	a = TAILQ_FIRST(&conf->hosts);
	b = TAILQ_NEXT(a, entry);
	c = TAILQ_NEXT(b, entry);
	assert_ptr_equal(conf_host_find(conf, "AADCONNECT01.contoso.com"), a);
	assert_ptr_equal(conf_host_find(conf, "aadconnect01.CONTOSO.com"), a);
	assert_ptr_equal(conf_host_find(conf, "aadconnect01"), a);
	assert_ptr_equal(conf_host_find(conf, "AADC-OLD"), a);
	assert_ptr_equal(conf_host_find(conf, "aadc-old.contoso.com"), a);
	assert_null(conf_host_find(conf, "aadconnect01.fabrikam.com"));
	assert_null(conf_host_find(conf, "aadconnect0"));
	assert_null(conf_host_find(conf, "aadconnect01."));
	assert_ptr_equal(conf_host_find(conf, "hq-sync01"), b);
	assert_ptr_equal(conf_host_find(conf, "HQ-SYNC01.lawfirm.local"), b);
	assert_ptr_equal(conf_host_find(conf, "hq-sync01.other.local"), b);
	/* An exact name wins over a short-name match. */
	assert_ptr_equal(conf_host_find(conf, "web"), c);
	assert_ptr_equal(conf_host_find(conf, "WEB.example"),
	    TAILQ_NEXT(c, entry));
	assert_null(conf_host_find(conf, ""));
	assert_null(conf_host_find(conf, "."));
	assert_null(conf_host_find(conf, NULL));
	assert_null(conf_host_find(NULL, "web"));
	conf_free(conf);
}

/* On errors, *confp is left alone: a reload keeps the running config. */
static void
test_conf_keep(void **state)
{
	struct conf_errors	 errors;
	struct conf		*conf, *old;

	(void)state;
	old = conf = conf_new();
	conf_errors_init(&errors);
	assert_int_equal(conf_parse("rescan", 6, "t.conf", &conf, &errors), 1);
	assert_ptr_equal(conf, old);
	/* Errors accumulate; each call returns its own count. */
	assert_int_equal(conf_parse("a b c\nd", 7, "t.conf", &conf, &errors),
	    2);
	assert_string_equal(TAILQ_LAST(&errors, conf_errors)->msg,
	    "t.conf:2: unknown keyword \"d\"");
	assert_int_equal(conf_parse(NULL, 0, NULL, &conf, &errors), 0);
	assert_ptr_not_equal(conf, old);
	conf_free(conf);
	conf_free(old);
	conf_errors_free(&errors);
	conf_errors_free(&errors);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_conf_example),
		cmocka_unit_test(test_conf_defaults),
		cmocka_unit_test(test_conf_keywords),
		cmocka_unit_test(test_conf_errors),
		cmocka_unit_test(test_conf_many),
		cmocka_unit_test(test_conf_overlong),
		cmocka_unit_test(test_conf_include),
		cmocka_unit_test(test_conf_duration),
		cmocka_unit_test(test_conf_values),
		cmocka_unit_test(test_conf_host_find),
		cmocka_unit_test(test_conf_keep),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
