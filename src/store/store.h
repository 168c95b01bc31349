/*
 * The one storage interface the identity logic uses.  The logic behind it
 * (store_*.c) is written once over the small driver interface of db.h; the
 * drivers, db_sqlite.c and db_pg.c, are the only files that see a database
 * library.
 *
 * Invariants:
 * - Secrets (client secrets, tokens) arrive here as SHA-256 digests only.
 * - Every function is safe to call from any thread at once.
 * - Every state change is one transaction: it happens whole or not at all.
 * - Results that own memory are released with the matching *_clear/_free;
 *   clearing a zeroed struct is a no-op.
 */
#ifndef STORE_H
#define STORE_H

#include <stddef.h>
#include <stdint.h>

#include "../common/compiler.h"
#include "../common/hash.h"
#include "../common/limits.h"

struct store;

enum store_rc {
	STORE_OK = 0,
	STORE_NOTFOUND,		/* no such row (or nothing to change) */
	STORE_CONFLICT,		/* already exists */
	STORE_LIMIT,		/* a named limit would be crossed */
	STORE_MISMATCH,		/* found, but a condition of the call failed */
	STORE_REPLAY,		/* single-use value used again: its grant is revoked */
	STORE_UNPROVEN,		/* found, but the proof it is bound to was not given */
	STORE_EXPIRED,		/* found, but past its lifetime */
	STORE_ERROR,		/* the database failed; logged, retry later */
	STORE__MAX
};

/* Which face of the server an app meets; src/idp/ decides what each means. */
enum app_profile {
	APP_PROFILE_TWITCH,	/* exactly id.twitch.tv's answers: the default */
	APP_PROFILE_OAUTH2,	/* standard OAuth 2.0 / OpenID Connect where Twitch differs */
};
/* The profiles' names by enum app_profile, NULL-ended: the CLI's choices. */
extern const char *const app_profile_names[];
/* A profile's name ("twitch", "oauth2"), as the database and the CLI spell it. */
const char *app_profile_name(enum app_profile p);
/* The profile named name: 0, or -1 if there is none. */
int app_profile_parse(const char *name, enum app_profile *out) MUST_CHECK;

struct store_app {
	char	  client_id[TW_ID_LEN + 1];
	char	 *name;
	int	  is_public;
	enum app_profile profile;
	int	  has_secret;
	uint8_t	  secret_hash[HASH_LEN];
	char	**redirect_uris;	/* in registration order */
	size_t	  n_redirect_uris;
	int64_t	  created_at;
	int64_t	  owner_id;		/* the user who registered it; 0: none (the CLI) */
	char	 *category;		/* as on dev.twitch.tv: "Chat Bot", ... */
};

struct store_token {
	uint8_t	 hash[HASH_LEN];
	char	 client_id[TW_ID_LEN + 1];
	int64_t	 user_id;		/* 0 for an app access token */
	int64_t	 grant_id;		/* 0 for an app access token */
	char	*scopes;		/* space-separated, "" for none */
	int64_t	 created_at;
	int64_t	 expires_at;
	char	 login[TW_LOGIN_MAX + 1];	/* filled by store_token_get */
	char	*claims;		/* ditto: the grant's OIDC claims request */
};

struct store_user {
	int64_t	 id;
	char	 login[TW_LOGIN_MAX + 1];	/* lowercase */
	char	*display_name;
	char	*email;			/* "" when none */
	int	 email_verified;
	char	*profile_image_url;	/* "" when none */
	char	*password_hash;		/* argon2id encoded string */
	int64_t	 created_at;
	int64_t	 updated_at;
};

/*
 * A grant is one authorization of an app by a user: the tokens that a code
 * redemption, an implicit authorization or a device approval produced, and
 * every token refreshed from them.  Deleting the grant invalidates them all
 * in the same instant (lookups join it), which is how code replay, password
 * changes, disconnects and refresh-token reuse revoke tokens.
 */
struct store_grant {
	int64_t	 id;
	int64_t	 user_id;
	char	 client_id[TW_ID_LEN + 1];
	char	*scopes;		/* the ceiling for refreshes */
	char	*claims;		/* OIDC claims request ("" none), for userinfo */
	int64_t	 created_at;
};

