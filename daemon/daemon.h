/*
 * daemon.h: the drivers around the libraries: logging, loading the
 * configuration from disk, reading input files (gzip included) into the
 * parsers, walking spool trees, and the replay and daemon front ends.
 * Everything that touches the world lives behind these prototypes.
 */

#ifndef DAEMON_H
#define DAEMON_H

#include <sys/types.h>
#include <sys/queue.h>
#include <sys/stat.h>

#include <netdb.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "conf.h"
#include "correlate.h"
#include "parsers.h"

/* log.c */
/* Logs to stderr when foreground, else to syslog with facility. */
void		 log_init(int foreground, int facility);
void		 log_setverbose(int);
void		 log_warn(const char *, ...)
		    __attribute__((__format__(__printf__, 1, 2)));
void		 log_warnx(const char *, ...)
		    __attribute__((__format__(__printf__, 1, 2)));
void		 log_info(const char *, ...)
		    __attribute__((__format__(__printf__, 1, 2)));
void		 log_debug(const char *, ...)
		    __attribute__((__format__(__printf__, 1, 2)));
_Noreturn void	 fatal(const char *, ...)
		    __attribute__((__format__(__printf__, 1, 2)));
_Noreturn void	 fatalx(const char *, ...)
		    __attribute__((__format__(__printf__, 1, 2)));
/* s with control and non-ASCII bytes escaped, into buf; returns buf. */
char		*log_escape(const char *s, char *buf, size_t bufsz);

/* arena.c */
/* Memory freed all at once (replay's records); allocations never fail. */
struct arena;
/* chunk: how much it maps at a time (ARENA_CHUNK: many objects). */
#define ARENA_CHUNK	(32UL << 20)
struct arena	*arena_new(size_t chunk);
/* size bytes aligned as malloc's, valid until arena_reset or arena_free. */
void		*arena_alloc(struct arena *, size_t size);
/* Everything allocated is gone; the first chunk is kept for reuse. */
void		 arena_reset(struct arena *);
void		 arena_free(struct arena *);

/* config.c */
/*
 * Reads and parses path (includes resolved from disk); prints every
 * error as "FILE:LINE: message" and returns their number.  *confp is set
 * when there were none.
 */
int		 config_load(const char *path, struct conf **confp);
#define CONFIG_MAXNAMES	64	/* aliases and tenants a host may have */
/* The correlator's times from conf (NULL: every default) into p. */
void		 config_correlate_params(const struct conf *,
		     struct correlate_params *p);
/* Tells the correlator the hosts conf declares. */
void		 config_hosts(struct correlate *, const struct conf *);

/* explain.c */
/* syncorr explain FILE…: the records each file yields; the exit status. */
int		 explain_main(int argc, char **argv);

/* input.c */
#define INPUT_CHUNK		(64 * 1024)	/* read(2) size: stays in L2 */
#define INPUT_GZIP_RATIO	250	/* inflated : compressed, at most */
#define INPUT_GZIP_FLOOR	(64ULL << 20) /* bytes always allowed */

enum input_status {
	INPUT_OK = 0,
	INPUT_UNKNOWN,		/* not a format syncorr reads: skipped */
	INPUT_REJECTED		/* unreadable or malformed */
};

struct input_result {
	enum input_status	 status;
	enum parser_format	 fmt;
	struct parser_stats	 stats;
	uint64_t		 offset;	/* where a rejection happened */
	int			 gzip;
	char			 reason[256];
};

/*
 * Reads path (gzip undone), tells its format, and pushes it through that
 * format's parser; records go to cb, items the parser rejects on its way
 * to ecb (may be NULL).  Returns the status also in res.
 */
enum input_status input_file(const char *path, rec_cb cb, rec_err_cb ecb,
		     void *arg, struct input_result *res);
/*
 * The same a chunk at a time, for a reader that takes turns among files.
 * open returns NULL when the file cannot be read (res says why: status
 * INPUT_UNKNOWN or INPUT_REJECTED).  step reads and parses one chunk:
 * 1 while there is more, 0 at a good end, -1 once rejected (res says
 * why).  close fills in res's stats.
 */
struct input_stream;
struct input_stream *input_stream_open(const char *path, rec_cb cb,
		     rec_err_cb ecb, void *arg, struct input_result *res);
int		 input_stream_step(struct input_stream *,
		     struct input_result *res);
void		 input_stream_close(struct input_stream *,
		     struct input_result *res);

/* A csexport dump's records stamped with the dump's time. */
void		 input_restamp(struct record **v, size_t n);

