/*
 * What the HTTP layer alone can tell the record of what apps do
 * (src/idp/audit.h): that a request came from a browser, that a token rode
 * in a URL, which request it was.  The facts are counted by the identity
 * logic's audit; this only gathers them.
 */
#include <string.h>

#include "../idp/audit.h"
#include "routes.h"

int
http_from_browser(struct request *req)
{
	/*
	 * Browsers send Origin with CORS and POSTs, and Sec-Fetch-Site with
	 * everything.  Not Sec-Fetch-Mode alone: Node's fetch sends that one too.
	 */
	return req_header(req, "Origin").p != NULL ||
	    req_header(req, "Sec-Fetch-Site").p != NULL;
}

void
http_note(struct request *req, enum audit_kind kind, const char *client_id, int64_t user_id,
    const char *token_id, const char *detail)
{
	struct audit_fact f = { .kind = kind, .client_id = client_id, .user_id = user_id,
	    .token_id = token_id, .detail = detail, .request_id = req_id(req) };

	idp_note(req_idp(req), &f);
}

/* Names of query parameters that carry a token when apps put one in a URL. */
static const char *const token_params[] = { "access_token", "oauth_token", "token", NULL };

void
http_note_url_token(struct request *req, const char *client_id, int64_t user_id)
{
	const char *q = req_query(req);
	char id[TW_AUDIT_TOKEN_ID_LEN + 1];
	const char *token;

	if (q == NULL || idp_audit(req_idp(req)) == NULL)
		return;
	for (size_t i = 0; token_params[i] != NULL; i++) {
		size_t len = strlen(token_params[i]);

		for (const char *p = q; (p = strstr(p, token_params[i])) != NULL; p += len)
			if ((p == q || p[-1] == '&') && p[len] == '=') {
				/* Named by its id, so that whose it is can be found. */
				token = p + len + 1;
				idp_token_id(token, strcspn(token, "&"), id);
				http_note(req, AUDIT_TOKEN_IN_URL, client_id, user_id, id,
				    req_path(req));
				return;
			}
	}
}
