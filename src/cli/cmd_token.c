/*
 * twauth token: gets a token in any of Twitch's flows from any compatible
 * issuer (src/client/flow.h), saves it, and prints it; --get prints a
 * stored one, fresh; list, what is stored.  Here: the options, what the
 * user is told while a flow waits, and what is printed at the end.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../client/browser.h"
#include "../client/flow.h"
#include "../common/clock.h"
#include "cli.h"
#include "client.h"

#define DEFAULT_WAIT		300	/* seconds for the browser to come back */
#define TOKEN_MAX_SCOPE_ARGS	32	/* --scopes given this often at most */

enum output { OUT_TOKEN, OUT_JSON, OUT_ENV };

struct token_args {
	struct client_opts	 co;
	int			 flow;		/* enum flow_kind */
	int			 output;	/* enum output */
	struct opt_list		 scopes;	/* each space-separated; all asked for */
	const char		*redirect_uri;
	int			 openid;
	int			 no_browser;
	int			 force_verify;
	int			 get;
	int			 no_save;
	int			 no_check;
	unsigned		 timeout;
	int			 help;
};

/* What the user sees while a flow waits for them (struct flow_ui). */
struct waiting {
	const struct token_args	*a;
	const char		*scopes;	/* asked for */
	int			 tty;		/* stderr is a terminal */
	int64_t			 waited;	/* seconds the device flow polled */
	int			 counted;	/* a countdown is on the last line */
};

static void
open_browser(const char *url)
{
	char err[256];

	if (browser_open(url, err, sizeof(err)) == -1)
		cli_error("%s", err);
}

static void
on_sign_in(void *ctx, const char *url, const char *redirect_uri)
{
	const struct waiting *w = ctx;

	fprintf(stderr, "%s this URL to sign in and approve:\n  %s\n"
	    "Waiting for the browser to come back to %s (Ctrl-C cancels).\n"
	    "If the browser says it cannot connect, or lands on another address, that\n"
	    "URI is not registered with the app: register it exactly (Twitch console:\n"
	    "OAuth Redirect URLs), or pass --redirect-uri with one that is.\n",
	    w->a->no_browser ? "Open" : "Opening your browser at", url, redirect_uri);
	fflush(stderr);
	if (!w->a->no_browser)
		open_browser(url);
}

/* A countdown on a terminal; elsewhere the time left would only fill a log. */
static void
on_waiting(void *ctx, int left)
{
	struct waiting *w = ctx;
	char text[32];

	if (!w->tty)
		return;
	client_duration(left, text, sizeof(text));
	fprintf(stderr, "\r  %s left ", text);
	fflush(stderr);
	w->counted = 1;
}

static void
on_device_code(void *ctx, const char *uri, const char *user_code, int64_t expires_in)
{
	const struct waiting *w = ctx;
	char left[32];

	client_duration(expires_in, left, sizeof(left));
	fprintf(stderr, "On any device, open\n  %s\nand check that it shows the code\n"
	    "  %s\n(it expires in %s).\n", uri, user_code, left);
	fflush(stderr);
	/* Only a browser asked for by name: the user may well be elsewhere. */
	if (!w->a->no_browser && getenv("BROWSER") != NULL)
		open_browser(uri);
}

static void
on_polled(void *ctx, enum oauth_rc rc, int64_t waited, int64_t interval)
{
	struct waiting *w = ctx;

	w->waited = waited;
	if (rc == OAUTH_PENDING && w->tty)
		fprintf(stderr, "\rWaiting for approval... %llds ", (long long)waited);
	else if (rc == OAUTH_SLOW_DOWN)
		fprintf(stderr, "%sThe issuer asked us to slow down: polling every %llds.\n",
		    w->tty ? "\n" : "", (long long)interval);
}

/* A new login that gives up scopes the old token had: the command that keeps them. */
static void
on_gave_up(void *ctx, const char *login, const char *scopes)
{
	const struct waiting *w = ctx;
	const char *flow = w->a->flow == FLOW_DEVICE ? "--device" :
	    w->a->flow == FLOW_IMPLICIT ? "--implicit" : "--user";

	fprintf(stderr, "twauth: note: the stored token of %s also had %s, which the new one "
	    "lacks and replaces.\n  To keep them, ask for them too: twauth token %s --scopes "
	    "'%s%s%s'\n", login, scopes, flow, w->scopes, w->scopes[0] ? " " : "", scopes);
}

