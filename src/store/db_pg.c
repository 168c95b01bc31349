/*
 * The PostgreSQL driver (db.h), over libpq.
 *
 * Several `twauth serve` may share one database; everything they must agree
 * on lives in it (tokens, codes, signing keys), and every single-use
 * transition is one conditional UPDATE or takes its row lock first (see
 * each store_*.c), so servers need no other coordination.  Transactions
 * are READ COMMITTED: a conditional UPDATE that meets a row another
 * transaction is changing waits for it and then re-checks its condition,
 * which is what makes those UPDATEs safe.
 *
 * Connections: a fixed pool of PG_POOL per process, each connected on first
 * use, with statements prepared on first use (named by their slot, db.h), in
 * the text a statement gives for PostgreSQL or else its SQLite text with ?N
 * as $N.  Parameters are typed from the arguments of the first run (db.h:
 * int8, text, bytea) and go as text, except digests and keys (bytea) as
 * binary; results come back binary, so integers and bytea need no parsing.  The
 * schema's migrations are schema.c's, in PostgreSQL's words.
 *
 * Lost connections (a restarted or failed-over server): before each
 * statement outside a transaction the socket is checked without a round
 * trip, and a connection the server has closed is re-made first, with a log
 * line.  A statement that fails because the connection broke under it is
 * retried once on a new connection, outside a transaction, if it is a
 * SELECT or broke before it could run (while being prepared); a write that
 * may have taken effect fails instead (STORE_ERROR, which the server
 * answers 503) rather than risk a wrong answer.
 *
 * The spec may hold a password: it is never logged; log lines name the
 * database by host and name only.
 */
#include <arpa/inet.h>
#include <endian.h>
#include <errno.h>
#include <libpq-fe.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/clock.h"
#include "../common/log.h"
#include "../common/metrics.h"
#include "../common/num.h"
#include "../common/xmalloc.h"
#include "db.h"

#define PG_POOL		8	/* connections per process */
#define PG_MAX_ARGS	16	/* parameters of the longest statement */
#define PG_CONNECT_MIN	2	/* seconds: libpq's least connect_timeout */
/*
 * The server's own limits (statement_timeout, lock_timeout) are the
 * deadline; ours waits this much longer, so that a server that answers
 * says why itself, and only a silent one is cut off.
 */
#define PG_DEADLINE_SLACK_MS 500
/*
 * After a connection attempt failed, others fail at once for this long
 * instead of each waiting out connect_timeout again: a server that is
 * down or frozen costs a request its deadline once, not once per call.
 */
#define PG_RECONNECT_PAUSE_MS 500

/* Type OIDs (pg_type.h is not for clients). */
#define OID_BYTEA	17
#define OID_INT8	20
#define OID_INT2	21
#define OID_INT4	23
#define OID_TEXT	25

/* Taken around migrations so that servers starting together take turns. */
#define MIGRATION_LOCK	"7431582093"

struct pg_conn {
	struct db_conn	 base;			/* first: the driver */
	struct pg_db	*owner;
	PGconn		*conn;			/* NULL until first used */
	struct db_slots	 slots;			/* which statement has which name */
	uint8_t		 prepared[DB_SLOTS];	/* by slot; all 0 on a new connection */
	PGresult	*res;			/* the statement being read */
	int		 row;			/* its row being read */
	int		 in_tx;
};

struct pg_db {
	char		*spec;			/* may hold a password: never logged */
	char		 where[160];		/* host and database, for log lines */
	struct pg_conn	 conns[PG_POOL];
	struct db_pool	 pool;			/* lends out conns */
	int		 version;
	atomic_int	 health;		/* enum health: for log lines, once each */
	struct store_config cfg;
	_Atomic uint64_t connect_failed;	/* clock_mono_us of the last failure */
	char		 options[160];		/* -c settings every connection gets */
	char		 connect_timeout[16];	/* seconds */
};

/* What the log has said about reaching the database. */
enum health { HEALTH_OK, HEALTH_LOST, HEALTH_UNREACHABLE };

#define PD(d)	((struct pg_db *)(void *)(d))
#define PC(c)	((struct pg_conn *)(void *)(c))

