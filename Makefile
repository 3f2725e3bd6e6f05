# syncorr: plain GNU make.  Each library directory builds its own static
# archive and the link lines say who may use what: parser tests link
# without libevent, so a parser that reaches for the event loop does not
# build.  O= picks the build directory (asan and fuzz builds use their own).

PREFIX	?= /usr/local
BINDIR	?= $(PREFIX)/bin
SBINDIR	?= $(PREFIX)/sbin
MANDIR	?= $(PREFIX)/share/man
SYSCONFDIR ?= /etc
UNITDIR	?= /lib/systemd/system
DESTDIR	?=

O	?= build
CC	?= cc
PKG_CONFIG ?= pkg-config

WARN	= -Wall -Wextra -Wformat=2 -Wshadow -Wstrict-prototypes \
	  -Wmissing-prototypes -Wpointer-arith -Wcast-qual -Wundef
ifeq ($(CI),true)
WERROR	?= 1
endif
ifeq ($(WERROR),1)
WARN	+= -Werror
endif

OPT	?= -O2 -g
SAN	?=
CFLAGS	?=
LDFLAGS	?=
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE $(OPT) $(WARN) $(SAN) $(CFLAGS) \
	  -Iconf -Iparsers -Icorrelate -Idaemon
ALL_LDFLAGS = $(SAN) $(LDFLAGS)

pc_cflags = $(shell $(PKG_CONFIG) --cflags $(1) 2>/dev/null)
pc_libs = $(shell $(PKG_CONFIG) --libs $(1) 2>/dev/null)

XML_CFLAGS	:= $(call pc_cflags,libxml-2.0)
XML_LIBS	:= $(call pc_libs,libxml-2.0)
JSON_CFLAGS	:= $(call pc_cflags,json-c)
JSON_LIBS	:= $(call pc_libs,json-c)
CRYPTO_LIBS	:= $(call pc_libs,libcrypto)
# libevent with its OpenSSL bufferevents (daemon/sink.c).
EVENT_LIBS	:= $(call pc_libs,libevent libevent_openssl openssl)
Z_LIBS		:= $(call pc_libs,zlib)
CMOCKA_LIBS	:= $(call pc_libs,cmocka)
GMIME_CFLAGS	:= $(call pc_cflags,gmime-3.0)
GMIME_LIBS	:= $(call pc_libs,gmime-3.0)
EVTX_LIBS	:= $(call pc_libs,libevtx libbfio)
SQLITE_CFLAGS	:= $(call pc_cflags,sqlite3)
SQLITE_LIBS	:= $(call pc_libs,sqlite3)
# Everything libparsers.a needs at link time.
PARSER_LIBS	= $(XML_LIBS) $(Z_LIBS) $(JSON_LIBS) $(GMIME_LIBS) $(EVTX_LIBS)

# --- sources, one archive per directory ----------------------------------

CONF_SRCS	= conf/conf.c conf/conf_lex.c conf/conf_parse.c conf/conf_value.c
PARSERS_SRCS	= parsers/cloud.c parsers/csexport.c parsers/csexport_name.c \
		  parsers/dn.c parsers/email.c parsers/email_alert.c \
		  parsers/email_html.c parsers/email_report.c \
		  parsers/evbeat.c parsers/evcsv.c parsers/evpsjson.c \
		  parsers/evt.c parsers/evtx.c parsers/evxml.c \
		  parsers/evxml_frame.c \
		  parsers/parser.c parsers/pbuf.c parsers/pconflict.c \
		  parsers/pdoc.c \
		  parsers/pcsv.c \
		  parsers/pjson.c parsers/pjson_scan.c parsers/pjson_split.c \
		  parsers/ptime.c parsers/putf.c \
		  parsers/pvalue.c parsers/pxml.c parsers/record.c \
		  parsers/record_json.c parsers/records.c parsers/runhist.c \
		  parsers/runhist_step.c \
		  parsers/runprofile.c parsers/sniff.c
