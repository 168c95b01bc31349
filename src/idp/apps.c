/*
 * App registration and administration: the developer console's operations.
 * Inputs are checked here, not in the CLI or pages, so every front end
 * refuses the same things with the same words.
 */
#include <stdlib.h>
#include <string.h>

#include "../common/clock.h"
#include "../common/hash.h"
#include "../common/str.h"
#include "../common/rand.h"
#include "../common/url.h"
#include "../common/xmalloc.h"
#include "idp_impl.h"

int
idp_app_name_ok(const char *name)
{
	size_t len = strlen(name), i;

	if (len == 0 || len > TW_MAX_APP_NAME || !str_utf8_valid(name, len))
		return 0;
	for (i = 0; i < len; i++)
		if ((unsigned char)name[i] < 0x20 || name[i] == 0x7f)
			return 0;
	/* At least one visible character. */
	for (i = 0; i < len; i++)
		if (name[i] != ' ')
			return 1;
	return 0;
}

int
idp_redirect_uri_ok(const char *uri)
{
	struct url u;

	return str_utf8_valid(uri, strlen(uri)) && url_parse(str_cstr(uri), &u) == 0 &&
	    !u.has_fragment;
}

const char *const idp_app_categories[] = {
	"Analytics Tool", "Application Integration", "Broadcaster Suite", "Chat Bot",
	"Extension Backend Service", "Game Integration", "Identity Provider", "Other",
	"Website Integration", NULL
};

int
idp_app_category_ok(const char *c)
{
	for (size_t i = 0; idp_app_categories[i] != NULL; i++)
		if (strcmp(c, idp_app_categories[i]) == 0)
			return 1;
	return 0;
}

enum idp_err
idp_app_check_redirect_uris(char *const *uris, size_t n)
{
	if (n == 0)
		return IDP_ERR_NO_REDIRECT_URI;
	if (n > TW_MAX_REDIRECT_URIS)
		return IDP_ERR_TOO_MANY_REDIRECT_URIS;
	for (size_t i = 0; i < n; i++) {
		if (!idp_redirect_uri_ok(uris[i]))
			return IDP_ERR_BAD_REDIRECT_URI;
		for (size_t k = 0; k < i; k++)
			if (strcmp(uris[i], uris[k]) == 0)
				return IDP_ERR_REDIRECT_URI_EXISTS;
	}
	return IDP_OK;
}

enum idp_err
idp_app_create(struct idp *idp, const struct idp_app_new *nw, struct store_app *app,
    char secret[TW_ID_LEN + 1])
{
	const char *category = nw->category ? nw->category : "Other";
	enum store_rc rc = STORE_ERROR;
	enum idp_err err;

	memset(app, 0, sizeof(*app));
	secret[0] = '\0';
	if (!idp_app_name_ok(nw->name))
		return IDP_ERR_BAD_APP_NAME;
	if ((err = idp_app_check_redirect_uris(nw->redirect_uris, nw->n_redirect_uris)) != IDP_OK)
		return err;
	if (!idp_app_category_ok(category))
		return IDP_ERR_BAD_CATEGORY;
	app->name = xstrdup(nw->name);
	app->category = xstrdup(category);
	app->owner_id = nw->owner_id;
	app->is_public = (nw->flags & IDP_APP_PUBLIC) != 0;
	app->profile = nw->flags & IDP_APP_OAUTH2 ? APP_PROFILE_OAUTH2 : APP_PROFILE_TWITCH;
	app->created_at = clock_now();
	app->redirect_uris = xcalloc(nw->n_redirect_uris, sizeof(char *));
	for (size_t i = 0; i < nw->n_redirect_uris; i++)
		app->redirect_uris[i] = xstrdup(nw->redirect_uris[i]);
	app->n_redirect_uris = nw->n_redirect_uris;
	/* A 30-character id collides with odds of 36^-30; retry regardless. */
	for (int attempt = 0; attempt < 3; attempt++) {
		rand_alnum(app->client_id, TW_ID_LEN);
		if (!app->is_public && !(nw->flags & IDP_APP_NO_SECRET)) {
			idp_new_secret(secret, TW_ID_LEN, app->secret_hash);
			app->has_secret = 1;
		}
		rc = store_app_insert(idp->store, app);
		if (rc != STORE_CONFLICT)
			break;
	}
	if (rc != STORE_OK) {
		store_app_clear(app);
		memset(secret, 0, TW_ID_LEN + 1);
		return idp_from_store(rc, IDP_ERR_UNKNOWN_USER);	/* NOTFOUND: the owner */
	}
	return IDP_OK;
}

enum idp_err
idp_apps_owned(struct idp *idp, int64_t owner_id, struct store_app **apps, size_t *n)
{
	return idp_from_store(store_app_list_owned(idp->store, owner_id, apps, n),
	    IDP_ERR_UNAVAILABLE);
}