/*
 * What the command-line tools say of a file on stderr: each item a
 * parser rejected (the first INPUT_SAY_MAX, then only a count), and the
 * file's fate: "FILE: unknown: skipped: why" or "FILE: FORMAT[ (gzip)]
 * at offset N: why".
 */
#define INPUT_SAY_MAX	20
struct input_say {
	const char	*path;
	uint64_t	 items;		/* rejected items of the file */
};
void		 input_say_item(struct input_say *, uint64_t offset,
		     const char *reason);
void		 input_say_result(const struct input_say *,
		     const struct input_result *);

/* walk.c */
struct walk_file {
	char		*path;
	char		*host;		/* NULL: not known from the layout */
	int		 explicit;	/* named on the command line */
};

struct walk {
	struct walk_file	*files;
	size_t			 nfiles;
	size_t			 cap;
	int			 errors;	/* unreadable paths */
};

/*
 * Adds path to w: a file as itself (its host is its directory's name), a
 * directory as a spool root whose children are hosts.  Returns 0 or -1
 * (reported) when path cannot be read.
 */
int		 walk_add(struct walk *, const char *path);
/* Sorts the files by path, so that work is done in a stable order. */
void		 walk_sort(struct walk *);
void		 walk_free(struct walk *);

/* replay_db.c */
/*
 * syncorr replay --db FILE: the incidents and their transitions in an
 * SQLite file; the schema is in replay_db.c.
 */
struct replay_db;
/*
 * Opens (creates) path for writing; NULL with a one-line reason in err.
 * An existing file at path, its journal too, is replaced (the replay's
 * result stands alone); a path that is not a regular file is refused.
 */
struct replay_db *replay_db_open(const char *path, char *err, size_t errsz);
/* Records one transition at time now (ms). 0 or -1 (replay_db_error). */
int		 replay_db_put(struct replay_db *, const struct incident *,
		     enum incident_transition, int64_t now);
/* Drops every row put so far. 0 or -1 (replay_db_error). */
int		 replay_db_clear(struct replay_db *);
/* Why the last put or clear failed (owned by the replay_db). */
const char	*replay_db_error(const struct replay_db *);
/* Commits and closes; 0 or -1 (reason in err).  NULL is a no-op. */
int		 replay_db_close(struct replay_db *, char *err,
		     size_t errsz);

/* replay_merge.c */
/*
 * The records of a walk's files, in event-time order (then path order,
 * then order in the file), each to feed; the --since/--until window
 * (REC_TIME_NONE: open) applies.  A pass reads the files in turns when
 * whole is 0, and returns -1 should one turn out of order past what was
 * fed: run again with whole 1, which reads each file whole first.  Else
 * it returns how many files were rejected or had items rejected.
 */
typedef void	(*replay_merge_cb)(const struct record *, void *arg);
struct replay_merge;
struct replay_merge *replay_merge_new(const struct walk *, int64_t since,
		     int64_t until);
int		 replay_merge_run(struct replay_merge *, int whole,
		     replay_merge_cb, void *arg);
void		 replay_merge_free(struct replay_merge *);

/* replay.c */
/* syncorr replay [options] PATH…: the exit status. */
int		 replay_main(int argc, char **argv);

/* tail.c */
#define TAIL_DIGESTLEN	32		/* hex digits of a file digest */
#define TAIL_SPAN	1024		/* bytes a head or tail digest covers */
#define TAIL_HEADMAX	(64 * 1024)	/* longest CSV header kept */

/* How a file stands against what was known of it. */
enum tail_verdict {
	TAIL_NEW = 0,		/* never seen */
	TAIL_SAME,		/* the same file, perhaps grown */
	TAIL_TRUNCATED,		/* cut short or rewritten in place */
	TAIL_REPLACED		/* another inode under the name */
};
struct store_file;
/* Whether files of format fmt are appended to (and tailed). */
int		 tail_appended(enum parser_format);
/* The hex digest of buf into out (TAIL_DIGESTLEN + 1 bytes). */
void		 tail_digest(const void *buf, size_t len, char *out);
/* The digest of len bytes of fd at off into out; 0 or -1 (short). */
int		 tail_digest_at(int fd, uint64_t off, size_t len, char *out);
/* How to go on with fd against known (NULL: new); *from: where. */
enum tail_verdict tail_decide(int fd, const struct stat *,
		     const struct store_file *known, uint64_t *from);
/* Records in f where a visit left fd: offset, digests, identity. */
void		 tail_mark(int fd, const struct stat *, uint64_t offset,
		     struct store_file *f);
/* How much of appended bytes buf is whole items of format fmt. */
size_t		 tail_cut(enum parser_format, const char *buf, size_t len);
/* A CSV file's header lines, length in *len (caller frees). */
char		*tail_csv_header(int fd, size_t *len);

