/*
 * Access tokens: inserting app tokens (directly, or queued for the group
 * commit of store_batch.c), looking tokens up, revoking them.
 */
#include <stdlib.h>
#include <string.h>

#include "../common/xmalloc.h"
#include "store_impl.h"

enum store_rc
store_token_insert_on(struct db_conn *c, const struct store_token *tok,
    const uint8_t *secret_hash)
{
	int64_t changed = 0;
	enum store_rc rc;

	rc = store_exec(c, ST_TOKEN_INSERT, ARGS(arg_hash(tok->hash), arg_text(tok->client_id),
	    tok->user_id != 0 ? arg_int(tok->user_id) : arg_null(),
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

	store_copy_id(tok->client_id, sizeof(tok->client_id), db_col_text(c, 0));
	tok->user_id = db_col_int(c, 1);
	tok->grant_id = db_col_int(c, 2);
	tok->scopes = xstrdup(db_col_text(c, 3));
	tok->created_at = db_col_int(c, 4);
	tok->expires_at = db_col_int(c, 5);
	store_copy_id(tok->login, sizeof(tok->login), db_col_text(c, 6));
	tok->claims = xstrdup(db_col_text(c, 7));
}

enum store_rc
store_token_get(struct store *st, const uint8_t hash[HASH_LEN], struct store_token *out)
{
	memset(out, 0, sizeof(*out));
	memcpy(out->hash, hash, HASH_LEN);
	return store_get_one(st, ST_TOKEN_GET, ARGS(arg_hash(hash)), row_to_token, out);
}

/* An access token is deleted; a refresh token takes its grant with it. */
enum store_rc
store_token_revoke(struct store *st, const uint8_t hash[HASH_LEN], const char *client_id)
{
	enum store_rc rc = store_change(st, ST_TOKEN_REVOKE,
	    ARGS(arg_hash(hash), arg_text(client_id)));

	if (rc == STORE_NOTFOUND)
		rc = store_change(st, ST_REFRESH_REVOKE_GRANT,
		    ARGS(arg_hash(hash), arg_text(client_id)));
	return rc;
}
