/*
 * The SQLite driver (db.h).
 *
 * Concurrency: one writer connection behind a mutex, and a pool of reader
 * connections.  In WAL mode readers never wait for the writer, and because
 * this process serialises its own writes, the hot write path never meets
 * SQLITE_BUSY (whose handler sleeps).  Other processes (the `twauth app`
 * commands while a server runs) are covered by busy_timeout.  Write
 * transactions are BEGIN IMMEDIATE, so a transaction that reads before it
 * writes holds the write lock from its first read.
 *
 * Durability: WAL with synchronous=FULL: every commit syncs the WAL before
 * it returns, so an answer that follows a commit (a token, a rotation, a
 * revocation) survives a power cut; the group commit (store_batch.c) is what
 * keeps that to one sync per batch.  With relaxed (--durability relaxed),
 * synchronous=NORMAL: the WAL is synced only at checkpoints, so a power cut
 * may lose the last commits, but never corrupts the database; a killed
 * process loses nothing either way.
 *
 * Deadlines: waiting for the writer, for a reader, and for another
 * process's lock (the busy handler) each end after cfg->timeout_ms; then the
 * call fails (db_unavailable) and is answered 503.
 *
 * Files of other programs: a file with tables that is not marked as
 * twauth's (PRAGMA application_id, set by the first migration that runs)
 * and was not made by a twauth from before the mark is refused before
 * anything writes to it: not even its journal mode changes.
 *
 * Checkpoints are SQLite's automatic ones, run by the writer inside the
 * commit that takes the WAL past 1000 pages.  That stalls writes for one
 * checkpoint, but it always completes, so the next commit reuses the WAL
 * from its start.  (A PASSIVE checkpoint on another thread was tried: under
 * a steady stream of commits it never catches up, and the WAL grew to 7 GiB
 * over a million tokens.)  journal_size_limit trims the file after a burst.
 *
 * The read lock keeper: in WAL mode every read transaction takes a shared
 * lock on a slot of the WAL index, which costs two fcntl() calls and a
 * mutex the server's threads fight over, unless another connection of this
 * process already holds that slot.  So one more connection (keeper) keeps
 * a read transaction open on the latest snapshot, and readers, which start
 * their own transactions as always, find their slot already held.  Readers
 * see every commit at once as before: the keeper only holds a lock, it
 * serves no reads.  It lets go whenever this process writes (sq_get) and
 * takes the new snapshot after (sq_put), so it never holds back a
 * checkpoint or the WAL's restart of ours.  (Another process's writes, the
 * CLI's, can be checkpointed only up to the keeper's snapshot until this
 * process next writes: the WAL grows by what they wrote, no more.)
 * Measured: validate's two fcntl() and its mutex waits are gone; about a
 * fifth more validations a second.
 *
 * Every statement is prepared once per connection, the first time it runs
 * there, and reused; values are always bound, never spliced into SQL.  The
 * schema's migrations are schema.c's, in SQLite's words.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../common/clock.h"
#include "../common/log.h"
#include "../common/metrics.h"
#include "../common/xmalloc.h"
#include "db.h"

#define OPEN_BUSY_MS	5000		/* opening: other servers starting too */
#define TWAUTH_APP_ID	0x74776175	/* "twau": PRAGMA application_id */
#define WAL_SIZE_LIMIT "67108864"		/* bytes kept after a checkpoint */
#define SQ_READERS 8

struct sq_conn {
	struct db_conn	 base;			/* first: the driver */
	sqlite3		*db;
	struct db_slots	 slots;			/* which statement is where in stmts */
	sqlite3_stmt	*stmts[DB_SLOTS];	/* prepared on first use */
	sqlite3_stmt	*begin, *commit, *rollback;
	sqlite3_stmt	*cur;			/* the statement being read */
	int		 step;			/* cur's last sqlite3_step */
	int		 pending;		/* a row stepped to, not yet read */
};

