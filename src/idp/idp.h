/*
 * The identity logic: apps, client authentication, tokens.  It knows
 * neither HTTP nor SQL: callers pass plain strings, it talks to the store and
 * answers with results or an enum idp_err (errors.h).
 *
 * Secrets it generates (client secrets, tokens) are returned to the caller
 * exactly once and only their SHA-256 digests are stored.
 */
#ifndef IDP_H
#define IDP_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "../common/compiler.h"
#include "../common/limits.h"
#include "../store/store.h"
#include "errors.h"

struct idp_config {
	int64_t	app_token_ttl;		/* seconds */
	int64_t	user_token_ttl;		/* seconds */
	int64_t	code_ttl;		/* seconds */
	int64_t	session_ttl;		/* seconds */
	int64_t	device_code_ttl;	/* seconds */
	int64_t	id_token_ttl;		/* seconds */
	/*
	 * Failures allowed before each further one must wait (doubling from
	 * 1 s): sign-ins per login and per address, client authentications
	 * (wrong secrets) per client id and (also unknown client ids) per
	 * address, wrong /activate codes per address.  throttle_slots bounds
	 * how many logins, addresses and client ids each limit remembers.
	 */
	unsigned login_failures;
	unsigned address_failures;
	unsigned client_failures;
	unsigned activate_failures;
	unsigned throttle_slots;
	/* Record what apps do for the rules lab (audit.h); serve --no-audit clears it. */
	int	audit;
	/*
	 * serve --chaos-token-errors: the share of POST /oauth2/token requests
	 * answered 503 on purpose, in units of 1/TW_CHAOS_ONE (0: none).
	 */
	unsigned chaos_token_errors;
	/* Seals the OIDC private keys in the database (keys.c); from a file. */
	int	has_key_secret;
	uint8_t	key_secret[TW_KEY_SECRET_LEN];
};

struct idp;

/* Uses store (not owned) with cfg (copied). */
struct idp *idp_new(struct store *store, const struct idp_config *cfg);
void idp_free(struct idp *idp);
void idp_config_defaults(struct idp_config *cfg);

/* ---- the record of what apps do (audit.h) ---- */

struct audit_fact;
/* Counts f, if recording is on. */
void idp_note(struct idp *idp, const struct audit_fact *f);
/* The audit of idp (NULL: recording is off), to flush or ask what it dropped. */
struct audit *idp_audit(struct idp *idp);
/* The token id (audit.h) of a presented token: hex, NUL-terminated. */
void idp_token_id(const char *token, size_t len, char out[TW_AUDIT_TOKEN_ID_LEN + 1]);

/* ---- apps (apps.c) ---- */

#define IDP_APP_PUBLIC		0x1	/* no secret: device flow only */
#define IDP_APP_OAUTH2		0x2	/* the oauth2 profile (idp_app_set_profile) */
/*
 * Confidential, but no secret until idp_app_reset_secret makes the first:
 * the console's registration, which shows no secret (one nobody saw would
 * be one nobody can use).
 */
#define IDP_APP_NO_SECRET	0x4

/* A new app, for idp_app_create. */
struct idp_app_new {
	const char	 *name;
	char *const	 *redirect_uris;
	size_t		  n_redirect_uris;
	unsigned	  flags;		/* IDP_APP_* */
	int64_t		  owner_id;		/* the registering user; 0: none */
	const char	 *category;		/* one of idp_app_categories; NULL: "Other" */
};

/* The categories apps are registered under (as on dev.twitch.tv), NULL-ended. */
extern const char *const idp_app_categories[];

/* The rules of idp_app_create, one field each, for forms that tell all at once. */
int idp_app_name_ok(const char *name);
int idp_app_category_ok(const char *category);
/* A redirect URI list: 1 to 10 valid URIs, none twice.  IDP_OK or why not. */
enum idp_err idp_app_check_redirect_uris(char *const *uris, size_t n) MUST_CHECK;

/*
 * Registers an app.  On success *app is filled (free with store_app_clear)
 * and, for a confidential app, secret receives the client secret: the only
 * time it exists in clear ("" with IDP_APP_NO_SECRET).
 */
enum idp_err idp_app_create(struct idp *idp, const struct idp_app_new *nw,
    struct store_app *app, char secret[TW_ID_LEN + 1]) MUST_CHECK;
