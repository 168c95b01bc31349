/*
 * Why a client operation did not work, in words for the user: whose
 * verdict it was (the issuer's or the user's refusal, or no verdict at
 * all: a usage or network error), what happened, and lines of advice.
 * src/client fills one; src/cli prints it ("twauth: " before each line of
 * msg, hint as it is) and picks the exit status from the kind.  Messages
 * never carry a token or a secret.
 */
#ifndef CLIENT_CERR_H
#define CLIENT_CERR_H

#include "oauth.h"

#define CERR_MAX	2048	/* bytes of msg, and of hint; longer is cut */

enum cerr_kind {
	CERR_NONE,
	CERR_REFUSED,	/* the issuer or the user said no */
	CERR_ERROR,	/* usage or network: nothing was decided */
	CERR__MAX
};

struct cerr {
	enum cerr_kind	 kind;
	char		 msg[CERR_MAX];		/* lines, without the last newline */
	char		 hint[CERR_MAX];	/* lines, each with its newline; or "" */
};

/* Sets e to kind and the formatted message, no hint.  Returns -1. */
int cerr_set(struct cerr *e, enum cerr_kind kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Adds a line to e's message. */
void cerr_line(struct cerr *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Adds advice to e: fmt's text as it is, its lines ending in newlines. */
void cerr_hint(struct cerr *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/*
 * Sets e from what an issuer call while doing said (rc is OAUTH_REFUSED or
 * OAUTH_NETWORK; err from the call), with advice for a wrong client secret
 * or an unknown client.  Returns -1.
 */
int cerr_oauth(struct cerr *e, const char *doing, enum oauth_rc rc,
    const struct oauth_err *err);

#endif
