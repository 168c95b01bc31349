/*
 * Apps: registration, secrets, redirect URIs, owners, deletion.  Deleting an app
 * row invalidates its tokens in the same commit (token lookups join it);
 * their rows stay until they expire.
 */
#include <stdlib.h>
#include <string.h>

#include "../common/xmalloc.h"
#include "store_impl.h"

/* What an app's row holds, in the order of APP_COLS. */
#define APP_COLS "client_id, name, secret_hash, is_public, redirect_uris, created_at, " \
	"profile, owner_id, category"
enum {
	APP_CLIENT_ID, APP_NAME, APP_SECRET_HASH, APP_IS_PUBLIC, APP_REDIRECT_URIS,
	APP_CREATED_AT, APP_PROFILE, APP_OWNER_ID, APP_CATEGORY
};

const char *const app_profile_names[] = {
	[APP_PROFILE_TWITCH] = "twitch",
	[APP_PROFILE_OAUTH2] = "oauth2",
	NULL
};
#define N_PROFILES (sizeof(app_profile_names) / sizeof(app_profile_names[0]) - 1)

/* An owner, when there is one, must exist (else nothing is inserted). */
static const struct stmt app_insert = {
	"INSERT INTO apps (" APP_COLS ") SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9 "
	"WHERE ?8 IS NULL OR EXISTS (SELECT 1 FROM users WHERE id = ?8)", NULL
};
static const struct stmt app_get = {
	"SELECT " APP_COLS " FROM apps WHERE client_id = ?1", NULL
};
static const struct stmt app_list = {
	"SELECT " APP_COLS " FROM apps ORDER BY created_at, client_id", NULL
};
static const struct stmt app_list_owned = {
	"SELECT " APP_COLS " FROM apps WHERE owner_id = ?1 ORDER BY created_at, client_id", NULL
};
static const struct stmt app_set_profile = {
	"UPDATE apps SET profile = ?2 WHERE client_id = ?1", NULL
};
/* One statement: a user deleted meanwhile leaves the app as it was. */
static const struct stmt app_set_owner = {
	"UPDATE apps SET owner_id = ?2 WHERE client_id = ?1 "
	"AND EXISTS (SELECT 1 FROM users WHERE id = ?2)", NULL
};
static const struct stmt app_set_secret = {
	"UPDATE apps SET secret_hash = ?2 WHERE client_id = ?1 AND is_public = 0", NULL
};
/* The read of edit_uris' read-modify-write: PostgreSQL locks the row. */
static const struct stmt app_get_uris = {
	"SELECT redirect_uris FROM apps WHERE client_id = ?1",
	"SELECT redirect_uris FROM apps WHERE client_id = $1 FOR UPDATE",
};
static const struct stmt app_set_uris = {
	"UPDATE apps SET redirect_uris = ?2 WHERE client_id = ?1", NULL
};
/* Its tokens stop validating in the same commit: token lookups join the app. */
static const struct stmt app_delete = {
	"DELETE FROM apps WHERE client_id = ?1", NULL
};

const char *
app_profile_name(enum app_profile p)
{
	return (size_t)p < N_PROFILES ? app_profile_names[p] : app_profile_names[APP_PROFILE_TWITCH];
}

int
app_profile_parse(const char *name, enum app_profile *out)
{
	for (size_t i = 0; name != NULL && i < N_PROFILES; i++)
		if (strcmp(name, app_profile_names[i]) == 0) {
			*out = (enum app_profile)i;
			return 0;
		}
	return -1;
}

static void
row_to_app(struct db_conn *c, void *out)
{
	struct store_app *app = out;
	size_t len;
	const uint8_t *secret;

	memset(app, 0, sizeof(*app));
	store_copy_id(app->client_id, sizeof(app->client_id), db_col_text(c, APP_CLIENT_ID));
	app->name = xstrdup(db_col_text(c, APP_NAME));
	secret = db_col_blob(c, APP_SECRET_HASH, &len);
	if (!db_is_null(c, APP_SECRET_HASH) && len == HASH_LEN) {
		memcpy(app->secret_hash, secret, HASH_LEN);
		app->has_secret = 1;
	}
	app->is_public = (int)db_col_int(c, APP_IS_PUBLIC);
	store_split_uris(db_col_text(c, APP_REDIRECT_URIS), &app->redirect_uris,
	    &app->n_redirect_uris);
	app->created_at = db_col_int(c, APP_CREATED_AT);
	/* Only this file writes the column; anything else is the default. */
	if (app_profile_parse(db_col_text(c, APP_PROFILE), &app->profile) == -1)
		app->profile = APP_PROFILE_TWITCH;
	app->owner_id = db_col_int(c, APP_OWNER_ID);
	app->category = xstrdup(db_col_text(c, APP_CATEGORY));
}

enum store_rc
store_app_insert(struct store *st, const struct store_app *app)
{
	char *uris = store_join_uris(app->redirect_uris, app->n_redirect_uris);
	enum store_rc rc;

	rc = store_change(st, &app_insert, ARGS(arg_text(app->client_id),
	    arg_text(app->name), arg_hash(app->has_secret ? app->secret_hash : NULL),
	    arg_int(app->is_public), arg_text(uris), arg_int(app->created_at),
	    arg_text(app_profile_name(app->profile)), arg_int_or_null(app->owner_id),
	    arg_text(app->category ? app->category : "Other")));
	free(uris);
	return rc;
}