/* The apps owner_id registered; free with store_app_list_free. */
enum idp_err idp_apps_owned(struct idp *idp, int64_t owner_id, struct store_app **apps,
    size_t *n) MUST_CHECK;
/* Replaces an app's redirect URIs, under the rules of idp_app_create. */
enum idp_err idp_app_set_redirect_uris(struct idp *idp, const char *client_id,
    char *const *uris, size_t n) MUST_CHECK;
/*
 * Switches an app's profile.  twitch: exactly id.twitch.tv's answers.
 * oauth2, in addition or instead: "scope" as one string (RFC 6749 5.1),
 * RFC 6749 5.2 / RFC 8628 3.5 error and error_description members in
 * errors, offline_access accepted and ignored (refresh tokens come
 * anyway), HTTP Basic client authentication, a confidential app
 * authenticating where Twitch takes its client id alone (device flow,
 * revocation), a public app's code flow with PKCE S256 and loopback
 * redirect URIs on any port (RFC 8252), and no plain PKCE.
 */
enum idp_err idp_app_set_profile(struct idp *idp, const char *client_id,
    enum app_profile profile) MUST_CHECK;
/*
 * Gives the app to the user login, who then manages it at /console (apps
 * the CLI registers without --owner belong to nobody).  IDP_ERR_UNKNOWN_APP
 * or IDP_ERR_UNKNOWN_USER with nothing changed.
 */
enum idp_err idp_app_set_owner(struct idp *idp, const char *client_id,
    const char *login) MUST_CHECK;
/* Makes a new secret; the old one, if any, stops working at once. */
enum idp_err idp_app_reset_secret(struct idp *idp, const char *client_id,
    char secret[TW_ID_LEN + 1]) MUST_CHECK;
enum idp_err idp_app_redirect_add(struct idp *idp, const char *client_id,
    const char *uri) MUST_CHECK;
enum idp_err idp_app_redirect_remove(struct idp *idp, const char *client_id,
    const char *uri) MUST_CHECK;
/* Deletes the app; its tokens stop validating at once. */
enum idp_err idp_app_delete(struct idp *idp, const char *client_id) MUST_CHECK;
enum idp_err idp_app_get(struct idp *idp, const char *client_id,
    struct store_app *app) MUST_CHECK;
/* Checks a candidate redirect URI (also used by pages and the console). */
int idp_redirect_uri_ok(const char *uri);

/* ---- tokens (grants.c and grant_*.c, validate.c, revoke.c) ---- */

/* What POST /oauth2/token received; NULL or "" means absent. */
/* How a client sent its credentials. */
enum idp_client_auth_way {
	IDP_AUTH_PARAMS,		/* client_id and client_secret parameters (Twitch) */
	IDP_AUTH_BASIC,			/* HTTP Basic (RFC 6749 2.3.1): the oauth2 profile's */
	IDP_AUTH_BASIC_MALFORMED,	/* an Authorization: Basic that does not decode */
};

/*
 * A client's credentials as a request at an endpoint where Twitch takes a
 * client id alone (revocation, starting the device flow) brought them.
 */
struct idp_client_creds {
	enum idp_client_auth_way way;
	const char	*client_id;	/* the parameters */
	const char	*client_secret;
	const char	*basic_id;	/* for IDP_AUTH_BASIC */
	const char	*basic_secret;
	const char	*client_addr;	/* for the failure limits; or NULL */
};

/* How an error is to be answered, where the app's profile decides it. */
struct idp_answer_shape {
	int	 oauth2;	/* the app has the oauth2 profile */
	int	 basic;		/* it authenticated with HTTP Basic */
	int64_t	 retry_after;	/* for IDP_ERR_CLIENT_THROTTLED: seconds */
};

struct idp_token_request {
	const char	*grant_type;
	const char	*client_id;
	const char	*client_secret;
	const char	*scope;
	const char	*code;
	const char	*redirect_uri;
	const char	*refresh_token;
	const char	*device_code;
	const char	*code_verifier;	/* PKCE (RFC 7636) */
	const char	*user_id;	/* mock-api's user_token: the user, decimal */
	const char	*issuer;	/* "<public url>/oauth2", for id_tokens */
	const char	*client_addr;	/* the caller's address, for the limits; or NULL */
	enum idp_client_auth_way auth;	/* IDP_AUTH_BASIC: basic_id and basic_secret */
	const char	*basic_id;
	const char	*basic_secret;
	int		 from_browser;	/* Origin or Fetch metadata: for the record */
};

