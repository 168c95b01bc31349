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

enum idp_err
idp_grant_refresh(struct idp *idp, const struct idp_grant *g,
    const struct idp_token_request *req, struct idp_token_response *resp)
{
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
	if ((err = idp_grant_client(idp, g, req, resp, &rotate)) != IDP_OK)
		return err;
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
