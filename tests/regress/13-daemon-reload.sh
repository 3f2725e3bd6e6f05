# 13-daemon-reload: SIGHUP and SIGTERM.  One rsyslogd listens on two
# TCP ports, "old" and "new"; syncorrd's output "siem" goes to the old.
#  - SIGHUP with a configuration that has errors (a bad duration, an
#    unknown keyword, a port out of range) and would move the output to
#    the new port: every error is said as FILE:LINE: message, then that
#    it was not reloaded; the daemon keeps running with the old
#    configuration: a good file dropped afterwards becomes an incident
#    at the old receiver, none at the new;
#  - SIGHUP with a good configuration moving the output to the new port:
#    it says so, and new incidents go to the new receiver only;
#  - SIGTERM with messages queued (the receiver down, then started again
#    at once): the queue drains and syncorrd exits 0 before its bound
#    (10 s), without messages left; nothing lost, nothing twice;
#  - SIGTERM with the receiver down for good: syncorrd exits 0 after its
#    bound, saying how many messages stay queued, and they arrive after
#    the next start.
. "$top/tests/regress/lib.sh"
need_rsyslog

p_old=$(port)
p_new=$(port)
{
	rsyslog_head
	rsyslog_tcp old "$p_old"
	rsyslog_tcp new "$p_new"
} >"$rs/rsyslog.conf"
rsyslog_start

h=$tmp/spool/SYNC01
mkdir -p "$h"
sd_conf_text siem "$p_old" >"$sd_conf"
syncorrd_start

# at WHERE N: the incident of event N reached the receiver WHERE.
at() {
	[ "$(count " value=\"SMTP:user$2@example.com\"" "$rs/$1.log")" -ge 1 ]
}
ev=0
# drop COUNT: COUNT new events in a file renamed into the spool.
drop() {
	beat6941 $((ev + 1)) $((ev + $1)) >"$h/.f$ev.tmp"
	mv "$h/.f$ev.tmp" "$h/f$ev.ndjson"
	ev=$((ev + $1))
}

drop 1
wait_for 10 "event 1 at the old receiver" at old 1

# A bad configuration: said, line by line, and not taken.
{
	sd_conf_text siem "$p_new" | sed 's/^rescan 1h$/rescan banana/'
	echo 'frobnicate yes'
	echo "output \"other\" { transport tcp address \"127.0.0.1\" port 99999999 }"
} >"$tmp/bad.conf"
cp "$tmp/bad.conf" "$sd_conf"
kill -HUP "$sdpid"
wait_for 10 "the failed reload said" at_least 1 count 'not reloaded' "$sd_log"
expect_count 1 "^$sd_conf:3: rescan: invalid duration \"banana\"\$" "$sd_log"
expect_count 1 "^$sd_conf:6: unknown keyword \"frobnicate\"\$" "$sd_log"
expect_count 1 "^$sd_conf:7: port: \"99999999\" out of range" "$sd_log"
expect_count 1 "$sd_conf: not reloaded: .*the running one stays" "$sd_log"
alive "$sdpid" || fail "syncorrd died on a bad configuration"
drop 1
wait_for 10 "event 2 at the old receiver" at old 2
[ "$(lines "$rs/new.log")" -eq 0 ] || fail "the bad configuration was used"

# A good one moving the output: taken.
sd_conf_text siem "$p_new" >"$sd_conf"
kill -HUP "$sdpid"
wait_for 10 "the reload" at_least 1 count "$sd_conf: reloaded" "$sd_log"
drop 1
wait_for 10 "event 3 at the new receiver" at new 3
drop 1
wait_for 10 "event 4 at the new receiver" at new 4
[ "$(lines "$rs/old.log")" -eq 2 ] || fail "the old receiver got more"
[ "$(lines "$rs/new.log")" -eq 2 ] || fail "the new receiver got $(lines \
    "$rs/new.log") messages, not 2"

# SIGTERM with a queue: the receiver is stopped, 50 incidents wait, then
# the receiver starts again right after the signal.
rsyslog_stop
drop 50
wait_for 10 "54 records read" at_least 54 status records.export_error
wait_for 10 "the queue to fill" at_least 50 queued siem
kill -TERM "$sdpid"
rsyslog_start
syncorrd_reap 15
[ "$sd_status" -eq 0 ] || fail "syncorrd exited $sd_status after SIGTERM"
expect_count 0 'exiting with' "$sd_log"
[ "$(queued siem)" -eq 0 ] || fail "$(queued siem) left queued after draining"
[ "$(lines "$rs/new.log")" -eq 52 ] || fail "the new receiver got $(lines \
    "$rs/new.log") messages, not 52"
[ "$(opened "$rs/new.log")" -eq 52 ] || fail "not 52 incidents at the new one"

# SIGTERM with the receiver down for good: out after the bound, with the
# queue kept for the next start.
syncorrd_start
rsyslog_stop
drop 5
wait_for 10 "59 records read" at_least 59 status records.export_error
wait_for 10 "the queue to fill" at_least 5 queued siem
kill -TERM "$sdpid"
syncorrd_reap 20
[ "$sd_status" -eq 0 ] || fail "syncorrd exited $sd_status after SIGTERM"
expect_count 1 'exiting with 5 messages queued' "$sd_log"
rsyslog_start
syncorrd_start
wait_for 20 "the 5 kept messages" at_least 57 lines "$rs/new.log"
syncorrd_stop
[ "$sd_status" -eq 0 ] || fail "syncorrd exited $sd_status"
[ "$(lines "$rs/new.log")" -eq 57 ] || fail "the new receiver got $(lines \
    "$rs/new.log") messages, not 57"
[ "$(opened "$rs/new.log")" -eq 57 ] || fail "not 57 incidents at the new one"
