/* twauth serve: parse flags, open the store, run the HTTP server. */
#include <getopt.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <string.h>

#include "../common/limits.h"
#include "../common/log.h"
#include "../common/num.h"
#include "../common/tlsfiles.h"
#include "../common/url.h"
#include "../common/xmalloc.h"
#include "../http/forwarded.h"
#include "../http/server.h"
#include "cli.h"
#include "optsource.h"

static void
usage(FILE *f)
{
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
	    "Options:\n"
	    "  --listen HOST:PORT     where to listen (default 127.0.0.1:8080;\n"
	    "                         port 0 picks a free port; [::1]:8080 for IPv6)\n"
	    "  --metrics-listen HOST:PORT\n"
	    "                         serve GET /metrics here (plain HTTP, with\n"
	    "                         /healthz) and no longer on --listen: a private\n"
	    "                         address for Prometheus (default: none, /metrics\n"
	    "                         is on --listen)\n"
	    "  --db PATH|URI          SQLite database file (default $TWAUTH_DB, else\n"
	    "                         " CLI_DEFAULT_DB "), created 0600 if missing; or a\n"
	    "                         PostgreSQL URI postgres://USER:PASS@HOST/DB (or\n"
	    "                         postgresql://, any libpq URI); tables made at start\n"
	    "  --public-url URL       the URL clients use to reach this server, when it\n"
	    "                         differs from the listen address (a proxy); links we\n"
	    "                         hand out (verification_uri) start with it; with\n"
	    "                         https, cookies are Secure and __Host- prefixed\n"
	    "  --app-token-ttl SECS   lifetime of app access tokens (default 5184000,\n"
	    "                         about 60 days, as on Twitch)\n"
	    "  --device-code-ttl SECS how long a device code waits for its user (default\n"
	    "                         1800, as on Twitch)\n"
	    "  --id-token-ttl SECS    lifetime of OpenID Connect id_tokens (default 900)\n"
	    "  --threads N            worker threads (default: two per core)\n"
	    "  --idle-timeout SECS    close connections idle this long (default 15)\n"
	    "  --body-timeout SECS    close a request whose body has not fully arrived\n"
	    "                         this long after it started (default 30)\n"
	    "  --max-connections N    open connections at most (default 1024)\n"
	    "  --no-access-log        do not log one line per request\n"
	    "  --log-format text|json lines as text (default), or one JSON object each\n"
	    "                         with time, level, msg and request_id\n"
	    "  --mock-api-compat      also answer twitch mock-api's routes, for test\n"
	    "                         setups made for it (twurple's TWURPLE_MOCK_API_PORT,\n"
	    "                         pyTwitchAPI's mock mode): /auth/token, /auth/validate,\n"
	    "                         /auth/revoke, /auth/device, /mock/users and\n"
	    "                         /mock/channels, and POST /auth/authorize with\n"
	    "                         grant_type=user_token, which hands any app that\n"
	    "                         shows its secret a token for any user_id without\n"
	    "                         asking the user.  Off by default: for tests only\n"
	    "  --purge-interval SECS  how often to delete expired tokens, codes and\n"
	    "                         sessions (default 300)\n"
	    "  --tls-cert FILE        serve HTTPS with this PEM certificate (the chain,\n"
	    "                         leaf first); cookies become Secure and links https\n"
	    "  --tls-key FILE         its unencrypted PEM private key (keep it 0600)\n"
	    "  --trusted-proxy ADDR   a reverse proxy (IP address; repeat for more, up\n"
	    "                         to 16) whose X-Forwarded-For names the client, for\n"
	    "                         the limits and the access log; without it the\n"
	    "                         header is ignored\n"
	    "\n"
	    "Failure limits (after N failures each further one must wait 1, 2, 4 ...\n"
	    "seconds, up to 5 minutes, answered 429 with Retry-After; successes never\n"
	    "count; memory stays bounded, the least recently seen forgotten first):\n"
	    "  --max-login-failures N     wrong passwords per login (default 5)\n"
	    "  --max-address-failures N   per client address: wrong passwords; and,\n"
	    "                             counted apart, failed client authentications\n"
	    "                             at /oauth2/token, which then refuses the\n"
	    "                             address outright (default 20)\n"
	    "  --max-client-failures N    wrong client secrets per client id; only\n"
	    "                             wrong secrets are refused, so the right one\n"
	    "                             always works (default 10)\n"
	    "  --max-activate-failures N  wrong /activate codes per address (default 10)\n"
	    "  --throttle-slots N         logins, addresses and client ids each limit\n"
	    "                             remembers (default 4096)\n"
	    "\n"
	    "  --config FILE          read options from FILE first (see above)\n"
	    "  --check-config         check the options, the file, the environment and\n"
	    "                         the TLS files, print the result, and exit without\n"
	    "                         starting (0: valid, 2: not)\n"
	    "  -h, --help             this help\n"
	    "\n"
	    "Examples:\n"
	    "  twauth serve\n"
	    "  twauth serve --listen 0.0.0.0:8080 --public-url https://id.example.test\n"
	    "  TWAUTH_DB=/var/lib/twauth/twauth.db twauth serve --listen 127.0.0.1:9000\n"
	    "  twauth serve --listen 0.0.0.0:8443 --tls-cert /etc/twauth/cert.pem \\\n"
	    "    --tls-key /etc/twauth/key.pem --public-url https://id.example.test:8443\n"
	    "  twauth serve --config /etc/twauth/twauth.conf --check-config\n"
	    "  TWAUTH_SECRET_FILE=/etc/twauth/secret \\\n"
	    "    twauth serve --db postgres://twauth@db.internal/twauth --listen 0.0.0.0:8080\n", f);
}

