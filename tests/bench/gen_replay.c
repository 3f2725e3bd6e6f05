/*
 * gen_replay.c: writes the spool tree of the replay benchmark: for one
 * host, DUMPS csexport dumps of the AD connector "bench.example" taken 30
 * minutes apart (one a sync cycle), each listing the same OBJECTS objects
 * with an export error, cd-missing-object or constraint-violation, as
 * `csexport "bench.example" out.xml /f:e /o:bhde` writes them.  Every
 * object has its own DN, so each is one ad-export-error incident; from
 * cycle to cycle only the retry count and the time of the last attempt
 * move on.  An object's attributes hash from its index, so the same
 * arguments give the same bytes.
 */

#include <sys/stat.h>

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define GEN_REPLAY_HOST		"SYNC01"
#define GEN_REPLAY_CONNECTOR	"bench.example"
#define GEN_REPLAY_START	1775120400	/* 2026-04-02T09:00:00Z */
#define GEN_REPLAY_CYCLE	1800		/* seconds between dumps */
#define GEN_REPLAY_BUFSZ	(1U << 20)

static const char *const gen_replay_first[16] = {
	"James", "Mary", "Robert", "Patricia", "Priya", "Wei", "Aisha",
	"Mateo", "Olga", "Kenji", "Fatima", "Liam", "Ingrid", "Tomasz",
	"José", "Søren"
};

static const char *const gen_replay_last[16] = {
	"Smith", "Johnson", "Garcia", "Miller", "Patel", "Chen", "Okafor",
	"Tanaka", "Ivanova", "Kowalski", "Lee", "Nguyen", "Müller",
	"Fernández", "Brown", "Wilson"
};

/* What one object looks like in every dump, from its index. */
struct gen_replay_obj {
	char		 dn[160];
	char		 ou[64];
	char		 sam[32];
	uint64_t	 h;
	unsigned	 retries;	/* at the first dump */
	time_t		 first;		/* first-occurred */
	int		 missing;	/* cd-missing-object, else constraint */
};

static _Noreturn void
gen_replay_usage(void)
{
	fprintf(stderr, "usage: gen_replay objects dumps dir\n");
	exit(2);
}

/* splitmix64: a well-mixed hash of an object index. */
static uint64_t
gen_replay_hash(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return (x ^ (x >> 31));
}

static void
gen_replay_fill(struct gen_replay_obj *o, unsigned long i)
{
	const char	*first, *last;

	o->h = gen_replay_hash(i);
	first = gen_replay_first[o->h & 15];
	last = gen_replay_last[(o->h >> 4) & 15];
	snprintf(o->ou, sizeof(o->ou), "OU=Users,OU=Site%02u,DC=bench,"
	    "DC=example", (unsigned)((o->h >> 8) % 40));
	snprintf(o->dn, sizeof(o->dn), "CN=%s %s %06lu,%s", first, last, i,
	    o->ou);
	snprintf(o->sam, sizeof(o->sam), "u%06lu", i);
	o->retries = 1 + (unsigned)((o->h >> 16) % 400);
	o->first = GEN_REPLAY_START - 3600 -
	    (time_t)((o->h >> 24) % (90 * 86400));
	o->missing = (o->h >> 56) % 3 != 0;
}

/* t as csexport's "2026-04-02 09:00:00.123". */
static void
gen_replay_date(FILE *fp, time_t t, unsigned ms)
{
	struct tm	tm;

	gmtime_r(&t, &tm);
	fprintf(fp, "%04d-%02d-%02d %02d:%02d:%02d.%03u", tm.tm_year + 1900,
	    tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ms);
}

