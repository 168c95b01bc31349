/*
 * Users, browser sessions and consents.  A user's grants, sessions,
 * consents and codes go with them by foreign key cascade.
 */
#include <stdlib.h>
#include <string.h>

#include "../common/xmalloc.h"
#include "store_impl.h"

static void
row_to_user(struct db_conn *c, void *out)
{
	struct store_user *u = out;

	memset(u, 0, sizeof(*u));
	u->id = db_col_int(c, 0);
	store_copy_id(u->login, sizeof(u->login), db_col_text(c, 1));
	u->display_name = xstrdup(db_col_text(c, 2));
	u->email = xstrdup(db_col_text(c, 3));
	u->email_verified = (int)db_col_int(c, 4);
	u->profile_image_url = xstrdup(db_col_text(c, 5));
	u->password_hash = xstrdup(db_col_text(c, 6));
	u->created_at = db_col_int(c, 7);
	u->updated_at = db_col_int(c, 8);
}

enum store_rc
store_user_insert(struct store *st, struct store_user *u)
{
	struct db_conn *c = store_writer(st);
	enum db_rc drc;
	int row = -1;

	drc = db_run(c, ST_USER_INSERT, ARGS(arg_text(u->login), arg_text(u->display_name),
	    arg_text(u->email ? u->email : ""), arg_int(u->email_verified),
	    arg_text(u->profile_image_url ? u->profile_image_url : ""),
	    arg_text(u->password_hash), arg_int(u->created_at), arg_int(u->updated_at)));
	if (drc == DB_OK && (row = db_next(c)) == 1)
		u->id = db_col_int(c, 0);
	db_done(c);
	store_put(st, c);
	if (drc != DB_OK)
		return store_from_db(drc);
	return row == 1 ? STORE_OK : STORE_ERROR;
}

enum store_rc
store_user_get_by_login(struct store *st, const char *login, struct store_user *out)
{
	return store_get_one(st, ST_USER_GET_LOGIN, ARGS(arg_text(login)), row_to_user, out);
}

enum store_rc
store_user_get(struct store *st, int64_t id, struct store_user *out)
{
	return store_get_one(st, ST_USER_GET_ID, ARGS(arg_int(id)), row_to_user, out);
}

enum store_rc
store_session_get(struct store *st, const uint8_t hash[HASH_LEN], int64_t now,
    struct store_user *out)
{
	return store_get_one(st, ST_SESSION_GET, ARGS(arg_hash(hash), arg_int(now)), row_to_user,
	    out);
}

static void
clear_user(void *u)
{
	store_user_clear(u);
}

enum store_rc
store_user_list(struct store *st, struct store_user **out, size_t *n)
{
	return store_get_all(st, ST_USER_LIST, NULL, 0, sizeof(**out), row_to_user, clear_user,
	    (void **)out, n);
}

/*
 * Runs the statements ids[0..n) on a writer in one transaction, each with
 * as many of args as it takes.  NOTFOUND if the first changed nothing (then
 * the rest do not run), ERROR if any failed (then nothing changed).
 */
static enum store_rc
write_all(struct store *st, const enum stmt_id *ids, const size_t *nargs, size_t n,
    const struct db_arg *args, size_t n_args)
{
	struct db_conn *c = store_writer(st);
	enum store_rc rc;

	if ((rc = store_begin(c)) == STORE_OK) {
		for (size_t i = 0; i < n && rc == STORE_OK; i++) {
			int64_t changed = 0;

			rc = store_exec(c, ids[i], args, nargs[i] < n_args ? nargs[i] : n_args,
			    &changed);
			if (rc == STORE_OK && i == 0 && changed == 0)
				rc = STORE_NOTFOUND;
		}
		rc = store_finish(c, rc);
	}
	store_put(st, c);
	return rc;
}

enum store_rc
store_user_delete(struct store *st, int64_t id)
{
	static const enum stmt_id ids[] = { ST_USER_DELETE };
	static const size_t nargs[] = { 1 };

	return write_all(st, ids, nargs, 1, ARGS(arg_int(id)));
}

enum store_rc
store_user_set_password(struct store *st, int64_t id, const char *password_hash, int64_t now)
{
	static const enum stmt_id ids[] = {
		ST_USER_SET_PASSWORD, ST_USER_DELETE_GRANTS, ST_USER_DELETE_SESSIONS
	};
	static const size_t nargs[] = { 3, 1, 1 };

	return write_all(st, ids, nargs, 3,
	    ARGS(arg_int(id), arg_text(password_hash), arg_int(now)));
}

enum store_rc
store_grants_delete(struct store *st, int64_t user_id, const char *client_id)
{
	static const enum stmt_id ids[] = { ST_GRANTS_DELETE, ST_CONSENTS_DELETE };
	static const size_t nargs[] = { 2, 2 };

	return write_all(st, ids, nargs, 2, ARGS(arg_int(user_id), arg_text(client_id)));
}

enum store_rc
store_session_insert(struct store *st, const uint8_t hash[HASH_LEN], int64_t user_id,
    int64_t created_at, int64_t expires_at)
{
	return store_change(st, ST_SESSION_INSERT, ARGS(arg_hash(hash), arg_int(user_id),
	    arg_int(created_at), arg_int(expires_at)));
}

enum store_rc
store_session_delete(struct store *st, const uint8_t hash[HASH_LEN])
{
	return store_change(st, ST_SESSION_DELETE, ARGS(arg_hash(hash)));
}

static void
ignore_row(struct db_conn *c, void *out)
{
	(void)c;
	(void)out;
}

enum store_rc
store_consent_get(struct store *st, int64_t user_id, const char *client_id,
    const char *scopes)
{
	return store_get_one(st, ST_CONSENT_GET, ARGS(arg_int(user_id), arg_text(client_id),
	    arg_text(scopes)), ignore_row, NULL);
}

enum store_rc
store_consent_put(struct store *st, int64_t user_id, const char *client_id,
    const char *scopes, int64_t now)
{
	struct db_conn *c = store_writer(st);
	enum store_rc rc = store_exec(c, ST_CONSENT_PUT, ARGS(arg_int(user_id),
	    arg_text(client_id), arg_text(scopes), arg_int(now)), NULL);

	store_put(st, c);
	return rc;
}
