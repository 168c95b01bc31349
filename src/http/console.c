/*
 * The developer console, as on dev.twitch.tv: /console lists the signed-in
 * user's apps, /console/new registers one, /console/app?client_id=X
 * manages one (its redirect URLs, a new client secret, deletion); its
 * other tab, Twitch rules, is console_rules.c.
 *
 * Rules: every page needs a signed-in user (the sign-in form comes back to
 * the same URL); every change is a POST carrying the CSRF token; a new
 * secret and a deletion each take a confirmation step that says what
 * follows; another user's app answers 404, as if it did not exist; a
 * secret appears once, on the page that made it, and nowhere else.  Bad
 * input is answered with the form again, values kept, the message next to
 * the field, and nothing changed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>

#include "../common/xmalloc.h"
#include "console.h"
#include "html.h"
#include "routes.h"
#include "web.h"

/* The client types the registration form offers; the first is the default. */
static const struct client_type {
	const char	*value;		/* the form's type field */
	unsigned	 flags;		/* IDP_APP_* */
	const char	*label;		/* HTML */
} client_types[] = {
	{ "confidential", IDP_APP_NO_SECRET, "<b>Confidential</b> &mdash; a server or tool that "
	    "can keep a client secret (made on the app's page, when you need it)" },
	{ "public", IDP_APP_PUBLIC, "<b>Public</b> &mdash; runs where a secret would not stay "
	    "secret (a TV, a game, a desktop app): no secret, the device code flow" },
};
#define N_CLIENT_TYPES (sizeof(client_types) / sizeof(client_types[0]))

/* The profiles the forms offer (idp_app_set_profile); the first is the default. */
static const struct profile_choice {
	enum app_profile	 profile;
	const char		*label;		/* HTML */
} profile_choices[] = {
	{ APP_PROFILE_TWITCH, "<b>Twitch</b> &mdash; exactly what id.twitch.tv answers: what "
	    "works here works on Twitch" },
	{ APP_PROFILE_OAUTH2, "<b>Standard OAuth 2.0 / OpenID Connect</b> &mdash; for generic "
	    "libraries: <code>scope</code> as one string, RFC 6749 <code>error</code> members, "
	    "<code>offline_access</code>, the device flow polled with the secret" },
};
#define N_PROFILE_CHOICES (sizeof(profile_choices) / sizeof(profile_choices[0]))

/* The profile radio buttons, chosen checked. */
static void
profile_fieldset(struct html *h, enum app_profile chosen)
{
	html_raw(h, "<fieldset><legend>Profile</legend>\n");
	for (size_t i = 0; i < N_PROFILE_CHOICES; i++) {
		const struct profile_choice *c = &profile_choices[i];

		html_rawf(h, "<label class=\"choice\"><input type=\"radio\" name=\"profile\" "
		    "value=\"%s\"%s><span>%s</span></label>\n", app_profile_name(c->profile),
		    c->profile == chosen ? " checked" : "", c->label);
	}
	html_raw(h, "</fieldset>\n");
}

/* The profile a form's field names; the default when it is absent; -1 if bad. */
static int
profile_of_field(const char *field, enum app_profile *out)
{
	*out = profile_choices[0].profile;
	return field == NULL ? 0 : app_profile_parse(field, out);
}

/* The client type named value, or NULL. */
static const struct client_type *
client_type_find(const char *value)
{
	for (size_t i = 0; value != NULL && i < N_CLIENT_TYPES; i++)
		if (strcmp(value, client_types[i].value) == 0)
			return &client_types[i];
	return NULL;
}

/* What the registration form holds, and what is wrong with it. */
struct app_form {
	const char	*name;
	const char	*uris;		/* one per line */
	const char	*category;
	const char	*type;		/* a client_types value */
	const char	*profile;	/* app_profile_name; NULL: the default */
	const char	*name_error;
	const char	*uris_error;
	const char	*category_error;
	const char	*type_error;
	const char	*profile_error;
	char		 uris_buf[160];	/* for a message naming one line */
};