CORRELATE_SRCS	= correlate/correlate.c correlate/host.c correlate/incident.c \
		  correlate/incident_json.c correlate/incident_syslog.c \
		  correlate/cycle.c correlate/evidence.c \
		  correlate/incident_text.c correlate/mail.c correlate/rules.c \
		  correlate/remedy.c correlate/remedy_aad.c \
		  correlate/remedy_ad.c correlate/state.c correlate/table.c
XMALLOC_SRCS	= daemon/xmalloc.c daemon/fmt.c
DAEMON_SRCS	= daemon/arena.c daemon/log.c daemon/config.c daemon/config_correlate.c \
		  daemon/explain.c daemon/input.c \
		  daemon/replay.c daemon/replay_db.c daemon/replay_merge.c \
		  daemon/sink.c \
		  daemon/sink_connect.c daemon/sink_dgram.c \
		  daemon/store.c daemon/tail.c daemon/walk.c \
		  daemon/engine.c daemon/metrics.c daemon/notify.c \
		  daemon/outbox.c daemon/status.c daemon/watch.c

LIBCONF		= $(O)/libconf.a
LIBPARSERS	= $(O)/libparsers.a
LIBCORRELATE	= $(O)/libcorrelate.a
LIBXMALLOC	= $(O)/libxmalloc.a
LIBDAEMON	= $(O)/libdaemon.a

objs = $(patsubst %.c,$(O)/%.o,$(1))

SYNCORRD	= $(O)/syncorrd
SYNCORR		= $(O)/syncorr

# One cmocka program per parser (test_<name>.c) links like test_csexport.
PARSER_TESTS	= csexport evxml evtx evbeat evpsjson evcsv evt runhist \
		  runprofile email cloud pjson pjson_scan psplit pcsv records
UNIT_TESTS	= $(O)/tests/test_conf $(O)/tests/test_golden $(O)/tests/test_fmt \
		  $(patsubst %,$(O)/tests/test_%,$(PARSER_TESTS)) \
		  $(O)/tests/test_correlate $(O)/tests/test_correlate_cycle \
		  $(O)/tests/test_correlate_mail \
		  $(O)/tests/test_state \
		  $(O)/tests/test_syslog $(O)/tests/test_syslog_inject \
		  $(O)/tests/test_record \
		  $(O)/tests/test_input $(O)/tests/test_replay_db \
		  $(O)/tests/test_replay_merge
TEST_UTIL	= $(O)/tests/unit/test_util.o
TEST_PARSE	= $(O)/tests/unit/test_parse.o
TEST_CORRELATE	= $(O)/tests/unit/test_correlate_util.o
TEST_SYSLOG	= $(O)/tests/unit/test_syslog_util.o
# A libFuzzer target per parser, all from tests/fuzz/fuzz_parser.c.
FUZZ_PARSERS	= csexport event-xml event-beat event-psjson event-csv \
		  event-evtx runhist runprofile-json runprofile-csv email \
		  cloud-json cloud-csv records
FUZZ_TARGETS	= conf $(FUZZ_PARSERS)
FUZZ_REPLAY	= $(patsubst %,$(O)/tests/replay_%,$(FUZZ_TARGETS))

# Objects made through pattern rules (the fuzz drivers) are kept, not
# deleted as intermediates and rebuilt on every run; make's built-in
# suffix rules are off (they would try to link the .d files).
.SECONDARY:
.SUFFIXES:

.PHONY: all check unit regress fuzz-replay man-lint asan fuzz bench demo \
	install deps clean

all: $(SYNCORRD) $(SYNCORR)

$(O)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(XML_CFLAGS) $(JSON_CFLAGS) $(GMIME_CFLAGS) \
	    $(SQLITE_CFLAGS) -MMD -MP -c -o $@ $<

# The fuzz driver, once per parser format.
$(O)/tests/fuzz/fuzz_%.o: tests/fuzz/fuzz_parser.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -DFUZZ_FORMAT='"$*"' -MMD -MP -c -o $@ $<
$(O)/tests/fuzz/fuzz_conf.o: tests/fuzz/fuzz_conf.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

