/*
 * test_syslog_inject.c: incident_syslog against hostile input.  Host
 * names, DNs, values and summaries try to close the SD element, open a
 * fake one, start a second message on a new line, forge a CEF key, or
 * smuggle control bytes and broken UTF-8; fields past RFC 5424's and
 * RFC 3164's limits are cut on a character.  Each message is parsed back
 * here the way a receiver would, and must say what went in and no more.
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

#define FFFD	"\xef\xbf\xbd"
#define TEST_SYSLOG_MAXEXT	32

/* A CEF message's header fields and extension, unescaped. */
struct test_syslog_cef {
	char	*hdr[7];
	char	*key[TEST_SYSLOG_MAXEXT];
	char	*value[TEST_SYSLOG_MAXEXT];
	int	 next;
};

/*
 * Whether s is strictly UTF-8 with no control a reader could take for a
 * line end: no C0, DEL, C1, U+2028 or U+2029.
 */
static int
test_syslog_clean(const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;
	uint32_t		 c;
	int			 n, i;

	while (*p != '\0') {
		if (*p < 0x80) {
			if (*p < 0x20 || *p == 0x7f)
				return (0);
			p++;
			continue;
		}
		if (*p >= 0xc2 && *p <= 0xdf)
			n = 2, c = *p & 0x1f;
		else if ((*p & 0xf0) == 0xe0)
			n = 3, c = *p & 0x0f;
		else if (*p >= 0xf0 && *p <= 0xf4)
			n = 4, c = *p & 0x07;
		else
			return (0);
		for (i = 1; i < n; i++) {
			if ((p[i] & 0xc0) != 0x80)
				return (0);
			c = c << 6 | (p[i] & 0x3f);
		}
		if ((n == 3 && c < 0x800) || (n == 4 && c < 0x10000) ||
		    c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff) ||
		    c <= 0x9f || c == 0x2028 || c == 0x2029)
			return (0);
		p += n;
	}
	return (1);
}

/* The CEF text s unescaped: \x is x, and \n \r in the extension. */
static char *
test_syslog_cef_unesc(const char *s, size_t len, int ext)
{
	char	*out;
	size_t	 i, n = 0;

	out = malloc(len + 1);
	for (i = 0; i < len; i++) {
		if (s[i] == '\\' && i + 1 < len) {
			i++;
			if (ext && s[i] == 'n')
				out[n++] = '\n';
			else if (ext && s[i] == 'r')
				out[n++] = '\r';
			else
				out[n++] = s[i];
		} else
			out[n++] = s[i];
	}
	out[n] = '\0';
	return (out);
}

static void
test_syslog_cef_free(struct test_syslog_cef *c)
{
	int	i;

	for (i = 0; i < 7; i++)
		free(c->hdr[i]);
	for (i = 0; i < c->next; i++) {
		free(c->key[i]);
		free(c->value[i]);
	}
	memset(c, 0, sizeof(*c));
}

/*
 * Splits the CEF in m at its unescaped '|' and its extension at each
 * unescaped '=', whose key runs back to the space before it; a value ends
 * at the space before the next key.  0, or -1 when malformed.
 */
static int
test_syslog_cef(const char *m, struct test_syslog_cef *c)
{
	const char	*eq[TEST_SYSLOG_MAXEXT], *k[TEST_SYSLOG_MAXEXT];
	const char	*p, *start, *end;
	int		 n = 0, i;

	memset(c, 0, sizeof(*c));
	if ((p = strstr(m, " - CEF:")) == NULL)
		return (-1);
	start = p += 3;
	for (; *p != '\0' && n < 7; p++) {
		if (*p == '\\' && p[1] != '\0')
			p++;
		else if (*p == '|') {
			c->hdr[n++] = test_syslog_cef_unesc(start,
			    (size_t)(p - start), 0);
			start = p + 1;
		}
	}
	if (n != 7)
		return (-1);
	for (n = 0; *p != '\0'; p++) {
		if (*p == '\\' && p[1] != '\0')
			p++;
		else if (*p == '=') {
			if (n == TEST_SYSLOG_MAXEXT)
				return (-1);
			eq[n] = p;
			for (k[n] = p; k[n] > start && k[n][-1] != ' '; k[n]--)
				;
			n++;
		}
	}
	for (i = 0; i < n; i++) {
		end = i + 1 < n ? k[i + 1] - 1 : p;
		if (end < eq[i] + 1 || (i == 0) != (k[i] == start))
			return (-1);
		c->key[i] = strndup(k[i], (size_t)(eq[i] - k[i]));
		c->value[i] = test_syslog_cef_unesc(eq[i] + 1,
		    (size_t)(end - eq[i] - 1), 1);
	}
	c->next = n;
	return (0);
}

