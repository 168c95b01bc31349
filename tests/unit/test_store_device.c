/*
 * Unit tests of store_device: the device code transitions (insert, find,
 * decide, poll) and that exactly one of many concurrent polls gets the
 * tokens.
 */
#include <pthread.h>
#include <stdio.h>

#include "../../src/store/store.h"
#include "t.h"

static void
device_for(struct store_device *d, uint8_t tag, int64_t now, int64_t ttl)
{
	memset(d, 0, sizeof(*d));
	memset(d->device_hash, tag, HASH_LEN);
	memset(d->user_hash, tag + 1, HASH_LEN);
	snprintf(d->client_id, sizeof(d->client_id), "c1");
	d->scopes = "chat:read";
	d->created_at = now;
	d->expires_at = now + ttl;
	d->interval = TW_DEVICE_INTERVAL;
}

static enum store_poll
poll_at(struct store *st, const struct store_device *d, const char *client_id, uint8_t tag,
    int64_t now, enum store_rc *rc, int64_t *interval)
{
	struct store_issue is;
	struct store_poll_result r;
	enum store_poll outcome;

	t_issue_for(&is, tag, 1, now);
	*rc = store_device_poll(st, d->device_hash, client_id, &is, &t_poll_rules, &r);
	outcome = r.outcome;
	if (interval != NULL)
		*interval = r.interval;
	store_poll_result_clear(&r);
	return outcome;
}

static void
store_device_transitions(void)
{
	struct store_device d, other, found;
	struct store_token tok;
	struct store_issue is;
	enum store_rc rc;
	int64_t uid, interval = 0;
	struct store *st = t_store_with_user(&uid);

	if (st == NULL)
		return;
	device_for(&d, 20, 1000, 1800);
	snprintf(d.client_id, sizeof(d.client_id), "nope");
	CHECK(store_device_insert(st, &d) == STORE_NOTFOUND);	/* no such app */
	device_for(&d, 20, 1000, 1800);
	CHECK(store_device_insert(st, &d) == STORE_OK);
	/* Another authorization with the same live user code: refused. */
	device_for(&other, 30, 1000, 1800);
	memcpy(other.user_hash, d.user_hash, HASH_LEN);
	CHECK(store_device_insert(st, &other) == STORE_CONFLICT);

	CHECK(store_device_find(st, d.user_hash, 1001, &found) == STORE_OK);
	CHECK_STR(found.app_name, "one");
	CHECK_STR(found.scopes, "chat:read");
	CHECK(memcmp(found.device_hash, d.device_hash, HASH_LEN) == 0);
	store_device_clear(&found);
	CHECK(store_device_find(st, d.user_hash, 2800, &found) == STORE_NOTFOUND);

	/* Polls: the first at once is fine, then the interval holds and grows. */
	CHECK(poll_at(st, &d, "c1", 1, 1001, &rc, &interval) == POLL_PENDING && rc == STORE_OK);
	CHECK(interval == 5);
	CHECK(poll_at(st, &d, "c1", 1, 1002, &rc, &interval) == POLL_SLOW_DOWN);
	CHECK(interval == 10);
	CHECK(poll_at(st, &d, "c1", 1, 1011, &rc, &interval) == POLL_SLOW_DOWN);
	CHECK(interval == 15);
	for (int i = 0; i < 20; i++)
		poll_at(st, &d, "c1", 1, 1012 + i, &rc, &interval);
	CHECK(interval == TW_DEVICE_MAX_INTERVAL);
	CHECK(poll_at(st, &d, "c1", 1, 1031 + 60, &rc, &interval) == POLL_PENDING);
	(void)poll_at(st, &d, "c2", 1, 1200, &rc, NULL);
	CHECK(rc == STORE_NOTFOUND);	/* another client's code */

	/* One decision only; then find no longer shows it, saying it was decided. */
	CHECK(store_device_decide(st, d.user_hash, uid + 1000, 1, 1100) == STORE_NOTFOUND);
	CHECK(store_device_decide(st, d.user_hash, uid, 1, 1100) == STORE_OK);
	CHECK(store_device_decide(st, d.user_hash, uid, 0, 1100) == STORE_MISMATCH);
	CHECK(store_device_find(st, d.user_hash, 1100, &found) == STORE_MISMATCH);

	/* Approved: the next poll gets the tokens, once. */
	CHECK(poll_at(st, &d, "c1", 3, 1300, &rc, NULL) == POLL_ISSUED && rc == STORE_OK);
	t_issue_for(&is, 3, 1, 1300);
	CHECK(store_token_get(st, is.access.hash, &tok) == STORE_OK);
	CHECK_STR(tok.login, "alice");
	CHECK_STR(tok.scopes, "chat:read");
	store_token_clear(&tok);
	(void)poll_at(st, &d, "c1", 4, 1400, &rc, NULL);
	CHECK(rc == STORE_NOTFOUND);

	/* Once expired, the user code can be given out again. */
	CHECK(store_device_insert(st, &other) == STORE_CONFLICT);
	other.created_at = 2800;
	other.expires_at = 2800 + 1800;
	CHECK(store_device_insert(st, &other) == STORE_OK);
	store_close(st);
}

