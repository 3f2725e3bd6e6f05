# 03-replay-bad-input: bad files are reported on stderr with their name,
# offset and reason and skipped; what the good files say still comes out;
# the exit status is 2 when something was rejected, 1 on a usage error.
. "$top/tests/regress/lib.sh"
s=$tmp/spool/HOST1
mkdir -p "$s"
cp "$top/examples/spool/HQ-SYNC01/"*.xml "$s/"
head -c 1500 "$top/examples/spool/HQ-SYNC01/"*.xml >"$s/csexport-cut.xml"
cp "$top/tests/data/csexport/bad-xxe.xml" "$s/csexport-xxe.xml"
printf 'not gzip data' | gzip -c | head -c 20 >"$s/csexport-short.xml.gz"
printf 'hello\n' >"$s/notes.txt"

expect_status 2 "$SYNCORR" replay "$tmp/spool" >"$tmp/out" 2>"$tmp/err"
expect_count 2 '"class":"adminsdholder-writeback-denied"' "$tmp/out"
expect_count 1 'csexport-cut.xml: csexport at offset [0-9]*: truncated document' "$tmp/err"
expect_count 1 'csexport-xxe.xml: csexport at offset [0-9]*: a DOCTYPE is not allowed' "$tmp/err"
expect_count 1 'csexport-short.xml.gz: at offset [0-9]*: gzip: unexpected end of file' "$tmp/err"
expect_count 1 'notes.txt: unknown: skipped: not a format syncorr reads' "$tmp/err"
expect_count 0 'root:' "$tmp/out"

# Only good files: 0.  A missing path: 2.  No path, bad option: 1.
rm "$s"/csexport-cut.xml "$s"/csexport-xxe.xml "$s"/csexport-short.xml.gz
expect_status 0 "$SYNCORR" replay "$tmp/spool" >/dev/null 2>&1
expect_status 2 "$SYNCORR" replay "$tmp/nonexistent" >/dev/null 2>&1
expect_status 1 "$SYNCORR" replay >/dev/null 2>&1
expect_status 1 "$SYNCORR" replay --format yaml "$tmp/spool" >/dev/null 2>&1
# A file named explicitly must be one syncorr reads.
expect_status 2 "$SYNCORR" replay "$s/notes.txt" >/dev/null 2>&1