/* An authorization code, as minted at /oauth2/authorize. */
struct store_code {
	uint8_t	 hash[HASH_LEN];
	char	 client_id[TW_ID_LEN + 1];
	int64_t	 user_id;
	char	*redirect_uri;
	char	*scopes;
	char	*nonce;			/* "" when none (OpenID Connect) */
	char	*claims;		/* "" when none (OpenID Connect) */
	char	*pkce;			/* PKCE binding, at insert only; "" or NULL: none */
	int64_t	 created_at;
	int64_t	 expires_at;
};

/* What redeeming a code or a refresh token issues, all in one commit. */
struct store_issue {
	struct store_token	 access;	/* hash, scopes, created/expires */
	int			 has_refresh;
	uint8_t			 refresh_hash[HASH_LEN];
	int64_t			 refresh_expires_at;	/* 0: never */
};

/* One line of a user's connections page: an app they authorized. */
struct store_connection {
	char	 client_id[TW_ID_LEN + 1];
	char	*app_name;
	char	*scopes;		/* union of the grants' scopes */
	int64_t	 first_authorized;
};

/*
 * Opens the database named by spec: a postgres:// or postgresql:// URI
 * (libpq's), else an SQLite file path, creating it (mode 0600, in a
 * directory created 0700 if missing).  Applies pending schema migrations.
 * On failure returns NULL and writes a one-line reason into err.
 */
MUST_CHECK struct store *store_open(const char *spec, char *err, size_t err_len);

/* How the store treats its database (twauth serve's --durability, --db-timeout). */
struct store_config {
	/*
	 * 0: a commit is on disk before it is answered (SQLite: the WAL is
	 * synced at every commit; PostgreSQL: synchronous_commit).  1: the
	 * last commits before a power cut may be lost (never the database).
	 */
	int		relaxed;
	/*
	 * Every call's deadline, waiting for a connection, a lock or an
	 * answer included, in milliseconds: past it the call fails
	 * (STORE_ERROR) and a write whose fate is unknown is not retried.
	 */
	unsigned	timeout_ms;
};
/* Durable, with a deadline of TW_DB_TIMEOUT_DEFAULT_MS. */
void store_config_defaults(struct store_config *cfg);
/* store_open with cfg (NULL: the defaults). */
MUST_CHECK struct store *store_open_config(const char *spec, const struct store_config *cfg,
    char *err, size_t err_len);
/*
 * Whether the database answers a trivial statement within the deadline
 * (twauth serve's /readyz): 0, or -1 with the reason in why.
 */
MUST_CHECK int store_ready(struct store *st, char *why, size_t why_len);
/* True if spec names a PostgreSQL database. */
int store_spec_is_pg(const char *spec);
/* "sqlite" or "postgresql". */
const char *store_backend_name(struct store *st);
/* The database for messages: a file path, or "host/database" (no password). */
const char *store_where(struct store *st);
/* Finishes outstanding work and closes.  NULL is a no-op. */
void store_close(struct store *st);
/* The schema version in use (for `twauth db` and tests). */
int store_schema_version(struct store *st);

void store_app_clear(struct store_app *app);
void store_app_list_free(struct store_app *apps, size_t n);
/*
 * STORE_CONFLICT if the client id exists; NOTFOUND if app->owner_id is set
 * and no such user exists.
 */
MUST_CHECK enum store_rc store_app_insert(struct store *st, const struct store_app *app);
MUST_CHECK enum store_rc store_app_get(struct store *st, const char *client_id,
    struct store_app *out);
/* All apps, oldest first; *out is freed with store_app_list_free. */
MUST_CHECK enum store_rc store_app_list(struct store *st, struct store_app **out, size_t *n);
/* The apps owner_id registered, oldest first. */
MUST_CHECK enum store_rc store_app_list_owned(struct store *st, int64_t owner_id,
    struct store_app **out, size_t *n);
/* Replaces the app's redirect URIs with uris[0..n) (checked by the caller). */
MUST_CHECK enum store_rc store_app_set_redirect_uris(struct store *st, const char *client_id,
    char *const *uris, size_t n);
MUST_CHECK enum store_rc store_app_set_secret(struct store *st, const char *client_id,
    const uint8_t secret_hash[HASH_LEN]);
