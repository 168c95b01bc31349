/*
 * The device code flow's two HTTP faces: POST /oauth2/device, where a
 * device starts, and /activate, where its user types the code, signs in if
 * needed, sees what the app asks for, and decides.  The device then polls
 * POST /oauth2/token (token.c).
 *
 * /activate is signed-in only, like Twitch's.  Its forms post to the URL
 * they are on; the code travels in the form (user_code), the link's
 * device-code parameter only fills the field in, and the user confirms it
 * with a click, so a link alone never approves anything (RFC 8628 5.4).
 */
#include <stdio.h>
#include <string.h>

#include "../common/metrics.h"
#include "routes.h"
#include "web.h"

void
http_device(struct request *req)
{
	struct idp_device_auth auth;
	struct idp_client_creds who;
	struct http_basic basic;
	const char *scopes = req_param(req, "scopes");
	char uri[TW_MAX_URI], addr[64];
	enum idp_err err;

	/* Twitch's docs say "scopes"; OAuth libraries say "scope". */
	if (scopes == NULL)
		scopes = req_param(req, "scope");
	http_client_creds(req, &who, &basic, addr, sizeof(addr));
	err = idp_device_start(req_idp(req), &who, scopes, &auth);
	http_basic_clear(&basic);
	if (err != IDP_OK) {
		http_shaped_error(req, err, auth.error_detail, &auth.shape);
		return;
	}
	snprintf(uri, sizeof(uri), "%s/activate?public=true&device-code=%s",
	    req_base_url(req), auth.user_code);
	req_reply_json(req, 200, json_pack("{s:s, s:I, s:I, s:s, s:s}",
	    "device_code", auth.device_code,
	    "expires_in", (json_int_t)auth.expires_in,
	    "interval", (json_int_t)auth.interval,
	    "user_code", auth.user_code,
	    "verification_uri", uri));
	idp_device_auth_clear(&auth);
}

/*
 * The device-code parameter of a verification link, if it looks like a
 * user code (else nothing is prefilled: the page never echoes junk).
 */
static const char *
prefill(struct request *req)
{
	const char *code = req_param(req, "device-code");

	if (code == NULL || strlen(code) > 2 * TW_USER_CODE_LEN)
		return NULL;
	for (const char *p = code; *p != '\0'; p++)
		if (!idp_user_code_char(*p) && *p != '-' && *p != ' ')
			return NULL;
	return code;
}

/* Answers a failed lookup or decision on the code-entry page. */
static void
answer_failure(struct request *req, const struct store_user *user, enum idp_err err,
    int64_t retry_after)
{
	struct activate_page ap = { .user = user, .error = idp_err_info(err)->message };
	char retry[32];

	switch (err) {
	case IDP_ERR_ACTIVATE_THROTTLED:
		metrics_count(M_RATE_LIMITED, 1);
		snprintf(retry, sizeof(retry), "%lld", (long long)retry_after);
		req_add_header(req, "Retry-After", retry);
		page_activate(req, 429, &ap);
		break;
	case IDP_ERR_WRONG_USER_CODE:
	case IDP_ERR_USER_CODE_DECIDED:
		ap.code = req_param(req, "user_code");
		page_activate(req, 400, &ap);
		break;
	default:
		page_error(req, 503, "Try again", idp_err_info(IDP_ERR_UNAVAILABLE)->message);
		break;
	}
}

void
http_activate(struct request *req)
{
	struct store_user user;
	struct idp_device_view view;
	const char *step = req_param(req, "step");
	const char *decision = req_param(req, "decision");
	char addr[64];
	int64_t retry_after = 0;
	int approve;
	enum idp_err err;

	if (!web_require_user(req, "your device", NULL, &user))
		return;
	if (strcmp(req_method(req), "POST") != 0) {
		struct activate_page ap = { .user = &user, .code = prefill(req) };

		page_activate(req, 200, &ap);
		goto out;
	}
	if (!web_csrf_ok(req)) {
		page_error(req, 403, "Please try again",
		    "This form expired or did not come from this site. Open the link your "
		    "device shows again.");
		goto out;
	}
	req_client_addr(req, addr, sizeof(addr));
	if (step != NULL && strcmp(step, "decide") == 0) {
		approve = decision != NULL && strcmp(decision, "authorize") == 0;
		err = idp_device_decide(req_idp(req), &user, req_param(req, "user_code"), approve,
		    addr, &retry_after);
		if (err == IDP_OK)
			page_device_done(req, approve);
		else
			answer_failure(req, &user, err, retry_after);
		goto out;
	}
	err = idp_device_find(req_idp(req), req_param(req, "user_code"), addr, &view,
	    &retry_after);
	if (err == IDP_OK)
		page_device_consent(req, &user, &view);
	else
		answer_failure(req, &user, err, retry_after);
	idp_device_view_clear(&view);
out:
	store_user_clear(&user);
}
