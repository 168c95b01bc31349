/*
 * POST /oauth2/token.  Gathers the parameters, lets the identity logic
 * decide, and writes Twitch's response shape.  The access token leaves this
 * process here and nowhere else.
 */
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/auth_header.h"
#include "../common/metrics.h"
#include "../common/xmalloc.h"

#include "routes.h"

/* A user id as Twitch writes it: a decimal string. */
json_t *
user_id_json(int64_t id)
{
	char s[24];

	snprintf(s, sizeof(s), "%lld", (long long)id);
	return json_string(s);
}

void
reply_idp_error(struct request *req, enum idp_err err, const char *detail, int oauth2,
    int basic)
{
	const struct idp_err_info *info = idp_err_info(err);
	int status = info->status;
	char message[400];

	if (err == IDP_ERR_CLIENT_THROTTLED)
		metrics_count(M_RATE_LIMITED, 1);
	if (err == IDP_ERR_INVALID_SCOPE && detail != NULL && *detail != '\0')
		snprintf(message, sizeof(message), "%s: %s", info->message, detail);
	else
		snprintf(message, sizeof(message), "%s", info->message);
	if (!oauth2 && !info->standard) {
		req_reply_message(req, (unsigned)status, message);
		return;
	}
	/* RFC 6749 5.2 beside Twitch's members, for the oauth2 profile. */
	if (basic && info->oauth != NULL && strcmp(info->oauth, "invalid_client") == 0) {
		char challenge[sizeof(message) + 80], quoted[sizeof(message)];
		size_t i;

		/*
		 * The error in the challenge too (RFC 6750 3's parameters): some
		 * clients stop at a 401's challenge and never read the body.  A
		 * quoted-string takes no bare '"' or '\\'.
		 */
		for (i = 0; message[i] != '\0'; i++)
			quoted[i] = message[i] == '"' || message[i] == '\\' ? '\'' : message[i];
		quoted[i] = '\0';
		status = 401;
		snprintf(challenge, sizeof(challenge),
		    "Basic realm=\"twauth\", error=\"invalid_client\", error_description=\"%s\"",
		    quoted);
		req_add_header(req, "WWW-Authenticate", challenge);
	}
	req_reply_json(req, (unsigned)status, json_pack("{s:i, s:s, s:s, s:s}",
	    "status", status, "message", message,
	    "error", info->oauth != NULL ? info->oauth : "invalid_request",
	    "error_description", message));
}

void
http_token_reply(struct request *req, enum idp_err err, const struct idp_token_response *resp)
{
	if (err != IDP_OK) {
		struct idp_answer_shape shape = {
			.oauth2 = resp->oauth2, .basic = resp->basic, .retry_after = resp->retry_after,
		};

		http_shaped_error(req, err, resp->error_detail, &shape);
	} else if (!resp->user_token)
		req_reply_json(req, 200, json_pack("{s:s, s:I, s:s}",
		    "access_token", resp->access_token,
		    "expires_in", (json_int_t)resp->expires_in,
		    "token_type", "bearer"));
	else {
		/*
		 * Twitch's scope is an array, and absent when there is none; RFC
		 * 6749's (apps with --scope-string) a string.
		 */
		json_t *body = json_pack("{s:s, s:I, s:s}",
		    "access_token", resp->access_token,
		    "expires_in", (json_int_t)resp->expires_in,
		    "refresh_token", resp->refresh_token);

		if (resp->oauth2)
			json_object_set_new(body, "scope", json_string(resp->scopes));
		else if (!scopes_none(resp->scopes))
			json_object_set_new(body, "scope", scope_array(resp->scopes));
		json_object_set_new(body, "token_type", json_string("bearer"));
		if (resp->id_token != NULL)
			json_object_set_new(body, "id_token", json_string(resp->id_token));
		req_reply_json(req, 200, body);
	}
}

/* A request whose token waits for the store's group commit. */
struct token_wait {
	struct idp_token_response	 resp;
	struct idp_pending		*pending;
};

static void
token_wait_free(struct token_wait *w)
{
	idp_token_response_clear(&w->resp);
	free(w);
}

