/*
 * twauth token: gets a token in any of Twitch's flows from any compatible
 * issuer, saves it, and prints it; --get prints a stored one, fresh.
 */
#include <fcntl.h>
#include <getopt.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../client/catcher.h"
#include "../client/idtoken.h"
#include "../common/buf.h"
#include "../common/clock.h"
#include "../common/form.h"
#include "../common/num.h"
#include "../common/rand.h"
#include "../common/str.h"
#include "../common/xmalloc.h"
#include "cli.h"
#include "client_cli.h"

extern char **environ;

#define STATE_LEN		32
#define NONCE_LEN		32
#define DEFAULT_WAIT		300	/* seconds for the browser to come back */

enum flow { FLOW_APP, FLOW_CODE, FLOW_IMPLICIT, FLOW_DEVICE };
enum output { OUT_TOKEN, OUT_JSON, OUT_ENV };

struct token_args {
	enum flow	 flow;
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
	    "  " CLIENT_DEFAULT_REDIRECT "\n"
	    "\n"
	    "Options:\n"
	    "  --scopes \"A B\"        scopes to ask for, space-separated (also\n"
	    "                        --scope); checked against Twitch's catalog first\n"
	    "  --openid              also ask for openid and verify the id_token\n"
	    "                        (signature via the issuer's JWKS, iss, aud, exp,\n"
	    "                        nonce) before printing its claims\n"
	    "  --redirect-uri URI    where to catch the browser (default the profile's,\n"
	    "                        else " CLIENT_DEFAULT_REDIRECT "); loopback only\n"
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

/* Runs $BROWSER, else the desktop's opener, on url; never waits for it. */
static void
open_browser(const char *url)
{
	const char *browser = getenv("BROWSER");
	const char *argv[3] = { NULL, url, NULL };
	posix_spawn_file_actions_t fa;
	pid_t pid;

#ifdef __APPLE__
	argv[0] = browser && browser[0] ? browser : "open";
#else
	argv[0] = browser && browser[0] ? browser : "xdg-open";
#endif
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	/* Nobody waits for it: once we exit, init reaps it. */
	if (posix_spawnp(&pid, argv[0], &fa, NULL, (char *const *)argv, environ) != 0)
		fprintf(stderr, "twauth: could not start '%s'; open the URL yourself.\n",
		    argv[0]);
	posix_spawn_file_actions_destroy(&fa);
}

static void
add_param(struct buf *b, const char *name, const char *value)
{
	if (value == NULL || value[0] == '\0')
		return;
	if (buf_printf(b, "%s%s=", strchr(b->data, '?') ? "&" : "?", name) == -1 ||
	    form_encode(b, value) == -1)
		fatal("authorize URL too long");
}

static char *
authorize_url(const struct client_opts *o, const struct token_args *a,
    const char *response_type, const char *scopes, const char *state, const char *nonce)
{
	struct buf b;

	buf_init(&b, 16384);
	if (buf_printf(&b, "%s/oauth2/authorize", o->issuer) == -1)
		fatal("authorize URL too long");
	add_param(&b, "response_type", response_type);
	add_param(&b, "client_id", o->client_id);
	add_param(&b, "redirect_uri", a->redirect_uri);
	add_param(&b, "scope", scopes);
	add_param(&b, "state", state);
	add_param(&b, "nonce", nonce);
	if (a->force_verify)
		add_param(&b, "force_verify", "true");
	return b.data;
}

/* Learns whose token it is (validate), filling rec.  0 or an exit status. */
static int
fill_user(const struct client_opts *o, const char *access_token, struct tok_record *rec)
{
	struct oauth_validation v;
	struct oauth_err err;
	enum oauth_rc rc;

	rc = oauth_validate(o->issuer, access_token, &v, &err);
	if (rc != OAUTH_OK)
		return client_oauth_error("validating the new token", rc, &err);
	if (v.login == NULL) {
		cli_error("the issuer says the new token is not a user token");
		oauth_validation_clear(&v);
		return CLIENT_EXIT_ERROR;
	}
	rec->issuer = xstrdup(o->issuer);
	rec->client_id = xstrdup(o->client_id);
	rec->login = xstrdup(v.login);
	rec->user_id = xstrdup(v.user_id);
	rec->scopes = xstrdup(v.scopes);
	rec->expires_at = clock_now() + v.expires_in;
	rec->validated_at = clock_now();
	oauth_validation_clear(&v);
	return 0;
}

/* Explains what came back to the redirect URI instead of a code or token. */
static int
browser_error(const struct client_opts *o, const struct token_args *a,
    const struct catcher_result *r)
{
	if (strcmp(r->error, "redirect_mismatch") == 0) {
		cli_error("the issuer does not have this redirect URI registered for client %s:",
		    o->client_id);
		fprintf(stderr, "    %s\n"
		    "  Register exactly that URI with the app (Twitch console: OAuth Redirect "
		    "URLs;\n  twauth serve: 'twauth app redirect add %s %s'),\n"
		    "  or pass --redirect-uri with one that is registered.\n",
		    a->redirect_uri, o->client_id, a->redirect_uri);
		return CLIENT_EXIT_REFUSED;
	}
	if (strcmp(r->error, "access_denied") == 0) {
		cli_error("authorization was declined in the browser; nothing was saved");
		return CLIENT_EXIT_REFUSED;
	}
	cli_error("the issuer answered %s%s%s", r->error, r->error_description ? ": " : "",
	    r->error_description ? r->error_description : "");
	return CLIENT_EXIT_REFUSED;
}

/* Verifies the id_token of a flow; *claims on success.  0 or an exit status. */
static int
verify_id_token(const struct client_opts *o, const char *id_token, const char *nonce,
    const char *access_token, int need_at_hash, json_t **claims)
{
	struct idtoken_check chk = { o->issuer, o->client_id, nonce, access_token,
	    need_at_hash, clock_now() };
	char err[512];

	if (id_token == NULL) {
		cli_error("the issuer sent no id_token although openid was asked for");
		return CLIENT_EXIT_REFUSED;
	}
	if (idtoken_verify(&chk, id_token, claims, err, sizeof(err)) == -1) {
		cli_error("the id_token does not verify, so nothing was saved: %s", err);
		return CLIENT_EXIT_REFUSED;
	}
	return 0;
}

/* --user and --implicit: the browser goes to the issuer and comes back to us. */
static int
flow_browser(const struct client_opts *o, const struct token_args *a, const char *scopes,
    struct tok_record *rec, json_t **claims)
{
	char state[STATE_LEN + 1], nonce[NONCE_LEN + 1], err[512];
	struct catcher_result r = { 0 };
	struct oauth_tokens t = { 0 };
	struct oauth_err oe;
	struct catcher *c;
	enum oauth_rc rc;
	char *url;
	int implicit = a->flow == FLOW_IMPLICIT, ret;
	const char *response_type;

