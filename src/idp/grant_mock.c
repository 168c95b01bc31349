/*
 * twitch mock-api's made-up user_token grant (POST /auth/authorize,
 * served only with --mock-api-compat): a user token for any user of the
 * database, to a confidential app that proves itself with its secret,
 * without asking the user.  Test suites use it to skip the browser.
 *
 * Invariants: only a confidential client with its secret gets one (else a
 * client id alone would mint user tokens), and it checks a secret, so it
 * runs under the failure limits of /oauth2/token (client_auth.c).  The
 * tokens are a grant of their own, as if the user had consented.
 */
#include <openssl/crypto.h>
#include <stdlib.h>
#include <string.h>

#include "../common/metrics.h"
#include "../common/num.h"
#include "../common/scopes.h"
#include "idp_impl.h"

/* idp_mock_user_token, once past the failure limits. */
static enum idp_err
mock_user_token(struct idp *idp, const struct idp_token_request *req,
    const char *user_id, struct idp_token_response *resp)
{
	struct store_app app;
	struct store_user user;
	struct store_grant g;
	struct store_issue issue;
	char *scopes = NULL;
	int64_t uid;
	enum idp_err err;

	memset(resp, 0, sizeof(*resp));
	memset(&user, 0, sizeof(user));
	if (idp_blank(req->client_id))
		return IDP_ERR_MISSING_CLIENT_ID;
	if (idp_blank(req->grant_type) || strcmp(req->grant_type, "user_token") != 0)
		return IDP_ERR_INVALID_GRANT_TYPE;
	if ((err = idp_client_auth(idp, req->client_id, req->client_secret, &app)) != IDP_OK)
		return err;
	if (app.is_public) {
		err = IDP_ERR_MOCK_NEEDS_SECRET;	/* else a client id alone would do */
		goto out;
	}
	if (idp_blank(user_id)) {
		err = IDP_ERR_MOCK_MISSING_USER;
		goto out;
	}
	if (num_parse_i64(user_id, 1, INT64_MAX, &uid) == -1 ||
	    store_user_get(idp->store, uid, &user) != STORE_OK) {
		err = IDP_ERR_MOCK_BAD_USER;
		goto out;
	}
	if (scopes_canonical(req->scope, &scopes, resp->error_detail,
	    sizeof(resp->error_detail)) == -1) {
		err = IDP_ERR_INVALID_SCOPE;
		goto out;
	}
	memset(&g, 0, sizeof(g));
	g.user_id = uid;
	memcpy(g.client_id, app.client_id, sizeof(g.client_id));
	g.scopes = scopes;
	g.claims = "";
	idp_mint_user_tokens(idp, &issue, 1, resp);
	g.created_at = issue.access.created_at;
	err = idp_from_store(store_grant_issue(idp->store, &g, &issue), IDP_ERR_MOCK_BAD_USER);
	if (err == IDP_OK) {
		resp->scopes = scopes;
		resp->scope_string = app.scope_string;
		scopes = NULL;
		metrics_token(GRANT_MOCK_USER_TOKEN);
	} else {
		OPENSSL_cleanse(resp->access_token, sizeof(resp->access_token));
		OPENSSL_cleanse(resp->refresh_token, sizeof(resp->refresh_token));
		resp->user_token = 0;
	}
out:
	free(scopes);
	store_user_clear(&user);
	store_app_clear(&app);
	return err;
}

/* It checks a client secret, so it is under the limits of /oauth2/token. */
enum idp_err
idp_mock_user_token(struct idp *idp, const struct idp_token_request *req,
    const char *user_id, struct idp_token_response *resp)
{
	enum idp_err err;

	memset(resp, 0, sizeof(*resp));
	if ((err = idp_client_limit_before(idp, req->client_addr, resp)) != IDP_OK)
		return err;
	err = mock_user_token(idp, req, user_id, resp);
	return idp_client_limit_after(idp, req->client_id, req->client_addr, err, resp);
}