/* "host/database" from a connection's own settings, never its password. */
static void
describe(PGconn *conn, char *out, size_t len)
{
	const char *host = PQhost(conn), *db = PQdb(conn);

	snprintf(out, len, "%s/%s", host && *host ? host : "localhost", db ? db : "?");
}

/* The first line of a libpq message, into buf. */
static const char *
first_line(const char *m, char *buf, size_t len)
{
	if (m == NULL || *m == '\0')
		m = "no answer from the server";
	snprintf(buf, len, "%.*s", (int)strcspn(m, "\n"), m);
	return buf;
}

static const char *
conn_error(PGconn *conn, char *buf, size_t len)
{
	return first_line(conn ? PQerrorMessage(conn) : "out of memory", buf, len);
}

/* True if the server has closed conn, found out without a round trip. */
static int
server_closed(PGconn *conn)
{
	struct pollfd pfd = { .fd = PQsocket(conn), .events = POLLIN | POLLRDHUP };

	/* An idle connection receives nothing; what does arrive may be the close. */
	if (poll(&pfd, 1, 0) <= 0)
		return 0;
	if (pfd.revents & (POLLRDHUP | POLLHUP | POLLERR | POLLNVAL))
		return 1;
	return PQconsumeInput(conn) == 0 || PQstatus(conn) != CONNECTION_OK;
}

/* The server's notices ("already exists, skipping") are not for users. */
static void
ignore_notice(void *arg, const char *message)
{
	(void)arg;
	log_debug("postgresql: %.*s", (int)strcspn(message, "\n"), message);
}

static PGconn *
connect_to(const struct pg_db *q)
{
	/* Ours first, so that settings in the spec win. */
	const char *keys[] = { "connect_timeout", "application_name", "options", "dbname",
	    NULL };
	const char *values[] = { q->connect_timeout, "twauth", q->options, q->spec, NULL };
	PGconn *conn = PQconnectdbParams(keys, values, 1);

	if (conn != NULL) {
		PQsetNoticeProcessor(conn, ignore_notice, NULL);
		/* Sends never block: await() waits, with its deadline. */
		if (PQstatus(conn) == CONNECTION_OK)
			(void)PQsetnonblocking(conn, 1);
	}
	return conn;
}

/* Forgets c's connection: after a deadline its state is unknown. */
static void
drop(struct pg_conn *c)
{
	PQfinish(c->conn);
	c->conn = NULL;
	c->in_tx = 0;
	memset(c->prepared, 0, sizeof(c->prepared));
}

/*
 * The result of what was just sent on c, waiting no longer than the
 * deadline: NULL if the connection broke or no answer came in time (then
 * *timed_out is 1 and the connection is dropped: what the server did with
 * the statement is unknown).  The NULL that ends a command's results is
 * read here too.  Free the result with PQclear.
 */
static PGresult *
await(struct pg_conn *c, int *timed_out)
{
	struct pg_db *q = c->owner;
	uint64_t deadline = clock_mono_us() +
	    ((uint64_t)q->cfg.timeout_ms + PG_DEADLINE_SLACK_MS) * 1000;
	PGresult *res = NULL, *r;
	int flushing = 1;

	*timed_out = 0;
	for (;;) {
		struct pollfd pfd = { .fd = PQsocket(c->conn), .events = POLLIN };
		uint64_t now = clock_mono_us();
		int n;

		if (flushing && (flushing = PQflush(c->conn)) == -1)
			break;
		if (!flushing && !PQisBusy(c->conn)) {
			if ((r = PQgetResult(c->conn)) == NULL)
				return res;
			if (res == NULL)
				res = r;
			else
				PQclear(r);
			continue;
		}
		if (now >= deadline) {
			*timed_out = 1;
			log_warn("postgresql: no answer from %s within %u ms; dropping the "
			    "connection", q->where, q->cfg.timeout_ms);
			break;
		}
		if (flushing)
			pfd.events |= POLLOUT;
		n = poll(&pfd, 1, (int)((deadline - now + 999) / 1000));
		if (n < 0 && errno != EINTR)
			break;
		if (n > 0 && (pfd.revents & (POLLIN | POLLERR | POLLHUP)) &&
		    PQconsumeInput(c->conn) == 0)
			break;
	}
	PQclear(res);
	if (*timed_out)
		drop(c);
	return NULL;
}