/* STORE_CONFLICT if present already, STORE_LIMIT at TW_MAX_REDIRECT_URIS. */
MUST_CHECK enum store_rc store_app_redirect_add(struct store *st, const char *client_id,
    const char *uri);
/* STORE_NOTFOUND if absent, STORE_LIMIT if it is the last one. */
MUST_CHECK enum store_rc store_app_redirect_remove(struct store *st, const char *client_id,
    const char *uri);
/* Deletes the app and every token it holds, at once. */
MUST_CHECK enum store_rc store_app_delete(struct store *st, const char *client_id);
MUST_CHECK enum store_rc store_app_set_profile(struct store *st, const char *client_id,
    enum app_profile profile);
/*
 * Gives the app to the user owner_id (who then manages it at /console).
 * STORE_NOTFOUND, with nothing changed, if either the app or the user is
 * not there.
 */
MUST_CHECK enum store_rc store_app_set_owner(struct store *st, const char *client_id,
    int64_t owner_id);

void store_token_clear(struct store_token *tok);
/*
 * Inserts tok only if its app exists and, when secret_hash is not NULL, the
 * app is confidential with that secret digest: one statement, so no token is
 * ever issued to an app deleted or given a new secret a moment before.
 * STORE_NOTFOUND when that condition fails (nothing is written).
 */
MUST_CHECK enum store_rc store_token_insert(struct store *st, const struct store_token *tok,
    const uint8_t *secret_hash);
/* Called once when a queued write has finished (or failed) with rc. */
typedef void (*store_done_fn)(void *arg, enum store_rc rc);
/*
 * store_token_insert through the backend's group commit: the insert is
 * queued and committed together with others that arrive meanwhile, so a
 * burst of app tokens costs one commit, not one each.  done(arg, rc) is
 * called exactly once, from the committing thread, and only after the
 * commit (or its failure): never before the token is durable.  It may run
 * before this function returns (a backend without a queue finishes at
 * once).  tok and secret_hash are copied; rc as for store_token_insert.
 */
void store_token_insert_queued(struct store *st, const struct store_token *tok,
    const uint8_t *secret_hash, store_done_fn done, void *arg);
/* What the group commit has done since the store was opened. */
struct store_stats {
	uint64_t	queued_writes;		/* writes queued: token inserts, refreshes */
	uint64_t	group_commits;		/* transactions that committed them together */
};
/* Zeroes for a backend without a group commit. */
void store_stats(struct store *st, struct store_stats *out);
/* Looks a token up by digest, whatever its expiry (the caller decides). */
MUST_CHECK enum store_rc store_token_get(struct store *st, const uint8_t hash[HASH_LEN],
    struct store_token *out);
/*
 * Revokes the first of the n digests in hashes that names a token of
 * client_id, in one transaction: an access token is deleted; a refresh
 * token's digest revokes its whole grant (RFC 7009 2.1).  Else NOTFOUND.
 * (A presented token has a digest per way it may have been stored.)
 */
MUST_CHECK enum store_rc store_token_revoke(struct store *st, const uint8_t (*hashes)[HASH_LEN],
    size_t n, const char *client_id);
/*
 * store_token_revoke through the group commit (as store_token_insert_queued):
 * done(arg, rc) once it is committed.  The arguments must stay valid until
 * done is called.
 */
void store_token_revoke_queued(struct store *st, const uint8_t (*hashes)[HASH_LEN], size_t n,
    const char *client_id, store_done_fn done, void *arg);

/* ---- users ---- */

void store_user_clear(struct store_user *u);
void store_user_list_free(struct store_user *users, size_t n);
/* Assigns u->id (the next free id).  STORE_CONFLICT if the login is taken. */
MUST_CHECK enum store_rc store_user_insert(struct store *st, struct store_user *u);
/* login must be lowercase. */
MUST_CHECK enum store_rc store_user_get_by_login(struct store *st, const char *login,
    struct store_user *out);
MUST_CHECK enum store_rc store_user_get(struct store *st, int64_t id, struct store_user *out);
MUST_CHECK enum store_rc store_user_list(struct store *st, struct store_user **out, size_t *n);
/* Deletes the user with their grants, sessions, consents and codes. */
MUST_CHECK enum store_rc store_user_delete(struct store *st, int64_t id);
/* Sets the password hash and deletes every grant and session of the user. */
MUST_CHECK enum store_rc store_user_set_password(struct store *st, int64_t id,
    const char *password_hash, int64_t now);
