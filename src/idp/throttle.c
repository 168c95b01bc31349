/*
 * Failure throttling in a fixed table; see throttle.h.  A key's 64-bit id
 * is SHA-256 of a random per-process secret and the key; it lives in one
 * of PROBES slots from id % n.  Which slot a new key takes: an empty one,
 * else the least recently failed one not under penalty; if all are under
 * penalty, none, and the key is treated as if it were under the heaviest
 * of their penalties until one of them ends.
 */
#include "throttle.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "../common/rand.h"
#include "../common/xmalloc.h"

#define PROBES		8	/* slots a key may live in */
#define RESET_AFTER	(3600 * 1000)	/* ms without failure that forget a count */

struct slot {
	uint64_t	id;		/* 0: empty */
	unsigned	failures;
	int64_t		last_failure;	/* ms */
};

struct throttle {
	pthread_mutex_t	 lock;
	struct slot	*slots;
	size_t		 n;
	unsigned	 free_failures;
	unsigned	 max_delay;
	uint8_t		 secret[HASH_LEN];
};

struct throttle *
throttle_new_keyed(size_t slots, unsigned free_failures, unsigned max_delay,
    const uint8_t key[HASH_LEN])
{
	struct throttle *t = xcalloc(1, sizeof(*t));

	pthread_mutex_init(&t->lock, NULL);
	t->n = slots < PROBES ? PROBES : slots;
	t->slots = xcalloc(t->n, sizeof(*t->slots));
	t->free_failures = free_failures;
	t->max_delay = max_delay;
	memcpy(t->secret, key, HASH_LEN);
	return t;
}

struct throttle *
throttle_new(size_t slots, unsigned free_failures, unsigned max_delay)
{
	uint8_t key[HASH_LEN];
	struct throttle *t;

	rand_bytes(key, sizeof(key));
	t = throttle_new_keyed(slots, free_failures, max_delay, key);
	OPENSSL_cleanse(key, sizeof(key));
	return t;
}

void
throttle_free(struct throttle *t)
{
	if (t == NULL)
		return;
	pthread_mutex_destroy(&t->lock);
	OPENSSL_cleanse(t->secret, sizeof(t->secret));
	free(t->slots);
	free(t);
}

/* The key's id: SHA-256 of the secret and the key, its first 8 bytes. */
static uint64_t
id_of(const struct throttle *t, const char *key)
{
	uint8_t d[EVP_MAX_MD_SIZE];
	unsigned len = 0;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	uint64_t id = 0;

	if (ctx == NULL || EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1 ||
	    EVP_DigestUpdate(ctx, t->secret, sizeof(t->secret)) != 1 ||
	    EVP_DigestUpdate(ctx, key, strlen(key)) != 1 ||
	    EVP_DigestFinal_ex(ctx, d, &len) != 1 || len < sizeof(id))
		fatal("throttle: SHA-256 failed");
	EVP_MD_CTX_free(ctx);
	memcpy(&id, d, sizeof(id));
	return id ? id : 1;
}

size_t
throttle_slot_of(const struct throttle *t, const char *key)
{
	return id_of(t, key) % t->n;
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

/* A count an hour old is forgotten. */
static void
expire(struct slot *s, int64_t now)
{
	if (s->id != 0 && now - s->last_failure >= RESET_AFTER)
		memset(s, 0, sizeof(*s));
}

/* Whether s still holds a penalty: it has used up its free failures. */
static int
penalised(const struct throttle *t, const struct slot *s)
{
	return s->id != 0 && s->failures >= t->free_failures;
}

/*
 * The slot of id.  With create, a new one for it if it has none.  When it
 * has none, *full says whether every slot it may take is under penalty
 * (then none is made).
 */
static struct slot *
find(struct throttle *t, uint64_t id, int64_t now, int create, int *full)
{
	struct slot *victim = NULL;

	*full = 0;
	for (size_t i = 0; i < PROBES; i++) {
		struct slot *s = &t->slots[(id + i) % t->n];

		expire(s, now);
		if (s->id == id)
			return s;
		if (s->id == 0) {
			if (victim == NULL || victim->id != 0)
				victim = s;
		} else if (!penalised(t, s) && (victim == NULL ||
		    (victim->id != 0 && s->last_failure < victim->last_failure)))
			victim = s;
	}
	if (victim == NULL) {
		*full = 1;
		return NULL;
	}
	if (!create)
		return NULL;
	memset(victim, 0, sizeof(*victim));
	victim->id = id;
	return victim;
}

/* The longest penalty among the slots id may live in (their table is full). */
static int64_t
heaviest(const struct throttle *t, uint64_t id, int64_t now)
{
	int64_t wait = 0;

	for (size_t i = 0; i < PROBES; i++) {
		const struct slot *s = &t->slots[(id + i) % t->n];
		int64_t w = s->last_failure + delay_for(t, s->failures) - now;

		if (w > wait)
			wait = w;
	}
	return wait > 0 ? wait : 1000;
}

/* The key's wait in ms, under the lock; with reserve, counts a failure if none. */
static int64_t
wait_locked(struct throttle *t, uint64_t id, int64_t now, int reserve)
{
	int full;
	struct slot *s = find(t, id, now, reserve, &full);
	int64_t wait = 0;

	if (s == NULL && full)
		return heaviest(t, id, now);
	if (s != NULL && s->failures > 0)
		wait = s->last_failure + delay_for(t, s->failures) - now;
	if (wait <= 0 && reserve) {
		s->failures++;
		s->last_failure = now;
	}
	return wait;
}

int64_t
throttle_wait(struct throttle *t, const char *key, int64_t now_ms)
{
	uint64_t id = id_of(t, key);
	int64_t wait;

	pthread_mutex_lock(&t->lock);
	wait = wait_locked(t, id, now_ms, 0);
	pthread_mutex_unlock(&t->lock);
	/* Whole seconds, rounded up: Retry-After never says "come back" too soon. */
	return wait > 0 ? (wait + 999) / 1000 : 0;
}

int64_t
throttle_reserve(struct throttle *t, const char *key, int64_t now_ms)
{
	uint64_t id = id_of(t, key);
	int64_t wait;

	pthread_mutex_lock(&t->lock);
	wait = wait_locked(t, id, now_ms, 1);
	pthread_mutex_unlock(&t->lock);
	return wait > 0 ? (wait + 999) / 1000 : 0;
}

void
throttle_fail(struct throttle *t, const char *key, int64_t now_ms)
{
	uint64_t id = id_of(t, key);
	struct slot *s;
	int full;

	pthread_mutex_lock(&t->lock);
	/* A key with no room is refused by throttle_wait until there is room. */
	if ((s = find(t, id, now_ms, 1, &full)) != NULL) {
		s->failures++;
		s->last_failure = now_ms;
	}
	pthread_mutex_unlock(&t->lock);
}

void
throttle_release(struct throttle *t, const char *key)
{
	uint64_t id = id_of(t, key);
	struct slot *s;
	int full;

	pthread_mutex_lock(&t->lock);
	if ((s = find(t, id, 0, 0, &full)) != NULL && s->failures > 0)
		s->failures--;
	pthread_mutex_unlock(&t->lock);
}

void
throttle_clear(struct throttle *t, const char *key)
{
	uint64_t id = id_of(t, key);
	struct slot *s;
	int full;

	pthread_mutex_lock(&t->lock);
	if ((s = find(t, id, 0, 0, &full)) != NULL)
		memset(s, 0, sizeof(*s));
	pthread_mutex_unlock(&t->lock);
}
