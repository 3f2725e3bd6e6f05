# 04-config-check: syncorrd -n accepts the example configuration and
# rejects a broken one, printing every error as FILE:LINE: message and
# exiting 1; an include is read relative to the including file.
. "$top/tests/regress/lib.sh"

expect_status 0 "$SYNCORRD" -n -f "$top/conf/syncorr.conf" 2>"$tmp/err"
expect_count 1 'configuration OK' "$tmp/err"

cat >"$tmp/bad.conf" <<'CONF'
state-dir "/var/lib/syncorr"
spoll "/srv/spool"
rescan 10x
include "extra.conf"
CONF
printf 'reminder forever\n' >"$tmp/extra.conf"
expect_status 1 "$SYNCORRD" -n -f "$tmp/bad.conf" 2>"$tmp/err"
expect_count 1 "^$tmp/bad.conf:2: " "$tmp/err"
expect_count 1 "^$tmp/bad.conf:3: " "$tmp/err"
expect_count 1 "^$tmp/extra.conf:1: " "$tmp/err"
expect_status 1 "$SYNCORRD" -n -f "$tmp/missing.conf" 2>/dev/null