/* An "Are you sure?" page: its title, what follows, the button. */
struct confirm_text {
	const char	*title, *what, *button;
};

/* ---- pieces of pages ---- */

static void
field_error(struct html *h, const char *id, const char *message)
{
	if (message == NULL)
		return;
	html_rawf(h, "<p class=\"field-error\" id=\"%s-error\">", id);
	html_text(h, message);
	html_raw(h, "</p>\n");
}

/* The attributes that tie an input to its error message, if it has one. */
static void
invalid_attrs(struct html *h, const char *id, const char *message)
{
	if (message != NULL)
		html_rawf(h, " aria-invalid=\"true\" aria-describedby=\"%s-error\"", id);
}

static void
uris_field(struct html *h, const char *value, const char *error)
{
	html_raw(h, "<label for=\"uris\">OAuth Redirect URLs</label>\n"
	    "<p class=\"note\">One per line, at most " TW_STR(TW_MAX_REDIRECT_URIS) ": where the "
	    "browser returns after "
	    "sign-in, matched exactly. For a local tool: <code>http://localhost:3000</code></p>\n"
	    "<textarea id=\"uris\" name=\"redirect_uris\" rows=\"3\" spellcheck=\"false\" "
	    "autocapitalize=\"none\" required");
	invalid_attrs(h, "uris", error);
	html_raw(h, ">");
	html_text(h, value ? value : "");
	html_raw(h, "</textarea>\n");
	field_error(h, "uris", error);
}

/* The lines, newline-separated, malloc'd: a redirect list for its textarea. */
static char *
join_lines(char *const *lines, size_t n)
{
	size_t len = 1;
	char *out, *p;

	for (size_t i = 0; i < n; i++)
		len += strlen(lines[i]) + 1;
	p = out = xmalloc(len);
	for (size_t i = 0; i < n; i++) {
		size_t k = strlen(lines[i]);

		memcpy(p, lines[i], k);
		p += k;
		*p++ = '\n';
	}
	*p = '\0';
	return out;
}

static void
when_text(int64_t t, char *out, size_t len)
{
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(out, len, "%Y-%m-%d", &tm);
}

void
console_tabs(struct html *h, const char *client_id, enum console_tab current)
{
	static const struct { const char *page, *label; } tabs[] = {
		[CONSOLE_TAB_SETTINGS] = { APP_PAGE, "Settings" },
		[CONSOLE_TAB_RULES] = { RULES_PAGE, "Twitch rules" },
	};

	html_raw(h, "<p class=\"note\"><a href=\"" CONSOLE "\">&larr; All your apps</a></p>\n"
	    "<nav class=\"tabs\" aria-label=\"This app\">");
	for (size_t i = 0; i < sizeof(tabs) / sizeof(tabs[0]); i++) {
		html_raw(h, "<a href=\"");
		html_raw(h, tabs[i].page);
		html_text(h, client_id);
		html_raw(h, i == current ? "\" aria-current=\"page\">" : "\">");
		html_raw(h, tabs[i].label);
		html_raw(h, "</a>");
	}
	html_raw(h, "</nav>\n");
}

/* ---- pages ---- */

/*
 * The apps the CLI registers without --owner belong to nobody, so no
 * console lists them: say how this user makes one theirs.
 */
static void
adopt_note(struct html *h, const struct store_user *user)
{
	html_raw(h, "<p class=\"note\" id=\"adopt\">An app registered with <code>twauth app "
	    "create</code> without <code>--owner</code> is in nobody's console. To make one "
	    "yours, run <code>twauth app owner CLIENT_ID ");
	html_text(h, user->login);
	html_raw(h, "</code> where the server's database is; to register one for yourself "
	    "there, <code>twauth app create ... --owner ");
	html_text(h, user->login);
	html_raw(h, "</code>.</p>\n");
}

