/*
 * The group commit: token inserts queued by store_token_insert_queued are
 * committed by one thread, as many as are waiting in one transaction.
 *
 * Why: a commit costs about the same however much it holds (SQLite: a
 * dozen system calls for WAL locks and frames; PostgreSQL: a round trip
 * and a WAL flush), and it is most of what issuing an app token costs.
 * Requests wait for their commit without holding a thread (the HTTP layer
 * suspends them), so while one batch commits the next one gathers; no
 * timer is needed, and a lone request is committed at once.
 *
 * Invariants: a job's done callback runs after its insert is committed or
 * has failed, never before.  If one insert of a batch meets a constraint,
 * the batch is rolled back and its jobs run again one transaction each, so
 * each hears exactly what happened to its own insert; so too when one
 * fails for a reason of its own.  If the database itself is gone (the
 * connection lost, or dropped at its deadline), the batch is rolled back
 * and every job hears so at once: running them one by one against a
 * database that is down would cost each its deadline, in turn.  Jobs
 * keep their own copy of what they insert.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "../common/log.h"
#include "../common/xmalloc.h"
#include "store_impl.h"

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
	free(j->tok.scopes);
	OPENSSL_cleanse(j, sizeof(*j));
	free(j);
}

static enum store_rc
insert_job(struct db_conn *c, struct job *j)
{
	return j->rc = store_token_insert_on(c, &j->tok, j->has_secret ? j->secret_hash : NULL);
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
			if (insert_job(c, j) == STORE_ERROR || j->rc == STORE_CONFLICT)
				failed = j;
		if (failed != NULL && failed->rc == STORE_ERROR && !db_usable(c)) {
			db_rollback(c);
			for (j = jobs; j != NULL; j = j->next)
				j->rc = STORE_ERROR;	/* nothing was stored */
		} else if (failed != NULL) {
			/* Roll back, and give each insert a transaction of its own. */
			db_rollback(c);
			for (j = jobs; j != NULL; j = j->next)
				insert_job(c, j);
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
store_token_insert_queued(struct store *st, const struct store_token *tok,
    const uint8_t *secret_hash, store_done_fn done, void *arg)
{
	struct store_batch *b = st->batch;
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
		j->rc = store_token_insert(st, &j->tok, j->has_secret ? j->secret_hash : NULL);
		done(arg, j->rc);
		job_free(j);
	}
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
