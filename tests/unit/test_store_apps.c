/* Unit tests of store_apps: apps, their secrets and their redirect URIs. */
#include <stdio.h>
#include <string.h>

#include "../../src/common/hash.h"
#include "../../src/common/limits.h"
#include "../../src/store/store.h"
#include "t.h"

static void
store_apps_and_redirects(void)
{
	char path[256];
	struct store *st = t_open_fresh(path, sizeof(path));
	char *uris[] = { "http://localhost:3000" };
	struct store_app app, got, *list;
	uint8_t secret[HASH_LEN];
	size_t n;

	if (st == NULL)
		return;
	CHECK(t_insert_app_c1(st, &app, uris) == STORE_OK);
	CHECK(store_app_insert(st, &app) == STORE_CONFLICT);
	hash_sha256("s", 1, secret);
	CHECK(store_app_set_secret(st, "c1", secret) == STORE_OK);
	CHECK(store_app_set_secret(st, "nope", secret) == STORE_NOTFOUND);
	CHECK(store_app_get(st, "c1", &got) == STORE_OK);
	CHECK_STR(got.name, "one");
	CHECK(got.has_secret && hash_equal(got.secret_hash, secret));
	CHECK(got.n_redirect_uris == 1);
	store_app_clear(&got);
	CHECK(store_app_get(st, "nope", &got) == STORE_NOTFOUND);

	CHECK(store_app_redirect_add(st, "c1", "http://localhost:3000") == STORE_CONFLICT);
	CHECK(store_app_redirect_remove(st, "c1", "http://localhost:3000") == STORE_LIMIT);
	for (int i = 1; i < TW_MAX_REDIRECT_URIS; i++) {
		char u[64];

		snprintf(u, sizeof(u), "http://localhost:%d", 4000 + i);
		CHECK(store_app_redirect_add(st, "c1", u) == STORE_OK);
	}
	CHECK(store_app_redirect_add(st, "c1", "http://localhost:9") == STORE_LIMIT);
	CHECK(store_app_redirect_remove(st, "c1", "http://localhost:4001") == STORE_OK);
	CHECK(store_app_redirect_remove(st, "c1", "http://localhost:4001") == STORE_NOTFOUND);
	CHECK(store_app_redirect_add(st, "nope", "http://x.test") == STORE_NOTFOUND);
	CHECK(store_app_get(st, "c1", &got) == STORE_OK);
	CHECK(got.n_redirect_uris == TW_MAX_REDIRECT_URIS - 1);
	CHECK_STR(got.redirect_uris[0], "http://localhost:3000");
	store_app_clear(&got);
	CHECK(store_app_list(st, &list, &n) == STORE_OK && n == 1);
	store_app_list_free(list, n);
	store_close(st);
}

/* An owner is set only when both the app and the user are there. */
static void
store_app_owner_needs_both(void)
{
	struct store_app got, *mine;
	struct store *st;
	int64_t uid;
	size_t n;

	if ((st = t_store_with_user(&uid)) == NULL)
		return;
	CHECK(store_app_get(st, "c1", &got) == STORE_OK && got.owner_id == 0);
	store_app_clear(&got);
	CHECK(store_app_set_owner(st, "nope", uid) == STORE_NOTFOUND);
	CHECK(store_app_set_owner(st, "c1", uid + 1000) == STORE_NOTFOUND);
	CHECK(store_app_get(st, "c1", &got) == STORE_OK && got.owner_id == 0);
	store_app_clear(&got);
	CHECK(store_app_set_owner(st, "c1", uid) == STORE_OK);
	CHECK(store_app_get(st, "c1", &got) == STORE_OK && got.owner_id == uid);
	store_app_clear(&got);
	CHECK(store_app_list_owned(st, uid, &mine, &n) == STORE_OK && n == 1);
	CHECK(n == 1 && strcmp(mine[0].client_id, "c1") == 0);
	store_app_list_free(mine, n);
	/* A deleted user's id owns nothing, now or later. */
	CHECK(store_user_delete(st, uid) == STORE_OK);
	CHECK(store_app_get(st, "c1", &got) == STORE_OK && got.owner_id == 0);
	store_app_clear(&got);
	CHECK(store_app_set_owner(st, "c1", uid) == STORE_NOTFOUND);
	CHECK(store_app_get(st, "c1", &got) == STORE_OK && got.owner_id == 0);
	store_app_clear(&got);
	store_close(st);
}

void
suite_store_apps(void)
{
	RUN(store_apps_and_redirects);
	RUN(store_app_owner_needs_both);
}
