/*
 * What the store's logic needs of a SQL database, so that the logic
 * (store_*.c) is written once and runs the same on SQLite and PostgreSQL.
 * Each logic file declares its statements (struct stmt) beside the code
 * that binds their parameters and reads their columns; a driver (db_sqlite.c,
 * db_pg.c) prepares a statement on a connection the first time it runs
 * there, keyed by the statement's address.  The schema is one migration
 * list for both (schema.c).  Nothing outside src/store/ sees this.
 *
 * A connection runs one statement at a time:
 *
 *	if (db_run(c, &token_get, args, n) == DB_OK)
 *		while ((r = db_next(c)) == 1)
 *			... db_col_int(c, TOKEN_GET_USER_ID) ...
 *	db_done(c);
 *
 * db_done is required after every db_run.  Column values stay valid until
 * the next db_next or db_done.  Statements inside db_begin/db_commit form
 * one transaction; outside, each is its own.
 */
#ifndef STORE_DB_H
#define STORE_DB_H

#include <pthread.h>
#include <time.h>
#include <stddef.h>
#include <stdint.h>

#include "../common/compiler.h"
#include "../common/hash.h"
#include "store.h"

/*
 * One statement.  sql is SQLite's dialect with ?N placeholders; the
 * PostgreSQL driver runs pg if set (with $N), else sql with ?N as $N.
 * Values are always bound, never spliced in.  Declare statements static
 * const: their address is their identity.
 */
struct stmt {
	const char	*sql;
	const char	*pg;
};

/* At most this many statements in all: each connection keeps a slot for each. */
#define DB_MAX_STMTS	128
#define DB_SLOTS	256	/* a power of two, twice DB_MAX_STMTS: short probes */

/* Which slot of a connection's holds which statement (db_slots.c). */
struct db_slots {
	const struct stmt	*key[DB_SLOTS];
	unsigned		 used;
};

/*
 * The slot of s in sl, 0 <= slot < DB_SLOTS: the one it was given before,
 * or else a free one.  Fatal past DB_MAX_STMTS statements, which only a
 * change to the code can cause.
 */
unsigned db_slot(struct db_slots *sl, const struct stmt *s);

/*
 * A fixed set of connections that threads take turns with (db_pool.c): a
 * driver adds each once, then takes one (waiting while none is free) and
 * puts it back.  At most DB_POOL_MAX.
 */
#define DB_POOL_MAX	16
struct db_conn;
struct db_pool {
	pthread_mutex_t	 lock;		/* guards the two below */
	pthread_cond_t	 freed;
	struct db_conn	*free[DB_POOL_MAX];
	size_t		 n_free;
};

void db_pool_init(struct db_pool *p);
void db_pool_destroy(struct db_pool *p);
/* Adds c, or gives it back after db_pool_take. */
void db_pool_put(struct db_pool *p, struct db_conn *c);
/* A free connection, waiting at most timeout_ms for one; else &db_unavailable. */
struct db_conn *db_pool_take(struct db_pool *p, unsigned timeout_ms);

/*
 * What a driver hands out when no connection came within the deadline:
 * every statement on it fails at once (DB_ERROR), and putting it back
 * does nothing (store_put knows it).  Shared by all threads: it has no
 * state.
 */
extern struct db_conn db_unavailable;
/* An absolute CLOCK_REALTIME time timeout_ms from now, for timed waits. */
void db_deadline(struct timespec *ts, unsigned timeout_ms);

enum db_dialect { DIALECT_SQLITE, DIALECT_PG };

/* The schema's newest version: how many migrations schema.c holds. */
int db_schema_latest(void);
/*
 * The SQL of migration v (1 <= v <= db_schema_latest()), which takes the
 * schema from version v - 1 to v, in dialect d: malloc'd, several
 * statements separated by ';'.
 */
char *db_migration(int v, enum db_dialect d);

enum db_rc {
	DB_OK = 0,
	DB_CONSTRAINT,		/* a primary key or unique constraint said no */
	DB_ERROR,		/* anything else; the driver has logged it */
};

enum db_type { DB_INT, DB_TEXT, DB_BLOB };

/*
 * One bound parameter: ?1 is args[0].  Pointers are borrowed for the call.
 * A parameter has its type even when it is SQL NULL (null), and keeps it in
 * every run of its statement: PostgreSQL prepares the statement with those
 * types, so its SQL needs no casts where nothing around a parameter tells
 * what it is ("SELECT ?1", "?7 IS NULL").
 */
struct db_arg {
	enum db_type	 type;
	int		 null;
	int64_t		 i;
	const void	*p;
	size_t		 len;
};

static inline struct db_arg
arg_int(int64_t v)
{
	struct db_arg a = { DB_INT, 0, v, NULL, 0 };

	return a;
}

/* An id or a time that may be absent: 0 is SQL NULL. */
static inline struct db_arg
arg_int_or_null(int64_t v)
{
	struct db_arg a = { DB_INT, v == 0, v, NULL, 0 };

	return a;
}

/* NULL is SQL NULL. */
static inline struct db_arg
arg_text(const char *s)
{
	struct db_arg a = { DB_TEXT, s == NULL, 0, s, 0 };

	return a;
}

static inline struct db_arg
arg_blob(const void *p, size_t len)
{
	struct db_arg a = { DB_BLOB, 0, 0, p, len };

	return a;
}

/* A digest, or SQL NULL for a NULL pointer. */
static inline struct db_arg
arg_hash(const uint8_t *h)
{
	struct db_arg a = { DB_BLOB, h == NULL, 0, h, HASH_LEN };

	return a;
}

#define ARGS(...)	(const struct db_arg[]){ __VA_ARGS__ }, \
	sizeof((const struct db_arg[]){ __VA_ARGS__ }) / sizeof(struct db_arg)

struct db;		/* a driver's database: its connections and settings */
struct db_conn;		/* one connection; begins with its driver */

struct db_driver {
	const char	*name;
	struct db	*(*open)(const char *spec, const struct store_config *cfg, char *err,
			    size_t err_len);
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
	enum db_rc	 (*run)(struct db_conn *, const struct stmt *,
		    const struct db_arg *, size_t);
	int		 (*next)(struct db_conn *);
	int		 (*is_null)(struct db_conn *, int col);
	int64_t		 (*col_int)(struct db_conn *, int col);
	const char	*(*col_text)(struct db_conn *, int col);
	const uint8_t	*(*col_blob)(struct db_conn *, int col, size_t *len);
	int64_t		 (*changes)(struct db_conn *);
	/*
	 * Whether the connection still reaches the database after a failed
	 * statement: 1 if the statement failed for a reason of its own, 0 if
	 * the database is gone (a lost or dropped connection, no connection).
	 */
	int		 (*usable)(struct db_conn *);
	void		 (*done)(struct db_conn *);
};

struct db_conn {
	const struct db_driver	*drv;
};

extern const struct db_driver db_sqlite_driver;
extern const struct db_driver db_pg_driver;

/* Runs s with args; DB_OK, or the statement failed (then no rows). */
MUST_CHECK static inline enum db_rc
db_run(struct db_conn *c, const struct stmt *s, const struct db_arg *args, size_t n)
{
	return c->drv->run(c, s, args, n);
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

static inline int
db_usable(struct db_conn *c)
{
	return c->drv->usable(c);
}

static inline void
db_done(struct db_conn *c)
{
	c->drv->done(c);
}

MUST_CHECK static inline enum db_rc
db_begin(struct db_conn *c)
{
	return c->drv->begin(c);
}

MUST_CHECK static inline enum db_rc
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