struct idp_token_response {
	char	 access_token[TW_ID_LEN + 1];
	int64_t	 expires_in;
	char	 refresh_token[TW_MAX_TOKEN_LEN + 1];	/* "" for app tokens */
	int	 user_token;		/* scope array and refresh token apply */
	char	*scopes;		/* space-separated, owned; NULL for app tokens */
	char	 error_detail[256];	/* the names, for IDP_ERR_INVALID_SCOPE */
	int64_t	 interval;		/* for IDP_ERR_SLOW_DOWN: the new interval */
	int64_t	 retry_after;		/* for IDP_ERR_CLIENT_THROTTLED: seconds */
	char	*id_token;		/* OpenID Connect, when openid was granted; owned */
	int	 oauth2;		/* the app has the oauth2 profile; set once it is known */
	int	 basic;			/* the client authenticated with HTTP Basic */
	/* For the record (audit.h): */
	int64_t	 user_id;		/* whose user token it is; 0 for app tokens */
	const char *grant_type;		/* the grant that issued it (static) */
	int	 replayed;		/* a replaced refresh token was presented */
	int	 browser_secret;	/* a browser sent the client secret */
	char	 presented_id[TW_AUDIT_TOKEN_ID_LEN + 1];	/* its token id */
};

/*
 * POST /oauth2/token: every grant type of the table in grants.c
 * (client_credentials, authorization_code, refresh_token,
 * urn:ietf:params:oauth:grant-type:device_code).  Clear resp with
 * idp_token_response_clear.
 */
enum idp_err idp_token(struct idp *idp, const struct idp_token_request *req,
    struct idp_token_response *resp) MUST_CHECK;
void idp_token_response_clear(struct idp_token_response *resp);
/*
 * idp_token for servers that should not hold a thread while the store
 * commits.  Client credentials and refresh tokens (with their credentials
 * as parameters; HTTP Basic is answered at once) are queued for the
 * store's group commit:
 * then *pending is set, resume(arg) is called exactly once from another
 * thread (or before this returns), and idp_token_finish(pending) gives the
 * outcome, fills resp and frees pending.  Every other request is answered
 * at once, as by idp_token, with *pending NULL.
 */
struct idp_pending;
enum idp_err idp_token_start(struct idp *idp, const struct idp_token_request *req,
    struct idp_token_response *resp, struct idp_pending **pending,
    void (*resume)(void *), void *arg) MUST_CHECK;
enum idp_err idp_token_finish(struct idp *idp, struct idp_pending *pending,
    struct idp_token_response *resp) MUST_CHECK;

/*
 * twitch mock-api's made-up grant (POST /auth/authorize with
 * grant_type=user_token): a user token for req->user_id with the scopes of
 * req, to the confidential app whose secret req carries, without asking
 * the user.  Tests use it to skip the browser; a server offers it only
 * with --mock-api-compat.  Answers like the code flow's exchange.
 */
enum idp_err idp_mock_user_token(struct idp *idp, const struct idp_token_request *req,
    struct idp_token_response *resp) MUST_CHECK;

/* What /oauth2/validate says about a token. */
struct idp_token_info {
	char	 client_id[TW_ID_LEN + 1];
	int64_t	 user_id;		/* 0 for an app token */
	char	 login[TW_LOGIN_MAX + 1];
	char	*scopes;		/* space-separated; owned */
	int64_t	 expires_in;
	char	 token_id[TW_AUDIT_TOKEN_ID_LEN + 1];	/* for the record, live or not */
};

void idp_token_info_clear(struct idp_token_info *info);

/* A token introspection request (RFC 7662); credentials folded from Basic. */
struct idp_introspect_request {
	const char	*client_id;
	const char	*client_secret;
	const char	*token;
	const char	*client_addr;	/* for the failure limits; or NULL */
};
/*
 * POST /oauth2/introspect: after the app's authentication (a confidential
 * app and its secret, under the token endpoint's failure limits; for
 * IDP_ERR_CLIENT_THROTTLED, *retry_after seconds), *active says whether
 * token is a live access token of that app, and if so info describes it.
 * Any other token is inactive, IDP_OK.  Clear info with idp_token_info_clear.
 */
