/*
 * Opening and closing a store, the *_clear functions of store.h, and the
 * helpers the logic files share (store_impl.h).  The backend is chosen by
 * the spec: a postgres:// or postgresql:// URI, else an SQLite file path.
 */
#include "store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/buf.h"
#include "../common/xmalloc.h"
#include "store_impl.h"

int
store_spec_is_pg(const char *spec)
{
	return strncmp(spec, "postgres://", 11) == 0 || strncmp(spec, "postgresql://", 13) == 0;
}

void
store_config_defaults(struct store_config *cfg)
{
	cfg->relaxed = 0;
	cfg->timeout_ms = TW_DB_TIMEOUT_DEFAULT_MS;
}

struct store *
store_open(const char *spec, char *err, size_t err_len)
{
	return store_open_config(spec, NULL, err, err_len);
}

struct store *
store_open_config(const char *spec, const struct store_config *cfg, char *err,
    size_t err_len)
{
	const struct db_driver *drv = store_spec_is_pg(spec) ? &db_pg_driver : &db_sqlite_driver;
	struct store_config defaults;
	struct store *st;
	struct db *db;

	if (cfg == NULL) {
		store_config_defaults(&defaults);
		cfg = &defaults;
	}
	if ((db = drv->open(spec, cfg, err, err_len)) == NULL)
		return NULL;
	st = xcalloc(1, sizeof(*st));
	st->drv = drv;
	st->db = db;
	st->batch = store_batch_new();
	return st;
}

void
store_close(struct store *st)
{
	if (st == NULL)
		return;
	store_batch_free(st);
	st->drv->close(st->db);
	free(st);
}

int
store_schema_version(struct store *st)
{
	return st->drv->schema_version(st->db);
}

const char *
store_backend_name(struct store *st)
{
	return st->drv->name;
}

const char *
store_where(struct store *st)
{
	return st->drv->where(st->db);
}

int
store_backup(struct store *st, const char *path, char *err, size_t err_len)
{
	if (st->drv->backup == NULL) {
		snprintf(err, err_len, "twauth backs up SQLite files only; for PostgreSQL use "
		    "pg_dump (e.g. pg_dump -Fc -f twauth.dump DBNAME)");
		return -1;
	}
	return st->drv->backup(st->db, path, err, err_len);
}

/* The readiness probe's statement: the driver and the database both answer. */
static const struct stmt ready = { "SELECT 1", NULL };

int
store_ready(struct store *st, char *why, size_t why_len)
{
	struct db_conn *c = store_reader(st);
	int row = -1;

	if (db_run(c, &ready, NULL, 0) == DB_OK)
		row = db_next(c);
	db_done(c);
	store_put(st, c);
	if (row == 1)
		return 0;
	snprintf(why, why_len, "the database (%s) did not answer within its deadline",
	    store_backend_name(st));
	return -1;
}

int
store_check(struct store *st, void (*report)(void *arg, const char *problem), void *arg)
{
	return st->drv->check(st->db, report, arg);
}

/* ---- helpers for the logic files ---- */

enum store_rc
store_from_db(enum db_rc rc)
{
	return rc == DB_OK ? STORE_OK : rc == DB_CONSTRAINT ? STORE_CONFLICT : STORE_ERROR;
}

enum store_rc
store_exec(struct db_conn *c, const struct stmt *s, const struct db_arg *args, size_t n,
    int64_t *changes)
{
	enum db_rc rc = db_run(c, s, args, n);
	int row = 0;

	if (rc == DB_OK)
		while ((row = db_next(c)) == 1)
			;
	if (rc == DB_OK && row == 0 && changes != NULL)
		*changes = db_changes(c);
	db_done(c);
	if (rc == DB_OK && row < 0)
		rc = DB_ERROR;
	return store_from_db(rc);
}

enum store_rc
store_change(struct store *st, const struct stmt *s, const struct db_arg *args, size_t n)
{
	struct db_conn *c = store_writer(st);
	int64_t changed = 0;
	enum store_rc rc = store_exec(c, s, args, n, &changed);

	store_put(st, c);
	return rc == STORE_OK && changed == 0 ? STORE_NOTFOUND : rc;
}

void
store_row_ignore(struct db_conn *c, void *out)
{
	(void)c;
	(void)out;
}

enum store_rc
store_get_one(struct store *st, const struct stmt *s, const struct db_arg *args, size_t n,
    store_row_fn fill, void *out)
{
	struct db_conn *c = store_reader(st);
	enum store_rc rc = STORE_ERROR;
	int row;

	if (db_run(c, s, args, n) == DB_OK) {
		if ((row = db_next(c)) == 1) {
			fill(c, out);
			rc = STORE_OK;
		} else if (row == 0)
			rc = STORE_NOTFOUND;
	}
	db_done(c);
	store_put(st, c);
	return rc;
}

enum store_rc
store_get_all(struct store *st, const struct stmt *s, const struct db_arg *args, size_t n,
    size_t item_size, store_row_fn fill, void (*clear)(void *item), void **out,
    size_t *count)
{
	struct db_conn *c = store_reader(st);
	unsigned char *items = NULL;
	size_t have = 0;
	int row = -1;

	if (db_run(c, s, args, n) == DB_OK)
		while ((row = db_next(c)) == 1) {
			items = xrealloc(items, (have + 1) * item_size);
			memset(items + have * item_size, 0, item_size);
			fill(c, items + have++ * item_size);
		}
	db_done(c);
	store_put(st, c);
	if (row != 0) {
		for (size_t i = 0; clear != NULL && i < have; i++)
			clear(items + i * item_size);
		free(items);
		items = NULL;
		have = 0;
	}
	*out = items;
	*count = have;
	return row == 0 ? STORE_OK : STORE_ERROR;
}