static int
parse_uint(const char *flag, const char *s, int64_t min, int64_t max, int64_t *out)
{
	if (num_parse_i64(s, min, max, out) == -1) {
		cli_error("%s wants a whole number from %lld to %lld, not '%s'", flag,
		    (long long)min, (long long)max, s);
		return -1;
	}
	return 0;
}

enum {
	O_LISTEN = 256, O_DB, O_PUBLIC_URL, O_APP_TTL, O_DEVICE_TTL, O_ID_TOKEN_TTL, O_THREADS,
	O_IDLE, O_BODY_TIMEOUT, O_MAXCONN, O_NO_ACCESS_LOG, O_TLS_CERT, O_TLS_KEY, O_MOCK,
	O_PURGE, O_LOG_FORMAT, O_TRUSTED_PROXY, O_LOGIN_FAILURES, O_ADDRESS_FAILURES,
	O_CLIENT_FAILURES, O_ACTIVATE_FAILURES, O_THROTTLE_SLOTS, O_CONFIG, O_CHECK_CONFIG,
	O_METRICS_LISTEN
};

static const struct option opts[] = {
	{ "listen", required_argument, NULL, O_LISTEN },
	{ "metrics-listen", required_argument, NULL, O_METRICS_LISTEN },
	{ "db", required_argument, NULL, O_DB },
	{ "public-url", required_argument, NULL, O_PUBLIC_URL },
	{ "app-token-ttl", required_argument, NULL, O_APP_TTL },
	{ "device-code-ttl", required_argument, NULL, O_DEVICE_TTL },
	{ "id-token-ttl", required_argument, NULL, O_ID_TOKEN_TTL },
	{ "threads", required_argument, NULL, O_THREADS },
	{ "idle-timeout", required_argument, NULL, O_IDLE },
	{ "body-timeout", required_argument, NULL, O_BODY_TIMEOUT },
	{ "max-connections", required_argument, NULL, O_MAXCONN },
	{ "no-access-log", no_argument, NULL, O_NO_ACCESS_LOG },
	{ "tls-cert", required_argument, NULL, O_TLS_CERT },
	{ "tls-key", required_argument, NULL, O_TLS_KEY },
	{ "mock-api-compat", no_argument, NULL, O_MOCK },
	{ "purge-interval", required_argument, NULL, O_PURGE },
	{ "log-format", required_argument, NULL, O_LOG_FORMAT },
	{ "trusted-proxy", required_argument, NULL, O_TRUSTED_PROXY },
	{ "max-login-failures", required_argument, NULL, O_LOGIN_FAILURES },
	{ "max-address-failures", required_argument, NULL, O_ADDRESS_FAILURES },
	{ "max-client-failures", required_argument, NULL, O_CLIENT_FAILURES },
	{ "max-activate-failures", required_argument, NULL, O_ACTIVATE_FAILURES },
	{ "throttle-slots", required_argument, NULL, O_THROTTLE_SLOTS },
	{ "config", required_argument, NULL, O_CONFIG },
	{ "check-config", no_argument, NULL, O_CHECK_CONFIG },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};
