/*
 * Apps: registration, secrets, redirect URIs, deletion.  Deleting an app
 * row invalidates its tokens in the same commit (token lookups join it);
 * their rows stay until they expire.
 */
#include <stdlib.h>
#include <string.h>

#include "../common/xmalloc.h"
#include "store_impl.h"

static void
row_to_app(struct db_conn *c, void *out)
{
	struct store_app *app = out;
	size_t len;
	const uint8_t *secret;

	memset(app, 0, sizeof(*app));
	store_copy_id(app->client_id, sizeof(app->client_id), db_col_text(c, 0));
	app->name = xstrdup(db_col_text(c, 1));
	secret = db_col_blob(c, 2, &len);
	if (!db_is_null(c, 2) && len == HASH_LEN) {
		memcpy(app->secret_hash, secret, HASH_LEN);
		app->has_secret = 1;
	}
	app->is_public = (int)db_col_int(c, 3);
	store_split_uris(db_col_text(c, 4), &app->redirect_uris, &app->n_redirect_uris);
	app->created_at = db_col_int(c, 5);
	app->scope_string = (int)db_col_int(c, 6);
	app->owner_id = db_col_int(c, 7);
	app->category = xstrdup(db_col_text(c, 8));
}

enum store_rc
store_app_insert(struct store *st, const struct store_app *app)
{
	char *uris = store_join_uris(app->redirect_uris, app->n_redirect_uris);
	enum store_rc rc;

	rc = store_change(st, ST_APP_INSERT, ARGS(arg_text(app->client_id),
	    arg_text(app->name), arg_hash(app->has_secret ? app->secret_hash : NULL),
	    arg_int(app->is_public), arg_text(uris), arg_int(app->created_at),
	    arg_int(app->scope_string), app->owner_id != 0 ? arg_int(app->owner_id) : arg_null(),
	    arg_text(app->category ? app->category : "Other")));
	free(uris);
	return rc;
}

enum store_rc
store_app_get(struct store *st, const char *client_id, struct store_app *out)
{
	return store_get_one(st, ST_APP_GET, ARGS(arg_text(client_id)), row_to_app, out);
}

static void
clear_app(void *app)
{
	store_app_clear(app);
}

enum store_rc
store_app_list(struct store *st, struct store_app **out, size_t *n)
{
	return store_get_all(st, ST_APP_LIST, NULL, 0, sizeof(**out), row_to_app, clear_app,
	    (void **)out, n);
}

enum store_rc
store_app_list_owned(struct store *st, int64_t owner_id, struct store_app **out, size_t *n)
{
	return store_get_all(st, ST_APP_LIST_OWNED, ARGS(arg_int(owner_id)), sizeof(**out),
	    row_to_app, clear_app, (void **)out, n);
}

enum store_rc
store_app_set_redirect_uris(struct store *st, const char *client_id, char *const *uris,
    size_t n)
{
	char *joined = store_join_uris(uris, n);
	enum store_rc rc = store_change(st, ST_APP_SET_URIS,
	    ARGS(arg_text(client_id), arg_text(joined)));

	free(joined);
	return rc;
}

enum store_rc
store_app_set_secret(struct store *st, const char *client_id, const uint8_t hash[HASH_LEN])
{
	return store_change(st, ST_APP_SET_SECRET, ARGS(arg_text(client_id), arg_hash(hash)));
}

enum store_rc
store_app_set_scope_string(struct store *st, const char *client_id, int on)
{
	return store_change(st, ST_APP_SET_SCOPE_STRING,
	    ARGS(arg_text(client_id), arg_int(on != 0)));
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
	struct db_conn *c = store_writer(st);
	char **uris = NULL, *joined = NULL;
	size_t n = 0;
	enum store_rc rc;
	int row = -1;

	if ((rc = store_begin(c)) != STORE_OK) {
		store_put(st, c);
		return rc;
	}
	rc = STORE_ERROR;
	if (db_run(c, ST_APP_GET_URIS, ARGS(arg_text(client_id))) == DB_OK &&
	    (row = db_next(c)) == 1)
		store_split_uris(db_col_text(c, 0), &uris, &n);
	db_done(c);
	if (row == 0)
		rc = STORE_NOTFOUND;
	else if (row == 1 && (rc = edit_list(&uris, &n, uri, add)) == STORE_OK) {
		joined = store_join_uris(uris, n);
		rc = store_exec(c, ST_APP_SET_URIS, ARGS(arg_text(client_id), arg_text(joined)),
		    NULL);
	}
	/* NOTFOUND changed nothing; commit or roll back alike. */
	rc = store_finish(c, rc);
	store_put(st, c);
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
	return store_change(st, ST_APP_DELETE, ARGS(arg_text(client_id)));
}
