#!/usr/bin/env bash
# Benchmarks twauth serve with wrk, on SQLite and on PostgreSQL, all rows in
# one run so that the ratios to /healthz are comparable on a shared, noisy
# machine.  PostgreSQL is a throwaway cluster (tests/pg.sh) with its default,
# durable settings (fsync and synchronous_commit on).  Then two servers on
# the one PostgreSQL database, each driven by its own wrk; then one million
# app tokens on SQLite and the server's memory.  Writes the tables into
# docs/BENCHMARKS.md between the bench markers and prints them.
#
# The rows with targets (healthz, validate, client_credentials on SQLite)
# run BENCH_ROUNDS times, interleaved; the table shows the median of the
# rounds and the median of each round's ratio to that round's /healthz, so
# that a burst of noise from a neighbour moves one round, not the result.
#
#   bench/run.sh                   full run (about 4 minutes on 2 cores)
#   BENCH_SECS=3 BENCH_ROUNDS=1 BENCH_TOKENS=0 bench/run.sh   quick look
set -euo pipefail
cd "$(dirname "$0")/.."

secs=${BENCH_SECS:-5}
rounds=${BENCH_ROUNDS:-3}
conns=${BENCH_CONNS:-64}
threads=${BENCH_WRK_THREADS:-2}
tokens=${BENCH_TOKENS:-1000000}
bin=./${TWAUTH_BUILD:-build}/twauth
work=$(mktemp -d /tmp/twauth-bench-XXXXXX)
pgdir=$(mktemp -d /tmp/twauth-bench-pg-XXXXXX)	# its own: the postgres user must reach it
pids=()

cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null && wait "$p" 2>/dev/null; done
	[ -d "$pgdir/data" ] && tests/pg.sh stop "$pgdir" >/dev/null 2>&1
	rm -rf "$work" "$pgdir"
}
trap cleanup EXIT

json_field() { sed -n "s/.*\"$1\": *\"\\([^\"]*\\)\".*/\\1/p"; }

# serve NAME DB [ARGS...]: starts a server; sets url_NAME and pid_NAME.
serve() {
	local name=$1 db=$2 out=$work/$1.out
	shift 2
	# The access log stays on (the default) and goes to /dev/null: its cost counts.
	"$bin" serve --listen 127.0.0.1:0 --db "$db" "$@" >"$out" 2>/dev/null &
	pids+=($!)
	eval "pid_$name=$!"
	for _ in $(seq 100); do grep -q 'listening on' "$out" 2>/dev/null && break; sleep 0.1; done
	eval "url_$name=\$(sed -n 's/.*listening on \\(http[^ ]*\\).*/\\1/p' \"$out\")"
	[ -n "$(eval echo "\$url_$name")" ] || { echo "bench: server $name did not start" >&2; exit 1; }
}

