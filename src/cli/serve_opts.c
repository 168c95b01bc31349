/*
 * twauth serve's options; see serve_opts.h.  Each row below is the whole
 * of one option: the command line, the config file, TWAUTH_*, --help and
 * --check-config read it and nothing else.  docs/twauth.1 and
 * contrib/twauth.conf name every row too, which test_serve_opts.c checks.
 */
#include "serve_opts.h"

#include <string.h>

#include "../common/limits.h"
#include "../common/log.h"
#include "../common/num.h"
#include "../common/url.h"
#include "../http/forwarded.h"
#include "../http/listen.h"
#include "cli.h"

#define STR(f)		OPT_AS_STR(struct serve_opts, f)
#define UINT(f)		OPT_AS_UINT(struct serve_opts, f)
#define I64(f)		OPT_AS_I64(struct serve_opts, f)
#define ON(f)		OPT_AS_ON(struct serve_opts, f)
#define OFF(f)		OPT_AS_OFF(struct serve_opts, f)
#define CHOICE(f)	OPT_AS_CHOICE(struct serve_opts, f)
#define LIST(f)		OPT_AS_LIST(struct serve_opts, f)

#define FAILURES_MAX	1000000	/* --max-*-failures at most */

static int
check_listen(const char *flag, const char *v)
{
	if (server_check_listen(v) == 0)
		return 0;
	cli_error("%s wants HOST:PORT (an address or name, and a port; [V6]:PORT for IPv6), "
	    "e.g. 127.0.0.1:8080, not '%s'", flag, v);
	return -1;
}

static int
check_public_url(const char *flag, const char *v)
{
	struct url u;

	if (url_parse(str_cstr(v), &u) == 0 && !u.has_query && !u.has_fragment)
		return 0;
	cli_error("%s wants an absolute http(s) URL without query or fragment, e.g. "
	    "https://id.example.test", flag);
	return -1;
}

static int
canon_proxy(const char *flag, const char *v, char *out, size_t len)
{
	if (addr_canon(v, out, len) == 0)
		return 0;
	cli_error("%s wants an IPv4 or IPv6 address, not '%s'", flag, v);
	return -1;
}

/* A fraction from 0 to 1 (--chaos-rate, --chaos-token-errors), in units of 1/TW_CHAOS_ONE. */
static int
parse_fraction(const char *v, unsigned *out)
{
	int64_t n;

	if (v == NULL) {
		*out = 0;
		return 0;
	}
	if (num_parse_decimal(v, TW_CHAOS_DIGITS, TW_CHAOS_ONE, &n) == -1)
		return -1;
	*out = (unsigned)n;
	return 0;
}

static int
check_fraction(const char *flag, const char *v)
{
	unsigned n;

	if (parse_fraction(v, &n) == 0)
		return 0;
	cli_error("%s takes a fraction from 0 to 1 (at most %d decimals, e.g. 0.05), not '%s'",
	    flag, TW_CHAOS_DIGITS, v);
	return -1;
}

/* The database the server would open; never a PostgreSQL URI, which may hold a password. */
static const char *
show_db(const char *v)
{
	const char *db = cli_db_path(v);

	return store_spec_is_pg(db) ? "a PostgreSQL URI (not shown: it may hold a password)" : db;
}

/* Indexed by enum serve_durability. */
static const char *const durabilities[] = {
	[DURABILITY_FULL] = "full", [DURABILITY_RELAXED] = "relaxed", NULL
};

/* Indexed by enum server_tls_min. */
static const char *const tls_mins[] = { [TLS_MIN_12] = "1.2", [TLS_MIN_13] = "1.3", NULL };

/* Indexed by enum log_format. */
static const char *const log_formats[] = { [LOG_TEXT] = "text", [LOG_JSON] = "json", NULL };

