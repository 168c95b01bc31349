/*
 * What the client commands (token, validate, refresh, revoke, api, exec,
 * configure) share: the options that say which issuer, app and account,
 * where their values come from (flag, environment, saved profile,
 * default), and picking a stored token and keeping it fresh.
 *
 * Exit statuses of the client commands: 0 success; 1 the issuer refused
 * (invalid or expired token, denied, wrong secret); 2 usage or network
 * error (nothing was decided).
 */
#ifndef CLI_CLIENT_CLI_H
#define CLI_CLIENT_CLI_H

#include <getopt.h>

#include "../client/oauth.h"
#include "../client/tokstore.h"

#define CLIENT_EXIT_REFUSED	1
#define CLIENT_EXIT_ERROR	2

#define CLIENT_CONFIG_FILE	"config.json"
#define CLIENT_DEFAULT_REDIRECT	"http://localhost:3000"

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
	/* As given on the command line (NULL: not given). */
	const char	*f_issuer, *f_api_base, *f_client_id, *f_client_secret;
	const char	*login;
	const char	*profile;
	int		 app;
	/* Resolved by client_opts_resolve (malloc'd; NULL when unknown). */
	char		*issuer;	/* no trailing slash, no "/oauth2" */
	char		*api_base;
	char		*client_id;
	char		*client_secret;
	char		*redirect_uri;	/* the profile's, else CLIENT_DEFAULT_REDIRECT */
};

/* Takes a CO_* option from getopt_long; 1 if it was one. */
int client_opts_take(struct client_opts *o, int c, const char *arg);
/* Fills the resolved fields.  0, or an exit status after printing why. */
int client_opts_resolve(struct client_opts *o);
void client_opts_free(struct client_opts *o);

/* Which stored token a command wants. */
enum client_pick {
	PICK_APP,	/* the app token (made if missing: needs the secret) */
	PICK_USER,	/* --login's, or the only user token */
	PICK_AUTO,	/* --login's, --app's, else the only user token, else the app's */
};

enum client_fresh {
	FRESH_AUTO,	/* refresh when due, validate hourly (tokstore_fresh) */
	FRESH_FORCE,	/* refresh now */
	FRESH_NONE,	/* as stored: to look at it, validate or revoke it */
};

/*
 * The stored token o and pick select, kept fresh as asked and saved.  0
 * with *rec filled, or an exit status after printing why.
 */
int client_stored_token(struct client_opts *o, enum client_pick pick,
    enum client_fresh fresh, struct tok_record *rec);
/* A new app token (client credentials) into *rec, saved if save. */
int client_new_app_token(const struct client_opts *o, const char *scopes, int save,
    struct tok_record *rec);
/* Saves rec into the token store.  0, or an exit status after printing why. */
int client_save(const struct tok_record *rec);

/*
 * Checks a scope list against Twitch's catalog before any request: unknown
 * names are reported with the closest known one.  0, or CLIENT_EXIT_ERROR.
 */
int client_check_scopes(const char *scopes);
/* Prints the issuer's refusal or the network error; returns the exit status. */
int client_oauth_error(const char *doing, enum oauth_rc rc, const struct oauth_err *err);
/* "3h 59m" for seconds, into out. */
void client_duration(int64_t seconds, char *out, size_t len);

#endif
