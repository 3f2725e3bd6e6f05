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

/* One input and every error it must produce, in order. */
struct test_conf_case {
	const char	*text;
	size_t		 len;		/* 0: strlen(text) */
	const char	*want;		/* errors joined by '\n' */
	int		 noload;	/* conf_parse, not conf_parse_load */
};

#define TEST_CONF_TCP	"transport tcp address \"h\""
/* A case whose text holds NUL bytes. */
#define TEST_CONF_BIN(s)	s, sizeof(s) - 1

static const struct test_conf_case test_conf_cases[] = {
	/* Keywords and statements. */
	{ "spoll \"/x\"\n", 0, "t.conf:1: unknown keyword \"spoll\"", 0 },
	{ "\n\nSPOOL \"/x\"", 0, "t.conf:3: unknown keyword \"SPOOL\"", 0 },
	{ "alias \"a\"", 0, "t.conf:1: alias not allowed here", 0 },
	{ "host \"h\" {\nspool \"/x\" }", 0,
	    "t.conf:2: spool not allowed here", 0 },
	{ "output \"o\" { file \"/f\"\ninclude \"x\" }", 0,
	    "t.conf:2: include not allowed here", 0 },
	{ "include \"x\"", 0, "t.conf:1: include not allowed here", 1 },
	{ "rescan 5s\nrescan 6s", 0, "t.conf:2: rescan: already set", 0 },
	{ "rescan 5q\nrescan 6s", 0,
	    "t.conf:1: rescan: invalid duration \"5q\"", 0 },
	{ "\"quoted\"", 0, "t.conf:1: unexpected string \"quoted\"", 0 },
	{ "{ spool \"/x\" }\nrescan 1", 0, "t.conf:1: unexpected \"{\"", 0 },
	{ "rescan 1\n}\nsettle 1", 0, "t.conf:2: unexpected \"}\"", 0 },
	{ "spool \"\"", 0, "t.conf:1: spool: empty string", 0 },
	{ ";;spool \"/x\";;", 0, "", 0 },
	/* Missing arguments: at EOF, before ; or }, before a keyword. */
	{ "rescan", 0, "t.conf:1: rescan: missing argument", 0 },
	{ "rescan; settle 1\nstall 1", 0,
	    "t.conf:1: rescan: missing argument", 0 },
	{ "rescan\nsettle 5x", 0, "t.conf:1: rescan: missing argument\n"
	    "t.conf:2: settle: invalid duration \"5x\"", 0 },
	{ "output \"o\" { file \"/f\" port }", 0,
	    "t.conf:1: port: missing argument", 0 },
	{ "host {\n}\nrescan 0", 0, "t.conf:1: host: missing argument\n"
	    "t.conf:3: rescan: \"0\" must not be zero", 0 },
	{ "host \"h\" alias \"a\"\nrescan 1", 0,
	    "t.conf:1: host: expected \"{\"", 0 },
	{ "metrics \"a\"\nrescan 1", 0, "t.conf:1: metrics: expected \"port\"",
	    0 },
	{ "metrics \"a\" port 0", 0,
	    "t.conf:1: metrics port: \"0\" out of range 1..65535", 0 },
	{ "metrics \"a\" port", 0, "t.conf:1: metrics port: missing argument",
	    0 },
	/* Numbers. */
	{ "output \"o\" { " TEST_CONF_TCP " port 65536 }", 0,
	    "t.conf:1: port: \"65536\" out of range 1..65535", 0 },
	{ "output \"o\" { " TEST_CONF_TCP " port 0 }", 0,
	    "t.conf:1: port: \"0\" out of range 1..65535", 0 },
	{ "output \"o\" { " TEST_CONF_TCP " port 99999999999999999999999 }",
	    0, "t.conf:1: port: \"99999999999999999999999\" out of range "
	    "1..65535", 0 },
	{ "output \"o\" { " TEST_CONF_TCP " port 6514x }", 0,
	    "t.conf:1: port: invalid number \"6514x\"", 0 },
	{ "output \"o\" { " TEST_CONF_TCP " port -1 }", 0,
	    "t.conf:1: port: invalid number \"-1\"", 0 },
	{ "output \"o\" { file \"/f\" queue-max 0 }", 0,
	    "t.conf:1: queue-max: \"0\" must not be zero", 0 },
	{ "output \"o\" { file \"/f\" queue-max 18446744073709551616 }", 0,
	    "t.conf:1: queue-max: number \"18446744073709551616\" too large",
	    0 },
	{ "enterprise-number 0", 0, "t.conf:1: enterprise-number: \"0\" out "
	    "of range 1..4294967295", 0 },
	{ "enterprise-number 4294967296", 0, "t.conf:1: enterprise-number: "
	    "\"4294967296\" out of range 1..4294967295", 0 },
	{ "shard 4/4", 0, "t.conf:1: shard: need N < M, got \"4/4\"", 0 },
	{ "shard 0/0", 0, "t.conf:1: shard: need N < M, got \"0/0\"", 0 },
	{ "shard 1/4294967296", 0,
	    "t.conf:1: shard: need N < M, got \"1/4294967296\"", 0 },
	{ "shard 3", 0, "t.conf:1: shard: expected N/M, got \"3\"", 0 },
	{ "shard 1/x", 0, "t.conf:1: shard: expected N/M, got \"1/x\"", 0 },
	{ "shard 0/1", 0, "", 0 },
	/* Durations. */
	{ "settle 5x", 0, "t.conf:1: settle: invalid duration \"5x\"", 0 },
	{ "settle -5", 0, "t.conf:1: settle: invalid duration \"-5\"", 0 },
	{ "settle \"\"", 0, "t.conf:1: settle: invalid duration \"\"", 0 },
	{ "settle 4294967296", 0,
	    "t.conf:1: settle: invalid duration \"4294967296\"", 0 },
	{ "stall 0h", 0, "t.conf:1: stall: \"0h\" must not be zero", 0 },
	/* Output values and checks, at the output's line. */
	{ "output \"o\" { transport tcpx }", 0, "t.conf:1: transport: "
	    "expected unix, udp, tcp or tls, got \"tcpx\"", 0 },
	{ "output \"o\" { " TEST_CONF_TCP " framing crlf }", 0, "t.conf:1: "
	    "framing: expected octet-counted or lf, got \"crlf\"", 0 },
	{ "output \"o\" { " TEST_CONF_TCP " format xml }", 0, "t.conf:1: "
	    "format: expected rfc5424, rfc3164, json or cef, got \"xml\"", 0 },
	{ "\noutput \"o\" {\n}", 0,
	    "t.conf:2: output \"o\": needs a transport or a file", 0 },
	{ "output \"o\" { " TEST_CONF_TCP " file \"/f\" }", 0,
	    "t.conf:1: output \"o\": has both a transport and a file", 0 },
	{ "output \"o\" { transport udp }", 0,
	    "t.conf:1: output \"o\": udp needs an address", 0 },
	{ "output \"o\" { transport tcp port 514 }", 0,
	    "t.conf:1: output \"o\": tcp needs an address", 0 },
	{ "output \"o\" { transport tls }", 0,
	    "t.conf:1: output \"o\": tls needs an address", 0 },
	{ "output \"o\" { transport unix }", 0,
	    "t.conf:1: output \"o\": unix needs a path", 0 },
	{ "output \"o\" { transport unix path \"/p\" address \"a\" port 1 }",
	    0, "t.conf:1: output \"o\": address only applies to udp, tcp and "
	    "tls\nt.conf:1: output \"o\": port only applies to udp, tcp and "
	    "tls", 0 },
	{ "output \"o\" { " TEST_CONF_TCP " path \"/p\" }", 0,
	    "t.conf:1: output \"o\": path only applies to unix", 0 },
	{ "output \"o\" { transport tls address \"h\" cert \"/c\" }", 0,
	    "t.conf:1: output \"o\": cert without key", 0 },
	{ "output \"o\" { transport tls address \"h\" key \"/k\" }", 0,
	    "t.conf:1: output \"o\": key without cert", 0 },
	{ "output \"o\" { transport tls address \"h\" ca \"/ca\" }", 0, "", 0 },
	{ "output \"o\" { " TEST_CONF_TCP " ca \"/a\" cert \"/c\" key \"/k\" }",
	    0, "t.conf:1: output \"o\": ca only applies to tls\n"
	    "t.conf:1: output \"o\": cert only applies to tls\n"
	    "t.conf:1: output \"o\": key only applies to tls", 0 },
	{ "output \"o\" { file \"/f\" format cef }", 0, "", 0 },
	{ "output \"o\" { file \"/f\" framing lf }", 0,
	    "t.conf:1: output \"o\": framing only applies to tcp and tls", 0 },
	{ "output \"o\" { transport udp address \"h\" framing lf }", 0,
	    "t.conf:1: output \"o\": framing only applies to tcp and tls", 0 },
	{ "output \"o\" { transport unix path \"/p\" framing octet-counted }",
	    0, "t.conf:1: output \"o\": framing only applies to tcp and tls",
	    0 },
	/* A block with an error is not checked further. */
	{ "output \"o\" { transport udpp }", 0, "t.conf:1: transport: "
	    "expected unix, udp, tcp or tls, got \"udpp\"", 0 },
	/* Blocks. */
	{ "host \"h\" {\n alias \"a\"\n", 0,
	    "t.conf:1: host \"h\": unterminated block", 0 },
	{ "rescan 1\noutput \"o\" { file \"/f\"", 0,
	    "t.conf:2: output \"o\": unterminated block", 0 },
	{ "host \"h\" { bogus 1 }\nrescan 1", 0,
	    "t.conf:1: unknown keyword \"bogus\"", 0 },
	{ "bogus \"x\" {\n spool \"/a\"\n}\nrescan 1", 0,
	    "t.conf:1: unknown keyword \"bogus\"", 0 },
	/* Whole-configuration checks. */
	{ "output \"o\" { file \"/f\" }\n\noutput \"o\" { file \"/g\" }", 0,
	    "t.conf:3: duplicate output \"o\" (first at t.conf:1)", 0 },
	{ "host \"Sync01\" { }\nhost \"SYNC01\" { }", 0,
	    "t.conf:2: duplicate host \"SYNC01\" (first at t.conf:1)", 0 },
	{ "host \"a\" { alias \"x\" }\nhost \"b\" { alias \"X\" }", 0,
	    "t.conf:2: host \"b\": alias \"X\" already names host \"a\"", 0 },
	{ "host \"a\" { }\nhost \"b\" { alias \"A\" }", 0,
	    "t.conf:2: host \"b\": alias \"A\" already names host \"a\"", 0 },
	{ "host \"a\" { alias \"b\" }\nhost \"b\" { }", 0,
	    "t.conf:2: host \"b\": name already names host \"a\"", 0 },
	{ "host \"a.x\" { }\nhost \"a.y\" { alias \"a\" alias \"a.x\" }", 0,
	    "t.conf:2: host \"a.y\": alias \"a.x\" already names host "
	    "\"a.x\"", 0 },
	{ "host \"a\" { alias \"a\" alias \"A\" }", 0, "", 0 },
	/* Lexer: strings, NUL bytes, control characters, line ends. */
	{ "spool \"/x\nrescan 1", 0, "t.conf:1: unterminated string", 0 },
	{ "spool \"/x", 0, "t.conf:1: unterminated string", 0 },
	{ "spool \"/x\r\nrescan 1\r\n", 0, "t.conf:1: unterminated string",
	    0 },
	{ "state-dir \"a\\q\"\nrescan 1", 0, "t.conf:1: invalid escape in "
	    "string (only \\\" and \\\\ are allowed)", 0 },
	{ TEST_CONF_BIN("spool \"a\0{b\"\nrescan 1"),
	    "t.conf:1: NUL byte in input", 0 },
	{ TEST_CONF_BIN("rescan 1\nsettle 2\0\nstall 3"),
	    "t.conf:2: NUL byte in input", 0 },
	{ TEST_CONF_BIN("# a \0 comment\nrescan 1"),
	    "t.conf:1: NUL byte in input", 0 },
	{ TEST_CONF_BIN("\0\0\0\n\0"), "t.conf:1: NUL byte in input\n"
	    "t.conf:2: NUL byte in input", 0 },
	{ TEST_CONF_BIN("bogus\0\nx\0"), "t.conf:1: unknown keyword "
	    "\"bogus\"\nt.conf:2: unknown keyword \"x\"", 0 },
	{ "spool \"a\tb\"\nmaildir \"\x01\"\nrescan \x7f", 0,
	    "t.conf:2: control character in string\n"
	    "t.conf:3: control character in input", 0 },
	{ "host \"\xc3\xa9\" { }\nbogus\xff", 0,
	    "t.conf:2: unknown keyword \"bogus\\xff\"", 0 },
	{ "\xef\xbb\xbfrescan 1", 0, "", 0 },
	{ "rescan 1\r\nhost \"h\" {\r\n\talias \"a\"\r\n}\r\nbogus\r\n", 0,
	    "t.conf:5: unknown keyword \"bogus\"", 0 },
	{ "rescan 1 # comment\nsettle 2#comment", 0, "", 0 },
	{ "spool \"/no-newline\"", 0, "", 0 },
	{ "spool \"/x\";\rrescan 1\r", 0, "", 0 },
};

static void
test_conf_errors(void **state)
{
	const struct test_conf_case	*c;
	size_t				 i;
	char				*got;

	(void)state;
	for (i = 0; i < sizeof(test_conf_cases) / sizeof(test_conf_cases[0]);
	    i++) {
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
