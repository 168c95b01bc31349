/*
 * The sign-in, consent, connections and error pages.  Everything that came
 * from outside (app names, logins, scopes, state) goes through html_text.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../common/scopes.h"
#include "../common/url.h"
#include "html.h"
#include "web.h"

void
page_send(struct request *req, unsigned status, struct html *h)
{
	size_t len;
	char *text = html_end(h, &len);

	req_reply_html(req, status, text, len);
}

void
page_notice(struct html *h, const char *cls, const char *message)
{
	if (message == NULL)
		return;
	html_rawf(h, "<p class=\"%s\" role=\"alert\">", cls);
	html_text(h, message);
	html_raw(h, "</p>\n");
}

void
page_whoami(struct request *req, struct html *h, const struct store_user *user)
{
	char csrf[WEB_CSRF_LEN + 1];

	const char *q = req_query(req);
	char next[TW_MAX_PARAM_VALUE];

	web_csrf_token(req, csrf);
	html_raw(h, "<form class=\"who\" method=\"post\" action=\"/logout\">Signed in as <b>");
	html_text(h, user->display_name);
	html_raw(h, "</b>\n");
	html_hidden(h, "csrf", csrf);
	/* Signing out of a flow's page comes back to it, to sign in as another. */
	if ((size_t)snprintf(next, sizeof(next), "%s%s%s", req_path(req), q ? "?" : "",
	    q ? q : "") < sizeof(next) && web_return_ok(next))
		html_hidden(h, "next", next);
	html_raw(h, "<button class=\"link\" type=\"submit\">Not you? Sign out</button></form>\n");
}

void
page_login(struct request *req, unsigned status, const struct login_page *p)
{
	char csrf[WEB_CSRF_LEN + 1];
	struct html h;

	web_csrf_token(req, csrf);
	html_begin(&h, "Sign in");
	if (p->app_name != NULL) {
		html_raw(&h, "<p class=\"lead\">to continue to <b>");
		html_text(&h, p->app_name);
		html_raw(&h, "</b></p>\n");
	}
	page_notice(&h, "error", p->error);
	/* No action: the form posts to the URL it is on (see web.h). */
	html_raw(&h, "<form method=\"post\"");
	if (p->action != NULL) {
		html_raw(&h, " action=\"");
		html_text(&h, p->action);
		html_raw(&h, "\"");
	}
	html_raw(&h, ">\n");
	html_hidden(&h, "csrf", csrf);
	html_hidden(&h, "step", "login");
	html_rawf(&h, "<label for=\"login\">Username</label>\n"
	    "<input id=\"login\" name=\"login\" autocomplete=\"username\" autocapitalize=\"none\" "
	    "spellcheck=\"false\" required maxlength=\"%d\" value=\"", TW_LOGIN_MAX);
	html_text(&h, p->login ? p->login : "");
	html_raw(&h, "\">\n");
	html_rawf(&h, "<label for=\"password\">Password</label>\n"
	    "<input id=\"password\" name=\"password\" type=\"password\" "
	    "autocomplete=\"current-password\" required maxlength=\"%d\">\n", TW_PASSWORD_MAX);
	html_raw(&h, "<div class=\"actions\"><button class=\"primary\" type=\"submit\">"
	    "Sign in</button></div>\n</form>\n");
	page_send(req, status, &h);
}

void
page_unknown_app(struct request *req, enum idp_err err, const char *client_id,
    const char *issuer)
{
	const struct idp_err_info *e = idp_err_info(err);
	struct html h;

	/* Where the sign-in form would be: the same heading, no form to fill. */
	html_begin(&h, "Sign in");
	html_raw(&h, "<p class=\"lead\">to continue to an app this server does not know</p>\n"
	    "<p class=\"error\" role=\"alert\">");
	html_text(&h, e->message);
	if (err == IDP_ERR_MISSING_CLIENT_ID)
		html_raw(&h, ": the sign-in link has no <code>client_id</code>.</p>\n");
	else {
		html_raw(&h, ": no app with the client ID <code>");
		html_text(&h, client_id ? client_id : "");
		html_raw(&h, "</code> is registered with this server.</p>\n");
	}
	html_raw(&h, "<p class=\"note\">If you followed a link from an app, tell its developer "
	    "to check the client ID it sends (an app's page in the "
	    "<a href=\"/console\">developer console</a> shows it) and that it signs in with "
	    "this server, whose issuer is <code>");
	html_text(&h, issuer);
	html_raw(&h, "</code>: an app registered on Twitch or on another server is not known "
	    "here.</p>\n");
	page_send(req, e->status, &h);
}

