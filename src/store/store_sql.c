/*
 * The SQL of every statement the store runs, in SQLite's dialect with ?N
 * placeholders.  The PostgreSQL driver turns ?N into $N and overrides the
 * few statements whose dialects differ (db_pg.c); keep both in step.
 *
 * Rules the logic relies on:
 * - Values are always bound, never spliced in.
 * - A statement that must see a row exist to act (an app for a token, a
 *   user for a session) says so in its WHERE, so that existence is checked
 *   in the same statement as the write.
 * - Single-use transitions (ST_CODE_CLAIM, ST_REFRESH_MARK_USED,
 *   ST_DEVICE_DECIDE, ST_DEVICE_CLAIM) are one conditional UPDATE each: of
 *   two concurrent callers, on any backend, exactly one changes the row.
 */
#include "db.h"

#define USER_COLS "u.id, u.login, u.display_name, u.email, u.email_verified, " \
	"u.profile_image_url, u.password_hash, u.created_at, u.updated_at"
#define APP_COLS "client_id, name, secret_hash, is_public, redirect_uris, created_at, " \
	"scope_string, owner_id, category"

const char *const store_sql[ST__MAX] = {
	/* An owner, when there is one, must exist (else nothing is inserted). */
	[ST_APP_INSERT] = "INSERT INTO apps (client_id, name, secret_hash, is_public, "
	    "redirect_uris, created_at, scope_string, owner_id, category) "
	    "SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9 "
	    "WHERE ?8 IS NULL OR EXISTS (SELECT 1 FROM users WHERE id = ?8)",
	[ST_APP_GET] = "SELECT " APP_COLS " FROM apps WHERE client_id = ?1",
	[ST_APP_LIST] = "SELECT " APP_COLS " FROM apps ORDER BY created_at, client_id",
	[ST_APP_LIST_OWNED] = "SELECT " APP_COLS " FROM apps WHERE owner_id = ?1 "
	    "ORDER BY created_at, client_id",
	[ST_APP_SET_SCOPE_STRING] = "UPDATE apps SET scope_string = ?2 WHERE client_id = ?1",
	[ST_APP_SET_SECRET] = "UPDATE apps SET secret_hash = ?2 WHERE client_id = ?1 "
	    "AND is_public = 0",
	[ST_APP_GET_URIS] = "SELECT redirect_uris FROM apps WHERE client_id = ?1",
	[ST_APP_SET_URIS] = "UPDATE apps SET redirect_uris = ?2 WHERE client_id = ?1",
	[ST_APP_DELETE] = "DELETE FROM apps WHERE client_id = ?1",
	/*
	 * The app's existence (and secret, when ?7 is given) is part of the
	 * insert.  Comparing digests in SQL is not constant-time, which is
	 * harmless: the caller controls only the preimage of ?7, so timing
	 * can reveal nothing about the stored secret.
	 */
	[ST_TOKEN_INSERT] = "INSERT INTO tokens (hash, client_id, user_id, scopes, "
	    "created_at, expires_at) SELECT ?1, client_id, ?3, ?4, ?5, ?6 FROM apps "
	    "WHERE client_id = ?2 AND (?7 IS NULL OR (is_public = 0 AND secret_hash = ?7))",
	[ST_TOKEN_INSERT_GRANT] = "INSERT INTO tokens (hash, client_id, user_id, grant_id, "
	    "scopes, created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	/*
	 * A user token is valid while its grant (and so its user) exists;
	 * an app token while its app does.
	 */
	[ST_TOKEN_GET] = "SELECT t.client_id, t.user_id, t.grant_id, t.scopes, t.created_at, "
	    "t.expires_at, u.login, g.claims FROM tokens t "
	    "JOIN apps a ON a.client_id = t.client_id "
	    "LEFT JOIN grants g ON g.id = t.grant_id LEFT JOIN users u ON u.id = g.user_id "
	    "WHERE t.hash = ?1 AND (t.grant_id IS NULL OR u.id IS NOT NULL)",
	[ST_TOKEN_REVOKE] = "DELETE FROM tokens WHERE hash = ?1 AND client_id = ?2",
	[ST_REFRESH_REVOKE_GRANT] = "DELETE FROM grants WHERE id = (SELECT grant_id FROM "
	    "refresh_tokens WHERE hash = ?1 AND client_id = ?2)",

	[ST_USER_INSERT] = "INSERT INTO users (login, display_name, email, email_verified, "
	    "profile_image_url, password_hash, created_at, updated_at) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) RETURNING id",
	[ST_USER_GET_LOGIN] = "SELECT " USER_COLS " FROM users u WHERE u.login = ?1",
	[ST_USER_GET_ID] = "SELECT " USER_COLS " FROM users u WHERE u.id = ?1",
	[ST_USER_LIST] = "SELECT " USER_COLS " FROM users u ORDER BY u.id",
	[ST_USER_DELETE] = "DELETE FROM users WHERE id = ?1",
	[ST_USER_SET_PASSWORD] = "UPDATE users SET password_hash = ?2, updated_at = ?3 "
	    "WHERE id = ?1",
	[ST_USER_DELETE_GRANTS] = "DELETE FROM grants WHERE user_id = ?1",
	[ST_USER_DELETE_SESSIONS] = "DELETE FROM sessions WHERE user_id = ?1",
	[ST_SESSION_INSERT] = "INSERT INTO sessions (hash, user_id, created_at, expires_at) "
	    "SELECT ?1, id, ?3, ?4 FROM users WHERE id = ?2",
	[ST_SESSION_GET] = "SELECT " USER_COLS " FROM sessions s JOIN users u ON "
	    "u.id = s.user_id WHERE s.hash = ?1 AND s.expires_at > ?2",
	[ST_SESSION_DELETE] = "DELETE FROM sessions WHERE hash = ?1",
	[ST_CONSENT_GET] = "SELECT 1 FROM consents WHERE user_id = ?1 AND client_id = ?2 "
	    "AND scopes = ?3",
	[ST_CONSENT_PUT] = "INSERT INTO consents (user_id, client_id, scopes, created_at) "
	    "SELECT ?1, ?2, ?3, ?4 WHERE EXISTS (SELECT 1 FROM users WHERE id = ?1) "
	    "AND EXISTS (SELECT 1 FROM apps WHERE client_id = ?2) ON CONFLICT DO NOTHING",
	[ST_GRANT_INSERT] = "INSERT INTO grants (user_id, client_id, scopes, created_at, claims) "
	    "SELECT ?1, ?2, ?3, ?4, ?5 WHERE EXISTS (SELECT 1 FROM users WHERE id = ?1) "
	    "AND EXISTS (SELECT 1 FROM apps WHERE client_id = ?2) RETURNING id",
	[ST_GRANT_DELETE] = "DELETE FROM grants WHERE id = ?1",
	[ST_GRANTS_DELETE] = "DELETE FROM grants WHERE user_id = ?1 AND client_id = ?2",
	[ST_CONSENTS_DELETE] = "DELETE FROM consents WHERE user_id = ?1 AND client_id = ?2",
	[ST_CONNECTIONS] = "SELECT g.client_id, a.name, group_concat(g.scopes, ' '), "
	    "MIN(g.created_at) AS first FROM grants g JOIN apps a ON a.client_id = g.client_id "
	    "WHERE g.user_id = ?1 GROUP BY g.client_id ORDER BY first, g.client_id",
	[ST_REFRESH_INSERT] = "INSERT INTO refresh_tokens (hash, grant_id, client_id, "
	    "created_at, expires_at, access_hash, parent) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	[ST_REFRESH_GET] = "SELECT r.grant_id, r.client_id, r.expires_at, r.used_at, "
	    "g.user_id, g.scopes, g.created_at, r.parent FROM refresh_tokens r "
	    "JOIN grants g ON g.id = r.grant_id WHERE r.hash = ?1",
	[ST_REFRESH_MARK_USED] = "UPDATE refresh_tokens SET used_at = ?2 "
	    "WHERE hash = ?1 AND used_at IS NULL",
	/* Locks the grant of ?1 (PostgreSQL: see db_pg.c; SQLite has one writer). */
	[ST_REFRESH_LOCK_GRANT] = "SELECT 1 FROM grants WHERE id = "
	    "(SELECT grant_id FROM refresh_tokens WHERE hash = ?1)",
	/* The tokens that replaced ?1, and how many were used (see rotated_out). */
	[ST_REFRESH_CHILDREN] = "SELECT COUNT(*), COUNT(used_at) FROM refresh_tokens "
	    "WHERE parent = ?1",
	/* ?1's unused siblings, children of ?2, and their access tokens. */
	[ST_REFRESH_SIBLING_ACCESS_DELETE] = "DELETE FROM tokens WHERE hash IN "
	    "(SELECT access_hash FROM refresh_tokens WHERE parent = ?2 AND hash <> ?1 "
	    "AND used_at IS NULL)",
	[ST_REFRESH_SIBLINGS_RETIRE] = "UPDATE refresh_tokens SET used_at = ?3 "
	    "WHERE parent = ?2 AND hash <> ?1 AND used_at IS NULL",
	[ST_CODE_INSERT] = "INSERT INTO codes (hash, client_id, user_id, redirect_uri, scopes, "
	    "nonce, claims, created_at, expires_at) SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9 "
	    "WHERE EXISTS (SELECT 1 FROM users WHERE id = ?3) "
	    "AND EXISTS (SELECT 1 FROM apps WHERE client_id = ?2)",
	/* Takes the code if everything about it is right: the redemption's one step. */
	[ST_CODE_CLAIM] = "UPDATE codes SET used = 1 WHERE hash = ?1 AND client_id = ?2 "
	    "AND used = 0 AND expires_at > ?3 AND redirect_uri = ?4 "
	    "RETURNING user_id, scopes, nonce, claims, created_at, expires_at",
	/* Why a claim failed. */
	[ST_CODE_GET] = "SELECT client_id, redirect_uri, expires_at, used, grant_id "
	    "FROM codes WHERE hash = ?1",
	[ST_CODE_SET_GRANT] = "UPDATE codes SET grant_id = ?2 WHERE hash = ?1",
	[ST_DEVICE_REPLACE_EXPIRED] = "DELETE FROM device_codes WHERE user_hash = ?1 "
	    "AND expires_at <= ?2",
	[ST_DEVICE_INSERT] = "INSERT INTO device_codes (device_hash, user_hash, client_id, "
	    "scopes, created_at, expires_at, \"interval\") SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7 "
	    "WHERE EXISTS (SELECT 1 FROM apps WHERE client_id = ?3)",
	[ST_DEVICE_FIND] = "SELECT d.device_hash, d.client_id, d.scopes, d.created_at, "
	    "d.expires_at, d.\"interval\", a.name FROM device_codes d "
	    "JOIN apps a ON a.client_id = d.client_id "
	    "WHERE d.user_hash = ?1 AND d.state = 0 AND d.expires_at > ?2",
	[ST_DEVICE_DECIDE] = "UPDATE device_codes SET state = ?3, user_id = ?4 "
	    "WHERE user_hash = ?1 AND state = 0 AND expires_at > ?2 "
	    "AND EXISTS (SELECT 1 FROM users WHERE id = ?4)",
	[ST_DEVICE_GET] = "SELECT client_id, scopes, expires_at, \"interval\", last_poll, state "
	    "FROM device_codes WHERE device_hash = ?1",
	[ST_DEVICE_POLLED] = "UPDATE device_codes SET last_poll = ?2, \"interval\" = ?3 "
	    "WHERE device_hash = ?1",
	/* Spends an approved authorization: the redemption's one step. */
	[ST_DEVICE_CLAIM] = "UPDATE device_codes SET state = 3 WHERE device_hash = ?1 "
	    "AND state = 1 RETURNING user_id",
	[ST_DEVICE_SET_GRANT] = "UPDATE device_codes SET grant_id = ?2 WHERE device_hash = ?1",
	[ST_KEY_INSERT] = "INSERT INTO signing_keys (kid, public_der, private_enc, created_at) "
	    "VALUES (?1, ?2, ?3, ?4)",
	[ST_KEY_INSERT_FIRST] = "INSERT INTO signing_keys (kid, public_der, private_enc, "
	    "created_at) SELECT ?1, ?2, ?3, ?4 WHERE NOT EXISTS "
	    "(SELECT 1 FROM signing_keys WHERE retired_at IS NULL)",
	[ST_KEY_RETIRE] = "UPDATE signing_keys SET retired_at = ?1 WHERE retired_at IS NULL",
	[ST_KEY_LIST] = "SELECT kid, public_der, private_enc, created_at, retired_at "
	    "FROM signing_keys ORDER BY created_at DESC, rowid DESC LIMIT ?1",
	/*
	 * Token buckets (store_buckets.c), in 3600ths of a token so that a
	 * refill of ?4 tokens an hour is ?4 units a second: ?2 is the capacity,
	 * ?3 now.  A clock that went back refills nothing.
	 */
#define BUCKET_LEVEL "MIN(?2, level + MAX(0, ?3 - updated_at) * ?4)"
	[ST_BUCKET_TAKE] = "UPDATE buckets SET level = " BUCKET_LEVEL " - 3600, "
	    "updated_at = ?3 WHERE name = ?1 AND " BUCKET_LEVEL " >= 3600",
	[ST_BUCKET_NEW] = "INSERT INTO buckets (name, level, updated_at) VALUES (?1, ?2, ?3) "
	    "ON CONFLICT DO NOTHING",
	[ST_BUCKET_LEVEL] = "SELECT " BUCKET_LEVEL " FROM buckets WHERE name = ?1",
#undef BUCKET_LEVEL
	/*
	 * The purge (store_purge.c): each deletes at most ?2 rows that ended
	 * before ?1, so that no transaction holds the database for long.
	 */
	[ST_PURGE_TOKENS] = "DELETE FROM tokens WHERE hash IN "
	    "(SELECT hash FROM tokens WHERE expires_at <= ?1 LIMIT ?2)",
	[ST_PURGE_CODES] = "DELETE FROM codes WHERE hash IN "
	    "(SELECT hash FROM codes WHERE expires_at <= ?1 LIMIT ?2)",
	[ST_PURGE_DEVICE] = "DELETE FROM device_codes WHERE device_hash IN "
	    "(SELECT device_hash FROM device_codes WHERE expires_at <= ?1 LIMIT ?2)",
	[ST_PURGE_SESSIONS] = "DELETE FROM sessions WHERE hash IN "
	    "(SELECT hash FROM sessions WHERE expires_at <= ?1 LIMIT ?2)",
	/* Expired ones, and rotated-out ones kept since ?3 to catch their reuse. */
	[ST_PURGE_REFRESH] = "DELETE FROM refresh_tokens WHERE hash IN "
	    "(SELECT hash FROM refresh_tokens WHERE expires_at <= ?1 UNION ALL "
	    "SELECT hash FROM refresh_tokens WHERE used_at <= ?3 LIMIT ?2)",
	/* A grant that can no longer give access: no refresh token, no live token. */
	[ST_PURGE_GRANTS] = "DELETE FROM grants WHERE id IN (SELECT g.id FROM grants g "
	    "WHERE g.created_at <= ?1 "
	    "AND NOT EXISTS (SELECT 1 FROM refresh_tokens r WHERE r.grant_id = g.id) "
	    "AND NOT EXISTS (SELECT 1 FROM tokens t WHERE t.grant_id = g.id "
	    "AND t.expires_at > ?1) LIMIT ?2)",
	[ST_PURGE_KEYS] = "DELETE FROM signing_keys WHERE retired_at <= ?1",
	[ST_PURGE_BUCKETS] = "DELETE FROM buckets WHERE updated_at <= ?1",
};
