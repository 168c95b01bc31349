/*
 * What the store's logic needs of a SQL database, so that the logic
 * (store_*.c) is written once and runs the same on SQLite and PostgreSQL.
 * A driver (db_sqlite.c, db_pg.c) runs statements named by enum stmt_id,
 * with the SQL of store_sql.c translated or overridden for its dialect, and
 * keeps its own schema migrations.  Nothing outside src/store/ sees this.
 *
 * A connection runs one statement at a time:
 *
 *	if (db_run(c, ST_X, args, n) == DB_OK)
 *		while ((r = db_next(c)) == 1)
 *			... db_col_int(c, 0) ...
 *	db_done(c);
 *
 * db_done is required after every db_run.  Column values stay valid until
 * the next db_next or db_done.  Statements inside db_begin/db_commit form
 * one transaction; outside, each is its own.
 */
#ifndef STORE_DB_H
#define STORE_DB_H

#include <stddef.h>
#include <stdint.h>

#include "../common/hash.h"

/* Every statement the store runs; store_sql.c has their SQL. */
enum stmt_id {
	ST_APP_INSERT,
	ST_APP_GET,
	ST_APP_LIST,
	ST_APP_LIST_OWNED,
	ST_APP_SET_SECRET,
	ST_APP_GET_URIS,		/* locks the row for the edit that follows */
	ST_APP_SET_URIS,
	ST_APP_DELETE,
	ST_APP_SET_SCOPE_STRING,
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
	ST_REFRESH_LOCK_GRANT,
	ST_REFRESH_CHILDREN,
	ST_REFRESH_SIBLING_ACCESS_DELETE,
	ST_REFRESH_SIBLINGS_RETIRE,
	ST_CODE_INSERT,
	ST_CODE_CLAIM,
	ST_CODE_GET,
	ST_CODE_SET_GRANT,
	ST_DEVICE_REPLACE_EXPIRED,
	ST_DEVICE_INSERT,
	ST_DEVICE_FIND,
	ST_DEVICE_DECIDE,
	ST_DEVICE_GET,
	ST_DEVICE_POLLED,
	ST_DEVICE_CLAIM,
	ST_DEVICE_SET_GRANT,
	ST_KEY_INSERT,
	ST_KEY_INSERT_FIRST,
	ST_KEY_RETIRE,
	ST_KEY_LIST,
	ST_BUCKET_TAKE,
	ST_BUCKET_NEW,
	ST_BUCKET_LEVEL,
	ST_PURGE_TOKENS,
	ST_PURGE_CODES,
	ST_PURGE_DEVICE,
	ST_PURGE_SESSIONS,
	ST_PURGE_REFRESH,
	ST_PURGE_GRANTS,
	ST_PURGE_KEYS,
	ST_PURGE_BUCKETS,
	ST__MAX
};

/* The shared SQL, in SQLite's dialect (?N placeholders). */
extern const char *const store_sql[ST__MAX];

enum db_rc {
	DB_OK = 0,
	DB_CONSTRAINT,		/* a primary key or unique constraint said no */
	DB_ERROR,		/* anything else; the driver has logged it */
};

enum db_type { DB_NULL = 0, DB_INT, DB_TEXT, DB_BLOB };

/* One bound parameter: ?1 is args[0].  Pointers are borrowed for the call. */
struct db_arg {
	enum db_type	 type;
	int64_t		 i;
	const void	*p;
	size_t		 len;
};

static inline struct db_arg
arg_int(int64_t v)
{
	struct db_arg a = { DB_INT, v, NULL, 0 };

	return a;
}

static inline struct db_arg
arg_null(void)
{
	struct db_arg a = { DB_NULL, 0, NULL, 0 };

	return a;
}

/* NULL is SQL NULL. */
static inline struct db_arg
arg_text(const char *s)
{
	struct db_arg a = { s ? DB_TEXT : DB_NULL, 0, s, 0 };

	return a;
}

