/*
 * The purge of rows that ended (store.h): chunk by chunk, each chunk its
 * own transaction, so that the server's writers wait at most one chunk.
 */
#include <string.h>

#include "store_impl.h"

/* Deletes with id in chunks until one comes back short; adds to *count. */
static enum store_rc
purge(struct store *st, enum stmt_id id, int64_t before, int64_t extra, uint64_t *count,
    uint64_t *budget)
{
	enum store_rc rc = STORE_OK;
	int64_t changed = TW_PURGE_CHUNK;

	while (rc == STORE_OK && changed == TW_PURGE_CHUNK && *budget >= TW_PURGE_CHUNK) {
		struct db_conn *c = store_writer(st);

		changed = 0;
		if (id == ST_PURGE_REFRESH)
			rc = store_exec(c, id, ARGS(arg_int(before), arg_int(TW_PURGE_CHUNK),
			    arg_int(extra)), &changed);
		else
			rc = store_exec(c, id, ARGS(arg_int(before), arg_int(TW_PURGE_CHUNK)),
			    &changed);
		store_put(st, c);
		*count += (uint64_t)changed;
		*budget -= (uint64_t)changed;
	}
	return rc;
}

/* A single DELETE for the tables that stay small (keys, budgets). */
static enum store_rc
purge_small(struct store *st, enum stmt_id id, int64_t before, uint64_t *count)
{
	struct db_conn *c = store_writer(st);
	int64_t changed = 0;
	enum store_rc rc = store_exec(c, id, ARGS(arg_int(before)), &changed);

	store_put(st, c);
	*count += (uint64_t)changed;
	return rc;
}

enum store_rc
store_purge(struct store *st, int64_t now, int64_t kept_used, int64_t keys_before,
    struct store_purged *out)
{
	uint64_t budget = TW_PURGE_MAX_ROWS;
	int64_t day_ago = now - TW_PURGE_KEEP;
	enum store_rc rc;

	memset(out, 0, sizeof(*out));
	if ((rc = purge(st, ST_PURGE_TOKENS, now, 0, &out->tokens, &budget)) == STORE_OK &&
	    (rc = purge(st, ST_PURGE_CODES, day_ago, 0, &out->codes, &budget)) == STORE_OK &&
	    (rc = purge(st, ST_PURGE_DEVICE, day_ago, 0, &out->device_codes, &budget)) ==
	    STORE_OK &&
	    (rc = purge(st, ST_PURGE_SESSIONS, now, 0, &out->sessions, &budget)) == STORE_OK &&
	    (rc = purge(st, ST_PURGE_REFRESH, now, now - kept_used, &out->refresh_tokens,
	    &budget)) == STORE_OK &&
	    (rc = purge(st, ST_PURGE_GRANTS, now, 0, &out->grants, &budget)) == STORE_OK &&
	    (rc = purge_small(st, ST_PURGE_KEYS, keys_before, &out->keys)) == STORE_OK)
		rc = purge_small(st, ST_PURGE_BUCKETS, day_ago, &out->buckets);
	return rc;
}