static void
page_console(struct request *req, const struct store_user *user,
    const struct store_app *apps, size_t n, const char *message)
{
	struct html h;

	html_begin_wide(&h, "Developer console");
	page_whoami(req, &h, user);
	page_notice(&h, "ok", message);
	if (n == 0)
		html_raw(&h, "<p class=\"lead\">You have no apps yet. Register one to get a "
		    "client ID for the Twitch API and its sign-in.</p>\n");
	else {
		html_raw(&h, "<ul class=\"apps\">\n");
		for (size_t i = 0; i < n; i++) {
			html_raw(&h, "<li><div><b>");
			html_text(&h, apps[i].name);
			html_raw(&h, "</b><small>");
			html_text(&h, apps[i].category);
			html_raw(&h, apps[i].is_public ? " &middot; public" : " &middot; confidential");
			html_raw(&h, " &middot; <code>");
			html_text(&h, apps[i].client_id);
			html_raw(&h, "</code></small></div>\n<a class=\"button\" href=\"" APP_PAGE);
			html_text(&h, apps[i].client_id);
			html_raw(&h, "\">Manage</a></li>\n");
		}
		html_raw(&h, "</ul>\n");
	}
	html_raw(&h, "<div class=\"actions\"><a class=\"button primary\" href=\"/console/new\">"
	    "Register your application</a></div>\n");
	adopt_note(&h, user);
	page_send(req, 200, &h);
}

static void
page_new_app(struct request *req, unsigned status, const struct store_user *user,
    const struct app_form *f)
{
	char csrf[WEB_CSRF_LEN + 1];
	const struct client_type *type = client_type_find(f->type);
	struct html h;

	web_csrf_token(req, csrf);
	html_begin_wide(&h, "Register your application");
	page_whoami(req, &h, user);
	if (status != 200)
		page_notice(&h, "error", "Nothing was registered: see below.");
	html_raw(&h, "<form method=\"post\" action=\"/console/new\" novalidate>\n");
	html_hidden(&h, "csrf", csrf);
	html_hidden(&h, "step", "register");
	html_rawf(&h, "<label for=\"name\">Name</label>\n<input id=\"name\" name=\"name\" "
	    "required maxlength=\"%d\" autocomplete=\"off\" value=\"", TW_MAX_APP_NAME);
	html_text(&h, f->name ? f->name : "");
	html_raw(&h, "\"");
	invalid_attrs(&h, "name", f->name_error);
	html_raw(&h, ">\n");
	field_error(&h, "name", f->name_error);
	uris_field(&h, f->uris, f->uris_error);
	html_raw(&h, "<label for=\"category\">Category</label>\n"
	    "<select id=\"category\" name=\"category\"");
	invalid_attrs(&h, "category", f->category_error);
	html_raw(&h, ">\n");
	for (size_t i = 0; idp_app_categories[i] != NULL; i++) {
		const char *c = idp_app_categories[i];
		int chosen = f->category ? strcmp(f->category, c) == 0 : strcmp(c, "Other") == 0;

		html_raw(&h, "<option");
		if (chosen)
			html_raw(&h, " selected");
		html_raw(&h, ">");
		html_text(&h, c);
		html_raw(&h, "</option>\n");
	}
	html_raw(&h, "</select>\n");
	field_error(&h, "category", f->category_error);
	html_raw(&h, "<fieldset><legend>Client type</legend>\n");
	for (size_t i = 0; i < N_CLIENT_TYPES; i++) {
		const struct client_type *t = &client_types[i];

		html_rawf(&h, "<label class=\"choice\"><input type=\"radio\" name=\"type\" "
		    "value=\"%s\"%s><span>%s</span></label>\n", t->value,
		    t == (type ? type : &client_types[0]) ? " checked" : "", t->label);
	}
	html_raw(&h, "</fieldset>\n");
	field_error(&h, "type", f->type_error);
	{
		enum app_profile chosen;

		if (profile_of_field(f->profile, &chosen) == -1)
			chosen = profile_choices[0].profile;
		profile_fieldset(&h, chosen);
	}
	field_error(&h, "profile", f->profile_error);
	html_raw(&h, "<div class=\"actions\"><a class=\"button\" href=\"" CONSOLE "\">Cancel</a>"
	    "<button class=\"primary\" type=\"submit\">Create</button></div>\n</form>\n");
	page_send(req, status, &h);
}

