/* Unit tests of idp/apps.c: the rules of registering apps, and who owns them. */
#include <stdio.h>

#include "../../src/idp/idp.h"
#include "../../src/store/store.h"
#include "t.h"

static void
idp_app_create_validates(void)
{
	struct t_env e;
	struct store_app app;
	char secret[TW_ID_LEN + 1];
	char *good[] = { "http://localhost:3000", "https://bot.example/cb?x=1" };
	char *bad[] = { "localhost:3000" };
	char *frag[] = { "http://localhost/#x" };
	char *dup[] = { "http://a.test", "http://a.test" };
	char *many[TW_MAX_REDIRECT_URIS + 1];

	if (t_env_open(&e) == -1)
		return;
	for (int i = 0; i <= TW_MAX_REDIRECT_URIS; i++)
		many[i] = "http://a.test";
	CHECK(t_app_create(e.idp, "", good, 1, 0, &app, secret) == IDP_ERR_BAD_APP_NAME);
	CHECK(t_app_create(e.idp, "   ", good, 1, 0, &app, secret) == IDP_ERR_BAD_APP_NAME);
	CHECK(t_app_create(e.idp, "a\nb", good, 1, 0, &app, secret) == IDP_ERR_BAD_APP_NAME);
	CHECK(t_app_create(e.idp, "caf\xe9", good, 1, 0, &app, secret) == IDP_ERR_BAD_APP_NAME);
	CHECK(t_app_create(e.idp, "ok", good, 0, 0, &app, secret) == IDP_ERR_NO_REDIRECT_URI);
	CHECK(t_app_create(e.idp, "ok", bad, 1, 0, &app, secret) == IDP_ERR_BAD_REDIRECT_URI);
	CHECK(t_app_create(e.idp, "ok", frag, 1, 0, &app, secret) == IDP_ERR_BAD_REDIRECT_URI);
	CHECK(t_app_create(e.idp, "ok", dup, 2, 0, &app, secret) ==
	    IDP_ERR_REDIRECT_URI_EXISTS);
	CHECK(t_app_create(e.idp, "ok", many, TW_MAX_REDIRECT_URIS + 1, 0, &app, secret) ==
	    IDP_ERR_TOO_MANY_REDIRECT_URIS);
	CHECK(t_app_create(e.idp, "ok", good, 2, 0, &app, secret) == IDP_OK);
	CHECK(strlen(app.client_id) == TW_ID_LEN && strlen(secret) == TW_ID_LEN);
	CHECK(strspn(secret, "0123456789abcdefghijklmnopqrstuvwxyz") == TW_ID_LEN);
	store_app_clear(&app);
	CHECK(t_app_create(e.idp, "pub", good, 1, 1, &app, secret) == IDP_OK);
	CHECK(secret[0] == '\0' && app.is_public && !app.has_secret);
	CHECK(idp_app_reset_secret(e.idp, app.client_id, secret) == IDP_ERR_PUBLIC_APP_SECRET);
	store_app_clear(&app);
	CHECK(idp_app_reset_secret(e.idp, "nope", secret) == IDP_ERR_UNKNOWN_APP);
	t_env_close(&e);
}