const struct opt serve_options[] = {
	{ "listen", STR(scfg.listen), .arg = "HOST:PORT", .check = check_listen,
	    .help = "where to listen; port 0 picks a free port; [::1]:8080 for IPv6" },
	{ "metrics-listen", STR(scfg.metrics_listen), .arg = "HOST:PORT",
	    .check = check_listen, .unset = "none, /metrics is on --listen",
	    .help = "serve GET /metrics here (plain HTTP, with /healthz) and no longer on "
	    "--listen: a private address for Prometheus" },
	{ "db", STR(db), .arg = "PATH|URI", .show = show_db,
	    .unset = "$TWAUTH_DB, else " CLI_DEFAULT_DB,
	    .help = "SQLite database file, created 0600 if missing; or a PostgreSQL URI "
	    "postgres://USER:PASS@HOST/DB (or postgresql://, any libpq URI); tables made at "
	    "start" },
	{ "durability", CHOICE(durability), .choices = durabilities,
	    .help = "full: a write (a token, a rotation, a revocation) is on disk before it is "
	    "answered, so it survives a power cut (SQLite syncs its WAL at each commit; "
	    "PostgreSQL keeps synchronous_commit); relaxed: the last answered writes before "
	    "a power cut or kernel crash may be lost, a killed server loses nothing either "
	    "way, and the database is never corrupted" },
	{ "db-timeout", UINT(db_timeout), .arg = "SECS", .min = TW_DB_TIMEOUT_MIN_MS / 1000 + 1,
	    .max = TW_DB_TIMEOUT_MAX_MS / 1000,
	    .help = "every database call's deadline, waiting for a connection or a lock "
	    "included; past it the request is answered 503 (PostgreSQL's statement_timeout "
	    "and lock_timeout are set to it too)" },
	{ "public-url", STR(scfg.public_url), .arg = "URL", .check = check_public_url,
	    .unset = "from each request's Host, on loopback only",
	    .help = "the URL clients use to reach this server; the issuer and every link we "
	    "hand out (verification_uri) start with it; needed unless --listen is a "
	    "loopback address; with https, cookies are Secure and __Host- prefixed" },
	{ "app-token-ttl", I64(icfg.app_token_ttl), .arg = "SECS",
	    .min = 1, .max = 10LL * 365 * 86400,
	    .help = "lifetime of app access tokens; the default is about 60 days, as on "
	    "Twitch" },
	{ "user-token-ttl", I64(icfg.user_token_ttl), .arg = "SECS",
	    .min = TW_USER_TOKEN_TTL_MIN, .max = TW_USER_TOKEN_TTL_MAX,
	    .help = "lifetime of user access tokens; the default is Twitch's 4 hours; a "
	    "minute or two makes an app refresh within a test" },
	{ "device-code-ttl", I64(icfg.device_code_ttl), .arg = "SECS", .min = 1, .max = 86400,
	    .help = "how long a device code waits for its user; the default is Twitch's" },
	{ "id-token-ttl", I64(icfg.id_token_ttl), .arg = "SECS", .min = 60, .max = 86400,
	    .help = "lifetime of OpenID Connect id_tokens" },
	{ "no-audit", OFF(icfg.audit),
	    .help = "do not record what apps do ('twauth app audit' then has nothing to "
	    "report); recording counts facts in memory and writes them once a second" },
	{ "threads", UINT(scfg.threads), .arg = "N", .min = 1, .max = 64,
	    .unset = "two per core", .help = "worker threads" },
	{ "idle-timeout", UINT(scfg.idle_timeout), .arg = "SECS", .min = 1, .max = 3600,
	    .help = "close connections idle this long" },
	{ "body-timeout", UINT(scfg.body_timeout), .arg = "SECS", .min = 1, .max = 3600,
	    .help = "close a request whose body has not fully arrived this long after it "
	    "started" },
	{ "header-timeout", UINT(scfg.header_timeout), .arg = "SECS", .min = 1, .max = 3600,
	    .help = "close a connection whose request head (its request line and headers) "
	    "has not fully arrived this long after its request line, however slowly the "
	    "bytes keep coming" },
	{ "max-connections-per-address", UINT(scfg.max_per_address), .arg = "N", .min = 1,
	    .max = 100000, .unset = "none when --listen is loopback, else "
	    TW_STR(TW_MAX_CONNECTIONS_PER_ADDRESS),
	    .help = "open connections of one client address at most (a --trusted-proxy's "
	    "are not capped); on loopback every client is this machine, a test suite or a "
	    "local proxy, so there is no cap unless given; at --max-connections, the "
	    "connection idle longest makes room for a new one" },
	{ "max-connections", UINT(scfg.max_connections), .arg = "N", .min = 1, .max = 100000,
	    .help = "open connections at most" },
	{ "no-access-log", OFF(scfg.access_log), .help = "do not log one line per request" },
	{ "log-format", CHOICE(log_format), .choices = log_formats,
	    .help = "lines as text, or one JSON object each with time, level, msg and "
	    "request_id" },
	{ "mock-api-compat", ON(scfg.mock_api_compat),
	    .help = "also answer twitch mock-api's routes, for test setups made for it "
	    "(twurple's TWURPLE_MOCK_API_PORT, pyTwitchAPI's mock mode): /auth/token, "
	    "/auth/validate, /auth/revoke, /auth/device, /mock/users and /mock/channels, and "
	    "POST /auth/authorize with grant_type=user_token, which hands any app that shows "
	    "its secret a token for any user_id without asking the user.  Off by default: for "
	    "tests only" },
	{ "purge-interval", UINT(purge_interval), .arg = "SECS", .min = 1, .max = 86400,
	    .help = "how often to delete expired tokens, codes and sessions" },
	{ "tls-cert", STR(cert_path), .arg = "FILE", .unset = "none, plain HTTP",
	    .help = "serve HTTPS with this PEM certificate (the chain, leaf first); cookies "
	    "become Secure and links https" },
	{ "tls-key", STR(key_path), .arg = "FILE",
	    .help = "its unencrypted PEM private key (keep it 0600)" },
	{ "tls-min", CHOICE(scfg.tls_min), .choices = tls_mins,
	    .help = "the oldest TLS version spoken; with either, only forward-secret key "
	    "exchange and AEAD ciphers, and every https answer carries "
	    "Strict-Transport-Security" },
	{ "trusted-proxy", LIST(proxies), .arg = "ADDR", .max = TW_MAX_TRUSTED_PROXIES,
	    .canon = canon_proxy, .items = "addresses",
	    .unset = "none, X-Forwarded-For is ignored",
	    .help = "a reverse proxy (IP address) whose X-Forwarded-For names the client, for "
	    "the limits and the access log" },

	{ "max-login-failures", UINT(icfg.login_failures), .arg = "N", .min = 1,
	    .max = FAILURES_MAX, .group = SERVE_LIMITS,
	    .help = "wrong passwords per login" },
	{ "max-address-failures", UINT(icfg.address_failures), .arg = "N", .min = 1,
	    .max = FAILURES_MAX, .group = SERVE_LIMITS,
	    .help = "per client address: wrong passwords; and, counted apart, failed client "
	    "authentications at /oauth2/token, which then refuses the address outright" },
	{ "max-client-failures", UINT(icfg.client_failures), .arg = "N", .min = 1,
	    .max = FAILURES_MAX, .group = SERVE_LIMITS,
	    .help = "wrong client secrets per client id; only wrong secrets are refused, so "
	    "the right one always works" },
	{ "max-activate-failures", UINT(icfg.activate_failures), .arg = "N", .min = 1,
	    .max = FAILURES_MAX, .group = SERVE_LIMITS,
	    .help = "wrong /activate codes per address" },
	{ "throttle-slots", UINT(icfg.throttle_slots), .arg = "N", .min = 16, .max = 1 << 24,
	    .group = SERVE_LIMITS,
	    .help = "logins, addresses and client ids each limit remembers; a browser that "
	    "signed in as a login before is spared that login's limit, never its "
	    "address's" },

	{ "chaos-rate", STR(chaos_rate), .arg = "R", .check = check_fraction,
	    .unset = "0, off", .group = SERVE_CHAOS,
	    .help = "end live user tokens at random: each user grant of every app is ended "
	    "with the chance R (0 to 1) per minute, for a reason drawn from those of 'twauth "
	    "chaos' (expire, revoke, disconnect, passwd); each ending is logged and recorded "
	    "with a request id" },
	{ "chaos-token-errors", STR(chaos_token_errors), .arg = "R", .check = check_fraction,
	    .unset = "0, off", .group = SERVE_CHAOS,
	    .help = "answer that share (0 to 1) of POST /oauth2/token requests 503 with "
	    "Retry-After: " TW_STR(TW_CHAOS_RETRY_AFTER) ", before anything is looked up or "
	    "spent; the app's next token request is recorded with how long it waited" },

	{ "config", STR(config), .arg = "FILE", .group = SERVE_RUN, .flags = OPT_FILE,
	    .help = "read options from FILE first (see above)" },
	{ "check-config", ON(check_only), .group = SERVE_RUN, .flags = OPT_ARGV,
	    .help = "check the options, the file, the environment and the TLS files, print "
	    "the result, and exit without starting (0: valid, 2: not)" },
	{ "help", ON(help), .short_name = 'h', .group = SERVE_RUN, .flags = OPT_ARGV,
	    .help = "this help" },
	{ .name = NULL }
};

