/*
 * twauth serve: read the options (serve_opts.c), load the TLS files, open
 * the store, run the HTTP server.
 */
#include <openssl/crypto.h>
#include <stdio.h>
#include <string.h>

#include "../common/log.h"
#include "../common/tlsfiles.h"
#include "../common/xmalloc.h"
#include "../http/server.h"
#include "cli.h"
#include "serve_opts.h"

int
cmd_serve(int argc, char **argv)
{
	struct serve_opts o;
	struct store *st = NULL;
	struct idp *idp = NULL;
	char *cert = NULL, *key = NULL, why[512];
	struct purger *purger = NULL;
	struct chaos_thread *chaos = NULL;
	const char *db;
	int rc = EXIT_USAGE;
	enum idp_err err;

	if (serve_opts_parse(argc, argv, &o) == -1) {
		cli_usage_hint("serve");
		goto out;
	}
	log_set_format((enum log_format)o.log_format);
	if (o.help) {
		serve_opts_usage(stdout);
		rc = EXIT_OK;
		goto out;
	}
	if (o.cert_path != NULL && tls_load_pair(o.cert_path, o.key_path, &cert, &key, why,
	    sizeof(why)) == -1) {
		cli_error("%s", why);
		goto out;
	}
	if (o.check_only) {
		serve_opts_report(stdout, &o);
		rc = EXIT_OK;
		goto out;
	}
	o.scfg.tls_cert = cert;
	o.scfg.tls_key = key;
	o.scfg.trusted_proxies = o.proxies.v;
	o.scfg.n_trusted_proxies = o.proxies.n;
	db = cli_db_path(o.db);
	server_block_signals();
	rc = EXIT_FAIL;
	o.stcfg.relaxed = o.durability == DURABILITY_RELAXED;
	o.stcfg.timeout_ms = o.db_timeout * 1000;
	if (cli_open_config(db, &o.stcfg, &o.icfg, 1, &st, &idp) == -1)
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
	if (o.chaos_rate_units > 0 || o.icfg.chaos_token_errors > 0)
		log_warn("chaos: user tokens end at random (--chaos-rate %s), token requests "
		    "fail at random (--chaos-token-errors %s); for tests only",
		    o.chaos_rate ? o.chaos_rate : "0",
		    o.chaos_token_errors ? o.chaos_token_errors : "0");
	purger = purger_start(idp, o.purge_interval);
	chaos = chaos_thread_start(idp, o.chaos_rate_units);
	rc = server_run(&o.scfg, idp) == 0 ? EXIT_OK : EXIT_FAIL;
out:
	chaos_thread_stop(chaos);
	purger_stop(purger);
	cli_close(st, idp);
	free(cert);
	if (key != NULL)
		xfree_secret(key, strlen(key));
	serve_opts_free(&o);
	OPENSSL_cleanse(&o.icfg, sizeof(o.icfg));
	return rc;
}
