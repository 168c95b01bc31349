/* Unit tests of store_buckets: shared token buckets, refilled and never overspent. */
#include <pthread.h>

#include "../../src/store/store.h"
#include "t.h"

struct taker {
	struct store	*st;
	int		 won;
};

static void *
taker_main(void *arg)
{
	struct taker *t = arg;

	for (int i = 0; i < 20; i++)
		if (store_bucket_take(t->st, "shared", 50, 1, 1000) == STORE_OK)
			t->won++;
	return NULL;
}

static void
store_bucket_refills_at_its_rate_and_is_never_overspent(void)
{
	struct taker t[8];
	pthread_t th[8];
	int64_t uid, wait = -1;
	int won = 0;
	struct store *st = t_store_with_user(&uid);

	if (st == NULL)
		return;
	/* Two at most, one a second. */
	CHECK(store_bucket_wait(st, "b", 2, 3600, 100, &wait) == STORE_OK && wait == 0);
	CHECK(store_bucket_take(st, "b", 2, 3600, 100) == STORE_OK);
	CHECK(store_bucket_take(st, "b", 2, 3600, 100) == STORE_OK);
	CHECK(store_bucket_wait(st, "b", 2, 3600, 100, &wait) == STORE_OK && wait == 1);
	CHECK(store_bucket_take(st, "b", 2, 3600, 100) == STORE_LIMIT);	/* empty: no debt */
	CHECK(store_bucket_wait(st, "b", 2, 3600, 101, &wait) == STORE_OK && wait == 0);
	CHECK(store_bucket_take(st, "b", 2, 3600, 101) == STORE_OK);
	CHECK(store_bucket_wait(st, "b", 2, 3600, 101, &wait) == STORE_OK && wait == 1);
	CHECK(store_bucket_wait(st, "b", 2, 3600, 200, &wait) == STORE_OK && wait == 0);
	CHECK(store_bucket_take(st, "b", 2, 3600, 200) == STORE_OK);	/* full again, */
	CHECK(store_bucket_take(st, "b", 2, 3600, 200) == STORE_OK);
	CHECK(store_bucket_take(st, "b", 2, 3600, 200) == STORE_LIMIT);	/* never above */
	CHECK(store_bucket_take(st, "other", 2, 3600, 200) == STORE_OK);	/* each its own */
	/* Many takers at once at one instant: exactly the burst is spent. */
	for (int i = 0; i < 8; i++) {
		t[i] = (struct taker){ st, 0 };
		pthread_create(&th[i], NULL, taker_main, &t[i]);
	}
	for (int i = 0; i < 8; i++) {
		pthread_join(th[i], NULL);
		won += t[i].won;
	}
	CHECK(won == 50);
	store_close(st);
}

void
suite_store_buckets(void)
{
	RUN(store_bucket_refills_at_its_rate_and_is_never_overspent);
}
