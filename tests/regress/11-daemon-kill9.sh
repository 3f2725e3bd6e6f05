# 11-daemon-kill9: syncorrd killed with SIGKILL at random moments while
# it ingests, restarted each time, 20 times.  A writer keeps producing
# for the whole run: batches of 6941 events appended to a Winlogbeat
# NDJSON file (each event's contested value its own incident) and, every
# few batches, a csexport dump renamed into place whose objects each
# fail with cd-missing-object (each object its own ad-export-error
# incident).  The kill moments come from awk's PRNG with a fixed seed,
# printed (SYNCORR_SEED overrides it); they only choose when to kill:
# every wait is a bounded poll for a condition.  Checked, against the
# incidents `syncorr replay` finds in the final spool: every incident
# reached the receiver (rsyslogd, TCP) opened at least once and nothing
# else did; at most one message twice (same id and state) per kill;
# every record read exactly once (records.export_error is what was
# written) and every incident opened once (transitions.open); every
# restart came up ("started", no fatal error, no crash loop) and the last
# one is still running.
. "$top/tests/regress/lib.sh"
need_rsyslog
kills=20
seed=${SYNCORR_SEED:-20260402}
echo "11: seed $seed"

rsyslog_tcp_start
log=$rs/tcp.log

h=$tmp/spool/SYNC01
mkdir -p "$h"
beat=$h/winlogbeat.ndjson
sd_conf_text tcp "$p_tcp" >"$sd_conf"

# dump D N: a csexport dump of connector dropD.example whose N objects
# each fail to export with cd-missing-object.
dump() {
	awk -v d="$1" -v n="$2" 'BEGIN {
		print "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
		print "<cs-objects>"
		for (j = 1; j <= n; j++) {
			printf "<cs-object cs-dn=\"CN=User %d,OU=Users,", j
			printf "DC=drop%d,DC=example\" ", d
			printf "id=\"{%08X-0000-4000-8000-%012X}\" ", d, j
			print "object-type=\"user\">"
			printf "<export-errordetail first-occurred=\"2026-06-15 "
			printf "23:36:02.417\" date-occurred=\"2026-06-16 "
			printf "01:06:49.655\" retry-count=\"3\" "
			print "error-type=\"cd-missing-object\">"
			print "<export-status><cd-error><error-code>8240" \
			    "</error-code><error-literal>There is no such " \
			    "object on the server.</error-literal></cd-error>" \
			    "</export-status></export-errordetail></cs-object>"
		}
		print "</cs-objects>"
	}'
}

# The writer: 4 events a batch, a dump of 4 objects every 8 batches,
# until told to stop; how much it wrote in $tmp/written.
writer() {
	i=0
	d=0
	while [ ! -e "$tmp/stop" ]; do
		beat6941 $((i * 4 + 1)) $((i * 4 + 4)) >>"$beat"
		i=$((i + 1))
		if [ $((i % 8)) -eq 0 ]; then
			d=$((d + 1))
			dump $d 4 >"$h/.dump.tmp"
			mv "$h/.dump.tmp" \
			    "$h/csexport-drop$d.example-20260616T011000Z.xml"
		fi
		echo "$((i * 4)) $((d * 4))" >"$tmp/written.tmp"
		mv "$tmp/written.tmp" "$tmp/written"
		sleep 0.02
	done
}

syncorrd_start
writer &
extra_pids=$!
wait_for 10 "the first incidents" at_least 1 lines "$log"

# The kill moments: 0 to 400 ms after each start.
awk -v s="$seed" -v n=$kills 'BEGIN {
	srand(s)
	for (i = 0; i < n; i++)
		printf "%.3f\n", rand() * 0.4
}' >"$tmp/delays"
for d in $(cat "$tmp/delays"); do
	sleep "$d"
	syncorrd_kill
	syncorrd_start
done
touch "$tmp/stop"
wait_for 10 "the writer to stop" eval "! alive $extra_pids"
wait "$extra_pids" || fail "the writer failed"
extra_pids=
read -r events objects <"$tmp/written"
echo "11: $kills kills; $events events and $objects objects written"

# What the spool holds, as replay sees it: the incidents to expect.
"$SYNCORR" replay --format rfc5424 "$tmp/spool" >"$tmp/replay" ||
    fail "syncorr replay failed"
sed -n 's/.* id="\([0-9a-f]*\)" state="open".*/\1/p' "$tmp/replay" |
    sort -u >"$tmp/expected"
[ "$(lines "$tmp/expected")" -eq $((events + objects)) ] ||
    fail "replay finds $(lines "$tmp/expected") incidents, not $((events + objects))"

missing() {
	sed -n 's/.* id="\([0-9a-f]*\)" state="open".*/\1/p' "$log" |
	    sort -u >"$tmp/got"
	comm -23 "$tmp/expected" "$tmp/got" | wc -l
}
wait_for 40 "every incident at the receiver" eval '[ "$(missing)" -eq 0 ]'
wait_for 10 "an empty queue" eval '[ "$(queued tcp)" -eq 0 ]'

comm -13 "$tmp/expected" "$tmp/got" >"$tmp/unexpected"
[ ! -s "$tmp/unexpected" ] ||
    fail "incidents nobody expected: $(head "$tmp/unexpected")"
sed -n 's/.* id="\([0-9a-f]*\)" state="\([a-z]*\)".*/\1 \2/p' "$log" |
    sort | uniq -d -c >"$tmp/dups"
dups=$(awk '{ n += $1 - 1 } END { print n + 0 }' "$tmp/dups")
echo "11: $(lines "$log") messages, $dups sent twice"
[ "$dups" -le $kills ] || fail "$dups duplicates for $kills kills:
$(head -n 20 "$tmp/dups")"
awk '$1 > 2 { bad = 1 } END { exit bad }' "$tmp/dups" ||
    fail "a message arrived more than twice: $(head "$tmp/dups")"
[ "$(status records.export_error)" -eq $((events + objects)) ] ||
    fail "$(status records.export_error) records read, $((events + objects)) written"
[ "$(status transitions.open)" -eq $((events + objects)) ] ||
    fail "$(status transitions.open) incidents opened, $((events + objects)) exist"
[ "$(count 'syncorrd: started$' "$sd_log")" -eq $((kills + 1)) ] ||
    fail "not $((kills + 1)) starts: $(cat "$sd_log")"
expect_count 0 'fatal\|state database\|at offset\|rejected' "$sd_log"
alive "$sdpid" || fail "syncorrd is gone: $(tail "$sd_log")"
syncorrd_stop
[ "$sd_status" -eq 0 ] || fail "syncorrd exited $sd_status"