static void
gen_replay_object(FILE *fp, const struct gen_replay_obj *o, unsigned long i,
    unsigned cycle, time_t when)
{
	fprintf(fp, "<cs-object cs-dn=\"%s\" id=\"{%08lX-%04X-E811-80C7-"
	    "00155D0A%04X}\" object-type=\"user\">\n"
	    "  <unapplied-export>\n"
	    "    <delta operation=\"update\" dn=\"%s\">\n", o->dn, i,
	    (unsigned)(o->h & 0xffff), (unsigned)((o->h >> 16) & 0xffff),
	    o->dn);
	if (o->missing)
		fprintf(fp, "      <attr name=\"msDS-ConsistencyGuid\" "
		    "type=\"binary\" multivalued=\"false\" operation=\"add\">\n"
		    "        <value encoding=\"base64\">%016llXAAAAAA==</value>\n"
		    "      </attr>\n", (unsigned long long)o->h);
	else
		fprintf(fp, "      <attr name=\"proxyAddresses\" "
		    "type=\"string\" multivalued=\"true\" operation=\"add\">\n"
		    "        <value>SMTP:%s@bench.example</value>\n"
		    "      </attr>\n", o->sam);
	fprintf(fp, "    </delta>\n"
	    "  </unapplied-export>\n"
	    "  <synchronized-hologram>\n"
	    "    <entry dn=\"%s\">\n"
	    "      <anchor encoding=\"base64\">%016llXAAAAAA==</anchor>\n"
	    "      <primary-objectclass>user</primary-objectclass>\n"
	    "      <objectclass>\n"
	    "        <oc-value>top</oc-value>\n"
	    "        <oc-value>person</oc-value>\n"
	    "        <oc-value>organizationalPerson</oc-value>\n"
	    "        <oc-value>user</oc-value>\n"
	    "      </objectclass>\n"
	    "      <attr name=\"sAMAccountName\" type=\"string\" "
	    "multivalued=\"false\">\n"
	    "        <value>%s</value>\n"
	    "      </attr>\n"
	    "      <attr name=\"userAccountControl\" type=\"integer\" "
	    "multivalued=\"false\">\n"
	    "        <value>0x200</value>\n"
	    "      </attr>\n"
	    "      <attr name=\"userPrincipalName\" type=\"string\" "
	    "multivalued=\"false\">\n"
	    "        <value>%s@bench.example</value>\n"
	    "      </attr>\n"
	    "    </entry>\n"
	    "  </synchronized-hologram>\n"
	    "  <export-errordetail first-occurred=\"", o->dn,
	    (unsigned long long)gen_replay_hash(o->h), o->sam, o->sam);
	gen_replay_date(fp, o->first, (unsigned)(o->h % 1000));
	fputs("\" date-occurred=\"", fp);
	gen_replay_date(fp, when - 600 + (time_t)(i % 300),
	    (unsigned)((o->h >> 10) % 1000));
	fprintf(fp, "\" retry-count=\"%u\" error-type=\"%s\">\n"
	    "    <export-status>\n"
	    "      <cd-error>\n", o->retries + cycle,
	    o->missing ? "cd-missing-object" : "constraint-violation");
	if (o->missing)
		fprintf(fp, "        <error-code>8240</error-code>\n"
		    "        <error-literal>There is no such object on the "
		    "server.</error-literal>\n"
		    "        <server-error-detail>00002030: NameErr: "
		    "DSID-03100241, problem 2001 (NO_OBJECT), data 0, best "
		    "match of:\n\t'%s'\n</server-error-detail>\n", o->ou);
	else
		fputs("        <error-code>8239</error-code>\n"
		    "        <error-literal>A constraint violation occurred."
		    "</error-literal>\n"
		    "        <server-error-detail>0000202F: AtrErr: "
		    "DSID-03200E96, #1:\n\t0: 0000202F: DSID-03200E96, problem "
		    "1005 (CONSTRAINT_ATT_TYPE), data 0, Att 1000f "
		    "(proxyAddresses)\n</server-error-detail>\n", fp);
	fputs("      </cd-error>\n"
	    "    </export-status>\n"
	    "  </export-errordetail>\n"
	    "</cs-object>\n", fp);
}

/* Writes dump number cycle into hostdir. */
static int
gen_replay_dump(const char *hostdir, unsigned long n, unsigned cycle)
{
	static char		 buf[GEN_REPLAY_BUFSZ];
	struct gen_replay_obj	 o;
	struct tm		 tm;
	time_t			 when;
	unsigned long		 i;
	char			 path[4096];
	FILE			*fp;

	when = GEN_REPLAY_START + (time_t)cycle * GEN_REPLAY_CYCLE;
	gmtime_r(&when, &tm);
	if ((size_t)snprintf(path, sizeof(path), "%s/csexport-%s-%04d%02d%02dT"
	    "%02d%02d%02dZ.xml", hostdir, GEN_REPLAY_CONNECTOR,
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec) >= sizeof(path)) {
		fprintf(stderr, "gen_replay: %s: path too long\n", hostdir);
		return (-1);
	}
	if ((fp = fopen(path, "w")) == NULL) {
		fprintf(stderr, "gen_replay: %s: %s\n", path, strerror(errno));
		return (-1);
	}
	setvbuf(fp, buf, _IOFBF, sizeof(buf));
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<cs-objects>\n", fp);
	for (i = 0; i < n; i++) {
		gen_replay_fill(&o, i);
		gen_replay_object(fp, &o, i, cycle, when);
	}
	fputs("</cs-objects>\n", fp);
	if (ferror(fp) || fclose(fp) == EOF) {
		fprintf(stderr, "gen_replay: %s: %s\n", path, strerror(errno));
		return (-1);
	}
	return (0);
}

int
main(int argc, char **argv)
{
	unsigned long	 n, k, c;
	char		 hostdir[4096], *end;

	if (argc != 4)
		gen_replay_usage();
	n = strtoul(argv[1], &end, 10);
	if (*end != '\0' || n == 0 || n > 999999)
		gen_replay_usage();
	k = strtoul(argv[2], &end, 10);
	if (*end != '\0' || k == 0 || k > 100000)
		gen_replay_usage();
	if ((size_t)snprintf(hostdir, sizeof(hostdir), "%s/%s", argv[3],
	    GEN_REPLAY_HOST) >= sizeof(hostdir))
		gen_replay_usage();
	if ((mkdir(argv[3], 0777) == -1 && errno != EEXIST) ||
	    (mkdir(hostdir, 0777) == -1 && errno != EEXIST)) {
		fprintf(stderr, "gen_replay: mkdir %s: %s\n", hostdir,
		    strerror(errno));
		return (1);
	}
	for (c = 0; c < k; c++)
		if (gen_replay_dump(hostdir, n, (unsigned)c) == -1)
			return (1);
	return (0);
}
