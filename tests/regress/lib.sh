# lib.sh: shared helpers for the regress scenarios: a scratch directory
# removed on exit, assertions that say what they expected, bounded polling
# (never a bare sleep to wait for something), a real rsyslogd on loopback
# as the receiver, and the real syncorrd run in the foreground.  Every
# process a scenario starts through these helpers (rsyslogd, syncorrd,
# and any pid it adds to $extra_pids) is stopped on any exit.
set -eu
SYNCORR=$O/syncorr
SYNCORRD=$O/syncorrd
SINKSEND=$O/tests/sinksend
RSYSLOGD=/usr/sbin/rsyslogd
SHARED=${SYNCORR_SHARED:-$top/../shared}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/syncorr-regress.XXXXXX")
rs=$tmp/rs		# rsyslogd's directory: rsyslog.conf, logs, ready
rspid=
sdpid=
extra_pids=

fail() {
	echo "$*" >&2
	exit 1
}

# expect_count N PATTERN FILE: FILE has exactly N lines matching PATTERN.
expect_count() {
	ec_n=$(grep -c -- "$2" "$3" || true)
	[ "$ec_n" -eq "$1" ] || fail "expected $1 lines matching '$2' in $3, got $ec_n:
$(cat "$3")"
}

# expect_status N CMD…: CMD exits with status N.  The failure message
# goes to the scenario's stderr even when the caller redirects CMD's.
exec 3>&2
expect_status() {
	es_want=$1
	shift
	set +e
	"$@"
	es_got=$?
	set -e
	[ "$es_got" -eq "$es_want" ] ||
	    fail "expected exit $es_want from $*, got $es_got" 2>&3
}

# alive PID: the process runs (a zombie child does not count).
alive() {
	[ -r "/proc/$1/status" ] &&
	    ! grep -q '^State:.*Z' "/proc/$1/status" 2>/dev/null
}

# lines FILE: how many lines FILE has (0 when it does not exist).
lines() {
	if [ -f "$1" ]; then wc -l <"$1"; else echo 0; fi
}

# count PATTERN FILE: how many lines of FILE match (0 when no FILE).
count() {
	if [ -f "$2" ]; then grep -c -- "$1" "$2" || true; else echo 0; fi
}

# wait_for SECONDS WHAT CMD…: polls CMD every 50 ms until it succeeds;
# fails after SECONDS saying WHAT, or as soon as the syncorrd this
# scenario runs ($sdpid) has died.
wait_for() {
	wf_end=$(($(date +%s) + $1))
	wf_what=$2
	shift 2
	until "$@"; do
		if [ -n "$sdpid" ] && ! alive "$sdpid"; then
			fail "syncorrd died waiting for $wf_what:
$(tail -n 20 "$sd_log" 2>/dev/null)"
		fi
		[ "$(date +%s)" -le "$wf_end" ] ||
		    fail "timed out waiting for $wf_what"
		sleep 0.05
	done
}

# at_least N CMD…: the number CMD prints is N or more.
at_least() {
	al_n=$1
	shift
	[ "$("$@")" -ge "$al_n" ]
}

# wait_lines N FILE: polls (10 s at most) until FILE has N lines or more.
wait_lines() {
	wait_for 10 "$1 lines in $2 (got $(lines "$2"))" at_least "$1" \
	    lines "$2"
}

# --- rsyslogd ---------------------------------------------------------

# rsyslog_head: the start of an rsyslog.conf for $rs: TLS files from $rs
# (when the scenario made them, see tls_ca), imtcp, a "raw" template
# writing %rawmsg%, and the "ready" input whose port file says rsyslogd
# listens.
rsyslog_head() {
	cat <<EOF
global(workDirectory="$rs" maxMessageSize="1m"
    defaultNetstreamDriverCAFile="$rs/ca.pem"
    defaultNetstreamDriverCertFile="$rs/server.pem"
    defaultNetstreamDriverKeyFile="$rs/server.key")
module(load="imtcp")
template(name="raw" type="string" string="%rawmsg%\n")
input(type="imtcp" address="127.0.0.1" port="0" listenPortFileName="$rs/ready")
EOF
}

# rsyslog_tcp NAME PORT [tls]: an imtcp input on 127.0.0.1:PORT (octet
# counting is recognised by itself; with tls, through the ossl driver)
# whose messages go to $rs/NAME.log.
rsyslog_tcp() {
	if [ "${3:-}" = tls ]; then
		echo "input(type=\"imtcp\" address=\"127.0.0.1\" port=\"$2\"" \
		    "ruleset=\"$1\" streamDriver.name=\"ossl\"" \
		    "streamDriver.mode=\"1\" streamDriver.authMode=\"anon\")"
	else
		echo "input(type=\"imtcp\" address=\"127.0.0.1\" port=\"$2\"" \
		    "ruleset=\"$1\")"
	fi
	echo "ruleset(name=\"$1\") { action(type=\"omfile\"" \
	    "file=\"$rs/$1.log\" template=\"raw\") }"
}

