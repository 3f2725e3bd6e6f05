# 07-daemon-spool: files dropped into a watched spool become incidents at
# a real receiver.  syncorrd runs with an empty spool and two outputs to
# one rsyslogd on loopback, TCP octet-counted and TLS verified against a
# throwaway CA; then the contoso fixture spool (its host directory, with
# run history, events, run-profile results and both csexport dumps, and
# its Maildir) is copied in with cp -R.  Checked: every record the files
# hold is read (syncorr status against syncorr explain), both outputs
# drain, and each receiver got exactly the two incidents of the fixture's
# README, each opened once (distinct ids with state="open"):
# adminsdholder-writeback-denied on contoso.com (msDS-KeyCredentialLink,
# adminCount, updated as evidence arrives, its last update carrying the
# Connect Health mail, not ad-connector-only) and directory-data-collision
# for smtp:sales@contoso.com on the AAD connector (no grant in it; its
# connector is named as the first file read names it, so only its kind
# is checked); nothing resolved; both receivers got the same messages in
# the same order.  A stop and start then reads and sends nothing again.
. "$top/tests/regress/lib.sh"
fixture=$SHARED/fixtures/contoso/spool
[ -d "$fixture" ] || fail "no fixtures at $fixture (set SYNCORR_SHARED)"
need_rsyslog tls
tls_ca

p_tcp=$(port)
p_tls=$(port)
{
	rsyslog_head
	rsyslog_tcp tcp "$p_tcp"
	rsyslog_tcp tls "$p_tls" tls
} >"$rs/rsyslog.conf"
rsyslog_start

mkdir "$tmp/spool"
{
	sd_conf_text tcp "$p_tcp"
	cat <<EOF
output "tls" { transport tls address "127.0.0.1" port $p_tls
    ca "$rs/ca.pem" }
EOF
} >"$sd_conf"
syncorrd_start

# What the files hold, as syncorr explain reads them.
want=$(find "$fixture" -type f -exec "$SYNCORR" explain -c {} + 2>&1 |
    awk '$NF == "errors" { n += $(NF - 3) } END { print n }')
[ "$want" -gt 50 ] || fail "syncorr explain finds $want records"

cp -R "$fixture/." "$tmp/spool/"

records() {
	"$SYNCORR" status -f "$sd_conf" 2>/dev/null |
	    awk '$1 ~ /^records\./ { n += $2 } END { print n + 0 }'
}
drained() {
	[ "$(records)" -eq "$want" ] && [ "$(opened "$rs/tcp.log")" -ge 2 ] &&
	    [ "$(opened "$rs/tls.log")" -ge 2 ] &&
	    [ "$(queued tcp)" -eq 0 ] &&
	    [ "$(queued tls)" -eq 0 ]
}
wait_for 30 "every record read and delivered" drained

[ "$(status files.rejected)" -eq 0 ] || fail "files rejected: $(cat "$sd_log")"
[ "$(status parse.item_errors)" -eq 0 ] || fail "parse errors: $(cat "$sd_log")"
[ "$(status transitions.open)" -eq 2 ] ||
    fail "transitions.open is $(status transitions.open), not 2"

for r in tcp tls; do
	log=$rs/$r.log
	expect_count 2 ' state="open"' "$log"
	expect_count 0 ' state="resolve"' "$log"
	[ "$(opened "$log")" -eq 2 ] || fail "$log: not 2 distinct ids opened"
	expect_count 1 '^<1[0-9][0-9]>1 [^ ]* AADCONNECT01 syncorr - adminsdholder-writeback-denied \[syncorr@32473 id="[0-9a-f]*" state="open" class="adminsdholder-writeback-denied" host="AADCONNECT01" connector="contoso.com"' "$log"
	expect_count 1 '^<1[0-9][0-9]>1 [^ ]* AADCONNECT01 syncorr - directory-data-collision \[syncorr@32473 id="[0-9a-f]*" state="open" class="directory-data-collision" host="AADCONNECT01" connector="[^"]*" connector_kind="AAD".* value="smtp:sales@contoso.com"' "$log"
	# Every message belongs to one of the two incidents.
	n=$(sed -n 's/.* id="\([0-9a-f]*\)" state=.*/\1/p' "$log" | sort -u |
	    wc -l)
	[ "$n" -eq 2 ] || fail "$log: $n incident ids"
	[ "$(lines "$log")" -eq "$(count ' id="[0-9a-f]*" state=' "$log")" ] ||
	    fail "$log: lines that are not incidents: $(cat "$log")"
	# The AdminSDHolder incident ends with the attribute and the mail.
	grep 'class="adminsdholder-writeback-denied"' "$log" | tail -n 1 \
	    >"$tmp/asd"
	expect_count 1 ' attribute="msDS-KeyCredentialLink"' "$tmp/asd"
	expect_count 1 ' protected="adminCount"' "$tmp/asd"
	expect_count 1 ' evidence="[^"]*health-email' "$tmp/asd"
	expect_count 1 'CN=Alice Admin\|alice' "$tmp/asd"
	expect_count 0 'ad-connector-only' "$tmp/asd"
	grep 'class="directory-data-collision"' "$log" >"$tmp/dup"
	expect_count 0 'dsacls\|AdminSDHolder\|health-email' "$tmp/dup"
done
cmp "$rs/tcp.log" "$rs/tls.log" || fail "TCP and TLS receivers differ"

# Stopped and started again: its first scan (done once it says
# "started") looks at every file again, and reads and sends nothing anew.
syncorrd_stop
[ "$sd_status" -eq 0 ] || fail "syncorrd exited $sd_status"
tr_before=$(status transitions.update)
syncorrd_start
[ "$(records)" -eq "$want" ] || fail "records read again after a restart"
[ "$(status transitions.open)" -eq 2 ] || fail "incidents opened again"
[ "$(status transitions.update)" -eq "$tr_before" ] ||
    fail "incidents updated again after a restart"
[ "$(queued tcp)" -eq 0 ] || fail "messages queued again"
syncorrd_stop
[ "$sd_status" -eq 0 ] || fail "syncorrd exited $sd_status"
expect_count 2 ' state="open"' "$rs/tcp.log"