static void
idp_apps_belong_to_their_owners(void)
{
	struct t_env e;
	struct store_user u = { 0 };
	struct store_app app, got, *mine;
	char secret[TW_ID_LEN + 1];
	char *uris[] = { "http://localhost:3000" };
	char *two[] = { "https://bot.example/cb", "http://localhost:3000" };
	char *dup[] = { "http://a.test", "http://a.test" };
	char *bad[] = { "nota uri" };
	size_t n;

	if (t_env_open(&e) == -1)
		return;
	snprintf(u.login, sizeof(u.login), "olga");
	u.display_name = "Olga";
	u.password_hash = "$argon2id$not-checked-here";
	CHECK(store_user_insert(e.st, &u) == STORE_OK);
	{
		struct idp_app_new nw = { .name = "Olga's Bot", .redirect_uris = uris,
		    .n_redirect_uris = 1, .owner_id = u.id, .category = "Chat Bot" };

		CHECK(idp_app_create(e.idp, &nw, &app, secret) == IDP_OK);
		CHECK(app.owner_id == u.id);
		CHECK_STR(app.category, "Chat Bot");
		nw.category = "Chatbot";
		CHECK(idp_app_create(e.idp, &nw, &got, secret) == IDP_ERR_BAD_CATEGORY);
		nw.category = NULL;
		nw.owner_id = u.id + 1000;	/* nobody */
		CHECK(idp_app_create(e.idp, &nw, &got, secret) == IDP_ERR_UNKNOWN_USER);
	}
	CHECK(t_app_create(e.idp, "Nobody's", uris, 1, 0, &got, secret) == IDP_OK);
	CHECK(got.owner_id == 0);
	CHECK_STR(got.category, "Other");
	store_app_clear(&got);
	CHECK(idp_apps_owned(e.idp, u.id, &mine, &n) == IDP_OK && n == 1);
	CHECK(n == 1 && strcmp(mine[0].client_id, app.client_id) == 0);
	store_app_list_free(mine, n);

	/* The whole redirect list at once, under the rules of create. */
	CHECK(idp_app_set_redirect_uris(e.idp, app.client_id, two, 2) == IDP_OK);
	CHECK(idp_app_set_redirect_uris(e.idp, app.client_id, dup, 2) ==
	    IDP_ERR_REDIRECT_URI_EXISTS);
	CHECK(idp_app_set_redirect_uris(e.idp, app.client_id, bad, 1) ==
	    IDP_ERR_BAD_REDIRECT_URI);
	CHECK(idp_app_set_redirect_uris(e.idp, app.client_id, two, 0) ==
	    IDP_ERR_NO_REDIRECT_URI);
	CHECK(idp_app_set_redirect_uris(e.idp, "nosuchapp", two, 2) == IDP_ERR_UNKNOWN_APP);
	CHECK(idp_app_get(e.idp, app.client_id, &got) == IDP_OK);
	CHECK(got.n_redirect_uris == 2 && strcmp(got.redirect_uris[0], two[0]) == 0);
	store_app_clear(&got);

	/* Deleting the owner keeps the app, owned by no one. */
	CHECK(store_user_delete(e.st, u.id) == STORE_OK);
	CHECK(idp_app_get(e.idp, app.client_id, &got) == IDP_OK && got.owner_id == 0);
	store_app_clear(&got);

	/* Adopting it: by login (any case), the app named first, nothing changed on error. */
	u.id = 0;
	CHECK(store_user_insert(e.st, &u) == STORE_OK);
	CHECK(idp_app_set_owner(e.idp, "nosuchapp", "olga") == IDP_ERR_UNKNOWN_APP);
	CHECK(idp_app_set_owner(e.idp, "nosuchapp", "nobody") == IDP_ERR_UNKNOWN_APP);
	CHECK(idp_app_set_owner(e.idp, app.client_id, "nobody") == IDP_ERR_UNKNOWN_USER);
	CHECK(idp_app_set_owner(e.idp, app.client_id, "") == IDP_ERR_UNKNOWN_USER);
	CHECK(idp_app_get(e.idp, app.client_id, &got) == IDP_OK && got.owner_id == 0);
	store_app_clear(&got);
	CHECK(idp_app_set_owner(e.idp, app.client_id, "OLGA") == IDP_OK);
	CHECK(idp_app_get(e.idp, app.client_id, &got) == IDP_OK && got.owner_id == u.id);
	store_app_clear(&got);
	store_app_clear(&app);
	t_env_close(&e);
}

void
suite_idp_apps(void)
{
	RUN(idp_app_create_validates);
	RUN(idp_apps_belong_to_their_owners);
}