# tls_ca: a throwaway CA in $rs and a server certificate it signed for
# 127.0.0.1 and localhost.
tls_ca() {
	mkdir -p "$rs"
	tc_ec="-newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes"
	printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' >"$rs/server.ext"
	# shellcheck disable=SC2086
	{
		openssl req -x509 $tc_ec -days 2 -subj /CN=ca \
		    -keyout "$rs/ca.key" -out "$rs/ca.pem" &&
		openssl req $tc_ec -subj /CN=localhost \
		    -keyout "$rs/server.key" -out "$rs/server.csr" &&
		openssl x509 -req -in "$rs/server.csr" -CA "$rs/ca.pem" \
		    -CAkey "$rs/ca.key" -CAcreateserial -days 2 \
		    -extfile "$rs/server.ext" -out "$rs/server.pem"
	} >/dev/null 2>&1 || fail "openssl: cannot make the test CA"
}

# need_rsyslog [tls]: rsyslogd (and its ossl driver) and sinksend are here.
need_rsyslog() {
	[ -x "$SINKSEND" ] || fail "$SINKSEND is not built: make $SINKSEND"
	[ -x "$RSYSLOGD" ] ||
	    fail "no $RSYSLOGD: sh tests/deps.sh installs rsyslog"
	if [ "${1:-}" = tls ]; then
		ls /usr/lib/*/rsyslog/lmnsd_ossl.so >/dev/null 2>&1 ||
		    fail "no rsyslog ossl driver: sh tests/deps.sh installs rsyslog-openssl"
	fi
	mkdir -p "$rs"
}

# port: a loopback TCP port nothing listens on now.
port() {
	"$SINKSEND" -P tcp
}

rsyslog_ready() {
	[ -s "$rs/ready" ] || return 1
	for rr_f in "$@"; do
		[ -S "$rr_f" ] || return 1
	done
}

# rsyslog_start [SOCKET…]: starts rsyslogd with $rs/rsyslog.conf and
# waits (10 s at most) until it listens: imtcp writes the "ready" input's
# port file once the inputs run, and each unix SOCKET named exists.
rsyslog_start() {
	rm -f "$rs/ready" "$@"
	"$RSYSLOGD" -n -f "$rs/rsyslog.conf" -i "$rs/pid" >>"$rs/stderr" 2>&1 &
	rspid=$!
	rs_end=$(($(date +%s) + 10))
	until rsyslog_ready "$@"; do
		alive "$rspid" || fail "rsyslogd exited: $(cat "$rs/stderr")"
		[ "$(date +%s)" -le "$rs_end" ] ||
		    fail "rsyslogd not ready: $(cat "$rs/stderr")"
		sleep 0.05
	done
}

# rsyslog_tcp_start: rsyslogd with one TCP receiver, "tcp", on port
# $p_tcp, its messages in $rs/tcp.log.
rsyslog_tcp_start() {
	p_tcp=$(port)
	{
		rsyslog_head
		rsyslog_tcp tcp "$p_tcp"
	} >"$rs/rsyslog.conf"
	rsyslog_start
}

# Stops rsyslogd: TERM, KILL after 5 s, and reaps it.
rsyslog_stop() {
	[ -n "$rspid" ] || return 0
	kill "$rspid" 2>/dev/null || true
	rs_i=0
	while alive "$rspid" && [ $rs_i -lt 200 ]; do
		rs_i=$((rs_i + 1))
		[ $rs_i -eq 100 ] && kill -9 "$rspid" 2>/dev/null
		sleep 0.05
	done
	wait "$rspid" 2>/dev/null || true
	rspid=
}

# --- syncorrd ---------------------------------------------------------

sd_conf=$tmp/syncorrd.conf	# the configuration syncorrd runs with
sd_log=$tmp/syncorrd.log	# its stderr, every run appended
sd_status=			# the exit status of the last run stopped

# sd_conf_text NAME PORT: a configuration for the spool $tmp/spool, with
# its state in $tmp/state, no rescan due while a scenario runs, a settle
# of a second, and one TCP output NAME to 127.0.0.1:PORT.
sd_conf_text() {
	cat <<EOF
state-dir "$tmp/state"
spool "$tmp/spool"
rescan 1h
settle 1s
output "$1" { transport tcp address "127.0.0.1" port $2 }
EOF
}

# syncorrd_start: starts syncorrd -d -f $sd_conf in the background and
# waits (10 s at most) until it says "started": its first scan is done
# and its directories are watched.
syncorrd_start() {
	ss_n=$(count 'syncorrd: started$' "$sd_log")
	"$SYNCORRD" -d -f "$sd_conf" >>"$sd_log" 2>&1 &
	sdpid=$!
	wait_for 10 "syncorrd to start" at_least $((ss_n + 1)) \
	    count 'syncorrd: started$' "$sd_log"
}

syncorrd_gone() {
	! alive "$sdpid"
}

# syncorrd_reap: waits for syncorrd to be gone (SECONDS, default 5) and
# keeps its exit status in $sd_status.
syncorrd_reap() {
	sr_pid=$sdpid
	sdpid=
	wait_for "${1:-5}" "syncorrd ($sr_pid) to exit" eval "! alive $sr_pid"
	sd_status=0
	wait "$sr_pid" 2>/dev/null || sd_status=$?
}

# syncorrd_stop [SECONDS]: SIGTERM, then waits for the exit (SECONDS,
# default 15: the daemon drains for 10 at most).
syncorrd_stop() {
	[ -n "$sdpid" ] || return 0
	kill -TERM "$sdpid" 2>/dev/null || true
	syncorrd_reap "${1:-15}"
}

# syncorrd_kill: kill -9, and reaps it.
syncorrd_kill() {
	[ -n "$sdpid" ] || return 0
	kill -9 "$sdpid" 2>/dev/null || true
	syncorrd_reap 5
}

# status NAME: the value `syncorr status` gives NAME (0 when not there).
status() {
	"$SYNCORR" status -f "$sd_conf" >"$tmp/status.out" \
	    2>"$tmp/status.err" ||
	    fail "syncorr status failed: $(cat "$tmp/status.err")"
	awk -v n="$1" '$1 == n { v = $2 } END { print v + 0 }' \
	    "$tmp/status.out"
}

# queued OUTPUT: how many messages OUTPUT has waiting now, as `syncorr
# status` says (output.NAME.queued, or queued_now in older builds).
queued() {
	"$SYNCORR" status -f "$sd_conf" >"$tmp/status.out" \
	    2>"$tmp/status.err" ||
	    fail "syncorr status failed: $(cat "$tmp/status.err")"
	awk -v a="output.$1.queued" -v b="output.$1.queued_now" '
		$1 == a || $1 == b { v = $2; seen = 1 }
		END { if (!seen) exit 1; print v + 0 }' "$tmp/status.out" ||
	    fail "syncorr status says nothing of output $1's queue:
$(cat "$tmp/status.out")"
}

# opened FILE: how many distinct incident ids FILE has an open of.
opened() {
	if [ -f "$1" ]; then
		sed -n 's/.* id="\([0-9a-f]*\)" state="open".*/\1/p' "$1" |
		    sort -u | wc -l
	else
		echo 0
	fi
}