/*
 * What a new password ends, without a new password: every grant and
 * session of the user, in one transaction.  NOTFOUND if they had no grant
 * (then nothing changed).
 */
MUST_CHECK enum store_rc store_user_sign_out(struct store *st, int64_t id);

/* ---- Helix channels (store_channels.c) ---- */

/* What PATCH /helix/channels set on a broadcaster's channel. */
struct store_channel {
	int64_t	 broadcaster_id;
	char	*title;
	char	*game_id;		/* "" when none */
	char	*game_name;		/* "" when none */
	char	*language;
	int64_t	 updated_at;
};

/* The members a change sets, each NULL to leave it as it is. */
struct store_channel_set {
	const char	*title;
	const char	*game_id;
	const char	*game_name;
	const char	*language;
};

void store_channel_clear(struct store_channel *ch);
/* The broadcaster's row; NOTFOUND if no change was ever made. */
MUST_CHECK enum store_rc store_channel_get(struct store *st, int64_t broadcaster_id,
    struct store_channel *out);
/*
 * Sets the members of set that are not NULL, at now, in one statement: a
 * channel without a row gets one, its other members from fresh (all set
 * there).  NOTFOUND, with nothing written, if there is no such user.
 */
MUST_CHECK enum store_rc store_channel_put(struct store *st, int64_t broadcaster_id,
    const struct store_channel_set *set, const struct store_channel_set *fresh, int64_t now);

/* ---- browser sessions ---- */

MUST_CHECK enum store_rc store_session_insert(struct store *st, const uint8_t hash[HASH_LEN],
    int64_t user_id, int64_t created_at, int64_t expires_at);
/* The signed-in user if the session exists and has not expired at now. */
MUST_CHECK enum store_rc store_session_get(struct store *st, const uint8_t hash[HASH_LEN],
    int64_t now, struct store_user *out);
MUST_CHECK enum store_rc store_session_delete(struct store *st, const uint8_t hash[HASH_LEN]);

/* ---- consent, grants, codes, refresh ---- */

/* scopes is the canonical (sorted, space-separated) scope set. */
MUST_CHECK enum store_rc store_consent_get(struct store *st, int64_t user_id,
    const char *client_id, const char *scopes);
MUST_CHECK enum store_rc store_consent_put(struct store *st, int64_t user_id,
    const char *client_id, const char *scopes, int64_t now);

/*
 * Creates a grant for (grant->user_id, grant->client_id) and issues its
 * tokens, if both the user and the app exist (else NOTFOUND).  Sets
 * grant->id.  The implicit flow's one step.
 */
MUST_CHECK enum store_rc store_grant_issue(struct store *st, struct store_grant *grant,
    const struct store_issue *issue);
/*
 * How many grants of user_id with client_id hold a refresh token usable
 * at now, into *n: more than one after an authorization means the app
 * asked again instead of refreshing (the rules lab).
 */
MUST_CHECK enum store_rc store_grants_live(struct store *st, int64_t user_id,
    const char *client_id, int64_t now, int64_t *n);
/* Connections: the apps user_id has live grants with, oldest first. */
MUST_CHECK enum store_rc store_connections_list(struct store *st, int64_t user_id,
    struct store_connection **out, size_t *n);
void store_connections_free(struct store_connection *c, size_t n);
/*
 * Deletes every grant and consent between the user and the app: their
 * tokens stop validating at once.  NOTFOUND if there was none.
 */
MUST_CHECK enum store_rc store_grants_delete(struct store *st, int64_t user_id,
    const char *client_id);

/* Stores a fresh code, if the app and user exist (else NOTFOUND). */
MUST_CHECK enum store_rc store_code_insert(struct store *st, const struct store_code *code);
void store_code_clear(struct store_code *code);
/*
 * Redeems a code in one transaction: it must exist, belong to client_id,
 * be unexpired at issue->access.created_at and unused, and have been made
 * for redirect_uri and with the PKCE binding pkce ("" for none).  Then it
 * is marked used, a grant is created and the tokens of issue stored in it,
 * and *out receives the code's contents.
 *   NOTFOUND  no such code, another client's, or expired
 *   MISMATCH  redirect_uri differs from the one at authorize (nothing used)
 *   UNPROVEN  pkce differs from the code's binding (nothing used)
 *   REPLAY    used before: the grant it produced is deleted now
 */
