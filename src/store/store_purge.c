/*
 * The purge of rows that ended (store.h): chunk by chunk, each chunk its
 * own transaction, so that the server's writers wait at most one chunk.
 * How long an ended row is kept is decided in src/idp/ (rules); how much
 * goes in one transaction is the store's business.
 */
#include <string.h>

#include "store_impl.h"

/* Each deletes at most ?2 rows that ended before ?1. */
static const struct stmt purge_tokens = {
	"DELETE FROM tokens WHERE hash IN "
	"(SELECT hash FROM tokens WHERE expires_at <= ?1 LIMIT ?2)", NULL
};
static const struct stmt purge_codes = {
	"DELETE FROM codes WHERE hash IN "
	"(SELECT hash FROM codes WHERE expires_at <= ?1 LIMIT ?2)", NULL
};
static const struct stmt purge_device = {
	"DELETE FROM device_codes WHERE device_hash IN "
	"(SELECT device_hash FROM device_codes WHERE expires_at <= ?1 LIMIT ?2)", NULL
};
static const struct stmt purge_sessions = {
	"DELETE FROM sessions WHERE hash IN "
	"(SELECT hash FROM sessions WHERE expires_at <= ?1 LIMIT ?2)", NULL
};
/* Expired ones, and rotated-out ones kept since ?3 to catch their reuse. */
static const struct stmt purge_refresh = {
	"DELETE FROM refresh_tokens WHERE hash IN "
	"(SELECT hash FROM refresh_tokens WHERE expires_at <= ?1 UNION ALL "
	"SELECT hash FROM refresh_tokens WHERE used_at <= ?3 LIMIT ?2)", NULL
};
/* A grant that can no longer give access: no refresh token, no live token. */
static const struct stmt purge_grants = {
	"DELETE FROM grants WHERE id IN (SELECT g.id FROM grants g WHERE g.created_at <= ?1 "
	"AND NOT EXISTS (SELECT 1 FROM refresh_tokens r WHERE r.grant_id = g.id) "
	"AND NOT EXISTS (SELECT 1 FROM tokens t WHERE t.grant_id = g.id "
	"AND t.expires_at > ?1) LIMIT ?2)", NULL
};
/* The tables that stay small, in one statement each. */
static const struct stmt purge_keys = {
	"DELETE FROM signing_keys WHERE retired_at <= ?1", NULL
};
static const struct stmt purge_buckets = {
	"DELETE FROM buckets WHERE updated_at <= ?1", NULL
};
/* Swept every interval, so each sweep takes a few minutes' rows. */
static const struct stmt purge_audit = {
	"DELETE FROM audit WHERE minute < ?1", NULL
};

/*
 * Deletes with s in chunks until one comes back short; adds to *count.
 * kept_since is ?3 for the statement that takes one, else NULL.
 */
static enum store_rc
purge(struct store *st, const struct stmt *s, int64_t before, const int64_t *kept_since,
    uint64_t *count, uint64_t *budget)
{
	enum store_rc rc = STORE_OK;
	int64_t changed = TW_PURGE_CHUNK;
	struct db_arg args[3] = {
		arg_int(before), arg_int(TW_PURGE_CHUNK), arg_int(kept_since ? *kept_since : 0)
	};

	while (rc == STORE_OK && changed == TW_PURGE_CHUNK && *budget >= TW_PURGE_CHUNK) {
		struct db_conn *c = store_writer(st);

		changed = 0;
		rc = store_exec(c, s, args, kept_since ? 3 : 2, &changed);
		store_put(st, c);
		*count += (uint64_t)changed;
		*budget -= (uint64_t)changed;
	}
	return rc;
}

static enum store_rc
purge_small(struct store *st, const struct stmt *s, int64_t before, uint64_t *count)
{
	struct db_conn *c = store_writer(st);
	int64_t changed = 0;
	enum store_rc rc = store_exec(c, s, ARGS(arg_int(before)), &changed);

	store_put(st, c);
	*count += (uint64_t)changed;
	return rc;
}

enum store_rc
store_purge(struct store *st, const struct store_purge_rules *r, struct store_purged *out)
{
	uint64_t budget = TW_PURGE_MAX_ROWS;
	int64_t kept_ended = r->now - r->ended_kept, rotated_since = r->now - r->rotated_kept;
	enum store_rc rc;

	memset(out, 0, sizeof(*out));
	if ((rc = purge(st, &purge_tokens, r->now, NULL, &out->tokens, &budget)) == STORE_OK &&
	    (rc = purge(st, &purge_codes, kept_ended, NULL, &out->codes, &budget)) == STORE_OK &&
	    (rc = purge(st, &purge_device, kept_ended, NULL, &out->device_codes, &budget)) ==
	    STORE_OK &&
	    (rc = purge(st, &purge_sessions, r->now, NULL, &out->sessions, &budget)) == STORE_OK &&
	    (rc = purge(st, &purge_refresh, r->now, &rotated_since,
	    &out->refresh_tokens, &budget)) == STORE_OK &&
	    (rc = purge(st, &purge_grants, r->now, NULL, &out->grants, &budget)) == STORE_OK &&
	    (rc = purge_small(st, &purge_keys, r->keys_before, &out->keys)) == STORE_OK &&
	    (rc = purge_small(st, &purge_buckets, kept_ended, &out->buckets)) == STORE_OK)
		rc = purge_small(st, &purge_audit, r->audit_before / 60, &out->audit);
	return rc;
}
