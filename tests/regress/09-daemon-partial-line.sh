# 09-daemon-partial-line: a line still being written is not read until
# its newline arrives, and then it is read once.  Appended files in the
# spool get their lines in pieces: Winlogbeat NDJSON (6941 events, one
# incident each at the receiver, rsyslogd over TCP) and root-less
# wevtutil event XML with CRLF (6100 events, counted as records.run).
# That the daemon has looked at a piece is known without sleeping: a
# complete line appended to another file afterwards (a marker) reaches
# the receiver, and the daemon reads its files in the order inotify
# reports them.  Checked:
#  - a whole line and the start of the next: the first is read, the
#    second not, nor after more of it, nor with all of it but "\n"; its
#    newline makes it read;
#  - a new file whose first bytes are half a line (too little to tell its
#    format) waits and is then read whole;
#  - half a line left across a stop and start is read once completed;
#  - an XML event cut in its middle waits; one complete but for its CRLF
#    is read, and the CRLF that follows is no error;
# and, after a restart whose first scan visits every file again, every
# line was read exactly once, with no parse error.
. "$top/tests/regress/lib.sh"
need_rsyslog

rsyslog_tcp_start

h=$tmp/spool/SYNC01
mkdir -p "$h"
beat=$h/beat.ndjson
xml=$h/adsync-app.xml
sd_conf_text tcp "$p_tcp" >"$sd_conf"
syncorrd_start

log=$rs/tcp.log
# got N: the incident of line N (user<N>@example.com) reached the receiver.
got() {
	[ "$(count " value=\"SMTP:user$1@example.com\"" "$log")" -ge 1 ]
}
# mark: a complete line appended to a third file, waited for at the
# receiver: everything written before it has been looked at.
marks=0
mark() {
	marks=$((marks + 1))
	beat6941 $((1000 + marks)) $((1000 + marks)) >>"$h/marker.ndjson"
	wait_for 10 "marker $marks" got $((1000 + marks))
}
# records N [RUNS]: exactly N lines of beat.ndjson (and RUNS events of
# the XML file) have been read.
records() {
	n=$(status records.export_error)
	[ "$n" -eq $(($1 + marks)) ] ||
	    fail "$((n - marks)) lines of beat.ndjson read, not $1:
$(cat "$sd_log")"
	n=$(status records.run)
	[ "$n" -eq "${2:-0}" ] || fail "$n XML events read, not ${2:-0}"
}
not_got() {
	[ "$(count " value=\"SMTP:user$1@example.com\"" "$log")" -eq 0 ] ||
	    fail "line $1 was read before its newline"
}

for i in 1 2 3 4; do
	beat6941 $i $i >"$tmp/l$i"
done

# A new file whose first bytes are 40 bytes of a line.
head -c 40 "$tmp/l1" >>"$beat"
mark
records 0
not_got 1
tail -c +41 "$tmp/l1" >>"$beat"
wait_for 10 "line 1" got 1
records 1

# A whole line and the start of the next; more of it; all but "\n".
head -c 300 "$tmp/l2" >>"$beat"
mark
records 1
not_got 2
tail -c +301 "$tmp/l2" | head -c 200 >>"$beat"
mark
records 1
not_got 2
tail -c +501 "$tmp/l2" | head -c -1 >>"$beat"
mark
records 1
not_got 2
printf '\n' >>"$beat"
wait_for 10 "line 2" got 2
records 2

# Half a line across a stop and a start.
head -c 100 "$tmp/l3" >>"$beat"
mark
syncorrd_stop
[ "$sd_status" -eq 0 ] || fail "syncorrd exited $sd_status"
syncorrd_start
mark
records 2
not_got 3
tail -c +101 "$tmp/l3" >>"$beat"
beat6941 4 4 >>"$beat"
wait_for 10 "lines 3 and 4" got 4
got 3 || fail "line 3 lost"
records 4

# Root-less event XML, CRLF: an event cut in its middle, then one whole
# but for its line end.
fx=$SHARED/fixtures/contoso/spool/AADCONNECT01/events/adsync-app.xml
[ -f "$fx" ] || fail "no fixtures at $fx (set SYNCORR_SHARED)"
sed -n 1p "$fx" >"$tmp/x1"
sed -n 2p "$fx" >"$tmp/x2"
sed -n 3p "$fx" >"$tmp/x3"
cat "$tmp/x1" >>"$xml"
head -c 250 "$tmp/x2" >>"$xml"
mark
records 4 1
tail -c +251 "$tmp/x2" | head -c -2 >>"$xml"
mark
records 4 2
printf '\r\n' >>"$xml"
cat "$tmp/x3" >>"$xml"
wait_for 10 "the third XML event" eval '[ "$(status records.run)" -ge 3 ]'
records 4 3

# Once more after a restart: nothing was read twice, nothing failed.
syncorrd_stop
[ "$sd_status" -eq 0 ] || fail "syncorrd exited $sd_status"
syncorrd_start
records 4 3
[ "$(status parse.item_errors)" -eq 0 ] ||
    fail "parse errors: $(cat "$sd_log")"
expect_count 0 'at offset\|rejected' "$sd_log"
[ "$(opened "$log")" -eq $((4 + marks)) ] || fail "not $((4 + marks)) incidents"
expect_count $((4 + marks)) ' state="open"' "$log"
syncorrd_stop
[ "$sd_status" -eq 0 ] || fail "syncorrd exited $sd_status"
