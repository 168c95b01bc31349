/*
 * The group commit: token inserts queued by store_token_insert_queued are
 * committed by one thread, as many as are waiting in one transaction.
 *
 * Why: a SQLite commit costs a dozen system calls (WAL locks, frame writes)
 * that do not depend on how much it holds, and with one writer they are the
 * bottleneck of issuing app tokens.  Requests wait for their commit without
 * holding a thread (the HTTP layer suspends them), so while one batch
 * commits the next one gathers; no timer is needed, and a lone request is
 * committed at once.
 *
 * Invariants: a job's done callback runs after its batch is committed or
 * rolled back, never before; a failure anywhere in a batch rolls back the
 * whole batch and every job in it hears STORE_ERROR, so nothing is reported
 * issued that is not stored.  Jobs keep their own copy of what they insert.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "../common/log.h"
#include "../common/xmalloc.h"
#include "store_sqlite.h"

/* Inserts per transaction at most: bounds one batch's commit latency. */
#define BATCH_MAX 256

struct job {
	struct job		*next;
	struct store_token	 tok;		/* scopes owned */
	int			 has_secret;
	uint8_t			 secret_hash[HASH_LEN];
	store_done_fn		 done;
	void			*arg;
	enum store_rc		 rc;
};

struct sq_batch {
	pthread_mutex_t	 lock;		/* guards everything below */
	pthread_cond_t	 wake;
	struct job	*head;
	struct job	**tail;
	int		 started;
	int		 stopping;
	pthread_t	 thread;
	struct store_stats stats;
};

struct sq_batch *
sq_batch_new(void)
{
	struct sq_batch *b = xcalloc(1, sizeof(*b));

	pthread_mutex_init(&b->lock, NULL);
	pthread_cond_init(&b->wake, NULL);
	b->tail = &b->head;
	return b;
}

static void
job_free(struct job *j)
{
	free(j->tok.scopes);
	OPENSSL_cleanse(j, sizeof(*j));
	free(j);
}

/*
 * Runs the jobs of one batch in one transaction on the writer, then tells
 * each its outcome.  Returns 1 if the batch committed.
 */
static int
commit_batch(struct sq *q, struct job *jobs)
{
	struct conn *c = sq_writer_get(q);
	enum store_rc batch_rc = STORE_ERROR;
	struct job *j;

	if (sq_begin(c) == 0) {
		batch_rc = STORE_OK;
		for (j = jobs; j != NULL && batch_rc == STORE_OK; j = j->next) {
			j->rc = sq_token_insert_on(c, &j->tok,
			    j->has_secret ? j->secret_hash : NULL);
			if (j->rc == STORE_ERROR)
				batch_rc = STORE_ERROR;
		}
		/* Commits if every insert ran, else rolls back; ERROR if the commit fails. */
		batch_rc = sq_finish(c, batch_rc);
	}
	sq_writer_put(q);
	while (jobs != NULL) {
		j = jobs;
		jobs = j->next;
		j->done(j->arg, batch_rc == STORE_OK ? j->rc : STORE_ERROR);
		job_free(j);
	}
	return batch_rc == STORE_OK;
}

static void *
batch_main(void *arg)
{
	struct sq *q = arg;
	struct sq_batch *b = q->batch;

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
		committed = commit_batch(q, jobs);
		pthread_mutex_lock(&b->lock);
		b->stats.group_commits += (uint64_t)committed;
	}
	pthread_mutex_unlock(&b->lock);
	return NULL;
}

void
sq_token_insert_queued(void *impl, const struct store_token *tok,
    const uint8_t *secret_hash, store_done_fn done, void *arg)
{
	struct sq *q = impl;
	struct sq_batch *b = q->batch;
	struct job *j = xcalloc(1, sizeof(*j));
	int queued = 0;

	j->tok = *tok;
	j->tok.scopes = xstrdup(tok->scopes ? tok->scopes : "");
	j->tok.claims = NULL;
	if (secret_hash != NULL) {
		j->has_secret = 1;
		memcpy(j->secret_hash, secret_hash, HASH_LEN);
	}
	j->done = done;
	j->arg = arg;
	pthread_mutex_lock(&b->lock);
	b->stats.queued_inserts++;
	if (!b->started && !b->stopping) {
		/* Started here, not at open: most commands never issue a token. */
		if (pthread_create(&b->thread, NULL, batch_main, q) == 0)
			b->started = 1;
		else
			log_error("sqlite: cannot start the commit thread; committing inline");
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
		j->rc = sq_token_insert_on(sq_writer_get(q), &j->tok,
		    j->has_secret ? j->secret_hash : NULL);
		sq_writer_put(q);
		done(arg, j->rc);
		job_free(j);
	}
}

void
sq_stats(void *impl, struct store_stats *out)
{
	struct sq_batch *b = ((struct sq *)impl)->batch;

	pthread_mutex_lock(&b->lock);
	*out = b->stats;
	pthread_mutex_unlock(&b->lock);
}

void
sq_batch_free(struct sq *q)
{
	struct sq_batch *b = q->batch;
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
	q->batch = NULL;
}
