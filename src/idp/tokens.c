/*
 * Issuing, validating and revoking tokens.
 *
 * A token is TW_ID_LEN random characters; the store keeps its SHA-256 only,
 * so validation hashes what it is shown and looks the digest up.  Client
 * secrets are checked the same way, comparing digests in constant time.
 */
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/clock.h"
#include "../common/hash.h"
#include "../common/rand.h"
#include "../common/xmalloc.h"
#include "../common/log.h"
#include "../common/metrics.h"
#include "../common/num.h"
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

/*
 * Access tokens begin with a stamp: five characters counting milliseconds
 * (modulo 36^5, about 16.8 hours), then 25 random ones (129 bits, within
 * RFC 6749's bound of 2^-128 for guessing).  Their store key is the stamp
 * followed by the first 27 bytes of the token's SHA-256, so the keys of
 * tokens issued together are neighbours in the store's index: a commit of
 * many new tokens writes a few pages, not one random page per token, which
 * is most of what issuing a token costs.  The stamp is not secret.
 *
 * Tokens issued before stamps existed are stored under their plain SHA-256;
 * lookups that miss try that too (legacy_digest), so an upgrade loses none.
 */
#define STAMP_LEN	5
#define STAMP_MOD	60466176u	/* 36^5 */

void
idp_access_token_key(const char *token, size_t len, uint8_t key[HASH_LEN])
{
	uint8_t digest[HASH_LEN];

	memset(key, 0, STAMP_LEN);
	memcpy(key, token, len < STAMP_LEN ? len : STAMP_LEN);
	hash_sha256(token, len, digest);
	memcpy(key + STAMP_LEN, digest, HASH_LEN - STAMP_LEN);
	OPENSSL_cleanse(digest, sizeof(digest));
}

void
idp_new_access_token(char out[TW_ID_LEN + 1], uint8_t key[HASH_LEN])
{
	uint64_t ms = clock_wall_ms() % STAMP_MOD;

	for (int i = STAMP_LEN - 1; i >= 0; i--, ms /= 36)
		out[i] = RAND_ALNUM[ms % 36];
	rand_alnum(out + STAMP_LEN, TW_ID_LEN - STAMP_LEN);
	idp_access_token_key(out, TW_ID_LEN, key);
}

/*
 * Limits on failed client authentication.  An address that failed too
 * often is refused before any work is done.  A client id is limited in its
 * failures only: over the limit, a wrong secret answers 429 instead of 403
 * while the right one still works, so nobody can lock an app out by
 * guessing at its secret.
 */
static enum idp_err
client_limit_before(struct idp *idp, const char *addr, struct idp_token_response *resp)
{
	int64_t wait;

	if (idp_blank(addr) ||
	    (wait = throttle_wait(idp->client_addr_throttle, addr, clock_now_ms())) == 0)
		return IDP_OK;
	resp->retry_after = wait;
	return IDP_ERR_CLIENT_THROTTLED;
}

