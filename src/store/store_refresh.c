/*
 * Refresh tokens: using one, and rotating it (store.h, store_refresh_use).
 *
 * Single use, by one transaction with the row lock taken first: a rotation
 * locks its grant's row before it reads anything (refresh_lock_grant), so
 * rotations of one grant take turns, on any backend and from any number of
 * servers, each reading what the one before wrote; the old token is then
 * marked used by a conditional UPDATE (refresh_mark_used).
 *
 * Retries: for rules->retry_window after a rotation a client that lost
 * the answer, or sent two refreshes at once, may present the old token
 * again: each such use makes a sibling replacement, and the first sibling
 * used retires the others with their access tokens.  So each refresh token
 * records its parent, the token it replaced, and the access token issued
 * with it.  Otherwise a rotated-out token coming back is a copy: the grant
 * ends.  The window and the cap on siblings are decided in src/idp/.
 */
#include <stdlib.h>
#include <string.h>

#include "../common/str.h"
#include "../common/xmalloc.h"
#include "store_impl.h"

/* Locks the grant of ?1 (SQLite has one writer: the transaction is the lock). */
static const struct stmt refresh_lock_grant = {
	"SELECT 1 FROM grants WHERE id = (SELECT grant_id FROM refresh_tokens WHERE hash = ?1)",
	"SELECT 1 FROM grants WHERE id = (SELECT grant_id FROM refresh_tokens WHERE hash = $1) "
	"FOR UPDATE",
};
static const struct stmt refresh_get = {
	"SELECT r.grant_id, r.client_id, r.expires_at, r.used_at, g.user_id, g.scopes, "
	"g.created_at, r.parent FROM refresh_tokens r JOIN grants g ON g.id = r.grant_id "
	"WHERE r.hash = ?1", NULL
};
enum {
	REFRESH_GRANT_ID, REFRESH_CLIENT_ID, REFRESH_EXPIRES_AT, REFRESH_USED_AT,
	REFRESH_USER_ID, REFRESH_SCOPES, REFRESH_GRANT_CREATED_AT, REFRESH_PARENT
};
static const struct stmt refresh_mark_used = {
	"UPDATE refresh_tokens SET used_at = ?2 WHERE hash = ?1 AND used_at IS NULL", NULL
};
/* The tokens that replaced ?1, and how many of them were used. */
static const struct stmt refresh_children = {
	"SELECT COUNT(*), COUNT(used_at) FROM refresh_tokens WHERE parent = ?1", NULL
};
enum { CHILDREN_ALL, CHILDREN_USED };
/* ?1's unused siblings, the other children of ?2: their access tokens, then they. */
static const struct stmt refresh_siblings_access_delete = {
	"DELETE FROM tokens WHERE hash IN (SELECT access_hash FROM refresh_tokens "
	"WHERE parent = ?2 AND hash <> ?1 AND used_at IS NULL)", NULL
};
static const struct stmt refresh_siblings_retire = {
	"UPDATE refresh_tokens SET used_at = ?3 WHERE parent = ?2 AND hash <> ?1 "
	"AND used_at IS NULL", NULL
};

/*
 * A rotated-out token came back within the retry window.  If no token it
 * was replaced by has been used yet, the client is most likely retrying
 * after losing the answer, or sent two refreshes at once and cannot know
 * which answer it will keep: OK, the caller rotates again, and the
 * replacements are siblings until one of them is used (retire_siblings).
 * If one was used, a copy was kept: the grant ends.  Past
 * rules->max_replacements, NOTFOUND: no client loses that many answers,
 * and the grant is kept.
 */
static enum store_rc
rotated_out(struct db_conn *c, const uint8_t *hash, int64_t grant_id,
    const struct store_refresh_rules *rules)
{
	int64_t children = 0, used = 0;
	int row = -1;

	if (db_run(c, &refresh_children, ARGS(arg_hash(hash))) == DB_OK &&
	    (row = db_next(c)) == 1) {
		children = db_col_int(c, CHILDREN_ALL);
		used = db_col_int(c, CHILDREN_USED);
	}
	db_done(c);
	if (row != 1)
		return STORE_ERROR;
	if (used > 0)
		return store_replay(c, grant_id);
	return children < rules->max_replacements ? STORE_OK : STORE_NOTFOUND;
}

/*
 * The token hash, made by rotating parent, is being used: whichever of its
 * siblings (the other answers to retries of parent) the client did not
 * keep are retired with their access tokens.  They are stamped as used
 * just before the retry window, so whoever holds one, if anyone, sets off
 * the replay check with it rather than being taken for another retry.
 */
static enum store_rc
retire_siblings(struct db_conn *c, const uint8_t *hash, const uint8_t *parent, int64_t now,
    const struct store_refresh_rules *rules)
{
	enum store_rc rc;

	rc = store_exec(c, &refresh_siblings_access_delete, ARGS(arg_hash(hash),
	    arg_hash(parent)), NULL);
	if (rc != STORE_OK)
		return rc;
	return store_exec(c, &refresh_siblings_retire, ARGS(arg_hash(hash), arg_hash(parent),
	    arg_int(now - rules->retry_window - 1)), NULL);
}

