/*
 * twauth token: gets a token in any of Twitch's flows from any compatible
 * issuer (src/client/flow.h), saves it, and prints it; --get prints a
 * stored one, fresh; list, what is stored.  Here: the options, what the
 * user is told while a flow waits, and what is printed at the end.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../client/browser.h"
#include "../client/flow.h"
#include "../common/clock.h"
#include "../common/num.h"
#include "cli.h"
#include "client.h"

#define DEFAULT_WAIT		300	/* seconds for the browser to come back */

enum output { OUT_TOKEN, OUT_JSON, OUT_ENV };

struct token_args {
	enum flow_kind	 flow;
	enum output	 output;
	const char	*scopes;
	const char	*redirect_uri;
	int		 openid;
	int		 no_browser;
	int		 force_verify;
	int		 get;
	int		 no_save;
	int		 timeout;
};

/* What the user sees while a flow waits for them (struct flow_ui). */
struct waiting {
	const struct token_args	*a;
	int			 tty;		/* stderr is a terminal */
	int64_t			 waited;	/* seconds the device flow polled */
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
	    "Waiting for the browser to come back to %s ...\n",
	    w->a->no_browser ? "Open" : "Opening your browser at", url, redirect_uri);
	fflush(stderr);
	if (!w->a->no_browser)
		open_browser(url);
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

/* Runs the flow a asks for with o's app into *rec.  0 or an exit status. */
static int
get_token(const struct client_opts *o, const struct token_args *a, const char *scopes,
    struct tok_record *rec, json_t **claims)
{
	struct waiting w = { a, isatty(2), 0 };
	struct flow_ui ui = { on_sign_in, on_device_code, on_polled, &w };
	struct flow f = {
		.kind = a->flow, .issuer = o->issuer, .client_id = o->client_id,
		.client_secret = o->client_secret, .scopes = scopes,
		.redirect_uri = a->redirect_uri, .openid = a->openid,
		.force_verify = a->force_verify, .timeout = a->timeout, .save = !a->no_save,
	};
	struct cerr e;
	int rc = flow_run(&f, &ui, rec, claims, &e);

	/* Off the "Waiting for approval" line before anything else is said. */
	if (w.tty && w.waited > 0)
		fputc('\n', stderr);
	return rc == 0 ? 0 : client_report(&e);
}

