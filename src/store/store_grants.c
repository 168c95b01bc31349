/*
 * Grants and what makes them: the implicit flow's direct issue, codes and
 * their redemption, refresh tokens and their rotation, and a user's list of
 * connected apps.
 *
 * Single use: a code is taken by one conditional UPDATE (ST_CODE_CLAIM),
 * so of two concurrent redemptions on any backend, and from any number of
 * servers, exactly one wins; the loser finds the code used, which is a
 * replay.  A rotating refresh token is marked used the same way
 * (ST_REFRESH_MARK_USED), but for TW_REFRESH_RETRY after that a client
 * that lost the answer, or sent two at once, may present it again: each
 * such use makes a sibling replacement, and the first sibling used
 * retires the others (rotated_out, retire_siblings).  So each refresh
 * token records its parent, the token it replaced, and the access token
 * issued with it.
 *
 * Deleting a grant deletes its refresh tokens (foreign key cascade) but
 * leaves its access token rows: lookups join the grant, so they stop
 * validating in the same commit, and the rows are purged once expired.
 * Grant ids are never reused, so they cannot come back.
 */
#include <stdlib.h>
#include <string.h>

#include "../common/limits.h"
#include "../common/str.h"
#include "../common/xmalloc.h"
#include "store_impl.h"

enum store_rc
store_insert_grant(struct db_conn *c, struct store_grant *g)
{
	enum db_rc drc;
	int row = -1;

	drc = db_run(c, ST_GRANT_INSERT, ARGS(arg_int(g->user_id), arg_text(g->client_id),
	    arg_text(g->scopes), arg_int(g->created_at), arg_text(g->claims ? g->claims : "")));
	if (drc == DB_OK && (row = db_next(c)) == 1)
		g->id = db_col_int(c, 0);
	db_done(c);
	if (drc != DB_OK || row < 0)
		return STORE_ERROR;
	return row == 1 ? STORE_OK : STORE_NOTFOUND;
}

/* store_insert_issued; parent: the refresh token this one replaces, or NULL. */
static enum store_rc
insert_issued(struct db_conn *c, int64_t grant_id, int64_t user_id, const char *client_id,
    const struct store_issue *issue, const char *scopes, const uint8_t *parent)
{
	enum store_rc rc;

	rc = store_exec(c, ST_TOKEN_INSERT_GRANT, ARGS(arg_hash(issue->access.hash),
	    arg_text(client_id), arg_int(user_id), arg_int(grant_id), arg_text(scopes),
	    arg_int(issue->access.created_at), arg_int(issue->access.expires_at)), NULL);
	if (rc != STORE_OK || !issue->has_refresh)
		return rc;
	return store_exec(c, ST_REFRESH_INSERT, ARGS(arg_hash(issue->refresh_hash),
	    arg_int(grant_id), arg_text(client_id), arg_int(issue->access.created_at),
	    issue->refresh_expires_at != 0 ? arg_int(issue->refresh_expires_at) : arg_null(),
	    arg_hash(issue->access.hash), parent != NULL ? arg_hash(parent) : arg_null()), NULL);
}

enum store_rc
store_insert_issued(struct db_conn *c, int64_t grant_id, int64_t user_id,
    const char *client_id, const struct store_issue *issue, const char *scopes)
{
	return insert_issued(c, grant_id, user_id, client_id, issue, scopes, NULL);
}

enum store_rc
store_delete_grant(struct db_conn *c, int64_t grant_id)
{
	return store_exec(c, ST_GRANT_DELETE, ARGS(arg_int(grant_id)), NULL);
}

/*
 * A single-use value came back (a used code, a rotated-out refresh token):
 * someone kept a copy, so the grant it made is deleted with every token in
 * it.  REPLAY, or the error.
 */
static enum store_rc
replay(struct db_conn *c, int64_t grant_id)
{
	enum store_rc rc = grant_id != 0 ? store_delete_grant(c, grant_id) : STORE_OK;

	return rc == STORE_OK ? STORE_REPLAY : rc;
}

