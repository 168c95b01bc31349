/*
 * GET /oauth2/validate with "Authorization: OAuth <token>" (or Bearer).
 * App tokens answer {"client_id","scopes":null,"expires_in"}; user tokens add
 * "login" and "user_id".  No scopes is null, as on Twitch, never [].
 * expires_in counts down to the token's end.
 */
#include <stdio.h>
#include <string.h>

#include "../common/auth_header.h"
#include "../common/metrics.h"
#include "routes.h"

void
http_validate(struct request *req)
{
	struct idp_token_info info;
	struct str token;
	enum idp_err err;
	json_t *body;

	switch (auth_header_parse(req_header(req, "Authorization"), &token)) {
	case AUTH_NONE:
		http_note_url_token(req, NULL, 0);
		req_reply_error(req, IDP_ERR_MISSING_AUTHORIZATION);
		return;
	case AUTH_BASIC:
	case AUTH_OTHER:
		req_reply_error(req, IDP_ERR_INVALID_ACCESS_TOKEN);
		return;
	default:
		break;
	}
	err = idp_validate(req_idp(req), token.p, token.len, &info);
	metrics_count(err == IDP_OK ? M_VALIDATIONS_OK : M_VALIDATIONS_REFUSED, 1);
	if (err == IDP_OK) {
		http_note(req, AUDIT_VALIDATED, info.client_id, info.user_id, info.token_id, NULL);
		http_note_url_token(req, info.client_id, info.user_id);
	} else if (err == IDP_ERR_INVALID_ACCESS_TOKEN)
		http_note(req, AUDIT_VALIDATE_DEAD, NULL, 0, info.token_id, NULL);
	if (err != IDP_OK) {
		req_reply_error(req, err);
		return;
	}
	if (info.user_id != 0)
		body = json_pack("{s:s, s:s, s:o, s:o, s:I}", "client_id", info.client_id,
		    "login", info.login, "scopes", scope_array_or_null(info.scopes),
		    "user_id", user_id_json(info.user_id), "expires_in",
		    (json_int_t)info.expires_in);
	else
		body = json_pack("{s:s, s:o, s:I}", "client_id", info.client_id,
		    "scopes", scope_array_or_null(info.scopes), "expires_in",
		    (json_int_t)info.expires_in);
	idp_token_info_clear(&info);
	req_reply_json(req, 200, body);
}
