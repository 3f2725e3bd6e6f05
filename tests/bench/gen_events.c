/*
 * gen_events.c: writes N Application-log events of a Connect server for
 * the event parser benchmark, as wevtutil /f:xml prints them (one
 * root-less <Event> a line, CRLF) or as Winlogbeat 8.x NDJSON.  The mix
 * is a sync scheduler's: per ten events four 6100 run results (the AD
 * export failing, the others clean), one 6941 AAD export error, and five
 * Directory Synchronization progress events (904) that syncorr reads and
 * skips.  Times advance one second an event from a fixed start, values
 * come from a fixed-seed xorshift: the same arguments give the same bytes.
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define GEN_EVENTS_SEED		0x6100694190400001ULL
#define GEN_EVENTS_START	1775120400	/* 2026-04-02T09:00:00Z */

static uint64_t	gen_events_rng = GEN_EVENTS_SEED;

static unsigned
gen_events_rand(unsigned n)
{
	gen_events_rng ^= gen_events_rng << 13;
	gen_events_rng ^= gen_events_rng >> 7;
	gen_events_rng ^= gen_events_rng << 17;
	return ((unsigned)(gen_events_rng % n));
}

static _Noreturn void
gen_events_usage(void)
{
	fprintf(stderr, "usage: gen_events xml|beat count\n");
	exit(2);
}

/* What one event says, whatever the format. */
struct gen_event {
	unsigned	 id;
	const char	*provider;
	char		 when[64];	/* 2026-04-02T09:00:00.1234567Z */
	char		 whenms[64];	/* 2026-04-02T09:00:00.123Z */
	unsigned long	 record;
	const char	*data[8];
	size_t		 ndata;
	char		 msg[1024];	/* the rendered message, LF ends */
	char		 counters[5][8];
};

static void
gen_events_fill(struct gen_event *e, unsigned long i)
{
	static const char *const profiles[] = { "Delta Import",
	    "Delta Synchronization", "Export", "Export" };
	static const char *const conns[] = { "contoso.com",
	    "contoso.onmicrosoft.com - AAD" };
	static char	dn[80];
	time_t		t = GEN_EVENTS_START + (time_t)i;
	struct tm	tm;
	unsigned	k = (unsigned)(i % 10), frac = gen_events_rand(10000000);
	const char	*conn, *prof;
	int		fail;

	gmtime_r(&t, &tm);
	snprintf(e->when, sizeof(e->when),
	    "%04d-%02d-%02dT%02d:%02d:%02d.%07uZ", tm.tm_year + 1900,
	    tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, frac);
	snprintf(e->whenms, sizeof(e->whenms),
	    "%04d-%02d-%02dT%02d:%02d:%02d.%03uZ", tm.tm_year + 1900,
	    tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
	    frac / 10000);
	e->record = 40000 + i;
	e->ndata = 0;
	if (k < 4) {
		conn = conns[k & 1];
		prof = profiles[k];
		fail = k == 2;
		e->id = 6100;
		e->provider = "ADSync";
		snprintf(e->counters[3], sizeof(e->counters[3]), "%u",
		    fail ? 1 + gen_events_rand(4) : 0);
		strcpy(e->counters[0], "0");
		strcpy(e->counters[1], "0");
		strcpy(e->counters[2], "0");
		strcpy(e->counters[4], "0");
		e->data[0] = conn;
		e->data[1] = prof;
		for (e->ndata = 2; e->ndata < 7; e->ndata++)
			e->data[e->ndata] = e->counters[e->ndata - 2];
		snprintf(e->msg, sizeof(e->msg), "The management agent \"%s\" "
		    "step execution completed on run profile \"%s\" with "
		    "errors.\n \n Additional Information\n Discovery Errors   "
		    "    : \"0\"\n Synchronization Errors : \"0\"\n Metaverse "
		    "Retry Errors : \"0\"\n Export Errors          : \"%s\"\n "
		    "Warnings               : \"0\"\n \n User Action\n View the "
		    "management agent run history for details.", conn, prof,
		    e->counters[3]);
	} else if (k == 4) {
		e->id = 6941;
		e->provider = "ADSync";
		snprintf(dn, sizeof(dn), "CN={%08X%08X}", gen_events_rand(~0U),
		    gen_events_rand(~0U));
		snprintf(e->msg, sizeof(e->msg), "ECMA2 MA export run caused "
		    "an error.\n\nDN: %s\nError Name: "
		    "AttributeValueMustBeUnique\n\nError Detail: Unable to "
		    "update this object because the following attributes "
		    "associated with this object have values that may already "
		    "be associated with another object in your local directory "
		    "services: [ProxyAddresses smtp:user%u@contoso.com;]. "
		    "Correct or remove the duplicate values in your local "
		    "directory.", dn, gen_events_rand(5000));
		e->data[0] = e->msg;
		e->ndata = 1;
	} else {
		e->id = 904;
		e->provider = "Directory Synchronization";
		snprintf(e->msg, sizeof(e->msg), "Scheduler::SchedulerThreadMain"
		    " : Started an import/sync/export cycle. TrackingId: "
		    "%08x-%04x-4%03x-8%03x-%06x%06x", gen_events_rand(~0U),
		    gen_events_rand(0xffff), gen_events_rand(0xfff),
		    gen_events_rand(0xfff), gen_events_rand(0xffffff),
		    gen_events_rand(0xffffff));
		e->data[0] = e->msg;
		e->ndata = 1;
	}
}

