/*
 * The account pages outside any flow: GET/POST /login (a plain sign-in that
 * lands on the connections page), POST /logout, and /settings/connections
 * where a user sees and disconnects the apps they authorized.
 */
#include <string.h>

#include "routes.h"
#include "web.h"

#define HOME "/settings/connections"

void
http_login(struct request *req)
{
	struct store_user user;

	if (web_require_user(req, NULL, HOME, &user)) {
		store_user_clear(&user);
		req_reply_redirect(req, 303, HOME);
	}
}

void
http_logout(struct request *req)
{
	const char *next = req_param(req, "next");

	if (!web_csrf_ok(req)) {
		page_error(req, 403, "Please try again",
		    "This form expired or did not come from this site.");
		return;
	}
	web_session_end(req);
	if (next != NULL && web_return_ok(next))
		req_reply_redirect(req, 303, next);
	else
		req_reply_redirect(req, 303, "/login");
}

void
http_connections(struct request *req)
{
	struct store_user user;
	struct store_connection *conns = NULL;
	size_t n = 0;
	const char *message = NULL;
	enum idp_err err;

	if (!web_require_user(req, NULL, NULL, &user))
		return;
	if (strcmp(req_method(req), "POST") == 0) {
		if (!web_csrf_ok(req)) {
			page_error(req, 403, "Please try again",
			    "This form expired or did not come from this site.");
			goto out;
		}
		err = idp_user_disconnect(req_idp(req), user.id, req_param(req, "client_id"));
		if (err == IDP_ERR_UNAVAILABLE) {
			page_error(req, 503, "Try again", idp_err_info(err)->message);
			goto out;
		}
		/* Post/redirect/get, so a reload does not post again. */
		req_reply_redirect(req, 303, err == IDP_OK ? HOME "?disconnected=1" : HOME);
		goto out;
	}
	if (idp_connections(req_idp(req), user.id, &conns, &n) != IDP_OK) {
		page_error(req, 503, "Try again", idp_err_info(IDP_ERR_UNAVAILABLE)->message);
		goto out;
	}
	if (req_param(req, "disconnected") != NULL)
		message = "Disconnected. That app's tokens no longer work.";
	page_connections(req, &user, conns, n, message);
	store_connections_free(conns, n);
out:
	store_user_clear(&user);
}