/*
 * Makes c's connection if it has none or the server closed it; 0 or -1.
 * An outage is logged once (lost, unreachable) and so is its end, however
 * many connections notice.
 */
static int
ensure_connected(struct pg_conn *c)
{
	struct pg_db *q = c->owner;
	char why[256];

	/* Inside a transaction a lost connection has lost the transaction too. */
	if (c->conn != NULL && PQstatus(c->conn) == CONNECTION_OK &&
	    (c->in_tx || !server_closed(c->conn)))
		return 0;
	if (c->conn != NULL) {
		int expected = HEALTH_OK;

		if (atomic_compare_exchange_strong(&q->health, &expected, HEALTH_LOST))
			log_warn("postgresql: connection to %s lost (%s); reconnecting", q->where,
			    PQstatus(c->conn) == CONNECTION_OK ? "the server closed it" :
			    conn_error(c->conn, why, sizeof(why)));
		PQfinish(c->conn);
	}
	memset(c->prepared, 0, sizeof(c->prepared));
	c->in_tx = 0;
	c->conn = NULL;
	if (atomic_load(&q->connect_failed) + PG_RECONNECT_PAUSE_MS * 1000 > clock_mono_us())
		return -1;	/* said in the log when it failed */
	c->conn = connect_to(q);
	if (PQstatus(c->conn) != CONNECTION_OK) {
		atomic_store(&q->connect_failed, clock_mono_us());
		if (atomic_exchange(&q->health, HEALTH_UNREACHABLE) != HEALTH_UNREACHABLE)
			log_error("postgresql: cannot connect to %s: %s", q->where,
			    conn_error(c->conn, why, sizeof(why)));
		PQfinish(c->conn);
		c->conn = NULL;
		return -1;
	}
	if (atomic_exchange(&q->health, HEALTH_OK) != HEALTH_OK)
		log_info("postgresql: reconnected to %s", q->where);
	return 0;
}

/*
 * Runs a command without parameters (BEGIN, COMMIT ...) whose status must
 * be expect_status; 0 or -1 (logged).
 */
static int
command(struct pg_conn *c, const char *sql, const char *expect_status)
{
	int timed_out = 0;
	PGresult *res = PQsendQuery(c->conn, sql) == 1 ? await(c, &timed_out) : NULL;
	ExecStatusType status = PQresultStatus(res);
	int ok = (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) &&
	    strcmp(PQcmdStatus(res), expect_status) == 0;
	char why[256];

	if (!ok)
		log_error("postgresql: %s: %s", sql, status == PGRES_FATAL_ERROR ?
		    first_line(PQresultErrorMessage(res), why, sizeof(why)) :
		    "unexpected answer");
	PQclear(res);
	return ok ? 0 : -1;
}

/*
 * Whether the database is twauth's to use, read before anything is made in
 * it: it has no tables in its schema yet, or twauth's schema table.  1, 0
 * or -1 when it cannot be told.
 */
static int
database_is_ours(struct pg_conn *c)
{
	PGresult *res = PQexec(c->conn, "SELECT count(*), "
	    "count(*) FILTER (WHERE tablename = 'twauth_schema') FROM pg_tables "
	    "WHERE schemaname = current_schema()");
	int ours = -1;

	if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1)
		ours = strcmp(PQgetvalue(res, 0, 0), "0") == 0 ||
		    strcmp(PQgetvalue(res, 0, 1), "0") != 0;
	PQclear(res);
	return ours;
}

