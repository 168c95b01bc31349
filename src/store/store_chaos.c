/*
 * Ending tokens on purpose (twauth chaos, serve --chaos-rate; src/idp/chaos.c):
 * the grants there are to end, and the two transitions no other path has
 * by user and app.  Expiring rewrites the access tokens' expiry, so that
 * they fail exactly as tokens that lived out their time (the refresh token
 * is untouched: an expired token refreshes); revoking deletes them, as
 * POST /oauth2/revoke of each access token does (store_tokens.c), which
 * leaves the grant and its refresh token too.  A disconnect and a new
 * password are their own transitions (store_grant.c, store_users.c).
 *
 * Both transitions touch only tokens still live at now, so that "nothing
 * was live" (NOTFOUND) is told apart from an ending.
 */
#include "store_impl.h"

/* ?2 and ?3 NULL: any app, any user.  The id order is the cursor's. */
static const struct stmt chaos_grants = {
	"SELECT g.id, g.client_id, g.user_id, u.login FROM grants g "
	"JOIN users u ON u.id = g.user_id "
	"WHERE g.id > ?1 AND (?2 IS NULL OR g.client_id = ?2) "
	"AND (?3 IS NULL OR g.user_id = ?3) ORDER BY g.id LIMIT ?4", NULL
};
enum { CHAOS_GRANT_ID, CHAOS_CLIENT_ID, CHAOS_USER_ID, CHAOS_LOGIN };

/* The live access tokens of the user's grants with the app. */
#define CHAOS_TOKENS_OF \
	"WHERE client_id = ?1 AND expires_at > ?3 AND grant_id IS NOT NULL AND grant_id IN " \
	"(SELECT id FROM grants WHERE user_id = ?2 AND client_id = ?1)"

static const struct stmt chaos_expire = {
	"UPDATE tokens SET expires_at = ?3 " CHAOS_TOKENS_OF, NULL
};
static const struct stmt chaos_revoke = {
	"DELETE FROM tokens " CHAOS_TOKENS_OF, NULL
};

static void
row_to_grant(struct db_conn *c, void *out)
{
	struct store_chaos_grant *g = out;

	g->id = db_col_int(c, CHAOS_GRANT_ID);
	store_copy_id(g->client_id, sizeof(g->client_id), db_col_text(c, CHAOS_CLIENT_ID));
	g->user_id = db_col_int(c, CHAOS_USER_ID);
	store_copy_id(g->login, sizeof(g->login), db_col_text(c, CHAOS_LOGIN));
}

enum store_rc
store_chaos_grants(struct store *st, const char *client_id, int64_t user_id, int64_t after_id,
    size_t max, struct store_chaos_grant **out, size_t *n)
{
	return store_get_all(st, &chaos_grants, ARGS(arg_int(after_id), arg_text(client_id),
	    arg_int_or_null(user_id), arg_int((int64_t)max)), sizeof(**out), row_to_grant, NULL,
	    (void **)out, n);
}

/* One of the two transitions, as its own transaction: OK with *ended, or NOTFOUND. */
static enum store_rc
end_tokens(struct store *st, const struct stmt *s, const char *client_id, int64_t user_id,
    int64_t now, int64_t *ended)
{
	struct db_conn *c = store_writer(st);
	enum store_rc rc;

	*ended = 0;
	rc = store_exec(c, s, ARGS(arg_text(client_id), arg_int(user_id), arg_int(now)), ended);
	store_put(st, c);
	return rc == STORE_OK && *ended == 0 ? STORE_NOTFOUND : rc;
}

enum store_rc
store_chaos_expire(struct store *st, const char *client_id, int64_t user_id, int64_t now,
    int64_t *ended)
{
	return end_tokens(st, &chaos_expire, client_id, user_id, now, ended);
}

enum store_rc
store_chaos_revoke(struct store *st, const char *client_id, int64_t user_id, int64_t now,
    int64_t *ended)
{
	return end_tokens(st, &chaos_revoke, client_id, user_id, now, ended);
}