static const char *
test_syslog_cef_value(const struct test_syslog_cef *c, const char *key)
{
	int	i;

	for (i = 0; i < c->next; i++)
		if (strcmp(c->key[i], key) == 0)
			return (c->value[i]);
	return (NULL);
}

/*
 * Whether m is one RFC 3164 message: "<PRI>Mmm dd hh:mm:ss HOST
 * syncorr[...]: text [id=<id> state=... class=...]", 1024 bytes at most.
 */
static void
test_syslog_check3164(const char *m, const struct incident *inc,
    const char *state)
{
	const char	*p;
	char		*sfx;
	size_t		 len;

	assert_true(test_syslog_clean(m));
	assert_true(strlen(m) <= 1024);
	assert_true(m[0] == '<');
	p = strchr(m, '>');
	assert_non_null(p);
	p++;
	assert_true(strlen(p) > 16 && p[3] == ' ' && p[6] == ' ' &&
	    p[9] == ':' && p[12] == ':' && p[15] == ' ');
	p += 16;
	for (len = 0; p[len] >= 33 && p[len] <= 126; len++)
		;
	assert_true(len > 0 && p[len] == ' ');
	p += len + 1;
	assert_memory_equal(p, "syncorr", 7);
	p = strstr(p, ": ");
	assert_non_null(p);
	assert_true(p - m < 1024);
	sfx = test_syslog_fmt(" [id=%s state=%s class=%s]", inc->id, state,
	    incident_class_name(inc->cls));
	len = strlen(m);
	assert_true(len >= strlen(sfx));
	assert_string_equal(m + len - strlen(sfx), sfx);
	free(sfx);
}

static void
test_rfc5424_escape(void **state)
{
	struct incident		*inc;
	struct test_syslog_msg	 t;
	char			*m;

	(void)state;
	inc = test_syslog_incident();
	incident_set(&inc->ou, "OU=Smith\\, J\"r\"],DC=x");
	incident_set(&inc->value, "smtp:a]b@example.com");
	m = incident_syslog(inc, INC_OPEN, T0, NULL);
	assert_non_null(strstr(m,
	    " ou=\"OU=Smith\\\\, J\\\"r\\\"\\],DC=x\" "));
	assert_non_null(strstr(m, " value=\"smtp:a\\]b@example.com\" "));
	assert_int_equal(test_syslog_parse(m, &t), 0);
	assert_int_equal(t.nsd, 1);
	assert_string_equal(test_syslog_param(&t, "ou"),
	    "OU=Smith\\, J\"r\"],DC=x");
	assert_string_equal(test_syslog_param(&t, "value"),
	    "smtp:a]b@example.com");
	test_syslog_msg_free(&t);
	free(m);
	incident_free(inc);
}

