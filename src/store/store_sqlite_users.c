/*
 * SQLite backend, second half: users, browser sessions, consents, grants,
 * authorization codes and refresh tokens.
 *
 * Every single-use transition (redeeming a code, rotating a refresh token)
 * is one transaction on the writer connection, which this process holds
 * alone (see store_sqlite.c), so two concurrent redemptions are serialised
 * and exactly one finds the value unused.
 *
 * Deleting a grant deletes its refresh tokens (foreign key cascade) but
 * leaves its access token rows: lookups join the grant, so they stop
 * validating in the same commit, and the rows are purged once expired.
 * Grant ids are AUTOINCREMENT and never reused, so they cannot come back.
 */
#include <stdlib.h>
#include <string.h>

#include "../common/str.h"
#include "../common/xmalloc.h"
#include "store_sqlite.h"

static void
row_to_user(sqlite3_stmt *s, struct store_user *u)
{
	memset(u, 0, sizeof(*u));
	u->id = sqlite3_column_int64(s, 0);
	sq_copy_id(u->login, sizeof(u->login), sq_col_text(s, 1));
	u->display_name = xstrdup(sq_col_text(s, 2));
	u->email = xstrdup(sq_col_text(s, 3));
	u->email_verified = sqlite3_column_int(s, 4);
	u->profile_image_url = xstrdup(sq_col_text(s, 5));
	u->password_hash = xstrdup(sq_col_text(s, 6));
	u->created_at = sqlite3_column_int64(s, 7);
	u->updated_at = sqlite3_column_int64(s, 8);
}

enum store_rc
sq_user_insert(void *impl, struct store_user *u)
{
	struct sq *q = impl;
	struct conn *c = sq_writer_get(q);
	sqlite3_stmt *s = sq_stmt(c, ST_USER_INSERT);
	enum store_rc rc = STORE_ERROR;
	int step;

	if (s == NULL)
		goto out;
	sqlite3_bind_text(s, 1, u->login, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, u->display_name, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, u->email ? u->email : "", -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 4, u->email_verified);
	sqlite3_bind_text(s, 5, u->profile_image_url ? u->profile_image_url : "", -1,
	    SQLITE_STATIC);
	sqlite3_bind_text(s, 6, u->password_hash, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 7, u->created_at);
	sqlite3_bind_int64(s, 8, u->updated_at);
	step = sqlite3_step(s);
	if (step == SQLITE_DONE) {
		u->id = sqlite3_last_insert_rowid(c->db);
		rc = STORE_OK;
	} else if (step == SQLITE_CONSTRAINT_UNIQUE)
		rc = STORE_CONFLICT;
	else
		sq_db_error(c, "user insert");
out:
	sq_stmt_done(s);
	sq_writer_put(q);
	return rc;
}

/*
 * Runs a query for one user row and fills out.  ?1 is text (a login), or
 * for ST_SESSION_GET the HASH_LEN digest at text with ?2 = now, or else num.
 */
static enum store_rc
user_query(struct sq *q, enum stmt_id id, const char *text, int64_t num, int64_t now,
    struct store_user *out)
{
	struct conn *c = sq_reader_get(q);
	sqlite3_stmt *s = sq_stmt(c, id);
	enum store_rc rc = STORE_ERROR;
	int step;

	if (s == NULL)
		goto out;
	if (id == ST_SESSION_GET) {
		sqlite3_bind_blob(s, 1, text, HASH_LEN, SQLITE_STATIC);
		sqlite3_bind_int64(s, 2, now);
	} else if (text != NULL)
		sqlite3_bind_text(s, 1, text, -1, SQLITE_STATIC);
	else
		sqlite3_bind_int64(s, 1, num);
	step = sqlite3_step(s);
	if (step == SQLITE_ROW) {
		row_to_user(s, out);
		rc = STORE_OK;
	} else if (step == SQLITE_DONE)
		rc = STORE_NOTFOUND;
	else
		sq_db_error(c, "user get");
out:
	sq_stmt_done(s);
	sq_reader_put(q, c);
	return rc;
}

