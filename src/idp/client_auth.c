/*
 * Client authentication at the token endpoint, and its failure limits.
 *
 * Secrets are compared as SHA-256 digests in constant time (hash_equal);
 * the secret itself is never stored.
 *
 * The limits: an address that failed too often (wrong secrets and unknown
 * client ids alike) is refused before any work is done.  A client id is
 * limited in its failures only: over the limit, a wrong secret answers 429
 * instead of 403 while the right one still works, so nobody can lock an
 * app out by guessing at its secret.  Successes never count.  Every grant
 * that checks a secret runs between idp_client_limit_before and
 * idp_client_limit_after (grants.c, grant_client_credentials.c).
 */
#include <string.h>

#include "../common/clock.h"
#include "../common/hash.h"
#include "idp_impl.h"

enum idp_err
idp_client_auth(struct idp *idp, const char *client_id, const char *secret,
    struct store_app *app)
{
	uint8_t digest[HASH_LEN];
	enum idp_err err;

	memset(app, 0, sizeof(*app));
	if (strlen(client_id) > TW_ID_LEN)
		return IDP_ERR_INVALID_CLIENT;
	err = idp_from_store(store_app_get(idp->store, client_id, app), IDP_ERR_INVALID_CLIENT);
	if (err != IDP_OK || app->is_public)
		return err;
	if (idp_blank(secret))
		err = IDP_ERR_MISSING_CLIENT_SECRET;
	else {
		hash_sha256(secret, strlen(secret), digest);
		if (!app->has_secret || !hash_equal(app->secret_hash, digest))
			err = IDP_ERR_INVALID_CLIENT_SECRET;
	}
	if (err != IDP_OK)
		store_app_clear(app);
	return err;
}

enum idp_err
idp_client_auth_failure(struct idp *idp, const char *client_id, const uint8_t *secret_hash)
{
	struct store_app app;
	enum idp_err err;

	memset(&app, 0, sizeof(app));
	err = idp_from_store(store_app_get(idp->store, client_id, &app), IDP_ERR_INVALID_CLIENT);
	if (err == IDP_OK) {
		if (app.is_public)
			err = IDP_ERR_PUBLIC_CLIENT_CREDENTIALS;
		else if (secret_hash == NULL)
			err = IDP_ERR_MISSING_CLIENT_SECRET;
		else if (!app.has_secret || !hash_equal(app.secret_hash, secret_hash))
			err = IDP_ERR_INVALID_CLIENT_SECRET;
		else
			err = IDP_ERR_UNAVAILABLE;	/* matched now: it changed under us */
	}
	store_app_clear(&app);
	return err;
}

enum idp_err
idp_client_limit_before(struct idp *idp, const char *addr, struct idp_token_response *resp)
{
	int64_t wait;

	if (idp_blank(addr) ||
	    (wait = throttle_wait(idp->client_addr_throttle, addr, clock_now_ms())) == 0)
		return IDP_OK;
	resp->retry_after = wait;
	return IDP_ERR_CLIENT_THROTTLED;
}

enum idp_err
idp_client_limit_after(struct idp *idp, const char *client_id, const char *addr,
    enum idp_err err, struct idp_token_response *resp)
{
	int64_t now = clock_now_ms(), wait = 0;

	if (err != IDP_ERR_INVALID_CLIENT && err != IDP_ERR_INVALID_CLIENT_SECRET)
		return err;
	if (!idp_blank(addr))
		throttle_fail(idp->client_addr_throttle, addr, now);
	if (err == IDP_ERR_INVALID_CLIENT_SECRET) {
		wait = throttle_wait(idp->client_throttle, client_id, now);
		throttle_fail(idp->client_throttle, client_id, now);
	}
	if (wait == 0)
		return err;
	resp->retry_after = wait;
	return IDP_ERR_CLIENT_THROTTLED;
}
