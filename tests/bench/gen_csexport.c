/*
 * gen_csexport.c: writes a large, realistic csexport dump of an AD
 * connector for the csexport parser benchmark, shaped like
 * `csexport "<forest>" out.xml /f:x /o:bhd` plus export error detail on
 * every EVERY-th object (both export-errordetail shapes, FORMATS.md §2.3).
 * Everything comes from a fixed-seed xorshift generator, so the same
 * arguments always give the same bytes; the output goes through one
 * hand-filled buffer rather than printf so that a GiB takes seconds.
 */

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define GEN_CSEXPORT_SEED	0x5ca1ab1e0ddba11ULL
#define GEN_CSEXPORT_BUFSZ	(4U << 20)	/* flushed when half full */
#define GEN_CSEXPORT_STDIOSZ	(8U << 20)
#define GEN_CSEXPORT_PERSITE	(48 * 48)	/* users per site, one a name */
#define GEN_CSEXPORT_ADMINS	193		/* 1 user in N has adminCount */

struct gen_csexport {
	FILE		*fp;
	char		*buf;
	size_t		 len;
	uint64_t	 rng;
	uint64_t	 written;	/* bytes handed to stdio */
	char		 dn[256];	/* DC=contoso,DC=example */
	const char	*domain;
};

/* Display name and its ASCII fold for UPNs and mail addresses. */
struct gen_csexport_name {
	const char	*display;
	const char	*ascii;
};

static const struct gen_csexport_name gen_csexport_first[48] = {
	{ "James", "james" }, { "Mary", "mary" }, { "Robert", "robert" },
	{ "Patricia", "patricia" }, { "John", "john" },
	{ "Jennifer", "jennifer" }, { "Michael", "michael" },
	{ "Linda", "linda" }, { "David", "david" },
	{ "Elizabeth", "elizabeth" },
	{ "William", "william" }, { "Barbara", "barbara" },
	{ "Richard", "richard" }, { "Susan", "susan" }, { "Joseph", "joseph" },
	{ "Jessica", "jessica" }, { "Thomas", "thomas" }, { "Sarah", "sarah" },
	{ "Charles", "charles" }, { "Karen", "karen" },
	{ "Christopher", "christopher" }, { "Lisa", "lisa" },
	{ "Daniel", "daniel" }, { "Nancy", "nancy" }, { "Matthew", "matthew" },
	{ "Betty", "betty" }, { "Anthony", "anthony" }, { "Sandra", "sandra" },
	{ "Mark", "mark" }, { "Ashley", "ashley" }, { "Priya", "priya" },
	{ "Wei", "wei" }, { "Aisha", "aisha" }, { "Mateo", "mateo" },
	{ "Olga", "olga" }, { "Kenji", "kenji" }, { "Fatima", "fatima" },
	{ "Liam", "liam" }, { "Ingrid", "ingrid" }, { "Tomasz", "tomasz" },
	{ "José", "jose" }, { "Zoë", "zoe" }, { "Łukasz", "lukasz" },
	{ "Søren", "soren" }, { "Renée", "renee" }, { "Björn", "bjorn" },
	{ "Çağla", "cagla" }, { "Nguyễn", "nguyen" }
};

static const struct gen_csexport_name gen_csexport_last[48] = {
	{ "Smith", "smith" }, { "Johnson", "johnson" },
	{ "Williams", "williams" }, { "Brown", "brown" }, { "Jones", "jones" },
	{ "Garcia", "garcia" }, { "Miller", "miller" }, { "Davis", "davis" },
	{ "Rodriguez", "rodriguez" }, { "Martinez", "martinez" },
	{ "Hernandez", "hernandez" }, { "Lopez", "lopez" },
	{ "Gonzalez", "gonzalez" }, { "Wilson", "wilson" },
	{ "Anderson", "anderson" }, { "Thomas", "thomas" },
	{ "Taylor", "taylor" }, { "Moore", "moore" }, { "Jackson", "jackson" },
	{ "Martin", "martin" }, { "Lee", "lee" }, { "Perez", "perez" },
	{ "Thompson", "thompson" }, { "White", "white" },
	{ "Harris", "harris" }, { "Sanchez", "sanchez" }, { "Clark", "clark" },
	{ "Ramirez", "ramirez" },
	{ "Lewis", "lewis" }, { "Robinson", "robinson" }, { "Patel", "patel" },
	{ "Chen", "chen" }, { "Okafor", "okafor" }, { "Tanaka", "tanaka" },
	{ "Ivanova", "ivanova" }, { "Kowalski", "kowalski" },
	{ "O'Brien", "obrien" }, { "van der Berg", "vanderberg" },
	{ "Müller", "mueller" }, { "Fernández", "fernandez" },
	{ "Størmer", "stormer" }, { "Dvořák", "dvorak" },
	{ "Faßbender", "fassbender" }, { "Nowak", "nowak" },
	{ "Haddad", "haddad" }, { "Kim", "kim" }, { "Singh", "singh" },
	{ "Öztürk", "ozturk" }
};