enum store_rc
store_change_all(struct store *st, const struct stmt *const *all, const size_t *nargs,
    size_t n, const struct db_arg *args, size_t n_args)
{
	struct db_conn *c;
	enum store_rc rc;

	if ((rc = store_write_begin(st, &c)) != STORE_OK)
		return rc;
	for (size_t i = 0; i < n && rc == STORE_OK; i++) {
		int64_t changed = 0;

		rc = store_exec(c, all[i], args, nargs[i] < n_args ? nargs[i] : n_args, &changed);
		if (rc == STORE_OK && i == 0 && changed == 0)
			rc = STORE_NOTFOUND;
	}
	return store_write_end(st, c, rc);
}

enum store_rc
store_write_begin(struct store *st, struct db_conn **c)
{
	enum store_rc rc;

	*c = store_writer(st);
	if ((rc = store_begin(*c)) != STORE_OK) {
		store_put(st, *c);
		*c = NULL;
	}
	return rc;
}

enum store_rc
store_write_end(struct store *st, struct db_conn *c, enum store_rc rc)
{
	rc = store_finish(c, rc);
	store_put(st, c);
	return rc;
}

enum store_rc
store_begin(struct db_conn *c)
{
	return db_begin(c) == DB_OK ? STORE_OK : STORE_ERROR;
}

int
store_rc_rolls_back(enum store_rc rc)
{
	return rc == STORE_ERROR || rc == STORE_LIMIT || rc == STORE_CONFLICT;
}

enum store_rc
store_finish(struct db_conn *c, enum store_rc rc)
{
	if (store_rc_rolls_back(rc)) {
		db_rollback(c);
		return rc;
	}
	if (db_commit(c) != DB_OK) {
		db_rollback(c);
		return STORE_ERROR;
	}
	return rc;
}

void
store_copy_id(char *dst, size_t dst_size, const char *src)
{
	size_t n = strlen(src);

	if (n >= dst_size)
		n = dst_size - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

uint8_t *
store_col_dup(struct db_conn *c, int col, size_t *len)
{
	const uint8_t *p = db_col_blob(c, col, len);
	uint8_t *out = xmalloc(*len > 0 ? *len : 1);

	if (*len > 0)
		memcpy(out, p, *len);
	return out;
}

char *
store_join_uris(char *const *uris, size_t n)
{
	struct buf b;

	buf_init(&b, (size_t)TW_MAX_REDIRECT_URIS * (TW_MAX_REDIRECT_URI + 1));
	for (size_t i = 0; i < n; i++)
		if ((i > 0 && buf_add(&b, "\n", 1) == -1) || buf_add_cstr(&b, uris[i]) == -1)
			fatal("redirect URI list over its cap");
	if (b.data == NULL)
		return xstrdup("");
	return b.data;
}

void
store_split_uris(const char *joined, char ***uris, size_t *n)
{
	const char *p = joined;

	*uris = NULL;
	*n = 0;
	while (*p != '\0') {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);

		*uris = xrealloc(*uris, (*n + 1) * sizeof(**uris));
		(*uris)[(*n)++] = xmemdup0(p, len);
		p += len;
		if (*p == '\n')
			p++;
	}
}

/* ---- releasing results ---- */

void
store_app_clear(struct store_app *app)
{
	free(app->name);
	free(app->category);
	for (size_t i = 0; i < app->n_redirect_uris; i++)
		free(app->redirect_uris[i]);
	free(app->redirect_uris);
	memset(app, 0, sizeof(*app));
}

void
store_app_list_free(struct store_app *apps, size_t n)
{
	for (size_t i = 0; i < n; i++)
		store_app_clear(&apps[i]);
	free(apps);
}

void
store_token_clear(struct store_token *tok)
{
	free(tok->scopes);
	free(tok->claims);
	memset(tok, 0, sizeof(*tok));
}

void
store_user_clear(struct store_user *u)
{
	free(u->display_name);
	free(u->email);
	free(u->profile_image_url);
	if (u->password_hash != NULL)
		xfree_secret(u->password_hash, strlen(u->password_hash));
	memset(u, 0, sizeof(*u));
}

void
store_user_list_free(struct store_user *users, size_t n)
{
	for (size_t i = 0; i < n; i++)
		store_user_clear(&users[i]);
	free(users);
}

void
store_code_clear(struct store_code *code)
{
	free(code->redirect_uri);
	free(code->scopes);
	free(code->nonce);
	free(code->claims);
	memset(code, 0, sizeof(*code));
}

void
store_grant_clear(struct store_grant *g)
{
	free(g->scopes);
	free(g->claims);
	memset(g, 0, sizeof(*g));
}

void
store_connection_clear(void *item)
{
	struct store_connection *c = item;

	free(c->app_name);
	free(c->scopes);
	memset(c, 0, sizeof(*c));
}

void
store_connections_free(struct store_connection *c, size_t n)
{
	for (size_t i = 0; i < n; i++)
		store_connection_clear(&c[i]);
	free(c);
}

void
store_key_clear(void *item)
{
	struct store_key *k = item;

	free(k->public_der);
	if (k->private_enc != NULL)
		xfree_secret(k->private_enc, k->private_len);
	memset(k, 0, sizeof(*k));
}

void
store_key_list_free(struct store_key *keys, size_t n)
{
	for (size_t i = 0; i < n; i++)
		store_key_clear(&keys[i]);
	free(keys);
}

void
store_device_clear(struct store_device *d)
{
	free(d->scopes);
	free(d->app_name);
	memset(d, 0, sizeof(*d));
}

void
store_poll_result_clear(struct store_poll_result *r)
{
	free(r->scopes);
	memset(r, 0, sizeof(*r));
}