MUST_CHECK enum store_rc store_code_redeem(struct store *st, const uint8_t hash[HASH_LEN],
    const char *client_id, const char *redirect_uri, const char *pkce,
    const struct store_issue *issue, struct store_code *out);

/*
 * How a refresh token's rotation treats a retry (decided in src/idp/):
 * within retry_window seconds of its rotation, while none of its
 * replacements has been used, a rotated-out token may rotate again, up to
 * max_replacements times; after that window its return is a replay.
 */
struct store_refresh_rules {
	int64_t	retry_window;
	int64_t	max_replacements;
};

/*
 * Uses a refresh token of client_id in one transaction: stores the access
 * token of issue in the token's grant and, when issue->has_refresh, replaces
 * the refresh token by issue->refresh_hash (rotation: the old row is kept,
 * marked used, so that presenting it again is recognised).  The access
 * token's scopes are issue->access.scopes if not NULL (they must lie within
 * the grant's: a refresh never widens) or else the grant's.  *grant
 * receives the grant.
 *   NOTFOUND  unknown, another client's, or expired
 *   MISMATCH  asked for a scope the grant does not hold (nothing changed)
 *   REPLAY    a rotated-out token presented again, other than as a retry
 *             (rules): its grant is deleted
 */
MUST_CHECK enum store_rc store_refresh_use(struct store *st, const uint8_t hash[HASH_LEN],
    const char *client_id, const struct store_issue *issue,
    const struct store_refresh_rules *rules, struct store_grant *grant);
/*
 * store_refresh_use through the group commit (as store_token_insert_queued):
 * done(arg, rc) once it is committed, *grant filled by then.  Every
 * argument must stay valid until done is called.
 */
void store_refresh_use_queued(struct store *st, const uint8_t hash[HASH_LEN],
    const char *client_id, const struct store_issue *issue,
    const struct store_refresh_rules *rules, struct store_grant *grant, store_done_fn done,
    void *arg);
void store_grant_clear(struct store_grant *g);

/* ---- device authorizations (RFC 8628) ---- */

enum store_device_state {
	DEVICE_PENDING = 0,	/* waiting for the user at /activate */
	DEVICE_APPROVED,	/* the user said yes; the device has not polled since */
	DEVICE_DENIED,
	DEVICE_REDEEMED,	/* tokens issued: the device code is spent */
};

/* One device authorization, as POST /oauth2/device starts it. */
struct store_device {
	uint8_t			 device_hash[HASH_LEN];	/* SHA-256 of the device code */
	uint8_t			 user_hash[HASH_LEN];	/* SHA-256 of the user code */
	char			 client_id[TW_ID_LEN + 1];
	char			*scopes;		/* canonical */
	int64_t			 created_at;
	int64_t			 expires_at;
	int64_t			 interval;		/* seconds between polls */
	enum store_device_state	 state;
	char			*app_name;		/* filled by store_device_find */
};

/* What a device's poll found (store_device_poll). */
enum store_poll {
	POLL_PENDING,		/* the user has not decided yet */
	POLL_SLOW_DOWN,		/* too soon after the last poll: interval grew */
	POLL_DENIED,
	POLL_ISSUED,		/* approved: the tokens of issue are stored */
};

/* How a too-early poll slows a device down (decided in src/idp/). */
struct store_poll_rules {
	int64_t	slow_down;	/* seconds added to the interval */
	int64_t	max_interval;	/* the interval never grows past it */
};

struct store_poll_result {
	enum store_poll	 outcome;
	int64_t		 interval;	/* the interval the device must now keep */
	char		*scopes;	/* for POLL_ISSUED; owned */
	int64_t		 user_id;	/* for POLL_ISSUED: whose tokens they are */
};

void store_device_clear(struct store_device *d);
/*
 * Stores a new authorization if its app exists (else NOTFOUND).  CONFLICT
 * if a live authorization has the same device or user code (an expired one
 * with that user code is replaced, so codes can be reused after expiry).
 */