enum idp_err idp_introspect(struct idp *idp, const struct idp_introspect_request *req,
    struct idp_token_info *info, int *active, int64_t *retry_after) MUST_CHECK;
/* token is the presented bytes (not NUL-terminated). */
enum idp_err idp_validate(struct idp *idp, const char *token, size_t token_len,
    struct idp_token_info *info) MUST_CHECK;
/*
 * Revokes token if it belongs to client_id.  IDP_OK also when the token is
 * unknown or someone else's (RFC 7009: the caller cannot act on it), but
 * never when the store failed.
 */
enum idp_err idp_revoke(struct idp *idp, const char *client_id, const char *token)
    MUST_CHECK;
/*
 * Who is asking at an endpoint where Twitch takes a client id alone
 * (revocation, starting the device flow), into client_id: a twitch app is
 * its client id (a secret sent is not looked at, as on Twitch, and HTTP
 * Basic is refused with a message saying to send parameters); an oauth2
 * app may use Basic, and a confidential one must authenticate (RFC 7009
 * 2.1, RFC 8628 3.1), under the token endpoint's failure limits.  *shape
 * says how an error is to be answered.
 */
enum idp_err idp_client_identify(struct idp *idp, const struct idp_client_creds *who,
    char client_id[TW_ID_LEN + 1], struct idp_answer_shape *shape) MUST_CHECK;
/*
 * idp_revoke for servers that should not hold a thread while the store
 * commits, as idp_token_start (the client as idp_client_identify says,
 * *shape for an error): IDP_OK with *pending set, resume(arg)
 * called exactly once (perhaps before this returns), and
 * idp_revoke_finish(pending) gives the outcome and frees pending; or the
 * answer at once with *pending NULL.
 */
struct idp_revocation;
enum idp_err idp_revoke_start(struct idp *idp, const struct idp_client_creds *who,
    const char *token, struct idp_revocation **pending, void (*resume)(void *), void *arg,
    struct idp_answer_shape *shape) MUST_CHECK;
enum idp_err idp_revoke_finish(struct idp_revocation *pending) MUST_CHECK;

/* ---- users (users.c) ---- */

struct idp_user_new {
	const char	*login;
	const char	*display_name;		/* NULL: the login as typed */
	const char	*email;			/* NULL: none */
	int		 email_verified;
	const char	*profile_image_url;	/* NULL: none */
	const char	*password;
	size_t		 password_len;
};

/* True if login follows Twitch's rules (4-25 of [A-Za-z0-9_]). */
int idp_login_ok(const char *login);
/* Creates a user (password hashed with argon2id); *out freed by store_user_clear. */
enum idp_err idp_user_create(struct idp *idp, const struct idp_user_new *nu,
    struct store_user *out) MUST_CHECK;
/* Looks a user up by login, case-insensitively. */
enum idp_err idp_user_get(struct idp *idp, const char *login, struct store_user *out)
    MUST_CHECK;
enum idp_err idp_user_by_id(struct idp *idp, int64_t id, struct store_user *out) MUST_CHECK;
enum idp_err idp_user_delete(struct idp *idp, const char *login) MUST_CHECK;
/* New password; every token, grant and session of the user ends at once. */
enum idp_err idp_user_passwd(struct idp *idp, const char *login, const char *password,
    size_t password_len) MUST_CHECK;
/* The apps a user has authorized; free with store_connections_free. */
enum idp_err idp_connections(struct idp *idp, int64_t user_id,
    struct store_connection **out, size_t *n) MUST_CHECK;
/* Ends every grant between the user and the app at once. */
enum idp_err idp_user_disconnect(struct idp *idp, int64_t user_id, const char *client_id)
    MUST_CHECK;

