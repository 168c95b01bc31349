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

# A signed-in user who has approved the bench app once, so /oauth2/authorize
# answers at once with a code: what a returning user's browser sees.
printf 'bench password 1\n' | "$bin" user create --login bencher --password-stdin --db "$db" >/dev/null
authz="/oauth2/authorize?response_type=code&client_id=$client_id&redirect_uri=http%3A%2F%2Flocalhost%3A3000&scope=chat%3Aread&state=b"
jar=$work/jar
csrf_of() { grep -o 'name="csrf" value="[0-9a-z]*"' | head -1 | sed 's/.*value="//; s/"//'; }
csrf=$(curl -s -c "$jar" -b "$jar" "$url$authz" | csrf_of)
curl -s -c "$jar" -b "$jar" -o /dev/null "$url$authz" \
    --data-urlencode step=login --data-urlencode "csrf=$csrf" \
    --data-urlencode login=bencher --data-urlencode 'password=bench password 1'
curl -s -c "$jar" -b "$jar" -o /dev/null "$url$authz" -d "csrf=$csrf&decision=authorize"
session=$(awk '$6 == "twauth_session" {print $7}' "$jar")
[ -n "$session" ] || { echo "bench: could not sign in" >&2; exit 1; }

# The refresh row reuses one refresh token (confidential apps keep theirs).
code=$(curl -s -b "$jar" -o /dev/null -w '%{redirect_url}' "$url$authz" | sed -n 's/.*code=\([0-9a-z]*\).*/\1/p')
refresh_token=$(curl -s -X POST "$url/oauth2/token" \
    -d "client_id=$client_id&client_secret=$client_secret&grant_type=authorization_code&redirect_uri=http://localhost:3000&code=$code" |
    sed -n 's/.*"refresh_token":"\([^"]*\)".*/\1/p')
[ -n "$refresh_token" ] || { echo "bench: code exchange failed" >&2; exit 1; }
cat >"$work/refresh.lua" <<LUA
wrk.method = "POST"
wrk.body = "client_id=$client_id&client_secret=$client_secret&grant_type=refresh_token&refresh_token=$refresh_token"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
LUA

# Code flow: each connection alternates an authorize (302 with a fresh code)
# and the exchange of that code.  Every code is used once.
cat >"$work/code.lua" <<LUA
local codes = {}
function request()
	local c = table.remove(codes)
	if c then
		return wrk.format("POST", "/oauth2/token",
		    { ["Content-Type"] = "application/x-www-form-urlencoded" },
		    "client_id=$client_id&client_secret=$client_secret&grant_type=authorization_code" ..
		    "&redirect_uri=http%3A%2F%2Flocalhost%3A3000&code=" .. c)
	end
	return wrk.format("GET", "$authz", { ["Cookie"] = "twauth_session=$session" })
end
function response(status, headers, body)
	local loc = headers["Location"]
	if loc then
		local c = loc:match("code=([0-9a-z]+)")
		if c then table.insert(codes, c) end
	end
end
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
run refresh -s "$work/refresh.lua" "$url/oauth2/token"
run code_flow -s "$work/code.lua" "$url"

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
		refresh) label='`POST /oauth2/token` refresh_token' ;;
		code_flow) label='`GET /oauth2/authorize` (signed in, consented) + `POST /oauth2/token` authorization_code, alternating' ;;
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
		printf 'After %d more issued tokens: server RSS %.1f MiB (peak %.1f MiB), database %.0f MiB (every token of the run).\n' \
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