static int
migrate(struct pg_db *q, struct pg_conn *c, char *err, size_t err_len)
{
	PGresult *res = NULL;
	int version = -1, rc = -1, latest = db_schema_latest(), ours;
	int64_t found;

	if (command(c, "BEGIN", "BEGIN") == -1 ||
	    command(c, "SELECT pg_advisory_xact_lock(" MIGRATION_LOCK ")", "SELECT 1") == -1 ||
	    (ours = database_is_ours(c)) == -1) {
		snprintf(err, err_len, "cannot start migration on %s", q->where);
		goto out;
	}
	if (!ours) {
		snprintf(err, err_len, "%s is not a twauth database: it holds another program's "
		    "tables and no twauth schema; twauth leaves it as it is; give --db a new "
		    "database", q->where);
		goto out;
	}
	if (command(c, "CREATE TABLE IF NOT EXISTS twauth_schema (version INTEGER NOT NULL)",
	    "CREATE TABLE") == -1) {
		snprintf(err, err_len, "cannot start migration on %s", q->where);
		goto out;
	}
	res = PQexec(c->conn, "SELECT version FROM twauth_schema");
	if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 0)
		version = 0;
	else if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1 &&
	    num_parse_i64(PQgetvalue(res, 0, 0), 0, INT32_MAX, &found) == 0)
		version = (int)found;
	if (version < 0) {
		snprintf(err, err_len, "cannot read the schema version on %s", q->where);
		goto out;
	}
	if (version > latest) {
		snprintf(err, err_len, "database schema version %d is newer than this "
		    "twauth knows (%d); upgrade twauth", version, latest);
		goto out;
	}
	for (int v = version + 1; v <= latest; v++) {
		char *sql = db_migration(v, DIALECT_PG), why[256];
		PGresult *m = PQexec(c->conn, sql);
		int ok = PQresultStatus(m) == PGRES_COMMAND_OK;

		if (!ok)
			snprintf(err, err_len, "migration %d failed: %s", v,
			    first_line(PQresultErrorMessage(m), why, sizeof(why)));
		PQclear(m);
		free(sql);
		if (!ok)
			goto out;
	}
	if (version < latest) {
		char sql[96];

		snprintf(sql, sizeof(sql), version == 0 ?
		    "INSERT INTO twauth_schema (version) VALUES (%d)" :
		    "UPDATE twauth_schema SET version = %d", latest);
		if (command(c, sql, version == 0 ? "INSERT 0 1" : "UPDATE 1") == -1) {
			snprintf(err, err_len, "cannot record the schema version on %s", q->where);
			goto out;
		}
		log_debug("postgresql: migrated %s from schema version %d", q->where, version);
	}
	q->version = latest;
	rc = 0;
out:
	PQclear(res);
	if (command(c, rc == 0 ? "COMMIT" : "ROLLBACK", rc == 0 ? "COMMIT" : "ROLLBACK") == -1 &&
	    rc == 0) {
		snprintf(err, err_len, "cannot commit migration on %s", q->where);
		rc = -1;
	}
	return rc;
}

static void pg_close(struct db *d);
static struct db_conn *pg_get(struct db *d, int write);
static void pg_put(struct db *d, struct db_conn *dc);

static struct db *
pg_open(const char *spec, const struct store_config *cfg, char *err, size_t err_len)
{
	struct pg_db *q = xcalloc(1, sizeof(*q));
	struct pg_conn *first = &q->conns[0];
	unsigned secs = (cfg->timeout_ms + 999) / 1000;
	char why[256];

	q->spec = xstrdup(spec);
	q->cfg = *cfg;
	snprintf(q->connect_timeout, sizeof(q->connect_timeout), "%u",
	    secs < PG_CONNECT_MIN ? PG_CONNECT_MIN : secs);
	/* The server keeps the deadline too: a lock or a statement past it is an error. */
	snprintf(q->options, sizeof(q->options), "-c statement_timeout=%u -c lock_timeout=%u%s",
	    cfg->timeout_ms, cfg->timeout_ms, cfg->relaxed ? " -c synchronous_commit=off" : "");
	db_pool_init(&q->pool);
	snprintf(q->where, sizeof(q->where), "the database");
	for (size_t i = 0; i < PG_POOL; i++) {
		q->conns[i].base.drv = &db_pg_driver;
		q->conns[i].owner = q;
		db_pool_put(&q->pool, &q->conns[i].base);
	}
	/* The first connection now: a wrong spec fails here, not at the first request. */
	first->conn = connect_to(q);
	if (PQstatus(first->conn) != CONNECTION_OK) {
		snprintf(err, err_len, "cannot connect to PostgreSQL: %s",
		    conn_error(first->conn, why, sizeof(why)));
		goto fail;
	}
	describe(first->conn, q->where, sizeof(q->where));
	if (migrate(q, first, err, err_len) == -1)
		goto fail;
	return (struct db *)(void *)q;
fail:
	pg_close((struct db *)(void *)q);
	return NULL;
}

