/*
 * Token introspection (RFC 7662): a confidential app asks whether a token
 * is live, for resource servers and gateways that speak the standard.
 * Twitch has no such endpoint; its /oauth2/validate is the Twitch-shaped
 * way, and it stays.
 *
 * Invariants: only the introspecting app's own access tokens are
 * described; anything else (another app's token, a refresh token, an
 * unknown, expired or revoked one) is inactive, with nothing about it
 * said, so introspection reveals no more than holding the token does.  The
 * app authenticates like a token request, under the same failure limits.
 */
#include <string.h>

#include "idp_impl.h"

/* Who may introspect: the rules client_auth.c applies, as for a grant. */
static const struct idp_grant introspection = {
	"introspection", 0, IDP_ERR_PUBLIC_INTROSPECT, GRANT_CLIENT_CREDENTIALS, NULL, NULL,
	NULL
};

/* The introspection itself, once the limits let the request in. */
static enum idp_err
introspect(struct idp *idp, const struct idp_introspect_request *req,
    struct idp_token_info *info, int *active)
{
	struct idp_token_request auth;
	enum idp_err err;

	if (idp_blank(req->client_id))
		return IDP_ERR_MISSING_CLIENT_ID;
	memset(&auth, 0, sizeof(auth));
	auth.client_id = req->client_id;
	auth.client_secret = req->client_secret;
	{
		struct store_app app;

		if ((err = idp_client_auth(idp, &introspection, &auth, &app)) != IDP_OK)
			return err;
		store_app_clear(&app);
	}
	if (idp_blank(req->token))
		return IDP_ERR_MISSING_OAUTH_TOKEN;
	err = idp_validate(idp, req->token, strlen(req->token), info);
	if (err == IDP_ERR_INVALID_ACCESS_TOKEN)
		return IDP_OK;
	if (err != IDP_OK)
		return err;
	if (strcmp(info->client_id, req->client_id) != 0) {
		idp_token_info_clear(info);
		return IDP_OK;
	}
	*active = 1;
	return IDP_OK;
}

enum idp_err
idp_introspect(struct idp *idp, const struct idp_introspect_request *req,
    struct idp_token_info *info, int *active, int64_t *retry_after)
{
	struct idp_token_response limits;
	enum idp_err err;

	*active = 0;
	*retry_after = 0;
	memset(info, 0, sizeof(*info));
	memset(&limits, 0, sizeof(limits));
	if ((err = idp_client_limit_before(idp, req->client_addr, &limits)) == IDP_OK) {
		err = introspect(idp, req, info, active);
		err = idp_client_limit_after(idp, req->client_id, req->client_addr, err, &limits);
	}
	*retry_after = limits.retry_after;
	if (err != IDP_OK)
		idp_token_info_clear(info);
	return err;
}