static void
store_device_denial_and_expiry(void)
{
	struct store_device d;
	enum store_rc rc;
	int64_t uid;
	struct store *st = t_store_with_user(&uid);

	if (st == NULL)
		return;
	device_for(&d, 40, 1000, 600);
	CHECK(store_device_insert(st, &d) == STORE_OK);
	CHECK(store_device_decide(st, d.user_hash, uid, 0, 1001) == STORE_OK);
	CHECK(poll_at(st, &d, "c1", 5, 1010, &rc, NULL) == POLL_DENIED && rc == STORE_OK);
	(void)poll_at(st, &d, "c1", 5, 1600, &rc, NULL);
	CHECK(rc == STORE_EXPIRED);	/* expired: told apart from unknown (RFC 8628 expired_token) */
	/* No decision after expiry either. */
	device_for(&d, 50, 1000, 600);
	CHECK(store_device_insert(st, &d) == STORE_OK);
	CHECK(store_device_decide(st, d.user_hash, uid, 1, 1600) == STORE_NOTFOUND);
	store_close(st);
}

struct racer {
	struct store		*st;
	const struct store_device *d;
	uint8_t			 tag;
	enum store_poll		 outcome;
	enum store_rc		 rc;
};

static void *
race(void *arg)
{
	struct racer *r = arg;

	r->outcome = poll_at(r->st, r->d, "c1", r->tag, 2000, &r->rc, NULL);
	return NULL;
}

static void
store_device_concurrent_polls_issue_once(void)
{
	enum { N = 16 };
	struct racer racers[N];
	pthread_t threads[N];
	struct store_device d;
	int64_t uid;
	int issued = 0, spent = 0;
	struct store *st = t_store_with_user(&uid);

	if (st == NULL)
		return;
	device_for(&d, 60, 1000, 1800);
	CHECK(store_device_insert(st, &d) == STORE_OK);
	CHECK(store_device_decide(st, d.user_hash, uid, 1, 1001) == STORE_OK);
	for (int i = 0; i < N; i++) {
		racers[i] = (struct racer){ .st = st, .d = &d, .tag = (uint8_t)(100 + i) };
		pthread_create(&threads[i], NULL, race, &racers[i]);
	}
	for (int i = 0; i < N; i++) {
		pthread_join(threads[i], NULL);
		if (racers[i].rc == STORE_OK && racers[i].outcome == POLL_ISSUED)
			issued++;
		else if (racers[i].rc == STORE_NOTFOUND)
			spent++;
	}
	/* One wins; the rest find the code spent (or are told to slow down). */
	CHECK(issued == 1);
	CHECK(spent >= 1);
	store_close(st);
}

void
suite_store_device(void)
{
	RUN(store_device_transitions);
	RUN(store_device_denial_and_expiry);
	RUN(store_device_concurrent_polls_issue_once);
}
