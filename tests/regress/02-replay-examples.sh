# 02-replay-examples: the bundled sample spool replays to its four
# incidents (examples/README.md), each opened once, and the output is
# byte-identical whatever the order the files are named in.
. "$top/tests/regress/lib.sh"
spool=$top/examples/spool

"$SYNCORR" replay "$spool" >"$tmp/a"
expect_count 4 '"state":"open"' "$tmp/a"
expect_count 0 '"state":"update"' "$tmp/a"
expect_count 1 '"host":"HQ-SYNC01".*"attribute":"msDS-KeyCredentialLink".*"object_count":2' "$tmp/a"
expect_count 1 '"host":"HQ-SYNC01".*"attribute":"msExchSafeSendersHash".*"object_count":1' "$tmp/a"
expect_count 1 '"host":"BRANCH-SYNC02".*"attribute":"msExchSafeSendersHash".*"object_count":1' "$tmp/a"
expect_count 1 '"class":"ad-export-error","host":"BRANCH-SYNC02".*Marcus Webb' "$tmp/a"
expect_count 0 '"class":"ad-export-error".*dsacls' "$tmp/a"
expect_count 0 'Records Admin' "$tmp/a"

# The same files, named one by one in reverse order, from a copy.
cp -R "$spool" "$tmp/spool"
files=$(find "$tmp/spool" -type f | sort -r)
# shellcheck disable=SC2086
"$SYNCORR" replay $files >"$tmp/b"
cmp "$tmp/a" "$tmp/b" || fail "output depends on the order of the files"
# And the same dump given twice is the same evidence, not more.
"$SYNCORR" replay "$spool" "$tmp/spool" >"$tmp/c"
cmp "$tmp/a" "$tmp/c" || fail "a repeated dump changed the output"
