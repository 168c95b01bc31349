#!/usr/bin/env bash
# Runs every fuzz target in BUILD for SECS seconds each, two at a time, on
# a scratch copy of its seed corpus (fuzz/corpus/T, plus fuzz/regress/T),
# with its dictionary.  A crash, leak, timeout or sanitizer report fails
# the target; its input is kept in BUILD/artifacts/.  Prints one line per
# target (executions, executions per second) and "N passed, N failed".
#   fuzz/smoke.sh BUILD SECS
set -uo pipefail

build=${1:?usage: fuzz/smoke.sh BUILD SECS}
secs=${2:-30}
cd "$(dirname "$0")/.."
work=$(mktemp -d "${TMPDIR:-/tmp}/twauth-fuzz-XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$build/artifacts"

run_one() {
	local t=$1 bin="$build/fuzz_$1" corpus="$work/$1" seeds=("fuzz/corpus/$1")
	[ -d "fuzz/regress/$1" ] && seeds+=("fuzz/regress/$1")
	mkdir -p "$corpus"
	"$bin" -max_total_time="$secs" -print_final_stats=1 -timeout=10 -rss_limit_mb=2048 \
	    -max_len=8192 -dict="fuzz/dict/$1.dict" -artifact_prefix="$build/artifacts/$1-" \
	    "$corpus" "${seeds[@]}" >"$work/$1.log" 2>&1
	echo $? >"$work/$1.rc"
}
export -f run_one
export build secs work

targets=$(ls fuzz/fuzz_*.c | sed 's|fuzz/fuzz_\(.*\)\.c|\1|')
printf '%s\n' $targets | xargs -P 2 -I{} bash -c 'run_one {}'

passed=0
failed=0
printf '%-16s %12s %10s  %s\n' target executions exec/s result
for t in $targets; do
	log="$work/$t.log"
	runs=$(awk '/stat::number_of_executed_units:/ {print $2}' "$log" | tail -n 1)
	rate=$(awk '/stat::average_exec_per_sec:/ {print $2}' "$log" | tail -n 1)
	if [ "$(cat "$work/$t.rc")" = 0 ] && ! grep -qE 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error:|broken promise' "$log"; then
		passed=$((passed + 1))
		printf '%-16s %12s %10s  %s\n' "$t" "${runs:-?}" "${rate:-?}" ok
	else
		failed=$((failed + 1))
		printf '%-16s %12s %10s  %s\n' "$t" "${runs:-?}" "${rate:-?}" FAILED
		grep -E 'ERROR|runtime error|broken promise|Test unit written' "$log" | head -n 5
		cp "$log" "$build/artifacts/$t.log"
	fi
done
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