enum idp_err
idp_app_set_redirect_uris(struct idp *idp, const char *client_id, char *const *uris,
    size_t n)
{
	enum idp_err err;

	if ((err = idp_app_check_redirect_uris(uris, n)) != IDP_OK)
		return err;
	return idp_from_store(store_app_set_redirect_uris(idp->store, client_id, uris, n),
	    IDP_ERR_UNKNOWN_APP);
}

enum idp_err
idp_app_set_profile(struct idp *idp, const char *client_id, enum app_profile profile)
{
	if (idp_blank(client_id) || strlen(client_id) > TW_ID_LEN)
		return IDP_ERR_UNKNOWN_APP;
	return idp_from_store(store_app_set_profile(idp->store, client_id, profile),
	    IDP_ERR_UNKNOWN_APP);
}

enum idp_err
idp_app_get(struct idp *idp, const char *client_id, struct store_app *app)
{
	memset(app, 0, sizeof(*app));
	return idp_from_store(store_app_get(idp->store, client_id, app), IDP_ERR_UNKNOWN_APP);
}

/* Whether client_id names an app: IDP_OK, IDP_ERR_UNKNOWN_APP, IDP_ERR_UNAVAILABLE. */
static enum idp_err
app_exists(struct idp *idp, const char *client_id)
{
	struct store_app app;
	enum idp_err err = idp_app_get(idp, client_id, &app);

	store_app_clear(&app);
	return err;
}

enum idp_err
idp_app_set_owner(struct idp *idp, const char *client_id, const char *login)
{
	struct store_user u;
	enum store_rc rc;
	enum idp_err err;

	if ((err = app_exists(idp, client_id)) != IDP_OK)
		return err;
	if ((err = idp_user_get(idp, login, &u)) != IDP_OK)
		return err;
	rc = store_app_set_owner(idp->store, client_id, u.id);
	store_user_clear(&u);
	if (rc != STORE_NOTFOUND)
		return idp_from_store(rc, IDP_ERR_UNAVAILABLE);
	/* One of them went away since: say which. */
	return (err = app_exists(idp, client_id)) == IDP_OK ? IDP_ERR_UNKNOWN_USER : err;
}

enum idp_err
idp_app_reset_secret(struct idp *idp, const char *client_id, char secret[TW_ID_LEN + 1])
{
	struct store_app app;
	uint8_t digest[HASH_LEN];
	enum idp_err err;

	secret[0] = '\0';
	if ((err = idp_app_get(idp, client_id, &app)) != IDP_OK)
		return err;
	if (app.is_public)
		err = IDP_ERR_PUBLIC_APP_SECRET;
	store_app_clear(&app);
	if (err != IDP_OK)
		return err;
	idp_new_secret(secret, TW_ID_LEN, digest);
	err = idp_from_store(store_app_set_secret(idp->store, client_id, digest),
	    IDP_ERR_UNKNOWN_APP);
	if (err != IDP_OK)
		memset(secret, 0, TW_ID_LEN + 1);
	return err;
}

enum idp_err
idp_app_redirect_add(struct idp *idp, const char *client_id, const char *uri)
{
	if (!idp_redirect_uri_ok(uri))
		return IDP_ERR_BAD_REDIRECT_URI;
	switch (store_app_redirect_add(idp->store, client_id, uri)) {
	case STORE_OK:
		return IDP_OK;
	case STORE_NOTFOUND:
		return IDP_ERR_UNKNOWN_APP;
	case STORE_CONFLICT:
		return IDP_ERR_REDIRECT_URI_EXISTS;
	case STORE_LIMIT:
		return IDP_ERR_TOO_MANY_REDIRECT_URIS;
	default:
		return IDP_ERR_UNAVAILABLE;
	}
}

enum idp_err
idp_app_redirect_remove(struct idp *idp, const char *client_id, const char *uri)
{
	struct store_app app;
	enum idp_err err;

	switch (store_app_redirect_remove(idp->store, client_id, uri)) {
	case STORE_OK:
		return IDP_OK;
	case STORE_NOTFOUND:
		/* Say which was missing: the app or the URI. */
		err = idp_app_get(idp, client_id, &app);
		store_app_clear(&app);
		return err == IDP_OK ? IDP_ERR_REDIRECT_URI_NOT_FOUND : err;
	case STORE_LIMIT:
		return IDP_ERR_LAST_REDIRECT_URI;
	default:
		return IDP_ERR_UNAVAILABLE;
	}
}

enum idp_err
idp_app_delete(struct idp *idp, const char *client_id)
{
	return idp_from_store(store_app_delete(idp->store, client_id), IDP_ERR_UNKNOWN_APP);
}
