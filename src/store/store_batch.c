/*
 * The group commit: writes queued by store_write_queued (token inserts,
 * refresh token uses) are committed by one thread, as many as are waiting
 * in one transaction.
 *
 * Why: a commit costs about the same however much it holds (SQLite: a
 * dozen system calls for WAL locks and frames; PostgreSQL: a round trip
 * and a WAL flush), and it is most of what issuing an app token costs.
 * Requests wait for their commit without holding a thread (the HTTP layer
 * suspends them), so while one batch commits the next one gathers; no
 * timer is needed, and a lone request is committed at once.
 *
 * A job is a transition's body, run(c, ctx): what it would run between
 * store_write_begin and store_write_end, and it must give the same answer
 * when run again from the start.  Each sees the writes of the jobs before
 * it in the batch, as if each had been a transaction of its own in turn.
 *
 * Invariants: a job's done callback runs after its write is committed or
 * has failed, never before.  If one job of a batch answers what
 * store_finish would roll back (a constraint met, a limit, an error), the
 * batch is rolled back and its jobs run again one transaction each, so
 * each hears exactly what happened to its own write, and none keeps half
 * of another's.  If the database itself is gone (the
 * connection lost, or dropped at its deadline), the batch is rolled back
 * and every job hears so at once: running them one by one against a
 * database that is down would cost each its deadline, in turn.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "../common/log.h"
#include "../common/xmalloc.h"
#include "store_impl.h"

/* Jobs per transaction at most: bounds one batch's commit latency. */
#define BATCH_MAX 256

struct job {
	struct job		*next;
	store_write_fn		 run;
	void			*ctx;
	void			(*free_ctx)(void *ctx);	/* NULL: the caller's */
	store_done_fn		 done;
	void			*arg;
	enum store_rc		 rc;
};

/* What a queued token insert keeps of its own (store_token_insert_queued). */
struct insert_ctx {
	struct store_token	 tok;		/* scopes owned */
	int			 has_secret;
	uint8_t			 secret_hash[HASH_LEN];
};

struct store_batch {
	pthread_mutex_t	 lock;		/* guards everything below */
	pthread_cond_t	 wake;
	struct job	*head;
	struct job	**tail;
	int		 started;
	int		 stopping;
	pthread_t	 thread;
	struct store_stats stats;
};

struct store_batch *
store_batch_new(void)
{
	struct store_batch *b = xcalloc(1, sizeof(*b));

	pthread_mutex_init(&b->lock, NULL);
	pthread_cond_init(&b->wake, NULL);
	b->tail = &b->head;
	return b;
}

static void
job_free(struct job *j)
{
	if (j->free_ctx != NULL)
		j->free_ctx(j->ctx);
	OPENSSL_cleanse(j, sizeof(*j));
	free(j);
}

/* One job alone, in a transaction of its own (as store_write_begin/end). */
static enum store_rc
run_alone(struct db_conn *c, struct job *j)
{
	if ((j->rc = store_begin(c)) == STORE_OK)
		j->rc = store_finish(c, j->run(c, j->ctx));
	return j->rc;
}

/*
 * Runs the jobs of one batch in one transaction, then tells each its
 * outcome.  Returns 1 if the batch committed as one.
 */
static int
commit_batch(struct store *st, struct job *jobs)
{
	struct db_conn *c = store_writer(st);
	struct job *j, *failed = NULL;
	int committed = 0;

	if (store_begin(c) != STORE_OK) {
		for (j = jobs; j != NULL; j = j->next)
			j->rc = STORE_ERROR;
	} else {
		/* PostgreSQL cannot go on in a transaction after any error. */
		for (j = jobs; j != NULL && failed == NULL; j = j->next)
			if (store_rc_rolls_back(j->rc = j->run(c, j->ctx)))
				failed = j;
		if (failed != NULL && failed->rc == STORE_ERROR && !db_usable(c)) {
			db_rollback(c);
			for (j = jobs; j != NULL; j = j->next)
				j->rc = STORE_ERROR;	/* nothing was stored */
		} else if (failed != NULL) {
			/* Roll back, and give each job a transaction of its own. */
			db_rollback(c);
			for (j = jobs; j != NULL; j = j->next)
				(void)run_alone(c, j);
		} else if (store_finish(c, STORE_OK) != STORE_OK) {
			for (j = jobs; j != NULL; j = j->next)
				j->rc = STORE_ERROR;	/* nothing was stored */
		} else
			committed = 1;
	}
	store_put(st, c);
	while (jobs != NULL) {
		j = jobs;
		jobs = j->next;
		j->done(j->arg, j->rc);
		job_free(j);
	}
	return committed;
}

