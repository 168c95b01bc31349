/*
 * The device code flow (RFC 8628, as Twitch runs it): a device asks for a
 * device code and a user code, the user types the user code at /activate
 * and decides, and the device polls the token endpoint until then.
 *
 * Both codes are stored as digests.  The device code is 40 random
 * characters; the user code is 8 letters a person can read aloud, which is
 * guessable in principle, so wrong guesses are limited per address and for
 * everyone together before any lookup (limits.h, docs/LIMITS.md).
 */
#include <ctype.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/clock.h"
#include "../common/hash.h"
#include "../common/log.h"
#include "../common/rand.h"
#include "../common/xmalloc.h"
#include "audit.h"
#include "idp_impl.h"
#include "../common/scopes.h"

/*
 * RFC 8628 6.1's advice: consonants only (no words), no look-alikes (no
 * digits, no I or O), one case.  20^8 is about 2.6e10 codes.
 */
static const char user_alphabet[] = "BCDFGHJKLMNPQRSTVWXZ";

/*
 * The budget of wrong user codes for everyone together, in the database so
 * that every server spends from it (docs/LIMITS.md has the arithmetic).
 */
#define ACTIVATE_BUCKET "activate-wrong-codes"

/*
 * A poll sooner than the interval after the last one answers slow_down and
 * grows the interval (RFC 8628 3.5: "by 5 seconds"), up to a minute.
 */
static const struct store_poll_rules poll_rules = {
	.slow_down = TW_DEVICE_SLOW_DOWN,
	.max_interval = TW_DEVICE_MAX_INTERVAL,
};

int
idp_user_code_char(int c)
{
	return c != '\0' && strchr(user_alphabet, toupper((unsigned char)c)) != NULL;
}

void
idp_device_auth_clear(struct idp_device_auth *out)
{
	OPENSSL_cleanse(out, sizeof(*out));
}

void
idp_device_view_clear(struct idp_device_view *v)
{
	free(v->app_name);
	free(v->scopes);
	memset(v, 0, sizeof(*v));
}

enum idp_err
idp_device_start(struct idp *idp, const struct idp_client_creds *who, const char *scopes,
    struct idp_device_auth *out)
{
	struct store_device d;
	enum idp_err err;
	enum store_rc rc = STORE_ERROR;
	int64_t now = clock_now();

	memset(out, 0, sizeof(*out));
	memset(&d, 0, sizeof(d));
	if ((err = idp_client_identify(idp, who, d.client_id, &out->shape)) != IDP_OK)
		return err;
	if (idp_scopes_requested(out->shape.oauth2, scopes, &d.scopes, out->error_detail,
	    sizeof(out->error_detail)) == -1)
		return IDP_ERR_INVALID_SCOPE;
	d.created_at = now;
	d.expires_at = now + idp->cfg.device_code_ttl;
	d.interval = TW_DEVICE_INTERVAL;
	/* A user code is short: another live one may have it.  Draw again. */
	for (int attempt = 0; attempt < 5; attempt++) {
		idp_new_secret(out->device_code, TW_DEVICE_CODE_LEN, d.device_hash);
		rand_from_alphabet(out->user_code, TW_USER_CODE_LEN, user_alphabet);
		hash_sha256(out->user_code, TW_USER_CODE_LEN, d.user_hash);
		if ((rc = store_device_insert(idp->store, &d)) != STORE_CONFLICT)
			break;
	}
	store_device_clear(&d);
	if (rc != STORE_OK) {
		struct idp_answer_shape shape = out->shape;

		idp_device_auth_clear(out);
		out->shape = shape;
		return idp_from_store(rc, IDP_ERR_INVALID_CLIENT);
	}
	out->expires_in = idp->cfg.device_code_ttl;
	out->interval = TW_DEVICE_INTERVAL;
	return IDP_OK;
}

/*
 * Reads what a person typed into the 8 letters of a user code: case,
 * spaces and dashes do not matter.  -1 if it cannot be a user code.
 */
