/*
 * GET and POST /oauth2/authorize: the browser side of the code and implicit
 * flows.  GET checks the request, asks the user to sign in (the form posts
 * back here), then shows the consent page unless this exact scope set was
 * approved before; the consent form posts back here too, with the request's
 * parameters in the URL, and everything is checked again.
 */
#include <stdlib.h>
#include <string.h>

#include "routes.h"
#include "web.h"

static void
read_request(struct request *req, struct idp_authz_request *q)
{
	memset(q, 0, sizeof(*q));
	q->client_id = req_param(req, "client_id");
	q->redirect_uri = req_param(req, "redirect_uri");
	q->response_type = req_param(req, "response_type");
	/* Device-flow clients say "scopes"; accept it here too. */
	q->scope = req_param(req, "scope");
	if (q->scope == NULL)
		q->scope = req_param(req, "scopes");
	q->state = req_param(req, "state");
	q->force_verify = req_param(req, "force_verify");
	q->nonce = req_param(req, "nonce");
	q->claims = req_param(req, "claims");
	q->code_challenge = req_param(req, "code_challenge");
	q->code_challenge_method = req_param(req, "code_challenge_method");
}

static void
answer_error(struct request *req, const struct idp_authz_request *q, enum idp_err err)
{
	if (err == IDP_ERR_MISSING_CLIENT_ID || err == IDP_ERR_INVALID_CLIENT)
		page_unknown_app(req, err, q->client_id, q->issuer);
	else if (err == IDP_ERR_UNAVAILABLE)
		page_error(req, 503, "Try again", idp_err_info(err)->message);
	else
		page_error(req, 400, "Cannot authorize this app", idp_err_info(err)->message);
}

static void
approve(struct request *req, const struct store_user *user, const struct idp_authz *a,
    const struct idp_authz_request *q, unsigned status)
{
	char *location = NULL;
	enum idp_err err;

	err = idp_authorize_approve(req_idp(req), user, a, q, &location);
	if (err != IDP_OK)
		answer_error(req, q, err);
	else
		req_reply_redirect(req, status, location);
	free(location);
}

void
http_authorize(struct request *req)
{
	struct idp_authz_request q;
	struct idp_authz a;
	struct store_user user;
	int post = strcmp(req_method(req), "POST") == 0;

	char issuer[400];

	read_request(req, &q);
	http_issuer(req, issuer, sizeof(issuer));
	q.issuer = issuer;
	idp_authorize_check(req_idp(req), &q, &a);
	memset(&user, 0, sizeof(user));
	switch (a.outcome) {
	case AUTHZ_SHOW_ERROR:
		answer_error(req, &q, a.error);
		goto out;
	case AUTHZ_REDIRECT:
		req_reply_redirect(req, post ? 303 : 302, a.location);
		goto out;
	case AUTHZ_PROCEED:
		break;
	}
	if (!web_require_user(req, a.app.name, NULL, &user))
		goto out;
	if (post) {
		const char *decision = req_param(req, "decision");

		if (!web_csrf_ok(req)) {
			page_error(req, 403, "Please try again",
			    "This form expired or did not come from this site. Go back to the "
			    "app and start again.");
			goto out;
		}
		if (decision != NULL && strcmp(decision, "authorize") == 0)
			approve(req, &user, &a, &q, 303);
		else {
			char *location = NULL;

			idp_authorize_deny(&a, &q, &location);
			req_reply_redirect(req, 303, location);
			free(location);
		}
		goto out;
	}
	if (idp_authorize_consented(req_idp(req), &user, &a) == IDP_OK)
		approve(req, &user, &a, &q, 302);
	else {
		struct consent_page cp = { .user = &user, .authz = &a, .params = &q };

		page_consent(req, &cp);
	}
out:
	store_user_clear(&user);
	idp_authz_clear(&a);
}
