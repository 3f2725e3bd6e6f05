/*
 * conf.c: the lifetime of a struct conf and the lookups the daemon makes
 * in it.  A conf starts out holding every default, so a missing keyword
 * and an empty file both mean "the documented default".  Host lookup is
 * where the spool directory name, the event Computer and the email Server:
 * field, all spelled differently, meet the host blocks of the config, so
 * the checks that keep those names unambiguous live here too.
 */

#include <sys/queue.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "conf.h"
#include "xmalloc.h"

/* A configuration holding the defaults; free with conf_free. */
struct conf *
conf_new(void)
{
	struct conf	*conf;

	conf = xcalloc(1, sizeof(*conf));
	conf->state_dir = xstrdup(CONF_DEFAULT_STATE_DIR);
	TAILQ_INIT(&conf->spools);
	TAILQ_INIT(&conf->maildirs);
	conf->rescan = CONF_DEFAULT_RESCAN;
	conf->settle = CONF_DEFAULT_SETTLE;
	conf->reminder = CONF_DEFAULT_REMINDER;
	conf->mail_window = CONF_DEFAULT_MAIL_WINDOW;
	conf->stall = CONF_DEFAULT_STALL;
	conf->enterprise = CONF_DEFAULT_ENTERPRISE;
	TAILQ_INIT(&conf->hosts);
	TAILQ_INIT(&conf->outputs);
	return (conf);
}

/* Appends a copy of value to a string list. */
void
conf_strs_add(struct conf_strs *list, const char *value)
{
	struct conf_str	*s;

	s = xcalloc(1, sizeof(*s));
	s->value = xstrdup(value);
	TAILQ_INSERT_TAIL(list, s, entry);
}

/* Frees every entry of a string list, leaving it empty. */
static void
conf_strs_free(struct conf_strs *list)
{
	struct conf_str	*s;

	while ((s = TAILQ_FIRST(list)) != NULL) {
		TAILQ_REMOVE(list, s, entry);
		free(s->value);
		free(s);
	}
}

/* A new host block; name and file are copied. */
struct conf_host *
conf_host_new(const char *name, const char *file, int line)
{
	struct conf_host	*h;

	h = xcalloc(1, sizeof(*h));
	h->name = xstrdup(name);
	TAILQ_INIT(&h->aliases);
	TAILQ_INIT(&h->tenants);
	h->file = xstrdup(file);
	h->line = line;
	return (h);
}

/* Frees a host block that is in no list. */
static void
conf_host_free(struct conf_host *h)
{
	free(h->name);
	conf_strs_free(&h->aliases);
	conf_strs_free(&h->tenants);
	free(h->connector_account);
	free(h->file);
	free(h);
}

/* A new output with the defaults; name and file are copied. */
struct conf_output *
conf_output_new(const char *name, const char *file, int line)
{
	struct conf_output	*o;

	o = xcalloc(1, sizeof(*o));
	o->name = xstrdup(name);
	o->transport = CONF_TRANSPORT_NONE;
	o->framing = CONF_FRAMING_OCTET;
	o->format = CONF_FORMAT_RFC5424;
	o->queue_max = CONF_DEFAULT_QUEUE_MAX;
	o->decl_file = xstrdup(file);
	o->decl_line = line;
	return (o);
}

/* Frees an output that is in no list. */
static void
conf_output_free(struct conf_output *o)
{
	free(o->name);
	free(o->address);
	free(o->path);
	free(o->file);
	free(o->ca);
	free(o->cert);
	free(o->key);
	free(o->decl_file);
	free(o);
}

/* Frees a configuration and everything it holds; NULL is a no-op. */
void
conf_free(struct conf *conf)
{
	struct conf_host	*h;
	struct conf_output	*o;

	if (conf == NULL)
		return;
	free(conf->state_dir);
	conf_strs_free(&conf->spools);
	conf_strs_free(&conf->maildirs);
	free(conf->metrics_address);
	while ((h = TAILQ_FIRST(&conf->hosts)) != NULL) {
		TAILQ_REMOVE(&conf->hosts, h, entry);
		conf_host_free(h);
	}
	while ((o = TAILQ_FIRST(&conf->outputs)) != NULL) {
		TAILQ_REMOVE(&conf->outputs, o, entry);
		conf_output_free(o);
	}
	free(conf);
}

/* Starts an empty error list. */
void
conf_errors_init(struct conf_errors *errors)
{
	TAILQ_INIT(errors);
}

/* Frees every error in the list, leaving it empty. */
void
conf_errors_free(struct conf_errors *errors)
{
	struct conf_error	*e;

	while ((e = TAILQ_FIRST(errors)) != NULL) {
		TAILQ_REMOVE(errors, e, entry);
		free(e->msg);
		free(e);
	}
}

/* True if name is a bare short name and fqdn is that name plus a domain. */
static int
conf_short_match(const char *name, const char *fqdn)
{
	const char	*dot;
	size_t		 n;

	if (strchr(name, '.') != NULL || (dot = strchr(fqdn, '.')) == NULL)
		return (0);
	n = (size_t)(dot - fqdn);
	return (n > 0 && strlen(name) == n && strncasecmp(name, fqdn, n) == 0);
}

