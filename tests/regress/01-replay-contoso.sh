# 01-replay-contoso: the contoso fixture spool (events, run history,
# run-profile results, both csexport dumps, a Connect Health mail) replays
# to exactly the two incidents its README describes, each opened once:
# the AdminSDHolder case for Alice Admin on msDS-KeyCredentialLink, with
# the mail joined and the AdminSDHolder grant as its fix, not
# ad-connector-only; and the smtp:sales@contoso.com collision on the AAD
# connector, with no permission grant in it.  The same input gives the
# same bytes in every output format whatever the order of the files, and
# --db keeps the same incidents for SQL.
. "$top/tests/regress/lib.sh"
spool=$SHARED/fixtures/contoso/spool
[ -d "$spool" ] || fail "no fixtures at $spool (set SYNCORR_SHARED)"

"$SYNCORR" replay --db "$tmp/db" "$spool" >"$tmp/all" 2>"$tmp/err"
expect_count 0 . "$tmp/err"
expect_count 2 '"state":"open"' "$tmp/all"
expect_count 0 '"state":"resolve"' "$tmp/all"
expect_count 1 '"state":"open","class":"adminsdholder-writeback-denied","host":"AADCONNECT01","connector":"contoso.com","connector_kind":"AD"' "$tmp/all"
expect_count 1 '"state":"open","class":"directory-data-collision","host":"AADCONNECT01","connector":"contoso.onmicrosoft.com - AAD","connector_kind":"AAD"' "$tmp/all"
expect_count 0 '"class":"[^"]*","host":"[^A]' "$tmp/all"

# What the AdminSDHolder incident ends up saying: its last transition.
grep '"class":"adminsdholder-writeback-denied"' "$tmp/all" | tail -n 1 \
    >"$tmp/asd"
expect_count 1 '"attribute":"msDS-KeyCredentialLink"' "$tmp/asd"
expect_count 1 '"objects":\[{"dn":"CN=Alice Admin,OU=Admins,DC=contoso,DC=com"' "$tmp/asd"
expect_count 1 '"object_count":1,"error_type":"permission-issue","error_code":8344' "$tmp/asd"
expect_count 1 '"first_seen":"2026-01-12T' "$tmp/asd"
expect_count 1 '"protected":"adminCount"' "$tmp/asd"
expect_count 1 '"evidence":\[[^]]*"health-email"' "$tmp/asd"
expect_count 1 '"health_alert":{"title":"Export to Active Directory failed' "$tmp/asd"
expect_count 0 'ad-connector-only' "$tmp/asd"
expect_count 1 'dsacls \\"CN=AdminSDHolder,CN=System,DC=contoso,DC=com\\" /G \\"[^"]*\\\\MSOL_[^"]*:WP;msDS-KeyCredentialLink\\"' "$tmp/asd"

# The collision: the contested value and its owners, no grant of any kind.
grep '"class":"directory-data-collision"' "$tmp/all" >"$tmp/dup"
expect_count 1 '"value":"smtp:sales@contoso.com"' "$tmp/dup"
expect_count 1 '"owners":\["[^]]*","[^]]*"\]' "$tmp/dup"
expect_count 0 'dsacls\|AdminSDHolder\|Set-ADSync\|health-email' "$tmp/dup"

# The AD dump alone: the incident opens with all its detail at once.
"$SYNCORR" replay --format json \
    "$spool"/AADCONNECT01/csexport-contoso.com-*.xml.gz >"$tmp/one"
expect_count 1 . "$tmp/one"
expect_count 1 '"state":"open","class":"adminsdholder-writeback-denied".*"attribute":"msDS-KeyCredentialLink".*"protected":"adminCount"' "$tmp/one"

# Byte-identical whatever the order the files are named in, every format.
cp -R "$spool" "$tmp/spool"
files=$(find "$tmp/spool" -type f | sort -r)
for f in json text rfc5424; do
	"$SYNCORR" replay --format $f "$spool" >"$tmp/a.$f"
	# shellcheck disable=SC2086
	"$SYNCORR" replay --format $f "$tmp/spool" >"$tmp/b.$f"
	cmp "$tmp/a.$f" "$tmp/b.$f" || fail "$f output depends on the order"
done
cmp "$tmp/all" "$tmp/a.json" || fail "--db changed the output"
expect_count 2 '^<1[0-9][0-9]>1 .* syncorr - [a-z-]* \[syncorr@32473 id="[0-9a-f]*" state="open"' "$tmp/a.rfc5424"

# --host and the time window select; --db holds what was printed.
"$SYNCORR" replay --host aadconnect01.contoso.com "$spool" >"$tmp/h"
cmp "$tmp/all" "$tmp/h" || fail "--host by FQDN lost incidents"
"$SYNCORR" replay --host OTHER01 "$spool" >"$tmp/none"
expect_count 0 . "$tmp/none"
"$SYNCORR" replay --until 2026-04-01 "$spool" >"$tmp/early"
expect_count 0 . "$tmp/early"
"$SYNCORR" replay --since 2026-04-02T10:00:00Z "$spool" >"$tmp/late"
expect_count 2 '"state":"open"' "$tmp/late"
sqlite3 "$tmp/db" 'SELECT class, state FROM incidents ORDER BY class' \
    >"$tmp/sql"
expect_count 1 '^adminsdholder-writeback-denied|update$' "$tmp/sql"
expect_count 1 '^directory-data-collision|open$' "$tmp/sql"
n=$(sqlite3 "$tmp/db" 'SELECT count(*) FROM transitions')
[ "$n" -eq "$(wc -l <"$tmp/all")" ] || fail "--db has $n transitions"
