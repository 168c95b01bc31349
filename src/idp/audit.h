/*
 * The record of what apps under test do, for the rules Twitch enforces
 * (rules.h).  The HTTP layer and the identity logic note facts as they
 * happen (a validation, a Helix call with a dead token, a refresh token
 * presented again); they are counted in memory per app, account, token,
 * kind, detail and minute, and written in batches by a thread of the
 * audit's own every TW_AUDIT_FLUSH_MS, so no request waits for the
 * database to record it.  Beyond TW_AUDIT_MAX_PENDING distinct facts
 * waiting, more are counted as dropped, never allocated for.
 *
 * Tokens are named by a token id (idp_token_id): hex of the first bytes
 * of their SHA-256, never the token (a token has far more entropy than
 * that could give away), so a dead token that comes back is recognised
 * by every server without anything being kept that would let it be used.
 */
#ifndef IDP_AUDIT_H
#define IDP_AUDIT_H

#include <stdint.h>

#include "../common/compiler.h"
#include "../common/limits.h"
#include "../store/store.h"

/* Every fact the rules read; names (audit_kind_name) are what the database keeps. */
enum audit_kind {
	AUDIT_VALIDATED,	/* /oauth2/validate of a live token */
	AUDIT_VALIDATE_DEAD,	/* of a dead one (app and account as last seen live) */
	AUDIT_HELIX,		/* a Helix call answered; detail "GET users", "PATCH channels" */
	AUDIT_HELIX_DEAD,	/* a Helix call with a dead token (401); detail as above */
	AUDIT_ISSUED,		/* a token made; detail: the grant type */
	AUDIT_REFRESH_REPLAYED,	/* a refresh token presented after it was replaced */
	AUDIT_DEVICE_POLL,	/* a device token poll; detail: its answer ("slow_down", ...) */
	AUDIT_TOKEN_IN_URL,	/* a token in a query string; detail: the path */
	AUDIT_SECRET_FROM_BROWSER,	/* a client secret in a request a browser made */
	AUDIT_APP_TOKEN_FROM_BROWSER,	/* an app token in a request a browser made */
	AUDIT_REAUTHORIZED,	/* a new authorization while a live refresh token was held */
	AUDIT_CHAOS,		/* twauth ended a token on purpose; detail: the reason */
	AUDIT_TOKEN_UNAVAILABLE,	/* a chaos 503 answered at /oauth2/token */
	AUDIT_TOKEN_RETRY,	/* the first token request after a 503; detail: seconds waited */
	AUDIT__MAX
};

const char *audit_kind_name(enum audit_kind kind);
/* The kind named name: 0, or -1 for a name no kind has (a newer server's). */
int audit_kind_parse(const char *name, enum audit_kind *out) MUST_CHECK;

/* One fact, as noted. */
struct audit_fact {
	enum audit_kind	 kind;
	const char	*client_id;	/* the app (at most TW_ID_LEN bytes; longer: not noted) */
	int64_t		 user_id;	/* the account, or 0 */
	const char	*token_id;	/* NULL or "" when no token is concerned */
	const char	*detail;	/* NULL or ""; cut at TW_AUDIT_DETAIL_MAX bytes */
	const char	*request_id;	/* X-Request-Id; NULL: the thread's (log_request) */
	int64_t		 at_ms;		/* when, ms since the epoch; 0: now */
};

struct audit;

/* An audit writing into st (not owned) from a thread of its own; NULL: out of threads. */
struct audit *audit_new(struct store *st);
/* Writes what is waiting, stops the thread and frees a.  NULL is a no-op. */
void audit_free(struct audit *a);
/* Counts f.  NULL a: recording is off (serve --no-audit); nothing happens. */
void audit_note(struct audit *a, const struct audit_fact *f);
/* Writes what is waiting now (tests, a chaos command before it exits).  The store's rc. */
MUST_CHECK enum store_rc audit_flush(struct audit *a);
/* Facts not recorded: the pending table was full, or a batch could not be written. */
uint64_t audit_dropped(struct audit *a);

#endif
