#!/usr/bin/env bash
# A throwaway PostgreSQL for the tests and the benchmark: initdb into a
# directory of ours, pg_ctl with a Unix socket in that directory and no TCP
# port, no system service.  As root, the server runs as the postgres user
# (PostgreSQL refuses to run as root).
#
#   tests/pg.sh start DIR [OPTIONS]   makes it (the first time) and starts it;
#                                     prints the URI of database "twauth"
#   tests/pg.sh createdb DIR NAME     a fresh database; prints its URI
#   tests/pg.sh sql DIR NAME SQL      runs SQL in database NAME (as superuser)
#   tests/pg.sh stop DIR              stops it (the directory stays)
#
# OPTIONS are postgres -c settings, e.g. "-c fsync=off" for fast tests.
set -euo pipefail

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$bindir" ]; then
	echo "pg.sh: PostgreSQL's server is not installed (apt-get install postgresql)" >&2
	exit 1
fi
as_pg=()
if [ "$(id -u)" -eq 0 ]; then
	as_pg=(runuser -u postgres --)
fi

uri() { echo "postgresql:///$2?host=$1&user=twauth"; }

cmd=${1:-}
dir=${2:-}
[ -n "$dir" ] || { echo "usage: $0 start|createdb|sql|stop DIR ..." >&2; exit 2; }
case $cmd in
start)
	shift 2
	fresh=0
	if [ ! -d "$dir/data" ]; then
		fresh=1
		mkdir -p "$dir"
		[ ${#as_pg[@]} -eq 0 ] || chown postgres: "$dir"
		if ! "${as_pg[@]}" test -x "$dir"; then
			echo "pg.sh: the server's user cannot reach $dir (a private parent" \
			    "directory?); give it a directory of its own, e.g. mktemp -d" >&2
			exit 1
		fi
		"${as_pg[@]}" "$bindir/initdb" -D "$dir/data" -U twauth -A trust -E UTF8 \
		    --locale=C --no-sync >"$dir/initdb.log" 2>&1 ||
		    { cat "$dir/initdb.log" >&2; exit 1; }
	fi
	"${as_pg[@]}" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -s \
	    -o "-k $dir -c listen_addresses= -c max_connections=300 $*" start ||
	    { cat "$dir/postgres.log" >&2; exit 1; }
	[ $fresh -eq 0 ] || "${as_pg[@]}" "$bindir/createdb" -h "$dir" -U twauth twauth
	uri "$dir" twauth
	;;
createdb)
	"${as_pg[@]}" "$bindir/createdb" -h "$dir" -U twauth "$3"
	uri "$dir" "$3"
	;;
sql)
	"$bindir/psql" -h "$dir" -U twauth -d "$3" -v ON_ERROR_STOP=1 -qAt -c "$4"
	;;
stop)
	"${as_pg[@]}" "$bindir/pg_ctl" -D "$dir/data" -w -s -m fast stop
	;;
*)
	echo "usage: $0 start|createdb|sql|stop DIR ..." >&2
	exit 2
	;;
esac
