/*
 * Authorization codes: stored at /oauth2/authorize, redeemed once at
 * /oauth2/token.
 *
 * Single use: the redemption takes the code with one conditional UPDATE
 * (code_claim), so of two concurrent redemptions on any backend, and from
 * any number of servers, exactly one wins; the loser finds the code used,
 * which is a replay, and the grant the winner made ends (RFC 6749 4.1.2).
 * The claim, the grant and its tokens are one transaction: no grant
 * without its tokens, no code used without its grant.
 */
#include <stdlib.h>
#include <string.h>

#include "../common/xmalloc.h"
#include "store_impl.h"

/* Only for a user and an app that exist. */
static const struct stmt code_insert = {
	"INSERT INTO codes (hash, client_id, user_id, redirect_uri, scopes, nonce, claims, "
	"created_at, expires_at, pkce) SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10 "
	"WHERE EXISTS (SELECT 1 FROM users WHERE id = ?3) "
	"AND EXISTS (SELECT 1 FROM apps WHERE client_id = ?2)", NULL
};
/* Takes the code if everything about it is right: the redemption's one step. */
static const struct stmt code_claim = {
	"UPDATE codes SET used = 1 WHERE hash = ?1 AND client_id = ?2 AND used = 0 "
	"AND expires_at > ?3 AND redirect_uri = ?4 AND pkce = ?5 "
	"RETURNING user_id, scopes, nonce, claims, created_at, expires_at", NULL
};
enum {
	CLAIM_USER_ID, CLAIM_SCOPES, CLAIM_NONCE, CLAIM_CLAIMS, CLAIM_CREATED_AT,
	CLAIM_EXPIRES_AT
};
/* Why a claim failed. */
static const struct stmt code_get = {
	"SELECT client_id, redirect_uri, pkce, expires_at, used, grant_id FROM codes "
	"WHERE hash = ?1", NULL
};
enum {
	CODE_CLIENT_ID, CODE_REDIRECT_URI, CODE_PKCE, CODE_EXPIRES_AT, CODE_USED,
	CODE_GRANT_ID
};
/* What the redemption made, so that a replay ends it. */
static const struct stmt code_set_grant = {
	"UPDATE codes SET grant_id = ?2 WHERE hash = ?1", NULL
};

enum store_rc
store_code_insert(struct store *st, const struct store_code *code)
{
	return store_change(st, &code_insert, ARGS(arg_hash(code->hash),
	    arg_text(code->client_id), arg_int(code->user_id), arg_text(code->redirect_uri),
	    arg_text(code->scopes), arg_text(code->nonce ? code->nonce : ""),
	    arg_text(code->claims ? code->claims : ""), arg_int(code->created_at),
	    arg_int(code->expires_at), arg_text(code->pkce ? code->pkce : "")));
}

/*
 * Why a code could not be claimed: NOTFOUND (unknown, another client's,
 * expired), MISMATCH (its redirect_uri differs; the code is still good),
 * UNPROVEN (its PKCE binding differs; still good) or REPLAY (used before:
 * the grant it made is deleted now).
 */
static enum store_rc
unclaimed(struct db_conn *c, const uint8_t *hash, const char *client_id,
    const char *redirect_uri, const char *pkce, int64_t now)
{
	int64_t expires_at = 0, grant_id = 0;
	int row = -1, mine = 0, used = 0, same_uri = 0, same_pkce = 0;

	if (db_run(c, &code_get, ARGS(arg_hash(hash))) == DB_OK && (row = db_next(c)) == 1) {
		mine = strcmp(db_col_text(c, CODE_CLIENT_ID), client_id) == 0;
		same_uri = strcmp(db_col_text(c, CODE_REDIRECT_URI), redirect_uri) == 0;
		same_pkce = strcmp(db_col_text(c, CODE_PKCE), pkce) == 0;
		expires_at = db_col_int(c, CODE_EXPIRES_AT);
		used = db_col_int(c, CODE_USED) != 0;
		grant_id = db_col_int(c, CODE_GRANT_ID);
	}
	db_done(c);
	if (row < 0)
		return STORE_ERROR;
	if (row == 0 || !mine)
		return STORE_NOTFOUND;
	if (used)
		return store_replay(c, grant_id);	/* the first redemption's tokens go too */
	if (expires_at <= now)
		return STORE_NOTFOUND;
	if (!same_uri)
		return STORE_MISMATCH;
	if (!same_pkce)
		return STORE_UNPROVEN;
	/* Claimable after all: a concurrent claim was rolled back.  Try again. */
	return STORE_ERROR;
}

/* The body of store_code_redeem, inside its transaction. */
static enum store_rc
redeem(struct db_conn *c, const uint8_t *hash, const char *client_id,
    const char *redirect_uri, const char *pkce, const struct store_issue *issue,
    struct store_code *out)
{
	int64_t now = issue->access.created_at;
	struct store_grant g;
	enum store_rc rc;
	int row = -1;

	if (db_run(c, &code_claim, ARGS(arg_hash(hash), arg_text(client_id), arg_int(now),
	    arg_text(redirect_uri), arg_text(pkce))) == DB_OK && (row = db_next(c)) == 1) {
		memcpy(out->hash, hash, HASH_LEN);
		store_copy_id(out->client_id, sizeof(out->client_id), client_id);
		out->redirect_uri = xstrdup(redirect_uri);
		out->user_id = db_col_int(c, CLAIM_USER_ID);
		out->scopes = xstrdup(db_col_text(c, CLAIM_SCOPES));
		out->nonce = xstrdup(db_col_text(c, CLAIM_NONCE));
		out->claims = xstrdup(db_col_text(c, CLAIM_CLAIMS));
		out->created_at = db_col_int(c, CLAIM_CREATED_AT);
		out->expires_at = db_col_int(c, CLAIM_EXPIRES_AT);
	}
	db_done(c);
	if (row < 0)
		return STORE_ERROR;
	if (row == 0)
		return unclaimed(c, hash, client_id, redirect_uri, pkce, now);

	memset(&g, 0, sizeof(g));
	g.user_id = out->user_id;
	memcpy(g.client_id, out->client_id, sizeof(g.client_id));
	g.scopes = out->scopes;
	g.claims = out->claims;
	g.created_at = now;
	if ((rc = store_insert_grant(c, &g)) != STORE_OK)
		return rc;
	if ((rc = store_insert_issued(c, g.id, g.user_id, g.client_id, issue, out->scopes,
	    NULL)) != STORE_OK)
		return rc;
	return store_exec(c, &code_set_grant, ARGS(arg_hash(hash), arg_int(g.id)), NULL);
}

enum store_rc
store_code_redeem(struct store *st, const uint8_t hash[HASH_LEN], const char *client_id,
    const char *redirect_uri, const char *pkce, const struct store_issue *issue,
    struct store_code *out)
{
	struct db_conn *c;
	enum store_rc rc;

	memset(out, 0, sizeof(*out));
	/* Failures roll back: no grant without its tokens, no half-used code. */
	if ((rc = store_write_begin(st, &c)) == STORE_OK)
		rc = store_write_end(st, c, redeem(c, hash, client_id, redirect_uri, pkce,
		    issue, out));
	if (rc != STORE_OK)
		store_code_clear(out);
	return rc;
}
