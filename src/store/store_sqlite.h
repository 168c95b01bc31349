/*
 * Internals shared by the SQLite backend's files: store_sqlite.c (opening,
 * migrations, the connection pool, apps and tokens) and store_sqlite_users.c
 * (users, sessions, consents, grants, codes, refresh tokens).
 */
#ifndef STORE_SQLITE_H
#define STORE_SQLITE_H

#include <pthread.h>
#include <sqlite3.h>

#include "store_impl.h"

#define SQ_READERS 8

enum stmt_id {
	ST_BEGIN,
	ST_COMMIT,
	ST_ROLLBACK,
	ST_APP_INSERT,
	ST_APP_GET,
	ST_APP_LIST,
	ST_APP_SET_SECRET,
	ST_APP_GET_URIS,
	ST_APP_SET_URIS,
	ST_APP_DELETE,
	ST_TOKEN_INSERT,
	ST_TOKEN_INSERT_GRANT,
	ST_TOKEN_GET,
	ST_TOKEN_REVOKE,
	ST_REFRESH_REVOKE_GRANT,
	ST_USER_INSERT,
	ST_USER_GET_LOGIN,
	ST_USER_GET_ID,
	ST_USER_LIST,
	ST_USER_DELETE,
	ST_USER_SET_PASSWORD,
	ST_USER_DELETE_GRANTS,
	ST_USER_DELETE_SESSIONS,
	ST_SESSION_INSERT,
	ST_SESSION_GET,
	ST_SESSION_DELETE,
	ST_CONSENT_GET,
	ST_CONSENT_PUT,
	ST_GRANT_INSERT,
	ST_GRANT_DELETE,
	ST_GRANTS_DELETE,
	ST_CONSENTS_DELETE,
	ST_CONNECTIONS,
	ST_REFRESH_INSERT,
	ST_REFRESH_GET,
	ST_REFRESH_MARK_USED,
	ST_CODE_INSERT,
	ST_CODE_GET,
	ST_CODE_MARK_USED,
	ST_DEVICE_REPLACE_EXPIRED,
	ST_DEVICE_INSERT,
	ST_DEVICE_FIND,
	ST_DEVICE_DECIDE,
	ST_DEVICE_GET,
	ST_DEVICE_POLLED,
	ST_DEVICE_REDEEMED,
	ST_APP_SET_SCOPE_STRING,
	ST_KEY_INSERT,
	ST_KEY_INSERT_FIRST,
	ST_KEY_RETIRE,
	ST_KEY_LIST,
	ST__MAX
};

struct conn {
	sqlite3		*db;
	sqlite3_stmt	*stmts[ST__MAX];
};

struct sq_batch;

struct sq {
	struct sq_batch	*batch;		/* the group commit (store_sqlite_batch.c) */
	pthread_mutex_t	 write_lock;
	struct conn	 writer;
	pthread_mutex_t	 pool_lock;
	pthread_cond_t	 pool_cond;
	struct conn	 readers[SQ_READERS];
	struct conn	*free_readers[SQ_READERS];
	size_t		 n_free;
	int		 version;
};

void sq_db_error(struct conn *c, const char *what);
/* The prepared statement id on c (prepared on first use), or NULL. */
sqlite3_stmt *sq_stmt(struct conn *c, enum stmt_id id);
/* Resets a statement after use and drops its bindings.  NULL is a no-op. */
void sq_stmt_done(sqlite3_stmt *s);
/* Binds and runs a statement that returns no rows; the sqlite3_step code. */
int sq_exec_stmt(struct conn *c, enum stmt_id id);

struct conn *sq_reader_get(struct sq *q);
void sq_reader_put(struct sq *q, struct conn *c);
/* Takes the writer connection (and the write lock), and gives it back. */
struct conn *sq_writer_get(struct sq *q);
void sq_writer_put(struct sq *q);
/* BEGIN IMMEDIATE on the writer; 0 or -1. */
int sq_begin(struct conn *c);
/* Commits unless rc is ERROR, LIMIT or CONFLICT (then rolls back). */
enum store_rc sq_finish(struct conn *c, enum store_rc rc);

/* Column text, "" for NULL. */
const char *sq_col_text(sqlite3_stmt *s, int i);
void sq_copy_id(char *dst, size_t dst_size, const char *src);
void sq_bind_hash(sqlite3_stmt *s, int i, const uint8_t *hash);

/* Inserts a token on c, the writer (inside a transaction or not). */
enum store_rc sq_token_insert_on(struct conn *c, const struct store_token *tok,
    const uint8_t *secret_hash);

/* store_sqlite_batch.c: the group commit of queued token inserts. */
void sq_token_insert_queued(void *, const struct store_token *, const uint8_t *,
    store_done_fn, void *);
void sq_stats(void *, struct store_stats *);
/* The queue, empty; its thread starts with the first queued insert. */
struct sq_batch *sq_batch_new(void);
/* Commits what is still queued, stops the thread, frees.  NULL is a no-op. */
void sq_batch_free(struct sq *q);

/* store_sqlite_users.c */
enum store_rc sq_user_insert(void *, struct store_user *);
enum store_rc sq_user_get_by_login(void *, const char *, struct store_user *);
enum store_rc sq_user_get(void *, int64_t, struct store_user *);
enum store_rc sq_user_list(void *, struct store_user **, size_t *);
enum store_rc sq_user_delete(void *, int64_t);
enum store_rc sq_user_set_password(void *, int64_t, const char *, int64_t);
enum store_rc sq_session_insert(void *, const uint8_t *, int64_t, int64_t, int64_t);
enum store_rc sq_session_get(void *, const uint8_t *, int64_t, struct store_user *);
enum store_rc sq_session_delete(void *, const uint8_t *);
enum store_rc sq_consent_get(void *, int64_t, const char *, const char *);
enum store_rc sq_consent_put(void *, int64_t, const char *, const char *, int64_t);
enum store_rc sq_grant_issue(void *, struct store_grant *, const struct store_issue *);
enum store_rc sq_connections_list(void *, int64_t, struct store_connection **, size_t *);
enum store_rc sq_grants_delete(void *, int64_t, const char *);
enum store_rc sq_code_insert(void *, const struct store_code *);
enum store_rc sq_code_redeem(void *, const uint8_t *, const char *, const char *,
    const struct store_issue *, struct store_code *);
enum store_rc sq_refresh_use(void *, const uint8_t *, const char *,
    const struct store_issue *, struct store_grant *);
/* Inside a writer transaction: a grant row (sets g->id; NOTFOUND if its
 * user or app is gone), and the tokens of issue stored in grant_id. */
enum store_rc sq_insert_grant(struct conn *c, struct store_grant *g);
enum store_rc sq_store_issued(struct conn *c, int64_t grant_id, int64_t user_id,
    const char *client_id, const struct store_issue *issue, const char *scopes);

/* store_sqlite_keys.c */
enum store_rc sq_key_add(void *, const struct store_key *, int);
enum store_rc sq_key_list(void *, struct store_key **, size_t *);

/* store_sqlite_device.c */
enum store_rc sq_device_insert(void *, const struct store_device *);
enum store_rc sq_device_find(void *, const uint8_t *, int64_t, struct store_device *);
enum store_rc sq_device_decide(void *, const uint8_t *, int64_t, int, int64_t);
enum store_rc sq_device_poll(void *, const uint8_t *, const char *,
    const struct store_issue *, struct store_poll_result *);

#endif
