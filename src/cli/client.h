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

#include <getopt.h>

#include "../client/cerr.h"
#include "../client/oauth.h"
#include "../client/pick.h"
#include "../client/profile.h"
#include "../client/tokstore.h"

#define CLIENT_EXIT_REFUSED	1
#define CLIENT_EXIT_ERROR	2

enum {
	CO_ISSUER = 1000, CO_API_BASE, CO_CLIENT_ID, CO_CLIENT_SECRET, CO_LOGIN,
	CO_PROFILE, CO_APP, CO__NEXT
};

#define CLIENT_LONG_OPTIONS \
	{ "issuer", required_argument, NULL, CO_ISSUER }, \
	{ "api-base", required_argument, NULL, CO_API_BASE }, \
	{ "client-id", required_argument, NULL, CO_CLIENT_ID }, \
	{ "client-secret", required_argument, NULL, CO_CLIENT_SECRET }, \
	{ "login", required_argument, NULL, CO_LOGIN }, \
	{ "profile", required_argument, NULL, CO_PROFILE }, \
	{ "app", no_argument, NULL, CO_APP }

#define CLIENT_OPTIONS_HELP \
	"  --issuer URL          the identity service (default $TWAUTH_ISSUER, the\n" \
	"                        profile's, else https://id.twitch.tv); https only,\n" \
	"                        except http://localhost for a local twauth serve\n" \
	"  --client-id ID        the app (default $TWITCH_CLIENT_ID, the profile's)\n" \
	"  --client-secret S     its secret (default $TWITCH_CLIENT_SECRET, the\n" \
	"                        profile's; the environment keeps it out of 'ps')\n" \
	"  --login NAME          which stored account to use\n" \
	"  --app                 use the app token, not a user's\n" \
	"  --profile NAME        the saved profile (default \"default\"; see\n" \
	"                        'twauth configure')\n" \
	"  certificates are checked against the system's CAs, or only against the\n" \
	"  PEM bundle in $TWAUTH_CA_FILE (a private CA, as for 'twauth serve\n" \
	"  --tls-cert')\n"

struct client_opts {
	struct profile_flags	 given;	/* as on the command line */
	const char		*login;
	int			 app;
	/* Resolved by client_opts_resolve (malloc'd; NULL when unknown). */
	char			*issuer;	/* no trailing slash, no "/oauth2" */
	char			*api_base;
	char			*client_id;
	char			*client_secret;
	char			*redirect_uri;	/* the profile's, else the default */
};

/* Takes a CO_* option from getopt_long; 1 if it was one. */
int client_opts_take(struct client_opts *o, int c, const char *arg);
/* Fills the resolved fields.  0, or an exit status after printing why. */
int client_opts_resolve(struct client_opts *o);
void client_opts_free(struct client_opts *o);

/*
 * The stored token o and which select, kept fresh as asked and saved
 * (pick.h); o's client id is the one found when none was given.  0 with
 * *rec filled, or an exit status after printing why.
 */
int client_stored_token(struct client_opts *o, enum pick_which which,
    enum pick_fresh fresh, struct tok_record *rec);
/*
 * Checks a scope list against Twitch's catalog (scopecheck.h).  0, or
 * CLIENT_EXIT_ERROR after printing why.
 */
int client_check_scopes(const char *scopes);
/* Prints the issuer's refusal or the network error; returns the exit status. */
int client_oauth_error(const char *doing, enum oauth_rc rc, const struct oauth_err *err);
/* Prints e (each line of its message after "twauth: ", then its advice); its exit status. */
int client_report(const struct cerr *e);
/* "3h 59m" for seconds, into out. */
void client_duration(int64_t seconds, char *out, size_t len);

#endif