enum store_rc
store_grant_issue(struct store *st, struct store_grant *grant, const struct store_issue *issue)
{
	struct db_conn *c = store_writer(st);
	enum store_rc rc;

	if ((rc = store_begin(c)) == STORE_OK) {
		rc = store_insert_grant(c, grant);
		if (rc == STORE_OK)
			rc = store_insert_issued(c, grant->id, grant->user_id, grant->client_id,
			    issue, issue->access.scopes ? issue->access.scopes : grant->scopes);
		rc = store_finish(c, rc);
	}
	store_put(st, c);
	return rc;
}

/* The distinct space-separated words of list, in first-seen order. */
static char *
distinct_words(const char *list)
{
	size_t cap = strlen(list) + 1, len = 0;
	char *out = xmalloc(cap);
	const char *p = list + strspn(list, " ");

	out[0] = '\0';
	while (*p != '\0') {
		size_t n = strcspn(p, " ");
		char *w = xmemdup0(p, n);

		if (!words_within(w, out)) {
			if (len > 0)
				out[len++] = ' ';
			memcpy(out + len, w, n);
			len += n;
			out[len] = '\0';
		}
		free(w);
		p += n;
		p += strspn(p, " ");
	}
	return out;
}

static void
row_to_connection(struct db_conn *c, void *out)
{
	struct store_connection *sc = out;

	store_copy_id(sc->client_id, sizeof(sc->client_id), db_col_text(c, 0));
	sc->app_name = xstrdup(db_col_text(c, 1));
	sc->scopes = distinct_words(db_col_text(c, 2));
	sc->first_authorized = db_col_int(c, 3);
}

enum store_rc
store_connections_list(struct store *st, int64_t user_id, struct store_connection **out,
    size_t *n)
{
	return store_get_all(st, ST_CONNECTIONS, ARGS(arg_int(user_id)), sizeof(**out),
	    row_to_connection, store_connection_clear, (void **)out, n);
}

enum store_rc
store_code_insert(struct store *st, const struct store_code *code)
{
	return store_change(st, ST_CODE_INSERT, ARGS(arg_hash(code->hash),
	    arg_text(code->client_id), arg_int(code->user_id), arg_text(code->redirect_uri),
	    arg_text(code->scopes), arg_text(code->nonce ? code->nonce : ""),
	    arg_text(code->claims ? code->claims : ""), arg_int(code->created_at),
	    arg_int(code->expires_at)));
}

/*
 * Why a code could not be claimed: NOTFOUND (unknown, another client's,
 * expired), MISMATCH (its redirect_uri differs; the code is still good) or
 * REPLAY (used before: the grant it made is deleted now).
 */
static enum store_rc
unclaimed(struct db_conn *c, const uint8_t *hash, const char *client_id,
    const char *redirect_uri, int64_t now)
{
	int64_t expires_at = 0, grant_id = 0;
	int row = -1, mine = 0, used = 0, same_uri = 0;

	if (db_run(c, ST_CODE_GET, ARGS(arg_hash(hash))) == DB_OK &&
	    (row = db_next(c)) == 1) {
		mine = strcmp(db_col_text(c, 0), client_id) == 0;
		same_uri = strcmp(db_col_text(c, 1), redirect_uri) == 0;
		expires_at = db_col_int(c, 2);
		used = db_col_int(c, 3) != 0;
		grant_id = db_col_int(c, 4);
	}
	db_done(c);
	if (row < 0)
		return STORE_ERROR;
	if (row == 0 || !mine)
		return STORE_NOTFOUND;
	if (used)
		return replay(c, grant_id);	/* the first redemption's tokens go too */
	if (expires_at <= now)
		return STORE_NOTFOUND;
	if (!same_uri)
		return STORE_MISMATCH;
	/* Claimable after all: a concurrent claim was rolled back.  Try again. */
	return STORE_ERROR;
}

