#!/bin/sh
# bench.sh: the numbers behind `make bench`.  Each section is one shell
# function (bench_csexport, …) that prepares its input, times the tools with
# benchrun (best wall time of BENCH_RUNS runs on a warm page cache, the
# highest peak RSS of them) and prints a table with its goals as PASS/FAIL.
# Inputs are generated once into $BENCH_DIR and kept between runs, since a
# 1 GiB dump is slow to write and the page cache is what we want to measure
# against.  Needs only coreutils, awk, xmllint (libxml2-utils) and sec.
# Exit status: 0 when every goal passes, 1 otherwise or on any error.
#
# Environment: O (build dir, default build), BENCH_DIR (default $O/bench),
# BENCH_RUNS (default 3), SYNCORR (default $O/syncorr), BENCH_EVENTS
# (events per generated event file, default 1000000), BENCH_REPLAY
# (export-error records per replay input, default 500000), BENCH_ONLY
# (run just the named sections: "csexport events replay").

set -eu

O=${O:-build}
BENCH_DIR=${BENCH_DIR:-$O/bench}
BENCH_RUNS=${BENCH_RUNS:-3}
SYNCORR=${SYNCORR:-$O/syncorr}
BENCH_EVENTS=${BENCH_EVENTS:-1000000}
BENCH_REPLAY=${BENCH_REPLAY:-500000}
BENCH_ONLY=${BENCH_ONLY:-csexport events replay}
BENCH_SRC=$(dirname "$0")
GEN_CSEXPORT=$O/tests/gen_csexport
GEN_EVENTS=$O/tests/gen_events
GEN_REPLAY=$O/tests/gen_replay
BENCHRUN=$O/tests/benchrun
GIB=1073741824
MIB=1048576
bench_failed=0

# Prints a message and stops.
bench_die() {
	echo "bench: $*" >&2
	exit 1
}

