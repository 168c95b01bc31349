/* Internals shared by the files of src/idp/. */
#ifndef IDP_IMPL_H
#define IDP_IMPL_H

#include <openssl/evp.h>
#include <pthread.h>

#include "idp.h"
#include "throttle.h"

struct idp {
	struct store		*store;
	struct idp_config	 cfg;
	struct throttle		*login_throttle;	/* failed sign-ins per login */
	struct throttle		*addr_throttle;		/* ... per client address */
	struct throttle		*client_throttle;	/* wrong client secrets per client id */
	struct throttle		*client_addr_throttle;	/* failed client auth per address */
	struct throttle		*activate_throttle;	/* wrong user codes per address */
	pthread_mutex_t		 key_lock;		/* guards the two below */
	char			 key_kid[TW_KID_LEN + 1];
	EVP_PKEY		*key;			/* decrypted signing key, cached */
};

/* ---- client authentication and its limits (client_auth.c) ---- */

/*
 * Checks a client's credentials for the user-token grants: the app must
 * exist and, if confidential, the secret must match (constant time).
 * Fills *app on IDP_OK (clear with store_app_clear).
 */
enum idp_err idp_client_auth(struct idp *idp, const char *client_id, const char *secret,
    struct store_app *app);
/*
 * Why client credentials were refused, by loading the app: the slow path,
 * taken only when no token was issued.  secret_hash is NULL when the
 * request carried no secret.
 */
enum idp_err idp_client_auth_failure(struct idp *idp, const char *client_id,
    const uint8_t *secret_hash);
/* Before a grant: IDP_ERR_CLIENT_THROTTLED (and resp->retry_after) if addr failed too often. */
enum idp_err idp_client_limit_before(struct idp *idp, const char *addr,
    struct idp_token_response *resp);
/*
 * After a grant: counts err if it is a failed authentication, and turns it
 * into IDP_ERR_CLIENT_THROTTLED past the limits; else returns err.
 */
enum idp_err idp_client_limit_after(struct idp *idp, const char *client_id, const char *addr,
    enum idp_err err, struct idp_token_response *resp);

/* ---- minting (mint.c) ---- */

/* A fresh access token (stamp and random characters) and its store key. */
void idp_new_access_token(char out[TW_ID_LEN + 1], uint8_t key[HASH_LEN]);
/* The store key of a presented access token of len bytes. */
void idp_access_token_key(const char *token, size_t len, uint8_t key[HASH_LEN]);
/* A fresh random token of len characters and its digest. */
void idp_new_secret(char *out, size_t len, uint8_t digest[HASH_LEN]);
/*
 * Fresh user access (and, with with_refresh, refresh) tokens in clear in
 * resp, their digests and lifetimes in *issue, for the store to keep.
 */
void idp_mint_user_tokens(struct idp *idp, struct store_issue *issue, int with_refresh,
    struct idp_token_response *resp);

/* ---- the grants of idp_token (grant_*.c, device.c) ---- */

enum idp_err idp_grant_client_credentials(struct idp *idp,
    const struct idp_token_request *req, struct idp_token_response *resp);
enum idp_err idp_grant_code(struct idp *idp, const struct idp_token_request *req,
    struct idp_token_response *resp);
enum idp_err idp_grant_refresh(struct idp *idp, const struct idp_token_request *req,
    struct idp_token_response *resp);
/* The device code grant (device.c). */
enum idp_err idp_device_token(struct idp *idp, const struct idp_token_request *req,
    struct idp_token_response *resp);

/* ---- validation (validate.c) ---- */

/*
 * The stored token presented (any length) if it exists and is unexpired at
 * now; else IDP_ERR_INVALID_ACCESS_TOKEN.  Clear *tok with store_token_clear.
 */
enum idp_err idp_live_token(struct idp *idp, const char *token, size_t token_len,
    int64_t now, struct store_token *tok);
/* Signs payload_json as a JWT with the signing key (keys.c). */
enum idp_err idp_sign_jwt(struct idp *idp, const char *payload_json, char **out);

/* What an id_token says (oidc.c). */
struct id_token_in {
	const char		*issuer;
	const char		*client_id;
	const struct store_user	*user;
	const char		*nonce;		/* NULL or "": none */
	const char		*claims;	/* the claims request, or NULL */
	const char		*access_token;	/* for at_hash, or NULL */
	const char		*code;		/* for c_hash, or NULL */
};

/* A signed id_token (malloc'd) in *out. */
enum idp_err idp_id_token(struct idp *idp, const struct id_token_in *in, char **out);
/* True if the space-separated scopes include openid. */
int idp_has_openid(const char *scopes);
/* -1 if claims (NULL or "" is none) is not a JSON object of objects. */
int idp_claims_ok(const char *claims);

/* Maps a store result: NOTFOUND becomes not_found, failures UNAVAILABLE. */
enum idp_err idp_from_store(enum store_rc rc, enum idp_err not_found);
/* True if s is absent or empty (Twitch treats "client_id=" as missing). */
static inline int
idp_blank(const char *s)
{
	return s == 0 || s[0] == '\0';
}

#endif
