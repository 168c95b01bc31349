/*
 * twauth app: the developer console as a command line.  Works on the
 * database directly, so a running server sees every change at once.
 * Secrets are printed exactly once, on stdout, and never logged.
 */
#include <jansson.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "cli.h"

struct app_opts {
	const char	*db;
	const char	*name;
	const char	*category;
	const char	*owner;
	struct opt_list	 uris;
	int		 is_public;
	int		 profile;	/* enum app_profile */
	int		 scope_string;
	int		 json;
	struct audit_opts audit;
	int		 help;
};

enum app_sub {
	APP_CREATE, APP_LIST, APP_SHOW, APP_RESET_SECRET, APP_REDIRECT_ADD, APP_REDIRECT_REMOVE,
	APP_DELETE, APP_PROFILE, APP_SCOPE_FORMAT, APP_OWNER, APP_AUDIT
};

static int app_run(const struct cli_cmd *c, void *opts, const struct cli_args *a);

#define APP(how, f)	OPT_AS_##how(struct app_opts, f)
#define CREATE		.only = OPT_ONLY("create")

static const struct opt app_options[] = {
	{ "name", APP(STR, name), .arg = "NAME", CREATE, .help = "the app's name" },
	{ "redirect-uri", APP(ARGS, uris), .arg = "URI", CREATE,
	    .help = "where the browser may be sent after sign-in; an app has at least one and "
	    "at most " TW_STR(TW_MAX_REDIRECT_URIS) },
	{ "public", APP(ON, is_public), CREATE, .help = "a public client: no secret" },
	{ "category", APP(STR, category), .arg = "NAME", CREATE,
	    .help = "one of: Analytics Tool, Application Integration, Broadcaster Suite, Chat "
	    "Bot, Extension Backend Service, Game Integration, Identity Provider, Other (the "
	    "default), Website Integration" },
	{ "owner", APP(STR, owner), .arg = "LOGIN", CREATE,
	    .help = "the user the app belongs to: they manage it in the browser at /console" },
	{ "profile", APP(CHOICE, profile), .choices = app_profile_names, CREATE,
	    .help = "how the server answers the app: twitch (the default) exactly as "
	    "id.twitch.tv does; oauth2 as standard OAuth 2.0 / OpenID Connect libraries expect "
	    "(see 'Profiles' below)" },
	{ "scope-string", APP(ON, scope_string), CREATE,
	    .help = "the same as --profile oauth2 (its first part: \"scope\":\"a b\")" },
	AUDIT_ROWS(struct app_opts, audit),
	{ "json", APP(ON, json), .help = "machine-readable output" },
	CLI_ROW_DB(struct app_opts, db),
	CLI_ROW_HELP(struct app_opts, help),
	{ .name = NULL }
};

