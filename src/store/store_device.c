/*
 * Device authorizations (RFC 8628).
 *
 * The user's decision is one conditional UPDATE (ST_DEVICE_DECIDE) and a
 * redemption takes the approval with another (ST_DEVICE_CLAIM), so however
 * many polls of one device code run at once, on however many servers,
 * exactly one of them turns the approval into tokens.
 */
#include <stdlib.h>
#include <string.h>

#include "../common/xmalloc.h"
#include "store_impl.h"

enum store_rc
store_device_insert(struct store *st, const struct store_device *d)
{
	struct db_conn *c = store_writer(st);
	int64_t changed = 0;
	enum store_rc rc;

	if ((rc = store_begin(c)) != STORE_OK) {
		store_put(st, c);
		return rc;
	}
	/* An expired authorization gives its user code back. */
	rc = store_exec(c, ST_DEVICE_REPLACE_EXPIRED, ARGS(arg_hash(d->user_hash),
	    arg_int(d->created_at)), NULL);
	if (rc == STORE_OK)
		rc = store_exec(c, ST_DEVICE_INSERT, ARGS(arg_hash(d->device_hash),
		    arg_hash(d->user_hash), arg_text(d->client_id), arg_text(d->scopes),
		    arg_int(d->created_at), arg_int(d->expires_at), arg_int(d->interval)),
		    &changed);
	if (rc == STORE_OK && changed != 1)
		rc = STORE_NOTFOUND;
	rc = store_finish(c, rc);
	store_put(st, c);
	return rc;
}

static void
row_to_device(struct db_conn *c, void *out)
{
	struct store_device *d = out;
	size_t len;
	const uint8_t *device_hash = db_col_blob(c, 0, &len);

	if (device_hash != NULL && len == HASH_LEN)
		memcpy(d->device_hash, device_hash, HASH_LEN);
	store_copy_id(d->client_id, sizeof(d->client_id), db_col_text(c, 1));
	d->scopes = xstrdup(db_col_text(c, 2));
	d->created_at = db_col_int(c, 3);
	d->expires_at = db_col_int(c, 4);
	d->interval = db_col_int(c, 5);
	d->app_name = xstrdup(db_col_text(c, 6));
	d->state = DEVICE_PENDING;
}

enum store_rc
store_device_find(struct store *st, const uint8_t user_hash[HASH_LEN], int64_t now,
    struct store_device *out)
{
	memset(out, 0, sizeof(*out));
	memcpy(out->user_hash, user_hash, HASH_LEN);
	return store_get_one(st, ST_DEVICE_FIND, ARGS(arg_hash(user_hash), arg_int(now)),
	    row_to_device, out);
}

enum store_rc
store_device_decide(struct store *st, const uint8_t user_hash[HASH_LEN], int64_t user_id,
    int approve, int64_t now)
{
	return store_change(st, ST_DEVICE_DECIDE, ARGS(arg_hash(user_hash), arg_int(now),
	    arg_int(approve ? DEVICE_APPROVED : DEVICE_DENIED), arg_int(user_id)));
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
	if (db_run(c, ST_DEVICE_CLAIM, ARGS(arg_hash(device_hash))) == DB_OK &&
	    (row = db_next(c)) == 1)
		g.user_id = db_col_int(c, 0);
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
	rc = store_insert_issued(c, g.id, g.user_id, client_id, issue, out->scopes);
	if (rc == STORE_OK)
		rc = store_exec(c, ST_DEVICE_SET_GRANT, ARGS(arg_hash(device_hash),
		    arg_int(g.id)), NULL);
	if (rc == STORE_OK)
		out->outcome = POLL_ISSUED;
	return rc;
}

/* The body of store_device_poll, inside its transaction. */
static enum store_rc
poll_once(struct db_conn *c, const uint8_t *device_hash, const char *client_id,
    const struct store_issue *issue, struct store_poll_result *out)
{
	int64_t now = issue->access.created_at, expires_at = 0, last_poll = 0;
	int row = -1, state = 0, mine = 0, polled_before = 0;
	enum store_rc rc;

	if (db_run(c, ST_DEVICE_GET, ARGS(arg_hash(device_hash))) == DB_OK &&
	    (row = db_next(c)) == 1) {
		mine = strcmp(db_col_text(c, 0), client_id) == 0;
		out->scopes = xstrdup(db_col_text(c, 1));
		expires_at = db_col_int(c, 2);
		out->interval = db_col_int(c, 3);
		polled_before = !db_is_null(c, 4);
		last_poll = db_col_int(c, 4);
		state = (int)db_col_int(c, 5);
	}
	db_done(c);
	if (row < 0)
		return STORE_ERROR;
	if (row == 0 || !mine || expires_at <= now || state == DEVICE_REDEEMED)
		return STORE_NOTFOUND;
	out->outcome = POLL_PENDING;
	/* The first poll may come at once; after that, the interval holds. */
	if (polled_before && now - last_poll < out->interval) {
		out->outcome = POLL_SLOW_DOWN;
		out->interval += TW_DEVICE_SLOW_DOWN;
		if (out->interval > TW_DEVICE_MAX_INTERVAL)
			out->interval = TW_DEVICE_MAX_INTERVAL;
	}
	rc = store_exec(c, ST_DEVICE_POLLED, ARGS(arg_hash(device_hash), arg_int(now),
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
    const char *client_id, const struct store_issue *issue, struct store_poll_result *out)
{
	struct db_conn *c = store_writer(st);
	enum store_rc rc;

	memset(out, 0, sizeof(*out));
	/* Failures roll back: no grant without its tokens, no half-spent code. */
	if ((rc = store_begin(c)) == STORE_OK)
		rc = store_finish(c, poll_once(c, device_hash, client_id, issue, out));
	store_put(st, c);
	if (rc != STORE_OK)
		store_poll_result_clear(out);
	return rc;
}
