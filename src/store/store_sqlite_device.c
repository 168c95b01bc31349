/*
 * SQLite backend, third part: device authorizations (RFC 8628).
 *
 * Every transition is either one conditional UPDATE (the user's decision) or
 * one transaction on the writer connection (a poll), which this process
 * holds alone: two polls of one device code are serialised, so exactly one
 * of them turns an approval into tokens.
 */
#include <stdlib.h>
#include <string.h>

#include "../common/xmalloc.h"
#include "store_sqlite.h"

/* Runs the bound statement s to completion; SQLITE_DONE or the error. */
static int
step_done(sqlite3_stmt *s)
{
	int step = sqlite3_step(s);

	sq_stmt_done(s);
	return step;
}

enum store_rc
sq_device_insert(void *impl, const struct store_device *d)
{
	struct sq *q = impl;
	struct conn *c = sq_writer_get(q);
	sqlite3_stmt *s;
	enum store_rc rc = STORE_ERROR;
	int step;

	if (sq_begin(c) == -1) {
		sq_writer_put(q);
		return STORE_ERROR;
	}
	/* An expired authorization gives its user code back. */
	if ((s = sq_stmt(c, ST_DEVICE_REPLACE_EXPIRED)) == NULL)
		goto out;
	sq_bind_hash(s, 1, d->user_hash);
	sqlite3_bind_int64(s, 2, d->created_at);
	if (step_done(s) != SQLITE_DONE) {
		sq_db_error(c, "device code replace");
		goto out;
	}
	if ((s = sq_stmt(c, ST_DEVICE_INSERT)) == NULL)
		goto out;
	sq_bind_hash(s, 1, d->device_hash);
	sq_bind_hash(s, 2, d->user_hash);
	sqlite3_bind_text(s, 3, d->client_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, d->scopes, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 5, d->created_at);
	sqlite3_bind_int64(s, 6, d->expires_at);
	sqlite3_bind_int64(s, 7, d->interval);
	step = step_done(s);
	if (step == SQLITE_DONE)
		rc = sqlite3_changes(c->db) == 1 ? STORE_OK : STORE_NOTFOUND;
	else if (step == SQLITE_CONSTRAINT_PRIMARYKEY || step == SQLITE_CONSTRAINT_UNIQUE)
		rc = STORE_CONFLICT;
	else
		sq_db_error(c, "device code insert");
out:
	rc = sq_finish(c, rc);
	sq_writer_put(q);
	return rc;
}

enum store_rc
sq_device_find(void *impl, const uint8_t *user_hash, int64_t now, struct store_device *out)
{
	struct sq *q = impl;
	struct conn *c = sq_reader_get(q);
	sqlite3_stmt *s = sq_stmt(c, ST_DEVICE_FIND);
	enum store_rc rc = STORE_ERROR;
	int step;

	memset(out, 0, sizeof(*out));
	if (s == NULL)
		goto out;
	sq_bind_hash(s, 1, user_hash);
	sqlite3_bind_int64(s, 2, now);
	step = sqlite3_step(s);
	if (step == SQLITE_DONE)
		rc = STORE_NOTFOUND;
	else if (step != SQLITE_ROW || sqlite3_column_bytes(s, 0) != HASH_LEN)
		sq_db_error(c, "device code find");
	else {
		memcpy(out->device_hash, sqlite3_column_blob(s, 0), HASH_LEN);
		memcpy(out->user_hash, user_hash, HASH_LEN);
		sq_copy_id(out->client_id, sizeof(out->client_id), sq_col_text(s, 1));
		out->scopes = xstrdup(sq_col_text(s, 2));
		out->created_at = sqlite3_column_int64(s, 3);
		out->expires_at = sqlite3_column_int64(s, 4);
		out->interval = sqlite3_column_int64(s, 5);
		out->app_name = xstrdup(sq_col_text(s, 6));
		out->state = DEVICE_PENDING;
		rc = STORE_OK;
	}
out:
	sq_stmt_done(s);
	sq_reader_put(q, c);
	return rc;
}

enum store_rc
sq_device_decide(void *impl, const uint8_t *user_hash, int64_t user_id, int approve,
    int64_t now)
{
	struct sq *q = impl;
	struct conn *c = sq_writer_get(q);
	sqlite3_stmt *s = sq_stmt(c, ST_DEVICE_DECIDE);
	enum store_rc rc = STORE_ERROR;

	if (s == NULL)
		goto out;
	sq_bind_hash(s, 1, user_hash);
	sqlite3_bind_int64(s, 2, now);
	sqlite3_bind_int(s, 3, approve ? DEVICE_APPROVED : DEVICE_DENIED);
	sqlite3_bind_int64(s, 4, user_id);
	if (step_done(s) != SQLITE_DONE)
		sq_db_error(c, "device decision");
	else
		rc = sqlite3_changes(c->db) == 1 ? STORE_OK : STORE_NOTFOUND;
out:
	sq_writer_put(q);
	return rc;
}

