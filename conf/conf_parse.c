/*
 * conf_parse.c: the configuration grammar, by recursive descent over the
 * conf_lex tokens.  Newlines are white space: a statement is a keyword and
 * a fixed set of arguments, blocks are { }, and ';' is an optional
 * separator.  Every error is collected as "FILE:LINE: message"; after one
 * the parser skips the rest of that line or up to the closing brace of the
 * block, as OpenBSD parse.y does with error '\n', so a single run reports
 * every mistake in the file.
 */

#include <sys/queue.h>

#include <inttypes.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "xmalloc.h"

#define CONF_PARSE_QUOTE	128	/* a token quoted in a message */

enum conf_parse_where {
	CONF_PARSE_TOP,
	CONF_PARSE_HOST,
	CONF_PARSE_OUTPUT
};

/* The block being read: the whole file, a host or an output. */
struct conf_parse_block {
	enum conf_parse_where	 where;
	void			*obj;		/* conf, host or output */
	uint32_t		 seen;		/* keywords already set */
	int			 errors;	/* errors inside the block */
};

/* What all the files of one parse share. */
struct conf_parse_ctx {
	struct conf		*conf;
	struct conf_errors	*errors;
	int			 nerrors;
	conf_load_fn		 load;
	void			*arg;
	int			 include_stop;	/* an include went too deep */
	struct conf_parse_block	 top;		/* shared by included files */
};

/* One file being read. */
struct conf_parse_file {
	struct conf_parse_ctx	*ctx;
	const char		*name;
	int			 depth;		/* include nesting, 0: top */
	struct conf_parse_block	*block;		/* innermost open block */
	int			 errline;	/* where to resynchronise */
	struct conf_lex		 lex;
};

/*
 * A keyword: where it is valid and what reads its arguments.  The generic
 * readers store into the field at off of the block's object; max is the
 * bound of a number, and its type (uint16, uint32, uint64) tells the width.
 */
struct conf_parse_kw {
	const char		*name;
	enum conf_parse_where	 where;
	int			 flags;
#define CONF_PARSE_REPEAT	0x1	/* may appear more than once */
#define CONF_PARSE_ZERO		0x2	/* a duration of 0 is allowed */
	int			(*fn)(struct conf_parse_file *,
				    struct conf_parse_block *,
				    const struct conf_parse_kw *, int);
	size_t			 off;
	uint64_t		 max;
};

static const struct conf_parse_kw *conf_parse_kw_find(const char *);
static uint32_t	conf_parse_bit(const char *);
static int	conf_parse_body(struct conf_parse_file *,
		    struct conf_parse_block *);
static void	conf_parse_run(struct conf_parse_ctx *, const char *, size_t,
		    const char *, int);

/*
 * Appends "FILE:LINE: message" to the errors, and makes line the one to
 * resynchronise past.
 */
static void __attribute__((__format__(__printf__, 3, 4)))
conf_parse_error(struct conf_parse_file *f, int line, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	conf_verror(f->ctx->errors, f->name, line, fmt, ap);
	va_end(ap);
	f->ctx->nerrors++;
	f->block->errors++;
	f->errline = line;
}

/*
 * Reads the next token.  A broken token is reported here, once, and the
 * callers then only see CONF_TOK_ERROR.
 */
static void
conf_parse_advance(struct conf_parse_file *f)
{
	if (conf_lex_next(&f->lex) == CONF_TOK_ERROR)
		conf_parse_error(f, f->lex.tokline, "%s", f->lex.error);
}

/*
 * Skips what is left of line f->errline.  A { opened on it is skipped with
 * its whole block, while a } that closes the enclosing block stops the
 * skip, so the block still ends where the user ended it.  Broken tokens
 * skipped over are not reported (that is what keeps one mistake from
 * becoming ten messages), but one that starts a new line is: it is the
 * next statement's own mistake, and that line is skipped in turn.
 */
static void
conf_parse_resync(struct conf_parse_file *f)
{
	int	 depth = 0;

	while (f->lex.type != CONF_TOK_EOF) {
		if (depth == 0 && (f->lex.type == CONF_TOK_RBRACE ||
		    f->lex.tokline != f->errline))
			break;
		if (f->lex.type == CONF_TOK_LBRACE)
			depth++;
		else if (f->lex.type == CONF_TOK_RBRACE)
			depth--;
		if (conf_lex_next(&f->lex) == CONF_TOK_ERROR && depth == 0 &&
		    f->lex.tokline != f->errline)
			conf_parse_error(f, f->lex.tokline, "%s",
			    f->lex.error);
	}
}