const struct cli_cmd app_cmd = {
	.name = "app",
	/* What they take is checked before the database is opened, but create's. */
	.subs = (const struct cli_sub[]){
		[APP_CREATE] = { "create", -1, NULL },
		[APP_LIST] = { "list", 0, NULL },
		[APP_SHOW] = { "show", 1, "one CLIENT_ID" },
		[APP_RESET_SECRET] = { "reset-secret", 1, "one CLIENT_ID" },
		[APP_REDIRECT_ADD] = { "redirect add", 2, "CLIENT_ID URI" },
		[APP_REDIRECT_REMOVE] = { "redirect remove", 2, "CLIENT_ID URI" },
		[APP_DELETE] = { "delete", 1, "one CLIENT_ID" },
		[APP_PROFILE] = { "profile", 2, "CLIENT_ID twitch|oauth2" },
		[APP_SCOPE_FORMAT] = { "scope-format", 2, "CLIENT_ID array|string" },
		[APP_OWNER] = { "owner", 2, "CLIENT_ID LOGIN" },
		[APP_AUDIT] = { "audit", 1, "one CLIENT_ID" },
		{ NULL }
	},
	.rows = app_options,
	.size = sizeof(struct app_opts),
	.run = app_run,
	.head = "Usage: twauth app <subcommand> [options]\n"
	    "\n"
	    "Register apps and manage their credentials, as on dev.twitch.tv.\n"
	    "\n"
	    "Subcommands:\n"
	    "  create --name NAME --redirect-uri URI [--redirect-uri URI ...] [--public]\n"
	    "         [--category NAME] [--owner LOGIN] [--profile twitch|oauth2]\n"
	    "         registers an app and prints its client id and (for confidential\n"
	    "         apps) its client secret, shown this once only\n"
	    "  list                      every app\n"
	    "  show CLIENT_ID            one app\n"
	    "  reset-secret CLIENT_ID    prints a new secret; the old one stops working now\n"
	    "  redirect add CLIENT_ID URI      registers another redirect URI (at most "
	    TW_STR(TW_MAX_REDIRECT_URIS) ")\n"
	    "  redirect remove CLIENT_ID URI   unregisters one (an app keeps at least one)\n"
	    "  delete CLIENT_ID          deletes the app; its tokens stop validating now\n"
	    "  profile CLIENT_ID twitch|oauth2   switches the app's profile (below)\n"
	    "  scope-format CLIENT_ID array|string   the same, as scope is spelled: array is\n"
	    "                            twitch, string is oauth2\n"
	    "  owner CLIENT_ID LOGIN     gives the app to the user LOGIN, who then manages it\n"
	    "                            at /console (an app made without --owner is in\n"
	    "                            nobody's console)\n"
	    "  audit CLIENT_ID [--since TIME] [--json] [--svg FILE]\n"
	    "                            which of Twitch's rules the app keeps, from what\n"
	    "                            'twauth serve' recorded of it (below)\n"
	    "\n"
	    "Options:\n",
	.tail = "\n"
	    "A redirect URI is where the user's browser is sent after signing in; it\n"
	    "must be an absolute http:// or https:// URL and is matched exactly.\n"
	    "\n"
	    "Profiles: a twitch app gets exactly id.twitch.tv's answers, so what works\n"
	    "here works on Twitch.  An oauth2 app gets what standard OAuth 2.0 / OIDC\n"
	    "libraries expect where Twitch differs: \"scope\" as one string; token\n"
	    "errors with RFC 6749's \"error\" and \"error_description\" beside Twitch's\n"
	    "\"status\" and \"message\" (authorization_pending, slow_down, invalid_grant,\n"
	    "...); offline_access accepted and ignored (refresh tokens come anyway);\n"
	    "HTTP Basic client authentication; a confidential app authenticates to\n"
	    "start and poll the device flow and to revoke; a public app may use the\n"
	    "code flow with PKCE S256, its http loopback redirect URI on any port.\n"
	    "\n"
	    AUDIT_HELP
	    "\n"
	    "Bad input exits with status 2 and changes nothing.\n"
	    "\n"
	    "Examples:\n"
	    "  twauth app create --name \"My Bot\" --redirect-uri http://localhost:3000\n"
	    "  twauth app create --name CLI --redirect-uri http://localhost:3000 --public --json\n"
	    "  twauth app create --name Bot --redirect-uri http://localhost:3000 \\\n"
	    "      --category \"Chat Bot\" --owner alice\n"
	    "  twauth app create --name \"OIDC site\" --redirect-uri https://site.example/cb \\\n"
	    "      --profile oauth2\n"
	    "  twauth app redirect add abcdefghijklmnopqrstuvwxyz0123 https://bot.example/cb\n"
	    "  twauth app reset-secret abcdefghijklmnopqrstuvwxyz0123\n"
	    "  twauth app owner abcdefghijklmnopqrstuvwxyz0123 alice\n"
	    "  twauth app audit abcdefghijklmnopqrstuvwxyz0123 --since 1h\n",
};

/* The login of the app's owner into out, "" when it has none. */
static void
owner_login(struct idp *idp, const struct store_app *app, char *out, size_t len)
{
	struct store_user u;

	out[0] = '\0';
	memset(&u, 0, sizeof(u));
	if (app->owner_id != 0 && idp_user_by_id(idp, app->owner_id, &u) == IDP_OK)
		snprintf(out, len, "%s", u.login);
	store_user_clear(&u);
}

static json_t *
app_json(struct idp *idp, const struct store_app *app)
{
	json_t *uris = json_array();
	char owner[TW_LOGIN_MAX + 1];

	owner_login(idp, app, owner, sizeof(owner));
	for (size_t i = 0; i < app->n_redirect_uris; i++)
		json_array_append_new(uris, json_string(app->redirect_uris[i]));
	/* scope_format: what the profile's first part was called before it. */
	return json_pack("{s:s, s:s, s:o, s:s, s:s, s:s, s:s, s:o, s:I}", "client_id",
	    app->client_id, "name", app->name, "redirect_uris", uris,
	    "type", app->is_public ? "public" : "confidential",
	    "profile", app_profile_name(app->profile),
	    "scope_format", app->profile == APP_PROFILE_OAUTH2 ? "string" : "array",
	    "category", app->category ? app->category : "Other",
	    "owner", owner[0] ? json_string(owner) : json_null(),
	    "created_at", (json_int_t)app->created_at);
}