$(LIBCONF): $(call objs,$(CONF_SRCS))
$(LIBPARSERS): $(call objs,$(PARSERS_SRCS))
$(LIBCORRELATE): $(call objs,$(CORRELATE_SRCS))
$(LIBXMALLOC): $(call objs,$(XMALLOC_SRCS))
$(LIBDAEMON): $(call objs,$(DAEMON_SRCS))
$(O)/lib%.a:
	@mkdir -p $(dir $@)
	rm -f $@
	$(AR) rcs $@ $^

# The daemon and the command-line tool: the only links with libevent.
$(SYNCORRD): $(O)/daemon/syncorrd.o $(LIBDAEMON) $(LIBCORRELATE) \
	    $(LIBPARSERS) $(LIBCONF) $(LIBXMALLOC)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(EVENT_LIBS) $(CRYPTO_LIBS) \
	    $(PARSER_LIBS) $(SQLITE_LIBS)

$(SYNCORR): $(O)/daemon/syncorr.o $(LIBDAEMON) $(LIBCORRELATE) \
	    $(LIBPARSERS) $(LIBCONF) $(LIBXMALLOC)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(CRYPTO_LIBS) $(PARSER_LIBS) \
	    $(SQLITE_LIBS)

# --- unit tests: each links only the archives of its module --------------

# The formatting under xasprintf: xmalloc's archive alone.
$(O)/tests/test_fmt: $(O)/tests/unit/test_fmt.o $(LIBXMALLOC)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(CMOCKA_LIBS)

$(O)/tests/test_conf: $(O)/tests/unit/test_conf.o \
	    $(O)/tests/unit/test_conf_cases.o $(TEST_UTIL) $(LIBCONF) \
	    $(LIBXMALLOC)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(CMOCKA_LIBS)

# No libevent, no daemon/: a layering slip in parsers/ fails these links.
$(O)/tests/test_%: $(O)/tests/unit/test_%.o $(TEST_PARSE) $(TEST_UTIL) \
	    $(LIBPARSERS)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(CMOCKA_LIBS) $(PARSER_LIBS)

# The correlator's tests, programs sharing their record builders.
$(O)/tests/test_correlate: $(O)/tests/unit/test_correlate.o \
	    $(TEST_CORRELATE) $(LIBCORRELATE) $(LIBPARSERS) $(LIBXMALLOC)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(CMOCKA_LIBS) $(CRYPTO_LIBS) \
	    $(PARSER_LIBS)

$(O)/tests/test_state: $(O)/tests/unit/test_state.o \
	    $(TEST_CORRELATE) $(LIBCORRELATE) $(LIBPARSERS) $(LIBXMALLOC)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(CMOCKA_LIBS) $(CRYPTO_LIBS) \
	    $(PARSER_LIBS)

$(O)/tests/test_correlate_mail: $(O)/tests/unit/test_correlate_mail.o \
	    $(TEST_CORRELATE) $(LIBCORRELATE) $(LIBPARSERS) $(LIBXMALLOC)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(CMOCKA_LIBS) $(CRYPTO_LIBS) \
	    $(PARSER_LIBS)

$(O)/tests/test_correlate_cycle: $(O)/tests/unit/test_correlate_cycle.o \
	    $(TEST_CORRELATE) $(LIBCORRELATE) $(LIBPARSERS) $(LIBXMALLOC)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(CMOCKA_LIBS) $(CRYPTO_LIBS) \
	    $(PARSER_LIBS)

# The syslog tests, two programs sharing the incident and the parser.
$(O)/tests/test_syslog: $(O)/tests/unit/test_syslog.o $(TEST_SYSLOG) \
	    $(LIBCORRELATE) $(LIBPARSERS) $(LIBXMALLOC)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(CMOCKA_LIBS) $(CRYPTO_LIBS) \
	    $(PARSER_LIBS)

$(O)/tests/test_syslog_inject: $(O)/tests/unit/test_syslog_inject.o \
	    $(TEST_SYSLOG) $(LIBCORRELATE) $(LIBPARSERS) $(LIBXMALLOC)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(CMOCKA_LIBS) $(CRYPTO_LIBS) \
	    $(PARSER_LIBS)

