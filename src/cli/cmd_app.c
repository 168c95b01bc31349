/*
 * twauth app: the developer console as a command line.  Works on the
 * database directly, so a running server sees every change at once.
 * Secrets are printed exactly once, on stdout, and never logged.
 */
#include <getopt.h>
#include <jansson.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/xmalloc.h"
#include "cli.h"

static void
usage(FILE *f)
{
	fputs("Usage: twauth app <subcommand> [options]\n"
	    "\n"
	    "Register apps and manage their credentials, as on dev.twitch.tv.\n"
	    "\n"
	    "Subcommands:\n"
	    "  create --name NAME --redirect-uri URI [--redirect-uri URI ...] [--public]\n"
	    "         [--category NAME] [--owner LOGIN]\n"
	    "         registers an app and prints its client id and (for confidential\n"
	    "         apps) its client secret, shown this once only\n"
	    "  list                      every app\n"
	    "  show CLIENT_ID            one app\n"
	    "  reset-secret CLIENT_ID    prints a new secret; the old one stops working now\n"
	    "  redirect add CLIENT_ID URI      registers another redirect URI (at most "
	    TW_STR(TW_MAX_REDIRECT_URIS) ")\n"
	    "  redirect remove CLIENT_ID URI   unregisters one (an app keeps at least one)\n"
	    "  delete CLIENT_ID          deletes the app; its tokens stop validating now\n"
	    "  scope-format CLIENT_ID array|string   how token responses spell scope\n"
	    "\n"
	    "Options:\n"
	    "  --json        machine-readable output\n"
	    "  --public      (create) a public client: no secret\n"
	    "  --category NAME  (create) one of: Analytics Tool, Application Integration,\n"
	    "                Broadcaster Suite, Chat Bot, Extension Backend Service, Game\n"
	    "                Integration, Identity Provider, Other (the default), Website\n"
	    "                Integration\n"
	    "  --owner LOGIN (create) the user the app belongs to: they manage it in the\n"
	    "                browser at /console\n"
	    "  --scope-string  (create) token responses say \"scope\":\"a b\" as RFC 6749\n"
	    "                wants, for generic OAuth/OIDC libraries (openid-client,\n"
	    "                Cognito, logto) that reject Twitch's array \"scope\":[\"a\",\"b\"]\n"
	    "  --db PATH     database: a file, or a postgres:// URI (default $TWAUTH_DB,\n"
	    "                else " CLI_DEFAULT_DB ")\n"
	    "  -h, --help    this help\n"
	    "\n"
	    "A redirect URI is where the user's browser is sent after signing in; it\n"
	    "must be an absolute http:// or https:// URL and is matched exactly.\n"
	    "Bad input exits with status 2 and changes nothing.\n"
	    "\n"
	    "Examples:\n"
	    "  twauth app create --name \"My Bot\" --redirect-uri http://localhost:3000\n"
	    "  twauth app create --name CLI --redirect-uri http://localhost:3000 --public --json\n"
	    "  twauth app create --name Bot --redirect-uri http://localhost:3000 \\\n"
	    "      --category \"Chat Bot\" --owner alice\n"
	    "  twauth app redirect add abcdefghijklmnopqrstuvwxyz0123 https://bot.example/cb\n"
	    "  twauth app reset-secret abcdefghijklmnopqrstuvwxyz0123\n", f);
}

struct app_opts {
	const char	 *db;
	const char	 *name;
	const char	 *category;
	const char	 *owner;
	char		**uris;
	size_t		  n_uris;
	int		  is_public;
	int		  scope_string;
	int		  json;
	char		**args;		/* positional arguments after the subcommand */
	int		  n_args;
};