/*
 * Checks a sign-in.  client_addr keys the per-address limit; the per-login
 * limit holds back every browser but one that known_device says signed in
 * as this login before (idp_known_device).  Each attempt is counted before
 * the password is checked, so attempts at the same moment cannot all pass
 * the limits at once.  Returns IDP_OK with *out filled,
 * IDP_ERR_SIGNIN_FAILED (never saying which part was wrong), or
 * IDP_ERR_SIGNIN_THROTTLED with *retry_after seconds.
 */
enum idp_err idp_sign_in(struct idp *idp, const char *login, const char *password,
    size_t password_len, const char *client_addr, int known_device, struct store_user *out,
    int64_t *retry_after) MUST_CHECK;

/* ---- what the pages sign (pagekeys.c) ---- */

/* The CSRF token of the browser whose session cookie is session[0..len). */
void idp_session_csrf(const struct idp *idp, const char *session, size_t len,
    char out[TW_CSRF_LEN + 1]);
/* The known-device cookie for a browser that just signed in as login ("" if none). */
void idp_known_device_cookie(const struct idp *idp, const char *login,
    char out[TW_MAX_DEVICE_COOKIE + 1]);
/* Whether value[0..len) is a live known-device cookie of login (as typed, folded). */
int idp_known_device(const struct idp *idp, const char *login, const char *value,
    size_t len);

/* ---- browser sessions (sessions.c) ---- */

/* Starts a session for user_id; value receives the cookie value. */
enum idp_err idp_session_start(struct idp *idp, int64_t user_id,
    char value[TW_SESSION_LEN + 1]) MUST_CHECK;
/* The user of a session cookie value; IDP_ERR_UNKNOWN_USER if none. */
enum idp_err idp_session_user(struct idp *idp, const char *value, size_t len,
    struct store_user *out) MUST_CHECK;
void idp_session_end(struct idp *idp, const char *value, size_t len);

/* ---- authorize (authorize.c) ---- */

/* What GET /oauth2/authorize received; NULL means absent. */
struct idp_authz_request {
	const char	*client_id;
	const char	*redirect_uri;
	const char	*response_type;
	const char	*scope;
	const char	*state;
	const char	*force_verify;
	const char	*nonce;
	const char	*claims;
	const char	*code_challenge;	/* PKCE (RFC 7636) */
	const char	*code_challenge_method;
	const char	*issuer;	/* "<public url>/oauth2", for id_tokens */
};

enum idp_authz_outcome {
	AUTHZ_SHOW_ERROR,	/* no trustworthy redirect URI: show error */
	AUTHZ_REDIRECT,		/* send the browser to location (an error there) */
	AUTHZ_PROCEED,		/* valid: sign in, consent, then idp_authorize_* */
};

/* What a code is bound to by PKCE: BASE64URL(SHA256(code_verifier)). */
#define IDP_PKCE_LEN	43

struct idp_authz {
	enum idp_authz_outcome	 outcome;
	enum idp_err		 error;		/* for AUTHZ_SHOW_ERROR */
	char			*location;	/* for AUTHZ_REDIRECT; owned */
	struct store_app	 app;		/* for AUTHZ_PROCEED */
	char			*redirect_uri;	/* where to go: url_root_path form; owned */
	char			*scopes;	/* canonical; owned */
	/* What response_type asks for: "code", "token", "id_token", or pairs. */
	int			 want_code;
	int			 want_token;
	int			 want_id_token;
	int			 force_verify;
	unsigned		 claims;	/* the claims it would share (oidc.c) */
	char			*consent;	/* what the user consents to; owned */
	char			 pkce[IDP_PKCE_LEN + 1];	/* the code's binding (pkce.c); "" if none */
};

/*
 * The claims a claims request (NULL or "" for none) would share under
 * scopes: the email ones only with user:read:email.  A set of bits.
 */
unsigned idp_claims_shared(const char *claims, const char *scopes);
/* What the consent page says of each claim in bits, at most max, into out. */
size_t idp_claims_shown(unsigned bits, const char **out, size_t max);
/* The consent the user gives: the scopes and the claims in bits (malloc'd). */
char *idp_consent_of(const char *scopes, unsigned bits);

/* Checks an authorization request; clear *out with idp_authz_clear. */
void idp_authorize_check(struct idp *idp, const struct idp_authz_request *req,
    struct idp_authz *out);
