/*
 * twauth validate, refresh and revoke: one call each to the issuer, on a
 * token given as an argument or on a stored one, with honest exit statuses
 * (0 yes, 1 the issuer said no, 2 usage or network error).
 */
#include <stdio.h>
#include <string.h>

#include "../common/clock.h"
#include "cli.h"
#include "client.h"

enum check_cmd { CHECK_VALIDATE, CHECK_REFRESH, CHECK_REVOKE };

struct check_opts {
	struct client_opts	 co;
	int			 json;
	int			 help;
};

/* The rows of each of them, its --json said its way. */
#define CHECK_ROWS(json_help) { \
	{ "json", OPT_AS_ON(struct check_opts, json), .help = json_help }, \
	CLIENT_ROWS(struct check_opts, co), \
	CLI_ROW_HELP(struct check_opts, help), \
	{ .name = NULL } \
}

static const struct opt validate_options[] = CHECK_ROWS("only the issuer's answer, as JSON");
static const struct opt refresh_options[] = CHECK_ROWS("print the whole record");
static const struct opt revoke_options[] =
    CHECK_ROWS("(accepted; revoke prints nothing on success)");

static int run_check(const struct cli_cmd *c, void *opts, const struct cli_args *a);

/* As they differ: the name, the rows, --help's text before them. */
#define CHECK_CMD(n, r, h) { .name = n, .rows = r, .size = sizeof(struct check_opts), \
	.run = run_check, .head = h, .tail = "\n" CLIENT_ROWS_NOTE }

const struct cli_cmd validate_cmd = CHECK_CMD("validate", validate_options,
    "Usage: twauth validate [TOKEN] [options]\n"
    "\n"
    "Asks the issuer whether TOKEN (else a stored one) is valid, and prints\n"
    "what it says: client id, login, user id, scopes and seconds left.  The\n"
    "stored token is checked as it is, not refreshed first.\n"
    "\n"
    CLIENT_WHICH_TOKEN
    "Validating takes an app token; none is made for it.\n"
    "\n"
    "Exit status: 0 valid; 1 invalid, expired or revoked; 2 usage or network\n"
    "error (no verdict).\n"
    "\n"
    "Options:\n");

const struct cli_cmd refresh_cmd = CHECK_CMD("refresh", refresh_options,
    "Usage: twauth refresh [REFRESH_TOKEN] [options]\n"
    "\n"
    "Refreshes the stored token now (--login's, or the only user token; an\n"
    "app token is replaced by a new one) and prints the new access token.\n"
    "The new refresh token is saved: with public apps the old one is spent.\n"
    "Given REFRESH_TOKEN, refreshes that one and prints the issuer's answer\n"
    "(nothing is saved).\n"
    "\n"
    "Exit status: 0 refreshed; 1 the issuer refused (revoked, spent, wrong\n"
    "secret); 2 usage or network error.\n"
    "\n"
    "Options:\n");

const struct cli_cmd revoke_cmd = CHECK_CMD("revoke", revoke_options,
    "Usage: twauth revoke [TOKEN] [options]\n"
    "\n"
    "Revokes TOKEN (needs its client id), else the stored token, which is then\n"
    "removed from the store.\n"
    "\n"
    "Exit status: 0 revoked; 1 the issuer refused; 2 usage or network error.\n"
    "\n"
    "Options:\n");

static int
do_validate(struct client_opts *o, const char *token, int json)
{
	struct oauth_validation v;
	struct oauth_err err;
	enum oauth_rc rc;
	char left[32];

	rc = oauth_validate(o->issuer, token, &v, &err);
	if (rc == OAUTH_REFUSED) {
		cli_error("the token is not valid: %s", err.message);
		return CLIENT_EXIT_REFUSED;
	}
	if (rc != OAUTH_OK)
		return client_oauth_error("validating", rc, &err);
	if (json) {
		cli_print_json(json_loads(v.answer, 0, NULL));
	} else {
		client_duration(v.expires_in, left, sizeof(left));
		if (v.login != NULL)
			printf("valid: user token of %s (user id %s)\n", v.login, v.user_id);
		else
			printf("valid: app token\n");
		printf("client id: %s\nscopes:    %s\nexpires in %s\n", v.client_id,
		    v.scopes[0] ? v.scopes : "(none)", left);
	}
	oauth_validation_clear(&v);
	return EXIT_OK;
}

