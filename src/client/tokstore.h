/*
 * The token store: tokens.json in the client's directory (cfgdir.h), one
 * record per issuer, client id and login ("" for the app token), so several
 * accounts and apps live side by side.  A store is opened under the lock,
 * changed, saved and closed; nothing is written unless saved.
 *
 * Keeping tokens fresh lives here too: tokstore_fresh refreshes a record
 * that is expired or within TOK_REFRESH_MARGIN of it, and re-validates a
 * user token not checked for TOK_VALIDATE_EVERY (Twitch requires apps to
 * validate user tokens hourly).
 */
#ifndef CLIENT_TOKSTORE_H
#define CLIENT_TOKSTORE_H

#include <jansson.h>
#include <stdint.h>

#include "../common/compiler.h"
#include "oauth.h"

#define TOK_REFRESH_MARGIN	60	/* seconds before expiry we refresh */
#define TOK_VALIDATE_EVERY	3600	/* seconds between validations */
#define TOK_FILE		"tokens.json"

struct tok_record {
	char	*issuer;
	char	*client_id;
	char	*login;		/* "" for an app token */
	char	*user_id;	/* "" for an app token */
	char	*access_token;
	char	*refresh_token;	/* "" when none */
	char	*scopes;	/* space-separated */
	int64_t	 expires_at;
	int64_t	 obtained_at;
	int64_t	 validated_at;
	int64_t	 dead_at;	/* when the issuer refused it and its refresh; 0: alive */
};

struct tokstore {
	json_t	*root;		/* {"tokens":[...]} */
	int	 lock_fd;
};

/* Locks and reads the store.  0, or -1 with err. */
int tokstore_open(struct tokstore *ts, char *err, size_t err_len) MUST_CHECK;
/* Writes the store (atomically, 0600).  0, or -1 with err. */
int tokstore_save(struct tokstore *ts, char *err, size_t err_len) MUST_CHECK;
void tokstore_close(struct tokstore *ts);
/* Opens the store, puts rec in, saves and closes it.  0, or -1 with err. */
int tokstore_keep(const struct tok_record *rec, char *err, size_t err_len) MUST_CHECK;

/* How many records; the i-th into *out (clear with tok_record_clear). */
size_t tokstore_len(const struct tokstore *ts);
void tokstore_at(const struct tokstore *ts, size_t i, struct tok_record *out);

enum tok_find { TOK_FOUND, TOK_NONE, TOK_SEVERAL };
/*
 * The record for issuer and client_id whose login is login ("" the app
 * token; NULL: the one user token, TOK_SEVERAL if there are more, with
 * their logins in several).
 */
enum tok_find tokstore_find(const struct tokstore *ts, const char *issuer,
    const char *client_id, const char *login, struct tok_record *out,
    char *several, size_t several_len) MUST_CHECK;
/* Adds rec, replacing the record with the same issuer, client and login. */
void tokstore_put(struct tokstore *ts, const struct tok_record *rec);
/* Removes that record, if there is one. */
void tokstore_remove(struct tokstore *ts, const char *issuer, const char *client_id,
    const char *login);

void tok_record_clear(struct tok_record *rec);
/* A record as JSON; with_secrets 0 leaves the tokens out (token list). */
json_t *tok_record_json(const struct tok_record *rec, int with_secrets);
/* Fills rec's tokens from a token answer obtained at now. */
void tok_record_set_tokens(struct tok_record *rec, const struct oauth_tokens *t,
    int64_t now);

/* What keeping a record fresh needs. */
struct tok_fresh {
	const char	*client_secret;	/* NULL for public clients */
	int64_t		 now;
	int		 force;		/* refresh even if not due */
	int		 validated;	/* out: a validation happened */
	int		 refreshed;	/* out: new tokens were saved */
};

/*
 * Makes rec usable: refreshes (user tokens) or fetches a new app token
 * when due, validates user tokens when due, and updates rec (the caller
 * puts and saves it).  OAUTH_OK, else the failure with err set; a token
 * the issuer no longer accepts and cannot refresh is OAUTH_REFUSED, and
 * then rec->dead_at is set (the caller saves it, so that the dead token is
 * never handed out again); a refresh the issuer refused for want of the
 * client secret we do not have is OAUTH_NEEDS_SECRET (a configuration
 * error: the token may well be alive).
 */
enum oauth_rc tokstore_fresh(struct tok_record *rec, struct tok_fresh *f,
    struct oauth_err *err) MUST_CHECK;

#endif