/* An app's page; uris and uris_error are the edit being answered, if any. */
static void
page_app(struct request *req, unsigned status, const struct store_user *user,
    const struct store_app *app, const char *message, const char *uris,
    const char *uris_error)
{
	char csrf[WEB_CSRF_LEN + 1], created[32];
	char *joined = NULL;
	struct html h;

	web_csrf_token(req, csrf);
	when_text(app->created_at, created, sizeof(created));
	html_begin_wide(&h, app->name);
	page_whoami(req, &h, user);
	console_tabs(&h, app->client_id, CONSOLE_TAB_SETTINGS);
	page_notice(&h, uris_error ? "error" : "ok", uris_error ? "Nothing was saved: see below." :
	    message);
	html_raw(&h, "<dl class=\"facts\"><dt>Client ID</dt><dd><code id=\"client-id\">");
	html_text(&h, app->client_id);
	html_raw(&h, "</code></dd><dt>Category</dt><dd>");
	html_text(&h, app->category);
	html_raw(&h, "</dd><dt>Client type</dt><dd>");
	html_raw(&h, app->is_public ? "Public" : "Confidential");
	html_raw(&h, "</dd><dt>Profile</dt><dd id=\"profile\">");
	html_raw(&h, app->profile == APP_PROFILE_OAUTH2 ? "Standard OAuth 2.0 / OpenID Connect" :
	    "Twitch");
	html_raw(&h, "</dd><dt>Registered</dt><dd>");
	html_text(&h, created);
	html_raw(&h, "</dd></dl>\n");

	html_raw(&h, "<form method=\"post\" action=\"" APP_PAGE);
	html_text(&h, app->client_id);
	html_raw(&h, "\" novalidate>\n");
	html_hidden(&h, "csrf", csrf);
	html_hidden(&h, "action", "uris");
	if (uris == NULL)
		uris = joined = join_lines(app->redirect_uris, app->n_redirect_uris);
	uris_field(&h, uris, uris_error);
	html_raw(&h, "<div class=\"actions\"><button type=\"submit\">Save redirect URLs"
	    "</button></div>\n</form>\n");
	free(joined);

	html_raw(&h, "<h2>Client secret</h2>\n");
	if (app->is_public)
		html_raw(&h, "<p class=\"note\">Public clients have no secret: they get tokens "
		    "through the device code flow, and refresh without one.</p>\n");
	else {
		html_raw(&h, app->has_secret ? "<p class=\"note\">Secrets are stored only as a "
		    "digest and shown once, when made. Lost it? Make a new one.</p>\n" :
		    "<p class=\"note\" id=\"no-secret\">No secret yet: make one when something "
		    "needs to authenticate as this app. It is shown once, when made, and stored "
		    "only as a digest.</p>\n");
		html_raw(&h, "<form method=\"post\" action=\"" APP_PAGE);
		html_text(&h, app->client_id);
		html_raw(&h, "\">\n");
		html_hidden(&h, "csrf", csrf);
		html_hidden(&h, "action", "secret");
		html_raw(&h, "<div class=\"actions\"><button type=\"submit\">New secret</button>"
		    "</div>\n</form>\n");
	}
	html_raw(&h, "<h2>Profile</h2>\n<form method=\"post\" action=\"" APP_PAGE);
	html_text(&h, app->client_id);
	html_raw(&h, "\">\n");
	html_hidden(&h, "csrf", csrf);
	html_hidden(&h, "action", "profile");
	profile_fieldset(&h, app->profile);
	html_raw(&h, "<div class=\"actions\"><button type=\"submit\">Save profile</button>"
	    "</div>\n</form>\n");
	html_raw(&h, "<h2>Delete</h2>\n<form method=\"post\" action=\"" APP_PAGE);
	html_text(&h, app->client_id);
	html_raw(&h, "\">\n");
	html_hidden(&h, "csrf", csrf);
	html_hidden(&h, "action", "delete");
	html_raw(&h, "<p class=\"note\">Its client ID and tokens stop working at once.</p>\n"
	    "<div class=\"actions\"><button class=\"danger\" type=\"submit\">Delete app</button>"
	    "</div>\n</form>\n");
	page_send(req, status, &h);
}

