/*
 * serve --chaos-rate R: a thread that ends live user grants at random
 * moments, for reasons drawn at random (chaos.c), so an app under test
 * meets every way a token dies while it runs.  Each grant is ended with the
 * chance R per minute: every TW_CHAOS_TICK_MS, each grant looked at is
 * ended with the chance R * tick / 1 minute.  A tick looks at
 * TW_CHAOS_SCAN_MAX grants at most, going on from where the last one
 * stopped and starting over at the end, so the database is never held
 * long; with more grants than that, each is looked at (and ended) less
 * often.  Each ending has a request id of its own, logged and recorded.
 * With several servers on one database each runs its own (the rates add).
 * Stopping wakes it at once.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#include "../common/log.h"
#include "../common/rand.h"
#include "../common/xmalloc.h"
#include "idp_impl.h"

#define MS_PER_MINUTE	60000

struct chaos_thread {
	struct idp	*idp;
	unsigned	 rate;		/* per minute, in units of 1/TW_CHAOS_ONE */
	int64_t		 after;		/* the grant id the last tick stopped at */
	pthread_mutex_t	 lock;
	pthread_cond_t	 wake;
	int		 stopping;
	pthread_t	 thread;
};

/* One grant's turn: ended or not. */
static void
consider(struct chaos_thread *c, const struct store_chaos_grant *g)
{
	char request_id[IDP_CHAOS_REQUEST_ID_LEN + 1];
	enum idp_chaos_reason reason;
	uint64_t pick;
	enum idp_err err;

	if (!idp_chaos_chance((uint64_t)c->rate * TW_CHAOS_TICK_MS,
	    (uint64_t)TW_CHAOS_ONE * MS_PER_MINUTE))
		return;
	rand_bytes(&pick, sizeof(pick));
	reason = (enum idp_chaos_reason)(pick % IDP_CHAOS__MAX);
	idp_chaos_request_id(request_id);
	err = idp_chaos_end(c->idp, reason, g->client_id, g->user_id, request_id, NULL);
	if (err == IDP_OK)
		log_info("chaos: %s: the tokens of %s (user id %lld) with app %s ended "
		    "(request %s)", idp_chaos_reason_name(reason), g->login, (long long)g->user_id,
		    g->client_id, request_id);
	else if (err != IDP_ERR_NOT_CONNECTED)
		log_warn("chaos: the database failed; trying again in a moment");
}

static void
tick(struct chaos_thread *c)
{
	struct store_chaos_grant *g = NULL;
	size_t n = 0;

	if (store_chaos_grants(c->idp->store, NULL, 0, c->after, TW_CHAOS_SCAN_MAX, &g,
	    &n) != STORE_OK) {
		log_warn("chaos: the database failed; trying again in a moment");
		return;
	}
	for (size_t i = 0; i < n; i++)
		consider(c, &g[i]);
	c->after = n == TW_CHAOS_SCAN_MAX ? g[n - 1].id : 0;
	free(g);
}

static void *
chaos_main(void *arg)
{
	struct chaos_thread *c = arg;

	pthread_mutex_lock(&c->lock);
	while (!c->stopping) {
		struct timespec until;
		int rc = 0;

		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += (long)(TW_CHAOS_TICK_MS % 1000) * 1000000;
		until.tv_sec += TW_CHAOS_TICK_MS / 1000 + until.tv_nsec / 1000000000;
		until.tv_nsec %= 1000000000;
		while (!c->stopping && rc != ETIMEDOUT)
			rc = pthread_cond_timedwait(&c->wake, &c->lock, &until);
		if (c->stopping)
			break;
		pthread_mutex_unlock(&c->lock);
		tick(c);
		pthread_mutex_lock(&c->lock);
	}
	pthread_mutex_unlock(&c->lock);
	return NULL;
}

struct chaos_thread *
chaos_thread_start(struct idp *idp, unsigned rate)
{
	struct chaos_thread *c;

	if (rate == 0)
		return NULL;
	c = xcalloc(1, sizeof(*c));
	c->idp = idp;
	c->rate = rate;
	pthread_mutex_init(&c->lock, NULL);
	pthread_cond_init(&c->wake, NULL);
	if (pthread_create(&c->thread, NULL, chaos_main, c) != 0) {
		log_error("chaos: cannot start its thread; --chaos-rate is off");
		pthread_mutex_destroy(&c->lock);
		pthread_cond_destroy(&c->wake);
		free(c);
		return NULL;
	}
	return c;
}

void
chaos_thread_stop(struct chaos_thread *c)
{
	if (c == NULL)
		return;
	pthread_mutex_lock(&c->lock);
	c->stopping = 1;
	pthread_cond_signal(&c->wake);
	pthread_mutex_unlock(&c->lock);
	pthread_join(c->thread, NULL);
	pthread_mutex_destroy(&c->lock);
	pthread_cond_destroy(&c->wake);
	free(c);
}