/* store.c */
/* What the daemon keeps of one input file. */
struct store_file {
	uint64_t	 dev;
	uint64_t	 ino;
	char		*head;		/* digest of the first bytes */
	uint64_t	 offset;	/* read up to here */
	char		*tail;		/* digest of the bytes before offset */
	uint64_t	 size;
	int		 done;		/* a whole document, processed */
	char		*format;
};
struct store;
/* Opens (creates) the database in dir; NULL with a reason in err. */
struct store	*store_open(const char *dir, char *err, size_t errsz);
void		 store_close(struct store *);
/* Why the last call failed (one line). */
const char	*store_error(const struct store *);
int		 store_begin(struct store *);
int		 store_commit(struct store *);
/* What is known of path into f; 1 found, 0 not, -1 error. */
int		 store_file_get(struct store *, const char *path,
		     struct store_file *);
void		 store_file_free(struct store_file *);
int		 store_file_put(struct store *, const char *path,
		     const struct store_file *, int64_t now);
int		 store_file_del(struct store *, const char *path);
/* Another path known with (dev, ino) into *other; 1, 0 or -1. */
int		 store_file_byino(struct store *, uint64_t dev, uint64_t ino,
		     const char *path, char **other);
/* Keeps a correlator document; a NULL doc deletes it. */
int		 store_state_put(struct store *, int kind, const char *key,
		     const char *doc);
/* Each document of kind to cb; the number cb refused, or -1. */
int		 store_state_each(struct store *, int kind,
		     int (*cb)(const char *doc, void *), void *arg);
uint64_t	 store_outbox_last(struct store *, const char *output);
int		 store_outbox_add(struct store *, const char *output,
		     uint64_t seq, int64_t now, const char *msg, size_t len);
/* Up to max messages after seq, in order, to cb; how many, or -1. */
int		 store_outbox_next(struct store *, const char *output,
		     uint64_t after, int max,
		     void (*cb)(uint64_t, const char *, size_t, void *),
		     void *arg);
int		 store_outbox_ack(struct store *, const char *output,
		     uint64_t seq);
uint64_t	 store_outbox_depth(struct store *, const char *output);
int		 store_outbox_drop(struct store *, const char *output,
		     uint64_t n);
int		 store_counter_put(struct store *, const char *name,
		     uint64_t value);
uint64_t	 store_counter_get(struct store *, const char *name);
int		 store_counter_each(struct store *,
		     void (*cb)(const char *, uint64_t, void *), void *arg);

/* sink.c */
#define SINK_MAXBACKLOG	(256 * 1024)	/* bytes taken, not yet acknowledged */

struct event_base;
struct sink;

/* What a sink did since sink_new; messages unless said otherwise. */
struct sink_stats {
	uint64_t	 sent;		/* written to the transport */
	uint64_t	 acked;		/* delivered: the caller forgets them */
	uint64_t	 bytes;		/* bytes written, framing included */
	uint64_t	 connects;	/* connections made, files opened */
	uint64_t	 connect_failures;
	uint64_t	 send_failures;	/* failed writes, sends and syncs */
	uint64_t	 given_up;	/* taken, then forgotten when down */
	uint64_t	 truncated;	/* datagrams cut to fit the socket */
};

/*
 * Messages up to and including seq are delivered: unix and udp once sent,
 * tcp once the receiver's TCP has acknowledged their bytes, tls once
 * everything written is acknowledged, a file once written and synced.
 */
typedef void	(*sink_ack_cb)(uint64_t seq, void *arg);
/*
 * The sink came up, or went down or failed an attempt, with a one-line
 * reason ("127.0.0.1:6514: TLS verify failed: …", "…: peer closed").
 * Callbacks may call sink_send, never sink_free.
 */
typedef void	(*sink_state_cb)(int up, const char *why, void *arg);

/* A sink for o, connecting from the next loop turn; NULL + err if unusable. */
struct sink	*sink_new(struct event_base *, const struct conf_output *o,
		     sink_ack_cb, sink_state_cb, void *arg, char *err,
		     size_t errsz);
/*
 * Takes one message (no framing, no trailing newline) with its seq,
 * strictly increasing: 0, or -1 when down or more than SINK_MAXBACKLOG
 * bytes wait for acknowledgement (retry after the next callback).
 */
int		 sink_send(struct sink *, uint64_t seq, const char *msg,
		     size_t len);