void
serve_opts_defaults(struct serve_opts *o)
{
	memset(o, 0, sizeof(*o));
	server_config_defaults(&o->scfg);
	o->scfg.max_per_address = 0;	/* decided by --listen: serve_opts_parse */
	idp_config_defaults(&o->icfg);
	o->icfg.audit = 1;	/* a server records; the other commands make no thread */
	o->purge_interval = TW_PURGE_INTERVAL;
	o->db_timeout = TW_DB_TIMEOUT_DEFAULT_MS / 1000;
	o->durability = DURABILITY_FULL;
	o->log_format = LOG_TEXT;
}

int
serve_opts_parse(int argc, char **argv, struct serve_opts *o)
{
	serve_opts_defaults(o);
	if (opt_parse(serve_options, argc, argv, "TWAUTH_", o, &o->src) == -1)
		return -1;
	/* The rows' check passed them: these cannot fail. */
	if (parse_fraction(o->chaos_rate, &o->chaos_rate_units) == -1 ||
	    parse_fraction(o->chaos_token_errors, &o->icfg.chaos_token_errors) == -1)
		return -1;
	if ((o->cert_path == NULL) != (o->key_path == NULL)) {
		cli_error("HTTPS needs both --tls-cert and --tls-key");
		return -1;
	}
	/*
	 * Without --public-url the issuer and every link handed out come from
	 * each request's Host, which any client sets: fine on loopback, where
	 * only this machine's clients reach us, and a way to hand out another
	 * site's issuer anywhere else.
	 */
	if (o->scfg.public_url == NULL && !listen_is_loopback(o->scfg.listen)) {
		cli_error("--listen %s is not a loopback address: add --public-url with the "
		    "URL clients reach this server at (e.g. --public-url "
		    "https://id.example.test).  Discovery's issuer and every link the server "
		    "hands out start with it; without it a request's Host header would "
		    "decide them", o->scfg.listen);
		return -1;
	}
	if (o->scfg.max_per_address == 0 && !listen_is_loopback(o->scfg.listen))
		o->scfg.max_per_address = TW_MAX_CONNECTIONS_PER_ADDRESS;
	return 0;
}

