/* Sessions, CSRF and return paths for the pages; see web.h. */
#include "web.h"

#include <openssl/crypto.h>
#include <stdio.h>
#include <string.h>

#include "../common/metrics.h"

#include "../common/rand.h"

/* Cookie names get the __Host- prefix over https (no Domain, Path=/, Secure). */
static void
cookie_name(struct request *req, const char *base, char *out, size_t len)
{
	snprintf(out, len, "%s%s", req_secure(req) ? "__Host-" : "", base);
}

static void
set_cookie(struct request *req, const char *base, const char *value, int64_t max_age)
{
	char name[64], header[256];

	cookie_name(req, base, name, sizeof(name));
	snprintf(header, sizeof(header), "%s=%s; Path=/; HttpOnly; SameSite=Lax; Max-Age=%lld%s",
	    name, value, (long long)max_age, req_secure(req) ? "; Secure" : "");
	req_add_header(req, "Set-Cookie", header);
	OPENSSL_cleanse(header, sizeof(header));
}

static struct str
get_cookie(struct request *req, const char *base)
{
	char name[64];

	cookie_name(req, base, name, sizeof(name));
	return req_cookie(req, name);
}

enum idp_err
web_session_user(struct request *req, struct store_user *out)
{
	struct str v = get_cookie(req, "twauth_session");

	memset(out, 0, sizeof(*out));
	if (v.p == NULL)
		return IDP_ERR_UNKNOWN_USER;
	return idp_session_user(req_idp(req), v.p, v.len, out);
}

enum idp_err
web_session_start(struct request *req, int64_t user_id)
{
	char value[TW_SESSION_LEN + 1];
	enum idp_err err;

	err = idp_session_start(req_idp(req), user_id, value);
	if (err == IDP_OK)
		set_cookie(req, "twauth_session", value, TW_SESSION_TTL);
	OPENSSL_cleanse(value, sizeof(value));
	return err;
}

void
web_session_end(struct request *req)
{
	struct str v = get_cookie(req, "twauth_session");

	if (v.p != NULL)
		idp_session_end(req_idp(req), v.p, v.len);
	set_cookie(req, "twauth_session", "", 0);
}

/*
 * A signed-in browser's forms carry an HMAC of its session: a cookie planted
 * from a sibling host cannot match it.  Before signing in there is no
 * session, so the sign-in form keeps a random token that it and a cookie
 * repeat (double submit).
 */
void
web_csrf_token(struct request *req, char out[WEB_CSRF_LEN + 1])
{
	char *chosen = req_csrf(req);
	struct str session = get_cookie(req, "twauth_session"), v;

	if (chosen[0] == '\0' && session.p != NULL)
		idp_session_csrf(req_idp(req), session.p, session.len, chosen);
	if (chosen[0] == '\0') {
		v = get_cookie(req, "twauth_csrf");
		if (v.p != NULL && v.len == WEB_CSRF_LEN) {
			memcpy(chosen, v.p, WEB_CSRF_LEN);
			chosen[WEB_CSRF_LEN] = '\0';
		} else {
			rand_alnum(chosen, WEB_CSRF_LEN);
			set_cookie(req, "twauth_csrf", chosen, TW_SESSION_TTL);
		}
	}
	memcpy(out, chosen, WEB_CSRF_LEN + 1);
}

int
web_csrf_ok(struct request *req)
{
	struct str session = get_cookie(req, "twauth_session");
	struct str cookie = get_cookie(req, "twauth_csrf");
	const char *field = req_param(req, "csrf");
	char want[WEB_CSRF_LEN + 1];
	int ok;

	if (field == NULL || strlen(field) != WEB_CSRF_LEN)
		return 0;
	if (session.p != NULL) {
		idp_session_csrf(req_idp(req), session.p, session.len, want);
		ok = CRYPTO_memcmp(want, field, WEB_CSRF_LEN) == 0;
		OPENSSL_cleanse(want, sizeof(want));
		return ok;
	}
	return cookie.p != NULL && cookie.len == WEB_CSRF_LEN &&
	    CRYPTO_memcmp(cookie.p, field, WEB_CSRF_LEN) == 0;
}