# prepare NAME DB URL: an app, a token, a signed-in user who approved the
# app once, a refresh token; the wrk scripts into $work/NAME/.
prepare() {
	local name=$1 db=$2 url=$3 d=$work/$1
	mkdir -p "$d"
	"$bin" app create --name bench --redirect-uri http://localhost:3000 --json --db "$db" >"$d/app.json"
	local client_id client_secret body
	client_id=$(json_field client_id <"$d/app.json")
	client_secret=$(json_field client_secret <"$d/app.json")
	body="client_id=$client_id&client_secret=$client_secret&grant_type=client_credentials"
	curl -s -X POST "$url/oauth2/token" -d "$body" | sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p' >"$d/token"
	cat >"$d/cc.lua" <<LUA
wrk.method = "POST"
wrk.body = "$body"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
LUA
	# A returning user's browser: /oauth2/authorize answers at once with a code.
	printf 'bench password 1\n' | "$bin" user create --login bencher --password-stdin --db "$db" >/dev/null
	local authz="/oauth2/authorize?response_type=code&client_id=$client_id&redirect_uri=http%3A%2F%2Flocalhost%3A3000&scope=chat%3Aread&state=b"
	local jar=$d/jar csrf session code refresh_token
	csrf=$(curl -s -c "$jar" -b "$jar" "$url$authz" | grep -o 'name="csrf" value="[0-9a-z]*"' | head -1 | sed 's/.*value="//; s/"//')
	curl -s -c "$jar" -b "$jar" -o /dev/null "$url$authz" \
	    --data-urlencode step=login --data-urlencode "csrf=$csrf" \
	    --data-urlencode login=bencher --data-urlencode 'password=bench password 1'
	# Signed in, the consent form's CSRF token is the session's own.
	csrf=$(curl -s -c "$jar" -b "$jar" "$url$authz" | grep -o 'name="csrf" value="[0-9a-z]*"' | head -1 | sed 's/.*value="//; s/"//')
	curl -s -c "$jar" -b "$jar" -o /dev/null "$url$authz" -d "csrf=$csrf&decision=authorize"
	session=$(awk '$6 == "twauth_session" {print $7}' "$jar")
	[ -n "$session" ] || { echo "bench: could not sign in on $name" >&2; exit 1; }
	# The refresh row reuses one refresh token (confidential apps keep theirs).
	code=$(curl -s -b "$jar" -o /dev/null -w '%{redirect_url}' "$url$authz" | sed -n 's/.*code=\([0-9a-z]*\).*/\1/p')
	refresh_token=$(curl -s -X POST "$url/oauth2/token" \
	    -d "client_id=$client_id&client_secret=$client_secret&grant_type=authorization_code&redirect_uri=http://localhost:3000&code=$code" |
	    sed -n 's/.*"refresh_token":"\([^"]*\)".*/\1/p')
	[ -n "$refresh_token" ] || { echo "bench: code exchange failed on $name" >&2; exit 1; }
	cat >"$d/refresh.lua" <<LUA
wrk.method = "POST"
wrk.body = "client_id=$client_id&client_secret=$client_secret&grant_type=refresh_token&refresh_token=$refresh_token"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
LUA
	# Each connection alternates an app token and its revocation.
	cat >"$d/revoke.lua" <<LUA
local token
function request()
	if token then
		local t = token
		token = nil
		return wrk.format("POST", "/oauth2/revoke",
		    { ["Content-Type"] = "application/x-www-form-urlencoded" },
		    "client_id=$client_id&token=" .. t)
	end
	return wrk.format("POST", "/oauth2/token",
	    { ["Content-Type"] = "application/x-www-form-urlencoded" }, "$body")
end
function response(status, headers, body)
	token = body:match('"access_token":"([0-9a-z]+)"')
end
LUA
	# Each connection alternates an authorize (302 with a fresh code) and
	# the exchange of that code.  Every code is used once.
	cat >"$d/code.lua" <<LUA
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
}

# measure OUT ARGS...: one wrk run into OUT; prints "rps p50 p99 non2xx".
measure() {
	local out=$1
	shift
	wrk --latency "$@" >"$out"
	echo "$(awk '/^Requests\/sec:/ {print $2}' "$out") $(awk '$1 == "50%" {print $2}' "$out")" \
	    "$(awk '$1 == "99%" {print $2}' "$out") $(awk '/Non-2xx/ {print $5}' "$out" | grep . || echo 0)"
}

w="-t$threads -c$conns -d${secs}s"

# one ROW NAME URL: one wrk run of a row on backend NAME; "rps p50 p99 non2xx".
one() {
	local d=$work/$2
	case $1 in
	healthz) measure "$d/healthz.txt" $w "$3/healthz" ;;
	validate) measure "$d/validate.txt" $w -H "Authorization: OAuth $(cat "$d/token")" "$3/oauth2/validate" ;;
	client_credentials) measure "$d/cc.txt" $w -s "$d/cc.lua" "$3/oauth2/token" ;;
	refresh) measure "$d/refresh.txt" $w -s "$d/refresh.lua" "$3/oauth2/token" ;;
	code_flow) measure "$d/code.txt" $w -s "$d/code.lua" "$3" ;;
	revoke) measure "$d/revoke.txt" $w -s "$d/revoke.lua" "$3" ;;
	esac
}

# median FILE: the line of FILE ("rps ...") with the median rps.
median() { sort -n "$1" | awk '{l[NR] = $0} END {print l[int((NR + 1) / 2)]}'; }

serve sqlite "$work/twauth.db"
prepare sqlite "$work/twauth.db" "$url_sqlite"
# The same on a database of its own with --durability relaxed: what syncing
# the WAL at every commit costs.
serve relaxed "$work/relaxed.db" --durability relaxed
prepare relaxed "$work/relaxed.db" "$url_relaxed"
# Two more, alike but for --no-audit: what recording for the rules lab costs.
serve audit "$work/audit.db"
prepare audit "$work/audit.db" "$url_audit"
serve noaudit "$work/noaudit.db" --no-audit
prepare noaudit "$work/noaudit.db" "$url_noaudit"
pg_uri=$(tests/pg.sh start "$pgdir")
export TWAUTH_SECRET_FILE=$work/pg.secret
serve pg "$pg_uri"
prepare pg "$pg_uri" "$url_pg"

