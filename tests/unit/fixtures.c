/*
 * What the unit tests start from: fresh stores, with or without an app and
 * a user, apps made through the identity logic, and token digests made of
 * a tag.  Declared in t.h.
 */
#include <stdio.h>

#include "../../src/common/clock.h"
#include "../../src/idp/idp.h"
#include "../../src/store/store.h"
#include "t.h"

int
t_app_create(struct idp *idp, const char *name, char *const *uris, size_t n,
    unsigned flags, struct store_app *app, char *secret)
{
	struct idp_app_new nw = {
		.name = name, .redirect_uris = uris, .n_redirect_uris = n, .flags = flags,
	};

	return idp_app_create(idp, &nw, app, secret);
}

struct store *
t_store_with_user(int64_t *user_id)
{
	static char *uris[] = { "http://localhost:3000" };
	struct store_app app;
	struct store_user u;
	char path[256], err[256];
	struct store *st;

	snprintf(path, sizeof(path), "%s", t_db_spec());
	if ((st = store_open(path, err, sizeof(err))) == NULL)
		return NULL;
	memset(&app, 0, sizeof(app));
	snprintf(app.client_id, sizeof(app.client_id), "c1");
	app.name = "one";
	app.redirect_uris = uris;
	app.n_redirect_uris = 1;
	app.has_secret = 1;
	CHECK(store_app_insert(st, &app) == STORE_OK);
	memset(&u, 0, sizeof(u));
	snprintf(u.login, sizeof(u.login), "alice");
	u.display_name = "Alice";
	u.password_hash = "$argon2id$not-checked-here";
	CHECK(store_user_insert(st, &u) == STORE_OK);
	CHECK(u.id > 100000000);
	CHECK(store_user_insert(st, &u) == STORE_CONFLICT);
	*user_id = u.id;
	return st;
}

void
t_issue_for(struct store_issue *is, uint8_t tag, int refresh, int64_t now)
{
	memset(is, 0, sizeof(*is));
	memset(is->access.hash, tag, HASH_LEN);
	is->access.created_at = now;
	is->access.expires_at = now + 100;
	is->has_refresh = refresh;
	memset(is->refresh_hash, tag + 100, HASH_LEN);
}

struct store *
t_open_fresh(char *path, size_t len)
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

int
t_insert_app_c1(struct store *st, struct store_app *app, char **uris)
{
	memset(app, 0, sizeof(*app));
	snprintf(app->client_id, sizeof(app->client_id), "c1");
	app->name = "one";
	app->redirect_uris = uris;
	app->n_redirect_uris = 1;
	return store_app_insert(st, app);
}

int
t_env_open(struct t_env *e)
{
	struct idp_config cfg;

	idp_config_defaults(&cfg);
	cfg.app_token_ttl = 100;
	e->st = t_open_fresh(e->path, sizeof(e->path));
	e->idp = e->st ? idp_new(e->st, &cfg) : NULL;
	return e->st ? 0 : -1;
}

void
t_env_close(struct t_env *e)
{
	idp_free(e->idp);
	store_close(e->st);
	clock_set_skew(0);
}
