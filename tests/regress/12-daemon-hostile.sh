# 12-daemon-hostile: hostile files dropped into the spool of a running
# syncorrd (receiver: rsyslogd over TCP).  Each is written under a hidden
# name and renamed into place, then a good file is dropped after it:
#  - junk.bin: 256 KiB of binary junk;
#  - csexport-….xml.gz: a gzip'd csexport dump cut short;
#  - huge.ndjson: Winlogbeat events around one line of 1 MiB;
#  - bomb.xml: wevtutil event XML with a DOCTYPE of nested entities (a
#    billion laughs);
#  - deep.ndjson: Winlogbeat events around a line nested 100,000 deep.
# Checked: syncorrd keeps running; the good events beside the bad lines
# and every good file dropped after a bad one become incidents at the
# receiver; each bad file is said once on syncorrd's stderr, one line
# naming it, with the offset of what is wrong (junk.bin, in no format,
# is said to be skipped); nothing is said again when a restart's scan
# visits them all; the counters say what was rejected.
. "$top/tests/regress/lib.sh"
need_rsyslog

rsyslog_tcp_start
log=$rs/tcp.log

h=$tmp/spool/SYNC01
mkdir -p "$h"
sd_conf_text tcp "$p_tcp" >"$sd_conf"
syncorrd_start

# put NAME: stdin into the spool as NAME, renamed into place.
put() {
	cat >"$h/.$1.tmp"
	mv "$h/.$1.tmp" "$h/$1"
}
got() {
	[ "$(count " value=\"SMTP:user$1@example.com\"" "$log")" -ge 1 ]
}
# good N: a good file with event N dropped, and its incident waited for.
good() {
	beat6941 "$1" "$1" | put "good$1.ndjson"
	wait_for 10 "the incident of good$1.ndjson" got "$1"
}
good 1

# Binary junk, deterministic.
LC_ALL=C awk 'BEGIN {
	srand(12)
	for (i = 0; i < 262144; i++)
		printf "%c", int(rand() * 256)
}' | put junk.bin
good 2

# A gzip'd csexport dump, cut in its middle.
awk 'BEGIN {
	print "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
	print "<cs-objects>"
	for (j = 1; j <= 200; j++) {
		printf "<cs-object cs-dn=\"CN=User %d,OU=Users,DC=cut,", j
		printf "DC=example\" id=\"{00000000-0000-4000-8000-%012X}\" ", j
		print "object-type=\"user\"><export-errordetail " \
		    "first-occurred=\"2026-06-15 23:36:02.417\" " \
		    "date-occurred=\"2026-06-16 01:06:49.655\" retry-count=\"3\" " \
		    "error-type=\"cd-missing-object\"><export-status><cd-error>" \
		    "<error-code>8240</error-code><error-literal>There is no " \
		    "such object on the server.</error-literal></cd-error>" \
		    "</export-status></export-errordetail></cs-object>"
	}
	print "</cs-objects>"
}' | gzip -c >"$tmp/dump.gz"
head -c $(($(wc -c <"$tmp/dump.gz") / 2)) "$tmp/dump.gz" |
    put csexport-cut.example-20260616T011000Z.xml.gz
good 3

# A line of 1 MiB between two good events.
{
	beat6941 101 101
	printf '{"@timestamp":"2026-04-02T00:00:00.000Z","message":"'
	head -c 1048576 /dev/zero | tr '\0' x
	printf '"}\n'
	beat6941 102 102
} | put huge.ndjson
wait_for 10 "the events around the huge line" got 102
got 101 || fail "the event before the huge line is lost"
good 4

# A billion laughs in event XML.
{
	printf '<?xml version="1.0"?>\n<!DOCTYPE Event [\n'
	printf ' <!ENTITY l0 "lol">\n'
	for i in 1 2 3 4 5 6 7 8 9; do
		printf ' <!ENTITY l%d "' $i
		for j in 1 2 3 4 5 6 7 8 9 10; do
			printf '&l%d;' $((i - 1))
		done
		printf '">\n'
	done
	printf ']>\n'
	printf "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'>"
	printf "<System><Provider Name='ADSync'/><EventID Qualifiers='16384'>6100"
	printf "</EventID><Level>2</Level><TimeCreated SystemTime='2026-04-02T09:00:54.0000000Z'/>"
	printf "<Computer>SYNC01.example.com</Computer></System><EventData>"
	printf "<Data>&l9;</Data></EventData></Event>\r\n"
} | put bomb.xml
good 5

# A line nested 100,000 deep between two good events.
{
	beat6941 201 201
	printf '{"winlog":{"event_data":'
	i=0
	while [ $i -lt 100 ]; do
		printf '%01000d' 0 | tr 0 '['
		i=$((i + 1))
	done
	i=0
	while [ $i -lt 100 ]; do
		printf '%01000d' 0 | tr 0 ']'
		i=$((i + 1))
	done
	printf '}}\n'
	beat6941 202 202
} | put deep.ndjson
wait_for 10 "the events around the deep line" got 202
got 201 || fail "the event before the deep line is lost"
good 6

alive "$sdpid" || fail "syncorrd died: $(cat "$sd_log")"
# One line each, naming the file, with the offset of what is wrong.
for f in csexport-cut.example-20260616T011000Z.xml.gz huge.ndjson bomb.xml \
    deep.ndjson; do
	expect_count 1 "/SYNC01/$f: " "$sd_log"
	expect_count 1 "/SYNC01/$f: .*offset [0-9][0-9]*" "$sd_log"
done
expect_count 1 '/SYNC01/junk.bin: ' "$sd_log"
expect_count 1 '/SYNC01/junk.bin: skipped: ' "$sd_log"
expect_count 1 'csexport-cut.*gzip' "$sd_log"
expect_count 1 'bomb.xml: .*DOCTYPE' "$sd_log"
expect_count 0 'good[0-9]*.ndjson' "$sd_log"
[ "$(status files.rejected)" -ge 1 ] || fail "no file counted as rejected"
[ "$(status files.unknown)" -eq 1 ] || fail "junk.bin not counted as unknown"
[ "$(status parse.item_errors)" -ge 2 ] || fail "bad lines not counted"

# A restart's scan visits every file again and says nothing new.
cp "$sd_log" "$tmp/before"
syncorrd_stop
[ "$sd_status" -eq 0 ] || fail "syncorrd exited $sd_status"
syncorrd_start
good 7
syncorrd_stop
[ "$sd_status" -eq 0 ] || fail "syncorrd exited $sd_status"
grep -v 'started$\|connected$\|stopping$' "$sd_log" >"$tmp/after.said" ||
    true
grep -v 'started$\|connected$\|stopping$' "$tmp/before" >"$tmp/before.said" ||
    true
cmp "$tmp/before.said" "$tmp/after.said" ||
    fail "said again after a restart: $(diff "$tmp/before.said" "$tmp/after.said")"
for n in 1 2 3 4 5 6 7 101 102 201 202; do
	expect_count 1 " state=\"open\" .* value=\"SMTP:user$n@example.com\"" "$log"
done