static void
token_committed(struct request *req, void *ctx)
{
	struct token_wait *w = ctx;

	http_token_reply(req, idp_token_finish(req_idp(req), w->pending, &w->resp), &w->resp);
	token_wait_free(w);
}

enum idp_client_auth_way
http_basic_read(struct request *req, struct http_basic *b)
{
	struct str cred;

	/* Every token request comes here: the buffers are touched only for Basic. */
	b->decoded = 0;
	if (auth_header_parse(req_header(req, "Authorization"), &cred) != AUTH_BASIC)
		return IDP_AUTH_PARAMS;
	b->decoded = 1;
	if (auth_basic_decode(cred, b->id, sizeof(b->id), b->secret, sizeof(b->secret)) == -1)
		return IDP_AUTH_BASIC_MALFORMED;
	return IDP_AUTH_BASIC;
}

void
http_basic_clear(struct http_basic *b)
{
	if (b->decoded)
		OPENSSL_cleanse(b, sizeof(*b));
	b->decoded = 0;
}

void
http_client_creds(struct request *req, struct idp_client_creds *who, struct http_basic *b,
    char *addr, size_t addr_len)
{
	memset(who, 0, sizeof(*who));
	if ((who->way = http_basic_read(req, b)) == IDP_AUTH_BASIC) {
		who->basic_id = b->id;
		who->basic_secret = b->secret;
	}
	who->client_id = req_param(req, "client_id");
	who->client_secret = req_param(req, "client_secret");
	req_client_addr(req, addr, addr_len);
	who->client_addr = addr;
}

void
http_shaped_error(struct request *req, enum idp_err err, const char *detail,
    const struct idp_answer_shape *shape)
{
	char retry[32];

	if (err == IDP_ERR_CLIENT_THROTTLED || err == IDP_ERR_TOKEN_CHAOS) {
		snprintf(retry, sizeof(retry), "%lld", (long long)shape->retry_after);
		req_add_header(req, "Retry-After", retry);
	}
	reply_idp_error(req, err, detail, shape->oauth2, shape->basic);
}

void
http_token_request(struct request *req, struct idp_token_request *tr, char *addr,
    size_t addr_len, struct http_basic *basic)
{
	memset(tr, 0, sizeof(*tr));
	if ((tr->auth = http_basic_read(req, basic)) == IDP_AUTH_BASIC) {
		tr->basic_id = basic->id;
		tr->basic_secret = basic->secret;
	}
	tr->grant_type = req_param(req, "grant_type");
	tr->client_id = req_param(req, "client_id");
	tr->client_secret = req_param(req, "client_secret");
	/* Device-flow clients say "scopes"; accept it on every grant. */
	if ((tr->scope = req_param(req, "scope")) == NULL)
		tr->scope = req_param(req, "scopes");
	tr->code = req_param(req, "code");
	tr->redirect_uri = req_param(req, "redirect_uri");
	tr->refresh_token = req_param(req, "refresh_token");
	tr->device_code = req_param(req, "device_code");
	tr->code_verifier = req_param(req, "code_verifier");
	tr->user_id = req_param(req, "user_id");
	tr->from_browser = http_from_browser(req);
	req_client_addr(req, addr, addr_len);
	tr->client_addr = addr;
}

void
http_token(struct request *req)
{
	struct idp_token_request tr;
	struct token_wait *w = xcalloc(1, sizeof(*w));
	struct http_basic basic;
	char issuer[400], addr[64];
	enum idp_err err;

	http_token_request(req, &tr, addr, sizeof(addr), &basic);
	http_issuer(req, issuer, sizeof(issuer));
	tr.issuer = issuer;
	/* serve --chaos-token-errors, before anything is looked up or spent. */
	if ((err = idp_chaos_token(req_idp(req), &tr, &w->resp)) == IDP_OK)
		err = idp_token_start(req_idp(req), &tr, &w->resp, &w->pending, req_wake, req);
	if (w->pending != NULL) {
		http_basic_clear(&basic);	/* Basic never waits: idp_token_start */
		req_park(req, token_committed, w);
		return;
	}
	http_token_reply(req, err, &w->resp);
	http_basic_clear(&basic);
	token_wait_free(w);
}
