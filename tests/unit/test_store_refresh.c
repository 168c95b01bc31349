/*
 * Unit tests of store_refresh.c: refresh rotation with reuse detection,
 * and the retry window after a lost answer (siblings, the cap on them).
 */
#include <stdio.h>
#include <string.h>

#include "../../src/common/limits.h"
#include "../../src/store/store.h"
#include "t.h"

static void
store_refresh_rotation_detects_reuse(void)
{
	struct store_grant g;
	struct store_issue is, r1, r2;
	struct store_token tok;
	int64_t uid;
	struct store *st = t_store_with_user(&uid);

	if (st == NULL)
		return;
	memset(&g, 0, sizeof(g));
	g.user_id = uid;
	snprintf(g.client_id, sizeof(g.client_id), "c1");
	g.scopes = "chat:edit chat:read";
	g.created_at = 1000;
	t_issue_for(&is, 10, 1, 1000);
	is.refresh_expires_at = 5000;
	CHECK(store_grant_issue(st, &g, &is) == STORE_OK);
	CHECK(g.id > 0);
	/* Rotate: is.refresh_hash -> r1.refresh_hash. */
	t_issue_for(&r1, 11, 1, 1100);
	r1.refresh_expires_at = 6000;
	r1.access.scopes = "chat:read bits:read";
	CHECK(store_refresh_use(st, is.refresh_hash, "c1", &r1, &t_refresh_rules, &g) ==
	    STORE_MISMATCH);
	r1.access.scopes = "chat:read";
	CHECK(store_refresh_use(st, is.refresh_hash, "c2", &r1, &t_refresh_rules, &g) ==
	    STORE_NOTFOUND);
	CHECK(store_refresh_use(st, is.refresh_hash, "c1", &r1, &t_refresh_rules, &g) == STORE_OK);
	CHECK_STR(g.scopes, "chat:edit chat:read");
	store_grant_clear(&g);
	CHECK(store_token_get(st, r1.access.hash, &tok) == STORE_OK);
	CHECK_STR(tok.scopes, "chat:read");
	store_token_clear(&tok);
	/* The new refresh token expires unused. */
	t_issue_for(&r2, 12, 1, 6000);
	CHECK(store_refresh_use(st, r1.refresh_hash, "c1", &r2, &t_refresh_rules, &g) ==
	    STORE_NOTFOUND);
	/* The old one comes back: the whole grant goes. */
	t_issue_for(&r2, 12, 1, 1200);
	CHECK(store_refresh_use(st, is.refresh_hash, "c1", &r2, &t_refresh_rules, &g) == STORE_REPLAY);
	CHECK(store_token_get(st, r1.access.hash, &tok) == STORE_NOTFOUND);
	CHECK(store_token_get(st, is.access.hash, &tok) == STORE_NOTFOUND);
	CHECK(store_refresh_use(st, r1.refresh_hash, "c1", &r2, &t_refresh_rules, &g) ==
	    STORE_NOTFOUND);
	store_close(st);
}

/* A grant of client c1 whose first tokens have tag, issued at 1000. */
static void
t_grant_tagged(struct store *st, int64_t uid, struct store_issue *is, uint8_t tag)
{
	struct store_grant g;

	memset(&g, 0, sizeof(g));
	g.user_id = uid;
	snprintf(g.client_id, sizeof(g.client_id), "c1");
	g.scopes = "chat:read";
	g.created_at = 1000;
	t_issue_for(is, tag, 1, 1000);
	is->refresh_expires_at = 5000;
	CHECK(store_grant_issue(st, &g, is) == STORE_OK);
}

/* Refreshes client c1's hash at now into *to (tag); the store's answer. */
static enum store_rc
t_refresh(struct store *st, const uint8_t *hash, struct store_issue *to, uint8_t tag,
    int64_t now)
{
	struct store_grant g;
	enum store_rc rc;

	t_issue_for(to, tag, 1, now);
	if ((rc = store_refresh_use(st, hash, "c1", to, &t_refresh_rules, &g)) == STORE_OK)
		store_grant_clear(&g);
	return rc;
}