static void
print_app(struct idp *idp, const struct store_app *app)
{
	char when[32], owner[TW_LOGIN_MAX + 1];

	cli_format_time(app->created_at, when, sizeof(when));
	owner_login(idp, app, owner, sizeof(owner));
	printf("name:          %s\n", app->name);
	printf("client id:     %s\n", app->client_id);
	printf("category:      %s\n", app->category ? app->category : "Other");
	if (owner[0] != '\0')
		printf("owner:         %s\n", owner);
	printf("type:          %s\n", app->is_public ? "public (no client secret)" :
	    app->has_secret ? "confidential" : "confidential (no client secret yet: "
	    "twauth app reset-secret makes one)");
	printf("profile:       %s\n", app->profile == APP_PROFILE_OAUTH2 ?
	    "oauth2 (standard OAuth 2.0 / OpenID Connect)" : "twitch (exactly id.twitch.tv)");
	printf("created:       %s\n", when);
	for (size_t i = 0; i < app->n_redirect_uris; i++)
		printf("%s %s\n", i == 0 ? "redirect URIs:" : "              ",
		    app->redirect_uris[i]);
}

static int
app_create(struct idp *idp, const struct app_opts *o, const struct cli_args *a)
{
	struct idp_app_new nw = { 0 };
	enum app_profile profile;
	struct store_app app;
	char secret[TW_ID_LEN + 1];
	enum idp_err err;
	json_t *j;

	if (o->name == NULL) {
		cli_error("app create needs --name NAME");
		return cli_usage_hint("app");
	}
	if (a->n != 0) {
		cli_error("app create takes no arguments ('%s'); did you forget --redirect-uri?",
		    a->v[0]);
		return cli_usage_hint("app");
	}
	nw.name = o->name;
	nw.redirect_uris = o->uris.v;
	nw.n_redirect_uris = o->uris.n;
	profile = o->scope_string ? APP_PROFILE_OAUTH2 : (enum app_profile)o->profile;
	nw.flags = (o->is_public ? IDP_APP_PUBLIC : 0) |
	    (profile == APP_PROFILE_OAUTH2 ? IDP_APP_OAUTH2 : 0);
	nw.category = o->category;
	if (o->owner != NULL) {
		struct store_user u;

		if ((err = idp_user_get(idp, o->owner, &u)) != IDP_OK)
			return cli_idp_error(err);
		nw.owner_id = u.id;
		store_user_clear(&u);
	}
	if ((err = idp_app_create(idp, &nw, &app, secret)) != IDP_OK)
		return cli_idp_error(err);
	if (o->json) {
		j = app_json(idp, &app);
		json_object_del(j, "created_at");
		json_object_set_new(j, "client_secret",
		    app.is_public ? json_null() : json_string(secret));
		cli_print_json(j);
	} else {
		printf("Registered \"%s\".\n\n", app.name);
		print_app(idp, &app);
		if (!app.is_public)
			printf("client secret: %s\n\n"
			    "The secret is shown this once; store it now.  Lost it?\n"
			    "  twauth app reset-secret %s\n", secret, app.client_id);
	}
	OPENSSL_cleanse(secret, sizeof(secret));
	store_app_clear(&app);
	return EXIT_OK;
}

static int
app_list(struct idp *idp, struct store *st, const struct app_opts *o)
{
	struct store_app *apps;
	size_t n;

	if (store_app_list(st, &apps, &n) != STORE_OK)
		return cli_idp_error(IDP_ERR_UNAVAILABLE);
	if (o->json) {
		json_t *arr = json_array();

		for (size_t i = 0; i < n; i++)
			json_array_append_new(arr, app_json(idp, &apps[i]));
		cli_print_json(arr);
	} else if (n == 0) {
		printf("No apps yet.  Register one:\n"
		    "  twauth app create --name \"My Bot\" --redirect-uri http://localhost:3000\n");
	} else {
		printf("%-30s  %-12s  %s\n", "CLIENT ID", "TYPE", "NAME");
		for (size_t i = 0; i < n; i++)
			printf("%-30s  %-12s  %s\n", apps[i].client_id,
			    apps[i].is_public ? "public" : "confidential", apps[i].name);
	}
	store_app_list_free(apps, n);
	return EXIT_OK;
}

/* Prints the app as it is now, or the error; the exit status. */
static int
show_app(struct idp *idp, const char *client_id, int json)
{
	struct store_app app;
	enum idp_err err;

	if ((err = idp_app_get(idp, client_id, &app)) != IDP_OK)
		return cli_idp_error(err);
	if (json)
		cli_print_json(app_json(idp, &app));
	else
		print_app(idp, &app);
	store_app_clear(&app);
	return EXIT_OK;
}