/* Whether sink_send would take a message now. */
int		 sink_ready(const struct sink *);
/* The counters (owned by the sink). */
const struct sink_stats *sink_stats(const struct sink *);
/* Closes; messages not acknowledged are forgotten.  NULL is a no-op. */
void		 sink_free(struct sink *);

/*
 * What a sink keeps, for sink.c, sink_connect.c and sink_dgram.c only.
 * sink.c owns the state (down, connecting, up), the messages taken and
 * their acknowledgement; sink_connect.c makes the attempts and the stream
 * connections, sink_dgram.c sends the datagrams and writes the file.
 */
#define SINK_WHY	2048	/* longest reason told the caller */

struct event;
struct ssl_ctx_st;

enum sink_state {
	SINK_DOWN = 0,		/* waiting for the next attempt */
	SINK_CONNECTING,	/* resolving, connecting, TLS handshake */
	SINK_UP
};

/* A message taken and not yet acknowledged. */
struct sink_msg {
	TAILQ_ENTRY(sink_msg)	 entry;
	uint64_t		 seq;
	uint64_t		 end;	/* offset after its bytes; UINT64_MAX:
					   a datagram not sent yet */
	size_t			 size;	/* its share of the backlog */
	size_t			 len;	/* datagram: bytes in data */
	char			 data[];
};
TAILQ_HEAD(sink_msgs, sink_msg);

struct sink {
	struct event_base	*base;
	enum conf_transport	 transport;	/* NONE: the file output */
	enum conf_framing	 framing;
	char			*host;		/* udp, tcp, tls */
	char			 port[8];
	int			 numeric;	/* host is an IP address */
	char			*path;		/* unix socket or file */
	struct ssl_ctx_st	*ctx;		/* tls: an SSL_CTX */
	struct evdns_base	*dns;		/* host names only */
	sink_ack_cb		 ackcb;
	sink_state_cb		 statecb;
	void			*arg;

	enum sink_state		 state;
	int			 backoff;	/* seconds; 0: at once */
	int			 poll;		/* ms to the next ack poll */
	int			 resolving;	/* an attempt awaits evdns */
	int			 nreq;		/* evdns answers still due */
	int			 dead;		/* freed, waiting for nreq */
	struct addrinfo		*ai;		/* libevent's evutil_addrinfo */
	struct addrinfo		*cur;		/* the address tried */
	char			 peer[NI_MAXHOST + 16];

	int			 fd;		/* connecting, dgram, file */
	struct bufferevent	*bev;		/* tcp, tls */
	struct event		*io;		/* fd writable */
	struct event		*timer;		/* retry, timeout, stable */
	struct event		*tick;		/* ack poll, file flush */
	struct evbuffer		*out;		/* file: lines to write */

	struct sink_msgs	 msgs;
	struct sink_msg		*unsent;	/* dgram: first not sent */
	uint64_t		 written;	/* bytes on this connection */
	uint64_t		 backlog;	/* bytes not acknowledged */
	size_t			 dgram_max;	/* 0: no cut learnt yet */
	struct sink_stats	 stats;
};

/* sink.c */
/* Arms timer ev to fire in ms milliseconds. */
void		 sink_timer_add(struct event *ev, int ms);
/* Forgets the messages delivered up to offset bytes; whether any were. */
int		 sink_acked(struct sink *, uint64_t bytes);
/* Closes, retries after a backoff, and tells the caller why. */
void		 sink_down(struct sink *, const char *, ...)
		    __attribute__((__format__(__printf__, 2, 3)));
/* The connection (or file) is usable: tell the caller. */
void		 sink_up(struct sink *, const char *what);
/* A stream's acknowledgements, polled with backoff while some are due. */
void		 sink_stream_poll(struct sink *);

/* sink_connect.c */
/* One attempt: open the file, connect the socket, or resolve first. */
void		 sink_connect_attempt(struct sink *);
/* The TLS client context of output o; NULL with the reason in err. */
struct ssl_ctx_st *sink_connect_tls_ctx(const struct conf_output *o,
		     char *err, size_t errsz);

/* sink_dgram.c */
/* A connected datagram socket is up at once. */
void		 sink_dgram_start(struct sink *);
/* Connects a datagram socket to the unix path. */
void		 sink_dgram_unix_open(struct sink *);
/* Opens the file output for appending. */
void		 sink_dgram_file_open(struct sink *);
/* Writes and syncs the queued lines: only then are they delivered. */
void		 sink_dgram_file_flush(struct sink *);

/* outbox.c */
struct outbox_stats {
	uint64_t	 queued;
	uint64_t	 sent;
	uint64_t	 delivered;
	uint64_t	 dropped;	/* the queue was full */
	uint64_t	 send_failures;	/* sends refused, connections lost */
	uint64_t	 disconnects;
};