echo "benchmarking: wrk -t$threads -c$conns -d${secs}s per row, $rounds rounds" >&2
for r in $(seq "$rounds"); do
	for row in healthz validate client_credentials; do
		one "$row" sqlite "$url_sqlite" >>"$work/$row.rounds"
	done
	# Each round's ratios, against that round's /healthz.
	paste "$work/healthz.rounds" "$work/validate.rounds" "$work/client_credentials.rounds" |
	    tail -n 1 | awk '{printf "%.2f %.2f\n", $5 / $1, $9 / $1}' >>"$work/ratio.rounds"
done
healthz=$(median "$work/healthz.rounds")
{
	for row in validate client_credentials; do echo "$row $(median "$work/$row.rounds")"; done
	for row in refresh code_flow; do echo "$row $(one "$row" sqlite "$url_sqlite")"; done
} >"$work/rows.sqlite"
for row in validate client_credentials refresh code_flow; do
	echo "$row $(one "$row" pg "$url_pg")"
done >"$work/rows.pg"
# --durability full (the server above) against relaxed, back to back per row.
for row in client_credentials refresh revoke; do
	echo "$row $(one "$row" sqlite "$url_sqlite") $(one "$row" relaxed "$url_relaxed")"
done >"$work/rows.durability"

# Recording on against --no-audit, two servers made alike, back to back per
# row, in more rounds than the rest (the difference sought is small), which
# of the two goes first alternating: each round's on / off ratio, and the
# median of those.
audit_rounds=${BENCH_AUDIT_ROUNDS:-7}
for r in $(seq "$audit_rounds"); do
	for row in validate client_credentials; do
		if [ $((r % 2)) = 1 ]; then
			on=$(one "$row" audit "$url_audit")
			off=$(one "$row" noaudit "$url_noaudit")
		else
			off=$(one "$row" noaudit "$url_noaudit")
			on=$(one "$row" audit "$url_audit")
		fi
		echo "$row $on $off"
	done
done >"$work/rows.audit"

# Two servers on the one PostgreSQL database, each with its own wrk and half
# the connections; requests/s is the sum, p99 the worse of the two.
serve pg2 "$pg_uri"
half=$((conns / 2))
measure "$work/two_a.txt" -t1 -c"$half" -d"${secs}s" -s "$work/pg/cc.lua" "$url_pg/oauth2/token" >"$work/two_a" &
first=$!
measure "$work/two_b.txt" -t1 -c"$half" -d"${secs}s" -s "$work/pg/cc.lua" "$url_pg2/oauth2/token" >"$work/two_b"
wait "$first"
# wrk writes latencies as 850.00us, 1.20ms or 1.05s: compare them in microseconds.
two=$(awk 'function us(t) { return t ~ /us$/ ? t + 0 : t ~ /ms$/ ? t * 1000 : t * 1000000 }
	{ rps += $1; bad += $4; if (us($3) > worst) { worst = us($3); p99 = $3 } }
	END { printf "%s - %s %d", rps, p99, bad }' "$work/two_a" "$work/two_b")

label() {
	case $1 in
	healthz) echo '`GET /healthz`' ;;
	validate) echo '`GET /oauth2/validate`' ;;
	client_credentials) echo '`POST /oauth2/token` client_credentials' ;;
	refresh) echo '`POST /oauth2/token` refresh_token' ;;
	code_flow) echo '`GET /oauth2/authorize` (signed in, consented) + `POST /oauth2/token` authorization_code, alternating' ;;
	revoke) echo '`POST /oauth2/token` client_credentials + `POST /oauth2/revoke` of that token, alternating' ;;
	esac
}