static void *
batch_main(void *arg)
{
	struct store *st = arg;
	struct store_batch *b = st->batch;

	pthread_mutex_lock(&b->lock);
	for (;;) {
		struct job *jobs, **end;
		size_t n = 0;
		int committed;

		while (b->head == NULL && !b->stopping)
			pthread_cond_wait(&b->wake, &b->lock);
		if (b->head == NULL)
			break;
		/* Take up to BATCH_MAX jobs off the front of the queue. */
		jobs = b->head;
		for (end = &b->head; *end != NULL && n < BATCH_MAX; end = &(*end)->next)
			n++;
		b->head = *end;
		*end = NULL;
		if (b->head == NULL)
			b->tail = &b->head;
		pthread_mutex_unlock(&b->lock);
		committed = commit_batch(st, jobs);
		pthread_mutex_lock(&b->lock);
		b->stats.group_commits += (uint64_t)committed;
	}
	pthread_mutex_unlock(&b->lock);
	return NULL;
}

void
store_write_queued(struct store *st, store_write_fn run, void *ctx, void (*free_ctx)(void *),
    store_done_fn done, void *arg)
{
	struct store_batch *b = st->batch;
	struct job *j = xcalloc(1, sizeof(*j));
	int queued = 0;

	j->run = run;
	j->ctx = ctx;
	j->free_ctx = free_ctx;
	j->done = done;
	j->arg = arg;
	pthread_mutex_lock(&b->lock);
	b->stats.queued_writes++;
	if (!b->started && !b->stopping) {
		/* Started here, not at open: most commands never write this way. */
		if (pthread_create(&b->thread, NULL, batch_main, st) == 0)
			b->started = 1;
		else
			log_error("store: cannot start the commit thread; committing inline");
	}
	if (b->started && !b->stopping) {
		*b->tail = j;
		b->tail = &j->next;
		pthread_cond_signal(&b->wake);
		queued = 1;
	}
	pthread_mutex_unlock(&b->lock);
	if (!queued) {
		/* No thread (it failed to start, or the store is closing): inline. */
		struct db_conn *c;

		if ((j->rc = store_write_begin(st, &c)) == STORE_OK)
			j->rc = store_write_end(st, c, run(c, ctx));
		done(arg, j->rc);
		job_free(j);
	}
}

static enum store_rc
insert_run(struct db_conn *c, void *ctx)
{
	struct insert_ctx *x = ctx;

	return store_token_insert_on(c, &x->tok, x->has_secret ? x->secret_hash : NULL);
}

static void
insert_free(void *ctx)
{
	struct insert_ctx *x = ctx;

	free(x->tok.scopes);
	OPENSSL_cleanse(x, sizeof(*x));
	free(x);
}

void
store_token_insert_queued(struct store *st, const struct store_token *tok,
    const uint8_t *secret_hash, store_done_fn done, void *arg)
{
	struct insert_ctx *x = xcalloc(1, sizeof(*x));

	x->tok = *tok;
	x->tok.scopes = xstrdup(tok->scopes ? tok->scopes : "");
	x->tok.claims = NULL;
	if (secret_hash != NULL) {
		x->has_secret = 1;
		memcpy(x->secret_hash, secret_hash, HASH_LEN);
	}
	store_write_queued(st, insert_run, x, insert_free, done, arg);
}

void
store_stats(struct store *st, struct store_stats *out)
{
	struct store_batch *b = st->batch;

	pthread_mutex_lock(&b->lock);
	*out = b->stats;
	pthread_mutex_unlock(&b->lock);
}

void
store_batch_free(struct store *st)
{
	struct store_batch *b = st->batch;
	int started;

	if (b == NULL)
		return;
	pthread_mutex_lock(&b->lock);
	b->stopping = 1;
	started = b->started;
	pthread_cond_signal(&b->wake);
	pthread_mutex_unlock(&b->lock);
	if (started)
		pthread_join(b->thread, NULL);
	pthread_mutex_destroy(&b->lock);
	pthread_cond_destroy(&b->wake);
	free(b);
	st->batch = NULL;
}
