#!/usr/bin/env bash
# Benchmarks twauth serve with wrk, all rows in one run so that the ratios to
# /healthz are comparable on a shared, noisy machine.  Then issues one million
# app tokens and reports the server's memory.  Writes the table into
# docs/BENCHMARKS.md between the bench markers and prints it.
#
#   bench/run.sh                   full run (about 3 minutes on 2 cores)
#   BENCH_SECS=3 BENCH_TOKENS=0 bench/run.sh   quick look, no million-token step
set -euo pipefail
cd "$(dirname "$0")/.."

secs=${BENCH_SECS:-10}
conns=${BENCH_CONNS:-64}
threads=${BENCH_WRK_THREADS:-2}
tokens=${BENCH_TOKENS:-1000000}
bin=./${TWAUTH_BUILD:-build}/twauth
work=$(mktemp -d /tmp/twauth-bench-XXXXXX)
db=$work/twauth.db
server_pid=

cleanup() {
	[ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT

"$bin" app create --name bench --redirect-uri http://localhost:3000 --json --db "$db" >"$work/app.json"
client_id=$(sed -n 's/.*"client_id": "\(.*\)".*/\1/p' "$work/app.json")
client_secret=$(sed -n 's/.*"client_secret": "\(.*\)".*/\1/p' "$work/app.json")

# The access log stays on (the default) and goes to /dev/null: its cost counts.
"$bin" serve --listen 127.0.0.1:0 --db "$db" >"$work/out" 2>/dev/null &
server_pid=$!
for _ in $(seq 50); do grep -q 'listening on' "$work/out" 2>/dev/null && break; sleep 0.1; done
url=$(sed -n 's/.*listening on \(http[^ ]*\).*/\1/p' "$work/out")
[ -n "$url" ] || { echo "server did not start" >&2; exit 1; }

body="client_id=$client_id&client_secret=$client_secret&grant_type=client_credentials"
token=$(curl -s -X POST "$url/oauth2/token" -d "$body" | sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p')
cat >"$work/cc.lua" <<LUA
wrk.method = "POST"
wrk.body = "$body"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
LUA

# run NAME ARGS...: one wrk run; appends "name rps p50 p99 non2xx" to rows.
rows=$work/rows
run() {
	local name=$1
	shift
	wrk -t"$threads" -c"$conns" -d"${secs}s" --latency "$@" >"$work/$name.txt"
	local rps p50 p99 bad
	rps=$(awk '/^Requests\/sec:/ {print $2}' "$work/$name.txt")
	p50=$(awk '$1 == "50%" {print $2}' "$work/$name.txt")
	p99=$(awk '$1 == "99%" {print $2}' "$work/$name.txt")
	bad=$(awk '/Non-2xx/ {print $5}' "$work/$name.txt")
	echo "$name $rps $p50 $p99 ${bad:-0}" >>"$rows"
}

echo "benchmarking $url: wrk -t$threads -c$conns -d${secs}s per row" >&2
run healthz "$url/healthz"
run validate -H "Authorization: OAuth $token" "$url/oauth2/validate"
run client_credentials -s "$work/cc.lua" "$url/oauth2/token"

table=$work/table.md
{
	echo "| endpoint | requests/s | p50 | p99 | ratio to /healthz | non-2xx |"
	echo "|---|---:|---:|---:|---:|---:|"
	base=$(awk '$1 == "healthz" {print $2}' "$rows")
	while read -r name rps p50 p99 bad; do
		case $name in
		healthz) label='`GET /healthz`' ;;
		validate) label='`GET /oauth2/validate`' ;;
		client_credentials) label='`POST /oauth2/token` client_credentials' ;;
		esac
		ratio=$(awk -v a="$rps" -v b="$base" 'BEGIN {printf "%.2f", a / b}')
		printf '| %s | %.0f | %s | %s | %s | %s |\n' "$label" "$rps" "$p50" "$p99" "$ratio" "$bad"
	done <"$rows"
} >"$table"

if [ "$tokens" -gt 0 ]; then
	echo "issuing $tokens app tokens to measure memory..." >&2
	issued=0
	while [ "$issued" -lt "$tokens" ]; do
		wrk -t"$threads" -c"$conns" -d10s -s "$work/cc.lua" "$url/oauth2/token" >"$work/mil.txt"
		n=$(awk '/requests in/ {print $1}' "$work/mil.txt")
		bad=$(awk '/Non-2xx/ {print $5}' "$work/mil.txt")
		issued=$((issued + n - ${bad:-0}))
	done
	rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$server_pid/status")
	hwm=$(awk '/^VmHWM:/ {print $2}' "/proc/$server_pid/status")
	dbsize=$(du -k "$db" "$db-wal" 2>/dev/null | awk '{s += $1} END {print s}')
	{
		echo
		printf 'After %d issued tokens: server RSS %.1f MiB (peak %.1f MiB), database %.0f MiB.\n' \
		    "$issued" "$(echo "$rss / 1024" | bc -l)" "$(echo "$hwm / 1024" | bc -l)" \
		    "$(echo "$dbsize / 1024" | bc -l)"
	} >>"$table"
fi

{
	echo
	echo "Measured $(date -u +%Y-%m-%d) on $(nproc) cores ($(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)),"
	echo "wrk -t$threads -c$conns -d${secs}s --latency, server and wrk on the same machine, access log on."
} >>"$table"

cat "$table"
doc=docs/BENCHMARKS.md
if [ -f "$doc" ] && grep -q '<!-- bench:start -->' "$doc"; then
	awk -v t="$table" '
		/<!-- bench:start -->/ {print; while ((getline l < t) > 0) print l; skip=1; next}
		/<!-- bench:end -->/ {skip=0}
		!skip {print}' "$doc" >"$work/doc" && cp "$work/doc" "$doc"
	echo "updated $doc" >&2
fi
