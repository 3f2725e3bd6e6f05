# 01-replay-contoso: replaying the contoso fixture's AD csexport dump (gzip)
# gives exactly one adminsdholder-writeback-denied incident for Alice Admin
# on msDS-KeyCredentialLink, with the AdminSDHolder grant as its fix; the
# whole fixture spool, every file of it read, gives it once too and no
# rejection.
. "$top/tests/regress/lib.sh"
spool=$SHARED/fixtures/contoso/spool
[ -d "$spool" ] || fail "no fixtures at $spool (set SYNCORR_SHARED)"

"$SYNCORR" replay --format json \
    "$spool"/AADCONNECT01/csexport-contoso.com-*.xml.gz >"$tmp/out" \
    2>"$tmp/err"
expect_count 1 . "$tmp/out"
expect_count 1 '"state":"open","class":"adminsdholder-writeback-denied","host":"AADCONNECT01","connector":"contoso.com","connector_kind":"AD","attribute":"msDS-KeyCredentialLink"' "$tmp/out"
expect_count 1 '"dn":"CN=Alice Admin,OU=Admins,DC=contoso,DC=com"' "$tmp/out"
expect_count 1 '"object_count":1,"error_type":"permission-issue","error_code":8344' "$tmp/out"
expect_count 1 '"first_seen":"2026-01-12T' "$tmp/out"
expect_count 1 '"protected":"adminCount"' "$tmp/out"
expect_count 1 'dsacls \\"CN=AdminSDHolder,CN=System,DC=contoso,DC=com\\" /G \\"[^"]*\\\\MSOL_[^"]*:WP;msDS-KeyCredentialLink\\"' "$tmp/out"
expect_count 0 . "$tmp/err"

# The whole spool: still one AdminSDHolder incident, no rejection.
"$SYNCORR" replay "$spool" >"$tmp/all" 2>"$tmp/allerr"
expect_count 1 '"class":"adminsdholder-writeback-denied"' "$tmp/all"
expect_count 0 'dsacls.*smtp:sales\|AdminSDHolder.*sales@' "$tmp/all"
expect_count 0 'offset' "$tmp/allerr"
expect_count 0 'skipped' "$tmp/allerr"
