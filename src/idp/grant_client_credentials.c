/*
 * The client credentials grant: an app token for a confidential client's
 * id and secret, with no user and no scopes (Twitch's app tokens).
 *
 * It is the hot path, so the client is not looked up first: the store
 * inserts the token on the condition, checked in the same statement, that
 * the app exists with that secret digest, and only a refused insert loads
 * the app to say why (cc_refused).  It runs in three steps so that the
 * insert can be queued for the store's group commit (idp_token_start in
 * grants.c starts it here, idp_token_finish ends it): cc_prepare mints the
 * token and fills the row (p->u.cc), the store inserts it, and cc_outcome
 * turns the store's answer into the response.  A token is answered only after its
 * commit, so every 200 survives a crash.
 */
#include <openssl/crypto.h>
#include <stdlib.h>
#include <string.h>

#include "../common/clock.h"
#include "../common/hash.h"
#include "idp_impl.h"

/* IDP_OK and a filled p, or the error that needs no store at all. */
static enum idp_err
cc_prepare(struct idp *idp, const struct idp_grant *g, const struct idp_token_request *req,
    struct idp_token_response *resp, struct idp_pending *p)
{
	size_t id_len = strlen(req->client_id);
	int64_t now = clock_now();

	(void)g;
	memset(&p->u.cc, 0, sizeof(p->u.cc));
	if (id_len > TW_ID_LEN)
		return IDP_ERR_INVALID_CLIENT;
	memcpy(p->u.cc.tok.client_id, req->client_id, id_len + 1);
	/* App tokens carry no scopes on Twitch: a scope parameter is ignored. */
	p->u.cc.tok.scopes = (char *)"";
	p->u.cc.tok.created_at = now;
	p->u.cc.tok.expires_at = now + idp->cfg.app_token_ttl;
	hash_sha256(req->client_secret, strlen(req->client_secret), p->u.cc.secret_digest);
	idp_new_access_token(resp->access_token, p->u.cc.tok.hash);
	return IDP_OK;
}

/*
 * Why the store refused the token, by loading the app: the slow path,
 * taken only when no token was issued.  secret_digest is NULL when the
 * request carried no secret.
 */
static enum idp_err
cc_refused(struct idp *idp, const struct idp_grant *g, const char *client_id,
    const uint8_t *secret_digest)
{
	enum idp_err err = idp_client_auth_digest(idp, g, client_id, secret_digest, NULL);

	return err == IDP_OK ? IDP_ERR_UNAVAILABLE : err;	/* matched now: it changed under us */
}

static enum idp_err
cc_outcome(struct idp *idp, const struct idp_grant *g, struct idp_pending *p,
    struct idp_token_response *resp)
{
	enum idp_err err;

	/* A digest collision (never seen) gets a fresh token, inline. */
	for (int attempt = 0; p->wait.rc == STORE_CONFLICT && attempt < 2; attempt++) {
		idp_new_access_token(resp->access_token, p->u.cc.tok.hash);
		p->wait.rc = store_token_insert(idp->store, &p->u.cc.tok, p->u.cc.secret_digest);
	}
	err = idp_from_store(p->wait.rc, IDP_ERR_INVALID_CLIENT);
	if (err == IDP_ERR_INVALID_CLIENT)
		err = cc_refused(idp, g, p->u.cc.tok.client_id, p->u.cc.secret_digest);
	if (err == IDP_OK)
		resp->expires_in = idp->cfg.app_token_ttl;
	else
		OPENSSL_cleanse(resp->access_token, sizeof(resp->access_token));
	return err;
}

enum idp_err
idp_grant_client_credentials(struct idp *idp, const struct idp_grant *g,
    const struct idp_token_request *req, struct idp_token_response *resp)
{
	struct idp_pending p;
	enum idp_err err;

	if (idp_blank(req->client_secret))
		return cc_refused(idp, g, req->client_id, NULL);
	if ((err = cc_prepare(idp, g, req, resp, &p)) == IDP_OK) {
		p.wait.rc = store_token_insert(idp->store, &p.u.cc.tok, p.u.cc.secret_digest);
		err = cc_outcome(idp, g, &p, resp);
	}
	OPENSSL_cleanse(&p, sizeof(p));
	return err;
}

enum idp_err
idp_grant_client_credentials_start(struct idp *idp, const struct idp_grant *g,
    const struct idp_token_request *req, struct idp_token_response *resp,
    struct idp_pending *p)
{
	enum idp_err err;

	/* Without a secret there is nothing to insert: why, at once. */
	if (idp_blank(req->client_secret))
		return cc_refused(idp, g, req->client_id, NULL);
	if ((err = cc_prepare(idp, g, req, resp, p)) == IDP_OK)
		store_token_insert_queued(idp->store, &p->u.cc.tok, p->u.cc.secret_digest,
		    idp_wait_stored, &p->wait);
	return err;
}

enum idp_err
idp_grant_client_credentials_finish(struct idp *idp, struct idp_pending *p,
    struct idp_token_response *resp)
{
	return cc_outcome(idp, p->grant, p, resp);
}