/* True if a and b name the same host, exactly or as short name and FQDN. */
static int
conf_name_match(const char *a, const char *b, int exact)
{
	if (strcasecmp(a, b) == 0)
		return (1);
	if (exact)
		return (0);
	return (conf_short_match(a, b) || conf_short_match(b, a));
}

/* The first host whose name or an alias matches name, in one mode. */
static struct conf_host *
conf_host_scan(const struct conf *conf, const char *name, int exact)
{
	struct conf_host	*h;
	struct conf_str		*a;

	TAILQ_FOREACH(h, &conf->hosts, entry) {
		if (conf_name_match(name, h->name, exact))
			return (h);
		TAILQ_FOREACH(a, &h->aliases, entry) {
			if (conf_name_match(name, a->value, exact))
				return (h);
		}
	}
	return (NULL);
}

/*
 * The host block name belongs to, or NULL; the config owns the result.
 * Names compare case-insensitively, and a short name matches an FQDN with
 * the same first label ("aadconnect01" is "AADCONNECT01.contoso.com"):
 * Windows writes the NetBIOS name in one place and the FQDN in the next.
 * An exact match anywhere wins over a short-name match, so host "a" and
 * host "a.example" are each found by their own name.
 */
struct conf_host *
conf_host_find(const struct conf *conf, const char *name)
{
	struct conf_host	*h;

	if (conf == NULL || name == NULL || *name == '\0')
		return (NULL);
	if ((h = conf_host_scan(conf, name, 1)) != NULL)
		return (h);
	return (conf_host_scan(conf, name, 0));
}

/* Appends "file:line: message" to errors. */
void
conf_verror(struct conf_errors *errors, const char *file, int line,
    const char *fmt, va_list ap)
{
	struct conf_error	*e;
	char			 msg[1024];

	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	e = xcalloc(1, sizeof(*e));
	(void)xasprintf(&e->msg, "%s:%d: %s", file, line, msg);
	TAILQ_INSERT_TAIL(errors, e, entry);
}

static void __attribute__((__format__(__printf__, 4, 5)))
conf_error_add(struct conf_errors *errors, const char *file, int line,
    const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	conf_verror(errors, file, line, fmt, ap);
	va_end(ap);
}

/* The first host before h whose name or an alias is name, or NULL. */
static const struct conf_host *
conf_check_owner(const struct conf *conf, const struct conf_host *h,
    const char *name)
{
	const struct conf_host	*prev;
	const struct conf_str	*a;

	TAILQ_FOREACH(prev, &conf->hosts, entry) {
		if (prev == h)
			break;
		if (strcasecmp(prev->name, name) == 0)
			return (prev);
		TAILQ_FOREACH(a, &prev->aliases, entry) {
			if (strcasecmp(a->value, name) == 0)
				return (prev);
		}
	}
	return (NULL);
}

/*
 * Output names are unique, and a host name or alias names one host only
 * (ignoring case, as conf_host_find does), or the spool directory, event
 * and email of a server could be attributed to either.  Short names are
 * not compared: "sync01.a.example" and "sync01.b.example" are two hosts.
 */
int
conf_check(const struct conf *conf, struct conf_errors *errors)
{
	const struct conf_output	*o, *p;
	const struct conf_host		*h, *prev;
	const struct conf_str		*a;
	char				 q[128], qa[128], qp[128];
	int				 n = 0;

	TAILQ_FOREACH(o, &conf->outputs, entry) {
		for (p = TAILQ_FIRST(&conf->outputs); p != o;
		    p = TAILQ_NEXT(p, entry)) {
			if (strcmp(p->name, o->name) == 0)
				break;
		}
		if (p == o)
			continue;
		conf_error_add(errors, o->decl_file, o->decl_line,
		    "duplicate output %s (first at %s:%d)",
		    conf_value_quote(q, sizeof(q), o->name), p->decl_file,
		    p->decl_line);
		n++;
	}
	TAILQ_FOREACH(h, &conf->hosts, entry) {
		conf_value_quote(q, sizeof(q), h->name);
		if ((prev = conf_check_owner(conf, h, h->name)) != NULL) {
			if (strcasecmp(prev->name, h->name) == 0)
				conf_error_add(errors, h->file, h->line,
				    "duplicate host %s (first at %s:%d)", q,
				    prev->file, prev->line);
			else
				conf_error_add(errors, h->file, h->line,
				    "host %s: name already names host %s", q,
				    conf_value_quote(qp, sizeof(qp),
				    prev->name));
			n++;
			continue;
		}
		TAILQ_FOREACH(a, &h->aliases, entry) {
			prev = conf_check_owner(conf, h, a->value);
			if (prev == NULL)
				continue;
			conf_error_add(errors, h->file, h->line,
			    "host %s: alias %s already names host %s", q,
			    conf_value_quote(qa, sizeof(qa), a->value),
			    conf_value_quote(qp, sizeof(qp), prev->name));
			n++;
		}
	}
	return (n);
}
