/*
 * GET /oauth2/authorize, without the HTTP: deciding whether a request is
 * good, where errors may be sent, and what the browser is sent back with.
 *
 * The rule that matters most: nothing is ever sent to a redirect URI that
 * is not registered, byte for byte, for the client.  A bad or missing one
 * sends the user to the first registered URI with error=redirect_mismatch
 * (as Twitch does); an unknown client gets an error page and no redirect.
 */
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/buf.h"
#include "../common/clock.h"
#include "../common/form.h"
#include "../common/hash.h"
#include "../common/log.h"
#include "../common/metrics.h"
#include "../common/scopes.h"
#include "../common/url.h"
#include "../common/xmalloc.h"
#include "idp_impl.h"

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

/*
 * uri in its url_root_path form if the app registered it in either
 * spelling of an empty path (malloc'd), else NULL: nothing else about a
 * URI is loosened, but for one rule of the oauth2 profile's public apps
 * (native apps): an http loopback URI may come back on any port (RFC 8252
 * 7.3).
 */
static char *
registered_form(const struct store_app *app, const char *uri)
{
	int any_port = app->is_public && app->profile == APP_PROFILE_OAUTH2;
	char *want = url_root_path(uri);

	for (size_t i = 0; want != NULL && i < app->n_redirect_uris; i++) {
		char *have = url_root_path(app->redirect_uris[i]);
		int same = have != NULL && (strcmp(have, want) == 0 ||
		    (any_port && url_same_but_port(have, want)));

		free(have);
		if (same)
			return want;
	}
	free(want);
	return NULL;
}

/*
 * Whether a public app may ask for what out wants: the code flow alone,
 * for an oauth2-profile app (its code must be bound by PKCE S256, checked
 * with the other parameters).  Twitch's public clients use the device flow.
 */
static int
public_may(const struct idp_authz *out)
{
	return out->app.profile == APP_PROFILE_OAUTH2 && out->want_code && !out->want_token &&
	    !out->want_id_token;
}

void
idp_authz_clear(struct idp_authz *a)
{
	free(a->location);
	free(a->redirect_uri);
	free(a->scopes);
	free(a->consent);
	store_app_clear(&a->app);
	memset(a, 0, sizeof(*a));
}

/*
 * Reads response_type as a set of words: code, token, id_token, or
 * id_token with token or with code (OIDC Core 3.2, 3.3), in any order.
 */
static int
read_response_type(const char *rt, struct idp_authz *out)
{
	const char *p = rt;
	int n = 0;

	if (rt == NULL)
		return -1;
	while (*(p += strspn(p, " ")) != '\0') {
		size_t len = strcspn(p, " ");
		int *flag = NULL;

		if (len == 4 && strncmp(p, "code", 4) == 0)
			flag = &out->want_code;
		else if (len == 5 && strncmp(p, "token", 5) == 0)
			flag = &out->want_token;
		else if (len == 8 && strncmp(p, "id_token", 8) == 0)
			flag = &out->want_id_token;
		if (flag == NULL || *flag)
			return -1;
		*flag = 1;
		n++;
		p += len;
	}
	if (n == 1 || (n == 2 && out->want_id_token && !(out->want_code && out->want_token)))
		return 0;
	return -1;
}

void
idp_authorize_check(struct idp *idp, const struct idp_authz_request *req,
    struct idp_authz *out)
{
	char bad[256], description[320];
	const char *problem = NULL;
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
	if (idp_blank(req->redirect_uri) ||
	    (out->redirect_uri = registered_form(&out->app, req->redirect_uri)) == NULL) {
		char *first = url_root_path(out->app.redirect_uris[0]);

		redirect_error(out, first != NULL ? first : out->app.redirect_uris[0],
		    "redirect_mismatch", idp_err_info(IDP_ERR_REDIRECT_MISMATCH)->message,
		    req->state);
		free(first);
		return;
	}
	/* From here on, errors go to the (registered) redirect URI. */
	if (read_response_type(req->response_type, out) == -1) {
		redirect_error(out, out->redirect_uri, "unsupported_response_type",
		    "response_type must be code, token, id_token, token id_token or "
		    "code id_token", req->state);
		return;
	}
	if (out->app.is_public && !public_may(out)) {
		redirect_error(out, out->redirect_uri, "unauthorized_client",
		    out->app.profile == APP_PROFILE_OAUTH2 ?
		    "public clients may use the code flow (response_type=code, with PKCE S256) "
		    "or the device code flow" :
		    "public clients cannot use this flow; use the device code flow",
		    req->state);
		return;
	}
	if (idp_scopes_requested(out->app.profile == APP_PROFILE_OAUTH2, req->scope, &out->scopes,
	    bad, sizeof(bad)) == -1) {
		snprintf(description, sizeof(description), "%s: %s",
		    idp_err_info(IDP_ERR_INVALID_SCOPE)->message, bad);
		redirect_error(out, out->redirect_uri, "invalid_scope", description, req->state);
		return;
	}
	if (idp_claims_ok(req->claims) == -1)
		problem = "claims must be a JSON object, e.g. {\"id_token\":{\"email\":null}}";
	else if (out->want_id_token && !idp_has_openid(out->scopes))
		problem = "an id_token needs the openid scope";
	else if (out->want_id_token && idp_blank(req->nonce))
		problem = "nonce is required when the id_token comes from the authorization "
		    "endpoint";
	else if (out->want_code &&
	    (problem = idp_pkce_bind(req->code_challenge, req->code_challenge_method,
	    out->app.profile == APP_PROFILE_OAUTH2, out->pkce)) == NULL &&
	    out->app.is_public && out->pkce[0] == '\0')
		problem = "a public client's code flow needs PKCE: send a code_challenge with "
		    "code_challenge_method=S256";
	if (problem != NULL) {
		redirect_error(out, out->redirect_uri, "invalid_request", problem, req->state);
		return;
	}
	out->claims = idp_claims_shared(req->claims, out->scopes);
	out->consent = idp_consent_of(out->scopes, out->claims);
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
	    a->consent), IDP_ERR_NOT_CONNECTED);
}

