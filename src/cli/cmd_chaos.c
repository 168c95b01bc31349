/*
 * twauth chaos: ends tokens now, for the reason named, as Twitch would end
 * them (src/idp/chaos.c), so an app's handling of "the token became
 * invalid" can be tried at will.  Works on the database directly, like
 * `twauth user`: a running server sees it at once.  Every ending is
 * recorded under one request id per command, printed, written before the
 * command exits into the record the servers write too.
 */
#include <stdio.h>
#include <string.h>

#include "../idp/audit.h"
#include "cli.h"

struct chaos_opts {
	const char	*db;
	const char	*app;
	const char	*login;
	int		 all;
	int		 help;
};

/* Named as enum idp_chaos_reason's words (idp_chaos_reason_parse reads them). */
enum chaos_sub { CHAOS_EXPIRE, CHAOS_REVOKE, CHAOS_DISCONNECT, CHAOS_PASSWD };

static int chaos_run(const struct cli_cmd *c, void *opts, const struct cli_args *a);

#define CHAOS(how, f)	OPT_AS_##how(struct chaos_opts, f)

static const struct opt chaos_options[] = {
	{ "app", CHAOS(STR, app), .arg = "CLIENT_ID", .help = "the app whose tokens end" },
	{ "login", CHAOS(STR, login), .arg = "LOGIN", .help = "end one user's tokens" },
	{ "all", CHAOS(ON, all), .help = "end the tokens of every user of the app" },
	CLI_ROW_DB(struct chaos_opts, db),
	CLI_ROW_HELP(struct chaos_opts, help),
	{ .name = NULL }
};

const struct cli_cmd chaos_cmd = {
	.name = "chaos",
	.subs = (const struct cli_sub[]){
		[CHAOS_EXPIRE] = { "expire", 0, "no arguments" },
		[CHAOS_REVOKE] = { "revoke", 0, "no arguments" },
		[CHAOS_DISCONNECT] = { "disconnect", 0, "no arguments" },
		[CHAOS_PASSWD] = { "passwd", 0, "no arguments" },
		{ NULL }
	},
	.rows = chaos_options,
	.size = sizeof(struct chaos_opts),
	.run = chaos_run,
	.head = "Usage: twauth chaos <reason> --app CLIENT_ID (--login LOGIN | --all) [options]\n"
	    "\n"
	    "Ends user tokens of an app now, the way Twitch ends them, to test that the\n"
	    "app is \"prepared for the token to become invalid at any time\".  What the\n"
	    "app sees is what it would see on Twitch:\n"
	    "\n"
	    "Reasons:\n"
	    "  expire      the access tokens expire now: validate and Helix answer 401;\n"
	    "              the refresh token still refreshes\n"
	    "  revoke      the access tokens are revoked, as POST /oauth2/revoke of each\n"
	    "              does: 401; the refresh token still refreshes\n"
	    "  disconnect  the user disconnects the app (/settings/connections): every\n"
	    "              token ends, refresh answers \"Invalid refresh token\", and the\n"
	    "              user is asked to authorize again\n"
	    "  passwd      what a password change ends: every grant of the user, with\n"
	    "              this app and every other, and their sign-ins (the password\n"
	    "              itself is not changed)\n"
	    "\n"
	    "Options:\n",
	.tail = "\n"
	    "Each ending is recorded (kind 'chaos', the reason as its detail) under the\n"
	    "request id printed, for 'twauth serve' runs writing the same database.\n"
	    "Exit status: 0 tokens were ended, 1 none were live (or the database failed),\n"
	    "2 bad arguments.  'twauth serve --chaos-rate' does the same at random.\n"
	    "\n"
	    "Examples:\n"
	    "  twauth chaos expire --app abcdefghijklmnopqrstuvwxyz0123 --login alice\n"
	    "  twauth chaos disconnect --app abcdefghijklmnopqrstuvwxyz0123 --all\n",
};

/* What one ending did, one line. */
static void
print_ended(void *arg, const struct idp_chaos_ended *e)
{
	const char *name = idp_chaos_reason_name(e->reason);
	long long tokens = (long long)e->tokens;

	(void)arg;
	printf("%s: %s (user id %lld): ", name, e->login, (long long)e->user_id);
	switch (e->reason) {
	case IDP_CHAOS_EXPIRE:
		printf("%lld access token%s expired now; the refresh token still refreshes\n",
		    tokens, tokens == 1 ? "" : "s");
		break;
	case IDP_CHAOS_REVOKE:
		printf("%lld access token%s revoked; the refresh token still refreshes\n",
		    tokens, tokens == 1 ? "" : "s");
		break;
	case IDP_CHAOS_DISCONNECT:
		printf("disconnected the app; every token of theirs with it has ended\n");
		break;
	case IDP_CHAOS_PASSWD:
		printf("every grant and sign-in of theirs has ended, as a password change "
		    "ends them (the password is unchanged)\n");
		break;
	case IDP_CHAOS__MAX:
		putchar('\n');
		break;
	}
}

/* Checks the command's shape before the database is opened. */
static int
check_shape(const char *name, const struct chaos_opts *o, const struct cli_args *a)
{
	if (a->n != 0) {
		cli_error("chaos %s takes no arguments", name);
		return -1;
	}
	if (o->app == NULL || o->app[0] == '\0') {
		cli_error("chaos %s needs --app CLIENT_ID", name);
		return -1;
	}
	if ((o->login != NULL) == (o->all != 0)) {
		cli_error("chaos %s needs one of --login LOGIN (one user) or --all (every user "
		    "of the app)", name);
		return -1;
	}
	return 0;
}

static int
chaos_run(const struct cli_cmd *c, void *opts, const struct cli_args *a)
{
	char request_id[IDP_CHAOS_REQUEST_ID_LEN + 1];
	const char *name = c->subs[a->sub].name;
	struct chaos_opts *o = opts;
	enum idp_chaos_reason reason;
	struct idp_config cfg;
	struct store *st = NULL;
	struct idp *idp = NULL;
	enum idp_err err;
	size_t n = 0;
	int rc;

	if (check_shape(name, o, a) == -1 || idp_chaos_reason_parse(name, &reason) == -1)
		return cli_usage_hint("chaos");
	idp_config_defaults(&cfg);
	cfg.audit = 1;	/* the endings are recorded, as a server records */
	if (cli_open(cli_db_path(o->db), &cfg, 0, &st, &idp) == -1)
		return EXIT_FAIL;
	idp_chaos_request_id(request_id);
	err = idp_chaos_app(idp, reason, o->app, o->login, request_id, print_ended, NULL, &n);
	if (err != IDP_OK)
		rc = cli_idp_error(err);
	else if (n == 0) {
		if (o->login != NULL)
			cli_error("%s has no live tokens of app %s; nothing was ended", o->login,
			    o->app);
		else
			cli_error("no user has live tokens of app %s; nothing was ended", o->app);
		rc = EXIT_FAIL;
	} else
		rc = EXIT_OK;
	if (n > 0) {
		printf("Ended the tokens of %zu user%s of app %s.  Request id: %s\n", n,
		    n == 1 ? "" : "s", o->app, request_id);
		if (audit_flush(idp_audit(idp)) != STORE_OK) {
			cli_error("the tokens were ended, but the record of it could not be "
			    "written");
			rc = EXIT_FAIL;
		}
	}
	cli_close(st, idp);
	return rc;
}
