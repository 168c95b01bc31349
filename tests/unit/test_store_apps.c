/* Unit tests of store_apps: apps, their secrets and their redirect URIs. */
#include <stdio.h>

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

void
suite_store_apps(void)
{
	RUN(store_apps_and_redirects);
}
