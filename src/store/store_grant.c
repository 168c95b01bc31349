/*
 * The grant's lifecycle.  A grant is one authorization of an app by a
 * user (store.h); it is made by the implicit flow here, by a code's
 * redemption (store_code.c) and by a device approval (store_device.c), and
 * holds every token refreshed from those (store_refresh.c).  It ends when
 * the user disconnects the app, changes their password or is deleted, when
 * its refresh token is revoked, or when a single-use value of it comes back
 * (store_replay).
 *
 * Deleting a grant deletes its refresh tokens (foreign key cascade) but
 * leaves its access token rows: lookups join the grant, so they stop
 * validating in the same commit, and the rows are purged once expired.
 * Grant ids are never reused (schema.c), so they cannot come back.
 */
#include <stdlib.h>
#include <string.h>

#include "../common/str.h"
#include "../common/xmalloc.h"
#include "store_impl.h"

static const struct stmt grant_insert = {
	"INSERT INTO grants (user_id, client_id, scopes, created_at, claims) "
	"SELECT ?1, ?2, ?3, ?4, ?5 WHERE EXISTS (SELECT 1 FROM users WHERE id = ?1) "
	"AND EXISTS (SELECT 1 FROM apps WHERE client_id = ?2) RETURNING id", NULL
};
enum { GRANT_INSERT_ID };
static const struct stmt grant_token_insert = {
	"INSERT INTO tokens (hash, client_id, user_id, grant_id, scopes, created_at, "
	"expires_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", NULL
};
/* access_hash: the access token issued with it; parent: the token it replaced. */
static const struct stmt grant_refresh_insert = {
	"INSERT INTO refresh_tokens (hash, grant_id, client_id, created_at, expires_at, "
	"access_hash, parent) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", NULL
};
static const struct stmt grant_delete = {
	"DELETE FROM grants WHERE id = ?1", NULL
};
/* Disconnecting an app: every grant and consent between the user and it. */
static const struct stmt grants_delete = {
	"DELETE FROM grants WHERE user_id = ?1 AND client_id = ?2", NULL
};
static const struct stmt consents_delete = {
	"DELETE FROM consents WHERE user_id = ?1 AND client_id = ?2", NULL
};
/* A user's connections page: one line per app, its grants' scopes joined. */
static const struct stmt connections = {
	"SELECT g.client_id, a.name, group_concat(g.scopes, ' '), MIN(g.created_at) AS first "
	"FROM grants g JOIN apps a ON a.client_id = g.client_id WHERE g.user_id = ?1 "
	"GROUP BY g.client_id ORDER BY first, g.client_id",
	"SELECT g.client_id, a.name, string_agg(g.scopes, ' '), MIN(g.created_at) AS first "
	"FROM grants g JOIN apps a ON a.client_id = g.client_id WHERE g.user_id = $1 "
	"GROUP BY g.client_id, a.name ORDER BY first, g.client_id",
};
enum { CONN_CLIENT_ID, CONN_APP_NAME, CONN_SCOPES, CONN_FIRST };
/* The grants of a user with an app that hold a refresh token still usable at ?3. */
static const struct stmt grants_live = {
	"SELECT count(DISTINCT g.id) FROM grants g JOIN refresh_tokens r ON r.grant_id = g.id "
	"WHERE g.user_id = ?1 AND g.client_id = ?2 AND r.used_at IS NULL "
	"AND (r.expires_at IS NULL OR r.expires_at > ?3)", NULL
};

static void
row_to_count(struct db_conn *c, void *out)
{
	*(int64_t *)out = db_col_int(c, 0);
}

enum store_rc
store_grants_live(struct store *st, int64_t user_id, const char *client_id, int64_t now,
    int64_t *n)
{
	*n = 0;
	return store_get_one(st, &grants_live, ARGS(arg_int(user_id), arg_text(client_id),
	    arg_int(now)), row_to_count, n);
}

enum store_rc
store_insert_grant(struct db_conn *c, struct store_grant *g)
{
	enum db_rc drc;
	int row = -1;

	drc = db_run(c, &grant_insert, ARGS(arg_int(g->user_id), arg_text(g->client_id),
	    arg_text(g->scopes), arg_int(g->created_at), arg_text(g->claims ? g->claims : "")));
	if (drc == DB_OK && (row = db_next(c)) == 1)
		g->id = db_col_int(c, GRANT_INSERT_ID);
	db_done(c);
	if (drc != DB_OK || row < 0)
		return STORE_ERROR;
	return row == 1 ? STORE_OK : STORE_NOTFOUND;
}

enum store_rc
store_insert_issued(struct db_conn *c, int64_t grant_id, int64_t user_id,
    const char *client_id, const struct store_issue *issue, const char *scopes,
    const uint8_t *parent)
{
	enum store_rc rc;

	rc = store_exec(c, &grant_token_insert, ARGS(arg_hash(issue->access.hash),
	    arg_text(client_id), arg_int(user_id), arg_int(grant_id), arg_text(scopes),
	    arg_int(issue->access.created_at), arg_int(issue->access.expires_at)), NULL);
	if (rc != STORE_OK || !issue->has_refresh)
		return rc;
	return store_exec(c, &grant_refresh_insert, ARGS(arg_hash(issue->refresh_hash),
	    arg_int(grant_id), arg_text(client_id), arg_int(issue->access.created_at),
	    arg_int_or_null(issue->refresh_expires_at),
	    arg_hash(issue->access.hash), arg_hash(parent)), NULL);
}

enum store_rc
store_replay(struct db_conn *c, int64_t grant_id)
{
	enum store_rc rc = STORE_OK;

	if (grant_id != 0)
		rc = store_exec(c, &grant_delete, ARGS(arg_int(grant_id)), NULL);
	return rc == STORE_OK ? STORE_REPLAY : rc;
}

enum store_rc
store_grant_issue(struct store *st, struct store_grant *grant, const struct store_issue *issue)
{
	struct db_conn *c;
	enum store_rc rc;

	if ((rc = store_write_begin(st, &c)) != STORE_OK)
		return rc;
	rc = store_insert_grant(c, grant);
	if (rc == STORE_OK)
		rc = store_insert_issued(c, grant->id, grant->user_id, grant->client_id, issue,
		    issue->access.scopes ? issue->access.scopes : grant->scopes, NULL);
	return store_write_end(st, c, rc);
}

enum store_rc
store_grants_delete(struct store *st, int64_t user_id, const char *client_id)
{
	static const struct stmt *const all[] = { &grants_delete, &consents_delete };
	static const size_t nargs[] = { 2, 2 };

	return store_change_all(st, all, nargs, 2, ARGS(arg_int(user_id), arg_text(client_id)));
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

	store_copy_id(sc->client_id, sizeof(sc->client_id), db_col_text(c, CONN_CLIENT_ID));
	sc->app_name = xstrdup(db_col_text(c, CONN_APP_NAME));
	sc->scopes = distinct_words(db_col_text(c, CONN_SCOPES));
	sc->first_authorized = db_col_int(c, CONN_FIRST);
}

enum store_rc
store_connections_list(struct store *st, int64_t user_id, struct store_connection **out,
    size_t *n)
{
	return store_get_all(st, &connections, ARGS(arg_int(user_id)), sizeof(**out),
	    row_to_connection, store_connection_clear, (void **)out, n);
}