/* The body of store_code_redeem, inside its transaction. */
static enum store_rc
redeem(struct db_conn *c, const uint8_t *hash, const char *client_id,
    const char *redirect_uri, const struct store_issue *issue, struct store_code *out)
{
	int64_t now = issue->access.created_at;
	struct store_grant g;
	enum store_rc rc;
	int row = -1;

	if (db_run(c, ST_CODE_CLAIM, ARGS(arg_hash(hash), arg_text(client_id), arg_int(now),
	    arg_text(redirect_uri))) == DB_OK && (row = db_next(c)) == 1) {
		memcpy(out->hash, hash, HASH_LEN);
		store_copy_id(out->client_id, sizeof(out->client_id), client_id);
		out->redirect_uri = xstrdup(redirect_uri);
		out->user_id = db_col_int(c, 0);
		out->scopes = xstrdup(db_col_text(c, 1));
		out->nonce = xstrdup(db_col_text(c, 2));
		out->claims = xstrdup(db_col_text(c, 3));
		out->created_at = db_col_int(c, 4);
		out->expires_at = db_col_int(c, 5);
	}
	db_done(c);
	if (row < 0)
		return STORE_ERROR;
	if (row == 0)
		return unclaimed(c, hash, client_id, redirect_uri, now);

	memset(&g, 0, sizeof(g));
	g.user_id = out->user_id;
	memcpy(g.client_id, out->client_id, sizeof(g.client_id));
	g.scopes = out->scopes;
	g.claims = out->claims;
	g.created_at = now;
	if ((rc = store_insert_grant(c, &g)) != STORE_OK)
		return rc;
	if ((rc = store_insert_issued(c, g.id, g.user_id, g.client_id, issue,
	    out->scopes)) != STORE_OK)
		return rc;
	return store_exec(c, ST_CODE_SET_GRANT, ARGS(arg_hash(hash), arg_int(g.id)), NULL);
}

enum store_rc
store_code_redeem(struct store *st, const uint8_t hash[HASH_LEN], const char *client_id,
    const char *redirect_uri, const struct store_issue *issue, struct store_code *out)
{
	struct db_conn *c = store_writer(st);
	enum store_rc rc;

	memset(out, 0, sizeof(*out));
	/* Failures roll back: no grant without its tokens, no half-used code. */
	if ((rc = store_begin(c)) == STORE_OK)
		rc = store_finish(c, redeem(c, hash, client_id, redirect_uri, issue, out));
	store_put(st, c);
	if (rc != STORE_OK)
		store_code_clear(out);
	return rc;
}

/*
 * A rotated-out token came back.  Less than TW_REFRESH_RETRY after it was
 * used, and if no token it was replaced by has been used yet, the client
 * is most likely retrying after losing the answer, or sent two refreshes
 * at once and cannot know which answer it will keep: the caller rotates
 * again, and the replacements are siblings until one of them is used (see
 * retire_siblings).  Otherwise a copy was kept: the grant ends.  Retries
 * past TW_REFRESH_REPLACEMENTS are refused, the grant kept: no client
 * loses that many answers.
 */
static enum store_rc
rotated_out(struct db_conn *c, const uint8_t *hash, int64_t grant_id, int64_t used_at,
    int64_t now)
{
	int64_t children = 0, used = 0;
	int row = -1;

	if (used_at < now - TW_REFRESH_RETRY)
		return replay(c, grant_id);
	if (db_run(c, ST_REFRESH_CHILDREN, ARGS(arg_hash(hash))) == DB_OK &&
	    (row = db_next(c)) == 1) {
		children = db_col_int(c, 0);
		used = db_col_int(c, 1);
	}
	db_done(c);
	if (row != 1)
		return STORE_ERROR;
	if (used > 0)
		return replay(c, grant_id);
	return children < TW_REFRESH_REPLACEMENTS ? STORE_OK : STORE_NOTFOUND;
}

/*
 * The token hash, made by rotating parent, is being used: whichever of its
 * siblings (the other answers to retries of parent) the client did not
 * keep are retired with their access tokens.  They are stamped as used
 * just before the retry window, so whoever holds one, if anyone, sets off
 * the replay check with it rather than being taken for another retry.
 */