/* The scheme and host of a redirect URI, for "you will be sent to". */
static void
redirect_host(struct html *h, const char *uri)
{
	char host[300];
	struct url u;

	if (url_parse(str_cstr(uri), &u) != 0) {
		html_text(h, uri);
		return;
	}
	int default_port = u.port == (str_eq_cstr(u.scheme, "https") ? 443 : 80);

	snprintf(host, sizeof(host), default_port ? "%.*s://%.*s" : "%.*s://%.*s:%u",
	    (int)u.scheme.len, u.scheme.p, (int)u.host.len, u.host.p, (unsigned)u.port);
	html_text(h, host);
}

/*
 * The scopes of a space-separated list as <li>s, each in the plain words of
 * the catalog (what the consent page says) over its name; a name the
 * catalog does not know stands alone.
 */
static void
scope_items(struct html *h, const char *scopes)
{
	const char *s = scopes + strspn(scopes, " ");

	while (*s != '\0') {
		size_t len = strcspn(s, " ");
		const struct scope_info *si = scope_find(s, len);

		html_raw(h, "<li>");
		if (si != NULL) {
			html_raw(h, "<span>");
			html_text(h, si->description);
			html_raw(h, "</span> ");
		}
		html_raw(h, "<code>");
		html_text_len(h, s, len);
		html_raw(h, "</code></li>\n");
		s += len;
		s += strspn(s, " ");
	}
}

/*
 * Ends the "X wants to access your account" sentence with what the scopes
 * let the app do, in plain words.
 */
static void
scope_list(struct html *h, const char *scopes)
{
	if (scopes_none(scopes)) {
		html_raw(h, ". It asks only for your public profile: your user name, "
		    "display name and picture.</p>\n");
		return;
	}
	html_raw(h, " and will be able to:</p>\n<ul class=\"scopes\">\n");
	scope_items(h, scopes);
	html_raw(h, "</ul>\n");
}

/* Every claim the app would be told about the user, named (OpenID Connect). */
static void
consent_claims(struct html *h, unsigned claims)
{
	const char *shown[8];
	size_t n = idp_claims_shown(claims, shown, sizeof(shown) / sizeof(shown[0]));

	if (n == 0)
		return;
	html_raw(h, "<p>and to be told:</p>\n<ul class=\"claims\">\n");
	for (size_t i = 0; i < n; i++) {
		html_raw(h, "<li>");
		html_text(h, shown[i]);
		html_raw(h, "</li>\n");
	}
	html_raw(h, "</ul>\n");
}

void
page_consent(struct request *req, const struct consent_page *p)
{
	const struct idp_authz *a = p->authz;
	const struct idp_authz_request *q = p->params;
	char csrf[WEB_CSRF_LEN + 1], title[160];
	struct html h;

	web_csrf_token(req, csrf);
	snprintf(title, sizeof(title), "Authorize %s", a->app.name);
	html_begin(&h, title);
	page_whoami(req, &h, p->user);
	html_raw(&h, "<p class=\"lead\"><b>");
	html_text(&h, a->app.name);
	html_raw(&h, "</b> wants to access your account");
	scope_list(&h, a->scopes);
	consent_claims(&h, a->claims);
	html_raw(&h, "<p class=\"note\">Once you decide, you will be sent to <code>");
	redirect_host(&h, q->redirect_uri);
	html_raw(&h, "</code>. You can disconnect this app at any time in "
	    "<a href=\"/settings/connections\">Connections</a>.</p>\n");
	/* Posts to this URL: the request's parameters travel in its query. */
	html_raw(&h, "<form method=\"post\">\n");
	html_hidden(&h, "csrf", csrf);
	html_raw(&h, "<div class=\"actions\">"
	    "<button type=\"submit\" name=\"decision\" value=\"cancel\">Cancel</button>\n"
	    "<button class=\"primary\" type=\"submit\" name=\"decision\" value=\"authorize\">"
	    "Authorize</button></div>\n</form>\n");
	page_send(req, 200, &h);
}

void
page_activate(struct request *req, unsigned status, const struct activate_page *p)
{
	char csrf[WEB_CSRF_LEN + 1];
	struct html h;

	web_csrf_token(req, csrf);
	html_begin(&h, "Activate your device");
	page_whoami(req, &h, p->user);
	html_raw(&h, "<p class=\"lead\">Enter the code your device shows.</p>\n");
	page_notice(&h, "error", p->error);
	html_raw(&h, "<form method=\"post\">\n");
	html_hidden(&h, "csrf", csrf);
	html_hidden(&h, "step", "code");
	html_rawf(&h, "<label for=\"user_code\">Code</label>\n"
	    "<input id=\"user_code\" class=\"code\" name=\"user_code\" required "
	    "maxlength=\"%d\" autocomplete=\"one-time-code\" autocapitalize=\"characters\" "
	    "spellcheck=\"false\" placeholder=\"ABCDEFGH\" value=\"", 2 * TW_USER_CODE_LEN);
	html_text(&h, p->code ? p->code : "");
	html_raw(&h, "\">\n<div class=\"actions\"><button class=\"primary\" type=\"submit\">"
	    "Continue</button></div>\n</form>\n");
	page_send(req, status, &h);
}

