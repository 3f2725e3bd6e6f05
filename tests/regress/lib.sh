# lib.sh: shared helpers for the regress scenarios: a scratch directory
# removed on exit, and assertions that say what they expected.
set -eu
SYNCORR=$O/syncorr
SYNCORRD=$O/syncorrd
SHARED=${SYNCORR_SHARED:-$top/../shared}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/syncorr-regress.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

fail() {
	echo "$*" >&2
	exit 1
}

# expect_count N PATTERN FILE: FILE has exactly N lines matching PATTERN.
expect_count() {
	n=$(grep -c -- "$2" "$3" || true)
	[ "$n" -eq "$1" ] || fail "expected $1 lines matching '$2' in $3, got $n:
$(cat "$3")"
}

# expect_status N CMD…: CMD exits with status N.  The failure message
# goes to the scenario's stderr even when the caller redirects CMD's.
exec 3>&2
expect_status() {
	want=$1
	shift
	set +e
	"$@"
	got=$?
	set -e
	[ "$got" -eq "$want" ] || fail "expected exit $want from $*, got $got" 2>&3
}