/*
 * The current token as the argument of what (the keyword, on kwline), or
 * NULL once reported missing.  The token is not consumed: the caller uses
 * the text, then advances.  A bare keyword is never an argument, so
 * "rescan" followed by "settle 5s" on the next line is a missing argument
 * to rescan, not an invalid duration "settle".  Quote it to use it.
 */
static const char *
conf_parse_arg(struct conf_parse_file *f, const char *what, int kwline)
{
	if (f->lex.type == CONF_TOK_STRING || (f->lex.type == CONF_TOK_WORD &&
	    conf_parse_kw_find(f->lex.text) == NULL))
		return (f->lex.text);
	if (f->lex.type == CONF_TOK_ERROR)
		f->errline = f->lex.tokline;	/* already reported */
	else
		conf_parse_error(f, kwline, "%s: missing argument", what);
	return (NULL);
}

/* Reports "what: before"TOKEN"after" about the current token; -1. */
static int
conf_parse_bad(struct conf_parse_file *f, const char *what,
    const char *before, const char *after)
{
	char	 q[CONF_PARSE_QUOTE];

	conf_parse_error(f, f->lex.tokline, "%s: %s%s%s", what, before,
	    conf_value_quote(q, sizeof(q), f->lex.text), after);
	return (-1);
}

/* A non-empty string argument, or NULL. */
static const char *
conf_parse_string(struct conf_parse_file *f, const char *what, int kwline)
{
	const char	*s;

	if ((s = conf_parse_arg(f, what, kwline)) == NULL)
		return (NULL);
	if (*s == '\0') {
		conf_parse_error(f, f->lex.tokline, "%s: empty string", what);
		return (NULL);
	}
	return (s);
}

/*
 * A number argument in min..max, consumed.  A uint64 setting has no upper
 * bound worth naming, so it says "too large" or "must not be zero" rather
 * than print a twenty-digit range.
 */
static int
conf_parse_number(struct conf_parse_file *f, const char *what, int kwline,
    uint64_t min, uint64_t max, uint64_t *out)
{
	const char	*s;
	char		 range[64];
	uint64_t	 v = 0;
	int		 r;

	if ((s = conf_parse_arg(f, what, kwline)) == NULL)
		return (-1);
	r = conf_value_number(s, max, &v);
	if (r == CONF_EINVAL)
		return (conf_parse_bad(f, what, "invalid number ", ""));
	if (r == CONF_ERANGE && max == UINT64_MAX)
		return (conf_parse_bad(f, what, "number ", " too large"));
	if (r == CONF_ERANGE || v < min) {
		if (max == UINT64_MAX)
			return (conf_parse_bad(f, what, "",
			    " must not be zero"));
		(void)snprintf(range, sizeof(range),
		    " out of range %" PRIu64 "..%" PRIu64, min, max);
		return (conf_parse_bad(f, what, "", range));
	}
	*out = v;
	conf_parse_advance(f);
	return (0);
}

/* Consumes the { that opens the block of what; -1 if it is not there. */
static int
conf_parse_open(struct conf_parse_file *f, const char *what, int kwline)
{
	if (f->lex.type == CONF_TOK_LBRACE) {
		conf_parse_advance(f);
		return (0);
	}
	if (f->lex.type == CONF_TOK_ERROR)
		f->errline = f->lex.tokline;
	else
		conf_parse_error(f, kwline, "%s: expected \"{\"", what);
	return (-1);
}

/* The field of the block's object a generic keyword stores into. */
static void *
conf_parse_field(struct conf_parse_block *b, const struct conf_parse_kw *kw)
{
	return ((char *)b->obj + kw->off);
}

/* state-dir, connector-account, address, path, ca, cert, key, file. */
static int
conf_parse_kw_str(struct conf_parse_file *f, struct conf_parse_block *b,
    const struct conf_parse_kw *kw, int line)
{
	const char	*s;
	char		**dst = conf_parse_field(b, kw);

	if ((s = conf_parse_string(f, kw->name, line)) == NULL)
		return (-1);
	free(*dst);
	*dst = xstrdup(s);
	conf_parse_advance(f);
	return (0);
}