static int
normalize(const char *typed, char out[TW_USER_CODE_LEN + 1])
{
	size_t n = 0;

	for (const char *p = typed ? typed : ""; *p != '\0'; p++) {
		if (*p == ' ' || *p == '-')
			continue;
		if (n == TW_USER_CODE_LEN || !idp_user_code_char(*p))
			return -1;
		out[n++] = (char)toupper((unsigned char)*p);
	}
	out[n] = '\0';
	return n == TW_USER_CODE_LEN ? 0 : -1;
}

static void
addr_key(const char *client_addr, char *key, size_t len)
{
	snprintf(key, len, "activate:%s", client_addr ? client_addr : "-");
}

/*
 * The gate every typed code passes: refuses while this address or everyone
 * has failed too often, then normalizes and hashes the code.  IDP_OK, or the
 * error to answer (a malformed code counts as a wrong one).
 */
static enum idp_err
gate(struct idp *idp, const char *typed, const char *client_addr, int64_t now,
    char code[TW_USER_CODE_LEN + 1], uint8_t hash[HASH_LEN], int64_t *retry_after)
{
	char key[80];
	int64_t wait, all_wait;

	*retry_after = 0;
	addr_key(client_addr, key, sizeof(key));
	wait = throttle_wait(idp->activate_throttle, key, clock_now_ms());
	if (store_bucket_wait(idp->store, ACTIVATE_BUCKET, TW_ACTIVATE_ALL_BURST,
	    TW_ACTIVATE_ALL_PER_HOUR, now, &all_wait) != STORE_OK)
		return IDP_ERR_UNAVAILABLE;
	if (all_wait > wait)
		wait = all_wait;
	if (wait > 0) {
		*retry_after = wait;
		return IDP_ERR_ACTIVATE_THROTTLED;
	}
	if (normalize(typed, code) == -1)
		return IDP_ERR_WRONG_USER_CODE;
	hash_sha256(code, TW_USER_CODE_LEN, hash);
	return IDP_OK;
}

/* Counts a wrong code against its address and against everyone. */
static void
count_miss(struct idp *idp, const char *client_addr, int64_t now)
{
	char key[80];

	addr_key(client_addr, key, sizeof(key));
	throttle_fail(idp->activate_throttle, key, clock_now_ms());
	/*
	 * Empty (LIMIT) is not an error here: the next attempt is told to
	 * wait.  A failed database has said so in the log, and the attempt is
	 * still counted against its address.
	 */
	if (store_bucket_take(idp->store, ACTIVATE_BUCKET, TW_ACTIVATE_ALL_BURST,
	    TW_ACTIVATE_ALL_PER_HOUR, now) == STORE_ERROR)
		log_warn("wrong device activation code not counted against everyone's budget");
	log_info("wrong device activation code from %s", client_addr ? client_addr : "-");
}

/* What finding or deciding a user code found, as the page's error. */
static enum idp_err
device_rc(enum store_rc rc)
{
	return rc == STORE_MISMATCH ? IDP_ERR_USER_CODE_DECIDED :
	    idp_from_store(rc, IDP_ERR_WRONG_USER_CODE);
}

enum idp_err
idp_device_find(struct idp *idp, const char *typed, const char *client_addr,
    struct idp_device_view *out, int64_t *retry_after)
{
	struct store_device d;
	uint8_t hash[HASH_LEN];
	int64_t now = clock_now();
	enum idp_err err;

	memset(out, 0, sizeof(*out));
	err = gate(idp, typed, client_addr, now, out->user_code, hash, retry_after);
	if (err == IDP_OK)
		err = device_rc(store_device_find(idp->store, hash, now, &d));
	/* A code decided already is a right one: not counted against anyone. */
	if (err == IDP_ERR_WRONG_USER_CODE)
		count_miss(idp, client_addr, now);
	if (err != IDP_OK) {
		memset(out, 0, sizeof(*out));
		return err;
	}
	memcpy(out->client_id, d.client_id, sizeof(out->client_id));
	out->app_name = d.app_name;
	out->scopes = d.scopes;
	out->expires_in = d.expires_at - now;
	d.app_name = NULL;
	d.scopes = NULL;
	store_device_clear(&d);
	return IDP_OK;
}