static void
pg_close(struct db *d)
{
	struct pg_db *q = PD(d);

	for (size_t i = 0; i < PG_POOL; i++) {
		PQclear(q->conns[i].res);
		PQfinish(q->conns[i].conn);
	}
	db_pool_destroy(&q->pool);
	xfree_secret(q->spec, strlen(q->spec));
	free(q);
}

static int
pg_schema_version(struct db *d)
{
	return PD(d)->version;
}

static const char *
pg_where(struct db *d)
{
	return PD(d)->where;
}

/* PostgreSQL keeps its own structures; this says whether it answers, at what version. */
static int
pg_check(struct db *d, void (*report)(void *, const char *), void *arg)
{
	struct pg_db *q = PD(d);
	struct pg_conn *c = PC(pg_get(d, 0));
	PGresult *res = NULL;
	char line[300];
	int problems = -1;

	if (ensure_connected(c) == 0) {
		res = PQexec(c->conn, "SELECT version FROM twauth_schema");
		if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1) {
			problems = 0;
			int64_t have = -1;

			if (num_parse_i64(PQgetvalue(res, 0, 0), 0, INT32_MAX, &have) == -1 ||
			    have != q->version) {
				snprintf(line, sizeof(line), "schema version %s, this twauth wants %d",
				    PQgetvalue(res, 0, 0), q->version);
				report(arg, line);
				problems = 1;
			}
		}
	}
	PQclear(res);
	pg_put(d, &c->base);
	return problems;
}

/* Every connection is alike: reads and writes come from one pool. */
static struct db_conn *
pg_get(struct db *d, int write)
{
	(void)write;
	return db_pool_take(&PD(d)->pool, PD(d)->cfg.timeout_ms);
}

static void
pg_put(struct db *d, struct db_conn *dc)
{
	db_pool_put(&PD(d)->pool, dc);
}

static enum db_rc
pg_begin(struct db_conn *dc)
{
	struct pg_conn *c = PC(dc);

	/* Nothing has run yet, so a connection found dead is simply re-made. */
	if (ensure_connected(c) == -1 || command(c, "BEGIN", "BEGIN") == -1)
		return DB_ERROR;
	c->in_tx = 1;
	return DB_OK;
}

static enum db_rc
pg_commit(struct db_conn *dc)
{
	struct pg_conn *c = PC(dc);
	int rc = command(c, "COMMIT", "COMMIT");

	/* A COMMIT of a failed transaction answers ROLLBACK: it is over either way. */
	c->in_tx = 0;
	return rc == 0 ? DB_OK : DB_ERROR;
}

static void
pg_rollback(struct db_conn *dc)
{
	struct pg_conn *c = PC(dc);

	if (c->in_tx && c->conn != NULL && PQstatus(c->conn) == CONNECTION_OK)
		(void)command(c, "ROLLBACK", "ROLLBACK");
	c->in_tx = 0;
}

/* The SQL of s in this dialect, malloc'd: its own, or SQLite's with ?N as $N. */
static char *
dialect_sql(const struct stmt *s)
{
	char *out;

	if (s->pg != NULL)
		return xstrdup(s->pg);
	out = xstrdup(s->sql);
	for (char *p = out; *p != '\0'; p++)
		if (*p == '?')
			*p = '$';
	return out;
}