static void
test_cef_escape(void **state)
{
	struct incident		*inc;
	struct syslog_opts	 o;
	struct test_syslog_cef	 c;
	char			*m;

	(void)state;
	inc = test_syslog_incident();
	incident_set(&inc->connector, "a|b=c\\d");
	incident_set(&inc->attribute, "x\ny\rz msg=forged cs1=fake");
	memset(&o, 0, sizeof(o));
	o.format = SYSLOG_CEF;
	o.version = "1|2\\3";
	m = incident_syslog(inc, INC_OPEN, T0, &o);
	assert_true(test_syslog_clean(m));
	assert_non_null(strstr(m, "|syncorr|1\\|2\\\\3|"));
	assert_non_null(strstr(m, " cs3=a|b\\=c\\\\d "));
	assert_non_null(strstr(m, " cs4=x\\ny\\rz msg\\=forged cs1\\=fake "));
	assert_int_equal(test_syslog_cef(m, &c), 0);
	assert_string_equal(c.hdr[3], "1|2\\3");
	assert_string_equal(c.hdr[4], "adminsdholder-writeback-denied");
	assert_string_equal(c.hdr[6], "8");
	/* Every key is ours, once each, and values come back whole. */
	assert_int_equal(c.next, 16);
	assert_string_equal(test_syslog_cef_value(&c, "cs3"), "a|b=c\\d");
	assert_string_equal(test_syslog_cef_value(&c, "cs4"),
	    "x\ny\rz msg=forged cs1=fake");
	assert_string_equal(test_syslog_cef_value(&c, "cs1"), inc->id);
	assert_string_equal(c.key[c.next - 1], "msg");
	test_syslog_cef_free(&c);
	free(m);
	incident_free(inc);
}

static void
test_truncation(void **state)
{
	static const struct {
		const char	*hostname;
		const char	*procid;
		const char	*host;		/* HOSTNAME seen */
		const char	*pid;		/* PROCID seen */
	} cases[] = {
		{ "", "", "-", "-" },
		{ "my host\tx", "12 34", "my_host_x", "12_34" },
		{ "h\xc3\xa9", "\x7f", "h__", "_" },
		{ "a\"]b", "[1]", "a\"]b", "[1]" },
	};
	struct incident		*inc;
	struct syslog_opts	 o;
	struct test_syslog_msg	 t;
	char			 longhost[301], longpid[201], *m, *p;
	size_t			 i, len;

	(void)state;
	inc = test_syslog_incident();
	memset(&o, 0, sizeof(o));
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		o.hostname = cases[i].hostname;
		o.procid = cases[i].procid;
		m = incident_syslog(inc, INC_OPEN, T0, &o);
		assert_int_equal(test_syslog_parse(m, &t), 0);
		assert_string_equal(t.field[1], cases[i].host);
		assert_string_equal(t.field[3], cases[i].pid);
		assert_int_equal(t.nsd, 1);
		test_syslog_msg_free(&t);
		free(m);
	}

	/* At the limits of RFC 5424: 255 and 128. */
	memset(longhost, 'h', 300);
	longhost[300] = '\0';
	memset(longpid, '7', 200);
	longpid[200] = '\0';
	o.hostname = longhost;
	o.procid = longpid;
	m = incident_syslog(inc, INC_OPEN, T0, &o);
	assert_int_equal(test_syslog_parse(m, &t), 0);
	assert_int_equal(strlen(t.field[1]), 255);
	assert_int_equal(strspn(t.field[1], "h"), 255);
	assert_int_equal(strlen(t.field[3]), 128);
	assert_string_equal(t.field[2], "syncorr");
	assert_string_equal(t.field[4], "adminsdholder-writeback-denied");
	test_syslog_msg_free(&t);
	free(m);
	longhost[255] = '\0';
	longpid[128] = '\0';
	o.hostname = longhost;
	o.procid = longpid;
	m = incident_syslog(inc, INC_OPEN, T0, &o);
	assert_int_equal(test_syslog_parse(m, &t), 0);
	assert_int_equal(strlen(t.field[1]), 255);
	assert_int_equal(strlen(t.field[3]), 128);
	test_syslog_msg_free(&t);
	free(m);

	/* RFC 3164: a TAG of 32 with its PROCID, 1024 bytes in all. */
	o.format = SYSLOG_RFC3164;
	o.hostname = NULL;
	m = incident_syslog(inc, INC_OPEN, T0, &o);
	p = strstr(m, " syncorr[");
	assert_non_null(p);
	len = strcspn(p + 1, ":");
	assert_int_equal(len, 32);
	assert_int_equal(p[1 + len - 1], ']');
	test_syslog_check3164(m, inc, "open");
	free(m);
	incident_free(inc);
}

