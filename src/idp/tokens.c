/*
 * Issuing, validating and revoking tokens.
 *
 * A token is TW_ID_LEN random characters; the store keeps its SHA-256 only,
 * so validation hashes what it is shown and looks the digest up.  Client
 * secrets are checked the same way, comparing digests in constant time.
 */
#include <openssl/crypto.h>
#include <stdlib.h>
#include <string.h>

#include "../common/clock.h"
#include "../common/hash.h"
#include "../common/rand.h"
#include "../common/xmalloc.h"
#include "../common/log.h"
#include "idp_impl.h"
#include "../common/scopes.h"

void
idp_token_info_clear(struct idp_token_info *info)
{
	free(info->scopes);
	memset(info, 0, sizeof(*info));
}

void
idp_token_response_clear(struct idp_token_response *resp)
{
	free(resp->scopes);
	free(resp->id_token);
	OPENSSL_cleanse(resp, sizeof(*resp));
}

void
idp_new_secret(char *out, size_t len, uint8_t digest[HASH_LEN])
{
	rand_alnum(out, len);
	hash_sha256(out, len, digest);
}

/*
 * Mints an access token and stores its digest, on the condition (checked in
 * the same statement) that the app still exists and, if secret_hash is not
 * NULL, still has that secret.  Returns IDP_OK with the token in clear in
 * out (the only time it exists), or IDP_ERR_INVALID_CLIENT when the
 * condition failed, for the caller to explain.
 */
static enum idp_err
issue_access_token(struct idp *idp, const char *client_id, const uint8_t *secret_hash,
    int64_t user_id, const char *scopes, int64_t ttl, char out[TW_ID_LEN + 1])
{
	struct store_token tok;
	enum store_rc rc = STORE_ERROR;
	int64_t now = clock_now();
	size_t id_len = strlen(client_id);

	if (id_len > TW_ID_LEN)
		return IDP_ERR_INVALID_CLIENT;
	memset(&tok, 0, sizeof(tok));
	memcpy(tok.client_id, client_id, id_len + 1);
	tok.user_id = user_id;
	tok.scopes = (char *)scopes;
	tok.created_at = now;
	tok.expires_at = now + ttl;
	for (int attempt = 0; attempt < 3; attempt++) {
		idp_new_secret(out, TW_ID_LEN, tok.hash);
		if ((rc = store_token_insert(idp->store, &tok, secret_hash)) != STORE_CONFLICT)
			break;
	}
	if (rc != STORE_OK)
		memset(out, 0, TW_ID_LEN + 1);
	return idp_from_store(rc, IDP_ERR_INVALID_CLIENT);
}

/*
 * Explains why a client failed to authenticate, by loading the app: the
 * slow path, taken only when no token was issued.  secret_hash is NULL when
 * the request carried no secret.
 */
static enum idp_err
client_auth_failure(struct idp *idp, const char *client_id, const uint8_t *secret_hash)
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

static enum idp_err
client_credentials(struct idp *idp, const struct idp_token_request *req,
    struct idp_token_response *resp)
{
	uint8_t digest[HASH_LEN];
	enum idp_err err;

	if (idp_blank(req->client_secret))
		return client_auth_failure(idp, req->client_id, NULL);
	hash_sha256(req->client_secret, strlen(req->client_secret), digest);
	/* App tokens carry no scopes on Twitch: a scope parameter is ignored. */
	err = issue_access_token(idp, req->client_id, digest, 0, "", idp->cfg.app_token_ttl,
	    resp->access_token);
	if (err == IDP_ERR_INVALID_CLIENT)
		return client_auth_failure(idp, req->client_id, digest);
	if (err == IDP_OK)
		resp->expires_in = idp->cfg.app_token_ttl;
	return err;
}

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

void
idp_mint_user_tokens(struct idp *idp, struct store_issue *issue, int with_refresh,
    struct idp_token_response *resp)
{
	int64_t now = clock_now();

	memset(issue, 0, sizeof(*issue));
	idp_new_secret(resp->access_token, TW_ID_LEN, issue->access.hash);
	issue->access.created_at = now;
	issue->access.expires_at = now + idp->cfg.user_token_ttl;
	if (with_refresh) {
		issue->has_refresh = 1;
		idp_new_secret(resp->refresh_token, TW_REFRESH_LEN, issue->refresh_hash);
	}
	resp->expires_in = idp->cfg.user_token_ttl;
	resp->user_token = 1;
}