# daemon/input.c reads files and undoes gzip: no libevent either.
$(O)/tests/test_input: $(O)/tests/unit/test_input.o $(TEST_UTIL) $(LIBDAEMON) \
	    $(LIBPARSERS) $(LIBXMALLOC)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(CMOCKA_LIBS) $(PARSER_LIBS) \
	    $(SQLITE_LIBS)

# replay's merge of files: input.c, gzip and all.
$(O)/tests/test_replay_merge: $(O)/tests/unit/test_replay_merge.o \
	    $(TEST_UTIL) $(LIBDAEMON) $(LIBPARSERS) $(LIBXMALLOC)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(CMOCKA_LIBS) $(PARSER_LIBS) \
	    $(SQLITE_LIBS)

# The replay database: SQLite, and the correlator's incidents to put in it.
$(O)/tests/test_replay_db: $(O)/tests/unit/test_replay_db.o $(TEST_UTIL) \
	    $(LIBDAEMON) $(LIBCORRELATE) $(LIBPARSERS) $(LIBXMALLOC)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(CMOCKA_LIBS) $(CRYPTO_LIBS) \
	    $(PARSER_LIBS) $(SQLITE_LIBS)

# Fuzz targets built with a plain driver that replays the committed seeds
# and crash reproducers; make fuzz builds the same targets with libFuzzer.
$(O)/tests/replay_conf: $(O)/tests/fuzz/fuzz_conf.o \
	    $(O)/tests/fuzz/replay_main.o $(LIBCONF) $(LIBXMALLOC)
	$(CC) $(ALL_LDFLAGS) -o $@ $^
$(O)/tests/replay_%: $(O)/tests/fuzz/fuzz_%.o \
	    $(O)/tests/fuzz/replay_main.o $(LIBPARSERS)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PARSER_LIBS)

# The sink driver of the regress scripts (tests/tools/sinksend.c).
$(O)/tests/sinksend: $(O)/tests/tools/sinksend.o $(LIBDAEMON) $(LIBCONF) \
	    $(LIBXMALLOC)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(EVENT_LIBS)

# --- checks ---------------------------------------------------------------

check: deps
	$(MAKE) unit fuzz-replay regress man-lint

unit: $(UNIT_TESTS)
	@set -e; for t in $(UNIT_TESTS); do \
	    echo "== $$t"; (cd tests && ../$$t); done

# Leaks inside libevtx itself are not ours to fix (see the file).
export LSAN_OPTIONS = suppressions=$(CURDIR)/tests/fuzz/lsan.supp

fuzz-replay: $(FUZZ_REPLAY)
	@set -e; for t in $(FUZZ_TARGETS); do \
	    echo "== replay $$t"; \
	    $(O)/tests/replay_$$t tests/fuzz/corpus/$$t tests/fuzz/crashes/$$t; \
	done

regress: all $(O)/tests/sinksend
	@O=$(O) sh tests/regress/run.sh

# The manual pages: any mandoc warning fails the check.
MANPAGES	= man/syncorr.1 man/syncorr.conf.5 man/syncorrd.8
man-lint:
	mandoc -T lint -W warning $(MANPAGES)

# Sanitizers in their own build directory, then the same checks.  clang
# when there is one: its UBSan checks pointer arithmetic that gcc's skips.
ASAN_CC	?= $(shell command -v clang >/dev/null 2>&1 && echo clang || echo $(CC))
asan:
	$(MAKE) O=build-asan CC=$(ASAN_CC) OPT="-O1 -g -fno-omit-frame-pointer" \
	    SAN="-fsanitize=address,undefined -fno-sanitize-recover=all" \
	    unit fuzz-replay regress