/* Not settable from a file or the environment. */
static const char *const command_line_only[] = { "config", "check-config", "help", NULL };
static const char *const repeatable[] = { "trusted-proxy", NULL };

/* Everything serve's options say. */
struct serve_opts {
	struct server_config	 scfg;
	struct idp_config	 icfg;
	const char		*db;
	const char		*cert_path;
	const char		*key_path;
	unsigned		 purge_interval;
	int			 check_only;
	int			 help;
	char			*proxies[TW_MAX_TRUSTED_PROXIES];
	size_t			 n_proxies;
	struct optsource	 src;		/* the arguments the strings above point into */
};

static int
set_unsigned(const char *flag, const char *arg, int64_t min, int64_t max, unsigned *out)
{
	int64_t v;

	if (parse_uint(flag, arg, min, max, &v) == -1)
		return -1;
	*out = (unsigned)v;
	return 0;
}

static int
set_ttl(const char *flag, const char *arg, int64_t min, int64_t max, int64_t *out)
{
	return parse_uint(flag, arg, min, max, out);
}

static int
set_listen(const char *flag, const char *arg, const char **out)
{
	if (server_check_listen(arg) == -1) {
		cli_error("%s wants HOST:PORT (an address or name, and a port; [V6]:PORT "
		    "for IPv6), e.g. 127.0.0.1:8080, not '%s'", flag, arg);
		return -1;
	}
	*out = arg;
	return 0;
}

static int
add_proxy(struct serve_opts *o, const char *arg)
{
	char canon[64];

	if (addr_canon(arg, canon, sizeof(canon)) == -1) {
		cli_error("--trusted-proxy wants an IPv4 or IPv6 address, not '%s'", arg);
		return -1;
	}
	if (o->n_proxies == TW_MAX_TRUSTED_PROXIES) {
		cli_error("at most %d --trusted-proxy addresses", TW_MAX_TRUSTED_PROXIES);
		return -1;
	}
	o->proxies[o->n_proxies++] = xstrdup(canon);
	return 0;
}

