/*
 * POST /oauth2/revoke with client_id and token.  200 with an empty body both
 * when the token was revoked and when it was not a token of that client
 * (RFC 7009 2.2); 400 only for malformed requests.
 */
#include "../common/metrics.h"
#include "routes.h"

void
http_revoke(struct request *req)
{
	enum idp_err err;

	err = idp_revoke(req_idp(req), req_param(req, "client_id"), req_param(req, "token"));
	if (err != IDP_OK) {
		req_reply_error(req, err);
		return;
	}
	metrics_count(M_REVOCATIONS, 1);
	req_reply_empty(req, 200);
}