/* spool, maildir, alias, tenant: each adds to a list. */
static int
conf_parse_kw_list(struct conf_parse_file *f, struct conf_parse_block *b,
    const struct conf_parse_kw *kw, int line)
{
	const char	*s;

	if ((s = conf_parse_string(f, kw->name, line)) == NULL)
		return (-1);
	conf_strs_add(conf_parse_field(b, kw), s);
	conf_parse_advance(f);
	return (0);
}

/* enterprise-number, port, queue-max: numbers from 1 to kw->max. */
static int
conf_parse_kw_number(struct conf_parse_file *f, struct conf_parse_block *b,
    const struct conf_parse_kw *kw, int line)
{
	void		*dst = conf_parse_field(b, kw);
	uint64_t	 v;

	if (conf_parse_number(f, kw->name, line, 1, kw->max, &v) == -1)
		return (-1);
	if (kw->max == UINT16_MAX)
		*(uint16_t *)dst = (uint16_t)v;
	else if (kw->max == UINT32_MAX)
		*(uint32_t *)dst = (uint32_t)v;
	else
		*(uint64_t *)dst = v;
	return (0);
}

/* rescan, settle, reminder, mail-window, stall. */
static int
conf_parse_kw_duration(struct conf_parse_file *f, struct conf_parse_block *b,
    const struct conf_parse_kw *kw, int line)
{
	const char	*s;
	uint64_t	 v;

	if ((s = conf_parse_arg(f, kw->name, line)) == NULL)
		return (-1);
	if (conf_duration(s, &v) == -1)
		return (conf_parse_bad(f, kw->name, "invalid duration ", ""));
	if (v == 0 && !(kw->flags & CONF_PARSE_ZERO))
		return (conf_parse_bad(f, kw->name, "", " must not be zero"));
	*(uint64_t *)conf_parse_field(b, kw) = v;
	conf_parse_advance(f);
	return (0);
}

/* transport, framing, format: one of a fixed set of names. */
static int
conf_parse_kw_enum(struct conf_parse_file *f, struct conf_parse_block *b,
    const struct conf_parse_kw *kw, int line)
{
	struct conf_output	*o = b->obj;
	const char		*s, *want;
	int			 r;

	if ((s = conf_parse_arg(f, kw->name, line)) == NULL)
		return (-1);
	if (strcmp(kw->name, "transport") == 0) {
		r = conf_value_transport(s, &o->transport);
		want = "expected unix, udp, tcp or tls, got ";
	} else if (strcmp(kw->name, "framing") == 0) {
		r = conf_value_framing(s, &o->framing);
		want = "expected octet-counted or lf, got ";
	} else {
		r = conf_value_format(s, &o->format);
		want = "expected rfc5424, rfc3164, json or cef, got ";
	}
	if (r == -1)
		return (conf_parse_bad(f, kw->name, want, ""));
	conf_parse_advance(f);
	return (0);
}

/* shard N/M */
static int
conf_parse_kw_shard(struct conf_parse_file *f, struct conf_parse_block *b,
    const struct conf_parse_kw *kw, int line)
{
	struct conf	*conf = b->obj;
	const char	*s;
	int		 r;

	if ((s = conf_parse_arg(f, kw->name, line)) == NULL)
		return (-1);
	r = conf_value_shard(s, &conf->shard_index, &conf->shard_count);
	if (r == CONF_EINVAL)
		return (conf_parse_bad(f, kw->name, "expected N/M, got ", ""));
	if (r == CONF_ERANGE)
		return (conf_parse_bad(f, kw->name, "need N < M, got ", ""));
	conf_parse_advance(f);
	return (0);
}

/* metrics ADDRESS port NUM */
static int
conf_parse_kw_metrics(struct conf_parse_file *f, struct conf_parse_block *b,
    const struct conf_parse_kw *kw, int line)
{
	struct conf	*conf = b->obj;
	const char	*s;
	char		*address;
	uint64_t	 v;

	if ((s = conf_parse_string(f, kw->name, line)) == NULL)
		return (-1);
	address = xstrdup(s);
	conf_parse_advance(f);
	if (f->lex.type != CONF_TOK_WORD || strcmp(f->lex.text, "port") != 0) {
		if (f->lex.type == CONF_TOK_ERROR)
			f->errline = f->lex.tokline;
		else
			conf_parse_error(f, line, "metrics: expected \"port\"");
		free(address);
		return (-1);
	}
	line = f->lex.tokline;
	conf_parse_advance(f);
	if (conf_parse_number(f, "metrics port", line, 1, UINT16_MAX,
	    &v) == -1) {
		free(address);
		return (-1);
	}
	free(conf->metrics_address);
	conf->metrics_address = address;
	conf->metrics_port = (uint16_t)v;
	return (0);
}