static enum store_rc
retire_siblings(struct db_conn *c, const uint8_t *hash, const uint8_t *parent, int64_t now)
{
	enum store_rc rc;

	rc = store_exec(c, ST_REFRESH_SIBLING_ACCESS_DELETE, ARGS(arg_hash(hash),
	    arg_hash(parent)), NULL);
	if (rc != STORE_OK)
		return rc;
	return store_exec(c, ST_REFRESH_SIBLINGS_RETIRE, ARGS(arg_hash(hash), arg_hash(parent),
	    arg_int(now - TW_REFRESH_RETRY - 1)), NULL);
}

/* The body of store_refresh_use, inside its transaction. */
static enum store_rc
refresh(struct db_conn *c, const uint8_t *hash, const char *client_id,
    const struct store_issue *issue, struct store_grant *g)
{
	int64_t expires_at = 0, used_at = 0, now = issue->access.created_at, changed = 0;
	int used = 0, row = -1, mine = 0, has_parent = 0;
	uint8_t parent[HASH_LEN];
	const uint8_t *blob;
	size_t blob_len = 0;
	const char *scopes;
	enum store_rc rc;

	/*
	 * A rotation reads and writes several tokens of the grant (siblings,
	 * children): on PostgreSQL, where transactions run side by side, the
	 * grant's row is locked first, so that rotations of one grant take
	 * turns, read what the one before wrote, and cannot deadlock.
	 */
	if (issue->has_refresh &&
	    (rc = store_exec(c, ST_REFRESH_LOCK_GRANT, ARGS(arg_hash(hash)), NULL)) != STORE_OK)
		return rc;
	if (db_run(c, ST_REFRESH_GET, ARGS(arg_hash(hash))) == DB_OK &&
	    (row = db_next(c)) == 1) {
		g->id = db_col_int(c, 0);
		mine = strcmp(db_col_text(c, 1), client_id) == 0;
		store_copy_id(g->client_id, sizeof(g->client_id), db_col_text(c, 1));
		expires_at = db_is_null(c, 2) ? 0 : db_col_int(c, 2);
		used = !db_is_null(c, 3);
		used_at = used ? db_col_int(c, 3) : 0;
		g->user_id = db_col_int(c, 4);
		g->scopes = xstrdup(db_col_text(c, 5));
		g->created_at = db_col_int(c, 6);
		if (!db_is_null(c, 7) && (blob = db_col_blob(c, 7, &blob_len)) != NULL &&
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
	if (used && used_at < now - TW_REFRESH_RETRY)
		return replay(c, g->id);	/* before anything else: a copy ends the grant */
	if (expires_at != 0 && expires_at <= now)
		return STORE_NOTFOUND;
	scopes = issue->access.scopes ? issue->access.scopes : g->scopes;
	if (!words_within(scopes, g->scopes))
		return STORE_MISMATCH;
	/* Checked first: a refusal must not retire the siblings a retry would need. */
	if (used) {
		if (!issue->has_refresh)
			return replay(c, g->id);
		rc = rotated_out(c, hash, g->id, used_at, now);
	} else if (issue->has_refresh) {
		rc = store_exec(c, ST_REFRESH_MARK_USED, ARGS(arg_hash(hash), arg_int(now)),
		    &changed);
		if (rc == STORE_OK && changed != 1)
			return replay(c, g->id);	/* cannot happen under the grant's lock */
		if (rc == STORE_OK && has_parent)
			rc = retire_siblings(c, hash, parent, now);
	} else
		rc = STORE_OK;
	if (rc != STORE_OK)
		return rc;
	return insert_issued(c, g->id, g->user_id, g->client_id, issue, scopes,
	    issue->has_refresh ? hash : NULL);
}

enum store_rc
store_refresh_use(struct store *st, const uint8_t hash[HASH_LEN], const char *client_id,
    const struct store_issue *issue, struct store_grant *grant)
{
	struct db_conn *c = store_writer(st);
	enum store_rc rc;

	memset(grant, 0, sizeof(*grant));
	if ((rc = store_begin(c)) == STORE_OK)
		rc = store_finish(c, refresh(c, hash, client_id, issue, grant));
	store_put(st, c);
	if (rc != STORE_OK)
		store_grant_clear(grant);
	return rc;
}
