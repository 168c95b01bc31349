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

static int
app_name_ok(const char *name)
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

/* A fresh secret and its digest. */
static void
new_secret(char secret[TW_ID_LEN + 1], uint8_t digest[HASH_LEN])
{
	rand_alnum(secret, TW_ID_LEN);
	hash_sha256(secret, TW_ID_LEN, digest);
}

enum idp_err
idp_app_create(struct idp *idp, const char *name, char *const *uris, size_t n_uris,
    unsigned flags, struct store_app *app, char secret[TW_ID_LEN + 1])
{
	enum store_rc rc;

	memset(app, 0, sizeof(*app));
	secret[0] = '\0';
	if (!app_name_ok(name))
		return IDP_ERR_BAD_APP_NAME;
	if (n_uris == 0)
		return IDP_ERR_NO_REDIRECT_URI;
	if (n_uris > TW_MAX_REDIRECT_URIS)
		return IDP_ERR_TOO_MANY_REDIRECT_URIS;
	for (size_t i = 0; i < n_uris; i++) {
		if (!idp_redirect_uri_ok(uris[i]))
			return IDP_ERR_BAD_REDIRECT_URI;
		for (size_t k = 0; k < i; k++)
			if (strcmp(uris[i], uris[k]) == 0)
				return IDP_ERR_REDIRECT_URI_EXISTS;
	}
	app->name = xstrdup(name);
	app->is_public = (flags & IDP_APP_PUBLIC) != 0;
	app->scope_string = (flags & IDP_APP_SCOPE_STRING) != 0;
	app->created_at = clock_now();
	app->redirect_uris = xcalloc(n_uris, sizeof(char *));
	for (size_t i = 0; i < n_uris; i++)
		app->redirect_uris[i] = xstrdup(uris[i]);
	app->n_redirect_uris = n_uris;
	/* A 30-character id collides with odds of 36^-30; retry regardless. */
	for (int attempt = 0; attempt < 3; attempt++) {
		rand_alnum(app->client_id, TW_ID_LEN);
		if (!app->is_public) {
			new_secret(secret, app->secret_hash);
			app->has_secret = 1;
		}
		rc = store_app_insert(idp->store, app);
		if (rc != STORE_CONFLICT)
			break;
	}
	if (rc != STORE_OK) {
		store_app_clear(app);
		memset(secret, 0, TW_ID_LEN + 1);
		return IDP_ERR_UNAVAILABLE;
	}
	return IDP_OK;
}

enum idp_err
idp_app_set_scope_string(struct idp *idp, const char *client_id, int on)
{
	if (idp_blank(client_id) || strlen(client_id) > TW_ID_LEN)
		return IDP_ERR_UNKNOWN_APP;
	return idp_from_store(store_app_set_scope_string(idp->store, client_id, on),
	    IDP_ERR_UNKNOWN_APP);
}

enum idp_err
idp_app_get(struct idp *idp, const char *client_id, struct store_app *app)
{
	memset(app, 0, sizeof(*app));
	return idp_from_store(store_app_get(idp->store, client_id, app), IDP_ERR_UNKNOWN_APP);
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
	new_secret(secret, digest);
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
