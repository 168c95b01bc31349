/*
 * Unit tests of store_purge: the purge of ended rows, on whichever backend
 * t_db_spec gives: what goes, what stays, and that big backlogs go in chunks.
 */
#include <stdio.h>
#include <string.h>

#include "../../src/common/hash.h"
#include "../../src/store/store.h"
#include "t.h"

static void
app_token(struct store *st, uint8_t tag, int n, int64_t expires_at)
{
	struct store_token tok = { 0 };

	memset(tok.hash, tag, HASH_LEN);
	memcpy(tok.hash, &n, sizeof(n));
	snprintf(tok.client_id, sizeof(tok.client_id), "c1");
	tok.scopes = "";
	tok.expires_at = expires_at;
	CHECK(store_token_insert(st, &tok, NULL) == STORE_OK);
}

static int
token_there(struct store *st, uint8_t tag, int n)
{
	struct store_token got;
	uint8_t hash[HASH_LEN];
	int there;

	memset(hash, tag, HASH_LEN);
	memcpy(hash, &n, sizeof(n));
	there = store_token_get(st, hash, &got) == STORE_OK;
	store_token_clear(&got);
	return there;
}

static void
purge_deletes_what_ended_and_keeps_the_rest(void)
{
	struct store_purged n;
	struct store_grant g1 = { 0 }, g2 = { 0 }, got;
	struct store_issue is;
	struct store_code code = { 0 };
	struct store_key k = { 0 };
	struct store_user u;
	uint8_t session[HASH_LEN], other[HASH_LEN];
	int64_t uid, wait;
	struct store *st = t_store_with_user(&uid);

	if (st == NULL)
		return;
	app_token(st, 1, 0, 100);
	app_token(st, 1, 1, 300);
	/* A grant whose only token has ended, and one that a refresh token keeps. */
	g1.user_id = g2.user_id = uid;
	snprintf(g1.client_id, sizeof(g1.client_id), "c1");
	snprintf(g2.client_id, sizeof(g2.client_id), "c1");
	g1.scopes = g2.scopes = "chat:read";
	t_issue_for(&is, 20, 0, 50);			/* token ends at 150 */
	CHECK(store_grant_issue(st, &g1, &is) == STORE_OK);
	t_issue_for(&is, 30, 1, 50);			/* refresh token never ends */
	CHECK(store_grant_issue(st, &g2, &is) == STORE_OK);
	/* A code and a session that ended at 150. */
	memset(code.hash, 7, HASH_LEN);
	snprintf(code.client_id, sizeof(code.client_id), "c1");
	code.user_id = uid;
	code.redirect_uri = "http://localhost:3000";
	code.scopes = "chat:read";
	code.expires_at = 150;
	CHECK(store_code_insert(st, &code) == STORE_OK);
	memset(session, 8, HASH_LEN);
	CHECK(store_session_insert(st, session, uid, 0, 150) == STORE_OK);
	/* A key retired long ago, and the one that signs. */
	snprintf(k.kid, sizeof(k.kid), "old");
	k.public_der = k.private_enc = (uint8_t *)"x";
	k.public_len = k.private_len = 1;
	k.created_at = 1;
	CHECK(store_key_add(st, &k, 0) == STORE_OK);
	snprintf(k.kid, sizeof(k.kid), "new");
	k.created_at = 10;
	CHECK(store_key_add(st, &k, 1) == STORE_OK);	/* retires "old" at 10 */
	CHECK(store_bucket_take(st, "budget", 5, 1, 100) == STORE_OK);

	CHECK(t_purge(st, 200, 1000, 20, &n) == STORE_OK);
	CHECK(n.tokens == 3);			/* the app token, g1's and g2's */
	CHECK(!token_there(st, 1, 0) && token_there(st, 1, 1));
	CHECK(n.grants == 1 && n.keys == 1 && n.sessions == 1);
	CHECK(n.codes == 0 && n.buckets == 0);	/* kept a day after they end */
	CHECK(store_session_get(st, session, 100, &u) == STORE_NOTFOUND);
	/* g2 lives on: its refresh token still refreshes. */
	t_issue_for(&is, 40, 0, 200);
	memset(other, 130, HASH_LEN);		/* g2's refresh token (tag 30 + 100) */
	CHECK(store_refresh_use(st, other, "c1", &is, &t_refresh_rules, &got) == STORE_OK);
	CHECK(got.id == g2.id);
	store_grant_clear(&got);
	{
		struct store_key *keys;
		size_t nk;

		CHECK(store_key_list(st, &keys, &nk) == STORE_OK && nk == 1);
		CHECK(nk == 1 && strcmp(keys[0].kid, "new") == 0);
		store_key_list_free(keys, nk);
	}
	/* A day later, the code and the budget go too; the budget comes back full. */
	CHECK(t_purge(st, 150 + 86400 + 1, 1000, 20, &n) == STORE_OK);
	CHECK(n.codes == 1 && n.buckets == 1);
	CHECK(store_bucket_wait(st, "budget", 5, 1, 200000, &wait) == STORE_OK && wait == 0);
	store_close(st);
}

static void
purge_rotated_refresh_tokens_after_their_watch(void)
{
	struct store_purged n;
	struct store_grant g = { 0 }, got;
	struct store_issue is;
	uint8_t first[HASH_LEN];
	int64_t uid;
	struct store *st = t_store_with_user(&uid);

	if (st == NULL)
		return;
	g.user_id = uid;
	snprintf(g.client_id, sizeof(g.client_id), "c1");
	g.scopes = "chat:read";
	t_issue_for(&is, 50, 1, 100);
	CHECK(store_grant_issue(st, &g, &is) == STORE_OK);
	memcpy(first, is.refresh_hash, HASH_LEN);
	t_issue_for(&is, 60, 1, 200);			/* rotates: the first is used at 200 */
	CHECK(store_refresh_use(st, first, "c1", &is, &t_refresh_rules, &got) == STORE_OK);
	store_grant_clear(&got);
	CHECK(t_purge(st, 250, 100, 0, &n) == STORE_OK);
	CHECK(n.refresh_tokens == 0);			/* still watched for reuse */
	CHECK(t_purge(st, 301, 100, 0, &n) == STORE_OK);
	CHECK(n.refresh_tokens == 1 && n.grants == 0);	/* the current one keeps the grant */
	store_close(st);
}

static void
purge_takes_a_backlog_in_chunks(void)
{
	struct store_purged n;
	int64_t uid;
	struct store *st = t_store_with_user(&uid);

	if (st == NULL)
		return;
	for (int i = 0; i < 2 * TW_PURGE_CHUNK + 7; i++)
		app_token(st, 9, i, 100);
	app_token(st, 9, -1, 1000);
	CHECK(t_purge(st, 200, 0, 0, &n) == STORE_OK);
	CHECK(n.tokens == 2 * TW_PURGE_CHUNK + 7);
	CHECK(token_there(st, 9, -1) && !token_there(st, 9, 0));
	store_close(st);
}

void
suite_store_purge(void)
{
	RUN(purge_deletes_what_ended_and_keeps_the_rest);
	RUN(purge_rotated_refresh_tokens_after_their_watch);
	RUN(purge_takes_a_backlog_in_chunks);
}
