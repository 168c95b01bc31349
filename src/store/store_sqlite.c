/*
 * SQLite backend.
 *
 * Concurrency: one writer connection behind a mutex, and a pool of reader
 * connections.  App tokens reach the writer through the group commit of
 * store_sqlite_batch.c, which holds the same mutex for a whole batch.  In WAL mode readers never wait for the writer, and because
 * this process serialises its own writes, the hot write path never meets
 * SQLITE_BUSY (whose handler sleeps).  Other processes (the `twauth app`
 * commands while a server runs) are covered by busy_timeout.
 *
 * Durability: WAL with synchronous=NORMAL.  A committed transaction survives
 * the process being killed (it is in the WAL file); a power cut may lose the
 * last commits but never corrupts the database.
 *
 * Checkpoints are SQLite's automatic ones, run by the writer inside the
 * commit that takes the WAL past 1000 pages.  That stalls writes for one
 * checkpoint, but it always completes, so the next commit reuses the WAL
 * from its start.  (A PASSIVE checkpoint on another thread was tried: under
 * a steady stream of commits it never catches up, and the WAL grew to 7 GiB
 * over a million tokens.)  journal_size_limit trims the file after a burst.
 *
 * Tokens are looked up joined to their app: deleting an app invalidates
 * every token it holds in the same instant, without an index on client_id
 * (which would make every insert touch a second random B-tree page).
 *
 * Every statement is prepared once per connection and reused; values are
 * always bound, never spliced into SQL.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../common/log.h"
#include "../common/xmalloc.h"
#include "store_sqlite.h"

#define BUSY_TIMEOUT_MS 5000
#define WAL_SIZE_LIMIT "67108864"		/* bytes kept after a checkpoint */