/* One output: its durable queue and its delivery, one at a time. */
struct outbox {
	struct store		*store;
	char			*name;
	enum conf_format	 format;
	int			 file;		/* a JSON-lines file output */
	uint64_t		 max;		/* messages kept, at most */
	uint64_t		 next;		/* seq of the next message */
	uint64_t		 acked;		/* delivered up to here */
	uint64_t		 inflight;	/* sent, not delivered; 0: none */
	uint64_t		 depth;		/* messages queued */
	struct sink		*sink;
	struct outbox_stats	 stats;
};
struct outbox	*outbox_new(struct store *, const struct conf_output *);
/* Queues msg inside the caller's transaction; 0 or -1 (store). */
int		 outbox_add(struct outbox *, int64_t now, const char *msg);
/* Starts delivery of the output o on base; 0 or -1 (said). */
int		 outbox_start(struct outbox *, struct event_base *,
		     const struct conf_output *o);
/* Sends the next message if none is in flight. */
void		 outbox_pump(struct outbox *);
/* Keeps the output's counters in the caller's transaction; 0 or -1. */
int		 outbox_save(struct outbox *);
void		 outbox_free(struct outbox *);

/* watch.c */
struct watch;
/* A file to visit; complete: its writer is done with it. */
typedef void	(*watch_cb)(const char *path, const char *host, int complete,
		    void *arg);
struct watch	*watch_new(struct event_base *, const struct conf *,
		     watch_cb, void *arg);
/* Visits every file of every root, and watches new directories. */
void		 watch_scan(struct watch *);
void		 watch_free(struct watch *);

/* metrics.c */
struct engine;
struct metrics;
/* /metrics on address:port, the engine of the moment from engine(arg). */
struct metrics	*metrics_new(struct event_base *, const char *address,
		     uint16_t port, struct engine *(*engine)(void *),
		     void *arg);
void		 metrics_free(struct metrics *);

/* status.c */
/* syncorr status [-f config]: the exit status. */
int		 status_main(int argc, char **argv);

/* notify.c */
/* Tells systemd state ("READY=1", …); -1 when not run by it. */
int		 notify_send(const char *state);
/* Half the watchdog interval systemd set, in µs; 0: none. */
uint64_t	 notify_watchdog_usec(void);

/* engine.c */
#define REC_KINDS	(REC_CLOUD_ERROR + 1)

struct engine_stats {
	uint64_t	 visits;
	uint64_t	 documents;	/* whole documents read */
	uint64_t	 appends;	/* steps of appended bytes */
	uint64_t	 renames;	/* files followed to a new name */
	uint64_t	 truncations;	/* copytruncate: bytes may be lost */
	uint64_t	 files_rejected;
	uint64_t	 files_unknown;
	uint64_t	 item_errors;	/* events, lines, objects rejected */
	uint64_t	 records[REC_KINDS];	/* by enum rec_kind */
	uint64_t	 transitions[3];
};

/* A document seen growing: visited again once quiet for settle. */
struct engine_pending {
	char				*path;
	char				*host;
	off_t				 size;
	struct timespec			 mtime;
	int64_t				 since;
	TAILQ_ENTRY(engine_pending)	 entry;
};

struct engine {
	struct event_base	*base;
	struct conf		*conf;
	struct store		*store;
	struct correlate	*corr;
	struct outbox		**outs;
	size_t			 nouts;
	TAILQ_HEAD(, engine_pending) pending;
	struct event		*settle_ev;
	struct event		*tick_ev;
	struct engine_stats	 stats;

	/* The step under way. */
	int			 intxn;
	enum state_kind		 loading;
	const char		*path;		/* the file being read */
	const char		*host;
	uint64_t		 off;		/* where its bytes start */
	uint64_t		 said;		/* item errors said of it */
	int64_t			 now;
	struct record		**recs;		/* a document's records */
	size_t			 nrecs;
};

/* Wall-clock time, in milliseconds. */
int64_t		 engine_now(void);
struct engine	*engine_new(struct event_base *, struct conf *);
/* Visits a file (watch_cb). */
void		 engine_visit(struct engine *, const char *path,
		     const char *host, int complete);
/* Ends the step: state saved, counters, committed; delivery starts. */
void		 engine_commit(struct engine *);
/* state_save_cb: one correlator document into the step. */
void		 engine_state_cb(enum state_kind, const char *key,
		     const char *doc, void *arg);
/* The counters into the step, for syncorr status. */
void		 engine_counters_save(struct engine *);
void		 engine_free(struct engine *);

#endif /* DAEMON_H */
