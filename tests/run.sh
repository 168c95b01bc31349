#!/usr/bin/env bash
# Runs every test against the binaries in $TWAUTH_BUILD (default build/):
# the unit tests, the fuzz targets' saved inputs, then the end-to-end tests (node:test, the real server over
# HTTP), first on SQLite and then on a throwaway PostgreSQL.  Ends with one
# line "N passed, N failed"; exits 1 on any failure.
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

# unit_run LABEL: the unit tests once, counting their summary line.
unit_run() {
	local label=$1 rc line
	echo "== unit tests, $label ($build/unit-tests)"
	"./$build/unit-tests" >"$out/unit-$label.txt" 2>&1
	rc=$?
	grep -E '^(not ok|    )' "$out/unit-$label.txt" || true
	line=$(grep -E '^unit: [0-9]+ passed, [0-9]+ failed$' "$out/unit-$label.txt" | tail -n 1)
	if [ -n "$line" ]; then
		echo "$line"
		set -- $line
		passed=$((passed + $2))
		failed=$((failed + $4))
	fi
	if [ $rc -ne 0 ] && ! grep -qE ' [1-9][0-9]* failed$' <<<"$line"; then
		echo "unit tests exited $rc (crash or sanitizer report):"
		tail -n 30 "$out/unit-$label.txt"
		failed=$((failed + 1))
	fi
}

# e2e_run LABEL: the end-to-end tests once, counting node's summary.
e2e_run() {
	local label=$1 rc e2e_pass e2e_fail tap="$out/e2e-$1.tap"
	echo "== end-to-end tests, $label (node --test tests/e2e)"
	node --test --test-reporter=tap tests/e2e/*.test.mjs >"$tap" 2>&1
	rc=$?
	grep -E '^(ok|not ok) ' "$tap" | sed 's/^/  /'
	e2e_pass=$(grep -E '^# pass [0-9]+' "$tap" | awk '{print $3}' | tail -n 1)
	e2e_fail=$(grep -E '^# fail [0-9]+' "$tap" | awk '{print $3}' | tail -n 1)
	if [ -z "$e2e_pass" ]; then
		echo "the end-to-end runner printed no summary:"
		tail -n 30 "$tap"
		failed=$((failed + 1))
		return
	fi
	passed=$((passed + e2e_pass))
	failed=$((failed + e2e_fail))
	if [ "$e2e_fail" -gt 0 ]; then
		echo "-- failures (full log: $tap)"
		# Hooks (before/after) fail as nested items: show every level.
		awk '/^ *not ok /{p=1} p{print} /^ *\.\.\.$/{p=0}' "$tap" | head -n 160
	fi
	if [ $rc -ne 0 ] && [ "$e2e_fail" -eq 0 ]; then
		echo "node --test exited $rc"
		failed=$((failed + 1))
	fi
}

# replay_run: every fuzz target's seed corpus and regression inputs, run
# through the target built without libFuzzer (fuzz/replay.c).
replay_run() {
	local bin name
	echo "== fuzz targets over their corpus and regression inputs ($build/replay_*)"
	for bin in "$build"/replay_*; do
		[ -x "$bin" ] || continue
		name=${bin##*/replay_}
		if "./$bin" "fuzz/corpus/$name" "fuzz/regress/$name" >"$out/replay-$name.txt" 2>&1; then
			echo "  ok - $name: $(tail -n 1 "$out/replay-$name.txt")"
			passed=$((passed + 1))
		else
			echo "  not ok - $name:"
			tail -n 20 "$out/replay-$name.txt"
			failed=$((failed + 1))
		fi
	done
}

unit_run sqlite
replay_run
e2e_run sqlite

# The same again on a throwaway PostgreSQL (tests/pg.sh), fsync off: these
# runs test behaviour, not durability.
pgdir=$(mktemp -d "${TMPDIR:-/tmp}/twauth-pg-XXXXXX")
cleanup() {
	tests/pg.sh stop "$pgdir" >/dev/null 2>&1 || true
	rm -rf "$pgdir"
}
trap cleanup EXIT
if tests/pg.sh start "$pgdir" -c fsync=off -c synchronous_commit=off \
    -c full_page_writes=off >"$out/pg-start.txt" 2>&1; then
	export TWAUTH_TEST_PG_DIR=$pgdir
	unit_run postgresql
	e2e_run postgresql
	unset TWAUTH_TEST_PG_DIR
else
	echo "could not start PostgreSQL for the tests:"
	cat "$out/pg-start.txt"
	failed=$((failed + 1))
fi

echo "$passed passed, $failed failed"
[ $failed -eq 0 ] && [ $passed -gt 0 ]