struct sq_db {
	pthread_mutex_t	 write_lock;
	struct sq_conn	 writer;
	struct sq_conn	 keeper;	/* holds a read lock; guarded by write_lock */
	sqlite3_stmt	*hold;		/* its read, left unfinished while held */
	struct sq_conn	 readers[SQ_READERS];
	struct db_pool	 pool;			/* lends out readers */
	int		 version;
	char		*path;
	struct store_config cfg;
};

#define SQ(d)	((struct sq_db *)(void *)(d))
#define SC(c)	((struct sq_conn *)(void *)(c))

static void
db_error(struct sq_conn *c, const char *what)
{
	log_error("sqlite: %.72s: %s", what, sqlite3_errmsg(c->db));
}

static sqlite3_stmt *
prepare(struct sq_conn *c, const char *sql)
{
	sqlite3_stmt *s = NULL;

	if (sqlite3_prepare_v3(c->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, NULL) !=
	    SQLITE_OK) {
		db_error(c, sql);
		return NULL;
	}
	return s;
}

static int
conn_open(struct sq_conn *c, const char *path, int flags, const struct store_config *cfg,
    char *err, size_t err_len)
{
	memset(c, 0, sizeof(*c));
	c->base.drv = &db_sqlite_driver;
	if (sqlite3_open_v2(path, &c->db, flags | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		snprintf(err, err_len, "cannot open %s: %s", path,
		    c->db ? sqlite3_errmsg(c->db) : "out of memory");
		return -1;
	}
	sqlite3_busy_timeout(c->db, (int)cfg->timeout_ms);
	sqlite3_extended_result_codes(c->db, 1);
	if (sqlite3_exec(c->db, cfg->relaxed ?
	    "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; "
	    "PRAGMA journal_size_limit = " WAL_SIZE_LIMIT ";" :
	    "PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL; "
	    "PRAGMA journal_size_limit = " WAL_SIZE_LIMIT ";",
	    NULL, NULL, NULL) != SQLITE_OK) {
		snprintf(err, err_len, "cannot configure %s: %s", path, sqlite3_errmsg(c->db));
		return -1;
	}
	return 0;
}

static void
conn_close(struct sq_conn *c)
{
	for (int i = 0; i < DB_SLOTS; i++)
		sqlite3_finalize(c->stmts[i]);
	sqlite3_finalize(c->begin);
	sqlite3_finalize(c->commit);
	sqlite3_finalize(c->rollback);
	if (c->db != NULL && sqlite3_close(c->db) != SQLITE_OK)
		log_error("sqlite: close: %s", sqlite3_errmsg(c->db));
	memset(c, 0, sizeof(*c));
}

/* Creates the database file 0600 (and its directory 0700) if missing. */
static int
create_private(const char *path, char *err, size_t err_len)
{
	const char *slash = strrchr(path, '/');
	int fd;

	if (slash != NULL && slash != path) {
		char *dir = xmemdup0(path, (size_t)(slash - path));
		int rc = mkdir(dir, 0700);

		if (rc == -1 && errno != EEXIST) {
			snprintf(err, err_len, "cannot create directory %s: %s", dir,
			    strerror(errno));
			free(dir);
			return -1;
		}
		free(dir);
	}
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd == -1) {
		snprintf(err, err_len, "cannot open %s: %s", path, strerror(errno));
		return -1;
	}
	close(fd);
	return 0;
}

/*
 * WAL mode, then the write lock.  Switching a new file to WAL can answer
 * SQLITE_BUSY at once, without the busy handler, when another process is
 * opening it too (two servers started together): so try again for a while.
 */
static int
start_migration(sqlite3 *db)
{
	struct timespec pause = { 0, 20 * 1000 * 1000 };
	int rc = SQLITE_BUSY;

	for (int waited = 0; waited < OPEN_BUSY_MS; waited += 20) {
		rc = sqlite3_exec(db, "PRAGMA journal_mode = WAL", NULL, NULL, NULL);
		if (rc == SQLITE_OK)
			rc = sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
		if ((rc & 0xff) != SQLITE_BUSY && (rc & 0xff) != SQLITE_LOCKED)
			break;
		nanosleep(&pause, NULL);
	}
	return rc;
}