/* Runs the flow a asks for with o's app into *rec.  0 or an exit status. */
static int
get_token(const struct client_opts *o, const struct token_args *a, const char *scopes,
    struct tok_record *rec, json_t **claims)
{
	struct waiting w = { a, scopes, isatty(2), 0, 0 };
	struct flow_ui ui = { on_sign_in, on_waiting, on_device_code, on_polled, on_gave_up, &w };
	struct flow f = {
		.kind = a->flow, .issuer = o->issuer, .client_id = o->client_id,
		.client_secret = o->client_secret, .scopes = scopes,
		.redirect_uri = a->redirect_uri, .openid = a->openid,
		.force_verify = a->force_verify, .timeout = a->timeout, .save = !a->no_save,
		.check = !a->no_check,
	};
	struct cerr e;
	int rc = flow_run(&f, &ui, rec, claims, &e);

	/* Off the countdown or "Waiting for approval" line before anything else is said. */
	if (w.tty && (w.waited > 0 || w.counted))
		fputc('\n', stderr);
	return rc == 0 ? 0 : client_report(&e);
}

static int token_run(const struct cli_cmd *c, void *opts, const struct cli_args *a);
static int token_list_run(const struct cli_cmd *c, void *opts, const struct cli_args *a);

#define TOKEN(how, ...)	OPT_AS_##how(struct token_args, __VA_ARGS__)

static const struct opt token_options[] = {
	{ "user", TOKEN(VAL, flow, FLOW_CODE), .items = "flow", .short_name = 'u',
	    .help = "a user access token (authorization code flow): opens the browser at the "
	    "issuer's sign-in page and catches the redirect on --redirect-uri" },
	{ "implicit", TOKEN(VAL, flow, FLOW_IMPLICIT), .items = "flow",
	    .help = "a user token without the secret (implicit flow; no refresh token, so it "
	    "cannot be kept fresh)" },
	{ "device", TOKEN(VAL, flow, FLOW_DEVICE), .items = "flow",
	    .help = "a user token on a device without a browser (device code flow): shows a "
	    "code to enter at a URL on any device; public apps use this one" },
	{ "scopes", TOKEN(ARGS, scopes), .short_name = 's', .arg = "\"A B\"",
	    .max = TOKEN_MAX_SCOPE_ARGS, .items = "scope lists",
	    .help = "scopes to ask for, space-separated (also --scope); given again, both "
	    "lists are asked for; checked against Twitch's catalog first" },
	{ "scope", TOKEN(ARGS, scopes), .arg = "\"A B\"", .max = TOKEN_MAX_SCOPE_ARGS,
	    .flags = OPT_HIDDEN },
	{ "openid", TOKEN(ON, openid),
	    .help = "also ask for openid and verify the id_token (signature via the issuer's "
	    "JWKS, iss, aud, exp, nonce) before printing its claims" },
	{ "redirect-uri", TOKEN(STR, redirect_uri), .arg = "URI",
	    .unset = "the profile's, else " PROFILE_DEFAULT_REDIRECT,
	    .help = "where to catch the browser; loopback only" },
	{ "no-browser", TOKEN(ON, no_browser),
	    .help = "print the URL instead of opening a browser ($BROWSER, else xdg-open or "
	    "open)" },
	{ "force-verify", TOKEN(ON, force_verify),
	    .help = "make the issuer ask the user again" },
	{ "no-check", TOKEN(ON, no_check),
	    .help = "open the browser without first checking the sign-in request with the "
	    "issuer (an unknown client, an unregistered redirect URI) and, for --user, the "
	    "client id and secret (an app token, revoked at once)" },
	{ "timeout", TOKEN(UINT, timeout), .arg = "SECONDS", .min = 1, .max = 86400,
	    .unit = "seconds", .help = "how long to wait for the browser" },
	{ "get", TOKEN(ON, get),
	    .help = "print a stored token, refreshing it first when it expires within 60 s, "
	    "validating user tokens unchecked for an hour; which one is said below (with "
	    "--user, only user tokens)" },
	{ "json", TOKEN(VAL, output, OUT_JSON),
	    .help = "print the whole record (tokens, scopes, expiry)" },
	{ "env", TOKEN(VAL, output, OUT_ENV),
	    .help = "print export TWITCH_TOKEN=... TWITCH_CLIENT_ID=..." },
	{ "no-save", TOKEN(ON, no_save), .help = "do not keep the new token" },
	CLIENT_ROWS(struct token_args, co),
	CLI_ROW_HELP(struct token_args, help),
	{ .name = NULL }
};

