/* Unit tests of store_tokens: app tokens, revocation, and what deleting an app takes. */
#include <stdio.h>
#include <string.h>

#include "../../src/common/hash.h"
#include "../../src/store/store.h"
#include "t.h"

static void
store_tokens_revoke_and_cascade(void)
{
	char path[256];
	struct store *st = t_open_fresh(path, sizeof(path));
	char *uris[] = { "http://localhost:3000" };
	struct store_app app;
	struct store_token tok = { 0 }, got;

	if (st == NULL)
		return;
	CHECK(t_insert_app_c1(st, &app, uris) == STORE_OK);
	hash_sha256("tok", 3, tok.hash);
	snprintf(tok.client_id, sizeof(tok.client_id), "c1");
	tok.scopes = "chat:read";
	tok.expires_at = 100;
	CHECK(store_token_insert(st, &tok, NULL) == STORE_OK);
	CHECK(store_token_insert(st, &tok, NULL) == STORE_CONFLICT);
	CHECK(store_token_get(st, tok.hash, &got) == STORE_OK);
	CHECK_STR(got.client_id, "c1");
	CHECK_STR(got.scopes, "chat:read");
	CHECK(got.expires_at == 100 && got.user_id == 0);
	store_token_clear(&got);
	/* The app's existence and secret are part of the insert. */
	{
		struct store_token other = tok;
		uint8_t wrong[HASH_LEN];

		hash_sha256("other", 5, other.hash);
		hash_sha256("wrong", 5, wrong);
		CHECK(store_token_insert(st, &other, wrong) == STORE_NOTFOUND);
		snprintf(other.client_id, sizeof(other.client_id), "nosuchapp");
		CHECK(store_token_insert(st, &other, NULL) == STORE_NOTFOUND);
		CHECK(store_token_get(st, other.hash, &got) == STORE_NOTFOUND);
	}
	/* Another client cannot revoke it. */
	CHECK(store_token_revoke(st, &tok.hash, 1, "c2") == STORE_NOTFOUND);
	CHECK(store_token_get(st, tok.hash, &got) == STORE_OK);
	store_token_clear(&got);
	/* Deleting the app takes its tokens with it. */
	CHECK(store_app_delete(st, "c1") == STORE_OK);
	CHECK(store_token_get(st, tok.hash, &got) == STORE_NOTFOUND);
	CHECK(store_app_delete(st, "c1") == STORE_NOTFOUND);
	store_close(st);
}

/*
 * Revocations queued together (on SQLite behind another connection's
 * write lock, so that they are one batch) are answered only once
 * committed, and each as alone: a token found by its second digest goes;
 * another client's token stays; an unknown one is NOTFOUND.
 */
static void
store_tokens_revoke_queued(void)
{
	char path[256];
	struct store *st = t_open_fresh(path, sizeof(path));
	char *uris[] = { "http://localhost:3000" };
	struct store_app app;
	struct store_token mine = { 0 }, theirs = { 0 }, got;
	uint8_t digests[3][2][HASH_LEN];
	struct t_queued q;
	void *lock;

	if (st == NULL)
		return;
	CHECK(t_insert_app_c1(st, &app, uris) == STORE_OK);
	hash_sha256("mine", 4, mine.hash);
	snprintf(mine.client_id, sizeof(mine.client_id), "c1");
	mine.scopes = "";
	mine.expires_at = 100;
	CHECK(store_token_insert(st, &mine, NULL) == STORE_OK);
	theirs = mine;
	hash_sha256("theirs", 6, theirs.hash);
	CHECK(store_token_insert(st, &theirs, NULL) == STORE_OK);
	/* 0: mine by its second digest; 1: "theirs", asked by c2; 2: unknown. */
	hash_sha256("nothing", 7, digests[0][0]);
	memcpy(digests[0][1], mine.hash, HASH_LEN);
	memcpy(digests[1][0], theirs.hash, HASH_LEN);
	memcpy(digests[1][1], theirs.hash, HASH_LEN);
	hash_sha256("unknown1", 8, digests[2][0]);
	hash_sha256("unknown2", 8, digests[2][1]);
	t_queued_init(&q);
	lock = t_write_lock_take(st);
	for (int i = 0; i < 3; i++)
		store_token_revoke_queued(st, (const uint8_t (*)[HASH_LEN])digests[i], 2,
		    i == 1 ? "c2" : "c1", t_queued_done, &q.refs[i]);
	if (lock != NULL)
		CHECK(q.done == 0);		/* nothing answered before its commit */
	t_write_lock_release(lock);
	t_queued_wait(&q, 3);
	CHECK(q.rc[0] == STORE_OK && store_token_get(st, mine.hash, &got) == STORE_NOTFOUND);
	CHECK(q.rc[1] == STORE_NOTFOUND && store_token_get(st, theirs.hash, &got) == STORE_OK);
	store_token_clear(&got);
	CHECK(q.rc[2] == STORE_NOTFOUND);
	store_close(st);
}

void
suite_store_tokens(void)
{
	RUN(store_tokens_revoke_and_cascade);
	RUN(store_tokens_revoke_queued);
}