enum store_rc
sq_user_get_by_login(void *impl, const char *login, struct store_user *out)
{
	return user_query(impl, ST_USER_GET_LOGIN, login, 0, 0, out);
}

enum store_rc
sq_user_get(void *impl, int64_t id, struct store_user *out)
{
	return user_query(impl, ST_USER_GET_ID, NULL, id, 0, out);
}

enum store_rc
sq_session_get(void *impl, const uint8_t *hash, int64_t now, struct store_user *out)
{
	return user_query(impl, ST_SESSION_GET, (const char *)hash, 0, now, out);
}

enum store_rc
sq_user_list(void *impl, struct store_user **out, size_t *n)
{
	struct sq *q = impl;
	struct conn *c = sq_reader_get(q);
	sqlite3_stmt *s = sq_stmt(c, ST_USER_LIST);
	enum store_rc rc = STORE_ERROR;
	int step;

	*out = NULL;
	*n = 0;
	if (s == NULL)
		goto out;
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		*out = xrealloc(*out, (*n + 1) * sizeof(**out));
		row_to_user(s, &(*out)[(*n)++]);
	}
	if (step == SQLITE_DONE)
		rc = STORE_OK;
	else {
		sq_db_error(c, "user list");
		store_user_list_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
out:
	sq_stmt_done(s);
	sq_reader_put(q, c);
	return rc;
}

/*
 * Runs the statements ids[0..n) on the writer in one transaction, binding
 * ?1 = id, ?2 = text, ?3 = num to each as far as it has parameters.  Returns
 * NOTFOUND if the first changed nothing (then the rest do not run), ERROR if
 * any failed (then nothing changed).
 */
static enum store_rc
write_all(struct sq *q, const enum stmt_id *ids, size_t n, int64_t id, const char *text,
    int64_t num)
{
	struct conn *c = sq_writer_get(q);
	enum store_rc rc = STORE_OK;

	if (sq_begin(c) == -1) {
		sq_writer_put(q);
		return STORE_ERROR;
	}
	for (size_t i = 0; i < n && rc == STORE_OK; i++) {
		sqlite3_stmt *s = sq_stmt(c, ids[i]);
		int params;

		if (s == NULL) {
			rc = STORE_ERROR;
			break;
		}
		params = sqlite3_bind_parameter_count(s);
		sqlite3_bind_int64(s, 1, id);
		if (params >= 2)
			sqlite3_bind_text(s, 2, text, -1, SQLITE_STATIC);
		if (params >= 3)
			sqlite3_bind_int64(s, 3, num);
		if (sqlite3_step(s) != SQLITE_DONE) {
			sq_db_error(c, "write");
			rc = STORE_ERROR;
		} else if (i == 0 && sqlite3_changes(c->db) == 0)
			rc = STORE_NOTFOUND;
		sq_stmt_done(s);
	}
	rc = sq_finish(c, rc);
	sq_writer_put(q);
	return rc;
}

enum store_rc
sq_user_delete(void *impl, int64_t id)
{
	/* Grants, sessions, consents and codes go by foreign key cascade. */
	static const enum stmt_id ids[] = { ST_USER_DELETE };

	return write_all(impl, ids, 1, id, NULL, 0);
}

enum store_rc
sq_user_set_password(void *impl, int64_t id, const char *password_hash, int64_t now)
{
	static const enum stmt_id ids[] = {
		ST_USER_SET_PASSWORD, ST_USER_DELETE_GRANTS, ST_USER_DELETE_SESSIONS
	};

	return write_all(impl, ids, 3, id, password_hash, now);
}

enum store_rc
sq_grants_delete(void *impl, int64_t user_id, const char *client_id)
{
	static const enum stmt_id ids[] = { ST_GRANTS_DELETE, ST_CONSENTS_DELETE };

	return write_all(impl, ids, 2, user_id, client_id, 0);
}

