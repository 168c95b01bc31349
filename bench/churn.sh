#!/usr/bin/env bash
# The database stays the size of what is live: app tokens that live 5 s
# are issued as fast as wrk can ask for them, round after round, while the
# purge (every second here) deletes the expired ones.  After each round it
# prints the tokens issued so far and the size of the SQLite file and its
# WAL; the size must level off once the first tokens start expiring, however
# many more are issued.  Writes the table into docs/BENCHMARKS.md between
# the churn markers.
#
#   bench/churn.sh              12 rounds of 10 s (about 2 minutes)
#   CHURN_ROUNDS=4 CHURN_SECS=5 bench/churn.sh   quick look
set -euo pipefail
cd "$(dirname "$0")/.."

rounds=${CHURN_ROUNDS:-12}
secs=${CHURN_SECS:-10}
bin=./${TWAUTH_BUILD:-build}/twauth
work=$(mktemp -d /tmp/twauth-churn-XXXXXX)
pid=

cleanup() {
	[ -z "$pid" ] || { kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true; }
	rm -rf "$work"
}
trap cleanup EXIT

db=$work/twauth.db
"$bin" app create --name churn --redirect-uri http://localhost:3000 --json --db "$db" >"$work/app.json"
id=$(sed -n 's/.*"client_id": "\([^"]*\)".*/\1/p' "$work/app.json")
secret=$(sed -n 's/.*"client_secret": "\([^"]*\)".*/\1/p' "$work/app.json")
"$bin" serve --listen 127.0.0.1:0 --db "$db" --app-token-ttl 5 --purge-interval 1 \
    --no-access-log >"$work/out" 2>"$work/err" &
pid=$!
for _ in $(seq 100); do grep -q 'listening on' "$work/out" 2>/dev/null && break; sleep 0.1; done
url=$(sed -n 's/.*listening on \(http[^ ]*\).*/\1/p' "$work/out")
cat >"$work/cc.lua" <<LUA
wrk.method = "POST"
wrk.body = "client_id=$id&client_secret=$secret&grant_type=client_credentials"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
LUA

kib() { echo $(( ($(stat -c %s "$1" 2>/dev/null || echo 0) + 1023) / 1024 )); }
table="| after | tokens issued | database file | WAL | non-2xx |
|---|---|---|---|---|"
issued=0
for r in $(seq "$rounds"); do
	wrk -t2 -c32 -d"${secs}s" -s "$work/cc.lua" "$url/oauth2/token" >"$work/wrk.txt"
	n=$(awk '/requests in/ {print $1}' "$work/wrk.txt")
	bad=$(awk '/Non-2xx/ {print $5}' "$work/wrk.txt" | grep . || echo 0)
	issued=$((issued + n - bad))
	row="| $((r * secs)) s | $issued | $(kib "$db") KiB | $(kib "$db-wal") KiB | $bad |"
	echo "$row"
	table="$table
$row"
done

doc=docs/BENCHMARKS.md
begin='<!-- churn:begin -->'
end='<!-- churn:end -->'
if grep -q "$begin" "$doc"; then
	{
		sed "/$begin/q" "$doc"
		echo "Measured $(date -u +%Y-%m-%d) by bench/churn.sh: app tokens living 5 s, purge every 1 s, $rounds rounds of $secs s of wrk (2 threads, 32 connections)."
		echo
		echo "$table"
		sed -n "/$end/,\$p" "$doc"
	} >"$doc.new" && mv "$doc.new" "$doc"
fi
