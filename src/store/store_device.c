/*
 * Device authorizations (RFC 8628).
 *
 * Single use, by one atomic statement each: the user's decision is one
 * conditional UPDATE (device_decide) and a redemption takes the approval
 * with another (device_claim), so however many polls of one device code
 * run at once, on however many servers, exactly one of them turns the
 * approval into tokens.  A poll (reading the authorization, recording the
 * poll, redeeming) is one transaction; how much a too-early poll slows the
 * device down is decided in src/idp/ (rules).
 */
#include <stdlib.h>
#include <string.h>

#include "../common/xmalloc.h"
#include "store_impl.h"

/* An expired authorization gives its user code back. */
static const struct stmt device_replace_expired = {
	"DELETE FROM device_codes WHERE user_hash = ?1 AND expires_at <= ?2", NULL
};
static const struct stmt device_insert = {
	"INSERT INTO device_codes (device_hash, user_hash, client_id, scopes, created_at, "
	"expires_at, \"interval\") SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7 "
	"WHERE EXISTS (SELECT 1 FROM apps WHERE client_id = ?3)", NULL
};
/* The pending authorization a user code names, with its app's name. */
static const struct stmt device_find = {
	"SELECT d.device_hash, d.client_id, d.scopes, d.created_at, d.expires_at, "
	"d.\"interval\", a.name FROM device_codes d JOIN apps a ON a.client_id = d.client_id "
	"WHERE d.user_hash = ?1 AND d.state = 0 AND d.expires_at > ?2", NULL
};
enum {
	FIND_DEVICE_HASH, FIND_CLIENT_ID, FIND_SCOPES, FIND_CREATED_AT, FIND_EXPIRES_AT,
	FIND_INTERVAL, FIND_APP_NAME
};
static const struct stmt device_decide = {
	"UPDATE device_codes SET state = ?3, user_id = ?4 WHERE user_hash = ?1 AND state = 0 "
	"AND expires_at > ?2 AND EXISTS (SELECT 1 FROM users WHERE id = ?4)", NULL
};
/* Whether a user code names an unexpired authorization decided already. */
static const struct stmt device_decided = {
	"SELECT 1 FROM device_codes WHERE user_hash = ?1 AND expires_at > ?2 AND state <> 0",
	NULL
};
static const struct stmt device_get = {
	"SELECT client_id, scopes, expires_at, \"interval\", last_poll, state "
	"FROM device_codes WHERE device_hash = ?1", NULL
};
enum {
	GET_CLIENT_ID, GET_SCOPES, GET_EXPIRES_AT, GET_INTERVAL, GET_LAST_POLL,
	GET_STATE
};
static const struct stmt device_polled = {
	"UPDATE device_codes SET last_poll = ?2, \"interval\" = ?3 WHERE device_hash = ?1", NULL
};
/* Spends an approved authorization: the redemption's one step. */
static const struct stmt device_claim = {
	"UPDATE device_codes SET state = 3 WHERE device_hash = ?1 AND state = 1 "
	"RETURNING user_id", NULL
};
enum { CLAIM_USER_ID };
static const struct stmt device_set_grant = {
	"UPDATE device_codes SET grant_id = ?2 WHERE device_hash = ?1", NULL
};
_Static_assert(DEVICE_REDEEMED == 3 && DEVICE_APPROVED == 1 && DEVICE_PENDING == 0,
    "device_claim and device_find spell these states as numbers");

enum store_rc
store_device_insert(struct store *st, const struct store_device *d)
{
	struct db_conn *c;
	int64_t changed = 0;
	enum store_rc rc;

	if ((rc = store_write_begin(st, &c)) != STORE_OK)
		return rc;
	rc = store_exec(c, &device_replace_expired, ARGS(arg_hash(d->user_hash),
	    arg_int(d->created_at)), NULL);
	if (rc == STORE_OK)
		rc = store_exec(c, &device_insert, ARGS(arg_hash(d->device_hash),
		    arg_hash(d->user_hash), arg_text(d->client_id), arg_text(d->scopes),
		    arg_int(d->created_at), arg_int(d->expires_at), arg_int(d->interval)),
		    &changed);
	if (rc == STORE_OK && changed != 1)
		rc = STORE_NOTFOUND;
	return store_write_end(st, c, rc);
}

static void
row_to_device(struct db_conn *c, void *out)
{
	struct store_device *d = out;
	size_t len;
	const uint8_t *device_hash = db_col_blob(c, FIND_DEVICE_HASH, &len);

	if (device_hash != NULL && len == HASH_LEN)
		memcpy(d->device_hash, device_hash, HASH_LEN);
	store_copy_id(d->client_id, sizeof(d->client_id), db_col_text(c, FIND_CLIENT_ID));
	d->scopes = xstrdup(db_col_text(c, FIND_SCOPES));
	d->created_at = db_col_int(c, FIND_CREATED_AT);
	d->expires_at = db_col_int(c, FIND_EXPIRES_AT);
	d->interval = db_col_int(c, FIND_INTERVAL);
	d->app_name = xstrdup(db_col_text(c, FIND_APP_NAME));
	d->state = DEVICE_PENDING;
}