/* The implicit flows' access token: a grant of its own holding it. */
static enum idp_err
mint_token(struct idp *idp, const struct store_user *user, const struct idp_authz *a,
    const struct idp_authz_request *req, char token[TW_ID_LEN + 1])
{
	struct store_grant g;
	struct store_issue issue;
	int64_t now = clock_now();
	enum idp_err err;

	memset(&g, 0, sizeof(g));
	g.user_id = user->id;
	memcpy(g.client_id, a->app.client_id, sizeof(g.client_id));
	g.scopes = a->scopes;
	g.claims = (char *)(req->claims ? req->claims : "");
	g.created_at = now;
	memset(&issue, 0, sizeof(issue));
	idp_new_access_token(token, issue.access.hash);
	issue.access.created_at = now;
	issue.access.expires_at = now + idp->cfg.user_token_ttl;
	err = idp_from_store(store_grant_issue(idp->store, &g, &issue), IDP_ERR_INVALID_CLIENT);
	if (err == IDP_OK)
		metrics_token(GRANT_IMPLICIT);
	return err;
}

static enum idp_err
mint_code(struct idp *idp, const struct store_user *user, const struct idp_authz *a,
    const struct idp_authz_request *req, char value[TW_CODE_LEN + 1])
{
	struct store_code code;
	int64_t now = clock_now();

	memset(&code, 0, sizeof(code));
	idp_new_secret(value, TW_CODE_LEN, code.hash);
	memcpy(code.client_id, a->app.client_id, sizeof(code.client_id));
	code.user_id = user->id;
	code.redirect_uri = a->redirect_uri;
	code.scopes = a->scopes;
	code.nonce = (char *)(req->nonce ? req->nonce : "");
	code.claims = (char *)(req->claims ? req->claims : "");
	code.pkce = (char *)a->pkce;
	code.created_at = now;
	code.expires_at = now + idp->cfg.code_ttl;
	return idp_from_store(store_code_insert(idp->store, &code), IDP_ERR_INVALID_CLIENT);
}

/*
 * The user said yes: mints what response_type asked for and builds the
 * redirect.  The code alone goes in the query (Twitch's code flow); anything
 * with a token or id_token goes in the fragment, which browsers never send
 * to servers.
 */
enum idp_err
idp_authorize_approve(struct idp *idp, const struct store_user *user,
    const struct idp_authz *a, const struct idp_authz_request *req, char **location)
{
	char code[TW_CODE_LEN + 1] = "", token[TW_ID_LEN + 1] = "";
	char *id_token = NULL;
	struct location l;
	enum idp_err err;

	*location = NULL;
	err = idp_from_store(store_consent_put(idp->store, user->id, a->app.client_id,
	    a->consent, clock_now()), IDP_ERR_INVALID_CLIENT);
	if (err == IDP_OK && a->want_code)
		err = mint_code(idp, user, a, req, code);
	if (err == IDP_OK && a->want_token)
		err = mint_token(idp, user, a, req, token);
	if (err == IDP_OK && a->want_id_token) {
		struct id_token_in in = {
			.issuer = req->issuer, .client_id = a->app.client_id, .user = user,
			.nonce = req->nonce, .claims = req->claims, .scopes = a->scopes,
			.access_token = a->want_token ? token : NULL,
			.code = a->want_code ? code : NULL,
		};

		err = idp_id_token(idp, &in, &id_token);
	}
	if (err == IDP_OK) {
		loc_start(&l, a->redirect_uri, a->want_token || a->want_id_token);
		loc_add(&l, "code", a->want_code ? code : NULL);
		loc_add(&l, "access_token", a->want_token ? token : NULL);
		loc_add(&l, "id_token", id_token);
		loc_add(&l, "scope", a->scopes);
		loc_add(&l, "state", req->state);
		loc_add(&l, "token_type", a->want_token ? "bearer" : NULL);
		*location = loc_finish(&l);
	}
	OPENSSL_cleanse(code, sizeof(code));
	OPENSSL_cleanse(token, sizeof(token));
	free(id_token);
	return err;
}

void
idp_authorize_deny(const struct idp_authz *a, const struct idp_authz_request *req,
    char **location)
{
	struct idp_authz tmp;

	memset(&tmp, 0, sizeof(tmp));
	redirect_error(&tmp, a->redirect_uri, "access_denied",
	    "The user denied you access", req->state);
	*location = tmp.location;
}