void idp_authz_clear(struct idp_authz *a);
/* IDP_OK if user already consented to exactly this scope set for the app. */
enum idp_err idp_authorize_consented(struct idp *idp, const struct store_user *user,
    const struct idp_authz *a) MUST_CHECK;
/*
 * The user said yes: remembers the consent and mints a code (or, for the
 * implicit flow, an access token).  *location (malloc'd) is where to send
 * the browser.
 */
enum idp_err idp_authorize_approve(struct idp *idp, const struct store_user *user,
    const struct idp_authz *a, const struct idp_authz_request *req, char **location)
    MUST_CHECK;
/*
 * The user said no: *location carries error=access_denied.  Only for a
 * request that idp_authorize_check let proceed (its redirect_uri is
 * registered).
 */
void idp_authorize_deny(const struct idp_authz *a, const struct idp_authz_request *req,
    char **location);

/* ---- OpenID Connect (keys.c, oidc.c) ---- */

enum idp_key_state { KEY_SIGNING, KEY_PUBLISHED, KEY_EXPIRED };

struct idp_key_info {
	char			 kid[TW_KID_LEN + 1];
	int64_t			 created_at;
	int64_t			 retired_at;	/* 0 while signing */
	enum idp_key_state	 state;
	char			*n, *e;		/* the JWK members, base64url */
};

/*
 * Makes the first signing key if there is none; otherwise checks that the
 * secret opens the signing key (IDP_ERR_KEY_SECRET_MISMATCH if not).
 */
enum idp_err idp_keys_ensure(struct idp *idp) MUST_CHECK;
/* A new signing key; the old one is published until its tokens expire. */
enum idp_err idp_keys_rotate(struct idp *idp, char kid[TW_KID_LEN + 1]) MUST_CHECK;
/* Every key (or only those in the JWKS), newest first. */
enum idp_err idp_keys_list(struct idp *idp, int published_only, struct idp_key_info **out,
    size_t *n) MUST_CHECK;
void idp_key_info_free(struct idp_key_info *keys, size_t n);

/*
 * GET /oauth2/userinfo: sub and the claims the grant's claims request asked
 * for under "userinfo".  *out is a JSON object.  The token must be a user
 * token granted openid (IDP_ERR_USERINFO_NEEDS_OPENID otherwise).
 */
enum idp_err idp_userinfo(struct idp *idp, const char *token, size_t token_len,
    json_t **out) MUST_CHECK;

/* ---- Helix, the slice of api.twitch.tv that makes tokens useful (helix.c) ---- */

/* Who calls: the Bearer token, checked against the Client-Id header. */
struct idp_helix_caller {
	char	 client_id[TW_ID_LEN + 1];
	int64_t	 user_id;		/* 0 for an app token */
	char	*scopes;		/* owned */
	char	 token_id[TW_AUDIT_TOKEN_ID_LEN + 1];	/* for the record, live or not */
};

/*
 * Checks a Helix call's credentials as api.twitch.tv does: the token (NULL
 * when there was no Bearer token), then the Client-Id header (NULL when
 * absent) against the token's app.  Clear *out with idp_helix_caller_clear.
 */
enum idp_err idp_helix_auth(struct idp *idp, const char *token, size_t token_len,
    const char *client_id, struct idp_helix_caller *out) MUST_CHECK;
void idp_helix_caller_clear(struct idp_helix_caller *c);

/* One user as /helix/users shows them, or their channel (/helix/channels). */
struct idp_helix_user {
	struct store_user	 user;
	int			 show_email;	/* the caller's own, with user:read:email */
	struct store_channel	 channel;	/* idp_helix_channels only */
};

/*
 * The users named by ids and logins (unknown ones are left out, each user
 * once), or, when both are empty, the caller's own user.  At most
 * TW_HELIX_MAX_IDS names in all.  Free *out with idp_helix_users_free.
 */
enum idp_err idp_helix_users(struct idp *idp, const struct idp_helix_caller *c,
    char *const *ids, size_t n_ids, char *const *logins, size_t n_logins,
    struct idp_helix_user **out, size_t *n) MUST_CHECK;
void idp_helix_users_free(struct idp_helix_user *users, size_t n);

/* ---- Helix channels (channels.c) ---- */

/*
 * idp_helix_users for the broadcasters ids names, each with their channel:
 * what PATCH set, a new channel's values for the rest.
 */
