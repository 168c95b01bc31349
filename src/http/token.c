/*
 * POST /oauth2/token.  Gathers the parameters, lets the identity logic
 * decide, and writes Twitch's response shape.  The access token leaves this
 * process here and nowhere else.
 */
#include <openssl/crypto.h>

#include "routes.h"

void
http_token(struct request *req)
{
	struct idp_token_request tr = {
		.grant_type = req_param(req, "grant_type"),
		.client_id = req_param(req, "client_id"),
		.client_secret = req_param(req, "client_secret"),
		.scope = req_param(req, "scope"),
	};
	struct idp_token_response resp;
	enum idp_err err;

	err = idp_token(req_idp(req), &tr, &resp);
	if (err != IDP_OK) {
		req_reply_error(req, err);
		return;
	}
	req_reply_json(req, 200, json_pack("{s:s, s:I, s:s}",
	    "access_token", resp.access_token,
	    "expires_in", (json_int_t)resp.expires_in,
	    "token_type", "bearer"));
	OPENSSL_cleanse(&resp, sizeof(resp));
}
