/*
 * The token endpoints without the HTTP: the table of grant types, and the
 * dispatch that every grant goes through.  POST /oauth2/token serves the
 * rows without IDP_GRANT_MOCK_API; twitch mock-api's /auth/authorize
 * (--mock-api-compat) serves only the rows with it.  Each grant is a file
 * of its own (grant_client_credentials.c, grant_code.c, grant_refresh.c,
 * device.c, grant_mock.c); adding one is a row here and that file.
 *
 * Invariants, for every grant alike: a missing client id and an unknown
 * grant type are answered before anything is looked up; the grant runs
 * between the client failure limits (client_auth.c); what it issued is
 * counted once, by its row's metric; and a grant that fails hands out
 * nothing, whatever it had minted before the store said no.
 */
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/clock.h"
#include "../common/xmalloc.h"
#include "audit.h"
#include "idp_impl.h"

/*
 * grant_type, flags, the answer to a public client (IDP_OK: served),
 * metric, the grant, and its queued halves for idp_token_start (NULL:
 * answered at once).
 */
static const struct idp_grant grants[] = {
	{ "client_credentials", 0, IDP_ERR_PUBLIC_CLIENT_CREDENTIALS,
	    GRANT_CLIENT_CREDENTIALS, idp_grant_client_credentials,
	    idp_grant_client_credentials_start, idp_grant_client_credentials_finish },
	{ "authorization_code", IDP_GRANT_PUBLIC_OAUTH2, IDP_ERR_PUBLIC_CLIENT_CODE,
	    GRANT_AUTHORIZATION_CODE, idp_grant_code, NULL, NULL },
	/* Public clients refresh without a secret (their tokens rotate instead). */
	{ "refresh_token", 0, IDP_OK,
	    GRANT_REFRESH_TOKEN, idp_grant_refresh, idp_grant_refresh_start,
	    idp_grant_refresh_finish },
	/* Twitch's confidential clients poll with client_id alone. */
	{ "urn:ietf:params:oauth:grant-type:device_code", IDP_GRANT_SECRET_IF_SENT, IDP_OK,
	    GRANT_DEVICE_CODE, idp_grant_device, NULL, NULL },
	{ "user_token", IDP_GRANT_MOCK_API, IDP_ERR_MOCK_NEEDS_SECRET,
	    GRANT_MOCK_USER_TOKEN, idp_grant_mock, NULL, NULL },
};
#define N_GRANTS (sizeof(grants) / sizeof(grants[0]))

/* The row of grant_type among those of one endpoint (mock: IDP_GRANT_MOCK_API), or NULL. */
static const struct idp_grant *
grant_find(const char *grant_type, unsigned mock)
{
	if (idp_blank(grant_type))
		return NULL;
	for (size_t i = 0; i < N_GRANTS; i++)
		if ((grants[i].flags & IDP_GRANT_MOCK_API) == mock &&
		    strcmp(grants[i].grant_type, grant_type) == 0)
			return &grants[i];
	return NULL;
}

void
idp_token_response_clear(struct idp_token_response *resp)
{
	free(resp->scopes);
	free(resp->id_token);
	OPENSSL_cleanse(resp, sizeof(*resp));
}

/*
 * What grant g answered: counted once if it issued, and if it failed,
 * whatever it minted wiped from resp.
 */
static enum idp_err
grant_done(const struct idp_grant *g, enum idp_err err, struct idp_token_response *resp)
{
	if (err == IDP_OK) {
		metrics_token(g->metric);
		resp->grant_type = g->grant_type;
		return IDP_OK;
	}
	/* Tokens minted for a failed store call never leave; the detail does. */
	OPENSSL_cleanse(resp->access_token, sizeof(resp->access_token));
	OPENSSL_cleanse(resp->refresh_token, sizeof(resp->refresh_token));
	free(resp->scopes);
	resp->scopes = NULL;
	free(resp->id_token);
	resp->id_token = NULL;
	resp->user_token = 0;
	return err;
}

/*
 * The end of every token request: the failure limits, then, for an error,
 * the app's profile, which decides the error's shape.  Looked up here, off
 * the hot path (a grant that found the app set it already), and not for
 * errors that mean there is no app to ask or no database to ask it of.
 */
/*
 * Rule 7: a new authorization (a code or a device approval redeemed) of
 * an account whose older grant still holds a usable refresh token.
 */
static void
note_reauthorized(struct idp *idp, const char *client_id,
    const struct idp_token_response *resp)
{
	struct audit_fact f = { .kind = AUDIT_REAUTHORIZED, .client_id = client_id,
	    .user_id = resp->user_id, .detail = resp->grant_type };
	int64_t live = 0;

	if (resp->user_id == 0 || resp->grant_type == NULL ||
	    (strcmp(resp->grant_type, "authorization_code") != 0 &&
	    strcmp(resp->grant_type, "urn:ietf:params:oauth:grant-type:device_code") != 0))
		return;
	if (store_grants_live(idp->store, resp->user_id, client_id, clock_now(), &live) ==
	    STORE_OK && live > 1)
		idp_note(idp, &f);
}

/* Whether req carries a client secret and came from a browser (rule 6). */
static int
browser_secret(const struct idp_token_request *req)
{
	return req->from_browser && (!idp_blank(req->client_secret) ||
	    (req->auth == IDP_AUTH_BASIC && !idp_blank(req->basic_secret)));
}

/*
 * What the record keeps of a token answer: a token issued, a replaced
 * refresh token, a secret a browser sent (once the app is known to exist:
 * a made-up client id is not worth a row).
 */