MUST_CHECK enum store_rc store_device_insert(struct store *st, const struct store_device *d);
/*
 * The pending, unexpired-at-now authorization whose user code digest is
 * user_hash, with its app's name; MISMATCH if it is unexpired but decided
 * already (a second tab, a double click: not a wrong code); else NOTFOUND.
 */
MUST_CHECK enum store_rc store_device_find(struct store *st, const uint8_t user_hash[HASH_LEN],
    int64_t now, struct store_device *out);
/*
 * Records the user's decision on a pending, unexpired authorization (one
 * conditional update, so two decisions cannot both win): approved for
 * user_id, or denied.  MISMATCH if it was decided already (the loser of
 * two decisions); NOTFOUND if there is no such unexpired authorization.
 */
MUST_CHECK enum store_rc store_device_decide(struct store *st,
    const uint8_t user_hash[HASH_LEN],
    int64_t user_id, int approve, int64_t now);
/*
 * A device polls, in one transaction, at issue->access.created_at.  The
 * authorization must exist, belong to client_id and be unspent (else
 * NOTFOUND), and be unexpired (else EXPIRED).  A poll sooner than the
 * interval after the previous one grows the interval by rules->slow_down
 * (up to rules->max_interval) and answers POLL_SLOW_DOWN; otherwise an
 * approved authorization becomes a grant holding the tokens of issue and
 * is spent (POLL_ISSUED).
 */
MUST_CHECK enum store_rc store_device_poll(struct store *st,
    const uint8_t device_hash[HASH_LEN], const char *client_id,
    const struct store_issue *issue, const struct store_poll_rules *rules,
    struct store_poll_result *out);
void store_poll_result_clear(struct store_poll_result *r);

/* ---- OpenID Connect signing keys ---- */

struct store_key {
	char	 kid[TW_KID_LEN + 1];
	uint8_t	*public_der;		/* SubjectPublicKeyInfo */
	size_t	 public_len;
	uint8_t	*private_enc;		/* encrypted by the idp; opaque here */
	size_t	 private_len;
	int64_t	 created_at;
	int64_t	 retired_at;		/* 0 while it signs */
};

/*
 * Adds k as the signing key.  With rotate, the keys signing until now are
 * retired at k->created_at in the same transaction.  Without, k is added
 * only if no key signs yet (else CONFLICT: another server made the first
 * key a moment ago).
 */
MUST_CHECK enum store_rc store_key_add(struct store *st, const struct store_key *k, int rotate);
/* The TW_MAX_KEYS newest keys, newest first; free with store_key_list_free. */
MUST_CHECK enum store_rc store_key_list(struct store *st, struct store_key **out, size_t *n);
void store_key_list_free(struct store_key *keys, size_t n);

/* ---- keeping the database ---- */

/*
 * Copies the database, consistently and while servers use it, into a new
 * file at path (created 0600; an existing file is not replaced).  SQLite
 * only: for PostgreSQL it fails, saying to use pg_dump.  0, or -1 with err.
 */
MUST_CHECK int store_backup(struct store *st, const char *path, char *err, size_t err_len);
/*
 * Checks the database's structure (SQLite: integrity and foreign keys;
 * PostgreSQL: that it answers, and the schema's version).  Each problem is
 * passed to report; returns how many there were, or -1 if the check itself
 * failed.
 */
MUST_CHECK int store_check(struct store *st, void (*report)(void *arg, const char *problem),
    void *arg);

/* ---- the purge ---- */

/* What one purge deleted. */
struct store_purged {
	uint64_t	tokens, codes, device_codes, sessions, refresh_tokens, grants;
	uint64_t	keys, buckets;
	uint64_t	audit;		/* rows of the record of what apps did */
};

/* How long what ended is kept before the purge deletes it (decided in src/idp/). */
struct store_purge_rules {
	int64_t	now;
	/* Codes, device codes and budgets, after they end (a replayed code is still caught). */
	int64_t	ended_kept;
	int64_t	rotated_kept;	/* rotated-out refresh tokens, after their rotation */
	int64_t	keys_before;	/* signing keys retired before this go */
	int64_t	audit_before;	/* the record of what apps did, before this (seconds) */
};

