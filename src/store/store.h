/*
 * The one storage interface the identity logic uses.  Backends (SQLite now;
 * PostgreSQL behind the same functions later) live in store_<name>.c and are
 * the only files that see a database library.
 *
 * Invariants:
 * - Secrets (client secrets, tokens) arrive here as SHA-256 digests only.
 * - Every function is safe to call from any thread at once.
 * - Every state change is one transaction: it happens whole or not at all.
 * - Results that own memory are released with the matching *_clear/_free;
 *   clearing a zeroed struct is a no-op.
 */
#ifndef STORE_H
#define STORE_H

#include <stddef.h>
#include <stdint.h>

#include "../common/hash.h"
#include "../common/limits.h"

struct store;

enum store_rc {
	STORE_OK = 0,
	STORE_NOTFOUND,		/* no such row (or nothing to change) */
	STORE_CONFLICT,		/* already exists */
	STORE_LIMIT,		/* a named limit would be crossed */
	STORE_ERROR,		/* the database failed; logged, retry later */
	STORE__MAX
};

struct store_app {
	char	  client_id[TW_ID_LEN + 1];
	char	 *name;
	int	  is_public;
	int	  has_secret;
	uint8_t	  secret_hash[HASH_LEN];
	char	**redirect_uris;	/* in registration order */
	size_t	  n_redirect_uris;
	int64_t	  created_at;
};

struct store_token {
	uint8_t	 hash[HASH_LEN];
	char	 client_id[TW_ID_LEN + 1];
	int64_t	 user_id;		/* 0 for an app access token */
	char	*scopes;		/* space-separated, "" for none */
	int64_t	 created_at;
	int64_t	 expires_at;
};

/*
 * Opens the database named by spec (a file path for SQLite), creating it
 * (mode 0600, in a directory created 0700 if missing) and applying pending
 * schema migrations.  On failure returns NULL and writes a one-line reason
 * into err.
 */
struct store *store_open(const char *spec, char *err, size_t err_len);
/* Finishes outstanding work and closes.  NULL is a no-op. */
void store_close(struct store *st);
/* The schema version in use (for `twauth db` and tests). */
int store_schema_version(struct store *st);
const char *store_rc_name(enum store_rc rc);

void store_app_clear(struct store_app *app);
void store_app_list_free(struct store_app *apps, size_t n);
/* STORE_CONFLICT if the client id exists. */
enum store_rc store_app_insert(struct store *st, const struct store_app *app);
enum store_rc store_app_get(struct store *st, const char *client_id,
    struct store_app *out);
/* All apps, oldest first; *out is freed with store_app_list_free. */
enum store_rc store_app_list(struct store *st, struct store_app **out, size_t *n);
enum store_rc store_app_set_secret(struct store *st, const char *client_id,
    const uint8_t secret_hash[HASH_LEN]);
/* STORE_CONFLICT if present already, STORE_LIMIT at TW_MAX_REDIRECT_URIS. */
enum store_rc store_app_redirect_add(struct store *st, const char *client_id,
    const char *uri);
/* STORE_NOTFOUND if absent, STORE_LIMIT if it is the last one. */
enum store_rc store_app_redirect_remove(struct store *st, const char *client_id,
    const char *uri);
/* Deletes the app and every token it holds, at once. */
enum store_rc store_app_delete(struct store *st, const char *client_id);

void store_token_clear(struct store_token *tok);
/*
 * Inserts tok only if its app exists and, when secret_hash is not NULL, the
 * app is confidential with that secret digest: one statement, so no token is
 * ever issued to an app deleted or given a new secret a moment before.
 * STORE_NOTFOUND when that condition fails (nothing is written).
 */
enum store_rc store_token_insert(struct store *st, const struct store_token *tok,
    const uint8_t *secret_hash);
/* Looks a token up by digest, whatever its expiry (the caller decides). */
enum store_rc store_token_get(struct store *st, const uint8_t hash[HASH_LEN],
    struct store_token *out);
/* Deletes the token if it exists and belongs to client_id; else NOTFOUND. */
enum store_rc store_token_revoke(struct store *st, const uint8_t hash[HASH_LEN],
    const char *client_id);

#endif