/* The body of store_refresh_use, inside its transaction. */
static enum store_rc
refresh(struct db_conn *c, const uint8_t *hash, const char *client_id,
    const struct store_issue *issue, const struct store_refresh_rules *rules,
    struct store_grant *g)
{
	int64_t expires_at = 0, used_at = 0, now = issue->access.created_at, changed = 0;
	int used = 0, row = -1, mine = 0, has_parent = 0;
	uint8_t parent[HASH_LEN];
	const uint8_t *blob;
	size_t blob_len = 0;
	const char *scopes;
	enum store_rc rc;

	if (issue->has_refresh &&
	    (rc = store_exec(c, &refresh_lock_grant, ARGS(arg_hash(hash)), NULL)) != STORE_OK)
		return rc;
	if (db_run(c, &refresh_get, ARGS(arg_hash(hash))) == DB_OK && (row = db_next(c)) == 1) {
		g->id = db_col_int(c, REFRESH_GRANT_ID);
		mine = strcmp(db_col_text(c, REFRESH_CLIENT_ID), client_id) == 0;
		store_copy_id(g->client_id, sizeof(g->client_id),
		    db_col_text(c, REFRESH_CLIENT_ID));
		expires_at = db_is_null(c, REFRESH_EXPIRES_AT) ? 0 :
		    db_col_int(c, REFRESH_EXPIRES_AT);
		used = !db_is_null(c, REFRESH_USED_AT);
		used_at = used ? db_col_int(c, REFRESH_USED_AT) : 0;
		g->user_id = db_col_int(c, REFRESH_USER_ID);
		g->scopes = xstrdup(db_col_text(c, REFRESH_SCOPES));
		g->created_at = db_col_int(c, REFRESH_GRANT_CREATED_AT);
		if (!db_is_null(c, REFRESH_PARENT) &&
		    (blob = db_col_blob(c, REFRESH_PARENT, &blob_len)) != NULL &&
		    blob_len == HASH_LEN) {
			memcpy(parent, blob, HASH_LEN);
			has_parent = 1;
		}
	}
	db_done(c);
	if (row < 0)
		return STORE_ERROR;
	if (row == 0 || !mine)
		return STORE_NOTFOUND;
	if (used && used_at < now - rules->retry_window)
		return store_replay(c, g->id);	/* before anything else: a copy ends the grant */
	if (expires_at != 0 && expires_at <= now)
		return STORE_NOTFOUND;
	scopes = issue->access.scopes ? issue->access.scopes : g->scopes;
	if (!words_within(scopes, g->scopes))
		return STORE_MISMATCH;
	/* Checked first: a refusal must not retire the siblings a retry would need. */
	if (used) {
		if (!issue->has_refresh)
			return store_replay(c, g->id);
		rc = rotated_out(c, hash, g->id, rules);
	} else if (issue->has_refresh) {
		rc = store_exec(c, &refresh_mark_used, ARGS(arg_hash(hash), arg_int(now)),
		    &changed);
		if (rc == STORE_OK && changed != 1)
			return store_replay(c, g->id);	/* cannot happen under the grant's lock */
		if (rc == STORE_OK && has_parent)
			rc = retire_siblings(c, hash, parent, now, rules);
	} else
		rc = STORE_OK;
	if (rc != STORE_OK)
		return rc;
	return store_insert_issued(c, g->id, g->user_id, g->client_id, issue, scopes,
	    issue->has_refresh ? hash : NULL);
}

/* store_refresh_use_queued's job: the arguments, which stay the caller's. */
struct refresh_job {
	const uint8_t			*hash;
	const char			*client_id;
	const struct store_issue	*issue;
	const struct store_refresh_rules *rules;
	struct store_grant		*grant;
};

static enum store_rc
refresh_run(struct db_conn *c, void *ctx)
{
	struct refresh_job *j = ctx;

	/* Run again after its batch rolled back: from the start. */
	store_grant_clear(j->grant);
	return refresh(c, j->hash, j->client_id, j->issue, j->rules, j->grant);
}

void
store_refresh_use_queued(struct store *st, const uint8_t hash[HASH_LEN], const char *client_id,
    const struct store_issue *issue, const struct store_refresh_rules *rules,
    struct store_grant *grant, store_done_fn done, void *arg)
{
	struct refresh_job *j = xmalloc(sizeof(*j));

	j->hash = hash;
	j->client_id = client_id;
	j->issue = issue;
	j->rules = rules;
	j->grant = grant;
	memset(grant, 0, sizeof(*grant));
	store_write_queued(st, refresh_run, j, free, done, arg);
}

enum store_rc
store_refresh_use(struct store *st, const uint8_t hash[HASH_LEN], const char *client_id,
    const struct store_issue *issue, const struct store_refresh_rules *rules,
    struct store_grant *grant)
{
	struct db_conn *c;
	enum store_rc rc;

	memset(grant, 0, sizeof(*grant));
	if ((rc = store_write_begin(st, &c)) == STORE_OK)
		rc = store_write_end(st, c, refresh(c, hash, client_id, issue, rules, grant));
	if (rc != STORE_OK)
		store_grant_clear(grant);
	return rc;
}