	if (!implicit && o->client_secret == NULL) {
		cli_error("the authorization code flow needs the client secret (--client-secret "
		    "or $TWITCH_CLIENT_SECRET); without one use --device (public apps) or "
		    "--implicit");
		return CLIENT_EXIT_ERROR;
	}
	rand_alnum(state, STATE_LEN);
	rand_alnum(nonce, NONCE_LEN);
	if ((c = catcher_start(a->redirect_uri, state, implicit, err, sizeof(err))) == NULL) {
		cli_error("%s", err);
		return CLIENT_EXIT_ERROR;
	}
	response_type = implicit ? (a->openid ? "token id_token" : "token") :
	    "code";
	url = authorize_url(o, a, response_type, scopes, state, a->openid ? nonce : NULL);
	fprintf(stderr, "%s this URL to sign in and approve:\n  %s\n"
	    "Waiting for the browser to come back to %s ...\n",
	    a->no_browser ? "Open" : "Opening your browser at", url, a->redirect_uri);
	fflush(stderr);
	if (!a->no_browser)
		open_browser(url);
	free(url);
	if (catcher_wait(c, a->timeout, &r) == -1) {
		catcher_stop(c);
		cli_error("no answer came to %s within %d s.  If the browser showed an error "
		    "or went elsewhere, check that this exact URI is registered with the app.",
		    a->redirect_uri, a->timeout);
		return CLIENT_EXIT_ERROR;
	}
	catcher_stop(c);
	if (r.error != NULL) {
		ret = browser_error(o, a, &r);
		goto out;
	}
	if (implicit) {
		if (r.access_token == NULL) {
			cli_error("the browser came back without an access token");
			ret = CLIENT_EXIT_REFUSED;
			goto out;
		}
		t.access_token = r.access_token;
		t.id_token = r.id_token;
		r.access_token = r.id_token = NULL;
	} else {
		if (r.code == NULL) {
			cli_error("the browser came back without a code");
			ret = CLIENT_EXIT_REFUSED;
			goto out;
		}
		rc = oauth_exchange_code(o->issuer, o->client_id, o->client_secret, r.code,
		    a->redirect_uri, &t, &oe);
		if (rc != OAUTH_OK) {
			ret = client_oauth_error("exchanging the code for tokens", rc, &oe);
			goto out;
		}
	}
	if (a->openid && (ret = verify_id_token(o, t.id_token, nonce, t.access_token,
	    implicit, claims)) != 0)
		goto out;
	if ((ret = fill_user(o, t.access_token, rec)) != 0)
		goto out;
	rec->access_token = xstrdup(t.access_token);
	rec->refresh_token = xstrdup(t.refresh_token ? t.refresh_token : "");
	rec->obtained_at = clock_now();
out:
	oauth_tokens_clear(&t);
	catcher_result_clear(&r);
	return ret;
}

/* --device: show the code, then poll as the issuer allows. */
static int
flow_device(const struct client_opts *o, const struct token_args *a, const char *scopes,
    struct tok_record *rec)
{
	struct oauth_device d;
	struct oauth_tokens t = { 0 };
	struct oauth_err oe;
	enum oauth_rc rc;
	int64_t deadline, interval, waited = 0;
	char left[32];
	int ret, tty = isatty(2);

