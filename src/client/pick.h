/*
 * The stored token (tokstore.h) a command is given, by one rule for every
 * command: the account --login names, or the app's with --app; otherwise
 * the app token where the call takes one (stored, or made when the
 * secret is known: it needs no one's consent); otherwise the only user
 * token of the app at the issuer; otherwise a message naming the
 * choices.  Kept fresh as asked (tokstore_fresh) and saved back when that
 * changed it, under the store's lock.
 */
#ifndef CLIENT_PICK_H
#define CLIENT_PICK_H

#include "../common/compiler.h"
#include "cerr.h"
#include "profile.h"
#include "tokstore.h"

enum pick_which {
	PICK_APP,	/* the app token (made if missing: needs the secret) */
	PICK_USER,	/* login's, or the only user token */
	PICK_AUTO,	/* login's, the app's if app, else the only user token, else the app's */
	/* A call that takes an app token: login's, else the app's (made if missing
	 * and the secret known; never with FRESH_NONE), else the only user token. */
	PICK_APP_FIRST,
	PICK__MAX
};

enum pick_fresh {
	FRESH_AUTO,	/* refresh when due, validate hourly (tokstore_fresh) */
	FRESH_FORCE,	/* refresh now */
	FRESH_NONE,	/* as stored: to look at it, validate or revoke it */
	FRESH__MAX
};

struct pick {
	const char	*issuer;
	const char	*client_id;	/* NULL: the only app with tokens at issuer */
	const char	*client_secret;	/* NULL: none (public apps) */
	const char	*login;		/* NULL: as which says */
	int		 app;		/* the app token, whatever which says */
	/* The flags that found the app, as given: repeated in the hints; or NULL. */
	const struct profile_flags *given;
	enum pick_which	 which;
	enum pick_fresh	 fresh;
};

/*
 * The stored token p selects, fresh as p asks, into *rec (clear it with
 * tok_record_clear).  0, or -1 with err: refused when there is no such
 * token or the issuer no longer takes it, else an error.
 */
int pick_token(const struct pick *p, struct tok_record *rec, struct cerr *err) MUST_CHECK;

#endif