enum idp_err idp_helix_channels(struct idp *idp, const struct idp_helix_caller *c,
    char *const *ids, size_t n_ids, struct idp_helix_user **out, size_t *n) MUST_CHECK;
/*
 * PATCH /helix/channels: the caller (a user token with channel:manage:broadcast)
 * changes their own channel, named by every one of the n broadcaster_ids,
 * with the JSON object body[0..len) (json: the request said it is JSON).
 * Twitch's members title, game_id and broadcaster_language are kept; delay,
 * tags, content_classification_labels and is_branded_content are checked
 * as Twitch does and dropped; others are ignored.  The whole body is
 * checked before anything changes: an error changes nothing.
 */
enum idp_err idp_helix_channel_update(struct idp *idp, const struct idp_helix_caller *c,
    char *const *broadcaster_ids, size_t n, int json, const char *body, size_t len)
    MUST_CHECK;

/* ---- device code flow (device.c) ---- */

/* What POST /oauth2/device answers. */
struct idp_device_auth {
	char	 device_code[TW_DEVICE_CODE_LEN + 1];
	char	 user_code[TW_USER_CODE_LEN + 1];
	int64_t	 expires_in;
	int64_t	 interval;
	char	 error_detail[256];	/* the names, for IDP_ERR_INVALID_SCOPE */
	struct idp_answer_shape shape;	/* how an error is answered */
};

/*
 * Starts a device authorization for the client who names (identified as
 * idp_client_identify says) asking for scopes.  Clear *out with
 * idp_device_auth_clear: it holds the device code in clear.
 */
enum idp_err idp_device_start(struct idp *idp, const struct idp_client_creds *who,
    const char *scopes, struct idp_device_auth *out) MUST_CHECK;
void idp_device_auth_clear(struct idp_device_auth *out);

/* What the activation page shows about a code the user typed. */
struct idp_device_view {
	char	 user_code[TW_USER_CODE_LEN + 1];	/* as we print it */
	char	 client_id[TW_ID_LEN + 1];
	char	*app_name;
	char	*scopes;
	int64_t	 expires_in;
};

/*
 * Finds the pending authorization of a code typed at /activate (case,
 * spaces and dashes do not matter).  Every miss counts against client_addr
 * and against everyone together; past the limits this answers
 * IDP_ERR_ACTIVATE_THROTTLED with *retry_after seconds, before looking.
 * Else IDP_OK, IDP_ERR_WRONG_USER_CODE, or IDP_ERR_USER_CODE_DECIDED for a
 * right code that was approved or denied already (not counted as a miss).
 */
enum idp_err idp_device_find(struct idp *idp, const char *typed, const char *client_addr,
    struct idp_device_view *out, int64_t *retry_after) MUST_CHECK;
void idp_device_view_clear(struct idp_device_view *v);
/*
 * The user's answer for the code typed: approve (the device's next poll
 * gets tokens for user) or deny.  Same limits and errors as idp_device_find.
 */
enum idp_err idp_device_decide(struct idp *idp, const struct store_user *user,
    const char *typed, int approve, const char *client_addr, int64_t *retry_after)
    MUST_CHECK;
/* True if c is a character user codes are made of (for the page's input). */
int idp_user_code_char(int c);

/* ---- ending tokens on purpose (chaos.c, chaos_token.c, chaos_thread.c) ---- */

/*
 * Why tokens end, each as the real path ends them, so an app sees exactly
 * what it would see on Twitch (docs: "be prepared for the token to become
 * invalid at any time").
 */
enum idp_chaos_reason {
	IDP_CHAOS_EXPIRE,	/* the access tokens expire now; the refresh token refreshes */
	IDP_CHAOS_REVOKE,	/* they are revoked, as POST /oauth2/revoke of each does */
	IDP_CHAOS_DISCONNECT,	/* the user disconnects the app at /settings/connections */
	IDP_CHAOS_PASSWD,	/* the user changes their password: every grant and sign-in */
	IDP_CHAOS__MAX
};
/* "expire", "revoke", "disconnect", "passwd": the audit's detail and the CLI's words. */
const char *idp_chaos_reason_name(enum idp_chaos_reason r);
/* The reason named name: 0, or -1. */
int idp_chaos_reason_parse(const char *name, enum idp_chaos_reason *out) MUST_CHECK;