	rc = oauth_device_start(o->issuer, o->client_id, scopes, &d, &oe);
	if (rc != OAUTH_OK)
		return client_oauth_error("starting the device authorization", rc, &oe);
	client_duration(d.expires_in, left, sizeof(left));
	fprintf(stderr, "On any device, open\n  %s\nand check that it shows the code\n"
	    "  %s\n(it expires in %s).\n", d.verification_uri, d.user_code, left);
	fflush(stderr);
	if (!a->no_browser && getenv("BROWSER") != NULL)
		open_browser(d.verification_uri);
	deadline = clock_now() + d.expires_in;
	interval = d.interval;
	for (;;) {
		if (clock_now() + interval >= deadline) {
			rc = OAUTH_EXPIRED;
			break;
		}
		sleep((unsigned)interval);
		waited += interval;
		rc = oauth_device_poll(o->issuer, o->client_id, o->client_secret,
		    d.device_code, scopes, &t, &oe);
		if (rc == OAUTH_PENDING) {
			if (tty)
				fprintf(stderr, "\rWaiting for approval... %llds ",
				    (long long)waited);
			continue;
		}
		if (rc == OAUTH_SLOW_DOWN) {
			/* RFC 8628 3.5: every slow_down adds 5 seconds, for good. */
			interval += 5;
			fprintf(stderr, "%sThe issuer asked us to slow down: polling every %llds.\n",
			    tty ? "\n" : "", (long long)interval);
			continue;
		}
		break;
	}
	if (tty && waited > 0)
		fputc('\n', stderr);
	oauth_device_clear(&d);
	switch (rc) {
	case OAUTH_OK:
		break;
	case OAUTH_DENIED:
		cli_error("the request was denied on the activation page; nothing was saved");
		return CLIENT_EXIT_REFUSED;
	case OAUTH_EXPIRED:
		cli_error("the code expired before it was approved; run the command again "
		    "for a new one");
		return CLIENT_EXIT_REFUSED;
	default:
		return client_oauth_error("waiting for the device approval", rc, &oe);
	}
	if ((ret = fill_user(o, t.access_token, rec)) == 0) {
		rec->access_token = xstrdup(t.access_token);
		rec->refresh_token = xstrdup(t.refresh_token ? t.refresh_token : "");
		rec->obtained_at = clock_now();
	}
	oauth_tokens_clear(&t);
	return ret;
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

/* The scopes to ask for: --scopes, plus openid when --openid. */
static char *
scopes_to_ask(const struct token_args *a)
{
	const char *given = a->scopes ? a->scopes : "";
	struct buf b;

	buf_init(&b, 16384);
	if (buf_add_cstr(&b, given) == -1 || (a->openid && !words_within("openid", given) &&
	    buf_printf(&b, "%sopenid", given[0] ? " " : "") == -1))
		fatal("scope list too long");
	return b.data ? b.data : xstrdup("");
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
	int c, ret, flows = 0, saved = 0;

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
	scopes = scopes_to_ask(&a);
	if ((ret = client_check_scopes(scopes)) != 0)
		goto out;
	switch (a.flow) {
	case FLOW_APP:
		ret = client_new_app_token(&o, scopes, !a.no_save, &rec);
		saved = ret == 0 && !a.no_save;
		break;
	case FLOW_CODE:
	case FLOW_IMPLICIT:
		ret = flow_browser(&o, &a, scopes, &rec, &claims);
		break;
	case FLOW_DEVICE:
		ret = flow_device(&o, &a, scopes, &rec);
		break;
	}
	if (ret != 0)
		goto out;
	if (a.flow != FLOW_APP && !a.no_save) {
		if ((ret = client_save(&rec)) != 0)
			goto out;
		saved = 1;
	}
	if (claims != NULL) {
		char *text = json_dumps(claims, JSON_INDENT(2) | JSON_SORT_KEYS);

		fprintf(stderr, "id_token verified; its claims:\n%s\n", text);
		free(text);
	}
	print_summary(&rec, saved);
	ret = print_token(&rec, a.output, claims);
out:
	json_decref(claims);
	free(scopes);
	tok_record_clear(&rec);
	client_opts_free(&o);
	return ret;
}
