/*
 * twitch mock-api's made-up user_token grant (POST /auth/authorize,
 * served only with --mock-api-compat): a user token for any user of the
 * database, to a confidential app that proves itself with its secret,
 * without asking the user.  Test suites use it to skip the browser.
 *
 * Invariants: only a confidential client with its secret gets one (its
 * row in grants.c refuses public clients, else a client id alone would
 * mint user tokens), and since it checks a secret it runs under the
 * failure limits of /oauth2/token like every grant.  The tokens are a
 * grant of their own, as if the user had consented.
 */
#include <stdlib.h>
#include <string.h>

#include "../common/num.h"
#include "../common/scopes.h"
#include "idp_impl.h"

enum idp_err
idp_grant_mock(struct idp *idp, const struct idp_grant *g,
    const struct idp_token_request *req, struct idp_token_response *resp)
{
	struct store_app app;
	struct store_user user;
	struct store_grant grant;
	struct store_issue issue;
	char *scopes = NULL;
	int64_t uid;
	enum idp_err err;

	memset(&user, 0, sizeof(user));
	if ((err = idp_client_auth(idp, g, req, &app)) != IDP_OK)
		return err;
	if (idp_blank(req->user_id)) {
		err = IDP_ERR_MOCK_MISSING_USER;
		goto out;
	}
	if (num_parse_i64(req->user_id, 1, INT64_MAX, &uid) == -1 ||
	    store_user_get(idp->store, uid, &user) != STORE_OK) {
		err = IDP_ERR_MOCK_BAD_USER;
		goto out;
	}
	if (scopes_canonical(req->scope, &scopes, resp->error_detail,
	    sizeof(resp->error_detail)) == -1) {
		err = IDP_ERR_INVALID_SCOPE;
		goto out;
	}
	memset(&grant, 0, sizeof(grant));
	grant.user_id = uid;
	memcpy(grant.client_id, app.client_id, sizeof(grant.client_id));
	grant.scopes = scopes;
	grant.claims = "";
	idp_mint_user_tokens(idp, &issue, 1, resp);
	grant.created_at = issue.access.created_at;
	err = idp_from_store(store_grant_issue(idp->store, &grant, &issue),
	    IDP_ERR_MOCK_BAD_USER);
	if (err == IDP_OK) {
		resp->scopes = scopes;
		resp->user_id = uid;
		resp->oauth2 = app.profile == APP_PROFILE_OAUTH2;
		scopes = NULL;
	}
out:
	free(scopes);
	store_user_clear(&user);
	store_app_clear(&app);
	return err;
}
