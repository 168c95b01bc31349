/*
 * Users.  A user's grants, sessions, consents and codes go with them by
 * foreign key cascade; a new password ends every grant and session of
 * theirs in the same transaction, and so does store_user_sign_out without
 * one (twauth chaos passwd): the same statements.
 */
#include <stdlib.h>
#include <string.h>

#include "../common/xmalloc.h"
#include "store_impl.h"

static const struct stmt user_insert = {
	"INSERT INTO users (login, display_name, email, email_verified, profile_image_url, "
	"password_hash, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) "
	"RETURNING id", NULL
};
enum { USER_INSERT_ID };
static const struct stmt user_get_login = {
	"SELECT " STORE_USER_COLS " FROM users u WHERE u.login = ?1", NULL
};
static const struct stmt user_get_id = {
	"SELECT " STORE_USER_COLS " FROM users u WHERE u.id = ?1", NULL
};
static const struct stmt user_list = {
	"SELECT " STORE_USER_COLS " FROM users u ORDER BY u.id", NULL
};
static const struct stmt user_delete = {
	"DELETE FROM users WHERE id = ?1", NULL
};
static const struct stmt user_set_password = {
	"UPDATE users SET password_hash = ?2, updated_at = ?3 WHERE id = ?1", NULL
};
static const struct stmt user_delete_grants = {
	"DELETE FROM grants WHERE user_id = ?1", NULL
};
static const struct stmt user_delete_sessions = {
	"DELETE FROM sessions WHERE user_id = ?1", NULL
};

void
store_row_to_user(struct db_conn *c, void *out)
{
	struct store_user *u = out;

	memset(u, 0, sizeof(*u));
	u->id = db_col_int(c, USER_ID);
	store_copy_id(u->login, sizeof(u->login), db_col_text(c, USER_LOGIN));
	u->display_name = xstrdup(db_col_text(c, USER_DISPLAY_NAME));
	u->email = xstrdup(db_col_text(c, USER_EMAIL));
	u->email_verified = (int)db_col_int(c, USER_EMAIL_VERIFIED);
	u->profile_image_url = xstrdup(db_col_text(c, USER_PROFILE_IMAGE_URL));
	u->password_hash = xstrdup(db_col_text(c, USER_PASSWORD_HASH));
	u->created_at = db_col_int(c, USER_CREATED_AT);
	u->updated_at = db_col_int(c, USER_UPDATED_AT);
}

enum store_rc
store_user_insert(struct store *st, struct store_user *u)
{
	struct db_conn *c = store_writer(st);
	enum db_rc drc;
	int row = -1;

	drc = db_run(c, &user_insert, ARGS(arg_text(u->login), arg_text(u->display_name),
	    arg_text(u->email ? u->email : ""), arg_int(u->email_verified),
	    arg_text(u->profile_image_url ? u->profile_image_url : ""),
	    arg_text(u->password_hash), arg_int(u->created_at), arg_int(u->updated_at)));
	if (drc == DB_OK && (row = db_next(c)) == 1)
		u->id = db_col_int(c, USER_INSERT_ID);
	db_done(c);
	store_put(st, c);
	if (drc != DB_OK)
		return store_from_db(drc);
	return row == 1 ? STORE_OK : STORE_ERROR;
}

enum store_rc
store_user_get_by_login(struct store *st, const char *login, struct store_user *out)
{
	return store_get_one(st, &user_get_login, ARGS(arg_text(login)), store_row_to_user,
	    out);
}

enum store_rc
store_user_get(struct store *st, int64_t id, struct store_user *out)
{
	return store_get_one(st, &user_get_id, ARGS(arg_int(id)), store_row_to_user, out);
}

static void
clear_user(void *u)
{
	store_user_clear(u);
}

enum store_rc
store_user_list(struct store *st, struct store_user **out, size_t *n)
{
	return store_get_all(st, &user_list, NULL, 0, sizeof(**out), store_row_to_user,
	    clear_user, (void **)out, n);
}

enum store_rc
store_user_delete(struct store *st, int64_t id)
{
	static const struct stmt *const all[] = { &user_delete };
	static const size_t nargs[] = { 1 };

	return store_change_all(st, all, nargs, 1, ARGS(arg_int(id)));
}

enum store_rc
store_user_set_password(struct store *st, int64_t id, const char *password_hash, int64_t now)
{
	static const struct stmt *const all[] = {
		&user_set_password, &user_delete_grants, &user_delete_sessions
	};
	static const size_t nargs[] = { 3, 1, 1 };

	return store_change_all(st, all, nargs, 3,
	    ARGS(arg_int(id), arg_text(password_hash), arg_int(now)));
}

enum store_rc
store_user_sign_out(struct store *st, int64_t id)
{
	static const struct stmt *const all[] = { &user_delete_grants, &user_delete_sessions };
	static const size_t nargs[] = { 1, 1 };

	return store_change_all(st, all, nargs, 2, ARGS(arg_int(id)));
}
