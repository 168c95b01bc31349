/*
 * POST /oauth2/introspect (RFC 7662): token, and the app's credentials as
 * parameters or by HTTP Basic (not both).  Answers {"active":false} for
 * any token that is not a live access token of the asking app; errors in
 * RFC 6749's shape (a standard endpoint: Twitch has none to imitate).
 */
#include <string.h>

#include "../common/clock.h"
#include "routes.h"

static void
reply_active(struct request *req, const struct idp_token_info *info)
{
	char issuer[400];
	json_t *body;

	http_issuer(req, issuer, sizeof(issuer));
	body = json_pack("{s:b, s:s, s:s, s:s, s:I, s:s}", "active", 1,
	    "client_id", info->client_id, "scope", info->scopes ? info->scopes : "",
	    "token_type", "bearer", "exp", (json_int_t)(clock_now() + info->expires_in),
	    "iss", issuer);
	if (info->user_id != 0) {
		json_object_set_new(body, "sub", user_id_json(info->user_id));
		json_object_set_new(body, "username", json_string(info->login));
	}
	req_reply_json(req, 200, body);
}

void
http_introspect(struct request *req)
{
	struct idp_introspect_request ir;
	struct idp_token_info info;
	struct http_basic basic;
	enum idp_client_auth_way way = http_basic_read(req, &basic);
	/* A standard endpoint: RFC 6749's error shape for every app. */
	struct idp_answer_shape shape = { .oauth2 = 1, .basic = way == IDP_AUTH_BASIC };
	char addr[64];
	int active = 0;
	enum idp_err err;

	memset(&ir, 0, sizeof(ir));
	memset(&info, 0, sizeof(info));
	ir.client_id = req_param(req, "client_id");
	ir.client_secret = req_param(req, "client_secret");
	ir.token = req_param(req, "token");
	req_client_addr(req, addr, sizeof(addr));
	ir.client_addr = addr;
	if (way == IDP_AUTH_BASIC_MALFORMED)
		err = IDP_ERR_BASIC_MALFORMED;
	else if (way == IDP_AUTH_BASIC && (ir.client_secret != NULL ||
	    (ir.client_id != NULL && strcmp(ir.client_id, basic.id) != 0)))
		err = IDP_ERR_CLIENT_AUTH_TWICE;
	else {
		if (way == IDP_AUTH_BASIC) {
			ir.client_id = basic.id;
			ir.client_secret = basic.secret;
		}
		err = idp_introspect(req_idp(req), &ir, &info, &active, &shape.retry_after);
	}
	if (err != IDP_OK)
		http_shaped_error(req, err, NULL, &shape);
	else if (active)
		reply_active(req, &info);
	else
		req_reply_json(req, 200, json_pack("{s:b}", "active", 0));
	idp_token_info_clear(&info);
	http_basic_clear(&basic);
}