enum store_rc
store_app_get(struct store *st, const char *client_id, struct store_app *out)
{
	return store_get_one(st, &app_get, ARGS(arg_text(client_id)), row_to_app, out);
}

static void
clear_app(void *app)
{
	store_app_clear(app);
}

enum store_rc
store_app_list(struct store *st, struct store_app **out, size_t *n)
{
	return store_get_all(st, &app_list, NULL, 0, sizeof(**out), row_to_app, clear_app,
	    (void **)out, n);
}

enum store_rc
store_app_list_owned(struct store *st, int64_t owner_id, struct store_app **out, size_t *n)
{
	return store_get_all(st, &app_list_owned, ARGS(arg_int(owner_id)), sizeof(**out),
	    row_to_app, clear_app, (void **)out, n);
}

enum store_rc
store_app_set_redirect_uris(struct store *st, const char *client_id, char *const *uris,
    size_t n)
{
	char *joined = store_join_uris(uris, n);
	enum store_rc rc = store_change(st, &app_set_uris,
	    ARGS(arg_text(client_id), arg_text(joined)));

	free(joined);
	return rc;
}

enum store_rc
store_app_set_secret(struct store *st, const char *client_id, const uint8_t hash[HASH_LEN])
{
	return store_change(st, &app_set_secret, ARGS(arg_text(client_id), arg_hash(hash)));
}

enum store_rc
store_app_set_profile(struct store *st, const char *client_id, enum app_profile profile)
{
	return store_change(st, &app_set_profile,
	    ARGS(arg_text(client_id), arg_text(app_profile_name(profile))));
}

enum store_rc
store_app_set_owner(struct store *st, const char *client_id, int64_t owner_id)
{
	return store_change(st, &app_set_owner, ARGS(arg_text(client_id), arg_int(owner_id)));
}

/*
 * The edit of edit_uris on the list it read: adds uri (add) or removes it.
 * OK, or why not (CONFLICT, LIMIT, NOTFOUND) with the list unchanged.
 */
static enum store_rc
edit_list(char ***uris, size_t *n, const char *uri, int add)
{
	size_t found = (size_t)-1;

	for (size_t i = 0; i < *n; i++)
		if (strcmp((*uris)[i], uri) == 0)
			found = i;
	if (add) {
		if (found != (size_t)-1)
			return STORE_CONFLICT;
		if (*n >= TW_MAX_REDIRECT_URIS)
			return STORE_LIMIT;
		*uris = xrealloc(*uris, (*n + 1) * sizeof(**uris));
		(*uris)[(*n)++] = xstrdup(uri);
		return STORE_OK;
	}
	if (found == (size_t)-1)
		return STORE_NOTFOUND;
	if (*n == 1)
		return STORE_LIMIT;
	free((*uris)[found]);
	memmove(&(*uris)[found], &(*uris)[found + 1], (*n - found - 1) * sizeof(**uris));
	(*n)--;
	return STORE_OK;
}

/*
 * Read-modify-write of an app's redirect URI list inside one write
 * transaction (the read locks the row), so concurrent edits (two CLIs, say)
 * cannot lose one another.
 */
static enum store_rc
edit_uris(struct store *st, const char *client_id, const char *uri, int add)
{
	struct db_conn *c;
	char **uris = NULL, *joined = NULL;
	size_t n = 0;
	enum store_rc rc;
	int row = -1;

	if ((rc = store_write_begin(st, &c)) != STORE_OK)
		return rc;
	rc = STORE_ERROR;
	if (db_run(c, &app_get_uris, ARGS(arg_text(client_id))) == DB_OK &&
	    (row = db_next(c)) == 1)
		store_split_uris(db_col_text(c, 0), &uris, &n);	/* its one column */
	db_done(c);
	if (row == 0)
		rc = STORE_NOTFOUND;
	else if (row == 1 && (rc = edit_list(&uris, &n, uri, add)) == STORE_OK) {
		joined = store_join_uris(uris, n);
		rc = store_exec(c, &app_set_uris, ARGS(arg_text(client_id), arg_text(joined)),
		    NULL);
	}
	/* NOTFOUND changed nothing; commit or roll back alike. */
	rc = store_write_end(st, c, rc);
	for (size_t i = 0; i < n; i++)
		free(uris[i]);
	free(uris);
	free(joined);
	return rc;
}

enum store_rc
store_app_redirect_add(struct store *st, const char *client_id, const char *uri)
{
	return edit_uris(st, client_id, uri, 1);
}

enum store_rc
store_app_redirect_remove(struct store *st, const char *client_id, const char *uri)
{
	return edit_uris(st, client_id, uri, 0);
}

enum store_rc
store_app_delete(struct store *st, const char *client_id)
{
	return store_change(st, &app_delete, ARGS(arg_text(client_id)));
}
