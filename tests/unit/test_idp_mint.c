/*
 * Unit tests of idp/mint.c: stamped access tokens, whose keys keep a
 * batch's rows together, and the plain digests of older tokens.
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

/* The store key of an access token: its five-character stamp, then SHA-256. */
static void
stamped_key(const char *token, uint8_t key[HASH_LEN])
{
	uint8_t d[HASH_LEN];

	hash_sha256(token, strlen(token), d);
	memcpy(key, token, 5);
	memcpy(key + 5, d, HASH_LEN - 5);
}

static void
access_tokens_are_stamped_and_legacy_digests_still_work(void)
{
	char *uris[] = { "http://localhost:3000" };
	char path[256], err[256], secret[TW_ID_LEN + 1], first[TW_ID_LEN + 1];
	struct idp_token_request rq = { .grant_type = "client_credentials" };
	struct idp_token_response rs;
	struct idp_token_info info;
	struct store_token tok, got;
	struct store_app app;
	struct idp_config cfg;
	uint8_t key[HASH_LEN];
	struct store *st;
	struct idp *idp;

	snprintf(path, sizeof(path), "%s", t_db_spec());
	if ((st = store_open(path, err, sizeof(err))) == NULL)
		return;
	idp_config_defaults(&cfg);
	idp = idp_new(st, &cfg);
	CHECK(t_app_create(idp, "app", uris, 1, 0, &app, secret) == IDP_OK);
	rq.client_id = app.client_id;
	rq.client_secret = secret;
	CHECK(idp_token(idp, &rq, &rs) == IDP_OK);
	memcpy(first, rs.access_token, sizeof(first));
	usleep(3000);
	CHECK(idp_token(idp, &rq, &rs) == IDP_OK);
	/* Later tokens sort after earlier ones (their stamps count milliseconds). */
	CHECK(strncmp(first, rs.access_token, 5) < 0);
	CHECK(strspn(rs.access_token, "0123456789abcdefghijklmnopqrstuvwxyz") == TW_ID_LEN);
	stamped_key(rs.access_token, key);
	CHECK(store_token_get(st, key, &got) == STORE_OK);
	store_token_clear(&got);
	hash_sha256(rs.access_token, TW_ID_LEN, key);
	CHECK(store_token_get(st, key, &got) == STORE_NOTFOUND);

	/* A token stored by an older twauth under its plain SHA-256. */
	memset(&tok, 0, sizeof(tok));
	hash_sha256("legacytokenlegacytokenlegacyto", TW_ID_LEN, tok.hash);
	memcpy(tok.client_id, app.client_id, sizeof(tok.client_id));
	tok.scopes = "";
	tok.expires_at = INT64_MAX / 2;
	CHECK(store_token_insert(st, &tok, NULL) == STORE_OK);
	CHECK(idp_validate(idp, "legacytokenlegacytokenlegacyto", TW_ID_LEN, &info) == IDP_OK);
	idp_token_info_clear(&info);
	CHECK(idp_revoke(idp, app.client_id, "legacytokenlegacytokenlegacyto") == IDP_OK);
	CHECK(idp_validate(idp, "legacytokenlegacytokenlegacyto", TW_ID_LEN, &info) ==
	    IDP_ERR_INVALID_ACCESS_TOKEN);
	/* And a stamped one revokes by its key. */
	CHECK(idp_revoke(idp, app.client_id, rs.access_token) == IDP_OK);
	CHECK(idp_validate(idp, rs.access_token, TW_ID_LEN, &info) ==
	    IDP_ERR_INVALID_ACCESS_TOKEN);
	idp_token_response_clear(&rs);
	store_app_clear(&app);
	idp_free(idp);
	store_close(st);
}

void
suite_idp_mint(void)
{
	RUN(access_tokens_are_stamped_and_legacy_digests_still_work);
}