/* twauth token list [--json]. */
static const struct opt token_list_options[] = {
	{ "json", TOKEN(VAL, output, OUT_JSON), .help = "every record, as JSON" },
	CLI_ROW_HELP(struct token_args, help),
	{ .name = NULL }
};

static const struct token_args token_defaults = { .timeout = DEFAULT_WAIT };

#define TOKEN_HEAD \
	"Usage: twauth token [--user | --implicit | --device] [options]\n" \
	"       twauth token --get [--login NAME | --app] [--json | --env]\n" \
	"       twauth token list [--json]\n" \
	"\n" \
	"Gets a Twitch access token, saves it, and prints it on stdout (what it\n" \
	"is, whose, and for how long go to stderr).  The issuer is Twitch\n" \
	"(https://id.twitch.tv) unless --issuer names another, such as a local\n" \
	"'twauth serve'.  Without --user, --implicit or --device, an app access\n" \
	"token (client credentials): it needs the client secret and acts as the\n" \
	"app, no user.\n" \
	"\n" \
	"What is redirect_uri?  Where the issuer sends the browser after the user\n" \
	"approves.  twauth listens there itself, so register exactly this URI\n" \
	"with your app (Twitch console: \"OAuth Redirect URLs\"):\n" \
	"  " PROFILE_DEFAULT_REDIRECT "\n" \
	"\n" \
	"Options:\n"
#define TOKEN_TAIL \
	"\n" \
	CLIENT_WHICH_TOKEN \
	"--get takes an app token.\n" \
	"\n" \
	CLIENT_ROWS_NOTE \
	"\n" \
	"Tokens are kept in $XDG_CONFIG_HOME/twauth/tokens.json (else\n" \
	"~/.config/twauth; the file 0600, the directory 0700), one per issuer, app\n" \
	"and account.\n" \
	"\n" \
	"Exit status: 0 token printed; 1 the issuer or the user said no;\n" \
	"2 usage or network error.\n" \
	"\n" \
	"Examples:\n" \
	"  export TWITCH_CLIENT_ID=... TWITCH_CLIENT_SECRET=...\n" \
	"  twauth token                                  # app token\n" \
	"  twauth token --user --scopes \"chat:read chat:edit\"\n" \
	"  twauth token --device --scopes user:read:email\n" \
	"  twauth token --user --openid --issuer http://localhost:8080\n" \
	"  TOKEN=$(twauth token --get --login mybot)\n" \
	"  eval \"$(twauth token --get --env)\"\n"

static const struct cli_cmd token_cmd = {
	.name = "token", .rows = token_options,
	.size = sizeof(struct token_args), .defaults = &token_defaults, .run = token_run,
	.head = TOKEN_HEAD, .tail = TOKEN_TAIL,
};

static const struct cli_cmd token_list_cmd = {
	.name = "token", .subs = (const struct cli_sub[]){ { "list", 0, NULL }, { NULL } },
	.rows = token_list_options, .size = sizeof(struct token_args), .run = token_list_run,
	.head = "Usage: twauth token list [--json]\n"
	    "\n"
	    "Lists the stored tokens: issuer, client id, login (or app), how long each\n"
	    "is good for, and its scopes.  'twauth token --help' says how to get one.\n"
	    "\n"
	    "Options:\n",
	.tail = "",
};

static void
print_summary(const struct tok_record *rec, int saved)
{
	char left[32];

	client_duration(rec->expires_at - clock_now(), left, sizeof(left));
	if (rec->login[0])
		fprintf(stderr, "twauth: user token of %s (user id %s) for client %s at %s\n"
		    "  scopes: %s\n  expires in %s%s\n", rec->login, rec->user_id,
		    rec->client_id, rec->issuer, rec->scopes[0] ? rec->scopes : "(none)", left,
		    rec->refresh_token[0] ? "; kept fresh with its refresh token" : "");
	else
		fprintf(stderr, "twauth: app token for client %s at %s, expires in %s\n",
		    rec->client_id, rec->issuer, left);
	if (saved)
		fprintf(stderr, "  saved; 'twauth token --get%s%s' prints it again\n",
		    rec->login[0] ? " --login " : "", rec->login);
}