static inline struct db_arg
arg_blob(const void *p, size_t len)
{
	struct db_arg a = { DB_BLOB, 0, p, len };

	return a;
}

/* A digest, or SQL NULL for a NULL pointer. */
static inline struct db_arg
arg_hash(const uint8_t *h)
{
	struct db_arg a = { h ? DB_BLOB : DB_NULL, 0, h, HASH_LEN };

	return a;
}

#define ARGS(...)	(const struct db_arg[]){ __VA_ARGS__ }, \
	sizeof((const struct db_arg[]){ __VA_ARGS__ }) / sizeof(struct db_arg)

struct db;		/* a driver's database: its connections and settings */
struct db_conn;		/* one connection; begins with its driver */

struct db_driver {
	const char	*name;
	struct db	*(*open)(const char *spec, char *err, size_t err_len);
	void		 (*close)(struct db *);
	int		 (*schema_version)(struct db *);
	/* What to call the database in messages: never a password. */
	const char	*(*where)(struct db *);
	/* A consistent copy into a new file (0 or -1 with err); NULL: cannot. */
	int		 (*backup)(struct db *, const char *path, char *err, size_t err_len);
	/* Checks the database's own structures; problems go to report, one each. */
	int		 (*check)(struct db *, void (*report)(void *, const char *), void *arg);
	/* A connection for reading, or (write) for changing; then put it back. */
	struct db_conn	*(*get)(struct db *, int write);
	void		 (*put)(struct db *, struct db_conn *);
	enum db_rc	 (*begin)(struct db_conn *);
	enum db_rc	 (*commit)(struct db_conn *);
	void		 (*rollback)(struct db_conn *);
	enum db_rc	 (*run)(struct db_conn *, enum stmt_id, const struct db_arg *, size_t);
	int		 (*next)(struct db_conn *);
	int		 (*is_null)(struct db_conn *, int col);
	int64_t		 (*col_int)(struct db_conn *, int col);
	const char	*(*col_text)(struct db_conn *, int col);
	const uint8_t	*(*col_blob)(struct db_conn *, int col, size_t *len);
	int64_t		 (*changes)(struct db_conn *);
	void		 (*done)(struct db_conn *);
};

struct db_conn {
	const struct db_driver	*drv;
};

extern const struct db_driver db_sqlite_driver;
extern const struct db_driver db_pg_driver;

/* Runs id with args; DB_OK, or the statement failed (then no rows). */
static inline enum db_rc
db_run(struct db_conn *c, enum stmt_id id, const struct db_arg *args, size_t n)
{
	return c->drv->run(c, id, args, n);
}

/* 1 when a row is ready, 0 after the last, -1 on an error (logged). */
static inline int
db_next(struct db_conn *c)
{
	return c->drv->next(c);
}

static inline int
db_is_null(struct db_conn *c, int col)
{
	return c->drv->is_null(c, col);
}

/* 0 for NULL. */
static inline int64_t
db_col_int(struct db_conn *c, int col)
{
	return c->drv->col_int(c, col);
}

/* "" for NULL; never NULL. */
static inline const char *
db_col_text(struct db_conn *c, int col)
{
	return c->drv->col_text(c, col);
}

static inline const uint8_t *
db_col_blob(struct db_conn *c, int col, size_t *len)
{
	return c->drv->col_blob(c, col, len);
}

/* Rows the statement inserted, changed or deleted (after its last row). */
static inline int64_t
db_changes(struct db_conn *c)
{
	return c->drv->changes(c);
}

static inline void
db_done(struct db_conn *c)
{
	c->drv->done(c);
}

static inline enum db_rc
db_begin(struct db_conn *c)
{
	return c->drv->begin(c);
}

static inline enum db_rc
db_commit(struct db_conn *c)
{
	return c->drv->commit(c);
}

static inline void
db_rollback(struct db_conn *c)
{
	c->drv->rollback(c);
}

#endif