/* The include path against the directory of the including file's name. */
static char *
conf_parse_resolve(const char *from, const char *path)
{
	const char	*slash;
	char		*out;

	if (path[0] == '/' || (slash = strrchr(from, '/')) == NULL)
		return (xstrdup(path));
	(void)xasprintf(&out, "%.*s/%s", (int)(slash - from), from, path);
	return (out);
}

/*
 * include FILE: read it through the caller's loader, into the same conf.
 * There is no cycle detection beyond the depth limit: a file that
 * includes itself simply goes too deep.  Once that happened, every later
 * include is skipped silently: a file including itself twice would
 * otherwise be read 2^16 times to report the same mistake.
 */
static int
conf_parse_kw_include(struct conf_parse_file *f, struct conf_parse_block *b,
    const struct conf_parse_kw *kw, int line)
{
	struct conf_parse_ctx	*ctx = f->ctx;
	const char		*s, *reason = NULL;
	char			*path, *buf = NULL;
	char			 q[CONF_PARSE_QUOTE];
	size_t			 len = 0;

	(void)b;
	if ((s = conf_parse_string(f, kw->name, line)) == NULL)
		return (-1);
	path = conf_parse_resolve(f->name, s);
	conf_parse_advance(f);
	if (ctx->include_stop) {
		/* Already reported: say nothing more. */
	} else if (f->depth >= CONF_MAX_INCLUDE_DEPTH) {
		conf_parse_error(f, line, "include nested too deeply");
		ctx->include_stop = 1;
	} else if (ctx->load(path, &buf, &len, &reason, ctx->arg) == -1) {
		conf_parse_error(f, line, "include %s: %s",
		    conf_value_quote(q, sizeof(q), path),
		    reason != NULL ? reason : "cannot load");
	} else {
		conf_parse_run(ctx, buf, buf != NULL ? len : 0, path,
		    f->depth + 1);
		free(buf);
	}
	free(path);
	return (0);
}

/*
 * The options of a complete output block against its transport.  Each
 * mistake is its own error, at the line of the output statement.
 */
static void
conf_parse_output_check(struct conf_parse_file *f, struct conf_output *o,
    uint32_t seen)
{
#define T(t)	(1U << (t))
	const unsigned	 net = T(CONF_TRANSPORT_UDP) | T(CONF_TRANSPORT_TCP) |
			    T(CONF_TRANSPORT_TLS);
	const struct {
		const char	*kw;
		int		 set;
		unsigned	 valid;
		const char	*to;
	} opt[] = {
		{ "address", o->address != NULL, net, "udp, tcp and tls" },
		{ "port", o->port != 0, net, "udp, tcp and tls" },
		{ "path", o->path != NULL, T(CONF_TRANSPORT_UNIX), "unix" },
		{ "framing", (seen & conf_parse_bit("framing")) != 0,
		    T(CONF_TRANSPORT_TCP) | T(CONF_TRANSPORT_TLS),
		    "tcp and tls" },
		{ "ca", o->ca != NULL, T(CONF_TRANSPORT_TLS), "tls" },
		{ "cert", o->cert != NULL, T(CONF_TRANSPORT_TLS), "tls" },
		{ "key", o->key != NULL, T(CONF_TRANSPORT_TLS), "tls" },
	};
	char		 q[CONF_PARSE_QUOTE];
	int		 l = o->decl_line;
	enum conf_transport t = o->transport;
	size_t		 i;

	conf_value_quote(q, sizeof(q), o->name);
	if (t == CONF_TRANSPORT_NONE && o->file == NULL)
		conf_parse_error(f, l, "output %s: needs a transport or a file",
		    q);
	if (t != CONF_TRANSPORT_NONE && o->file != NULL)
		conf_parse_error(f, l,
		    "output %s: has both a transport and a file", q);
	if ((T(t) & net) && o->address == NULL)
		conf_parse_error(f, l, "output %s: %s needs an address", q,
		    conf_transport_name(t));
	if (t == CONF_TRANSPORT_UNIX && o->path == NULL)
		conf_parse_error(f, l, "output %s: unix needs a path", q);
	for (i = 0; i < sizeof(opt) / sizeof(opt[0]); i++) {
		if (opt[i].set && !(T(t) & opt[i].valid))
			conf_parse_error(f, l, "output %s: %s only applies to "
			    "%s", q, opt[i].kw, opt[i].to);
	}
	if (t == CONF_TRANSPORT_TLS && (o->cert == NULL) != (o->key == NULL))
		conf_parse_error(f, l, "output %s: %s", q,
		    o->cert != NULL ? "cert without key" : "key without cert");
	/* A file output is JSON lines unless it says otherwise. */
	if (o->file != NULL && !(seen & conf_parse_bit("format")))
		o->format = CONF_FORMAT_JSON;
#undef T
}

