/*
 * The refresh token grant: new user tokens for a refresh token, with the
 * grant's scopes or (RFC 6749 6) fewer of them, never more.
 *
 * Confidential clients keep their refresh token (Twitch's behaviour: the
 * response repeats it).  Public clients cannot prove who they are, so
 * theirs are single-use and rotate, expiring after TW_PUBLIC_REFRESH_IDLE
 * unused.  The rotation is one store transition (store_refresh_use); how
 * it treats a retry is decided here (refresh_rules), and a used token that
 * comes back otherwise ends the grant.
 */
#include <openssl/crypto.h>
#include <stdlib.h>
#include <string.h>

#include "../common/hash.h"
#include "../common/log.h"
#include "../common/scopes.h"
#include "../common/xmalloc.h"
#include "idp_impl.h"

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
 * Everything before the store: the client, the scopes asked for, the
 * tokens minted into resp and the rotation's row in rp.  IDP_OK, or the
 * error with nothing of rp's left allocated.
 */
static enum idp_err
refresh_prepare(struct idp *idp, const struct idp_grant *g,
    const struct idp_token_request *req, struct idp_token_response *resp,
    struct idp_pending *p)
{
	char *wanted = NULL;
	size_t len;
	int rotate;
	enum idp_err err;

	memset(&p->u.refresh, 0, sizeof(p->u.refresh));
	if (idp_blank(req->refresh_token))
		return IDP_ERR_MISSING_REFRESH_TOKEN;
	if ((err = idp_grant_client(idp, g, req, resp, &rotate)) != IDP_OK)
		return err;
	if (!idp_blank(req->scope) && idp_scopes_requested(resp->oauth2, req->scope, &wanted,
	    resp->error_detail, sizeof(resp->error_detail)) == -1)
		return IDP_ERR_INVALID_SCOPE;
	/* Only offline_access (oauth2): as if no scope had been asked for. */
	if (wanted != NULL && scopes_none(wanted)) {
		free(wanted);
		wanted = NULL;
	}
	len = strlen(req->refresh_token);
	if (len > TW_MAX_TOKEN_LEN) {
		free(wanted);
		return IDP_ERR_INVALID_REFRESH_TOKEN;
	}
	hash_sha256(req->refresh_token, len, p->u.refresh.digest);
	idp_token_id(req->refresh_token, len, resp->presented_id);
	idp_mint_user_tokens(idp, &p->u.refresh.issue, rotate, resp);
	p->u.refresh.issue.access.scopes = wanted;
	if (rotate)
		p->u.refresh.issue.refresh_expires_at =
		    p->u.refresh.issue.access.created_at + TW_PUBLIC_REFRESH_IDLE;
	else
		memcpy(resp->refresh_token, req->refresh_token, len + 1);
	return IDP_OK;
}

/* The store's answer (p->wait.rc) as the response; frees what rp holds. */
static enum idp_err
refresh_outcome(struct idp_pending *p, struct idp_token_response *resp)
{
	char *wanted = p->u.refresh.issue.access.scopes;

	if (p->wait.rc == STORE_OK) {
		resp->scopes = wanted ? wanted : xstrdup(p->u.refresh.grant.scopes);
		resp->user_id = p->u.refresh.grant.user_id;
		wanted = NULL;
	}
	/* Rule 3 of the rules lab: a public app that keeps a replaced refresh token. */
	if (p->wait.rc == STORE_REPLAY)
		resp->replayed = 1;
	free(wanted);
	p->u.refresh.issue.access.scopes = NULL;
	store_grant_clear(&p->u.refresh.grant);
	switch (p->wait.rc) {
	case STORE_OK:
		return IDP_OK;
	case STORE_MISMATCH:
		return IDP_ERR_REFRESH_WIDENS;
	case STORE_REPLAY:
		log_warn("a used refresh token of client %s came back: its grant is revoked",
		    p->client_id);
		return IDP_ERR_INVALID_REFRESH_TOKEN;
	case STORE_NOTFOUND:
		return IDP_ERR_INVALID_REFRESH_TOKEN;
	default:
		return IDP_ERR_UNAVAILABLE;
	}
}

enum idp_err
idp_grant_refresh(struct idp *idp, const struct idp_grant *g,
    const struct idp_token_request *req, struct idp_token_response *resp)
{
	struct idp_pending p;
	enum idp_err err;

	memset(&p, 0, sizeof(p));
	/* idp_token_start's copy of the client id, for the queued half alike. */
	if (strlen(req->client_id) > TW_ID_LEN)
		return IDP_ERR_INVALID_CLIENT;
	memcpy(p.client_id, req->client_id, strlen(req->client_id) + 1);
	if ((err = refresh_prepare(idp, g, req, resp, &p)) != IDP_OK)
		return err;
	p.wait.rc = store_refresh_use(idp->store, p.u.refresh.digest, p.client_id,
	    &p.u.refresh.issue, &refresh_rules, &p.u.refresh.grant);
	err = refresh_outcome(&p, resp);
	OPENSSL_cleanse(&p, sizeof(p));
	return err;
}

enum idp_err
idp_grant_refresh_start(struct idp *idp, const struct idp_grant *g,
    const struct idp_token_request *req, struct idp_token_response *resp,
    struct idp_pending *p)
{
	enum idp_err err = refresh_prepare(idp, g, req, resp, p);

	if (err == IDP_OK)
		store_refresh_use_queued(idp->store, p->u.refresh.digest, p->client_id,
		    &p->u.refresh.issue, &refresh_rules, &p->u.refresh.grant,
		    idp_wait_stored, &p->wait);
	return err;
}

enum idp_err
idp_grant_refresh_finish(struct idp *idp, struct idp_pending *p,
    struct idp_token_response *resp)
{
	(void)idp;
	return refresh_outcome(p, resp);
}