/* Parses options for one subcommand.  Returns 0, 1 for --help, or -1. */
static int
parse_opts(int argc, char **argv, int allow_create, struct app_opts *o)
{
	enum { O_DB = 256, O_NAME, O_URI, O_PUBLIC, O_SCOPE_STRING, O_JSON, O_CATEGORY, O_OWNER };
	static const struct option opts[] = {
		{ "db", required_argument, NULL, O_DB },
		{ "name", required_argument, NULL, O_NAME },
		{ "redirect-uri", required_argument, NULL, O_URI },
		{ "public", no_argument, NULL, O_PUBLIC },
		{ "scope-string", no_argument, NULL, O_SCOPE_STRING },
		{ "category", required_argument, NULL, O_CATEGORY },
		{ "owner", required_argument, NULL, O_OWNER },
		{ "json", no_argument, NULL, O_JSON },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	optind = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case O_DB:
			o->db = optarg;
			break;
		case O_JSON:
			o->json = 1;
			break;
		case 'h':
			return 1;
		case O_NAME:
		case O_URI:
		case O_PUBLIC:
		case O_SCOPE_STRING:
		case O_CATEGORY:
		case O_OWNER:
			if (!allow_create) {
				cli_error("%s is only for 'twauth app create'", argv[optind - 1]);
				return -1;
			}
			if (c == O_NAME)
				o->name = optarg;
			else if (c == O_CATEGORY)
				o->category = optarg;
			else if (c == O_OWNER)
				o->owner = optarg;
			else if (c == O_PUBLIC)
				o->is_public = 1;
			else if (c == O_SCOPE_STRING)
				o->scope_string = 1;
			else {
				o->uris = xrealloc(o->uris, (o->n_uris + 1) * sizeof(char *));
				o->uris[o->n_uris++] = optarg;
			}
			break;
		default:
			return -1;
		}
	}
	o->args = argv + optind;
	o->n_args = argc - optind;
	return 0;
}

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
	return json_pack("{s:s, s:s, s:o, s:s, s:s, s:s, s:o, s:I}", "client_id",
	    app->client_id, "name", app->name, "redirect_uris", uris,
	    "type", app->is_public ? "public" : "confidential",
	    "scope_format", app->scope_string ? "string" : "array",
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
	    "confidential");
	printf("scope format:  %s\n", app->scope_string ? "string (RFC 6749)" :
	    "array (Twitch)");
	printf("created:       %s\n", when);
	for (size_t i = 0; i < app->n_redirect_uris; i++)
		printf("%s %s\n", i == 0 ? "redirect URIs:" : "              ",
		    app->redirect_uris[i]);
}