/* A summary past every limit is cut on a character, not in one. */
static void
test_long_summary(void **state)
{
	struct incident		*inc;
	struct syslog_opts	 o;
	struct test_syslog_cef	 c;
	char			 attr[3001], *m;
	size_t			 f, i;

	(void)state;
	for (i = 0; i + 2 <= 3000; i += 2)
		memcpy(attr + i, "\xc3\xa9", 2);	/* é */
	attr[i] = '\0';
	inc = test_syslog_incident();
	incident_set(&inc->attribute, attr);
	memset(&o, 0, sizeof(o));
	for (f = 0; f < TEST_SYSLOG_NFORMATS; f++) {
		o.format = test_syslog_formats[f];
		m = incident_syslog(inc, INC_OPEN, T0, &o);
		assert_true(test_syslog_clean(m));
		if (test_syslog_formats[f] == SYSLOG_RFC3164) {
			assert_int_equal(strlen(m) <= 1024, 1);
			assert_true(strlen(m) > 1000);
			test_syslog_check3164(m, inc, "open");
		}
		if (test_syslog_formats[f] == SYSLOG_CEF) {
			assert_int_equal(test_syslog_cef(m, &c), 0);
			assert_true(strlen(c.hdr[5]) <= 512);
			assert_true(strlen(c.hdr[5]) > 500);
			test_syslog_cef_free(&c);
		}
		free(m);
	}
	incident_free(inc);
}

/*
 * Hostile input in one field at a time, through every format: one SD
 * element still, every value back as it went in save for the controls
 * (a space) and broken UTF-8 (U+FFFD), and no byte that ends a line.
 */
enum test_syslog_field {
	TEST_SYSLOG_HOST,
	TEST_SYSLOG_CONNECTOR,
	TEST_SYSLOG_ATTRIBUTE,
	TEST_SYSLOG_OU,
	TEST_SYSLOG_VALUE,
	TEST_SYSLOG_ERRTYPE,
	TEST_SYSLOG_DN			/* in the summary only */
};

