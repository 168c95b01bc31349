/*
 * GET /oauth2/validate with "Authorization: OAuth <token>" (or Bearer).
 * App tokens answer {"client_id","scopes":[],"expires_in"}; expires_in
 * counts down to the token's end.
 */
#include <string.h>

#include "../common/auth_header.h"
#include "routes.h"

/* Splits a space-separated scope string into a JSON array. */
static json_t *
scope_array(const char *scopes)
{
	json_t *arr = json_array();
	const char *p = scopes ? scopes : "";

	while (*p != '\0') {
		const char *sp = strchr(p, ' ');
		size_t len = sp ? (size_t)(sp - p) : strlen(p);

		if (len > 0)
			json_array_append_new(arr, json_stringn(p, len));
		p += len;
		while (*p == ' ')
			p++;
	}
	return arr;
}

void
http_validate(struct request *req)
{
	struct idp_token_info info;
	struct str token;
	enum idp_err err;
	json_t *body;

	switch (auth_header_parse(req_header(req, "Authorization"), &token)) {
	case AUTH_NONE:
		req_reply_error(req, IDP_ERR_MISSING_AUTHORIZATION);
		return;
	case AUTH_OTHER:
		req_reply_error(req, IDP_ERR_INVALID_ACCESS_TOKEN);
		return;
	default:
		break;
	}
	err = idp_validate(req_idp(req), token.p, token.len, &info);
	if (err != IDP_OK) {
		req_reply_error(req, err);
		return;
	}
	body = json_pack("{s:s, s:o, s:I}", "client_id", info.client_id,
	    "scopes", scope_array(info.scopes), "expires_in", (json_int_t)info.expires_in);
	idp_token_info_clear(&info);
	req_reply_json(req, 200, body);
}
