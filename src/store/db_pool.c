/*
 * What the drivers share about waiting (db.h): a pool of connections that
 * threads take turns with, lent out for at most a deadline's wait, and the
 * connection handed out when the wait is over, on which every statement
 * fails at once.  So a database that hangs (a frozen server, a file
 * another process keeps locked) costs each request its deadline, never
 * more, and the request is answered 503.
 */
#include <errno.h>

#include "../common/log.h"
#include "../common/xmalloc.h"
#include "db.h"

void
db_deadline(struct timespec *ts, unsigned timeout_ms)
{
	clock_gettime(CLOCK_REALTIME, ts);
	ts->tv_sec += timeout_ms / 1000;
	ts->tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
	if (ts->tv_nsec >= 1000000000L) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000L;
	}
}

void
db_pool_init(struct db_pool *p)
{
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->freed, NULL);
	p->n_free = 0;
}

void
db_pool_destroy(struct db_pool *p)
{
	pthread_mutex_destroy(&p->lock);
	pthread_cond_destroy(&p->freed);
}

void
db_pool_put(struct db_pool *p, struct db_conn *c)
{
	pthread_mutex_lock(&p->lock);
	if (p->n_free >= DB_POOL_MAX)
		fatal("more than %d connections in a pool", DB_POOL_MAX);
	p->free[p->n_free++] = c;
	pthread_cond_signal(&p->freed);
	pthread_mutex_unlock(&p->lock);
}

struct db_conn *
db_pool_take(struct db_pool *p, unsigned timeout_ms)
{
	struct db_conn *c = &db_unavailable;
	struct timespec until;
	int rc = 0;

	db_deadline(&until, timeout_ms);
	pthread_mutex_lock(&p->lock);
	while (p->n_free == 0 && rc != ETIMEDOUT)
		rc = pthread_cond_timedwait(&p->freed, &p->lock, &until);
	if (p->n_free > 0)
		c = p->free[--p->n_free];
	pthread_mutex_unlock(&p->lock);
	if (c == &db_unavailable)
		log_warn("database: no free connection within %u ms", timeout_ms);
	return c;
}

/* ---- the unavailable connection: every call fails, nothing is kept ---- */

static enum db_rc
un_fail(struct db_conn *c)
{
	(void)c;
	return DB_ERROR;
}

static void
un_nothing(struct db_conn *c)
{
	(void)c;
}

static enum db_rc
un_run(struct db_conn *c, const struct stmt *s, const struct db_arg *args, size_t n)
{
	(void)c;
	(void)s;
	(void)args;
	(void)n;
	return DB_ERROR;
}

static int
un_next(struct db_conn *c)
{
	(void)c;
	return -1;
}

static int
un_is_null(struct db_conn *c, int col)
{
	(void)c;
	(void)col;
	return 1;
}

static int64_t
un_col_int(struct db_conn *c, int col)
{
	(void)c;
	(void)col;
	return 0;
}

static const char *
un_col_text(struct db_conn *c, int col)
{
	(void)c;
	(void)col;
	return "";
}

static const uint8_t *
un_col_blob(struct db_conn *c, int col, size_t *len)
{
	(void)c;
	(void)col;
	*len = 0;
	return NULL;
}

static int64_t
un_changes(struct db_conn *c)
{
	(void)c;
	return 0;
}

static int
un_usable(struct db_conn *c)
{
	(void)c;
	return 0;
}

static const struct db_driver unavailable_driver = {
	.usable = un_usable,
	.name = "unavailable",
	.begin = un_fail,
	.commit = un_fail,
	.rollback = un_nothing,
	.run = un_run,
	.next = un_next,
	.is_null = un_is_null,
	.col_int = un_col_int,
	.col_text = un_col_text,
	.col_blob = un_col_blob,
	.changes = un_changes,
	.done = un_nothing,
};

struct db_conn db_unavailable = { &unavailable_driver };