void
page_device_consent(struct request *req, const struct store_user *user,
    const struct idp_device_view *v)
{
	char csrf[WEB_CSRF_LEN + 1], title[160];
	struct html h;

	web_csrf_token(req, csrf);
	snprintf(title, sizeof(title), "Authorize %s", v->app_name);
	html_begin(&h, title);
	page_whoami(req, &h, user);
	html_raw(&h, "<p class=\"lead\"><b>");
	html_text(&h, v->app_name);
	html_raw(&h, "</b> on your device wants to access your account");
	scope_list(&h, v->scopes);
	html_raw(&h, "<p class=\"note\">Only continue if your device shows this code:</p>\n"
	    "<p class=\"code\">");
	html_text(&h, v->user_code);
	html_raw(&h, "</p>\n<p class=\"note\">You can disconnect this app at any time in "
	    "<a href=\"/settings/connections\">Connections</a>.</p>\n");
	html_raw(&h, "<form method=\"post\">\n");
	html_hidden(&h, "csrf", csrf);
	html_hidden(&h, "step", "decide");
	html_hidden(&h, "user_code", v->user_code);
	html_raw(&h, "<div class=\"actions\">"
	    "<button type=\"submit\" name=\"decision\" value=\"deny\">Deny</button>\n"
	    "<button class=\"primary\" type=\"submit\" name=\"decision\" value=\"authorize\">"
	    "Authorize</button></div>\n</form>\n");
	page_send(req, 200, &h);
}

void
page_device_done(struct request *req, int approved)
{
	struct html h;

	html_begin(&h, approved ? "Device connected" : "Access denied");
	if (approved)
		page_notice(&h, "ok", "You may return to your device: it will finish signing in "
		    "by itself within a few seconds.");
	else
		page_notice(&h, "ok", "The device will not get access to your account. You may "
		    "close this page.");
	html_raw(&h, "<p class=\"note\">See the apps that can use your account in "
	    "<a href=\"/settings/connections\">Connections</a>.</p>\n");
	page_send(req, 200, &h);
}

void
page_error(struct request *req, unsigned status, const char *title, const char *message)
{
	struct html h;

	html_begin(&h, title);
	page_notice(&h, "error", message);
	html_raw(&h, "<p class=\"note\">If you followed a link from an app, tell its "
	    "developer: the link is not a valid sign-in request.</p>\n");
	page_send(req, status, &h);
}

void
page_connections(struct request *req, const struct store_user *user,
    const struct store_connection *conns, size_t n, const char *message)
{
	char csrf[WEB_CSRF_LEN + 1], when[32];
	struct html h;

	web_csrf_token(req, csrf);
	html_begin(&h, "Connections");
	page_whoami(req, &h, user);
	page_notice(&h, "ok", message);
	if (n == 0) {
		html_raw(&h, "<p class=\"lead\">You have not authorized any apps.</p>\n");
		page_send(req, 200, &h);
		return;
	}
	html_raw(&h, "<p class=\"lead\">These apps can act on your account. Disconnecting "
	    "one ends its access at once.</p>\n<ul class=\"apps\">\n");
	for (size_t i = 0; i < n; i++) {
		time_t t = (time_t)conns[i].first_authorized;
		struct tm tm;

		gmtime_r(&t, &tm);
		strftime(when, sizeof(when), "%Y-%m-%d", &tm);
		html_raw(&h, "<li><div><b>");
		html_text(&h, conns[i].app_name);
		html_raw(&h, "</b><small>Connected since ");
		html_text(&h, when);
		html_raw(&h, "</small>");
		if (!scopes_none(conns[i].scopes)) {
			html_raw(&h, "<ul class=\"scopes\">\n");
			scope_items(&h, conns[i].scopes);
			html_raw(&h, "</ul>");
		}
		html_raw(&h, "</div>\n<form method=\"post\" action=\"/settings/connections\">\n");
		html_hidden(&h, "csrf", csrf);
		html_hidden(&h, "client_id", conns[i].client_id);
		html_raw(&h, "<button type=\"submit\" class=\"danger\">Disconnect</button>"
		    "</form></li>\n");
	}
	html_raw(&h, "</ul>\n");
	page_send(req, 200, &h);
}