# Stops what the scenario started, then removes the scratch directory
# (kept when the scenario failed and SYNCORR_KEEP is set).
lib_cleanup() {
	lc_rc=$?
	set +e
	[ -z "$sdpid" ] || { kill -9 "$sdpid"; wait "$sdpid"; } 2>/dev/null
	for lc_p in $extra_pids; do
		kill "$lc_p" 2>/dev/null
		wait "$lc_p" 2>/dev/null
	done
	rsyslog_stop
	if [ "$lc_rc" -ne 0 ] && [ -n "${SYNCORR_KEEP:-}" ]; then
		echo "kept $tmp" >&2
	else
		rm -rf "$tmp"
	fi
	exit $lc_rc
}
trap lib_cleanup EXIT
trap 'exit 1' HUP INT TERM

# beat6941 FROM TO [HOST]: Winlogbeat NDJSON lines, one AAD export error
# (event 6941, AttributeValueMustBeUnique) each, numbered FROM to TO: the
# value user<N>@example.com of each is contested, so each line opens its
# own directory-data-collision incident.
beat6941() {
	seq "$1" "$2" | awk -v h="${3:-SYNC01.example.com}" '{
		printf "{\"@timestamp\":\"2026-04-02T%02d:%02d:%02d.000Z\",", \
		    int($1 / 3600) % 24, int($1 / 60) % 60, $1 % 60
		printf "\"event\":{\"code\":\"6941\",\"kind\":\"event\","
		printf "\"provider\":\"ADSync\"},\"log\":{\"level\":\"error\"},"
		printf "\"host\":{\"name\":\"%s\"},", h
		printf "\"message\":\"ECMA2 MA export run caused an error."
		printf "\\n\\nDN: CN={%032X}\\nError Name: ", $1
		printf "AttributeValueMustBeUnique\\n\\nError Detail: Unable "
		printf "to update this object because the following attributes "
		printf "associated with this object have values that may "
		printf "already be associated with another object in your "
		printf "local directory services: [ProxyAddresses "
		printf "SMTP:user%d@example.com;]. Correct or remove the ", $1
		printf "duplicate values in your local directory.\","
		printf "\"winlog\":{\"channel\":\"Application\","
		printf "\"computer_name\":\"%s\",\"event_id\":\"6941\",", h
		printf "\"provider_name\":\"ADSync\",\"record_id\":\"%d\"}}\n", $1
	}'
}
