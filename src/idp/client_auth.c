/*
 * Client authentication at the token endpoint, and its failure limits.
 *
 * Who may use a grant is in its row of the grant table (grants.c): what
 * a public client is answered, IDP_OK where public clients are served,
 * and whether a confidential client may leave its secret out.  A public
 * client's secret is never looked at: it has none.  Secrets are compared
 * as SHA-256 digests in constant time (hash_equal); the secret itself is
 * never stored.
 *
 * The limits: an address that failed too often (wrong secrets and unknown
 * client ids alike) is refused before any work is done.  A client id is
 * limited in its failures only: over the limit, a wrong secret answers 429
 * instead of 403 while the right one still works, so nobody can lock an
 * app out by guessing at its secret.  Successes never count.  Every grant
 * that checks a secret runs between idp_client_limit_before and
 * idp_client_limit_after (grants.c, grant_client_credentials.c).
 */
#include <openssl/crypto.h>
#include <string.h>

#include "../common/clock.h"
#include "../common/hash.h"
#include "idp_impl.h"

/* The verdict of g's rules on the app a (found) and the secret sent. */
static enum idp_err
verdict(const struct idp_grant *g, const struct store_app *a, const uint8_t *secret_digest)
{
	/*
	 * A public client has no secret: whatever it sent proves nothing.  The
	 * oauth2 profile serves it where RFC 6749 and 8252 do (the code flow,
	 * whose code PKCE binds: grant_code.c).
	 */
	if (a->is_public)
		return (g->flags & IDP_GRANT_PUBLIC_OAUTH2) && a->profile == APP_PROFILE_OAUTH2 ?
		    IDP_OK : g->public_client;
	/* Twitch's confidential clients may poll the device flow without it. */
	if (secret_digest == NULL)
		return (g->flags & IDP_GRANT_SECRET_IF_SENT) && a->profile == APP_PROFILE_TWITCH ?
		    IDP_OK : IDP_ERR_MISSING_CLIENT_SECRET;
	if (!a->has_secret || !hash_equal(a->secret_hash, secret_digest))
		return IDP_ERR_INVALID_CLIENT_SECRET;
	return IDP_OK;
}

enum idp_err
idp_client_auth_digest(struct idp *idp, const struct idp_grant *g, const char *client_id,
    const uint8_t *secret_digest, struct store_app *app)
{
	struct store_app mine;
	struct store_app *a = app ? app : &mine;
	enum idp_err err;

	memset(a, 0, sizeof(*a));
	if (strlen(client_id) > TW_ID_LEN)
		return IDP_ERR_INVALID_CLIENT;
	err = idp_from_store(store_app_get(idp->store, client_id, a), IDP_ERR_INVALID_CLIENT);
	if (err == IDP_OK)
		err = verdict(g, a, secret_digest);
	if (err != IDP_OK || app == NULL)
		store_app_clear(a);
	return err;
}

enum idp_err
idp_client_auth(struct idp *idp, const struct idp_grant *g,
    const struct idp_token_request *req, struct store_app *app)
{
	uint8_t digest[HASH_LEN];
	int sent = !idp_blank(req->client_secret);
	enum idp_err err;

	if (sent)
		hash_sha256(req->client_secret, strlen(req->client_secret), digest);
	err = idp_client_auth_digest(idp, g, req->client_id, sent ? digest : NULL, app);
	OPENSSL_cleanse(digest, sizeof(digest));
	return err;
}

enum idp_err
idp_grant_client(struct idp *idp, const struct idp_grant *g,
    const struct idp_token_request *req, struct idp_token_response *resp, int *is_public)
{
	struct store_app app;
	enum idp_err err;

	if ((err = idp_client_auth(idp, g, req, &app)) != IDP_OK)
		return err;
	if (is_public != NULL)
		*is_public = app.is_public;
	resp->oauth2 = app.profile == APP_PROFILE_OAUTH2;
	store_app_clear(&app);
	return IDP_OK;
}