/* The id_token of a code granted openid, with the nonce and claims of its request. */
static enum idp_err
code_id_token(struct idp *idp, const struct idp_token_request *req,
    const struct store_code *code, struct idp_token_response *resp)
{
	struct store_user u;
	enum idp_err err;

	memset(&u, 0, sizeof(u));
	err = idp_from_store(store_user_get(idp->store, code->user_id, &u),
	    IDP_ERR_INVALID_CODE);
	if (err == IDP_OK) {
		struct id_token_in in = {
			.issuer = req->issuer ? req->issuer : "", .client_id = code->client_id,
			.user = &u, .nonce = code->nonce, .claims = code->claims,
		};

		err = idp_id_token(idp, &in, &resp->id_token);
	}
	store_user_clear(&u);
	return err;
}

static enum idp_err
authorization_code(struct idp *idp, const struct idp_token_request *req,
    struct idp_token_response *resp)
{
	struct store_app app;
	struct store_issue issue;
	struct store_code code;
	uint8_t digest[HASH_LEN];
	enum idp_err err;
	enum store_rc rc;

	if ((err = idp_client_auth(idp, req->client_id, req->client_secret, &app)) != IDP_OK)
		return err;
	err = app.is_public ? IDP_ERR_PUBLIC_CLIENT_CODE : IDP_OK;
	resp->scope_string = app.scope_string;
	store_app_clear(&app);
	if (err != IDP_OK)
		return err;
	if (idp_blank(req->code))
		return IDP_ERR_MISSING_CODE;
	if (idp_blank(req->redirect_uri))
		return IDP_ERR_REDIRECT_MISMATCH;
	if (strlen(req->code) > TW_MAX_TOKEN_LEN)
		return IDP_ERR_INVALID_CODE;
	hash_sha256(req->code, strlen(req->code), digest);
	idp_mint_user_tokens(idp, &issue, 1, resp);
	rc = store_code_redeem(idp->store, digest, req->client_id, req->redirect_uri, &issue,
	    &code);
	switch (rc) {
	case STORE_OK:
		err = idp_has_openid(code.scopes) ? code_id_token(idp, req, &code, resp) : IDP_OK;
		resp->scopes = code.scopes;
		code.scopes = NULL;
		store_code_clear(&code);
		return err;
	case STORE_MISMATCH:
		return IDP_ERR_REDIRECT_MISMATCH;
	case STORE_REPLAY:
		log_warn("authorization code of client %s used twice: its tokens are revoked",
		    req->client_id);
		return IDP_ERR_INVALID_CODE;
	case STORE_NOTFOUND:
		return IDP_ERR_INVALID_CODE;
	default:
		return IDP_ERR_UNAVAILABLE;
	}
}

/*
 * Confidential clients keep their refresh token (Twitch's behaviour: the
 * response repeats it).  Public clients cannot prove who they are, so
 * theirs are single-use and rotate, expiring after 30 days unused.
 */
static enum idp_err
refresh_token(struct idp *idp, const struct idp_token_request *req,
    struct idp_token_response *resp)
{
	struct store_app app;
	struct store_issue issue;
	struct store_grant grant;
	uint8_t digest[HASH_LEN];
	char *wanted = NULL;
	size_t len;
	int rotate;
	enum idp_err err;
	enum store_rc rc;

	if (idp_blank(req->refresh_token))
		return IDP_ERR_MISSING_REFRESH_TOKEN;
	if ((err = idp_client_auth(idp, req->client_id, req->client_secret, &app)) != IDP_OK)
		return err;
	rotate = app.is_public;
	resp->scope_string = app.scope_string;
	store_app_clear(&app);
	if (!idp_blank(req->scope) && scopes_canonical(req->scope, &wanted,
	    resp->error_detail, sizeof(resp->error_detail)) == -1)
		return IDP_ERR_INVALID_SCOPE;
	len = strlen(req->refresh_token);
	if (len > TW_MAX_TOKEN_LEN) {
		free(wanted);
		return IDP_ERR_INVALID_REFRESH_TOKEN;
	}
	hash_sha256(req->refresh_token, len, digest);
	idp_mint_user_tokens(idp, &issue, rotate, resp);
	issue.access.scopes = wanted;
	if (rotate)
		issue.refresh_expires_at = issue.access.created_at + TW_PUBLIC_REFRESH_IDLE;
	else
		memcpy(resp->refresh_token, req->refresh_token, len + 1);
	rc = store_refresh_use(idp->store, digest, req->client_id, &issue, &grant);
	if (rc == STORE_OK) {
		resp->scopes = wanted ? wanted : xstrdup(grant.scopes);
		wanted = NULL;
	}
	free(wanted);
	store_grant_clear(&grant);
	switch (rc) {
	case STORE_OK:
		return IDP_OK;
	case STORE_MISMATCH:
		return IDP_ERR_REFRESH_WIDENS;
	case STORE_REPLAY:
		log_warn("a used refresh token of client %s came back: its grant is revoked",
		    req->client_id);
		return IDP_ERR_INVALID_REFRESH_TOKEN;
	case STORE_NOTFOUND:
		return IDP_ERR_INVALID_REFRESH_TOKEN;
	default:
		return IDP_ERR_UNAVAILABLE;
	}
}

