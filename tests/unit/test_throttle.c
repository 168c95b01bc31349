/* Unit tests of throttle: waits that double after the free failures, in bounded memory. */
#include <stdio.h>

#include "../../src/idp/throttle.h"
#include "t.h"

static void
throttle_delays_after_free_failures_and_forgets(void)
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
	 * Bounded memory: a key throttled for minutes is forgotten once
	 * thousands of newer keys fail, where a growing table would keep it.
	 */
	for (int i = 0; i < 10; i++)
		throttle_fail(t, "login:old", now);
	CHECK(throttle_wait(t, "login:old", now + 1000) > 100);
	for (int i = 0; i < 5000; i++) {
		char key[32];

		snprintf(key, sizeof(key), "addr:%d", i);
		throttle_fail(t, key, now + 1000);
	}
	CHECK(throttle_wait(t, "login:old", now + 2000) == 0);
	throttle_free(t);
}

void
suite_throttle(void)
{
	RUN(throttle_delays_after_free_failures_and_forgets);
}