/* Text with XML's or JSON's special characters escaped. */
static void
gen_events_put(FILE *fp, const char *s, int json)
{
	for (; *s != '\0'; s++) {
		if (json && (*s == '"' || *s == '\\'))
			fprintf(fp, "\\%c", *s);
		else if (json && *s == '\n')
			fputs("\\n", fp);
		else if (!json && *s == '<')
			fputs("&lt;", fp);
		else if (!json && *s == '&')
			fputs("&amp;", fp);
		else if (!json && *s == '\n')
			fputs("&#10;", fp);
		else
			putc(*s, fp);
	}
}

static void
gen_events_xml(FILE *fp, const struct gen_event *e)
{
	size_t	i;

	fprintf(fp, "<Event xmlns='http://schemas.microsoft.com/win/2004/08/"
	    "events/event'><System><Provider Name='%s'/><EventID "
	    "Qualifiers='16384'>%u</EventID><Version>0</Version><Level>%d"
	    "</Level><Task>%d</Task><Opcode>0</Opcode><Keywords>"
	    "0x80000000000000</Keywords><TimeCreated SystemTime='%s'/>"
	    "<EventRecordID>%lu</EventRecordID><Correlation/><Execution "
	    "ProcessID='3124' ThreadID='0'/><Channel>Application</Channel>"
	    "<Computer>AADCONNECT01.contoso.com</Computer><Security/>"
	    "</System><EventData>", e->provider, e->id,
	    e->id == 904 ? 4 : 2, e->id == 904 ? 0 : 2, e->when, e->record);
	for (i = 0; i < e->ndata; i++) {
		fputs("<Data>", fp);
		gen_events_put(fp, e->data[i], 0);
		fputs("</Data>", fp);
	}
	fputs("</EventData></Event>\r\n", fp);
}

static void
gen_events_beat(FILE *fp, const struct gen_event *e)
{
	size_t	i;

	fprintf(fp, "{\"@timestamp\":\"%s\",\"event\":{\"code\":\"%u\","
	    "\"kind\":\"event\",\"provider\":\"%s\"},\"log\":{\"level\":"
	    "\"%s\"},\"host\":{\"name\":\"AADCONNECT01.contoso.com\"},"
	    "\"message\":\"", e->whenms, e->id, e->provider,
	    e->id == 904 ? "information" : "error");
	gen_events_put(fp, e->msg, 1);
	fprintf(fp, "\",\"winlog\":{\"api\":\"wineventlog\",\"channel\":"
	    "\"Application\",\"computer_name\":\"AADCONNECT01.contoso.com\","
	    "\"event_id\":\"%u\",\"provider_name\":\"%s\",\"record_id\":"
	    "\"%lu\",\"keywords\":[\"Classic\"],\"event_data\":{", e->id,
	    e->provider, e->record);
	for (i = 0; i < e->ndata; i++) {
		fprintf(fp, "%s\"param%zu\":\"", i ? "," : "", i + 1);
		gen_events_put(fp, e->data[i], 1);
		putc('"', fp);
	}
	fputs("}},\"agent\":{\"type\":\"winlogbeat\",\"version\":\"8.13.4\"},"
	    "\"ecs\":{\"version\":\"8.0.0\"}}\n", fp);
}

int
main(int argc, char **argv)
{
	static char		 obuf[1 << 20];
	struct gen_event	 e;
	unsigned long		 n, i;
	int			 beat;
	char			*end;

	if (argc != 3)
		gen_events_usage();
	if (strcmp(argv[1], "xml") == 0)
		beat = 0;
	else if (strcmp(argv[1], "beat") == 0)
		beat = 1;
	else
		gen_events_usage();
	n = strtoul(argv[2], &end, 10);
	if (*end != '\0' || n == 0)
		gen_events_usage();
	setvbuf(stdout, obuf, _IOFBF, sizeof(obuf));
	for (i = 0; i < n; i++) {
		gen_events_fill(&e, i);
		if (beat)
			gen_events_beat(stdout, &e);
		else
			gen_events_xml(stdout, &e);
	}
	if (fflush(stdout) == EOF || ferror(stdout)) {
		perror("gen_events");
		return (1);
	}
	return (0);
}