enum idp_err
idp_token(struct idp *idp, const struct idp_token_request *req,
    struct idp_token_response *resp)
{
	enum idp_err err;

	memset(resp, 0, sizeof(*resp));
	if (idp_blank(req->client_id))
		return IDP_ERR_MISSING_CLIENT_ID;
	if (idp_blank(req->grant_type))
		return IDP_ERR_INVALID_GRANT_TYPE;
	if (strcmp(req->grant_type, "client_credentials") == 0)
		return client_credentials(idp, req, resp);
	if (strcmp(req->grant_type, "authorization_code") == 0)
		err = authorization_code(idp, req, resp);
	else if (strcmp(req->grant_type, "refresh_token") == 0)
		err = refresh_token(idp, req, resp);
	else if (strcmp(req->grant_type, "urn:ietf:params:oauth:grant-type:device_code") == 0)
		err = idp_device_token(idp, req, resp);
	else
		return IDP_ERR_INVALID_GRANT_TYPE;
	if (err != IDP_OK) {
		/* Tokens minted for a failed store call never leave; the detail does. */
		OPENSSL_cleanse(resp->access_token, sizeof(resp->access_token));
		OPENSSL_cleanse(resp->refresh_token, sizeof(resp->refresh_token));
		free(resp->scopes);
		resp->scopes = NULL;
		free(resp->id_token);
		resp->id_token = NULL;
		resp->user_token = 0;
	}
	return err;
}

enum idp_err
idp_live_token(struct idp *idp, const char *token, size_t token_len, int64_t now,
    struct store_token *tok)
{
	uint8_t digest[HASH_LEN];
	enum idp_err err;

	memset(tok, 0, sizeof(*tok));
	if (token_len == 0 || token_len > TW_MAX_TOKEN_LEN)
		return IDP_ERR_INVALID_ACCESS_TOKEN;
	hash_sha256(token, token_len, digest);
	err = idp_from_store(store_token_get(idp->store, digest, tok),
	    IDP_ERR_INVALID_ACCESS_TOKEN);
	if (err == IDP_OK && tok->expires_at <= now) {
		store_token_clear(tok);
		err = IDP_ERR_INVALID_ACCESS_TOKEN;
	}
	return err;
}

enum idp_err
idp_validate(struct idp *idp, const char *token, size_t token_len,
    struct idp_token_info *info)
{
	struct store_token tok;
	int64_t now = clock_now();
	enum idp_err err;

	memset(info, 0, sizeof(*info));
	if ((err = idp_live_token(idp, token, token_len, now, &tok)) != IDP_OK)
		return err;
	memcpy(info->client_id, tok.client_id, sizeof(info->client_id));
	memcpy(info->login, tok.login, sizeof(info->login));
	info->user_id = tok.user_id;
	info->scopes = tok.scopes;
	tok.scopes = NULL;
	info->expires_in = tok.expires_at - now;
	store_token_clear(&tok);
	return IDP_OK;
}

enum idp_err
idp_revoke(struct idp *idp, const char *client_id, const char *token)
{
	struct store_app app;
	uint8_t digest[HASH_LEN];
	enum idp_err err;
	enum store_rc rc;

	if (idp_blank(client_id))
		return IDP_ERR_MISSING_CLIENT_ID;
	if (idp_blank(token))
		return IDP_ERR_MISSING_OAUTH_TOKEN;
	memset(&app, 0, sizeof(app));
	err = idp_from_store(store_app_get(idp->store, client_id, &app), IDP_ERR_INVALID_CLIENT);
	store_app_clear(&app);
	if (err != IDP_OK)
		return err;
	if (strlen(token) > TW_MAX_TOKEN_LEN)
		return IDP_OK;
	hash_sha256(token, strlen(token), digest);
	rc = store_token_revoke(idp->store, digest, client_id);
	return rc == STORE_OK || rc == STORE_NOTFOUND ? IDP_OK : IDP_ERR_UNAVAILABLE;
}