/* The one integer a PRAGMA or a count answers; -1 if it cannot be read. */
static int64_t
one_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *s = NULL;
	int64_t v = -1;

	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

/*
 * Whether the file is twauth's to use, read before anything writes to it:
 * empty; marked as twauth's; or made by a twauth from before the mark (a
 * schema version and twauth's apps table).  Else -1, with why in err.
 */
static int
check_ours(sqlite3 *db, const char *path, char *err, size_t err_len)
{
	int64_t tables = one_int(db, "SELECT count(*) FROM sqlite_master");
	int64_t app_id = one_int(db, "PRAGMA application_id");
	int64_t version = one_int(db, "PRAGMA user_version");

	if (tables < 0 || app_id < 0 || version < 0) {
		snprintf(err, err_len, "cannot read %s: %s", path, sqlite3_errmsg(db));
		return -1;
	}
	if (tables == 0 || app_id == TWAUTH_APP_ID || (app_id == 0 && version > 0 &&
	    one_int(db, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND "
	    "name = 'apps'") == 1))
		return 0;
	snprintf(err, err_len, "%s is not a twauth database: it holds another program's "
	    "tables (application_id %lld, schema version %lld); twauth leaves it as it is; "
	    "give --db a new file", path, (long long)app_id, (long long)version);
	return -1;
}

static int
migrate(struct sq_db *q, char *err, size_t err_len)
{
	sqlite3 *db = q->writer.db;
	sqlite3_stmt *s = NULL;
	int version = -1, rc = -1, latest = db_schema_latest();
	char mark[64];

	if (start_migration(db) != SQLITE_OK) {
		snprintf(err, err_len, "cannot start migration: %s", sqlite3_errmsg(db));
		return -1;
	}
	if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &s, NULL) == SQLITE_OK &&
	    sqlite3_step(s) == SQLITE_ROW)
		version = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	if (version < 0) {
		snprintf(err, err_len, "cannot read schema version: %s", sqlite3_errmsg(db));
		goto out;
	}
	if (version > latest) {
		snprintf(err, err_len, "database schema version %d is newer than this "
		    "twauth knows (%d); upgrade twauth", version, latest);
		goto out;
	}
	for (int v = version + 1; v <= latest; v++) {
		char pragma[64], *sql = db_migration(v, DIALECT_SQLITE);
		int ok;

		snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d", v);
		ok = sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK &&
		    sqlite3_exec(db, pragma, NULL, NULL, NULL) == SQLITE_OK;
		free(sql);
		if (!ok) {
			snprintf(err, err_len, "migration %d failed: %s", v, sqlite3_errmsg(db));
			goto out;
		}
		if (v == version + 1)
			log_debug("sqlite: migrating schema from version %d", version);
	}
	/* The mark check_ours looks for (a header field, in this transaction). */
	snprintf(mark, sizeof(mark), "PRAGMA application_id = %d", TWAUTH_APP_ID);
	if (sqlite3_exec(db, mark, NULL, NULL, NULL) != SQLITE_OK) {
		snprintf(err, err_len, "cannot mark the database: %s", sqlite3_errmsg(db));
		goto out;
	}
	q->version = latest;
	rc = 0;
out:
	if (sqlite3_exec(db, rc == 0 ? "COMMIT" : "ROLLBACK", NULL, NULL, NULL) != SQLITE_OK &&
	    rc == 0) {
		snprintf(err, err_len, "cannot commit migration: %s", sqlite3_errmsg(db));
		rc = -1;
	}
	return rc;
}

static void sq_close(struct db *d);

static pthread_once_t sq_configured = PTHREAD_ONCE_INIT;

/*
 * Process-wide, before the first connection.  Memory statistics take a
 * global mutex on every SQLite allocation, which the server's threads
 * would fight over; nothing reads them.
 */