void
serve_opts_usage(FILE *f)
{
	struct serve_opts defaults;

	serve_opts_defaults(&defaults);
	fputs("Usage: twauth serve [options]\n"
	    "\n"
	    "Runs a server that answers like id.twitch.tv:\n"
	    "  GET  /oauth2/authorize    sign-in and consent pages; code and implicit flows\n"
	    "  POST /oauth2/token        client_credentials, authorization_code, refresh_token,\n"
	    "                            urn:ietf:params:oauth:grant-type:device_code\n"
	    "  POST /oauth2/device       starts the device code flow\n"
	    "  GET  /activate            where users type a device's code and decide\n"
	    "  GET  /oauth2/validate     POST /oauth2/revoke\n"
	    "  GET  /oauth2/.well-known/openid-configuration, /oauth2/keys, /oauth2/userinfo\n"
	    "                            OpenID Connect (also /.well-known/openid-configuration)\n"
	    "  GET  /settings/connections   a user's authorized apps, with Disconnect\n"
	    "  GET  /console            the developer console: register and manage apps\n"
	    "  GET  /helix/users, /helix/channels   enough of Helix to use a token\n"
	    "  PATCH /helix/channels     the token user's channel: title, game, language\n"
	    "  GET  /healthz            GET /metrics (Prometheus text format)\n"
	    "Register apps with 'twauth app create' and users with 'twauth user create';\n"
	    "the server sees them at once.  Stops cleanly on Ctrl-C or SIGTERM.\n"
	    "\n"
	    "On first start it makes an RSA key to sign id_tokens, sealed in the database\n"
	    "with the secret file $TWAUTH_SECRET_FILE (default for SQLite: the database\n"
	    "path plus '.secret', created 0600; PostgreSQL needs it set).  Keep that file\n"
	    "with the database, and give every server of one database the same file.\n"
	    "\n"
	    "Several servers can share one PostgreSQL database behind a load balancer:\n"
	    "tokens, codes, signing keys and the /activate budget live in it; the\n"
	    "failure limits below are per server.\n"
	    "\n"
	    "Every option can also come from a config file (--config FILE, or\n"
	    "$TWAUTH_CONFIG: one 'name = value' per line, the names below without\n"
	    "their dashes, '#' comments) and from the environment (TWAUTH_ and the\n"
	    "name in capitals: TWAUTH_PUBLIC_URL=... for --public-url; flags take\n"
	    "true or false; TWAUTH_TRUSTED_PROXY takes a list).  The command line\n"
	    "wins over the environment, which wins over the file.\n"
	    "\n"
	    "Options:\n", f);
	opt_usage(f, serve_options, SERVE_MAIN, &defaults);
	fputs("\n"
	    "Failure limits (after N failures each further one must wait 1, 2, 4 ...\n"
	    "seconds, up to 5 minutes, answered 429 with Retry-After; successes never\n"
	    "count; memory stays bounded, and a key still waiting is never forgotten to\n"
	    "make room: with no room, a newcomer waits instead):\n", f);
	opt_usage(f, serve_options, SERVE_LIMITS, &defaults);
	fputs("\n"
	    "Chaos, to test that apps are \"prepared for the token to become invalid at any\n"
	    "time\" (also 'twauth chaos', at will; both off by default):\n", f);
	opt_usage(f, serve_options, SERVE_CHAOS, &defaults);
	fputs("\n", f);
	opt_usage(f, serve_options, SERVE_RUN, &defaults);
	fputs("\n"
	    "Examples:\n"
	    "  twauth serve\n"
	    "  twauth serve --listen 0.0.0.0:8080 --public-url https://id.example.test\n"
	    "  TWAUTH_DB=/var/lib/twauth/twauth.db twauth serve --listen 127.0.0.1:9000\n"
	    "  twauth serve --listen 0.0.0.0:8443 --tls-cert /etc/twauth/cert.pem \\\n"
	    "    --tls-key /etc/twauth/key.pem --public-url https://id.example.test:8443\n"
	    "  twauth serve --config /etc/twauth/twauth.conf --check-config\n"
	    "  TWAUTH_SECRET_FILE=/etc/twauth/secret \\\n"
	    "    twauth serve --db postgres://twauth@db.internal/twauth --listen 0.0.0.0:8080 \\\n"
	    "    --public-url https://id.example.test\n", f);
	opt_free(serve_options, &defaults, &defaults.src);
}

void
serve_opts_report(FILE *f, const struct serve_opts *o)
{
	fprintf(f, "The configuration is valid.\n");
	opt_report(f, serve_options, o);
	fprintf(f, "The database was not opened ('twauth db check' does that).\n");
}

void
serve_opts_free(struct serve_opts *o)
{
	opt_free(serve_options, o, &o->src);
}