static const char *const stmt_sql[ST__MAX] = {
	[ST_BEGIN] = "BEGIN IMMEDIATE",
	[ST_COMMIT] = "COMMIT",
	[ST_ROLLBACK] = "ROLLBACK",
	[ST_APP_INSERT] = "INSERT INTO apps (client_id, name, secret_hash, is_public, "
	    "redirect_uris, created_at, scope_string) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	[ST_APP_GET] = "SELECT client_id, name, secret_hash, is_public, redirect_uris, "
	    "created_at, scope_string FROM apps WHERE client_id = ?1",
	[ST_APP_LIST] = "SELECT client_id, name, secret_hash, is_public, redirect_uris, "
	    "created_at, scope_string FROM apps ORDER BY created_at, client_id",
	[ST_APP_SET_SCOPE_STRING] = "UPDATE apps SET scope_string = ?2 WHERE client_id = ?1",
	[ST_APP_SET_SECRET] = "UPDATE apps SET secret_hash = ?2 WHERE client_id = ?1 "
	    "AND is_public = 0",
	[ST_APP_GET_URIS] = "SELECT redirect_uris FROM apps WHERE client_id = ?1",
	[ST_APP_SET_URIS] = "UPDATE apps SET redirect_uris = ?2 WHERE client_id = ?1",
	[ST_APP_DELETE] = "DELETE FROM apps WHERE client_id = ?1",
	/*
	 * The app's existence (and secret, when ?7 is given) is part of the
	 * insert.  Comparing digests in SQL is not constant-time, which is
	 * harmless: the caller controls only the preimage of ?7, so timing
	 * can reveal nothing about the stored secret.
	 */
	[ST_TOKEN_INSERT] = "INSERT INTO tokens (hash, client_id, user_id, scopes, "
	    "created_at, expires_at) SELECT ?1, client_id, ?3, ?4, ?5, ?6 FROM apps "
	    "WHERE client_id = ?2 AND (?7 IS NULL OR (is_public = 0 AND secret_hash = ?7))",
	[ST_TOKEN_INSERT_GRANT] = "INSERT INTO tokens (hash, client_id, user_id, grant_id, "
	    "scopes, created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	/*
	 * A user token is valid while its grant (and so its user) exists;
	 * an app token while its app does.
	 */
	[ST_TOKEN_GET] = "SELECT t.client_id, t.user_id, t.grant_id, t.scopes, t.created_at, "
	    "t.expires_at, u.login, g.claims FROM tokens t "
	    "JOIN apps a ON a.client_id = t.client_id "
	    "LEFT JOIN grants g ON g.id = t.grant_id LEFT JOIN users u ON u.id = g.user_id "
	    "WHERE t.hash = ?1 AND (t.grant_id IS NULL OR u.id IS NOT NULL)",
	[ST_TOKEN_REVOKE] = "DELETE FROM tokens WHERE hash = ?1 AND client_id = ?2",
	[ST_REFRESH_REVOKE_GRANT] = "DELETE FROM grants WHERE id = (SELECT grant_id FROM "
	    "refresh_tokens WHERE hash = ?1 AND client_id = ?2)",

#define USER_COLS "u.id, u.login, u.display_name, u.email, u.email_verified, " \
	"u.profile_image_url, u.password_hash, u.created_at, u.updated_at"
	[ST_USER_INSERT] = "INSERT INTO users (login, display_name, email, email_verified, "
	    "profile_image_url, password_hash, created_at, updated_at) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
	[ST_USER_GET_LOGIN] = "SELECT " USER_COLS " FROM users u WHERE u.login = ?1",
	[ST_USER_GET_ID] = "SELECT " USER_COLS " FROM users u WHERE u.id = ?1",
	[ST_USER_LIST] = "SELECT " USER_COLS " FROM users u ORDER BY u.id",
	[ST_USER_DELETE] = "DELETE FROM users WHERE id = ?1",
	[ST_USER_SET_PASSWORD] = "UPDATE users SET password_hash = ?2, updated_at = ?3 "
	    "WHERE id = ?1",
	[ST_USER_DELETE_GRANTS] = "DELETE FROM grants WHERE user_id = ?1",
	[ST_USER_DELETE_SESSIONS] = "DELETE FROM sessions WHERE user_id = ?1",
	[ST_SESSION_INSERT] = "INSERT INTO sessions (hash, user_id, created_at, expires_at) "
	    "SELECT ?1, id, ?3, ?4 FROM users WHERE id = ?2",
	[ST_SESSION_GET] = "SELECT " USER_COLS " FROM sessions s JOIN users u ON "
	    "u.id = s.user_id WHERE s.hash = ?1 AND s.expires_at > ?2",
	[ST_SESSION_DELETE] = "DELETE FROM sessions WHERE hash = ?1",
	[ST_CONSENT_GET] = "SELECT 1 FROM consents WHERE user_id = ?1 AND client_id = ?2 "
	    "AND scopes = ?3",
	[ST_CONSENT_PUT] = "INSERT INTO consents (user_id, client_id, scopes, created_at) "
	    "SELECT ?1, ?2, ?3, ?4 WHERE EXISTS (SELECT 1 FROM users WHERE id = ?1) "
	    "AND EXISTS (SELECT 1 FROM apps WHERE client_id = ?2) ON CONFLICT DO NOTHING",
	[ST_GRANT_INSERT] = "INSERT INTO grants (user_id, client_id, scopes, created_at, claims) "
	    "SELECT ?1, ?2, ?3, ?4, ?5 WHERE EXISTS (SELECT 1 FROM users WHERE id = ?1) "
	    "AND EXISTS (SELECT 1 FROM apps WHERE client_id = ?2)",
	[ST_GRANT_DELETE] = "DELETE FROM grants WHERE id = ?1",
	[ST_GRANTS_DELETE] = "DELETE FROM grants WHERE user_id = ?1 AND client_id = ?2",
	[ST_CONSENTS_DELETE] = "DELETE FROM consents WHERE user_id = ?1 AND client_id = ?2",
	[ST_CONNECTIONS] = "SELECT g.client_id, a.name, group_concat(g.scopes, ' '), "
	    "MIN(g.created_at) AS first FROM grants g JOIN apps a ON a.client_id = g.client_id "
	    "WHERE g.user_id = ?1 GROUP BY g.client_id ORDER BY first, g.client_id",
	[ST_REFRESH_INSERT] = "INSERT INTO refresh_tokens (hash, grant_id, client_id, "
	    "created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5)",
	[ST_REFRESH_GET] = "SELECT r.grant_id, r.client_id, r.expires_at, r.used_at, "
	    "g.user_id, g.scopes, g.created_at FROM refresh_tokens r "
	    "JOIN grants g ON g.id = r.grant_id WHERE r.hash = ?1",
	[ST_REFRESH_MARK_USED] = "UPDATE refresh_tokens SET used_at = ?2 WHERE hash = ?1 "
	    "AND used_at IS NULL",
	[ST_CODE_INSERT] = "INSERT INTO codes (hash, client_id, user_id, redirect_uri, scopes, "
	    "nonce, claims, created_at, expires_at) SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9 "
	    "WHERE EXISTS (SELECT 1 FROM users WHERE id = ?3) "
	    "AND EXISTS (SELECT 1 FROM apps WHERE client_id = ?2)",
	[ST_CODE_GET] = "SELECT client_id, user_id, redirect_uri, scopes, nonce, claims, "
	    "created_at, expires_at, used, grant_id FROM codes WHERE hash = ?1",
	[ST_CODE_MARK_USED] = "UPDATE codes SET used = 1, grant_id = ?2 WHERE hash = ?1 "
	    "AND used = 0",
	[ST_DEVICE_REPLACE_EXPIRED] = "DELETE FROM device_codes WHERE user_hash = ?1 "
	    "AND expires_at <= ?2",
	[ST_DEVICE_INSERT] = "INSERT INTO device_codes (device_hash, user_hash, client_id, "
	    "scopes, created_at, expires_at, interval) SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7 "
	    "WHERE EXISTS (SELECT 1 FROM apps WHERE client_id = ?3)",
	[ST_DEVICE_FIND] = "SELECT d.device_hash, d.client_id, d.scopes, d.created_at, "
	    "d.expires_at, d.interval, a.name FROM device_codes d "
	    "JOIN apps a ON a.client_id = d.client_id "
	    "WHERE d.user_hash = ?1 AND d.state = 0 AND d.expires_at > ?2",
	[ST_DEVICE_DECIDE] = "UPDATE device_codes SET state = ?3, user_id = ?4 "
	    "WHERE user_hash = ?1 AND state = 0 AND expires_at > ?2 "
	    "AND EXISTS (SELECT 1 FROM users WHERE id = ?4)",
	[ST_DEVICE_GET] = "SELECT client_id, scopes, expires_at, interval, last_poll, state, "
	    "user_id FROM device_codes WHERE device_hash = ?1",
	[ST_DEVICE_POLLED] = "UPDATE device_codes SET last_poll = ?2, interval = ?3 "
	    "WHERE device_hash = ?1",
	[ST_KEY_INSERT] = "INSERT INTO signing_keys (kid, public_der, private_enc, created_at) "
	    "VALUES (?1, ?2, ?3, ?4)",
	[ST_KEY_INSERT_FIRST] = "INSERT INTO signing_keys (kid, public_der, private_enc, "
	    "created_at) SELECT ?1, ?2, ?3, ?4 WHERE NOT EXISTS "
	    "(SELECT 1 FROM signing_keys WHERE retired_at IS NULL)",
	[ST_KEY_RETIRE] = "UPDATE signing_keys SET retired_at = ?1 WHERE retired_at IS NULL",
	[ST_KEY_LIST] = "SELECT kid, public_der, private_enc, created_at, retired_at "
	    "FROM signing_keys ORDER BY created_at DESC, rowid DESC LIMIT ?1",
	[ST_DEVICE_REDEEMED] = "UPDATE device_codes SET state = 3, grant_id = ?2 "
	    "WHERE device_hash = ?1 AND state = 1",
#undef USER_COLS
};

