/* Unit tests of store_tokens: app tokens, revocation, and what deleting an app takes. */
#include <stdio.h>

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
	CHECK(store_token_revoke(st, tok.hash, "c2") == STORE_NOTFOUND);
	CHECK(store_token_get(st, tok.hash, &got) == STORE_OK);
	store_token_clear(&got);
	/* Deleting the app takes its tokens with it. */
	CHECK(store_app_delete(st, "c1") == STORE_OK);
	CHECK(store_token_get(st, tok.hash, &got) == STORE_NOTFOUND);
	CHECK(store_app_delete(st, "c1") == STORE_NOTFOUND);
	store_close(st);
}

void
suite_store_tokens(void)
{
	RUN(store_tokens_revoke_and_cascade);
}