/* "Are you sure?" for action, saying what follows. */
static void
page_confirm(struct request *req, const struct store_user *user, const struct store_app *app,
    const struct confirm_text *t, const char *action)
{
	char csrf[WEB_CSRF_LEN + 1];
	struct html h;

	web_csrf_token(req, csrf);
	html_begin(&h, t->title);
	page_whoami(req, &h, user);
	html_raw(&h, "<p class=\"lead\"><b>");
	html_text(&h, app->name);
	html_raw(&h, "</b></p>\n<p>");
	html_text(&h, t->what);
	html_raw(&h, "</p>\n<form method=\"post\" action=\"" APP_PAGE);
	html_text(&h, app->client_id);
	html_raw(&h, "\">\n");
	html_hidden(&h, "csrf", csrf);
	html_hidden(&h, "action", action);
	html_raw(&h, "<div class=\"actions\"><a class=\"button\" href=\"" APP_PAGE);
	html_text(&h, app->client_id);
	html_raw(&h, "\">Cancel</a><button class=\"primary\" type=\"submit\">");
	html_text(&h, t->button);
	html_raw(&h, "</button></div>\n</form>\n");
	page_send(req, 200, &h);
}

/* The secret just made; replaced: the app had one before, which now fails. */
static void
page_secret(struct request *req, const struct store_user *user, const struct store_app *app,
    const char *secret, int replaced)
{
	struct html h;

	html_begin(&h, "Your new client secret");
	page_whoami(req, &h, user);
	html_raw(&h, "<p class=\"lead\"><b>");
	html_text(&h, app->name);
	html_raw(&h, "</b></p>\n<p>Copy it now: it is not shown again.");
	if (replaced)
		html_raw(&h, " The previous secret no longer works.");
	html_raw(&h, "</p>\n<p class=\"secret\" id=\"client-secret\">");
	html_text(&h, secret);
	html_raw(&h, "</p>\n<div class=\"actions\"><a class=\"button primary\" href=\"" APP_PAGE);
	html_text(&h, app->client_id);
	html_raw(&h, "\">Done</a></div>\n");
	page_send(req, 200, &h);
}

/* ---- reading forms ---- */

/*
 * The non-empty lines of text (trimmed) into uris, at most max + 1 so that
 * one too many can be told.  Returns how many.
 */
static size_t
split_lines(const char *text, char **uris, size_t max)
{
	size_t n = 0;

	while (*text != '\0' && n <= max) {
		size_t len = strcspn(text, "\n");
		const char *p = text, *end = text + len;

		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		while (end > p && (end[-1] == '\r' || end[-1] == ' ' || end[-1] == '\t'))
			end--;
		if (end > p)
			uris[n++] = xmemdup0(p, (size_t)(end - p));
		text += len + (text[len] == '\n');
	}
	return n;
}

static void
free_lines(char **uris, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(uris[i]);
}

