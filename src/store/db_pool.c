/*
 * A driver's pool of connections (db.h): a stack of free ones under a
 * mutex, and a condition to wait on when none is.  The drivers' own
 * arrays hold the connections; the pool only lends them out.
 */
#include "../common/xmalloc.h"
#include "db.h"

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
db_pool_take(struct db_pool *p)
{
	struct db_conn *c;

	pthread_mutex_lock(&p->lock);
	while (p->n_free == 0)
		pthread_cond_wait(&p->freed, &p->lock);
	c = p->free[--p->n_free];
	pthread_mutex_unlock(&p->lock);
	return c;
}
