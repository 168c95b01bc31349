/*
 * The stored token (tokstore.h) a command is given: the one --login names,
 * the app token, or the only user token of the app at the issuer; kept
 * fresh as asked (tokstore_fresh) and saved back when that changed it,
 * under the store's lock.  A missing app token is made on the spot: it
 * needs no one's consent, only the secret.
 */
#ifndef CLIENT_PICK_H
#define CLIENT_PICK_H

#include "../common/compiler.h"
#include "cerr.h"
#include "tokstore.h"

enum pick_which {
	PICK_APP,	/* the app token (made if missing: needs the secret) */
	PICK_USER,	/* login's, or the only user token */
	PICK_AUTO,	/* login's, the app's if app, else the only user token, else the app's */
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