/*
 * Versioned migrations: migrations[i] takes the schema from version i to
 * i + 1.  They run at open, in one transaction, and the version is kept in
 * PRAGMA user_version.  Never edit a shipped migration; append a new one.
 */
static const char *const migrations[] = {
	/* 1: apps and tokens */
	"CREATE TABLE apps ("
	"  client_id     TEXT PRIMARY KEY,"
	"  name          TEXT NOT NULL,"
	"  secret_hash   BLOB,"			/* SHA-256; NULL for public apps */
	"  is_public     INTEGER NOT NULL,"
	"  redirect_uris TEXT NOT NULL,"		/* newline-separated */
	"  created_at    INTEGER NOT NULL"
	");"
	"CREATE TABLE tokens ("
	"  hash       BLOB PRIMARY KEY,"		/* SHA-256 of the token */
	"  client_id  TEXT NOT NULL,"
	"  user_id    INTEGER,"				/* NULL for app tokens */
	"  scopes     TEXT NOT NULL,"
	"  created_at INTEGER NOT NULL,"
	"  expires_at INTEGER NOT NULL"
	") WITHOUT ROWID;",

	/*
	 * 2: users and what they authorize.  AUTOINCREMENT so that a deleted
	 * user's or grant's id is never given out again: tokens of a deleted
	 * grant are left in place (see store_sqlite_users.c) and must never
	 * come back to life.  User ids start above 100000000, like Twitch's.
	 */
	"CREATE TABLE users ("
	"  id                INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  login             TEXT NOT NULL UNIQUE,"	/* lowercase */
	"  display_name      TEXT NOT NULL,"
	"  email             TEXT NOT NULL,"
	"  email_verified    INTEGER NOT NULL,"
	"  profile_image_url TEXT NOT NULL,"
	"  password_hash     TEXT NOT NULL,"		/* argon2id encoded */
	"  created_at        INTEGER NOT NULL,"
	"  updated_at        INTEGER NOT NULL"
	");"
	"INSERT INTO sqlite_sequence (name, seq) VALUES ('users', 100000000);"
	"CREATE TABLE sessions ("
	"  hash       BLOB PRIMARY KEY,"		/* SHA-256 of the cookie */
	"  user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	"  created_at INTEGER NOT NULL,"
	"  expires_at INTEGER NOT NULL"
	") WITHOUT ROWID;"
	"CREATE INDEX sessions_user ON sessions(user_id);"
	"CREATE TABLE grants ("
	"  id         INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	"  client_id  TEXT NOT NULL REFERENCES apps(client_id) ON DELETE CASCADE,"
	"  scopes     TEXT NOT NULL,"
	"  created_at INTEGER NOT NULL"
	");"
	"CREATE INDEX grants_user_client ON grants(user_id, client_id);"
	"CREATE INDEX grants_client ON grants(client_id);"
	"CREATE TABLE consents ("
	"  user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	"  client_id  TEXT NOT NULL REFERENCES apps(client_id) ON DELETE CASCADE,"
	"  scopes     TEXT NOT NULL,"			/* sorted, space-separated */
	"  created_at INTEGER NOT NULL,"
	"  PRIMARY KEY (user_id, client_id, scopes)"
	") WITHOUT ROWID;"
	"CREATE INDEX consents_client ON consents(client_id);"
	"CREATE TABLE codes ("
	"  hash         BLOB PRIMARY KEY,"		/* SHA-256 of the code */
	"  client_id    TEXT NOT NULL REFERENCES apps(client_id) ON DELETE CASCADE,"
	"  user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	"  redirect_uri TEXT NOT NULL,"
	"  scopes       TEXT NOT NULL,"
	"  nonce        TEXT NOT NULL,"
	"  claims       TEXT NOT NULL,"
	"  created_at   INTEGER NOT NULL,"
	"  expires_at   INTEGER NOT NULL,"
	"  used         INTEGER NOT NULL DEFAULT 0,"
	"  grant_id     INTEGER"			/* what redeeming it created */
	") WITHOUT ROWID;"
	"CREATE INDEX codes_user ON codes(user_id);"
	"CREATE INDEX codes_client ON codes(client_id);"
	"CREATE TABLE refresh_tokens ("
	"  hash       BLOB PRIMARY KEY,"		/* SHA-256 of the token */
	"  grant_id   INTEGER NOT NULL REFERENCES grants(id) ON DELETE CASCADE,"
	"  client_id  TEXT NOT NULL,"
	"  created_at INTEGER NOT NULL,"
	"  expires_at INTEGER,"				/* NULL: never */
	"  used_at    INTEGER"				/* set when rotated out */
	") WITHOUT ROWID;"
	"CREATE INDEX refresh_grant ON refresh_tokens(grant_id);"
	"ALTER TABLE tokens ADD COLUMN grant_id INTEGER;",

	/*
	 * 3: device authorizations (RFC 8628).  Both codes are kept as digests;
	 * a user code is unique only among live rows (expired ones are replaced).
	 */
	"CREATE TABLE device_codes ("
	"  device_hash BLOB PRIMARY KEY,"		/* SHA-256 of the device code */
	"  user_hash   BLOB NOT NULL UNIQUE,"		/* SHA-256 of the user code */
	"  client_id   TEXT NOT NULL REFERENCES apps(client_id) ON DELETE CASCADE,"
	"  scopes      TEXT NOT NULL,"
	"  created_at  INTEGER NOT NULL,"
	"  expires_at  INTEGER NOT NULL,"
	"  interval    INTEGER NOT NULL,"
	"  last_poll   INTEGER,"				/* NULL: never polled */
	"  state       INTEGER NOT NULL DEFAULT 0,"	/* enum store_device_state */
	"  user_id     INTEGER REFERENCES users(id) ON DELETE CASCADE,"
	"  grant_id    INTEGER"				/* what redeeming it created */
	") WITHOUT ROWID;"
	"CREATE INDEX device_codes_client ON device_codes(client_id);"
	"CREATE INDEX device_codes_user ON device_codes(user_id);",

	/*
	 * 4: OpenID Connect.  Signing keys (the private half encrypted with
	 * the secret file, see src/idp/keys.c), the claims request a grant was
	 * made with (for userinfo), and the per-app token response style.
	 */
	"CREATE TABLE signing_keys ("
	"  kid         TEXT PRIMARY KEY,"
	"  public_der  BLOB NOT NULL,"
	"  private_enc BLOB NOT NULL,"
	"  created_at  INTEGER NOT NULL,"
	"  retired_at  INTEGER"				/* NULL: signing now */
	");"
	"ALTER TABLE grants ADD COLUMN claims TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE apps ADD COLUMN scope_string INTEGER NOT NULL DEFAULT 0;",
};
#define N_MIGRATIONS ((int)(sizeof(migrations) / sizeof(migrations[0])))

