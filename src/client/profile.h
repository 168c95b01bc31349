/*
 * Which issuer, API, app and secret a client command talks to, each from
 * the first of: its flag, the environment ($TWAUTH_ISSUER,
 * $TWAUTH_API_BASE, $TWITCH_CLIENT_ID, $TWITCH_CLIENT_SECRET), the saved
 * profile in config.json ('twauth configure'), a default.  Issuers must be
 * https://, or http:// to loopback (fetch.h), and are kept without a
 * trailing slash or "/oauth2", so that tokens of one issuer are found
 * however it was spelled.
 *
 * The profiles themselves: config.json is {"profiles": {NAME: {"issuer",
 * "api_base", "client_id", "client_secret", "redirect_uri"}}}, saved as
 * cfgdir.h saves its files; each value as it was given.
 */
#ifndef CLIENT_PROFILE_H
#define CLIENT_PROFILE_H

#include <jansson.h>

#include "../common/compiler.h"
#include "cerr.h"

#define PROFILE_FILE		"config.json"	/* in the client's directory, cfgdir.h */
#define PROFILE_DEFAULT		"default"
#define PROFILE_DEFAULT_REDIRECT "http://localhost:3000"

/* What the command line gave (NULL or "": not given). */
struct profile_flags {
	const char	*name;		/* the profile; NULL: PROFILE_DEFAULT */
	const char	*issuer;
	const char	*api_base;
	const char	*client_id;
	const char	*client_secret;
};

/* The values a command uses (malloc'd; NULL when nobody said). */
struct profile {
	char	*issuer;	/* never NULL: Twitch by default */
	char	*api_base;	/* never NULL: Twitch's API, or the issuer's own */
	char	*client_id;
	char	*client_secret;
	char	*redirect_uri;	/* never NULL: the profile's, else the default */
};

/*
 * Fills *out from flags, the environment and config.json.  0, or -1 with
 * err (no such profile, a URL not allowed, config.json unreadable).
 * Free *out with profile_free either way.
 */
int profile_resolve(const struct profile_flags *flags, struct profile *out,
    struct cerr *err) MUST_CHECK;
/* Frees p's values (the secret wiped).  A zeroed p is a no-op. */
void profile_free(struct profile *p);

/* What profile_save changes in a saved profile: NULL leaves a value as it is. */
struct profile_edit {
	const char	*name;		/* the profile; NULL: PROFILE_DEFAULT */
	const char	*issuer;	/* https://, or http:// to loopback */
	const char	*api_base;	/* likewise */
	const char	*client_id;
	const char	*client_secret;	/* "" leaves it too */
	const char	*redirect_uri;
};

/*
 * The saved profile name (NULL: PROFILE_DEFAULT) as config.json holds it,
 * a client secret shown as "(set)": a new object ({} when there is no such
 * profile; the caller decrefs it), or NULL with err.
 */
json_t *profile_show(const char *name, struct cerr *err) MUST_CHECK;
/*
 * Makes e's changes to its profile in config.json (made if missing),
 * under the directory's lock.  0, or -1 with err: an issuer or API base
 * that is not a URL the client may call (nothing is saved), or the file.
 */
int profile_save(const struct profile_edit *e, struct cerr *err) MUST_CHECK;

#endif
