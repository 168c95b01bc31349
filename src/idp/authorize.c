/*
 * GET /oauth2/authorize, without the HTTP: deciding whether a request is
 * good, where errors may be sent, and what the browser is sent back with.
 *
 * The rule that matters most: nothing is ever sent to a redirect URI that
 * is not registered, byte for byte, for the client.  A bad or missing one
 * sends the user to the first registered URI with error=redirect_mismatch
 * (as Twitch does); an unknown client gets an error page and no redirect.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/buf.h"
#include "../common/clock.h"
#include "../common/form.h"
#include "../common/hash.h"
#include "../common/log.h"
#include "../common/xmalloc.h"
#include "idp_impl.h"
#include "scopes.h"

/* Enough for a redirect URI and every parameter at its limit, encoded. */
#define LOCATION_CAP	(64 * 1024)

/* Builds "BASE?k=v&k=v" (or with '#'), encoding every value. */
struct location {
	struct buf	b;
	char		sep;
};

static void
loc_start(struct location *l, const char *base, int fragment)
{
	buf_init(&l->b, LOCATION_CAP);
	if (buf_add_cstr(&l->b, base) == -1)
		fatal("redirect URI over its cap");
	if (fragment)
		l->sep = '#';
	else
		l->sep = strchr(base, '?') != NULL ? '&' : '?';
}

/* Adds k=v; a NULL value adds nothing. */
static void
loc_add(struct location *l, const char *k, const char *v)
{
	if (v == NULL)
		return;
	if (buf_add(&l->b, &l->sep, 1) == -1 || buf_add_cstr(&l->b, k) == -1 ||
	    buf_add(&l->b, "=", 1) == -1 || form_encode(&l->b, v) == -1)
		fatal("redirect location over its cap");
	l->sep = '&';
}

static char *
loc_finish(struct location *l)
{
	return l->b.data;
}

static void
redirect_error(struct idp_authz *out, const char *uri, const char *error,
    const char *description, const char *state)
{
	struct location l;

	loc_start(&l, uri, 0);
	loc_add(&l, "error", error);
	loc_add(&l, "error_description", description);
	loc_add(&l, "state", state);
	out->outcome = AUTHZ_REDIRECT;
	out->location = loc_finish(&l);
}

static int
registered(const struct store_app *app, const char *uri)
{
	for (size_t i = 0; i < app->n_redirect_uris; i++)
		if (strcmp(app->redirect_uris[i], uri) == 0)
			return 1;
	return 0;
}

void
idp_authz_clear(struct idp_authz *a)
{
	free(a->location);
	free(a->scopes);
	store_app_clear(&a->app);
	memset(a, 0, sizeof(*a));
}

void
idp_authorize_check(struct idp *idp, const struct idp_authz_request *req,
    struct idp_authz *out)
{
	char bad[256], description[320];
	enum store_rc rc;

	memset(out, 0, sizeof(*out));
	out->outcome = AUTHZ_SHOW_ERROR;
	if (idp_blank(req->client_id)) {
		out->error = IDP_ERR_MISSING_CLIENT_ID;
		return;
	}
	rc = strlen(req->client_id) > TW_ID_LEN ? STORE_NOTFOUND :
	    store_app_get(idp->store, req->client_id, &out->app);
	if (rc != STORE_OK) {
		out->error = idp_from_store(rc, IDP_ERR_INVALID_CLIENT);
		return;
	}
	if (idp_blank(req->redirect_uri) || !registered(&out->app, req->redirect_uri)) {
		redirect_error(out, out->app.redirect_uris[0], "redirect_mismatch",
		    idp_err_info(IDP_ERR_REDIRECT_MISMATCH)->message, req->state);
		return;
	}
	/* From here on, errors go to the (registered) redirect URI. */
	if (req->response_type == NULL || (strcmp(req->response_type, "code") != 0 &&
	    strcmp(req->response_type, "token") != 0)) {
		redirect_error(out, req->redirect_uri, "unsupported_response_type",
		    "response_type must be code or token", req->state);
		return;
	}
	if (out->app.is_public) {
		redirect_error(out, req->redirect_uri, "unauthorized_client",
		    "public clients cannot use this flow; use the device code flow",
		    req->state);
		return;
	}
	if (scopes_canonical(req->scope, &out->scopes, bad, sizeof(bad)) == -1) {
		snprintf(description, sizeof(description), "%s: %s",
		    idp_err_info(IDP_ERR_INVALID_SCOPE)->message, bad);
		redirect_error(out, req->redirect_uri, "invalid_scope", description, req->state);
		return;
	}
	out->implicit = strcmp(req->response_type, "token") == 0;
	out->force_verify = req->force_verify != NULL &&
	    strcmp(req->force_verify, "true") == 0;
	out->outcome = AUTHZ_PROCEED;
}