/* Prepares s as name, its parameters typed as args are (db.h). */
static int
prepare(struct pg_conn *c, const struct stmt *s, unsigned slot, const char *name,
    const struct db_arg *args, size_t n, int *timed_out)
{
	static const Oid oid_of[] = { [DB_INT] = OID_INT8, [DB_TEXT] = OID_TEXT,
	    [DB_BLOB] = OID_BYTEA };
	Oid types[PG_MAX_ARGS];
	char *sql;
	PGresult *res;
	int ok;
	char why[256];

	if (c->prepared[slot])
		return 0;
	for (size_t i = 0; i < n; i++)
		types[i] = oid_of[args[i].type];
	sql = dialect_sql(s);
	res = PQsendPrepare(c->conn, name, sql, (int)n, types) == 1 ?
	    await(c, timed_out) : NULL;
	ok = PQresultStatus(res) == PGRES_COMMAND_OK;
	if (!ok)
		log_error("postgresql: prepare %.72s: %s", sql,
		    first_line(PQresultErrorMessage(res), why, sizeof(why)));
	PQclear(res);
	free(sql);
	c->prepared[slot] = (uint8_t)ok;
	return ok ? 0 : -1;
}

/*
 * One attempt at s; *lost tells whether the connection broke (or was
 * dropped at the deadline: *timed_out), and *unsent whether that happened
 * before the statement could have run (preparing it).
 */
static enum db_rc
execute(struct pg_conn *c, const struct stmt *s, const struct db_arg *args, size_t n,
    int *lost, int *unsent, int *timed_out)
{
	const char *values[PG_MAX_ARGS];
	int lengths[PG_MAX_ARGS], formats[PG_MAX_ARGS];
	char ints[PG_MAX_ARGS][24], name[16], why[256];
	const char *state;
	PGresult *res;
	ExecStatusType status;
	uint64_t started;
	unsigned slot = db_slot(&c->slots, s);

	*lost = 0;
	*unsent = 1;
	*timed_out = 0;
	snprintf(name, sizeof(name), "s%u", slot);
	if (ensure_connected(c) == -1)
		return DB_ERROR;
	if (prepare(c, s, slot, name, args, n, timed_out) == -1) {
		*lost = c->conn == NULL || PQstatus(c->conn) != CONNECTION_OK;
		return DB_ERROR;
	}
	*unsent = 0;
	for (size_t i = 0; i < n; i++) {
		formats[i] = 0;
		lengths[i] = 0;
		values[i] = NULL;
		if (args[i].null)
			continue;
		switch (args[i].type) {
		case DB_INT:
			snprintf(ints[i], sizeof(ints[i]), "%lld", (long long)args[i].i);
			values[i] = ints[i];
			break;
		case DB_TEXT:
			values[i] = args[i].p;
			break;
		case DB_BLOB:
			values[i] = args[i].p;
			lengths[i] = (int)args[i].len;
			formats[i] = 1;
			break;
		}
	}
	started = clock_mono_us();
	res = PQsendQueryPrepared(c->conn, name, (int)n, values, lengths, formats, 1) == 1 ?
	    await(c, timed_out) : NULL;
	status = PQresultStatus(res);
	state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
	metrics_db(clock_mono_us() - started, status != PGRES_TUPLES_OK &&
	    status != PGRES_COMMAND_OK && (state == NULL || strcmp(state, "23505") != 0));
	if (status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK) {
		c->res = res;
		c->row = -1;
		return DB_OK;
	}
	if (state != NULL && strcmp(state, "23505") == 0) {	/* unique_violation */
		PQclear(res);
		return DB_CONSTRAINT;
	}
	*lost = c->conn == NULL || PQstatus(c->conn) != CONNECTION_OK;
	log_error("postgresql: %.72s: %s", s->sql, res != NULL ?
	    first_line(PQresultErrorMessage(res), why, sizeof(why)) :
	    *timed_out ? "no answer within the deadline" :
	    conn_error(c->conn, why, sizeof(why)));
	PQclear(res);
	return DB_ERROR;
}

