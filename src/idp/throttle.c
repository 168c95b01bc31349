/* Failure throttling in a fixed table; see throttle.h. */
#include "throttle.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "../common/hash.h"
#include "../common/xmalloc.h"

#define PROBES		8	/* slots looked at per key */
#define RESET_AFTER	(3600 * 1000)	/* ms without failure that forget a count */

struct slot {
	uint64_t	key;		/* 0: empty */
	unsigned	failures;
	int64_t		last_failure;	/* ms */
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

/* Milliseconds to wait after the last of failures. */
static int64_t
delay_for(const struct throttle *t, unsigned failures)
{
	int64_t secs;
	unsigned over;

	if (failures < t->free_failures)
		return 0;
	over = failures - t->free_failures;
	secs = over >= 20 ? t->max_delay : (int64_t)1 << over;
	return (secs < t->max_delay ? secs : t->max_delay) * 1000;
}

int64_t
throttle_wait(struct throttle *t, const char *key, int64_t now_ms)
{
	uint64_t k = key_of(key);
	struct slot *s;
	int64_t wait = 0;

	pthread_mutex_lock(&t->lock);
	if ((s = find(t, k, 0)) != NULL) {
		if (now_ms - s->last_failure >= RESET_AFTER)
			memset(s, 0, sizeof(*s));
		else
			wait = s->last_failure + delay_for(t, s->failures) - now_ms;
	}
	pthread_mutex_unlock(&t->lock);
	/* Whole seconds, rounded up: Retry-After never says "come back" too soon. */
	return wait > 0 ? (wait + 999) / 1000 : 0;
}

void
throttle_fail(struct throttle *t, const char *key, int64_t now_ms)
{
	uint64_t k = key_of(key);
	struct slot *s;

	pthread_mutex_lock(&t->lock);
	s = find(t, k, 1);
	if (now_ms - s->last_failure >= RESET_AFTER)
		s->failures = 0;
	s->failures++;
	s->last_failure = now_ms;
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