enum idp_err
idp_client_known(struct idp *idp, const char *client_id, int *oauth2)
{
	struct store_app app;
	enum idp_err err;

	memset(&app, 0, sizeof(app));
	if (strlen(client_id) > TW_ID_LEN)
		return IDP_ERR_INVALID_CLIENT;
	err = idp_from_store(store_app_get(idp->store, client_id, &app), IDP_ERR_INVALID_CLIENT);
	if (err == IDP_OK && oauth2 != NULL)
		*oauth2 = app.profile == APP_PROFILE_OAUTH2;
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

/*
 * The credentials who brings, Basic folded in: *id and *secret (either may
 * be NULL), and for Basic, the app's profile.  A twitch app does not take
 * Basic; one way at a time (RFC 6749 2.3: a matching client_id is no
 * second way).
 */
static enum idp_err
fold_basic(struct idp *idp, const struct idp_client_creds *who, const char **id,
    const char **secret, int *oauth2)
{
	enum idp_err err;

	*id = who->client_id;
	*secret = who->client_secret;
	if (who->way == IDP_AUTH_PARAMS)
		return IDP_OK;
	if (who->way == IDP_AUTH_BASIC_MALFORMED)
		return IDP_ERR_BASIC_MALFORMED;
	if ((err = idp_client_known(idp, who->basic_id, oauth2)) != IDP_OK)
		return err;
	if (!*oauth2)
		return IDP_ERR_BASIC_FOR_TWITCH;
	if (who->client_secret != NULL ||
	    (who->client_id != NULL && strcmp(who->client_id, who->basic_id) != 0))
		return IDP_ERR_CLIENT_AUTH_TWICE;
	*id = who->basic_id;
	*secret = who->basic_secret;
	return IDP_OK;
}

enum idp_err
idp_client_basic(struct idp *idp, struct idp_token_request *req, int *oauth2)
{
	struct idp_client_creds who = {
		.way = req->auth, .client_id = req->client_id,
		.client_secret = req->client_secret, .basic_id = req->basic_id,
		.basic_secret = req->basic_secret,
	};

	return fold_basic(idp, &who, &req->client_id, &req->client_secret, oauth2);
}

/* Who may revoke or start a device flow: an oauth2 app's rule (any client may). */
static const struct idp_grant by_client_id = {
	"client id", 0, IDP_OK, GRANT_DEVICE_CODE, NULL, NULL, NULL
};

/* idp_client_identify once past the failure limits. */
static enum idp_err
identify(struct idp *idp, const struct idp_client_creds *who, char client_id[TW_ID_LEN + 1],
    struct idp_answer_shape *shape)
{
	const char *id, *secret;
	struct store_app app;
	enum idp_err err;

	if ((err = fold_basic(idp, who, &id, &secret, &shape->oauth2)) != IDP_OK)
		return err;
	if (idp_blank(id))
		return IDP_ERR_MISSING_CLIENT_ID;
	if (strlen(id) > TW_ID_LEN)
		return IDP_ERR_INVALID_CLIENT;
	memset(&app, 0, sizeof(app));
	err = idp_from_store(store_app_get(idp->store, id, &app), IDP_ERR_INVALID_CLIENT);
	if (err == IDP_OK && (shape->oauth2 = app.profile == APP_PROFILE_OAUTH2)) {
		uint8_t digest[HASH_LEN];
		int sent = !idp_blank(secret);

		/* A confidential oauth2 app authenticates (its secret required). */
		if (sent)
			hash_sha256(secret, strlen(secret), digest);
		err = verdict(&by_client_id, &app, sent ? digest : NULL);
		OPENSSL_cleanse(digest, sizeof(digest));
	}
	if (err == IDP_OK)
		memcpy(client_id, app.client_id, sizeof(app.client_id));
	store_app_clear(&app);
	return err;
}

enum idp_err
idp_client_identify(struct idp *idp, const struct idp_client_creds *who,
    char client_id[TW_ID_LEN + 1], struct idp_answer_shape *shape)
{
	struct idp_token_response limits;
	enum idp_err err;

	client_id[0] = '\0';
	memset(shape, 0, sizeof(*shape));
	shape->basic = who->way != IDP_AUTH_PARAMS;
	memset(&limits, 0, sizeof(limits));
	if ((err = idp_client_limit_before(idp, who->client_addr, &limits)) == IDP_OK) {
		err = identify(idp, who, client_id, shape);
		err = idp_client_limit_after(idp, who->way == IDP_AUTH_BASIC ? who->basic_id :
		    who->client_id, who->client_addr, err, &limits);
	}
	shape->retry_after = limits.retry_after;
	if (err != IDP_OK)
		client_id[0] = '\0';
	return err;
}
