/*
 * Unit tests of the device code flow below HTTP: the store's transitions
 * (insert, find, decide, poll) and that exactly one of many concurrent polls
 * gets the tokens; the failure bucket; and the limit on wrong user codes for
 * everyone together, which one address cannot reach in an end-to-end test.
 */
#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "../../src/common/clock.h"
#include "../../src/idp/idp.h"
#include "../../src/idp/throttle.h"
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

	/* One decision only; then find no longer shows it. */
	CHECK(store_device_decide(st, d.user_hash, uid + 1000, 1, 1100) == STORE_NOTFOUND);
	CHECK(store_device_decide(st, d.user_hash, uid, 1, 1100) == STORE_OK);
	CHECK(store_device_decide(st, d.user_hash, uid, 0, 1100) == STORE_NOTFOUND);
	CHECK(store_device_find(st, d.user_hash, 1100, &found) == STORE_NOTFOUND);

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
	CHECK(rc == STORE_NOTFOUND);	/* expired */
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

static void
activate_limit_holds_for_everyone_together(void)
{
	struct idp_config cfg;
	struct idp_device_auth auth;
	struct idp_device_view view;
	struct idp *idp;
	char addr[32];
	int64_t uid, wait = 0;
	int wrong = 0;
	struct store *st = t_store_with_user(&uid);

	if (st == NULL)
		return;
	idp_config_defaults(&cfg);
	idp = idp_new(st, &cfg);
	CHECK(idp_device_start(idp, "c1", "chat:read", &auth) == IDP_OK);
	/* Each address stays under its own limit; together they spend the bucket. */
	for (int i = 0; i < TW_ACTIVATE_ALL_BURST; i++) {
		snprintf(addr, sizeof(addr), "10.0.%d.%d", i / 250, i % 250);
		if (idp_device_find(idp, "BBBBBBBB", addr, &view, &wait) == IDP_ERR_WRONG_USER_CODE)
			wrong++;
	}
	CHECK(wrong == TW_ACTIVATE_ALL_BURST);
	CHECK(idp_device_find(idp, auth.user_code, "192.0.2.1", &view, &wait) ==
	    IDP_ERR_ACTIVATE_THROTTLED);
	CHECK(wait >= 1 && wait <= 3600 / TW_ACTIVATE_ALL_PER_HOUR + 1);
	CHECK(idp_device_decide(idp, &(struct store_user){ .id = uid }, auth.user_code, 1,
	    "192.0.2.1", &wait) == IDP_ERR_ACTIVATE_THROTTLED);
	idp_device_view_clear(&view);
	idp_device_auth_clear(&auth);
	idp_free(idp);
	store_close(st);
}

static void
activate_reads_codes_as_people_type_them(void)
{
	struct idp_config cfg;
	struct idp_device_auth auth;
	struct idp_device_view view;
	struct idp *idp;
	char typed[32];
	int64_t uid, wait = 0;
	struct store *st = t_store_with_user(&uid);

	if (st == NULL)
		return;
	idp_config_defaults(&cfg);
	idp = idp_new(st, &cfg);
	CHECK(idp_device_start(idp, "c1", "", &auth) == IDP_OK);
	snprintf(typed, sizeof(typed), " %.4s - %.4s", auth.user_code, auth.user_code + 4);
	for (char *p = typed; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	CHECK(idp_device_find(idp, typed, "a", &view, &wait) == IDP_OK);
	CHECK_STR(view.user_code, auth.user_code);
	CHECK_STR(view.app_name, "one");
	CHECK(view.expires_in > 0 && view.expires_in <= TW_DEVICE_CODE_TTL);
	idp_device_view_clear(&view);
	/* Too long, too short, or letters not in the alphabet: wrong, not found. */
	CHECK(idp_device_find(idp, "BBBBBBBBB", "a", &view, &wait) == IDP_ERR_WRONG_USER_CODE);
	CHECK(idp_device_find(idp, "BBBBBBB", "a", &view, &wait) == IDP_ERR_WRONG_USER_CODE);
	CHECK(idp_device_find(idp, "AEIOU123", "a", &view, &wait) == IDP_ERR_WRONG_USER_CODE);
	CHECK(idp_device_find(idp, NULL, "a", &view, &wait) == IDP_ERR_WRONG_USER_CODE);
	idp_device_auth_clear(&auth);
	idp_free(idp);
	store_close(st);
}

void
suite_device(void)
{
	RUN(store_device_transitions);
	RUN(store_device_denial_and_expiry);
	RUN(store_device_concurrent_polls_issue_once);
	RUN(store_bucket_refills_at_its_rate_and_is_never_overspent);
	RUN(activate_limit_holds_for_everyone_together);
	RUN(activate_reads_codes_as_people_type_them);
}
