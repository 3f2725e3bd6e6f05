# 08-daemon-rotation: an appended Winlogbeat NDJSON file in the spool,
# rotated the ways log shippers rotate.  Each line is an AAD export error
# (6941) with its own contested value, so each line read opens its own
# incident at the receiver (rsyslogd, TCP).  The writer keeps its file
# open as a real one does.  Checked, with `syncorr status` counting the
# records read and the receiver the incidents, after each step:
#  - lines appended are read;
#  - rename rotation (create mode): lines written just before the rename,
#    lines the writer still appends to the renamed file.1, and a new file
#    under the old name are all read exactly once;
#  - copytruncate (the copy kept outside the spool): the truncation is
#    counted in files.truncations, lines written after it are read, and
#    the daemon goes on;
#  - a rename rotation (file.1 -> file.2, file -> file.1, a new file)
#    while the daemon is stopped is finished at its next start: what was
#    written to the old file while it was down is read, once, and the
#    new file too.
# Every line read exactly once: the record counter is compared after a
# stop and start, whose first scan visits every file again.
. "$top/tests/regress/lib.sh"
need_rsyslog

rsyslog_tcp_start

h=$tmp/spool/SYNC01
mkdir -p "$h" "$tmp/old"
f=$h/winlogbeat.ndjson
sd_conf_text tcp "$p_tcp" >"$sd_conf"
syncorrd_start

# read N: N records read and N incidents opened at the receiver.
read_n() {
	[ "$(status records.export_error)" -ge "$1" ] &&
	    [ "$(opened "$rs/tcp.log")" -ge "$1" ]
}
# exactly N WHAT: after a restart (whose first scan visits every file
# again), exactly N records were read and N incidents opened, once each.
exactly() {
	syncorrd_stop
	[ "$sd_status" -eq 0 ] || fail "syncorrd exited $sd_status"
	syncorrd_start
	wait_for 10 "$1 incidents delivered" read_n "$1"
	n=$(status records.export_error)
	[ "$n" -eq "$1" ] || fail "$2: $n records read, not $1:
$(cat "$sd_log")"
	[ "$(opened "$rs/tcp.log")" -eq "$1" ] || fail "$2: not $1 incidents"
	expect_count "$1" ' state="open"' "$rs/tcp.log"
}

# Appended lines, the file kept open by its writer.
exec 4>>"$f"
beat6941 1 10 >&4
wait_for 10 "lines 1-10" read_n 10

# Rename rotation: the last lines before the rename, lines the writer
# adds to the renamed file before it reopens, then the new file.
beat6941 11 15 >&4
mv "$f" "$f.1"
beat6941 16 18 >&4
exec 4>>"$f"
beat6941 19 25 >&4
wait_for 10 "lines 11-25 across the rename" read_n 25
exactly 25 "rename rotation"
[ "$(status files.renames)" -ge 1 ] || fail "no rename counted"

# The same with the daemon busy (stopped by SIGSTOP) while the writer
# rotates: it learns of the appends only once the old name is the new
# file, and of the rename after that.
rm "$f.1"
kill -STOP "$sdpid"
beat6941 26 30 >&4
mv "$f" "$f.1"
beat6941 31 32 >&4
exec 4>>"$f"
beat6941 33 35 >&4
kill -CONT "$sdpid"
wait_for 10 "lines 26-35 across a rename seen late" read_n 35
exactly 35 "rename rotation seen late"

# copytruncate: the copy goes to an old directory, the file is cut to
# nothing and the writer (O_APPEND) goes on at its start.
beat6941 36 40 >&4
wait_for 10 "lines 36-40" read_n 40
cp "$f" "$tmp/old/winlogbeat.ndjson.1"
: >"$f"
beat6941 41 45 >&4
wait_for 10 "lines 41-45 after copytruncate" read_n 45
[ "$(status files.truncations)" -eq 1 ] ||
    fail "files.truncations is $(status files.truncations), not 1"
expect_count 1 'winlogbeat.ndjson: truncated in place' "$sd_log"
beat6941 46 48 >&4
wait_for 10 "lines 46-48, the daemon going on" read_n 48
exactly 48 "copytruncate"

# Rotated while the daemon is down: lines to the old file, the rename
# chain, lines to the new file; the next start finishes all of them.
syncorrd_stop
[ "$sd_status" -eq 0 ] || fail "syncorrd exited $sd_status"
beat6941 49 52 >&4
mv "$f.1" "$f.2"
mv "$f" "$f.1"
beat6941 53 54 >&4
exec 4>>"$f"
beat6941 55 60 >&4
exec 4>&-
syncorrd_start
wait_for 10 "lines 49-60 rotated while down" read_n 60
exactly 60 "rotation while stopped"
expect_count 0 'rejected\|at offset' "$sd_log"
syncorrd_stop
[ "$sd_status" -eq 0 ] || fail "syncorrd exited $sd_status"