# Stops unless the program $1 can be run; $2 says how to get it.
bench_need() {
	case $1 in
	*/*)	[ -x "$1" ] || bench_die "$1 not found: $2" ;;
	*)	command -v "$1" >/dev/null 2>&1 ||
		    bench_die "$1 not found: $2" ;;
	esac
}

# Size of file $1 in bytes; 0 if it does not exist.
bench_size() {
	if [ -f "$1" ]; then
		wc -c <"$1" | tr -d ' '
	else
		echo 0
	fi
}

# The value of key $2 in a benchrun line $1 ("wall=1.234 user=…").
bench_field() {
	echo "$1" | awk -v k="$2" '{
		for (i = 1; i <= NF; i++) {
			split($i, kv, "=")
			if (kv[1] == k) { print kv[2]; exit }
		}
	}'
}

# Runs "$@" BENCH_RUNS times under benchrun with stdout to $bench_out;
# a first argument -q drops the command's stderr.
# Sets bench_wall (best), bench_cpu (best user + sys), bench_rss (highest,
# KiB).  Every run sees a warm
# page cache after the first, and the best wall time is the one least
# disturbed by the rest of the machine.  A failing run stops the bench.
bench_time() {
	bench_q=
	if [ "$1" = -q ]; then
		bench_q=-q
		shift
	fi
	bench_wall=
	bench_cpu=
	bench_rss=0
	bench_i=0
	while [ "$bench_i" -lt "$BENCH_RUNS" ]; do
		bench_i=$((bench_i + 1))
		if ! bench_line=$("$BENCHRUN" $bench_q -o "$bench_out" -- "$@")
		then
			bench_die "failed (${bench_line:-no result}): $*"
		fi
		bench_w=$(bench_field "$bench_line" wall)
		bench_c=$(awk -v u="$(bench_field "$bench_line" user)" \
		    -v s="$(bench_field "$bench_line" sys)" \
		    'BEGIN { print u + s }')
		bench_r=$(bench_field "$bench_line" maxrss_kib)
		echo "  run $bench_i: $bench_line" >&2
		bench_wall=$(awk -v a="$bench_wall" -v b="$bench_w" \
		    'BEGIN { print (a == "" || b + 0 < a + 0) ? b : a }')
		bench_cpu=$(awk -v a="$bench_cpu" -v b="$bench_c" \
		    'BEGIN { print (a == "" || b + 0 < a + 0) ? b : a }')
		[ "$bench_r" -gt "$bench_rss" ] && bench_rss=$bench_r
	done
	return 0
}

# Prints goal line $1 with PASS if awk expression $2 holds, else with FAIL,
# and remembers the failure (so never call it in a subshell).
bench_goal() {
	if awk "BEGIN { exit !($2) }"; then
		echo "  $1  PASS"
	else
		bench_failed=1
		echo "  $1  FAIL"
	fi
}

# Writes the big csexport dump unless a complete one is already there.
# gen_csexport writes to a temporary name first so that an interrupted run
# never leaves a truncated document that looks big enough to keep.
bench_gen_csexport() {
	bench_file=$1
	bench_sz=$(bench_size "$bench_file")
	if [ "$bench_sz" -ge "$GIB" ]; then
		echo "bench: keeping $bench_file ($((bench_sz / MIB)) MB);" \
		    "delete it to regenerate" >&2
		return 0
	fi
	echo "bench: generating $bench_file (kept for later runs)" >&2
	mkdir -p "$BENCH_DIR"
	rm -f "$bench_file.tmp"
	"$GEN_CSEXPORT" -s 1100 "$bench_file.tmp"
	mv "$bench_file.tmp" "$bench_file"
}

# csexport parsing: syncorr replay against xmllint's streaming reader, the
# baseline of "as fast as the disk" for a parser built on libxml2.
bench_csexport() {
	bench_need xmllint "install libxml2-utils"
	bench_need "$GEN_CSEXPORT" "run make $GEN_CSEXPORT"
	bench_need "$BENCHRUN" "run make $BENCHRUN"
	bench_need "$SYNCORR" "syncorr is not built yet (make all)"

	bench_file=$BENCH_DIR/csexport-big.xml
	bench_gen_csexport "$bench_file"
	bench_sz=$(bench_size "$bench_file")

	echo "== csexport: xmllint --stream --noout" >&2
	bench_out=/dev/null
	bench_time xmllint --stream --noout "$bench_file"
	x_wall=$bench_wall
	x_rss=$bench_rss

	echo "== csexport: syncorr replay --format json" >&2
	bench_out=$BENCH_DIR/csexport-big.jsonl
	bench_time "$SYNCORR" replay --format json "$bench_file"
	s_wall=$bench_wall
	s_rss=$bench_rss
	s_lines=$(wc -l <"$bench_out" | tr -d ' ')

	awk -v sz="$bench_sz" -v xw="$x_wall" -v xr="$x_rss" \
	    -v sw="$s_wall" -v sr="$s_rss" -v mib="$MIB" -v runs="$BENCH_RUNS" \
	    -v f="$bench_file" 'BEGIN {
		printf "\ncsexport: %s, %.1f MB (MB = 2^20 bytes), " \
		    "best of %d runs\n", f, sz / mib, runs
		printf "  %-8s %9s %9s %12s\n", "tool", "wall s", "MB/s",
		    "peak RSS MiB"
		printf "  %-8s %9.3f %9.1f %12.1f\n", "xmllint", xw,
		    sz / mib / xw, xr / 1024
		printf "  %-8s %9.3f %9.1f %12.1f\n", "syncorr", sw,
		    sz / mib / sw, sr / 1024
	}'
	echo "  syncorr wrote $s_lines lines to $bench_out"
	bench_ratio=$(awk -v x="$x_wall" -v s="$s_wall" \
	    'BEGIN { printf "%.2f", x / s }')
	bench_rssm=$(awk -v r="$s_rss" 'BEGIN { printf "%.1f", r / 1024 }')
	bench_goal "goal: ratio >= 1.0    syncorr/xmllint MB/s = $bench_ratio" \
	    "$bench_ratio >= 1.0"
	bench_goal "goal: RSS <= 32 MiB   syncorr peak RSS = $bench_rssm MiB" \
	    "$s_rss <= 32 * 1024"
}

# Writes event file $1 of format $2 (xml or beat) and its .gz, unless
# they are there; for xml also the <Events>-wrapped copy xmllint can read.
bench_gen_events() {
	if [ "$(bench_size "$1")" -eq 0 ]; then
		echo "bench: generating $1 (kept for later runs)" >&2
		mkdir -p "$BENCH_DIR"
		"$GEN_EVENTS" "$2" "$BENCH_EVENTS" >"$1.tmp"
		mv "$1.tmp" "$1"
	fi
	if [ "$(bench_size "$1.gz")" -eq 0 ]; then
		gzip -c "$1" >"$1.gz.tmp"
		mv "$1.gz.tmp" "$1.gz"
	fi
	if [ "$2" = xml ] && [ "$(bench_size "$1.wrapped")" -eq 0 ]; then
		{ echo "<Events>"; cat "$1"; echo "</Events>"; } >"$1.wrapped"
	fi
}

# One event file through syncorr explain -c: sets ev_rate (events per
# second of wall time) and ev_cpu_rate (events per CPU second, the
# per-core figure).
bench_event_rate() {
	bench_out=/dev/null
	bench_time "$SYNCORR" explain -c "$1"
	ev_wall=$bench_wall
	ev_rate=$(awk -v n="$BENCH_EVENTS" -v w="$bench_wall" \
	    'BEGIN { printf "%.0f", n / w }')
	ev_cpu_rate=$(awk -v n="$BENCH_EVENTS" -v c="$bench_cpu" \
	    'BEGIN { printf "%.0f", n / c }')
	ev_rss=$bench_rss
}

# Event parsing: wevtutil XML and Winlogbeat NDJSON, plain and gzip'd,
# read by syncorr explain -c (sniff, parse, map to records, no output).
# xmllint --stream over the same XML wrapped in <Events> is the baseline.
bench_events() {
	bench_need xmllint "install libxml2-utils"
	bench_need "$GEN_EVENTS" "run make $GEN_EVENTS"
	bench_need "$BENCHRUN" "run make $BENCHRUN"
	bench_need "$SYNCORR" "syncorr is not built yet (make all)"

	bench_xml=$BENCH_DIR/events.xml
	bench_beat=$BENCH_DIR/events.ndjson
	bench_gen_events "$bench_xml" xml
	bench_gen_events "$bench_beat" beat

	echo "== events: xmllint --stream --noout (wrapped XML)" >&2
	bench_out=/dev/null
	bench_time xmllint --stream --noout "$bench_xml.wrapped"
	x_wall=$bench_wall

	printf '\nevents: %s events a file, best of %d runs\n' \
	    "$BENCH_EVENTS" "$BENCH_RUNS"
	printf '  %-22s %9s %12s %14s %9s\n' input "wall s" "events/s" \
	    "events/CPU s" "RSS MiB"
	for f in "$bench_xml" "$bench_xml.gz" "$bench_beat" "$bench_beat.gz"; do
		echo "== events: syncorr explain -c $f" >&2
		bench_event_rate "$f"
		printf '  %-22s %9.3f %12s %14s %9.1f\n' "${f##*/}" \
		    "$ev_wall" "$ev_rate" "$ev_cpu_rate" \
		    "$(awk -v r="$ev_rss" 'BEGIN { print r / 1024 }')"
		eval "rate_$(echo "${f##*/}" | tr '.-' '__')=\$ev_cpu_rate"
		eval "wall_$(echo "${f##*/}" | tr '.-' '__')=\$ev_wall"
	done
	printf '  %-22s %9.3f\n' "xmllint (wrapped xml)" "$x_wall"
	# shellcheck disable=SC2154
	bench_goal "goal: XML >= 250000 events/CPU s     = $rate_events_xml" \
	    "$rate_events_xml >= 250000"
	# shellcheck disable=SC2154
	bench_goal "goal: NDJSON >= 250000 events/CPU s  = $rate_events_ndjson" \
	    "$rate_events_ndjson >= 250000"
	# shellcheck disable=SC2154
	gx=$(awk -v p="$wall_events_xml" -v g="$wall_events_xml_gz" \
	    'BEGIN { printf "%.2f", p / g }')
	# shellcheck disable=SC2154
	gb=$(awk -v p="$wall_events_ndjson" -v g="$wall_events_ndjson_gz" \
	    'BEGIN { printf "%.2f", p / g }')
	bench_goal "goal: XML .gz >= 0.8x plain         = ${gx}x" "$gx >= 0.8"
	bench_goal "goal: NDJSON .gz >= 0.8x plain      = ${gb}x" "$gb >= 0.8"
	echo "  syncorr/xmllint speed on XML = $(awk -v x="$x_wall" \
	    -v s="$wall_events_xml" 'BEGIN { printf "%.2f", x / s }')"
}

# Writes replay input $1, a spool tree of $2 objects with an export error
# in each of $3 dumps, and $1.jsonl, the records syncorr explain reads from
# it, unless they are there.  Stops unless explain finds what gen_replay
# wrote: one export error an object and dump, one snapshot a dump.
bench_gen_replay() {
	if [ ! -d "$1" ]; then
		echo "bench: generating $1 (kept for later runs)" >&2
		mkdir -p "$BENCH_DIR"
		rm -rf "$1.tmp"
		"$GEN_REPLAY" "$2" "$3" "$1.tmp"
		mv "$1.tmp" "$1"
	fi
	if [ "$(bench_size "$1.jsonl")" -eq 0 ]; then
		"$SYNCORR" explain "$1" >"$1.jsonl.tmp" 2>"$1.explain.log" ||
		    bench_die "syncorr explain $1 failed: see $1.explain.log"
		mv "$1.jsonl.tmp" "$1.jsonl"
		rm -f "$1.explain.log"
	fi
	rp_seen=$(awk '/^\{"kind":"export-error"/ { e++ }
	    /^\{"kind":"snapshot"/ { s++ }
	    END { print e + 0 "/" s + 0 }' "$1.jsonl")
	[ "$rp_seen" = "$(($2 * $3))/$3" ] || bench_die "$1.jsonl holds" \
	    "$rp_seen export errors/snapshots, want $(($2 * $3))/$3"
}

# "LINES DISTINCT": how many lines of file $1 open an incident, and how
# many distinct incidents (by "id", else by the whole line) they open.  An
# incident opened twice was forgotten in between.
bench_opens() {
	awk '/"state":"open"/ {
		n++
		k = match($0, /"id":"[^"]*"/) ? substr($0, RSTART, RLENGTH) : $0
		if (!(k in seen)) {
			seen[k] = 1
			d++
		}
	} END { print n + 0, d + 0 }' "$1"
}

# Checks that tool $1 opened $3 distinct incidents once each in file $2.
bench_check_opens() {
	bench_n=$(bench_opens "$2")
	bench_lines=${bench_n% *}
	bench_ids=${bench_n#* }
	bench_msg="check: $1 opens each of $3 incidents once"
	bench_goal "$bench_msg: $bench_lines opens, $bench_ids incidents" \
	    "$bench_lines == $3 && $bench_ids == $3"
}

# One replay input of $1 open incidents: appends its row to rp_table and
# sets rp_rate_<N> (records/s) and rp_ratio_<N> (syncorr/sec per CPU s).
bench_replay_one() {
	rp_k=$((BENCH_REPLAY / $1))
	[ "$rp_k" -ge 1 ] || rp_k=1
	rp_recs=$(($1 * rp_k))
	rp_dir=$BENCH_DIR/replay-${1}x$rp_k
	bench_gen_replay "$rp_dir" "$1" "$rp_k"

	echo "== replay: syncorr replay --format json, $1 incidents" >&2
	bench_out=$rp_dir.incidents.jsonl
	bench_time -q "$SYNCORR" replay --format json "$rp_dir"
	rp_wall=$bench_wall
	rp_cpu=$bench_cpu
	rp_rss=$bench_rss
	bench_check_opens syncorr "$bench_out" "$1"

	# One run: sec's CPU time is long and steady.
	echo "== replay: sec --conf=replay.sec, $1 incidents" >&2
	bench_out=$rp_dir.sec.out
	rp_runs=$BENCH_RUNS
	BENCH_RUNS=1
	bench_time sec --conf="$BENCH_SRC/replay.sec" --input="$rp_dir.jsonl" \
	    --notail --bufsize=1
	BENCH_RUNS=$rp_runs
	bench_check_opens sec "$bench_out" "$1"

	rp_rate=$(awk -v r="$rp_recs" -v w="$rp_wall" 'BEGIN { print r / w }')
	rp_ratio=$(awk -v c="$rp_cpu" -v s="$bench_cpu" \
	    'BEGIN { printf "%.2f", s / c }')
	eval "rp_rate_$1=$rp_rate rp_ratio_$1=$rp_ratio"
	rp_table="$rp_table$(awk -v n="$1" -v r="$rp_recs" -v w="$rp_wall" \
	    -v c="$rp_cpu" -v m="$rp_rss" -v s="$bench_cpu" -v x="$rp_ratio" \
	    'BEGIN { printf "  %9d %8d %13.0f %10.0f %7.1f %13.0f %6.2f\n",
	    n, r, r / w, r / c, m / 1024, r / s, x }')
"
}

# Correlation: syncorr replay of one host's csexport dumps, cycle after
# cycle, each holding the same N objects with an export error (N open
# ad-export-error incidents, the rest repeats that emit nothing), against
# the same correlation as an SEC rule set over the records syncorr
# explain prints.  The inputs keep the record count and vary N.
bench_replay() {
	bench_need sec "install sec"
	bench_need "$GEN_REPLAY" "run make $GEN_REPLAY"
	bench_need "$BENCHRUN" "run make $BENCHRUN"
	bench_need "$SYNCORR" "syncorr is not built yet (make all)"

	rp_table=
	for n in 1000 10000 100000; do
		bench_replay_one "$n"
	done
	printf '\nreplay: about %s export-error records an input, ' \
	    "$BENCH_REPLAY"
	printf 'syncorr best of %d runs, sec 1 run\n' "$BENCH_RUNS"
	printf '  %9s %8s %13s %10s %7s %13s %6s\n' incidents records \
	    "syncorr rec/s" "rec/CPU s" "RSS MiB" "sec rec/CPU s" ratio
	printf '%s' "$rp_table"
	# shellcheck disable=SC2154
	rp_worst=$(printf '%s\n' "$rp_ratio_1000" "$rp_ratio_10000" \
	    "$rp_ratio_100000" | sort -n | head -n 1)
	bench_goal "goal: syncorr/sec records/CPU s >= 10 (worst) = ${rp_worst}x" \
	    "$rp_worst >= 10"
	# shellcheck disable=SC2154
	rp_growth=$(awk -v a="$rp_rate_100000" -v b="$rp_rate_1000" \
	    'BEGIN { printf "%.2f", a / b }')
	bench_goal "goal: records/s, 1e5 vs 1e3 incidents >= 0.8 = ${rp_growth}x" \
	    "$rp_growth >= 0.8"
}

for section in $BENCH_ONLY; do
	case $section in
	csexport)	bench_csexport ;;
	events)		bench_events ;;
	replay)		bench_replay ;;
	*)		bench_die "unknown section $section" ;;
	esac
done

if [ "$bench_failed" -ne 0 ]; then
	echo "bench: some goals FAIL" >&2
	exit 1
fi
echo "bench: all goals PASS" >&2