/*
 * host NAME { … } and output NAME { … }.  The block is added to the conf
 * once its { is seen, even if its body has errors, so that the whole
 * configuration checks still see its name.
 */
static int
conf_parse_kw_block(struct conf_parse_file *f, struct conf_parse_block *b,
    const struct conf_parse_kw *kw, int line)
{
	struct conf_parse_block	 nb, *outer = f->block;
	struct conf_host	*h;
	struct conf_output	*o = NULL;
	const char		*s;
	char			*name;
	int			 closed;

	if ((s = conf_parse_string(f, kw->name, line)) == NULL)
		return (-1);
	name = xstrdup(s);
	conf_parse_advance(f);
	if (conf_parse_open(f, kw->name, line) == -1) {
		free(name);
		return (-1);
	}
	memset(&nb, 0, sizeof(nb));
	if (strcmp(kw->name, "host") == 0) {
		h = conf_host_new(name, f->name, line);
		TAILQ_INSERT_TAIL(&((struct conf *)b->obj)->hosts, h, entry);
		nb.where = CONF_PARSE_HOST;
		nb.obj = h;
	} else {
		o = conf_output_new(name, f->name, line);
		TAILQ_INSERT_TAIL(&((struct conf *)b->obj)->outputs, o, entry);
		nb.where = CONF_PARSE_OUTPUT;
		nb.obj = o;
	}
	free(name);
	f->block = &nb;
	closed = conf_parse_body(f, &nb) == 0;
	/* A block with errors is not checked further: one cause, one error. */
	if (o != NULL && closed && nb.errors == 0)
		conf_parse_output_check(f, o, nb.seen);
	f->block = outer;
	return (0);
}

#define CONF_PARSE_C(f)	offsetof(struct conf, f)
#define CONF_PARSE_H(f)	offsetof(struct conf_host, f)
#define CONF_PARSE_O(f)	offsetof(struct conf_output, f)

