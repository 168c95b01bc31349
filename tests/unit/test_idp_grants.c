/*
 * Unit tests of idp/grants.c and the client credentials grant
 * (grant_client_credentials.c, client_auth.c): the dispatch's and the
 * grant's rules, validation and revocation, and the same grant queued on
 * the group commit.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "../../src/common/clock.h"
#include "../../src/common/hash.h"
#include "../../src/idp/idp.h"
#include "../../src/store/store.h"
#include "t.h"

static void
idp_client_credentials_rules(void)
{
	struct t_env e;
	struct store_app app, pub;
	char secret[TW_ID_LEN + 1], new_secret[TW_ID_LEN + 1], pubsecret[TW_ID_LEN + 1];
	char *uris[] = { "http://localhost:3000" };
	struct idp_token_request rq = { 0 };
	struct idp_token_response rs;
	struct idp_token_info info;

	if (t_env_open(&e) == -1)
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
	t_env_close(&e);
}

struct waiter {
	pthread_mutex_t	 lock;
	pthread_cond_t	 cond;
	int		 woken;
};

static void
wake(void *arg)
{
	struct waiter *w = arg;

	pthread_mutex_lock(&w->lock);
	w->woken++;
	pthread_cond_signal(&w->cond);
	pthread_mutex_unlock(&w->lock);
}

/* Runs idp_token_start (and idp_token_finish when it is queued). */
static enum idp_err
token_async(struct idp *idp, const struct idp_token_request *rq,
    struct idp_token_response *rs, int *was_queued)
{
	struct waiter w = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0 };
	struct idp_pending *pending;
	enum idp_err err = idp_token_start(idp, rq, rs, &pending, wake, &w);

	*was_queued = pending != NULL;
	if (pending == NULL)
		return err;
	pthread_mutex_lock(&w.lock);
	while (w.woken == 0)
		pthread_cond_wait(&w.cond, &w.lock);
	pthread_mutex_unlock(&w.lock);
	err = idp_token_finish(idp, pending, rs);
	CHECK(w.woken == 1);
	return err;
}

static void
idp_queued_client_credentials_answer_like_idp_token(void)
{
	char *uris[] = { "http://localhost:3000" };
	char path[256], err[256], secret[TW_ID_LEN + 1], pubsecret[TW_ID_LEN + 1];
	struct idp_token_request rq = { .grant_type = "client_credentials" };
	struct idp_token_response rs;
	struct idp_token_info info;
	struct store_app app, pub;
	struct idp_config cfg;
	struct store *st;
	struct idp *idp;
	int queued;

	snprintf(path, sizeof(path), "%s", t_db_spec());
	if ((st = store_open(path, err, sizeof(err))) == NULL)
		return;
	idp_config_defaults(&cfg);
	idp = idp_new(st, &cfg);
	CHECK(t_app_create(idp, "app", uris, 1, 0, &app, secret) == IDP_OK);
	CHECK(t_app_create(idp, "pub", uris, 1, IDP_APP_PUBLIC, &pub, pubsecret) == IDP_OK);

	rq.client_id = app.client_id;
	rq.client_secret = secret;
	CHECK(token_async(idp, &rq, &rs, &queued) == IDP_OK && queued);
	CHECK(strlen(rs.access_token) == TW_ID_LEN && rs.expires_in == cfg.app_token_ttl);
	CHECK(idp_validate(idp, rs.access_token, TW_ID_LEN, &info) == IDP_OK);
	idp_token_info_clear(&info);
	idp_token_response_clear(&rs);

	rq.client_secret = "wrong";
	CHECK(token_async(idp, &rq, &rs, &queued) == IDP_ERR_INVALID_CLIENT_SECRET && queued);
	CHECK(rs.access_token[0] == '\0');	/* a token that was not stored never leaves */
	rq.client_id = "unknownunknownunknownunknown00";
	CHECK(token_async(idp, &rq, &rs, &queued) == IDP_ERR_INVALID_CLIENT && queued);
	rq.client_id = pub.client_id;
	CHECK(token_async(idp, &rq, &rs, &queued) == IDP_ERR_PUBLIC_CLIENT_CREDENTIALS && queued);
	/* What needs no store is answered at once. */
	rq.client_secret = NULL;
	CHECK(token_async(idp, &rq, &rs, &queued) == IDP_ERR_PUBLIC_CLIENT_CREDENTIALS && !queued);
	rq.client_id = "x123456789012345678901234567890toolong";
	rq.client_secret = "s";
	CHECK(token_async(idp, &rq, &rs, &queued) == IDP_ERR_INVALID_CLIENT && !queued);
	rq.grant_type = "password";
	CHECK(token_async(idp, &rq, &rs, &queued) == IDP_ERR_INVALID_GRANT_TYPE && !queued);
	store_app_clear(&app);
	store_app_clear(&pub);
	idp_free(idp);
	store_close(st);
}

void
suite_idp_grants(void)
{
	RUN(idp_client_credentials_rules);
	RUN(idp_queued_client_credentials_answer_like_idp_token);
}
