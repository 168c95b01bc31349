#!/usr/bin/env bash
# Installs the Debian packages twauth needs, if any are missing.
#   scripts/deps.sh build   compiler and libraries (make, make run)
#   scripts/deps.sh test    + Node.js (>= 18, for the end-to-end tests) and curl
#   scripts/deps.sh bench   + wrk and curl
# Runs apt-get as root, or through sudo when that needs no password; otherwise
# prints the command to run.  Safe with CI=true and no stdin.
set -euo pipefail

purpose=${1:-build}
want=(build-essential pkg-config libmicrohttpd-dev libjansson-dev libssl-dev libsqlite3-dev libargon2-dev)
case "$purpose" in
build) ;;
test) want+=(curl) ;;
bench) want+=(wrk curl) ;;
*) echo "usage: $0 build|test|bench" >&2; exit 2 ;;
esac

# Node.js: any node >= 18 on PATH will do (node:test and fetch); else Debian's.
if [ "$purpose" = test ]; then
	major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
	if [ "$major" -lt 18 ]; then want+=(nodejs); fi
fi

missing=()
for p in "${want[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		missing+=("$p")
	fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "twauth: installing missing Debian packages: ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then
	sudo=()
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
	sudo=(sudo -n)
else
	echo "twauth: run this as root first:  apt-get install -y ${missing[*]}" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -q </dev/null
"${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}" </dev/null