static void
usage(FILE *f)
{
	fputs("Usage: twauth token [--user | --implicit | --device] [options]\n"
	    "       twauth token --get [--login NAME | --app] [--json | --env]\n"
	    "       twauth token list [--json]\n"
	    "\n"
	    "Gets a Twitch access token, saves it, and prints it on stdout (what it\n"
	    "is, whose, and for how long go to stderr).  The issuer is Twitch\n"
	    "(https://id.twitch.tv) unless --issuer names another, such as a local\n"
	    "'twauth serve'.\n"
	    "\n"
	    "Flows:\n"
	    "  (none)              an app access token (client credentials): needs\n"
	    "                      the client secret, acts as the app, no user\n"
	    "  --user              a user access token (authorization code flow):\n"
	    "                      opens the browser at the issuer's sign-in page and\n"
	    "                      catches the redirect on --redirect-uri\n"
	    "  --implicit          a user token without the secret (implicit flow;\n"
	    "                      no refresh token, so it cannot be kept fresh)\n"
	    "  --device            a user token on a device without a browser (device\n"
	    "                      code flow): shows a code to enter at a URL on any\n"
	    "                      device; public apps use this one\n"
	    "\n"
	    "What is redirect_uri?  Where the issuer sends the browser after the user\n"
	    "approves.  twauth listens there itself, so register exactly this URI\n"
	    "with your app (Twitch console: \"OAuth Redirect URLs\"):\n"
	    "  " PROFILE_DEFAULT_REDIRECT "\n"
	    "\n"
	    "Options:\n"
	    "  --scopes \"A B\"        scopes to ask for, space-separated (also\n"
	    "                        --scope); checked against Twitch's catalog first\n"
	    "  --openid              also ask for openid and verify the id_token\n"
	    "                        (signature via the issuer's JWKS, iss, aud, exp,\n"
	    "                        nonce) before printing its claims\n"
	    "  --redirect-uri URI    where to catch the browser (default the profile's,\n"
	    "                        else " PROFILE_DEFAULT_REDIRECT "); loopback only\n"
	    "  --no-browser          print the URL instead of opening a browser\n"
	    "                        ($BROWSER, else xdg-open or open)\n"
	    "  --force-verify        make the issuer ask the user again\n"
	    "  --timeout SECONDS     how long to wait for the browser (default 300)\n"
	    "  --get                 print a stored token, refreshing it first when it\n"
	    "                        expires within 60 s, validating user tokens\n"
	    "                        unchecked for an hour; without --user or --login,\n"
	    "                        the app token (made if missing)\n"
	    "  --json                print the whole record (tokens, scopes, expiry)\n"
	    "  --env                 print export TWITCH_TOKEN=... TWITCH_CLIENT_ID=...\n"
	    "  --no-save             do not keep the new token\n"
	    CLIENT_OPTIONS_HELP
	    "  -h, --help            this help\n"
	    "\n"
	    "Tokens are kept in $XDG_CONFIG_HOME/twauth/tokens.json (else\n"
	    "~/.config/twauth; the file 0600, the directory 0700), one per issuer, app\n"
	    "and account.\n"
	    "\n"
	    "Exit status: 0 token printed; 1 the issuer or the user said no;\n"
	    "2 usage or network error.\n"
	    "\n"
	    "Examples:\n"
	    "  export TWITCH_CLIENT_ID=... TWITCH_CLIENT_SECRET=...\n"
	    "  twauth token                                  # app token\n"
	    "  twauth token --user --scopes \"chat:read chat:edit\"\n"
	    "  twauth token --device --scopes user:read:email\n"
	    "  twauth token --user --openid --issuer http://localhost:8080\n"
	    "  TOKEN=$(twauth token --get --login mybot)\n"
	    "  eval \"$(twauth token --get --env)\"\n", f);
}

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
token_list(int json)
{
	struct tokstore ts;
	struct tok_record r;
	char err[512], left[32];
	json_t *arr = json_array();

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

int
cmd_token(int argc, char **argv)
{
	enum { O_USER = CO__NEXT, O_IMPLICIT, O_DEVICE, O_SCOPES, O_OPENID, O_REDIRECT,
	    O_NO_BROWSER, O_FORCE_VERIFY, O_TIMEOUT, O_GET, O_JSON, O_ENV, O_NO_SAVE };
	static const struct option opts[] = {
		CLIENT_LONG_OPTIONS,
		{ "user", no_argument, NULL, O_USER },
		{ "implicit", no_argument, NULL, O_IMPLICIT },
		{ "device", no_argument, NULL, O_DEVICE },
		{ "scopes", required_argument, NULL, O_SCOPES },
		{ "scope", required_argument, NULL, O_SCOPES },
		{ "openid", no_argument, NULL, O_OPENID },
		{ "redirect-uri", required_argument, NULL, O_REDIRECT },
		{ "no-browser", no_argument, NULL, O_NO_BROWSER },
		{ "force-verify", no_argument, NULL, O_FORCE_VERIFY },
		{ "timeout", required_argument, NULL, O_TIMEOUT },
		{ "get", no_argument, NULL, O_GET },
		{ "json", no_argument, NULL, O_JSON },
		{ "env", no_argument, NULL, O_ENV },
		{ "no-save", no_argument, NULL, O_NO_SAVE },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct token_args a = { .timeout = DEFAULT_WAIT };
	struct client_opts o = { 0 };
	struct tok_record rec = { 0 };
	json_t *claims = NULL;
	char *scopes = NULL;
	int c, ret, flows = 0;

	if (argc >= 2 && strcmp(argv[1], "list") == 0)
		return token_list(argc >= 3 && strcmp(argv[2], "--json") == 0);
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (client_opts_take(&o, c, optarg))
			continue;
		switch (c) {
		case O_USER: a.flow = FLOW_CODE; flows++; break;
		case O_IMPLICIT: a.flow = FLOW_IMPLICIT; flows++; break;
		case O_DEVICE: a.flow = FLOW_DEVICE; flows++; break;
		case O_SCOPES: a.scopes = optarg; break;
		case O_OPENID: a.openid = 1; break;
		case O_REDIRECT: a.redirect_uri = optarg; break;
		case O_NO_BROWSER: a.no_browser = 1; break;
		case O_FORCE_VERIFY: a.force_verify = 1; break;
		case O_TIMEOUT: {
			int64_t v;

			if (num_parse_i64(optarg, 1, 86400, &v) == -1) {
				cli_error("--timeout takes 1 to 86400 seconds");
				return cli_usage_hint("token");
			}
			a.timeout = (int)v;
			break;
		}
		case O_GET: a.get = 1; break;
		case O_JSON: a.output = OUT_JSON; break;
		case O_ENV: a.output = OUT_ENV; break;
		case O_NO_SAVE: a.no_save = 1; break;
		case 'h': usage(stdout); return EXIT_OK;
		default: return cli_usage_hint("token");
		}
	}
	if (optind < argc) {
		cli_error("unexpected argument '%s'", argv[optind]);
		return cli_usage_hint("token");
	}
	if (flows > 1) {
		cli_error("choose one flow: --user, --implicit or --device");
		return cli_usage_hint("token");
	}
	if (a.openid && (a.flow == FLOW_APP || a.flow == FLOW_DEVICE)) {
		cli_error("--openid needs --user or --implicit: id_tokens come from the "
		    "browser flows");
		return cli_usage_hint("token");
	}
	if ((ret = client_opts_resolve(&o)) != 0)
		return ret;
	if (a.redirect_uri == NULL)
		a.redirect_uri = o.redirect_uri;
	if (a.get) {
		ret = client_stored_token(&o, a.flow != FLOW_APP || o.login ? PICK_USER :
		    PICK_APP, FRESH_AUTO, &rec);
		if (ret == 0)
			ret = print_token(&rec, a.output, NULL);
		goto out;
	}
	if (o.client_id == NULL) {
		cli_error("no client id: pass --client-id, set $TWITCH_CLIENT_ID or run "
		    "'twauth configure'");
		ret = CLIENT_EXIT_ERROR;
		goto out;
	}
	scopes = flow_scopes(a.scopes, a.openid);
	if ((ret = client_check_scopes(scopes)) != 0 ||
	    (ret = get_token(&o, &a, scopes, &rec, &claims)) != 0)
		goto out;
	if (claims != NULL) {
		char *text = json_dumps(claims, JSON_INDENT(2) | JSON_SORT_KEYS);

		fprintf(stderr, "id_token verified; its claims:\n%s\n", text);
		free(text);
	}
	print_summary(&rec, !a.no_save);
	ret = print_token(&rec, a.output, claims);
out:
	json_decref(claims);
	free(scopes);
	tok_record_clear(&rec);
	client_opts_free(&o);
	return ret;
}
