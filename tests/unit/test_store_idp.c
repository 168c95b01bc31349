/* Unit tests of the SQLite store and the identity logic on top of it. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "../../src/common/clock.h"
#include "../../src/common/hash.h"
#include "../../src/idp/idp.h"
#include "../../src/store/store.h"
#include "t.h"

static struct store *
open_fresh(char *path, size_t len)
{
	char err[256];
	struct store *st;

	if (t_pg())
		snprintf(path, len, "%s", t_db_spec());
	else
		snprintf(path, len, "%s/sub/t.db", t_tmpdir());
	st = store_open(path, err, sizeof(err));
	if (st == NULL)
		printf("    store_open: %s\n", err);
	return st;
}

/* Registers app "c1" (no secret, one redirect URI) straight in the store. */
static int
insert_app_c1(struct store *st, struct store_app *app, char **uris)
{
	memset(app, 0, sizeof(*app));
	snprintf(app->client_id, sizeof(app->client_id), "c1");
	app->name = "one";
	app->redirect_uris = uris;
	app->n_redirect_uris = 1;
	return store_app_insert(st, app);
}

static void
store_creates_private_file_and_migrates_once(void)
{
	char path[256], dir[256], err[256];
	struct store *st = open_fresh(path, sizeof(path));
	struct stat sb;

	CHECK(st != NULL);
	if (st == NULL)
		return;
	CHECK(store_schema_version(st) >= 1);
	if (!t_pg()) {
		CHECK(stat(path, &sb) == 0 && (sb.st_mode & 0777) == 0600);
		snprintf(dir, sizeof(dir), "%.*s", (int)(strrchr(path, '/') - path), path);
		CHECK(stat(dir, &sb) == 0 && (sb.st_mode & 0777) == 0700);
	}
	store_close(st);
	/* Reopening applies nothing twice. */
	st = store_open(path, err, sizeof(err));
	CHECK(st != NULL);
	store_close(st);
	CHECK(store_open("/proc/no/such/dir/x.db", err, sizeof(err)) == NULL);
	CHECK(strlen(err) > 0);
}

