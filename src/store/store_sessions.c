/*
 * Browser sessions (the cookie's digest) and consents (which scope sets a
 * user approved for an app, so that the consent page is shown once).  A
 * session is inserted only if its user exists, a consent only if its user
 * and app do: existence is checked in the statement that writes.
 */
#include "store_impl.h"

static const struct stmt session_insert = {
	"INSERT INTO sessions (hash, user_id, created_at, expires_at) "
	"SELECT ?1, id, ?3, ?4 FROM users WHERE id = ?2", NULL
};
static const struct stmt session_get = {
	"SELECT " STORE_USER_COLS " FROM sessions s JOIN users u ON u.id = s.user_id "
	"WHERE s.hash = ?1 AND s.expires_at > ?2", NULL
};
static const struct stmt session_delete = {
	"DELETE FROM sessions WHERE hash = ?1", NULL
};
static const struct stmt consent_get = {
	"SELECT 1 FROM consents WHERE user_id = ?1 AND client_id = ?2 AND scopes = ?3", NULL
};
static const struct stmt consent_put = {
	"INSERT INTO consents (user_id, client_id, scopes, created_at) "
	"SELECT ?1, ?2, ?3, ?4 WHERE EXISTS (SELECT 1 FROM users WHERE id = ?1) "
	"AND EXISTS (SELECT 1 FROM apps WHERE client_id = ?2) ON CONFLICT DO NOTHING", NULL
};

enum store_rc
store_session_insert(struct store *st, const uint8_t hash[HASH_LEN], int64_t user_id,
    int64_t created_at, int64_t expires_at)
{
	return store_change(st, &session_insert, ARGS(arg_hash(hash), arg_int(user_id),
	    arg_int(created_at), arg_int(expires_at)));
}

enum store_rc
store_session_get(struct store *st, const uint8_t hash[HASH_LEN], int64_t now,
    struct store_user *out)
{
	return store_get_one(st, &session_get, ARGS(arg_hash(hash), arg_int(now)),
	    store_row_to_user, out);
}

enum store_rc
store_session_delete(struct store *st, const uint8_t hash[HASH_LEN])
{
	return store_change(st, &session_delete, ARGS(arg_hash(hash)));
}

enum store_rc
store_consent_get(struct store *st, int64_t user_id, const char *client_id,
    const char *scopes)
{
	return store_get_one(st, &consent_get, ARGS(arg_int(user_id), arg_text(client_id),
	    arg_text(scopes)), store_row_ignore, NULL);
}

enum store_rc
store_consent_put(struct store *st, int64_t user_id, const char *client_id,
    const char *scopes, int64_t now)
{
	struct db_conn *c = store_writer(st);
	enum store_rc rc = store_exec(c, &consent_put, ARGS(arg_int(user_id),
	    arg_text(client_id), arg_text(scopes), arg_int(now)), NULL);

	store_put(st, c);
	return rc;
}
