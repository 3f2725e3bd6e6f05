/*
 * test_conf_cases.c: configuration inputs and every "FILE:LINE: message"
 * each must produce, in order: one line per rule of the grammar and of
 * the checks after it.  An empty want means the input is valid.
 */

#include <stddef.h>

#include "test_conf.h"

#define TEST_CONF_TCP	"transport tcp address \"h\""
/* A case whose text holds NUL bytes. */
#define TEST_CONF_BIN(s)	s, sizeof(s) - 1

const struct test_conf_case test_conf_cases[] = {
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

const size_t test_conf_ncases =
    sizeof(test_conf_cases) / sizeof(test_conf_cases[0]);