static void
test_injection(void **state)
{
	static const struct {
		enum test_syslog_field	 field;
		const char		*param;
		const char		*in;
		const char		*want;
	} cases[] = {
		{ TEST_SYSLOG_HOST, "host", "HQ\"] [fake@1 x=\"y\"]",
		    "HQ\"] [fake@1 x=\"y\"]" },
		{ TEST_SYSLOG_OU, "ou", "OU=x\"] [fake@1 x=\"y\"] \\",
		    "OU=x\"] [fake@1 x=\"y\"] \\" },
		{ TEST_SYSLOG_ATTRIBUTE, "attribute",
		    "mail\n<13>1 2026-04-02T09:00:00Z evil syncorr - - - x",
		    "mail <13>1 2026-04-02T09:00:00Z evil syncorr - - - x" },
		{ TEST_SYSLOG_HOST, "host", "HQ\r\n<13>1 - h a - - - forged",
		    "HQ  <13>1 - h a - - - forged" },
		{ TEST_SYSLOG_CONNECTOR, "connector",
		    "c\r\nd\x01" "e\x1b[2Jf\x7fg\tend",
		    "c  d e [2Jf g end" },
		{ TEST_SYSLOG_VALUE, "value",
		    "a\xff" "b\xc0\xaf" "c\xed\xa0\x80" "d\xf4\x90\x80\x80"
		    "e\xe0\x80\xa2" "f\xf0\x80\x80\x8a" "g\xe2\x82",
		    "a" FFFD "b" FFFD FFFD "c" FFFD FFFD FFFD "d"
		    FFFD FFFD FFFD FFFD "e" FFFD FFFD FFFD "f"
		    FFFD FFFD FFFD FFFD "g" FFFD FFFD },
		{ TEST_SYSLOG_ERRTYPE, "error_type",
		    "x\xc2\x85y\xe2\x80\xa8z\xe2\x80\xa9" "\xc2\x9b" "1m",
		    "x y z  1m" },
		{ TEST_SYSLOG_HOST, "host", "\xef\xbb\xbf" "HQ]", BOM "HQ]" },
		{ TEST_SYSLOG_DN, NULL,
		    "CN=a\"] [fake@1 x=\"y\"]\n<13>1 - - - - - forged\r,DC=x",
		    NULL },
		{ TEST_SYSLOG_DN, NULL, "CN=\xff\xfe\x85\x0b\x0c,DC=x", NULL },
	};
	struct incident		*inc;
	struct syslog_opts	 o;
	struct test_syslog_msg	 t;
	struct test_syslog_cef	 c;
	struct json_object	*j;
	uint64_t		 dropped = 0;
	size_t			 i, f;
	char			*m;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		inc = test_syslog_incident();
		switch (cases[i].field) {
		case TEST_SYSLOG_HOST:
			incident_set(&inc->host, cases[i].in);
			break;
		case TEST_SYSLOG_CONNECTOR:
			incident_set(&inc->connector, cases[i].in);
			break;
		case TEST_SYSLOG_ATTRIBUTE:
			incident_set(&inc->attribute, cases[i].in);
			break;
		case TEST_SYSLOG_OU:
			incident_set(&inc->ou, cases[i].in);
			break;
		case TEST_SYSLOG_VALUE:
			incident_set(&inc->value, cases[i].in);
			break;
		case TEST_SYSLOG_ERRTYPE:
			incident_set(&inc->error_type, cases[i].in);
			break;
		case TEST_SYSLOG_DN:
			incident_free(inc);
			inc = incident_new(INC_AD_EXPORT_ERROR, "HQ",
			    "contoso.com", REC_CONN_AD, cases[i].in);
			(void)incident_add_object(inc, cases[i].in, NULL,
			    NULL, 3, FIRST, LAST, LAST, &dropped);
			break;
		}
		for (f = 0; f < TEST_SYSLOG_NFORMATS; f++) {
			memset(&o, 0, sizeof(o));
			o.format = test_syslog_formats[f];
			m = incident_syslog(inc, INC_OPEN, T0, &o);
			if (!test_syslog_clean(m))
				fail_msg("case %zu format %zu: %s", i, f, m);
			switch (test_syslog_formats[f]) {
			case SYSLOG_RFC5424:
				assert_int_equal(test_syslog_parse(m, &t), 0);
				assert_int_equal(t.nsd, 1);
				assert_string_equal(t.sdid, "syncorr@32473");
				assert_string_equal(test_syslog_param(&t, "id"),
				    inc->id);
				if (cases[i].param != NULL)
					assert_string_equal(test_syslog_param(
					    &t, cases[i].param), cases[i].want);
				assert_non_null(t.msg);
				assert_memory_equal(t.msg, BOM, 3);
				test_syslog_msg_free(&t);
				break;
			case SYSLOG_RFC3164:
				test_syslog_check3164(m, inc, "open");
				break;
			case SYSLOG_JSON:
				assert_int_equal(test_syslog_parse(m, &t), 0);
				assert_int_equal(t.nsd, 0);
				assert_memory_equal(t.msg, "@cee:", 5);
				j = json_tokener_parse(t.msg + 5);
				assert_non_null(j);
				json_object_put(j);
				break;
			case SYSLOG_CEF:
				assert_int_equal(test_syslog_parse(m, &t), 0);
				assert_int_equal(t.nsd, 0);
				assert_int_equal(test_syslog_cef(m, &c), 0);
				assert_string_equal(test_syslog_cef_value(&c,
				    "cs1"), inc->id);
				assert_string_equal(c.key[c.next - 1], "msg");
				test_syslog_cef_free(&c);
				break;
			}
			free(m);
		}
		incident_free(inc);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc5424_escape),
		cmocka_unit_test(test_cef_escape),
		cmocka_unit_test(test_truncation),
		cmocka_unit_test(test_long_summary),
		cmocka_unit_test(test_injection),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