/* The message for a redirect URL list the store refused, naming a line if it can. */
static const char *
uris_message(enum idp_err err, char *const *uris, size_t n, char *buf, size_t len)
{
	switch (err) {
	case IDP_ERR_NO_REDIRECT_URI:
		return "Add at least one redirect URL.";
	case IDP_ERR_TOO_MANY_REDIRECT_URIS:
		return "At most " TW_STR(TW_MAX_REDIRECT_URIS) " redirect URLs.";
	case IDP_ERR_BAD_REDIRECT_URI:
		for (size_t i = 0; i < n; i++)
			if (!idp_redirect_uri_ok(uris[i])) {
				snprintf(buf, len, "Line %zu is not an absolute http:// or https:// "
				    "URL without a #fragment.", i + 1);
				return buf;
			}
		return "Each line must be an absolute http:// or https:// URL.";
	case IDP_ERR_REDIRECT_URI_EXISTS:
		return "The same URL is there twice.";
	default:
		return NULL;
	}
}

/* ---- handlers ---- */

static int
csrf_refused(struct request *req)
{
	if (web_csrf_ok(req))
		return 0;
	page_error(req, 403, "Please try again", "This form expired or did not come from "
	    "this site. Nothing was changed.");
	return 1;
}

void
http_console(struct request *req)
{
	struct store_user user;
	struct store_app *apps = NULL;
	size_t n = 0;

	if (!web_require_user(req, NULL, NULL, &user))
		return;
	if (idp_apps_owned(req_idp(req), user.id, &apps, &n) != IDP_OK)
		page_error(req, 503, "Try again", idp_err_info(IDP_ERR_UNAVAILABLE)->message);
	else
		page_console(req, &user, apps, n, req_param(req, "deleted") ?
		    "Deleted. Its tokens no longer work." : NULL);
	store_app_list_free(apps, n);
	store_user_clear(&user);
}

void
http_console_new(struct request *req)
{
	struct app_form f = { 0 };
	const struct client_type *type;
	enum app_profile profile;
	struct store_user user;
	struct store_app app;
	char *uris[TW_MAX_REDIRECT_URIS + 1], secret[TW_ID_LEN + 1];
	char location[sizeof(APP_PAGE) + TW_ID_LEN + 16];
	size_t n = 0;
	enum idp_err err;

	if (!web_require_user(req, NULL, NULL, &user))
		return;
	f.name = req_param(req, "name");
	f.uris = req_param(req, "redirect_uris");
	f.category = req_param(req, "category");
	f.type = req_param(req, "type");
	f.profile = req_param(req, "profile");
	if (strcmp(req_method(req), "POST") != 0) {
		page_new_app(req, 200, &user, &f);
		goto out;
	}
	if (csrf_refused(req))
		goto out;
	/* Every field is checked, so that the form tells all that is wrong at once. */
	n = split_lines(f.uris ? f.uris : "", uris, TW_MAX_REDIRECT_URIS);
	if (!idp_app_name_ok(f.name ? f.name : ""))
		f.name_error = "Give the app a name: up to " TW_STR(TW_MAX_APP_NAME)
		    " characters, not only spaces.";
	f.uris_error = uris_message(idp_app_check_redirect_uris(uris, n), uris, n, f.uris_buf,
	    sizeof(f.uris_buf));
	if (!idp_app_category_ok(f.category ? f.category : ""))
		f.category_error = "Choose one of the categories.";
	if ((type = client_type_find(f.type)) == NULL)
		f.type_error = "Choose confidential or public.";
	if (profile_of_field(f.profile, &profile) == -1)
		f.profile_error = "Choose Twitch or standard OAuth 2.0 / OpenID Connect.";
	if (f.name_error || f.uris_error || f.category_error || f.type_error ||
	    f.profile_error) {
		page_new_app(req, 400, &user, &f);
		goto out;
	}
	{
		struct idp_app_new nw = {
			.name = f.name, .redirect_uris = uris, .n_redirect_uris = n,
			.flags = type->flags | (profile == APP_PROFILE_OAUTH2 ? IDP_APP_OAUTH2 : 0),
			.owner_id = user.id, .category = f.category,
		};

		if ((err = idp_app_create(req_idp(req), &nw, &app, secret)) != IDP_OK) {
			page_error(req, 503, "Try again", idp_err_info(err)->message);
			goto out;
		}
	}
	OPENSSL_cleanse(secret, sizeof(secret));	/* none: "New secret" makes the first */
	snprintf(location, sizeof(location), APP_PAGE "%s&created=1", app.client_id);
	store_app_clear(&app);
	req_reply_redirect(req, 303, location);
out:
	free_lines(uris, n);
	store_user_clear(&user);
}

