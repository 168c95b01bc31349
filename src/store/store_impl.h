/*
 * Internals shared by the store's logic files (store_*.c): the store
 * itself, and helpers over the driver interface of db.h.  Nothing outside
 * src/store/ sees this header.
 */
#ifndef STORE_IMPL_H
#define STORE_IMPL_H

#include "db.h"
#include "store.h"

struct store_batch;

struct store {
	const struct db_driver	*drv;
	struct db		*db;
	struct store_batch	*batch;		/* the group commit (store_batch.c) */
};

/* A connection to read with, or to write with; give it back with store_put. */
static inline struct db_conn *
store_reader(struct store *st)
{
	return st->drv->get(st->db, 0);
}

static inline struct db_conn *
store_writer(struct store *st)
{
	return st->drv->get(st->db, 1);
}

static inline void
store_put(struct store *st, struct db_conn *c)
{
	if (c != &db_unavailable)
		st->drv->put(st->db, c);
}

/* STORE_OK, STORE_CONFLICT or STORE_ERROR. */
enum store_rc store_from_db(enum db_rc rc);
/*
 * Runs a statement whose rows, if any, do not matter; *changes (if not
 * NULL) receives the rows it changed.  The store_rc of the outcome.
 */
MUST_CHECK enum store_rc store_exec(struct db_conn *c, const struct stmt *s,
    const struct db_arg *args, size_t n, int64_t *changes);
/*
 * Runs s on a writer as a transaction of its own: OK if it changed a row,
 * NOTFOUND if none, CONFLICT or ERROR.
 */
MUST_CHECK enum store_rc store_change(struct store *st, const struct stmt *s,
    const struct db_arg *args, size_t n);
/* Reads the current row of c into out. */
typedef void (*store_row_fn)(struct db_conn *c, void *out);
/* A store_row_fn for queries that only ask whether there is a row. */
void store_row_ignore(struct db_conn *c, void *out);
/*
 * Runs a query for at most one row on a reader; a row is read into out by
 * fill.  OK, NOTFOUND (no row; out untouched) or ERROR.
 */
MUST_CHECK enum store_rc store_get_one(struct store *st, const struct stmt *s,
    const struct db_arg *args, size_t n, store_row_fn fill, void *out);
/*
 * Runs a query on a reader and reads every row, in order, into a malloc'd
 * array of items of item_size bytes, each by fill: *out and *count.  On
 * ERROR nothing is returned (clear, if not NULL, releases what the items
 * held).
 */
MUST_CHECK enum store_rc store_get_all(struct store *st, const struct stmt *s,
    const struct db_arg *args, size_t n, size_t item_size, store_row_fn fill,
    void (*clear)(void *item), void **out, size_t *count);
/*
 * Runs the statements all[0..n) on a writer in one transaction, each with
 * the first nargs[i] of args.  NOTFOUND if the first changed nothing (then
 * the rest do not run), ERROR if any failed (then nothing changed).
 */
MUST_CHECK enum store_rc store_change_all(struct store *st, const struct stmt *const *all,
    const size_t *nargs, size_t n, const struct db_arg *args, size_t n_args);
/*
 * A write transaction of its own: store_write_begin takes a writer and
 * begins (on failure it has given the writer back), store_write_end ends
 * the transaction as store_finish does with rc and gives the writer back.
 * Returns the outcome.
 */
MUST_CHECK enum store_rc store_write_begin(struct store *st, struct db_conn **c);
MUST_CHECK enum store_rc store_write_end(struct store *st, struct db_conn *c,
    enum store_rc rc);
/* db_begin as a store_rc. */
MUST_CHECK enum store_rc store_begin(struct db_conn *c);
/*
 * Ends the transaction begun on c: rolls back if rc is ERROR, LIMIT or
 * CONFLICT, else commits (NOTFOUND, MISMATCH and REPLAY keep what they
 * did).  Returns rc, or STORE_ERROR if the commit failed.
 */
MUST_CHECK enum store_rc store_finish(struct db_conn *c, enum store_rc rc);

/* Copies a column's text into a fixed buffer, cut to fit. */
void store_copy_id(char *dst, size_t dst_size, const char *src);
/* A column's bytes, malloc'd (never NULL), and their length. */
uint8_t *store_col_dup(struct db_conn *c, int col, size_t *len);

/*
 * A user's row, for every statement that returns users (store_users.c,
 * store_sessions.c): select STORE_USER_COLS from users aliased u, and read
 * them with store_row_to_user.
 */
#define STORE_USER_COLS "u.id, u.login, u.display_name, u.email, u.email_verified, " \
	"u.profile_image_url, u.password_hash, u.created_at, u.updated_at"
enum {
	USER_ID, USER_LOGIN, USER_DISPLAY_NAME, USER_EMAIL, USER_EMAIL_VERIFIED,
	USER_PROFILE_IMAGE_URL, USER_PASSWORD_HASH, USER_CREATED_AT, USER_UPDATED_AT
};
void store_row_to_user(struct db_conn *c, void *out);

/* One item of a list (store_get_all's clear). */
void store_connection_clear(void *item);
void store_key_clear(void *item);

/* Redirect URIs are stored newline-separated. */
char *store_join_uris(char *const *uris, size_t n);
void store_split_uris(const char *joined, char ***uris, size_t *n);

/* store_tokens.c: inserts an app token on a writer (inside a transaction or not). */
MUST_CHECK enum store_rc store_token_insert_on(struct db_conn *c,
    const struct store_token *tok, const uint8_t *secret_hash);

/* store_grant.c, inside a write transaction: */
/* A grant row: sets g->id; NOTFOUND if its user or app is gone. */
MUST_CHECK enum store_rc store_insert_grant(struct db_conn *c, struct store_grant *g);
/*
 * The access (and refresh) token of issue, in grant_id, with scopes;
 * parent is the refresh token the new one replaces (store_refresh.c), or
 * NULL.
 */
MUST_CHECK enum store_rc store_insert_issued(struct db_conn *c, int64_t grant_id,
    int64_t user_id, const char *client_id, const struct store_issue *issue, const char *scopes,
    const uint8_t *parent);
/*
 * A single-use value came back (a used code, a rotated-out refresh token):
 * someone kept a copy, so the grant it made, if any, is deleted with
 * every token in it.  REPLAY, or the error.
 */
MUST_CHECK enum store_rc store_replay(struct db_conn *c, int64_t grant_id);

/* Whether store_finish rolls a transaction that answered rc back. */
int store_rc_rolls_back(enum store_rc rc);

/* store_batch.c: the group commit. */
struct store_batch *store_batch_new(void);
/*
 * A transition's body: what it runs on c between store_write_begin and
 * store_write_end.  It must answer the same when run again from the start
 * (the group commit may roll it back with its batch and run it alone).
 */
typedef enum store_rc (*store_write_fn)(struct db_conn *c, void *ctx);
/*
 * Queues run(c, ctx) for the group commit; done(arg, rc) once it is
 * committed or has failed (maybe before this returns).  free_ctx(ctx), if
 * not NULL, after done; else ctx stays the caller's, valid until done.
 */
void store_write_queued(struct store *st, store_write_fn run, void *ctx,
    void (*free_ctx)(void *), store_done_fn done, void *arg);
/* Commits what is still queued, stops its thread, frees.  NULL is a no-op. */
void store_batch_free(struct store *st);

#endif
