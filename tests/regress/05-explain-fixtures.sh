# 05-explain-fixtures: syncorr explain recognises every file of the contoso
# spool from its content (renamed, the gzip'd dump too) and says what each
# yields, one summary line a file; the real .evtx files give exactly the
# records evtxexport reads and nothing syncorr acts on; a broken line in an
# NDJSON file is reported with its offset and the other lines still count.
. "$top/tests/regress/lib.sh"
c=$SHARED/fixtures/contoso/spool
e=$SHARED/fixtures/evtx

expect_status 0 "$SYNCORR" explain "$c" >"$tmp/out" 2>"$tmp/err"
expect_count 1 'adsync-app.xml: event-xml: 3 read, 3 records, 0 errors' "$tmp/err"
expect_count 1 'winlogbeat.ndjson: event-beat: 3 read, 3 records, 0 errors' "$tmp/err"
expect_count 1 'runhistory.xml: runhist: [0-9]* read, [0-9]* records, 0 errors' "$tmp/err"
expect_count 1 'runprofile.json: runprofile-json: [0-9]* read, [0-9]* records, 0 errors' "$tmp/err"
expect_count 1 'runprofile.csv: runprofile-csv: [0-9]* read, [0-9]* records, 0 errors' "$tmp/err"
expect_count 1 'csexport-aad-[^:]*: csexport: 1 read, 2 records, 0 errors' "$tmp/err"
expect_count 1 'csexport-contoso.com-[^:]*: csexport (gzip): 1 read, 2 records, 0 errors' "$tmp/err"
expect_count 1 'mail1: email: 1 read, 1 records, 0 errors' "$tmp/err"
expect_count 1 '"kind":"health-alert".*"alert":"export-to-ad-failed"' "$tmp/out"
expect_count 6 '"source":"event-6100"' "$tmp/out"

# Names do not matter: the same files renamed are read the same way.
mkdir "$tmp/renamed"
i=0
for f in "$c"/AADCONNECT01/events/* "$c"/AADCONNECT01/run* "$c"/Maildir/new/*; do
	i=$((i + 1))
	cp "$f" "$tmp/renamed/file$i.dat"
done
expect_status 0 "$SYNCORR" explain -c "$tmp/renamed" >/dev/null 2>"$tmp/err2"
expect_count 0 'unknown' "$tmp/err2"
expect_count "$i" ' 0 errors' "$tmp/err2"

# Real .evtx files: the counts evtxexport reads, no records.
expect_status 0 "$SYNCORR" explain -c "$e/Application_no_crc32.evtx" \
    "$e/system.evtx" >/dev/null 2>"$tmp/evtx"
expect_count 1 'Application_no_crc32.evtx: event-evtx: 17 read, 0 records' "$tmp/evtx"
expect_count 1 'system.evtx: event-evtx: 1881 read, 0 records' "$tmp/evtx"
"$SYNCORR" explain -c "$e/sample_with_a_bad_chunk_magic.evtx" >/dev/null \
    2>"$tmp/evtx" || true
expect_count 1 'sample_with_a_bad_chunk_magic.evtx: event-evtx: 267 read, 0 records' "$tmp/evtx"

# A broken line among good ones: said with its offset, the rest read.
b=$c/AADCONNECT01/events/winlogbeat.ndjson
{ head -n 1 "$b"; echo '{"@timestamp":"2026-04-02T09:00:54.000Z","winlog":{"event_id":'; tail -n 2 "$b"; } >"$tmp/broken.ndjson"
off=$(head -n 1 "$b" | wc -c | tr -d ' ')
expect_status 2 "$SYNCORR" explain "$tmp/broken.ndjson" >"$tmp/out3" 2>"$tmp/err3"
expect_count 1 "broken.ndjson: at offset $off: " "$tmp/err3"
expect_count 1 'broken.ndjson: event-beat: 4 read, 3 records, 1 errors' "$tmp/err3"
expect_count 3 '"source":"event-6100"' "$tmp/out3"
