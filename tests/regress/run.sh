#!/bin/sh
# run.sh: runs every tests/regress/NN-*.sh scenario with the binaries of
# $O (default build) and prints one line per scenario and a closing
# "N passed, N failed" line.  Exits 1 when any scenario failed.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
O=${O:-build}
case $O in /*) ;; *) O=$top/$O ;; esac
export O top
pass=0
fail=0
for t in "$top"/tests/regress/[0-9][0-9]-*.sh; do
	name=$(basename "$t" .sh)
	if out=$(sh "$t" 2>&1); then
		pass=$((pass + 1))
		echo "ok $name"
	else
		fail=$((fail + 1))
		echo "FAIL $name"
		echo "$out" | sed 's/^/    /'
	fi
done
echo "regress: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