/* One option into o; 0, or -1 with the reason printed. */
static int
serve_option(int c, const char *arg, struct serve_opts *o)
{
	struct url u;

	switch (c) {
	case O_LISTEN:
		return set_listen("--listen", arg, &o->scfg.listen);
	case O_METRICS_LISTEN:
		return set_listen("--metrics-listen", arg, &o->scfg.metrics_listen);
	case O_DB:
		o->db = arg;
		return 0;
	case O_PUBLIC_URL:
		if (url_parse(str_cstr(arg), &u) == -1 || u.has_query || u.has_fragment) {
			cli_error("--public-url wants an absolute http(s) URL without query or "
			    "fragment, e.g. https://id.example.test");
			return -1;
		}
		o->scfg.public_url = arg;
		return 0;
	case O_APP_TTL:
		return set_ttl("--app-token-ttl", arg, 1, 10LL * 365 * 86400,
		    &o->icfg.app_token_ttl);
	case O_DEVICE_TTL:
		return set_ttl("--device-code-ttl", arg, 1, 86400, &o->icfg.device_code_ttl);
	case O_ID_TOKEN_TTL:
		return set_ttl("--id-token-ttl", arg, 60, 86400, &o->icfg.id_token_ttl);
	case O_THREADS:
		return set_unsigned("--threads", arg, 1, 64, &o->scfg.threads);
	case O_IDLE:
		return set_unsigned("--idle-timeout", arg, 1, 3600, &o->scfg.idle_timeout);
	case O_BODY_TIMEOUT:
		return set_unsigned("--body-timeout", arg, 1, 3600, &o->scfg.body_timeout);
	case O_MAXCONN:
		return set_unsigned("--max-connections", arg, 1, 100000,
		    &o->scfg.max_connections);
	case O_NO_ACCESS_LOG:
		o->scfg.access_log = 0;
		return 0;
	case O_TLS_CERT:
		o->cert_path = arg;
		return 0;
	case O_TLS_KEY:
		o->key_path = arg;
		return 0;
	case O_MOCK:
		o->scfg.mock_api_compat = 1;
		return 0;
	case O_LOG_FORMAT:
		if (strcmp(arg, "text") != 0 && strcmp(arg, "json") != 0) {
			cli_error("--log-format is 'text' or 'json', not '%s'", arg);
			return -1;
		}
		log_set_format(strcmp(arg, "json") == 0 ? LOG_JSON : LOG_TEXT);
		return 0;
	case O_PURGE:
		return set_unsigned("--purge-interval", arg, 1, 86400, &o->purge_interval);
	case O_TRUSTED_PROXY:
		return add_proxy(o, arg);
	case O_LOGIN_FAILURES:
		return set_unsigned("--max-login-failures", arg, 1, 1000000,
		    &o->icfg.login_failures);
	case O_ADDRESS_FAILURES:
		return set_unsigned("--max-address-failures", arg, 1, 1000000,
		    &o->icfg.address_failures);
	case O_CLIENT_FAILURES:
		return set_unsigned("--max-client-failures", arg, 1, 1000000,
		    &o->icfg.client_failures);
	case O_ACTIVATE_FAILURES:
		return set_unsigned("--max-activate-failures", arg, 1, 1000000,
		    &o->icfg.activate_failures);
	case O_THROTTLE_SLOTS:
		return set_unsigned("--throttle-slots", arg, 16, 1 << 24, &o->icfg.throttle_slots);
	case O_CONFIG:
		return 0;		/* read by optsource_build */
	case O_CHECK_CONFIG:
		o->check_only = 1;
		return 0;
	case 'h':
		o->help = 1;
		return 0;
	default:
		return -1;		/* getopt said why */
	}
}

/* Parses argv with the config file and environment under it; -1: told why. */
static int
serve_parse(int argc, char **argv, struct serve_opts *o)
{
	struct optsource *src = &o->src;
	const char *origin;
	int c, rc = 0;

	if (optsource_build(argc, argv, opts, "TWAUTH_", command_line_only, repeatable,
	    src) == -1)
		return -1;
	optind = 0;
	while (rc == 0 && (c = getopt_long(src->argc, src->argv, "h", opts, NULL)) != -1) {
		if (serve_option(c, optarg, o) == 0)
			continue;
		rc = -1;
		if (optind > 0 && (origin = optsource_origin(src, src->argv[optind - 1])) != NULL)
			cli_error("(that setting is from %s)", origin);
	}
	if (rc == 0 && optind != src->argc) {
		cli_error("serve takes no arguments, only options ('%s')", src->argv[optind]);
		rc = -1;
	}
	if (rc == 0 && (o->cert_path == NULL) != (o->key_path == NULL)) {
		cli_error("HTTPS needs both --tls-cert and --tls-key");
		rc = -1;
	}
	return rc;
}

