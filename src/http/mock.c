/*
 * POST /auth/authorize: twitch mock-api's made-up grant, a user token
 * without the user's consent (see idp_mock_user_token), answered like
 * /oauth2/token.  Its parameters come in the query string, as twurple and
 * pyTwitchAPI send them; a form body works too.  Served only with
 * --mock-api-compat (routes.c, server.c).
 */
#include "routes.h"

void
http_mock_authorize(struct request *req)
{
	struct idp_token_request tr = {
		.grant_type = req_param(req, "grant_type"),
		.client_id = req_param(req, "client_id"),
		.client_secret = req_param(req, "client_secret"),
		.scope = req_param(req, "scope"),
		.user_id = req_param(req, "user_id"),
	};
	struct idp_token_response resp;
	char addr[64];
	enum idp_err err;

	if (tr.scope == NULL)
		tr.scope = req_param(req, "scopes");
	req_client_addr(req, addr, sizeof(addr));
	tr.client_addr = addr;
	err = idp_mock_user_token(req_idp(req), &tr, &resp);
	http_token_reply(req, err, &resp);
	idp_token_response_clear(&resp);
}