static void
note_answer(struct idp *idp, const char *client_id, enum idp_err err,
    const struct idp_token_response *resp)
{
	struct audit_fact f = { .client_id = client_id, .user_id = resp->user_id };
	char id[TW_AUDIT_TOKEN_ID_LEN + 1];

	if (idp->audit == NULL)
		return;
	if (resp->browser_secret && err != IDP_ERR_MISSING_CLIENT_ID &&
	    err != IDP_ERR_INVALID_CLIENT && err != IDP_ERR_UNAVAILABLE &&
	    err != IDP_ERR_CLIENT_THROTTLED) {
		struct audit_fact b = { .kind = AUDIT_SECRET_FROM_BROWSER, .client_id = client_id,
		    .detail = "/oauth2/token" };

		idp_note(idp, &b);
	}
	if (err == IDP_OK) {
		/*
		 * A user token's life is a bar of the timeline; app tokens are
		 * counted per minute (an app that mints them by the thousand
		 * would otherwise write a row for each).
		 */
		if (resp->user_token)
			idp_token_id(resp->access_token, strlen(resp->access_token), id);
		f.kind = AUDIT_ISSUED;
		f.token_id = resp->user_token ? id : NULL;
		f.detail = resp->grant_type;
		note_reauthorized(idp, client_id, resp);
	} else if (resp->replayed) {
		f.kind = AUDIT_REFRESH_REPLAYED;
		f.token_id = resp->presented_id;
	} else
		return;
	idp_note(idp, &f);
}

static enum idp_err
token_answered(struct idp *idp, const char *client_id, const char *addr, enum idp_err err,
    struct idp_token_response *resp)
{
	enum idp_err known;

	note_answer(idp, client_id, err, resp);
	err = idp_client_limit_after(idp, client_id, addr, err, resp);
	if (err == IDP_OK || resp->oauth2 || idp_blank(client_id) ||
	    err == IDP_ERR_MISSING_CLIENT_ID || err == IDP_ERR_INVALID_CLIENT ||
	    err == IDP_ERR_UNAVAILABLE || err == IDP_ERR_CLIENT_THROTTLED)
		return err;
	known = idp_client_known(idp, client_id, &resp->oauth2);
	(void)known;	/* not found now: answered as Twitch would */
	return err;
}

/* The grant req names, once past the failure limits. */
static enum idp_err
run_grant(struct idp *idp, const struct idp_token_request *req,
    struct idp_token_response *resp, unsigned mock)
{
	const struct idp_grant *g;

	if (idp_blank(req->client_id))
		return IDP_ERR_MISSING_CLIENT_ID;
	if ((g = grant_find(req->grant_type, mock)) == NULL)
		return IDP_ERR_INVALID_GRANT_TYPE;
	return grant_done(g, g->run(idp, g, req, resp), resp);
}

static enum idp_err
token_endpoint(struct idp *idp, const struct idp_token_request *req,
    struct idp_token_response *resp, unsigned mock)
{
	struct idp_token_request folded = *req;
	enum idp_err err;

	memset(resp, 0, sizeof(*resp));
	resp->browser_secret = browser_secret(req);
	if ((err = idp_client_limit_before(idp, req->client_addr, resp)) != IDP_OK)
		return err;
	resp->basic = req->auth != IDP_AUTH_PARAMS;
	if ((err = idp_client_basic(idp, &folded, &resp->oauth2)) == IDP_OK)
		err = run_grant(idp, &folded, resp, mock);
	return token_answered(idp, folded.client_id, folded.client_addr, err, resp);
}

enum idp_err
idp_token(struct idp *idp, const struct idp_token_request *req,
    struct idp_token_response *resp)
{
	return token_endpoint(idp, req, resp, 0);
}

enum idp_err
idp_mock_user_token(struct idp *idp, const struct idp_token_request *req,
    struct idp_token_response *resp)
{
	return token_endpoint(idp, req, resp, IDP_GRANT_MOCK_API);
}

enum idp_err
idp_token_start(struct idp *idp, const struct idp_token_request *req,
    struct idp_token_response *resp, struct idp_pending **pending,
    void (*resume)(void *), void *arg)
{
	const struct idp_grant *g = grant_find(req->grant_type, 0);
	struct idp_pending *p;
	enum idp_err err;

	*pending = NULL;
	/* HTTP Basic is not the hot path: its checks and grant run at once. */
	if (g == NULL || g->start == NULL || req->auth != IDP_AUTH_PARAMS ||
	    idp_blank(req->client_id) || strlen(req->client_id) > TW_ID_LEN)
		return idp_token(idp, req, resp);
	memset(resp, 0, sizeof(*resp));
	resp->browser_secret = browser_secret(req);
	if ((err = idp_client_limit_before(idp, req->client_addr, resp)) != IDP_OK)
		return err;
	p = xcalloc(1, sizeof(*p));
	p->grant = g;
	memcpy(p->client_id, req->client_id, strlen(req->client_id) + 1);
	if (req->client_addr != NULL)
		snprintf(p->client_addr, sizeof(p->client_addr), "%s", req->client_addr);
	p->wait.resume = resume;
	p->wait.arg = arg;
	/* The store may answer, and resume run, before start returns. */
	*pending = p;
	if ((err = g->start(idp, g, req, resp, p)) == IDP_OK)
		return IDP_OK;
	*pending = NULL;
	OPENSSL_cleanse(p, sizeof(*p));
	free(p);
	err = grant_done(g, err, resp);
	return token_answered(idp, req->client_id, req->client_addr, err, resp);
}

enum idp_err
idp_token_finish(struct idp *idp, struct idp_pending *p, struct idp_token_response *resp)
{
	enum idp_err err = grant_done(p->grant, p->grant->finish(idp, p, resp), resp);

	err = token_answered(idp, p->client_id, p->client_addr, err, resp);
	OPENSSL_cleanse(p, sizeof(*p));
	free(p);
	return err;
}
