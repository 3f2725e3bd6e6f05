#!/bin/sh
# demo.sh: what make demo shows: syncorr replaying the bundled sample
# spool (two Entra Connect servers, csexport dumps plain and gzip'd), first
# as text for a person, then as the JSON lines a SIEM receives.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
O=${O:-build}
case $O in /*) ;; *) O=$top/$O ;; esac
cd "$top"

echo "== syncorrd -n: the sample configuration checks out"
"$O/syncorrd" -n -f examples/syncorr.conf
echo
echo "== syncorr replay --format text examples/spool"
echo
"$O/syncorr" replay -f examples/syncorr.conf --format text examples/spool
echo "== the same incidents as JSON, one object per line"
echo
"$O/syncorr" replay -f examples/syncorr.conf --format json examples/spool