static enum db_rc
pg_run(struct db_conn *dc, const struct stmt *s, const struct db_arg *args, size_t n)
{
	struct pg_conn *c = PC(dc);
	enum db_rc rc;
	int lost, unsent, timed_out;

	PQclear(c->res);
	c->res = NULL;
	if (n > PG_MAX_ARGS)
		fatal("statement %.72s has more than %d parameters", s->sql, PG_MAX_ARGS);
	rc = execute(c, s, args, n, &lost, &unsent, &timed_out);
	/*
	 * Outside a transaction, a statement that never ran, or a read, is
	 * safe to run again; a write that may have run is not.  Past the
	 * deadline nothing is: the deadline is the request's, not each try's.
	 */
	if (rc == DB_ERROR && lost && !timed_out && !c->in_tx &&
	    (unsent || strncmp(s->sql, "SELECT", 6) == 0)) {
		log_warn("postgresql: retrying on a new connection to %s", c->owner->where);
		rc = execute(c, s, args, n, &lost, &unsent, &timed_out);
	}
	if (lost)
		c->in_tx = 0;	/* the server rolled it back */
	return rc;
}

static int
pg_next(struct db_conn *dc)
{
	struct pg_conn *c = PC(dc);

	if (c->res == NULL)
		return -1;
	return ++c->row < PQntuples(c->res) ? 1 : 0;
}

static int
pg_is_null(struct db_conn *dc, int col)
{
	return PQgetisnull(PC(dc)->res, PC(dc)->row, col);
}

static int64_t
pg_col_int(struct db_conn *dc, int col)
{
	struct pg_conn *c = PC(dc);
	const char *v;
	uint64_t u64;
	uint32_t u32;
	uint16_t u16;

	if (PQgetisnull(c->res, c->row, col))
		return 0;
	v = PQgetvalue(c->res, c->row, col);
	switch (PQftype(c->res, col)) {
	case OID_INT8:
		memcpy(&u64, v, sizeof(u64));
		return (int64_t)be64toh(u64);
	case OID_INT4:
		memcpy(&u32, v, sizeof(u32));
		return (int32_t)ntohl(u32);
	case OID_INT2:
		memcpy(&u16, v, sizeof(u16));
		return (int16_t)ntohs(u16);
	default:
		log_error("postgresql: column %d is not an integer (type %u)", col,
		    (unsigned)PQftype(c->res, col));
		return 0;
	}
}

static const char *
pg_col_text(struct db_conn *dc, int col)
{
	struct pg_conn *c = PC(dc);

	/* Binary text is the bytes themselves; libpq always adds a NUL. */
	return PQgetisnull(c->res, c->row, col) ? "" : PQgetvalue(c->res, c->row, col);
}

static const uint8_t *
pg_col_blob(struct db_conn *dc, int col, size_t *len)
{
	struct pg_conn *c = PC(dc);

	if (PQgetisnull(c->res, c->row, col) || PQftype(c->res, col) != OID_BYTEA) {
		*len = 0;
		return NULL;
	}
	*len = (size_t)PQgetlength(c->res, c->row, col);
	return (const uint8_t *)PQgetvalue(c->res, c->row, col);
}

static int64_t
pg_changes(struct db_conn *dc)
{
	const char *t = PC(dc)->res ? PQcmdTuples(PC(dc)->res) : "";
	int64_t n = 0;

	return *t != '\0' && num_parse_i64(t, 0, INT64_MAX, &n) == 0 ? n : 0;
}

static int
pg_usable(struct db_conn *dc)
{
	struct pg_conn *c = PC(dc);

	return c->conn != NULL && PQstatus(c->conn) == CONNECTION_OK;
}

static void
pg_done(struct db_conn *dc)
{
	struct pg_conn *c = PC(dc);

	PQclear(c->res);
	c->res = NULL;
}

const struct db_driver db_pg_driver = {
	.name = "postgresql",
	.open = pg_open,
	.close = pg_close,
	.schema_version = pg_schema_version,
	.where = pg_where,
	.check = pg_check,
	.get = pg_get,
	.put = pg_put,
	.begin = pg_begin,
	.commit = pg_commit,
	.rollback = pg_rollback,
	.run = pg_run,
	.next = pg_next,
	.is_null = pg_is_null,
	.col_int = pg_col_int,
	.col_text = pg_col_text,
	.col_blob = pg_col_blob,
	.changes = pg_changes,
	.usable = pg_usable,
	.done = pg_done,
};