enum store_rc
sq_session_insert(void *impl, const uint8_t *hash, int64_t user_id, int64_t created_at,
    int64_t expires_at)
{
	struct sq *q = impl;
	struct conn *c = sq_writer_get(q);
	sqlite3_stmt *s = sq_stmt(c, ST_SESSION_INSERT);
	enum store_rc rc = STORE_ERROR;
	int step;

	if (s == NULL)
		goto out;
	sq_bind_hash(s, 1, hash);
	sqlite3_bind_int64(s, 2, user_id);
	sqlite3_bind_int64(s, 3, created_at);
	sqlite3_bind_int64(s, 4, expires_at);
	step = sqlite3_step(s);
	if (step == SQLITE_DONE)
		rc = sqlite3_changes(c->db) == 1 ? STORE_OK : STORE_NOTFOUND;
	else if (step == SQLITE_CONSTRAINT_PRIMARYKEY)
		rc = STORE_CONFLICT;
	else
		sq_db_error(c, "session insert");
out:
	sq_stmt_done(s);
	sq_writer_put(q);
	return rc;
}

enum store_rc
sq_session_delete(void *impl, const uint8_t *hash)
{
	struct sq *q = impl;
	struct conn *c = sq_writer_get(q);
	sqlite3_stmt *s = sq_stmt(c, ST_SESSION_DELETE);
	enum store_rc rc = STORE_ERROR;

	if (s == NULL)
		goto out;
	sq_bind_hash(s, 1, hash);
	if (sqlite3_step(s) != SQLITE_DONE)
		sq_db_error(c, "session delete");
	else
		rc = sqlite3_changes(c->db) > 0 ? STORE_OK : STORE_NOTFOUND;
out:
	sq_stmt_done(s);
	sq_writer_put(q);
	return rc;
}

enum store_rc
sq_consent_get(void *impl, int64_t user_id, const char *client_id, const char *scopes)
{
	struct sq *q = impl;
	struct conn *c = sq_reader_get(q);
	sqlite3_stmt *s = sq_stmt(c, ST_CONSENT_GET);
	enum store_rc rc = STORE_ERROR;
	int step;

	if (s == NULL)
		goto out;
	sqlite3_bind_int64(s, 1, user_id);
	sqlite3_bind_text(s, 2, client_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, scopes, -1, SQLITE_STATIC);
	step = sqlite3_step(s);
	if (step == SQLITE_ROW)
		rc = STORE_OK;
	else if (step == SQLITE_DONE)
		rc = STORE_NOTFOUND;
	else
		sq_db_error(c, "consent get");
out:
	sq_stmt_done(s);
	sq_reader_put(q, c);
	return rc;
}

enum store_rc
sq_consent_put(void *impl, int64_t user_id, const char *client_id, const char *scopes,
    int64_t now)
{
	struct sq *q = impl;
	struct conn *c = sq_writer_get(q);
	sqlite3_stmt *s = sq_stmt(c, ST_CONSENT_PUT);
	enum store_rc rc = STORE_ERROR;

	if (s == NULL)
		goto out;
	sqlite3_bind_int64(s, 1, user_id);
	sqlite3_bind_text(s, 2, client_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, scopes, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 4, now);
	if (sqlite3_step(s) != SQLITE_DONE)
		sq_db_error(c, "consent put");
	else
		rc = STORE_OK;
out:
	sq_stmt_done(s);
	sq_writer_put(q);
	return rc;
}

/* Stores the access token (and refresh token) of issue in grant_id. */
enum store_rc
sq_store_issued(struct conn *c, int64_t grant_id, int64_t user_id, const char *client_id,
    const struct store_issue *issue, const char *scopes)
{
	sqlite3_stmt *s = sq_stmt(c, ST_TOKEN_INSERT_GRANT);
	int step;

	if (s == NULL)
		return STORE_ERROR;
	sq_bind_hash(s, 1, issue->access.hash);
	sqlite3_bind_text(s, 2, client_id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, user_id);
	sqlite3_bind_int64(s, 4, grant_id);
	sqlite3_bind_text(s, 5, scopes, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 6, issue->access.created_at);
	sqlite3_bind_int64(s, 7, issue->access.expires_at);
	step = sqlite3_step(s);
	sq_stmt_done(s);
	if (step == SQLITE_CONSTRAINT_PRIMARYKEY)
		return STORE_CONFLICT;
	if (step != SQLITE_DONE) {
		sq_db_error(c, "token insert");
		return STORE_ERROR;
	}
	if (!issue->has_refresh)
		return STORE_OK;
	if ((s = sq_stmt(c, ST_REFRESH_INSERT)) == NULL)
		return STORE_ERROR;
	sq_bind_hash(s, 1, issue->refresh_hash);
	sqlite3_bind_int64(s, 2, grant_id);
	sqlite3_bind_text(s, 3, client_id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 4, issue->access.created_at);
	if (issue->refresh_expires_at != 0)
		sqlite3_bind_int64(s, 5, issue->refresh_expires_at);
	else
		sqlite3_bind_null(s, 5);
	step = sqlite3_step(s);
	sq_stmt_done(s);
	if (step == SQLITE_CONSTRAINT_PRIMARYKEY)
		return STORE_CONFLICT;
	if (step != SQLITE_DONE) {
		sq_db_error(c, "refresh insert");
		return STORE_ERROR;
	}
	return STORE_OK;
}