static void
sq_configure(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

/* The keeper takes the latest snapshot (see the top of this file). */
static void
keeper_hold(struct sq_db *q)
{
	if (q->hold == NULL &&
	    (q->hold = prepare(&q->keeper, "SELECT 1 FROM sqlite_master LIMIT 1")) == NULL)
		return;
	if (sqlite3_step(q->hold) != SQLITE_ROW)
		sqlite3_reset(q->hold);		/* nothing held; readers lock for themselves */
}

static void
keeper_release(struct sq_db *q)
{
	if (q->hold != NULL)
		sqlite3_reset(q->hold);
}

static struct db *
sq_open(const char *path, const struct store_config *cfg, char *err, size_t err_len)
{
	struct sq_db *q = xcalloc(1, sizeof(*q));

	pthread_once(&sq_configured, sq_configure);
	q->path = xstrdup(path);
	q->cfg = *cfg;
	pthread_mutex_init(&q->write_lock, NULL);
	db_pool_init(&q->pool);
	if (create_private(path, err, err_len) == -1 ||
	    conn_open(&q->writer, path, SQLITE_OPEN_READWRITE, cfg, err, err_len) == -1 ||
	    check_ours(q->writer.db, path, err, err_len) == -1 ||
	    migrate(q, err, err_len) == -1)
		goto fail;
	for (size_t i = 0; i < SQ_READERS; i++) {
		if (conn_open(&q->readers[i], path, SQLITE_OPEN_READONLY, cfg, err, err_len) == -1)
			goto fail;
		db_pool_put(&q->pool, &q->readers[i].base);
	}
	if (conn_open(&q->keeper, path, SQLITE_OPEN_READONLY, cfg, err, err_len) == -1)
		goto fail;
	keeper_hold(q);
	return (struct db *)(void *)q;
fail:
	sq_close((struct db *)(void *)q);
	return NULL;
}

static void
sq_close(struct db *d)
{
	struct sq_db *q = SQ(d);

	sqlite3_finalize(q->hold);
	conn_close(&q->keeper);
	for (size_t i = 0; i < SQ_READERS; i++)
		conn_close(&q->readers[i]);
	/* The last connection to close checkpoints the WAL into the file. */
	conn_close(&q->writer);
	pthread_mutex_destroy(&q->write_lock);
	db_pool_destroy(&q->pool);
	free(q->path);
	free(q);
}

static int
sq_schema_version(struct db *d)
{
	return SQ(d)->version;
}

static const char *
sq_where(struct db *d)
{
	return SQ(d)->path;
}

/*
 * The online backup API into a new file: pages are copied in steps, the
 * write lock held only while a step runs, and the copy is a snapshot of one
 * moment.  The file is made 0600 and never replaces an existing one.
 */
static int
sq_backup(struct db *d, const char *path, char *err, size_t err_len)
{
	struct sq_db *q = SQ(d);
	sqlite3 *dst = NULL;
	sqlite3_backup *b;
	int fd, rc = -1, step;

	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) == -1) {
		snprintf(err, err_len, "cannot create %s: %s", path, strerror(errno));
		return -1;
	}
	close(fd);
	if (sqlite3_open_v2(path, &dst, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		snprintf(err, err_len, "cannot open %s: %s", path,
		    dst ? sqlite3_errmsg(dst) : "out of memory");
		goto out;
	}
	pthread_mutex_lock(&q->write_lock);
	b = sqlite3_backup_init(dst, "main", q->writer.db, "main");
	pthread_mutex_unlock(&q->write_lock);
	if (b == NULL) {
		snprintf(err, err_len, "cannot start the backup: %s", sqlite3_errmsg(dst));
		goto out;
	}
	do {
		/* The writer connection is shared: hold its lock while a step uses it. */
		pthread_mutex_lock(&q->write_lock);
		step = sqlite3_backup_step(b, 256);
		pthread_mutex_unlock(&q->write_lock);
	} while (step == SQLITE_OK || step == SQLITE_BUSY || step == SQLITE_LOCKED);
	if (sqlite3_backup_finish(b) == SQLITE_OK && step == SQLITE_DONE)
		rc = 0;
	else
		snprintf(err, err_len, "the backup failed: %s", sqlite3_errmsg(dst));
out:
	sqlite3_close(dst);
	if (rc == -1)
		unlink(path);
	return rc;
}