/* --check-config's report: what the server would run with (no secrets). */
static void
print_config(const struct serve_opts *o)
{
	const char *db = cli_db_path(o->db);

	printf("The configuration is valid.\n");
	printf("  listen               %s\n", o->scfg.listen);
	printf("  metrics-listen       %s\n", o->scfg.metrics_listen ? o->scfg.metrics_listen :
	    "(none: /metrics on listen)");
	if (store_spec_is_pg(db))
		printf("  db                   a PostgreSQL URI (not shown: it may hold a "
		    "password)\n");
	else
		printf("  db                   %s\n", db);
	printf("  public-url           %s\n", o->scfg.public_url ? o->scfg.public_url :
	    "(derived from each request's Host)");
	printf("  https                %s\n", o->cert_path ? o->cert_path : "no");
	for (size_t i = 0; i < o->n_proxies; i++)
		printf("  trusted-proxy        %s\n", o->proxies[i]);
	printf("  app-token-ttl        %lld\n", (long long)o->icfg.app_token_ttl);
	printf("  device-code-ttl      %lld\n", (long long)o->icfg.device_code_ttl);
	printf("  id-token-ttl         %lld\n", (long long)o->icfg.id_token_ttl);
	printf("  max-login-failures   %u\n", o->icfg.login_failures);
	printf("  max-address-failures %u\n", o->icfg.address_failures);
	printf("  max-client-failures  %u\n", o->icfg.client_failures);
	printf("  max-activate-failures %u\n", o->icfg.activate_failures);
	printf("  mock-api-compat      %s\n", o->scfg.mock_api_compat ? "on" : "off");
	printf("The database was not opened ('twauth db check' does that).\n");
}

int
cmd_serve(int argc, char **argv)
{
	struct serve_opts o;
	struct store *st = NULL;
	struct idp *idp = NULL;
	char *cert = NULL, *key = NULL, why[512];
	struct purger *purger = NULL;
	const char *db;
	int rc = EXIT_USAGE;
	enum idp_err err;

	memset(&o, 0, sizeof(o));
	server_config_defaults(&o.scfg);
	idp_config_defaults(&o.icfg);
	if (serve_parse(argc, argv, &o) == -1) {
		cli_usage_hint("serve");
		goto out;
	}
	if (o.help) {
		usage(stdout);
		rc = EXIT_OK;
		goto out;
	}
	if (o.cert_path != NULL && tls_load_pair(o.cert_path, o.key_path, &cert, &key, why,
	    sizeof(why)) == -1) {
		cli_error("%s", why);
		goto out;
	}
	if (o.check_only) {
		print_config(&o);
		rc = EXIT_OK;
		goto out;
	}
	o.scfg.tls_cert = cert;
	o.scfg.tls_key = key;
	o.scfg.trusted_proxies = o.proxies;
	o.scfg.n_trusted_proxies = o.n_proxies;
	db = cli_db_path(o.db);
	server_block_signals();
	rc = EXIT_FAIL;
	if (cli_open(db, &o.icfg, 1, &st, &idp) == -1)
		goto out;
	if ((err = idp_keys_ensure(idp)) != IDP_OK) {
		cli_error("%s", idp_err_info(err)->message);
		goto out;
	}
	log_info("database: %s %s (schema version %d)", store_backend_name(st), store_where(st),
	    store_schema_version(st));
	if (o.scfg.mock_api_compat)
		log_warn("--mock-api-compat: POST /auth/authorize hands out user tokens without "
		    "asking the user; for tests only");
	purger = purger_start(idp, o.purge_interval);
	rc = server_run(&o.scfg, idp) == 0 ? EXIT_OK : EXIT_FAIL;
out:
	purger_stop(purger);
	cli_close(st, idp);
	free(cert);
	if (key != NULL)
		xfree_secret(key, strlen(key));
	for (size_t i = 0; i < o.n_proxies; i++)
		free(o.proxies[i]);
	optsource_free(&o.src);
	OPENSSL_cleanse(&o.icfg, sizeof(o.icfg));
	return rc;
}
