/* twauth serve: parse flags, open the store, run the HTTP server. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "../common/log.h"
#include "../common/num.h"
#include "../common/tlsfiles.h"
#include "../common/url.h"
#include "../common/xmalloc.h"
#include "../http/server.h"
#include "cli.h"

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
	    "tokens, codes, signing keys and the /activate budget live in it; sign-in\n"
	    "throttles are per server.\n"
	    "\n"
	    "Options:\n"
	    "  --listen HOST:PORT     where to listen (default 127.0.0.1:8080;\n"
	    "                         port 0 picks a free port; [::1]:8080 for IPv6)\n"
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
	    "  -h, --help             this help\n"
	    "\n"
	    "Examples:\n"
	    "  twauth serve\n"
	    "  twauth serve --listen 0.0.0.0:8080 --public-url https://id.example.test\n"
	    "  TWAUTH_DB=/var/lib/twauth/twauth.db twauth serve --listen 127.0.0.1:9000\n"
	    "  twauth serve --listen 0.0.0.0:8443 --tls-cert /etc/twauth/cert.pem \\\n"
	    "    --tls-key /etc/twauth/key.pem --public-url https://id.example.test:8443\n"
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

int
cmd_serve(int argc, char **argv)
{
	enum { O_LISTEN = 256, O_DB, O_PUBLIC_URL, O_APP_TTL, O_DEVICE_TTL, O_ID_TOKEN_TTL, O_THREADS, O_IDLE,
	    O_BODY_TIMEOUT, O_MAXCONN, O_NO_ACCESS_LOG, O_TLS_CERT, O_TLS_KEY, O_MOCK, O_PURGE, O_LOG_FORMAT };
	static const struct option opts[] = {
		{ "listen", required_argument, NULL, O_LISTEN },
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
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct server_config scfg;
	struct idp_config icfg;
	struct store *st = NULL;
	struct idp *idp = NULL;
	const char *db = NULL, *cert_path = NULL, *key_path = NULL;
	char *cert = NULL, *key = NULL, why[512];
	struct purger *purger = NULL;
	unsigned purge_interval = 0;
	int64_t v;
	int c, rc;
	enum idp_err err;

	server_config_defaults(&scfg);
	idp_config_defaults(&icfg);
	optind = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case O_LISTEN:
			scfg.listen = optarg;
			break;
		case O_DB:
			db = optarg;
			break;
		case O_PUBLIC_URL: {
			struct url u;

			if (url_parse(str_cstr(optarg), &u) == -1 || u.has_query ||
			    u.has_fragment) {
				cli_error("--public-url wants an absolute http(s) URL without "
				    "query or fragment, e.g. https://id.example.test");
				return EXIT_USAGE;
			}
			scfg.public_url = optarg;
			break;
		}
		case O_APP_TTL:
			if (parse_uint("--app-token-ttl", optarg, 1, 10LL * 365 * 86400, &v) == -1)
				return EXIT_USAGE;
			icfg.app_token_ttl = v;
			break;
		case O_DEVICE_TTL:
			if (parse_uint("--device-code-ttl", optarg, 1, 86400, &v) == -1)
				return EXIT_USAGE;
			icfg.device_code_ttl = v;
			break;
		case O_ID_TOKEN_TTL:
			if (parse_uint("--id-token-ttl", optarg, 60, 86400, &v) == -1)
				return EXIT_USAGE;
			icfg.id_token_ttl = v;
			break;
		case O_THREADS:
			if (parse_uint("--threads", optarg, 1, 64, &v) == -1)
				return EXIT_USAGE;
			scfg.threads = (unsigned)v;
			break;
		case O_IDLE:
			if (parse_uint("--idle-timeout", optarg, 1, 3600, &v) == -1)
				return EXIT_USAGE;
			scfg.idle_timeout = (unsigned)v;
			break;
		case O_BODY_TIMEOUT:
			if (parse_uint("--body-timeout", optarg, 1, 3600, &v) == -1)
				return EXIT_USAGE;
			scfg.body_timeout = (unsigned)v;
			break;
		case O_MAXCONN:
			if (parse_uint("--max-connections", optarg, 1, 100000, &v) == -1)
				return EXIT_USAGE;
			scfg.max_connections = (unsigned)v;
			break;
		case O_NO_ACCESS_LOG:
			scfg.access_log = 0;
			break;
		case O_TLS_CERT:
			cert_path = optarg;
			break;
		case O_TLS_KEY:
			key_path = optarg;
			break;
		case O_MOCK:
			scfg.mock_api_compat = 1;
			break;
		case O_LOG_FORMAT:
			if (strcmp(optarg, "text") != 0 && strcmp(optarg, "json") != 0) {
				cli_error("--log-format is 'text' or 'json', not '%s'", optarg);
				return EXIT_USAGE;
			}
			log_set_format(strcmp(optarg, "json") == 0 ? LOG_JSON : LOG_TEXT);
			break;
		case O_PURGE:
			if (parse_uint("--purge-interval", optarg, 1, 86400, &v) == -1)
				return EXIT_USAGE;
			purge_interval = (unsigned)v;
			break;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		default:
			return cli_usage_hint("serve");
		}
	}
	if (optind != argc) {
		cli_error("serve takes no arguments, only options ('%s')", argv[optind]);
		return cli_usage_hint("serve");
	}
	if ((cert_path == NULL) != (key_path == NULL)) {
		cli_error("HTTPS needs both --tls-cert and --tls-key");
		return cli_usage_hint("serve");
	}
	if (cert_path != NULL && tls_load_pair(cert_path, key_path, &cert, &key, why,
	    sizeof(why)) == -1) {
		cli_error("%s", why);
		return EXIT_USAGE;
	}
	scfg.tls_cert = cert;
	scfg.tls_key = key;
	db = cli_db_path(db);
	server_block_signals();
	rc = EXIT_FAIL;
	if (cli_open(db, &icfg, 1, &st, &idp) == -1)
		goto out;
	if ((err = idp_keys_ensure(idp)) != IDP_OK) {
		cli_error("%s", idp_err_info(err)->message);
		goto out;
	}
	log_info("database: %s %s (schema version %d)", store_backend_name(st), store_where(st),
	    store_schema_version(st));
	if (scfg.mock_api_compat)
		log_warn("--mock-api-compat: POST /auth/authorize hands out user tokens without "
		    "asking the user; for tests only");
	purger = purger_start(idp, purge_interval);
	rc = server_run(&scfg, idp) == 0 ? EXIT_OK : EXIT_FAIL;
out:
	purger_stop(purger);
	cli_close(st, idp);
	free(cert);
	if (key != NULL)
		xfree_secret(key, strlen(key));
	return rc;
}