/* A request id for chaos events: "chaos-" and TW_CHAOS_REQUEST_ID_LEN random characters. */
#define IDP_CHAOS_REQUEST_ID_LEN	(6 + TW_CHAOS_REQUEST_ID_LEN)
void idp_chaos_request_id(char out[IDP_CHAOS_REQUEST_ID_LEN + 1]);

/* What one ending did. */
struct idp_chaos_ended {
	enum idp_chaos_reason	 reason;
	char			 client_id[TW_ID_LEN + 1];
	int64_t			 user_id;
	char			 login[TW_LOGIN_MAX + 1];
	int64_t			 tokens;	/* access tokens (expire, revoke); else 0 */
};

/*
 * Ends the tokens between user_id and client_id for reason, and records
 * it (AUDIT_CHAOS, detail the reason's name, under request_id) for the
 * app, and for passwd for every app whose grant it ended.  IDP_OK, with
 * *ended filled if not NULL (but its login); IDP_ERR_NOT_CONNECTED when
 * nothing of theirs was live (expire and revoke: no live access token;
 * disconnect and passwd: no grant with the app); IDP_ERR_UNAVAILABLE.
 */
enum idp_err idp_chaos_end(struct idp *idp, enum idp_chaos_reason reason,
    const char *client_id, int64_t user_id, const char *request_id,
    struct idp_chaos_ended *ended) MUST_CHECK;
/*
 * twauth chaos: idp_chaos_end for login (a user), or with login NULL for
 * every user who has a grant with client_id; each ending is passed to
 * each(arg, e) as it happens and counted in *n.  IDP_OK also when nothing
 * was live (*n 0); IDP_ERR_UNKNOWN_APP, IDP_ERR_UNKNOWN_USER, or
 * IDP_ERR_UNAVAILABLE (what ended before it stays ended, and counted).
 */
enum idp_err idp_chaos_app(struct idp *idp, enum idp_chaos_reason reason,
    const char *client_id, const char *login, const char *request_id,
    void (*each)(void *arg, const struct idp_chaos_ended *e), void *arg, size_t *n)
    MUST_CHECK;
/*
 * POST /oauth2/token, before anything else (serve --chaos-token-errors):
 * IDP_ERR_TOKEN_CHAOS for that share of requests, with resp->retry_after
 * set and nothing looked up, minted or spent (AUDIT_TOKEN_UNAVAILABLE for
 * the client id the request names); else IDP_OK.  The first request of a
 * client id after its 503, whatever it is answered, records
 * AUDIT_TOKEN_RETRY with the whole seconds it waited.
 */
enum idp_err idp_chaos_token(struct idp *idp, const struct idp_token_request *req,
    struct idp_token_response *resp) MUST_CHECK;
/*
 * serve --chaos-rate: a thread that, every TW_CHAOS_TICK_MS, ends each
 * user grant of every app it looks at with the chance rate/TW_CHAOS_ONE
 * per minute, for a reason drawn at random, each ending with a request id
 * of its own, logged.  NULL if rate is 0 or there is no thread.
 */
struct chaos_thread;
struct chaos_thread *chaos_thread_start(struct idp *idp, unsigned rate);
/* Stops it (at once, mid-wait) and frees it.  NULL is a no-op. */
void chaos_thread_stop(struct chaos_thread *c);

/* ---- the purge of ended rows (purge.c) ---- */

/* Deletes what has ended, now (store_purge); counts in *out. */
enum idp_err idp_purge(struct idp *idp, struct store_purged *out) MUST_CHECK;
/*
 * Readiness (GET /readyz): IDP_OK when the database answers a trivial
 * statement within its deadline, else IDP_ERR_UNAVAILABLE with the reason
 * in why.
 */
enum idp_err idp_ready(struct idp *idp, char *why, size_t why_len) MUST_CHECK;
/* A thread that runs idp_purge every interval seconds (0: the default). */
struct purger;
struct purger *purger_start(struct idp *idp, unsigned interval);
/* Stops it (at once, mid-wait) and frees it.  NULL is a no-op. */
void purger_stop(struct purger *p);

#endif
