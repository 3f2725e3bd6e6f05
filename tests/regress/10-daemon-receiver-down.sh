# 10-daemon-receiver-down: the receiver (rsyslogd, TCP octet-counted) is
# stopped for a while and started again on the same port.  While it is
# down, syncorrd goes on reading: 25 appended 6941 events (one incident
# each) and, one file after the other, the contoso csexport dump, its
# Winlogbeat events, its run history, its run-profile results and its
# Connect Health mail, which open the AdminSDHolder incident and update
# it with each new kind of evidence.  Checked: while down, `syncorr
# status` shows the messages waiting (output.tcp.queued > 0, as many as
# transitions were made) and the failed sends; once the receiver is back,
# it gets exactly the messages that waited, byte for byte and in the
# order they were queued (the outbox as it was before the restart), with
# nothing lost and nothing twice: the 6941 incidents in the order of
# their lines, the AdminSDHolder incident's open first and its updates
# each with more evidence than the last; the queue is empty afterwards.
. "$top/tests/regress/lib.sh"
fixture=$SHARED/fixtures/contoso/spool
[ -d "$fixture" ] || fail "no fixtures at $fixture (set SYNCORR_SHARED)"
need_rsyslog
command -v sqlite3 >/dev/null || fail "no sqlite3: apt-get install sqlite3"

rsyslog_tcp_start

beat=$tmp/spool/SYNC01/beat.ndjson
a=$tmp/spool/AADCONNECT01
mkdir -p "$tmp/spool/SYNC01" "$a/events" "$tmp/spool/Maildir/new" \
    "$tmp/spool/Maildir/cur"
sd_conf_text tcp "$p_tcp" >"$sd_conf"
syncorrd_start
log=$rs/tcp.log

records() {
	"$SYNCORR" status -f "$sd_conf" 2>/dev/null |
	    awk '$1 ~ /^records\./ { n += $2 } END { print n + 0 }'
}
transitions() {
	"$SYNCORR" status -f "$sd_conf" 2>/dev/null |
	    awk '$1 ~ /^transitions\./ { n += $2 } END { print n + 0 }'
}
# drop FILE DEST: copies a fixture file in (written under a hidden name,
# then renamed into place) and waits until its records are read.
drop() {
	d_want=$(($(records) + $("$SYNCORR" explain -c "$fixture/$1" 2>&1 |
	    awk '$NF == "errors" { n = $(NF - 3) } END { print n }')))
	cp "$fixture/$1" "${2%/*}/.${2##*/}.tmp"
	mv "${2%/*}/.${2##*/}.tmp" "$2"
	wait_for 10 "the records of $1" at_least "$d_want" records
}

# Up: five incidents delivered.
beat6941 1 5 >>"$beat"
wait_for 10 "5 incidents" at_least 5 lines "$log"
[ "$(queued tcp)" -eq 0 ] || fail "messages wait with the receiver up"

# Down: everything made now waits on disk.
rsyslog_stop
beat6941 6 30 >>"$beat"
wait_for 10 "lines 6-30" at_least 30 status records.export_error
drop AADCONNECT01/csexport-contoso.com-20260402T100104Z.xml.gz \
    "$a/csexport-contoso.com-20260402T100104Z.xml.gz"
drop AADCONNECT01/events/winlogbeat.ndjson "$a/events/winlogbeat.ndjson"
drop AADCONNECT01/runhistory.xml "$a/runhistory.xml"
drop AADCONNECT01/runprofile.json "$a/runprofile.json"
drop Maildir/new/1775120940.M20P7.mail1 \
    "$tmp/spool/Maildir/new/1775120940.M20P7.mail1"
made=$(transitions)
[ "$(queued tcp)" -gt 0 ] || fail "nothing queued with the receiver down"
[ "$(queued tcp)" -eq $((made - 5)) ] ||
    fail "$(queued tcp) messages queued, $((made - 5)) made while down"
[ "$(lines "$log")" -eq 5 ] || fail "messages arrived with rsyslogd down"
sqlite3 -readonly "$tmp/state/syncorr.db" "SELECT CAST(msg AS TEXT) FROM \
    outbox WHERE output = 'tcp' ORDER BY seq" >"$tmp/waiting"
[ "$(lines "$tmp/waiting")" -eq $((made - 5)) ] ||
    fail "the outbox holds $(lines "$tmp/waiting") messages"

# It stays down until syncorrd has tried again and been refused.
wait_for 10 "a refused reconnection" at_least 1 count \
    'output tcp: 127\.0\.0\.1:[0-9]*: .*[Rr]efused' "$sd_log"

# Back: everything that waited arrives, in order, once.
rsyslog_start
wait_for 40 "$made messages at the receiver" at_least "$made" lines "$log"
wait_for 10 "an empty queue" eval '[ "$(queued tcp)" -eq 0 ]'
syncorrd_stop
[ "$sd_status" -eq 0 ] || fail "syncorrd exited $sd_status"
[ "$(lines "$log")" -eq "$made" ] ||
    fail "$(lines "$log") messages arrived, $made were made"
tail -n +6 "$log" >"$tmp/after"
cmp "$tmp/waiting" "$tmp/after" ||
    fail "what arrived is not what waited, in its order: $(diff \
    "$tmp/waiting" "$tmp/after" | head -n 20)"
[ "$(status output.tcp.send_failures)" -ge 1 ] ||
    fail "no send failure counted"

# The 6941 incidents in the order of their lines, each opened once.
sed -n 's/.* state="open" .* value="SMTP:user\([0-9]*\)@example.com".*/\1/p' \
    "$log" >"$tmp/order"
seq 1 30 | cmp - "$tmp/order" || fail "6941 incidents out of order:
$(cat "$tmp/order")"
# The AdminSDHolder incident: opened first, then each update with more
# evidence than the one before, its last with the mail.
grep 'class="adminsdholder-writeback-denied"' "$log" |
    sed 's/.* state="\([a-z]*\)" .* evidence="\([^"]*\)".*/\1 \2/' \
    >"$tmp/asd"
awk '
	NR == 1 && $1 != "open" { print "first is " $1; bad = 1 }
	NR > 1 && $1 != "update" { print "line " NR " is " $1; bad = 1 }
	NR > 1 && length($2) <= length(prev) { print "line " NR ": " $2 \
	    " after " prev; bad = 1 }
	{ prev = $2 }
	END { if (NR < 4 || prev !~ /health-email/) bad = 1; exit bad }
' "$tmp/asd" || fail "AdminSDHolder transitions out of order:
$(cat "$tmp/asd")"
