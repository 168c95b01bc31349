/*
 * Unit tests of store_chaos.c and store_user_sign_out: the grants twauth
 * chaos finds, and each transition ending only what it names, leaving the
 * refresh token where the real path leaves it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/store/store.h"
#include "t.h"

/* alice's grants with c1 and c2, bob's with c1; each with an access and a refresh token. */
struct chaos_fixture {
	struct store		*st;
	int64_t			 alice, bob;
	struct store_grant	 g[3];
	struct store_issue	 is[3];
};

static int
fixture(struct chaos_fixture *f)
{
	static char *uris[] = { "http://localhost:3000" };
	const int64_t users[3] = { 0, 0, 1 };	/* index: 0 alice, 1 bob */
	const char *const apps[3] = { "c1", "c2", "c1" };
	struct store_app app;
	struct store_user u;

	memset(f, 0, sizeof(*f));
	if ((f->st = t_store_with_user(&f->alice)) == NULL)
		return -1;
	memset(&app, 0, sizeof(app));
	snprintf(app.client_id, sizeof(app.client_id), "c2");
	app.name = "two";
	app.redirect_uris = uris;
	app.n_redirect_uris = 1;
	CHECK(store_app_insert(f->st, &app) == STORE_OK);
	memset(&u, 0, sizeof(u));
	snprintf(u.login, sizeof(u.login), "bob");
	u.display_name = "Bob";
	u.password_hash = "$argon2id$not-checked-here";
	CHECK(store_user_insert(f->st, &u) == STORE_OK);
	f->bob = u.id;
	for (int i = 0; i < 3; i++) {
		f->g[i].user_id = users[i] ? f->bob : f->alice;
		snprintf(f->g[i].client_id, sizeof(f->g[i].client_id), "%s", apps[i]);
		f->g[i].scopes = "chat:read";
		f->g[i].created_at = 1000;
		t_issue_for(&f->is[i], (uint8_t)(10 + i), 1, 1000);
		CHECK(store_grant_issue(f->st, &f->g[i], &f->is[i]) == STORE_OK);
	}
	return 0;
}

/* The expiry of the access token of digest h, or -1 when it is gone. */
static int64_t
expiry(struct store *st, const uint8_t *h)
{
	struct store_token tok;
	int64_t at;

	if (store_token_get(st, h, &tok) != STORE_OK)
		return -1;
	at = tok.expires_at;
	store_token_clear(&tok);
	return at;
}

/* Whether the refresh token of is still refreshes (at 1060, to a fresh pair tagged tag). */
static int
refreshes(struct store *st, const struct store_issue *is, const char *client_id, uint8_t tag)
{
	struct store_issue next;
	struct store_grant g;
	enum store_rc rc;

	t_issue_for(&next, tag, 1, 1060);
	memset(&g, 0, sizeof(g));
	rc = store_refresh_use(st, is->refresh_hash, client_id, &next, &t_refresh_rules, &g);
	store_grant_clear(&g);
	return rc == STORE_OK;
}

static void
store_chaos_grants_page_by_app_and_user(void)
{
	struct chaos_fixture f;
	struct store_chaos_grant *g = NULL;
	size_t n = 0;

	if (fixture(&f) == -1)
		return;
	CHECK(store_chaos_grants(f.st, NULL, 0, 0, 10, &g, &n) == STORE_OK && n == 3);
	CHECK(n == 3 && g[0].id == f.g[0].id && g[1].id == f.g[1].id && g[2].id == f.g[2].id);
	CHECK(n == 3 && strcmp(g[0].login, "alice") == 0 && strcmp(g[2].login, "bob") == 0);
	CHECK(n == 3 && strcmp(g[1].client_id, "c2") == 0 && g[2].user_id == f.bob);
	free(g);
	CHECK(store_chaos_grants(f.st, "c1", 0, 0, 10, &g, &n) == STORE_OK && n == 2);
	free(g);
	CHECK(store_chaos_grants(f.st, "c1", f.alice, 0, 10, &g, &n) == STORE_OK && n == 1);
	CHECK(n == 1 && g[0].id == f.g[0].id);
	free(g);
	/* Pages: at most max, after the id given. */
	CHECK(store_chaos_grants(f.st, NULL, 0, f.g[0].id, 1, &g, &n) == STORE_OK && n == 1);
	CHECK(n == 1 && g[0].id == f.g[1].id);
	free(g);
	CHECK(store_chaos_grants(f.st, "c2", 0, f.g[1].id, 10, &g, &n) == STORE_OK && n == 0);
	free(g);
	store_close(f.st);
}