/* Checks a posted sign-in form; answers and returns 0 unless signed in. */
static int
sign_in(struct request *req, const char *app_name, const char *after_login)
{
	struct login_page lp = { .app_name = app_name, .login = req_param(req, "login") };
	const char *password = req_param(req, "password");
	struct store_user user;
	char addr[64], location[TW_MAX_URI + 32], retry[32], device[TW_MAX_DEVICE_COOKIE + 1];
	struct str known;
	int64_t wait = 0;
	enum idp_err err;

	if (!web_csrf_ok(req)) {
		lp.error = "This form expired. Please sign in again.";
		page_login(req, 403, &lp);
		return 0;
	}
	req_client_addr(req, addr, sizeof(addr));
	known = get_cookie(req, "twauth_known");
	err = idp_sign_in(req_idp(req), lp.login ? lp.login : "", password,
	    password ? strlen(password) : 0, addr, known.p != NULL &&
	    idp_known_device(req_idp(req), lp.login ? lp.login : "", known.p, known.len),
	    &user, &wait);
	if (err == IDP_OK)
		err = web_session_start(req, user.id);
	if (err == IDP_OK) {
		/* This browser is its owner's now: the per-login limit spares it. */
		idp_known_device_cookie(req_idp(req), user.login, device);
		if (device[0] != '\0')
			set_cookie(req, "twauth_known", device, TW_KNOWN_DEVICE_TTL);
	}
	store_user_clear(&user);
	switch (err) {
	case IDP_OK:
		break;
	case IDP_ERR_SIGNIN_THROTTLED:
		metrics_count(M_RATE_LIMITED, 1);
		snprintf(retry, sizeof(retry), "%lld", (long long)wait);
		req_add_header(req, "Retry-After", retry);
		lp.error = idp_err_info(err)->message;
		page_login(req, 429, &lp);
		return 0;
	case IDP_ERR_SIGNIN_FAILED:
		lp.error = "Incorrect username or password.";
		page_login(req, 401, &lp);
		return 0;
	default:
		page_error(req, 503, "Try again", idp_err_info(IDP_ERR_UNAVAILABLE)->message);
		return 0;
	}
	if (after_login == NULL) {
		const char *q = req_query(req);

		snprintf(location, sizeof(location), "%s%s%s", req_path(req), q ? "?" : "",
		    q ? q : "");
		after_login = location;
	}
	req_reply_redirect(req, 303, after_login);
	return 0;
}

int
web_require_user(struct request *req, const char *app_name, const char *after_login,
    struct store_user *user)
{
	struct login_page lp = { .app_name = app_name };
	const char *step = req_param(req, "step");
	enum idp_err err;

	err = web_session_user(req, user);
	if (err == IDP_OK)
		return 1;
	if (err != IDP_ERR_UNKNOWN_USER) {
		page_error(req, 503, "Try again", idp_err_info(err)->message);
		return 0;
	}
	if (strcmp(req_method(req), "POST") == 0 && step != NULL && strcmp(step, "login") == 0)
		return sign_in(req, app_name, after_login);
	if (strcmp(req_method(req), "POST") == 0)
		lp.error = "Your session ended. Please sign in again.";
	page_login(req, strcmp(req_method(req), "POST") == 0 ? 401 : 200, &lp);
	return 0;
}

int
web_return_ok(const char *next)
{
	/* Only back to our own flow and console pages, never elsewhere. */
	static const char *const pages[] = { "/oauth2/authorize?", "/activate?" };

	if (strcmp(next, "/activate") != 0 && strcmp(next, "/console") != 0 &&
	    strncmp(next, "/console/app?", 13) != 0) {
		size_t i;

		for (i = 0; i < sizeof(pages) / sizeof(pages[0]); i++)
			if (strncmp(next, pages[i], strlen(pages[i])) == 0)
				break;
		if (i == sizeof(pages) / sizeof(pages[0]))
			return 0;
	}
	return strpbrk(next, "\r\n\\") == NULL;
}