int
console_own_app(struct request *req, const struct store_user *user, struct store_app *app)
{
	const char *client_id = req_param(req, "client_id");
	enum idp_err err = client_id ? idp_app_get(req_idp(req), client_id, app) :
	    IDP_ERR_UNKNOWN_APP;

	if (err == IDP_OK && app->owner_id == user->id)
		return 0;
	if (err == IDP_OK)
		store_app_clear(app);
	if (err == IDP_ERR_UNAVAILABLE)
		page_error(req, 503, "Try again", idp_err_info(err)->message);
	else
		page_error(req, 404, "No such app", "None of your apps has that client ID.");
	return -1;
}

/* ---- the actions of an app's page ---- */

static void
act_uris(struct request *req, const struct store_user *user, const struct store_app *app)
{
	const char *text = req_param(req, "redirect_uris");
	char *uris[TW_MAX_REDIRECT_URIS + 1], buf[160];
	char location[sizeof(APP_PAGE) + TW_ID_LEN + 16];
	size_t n = split_lines(text ? text : "", uris, TW_MAX_REDIRECT_URIS);
	enum idp_err err = idp_app_set_redirect_uris(req_idp(req), app->client_id, uris, n);

	if (err == IDP_OK) {
		snprintf(location, sizeof(location), APP_PAGE "%s&saved=1", app->client_id);
		req_reply_redirect(req, 303, location);
	} else if (uris_message(err, uris, n, buf, sizeof(buf)) != NULL)
		page_app(req, 400, user, app, NULL, text ? text : "",
		    uris_message(err, uris, n, buf, sizeof(buf)));
	else
		page_error(req, 503, "Try again", idp_err_info(err)->message);
	free_lines(uris, n);
}

static void
act_new_secret(struct request *req, const struct store_user *user,
    const struct store_app *app)
{
	char secret[TW_ID_LEN + 1];
	enum idp_err err;

	if ((err = idp_app_reset_secret(req_idp(req), app->client_id, secret)) == IDP_OK)
		page_secret(req, user, app, secret, app->has_secret);
	else
		page_error(req, 503, "Try again", idp_err_info(err)->message);
	OPENSSL_cleanse(secret, sizeof(secret));
}

static void
act_profile(struct request *req, const struct store_user *user, const struct store_app *app)
{
	char location[sizeof(APP_PAGE) + TW_ID_LEN + 16];
	enum app_profile profile;
	enum idp_err err;

	(void)user;
	if (profile_of_field(req_param(req, "profile"), &profile) == -1) {
		page_error(req, 400, "Nothing to do", "Choose Twitch or standard OAuth 2.0 / "
		    "OpenID Connect. Nothing was changed.");
		return;
	}
	if ((err = idp_app_set_profile(req_idp(req), app->client_id, profile)) == IDP_OK) {
		snprintf(location, sizeof(location), APP_PAGE "%s&saved=1", app->client_id);
		req_reply_redirect(req, 303, location);
	} else
		page_error(req, 503, "Try again", idp_err_info(err)->message);
}