FUZZ_CC		?= clang
FUZZ_SAN	= -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_SECONDS	?= 60
# FUZZ_ONLY="event-xml email" fuzzes just those targets.
FUZZ_ONLY	?= $(FUZZ_TARGETS)
fuzz: deps
	$(MAKE) O=build-fuzz CC=$(FUZZ_CC) OPT="-O1 -g" \
	    SAN="$(FUZZ_SAN) -fsanitize=fuzzer-no-link" \
	    build-fuzz/libconf.a build-fuzz/libparsers.a build-fuzz/libxmalloc.a \
	    $(patsubst %,build-fuzz/tests/fuzz/fuzz_%.o,$(FUZZ_TARGETS))
	$(FUZZ_CC) $(FUZZ_SAN) -fsanitize=fuzzer -o build-fuzz/fuzz_conf \
	    build-fuzz/tests/fuzz/fuzz_conf.o build-fuzz/libconf.a \
	    build-fuzz/libxmalloc.a
	@set -e; for t in $(FUZZ_PARSERS); do \
	    $(FUZZ_CC) $(FUZZ_SAN) -fsanitize=fuzzer -o build-fuzz/fuzz_$$t \
	        build-fuzz/tests/fuzz/fuzz_$$t.o build-fuzz/libparsers.a \
	        $(PARSER_LIBS); \
	done
	@set -e; for t in $(FUZZ_ONLY); do \
	    mkdir -p build-fuzz/corpus/$$t; \
	    echo "== fuzz $$t for $(FUZZ_SECONDS)s"; \
	    build-fuzz/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) \
	        -artifact_prefix=build-fuzz/ build-fuzz/corpus/$$t \
	        tests/fuzz/corpus/$$t; \
	done

BENCH_DIR ?= $(O)/bench
bench: all $(O)/tests/gen_csexport $(O)/tests/gen_events \
	    $(O)/tests/gen_replay $(O)/tests/benchrun $(O)/tests/appender
	@O=$(O) BENCH_DIR=$(BENCH_DIR) sh tests/bench/bench.sh

$(O)/tests/gen_csexport: $(O)/tests/bench/gen_csexport.o
	$(CC) $(ALL_LDFLAGS) -o $@ $^
$(O)/tests/gen_events: $(O)/tests/bench/gen_events.o
	$(CC) $(ALL_LDFLAGS) -o $@ $^
$(O)/tests/gen_replay: $(O)/tests/bench/gen_replay.o
	$(CC) $(ALL_LDFLAGS) -o $@ $^
$(O)/tests/benchrun: $(O)/tests/bench/benchrun.o
	$(CC) $(ALL_LDFLAGS) -o $@ $^
$(O)/tests/appender: $(O)/tests/bench/appender.o
	$(CC) $(ALL_LDFLAGS) -o $@ $^

demo: deps all
	@O=$(O) sh examples/demo.sh

deps:
	@sh tests/deps.sh

install: all
	install -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(BINDIR) \
	    $(DESTDIR)$(SYSCONFDIR)/syncorr
	install -m 755 $(SYNCORRD) $(DESTDIR)$(SBINDIR)/syncorrd
	install -m 755 $(SYNCORR) $(DESTDIR)$(BINDIR)/syncorr
	install -m 644 conf/syncorr.conf \
	    $(DESTDIR)$(SYSCONFDIR)/syncorr/syncorr.conf.example
	install -d $(DESTDIR)$(UNITDIR)
	sed -e 's|/usr/local/sbin|$(SBINDIR)|g' \
	    -e 's|/etc/syncorr|$(SYSCONFDIR)/syncorr|g' \
	    systemd/syncorrd.service >$(DESTDIR)$(UNITDIR)/syncorrd.service
	chmod 644 $(DESTDIR)$(UNITDIR)/syncorrd.service
	install -d $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 \
	    $(DESTDIR)$(MANDIR)/man8
	install -m 644 man/syncorr.1 $(DESTDIR)$(MANDIR)/man1/syncorr.1
	install -m 644 man/syncorr.conf.5 \
	    $(DESTDIR)$(MANDIR)/man5/syncorr.conf.5
	install -m 644 man/syncorrd.8 $(DESTDIR)$(MANDIR)/man8/syncorrd.8

clean:
	rm -rf build build-asan build-fuzz

-include $(shell find $(O) -name '*.d' 2>/dev/null)