static void
store_chaos_expire_leaves_the_refresh_token(void)
{
	struct chaos_fixture f;
	int64_t ended = -1;

	if (fixture(&f) == -1)
		return;
	CHECK(store_chaos_expire(f.st, "c1", f.alice, 1050, &ended) == STORE_OK && ended == 1);
	CHECK(expiry(f.st, f.is[0].access.hash) == 1050);
	/* alice's other app and bob are untouched. */
	CHECK(expiry(f.st, f.is[1].access.hash) == 1100);
	CHECK(expiry(f.st, f.is[2].access.hash) == 1100);
	/* Nothing live is left to expire. */
	CHECK(store_chaos_expire(f.st, "c1", f.alice, 1050, &ended) == STORE_NOTFOUND);
	CHECK(store_chaos_expire(f.st, "c2", f.bob, 1050, &ended) == STORE_NOTFOUND);
	/* The refresh token refreshes, and its new access token can expire again. */
	CHECK(refreshes(f.st, &f.is[0], "c1", 40));
	CHECK(store_chaos_expire(f.st, "c1", f.alice, 1070, &ended) == STORE_OK && ended == 1);
	store_close(f.st);
}

static void
store_chaos_revoke_deletes_the_access_tokens_only(void)
{
	struct chaos_fixture f;
	int64_t ended = -1;

	if (fixture(&f) == -1)
		return;
	CHECK(store_chaos_revoke(f.st, "c1", f.bob, 1050, &ended) == STORE_OK && ended == 1);
	CHECK(expiry(f.st, f.is[2].access.hash) == -1);
	CHECK(expiry(f.st, f.is[0].access.hash) == 1100);
	CHECK(store_chaos_revoke(f.st, "c1", f.bob, 1050, &ended) == STORE_NOTFOUND);
	/* Expired tokens are not live: nothing to revoke. */
	CHECK(store_chaos_revoke(f.st, "c1", f.alice, 1100, &ended) == STORE_NOTFOUND);
	/* As POST /oauth2/revoke of an access token: the grant and its refresh token stay. */
	CHECK(refreshes(f.st, &f.is[2], "c1", 41));
	store_close(f.st);
}

static void
store_user_sign_out_ends_every_grant_and_session(void)
{
	struct chaos_fixture f;
	struct store_chaos_grant *g = NULL;
	uint8_t session[HASH_LEN];
	struct store_user u;
	size_t n = 0;

	if (fixture(&f) == -1)
		return;
	memset(session, 7, sizeof(session));
	CHECK(store_session_insert(f.st, session, f.alice, 1000, 5000) == STORE_OK);
	CHECK(store_user_sign_out(f.st, f.alice) == STORE_OK);
	CHECK(store_chaos_grants(f.st, NULL, f.alice, 0, 10, &g, &n) == STORE_OK && n == 0);
	free(g);
	CHECK(store_session_get(f.st, session, 1050, &u) == STORE_NOTFOUND);
	CHECK(!refreshes(f.st, &f.is[0], "c1", 42));
	/* The password stays; bob's grant too. */
	CHECK(store_user_get(f.st, f.alice, &u) == STORE_OK);
	CHECK_STR(u.password_hash, "$argon2id$not-checked-here");
	store_user_clear(&u);
	CHECK(refreshes(f.st, &f.is[2], "c1", 43));
	CHECK(store_user_sign_out(f.st, f.alice) == STORE_NOTFOUND);
	store_close(f.st);
}

void
suite_store_chaos(void)
{
	RUN(store_chaos_grants_page_by_app_and_user);
	RUN(store_chaos_expire_leaves_the_refresh_token);
	RUN(store_chaos_revoke_deletes_the_access_tokens_only);
	RUN(store_user_sign_out_ends_every_grant_and_session);
}
