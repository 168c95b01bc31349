/*
 * The client credentials grant: an app token for a confidential client's
 * id and secret, with no user and no scopes (Twitch's app tokens).
 *
 * It is the hot path, so the client is not looked up first: the store
 * inserts the token on the condition, checked in the same statement, that
 * the app exists with that secret digest, and only a refused insert loads
 * the app to say why (idp_client_auth_failure).  It runs in three steps so
 * that the insert can be queued for the store's group commit
 * (idp_token_start): cc_prepare mints the token and fills the row,
 * the store inserts it, and cc_outcome turns the store's answer into the
 * response.  A token is answered only after its commit, so every 200
 * survives a crash.
 */
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/clock.h"
#include "../common/hash.h"
#include "../common/metrics.h"
#include "../common/xmalloc.h"
#include "idp_impl.h"

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
		err = idp_client_auth_failure(idp, p->tok.client_id, p->secret_digest);
	if (err == IDP_OK)
		resp->expires_in = idp->cfg.app_token_ttl;
	else
		OPENSSL_cleanse(resp->access_token, sizeof(resp->access_token));
	return err;
}

enum idp_err
idp_grant_client_credentials(struct idp *idp, const struct idp_token_request *req,
    struct idp_token_response *resp)
{
	struct idp_pending p;
	enum idp_err err;

	if (idp_blank(req->client_secret))
		return idp_client_auth_failure(idp, req->client_id, NULL);
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
	if ((err = idp_client_limit_before(idp, req->client_addr, resp)) != IDP_OK)
		return err;
	p = xmalloc(sizeof(*p));
	if ((err = cc_prepare(idp, req, resp, p)) != IDP_OK) {
		free(p);
		return idp_client_limit_after(idp, req->client_id, req->client_addr, err, resp);
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
	err = idp_client_limit_after(idp, p->tok.client_id, p->client_addr, err, resp);
	OPENSSL_cleanse(p, sizeof(*p));
	free(p);
	return err;
}
