/*
 * Access tokens: inserting app tokens (directly, or queued for the group
 * commit of store_batch.c), looking tokens up, revoking them.  A user
 * token is inserted with its grant (store_grant.c).
 */
#include <stdlib.h>
#include <string.h>

#include "../common/xmalloc.h"
#include "store_impl.h"

/*
 * The app's existence (and secret, when ?7 is given) is part of the
 * insert, so no token is ever issued to an app deleted or given a new
 * secret a moment before.  Comparing digests in SQL is not constant-time,
 * which is harmless: the caller controls only the preimage of ?7, so
 * timing can reveal nothing about the stored secret.
 */
static const struct stmt token_insert = {
	"INSERT INTO tokens (hash, client_id, user_id, scopes, created_at, expires_at) "
	"SELECT ?1, client_id, ?3, ?4, ?5, ?6 FROM apps "
	"WHERE client_id = ?2 AND (?7 IS NULL OR (is_public = 0 AND secret_hash = ?7))", NULL
};

/*
 * A user token is valid while its grant (and so its user) exists; an app
 * token while its app does.
 */
static const struct stmt token_get = {
	"SELECT t.client_id, t.user_id, t.grant_id, t.scopes, t.created_at, t.expires_at, "
	"u.login, g.claims FROM tokens t JOIN apps a ON a.client_id = t.client_id "
	"LEFT JOIN grants g ON g.id = t.grant_id LEFT JOIN users u ON u.id = g.user_id "
	"WHERE t.hash = ?1 AND (t.grant_id IS NULL OR u.id IS NOT NULL)", NULL
};
enum {
	TOKEN_CLIENT_ID, TOKEN_USER_ID, TOKEN_GRANT_ID, TOKEN_SCOPES, TOKEN_CREATED_AT,
	TOKEN_EXPIRES_AT, TOKEN_LOGIN, TOKEN_CLAIMS
};

static const struct stmt token_revoke = {
	"DELETE FROM tokens WHERE hash = ?1 AND client_id = ?2", NULL
};
/* RFC 7009 2.1: revoking a refresh token ends its grant, with every token in it. */
static const struct stmt token_revoke_grant = {
	"DELETE FROM grants WHERE id = (SELECT grant_id FROM refresh_tokens "
	"WHERE hash = ?1 AND client_id = ?2)", NULL
};

enum store_rc
store_token_insert_on(struct db_conn *c, const struct store_token *tok,
    const uint8_t *secret_hash)
{
	int64_t changed = 0;
	enum store_rc rc;

	rc = store_exec(c, &token_insert, ARGS(arg_hash(tok->hash), arg_text(tok->client_id),
	    arg_int_or_null(tok->user_id),
	    arg_text(tok->scopes ? tok->scopes : ""), arg_int(tok->created_at),
	    arg_int(tok->expires_at), arg_hash(secret_hash)), &changed);
	return rc == STORE_OK && changed != 1 ? STORE_NOTFOUND : rc;
}

enum store_rc
store_token_insert(struct store *st, const struct store_token *tok, const uint8_t *secret_hash)
{
	struct db_conn *c = store_writer(st);
	enum store_rc rc = store_token_insert_on(c, tok, secret_hash);

	store_put(st, c);
	return rc;
}

static void
row_to_token(struct db_conn *c, void *out)
{
	struct store_token *tok = out;

	store_copy_id(tok->client_id, sizeof(tok->client_id), db_col_text(c, TOKEN_CLIENT_ID));
	tok->user_id = db_col_int(c, TOKEN_USER_ID);
	tok->grant_id = db_col_int(c, TOKEN_GRANT_ID);
	tok->scopes = xstrdup(db_col_text(c, TOKEN_SCOPES));
	tok->created_at = db_col_int(c, TOKEN_CREATED_AT);
	tok->expires_at = db_col_int(c, TOKEN_EXPIRES_AT);
	store_copy_id(tok->login, sizeof(tok->login), db_col_text(c, TOKEN_LOGIN));
	tok->claims = xstrdup(db_col_text(c, TOKEN_CLAIMS));
}

enum store_rc
store_token_get(struct store *st, const uint8_t hash[HASH_LEN], struct store_token *out)
{
	memset(out, 0, sizeof(*out));
	memcpy(out->hash, hash, HASH_LEN);
	return store_get_one(st, &token_get, ARGS(arg_hash(hash)), row_to_token, out);
}

/* The body of store_token_revoke: the first digest that is the client's. */
static enum store_rc
revoke(struct db_conn *c, const uint8_t (*hashes)[HASH_LEN], size_t n, const char *client_id)
{
	for (size_t i = 0; i < n; i++) {
		/* An access token is deleted; a refresh token takes its grant with it. */
		const struct stmt *const each[] = { &token_revoke, &token_revoke_grant };

		for (size_t k = 0; k < 2; k++) {
			int64_t changed = 0;
			enum store_rc rc = store_exec(c, each[k],
			    ARGS(arg_hash(hashes[i]), arg_text(client_id)), &changed);

			if (rc != STORE_OK || changed > 0)
				return rc;
		}
	}
	return STORE_NOTFOUND;
}

enum store_rc
store_token_revoke(struct store *st, const uint8_t (*hashes)[HASH_LEN], size_t n,
    const char *client_id)
{
	struct db_conn *c;
	enum store_rc rc;

	if ((rc = store_write_begin(st, &c)) == STORE_OK)
		rc = store_write_end(st, c, revoke(c, hashes, n, client_id));
	return rc;
}

/* store_token_revoke_queued's job: the arguments, which stay the caller's. */
struct revoke_job {
	const uint8_t	(*hashes)[HASH_LEN];
	size_t		  n;
	const char	 *client_id;
};

static enum store_rc
revoke_run(struct db_conn *c, void *ctx)
{
	struct revoke_job *j = ctx;

	return revoke(c, j->hashes, j->n, j->client_id);
}

void
store_token_revoke_queued(struct store *st, const uint8_t (*hashes)[HASH_LEN], size_t n,
    const char *client_id, store_done_fn done, void *arg)
{
	struct revoke_job *j = xmalloc(sizeof(*j));

	j->hashes = hashes;
	j->n = n;
	j->client_id = client_id;
	store_write_queued(st, revoke_run, j, free, done, arg);
}
