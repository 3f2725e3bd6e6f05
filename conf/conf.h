/*
 * conf.h: the configuration of syncorrd and syncorr as a plain struct, and
 * the pure parser that builds it from a buffer.  The grammar is OpenBSD
 * style: keywords, quoted strings, { } blocks, # comments and include.
 * Nothing here touches a file: include is resolved through a loader the
 * caller passes in, so the parser can be unit tested and fuzzed on buffers.
 */

#ifndef CONF_H
#define CONF_H

#include <sys/queue.h>

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#define CONF_DEFAULT_STATE_DIR	"/var/lib/syncorr"
#define CONF_DEFAULT_RESCAN	60		/* seconds */
#define CONF_DEFAULT_SETTLE	5
#define CONF_DEFAULT_REMINDER	(24 * 3600)
#define CONF_DEFAULT_MAIL_WINDOW (72 * 3600)
#define CONF_DEFAULT_STALL	(3 * 3600)
#define CONF_DEFAULT_QUEUE_MAX	100000
#define CONF_DEFAULT_ENTERPRISE	32473
#define CONF_MAX_INCLUDE_DEPTH	16
#define CONF_LEX_MAX		4096	/* longest token, in bytes */
/* Longest duration: now plus any duration still fits a time_t. */
#define CONF_DURATION_MAX	((uint64_t)UINT32_MAX)

/* Why a conf_value_* conversion failed. */
#define CONF_EINVAL		(-1)	/* not that kind of value */
#define CONF_ERANGE		(-2)	/* well formed, out of range */

enum conf_transport {
	CONF_TRANSPORT_NONE = 0,	/* a file output has no transport */
	CONF_TRANSPORT_UNIX,
	CONF_TRANSPORT_UDP,
	CONF_TRANSPORT_TCP,
	CONF_TRANSPORT_TLS
};

enum conf_framing {
	CONF_FRAMING_OCTET = 0,		/* RFC 6587 octet counting */
	CONF_FRAMING_LF
};

enum conf_format {
	CONF_FORMAT_RFC5424 = 0,
	CONF_FORMAT_RFC3164,
	CONF_FORMAT_JSON,
	CONF_FORMAT_CEF
};

/* A string list: spool roots, maildirs, aliases, tenants. */
struct conf_str {
	TAILQ_ENTRY(conf_str)	 entry;
	char			*value;
};
TAILQ_HEAD(conf_strs, conf_str);

/* host "NAME" { alias …; tenant …; connector-account … } */
struct conf_host {
	TAILQ_ENTRY(conf_host)	 entry;
	char			*name;
	struct conf_strs	 aliases;
	struct conf_strs	 tenants;
	char			*connector_account;	/* NULL: not set */
	char			*file;			/* where it was declared */
	int			 line;
};
TAILQ_HEAD(conf_hosts, conf_host);

/* output "NAME" { … }: a syslog destination or a JSON-lines file. */
struct conf_output {
	TAILQ_ENTRY(conf_output) entry;
	char			*name;
	enum conf_transport	 transport;
	char			*address;	/* udp, tcp, tls */
	uint16_t		 port;		/* 0: default of the transport */
	char			*path;		/* unix socket path */
	char			*file;		/* JSON-lines file output */
	enum conf_framing	 framing;
	enum conf_format	 format;
	uint64_t		 queue_max;
	char			*ca;		/* tls */
	char			*cert;
	char			*key;
	char			*decl_file;	/* where it was declared */
	int			 decl_line;
};
TAILQ_HEAD(conf_outputs, conf_output);

struct conf {
	char			*state_dir;
	struct conf_strs	 spools;
	struct conf_strs	 maildirs;
	uint64_t		 rescan;	/* all durations in seconds */
	uint64_t		 settle;
	uint64_t		 reminder;
	uint64_t		 mail_window;
	uint64_t		 stall;
	uint32_t		 enterprise;	/* SD-ID syncorr@<enterprise> */
	uint32_t		 shard_index;	/* shard N/M; M == 0: no sharding */
	uint32_t		 shard_count;
	char			*metrics_address; /* NULL: no metrics endpoint */
	uint16_t		 metrics_port;
	struct conf_hosts	 hosts;
	struct conf_outputs	 outputs;
};

/* Tokens of the configuration language. */
enum conf_tok {
	CONF_TOK_EOF = 0,
	CONF_TOK_WORD,			/* keyword, number, bare value */
	CONF_TOK_STRING,		/* "quoted", escapes resolved */
	CONF_TOK_LBRACE,
	CONF_TOK_RBRACE,
	CONF_TOK_SEMI,
	CONF_TOK_ERROR			/* a broken token; error says why */
};