static enum idp_err
client_limit_after(struct idp *idp, const char *client_id, const char *addr,
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
 * The client credentials grant, in three steps so that the insert can be
 * queued for the store's group commit (idp_token_start):
 * cc_prepare mints the token and fills the row to insert, the store inserts
 * it on the condition (checked in the same statement) that the app still
 * exists with that secret, and cc_outcome turns the store's answer into
 * the response.
 */
struct idp_pending {
	struct idp	*idp;
	struct store_token tok;			/* the row; scopes point to "" */
	uint8_t		 secret_digest[HASH_LEN];
	char		 client_addr[64];	/* for the limits; "" if unknown */
	enum store_rc	 rc;			/* the store's answer */
	void		(*resume)(void *);
	void		*arg;
};

/* IDP_OK and a filled p, or the error that needs no store at all. */
static enum idp_err
cc_prepare(struct idp *idp, const struct idp_token_request *req,
    struct idp_token_response *resp, struct idp_pending *p)
{
	size_t id_len = strlen(req->client_id);
	int64_t now = clock_now();

	memset(p, 0, sizeof(*p));
	if (id_len > TW_ID_LEN)
		return IDP_ERR_INVALID_CLIENT;
	p->idp = idp;
	memcpy(p->tok.client_id, req->client_id, id_len + 1);
	/* App tokens carry no scopes on Twitch: a scope parameter is ignored. */
	p->tok.scopes = (char *)"";
	p->tok.created_at = now;
	p->tok.expires_at = now + idp->cfg.app_token_ttl;
	hash_sha256(req->client_secret, strlen(req->client_secret), p->secret_digest);
	idp_new_access_token(resp->access_token, p->tok.hash);
	return IDP_OK;
}

static enum idp_err
cc_outcome(struct idp *idp, struct idp_pending *p, struct idp_token_response *resp)
{
	enum idp_err err;

	/* A digest collision (never seen) gets a fresh token, inline. */
	for (int attempt = 0; p->rc == STORE_CONFLICT && attempt < 2; attempt++) {
		idp_new_access_token(resp->access_token, p->tok.hash);
		p->rc = store_token_insert(idp->store, &p->tok, p->secret_digest);
	}
	err = idp_from_store(p->rc, IDP_ERR_INVALID_CLIENT);
	if (err == IDP_ERR_INVALID_CLIENT)
		err = client_auth_failure(idp, p->tok.client_id, p->secret_digest);
	if (err == IDP_OK)
		resp->expires_in = idp->cfg.app_token_ttl;
	else
		OPENSSL_cleanse(resp->access_token, sizeof(resp->access_token));
	return err;
}

static enum idp_err
client_credentials(struct idp *idp, const struct idp_token_request *req,
    struct idp_token_response *resp)
{
	struct idp_pending p;
	enum idp_err err;

	if (idp_blank(req->client_secret))
		return client_auth_failure(idp, req->client_id, NULL);
	if ((err = cc_prepare(idp, req, resp, &p)) == IDP_OK) {
		p.rc = store_token_insert(idp->store, &p.tok, p.secret_digest);
		err = cc_outcome(idp, &p, resp);
	}
	OPENSSL_cleanse(&p, sizeof(p));
	return err;
}

/* The store's callback: keeps the answer and wakes the caller. */
static void
cc_stored(void *arg, enum store_rc rc)
{
	struct idp_pending *p = arg;
	void (*resume)(void *) = p->resume;
	void *resume_arg = p->arg;

	/* After resume, p belongs to the caller's idp_token_finish. */
	p->rc = rc;
	resume(resume_arg);
}

enum idp_err
idp_token_start(struct idp *idp, const struct idp_token_request *req,
    struct idp_token_response *resp, struct idp_pending **pending,
    void (*resume)(void *), void *arg)
{
	struct idp_pending *p;
	enum idp_err err;

	*pending = NULL;
	if (idp_blank(req->grant_type) || strcmp(req->grant_type, "client_credentials") != 0 ||
	    idp_blank(req->client_id) || idp_blank(req->client_secret))
		return idp_token(idp, req, resp);
	memset(resp, 0, sizeof(*resp));
	if ((err = client_limit_before(idp, req->client_addr, resp)) != IDP_OK)
		return err;
	p = xmalloc(sizeof(*p));
	if ((err = cc_prepare(idp, req, resp, p)) != IDP_OK) {
		free(p);
		return client_limit_after(idp, req->client_id, req->client_addr, err, resp);
	}
	if (req->client_addr != NULL)
		snprintf(p->client_addr, sizeof(p->client_addr), "%s", req->client_addr);
	p->resume = resume;
	p->arg = arg;
	*pending = p;
	store_token_insert_queued(idp->store, &p->tok, p->secret_digest, cc_stored, p);
	return IDP_OK;
}

enum idp_err
idp_token_finish(struct idp *idp, struct idp_pending *p, struct idp_token_response *resp)
{
	enum idp_err err = cc_outcome(idp, p, resp);

	if (err == IDP_OK)
		metrics_token(GRANT_CLIENT_CREDENTIALS);
	err = client_limit_after(idp, p->tok.client_id, p->client_addr, err, resp);
	OPENSSL_cleanse(p, sizeof(*p));
	free(p);
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
	idp_new_access_token(resp->access_token, issue->access.hash);
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
 * A rotated refresh token presented again within a minute, while none of
 * its replacements is used, is a client retrying after a lost answer (or
 * two refreshes at once): it rotates again, up to 10 times.  Later, or
 * once a replacement was used, it is a copy, and the grant ends.
 */
static const struct store_refresh_rules refresh_rules = {
	.retry_window = TW_REFRESH_RETRY,
	.max_replacements = TW_REFRESH_REPLACEMENTS,
};

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
	rc = store_refresh_use(idp->store, digest, req->client_id, &issue, &refresh_rules,
	    &grant);
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

/* Every grant of idp_token, within the limits. */
static enum idp_err
token_grant(struct idp *idp, const struct idp_token_request *req,
    struct idp_token_response *resp)
{
	enum idp_err err;

	if (idp_blank(req->client_id))
		return IDP_ERR_MISSING_CLIENT_ID;
	if (idp_blank(req->grant_type))
		return IDP_ERR_INVALID_GRANT_TYPE;
	if (strcmp(req->grant_type, "client_credentials") == 0)
		err = client_credentials(idp, req, resp);
	else if (strcmp(req->grant_type, "authorization_code") == 0)
		err = authorization_code(idp, req, resp);
	else if (strcmp(req->grant_type, "refresh_token") == 0)
		err = refresh_token(idp, req, resp);
	else if (strcmp(req->grant_type, "urn:ietf:params:oauth:grant-type:device_code") == 0)
		err = idp_device_token(idp, req, resp);
	else
		return IDP_ERR_INVALID_GRANT_TYPE;
	if (err == IDP_OK)
		metrics_token(metrics_grant_of(req->grant_type));
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
idp_token(struct idp *idp, const struct idp_token_request *req,
    struct idp_token_response *resp)
{
	enum idp_err err;

	memset(resp, 0, sizeof(*resp));
	if ((err = client_limit_before(idp, req->client_addr, resp)) != IDP_OK)
		return err;
	err = token_grant(idp, req, resp);
	return client_limit_after(idp, req->client_id, req->client_addr, err, resp);
}

enum idp_err
idp_live_token(struct idp *idp, const char *token, size_t token_len, int64_t now,
    struct store_token *tok)
{
	uint8_t key[HASH_LEN];
	enum idp_err err;
	enum store_rc rc;

	memset(tok, 0, sizeof(*tok));
	if (token_len == 0 || token_len > TW_MAX_TOKEN_LEN)
		return IDP_ERR_INVALID_ACCESS_TOKEN;
	idp_access_token_key(token, token_len, key);
	if ((rc = store_token_get(idp->store, key, tok)) == STORE_NOTFOUND) {
		hash_sha256(token, token_len, key);	/* legacy_digest */
		rc = store_token_get(idp->store, key, tok);
	}
	err = idp_from_store(rc, IDP_ERR_INVALID_ACCESS_TOKEN);
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
	/* An access token; else a refresh token (or a legacy_digest access token). */
	idp_access_token_key(token, strlen(token), digest);
	if ((rc = store_token_revoke(idp->store, digest, client_id)) == STORE_NOTFOUND) {
		hash_sha256(token, strlen(token), digest);
		rc = store_token_revoke(idp->store, digest, client_id);
	}
	return rc == STORE_OK || rc == STORE_NOTFOUND ? IDP_OK : IDP_ERR_UNAVAILABLE;
}

/* idp_mock_user_token, once past the failure limits. */
static enum idp_err
mock_user_token(struct idp *idp, const struct idp_token_request *req,
    const char *user_id, struct idp_token_response *resp)
{
	struct store_app app;
	struct store_user user;
	struct store_grant g;
	struct store_issue issue;
	char *scopes = NULL;
	int64_t uid;
	enum idp_err err;

	memset(resp, 0, sizeof(*resp));
	memset(&user, 0, sizeof(user));
	if (idp_blank(req->client_id))
		return IDP_ERR_MISSING_CLIENT_ID;
	if (idp_blank(req->grant_type) || strcmp(req->grant_type, "user_token") != 0)
		return IDP_ERR_INVALID_GRANT_TYPE;
	if ((err = idp_client_auth(idp, req->client_id, req->client_secret, &app)) != IDP_OK)
		return err;
	if (app.is_public) {
		err = IDP_ERR_MOCK_NEEDS_SECRET;	/* else a client id alone would do */
		goto out;
	}
	if (idp_blank(user_id)) {
		err = IDP_ERR_MOCK_MISSING_USER;
		goto out;
	}
	if (num_parse_i64(user_id, 1, INT64_MAX, &uid) == -1 ||
	    store_user_get(idp->store, uid, &user) != STORE_OK) {
		err = IDP_ERR_MOCK_BAD_USER;
		goto out;
	}
	if (scopes_canonical(req->scope, &scopes, resp->error_detail,
	    sizeof(resp->error_detail)) == -1) {
		err = IDP_ERR_INVALID_SCOPE;
		goto out;
	}
	memset(&g, 0, sizeof(g));
	g.user_id = uid;
	memcpy(g.client_id, app.client_id, sizeof(g.client_id));
	g.scopes = scopes;
	g.claims = "";
	idp_mint_user_tokens(idp, &issue, 1, resp);
	g.created_at = issue.access.created_at;
	err = idp_from_store(store_grant_issue(idp->store, &g, &issue), IDP_ERR_MOCK_BAD_USER);
	if (err == IDP_OK) {
		resp->scopes = scopes;
		resp->scope_string = app.scope_string;
		scopes = NULL;
		metrics_token(GRANT_MOCK_USER_TOKEN);
	} else {
		OPENSSL_cleanse(resp->access_token, sizeof(resp->access_token));
		OPENSSL_cleanse(resp->refresh_token, sizeof(resp->refresh_token));
		resp->user_token = 0;
	}
out:
	free(scopes);
	store_user_clear(&user);
	store_app_clear(&app);
	return err;
}

/* It checks a client secret, so it is under the limits of /oauth2/token. */
enum idp_err
idp_mock_user_token(struct idp *idp, const struct idp_token_request *req,
    const char *user_id, struct idp_token_response *resp)
{
	enum idp_err err;

	memset(resp, 0, sizeof(*resp));
	if ((err = client_limit_before(idp, req->client_addr, resp)) != IDP_OK)
		return err;
	err = mock_user_token(idp, req, user_id, resp);
	return client_limit_after(idp, req->client_id, req->client_addr, err, resp);
}