enum idp_err
idp_device_decide(struct idp *idp, const struct store_user *user, const char *typed,
    int approve, const char *client_addr, int64_t *retry_after)
{
	char code[TW_USER_CODE_LEN + 1];
	uint8_t hash[HASH_LEN];
	int64_t now = clock_now();
	enum idp_err err;

	err = gate(idp, typed, client_addr, now, code, hash, retry_after);
	if (err == IDP_OK)
		err = device_rc(store_device_decide(idp->store, hash, user->id, approve, now));
	if (err == IDP_ERR_WRONG_USER_CODE)
		count_miss(idp, client_addr, now);
	else if (err == IDP_OK)
		log_info("device authorization %s by user %lld", approve ? "approved" : "denied",
		    (long long)user->id);
	return err;
}

/*
 * The token endpoint's device grant.  No secret is needed (public clients
 * have none; Twitch's confidential clients poll with client_id alone: its
 * row in grants.c says IDP_GRANT_SECRET_IF_SENT), but a secret that a
 * confidential client sends must be right.  The scopes parameter Twitch's
 * docs send is checked against the catalog and otherwise ignored: the
 * user approved the scopes of /oauth2/device.
 */
static enum idp_err
device_poll(struct idp *idp, const struct idp_grant *g,
    const struct idp_token_request *req, struct idp_token_response *resp)
{
	struct store_issue issue;
	struct store_poll_result poll;
	uint8_t digest[HASH_LEN];
	char *checked = NULL;
	int is_public;
	enum idp_err err;
	enum store_rc rc;

	if (idp_blank(req->device_code))
		return IDP_ERR_MISSING_DEVICE_CODE;
	if ((err = idp_grant_client(idp, g, req, resp, &is_public)) != IDP_OK)
		return err;
	if (idp_scopes_requested(resp->oauth2, req->scope, &checked, resp->error_detail,
	    sizeof(resp->error_detail)) == -1)
		return IDP_ERR_INVALID_SCOPE;
	free(checked);
	if (strlen(req->device_code) > TW_MAX_TOKEN_LEN)
		return IDP_ERR_INVALID_DEVICE_CODE;
	hash_sha256(req->device_code, strlen(req->device_code), digest);
	idp_mint_user_tokens(idp, &issue, 1, resp);
	if (is_public)
		issue.refresh_expires_at = issue.access.created_at + TW_PUBLIC_REFRESH_IDLE;
	rc = store_device_poll(idp->store, digest, req->client_id, &issue, &poll_rules, &poll);
	if (rc == STORE_EXPIRED)
		return IDP_ERR_DEVICE_CODE_EXPIRED;
	if (rc != STORE_OK)
		return idp_from_store(rc, IDP_ERR_INVALID_DEVICE_CODE);
	switch (poll.outcome) {
	case POLL_ISSUED:
		resp->scopes = poll.scopes;
		resp->user_id = poll.user_id;
		poll.scopes = NULL;
		err = IDP_OK;
		break;
	case POLL_SLOW_DOWN:
		resp->interval = poll.interval;
		err = IDP_ERR_SLOW_DOWN;
		break;
	case POLL_DENIED:
		err = IDP_ERR_DEVICE_DENIED;
		break;
	default:
		err = IDP_ERR_AUTHORIZATION_PENDING;
		break;
	}
	store_poll_result_clear(&poll);
	return err;
}

enum idp_err
idp_grant_device(struct idp *idp, const struct idp_grant *g,
    const struct idp_token_request *req, struct idp_token_response *resp)
{
	enum idp_err err = device_poll(idp, g, req, resp);
	/* Rule 4 of the rules lab reads how often each answer came (a known app's). */
	struct audit_fact f = { .kind = AUDIT_DEVICE_POLL, .client_id = req->client_id,
	    .user_id = resp->user_id, .detail = err == IDP_OK ? "issued" :
	    idp_err_info(err)->message };

	if (err == IDP_OK || err == IDP_ERR_AUTHORIZATION_PENDING || err == IDP_ERR_SLOW_DOWN ||
	    err == IDP_ERR_DEVICE_DENIED || err == IDP_ERR_INVALID_DEVICE_CODE ||
	    err == IDP_ERR_DEVICE_CODE_EXPIRED)
		idp_note(idp, &f);
	return err;
}
