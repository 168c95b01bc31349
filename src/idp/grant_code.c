/*
 * The authorization code grant: a confidential client exchanges the code
 * /oauth2/authorize gave it (authorize.c) for a user's access and refresh
 * tokens, and an id_token when the user granted openid.
 *
 * Invariants: a code works once, for the client and the exact redirect_uri
 * it was issued with, with the PKCE code_verifier of its code_challenge if
 * it had one (pkce.c: an oauth2-profile public client's always has, and is
 * its only proof), until it expires; redeeming it is one atomic store
 * transition (store_code_redeem).  A failed proof uses nothing up.  A code
 * presented again revokes what its first use issued (RFC 6749 4.1.2).
 * Other public clients have no secret to prove the code is theirs, so they
 * are refused (their row in grants.c).
 */
#include <string.h>

#include "../common/hash.h"
#include "../common/log.h"
#include "../common/url.h"
#include "idp_impl.h"

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
			.scopes = code->scopes,
		};

		err = idp_id_token(idp, &in, &resp->id_token);
	}
	store_user_clear(&u);
	return err;
}

enum idp_err
idp_grant_code(struct idp *idp, const struct idp_grant *g,
    const struct idp_token_request *req, struct idp_token_response *resp)
{
	struct store_issue issue;
	struct store_code code;
	uint8_t digest[HASH_LEN];
	char proof[IDP_PKCE_LEN + 1];
	int is_public = 0;
	enum idp_err err;
	enum store_rc rc;
	char *uri;

	if ((err = idp_grant_client(idp, g, req, resp, &is_public)) != IDP_OK)
		return err;
	if (idp_blank(req->code))
		return IDP_ERR_MISSING_CODE;
	/* A public client proves the code is its own by PKCE alone. */
	if (is_public && idp_blank(req->code_verifier))
		return IDP_ERR_MISSING_CODE_VERIFIER;
	if (idp_blank(req->redirect_uri))
		return IDP_ERR_REDIRECT_MISMATCH;
	if (strlen(req->code) > TW_MAX_TOKEN_LEN)
		return IDP_ERR_INVALID_CODE;
	hash_sha256(req->code, strlen(req->code), digest);
	idp_pkce_proof(req->code_verifier, proof);
	idp_mint_user_tokens(idp, &issue, 1, resp);
	/* A public client's refresh tokens rotate and idle out, as the device flow's. */
	if (is_public)
		issue.refresh_expires_at = issue.access.created_at + TW_PUBLIC_REFRESH_IDLE;
	/* Stored in its root-path form; either spelling of an empty path is it. */
	uri = url_root_path(req->redirect_uri);
	rc = store_code_redeem(idp->store, digest, req->client_id,
	    uri != NULL ? uri : req->redirect_uri, proof, &issue, &code);
	free(uri);
	switch (rc) {
	case STORE_OK:
		err = idp_has_openid(code.scopes) ? code_id_token(idp, req, &code, resp) : IDP_OK;
		resp->scopes = code.scopes;
		resp->user_id = code.user_id;
		code.scopes = NULL;
		store_code_clear(&code);
		return err;
	case STORE_MISMATCH:
		return IDP_ERR_REDIRECT_MISMATCH;
	case STORE_UNPROVEN:
		return idp_blank(req->code_verifier) ? IDP_ERR_MISSING_CODE_VERIFIER :
		    IDP_ERR_INVALID_CODE_VERIFIER;
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