static void
act_delete(struct request *req, const struct store_user *user, const struct store_app *app)
{
	enum idp_err err;

	(void)user;
	/* Already gone (another tab, the CLI) is what was asked for. */
	if ((err = idp_app_delete(req_idp(req), app->client_id)) == IDP_OK ||
	    err == IDP_ERR_UNKNOWN_APP)
		req_reply_redirect(req, 303, CONSOLE "?deleted=1");
	else
		page_error(req, 503, "Try again", idp_err_info(err)->message);
}

#define ACT_CONFIDENTIAL	0x1	/* only for confidential apps (public ones have none) */

/*
 * What the "action" field of a POST to an app's page may ask for.  An
 * action with a confirmation answers name with the "Are you sure?" page
 * (confirm, or unset when the app has no secret yet and the action has
 * that text), whose form posts confirmed; only confirmed runs it.
 * Anything else changes nothing.
 */
static const struct console_action {
	const char		*name;
	const char		*confirmed;	/* NULL: run at once */
	unsigned		 flags;		/* ACT_* */
	struct confirm_text	 confirm;
	struct confirm_text	 unset;		/* title NULL: confirm says it */
	void			(*run)(struct request *, const struct store_user *,
				    const struct store_app *);
} actions[] = {
	{ "uris", NULL, 0, { NULL }, { NULL }, act_uris },
	{ "profile", NULL, 0, { NULL }, { NULL }, act_profile },
	{ "secret", "secret_confirm", ACT_CONFIDENTIAL,
	    { "Make a new client secret?", "The current secret stops working at once: "
	    "whatever uses it is refused ('invalid client secret') until you give it the new "
	    "one.", "Make a new secret" },
	    /* Nothing uses a secret that never existed: nothing is cut off. */
	    { "Make a client secret?", "This makes the app's first client secret. It is "
	    "shown once, on the next page: copy it then.", "Make a secret" },
	    act_new_secret },
	{ "delete", "delete_confirm", 0, { "Delete this app?",
	    "Its client ID and secret stop working at once, every token it holds stops "
	    "validating, and its users' authorizations end. This cannot be undone.",
	    "Delete app" }, { NULL }, act_delete },
};
#define N_ACTIONS (sizeof(actions) / sizeof(actions[0]))

/* The action the field asks of app, or NULL; *confirmed if it is the step that runs it. */
static const struct console_action *
action_find(const char *field, const struct store_app *app, int *confirmed)
{
	for (size_t i = 0; field != NULL && i < N_ACTIONS; i++) {
		const struct console_action *a = &actions[i];

		if ((a->flags & ACT_CONFIDENTIAL) && app->is_public)
			continue;
		if (strcmp(field, a->name) == 0) {
			*confirmed = a->confirmed == NULL;
			return a;
		}
		if (a->confirmed != NULL && strcmp(field, a->confirmed) == 0) {
			*confirmed = 1;
			return a;
		}
	}
	return NULL;
}

void
http_console_app(struct request *req)
{
	struct store_user user;
	struct store_app app;
	const struct console_action *a;
	int confirmed = 0;

	if (!web_require_user(req, NULL, NULL, &user))
		return;
	if (console_own_app(req, &user, &app) == -1)
		goto out_user;
	if (strcmp(req_method(req), "POST") != 0) {
		page_app(req, 200, &user, &app, req_param(req, "created") ? "Registered. Make a "
		    "client secret below when you need one." : req_param(req, "saved") ?
		    "Saved." : NULL, NULL, NULL);
		goto out;
	}
	if (csrf_refused(req))
		goto out;
	if ((a = action_find(req_param(req, "action"), &app, &confirmed)) == NULL)
		page_error(req, 400, "Nothing to do", "That form asked for nothing this page "
		    "does. Nothing was changed.");
	else if (!confirmed)
		page_confirm(req, &user, &app, !app.has_secret && a->unset.title != NULL ?
		    &a->unset : &a->confirm, a->confirmed);
	else
		a->run(req, &user, &app);
out:
	store_app_clear(&app);
out_user:
	store_user_clear(&user);
}
