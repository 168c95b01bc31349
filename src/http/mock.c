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
	struct idp_token_request tr;
	struct idp_token_response resp;
	struct http_basic basic;
	char addr[64];
	enum idp_err err;

	http_token_request(req, &tr, addr, sizeof(addr), &basic);
	err = idp_mock_user_token(req_idp(req), &tr, &resp);
	http_token_reply(req, err, &resp);
	idp_token_response_clear(&resp);
	http_basic_clear(&basic);
}