/* Runs a PRAGMA that lists problems (or the single row "ok"). */
static int
run_check(struct sq_conn *c, const char *pragma, void (*report)(void *, const char *),
    void *arg)
{
	sqlite3_stmt *s = NULL;
	int problems = 0, step;

	if (sqlite3_prepare_v2(c->db, pragma, -1, &s, NULL) != SQLITE_OK)
		return -1;
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(s, 0);
		char line[512];

		if (t != NULL && strcmp(t, "ok") == 0)
			continue;
		/* foreign_key_check rows: table, rowid, parent, fk index. */
		if (sqlite3_column_count(s) >= 3)
			snprintf(line, sizeof(line), "foreign key: a row of %s points to a missing "
			    "row of %s", t ? t : "?", (const char *)sqlite3_column_text(s, 2));
		else
			snprintf(line, sizeof(line), "%s", t ? t : "?");
		report(arg, line);
		problems++;
	}
	sqlite3_finalize(s);
	return step == SQLITE_DONE ? problems : -1;
}

static int
sq_check(struct db *d, void (*report)(void *, const char *), void *arg)
{
	struct sq_db *q = SQ(d);
	struct sq_conn *c;
	int a, b;

	pthread_mutex_lock(&q->write_lock);
	c = &q->writer;
	a = run_check(c, "PRAGMA integrity_check", report, arg);
	b = a < 0 ? -1 : run_check(c, "PRAGMA foreign_key_check", report, arg);
	pthread_mutex_unlock(&q->write_lock);
	return a < 0 || b < 0 ? -1 : a + b;
}

static struct db_conn *
sq_get(struct db *d, int write)
{
	struct sq_db *q = SQ(d);

	if (write) {
		struct timespec until;

		db_deadline(&until, q->cfg.timeout_ms);
		if (pthread_mutex_timedlock(&q->write_lock, &until) != 0) {
			log_warn("sqlite: the writer was busy for over %u ms", q->cfg.timeout_ms);
			return &db_unavailable;
		}
		keeper_release(q);
		return &q->writer.base;
	}
	return db_pool_take(&q->pool, q->cfg.timeout_ms);
}

static void
sq_put(struct db *d, struct db_conn *dc)
{
	struct sq_db *q = SQ(d);

	if (SC(dc) == &q->writer) {
		keeper_hold(q);
		pthread_mutex_unlock(&q->write_lock);
		return;
	}
	db_pool_put(&q->pool, dc);
}

/* Runs one of the transaction statements (prepared on first use). */
static enum db_rc
control(struct sq_conn *c, sqlite3_stmt **slot, const char *sql)
{
	int step;

	if (*slot == NULL && (*slot = prepare(c, sql)) == NULL)
		return DB_ERROR;
	step = sqlite3_step(*slot);
	sqlite3_reset(*slot);
	if (step != SQLITE_DONE) {
		db_error(c, sql);
		return DB_ERROR;
	}
	return DB_OK;
}

static enum db_rc
sq_begin(struct db_conn *dc)
{
	return control(SC(dc), &SC(dc)->begin, "BEGIN IMMEDIATE");
}

static enum db_rc
sq_commit(struct db_conn *dc)
{
	return control(SC(dc), &SC(dc)->commit, "COMMIT");
}

static void
sq_rollback(struct db_conn *dc)
{
	/* Some errors (a full disk, say) have rolled back already. */
	if (!sqlite3_get_autocommit(SC(dc)->db))
		(void)control(SC(dc), &SC(dc)->rollback, "ROLLBACK");
}