/* The DSIDs AD reports with problem 4003, as seen in real dumps. */
static const char *gen_csexport_dsid[] = {
	"03150F94", "031514A0", "03151648", "031514B3"
};

static const char gen_csexport_hexdig[] = "0123456789ABCDEF";
static const char gen_csexport_b64dig[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* Prints the usage line and exits 1. */
static _Noreturn void
gen_csexport_usage(void)
{
	fprintf(stderr, "usage: gen_csexport [-s SIZE_MB] [-e EVERY] "
	    "[-d DOMAIN] OUT.xml\n");
	exit(1);
}

/* xorshift64*: small, fast and the same on every platform. */
static uint64_t
gen_csexport_rand(struct gen_csexport *g)
{
	g->rng ^= g->rng >> 12;
	g->rng ^= g->rng << 25;
	g->rng ^= g->rng >> 27;
	return (g->rng * 0x2545F4914F6CDD1DULL);
}

/* A number in [0, n): the modulo bias is irrelevant for test data. */
static unsigned
gen_csexport_below(struct gen_csexport *g, unsigned n)
{
	return ((unsigned)((gen_csexport_rand(g) >> 32) % n));
}

/* Hands the buffer to stdio; dies on a write error. */
static void
gen_csexport_flush(struct gen_csexport *g)
{
	if (g->len == 0)
		return;
	if (fwrite(g->buf, 1, g->len, g->fp) != g->len) {
		perror("gen_csexport: write");
		exit(1);
	}
	g->written += g->len;
	g->len = 0;
}

/*
 * Appends n bytes.  No single append is anywhere near half the buffer, so
 * flushing once the buffer is half full leaves room for the next one.
 */
static void
gen_csexport_putn(struct gen_csexport *g, const char *s, size_t n)
{
	memcpy(g->buf + g->len, s, n);
	g->len += n;
	if (g->len >= GEN_CSEXPORT_BUFSZ / 2)
		gen_csexport_flush(g);
}

/* Appends a NUL-terminated string. */
static void
gen_csexport_puts(struct gen_csexport *g, const char *s)
{
	gen_csexport_putn(g, s, strlen(s));
}

/* Appends an unsigned decimal number, zero-padded to width digits. */
static void
gen_csexport_putu(struct gen_csexport *g, uint64_t v, int width)
{
	char	tmp[24];
	size_t	i = sizeof(tmp);

	do {
		tmp[--i] = (char)('0' + v % 10);
		v /= 10;
		width--;
	} while (v != 0 || width > 0);
	gen_csexport_putn(g, tmp + i, sizeof(tmp) - i);
}

/* Appends n bytes as hex, upper or lower case. */
static void
gen_csexport_puthex(struct gen_csexport *g, const uint8_t *p, size_t n,
    int lower)
{
	const char	*dig = lower ? "0123456789abcdef" : gen_csexport_hexdig;
	char		 tmp[64];
	size_t		 i, k;

	while (n > 0) {
		k = n > sizeof(tmp) / 2 ? sizeof(tmp) / 2 : n;
		for (i = 0; i < k; i++) {
			tmp[2 * i] = dig[p[i] >> 4];
			tmp[2 * i + 1] = dig[p[i] & 15];
		}
		gen_csexport_putn(g, tmp, 2 * k);
		p += k;
		n -= k;
	}
}

/* Appends n bytes as padded base64. */
static void
gen_csexport_putb64(struct gen_csexport *g, const uint8_t *p, size_t n)
{
	char		tmp[4];
	uint32_t	v;

	for (; n >= 3; p += 3, n -= 3) {
		v = (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2];
		tmp[0] = gen_csexport_b64dig[v >> 18];
		tmp[1] = gen_csexport_b64dig[(v >> 12) & 63];
		tmp[2] = gen_csexport_b64dig[(v >> 6) & 63];
		tmp[3] = gen_csexport_b64dig[v & 63];
		gen_csexport_putn(g, tmp, 4);
	}
	if (n == 0)
		return;
	v = (uint32_t)p[0] << 16 | (n == 2 ? (uint32_t)p[1] << 8 : 0);
	tmp[0] = gen_csexport_b64dig[v >> 18];
	tmp[1] = gen_csexport_b64dig[(v >> 12) & 63];
	tmp[2] = n == 2 ? gen_csexport_b64dig[(v >> 6) & 63] : '=';
	tmp[3] = '=';
	gen_csexport_putn(g, tmp, 4);
}

/* Fills n random bytes. */
static void
gen_csexport_bytes(struct gen_csexport *g, uint8_t *p, size_t n)
{
	uint64_t	v = 0;
	size_t		i;

	for (i = 0; i < n; i++) {
		if (i % 8 == 0)
			v = gen_csexport_rand(g);
		p[i] = (uint8_t)v;
		v >>= 8;
	}
}

/* A random (version 4) GUID's 16 bytes, in their Windows byte order. */
static void
gen_csexport_guid(struct gen_csexport *g, uint8_t b[16])
{
	gen_csexport_bytes(g, b, 16);
	b[7] = (uint8_t)((b[7] & 0x0f) | 0x40);
	b[8] = (uint8_t)((b[8] & 0x3f) | 0x80);
}

/*
 * Appends a GUID in registry form.  The first three groups of a GUID are
 * little-endian in its 16 bytes, which is why the anchor (base64 of the
 * bytes) and this text of the same objectGUID differ in byte order.
 */
static void
gen_csexport_putguid(struct gen_csexport *g, const uint8_t *b, int braces,
    int lower)
{
	static const int	 order[16] = { 3, 2, 1, 0, 5, 4, 7, 6, 8, 9,
	    10, 11, 12, 13, 14, 15 };
	char			 tmp[40];
	size_t			 k = 0;
	int			 i;

	if (braces)
		tmp[k++] = '{';
	for (i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			tmp[k++] = '-';
		tmp[k] = gen_csexport_hexdig[b[order[i]] >> 4];
		tmp[k + 1] = gen_csexport_hexdig[b[order[i]] & 15];
		if (lower) {
			if (tmp[k] >= 'A')
				tmp[k] += 'a' - 'A';
			if (tmp[k + 1] >= 'A')
				tmp[k + 1] += 'a' - 'A';
		}
		k += 2;
	}
	if (braces)
		tmp[k++] = '}';
	gen_csexport_putn(g, tmp, k);
}

/* Appends "yyyy-MM-dd HH:mm:ss.fff"; yday counts from 0, no leap years. */
static void
gen_csexport_putdate(struct gen_csexport *g, int year, int yday, int hh,
    int mm, int ss, int ms)
{
	static const int	mdays[12] = { 31, 28, 31, 30, 31, 30, 31, 31,
	    30, 31, 30, 31 };
	int			mon = 0;

	while (mon < 11 && yday >= mdays[mon])
		yday -= mdays[mon++];
	gen_csexport_putu(g, (uint64_t)year, 4);
	gen_csexport_puts(g, "-");
	gen_csexport_putu(g, (uint64_t)mon + 1, 2);
	gen_csexport_puts(g, "-");
	gen_csexport_putu(g, (uint64_t)yday + 1, 2);
	gen_csexport_puts(g, " ");
	gen_csexport_putu(g, (uint64_t)hh, 2);
	gen_csexport_puts(g, ":");
	gen_csexport_putu(g, (uint64_t)mm, 2);
	gen_csexport_puts(g, ":");
	gen_csexport_putu(g, (uint64_t)ss, 2);
	gen_csexport_puts(g, ".");
	gen_csexport_putu(g, (uint64_t)ms, 3);
}

/* Opens an <attr> element of a delta (op != NULL) or a hologram. */
static void
gen_csexport_attr(struct gen_csexport *g, const char *indent,
    const char *name, const char *type, int multi, const char *op)
{
	gen_csexport_puts(g, indent);
	gen_csexport_puts(g, "<attr name=\"");
	gen_csexport_puts(g, name);
	gen_csexport_puts(g, "\" type=\"");
	gen_csexport_puts(g, type);
	gen_csexport_puts(g, multi ? "\" multivalued=\"true\"" :
	    "\" multivalued=\"false\"");
	if (op != NULL) {
		gen_csexport_puts(g, " operation=\"");
		gen_csexport_puts(g, op);
		gen_csexport_puts(g, "\"");
	}
	gen_csexport_puts(g, ">\n");
}

/*
 * A Windows Hello for Business key as msDS-KeyCredentialLink holds it:
 * DN-Binary "B:<hex digits>:<hex>:<owner DN>", the blob a version 2
 * KEYCREDENTIALLINK_BLOB of the usual size with random key material.
 */
static void
gen_csexport_keycred(struct gen_csexport *g, const char *dn, size_t dnlen)
{
	uint8_t	blob[401];

	gen_csexport_bytes(g, blob, sizeof(blob));
	blob[0] = 0x00;
	blob[1] = 0x02;
	blob[2] = 0x00;
	blob[3] = 0x00;
	blob[4] = 0x20;		/* KeyID: 32 bytes */
	blob[5] = 0x00;
	blob[6] = 0x01;
	gen_csexport_puts(g, "B:");
	gen_csexport_putu(g, 2 * sizeof(blob), 0);
	gen_csexport_puts(g, ":");
	gen_csexport_puthex(g, blob, sizeof(blob), 0);
	gen_csexport_puts(g, ":");
	gen_csexport_putn(g, dn, dnlen);
}

/*
 * The export error detail, as csexport writes it for an AD connector that
 * may not write the attribute.  One in ten uses the older <export-error>
 * shape, where half give the code in hex as some tools do.
 */
static void
gen_csexport_error(struct gen_csexport *g, uint64_t nerr)
{
	int	old = nerr % 10 == 9;
	int	fday = (int)gen_csexport_below(g, 365);
	int	retries;

	/* A failed export is retried every cycle, 48 a day, until 06-16. */
	retries = (365 - fday + 166) * 48 + (int)gen_csexport_below(g, 48);

	if (old)
		gen_csexport_puts(g, "  <export-errordetail>\n"
		    "    <export-error date-occurred=\"");
	else
		gen_csexport_puts(g, "  <export-errordetail first-occurred=\"");
	if (old) {
		gen_csexport_putdate(g, 2026, 166, 1, 6,
		    (int)gen_csexport_below(g, 60),
		    (int)gen_csexport_below(g, 1000));
		gen_csexport_puts(g, "\" first-occurred=\"");
	}
	gen_csexport_putdate(g, 2025, fday, (int)gen_csexport_below(g, 24),
	    (int)gen_csexport_below(g, 60), (int)gen_csexport_below(g, 60),
	    (int)gen_csexport_below(g, 1000));
	if (!old) {
		gen_csexport_puts(g, "\" date-occurred=\"");
		gen_csexport_putdate(g, 2026, 166, 1, 6,
		    (int)gen_csexport_below(g, 60),
		    (int)gen_csexport_below(g, 1000));
	}
	gen_csexport_puts(g, "\" retry-count=\"");
	gen_csexport_putu(g, (uint64_t)retries, 0);
	gen_csexport_puts(g, "\" error-type=\"permission-issue\">\n");
	if (!old)
		gen_csexport_puts(g, "    <export-status>\n");
	gen_csexport_puts(g, "      <cd-error>\n        <error-code>");
	gen_csexport_puts(g, old && nerr % 20 == 19 ? "0x2098" : "8344");
	gen_csexport_puts(g, "</error-code>\n"
	    "        <error-literal>Insufficient access rights to perform "
	    "the operation.</error-literal>\n"
	    "        <server-error-detail>00002098: SecErr: DSID-");
	gen_csexport_puts(g, gen_csexport_dsid[gen_csexport_below(g, 4)]);
	gen_csexport_puts(g, ", problem 4003 (INSUFF_ACCESS_RIGHTS), data 0\n"
	    "</server-error-detail>\n");
	if (old)
		gen_csexport_puts(g, "      </cd-error>\n"
		    "    </export-error>\n  </export-errordetail>\n");
	else
		gen_csexport_puts(g, "      </cd-error>\n"
		    "    </export-status>\n  </export-errordetail>\n");
}

/*
 * One user: a pending delta of writeback attributes, the synchronized
 * hologram, and on request the export error.  An errored object is a
 * protected one (adminCount 1) whose delta holds only the attribute it fails
 * on, which is the shape of the AdminSDHolder case.
 */
static void
gen_csexport_object(struct gen_csexport *g, uint64_t idx, int errored,
    uint64_t nerr)
{
	const struct gen_csexport_name	*fn, *ln;
	char				 dn[512];
	uint8_t				 objguid[16], csguid[16], parent[16];
	uint8_t				 extid[16], hash[96], x500[16];
	uint64_t			 site, pair;
	unsigned			 r;
	int				 n, comma, admin, keycred, safe;
	int				 cguid, proxy, extobj, i;

	/* Unique (first, last) pairs within a site keep every CN unique. */
	pair = (idx * 1031) % GEN_CSEXPORT_PERSITE;
	site = idx / GEN_CSEXPORT_PERSITE + 1;
	fn = &gen_csexport_first[pair % 48];
	ln = &gen_csexport_last[pair / 48];
	comma = idx % 10 == 3;
	n = snprintf(dn, sizeof(dn),
	    comma ? "CN=%s\\, %s,OU=Users,OU=Site%llu,%s" :
	    "CN=%s %s,OU=Users,OU=Site%llu,%s",
	    comma ? ln->display : fn->display,
	    comma ? fn->display : ln->display, (unsigned long long)site, g->dn);
	if (n < 0 || (size_t)n >= sizeof(dn)) {
		fprintf(stderr, "gen_csexport: DN too long\n");
		exit(1);
	}
	gen_csexport_guid(g, objguid);
	gen_csexport_guid(g, csguid);
	gen_csexport_guid(g, extid);
	/* The parent OU's GUID is fixed per site. */
	for (i = 0; i < 16; i++)
		parent[i] = (uint8_t)((site * 0x9E3779B97F4A7C15ULL) >>
		    (8 * (i % 8))) ^ (uint8_t)i;

	r = gen_csexport_below(g, 1000);
	admin = errored || idx % GEN_CSEXPORT_ADMINS == 17;
	keycred = errored ? (nerr % 3 == 0) : r < 120;
	safe = errored ? !keycred : r >= 120 && r < 700;
	cguid = !errored && r >= 400 && r < 520;
	proxy = !errored && r >= 300;
	extobj = !errored;

	gen_csexport_puts(g, "<cs-object cs-dn=\"");
	gen_csexport_putn(g, dn, (size_t)n);
	gen_csexport_puts(g, "\" id=\"");
	gen_csexport_putguid(g, csguid, 1, 0);
	gen_csexport_puts(g, "\" object-type=\"user\">\n"
	    "  <unapplied-export>\n    <delta operation=\"update\" dn=\"");
	gen_csexport_putn(g, dn, (size_t)n);
	gen_csexport_puts(g, "\">\n");

	/* csexport lists attributes by name, ignoring case. */
	if (cguid) {
		gen_csexport_attr(g, "      ", "mS-DS-ConsistencyGuid",
		    "binary", 0, "add");
		gen_csexport_puts(g, "        <value encoding=\"base64\">");
		gen_csexport_putb64(g, objguid, sizeof(objguid));
		gen_csexport_puts(g, "</value>\n      </attr>\n");
	}
	if (extobj) {
		gen_csexport_attr(g, "      ", "msDS-ExternalDirectoryObjectID",
		    "string", 0, "add");
		gen_csexport_puts(g, "        <value>User_");
		gen_csexport_putguid(g, extid, 0, 1);
		gen_csexport_puts(g, "</value>\n      </attr>\n");
	}
	if (keycred) {
		gen_csexport_attr(g, "      ", "msDS-KeyCredentialLink",
		    "string", 1, "update");
		gen_csexport_puts(g, "        <value operation=\"add\">");
		gen_csexport_keycred(g, dn, (size_t)n);
		gen_csexport_puts(g, "</value>\n      </attr>\n");
	}
	if (safe) {
		/* Four bytes per safe sender, as Exchange hashes them. */
		i = 4 * (1 + (int)gen_csexport_below(g, 24));
		gen_csexport_bytes(g, hash, (size_t)i);
		gen_csexport_attr(g, "      ", "msExchSafeSendersHash",
		    "binary", 0, "replace");
		gen_csexport_puts(g, "        <value encoding=\"base64\">");
		gen_csexport_putb64(g, hash, (size_t)i);
		gen_csexport_puts(g, "</value>\n      </attr>\n");
	}
	if (proxy) {
		/* Only X500 values flow back from Exchange Online. */
		gen_csexport_bytes(g, x500, sizeof(x500));
		gen_csexport_attr(g, "      ", "proxyAddresses", "string", 1,
		    "update");
		gen_csexport_puts(g, "        <value operation=\"add\">"
		    "X500:/o=ExchangeLabs/ou=Exchange Administrative Group "
		    "(FYDIBOHF23SPDLT)/cn=Recipients/cn=");
		gen_csexport_puthex(g, x500, sizeof(x500), 1);
		gen_csexport_puts(g, "-");
		gen_csexport_puts(g, fn->ascii);
		gen_csexport_puts(g, ".");
		gen_csexport_puts(g, ln->ascii);
		gen_csexport_puts(g, "</value>\n      </attr>\n");
	}
	gen_csexport_puts(g, "    </delta>\n  </unapplied-export>\n"
	    "  <synchronized-hologram>\n    <entry dn=\"");
	gen_csexport_putn(g, dn, (size_t)n);
	gen_csexport_puts(g, "\">\n      <anchor encoding=\"base64\">");
	gen_csexport_putb64(g, objguid, sizeof(objguid));
	gen_csexport_puts(g, "</anchor>\n"
	    "      <parent-anchor encoding=\"base64\">");
	gen_csexport_putb64(g, parent, sizeof(parent));
	gen_csexport_puts(g, "</parent-anchor>\n"
	    "      <primary-objectclass>user</primary-objectclass>\n"
	    "      <objectclass>\n"
	    "        <oc-value>top</oc-value>\n"
	    "        <oc-value>person</oc-value>\n"
	    "        <oc-value>organizationalPerson</oc-value>\n"
	    "        <oc-value>user</oc-value>\n"
	    "      </objectclass>\n");
	if (admin) {
		gen_csexport_attr(g, "      ", "adminCount", "integer", 0,
		    NULL);
		gen_csexport_puts(g, "        <value>0x1</value>\n"
		    "      </attr>\n");
	}
	gen_csexport_attr(g, "      ", "displayName", "string", 0, NULL);
	gen_csexport_puts(g, "        <value>");
	gen_csexport_puts(g, fn->display);
	gen_csexport_puts(g, " ");
	gen_csexport_puts(g, ln->display);
	gen_csexport_puts(g, "</value>\n      </attr>\n");
	gen_csexport_attr(g, "      ", "sAMAccountName", "string", 0, NULL);
	gen_csexport_puts(g, "        <value>E");
	gen_csexport_putu(g, 1000000 + idx, 7);
	gen_csexport_puts(g, "</value>\n      </attr>\n");
	gen_csexport_attr(g, "      ", "userAccountControl", "integer", 0,
	    NULL);
	gen_csexport_puts(g, "        <value>0x200</value>\n      </attr>\n");
	gen_csexport_attr(g, "      ", "userPrincipalName", "string", 0, NULL);
	gen_csexport_puts(g, "        <value>");
	gen_csexport_puts(g, fn->ascii);
	gen_csexport_puts(g, ".");
	gen_csexport_puts(g, ln->ascii);
	if (site > 1)
		gen_csexport_putu(g, site, 0);
	gen_csexport_puts(g, "@");
	gen_csexport_puts(g, g->domain);
	gen_csexport_puts(g, "</value>\n      </attr>\n"
	    "    </entry>\n  </synchronized-hologram>\n");
	if (errored)
		gen_csexport_error(g, nerr);
	gen_csexport_puts(g, "</cs-object>\n");
}

/*
 * Builds "DC=a,DC=b" and the tenant's mail domain from DOMAIN.  Only
 * letters, digits, '-' and '.' are accepted, so nothing needs escaping.
 */
static void
gen_csexport_domain(struct gen_csexport *g, const char *domain)
{
	const char	*p, *dot;
	size_t		 len = 0, k;
	int		 n;

	if (*domain == '\0' || *domain == '.' ||
	    domain[strlen(domain) - 1] == '.' || strstr(domain, "..") != NULL ||
	    strspn(domain, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-.") != strlen(domain) ||
	    strlen(domain) > 60) {
		fprintf(stderr, "gen_csexport: bad domain \"%s\"\n", domain);
		exit(1);
	}
	g->domain = domain;
	for (p = domain; p != NULL; p = dot == NULL ? NULL : dot + 1) {
		dot = strchr(p, '.');
		k = dot == NULL ? strlen(p) : (size_t)(dot - p);
		n = snprintf(g->dn + len, sizeof(g->dn) - len, "%sDC=%.*s",
		    len == 0 ? "" : ",", (int)k, p);
		if (n < 0 || (size_t)n >= sizeof(g->dn) - len) {
			fprintf(stderr, "gen_csexport: domain too long\n");
			exit(1);
		}
		len += (size_t)n;
	}
}

/* gen_csexport [-s SIZE_MB] [-e EVERY] [-d DOMAIN] OUT.xml */
int
main(int argc, char *argv[])
{
	struct gen_csexport	 g;
	const char		*out, *domain = "contoso.example";
	unsigned long long	 size_mb = 1100, every = 5000, target;
	uint64_t		 nobj = 0, nerr = 0;
	char			*end;
	int			 ch;

	while ((ch = getopt(argc, argv, "s:e:d:")) != -1) {
		switch (ch) {
		case 's':
		case 'e':
			errno = 0;
			target = strtoull(optarg, &end, 10);
			if (errno != 0 || end == optarg || *end != '\0' ||
			    target == 0 || target > (ch == 's' ? 1ULL << 24 :
			    UINT_MAX)) {
				fprintf(stderr, "gen_csexport: bad -%c %s\n",
				    ch, optarg);
				exit(1);
			}
			if (ch == 's')
				size_mb = target;
			else
				every = target;
			break;
		case 'd':
			domain = optarg;
			break;
		default:
			gen_csexport_usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc != 1)
		gen_csexport_usage();
	out = argv[0];

	memset(&g, 0, sizeof(g));
	gen_csexport_domain(&g, domain);
	g.rng = GEN_CSEXPORT_SEED;
	if ((g.buf = malloc(GEN_CSEXPORT_BUFSZ)) == NULL) {
		perror("gen_csexport: malloc");
		exit(1);
	}
	if ((g.fp = fopen(out, "w")) == NULL) {
		fprintf(stderr, "gen_csexport: %s: %s\n", out, strerror(errno));
		exit(1);
	}
	if (setvbuf(g.fp, NULL, _IOFBF, GEN_CSEXPORT_STDIOSZ) != 0) {
		perror("gen_csexport: setvbuf");
		exit(1);
	}

	target = size_mb << 20;
	gen_csexport_puts(&g, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<cs-objects>\n");
	while (g.written + g.len < target) {
		nobj++;
		if (nobj % every == 0)
			nerr++;
		gen_csexport_object(&g, nobj - 1, nobj % every == 0, nerr);
	}
	gen_csexport_puts(&g, "</cs-objects>\n");
	gen_csexport_flush(&g);
	if (fclose(g.fp) != 0) {
		fprintf(stderr, "gen_csexport: %s: %s\n", out, strerror(errno));
		exit(1);
	}
	free(g.buf);
	fprintf(stderr, "gen_csexport: %s: %llu bytes, %llu objects, "
	    "%llu errored (every %llu), domain %s\n", out,
	    (unsigned long long)g.written, (unsigned long long)nobj,
	    (unsigned long long)nerr, every, domain);
	return (0);
}
