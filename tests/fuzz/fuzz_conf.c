/*
 * fuzz_conf.c: libFuzzer target for the configuration parser.  The input
 * is the top file; include statements are served from memory ("loop"
 * includes itself, "missing" fails, anything else is a small valid file)
 * so nesting, the depth limit and loader errors are reached too.  On a
 * clean parse it checks that every host is found by its name and aliases.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "xmalloc.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const char fuzz_conf_included[] =
    "host \"inc\" { alias \"inc.example\" tenant \"t\" }\n"
    "spool \"/inc\"\n";
static const char fuzz_conf_loop[] = "include \"loop\"\n";

/* The in-memory include loader. */
static int
fuzz_conf_load(const char *path, char **buf, size_t *len,
    const char **reason, void *arg)
{
	const char	*src = fuzz_conf_included;

	(void)arg;
	if (strstr(path, "missing") != NULL) {
		*reason = "No such file or directory";
		return (-1);
	}
	if (strstr(path, "loop") != NULL)
		src = fuzz_conf_loop;
	*len = strlen(src);
	*buf = xmalloc(*len);
	memcpy(*buf, src, *len);
	return (0);
}

/* Every host must be found by its own name and each of its aliases. */
static void
fuzz_conf_check(const struct conf *conf)
{
	struct conf_host	*h;
	struct conf_str		*a;
	struct conf_output	*o;

	TAILQ_FOREACH(h, &conf->hosts, entry) {
		if (conf_host_find(conf, h->name) != h)
			abort();
		TAILQ_FOREACH(a, &h->aliases, entry) {
			if (conf_host_find(conf, a->value) != h)
				abort();
		}
	}
	TAILQ_FOREACH(o, &conf->outputs, entry) {
		if (o->transport == CONF_TRANSPORT_NONE && o->file == NULL)
			abort();
		(void)conf_transport_name(o->transport);
		(void)conf_format_name(o->format);
		(void)conf_framing_name(o->framing);
	}
}

/* libFuzzer's entry point: parse data as a configuration file. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct conf_errors	 errors;
	struct conf_error	*e;
	struct conf		*conf = NULL;
	int			 n, count = 0;

	conf_errors_init(&errors);
	n = conf_parse_load((const char *)data, size, "/etc/syncorr/fuzz.conf",
	    fuzz_conf_load, NULL, &conf, &errors);
	TAILQ_FOREACH(e, &errors, entry)
		count++;
	if (n != count || (n == 0) != (conf != NULL))
		abort();
	if (conf != NULL)
		fuzz_conf_check(conf);
	conf_free(conf);
	conf_errors_free(&errors);
	return (0);
}