table=$work/table.md
base=${healthz%% *}
ratio() { awk -v a="$1" -v b="$base" 'BEGIN {printf "%.2f", a / b}'; }
# The median of the rounds' own ratios, for the rows measured in rounds.
round_ratio() {
	awk -v col="$1" '{print $col}' "$work/ratio.rounds" | sort -n |
	    awk '{l[NR] = $0} END {printf "%.2f", l[int((NR + 1) / 2)]}'
}
{
	echo "| endpoint | SQLite req/s | p50 | p99 | ratio | PostgreSQL req/s | p50 | p99 | ratio |"
	echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
	set -- $healthz
	printf '| %s | %.0f | %s | %s | 1.00 | | | | |\n' "$(label healthz)" "$1" "$2" "$3"
	while read -r name rps p50 p99 bad; do
		read -r _ prps pp50 pp99 pbad < <(grep "^$name " "$work/rows.pg")
		case $name in
		validate) r=$(round_ratio 1) ;;
		client_credentials) r=$(round_ratio 2) ;;
		*) r=$(ratio "$rps") ;;
		esac
		printf '| %s | %.0f | %s | %s | %s | %.0f | %s | %s | %s |\n' "$(label "$name")" \
		    "$rps" "$p50" "$p99" "$r" "$prps" "$pp50" "$pp99" "$(ratio "$prps")"
		[ "$bad" = 0 ] && [ "$pbad" = 0 ] || echo "| ^ non-2xx answers: SQLite $bad, PostgreSQL $pbad | | | | | | | | |"
	done <"$work/rows.sqlite"
	set -- $two
	printf '| two servers on one PostgreSQL database, client_credentials, a wrk each | | | | | %.0f | | %s | %s |\n' \
	    "$1" "$3" "$(ratio "$1")"
	[ "$4" = 0 ] || echo "| ^ non-2xx answers: $4 | | | | | | | | |"
	echo
	echo "| SQLite, \`--durability\` | full req/s | p99 | ratio | relaxed req/s | p99 | ratio | full / relaxed |"
	echo "|---|---:|---:|---:|---:|---:|---:|---:|"
	while read -r name rps _ p99 bad rrps _ rp99 rbad; do
		printf '| %s | %.0f | %s | %s | %.0f | %s | %s | %s |\n' "$(label "$name")" \
		    "$rps" "$p99" "$(ratio "$rps")" "$rrps" "$rp99" "$(ratio "$rrps")" \
		    "$(awk -v a="$rps" -v b="$rrps" 'BEGIN {printf "%.2f", a / b}')"
		[ "$bad" = 0 ] && [ "$rbad" = 0 ] || echo "| ^ non-2xx answers: full $bad, relaxed $rbad | | | | | | | |"
	done <"$work/rows.durability"
	echo
	echo "| SQLite, recording (rules lab) | on req/s | p99 | off (\`--no-audit\`) req/s | p99 | on / off, per round | median |"
	echo "|---|---:|---:|---:|---:|---|---:|"
	for name in validate client_credentials; do
		grep "^$name " "$work/rows.audit" | awk '{printf "%.3f\n", $2 / $6}' >"$work/audit.$name"
		per=$(tr '\n' ' ' <"$work/audit.$name" | sed 's/ $//; s/ /, /g')
		med=$(sort -n "$work/audit.$name" | awk '{l[NR] = $0} END {print l[int((NR + 1) / 2)]}')
		# The last round's figures, beside every round's ratio.
		grep "^$name " "$work/rows.audit" | tail -n 1 | awk -v l="$(label "$name")" \
		    -v per="$per" -v med="$med" \
		    '{printf "| %s | %.0f | %s | %.0f | %s | %s | %s |\n", l, $2, $4, $6, $8, per, med}'
	done
	# The same cost without the noise: noting one fact, timed in-process.
	notecost=./${TWAUTH_BUILD:-build}/note-cost
	if [ -x "$notecost" ]; then
		echo
		"$notecost" "$work/note-cost.db" | sed 's/$/./'
	fi
} >"$table"

if [ "$tokens" -gt 0 ]; then
	echo "issuing $tokens app tokens (SQLite) to measure memory..." >&2
	issued=0
	while [ "$issued" -lt "$tokens" ]; do
		wrk -t"$threads" -c"$conns" -d10s -s "$work/sqlite/cc.lua" "$url_sqlite/oauth2/token" >"$work/mil.txt"
		n=$(awk '/requests in/ {print $1}' "$work/mil.txt")
		bad=$(awk '/Non-2xx/ {print $5}' "$work/mil.txt")
		issued=$((issued + n - ${bad:-0}))
	done
	rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$pid_sqlite/status")
	hwm=$(awk '/^VmHWM:/ {print $2}' "/proc/$pid_sqlite/status")
	dbsize=$(du -k "$work/twauth.db" "$work/twauth.db-wal" 2>/dev/null | awk '{s += $1} END {print s}')
	{
		echo
		printf 'SQLite, after %d more issued tokens: server RSS %.1f MiB (peak %.1f MiB), database %.0f MiB (every token of the run).\n' \
		    "$issued" "$(echo "$rss / 1024" | bc -l)" "$(echo "$hwm / 1024" | bc -l)" \
		    "$(echo "$dbsize / 1024" | bc -l)"
	} >>"$table"
fi

{
	echo
	echo "Measured $(date -u +%Y-%m-%d) on $(nproc) cores ($(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)),"
	echo "wrk -t$threads -c$conns -d${secs}s --latency, servers, PostgreSQL $("$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)/postgres" --version | awk '{print $3}') and wrk"
	echo "on the same machine, access log on.  SQLite's healthz, validate and"
	echo "client_credentials rows: the median of $rounds interleaved rounds, and the median"
	echo "of each round's ratio to its own \`/healthz\`; the other ratios are to the"
	echo "median \`/healthz\`.  Per round: $(tr '\n' ';' <"$work/ratio.rounds" | sed 's/;$//; s/;/; /g') (validate, client_credentials)."
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
