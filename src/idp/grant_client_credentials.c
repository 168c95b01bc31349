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
 * token and fills the row, the store inserts it, and cc_outcome turns the
 * store's answer into the response.  A token is answered only after its
 * commit, so every 200 survives a crash.
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
	const struct idp_grant *grant;		/* its row in the grant table */
	struct store_token tok;			/* the row; scopes point to "" */
	uint8_t		 secret_digest[HASH_LEN];
	char		 client_addr[64];	/* for the limits; "" if unknown */
	enum store_rc	 rc;			/* the store's answer */
	void		(*resume)(void *);
	void		*arg;
};

/* IDP_OK and a filled p, or the error that needs no store at all. */
static enum idp_err
cc_prepare(struct idp *idp, const struct idp_grant *g, const struct idp_token_request *req,
    struct idp_token_response *resp, struct idp_pending *p)
{
	size_t id_len = strlen(req->client_id);
	int64_t now = clock_now();

	memset(p, 0, sizeof(*p));
	if (id_len > TW_ID_LEN)
		return IDP_ERR_INVALID_CLIENT;
	p->grant = g;
	memcpy(p->tok.client_id, req->client_id, id_len + 1);
	/* App tokens carry no scopes on Twitch: a scope parameter is ignored. */
	p->tok.scopes = (char *)"";
	p->tok.created_at = now;
	p->tok.expires_at = now + idp->cfg.app_token_ttl;
	hash_sha256(req->client_secret, strlen(req->client_secret), p->secret_digest);
	idp_new_access_token(resp->access_token, p->tok.hash);
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
		err = cc_refused(idp, p->grant, p->tok.client_id, p->secret_digest);
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
idp_grant_client_credentials_start(struct idp *idp, const struct idp_grant *g,
    const struct idp_token_request *req, struct idp_token_response *resp,
    struct idp_pending **pending, void (*resume)(void *), void *arg)
{
	struct idp_pending *p = xmalloc(sizeof(*p));
	enum idp_err err;

	*pending = NULL;
	if ((err = cc_prepare(idp, g, req, resp, p)) != IDP_OK) {
		free(p);
		return err;
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
		metrics_token(p->grant->metric);
	err = idp_client_limit_after(idp, p->tok.client_id, p->client_addr, err, resp);
	OPENSSL_cleanse(p, sizeof(*p));
	free(p);
	return err;
}
