#!/bin/sh
# demo.sh: what make demo shows.  First syncorr replaying the bundled
# sample spool (two Entra Connect servers, csexport dumps plain and
# gzip'd) as text for a person; then the daemon: a local rsyslogd on
# loopback as the receiver, syncorrd watching an empty spool, the sample
# files dropped into it, and the incidents arriving at the receiver as
# RFC 5424 messages.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
O=${O:-build}
case $O in /*) ;; *) O=$top/$O ;; esac
cd "$top"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/syncorr-demo.XXXXXX")
rspid=
sdpid=
cleanup() {
	[ -n "$sdpid" ] && kill "$sdpid" 2>/dev/null && wait "$sdpid" || true
	[ -n "$rspid" ] && kill "$rspid" 2>/dev/null && wait "$rspid" || true
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' HUP INT TERM

# until_true SECONDS CMD…: polls CMD every tenth of a second until it
# succeeds, for SECONDS at most.
until_true() {
	n=$(($1 * 10))
	shift
	while ! "$@"; do
		n=$((n - 1))
		[ $n -gt 0 ] || return 1
		sleep 0.1
	done
}

echo "== syncorrd -n: the sample configuration checks out"
"$O/syncorrd" -n -f examples/syncorr.conf
echo
echo "== syncorr replay --format text examples/spool"
echo
"$O/syncorr" replay -f examples/syncorr.conf --format text examples/spool

echo
echo "== syncorrd: the same spool, live, into a local rsyslogd"
cat >"$tmp/rsyslog.conf" <<CONF
global(workDirectory="$tmp")
module(load="imtcp")
template(name="raw" type="string" string="%rawmsg%\n")
input(type="imtcp" address="127.0.0.1" port="0"
    listenPortFileName="$tmp/port" ruleset="in")
ruleset(name="in") { action(type="omfile" file="$tmp/received.log"
    template="raw") }
CONF
/usr/sbin/rsyslogd -n -f "$tmp/rsyslog.conf" -i "$tmp/rsyslog.pid" \
    >"$tmp/rsyslog.err" 2>&1 &
rspid=$!
until_true 10 test -s "$tmp/port" || { cat "$tmp/rsyslog.err"; exit 1; }
mkdir "$tmp/spool" "$tmp/state"
{
	sed '/^spool /d' examples/syncorr.conf
	cat <<CONF
state-dir "$tmp/state"
spool "$tmp/spool"
settle 1s
output "siem" {
	transport tcp address "127.0.0.1" port $(cat "$tmp/port")
	framing octet-counted format rfc5424
}
CONF
} >"$tmp/syncorr.conf"
"$O/syncorrd" -d -f "$tmp/syncorr.conf" 2>"$tmp/syncorrd.log" &
sdpid=$!
echo "rsyslogd listens on 127.0.0.1 port $(cat "$tmp/port");" \
    "syncorrd watches $tmp/spool"
cp -R examples/spool/. "$tmp/spool/"
echo "sample files dropped into the spool; waiting for the receiver..."
echo
received() {
	[ -f "$tmp/received.log" ] &&
	    [ "$(grep -c 'state="open"' "$tmp/received.log")" -ge 4 ]
}
if ! until_true 30 received; then
	echo "demo: the incidents did not arrive; syncorrd said:" >&2
	cat "$tmp/syncorrd.log" >&2
	exit 1
fi
cat "$tmp/received.log"
echo
echo "== syncorr status"
"$O/syncorr" status -f "$tmp/syncorr.conf"