/* reset-secret: a new secret, shown once. */
static int
app_reset_secret(struct idp *idp, const char *client_id, int json)
{
	char secret[TW_ID_LEN + 1];
	struct store_app app;
	enum idp_err err;
	int rc = EXIT_OK, had;

	/* Only to say whether a secret stopped working (a console app may have none). */
	if ((err = idp_app_get(idp, client_id, &app)) != IDP_OK)
		return cli_idp_error(err);
	had = app.has_secret;
	store_app_clear(&app);
	if ((err = idp_app_reset_secret(idp, client_id, secret)) != IDP_OK)
		rc = cli_idp_error(err);
	else if (json)
		cli_print_json(json_pack("{s:s, s:s}", "client_id", client_id, "client_secret",
		    secret));
	else
		printf("New client secret for %s:\n%s\n"
		    "%sThis one is shown this once.\n", client_id, secret,
		    had ? "The old secret no longer works.  " : "");
	OPENSSL_cleanse(secret, sizeof(secret));
	return rc;
}

static int
app_redirect(struct idp *idp, int add, const char *client_id, const char *uri, int json)
{
	enum idp_err err;

	err = add ? idp_app_redirect_add(idp, client_id, uri) :
	    idp_app_redirect_remove(idp, client_id, uri);
	if (err != IDP_OK)
		return cli_idp_error(err);
	if (!json)
		printf("%s %s.\n\n", add ? "Registered" : "Unregistered", uri);
	return show_app(idp, client_id, json);
}

static int
app_delete(struct idp *idp, const char *client_id, int json)
{
	enum idp_err err;

	if ((err = idp_app_delete(idp, client_id)) != IDP_OK)
		return cli_idp_error(err);
	if (json)
		cli_print_json(json_pack("{s:s, s:b}", "client_id", client_id, "deleted", 1));
	else
		printf("Deleted app %s; its tokens no longer validate.\n", client_id);
	return EXIT_OK;
}

/* The profile "profile ID P" or "scope-format ID array|string" asks for (checked). */
static enum app_profile
profile_wanted(enum app_sub sub, const char *word)
{
	enum app_profile p = APP_PROFILE_TWITCH;

	if (sub == APP_SCOPE_FORMAT)
		return strcmp(word, "string") == 0 ? APP_PROFILE_OAUTH2 : APP_PROFILE_TWITCH;
	if (app_profile_parse(word, &p) == -1)
		p = APP_PROFILE_TWITCH;
	return p;
}

static int
run(enum app_sub sub, struct idp *idp, struct store *st, const struct app_opts *o,
    const struct cli_args *a)
{
	enum idp_err err;

	switch (sub) {
	case APP_CREATE:
		return app_create(idp, o, a);
	case APP_LIST:
		return app_list(idp, st, o);
	case APP_SHOW:
		return show_app(idp, a->v[0], o->json);
	case APP_RESET_SECRET:
		return app_reset_secret(idp, a->v[0], o->json);
	case APP_REDIRECT_ADD:
	case APP_REDIRECT_REMOVE:
		return app_redirect(idp, sub == APP_REDIRECT_ADD, a->v[0], a->v[1], o->json);
	case APP_DELETE:
		return app_delete(idp, a->v[0], o->json);
	case APP_PROFILE:
	case APP_SCOPE_FORMAT:
		err = idp_app_set_profile(idp, a->v[0], profile_wanted(sub, a->v[1]));
		return err == IDP_OK ? show_app(idp, a->v[0], o->json) : cli_idp_error(err);
	case APP_OWNER:
		err = idp_app_set_owner(idp, a->v[0], a->v[1]);
		return err == IDP_OK ? show_app(idp, a->v[0], o->json) : cli_idp_error(err);
	case APP_AUDIT:
		return app_audit(idp, a->v[0], &o->audit, o->json);
	}
	return EXIT_FAIL;
}

static int
app_run(const struct cli_cmd *c, void *opts, const struct cli_args *a)
{
	const struct cli_sub *sub = &c->subs[a->sub];
	struct store *st = NULL;
	struct idp *idp = NULL;
	int rc;

	if (sub->n_args != -1 && a->n != sub->n_args) {
		cli_error("expected %s", sub->args);
		return cli_usage_hint("app");
	}
	if (a->sub == APP_SCOPE_FORMAT && strcmp(a->v[1], "array") != 0 &&
	    strcmp(a->v[1], "string") != 0) {
		cli_error("scope format is 'array' or 'string', not '%s'", a->v[1]);
		return cli_usage_hint("app");
	}
	if (a->sub == APP_PROFILE && app_profile_parse(a->v[1], &(enum app_profile){ 0 }) == -1) {
		cli_error("a profile is 'twitch' or 'oauth2', not '%s'", a->v[1]);
		return cli_usage_hint("app");
	}
	if (cli_open(cli_db_path(((struct app_opts *)opts)->db), NULL, 0, &st, &idp) == -1)
		return EXIT_FAIL;
	rc = run((enum app_sub)a->sub, idp, st, opts, a);
	cli_close(st, idp);
	return rc;
}