static const struct conf_parse_kw conf_parse_kws[] = {
	{ "state-dir", CONF_PARSE_TOP, 0, conf_parse_kw_str,
	    CONF_PARSE_C(state_dir), 0 },
	{ "spool", CONF_PARSE_TOP, CONF_PARSE_REPEAT, conf_parse_kw_list,
	    CONF_PARSE_C(spools), 0 },
	{ "maildir", CONF_PARSE_TOP, CONF_PARSE_REPEAT, conf_parse_kw_list,
	    CONF_PARSE_C(maildirs), 0 },
	{ "rescan", CONF_PARSE_TOP, 0, conf_parse_kw_duration,
	    CONF_PARSE_C(rescan), 0 },
	{ "settle", CONF_PARSE_TOP, CONF_PARSE_ZERO, conf_parse_kw_duration,
	    CONF_PARSE_C(settle), 0 },
	{ "reminder", CONF_PARSE_TOP, 0, conf_parse_kw_duration,
	    CONF_PARSE_C(reminder), 0 },
	{ "mail-window", CONF_PARSE_TOP, 0, conf_parse_kw_duration,
	    CONF_PARSE_C(mail_window), 0 },
	{ "stall", CONF_PARSE_TOP, 0, conf_parse_kw_duration,
	    CONF_PARSE_C(stall), 0 },
	{ "enterprise-number", CONF_PARSE_TOP, 0, conf_parse_kw_number,
	    CONF_PARSE_C(enterprise), UINT32_MAX },
	{ "shard", CONF_PARSE_TOP, 0, conf_parse_kw_shard, 0, 0 },
	{ "metrics", CONF_PARSE_TOP, 0, conf_parse_kw_metrics, 0, 0 },
	{ "include", CONF_PARSE_TOP, CONF_PARSE_REPEAT, conf_parse_kw_include,
	    0, 0 },
	{ "host", CONF_PARSE_TOP, CONF_PARSE_REPEAT, conf_parse_kw_block, 0,
	    0 },
	{ "output", CONF_PARSE_TOP, CONF_PARSE_REPEAT, conf_parse_kw_block, 0,
	    0 },

	{ "alias", CONF_PARSE_HOST, CONF_PARSE_REPEAT, conf_parse_kw_list,
	    CONF_PARSE_H(aliases), 0 },
	{ "tenant", CONF_PARSE_HOST, CONF_PARSE_REPEAT, conf_parse_kw_list,
	    CONF_PARSE_H(tenants), 0 },
	{ "connector-account", CONF_PARSE_HOST, 0, conf_parse_kw_str,
	    CONF_PARSE_H(connector_account), 0 },

	{ "transport", CONF_PARSE_OUTPUT, 0, conf_parse_kw_enum, 0, 0 },
	{ "address", CONF_PARSE_OUTPUT, 0, conf_parse_kw_str,
	    CONF_PARSE_O(address), 0 },
	{ "port", CONF_PARSE_OUTPUT, 0, conf_parse_kw_number,
	    CONF_PARSE_O(port), UINT16_MAX },
	{ "path", CONF_PARSE_OUTPUT, 0, conf_parse_kw_str,
	    CONF_PARSE_O(path), 0 },
	{ "framing", CONF_PARSE_OUTPUT, 0, conf_parse_kw_enum, 0, 0 },
	{ "format", CONF_PARSE_OUTPUT, 0, conf_parse_kw_enum, 0, 0 },
	{ "queue-max", CONF_PARSE_OUTPUT, 0, conf_parse_kw_number,
	    CONF_PARSE_O(queue_max), UINT64_MAX },
	{ "ca", CONF_PARSE_OUTPUT, 0, conf_parse_kw_str, CONF_PARSE_O(ca), 0 },
	{ "cert", CONF_PARSE_OUTPUT, 0, conf_parse_kw_str,
	    CONF_PARSE_O(cert), 0 },
	{ "key", CONF_PARSE_OUTPUT, 0, conf_parse_kw_str, CONF_PARSE_O(key),
	    0 },
	{ "file", CONF_PARSE_OUTPUT, 0, conf_parse_kw_str,
	    CONF_PARSE_O(file), 0 },
};
#define CONF_PARSE_NKWS	(sizeof(conf_parse_kws) / sizeof(conf_parse_kws[0]))
_Static_assert(CONF_PARSE_NKWS <= 32, "seen is a 32-bit mask");

/* The keyword called name, or NULL. */
static const struct conf_parse_kw *
conf_parse_kw_find(const char *name)
{
	size_t	 i;

	for (i = 0; i < CONF_PARSE_NKWS; i++) {
		if (strcmp(conf_parse_kws[i].name, name) == 0)
			return (&conf_parse_kws[i]);
	}
	return (NULL);
}

/* The bit that records keyword name as set in a block. */
static uint32_t
conf_parse_bit(const char *name)
{
	return ((uint32_t)1 << (conf_parse_kw_find(name) - conf_parse_kws));
}

/*
 * One statement, at a bare word; -1 when the caller must resynchronise.
 * A single-valued keyword counts as set only once it parsed, so a typo
 * followed by the corrected line is one error, not two.
 */