/* NOTFOUND of a pending authorization: MISMATCH if it lives, decided. */
static enum store_rc
not_pending(struct store *st, const uint8_t *user_hash, int64_t now, enum store_rc rc)
{
	if (rc != STORE_NOTFOUND)
		return rc;
	rc = store_get_one(st, &device_decided, ARGS(arg_hash(user_hash), arg_int(now)),
	    store_row_ignore, NULL);
	return rc == STORE_OK ? STORE_MISMATCH : rc;
}

enum store_rc
store_device_find(struct store *st, const uint8_t user_hash[HASH_LEN], int64_t now,
    struct store_device *out)
{
	memset(out, 0, sizeof(*out));
	memcpy(out->user_hash, user_hash, HASH_LEN);
	return not_pending(st, user_hash, now, store_get_one(st, &device_find,
	    ARGS(arg_hash(user_hash), arg_int(now)), row_to_device, out));
}

enum store_rc
store_device_decide(struct store *st, const uint8_t user_hash[HASH_LEN], int64_t user_id,
    int approve, int64_t now)
{
	return not_pending(st, user_hash, now, store_change(st, &device_decide,
	    ARGS(arg_hash(user_hash), arg_int(now), arg_int(approve ? DEVICE_APPROVED :
	    DEVICE_DENIED), arg_int(user_id))));
}

/* Spends an approved authorization, turning it into a grant with the tokens of issue. */
static enum store_rc
redeem(struct db_conn *c, const uint8_t *device_hash, const char *client_id,
    const struct store_issue *issue, struct store_poll_result *out)
{
	struct store_grant g;
	enum store_rc rc;
	int row = -1;

	memset(&g, 0, sizeof(g));
	if (db_run(c, &device_claim, ARGS(arg_hash(device_hash))) == DB_OK &&
	    (row = db_next(c)) == 1)
		g.user_id = db_col_int(c, CLAIM_USER_ID);
	db_done(c);
	if (row < 0)
		return STORE_ERROR;
	if (row == 0)
		return STORE_NOTFOUND;	/* another poll spent it a moment ago */
	store_copy_id(g.client_id, sizeof(g.client_id), client_id);
	g.scopes = out->scopes;
	g.created_at = issue->access.created_at;
	if ((rc = store_insert_grant(c, &g)) != STORE_OK)
		return rc;
	rc = store_insert_issued(c, g.id, g.user_id, client_id, issue, out->scopes, NULL);
	if (rc == STORE_OK)
		rc = store_exec(c, &device_set_grant, ARGS(arg_hash(device_hash),
		    arg_int(g.id)), NULL);
	if (rc == STORE_OK) {
		out->outcome = POLL_ISSUED;
		out->user_id = g.user_id;
	}
	return rc;
}

/* The body of store_device_poll, inside its transaction. */
static enum store_rc
poll_once(struct db_conn *c, const uint8_t *device_hash, const char *client_id,
    const struct store_issue *issue, const struct store_poll_rules *rules,
    struct store_poll_result *out)
{
	int64_t now = issue->access.created_at, expires_at = 0, last_poll = 0;
	int row = -1, state = 0, mine = 0, polled_before = 0;
	enum store_rc rc;

	if (db_run(c, &device_get, ARGS(arg_hash(device_hash))) == DB_OK &&
	    (row = db_next(c)) == 1) {
		mine = strcmp(db_col_text(c, GET_CLIENT_ID), client_id) == 0;
		out->scopes = xstrdup(db_col_text(c, GET_SCOPES));
		expires_at = db_col_int(c, GET_EXPIRES_AT);
		out->interval = db_col_int(c, GET_INTERVAL);
		polled_before = !db_is_null(c, GET_LAST_POLL);
		last_poll = db_col_int(c, GET_LAST_POLL);
		state = (int)db_col_int(c, GET_STATE);
	}
	db_done(c);
	if (row < 0)
		return STORE_ERROR;
	if (row == 0 || !mine || state == DEVICE_REDEEMED)
		return STORE_NOTFOUND;
	if (expires_at <= now)
		return STORE_EXPIRED;
	out->outcome = POLL_PENDING;
	/* The first poll may come at once; after that, the interval holds. */
	if (polled_before && now - last_poll < out->interval) {
		out->outcome = POLL_SLOW_DOWN;
		out->interval += rules->slow_down;
		if (out->interval > rules->max_interval)
			out->interval = rules->max_interval;
	}
	rc = store_exec(c, &device_polled, ARGS(arg_hash(device_hash), arg_int(now),
	    arg_int(out->interval)), NULL);
	if (rc != STORE_OK || out->outcome == POLL_SLOW_DOWN)
		return rc;
	if (state == DEVICE_DENIED)
		out->outcome = POLL_DENIED;
	else if (state == DEVICE_APPROVED)
		return redeem(c, device_hash, client_id, issue, out);
	return STORE_OK;
}

enum store_rc
store_device_poll(struct store *st, const uint8_t device_hash[HASH_LEN],
    const char *client_id, const struct store_issue *issue,
    const struct store_poll_rules *rules, struct store_poll_result *out)
{
	struct db_conn *c;
	enum store_rc rc;

	memset(out, 0, sizeof(*out));
	/* Failures roll back: no grant without its tokens, no half-spent code. */
	if ((rc = store_write_begin(st, &c)) == STORE_OK)
		rc = store_write_end(st, c, poll_once(c, device_hash, client_id, issue, rules,
		    out));
	if (rc != STORE_OK)
		store_poll_result_clear(out);
	return rc;
}