/* The lexer over one buffer; type, tokline and text are the current token. */
struct conf_lex {
	const char		*buf;
	size_t			 len;
	size_t			 pos;
	int			 line;		/* line of buf[pos] */
	enum conf_tok		 type;
	int			 tokline;	/* line the token starts on */
	const char		*error;		/* CONF_TOK_ERROR: why */
	size_t			 textlen;
	char			 text[CONF_LEX_MAX + 1];
};

/* One error, already formatted as "FILE:LINE: message". */
struct conf_error {
	TAILQ_ENTRY(conf_error)	 entry;
	char			*msg;
};
TAILQ_HEAD(conf_errors, conf_error);

/*
 * Loads the file an include statement names.  path is already resolved
 * against the including file's directory.  On success it returns 0 and
 * sets *buf (malloc'd, the parser frees it) and *len; on failure it returns
 * -1 and sets *reason to a static string.
 */
typedef int (*conf_load_fn)(const char *path, char **buf, size_t *len,
    const char **reason, void *arg);

/* conf.c */
/* A configuration holding the defaults; free with conf_free. */
struct conf	*conf_new(void);
void		 conf_free(struct conf *);
void		 conf_errors_init(struct conf_errors *);
void		 conf_errors_free(struct conf_errors *);
/* The host block whose name or alias is name (case-insensitive), or NULL. */
struct conf_host *conf_host_find(const struct conf *, const char *name);
/*
 * Checks across the whole configuration: output names unique, host names
 * and aliases naming one host.  Appends errors; returns their number.
 */
int		 conf_check(const struct conf *, struct conf_errors *);
/* Appends "file:line: message" to errors. */
void		 conf_verror(struct conf_errors *, const char *file, int line,
		     const char *fmt, va_list ap)
		    __attribute__((__format__(__printf__, 4, 0)));
/* A new host block with no aliases; the caller inserts it in a conf. */
struct conf_host *conf_host_new(const char *name, const char *file, int line);
/* A new output with the default framing, format and queue-max. */
struct conf_output *conf_output_new(const char *name, const char *file,
		     int line);
/* Appends a copy of value to a string list. */
void		 conf_strs_add(struct conf_strs *, const char *value);

/* conf_lex.c */
/* Starts lexing buf (len bytes, not NUL terminated); skips a UTF-8 BOM. */
void		 conf_lex_init(struct conf_lex *, const char *buf, size_t len);
/* Reads the next token into the lexer and returns its type. */
enum conf_tok	 conf_lex_next(struct conf_lex *);

/* conf_parse.c */
/*
 * Parses buf (len bytes, not NUL terminated) named name into a new *confp.
 * Every error is appended to errors; returns their number.  *confp is set
 * only when there were none (the caller frees it).  include statements
 * are errors here: use conf_parse_load to allow them.
 */
int		 conf_parse(const char *buf, size_t len, const char *name,
		     struct conf **confp, struct conf_errors *errors);
/* As conf_parse, with load resolving include statements. */
int		 conf_parse_load(const char *buf, size_t len, const char *name,
		     conf_load_fn load, void *arg, struct conf **confp,
		     struct conf_errors *errors);

/* conf_value.c */
/*
 * "60s", "5m", "24h", "7d", "90" (seconds) → seconds; -1 on error,
 * including a value above CONF_DURATION_MAX.
 */
int		 conf_duration(const char *s, uint64_t *secs);
const char	*conf_transport_name(enum conf_transport);
const char	*conf_format_name(enum conf_format);
const char	*conf_framing_name(enum conf_framing);
/* Decimal digits → *out; CONF_EINVAL, or CONF_ERANGE when above max. */
int		 conf_value_number(const char *s, uint64_t max, uint64_t *out);
/* "N/M" with N < M; CONF_EINVAL or CONF_ERANGE. */
int		 conf_value_shard(const char *s, uint32_t *index,
		     uint32_t *count);
/* A transport, framing or format by its name; -1 if there is none. */
int		 conf_value_transport(const char *, enum conf_transport *);
int		 conf_value_framing(const char *, enum conf_framing *);
int		 conf_value_format(const char *, enum conf_format *);
/* Writes s to dst as a quoted, escaped, possibly shortened string. */
const char	*conf_value_quote(char *dst, size_t size, const char *s);

#endif /* CONF_H */