/*
 * Deletes what ended: access tokens and sessions at their expiry; codes,
 * device codes and budgets rules->ended_kept after theirs; refresh tokens
 * at their expiry, and rotated-out ones rules->rotated_kept after their
 * rotation; grants that no refresh token and no live access token keeps;
 * signing keys retired before rules->keys_before.  In transactions of at
 * most TW_PURGE_CHUNK rows, at most TW_PURGE_MAX_ROWS in all per call, so
 * it never holds the database long; counts go to *out.  OK, or ERROR (what
 * was deleted stays deleted).
 */
MUST_CHECK enum store_rc store_purge(struct store *st, const struct store_purge_rules *rules,
    struct store_purged *out);

/* ---- what apps under test did (src/idp/audit.h) ---- */

/*
 * One counted fact: count times kind in minute, for client_id, its account
 * and token, between first_at and last_at (ms), first and last seen in
 * the requests named.
 */
struct store_audit_row {
	char	 client_id[TW_ID_LEN + 1];
	int64_t	 minute;
	char	 kind[TW_AUDIT_KIND_MAX + 1];
	int64_t	 user_id;
	char	 token_id[TW_AUDIT_TOKEN_ID_LEN + 1];
	char	 detail[TW_AUDIT_DETAIL_MAX + 1];
	int64_t	 count;
	int64_t	 first_at;
	int64_t	 last_at;
	char	 first_request[TW_MAX_REQUEST_ID + 1];
	char	 last_request[TW_MAX_REQUEST_ID + 1];
};

/*
 * Adds rows to what is recorded, in one transaction: a row that is there
 * already (client, minute, kind, account, token, detail) adds its count and
 * widens its times, so every server of one database adds up.
 */
MUST_CHECK enum store_rc store_audit_add(struct store *st, const struct store_audit_row *rows,
    size_t n);
/*
 * client_id's rows from since_minute on, by first_at: a malloc'd array in
 * *rows (free it), *n long; the newest TW_AUDIT_REPORT_MAX_ROWS of them.
 */
MUST_CHECK enum store_rc store_audit_list(struct store *st, const char *client_id,
    int64_t since_minute, struct store_audit_row **rows, size_t *n);

/* ---- ending tokens on purpose (twauth chaos; src/idp/chaos.c) ---- */

/* One grant, as the chaos commands find them. */
struct store_chaos_grant {
	int64_t	 id;
	char	 client_id[TW_ID_LEN + 1];
	int64_t	 user_id;
	char	 login[TW_LOGIN_MAX + 1];
};

/*
 * The grants of client_id (NULL: every app's) with user_id (0: any user)
 * whose id is above after_id, in id order, at most max: a malloc'd array
 * in *out (free it), *n long.  A caller pages on with the last id.
 */
MUST_CHECK enum store_rc store_chaos_grants(struct store *st, const char *client_id,
    int64_t user_id, int64_t after_id, size_t max, struct store_chaos_grant **out, size_t *n);
/*
 * The access tokens of user_id's grants with client_id that are live at
 * now expire at now; their refresh tokens are untouched (an expired token
 * refreshes).  OK with how many in *ended, or NOTFOUND if none was live.
 */
MUST_CHECK enum store_rc store_chaos_expire(struct store *st, const char *client_id,
    int64_t user_id, int64_t now, int64_t *ended);
/*
 * The same tokens are deleted, as POST /oauth2/revoke of each access token
 * does: the grants and their refresh tokens stay.
 */
MUST_CHECK enum store_rc store_chaos_revoke(struct store *st, const char *client_id,
    int64_t user_id, int64_t now, int64_t *ended);

/* ---- budgets shared by every server of the database ---- */

/*
 * A token bucket named name, kept in the database so that every server
 * spends from one budget: it holds up to burst, refilled at per_hour.
 * store_bucket_take spends one if there is one (OK) or says it is empty
 * (LIMIT), with one conditional UPDATE, so takers on any number of servers
 * never overspend.  store_bucket_wait puts the seconds until there is one
 * into *wait (0: now).  A bucket never used is full.
 */
MUST_CHECK enum store_rc store_bucket_take(struct store *st, const char *name, unsigned burst,
    unsigned per_hour, int64_t now);
MUST_CHECK enum store_rc store_bucket_wait(struct store *st, const char *name, unsigned burst,
    unsigned per_hour, int64_t now, int64_t *wait);

#endif