static enum db_rc
sq_run(struct db_conn *dc, const struct stmt *st, const struct db_arg *args, size_t n)
{
	struct sq_conn *c = SC(dc);
	sqlite3_stmt *s;
	uint64_t started;
	unsigned slot = db_slot(&c->slots, st);

	c->cur = NULL;
	c->pending = 0;
	if (c->stmts[slot] == NULL && (c->stmts[slot] = prepare(c, st->sql)) == NULL)
		return DB_ERROR;
	s = c->stmts[slot];
	for (size_t i = 0; i < n; i++) {
		int k = (int)i + 1;

		if (args[i].null) {
			sqlite3_bind_null(s, k);
			continue;
		}
		switch (args[i].type) {
		case DB_INT:
			sqlite3_bind_int64(s, k, args[i].i);
			break;
		case DB_TEXT:
			sqlite3_bind_text(s, k, args[i].p, -1, SQLITE_STATIC);
			break;
		case DB_BLOB:
			sqlite3_bind_blob(s, k, args[i].p, (int)args[i].len, SQLITE_STATIC);
			break;
		}
	}
	c->cur = s;
	started = clock_mono_us();
	c->step = sqlite3_step(s);
	metrics_db(clock_mono_us() - started, c->step != SQLITE_ROW && c->step != SQLITE_DONE &&
	    c->step != SQLITE_CONSTRAINT_PRIMARYKEY && c->step != SQLITE_CONSTRAINT_UNIQUE);
	if (c->step == SQLITE_ROW || c->step == SQLITE_DONE) {
		c->pending = c->step == SQLITE_ROW;
		return DB_OK;
	}
	if (c->step == SQLITE_CONSTRAINT_PRIMARYKEY || c->step == SQLITE_CONSTRAINT_UNIQUE)
		return DB_CONSTRAINT;
	db_error(c, st->sql);
	return DB_ERROR;
}

static int
sq_next(struct db_conn *dc)
{
	struct sq_conn *c = SC(dc);

	if (c->cur == NULL)
		return -1;
	if (c->pending) {
		c->pending = 0;
		return 1;
	}
	if (c->step != SQLITE_ROW)
		return c->step == SQLITE_DONE ? 0 : -1;
	c->step = sqlite3_step(c->cur);
	if (c->step == SQLITE_ROW)
		return 1;
	if (c->step == SQLITE_DONE)
		return 0;
	db_error(c, sqlite3_sql(c->cur));
	return -1;
}

static int
sq_is_null(struct db_conn *dc, int col)
{
	return sqlite3_column_type(SC(dc)->cur, col) == SQLITE_NULL;
}

static int64_t
sq_col_int(struct db_conn *dc, int col)
{
	return sqlite3_column_int64(SC(dc)->cur, col);
}

static const char *
sq_col_text(struct db_conn *dc, int col)
{
	const unsigned char *t = sqlite3_column_text(SC(dc)->cur, col);

	return t ? (const char *)t : "";
}

static const uint8_t *
sq_col_blob(struct db_conn *dc, int col, size_t *len)
{
	const uint8_t *p = sqlite3_column_blob(SC(dc)->cur, col);
	int n = sqlite3_column_bytes(SC(dc)->cur, col);

	*len = n > 0 ? (size_t)n : 0;
	return p;
}

static int64_t
sq_changes(struct db_conn *dc)
{
	return sqlite3_changes(SC(dc)->db);
}

/* One file, always there: a failure is the statement's own. */
static int
sq_usable(struct db_conn *dc)
{
	(void)dc;
	return 1;
}

static void
sq_done(struct db_conn *dc)
{
	struct sq_conn *c = SC(dc);

	if (c->cur != NULL) {
		sqlite3_reset(c->cur);
		sqlite3_clear_bindings(c->cur);
	}
	c->cur = NULL;
	c->pending = 0;
}

const struct db_driver db_sqlite_driver = {
	.name = "sqlite",
	.open = sq_open,
	.close = sq_close,
	.schema_version = sq_schema_version,
	.where = sq_where,
	.backup = sq_backup,
	.check = sq_check,
	.get = sq_get,
	.put = sq_put,
	.begin = sq_begin,
	.commit = sq_commit,
	.rollback = sq_rollback,
	.run = sq_run,
	.next = sq_next,
	.is_null = sq_is_null,
	.col_int = sq_col_int,
	.col_text = sq_col_text,
	.col_blob = sq_col_blob,
	.changes = sq_changes,
	.usable = sq_usable,
	.done = sq_done,
};
