#!/usr/bin/env bash
# Runs every test against the binaries in $TWAUTH_BUILD (default build/):
# the unit tests, then the end-to-end tests (node:test, the real server over
# HTTP).  Ends with one line "N passed, N failed"; exits 1 on any failure.
set -u
cd "$(dirname "$0")/.."
build=${TWAUTH_BUILD:-build}
out=${TWAUTH_TEST_OUT:-tests/out/$build}
mkdir -p "$out"
out=$(cd "$out" && pwd)
export TWAUTH_BUILD=$build
# Browser tests save their screenshots under $out/screenshots.
export TWAUTH_TEST_OUT=$out
# Sanitizer builds: leaks and undefined behaviour are failures.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

passed=0
failed=0

echo "== unit tests ($build/unit-tests)"
"./$build/unit-tests" >"$out/unit.txt" 2>&1
unit_rc=$?
grep -E '^(not ok|    )' "$out/unit.txt" || true
line=$(grep -E '^unit: [0-9]+ passed, [0-9]+ failed$' "$out/unit.txt" | tail -n 1)
if [ -n "$line" ]; then
	echo "$line"
	set -- $line
	passed=$((passed + $2))
	failed=$((failed + $4))
fi
if [ $unit_rc -ne 0 ] && [ $failed -eq 0 ]; then
	echo "unit tests exited $unit_rc (crash or sanitizer report):"
	tail -n 30 "$out/unit.txt"
	failed=$((failed + 1))
fi

echo "== end-to-end tests (node --test tests/e2e)"
node --test --test-reporter=tap tests/e2e/*.test.mjs >"$out/e2e.tap" 2>&1
e2e_rc=$?
grep -E '^(ok|not ok) ' "$out/e2e.tap" | sed 's/^/  /'
e2e_pass=$(grep -E '^# pass [0-9]+' "$out/e2e.tap" | awk '{print $3}' | tail -n 1)
e2e_fail=$(grep -E '^# fail [0-9]+' "$out/e2e.tap" | awk '{print $3}' | tail -n 1)
if [ -z "$e2e_pass" ]; then
	echo "the end-to-end runner printed no summary:"
	tail -n 30 "$out/e2e.tap"
	failed=$((failed + 1))
else
	passed=$((passed + e2e_pass))
	failed=$((failed + e2e_fail))
	if [ "$e2e_fail" -gt 0 ]; then
		echo "-- failures (full log: $out/e2e.tap)"
		# Hooks (before/after) fail as nested items: show every level.
		awk '/^ *not ok /{p=1} p{print} /^ *\.\.\.$/{p=0}' "$out/e2e.tap" | head -n 160
	fi
	if [ $e2e_rc -ne 0 ] && [ "$e2e_fail" -eq 0 ]; then
		echo "node --test exited $e2e_rc"
		failed=$((failed + 1))
	fi
fi

echo "$passed passed, $failed failed"
[ $failed -eq 0 ] && [ $passed -gt 0 ]
