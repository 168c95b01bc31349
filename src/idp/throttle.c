/* Failure throttling in a fixed table; see throttle.h. */
#include "throttle.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "../common/hash.h"
#include "../common/xmalloc.h"

#define PROBES		8	/* slots looked at per key */
#define RESET_AFTER	3600	/* seconds without failure that forget a count */

struct slot {
	uint64_t	key;		/* 0: empty */
	unsigned	failures;
	int64_t		last_failure;
};

struct throttle {
	pthread_mutex_t	 lock;
	struct slot	*slots;
	size_t		 n;
	unsigned	 free_failures;
	unsigned	 max_delay;
};

struct throttle *
throttle_new(size_t slots, unsigned free_failures, unsigned max_delay)
{
	struct throttle *t = xcalloc(1, sizeof(*t));

	pthread_mutex_init(&t->lock, NULL);
	t->n = slots < PROBES ? PROBES : slots;
	t->slots = xcalloc(t->n, sizeof(*t->slots));
	t->free_failures = free_failures;
	t->max_delay = max_delay;
	return t;
}

void
throttle_free(struct throttle *t)
{
	if (t == NULL)
		return;
	pthread_mutex_destroy(&t->lock);
	free(t->slots);
	free(t);
}

/*
 * A 64-bit key from SHA-256 of the string: keys are attacker-chosen, so a
 * cheap non-cryptographic hash would let them aim at one bucket and evict
 * the counts they want forgotten.
 */
static uint64_t
key_of(const char *key)
{
	uint8_t d[HASH_LEN];
	uint64_t k;

	hash_sha256(key, strlen(key), d);
	memcpy(&k, d, sizeof(k));
	return k ? k : 1;
}

/* The slot of key, or NULL; with create, a fresh or evicted slot for it. */
static struct slot *
find(struct throttle *t, uint64_t key, int create)
{
	struct slot *oldest = NULL;

	for (size_t i = 0; i < PROBES; i++) {
		struct slot *s = &t->slots[(key + i) % t->n];

		if (s->key == key)
			return s;
		if (oldest == NULL || s->key == 0 ||
		    (oldest->key != 0 && s->last_failure < oldest->last_failure))
			oldest = s;
	}
	if (!create)
		return NULL;
	memset(oldest, 0, sizeof(*oldest));
	oldest->key = key;
	return oldest;
}

static int64_t
delay_for(const struct throttle *t, unsigned failures)
{
	unsigned over;

	if (failures < t->free_failures)
		return 0;
	over = failures - t->free_failures;
	if (over >= 20)
		return t->max_delay;
	return (int64_t)1 << over < t->max_delay ? (int64_t)1 << over : t->max_delay;
}

int64_t
throttle_wait(struct throttle *t, const char *key, int64_t now)
{
	uint64_t k = key_of(key);
	struct slot *s;
	int64_t wait = 0;

	pthread_mutex_lock(&t->lock);
	if ((s = find(t, k, 0)) != NULL) {
		if (now - s->last_failure >= RESET_AFTER)
			memset(s, 0, sizeof(*s));
		else {
			wait = s->last_failure + delay_for(t, s->failures) - now;
			if (wait < 0)
				wait = 0;
		}
	}
	pthread_mutex_unlock(&t->lock);
	return wait;
}

void
throttle_fail(struct throttle *t, const char *key, int64_t now)
{
	uint64_t k = key_of(key);
	struct slot *s;

	pthread_mutex_lock(&t->lock);
	s = find(t, k, 1);
	if (now - s->last_failure >= RESET_AFTER)
		s->failures = 0;
	s->failures++;
	s->last_failure = now;
	pthread_mutex_unlock(&t->lock);
}

void
throttle_clear(struct throttle *t, const char *key)
{
	uint64_t k = key_of(key);
	struct slot *s;

	pthread_mutex_lock(&t->lock);
	if ((s = find(t, k, 0)) != NULL)
		memset(s, 0, sizeof(*s));
	pthread_mutex_unlock(&t->lock);
}

struct bucket {
	pthread_mutex_t	lock;
	double		level;		/* failures still allowed */
	int64_t		last;		/* when level was last brought up to date */
	unsigned	burst;
	unsigned	per_hour;
};

struct bucket *
bucket_new(unsigned burst, unsigned per_hour)
{
	struct bucket *b = xcalloc(1, sizeof(*b));

	pthread_mutex_init(&b->lock, NULL);
	b->burst = burst;
	b->per_hour = per_hour ? per_hour : 1;
	b->level = burst;
	return b;
}

void
bucket_free(struct bucket *b)
{
	if (b == NULL)
		return;
	pthread_mutex_destroy(&b->lock);
	free(b);
}

/* Refills for the time since the last update; call with the lock held. */
static void
refill(struct bucket *b, int64_t now)
{
	if (now > b->last) {
		b->level += (double)(now - b->last) * b->per_hour / 3600.0;
		if (b->level > b->burst)
			b->level = b->burst;
	}
	b->last = now;
}

int64_t
bucket_wait(struct bucket *b, int64_t now)
{
	int64_t wait = 0;

	pthread_mutex_lock(&b->lock);
	refill(b, now);
	if (b->level < 1.0) {
		double need = (1.0 - b->level) * 3600.0 / b->per_hour;

		wait = (int64_t)need;
		if ((double)wait < need || wait == 0)
			wait++;
	}
	pthread_mutex_unlock(&b->lock);
	return wait;
}

void
bucket_take(struct bucket *b, int64_t now)
{
	pthread_mutex_lock(&b->lock);
	refill(b, now);
	if (b->level >= 1.0)
		b->level -= 1.0;
	pthread_mutex_unlock(&b->lock);
}