void
sq_db_error(struct conn *c, const char *what)
{
	log_error("sqlite: %s: %s", what, sqlite3_errmsg(c->db));
}

sqlite3_stmt *
sq_stmt(struct conn *c, enum stmt_id id)
{
	if (c->stmts[id] == NULL &&
	    sqlite3_prepare_v3(c->db, stmt_sql[id], -1, SQLITE_PREPARE_PERSISTENT,
	    &c->stmts[id], NULL) != SQLITE_OK) {
		sq_db_error(c, "prepare");
		return NULL;
	}
	return c->stmts[id];
}

void
sq_stmt_done(sqlite3_stmt *s)
{
	if (s != NULL) {
		sqlite3_reset(s);
		sqlite3_clear_bindings(s);
	}
}

int
sq_exec_stmt(struct conn *c, enum stmt_id id)
{
	sqlite3_stmt *s = sq_stmt(c, id);
	int rc;

	if (s == NULL)
		return SQLITE_ERROR;
	rc = sqlite3_step(s);
	if (rc != SQLITE_DONE)
		sq_db_error(c, stmt_sql[id]);
	sq_stmt_done(s);
	return rc;
}

static int
conn_open(struct conn *c, const char *path, int flags, char *err, size_t err_len)
{
	memset(c, 0, sizeof(*c));
	if (sqlite3_open_v2(path, &c->db, flags | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		snprintf(err, err_len, "cannot open %s: %s", path,
		    c->db ? sqlite3_errmsg(c->db) : "out of memory");
		return -1;
	}
	sqlite3_busy_timeout(c->db, BUSY_TIMEOUT_MS);
	sqlite3_extended_result_codes(c->db, 1);
	if (sqlite3_exec(c->db, "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; "
	    "PRAGMA journal_size_limit = " WAL_SIZE_LIMIT ";",
	    NULL, NULL, NULL) != SQLITE_OK) {
		snprintf(err, err_len, "cannot configure %s: %s", path, sqlite3_errmsg(c->db));
		return -1;
	}
	return 0;
}

static void
conn_close(struct conn *c)
{
	for (int i = 0; i < ST__MAX; i++)
		sqlite3_finalize(c->stmts[i]);
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

static int
migrate(struct sq *q, char *err, size_t err_len)
{
	sqlite3 *db = q->writer.db;
	sqlite3_stmt *s = NULL;
	int version = -1, rc = -1;

	if (sqlite3_exec(db, "PRAGMA journal_mode = WAL", NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
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
	if (version > N_MIGRATIONS) {
		snprintf(err, err_len, "database schema version %d is newer than this "
		    "twauth knows (%d); upgrade twauth", version, N_MIGRATIONS);
		goto out;
	}
	for (int v = version; v < N_MIGRATIONS; v++) {
		char pragma[64];

		snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d", v + 1);
		if (sqlite3_exec(db, migrations[v], NULL, NULL, NULL) != SQLITE_OK ||
		    sqlite3_exec(db, pragma, NULL, NULL, NULL) != SQLITE_OK) {
			snprintf(err, err_len, "migration %d failed: %s", v + 1,
			    sqlite3_errmsg(db));
			goto out;
		}
		if (v == version)
			log_debug("sqlite: migrating schema from version %d", version);
	}
	q->version = N_MIGRATIONS;
	rc = 0;
out:
	if (sqlite3_exec(db, rc == 0 ? "COMMIT" : "ROLLBACK", NULL, NULL, NULL) != SQLITE_OK &&
	    rc == 0) {
		snprintf(err, err_len, "cannot commit migration: %s", sqlite3_errmsg(db));
		rc = -1;
	}
	return rc;
}

static void sq_close(void *impl);

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

static void *
sq_open(const char *path, char *err, size_t err_len)
{
	struct sq *q = xcalloc(1, sizeof(*q));

	pthread_once(&sq_configured, sq_configure);
	q->batch = sq_batch_new();
	pthread_mutex_init(&q->write_lock, NULL);
	pthread_mutex_init(&q->pool_lock, NULL);
	pthread_cond_init(&q->pool_cond, NULL);
	if (create_private(path, err, err_len) == -1 ||
	    conn_open(&q->writer, path, SQLITE_OPEN_READWRITE, err, err_len) == -1 ||
	    migrate(q, err, err_len) == -1)
		goto fail;
	for (size_t i = 0; i < SQ_READERS; i++) {
		if (conn_open(&q->readers[i], path, SQLITE_OPEN_READONLY, err, err_len) == -1)
			goto fail;
		q->free_readers[q->n_free++] = &q->readers[i];
	}
	return q;
fail:
	sq_close(q);
	return NULL;
}

static void
sq_close(void *impl)
{
	struct sq *q = impl;

	sq_batch_free(q);
	for (size_t i = 0; i < SQ_READERS; i++)
		conn_close(&q->readers[i]);
	/* The last connection to close checkpoints the WAL into the file. */
	conn_close(&q->writer);
	pthread_mutex_destroy(&q->write_lock);
	pthread_mutex_destroy(&q->pool_lock);
	pthread_cond_destroy(&q->pool_cond);
	free(q);
}

static int
sq_schema_version(void *impl)
{
	return ((struct sq *)impl)->version;
}

struct conn *
sq_reader_get(struct sq *q)
{
	struct conn *c;

	pthread_mutex_lock(&q->pool_lock);
	while (q->n_free == 0)
		pthread_cond_wait(&q->pool_cond, &q->pool_lock);
	c = q->free_readers[--q->n_free];
	pthread_mutex_unlock(&q->pool_lock);
	return c;
}

void
sq_reader_put(struct sq *q, struct conn *c)
{
	pthread_mutex_lock(&q->pool_lock);
	q->free_readers[q->n_free++] = c;
	pthread_cond_signal(&q->pool_cond);
	pthread_mutex_unlock(&q->pool_lock);
}

struct conn *
sq_writer_get(struct sq *q)
{
	pthread_mutex_lock(&q->write_lock);
	return &q->writer;
}

void
sq_writer_put(struct sq *q)
{
	pthread_mutex_unlock(&q->write_lock);
}

int
sq_begin(struct conn *c)
{
	return sq_exec_stmt(c, ST_BEGIN) == SQLITE_DONE ? 0 : -1;
}

enum store_rc
sq_finish(struct conn *c, enum store_rc rc)
{
	if (rc == STORE_ERROR || rc == STORE_LIMIT || rc == STORE_CONFLICT) {
		sq_exec_stmt(c, ST_ROLLBACK);
		return rc;
	}
	if (sq_exec_stmt(c, ST_COMMIT) != SQLITE_DONE) {
		sq_exec_stmt(c, ST_ROLLBACK);
		return STORE_ERROR;
	}
	return rc;
}

const char *
sq_col_text(sqlite3_stmt *s, int i)
{
	const unsigned char *t = sqlite3_column_text(s, i);

	return t ? (const char *)t : "";
}

void
sq_copy_id(char *dst, size_t dst_size, const char *src)
{
	size_t n = strlen(src);

	if (n >= dst_size)
		n = dst_size - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

void
sq_bind_hash(sqlite3_stmt *s, int i, const uint8_t *hash)
{
	sqlite3_bind_blob(s, i, hash, HASH_LEN, SQLITE_STATIC);
}

static void
row_to_app(sqlite3_stmt *s, struct store_app *app)
{
	memset(app, 0, sizeof(*app));
	sq_copy_id(app->client_id, sizeof(app->client_id), sq_col_text(s, 0));
	app->name = xstrdup(sq_col_text(s, 1));
	if (sqlite3_column_type(s, 2) == SQLITE_BLOB && sqlite3_column_bytes(s, 2) == HASH_LEN) {
		memcpy(app->secret_hash, sqlite3_column_blob(s, 2), HASH_LEN);
		app->has_secret = 1;
	}
	app->is_public = sqlite3_column_int(s, 3);
	store_split_uris(sq_col_text(s, 4), &app->redirect_uris, &app->n_redirect_uris);
	app->created_at = sqlite3_column_int64(s, 5);
	app->scope_string = sqlite3_column_int(s, 6);
}

static enum store_rc
sq_app_insert(void *impl, const struct store_app *app)
{
	struct sq *q = impl;
	struct conn *c = sq_writer_get(q);
	sqlite3_stmt *s = sq_stmt(c, ST_APP_INSERT);
	char *uris = store_join_uris(app->redirect_uris, app->n_redirect_uris);
	enum store_rc rc = STORE_ERROR;
	int step;

	if (s == NULL)
		goto out;
	sqlite3_bind_text(s, 1, app->client_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, app->name, -1, SQLITE_STATIC);
	if (app->has_secret)
		sqlite3_bind_blob(s, 3, app->secret_hash, HASH_LEN, SQLITE_STATIC);
	else
		sqlite3_bind_null(s, 3);
	sqlite3_bind_int(s, 4, app->is_public);
	sqlite3_bind_text(s, 5, uris, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 6, app->created_at);
	sqlite3_bind_int(s, 7, app->scope_string);
	step = sqlite3_step(s);
	if (step == SQLITE_DONE)
		rc = STORE_OK;
	else if (step == SQLITE_CONSTRAINT_PRIMARYKEY)
		rc = STORE_CONFLICT;
	else
		sq_db_error(c, "app insert");
out:
	sq_stmt_done(s);
	sq_writer_put(q);
	free(uris);
	return rc;
}

static enum store_rc
sq_app_get(void *impl, const char *client_id, struct store_app *out)
{
	struct sq *q = impl;
	struct conn *c = sq_reader_get(q);
	sqlite3_stmt *s = sq_stmt(c, ST_APP_GET);
	enum store_rc rc = STORE_ERROR;
	int step;

	if (s == NULL)
		goto out;
	sqlite3_bind_text(s, 1, client_id, -1, SQLITE_STATIC);
	step = sqlite3_step(s);
	if (step == SQLITE_ROW) {
		row_to_app(s, out);
		rc = STORE_OK;
	} else if (step == SQLITE_DONE)
		rc = STORE_NOTFOUND;
	else
		sq_db_error(c, "app get");
out:
	sq_stmt_done(s);
	sq_reader_put(q, c);
	return rc;
}

static enum store_rc
sq_app_list(void *impl, struct store_app **out, size_t *n)
{
	struct sq *q = impl;
	struct conn *c = sq_reader_get(q);
	sqlite3_stmt *s = sq_stmt(c, ST_APP_LIST);
	enum store_rc rc = STORE_ERROR;
	int step;

	*out = NULL;
	*n = 0;
	if (s == NULL)
		goto out;
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		*out = xrealloc(*out, (*n + 1) * sizeof(**out));
		row_to_app(s, &(*out)[(*n)++]);
	}
	if (step == SQLITE_DONE)
		rc = STORE_OK;
	else {
		sq_db_error(c, "app list");
		store_app_list_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
out:
	sq_stmt_done(s);
	sq_reader_put(q, c);
	return rc;
}

static enum store_rc
sq_app_set_secret(void *impl, const char *client_id, const uint8_t *hash)
{
	struct sq *q = impl;
	struct conn *c = sq_writer_get(q);
	sqlite3_stmt *s = sq_stmt(c, ST_APP_SET_SECRET);
	enum store_rc rc = STORE_ERROR;

	if (s == NULL)
		goto out;
	sqlite3_bind_text(s, 1, client_id, -1, SQLITE_STATIC);
	sqlite3_bind_blob(s, 2, hash, HASH_LEN, SQLITE_STATIC);
	if (sqlite3_step(s) != SQLITE_DONE)
		sq_db_error(c, "app set secret");
	else
		rc = sqlite3_changes(c->db) == 1 ? STORE_OK : STORE_NOTFOUND;
out:
	sq_stmt_done(s);
	sq_writer_put(q);
	return rc;
}

static enum store_rc
sq_app_set_scope_string(void *impl, const char *client_id, int on)
{
	struct sq *q = impl;
	struct conn *c = sq_writer_get(q);
	sqlite3_stmt *s = sq_stmt(c, ST_APP_SET_SCOPE_STRING);
	enum store_rc rc = STORE_ERROR;

	if (s == NULL)
		goto out;
	sqlite3_bind_text(s, 1, client_id, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 2, on != 0);
	if (sqlite3_step(s) != SQLITE_DONE)
		sq_db_error(c, "app set scope style");
	else
		rc = sqlite3_changes(c->db) == 1 ? STORE_OK : STORE_NOTFOUND;
out:
	sq_stmt_done(s);
	sq_writer_put(q);
	return rc;
}

/*
 * Read-modify-write of an app's redirect URI list inside one write
 * transaction, so concurrent edits (two CLIs, say) cannot lose one another.
 * add is 1 to add uri, 0 to remove it.
 */
static enum store_rc
edit_uris(struct sq *q, const char *client_id, const char *uri, int add)
{
	struct conn *c = sq_writer_get(q);
	sqlite3_stmt *s;
	char **uris = NULL, *joined = NULL;
	size_t n = 0, found = (size_t)-1;
	enum store_rc rc = STORE_ERROR;
	int step;

	if (sq_begin(c) == -1) {
		sq_writer_put(q);
		return STORE_ERROR;
	}
	if ((s = sq_stmt(c, ST_APP_GET_URIS)) == NULL)
		goto out;
	sqlite3_bind_text(s, 1, client_id, -1, SQLITE_STATIC);
	step = sqlite3_step(s);
	if (step == SQLITE_ROW)
		store_split_uris(sq_col_text(s, 0), &uris, &n);
	sq_stmt_done(s);
	if (step != SQLITE_ROW) {
		if (step == SQLITE_DONE)
			rc = STORE_NOTFOUND;
		else
			sq_db_error(c, "app uris");
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		if (strcmp(uris[i], uri) == 0)
			found = i;
	if (add) {
		if (found != (size_t)-1) {
			rc = STORE_CONFLICT;
			goto out;
		}
		if (n >= TW_MAX_REDIRECT_URIS) {
			rc = STORE_LIMIT;
			goto out;
		}
		uris = xrealloc(uris, (n + 1) * sizeof(*uris));
		uris[n++] = xstrdup(uri);
	} else {
		if (found == (size_t)-1) {
			rc = STORE_NOTFOUND;
			goto out;
		}
		if (n == 1) {
			rc = STORE_LIMIT;
			goto out;
		}
		free(uris[found]);
		memmove(&uris[found], &uris[found + 1], (n - found - 1) * sizeof(*uris));
		n--;
	}
	joined = store_join_uris(uris, n);
	if ((s = sq_stmt(c, ST_APP_SET_URIS)) == NULL)
		goto out;
	sqlite3_bind_text(s, 1, client_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, joined, -1, SQLITE_STATIC);
	if (sqlite3_step(s) == SQLITE_DONE)
		rc = STORE_OK;
	else
		sq_db_error(c, "app set uris");
	sq_stmt_done(s);
out:
	/* NOTFOUND changed nothing; commit or roll back alike. */
	rc = sq_finish(c, rc);
	sq_writer_put(q);
	for (size_t i = 0; i < n; i++)
		free(uris[i]);
	free(uris);
	free(joined);
	return rc;
}

static enum store_rc
sq_app_redirect_add(void *impl, const char *client_id, const char *uri)
{
	return edit_uris(impl, client_id, uri, 1);
}

static enum store_rc
sq_app_redirect_remove(void *impl, const char *client_id, const char *uri)
{
	return edit_uris(impl, client_id, uri, 0);
}

/*
 * Deletes the app row; its tokens stop validating in the same commit because
 * lookups join the app.  Their rows are left for the purge of expired
 * tokens: deleting them here would need an index that every insert pays for.
 */
static enum store_rc
sq_app_delete(void *impl, const char *client_id)
{
	struct sq *q = impl;
	struct conn *c = sq_writer_get(q);
	sqlite3_stmt *s = sq_stmt(c, ST_APP_DELETE);
	enum store_rc rc = STORE_ERROR;

	if (s == NULL)
		goto out;
	sqlite3_bind_text(s, 1, client_id, -1, SQLITE_STATIC);
	if (sqlite3_step(s) != SQLITE_DONE)
		sq_db_error(c, "app delete");
	else
		rc = sqlite3_changes(c->db) == 1 ? STORE_OK : STORE_NOTFOUND;
out:
	sq_stmt_done(s);
	sq_writer_put(q);
	return rc;
}

enum store_rc
sq_token_insert_on(struct conn *c, const struct store_token *tok, const uint8_t *secret_hash)
{
	sqlite3_stmt *s = sq_stmt(c, ST_TOKEN_INSERT);
	enum store_rc rc = STORE_ERROR;
	int step;

	if (s == NULL)
		return STORE_ERROR;
	sqlite3_bind_blob(s, 1, tok->hash, HASH_LEN, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, tok->client_id, -1, SQLITE_STATIC);
	if (tok->user_id != 0)
		sqlite3_bind_int64(s, 3, tok->user_id);
	else
		sqlite3_bind_null(s, 3);
	sqlite3_bind_text(s, 4, tok->scopes ? tok->scopes : "", -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 5, tok->created_at);
	sqlite3_bind_int64(s, 6, tok->expires_at);
	if (secret_hash != NULL)
		sqlite3_bind_blob(s, 7, secret_hash, HASH_LEN, SQLITE_STATIC);
	else
		sqlite3_bind_null(s, 7);
	step = sqlite3_step(s);
	if (step == SQLITE_DONE)
		rc = sqlite3_changes(c->db) == 1 ? STORE_OK : STORE_NOTFOUND;
	else if (step == SQLITE_CONSTRAINT_PRIMARYKEY)
		rc = STORE_CONFLICT;
	else
		sq_db_error(c, "token insert");
	sq_stmt_done(s);
	return rc;
}

static enum store_rc
sq_token_insert(void *impl, const struct store_token *tok, const uint8_t *secret_hash)
{
	struct sq *q = impl;
	enum store_rc rc = sq_token_insert_on(sq_writer_get(q), tok, secret_hash);

	sq_writer_put(q);
	return rc;
}

static enum store_rc
sq_token_get(void *impl, const uint8_t *hash, struct store_token *out)
{
	struct sq *q = impl;
	struct conn *c = sq_reader_get(q);
	sqlite3_stmt *s = sq_stmt(c, ST_TOKEN_GET);
	enum store_rc rc = STORE_ERROR;
	int step;

	if (s == NULL)
		goto out;
	sqlite3_bind_blob(s, 1, hash, HASH_LEN, SQLITE_STATIC);
	step = sqlite3_step(s);
	if (step == SQLITE_ROW) {
		memset(out, 0, sizeof(*out));
		memcpy(out->hash, hash, HASH_LEN);
		sq_copy_id(out->client_id, sizeof(out->client_id), sq_col_text(s, 0));
		out->user_id = sqlite3_column_int64(s, 1);
		out->grant_id = sqlite3_column_int64(s, 2);
		out->scopes = xstrdup(sq_col_text(s, 3));
		out->created_at = sqlite3_column_int64(s, 4);
		out->expires_at = sqlite3_column_int64(s, 5);
		sq_copy_id(out->login, sizeof(out->login), sq_col_text(s, 6));
		out->claims = xstrdup(sq_col_text(s, 7));
		rc = STORE_OK;
	} else if (step == SQLITE_DONE)
		rc = STORE_NOTFOUND;
	else
		sq_db_error(c, "token get");
out:
	sq_stmt_done(s);
	sq_reader_put(q, c);
	return rc;
}

/* An access token is deleted; a refresh token takes its grant with it. */
static enum store_rc
sq_token_revoke(void *impl, const uint8_t *hash, const char *client_id)
{
	static const enum stmt_id tries[] = { ST_TOKEN_REVOKE, ST_REFRESH_REVOKE_GRANT };
	struct sq *q = impl;
	struct conn *c = sq_writer_get(q);
	enum store_rc rc = STORE_NOTFOUND;

	for (size_t i = 0; i < 2 && rc == STORE_NOTFOUND; i++) {
		sqlite3_stmt *s = sq_stmt(c, tries[i]);

		if (s == NULL) {
			rc = STORE_ERROR;
			break;
		}
		sq_bind_hash(s, 1, hash);
		sqlite3_bind_text(s, 2, client_id, -1, SQLITE_STATIC);
		if (sqlite3_step(s) != SQLITE_DONE) {
			sq_db_error(c, "token revoke");
			rc = STORE_ERROR;
		} else if (sqlite3_changes(c->db) > 0)
			rc = STORE_OK;
		sq_stmt_done(s);
	}
	sq_writer_put(q);
	return rc;
}

const struct store_ops store_sqlite_ops = {
	.name = "sqlite",
	.open = sq_open,
	.close = sq_close,
	.schema_version = sq_schema_version,
	.app_insert = sq_app_insert,
	.app_get = sq_app_get,
	.app_list = sq_app_list,
	.app_set_secret = sq_app_set_secret,
	.app_set_scope_string = sq_app_set_scope_string,
	.key_add = sq_key_add,
	.key_list = sq_key_list,
	.app_redirect_add = sq_app_redirect_add,
	.app_redirect_remove = sq_app_redirect_remove,
	.app_delete = sq_app_delete,
	.token_insert = sq_token_insert,
	.token_insert_queued = sq_token_insert_queued,
	.stats = sq_stats,
	.token_get = sq_token_get,
	.token_revoke = sq_token_revoke,
	.user_insert = sq_user_insert,
	.user_get_by_login = sq_user_get_by_login,
	.user_get = sq_user_get,
	.user_list = sq_user_list,
	.user_delete = sq_user_delete,
	.user_set_password = sq_user_set_password,
	.session_insert = sq_session_insert,
	.session_get = sq_session_get,
	.session_delete = sq_session_delete,
	.consent_get = sq_consent_get,
	.consent_put = sq_consent_put,
	.grant_issue = sq_grant_issue,
	.connections_list = sq_connections_list,
	.grants_delete = sq_grants_delete,
	.code_insert = sq_code_insert,
	.code_redeem = sq_code_redeem,
	.refresh_use = sq_refresh_use,
	.device_insert = sq_device_insert,
	.device_find = sq_device_find,
	.device_decide = sq_device_decide,
	.device_poll = sq_device_poll,
};
