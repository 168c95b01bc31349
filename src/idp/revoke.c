/*
 * Revocation (RFC 7009, as Twitch answers it): POST /oauth2/revoke with
 * client_id and token.
 *
 * Invariants: a well-formed request is answered IDP_OK whether or not the
 * token existed or was the client's, so revoke cannot be used to probe
 * tokens; only a store failure says otherwise.  The store revokes only a
 * token of client_id; a refresh token takes its whole grant with it.
 */
#include <string.h>

#include "../common/hash.h"
#include "idp_impl.h"

enum idp_err
idp_revoke(struct idp *idp, const char *client_id, const char *token)
{
	uint8_t digest[HASH_LEN];
	enum idp_err err;
	enum store_rc rc;

	if (idp_blank(client_id))
		return IDP_ERR_MISSING_CLIENT_ID;
	if (idp_blank(token))
		return IDP_ERR_MISSING_OAUTH_TOKEN;
	if ((err = idp_client_known(idp, client_id)) != IDP_OK)
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
