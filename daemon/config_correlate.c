/*
 * config_correlate.c: what the configuration tells the correlator, the
 * same for the daemon and for replay: its times, and the hosts the
 * config declares with their aliases, tenants and connector accounts.
 * Apart from config.c so that tools that only read a configuration do
 * not pull the correlator in.
 */

#include <string.h>

#include "daemon.h"

/* The correlator's times from conf (NULL: every default) into p. */
void
config_correlate_params(const struct conf *conf,
    struct correlate_params *p)
{
	memset(p, 0, sizeof(*p));
	if (conf == NULL)
		return;
	/* 0 in the file turns a time off; 0 here means the default. */
	p->reminder = conf->reminder > 0 ? (int64_t)conf->reminder * 1000 :
	    -1;
	p->mail_window = (int64_t)conf->mail_window * 1000;
	p->stall = conf->stall > 0 ? (int64_t)conf->stall * 1000 : -1;
}

/* Tells the correlator the hosts conf declares, with what it says. */
void
config_hosts(struct correlate *c, const struct conf *conf)
{
	const struct conf_host	*h;
	const struct conf_str	*s;
	const char		*al[CONFIG_MAXNAMES], *dom[CONFIG_MAXNAMES];
	size_t			 nal, ndom;

	if (conf == NULL)
		return;
	TAILQ_FOREACH(h, &conf->hosts, entry) {
		nal = ndom = 0;
		TAILQ_FOREACH(s, &h->aliases, entry)
			if (nal < CONFIG_MAXNAMES)
				al[nal++] = s->value;
		TAILQ_FOREACH(s, &h->tenants, entry)
			if (ndom < CONFIG_MAXNAMES)
				dom[ndom++] = s->value;
		correlate_host_add(c, h->name, al, nal, dom, ndom,
		    h->connector_account);
	}
}
