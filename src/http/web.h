/*
 * What the browser pages share: the session cookie, CSRF protection,
 * where a sign-in may return to, and the page renderers (pages.c).
 *
 * CSRF: a random token in a cookie (HttpOnly, SameSite=Lax) that every form
 * repeats in a hidden field; a POST is accepted only when both are present
 * and equal.  Another site can make a browser send the cookie but can
 * neither read it nor set it, so it cannot fill in the field.
 */
#ifndef HTTP_WEB_H
#define HTTP_WEB_H

#include "request.h"

#define WEB_CSRF_LEN	TW_CSRF_LEN

/* The signed-in user; IDP_OK, IDP_ERR_UNKNOWN_USER or IDP_ERR_UNAVAILABLE. */
enum idp_err web_session_user(struct request *req, struct store_user *out);
/* Starts a session for user_id and sets its cookie on the coming answer. */
enum idp_err web_session_start(struct request *req, int64_t user_id);
/* Ends the session of this browser, if any, and clears the cookie. */
void web_session_end(struct request *req);

/* The CSRF token for forms on the coming page (set as a cookie if new). */
void web_csrf_token(struct request *req, char out[WEB_CSRF_LEN + 1]);
/* True if the form's csrf field matches the cookie. */
int web_csrf_ok(struct request *req);

/*
 * For pages that need a signed-in user.  Returns 1 with *user filled when
 * this browser is signed in.  Otherwise answers the request and returns 0:
 * with the sign-in form, or, when this is that form coming back (a POST with
 * step=login), by checking it and on success redirecting (303) to
 * after_login, or back to this very URL when after_login is NULL.
 *
 * Sign-in forms post to the page they appear on, so the request they
 * interrupt (an authorize URL with all its parameters) is carried in the
 * form's URL and never needs a "return to" parameter that could be aimed
 * elsewhere.
 */
int web_require_user(struct request *req, const char *app_name, const char *after_login,
    struct store_user *user);

/*
 * True if next is a page of ours a sign-out may return to: a flow's page
 * (authorize, activate) and nothing that could lead elsewhere.
 */
int web_return_ok(const char *next);

/* ---- pages.c ---- */

struct html;
/* Ends the page and answers with it (the page headers of req_reply_html). */
void page_send(struct request *req, unsigned status, struct html *h);
/* A message box: cls "ok" or "error"; NULL message adds nothing. */
void page_notice(struct html *h, const char *cls, const char *message);
/* "Signed in as X" with a sign-out button. */
void page_whoami(struct request *req, struct html *h, const struct store_user *user);

struct login_page {
	const char	*action;	/* form action; NULL: this page's URL */
	const char	*app_name;	/* "to continue to X", or NULL */
	const char	*login;		/* prefill, or NULL */
	const char	*error;		/* message above the form, or NULL */
};

struct consent_page {
	const struct store_user		*user;
	const struct idp_authz		*authz;
	const struct idp_authz_request	*params;	/* carried in the form */
};

void page_login(struct request *req, unsigned status, const struct login_page *p);
/*
 * An authorize request whose client_id is missing or names no app (err
 * IDP_ERR_MISSING_CLIENT_ID or IDP_ERR_INVALID_CLIENT): the sign-in page's
 * frame with Twitch's message, answered with its status and no redirect,
 * saying what to check (the client id, the issuer).
 */
void page_unknown_app(struct request *req, enum idp_err err, const char *client_id,
    const char *issuer);
void page_consent(struct request *req, const struct consent_page *p);
struct activate_page {
	const struct store_user	*user;
	const char		*code;		/* prefill, or NULL */
	const char		*error;		/* message above the form, or NULL */
};

/* /activate: the code-entry form, the app's request, the outcome. */
void page_activate(struct request *req, unsigned status, const struct activate_page *p);
void page_device_consent(struct request *req, const struct store_user *user,
    const struct idp_device_view *v);
void page_device_done(struct request *req, int approved);
void page_error(struct request *req, unsigned status, const char *title,
    const char *message);
void page_connections(struct request *req, const struct store_user *user,
    const struct store_connection *conns, size_t n, const char *notice);

#endif
