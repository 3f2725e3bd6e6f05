/*
 * test_syslog_util.c: the helpers of test_syslog.h.  The parser follows
 * the ABNF of RFC 5424 §6 strictly, as a careful receiver would, so a
 * message that only a lenient one could read fails the test; it keeps the
 * first SD element's parameters, unescaped.
 */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "test_syslog.h"

const enum syslog_format test_syslog_formats[TEST_SYSLOG_NFORMATS] = {
	SYSLOG_RFC5424, SYSLOG_RFC3164, SYSLOG_JSON, SYSLOG_CEF
};

/* The incident of DESIGN.md §3's example (caller frees). */
struct incident *
test_syslog_incident(void)
{
	struct incident	*inc;
	uint64_t	 dropped = 0;

	inc = incident_new(INC_ADMINSDHOLDER, "HQ-SYNC01", "lawfirm.example",
	    REC_CONN_AD, "msDS-KeyCredentialLink");
	incident_set(&inc->attribute, "msDS-KeyCredentialLink");
	incident_set(&inc->error_type, "permission-issue");
	incident_set(&inc->ou, "OU=Admins,DC=lawfirm,DC=example");
	inc->error_code = 8344;
	(void)incident_add_object(inc,
	    "CN=IT Admin,OU=Admins,DC=lawfirm,DC=example",
	    "it-admin@lawfirm.example", NULL, 17700, FIRST, LAST, LAST,
	    &dropped);
	inc->first_seen = FIRST;
	inc->last_seen = LAST;
	inc->ad_only = 1;
	inc->protect = INC_PROT_ADMINCOUNT;
	inc->evidence = 1U << REC_SRC_CSEXPORT | 1U << REC_SRC_EVENT_6100 |
	    1U << REC_SRC_HEALTH_EMAIL;
	return (inc);
}

/* fmt formatted into a new string (caller frees). */
char *
test_syslog_fmt(const char *fmt, ...)
{
	va_list	 ap;
	char	*s;

	va_start(ap, fmt);
	assert_true(vasprintf(&s, fmt, ap) >= 0);
	va_end(ap);
	return (s);
}

/* The length of the SD-NAME at p: printable, no '=', space, ']' or '"'. */
static size_t
test_syslog_name(const char *p)
{
	size_t	len;

	for (len = 0; p[len] >= 33 && p[len] <= 126 &&
	    strchr("= ]\"", p[len]) == NULL; len++)
		;
	return (len);
}

/* Frees the values test_syslog_parse kept in t. */
void
test_syslog_msg_free(struct test_syslog_msg *t)
{
	int	i;

	for (i = 0; i < t->nparams; i++)
		free(t->value[i]);
	t->nparams = 0;
}

/* Parses m by the ABNF of RFC 5424 §6; 0, or -1 when malformed. */
int
test_syslog_parse(const char *m, struct test_syslog_msg *t)
{
	const char	*p = m;
	char		*v;
	size_t		 len, n;
	int		 i;

	memset(t, 0, sizeof(*t));
	if (*p++ != '<')
		return (-1);
	for (i = 0; *p >= '0' && *p <= '9' && i < 3; i++)
		t->pri = t->pri * 10 + (*p++ - '0');
	if (i == 0 || t->pri > 191 || *p++ != '>' || *p++ != '1' ||
	    *p++ != ' ')
		return (-1);
	for (i = 0; i < 5; i++) {
		for (len = 0; p[len] >= 33 && p[len] <= 126; len++)
			;
		if (len == 0 || len > 255 || p[len] != ' ')
			return (-1);
		memcpy(t->field[i], p, len);
		p += len + 1;
	}
	if (*p == '-')
		p++;
	else if (*p != '[')
		return (-1);
	while (*p == '[') {
		p++;
		if ((len = test_syslog_name(p)) == 0 || len > 32)
			return (-1);
		if (t->nsd == 0)
			memcpy(t->sdid, p, len);
		p += len;
		while (*p == ' ') {
			p++;
			len = test_syslog_name(p);
			if (len == 0 || len > 32 || p[len] != '=' ||
			    p[len + 1] != '"')
				return (-1);
			v = malloc(strlen(p) + 1);
			if (t->nsd == 0 && t->nparams < TEST_SYSLOG_MAXPARAMS)
				memcpy(t->name[t->nparams], p, len);
			for (p += len + 2, n = 0; *p != '"'; p++) {
				if (*p == '\0' || *p == ']') {
					free(v);
					return (-1);
				}
				if (*p == '\\' && p[1] != '\0' &&
				    strchr("\"\\]", p[1]) != NULL)
					p++;
				v[n++] = *p;
			}
			p++;
			v[n] = '\0';
			if (t->nsd == 0 && t->nparams < TEST_SYSLOG_MAXPARAMS)
				t->value[t->nparams++] = v;
			else
				free(v);
		}
		if (*p++ != ']')
			return (-1);
		t->nsd++;
	}
	if (*p == ' ')
		t->msg = p + 1;
	else if (*p != '\0')
		return (-1);
	return (0);
}

/* The unescaped value of SD-PARAM name, or NULL. */
const char *
test_syslog_param(const struct test_syslog_msg *t, const char *name)
{
	int	i;

	for (i = 0; i < t->nparams; i++)
		if (strcmp(t->name[i], name) == 0)
			return (t->value[i]);
	return (NULL);
}