/* Whether the access token of issue validates. */
static int
t_live(struct store *st, const struct store_issue *issue)
{
	struct store_token tok;

	if (store_token_get(st, issue->access.hash, &tok) != STORE_OK)
		return 0;
	store_token_clear(&tok);
	return 1;
}

static void
store_refresh_retry_after_a_lost_answer(void)
{
	struct store_grant g;
	struct store_issue is, r1, r2, r3, r4, r5;
	int64_t uid;
	struct store *st = t_store_with_user(&uid);

	if (st == NULL)
		return;
	t_grant_tagged(st, uid, &is, 10);
	CHECK(t_refresh(st, is.refresh_hash, &r1, 11, 1100) == STORE_OK);
	/* r1's answer was lost: the client tries its old token again, 30 s on. */
	CHECK(t_refresh(st, is.refresh_hash, &r2, 12, 1100 + TW_REFRESH_RETRY / 2) == STORE_OK);
	/* r1 and r2 are siblings: both live until the client uses one. */
	CHECK(t_live(st, &r1) && t_live(st, &r2));
	CHECK(t_refresh(st, r2.refresh_hash, &r3, 13, 1200) == STORE_OK);
	/* r2 kept: r1 and its access token are retired, the first access token stays. */
	CHECK(!t_live(st, &r1) && t_live(st, &is) && t_live(st, &r3));
	/* r1 presented now is a copy: the grant ends. */
	CHECK(t_refresh(st, r1.refresh_hash, &r4, 14, 1201) == STORE_REPLAY);
	CHECK(!t_live(st, &r3));
	store_close(st);

	/*
	 * Two refreshes at once, answered out of order: the client keeps the
	 * first answer (r1), whose siblings go when r1 is used.
	 */
	if ((st = t_store_with_user(&uid)) == NULL)
		return;
	t_grant_tagged(st, uid, &is, 10);
	CHECK(t_refresh(st, is.refresh_hash, &r1, 11, 1100) == STORE_OK);
	CHECK(t_refresh(st, is.refresh_hash, &r2, 12, 1101) == STORE_OK);
	CHECK(t_refresh(st, is.refresh_hash, &r3, 13, 1102) == STORE_OK);
	/* Hours later: siblings have no window. */
	CHECK(t_refresh(st, r1.refresh_hash, &r4, 14, 5000) == STORE_OK);
	CHECK(t_live(st, &r1) && !t_live(st, &r2) && !t_live(st, &r3));
	/* r3, retired when r1 was used, presented later: a copy; the grant ends. */
	CHECK(t_refresh(st, r4.refresh_hash, &r5, 15, 5001) == STORE_OK);
	CHECK(t_refresh(st, r3.refresh_hash, &r5, 16, 5002) == STORE_REPLAY);
	CHECK(!t_live(st, &r5));
	store_close(st);

	/* Within the window, but the successor was used: a copy, the grant ends. */
	if ((st = t_store_with_user(&uid)) == NULL)
		return;
	t_grant_tagged(st, uid, &is, 10);
	CHECK(t_refresh(st, is.refresh_hash, &r1, 11, 1100) == STORE_OK);
	CHECK(t_refresh(st, r1.refresh_hash, &r2, 12, 1110) == STORE_OK);
	CHECK(t_refresh(st, is.refresh_hash, &r3, 13, 1120) == STORE_REPLAY);
	CHECK(!t_live(st, &r2));
	store_close(st);

	/* TW_REFRESH_REPLACEMENTS of one token, and no more; the grant lives on. */
	if ((st = t_store_with_user(&uid)) == NULL)
		return;
	t_grant_tagged(st, uid, &is, 10);
	for (int i = 0; i < TW_REFRESH_REPLACEMENTS; i++)
		CHECK(t_refresh(st, is.refresh_hash, &r1, (uint8_t)(20 + i), 1100 + i) == STORE_OK);
	CHECK(t_refresh(st, is.refresh_hash, &r2, 40, 1100 + TW_REFRESH_REPLACEMENTS) ==
	    STORE_NOTFOUND);
	CHECK(t_live(st, &r1));
	CHECK(t_refresh(st, r1.refresh_hash, &r3, 41, 1200) == STORE_OK);
	store_close(st);

	/* A retry that widens the scopes is refused and retires nothing. */
	if ((st = t_store_with_user(&uid)) == NULL)
		return;
	t_grant_tagged(st, uid, &is, 10);
	CHECK(t_refresh(st, is.refresh_hash, &r1, 11, 1100) == STORE_OK);
	t_issue_for(&r2, 12, 1, 1110);
	r2.access.scopes = "chat:read bits:read";
	CHECK(store_refresh_use(st, is.refresh_hash, "c1", &r2, &t_refresh_rules, &g) ==
	    STORE_MISMATCH);
	CHECK(t_refresh(st, r1.refresh_hash, &r2, 12, 1111) == STORE_OK);
	store_close(st);
}