static int
print_token(const struct tok_record *rec, enum output out, json_t *claims)
{
	json_t *j;

	switch (out) {
	case OUT_JSON:
		j = tok_record_json(rec, 1);
		if (claims != NULL)
			json_object_set(j, "id_token_claims", claims);
		cli_print_json(j);
		break;
	case OUT_ENV:
		printf("export TWITCH_TOKEN='%s'\nexport TWITCH_CLIENT_ID='%s'\n",
		    rec->access_token, rec->client_id);
		break;
	default:
		printf("%s\n", rec->access_token);
		break;
	}
	return fflush(stdout) == 0 ? EXIT_OK : CLIENT_EXIT_ERROR;
}

static int
token_list_run(const struct cli_cmd *c, void *opts, const struct cli_args *a)
{
	int json = ((const struct token_args *)opts)->output == OUT_JSON;
	struct tokstore ts;
	struct tok_record r;
	char err[512], left[32];
	json_t *arr = json_array();

	(void)c;
	if (a->n > 0) {
		cli_error("token list takes no arguments ('%s')", a->v[0]);
		json_decref(arr);
		return cli_usage_hint("token");
	}
	if (tokstore_open(&ts, err, sizeof(err)) == -1) {
		cli_error("%s", err);
		json_decref(arr);
		return CLIENT_EXIT_ERROR;
	}
	if (!json && tokstore_len(&ts) == 0)
		printf("No tokens stored yet: 'twauth token --help' shows how to get one.\n");
	else if (!json)
		printf("%-24s  %-30s  %-16s  %-10s  %s\n", "ISSUER", "CLIENT ID", "LOGIN",
		    "EXPIRES", "SCOPES");
	for (size_t i = 0; i < tokstore_len(&ts); i++) {
		tokstore_at(&ts, i, &r);
		if (json)
			json_array_append_new(arr, tok_record_json(&r, 0));
		else {
			client_duration(r.expires_at - clock_now(), left, sizeof(left));
			printf("%-24s  %-30s  %-16s  %-10s  %s\n", r.issuer, r.client_id,
			    r.login[0] ? r.login : "(app)", left, r.scopes);
		}
		tok_record_clear(&r);
	}
	tokstore_close(&ts);
	if (json)
		cli_print_json(arr);
	else
		json_decref(arr);
	return EXIT_OK;
}

static int
token_run(const struct cli_cmd *c, void *opts, const struct cli_args *args)
{
	struct token_args *a = opts;
	struct client_opts *o = &a->co;
	struct tok_record rec = { 0 };
	json_t *claims = NULL;
	char *scopes = NULL;
	int ret;

	(void)c;
	if (args->n > 0) {
		cli_error("unexpected argument '%s'", args->v[0]);
		return cli_usage_hint("token");
	}
	if (a->openid && (a->flow == FLOW_APP || a->flow == FLOW_DEVICE)) {
		cli_error("--openid needs --user or --implicit: id_tokens come from the "
		    "browser flows");
		return cli_usage_hint("token");
	}
	if ((ret = client_opts_resolve(o)) != 0)
		goto out;
	if (a->redirect_uri == NULL)
		a->redirect_uri = o->redirect_uri;
	if (a->get) {
		ret = client_stored_token(o, a->flow != FLOW_APP ? PICK_USER : PICK_APP_FIRST,
		    FRESH_AUTO, &rec);
		if (ret == 0)
			ret = print_token(&rec, a->output, NULL);
		goto out;
	}
	if (o->client_id == NULL) {
		cli_error("no client id: pass --client-id, set $TWITCH_CLIENT_ID or run "
		    "'twauth configure'");
		ret = CLIENT_EXIT_ERROR;
		goto out;
	}
	scopes = flow_scopes(a->scopes.v, a->scopes.n, a->openid);
	if ((ret = client_check_scopes(scopes)) != 0 ||
	    (ret = get_token(o, a, scopes, &rec, &claims)) != 0)
		goto out;
	if (claims != NULL) {
		char *text = json_dumps(claims, JSON_INDENT(2) | JSON_SORT_KEYS);

		fprintf(stderr, "id_token verified; its claims:\n%s\n", text);
		free(text);
	}
	print_summary(&rec, !a->no_save);
	ret = print_token(&rec, a->output, claims);
out:
	json_decref(claims);
	free(scopes);
	tok_record_clear(&rec);
	client_opts_free(o);
	return ret;
}

int
cmd_token(int argc, char **argv)
{
	/* 'list' is chosen by its word here, not by a subcommand table: offered here too. */
	if (argc == 1 && opt_completing() != NULL)
		opt_offer("list", 4);
	return cli_run(argc >= 2 && strcmp(argv[1], "list") == 0 ? &token_list_cmd :
	    &token_cmd, argc, argv);
}