static int
do_refresh_given(struct client_opts *o, const char *refresh_token)
{
	struct oauth_tokens t;
	struct oauth_err err;
	enum oauth_rc rc;

	if (o->client_id == NULL) {
		cli_error("refreshing a given token needs its --client-id");
		return CLIENT_EXIT_ERROR;
	}
	rc = oauth_refresh(o->issuer, o->client_id, o->client_secret, refresh_token, &t, &err);
	if (rc != OAUTH_OK)
		return client_oauth_error("refreshing", rc, &err);
	cli_print_json(json_loads(t.answer, 0, NULL));
	oauth_tokens_clear(&t);
	return EXIT_OK;
}

static int
do_revoke(struct client_opts *o, const char *token, int stored)
{
	struct oauth_err err;
	struct tokstore ts;
	enum oauth_rc rc;
	char why[512];
	struct tok_record rec;
	int ret;

	if (stored) {
		if ((ret = client_stored_token(o, PICK_AUTO, FRESH_NONE, &rec)) != 0)
			return ret;
	} else if (o->client_id == NULL) {
		cli_error("revoking needs the token's --client-id (or $TWITCH_CLIENT_ID)");
		return CLIENT_EXIT_ERROR;
	}
	rc = oauth_revoke(o->issuer, o->client_id, stored ? rec.access_token : token, &err);
	if (rc != OAUTH_OK) {
		ret = client_oauth_error("revoking", rc, &err);
		if (stored)
			tok_record_clear(&rec);
		return ret;
	}
	if (!stored) {
		fprintf(stderr, "twauth: revoked\n");
		return EXIT_OK;
	}
	ret = EXIT_OK;
	if (tokstore_open(&ts, why, sizeof(why)) == -1) {
		cli_error("revoked, but the store could not be opened to forget it: %s", why);
		ret = CLIENT_EXIT_ERROR;
	} else {
		tokstore_remove(&ts, rec.issuer, rec.client_id, rec.login);
		if (tokstore_save(&ts, why, sizeof(why)) == -1) {
			cli_error("revoked, but not removed from the store: %s", why);
			ret = CLIENT_EXIT_ERROR;
		}
		tokstore_close(&ts);
	}
	if (ret == EXIT_OK)
		fprintf(stderr, "twauth: revoked the %s token%s%s and removed it from the "
		    "store\n", rec.login[0] ? "user" : "app", rec.login[0] ? " of " : "",
		    rec.login);
	tok_record_clear(&rec);
	return ret;
}

static int
run_check(const struct cli_cmd *c, void *opts, const struct cli_args *a)
{
	enum check_cmd cmd = c == &refresh_cmd ? CHECK_REFRESH : c == &revoke_cmd ?
	    CHECK_REVOKE : CHECK_VALIDATE;
	struct check_opts *o = opts;
	struct tok_record rec = { 0 };
	const char *given = a->n > 0 ? a->v[0] : NULL;
	int ret;

	if (a->n > 1 || (given != NULL && given[0] == '\0')) {
		if (a->n > 1)
			cli_error("unexpected argument '%s'", a->v[1]);
		else
			cli_error("the token is empty");
		return cli_usage_hint(c->name);
	}
	if ((ret = client_opts_resolve(&o->co)) != 0)
		goto out;
	switch (cmd) {
	case CHECK_VALIDATE:
		if (given == NULL &&
		    (ret = client_stored_token(&o->co, PICK_APP_FIRST, FRESH_NONE, &rec)) != 0)
			break;
		ret = do_validate(&o->co, given ? given : rec.access_token, o->json);
		break;
	case CHECK_REFRESH:
		if (given != NULL) {
			ret = do_refresh_given(&o->co, given);
			break;
		}
		if ((ret = client_stored_token(&o->co, PICK_AUTO, FRESH_FORCE, &rec)) != 0)
			break;
		if (o->json)
			cli_print_json(tok_record_json(&rec, 1));
		else
			printf("%s\n", rec.access_token);
		break;
	case CHECK_REVOKE:
		ret = do_revoke(&o->co, given, given == NULL);
		break;
	}
out:
	tok_record_clear(&rec);
	client_opts_free(&o->co);
	return ret;
}

