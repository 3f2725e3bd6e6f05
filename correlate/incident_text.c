/*
 * incident_text.c: an incident transition as a few lines a person reads
 * in a terminal: when and what, the summary, the objects, the numbered
 * fix.  Control bytes from the input are shown escaped (UTF-8 is kept),
 * so a hostile DN cannot move the cursor or fake a line of its own.
 */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "correlate.h"
#include "xmalloc.h"

#define INCIDENT_TEXT_MAXLINES	32
#define INCIDENT_TEXT_MAXOBJ	10	/* objects listed; the rest counted */

struct incident_text {
	char	*buf;
	size_t	 len;
	size_t	 cap;
};

/* Appends fmt; every %s argument is input and gets escaped by the caller. */
static void
incident_text_printf(struct incident_text *t, const char *fmt, ...)
    __attribute__((__format__(__printf__, 2, 3)));

static void
incident_text_printf(struct incident_text *t, const char *fmt, ...)
{
	va_list	ap;
	int	n;

	for (;;) {
		va_start(ap, fmt);
		n = fmt_vsnprintf(t->buf + t->len, t->cap - t->len, fmt, ap);
		va_end(ap);
		if (n < 0)
			abort();
		if ((size_t)n < t->cap - t->len)
			break;
		t->cap = (t->len + (size_t)n + 1) * 2;
		t->buf = xreallocarray(t->buf, t->cap, 1);
	}
	t->len += (size_t)n;
}

/* s with control bytes as \xNN (xmalloc'd). */
static char *
incident_text_escape(const char *s)
{
	char	*out, *w;

	out = w = xmalloc(strlen(s) * 4 + 1);
	for (; *s != '\0'; s++) {
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			w += fmt_snprintf(w, 5, "\\x%02x", (unsigned char)*s);
		else
			*w++ = *s;
	}
	*w = '\0';
	return (out);
}

static void
incident_text_line(struct incident_text *t, const char *prefix,
    const char *s)
{
	char	*e = incident_text_escape(s);

	incident_text_printf(t, "\n  %s%s", prefix, e);
	free(e);
}

/* The kinds of evidence, on one line. */
static void
incident_text_evidence(struct incident_text *t, const struct incident *inc)
{
	const char	*sep = "";
	int		 s;

	incident_text_printf(t, "\n  evidence: ");
	for (s = 0; s < REC_SRC_MAX; s++) {
		if ((inc->evidence & (1U << s)) == 0)
			continue;
		incident_text_printf(t, "%s%s", sep,
		    record_source_name((enum rec_source)s));
		sep = ", ";
	}
}

/* The transition as text, ending in a newline (xmalloc'd). */
char *
incident_text(const struct incident *inc, enum incident_transition tr,
    int64_t now)
{
	const struct incident_object	*o;
	struct incident_object		**v;
	struct incident_text		 t;
	char				*lines[INCIDENT_TEXT_MAXLINES], *e;
	char				 when[32], summary[1024], num[32];
	size_t				 n, i;

	t.cap = 1024;
	t.len = 0;
	t.buf = xmalloc(t.cap);
	ptime_format(now, when, sizeof(when));
	incident_text_printf(&t, "%s %s %s %s", when,
	    incident_transition_name(tr), incident_class_name(inc->cls),
	    inc->id);
	remedy_summary(inc, summary, sizeof(summary));
	incident_text_line(&t, "", summary);
	v = incident_sorted(inc);
	for (i = 0; i < inc->nobjects && i < INCIDENT_TEXT_MAXOBJ; i++) {
		o = v[i];
		incident_text_line(&t, "object: ", o->dn);
		if (o->upn != NULL) {
			e = incident_text_escape(o->upn);
			incident_text_printf(&t, " (%s)", e);
			free(e);
		}
		if (o->retries >= 0)
			incident_text_printf(&t, ", %lld retries",
			    (long long)o->retries);
	}
	free(v);
	if (inc->nobjects > INCIDENT_TEXT_MAXOBJ)
		incident_text_printf(&t, "\n  … and %zu more objects",
		    inc->nobjects - INCIDENT_TEXT_MAXOBJ);
	for (i = 0; i < inc->nowners; i++)
		incident_text_line(&t, "owner: ", inc->owners[i]);
	if (inc->detail != NULL)
		incident_text_line(&t, "detail: ", inc->detail);
	if (inc->alert.title != NULL)
		incident_text_line(&t, "health alert: ", inc->alert.title);
	incident_text_evidence(&t, inc);
	n = remedy_lines(inc, lines, INCIDENT_TEXT_MAXLINES);
	for (i = 0; i < n; i++) {
		fmt_snprintf(num, sizeof(num), "%zu. ", i + 1);
		incident_text_line(&t, num, lines[i]);
		free(lines[i]);
	}
	incident_text_printf(&t, "\n");
	return (t.buf);
}

/*
 * "2026-04-02T10:01:04Z update: + csexport; class was …; protected:
 * adminCount; 1 → 3 objects": the transition and what made it.
 */
char *
incident_text_change(const struct incident *inc,
    enum incident_transition tr, int64_t now)
{
	struct incident_text	 t;
	const char		*sep = ": ";
	char			 when[32];
	unsigned		 added;
	int			 s;

	t.cap = 256;
	t.len = 0;
	t.buf = xmalloc(t.cap);
	ptime_format(now, when, sizeof(when));
	incident_text_printf(&t, "%s %s", when, incident_transition_name(tr));
	if (tr == INC_RESOLVE || !inc->emitted) {
		incident_text_printf(&t, "%s%zu object%s", sep, inc->nobjects,
		    inc->nobjects == 1 ? "" : "s");
		sep = "; ";
	}
	added = inc->evidence & ~(inc->emitted ? inc->emitted_evidence : 0);
	for (s = 0; tr != INC_RESOLVE && s < REC_SRC_MAX; s++) {
		if ((added & (1U << s)) == 0)
			continue;
		incident_text_printf(&t, "%s+ %s", sep,
		    record_source_name((enum rec_source)s));
		sep = ", ";
	}
	if (inc->emitted && tr == INC_UPDATE) {
		sep = added != 0 ? "; " : sep;
		if (inc->cls != inc->emitted_cls) {
			incident_text_printf(&t, "%sclass was %s", sep,
			    incident_class_name(inc->emitted_cls));
			sep = "; ";
		}
		if (inc->protect != inc->emitted_protect &&
		    inc->protect == INC_PROT_ADMINCOUNT) {
			incident_text_printf(&t, "%sprotected: adminCount",
			    sep);
			sep = "; ";
		}
		if (inc->ad_only != inc->emitted_ad_only) {
			incident_text_printf(&t, "%s%sad-connector-only", sep,
			    inc->ad_only ? "" : "no longer ");
			sep = "; ";
		}
		if (inc->nobjects != inc->emitted_objects) {
			incident_text_printf(&t, "%s%zu → %zu objects", sep,
			    inc->emitted_objects, inc->nobjects);
			sep = "; ";
		}
		if (strcmp(sep, ": ") == 0)
			incident_text_printf(&t, ": reminder, still open");
	}
	return (t.buf);
}