static int
conf_parse_statement(struct conf_parse_file *f, struct conf_parse_block *b)
{
	const struct conf_parse_kw	*kw;
	char				 q[CONF_PARSE_QUOTE];
	uint32_t			 bit;
	int				 line = f->lex.tokline;

	if ((kw = conf_parse_kw_find(f->lex.text)) == NULL) {
		conf_parse_error(f, line, "unknown keyword %s",
		    conf_value_quote(q, sizeof(q), f->lex.text));
		return (-1);
	}
	if (kw->where != b->where ||
	    (kw->fn == conf_parse_kw_include && f->ctx->load == NULL)) {
		conf_parse_error(f, line, "%s not allowed here", kw->name);
		return (-1);
	}
	bit = conf_parse_bit(kw->name);
	if (!(kw->flags & CONF_PARSE_REPEAT) && (b->seen & bit)) {
		conf_parse_error(f, line, "%s: already set", kw->name);
		return (-1);
	}
	conf_parse_advance(f);
	if (kw->fn(f, b, kw, line) == -1)
		return (-1);
	b->seen |= bit;
	return (0);
}

/*
 * The statements of a block up to its }, or of a file up to its end.
 * Returns 0, or -1 if a block hit the end of the file still open.
 */
static int
conf_parse_body(struct conf_parse_file *f, struct conf_parse_block *b)
{
	struct conf_host	*h = b->obj;
	struct conf_output	*o = b->obj;
	char			 q[CONF_PARSE_QUOTE];
	int			 line;

	for (;;) {
		line = f->errline = f->lex.tokline;
		switch (f->lex.type) {
		case CONF_TOK_EOF:
			if (b->where == CONF_PARSE_HOST)
				conf_parse_error(f, h->line,
				    "host %s: unterminated block",
				    conf_value_quote(q, sizeof(q), h->name));
			else if (b->where == CONF_PARSE_OUTPUT)
				conf_parse_error(f, o->decl_line,
				    "output %s: unterminated block",
				    conf_value_quote(q, sizeof(q), o->name));
			return (b->where == CONF_PARSE_TOP ? 0 : -1);
		case CONF_TOK_RBRACE:
			conf_parse_advance(f);
			if (b->where != CONF_PARSE_TOP)
				return (0);
			conf_parse_error(f, line, "unexpected \"}\"");
			conf_parse_resync(f);
			break;
		case CONF_TOK_SEMI:
			conf_parse_advance(f);
			break;
		case CONF_TOK_WORD:
			if (conf_parse_statement(f, b) == -1)
				conf_parse_resync(f);
			break;
		case CONF_TOK_STRING:
			conf_parse_error(f, line, "unexpected string %s",
			    conf_value_quote(q, sizeof(q), f->lex.text));
			conf_parse_resync(f);
			break;
		case CONF_TOK_LBRACE:
			conf_parse_error(f, line, "unexpected \"{\"");
			conf_parse_resync(f);
			break;
		case CONF_TOK_ERROR:
			conf_parse_resync(f);
			break;
		}
	}
}

/* Reads one file, the top one or an included one, into ctx->conf. */
static void
conf_parse_run(struct conf_parse_ctx *ctx, const char *buf, size_t len,
    const char *name, int depth)
{
	struct conf_parse_file	*f;

	/* On the heap: the lexer holds a token buffer per include level. */
	f = xcalloc(1, sizeof(*f));
	f->ctx = ctx;
	f->name = name;
	f->depth = depth;
	f->block = &ctx->top;
	conf_lex_init(&f->lex, buf, len);
	conf_parse_advance(f);
	(void)conf_parse_body(f, &ctx->top);
	free(f);
}

/* Parses a configuration without include support. */
int
conf_parse(const char *buf, size_t len, const char *name,
    struct conf **confp, struct conf_errors *errors)
{
	return (conf_parse_load(buf, len, name, NULL, NULL, confp, errors));
}

/* Parses a configuration, reading include files through load. */
int
conf_parse_load(const char *buf, size_t len, const char *name,
    conf_load_fn load, void *arg, struct conf **confp,
    struct conf_errors *errors)
{
	struct conf_parse_ctx	 ctx;

	memset(&ctx, 0, sizeof(ctx));
	ctx.conf = conf_new();
	ctx.errors = errors;
	ctx.load = load;
	ctx.arg = arg;
	ctx.top.where = CONF_PARSE_TOP;
	ctx.top.obj = ctx.conf;
	conf_parse_run(&ctx, buf, buf != NULL ? len : 0,
	    name != NULL ? name : "(config)", 0);
	ctx.nerrors += conf_check(ctx.conf, errors);
	if (ctx.nerrors == 0)
		*confp = ctx.conf;
	else
		conf_free(ctx.conf);
	return (ctx.nerrors);
}