/*
 * Refreshes queued together (on SQLite behind another connection's write
 * lock, so that they are one batch) answer as each would alone: a rotation
 * commits; a used token presented again ends its grant, and that sticks;
 * one whose new access token collides with a stored one fails alone, with
 * nothing of it kept (its token is not marked used), and the batch's other
 * writes are not lost to its rollback.
 */
static void
store_refresh_queued_answers_as_alone(void)
{
	struct store_issue g1, g2, g3, used, to[4];
	struct t_queued q;
	struct store_grant grant[4];
	const uint8_t *from[4];
	void *lock;
	int64_t uid;
	struct store *st = t_store_with_user(&uid);

	if (st == NULL)
		return;
	t_queued_init(&q);
	memset(grant, 0, sizeof(grant));
	t_grant_tagged(st, uid, &g1, 10);
	t_grant_tagged(st, uid, &g2, 20);
	t_grant_tagged(st, uid, &g3, 30);
	CHECK(t_refresh(st, g2.refresh_hash, &to[0], 21, 1100) == STORE_OK);
	CHECK(t_refresh(st, to[0].refresh_hash, &used, 22, 1110) == STORE_OK);
	/* 0: g1 rotates; 1: g2's first token, used long ago, comes back; */
	t_issue_for(&to[0], 11, 1, 1200);
	from[0] = g1.refresh_hash;
	t_issue_for(&to[1], 23, 1, 1200 + TW_REFRESH_RETRY * 2);
	from[1] = g2.refresh_hash;
	/* 2: g3's new access token is g1's first one (a collision); 3: g1 again. */
	t_issue_for(&to[2], 31, 1, 1200);
	memcpy(to[2].access.hash, g1.access.hash, HASH_LEN);
	from[2] = g3.refresh_hash;
	t_issue_for(&to[3], 12, 1, 1300);
	from[3] = to[0].refresh_hash;
	lock = t_write_lock_take(st);
	for (int i = 0; i < 4; i++)
		store_refresh_use_queued(st, from[i], "c1", &to[i], &t_refresh_rules, &grant[i],
		    t_queued_done, &q.refs[i]);
	if (lock != NULL)
		CHECK(q.done == 0);		/* nothing answered before its commit */
	t_write_lock_release(lock);
	t_queued_wait(&q, 4);
	CHECK(q.rc[0] == STORE_OK && grant[0].id > 0);
	CHECK(q.rc[1] == STORE_REPLAY && !t_live(st, &used));
	CHECK(q.rc[2] == STORE_CONFLICT);
	CHECK(q.rc[3] == STORE_OK && t_live(st, &to[3]) && t_live(st, &to[0]));
	/* The collided refresh kept nothing: its token still works. */
	CHECK(t_refresh(st, g3.refresh_hash, &to[2], 32, 1400) == STORE_OK);
	for (int i = 0; i < 4; i++)
		store_grant_clear(&grant[i]);
	store_close(st);
}

void
suite_store_refresh(void)
{
	RUN(store_refresh_rotation_detects_reuse);
	RUN(store_refresh_retry_after_a_lost_answer);
	RUN(store_refresh_queued_answers_as_alone);
}