/* Turns an approved authorization into a grant with the tokens of issue. */
static enum store_rc
redeem(struct conn *c, const uint8_t *device_hash, const char *client_id,
    int64_t user_id, const struct store_issue *issue, struct store_poll_result *out)
{
	struct store_grant g;
	sqlite3_stmt *s;
	enum store_rc rc;

	memset(&g, 0, sizeof(g));
	g.user_id = user_id;
	sq_copy_id(g.client_id, sizeof(g.client_id), client_id);
	g.scopes = out->scopes;
	g.created_at = issue->access.created_at;
	if ((rc = sq_insert_grant(c, &g)) != STORE_OK)
		return rc;
	rc = sq_store_issued(c, g.id, user_id, client_id, issue, out->scopes);
	if (rc != STORE_OK)
		return rc;
	if ((s = sq_stmt(c, ST_DEVICE_REDEEMED)) == NULL)
		return STORE_ERROR;
	sq_bind_hash(s, 1, device_hash);
	sqlite3_bind_int64(s, 2, g.id);
	if (step_done(s) != SQLITE_DONE || sqlite3_changes(c->db) != 1) {
		sq_db_error(c, "device code redeem");
		return STORE_ERROR;
	}
	out->outcome = POLL_ISSUED;
	return STORE_OK;
}

/* The body of sq_device_poll, inside its transaction. */
static enum store_rc
poll_once(struct conn *c, const uint8_t *device_hash, const char *client_id,
    const struct store_issue *issue, struct store_poll_result *out)
{
	sqlite3_stmt *s = sq_stmt(c, ST_DEVICE_GET);
	int64_t now = issue->access.created_at, expires_at, last_poll, user_id;
	int step, state, match, polled_before;

	if (s == NULL)
		return STORE_ERROR;
	sq_bind_hash(s, 1, device_hash);
	step = sqlite3_step(s);
	if (step != SQLITE_ROW) {
		if (step != SQLITE_DONE)
			sq_db_error(c, "device code get");
		sq_stmt_done(s);
		return step == SQLITE_DONE ? STORE_NOTFOUND : STORE_ERROR;
	}
	match = strcmp(sq_col_text(s, 0), client_id) == 0;
	out->scopes = xstrdup(sq_col_text(s, 1));
	expires_at = sqlite3_column_int64(s, 2);
	out->interval = sqlite3_column_int64(s, 3);
	polled_before = sqlite3_column_type(s, 4) != SQLITE_NULL;
	last_poll = sqlite3_column_int64(s, 4);
	state = sqlite3_column_int(s, 5);
	user_id = sqlite3_column_int64(s, 6);
	sq_stmt_done(s);

	if (!match || expires_at <= now || state == DEVICE_REDEEMED)
		return STORE_NOTFOUND;
	out->outcome = POLL_PENDING;
	/* The first poll may come at once; after that, the interval holds. */
	if (polled_before && now - last_poll < out->interval) {
		out->outcome = POLL_SLOW_DOWN;
		out->interval += TW_DEVICE_SLOW_DOWN;
		if (out->interval > TW_DEVICE_MAX_INTERVAL)
			out->interval = TW_DEVICE_MAX_INTERVAL;
	}
	if ((s = sq_stmt(c, ST_DEVICE_POLLED)) == NULL)
		return STORE_ERROR;
	sq_bind_hash(s, 1, device_hash);
	sqlite3_bind_int64(s, 2, now);
	sqlite3_bind_int64(s, 3, out->interval);
	if (step_done(s) != SQLITE_DONE) {
		sq_db_error(c, "device code poll");
		return STORE_ERROR;
	}
	if (out->outcome == POLL_SLOW_DOWN)
		return STORE_OK;
	if (state == DEVICE_DENIED)
		out->outcome = POLL_DENIED;
	else if (state == DEVICE_APPROVED)
		return redeem(c, device_hash, client_id, user_id, issue, out);
	return STORE_OK;
}

enum store_rc
sq_device_poll(void *impl, const uint8_t *device_hash, const char *client_id,
    const struct store_issue *issue, struct store_poll_result *out)
{
	struct sq *q = impl;
	struct conn *c = sq_writer_get(q);
	enum store_rc rc;

	memset(out, 0, sizeof(*out));
	if (sq_begin(c) == -1) {
		sq_writer_put(q);
		return STORE_ERROR;
	}
	/* Failures roll back: no grant without its tokens, no half-spent code. */
	rc = sq_finish(c, poll_once(c, device_hash, client_id, issue, out));
	sq_writer_put(q);
	if (rc != STORE_OK)
		store_poll_result_clear(out);
	return rc;
}
