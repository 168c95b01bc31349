/*
 * POST /oauth2/revoke with client_id and token.  200 with an empty body both
 * when the token was revoked and when it was not a token of that client
 * (RFC 7009 2.2); 400 only for malformed requests.  The revocation waits for
 * the store's group commit parked, as a token request does: no thread is
 * held while it is made durable.
 */
#include "../common/metrics.h"
#include "routes.h"

static void
revoke_reply(struct request *req, enum idp_err err)
{
	if (err != IDP_OK) {
		req_reply_error(req, err);
		return;
	}
	metrics_count(M_REVOCATIONS, 1);
	req_reply_empty(req, 200);
}

static void
revoke_committed(struct request *req, void *ctx)
{
	revoke_reply(req, idp_revoke_finish(ctx));
}

void
http_revoke(struct request *req)
{
	struct idp_revocation *pending;
	struct idp_client_creds who;
	struct idp_answer_shape shape;
	struct http_basic basic;
	char addr[64];
	enum idp_err err;

	http_client_creds(req, &who, &basic, addr, sizeof(addr));
	err = idp_revoke_start(req_idp(req), &who, req_param(req, "token"), &pending, req_wake,
	    req, &shape);
	http_basic_clear(&basic);
	if (pending != NULL) {
		req_park(req, revoke_committed, pending);
		return;
	}
	if (err != IDP_OK)
		http_shaped_error(req, err, NULL, &shape);
	else
		revoke_reply(req, err);
}
