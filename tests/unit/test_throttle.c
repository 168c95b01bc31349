/* Unit tests of throttle: waits that double after the free failures, in bounded memory. */
#include <stdio.h>

#include "../../src/idp/throttle.h"
#include "t.h"

static void
throttle_delays_after_free_failures(void)
{
	struct throttle *t = throttle_new(64, 3, 300);
	int64_t now = 1000 * 1000;	/* ms */

	for (int i = 0; i < 3; i++) {
		CHECK(throttle_wait(t, "login:eve", now) == 0);
		throttle_fail(t, "login:eve", now);
	}
	CHECK(throttle_wait(t, "login:eve", now) == 1);
	/* A second is a whole second, whatever second of the clock it began in. */
	CHECK(throttle_wait(t, "login:eve", now + 999) == 1);
	CHECK(throttle_wait(t, "login:eve", now + 1000) == 0);
	throttle_fail(t, "login:eve", now + 1000);
	CHECK(throttle_wait(t, "login:eve", now + 1000) == 2);
	CHECK(throttle_wait(t, "login:eve", now + 2001) == 1);	/* rounded up */
	for (int i = 0; i < 30; i++)
		throttle_fail(t, "login:eve", now + 2000);
	CHECK(throttle_wait(t, "login:eve", now + 2000) == 300);	/* capped */
	CHECK(throttle_wait(t, "login:other", now + 2000) == 0);
	/* An hour: forgotten. */
	CHECK(throttle_wait(t, "login:eve", now + 2000 + 3600 * 1000) == 0);
	throttle_fail(t, "login:eve", now + 5000 * 1000);
	CHECK(throttle_wait(t, "login:eve", now + 5000 * 1000) == 0);	/* counting from scratch */
	throttle_clear(t, "login:eve");
	CHECK(throttle_wait(t, "login:eve", now + 5000 * 1000) == 0);
	/*
	 * Bounded memory, and a penalty is never forgotten to make room: a
	 * key throttled for minutes stays so however many keys fail after it.
	 */
	for (int i = 0; i < 10; i++)
		throttle_fail(t, "login:old", now);
	CHECK(throttle_wait(t, "login:old", now + 1000) > 100);
	for (int i = 0; i < 5000; i++) {
		char key[32];

		snprintf(key, sizeof(key), "addr:%d", i);
		throttle_fail(t, key, now + 1000);
	}
	CHECK(throttle_wait(t, "login:old", now + 2000) > 100);
	throttle_free(t);
}

/* n keys whose first slot is slot (made by trying names: the test knows the key). */
static void
colliding(struct throttle *t, size_t slot, char keys[][32], int n)
{
	for (int i = 0, found = 0; found < n; i++) {
		snprintf(keys[found], 32, "login:c%d", i);
		if (throttle_slot_of(t, keys[found]) == slot)
			found++;
	}
}

static void
throttle_penalty_survives_crafted_collisions(void)
{
	static const uint8_t key[HASH_LEN] = "a key known to this test only..";
	struct throttle *t = throttle_new_keyed(64, 3, 300, key);
	struct throttle *other = throttle_new(64, 3, 300);
	char keys[12][32];
	int64_t now = 1000000;

	/* The slots are the key's: another throttle puts names elsewhere. */
	colliding(t, throttle_slot_of(t, "login:victim"), keys, 12);
	CHECK(throttle_slot_of(other, keys[0]) != throttle_slot_of(other, "login:victim") ||
	    throttle_slot_of(other, keys[1]) != throttle_slot_of(other, "login:victim"));
	for (int i = 0; i < 5; i++)
		throttle_fail(t, "login:victim", now);
	CHECK(throttle_wait(t, "login:victim", now) > 0);
	/* Ten failed sign-ins on each of twelve colliding logins. */
	for (int k = 0; k < 12; k++)
		for (int i = 0; i < 10; i++)
			throttle_fail(t, keys[k], now + 1);
	CHECK(throttle_wait(t, "login:victim", now + 2) > 0);
	/* The table for those slots is full of penalties: a newcomer there waits too. */
	CHECK(throttle_wait(t, keys[11], now + 2) > 0);
	throttle_free(t);
	throttle_free(other);
}

static void
throttle_reserve_counts_before_the_check(void)
{
	struct throttle *t = throttle_new(64, 3, 300);
	int64_t now = 1000000;
	int passed = 0;

	/* 24 attempts at once on a fresh key: its 3 free ones pass, no more. */
	for (int i = 0; i < 24; i++)
		passed += throttle_reserve(t, "login:burst", now) == 0;
	CHECK(passed == 3);
	/* A success gives its reservation back. */
	throttle_release(t, "login:burst");
	CHECK(throttle_reserve(t, "login:burst", now) == 0);
	CHECK(throttle_reserve(t, "login:burst", now) > 0);
	throttle_free(t);
}
void
suite_throttle(void)
{
	RUN(throttle_delays_after_free_failures);
	RUN(throttle_penalty_survives_crafted_collisions);
	RUN(throttle_reserve_counts_before_the_check);
}