static int
app_create(struct idp *idp, struct app_opts *o)
{
	struct idp_app_new nw = { 0 };
	struct store_app app;
	char secret[TW_ID_LEN + 1];
	enum idp_err err;
	json_t *j;

	if (o->name == NULL) {
		cli_error("app create needs --name NAME");
		return cli_usage_hint("app");
	}
	if (o->n_args != 0) {
		cli_error("app create takes no arguments ('%s'); did you forget --redirect-uri?",
		    o->args[0]);
		return cli_usage_hint("app");
	}
	nw.name = o->name;
	nw.redirect_uris = o->uris;
	nw.n_redirect_uris = o->n_uris;
	nw.flags = (o->is_public ? IDP_APP_PUBLIC : 0) |
	    (o->scope_string ? IDP_APP_SCOPE_STRING : 0);
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
app_list(struct idp *idp, struct store *st, struct app_opts *o)
{
	struct store_app *apps;
	size_t n;

	if (o->n_args != 0) {
		cli_error("app list takes no arguments");
		return cli_usage_hint("app");
	}
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

static int
want_args(struct app_opts *o, int n, const char *what)
{
	if (o->n_args == n)
		return 0;
	cli_error("expected %s", what);
	return -1;
}

int
cmd_app(int argc, char **argv)
{
	struct app_opts o;
	struct store *st = NULL;
	struct idp *idp = NULL;
	char secret[TW_ID_LEN + 1];
	const char *sub;
	enum idp_err err;
	int rc, redirect_add = 0;

	memset(&o, 0, sizeof(o));
	if (argc < 2 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? EXIT_USAGE : EXIT_OK;
	}
	sub = argv[1];
	if (strcmp(sub, "redirect") == 0) {
		if (argc < 3 || (strcmp(argv[2], "add") != 0 && strcmp(argv[2], "remove") != 0)) {
			cli_error("app redirect wants 'add' or 'remove'");
			return cli_usage_hint("app");
		}
		redirect_add = strcmp(argv[2], "add") == 0;
		argc--;
		argv++;
	} else if (strcmp(sub, "create") != 0 && strcmp(sub, "list") != 0 &&
	    strcmp(sub, "show") != 0 && strcmp(sub, "reset-secret") != 0 &&
	    strcmp(sub, "delete") != 0 && strcmp(sub, "scope-format") != 0) {
		cli_error("unknown app subcommand '%s'", sub);
		return cli_usage_hint("app");
	}
	rc = parse_opts(argc - 1, argv + 1, strcmp(sub, "create") == 0, &o);
	if (rc != 0) {
		free(o.uris);
		if (rc == 1) {
			usage(stdout);
			return EXIT_OK;
		}
		return cli_usage_hint("app");
	}
	/* Check the shape of the command before touching the database. */
	if ((strcmp(sub, "show") == 0 || strcmp(sub, "reset-secret") == 0 ||
	    strcmp(sub, "delete") == 0) && want_args(&o, 1, "one CLIENT_ID") == -1) {
		free(o.uris);
		return cli_usage_hint("app");
	}
	if (strcmp(sub, "redirect") == 0 && want_args(&o, 2, "CLIENT_ID URI") == -1) {
		free(o.uris);
		return cli_usage_hint("app");
	}
	if (strcmp(sub, "scope-format") == 0 && (want_args(&o, 2, "CLIENT_ID array|string") ==
	    -1 || (strcmp(o.args[1], "array") != 0 && strcmp(o.args[1], "string") != 0))) {
		if (o.n_args == 2)
			cli_error("scope format is 'array' or 'string', not '%s'", o.args[1]);
		free(o.uris);
		return cli_usage_hint("app");
	}
	if (cli_open(cli_db_path(o.db), NULL, 0, &st, &idp) == -1) {
		free(o.uris);
		return EXIT_FAIL;
	}
	rc = EXIT_OK;
	if (strcmp(sub, "create") == 0)
		rc = app_create(idp, &o);
	else if (strcmp(sub, "list") == 0)
		rc = app_list(idp, st, &o);
	else if (strcmp(sub, "show") == 0)
		rc = show_app(idp, o.args[0], o.json);
	else if (strcmp(sub, "reset-secret") == 0) {
		if ((err = idp_app_reset_secret(idp, o.args[0], secret)) != IDP_OK)
			rc = cli_idp_error(err);
		else if (o.json)
			cli_print_json(json_pack("{s:s, s:s}", "client_id", o.args[0],
			    "client_secret", secret));
		else
			printf("New client secret for %s:\n%s\n"
			    "The old secret no longer works.  This one is shown this once.\n",
			    o.args[0], secret);
		OPENSSL_cleanse(secret, sizeof(secret));
	} else if (strcmp(sub, "redirect") == 0) {
		err = redirect_add ? idp_app_redirect_add(idp, o.args[0], o.args[1]) :
		    idp_app_redirect_remove(idp, o.args[0], o.args[1]);
		if (err != IDP_OK)
			rc = cli_idp_error(err);
		else if (!o.json)
			printf("%s %s.\n\n", redirect_add ? "Registered" : "Unregistered",
			    o.args[1]);
		if (err == IDP_OK)
			rc = show_app(idp, o.args[0], o.json);
	} else if (strcmp(sub, "scope-format") == 0) {
		err = idp_app_set_scope_string(idp, o.args[0], strcmp(o.args[1], "string") == 0);
		rc = err == IDP_OK ? show_app(idp, o.args[0], o.json) : cli_idp_error(err);
	} else if (strcmp(sub, "delete") == 0) {
		if ((err = idp_app_delete(idp, o.args[0])) != IDP_OK)
			rc = cli_idp_error(err);
		else if (o.json)
			cli_print_json(json_pack("{s:s, s:b}", "client_id", o.args[0], "deleted", 1));
		else
			printf("Deleted app %s; its tokens no longer validate.\n", o.args[0]);
	}
	cli_close(st, idp);
	free(o.uris);
	return rc;
}
