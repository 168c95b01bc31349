/*
 * Validation: which stored access token a presented one is, and what
 * /oauth2/validate says about it.  Helix (helix.c) and userinfo (oidc.c)
 * find their caller's token through idp_live_token too, so a revoked or
 * expired token fails everywhere at once.
 *
 * Invariants: the presented bytes are hashed, never stored or logged; a
 * token longer than TW_MAX_TOKEN_LEN is invalid without being hashed.
 */
#include <stdlib.h>
#include <string.h>

#include "../common/clock.h"
#include "../common/hash.h"
#include "idp_impl.h"

void
idp_token_info_clear(struct idp_token_info *info)
{
	free(info->scopes);
	memset(info, 0, sizeof(*info));
}

enum idp_err
idp_live_token(struct idp *idp, const char *token, size_t token_len, int64_t now,
    struct store_token *tok, char *token_id)
{
	uint8_t key[HASH_LEN];
	enum idp_err err;
	enum store_rc rc;

	memset(tok, 0, sizeof(*tok));
	if (token_len == 0 || token_len > TW_MAX_TOKEN_LEN)
		return IDP_ERR_INVALID_ACCESS_TOKEN;
	idp_access_token_key(token, token_len, key);
	if (token_id != NULL)
		idp_token_id_of_key(key, token_id);
	if ((rc = store_token_get(idp->store, key, tok)) == STORE_NOTFOUND) {
		hash_sha256(token, token_len, key);	/* legacy_digest (mint.c) */
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
	if ((err = idp_live_token(idp, token, token_len, now, &tok, info->token_id)) != IDP_OK)
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