static void
store_apps_and_redirects(void)
{
	char path[256];
	struct store *st = open_fresh(path, sizeof(path));
	char *uris[] = { "http://localhost:3000" };
	struct store_app app, got, *list;
	uint8_t secret[HASH_LEN];
	size_t n;

	if (st == NULL)
		return;
	CHECK(insert_app_c1(st, &app, uris) == STORE_OK);
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

static void
store_tokens_revoke_and_cascade(void)
{
	char path[256];
	struct store *st = open_fresh(path, sizeof(path));
	char *uris[] = { "http://localhost:3000" };
	struct store_app app;
	struct store_token tok = { 0 }, got;

	if (st == NULL)
		return;
	CHECK(insert_app_c1(st, &app, uris) == STORE_OK);
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

/*
 * SQLite's read lock keeper must let go around our writes: else checkpoints
 * could never restart the WAL, which would grow with every commit.
 */
static void
store_wal_restarts_under_reads_and_writes(void)
{
	char path[256], wal[300];
	struct store *st = open_fresh(path, sizeof(path));
	char *uris[] = { "http://localhost:3000" };
	struct store_app app;
	struct store_token tok = { 0 }, got;
	struct stat sb;

	if (st == NULL)
		return;
	CHECK(insert_app_c1(st, &app, uris) == STORE_OK);
	snprintf(tok.client_id, sizeof(tok.client_id), "c1");
	tok.scopes = "";
	tok.expires_at = 100;
	/* 4000 commits of about one page each: four times the checkpoint interval. */
	for (int i = 0; i < 4000; i++) {
		memset(tok.hash, 0, HASH_LEN);
		memcpy(tok.hash, &i, sizeof(i));
		CHECK(store_token_insert(st, &tok, NULL) == STORE_OK);
		CHECK(store_token_get(st, tok.hash, &got) == STORE_OK);
		store_token_clear(&got);
	}
	snprintf(wal, sizeof(wal), "%s-wal", path);
	CHECK(stat(wal, &sb) == 0);
	/* Restarted, it stays near 1000 pages (4 MiB); pinned it would be past 12. */
	CHECK(sb.st_size < 8 * 1024 * 1024);
	store_close(st);
}

void
suite_store(void)
{
	RUN(store_creates_private_file_and_migrates_once);
	RUN(store_apps_and_redirects);
	RUN(store_tokens_revoke_and_cascade);
	if (!t_pg())
		RUN(store_wal_restarts_under_reads_and_writes);
}

struct env {
	char		 path[256];
	struct store	*st;
	struct idp	*idp;
};

static int
env_open(struct env *e)
{
	struct idp_config cfg;

	idp_config_defaults(&cfg);
	cfg.app_token_ttl = 100;
	e->st = open_fresh(e->path, sizeof(e->path));
	e->idp = e->st ? idp_new(e->st, &cfg) : NULL;
	return e->st ? 0 : -1;
}

static void
env_close(struct env *e)
{
	idp_free(e->idp);
	store_close(e->st);
	clock_set_skew(0);
}

static void
idp_app_create_validates(void)
{
	struct env e;
	struct store_app app;
	char secret[TW_ID_LEN + 1];
	char *good[] = { "http://localhost:3000", "https://bot.example/cb?x=1" };
	char *bad[] = { "localhost:3000" };
	char *frag[] = { "http://localhost/#x" };
	char *dup[] = { "http://a.test", "http://a.test" };
	char *many[TW_MAX_REDIRECT_URIS + 1];

	if (env_open(&e) == -1)
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
	env_close(&e);
}

static void
idp_client_credentials_rules(void)
{
	struct env e;
	struct store_app app, pub;
	char secret[TW_ID_LEN + 1], new_secret[TW_ID_LEN + 1], pubsecret[TW_ID_LEN + 1];
	char *uris[] = { "http://localhost:3000" };
	struct idp_token_request rq = { 0 };
	struct idp_token_response rs;
	struct idp_token_info info;

	if (env_open(&e) == -1)
		return;
	CHECK(t_app_create(e.idp, "app", uris, 1, 0, &app, secret) == IDP_OK);
	CHECK(t_app_create(e.idp, "pub", uris, 1, 1, &pub, pubsecret) == IDP_OK);
	CHECK(idp_token(e.idp, &rq, &rs) == IDP_ERR_MISSING_CLIENT_ID);
	rq.client_id = "";
	CHECK(idp_token(e.idp, &rq, &rs) == IDP_ERR_MISSING_CLIENT_ID);
	rq.client_id = app.client_id;
	CHECK(idp_token(e.idp, &rq, &rs) == IDP_ERR_INVALID_GRANT_TYPE);
	rq.grant_type = "password";
	CHECK(idp_token(e.idp, &rq, &rs) == IDP_ERR_INVALID_GRANT_TYPE);
	/* mock-api's grant is served at /auth/authorize only (grants.c). */
	rq.grant_type = "user_token";
	rq.client_secret = secret;
	CHECK(idp_token(e.idp, &rq, &rs) == IDP_ERR_INVALID_GRANT_TYPE);
	rq.client_secret = NULL;
	rq.grant_type = "client_credentials";
	CHECK(idp_token(e.idp, &rq, &rs) == IDP_ERR_MISSING_CLIENT_SECRET);
	rq.client_secret = "wrong";
	CHECK(idp_token(e.idp, &rq, &rs) == IDP_ERR_INVALID_CLIENT_SECRET);
	rq.client_id = "unknownunknownunknownunknown00";
	CHECK(idp_token(e.idp, &rq, &rs) == IDP_ERR_INVALID_CLIENT);
	rq.client_id = pub.client_id;
	CHECK(idp_token(e.idp, &rq, &rs) == IDP_ERR_PUBLIC_CLIENT_CREDENTIALS);
	rq.client_secret = NULL;
	CHECK(idp_token(e.idp, &rq, &rs) == IDP_ERR_PUBLIC_CLIENT_CREDENTIALS);
	rq.client_id = "unknownunknownunknownunknown00";
	CHECK(idp_token(e.idp, &rq, &rs) == IDP_ERR_INVALID_CLIENT);
	rq.client_id = app.client_id;
	rq.client_secret = secret;
	CHECK(idp_token(e.idp, &rq, &rs) == IDP_OK);
	CHECK(strlen(rs.access_token) == TW_ID_LEN && rs.expires_in == 100);

	/* Validate counts down, and the token dies at its expiry. */
	CHECK(idp_validate(e.idp, rs.access_token, TW_ID_LEN, &info) == IDP_OK);
	CHECK_STR(info.client_id, app.client_id);
	/* A second may pass between issuing and validating. */
	CHECK(info.user_id == 0 && info.expires_in >= 99 && info.expires_in <= 100);
	idp_token_info_clear(&info);
	clock_set_skew(40);
	CHECK(idp_validate(e.idp, rs.access_token, TW_ID_LEN, &info) == IDP_OK);
	CHECK(info.expires_in >= 59 && info.expires_in <= 60);
	idp_token_info_clear(&info);
	clock_set_skew(100);
	CHECK(idp_validate(e.idp, rs.access_token, TW_ID_LEN, &info) ==
	    IDP_ERR_INVALID_ACCESS_TOKEN);
	clock_set_skew(0);

	/* A reset secret replaces the old one at once. */
	CHECK(idp_app_reset_secret(e.idp, app.client_id, new_secret) == IDP_OK);
	CHECK(strcmp(new_secret, secret) != 0);
	CHECK(idp_token(e.idp, &rq, &rs) == IDP_ERR_INVALID_CLIENT_SECRET);
	rq.client_secret = new_secret;
	CHECK(idp_token(e.idp, &rq, &rs) == IDP_OK);

	/* Revoke: only the owner, and unknown tokens are not errors. */
	CHECK(idp_revoke(e.idp, NULL, rs.access_token) == IDP_ERR_MISSING_CLIENT_ID);
	CHECK(idp_revoke(e.idp, app.client_id, "") == IDP_ERR_MISSING_OAUTH_TOKEN);
	CHECK(idp_revoke(e.idp, "unknownunknownunknownunknown00", rs.access_token) ==
	    IDP_ERR_INVALID_CLIENT);
	CHECK(idp_revoke(e.idp, pub.client_id, rs.access_token) == IDP_OK);
	CHECK(idp_validate(e.idp, rs.access_token, TW_ID_LEN, &info) == IDP_OK);
	idp_token_info_clear(&info);
	CHECK(idp_revoke(e.idp, app.client_id, rs.access_token) == IDP_OK);
	CHECK(idp_validate(e.idp, rs.access_token, TW_ID_LEN, &info) ==
	    IDP_ERR_INVALID_ACCESS_TOKEN);
	CHECK(idp_revoke(e.idp, app.client_id, "not-a-token") == IDP_OK);
	CHECK(idp_validate(e.idp, "", 0, &info) == IDP_ERR_INVALID_ACCESS_TOKEN);
	store_app_clear(&app);
	store_app_clear(&pub);
	env_close(&e);
}

static void
idp_apps_belong_to_their_owners(void)
{
	struct env e;
	struct store_user u = { 0 };
	struct store_app app, got, *mine;
	char secret[TW_ID_LEN + 1];
	char *uris[] = { "http://localhost:3000" };
	char *two[] = { "https://bot.example/cb", "http://localhost:3000" };
	char *dup[] = { "http://a.test", "http://a.test" };
	char *bad[] = { "nota uri" };
	size_t n;

	if (env_open(&e) == -1)
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
	store_app_clear(&app);
	env_close(&e);
}

static void
idp_error_table_is_complete(void)
{
	for (int e = IDP_OK + 1; e < IDP_ERR__MAX; e++) {
		const struct idp_err_info *info = idp_err_info((enum idp_err)e);

		CHECK(info->message != NULL && info->status >= 400 && info->status < 600);
		/* No slot falls through to the fallback by accident. */
		CHECK(e == IDP_ERR_UNAVAILABLE || info != idp_err_info(IDP_ERR_UNAVAILABLE));
	}
	CHECK(idp_err_info(IDP_ERR_INVALID_CLIENT_SECRET)->status == 403);
	CHECK_STR(idp_err_info(IDP_ERR_MISSING_CLIENT_ID)->message, "missing client id");
}

/* True if message has want, not followed by another digit. */
static int
says(const char *message, const char *want)
{
	const char *p = strstr(message, want);

	return p != NULL && (p[strlen(want)] < '0' || p[strlen(want)] > '9');
}

/* Messages that name a limit say the number of limits.h (TW_STR). */
static void
idp_limit_messages(void)
{
	static const struct {
		enum idp_err	 err;
		const char	*words;		/* before the number */
		int		 min, max;	/* min 0: only max is said */
	} cases[] = {
		{ IDP_ERR_HELIX_TOO_MANY_IDS, "must not exceed ", 0, TW_HELIX_MAX_IDS },
		{ IDP_ERR_BAD_APP_NAME, "1 to ", 0, TW_MAX_APP_NAME },
		{ IDP_ERR_BAD_REDIRECT_URI, "at most ", 0, TW_MAX_REDIRECT_URI },
		{ IDP_ERR_TOO_MANY_REDIRECT_URIS, "at most ", 0, TW_MAX_REDIRECT_URIS },
		{ IDP_ERR_BAD_LOGIN, "be ", TW_LOGIN_MIN, TW_LOGIN_MAX },
		{ IDP_ERR_BAD_PASSWORD, "be ", TW_PASSWORD_MIN, TW_PASSWORD_MAX },
		{ IDP_ERR_BAD_DISPLAY_NAME, "1 to ", 0, TW_MAX_DISPLAY_NAME },
		{ IDP_ERR_BAD_EMAIL, "at most ", 0, TW_MAX_EMAIL },
	};
	char want[64];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (cases[i].min == 0)
			snprintf(want, sizeof(want), "%s%d", cases[i].words, cases[i].max);
		else
			snprintf(want, sizeof(want), "%s%d to %d", cases[i].words, cases[i].min,
			    cases[i].max);
		CHECK(says(idp_err_info(cases[i].err)->message, want));
	}
}

void
suite_idp(void)
{
	RUN(idp_app_create_validates);
	RUN(idp_client_credentials_rules);
	RUN(idp_apps_belong_to_their_owners);
	RUN(idp_error_table_is_complete);
	RUN(idp_limit_messages);
}