enum idp_err
idp_authorize_consented(struct idp *idp, const struct store_user *user,
    const struct idp_authz *a)
{
	if (a->force_verify)
		return IDP_ERR_NOT_CONNECTED;
	return idp_from_store(store_consent_get(idp->store, user->id, a->app.client_id,
	    a->scopes), IDP_ERR_NOT_CONNECTED);
}

/* The implicit flow: a grant with one access token, sent in the fragment. */
static enum idp_err
approve_implicit(struct idp *idp, const struct store_user *user, const struct idp_authz *a,
    const struct idp_authz_request *req, char **location)
{
	struct store_grant g;
	struct store_issue issue;
	struct location l;
	char token[TW_ID_LEN + 1];
	int64_t now = clock_now();
	enum store_rc rc;

	memset(&g, 0, sizeof(g));
	g.user_id = user->id;
	memcpy(g.client_id, a->app.client_id, sizeof(g.client_id));
	g.scopes = a->scopes;
	g.created_at = now;
	memset(&issue, 0, sizeof(issue));
	idp_new_secret(token, TW_ID_LEN, issue.access.hash);
	issue.access.created_at = now;
	issue.access.expires_at = now + idp->cfg.user_token_ttl;
	if ((rc = store_grant_issue(idp->store, &g, &issue)) != STORE_OK) {
		memset(token, 0, sizeof(token));
		return idp_from_store(rc, IDP_ERR_INVALID_CLIENT);
	}
	loc_start(&l, req->redirect_uri, 1);
	loc_add(&l, "access_token", token);
	loc_add(&l, "scope", a->scopes);
	loc_add(&l, "state", req->state);
	loc_add(&l, "token_type", "bearer");
	memset(token, 0, sizeof(token));
	*location = loc_finish(&l);
	return IDP_OK;
}

static enum idp_err
approve_code(struct idp *idp, const struct store_user *user, const struct idp_authz *a,
    const struct idp_authz_request *req, char **location)
{
	struct store_code code;
	struct location l;
	char value[TW_CODE_LEN + 1];
	int64_t now = clock_now();
	enum store_rc rc;

	memset(&code, 0, sizeof(code));
	idp_new_secret(value, TW_CODE_LEN, code.hash);
	memcpy(code.client_id, a->app.client_id, sizeof(code.client_id));
	code.user_id = user->id;
	code.redirect_uri = (char *)req->redirect_uri;
	code.scopes = a->scopes;
	code.nonce = (char *)(req->nonce ? req->nonce : "");
	code.claims = (char *)(req->claims ? req->claims : "");
	code.created_at = now;
	code.expires_at = now + idp->cfg.code_ttl;
	if ((rc = store_code_insert(idp->store, &code)) != STORE_OK) {
		memset(value, 0, sizeof(value));
		return idp_from_store(rc, IDP_ERR_INVALID_CLIENT);
	}
	loc_start(&l, req->redirect_uri, 0);
	loc_add(&l, "code", value);
	loc_add(&l, "scope", a->scopes);
	loc_add(&l, "state", req->state);
	memset(value, 0, sizeof(value));
	*location = loc_finish(&l);
	return IDP_OK;
}

enum idp_err
idp_authorize_approve(struct idp *idp, const struct store_user *user,
    const struct idp_authz *a, const struct idp_authz_request *req, char **location)
{
	enum store_rc rc;

	*location = NULL;
	rc = store_consent_put(idp->store, user->id, a->app.client_id, a->scopes, clock_now());
	if (rc != STORE_OK)
		return idp_from_store(rc, IDP_ERR_INVALID_CLIENT);
	return a->implicit ? approve_implicit(idp, user, a, req, location) :
	    approve_code(idp, user, a, req, location);
}

void
idp_authorize_deny(const struct idp_authz_request *req, char **location)
{
	struct idp_authz tmp;

	memset(&tmp, 0, sizeof(tmp));
	redirect_error(&tmp, req->redirect_uri, "access_denied",
	    "The user denied you access", req->state);
	*location = tmp.location;
}