/* Inserts a grant row; NOTFOUND if its user or app is gone. */
enum store_rc
sq_insert_grant(struct conn *c, struct store_grant *g)
{
	sqlite3_stmt *s = sq_stmt(c, ST_GRANT_INSERT);
	enum store_rc rc = STORE_ERROR;

	if (s == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(s, 1, g->user_id);
	sqlite3_bind_text(s, 2, g->client_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, g->scopes, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 4, g->created_at);
	sqlite3_bind_text(s, 5, g->claims ? g->claims : "", -1, SQLITE_STATIC);
	if (sqlite3_step(s) != SQLITE_DONE)
		sq_db_error(c, "grant insert");
	else if (sqlite3_changes(c->db) == 0)
		rc = STORE_NOTFOUND;
	else {
		g->id = sqlite3_last_insert_rowid(c->db);
		rc = STORE_OK;
	}
	sq_stmt_done(s);
	return rc;
}

static enum store_rc
delete_grant(struct conn *c, int64_t grant_id)
{
	sqlite3_stmt *s = sq_stmt(c, ST_GRANT_DELETE);
	int step;

	if (s == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(s, 1, grant_id);
	step = sqlite3_step(s);
	sq_stmt_done(s);
	if (step != SQLITE_DONE) {
		sq_db_error(c, "grant delete");
		return STORE_ERROR;
	}
	return STORE_OK;
}

enum store_rc
sq_grant_issue(void *impl, struct store_grant *grant, const struct store_issue *issue)
{
	struct sq *q = impl;
	struct conn *c = sq_writer_get(q);
	enum store_rc rc;

	if (sq_begin(c) == -1) {
		sq_writer_put(q);
		return STORE_ERROR;
	}
	rc = sq_insert_grant(c, grant);
	if (rc == STORE_OK)
		rc = sq_store_issued(c, grant->id, grant->user_id, grant->client_id, issue,
		    issue->access.scopes ? issue->access.scopes : grant->scopes);
	rc = sq_finish(c, rc);
	sq_writer_put(q);
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

enum store_rc
sq_connections_list(void *impl, int64_t user_id, struct store_connection **out, size_t *n)
{
	struct sq *q = impl;
	struct conn *c = sq_reader_get(q);
	sqlite3_stmt *s = sq_stmt(c, ST_CONNECTIONS);
	enum store_rc rc = STORE_ERROR;
	int step;

	*out = NULL;
	*n = 0;
	if (s == NULL)
		goto out;
	sqlite3_bind_int64(s, 1, user_id);
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		struct store_connection *sc;

		*out = xrealloc(*out, (*n + 1) * sizeof(**out));
		sc = &(*out)[(*n)++];
		memset(sc, 0, sizeof(*sc));
		sq_copy_id(sc->client_id, sizeof(sc->client_id), sq_col_text(s, 0));
		sc->app_name = xstrdup(sq_col_text(s, 1));
		sc->scopes = distinct_words(sq_col_text(s, 2));
		sc->first_authorized = sqlite3_column_int64(s, 3);
	}
	if (step == SQLITE_DONE)
		rc = STORE_OK;
	else {
		sq_db_error(c, "connections");
		store_connections_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
out:
	sq_stmt_done(s);
	sq_reader_put(q, c);
	return rc;
}

enum store_rc
sq_code_insert(void *impl, const struct store_code *code)
{
	struct sq *q = impl;
	struct conn *c = sq_writer_get(q);
	sqlite3_stmt *s = sq_stmt(c, ST_CODE_INSERT);
	enum store_rc rc = STORE_ERROR;
	int step;

	if (s == NULL)
		goto out;
	sq_bind_hash(s, 1, code->hash);
	sqlite3_bind_text(s, 2, code->client_id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, code->user_id);
	sqlite3_bind_text(s, 4, code->redirect_uri, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 5, code->scopes, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 6, code->nonce ? code->nonce : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 7, code->claims ? code->claims : "", -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 8, code->created_at);
	sqlite3_bind_int64(s, 9, code->expires_at);
	step = sqlite3_step(s);
	if (step == SQLITE_DONE)
		rc = sqlite3_changes(c->db) == 1 ? STORE_OK : STORE_NOTFOUND;
	else if (step == SQLITE_CONSTRAINT_PRIMARYKEY)
		rc = STORE_CONFLICT;
	else
		sq_db_error(c, "code insert");
out:
	sq_stmt_done(s);
	sq_writer_put(q);
	return rc;
}

/*
 * The body of sq_code_redeem, inside its transaction.  Reads the code into
 * out, then decides.
 */
static enum store_rc
redeem(struct conn *c, const uint8_t *hash, const char *client_id, const char *redirect_uri,
    const struct store_issue *issue, struct store_code *out)
{
	sqlite3_stmt *s = sq_stmt(c, ST_CODE_GET);
	struct store_grant g;
	int step, used;
	int64_t grant_id;
	enum store_rc rc;

	if (s == NULL)
		return STORE_ERROR;
	sq_bind_hash(s, 1, hash);
	step = sqlite3_step(s);
	if (step != SQLITE_ROW) {
		if (step != SQLITE_DONE)
			sq_db_error(c, "code get");
		sq_stmt_done(s);
		return step == SQLITE_DONE ? STORE_NOTFOUND : STORE_ERROR;
	}
	memcpy(out->hash, hash, HASH_LEN);
	sq_copy_id(out->client_id, sizeof(out->client_id), sq_col_text(s, 0));
	out->user_id = sqlite3_column_int64(s, 1);
	out->redirect_uri = xstrdup(sq_col_text(s, 2));
	out->scopes = xstrdup(sq_col_text(s, 3));
	out->nonce = xstrdup(sq_col_text(s, 4));
	out->claims = xstrdup(sq_col_text(s, 5));
	out->created_at = sqlite3_column_int64(s, 6);
	out->expires_at = sqlite3_column_int64(s, 7);
	used = sqlite3_column_int(s, 8);
	grant_id = sqlite3_column_int64(s, 9);
	sq_stmt_done(s);

	if (strcmp(out->client_id, client_id) != 0)
		return STORE_NOTFOUND;
	if (used) {
		/* Replay: whoever holds the tokens of the first redemption loses them. */
		rc = grant_id != 0 ? delete_grant(c, grant_id) : STORE_OK;
		return rc == STORE_OK ? STORE_REPLAY : rc;
	}
	if (out->expires_at <= issue->access.created_at)
		return STORE_NOTFOUND;
	if (strcmp(out->redirect_uri, redirect_uri) != 0)
		return STORE_MISMATCH;

	memset(&g, 0, sizeof(g));
	g.user_id = out->user_id;
	memcpy(g.client_id, out->client_id, sizeof(g.client_id));
	g.scopes = out->scopes;
	g.claims = out->claims;
	g.created_at = issue->access.created_at;
	if ((rc = sq_insert_grant(c, &g)) != STORE_OK)
		return rc;
	rc = sq_store_issued(c, g.id, g.user_id, g.client_id, issue, out->scopes);
	if (rc != STORE_OK)
		return rc;
	if ((s = sq_stmt(c, ST_CODE_MARK_USED)) == NULL)
		return STORE_ERROR;
	sq_bind_hash(s, 1, hash);
	sqlite3_bind_int64(s, 2, g.id);
	step = sqlite3_step(s);
	sq_stmt_done(s);
	if (step != SQLITE_DONE || sqlite3_changes(c->db) != 1) {
		sq_db_error(c, "code mark used");
		return STORE_ERROR;
	}
	return STORE_OK;
}

enum store_rc
sq_code_redeem(void *impl, const uint8_t *hash, const char *client_id,
    const char *redirect_uri, const struct store_issue *issue, struct store_code *out)
{
	struct sq *q = impl;
	struct conn *c = sq_writer_get(q);
	enum store_rc rc;

	memset(out, 0, sizeof(*out));
	if (sq_begin(c) == -1) {
		sq_writer_put(q);
		return STORE_ERROR;
	}
	/* Failures roll back: no grant without its tokens, no half-used code. */
	rc = sq_finish(c, redeem(c, hash, client_id, redirect_uri, issue, out));
	sq_writer_put(q);
	if (rc != STORE_OK)
		store_code_clear(out);
	return rc;
}

static enum store_rc
refresh(struct conn *c, const uint8_t *hash, const char *client_id,
    const struct store_issue *issue, struct store_grant *g)
{
	sqlite3_stmt *s = sq_stmt(c, ST_REFRESH_GET);
	int64_t expires_at, now = issue->access.created_at;
	int used, step;
	const char *scopes;
	enum store_rc rc;

	if (s == NULL)
		return STORE_ERROR;
	sq_bind_hash(s, 1, hash);
	step = sqlite3_step(s);
	if (step != SQLITE_ROW) {
		if (step != SQLITE_DONE)
			sq_db_error(c, "refresh get");
		sq_stmt_done(s);
		return step == SQLITE_DONE ? STORE_NOTFOUND : STORE_ERROR;
	}
	g->id = sqlite3_column_int64(s, 0);
	sq_copy_id(g->client_id, sizeof(g->client_id), sq_col_text(s, 1));
	expires_at = sqlite3_column_type(s, 2) == SQLITE_NULL ? 0 : sqlite3_column_int64(s, 2);
	used = sqlite3_column_type(s, 3) != SQLITE_NULL;
	g->user_id = sqlite3_column_int64(s, 4);
	g->scopes = xstrdup(sq_col_text(s, 5));
	g->created_at = sqlite3_column_int64(s, 6);
	sq_stmt_done(s);

	if (strcmp(g->client_id, client_id) != 0)
		return STORE_NOTFOUND;
	if (used) {
		/* A rotated-out token came back: someone kept a copy. */
		rc = delete_grant(c, g->id);
		return rc == STORE_OK ? STORE_REPLAY : rc;
	}
	if (expires_at != 0 && expires_at <= now)
		return STORE_NOTFOUND;
	scopes = issue->access.scopes ? issue->access.scopes : g->scopes;
	if (!words_within(scopes, g->scopes))
		return STORE_MISMATCH;
	if (issue->has_refresh) {
		if ((s = sq_stmt(c, ST_REFRESH_MARK_USED)) == NULL)
			return STORE_ERROR;
		sq_bind_hash(s, 1, hash);
		sqlite3_bind_int64(s, 2, now);
		step = sqlite3_step(s);
		sq_stmt_done(s);
		if (step != SQLITE_DONE || sqlite3_changes(c->db) != 1) {
			sq_db_error(c, "refresh mark used");
			return STORE_ERROR;
		}
	}
	return sq_store_issued(c, g->id, g->user_id, g->client_id, issue, scopes);
}

enum store_rc
sq_refresh_use(void *impl, const uint8_t *hash, const char *client_id,
    const struct store_issue *issue, struct store_grant *grant)
{
	struct sq *q = impl;
	struct conn *c = sq_writer_get(q);
	enum store_rc rc;

	memset(grant, 0, sizeof(*grant));
	if (sq_begin(c) == -1) {
		sq_writer_put(q);
		return STORE_ERROR;
	}
	rc = sq_finish(c, refresh(c, hash, client_id, issue, grant));
	sq_writer_put(q);
	if (rc != STORE_OK)
		store_grant_clear(grant);
	return rc;
}
