/*
 * What the client commands (token, validate, refresh, revoke, api, exec,
 * configure) share on the command line: the options that say which
 * issuer, app and account (read here, resolved by src/client/profile.h),
 * and how a failure of src/client is printed and which exit status it
 * earns.  The client's logic is src/client's; this is argv and stderr.
 *
 * Exit statuses of the client commands: 0 success; 1 the issuer refused
 * (invalid or expired token, denied, wrong secret); 2 usage or network
 * error (nothing was decided).
 */
#ifndef CLI_CLIENT_H
#define CLI_CLIENT_H

#include "../client/cerr.h"
#include "../client/oauth.h"
#include "../client/pick.h"
#include "../client/profile.h"
#include "../client/tokstore.h"
#include "../common/compiler.h"
#include "opt.h"

#define CLIENT_EXIT_REFUSED	1
#define CLIENT_EXIT_ERROR	2

/*
 * The rows of the options every client command takes, for member m (a
 * struct client_opts) of struct S; and what --help says after them.
 */
#define CLIENT_ROWS(S, m) \
	{ "issuer", OPT_AS_STR(S, m.given.issuer), .arg = "URL", \
	    .unset = "$TWAUTH_ISSUER, the profile's, else " OAUTH_DEFAULT_ISSUER, \
	    .help = "the identity service; https only, except http://localhost for a local " \
	    "twauth serve" }, \
	{ "api-base", OPT_AS_STR(S, m.given.api_base), .arg = "URL", \
	    .unset = "$TWAUTH_API_BASE, the profile's, else " OAUTH_DEFAULT_API_BASE " for " \
	    "Twitch and the issuer itself for any other, as twauth serve answers Helix", \
	    .help = "where 'twauth api' sends Helix calls" }, \
	{ "client-id", OPT_AS_STR(S, m.given.client_id), .arg = "ID", \
	    .unset = "$TWITCH_CLIENT_ID, the profile's", .help = "the app" }, \
	{ "client-secret", OPT_AS_STR(S, m.given.client_secret), .arg = "S", \
	    .unset = "$TWITCH_CLIENT_SECRET, the profile's", \
	    .help = "its secret; the environment keeps it out of 'ps'" }, \
	{ "login", OPT_AS_STR(S, m.login), .arg = "NAME", \
	    .help = "which stored account to use" }, \
	{ "app", OPT_AS_ON(S, m.app), .help = "use the app token, not a user's" }, \
	{ "profile", OPT_AS_STR(S, m.given.name), .arg = "NAME", .unset = "\"default\"", \
	    .help = "the saved profile, made by 'twauth configure'" }
/* The rule of pick.h, as every command's --help says it. */
#define CLIENT_WHICH_TOKEN \
	"Which stored token: --login NAME's, or the app's with --app; otherwise\n" \
	"the app token where the call takes one (made if missing, when the secret\n" \
	"is known); otherwise the only user token; otherwise the choices are named.\n"
#define CLIENT_ROWS_NOTE \
	"Certificates are checked against the system's CAs, or only against the\n" \
	"PEM bundle in $TWAUTH_CA_FILE (a private CA, as for 'twauth serve\n" \
	"--tls-cert').\n"

struct client_opts {
	struct profile_flags	 given;	/* as on the command line: CLIENT_ROWS */
	const char		*login;
	int			 app;
	/* Resolved by client_opts_resolve (malloc'd; NULL when unknown). */
	char			*issuer;	/* no trailing slash, no "/oauth2" */
	char			*api_base;
	char			*client_id;
	char			*client_secret;
	char			*redirect_uri;	/* the profile's, else the default */
};

/* Fills the resolved fields.  0, or an exit status after printing why. */
int client_opts_resolve(struct client_opts *o) MUST_CHECK;
void client_opts_free(struct client_opts *o);

/* What pick_token is asked for the token o and which select, fresh as asked. */
struct pick client_pick(const struct client_opts *o, enum pick_which which,
    enum pick_fresh fresh);
/*
 * The stored token o and which select, kept fresh as asked and saved
 * (pick.h); o's client id is the one found when none was given.  0 with
 * *rec filled, or an exit status after printing why.
 */
int client_stored_token(struct client_opts *o, enum pick_which which,
    enum pick_fresh fresh, struct tok_record *rec) MUST_CHECK;
/*
 * Checks a scope list against Twitch's catalog (scopecheck.h).  0, or
 * CLIENT_EXIT_ERROR after printing why.
 */
int client_check_scopes(const char *scopes) MUST_CHECK;
/* Prints the issuer's refusal or the network error; returns the exit status. */
int client_oauth_error(const char *doing, enum oauth_rc rc, const struct oauth_err *err);
/* Prints e (each line of its message after "twauth: ", then its advice); its exit status. */
int client_report(const struct cerr *e);
/* "3h 59m" for seconds, into out. */
void client_duration(int64_t seconds, char *out, size_t len);

#endif
