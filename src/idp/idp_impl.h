/* Internals shared by the files of src/idp/. */
#ifndef IDP_IMPL_H
#define IDP_IMPL_H

#include <openssl/evp.h>
#include <pthread.h>

#include "../common/metrics.h"
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
	uint8_t			 page_key[HASH_LEN];	/* pagekeys.c */
	pthread_mutex_t		 key_lock;		/* guards the two below */
	char			 key_kid[TW_KID_LEN + 1];
	EVP_PKEY		*key;			/* decrypted signing key, cached */
	struct audit		*audit;			/* NULL: not recording */
	struct chaos_gate	*chaos_gate;		/* chaos_token.c; NULL: no 503s */
};

/* ---- chaos (chaos.c, chaos_token.c) ---- */

/* True with the chance num/den (den > 0), from the CSPRNG. */
int idp_chaos_chance(uint64_t num, uint64_t den);
/* The token endpoint's memory of its 503s, for --chaos-token-errors > 0. */
struct chaos_gate *idp_chaos_gate_new(void);
void idp_chaos_gate_free(struct chaos_gate *g);

/* ---- the grants of the token endpoints (grants.c has their table) ---- */

#define IDP_GRANT_MOCK_API	 0x1	/* only at mock-api's /auth/authorize */
#define IDP_GRANT_SECRET_IF_SENT 0x2	/* a confidential client may leave its secret out */
#define IDP_GRANT_PUBLIC_OAUTH2	 0x4	/* an oauth2-profile public client is served */

struct idp_grant;

/*
 * A grant: fills resp (minted tokens in clear, scopes owned) and returns
 * IDP_OK, or the error to answer.  On error the dispatch wipes resp, so a
 * grant need not undo what it minted.
 */
typedef enum idp_err idp_grant_fn(struct idp *idp, const struct idp_grant *g,
    const struct idp_token_request *req, struct idp_token_response *resp) MUST_CHECK;
/*
 * A write queued for the store's group commit, from the caller's side: the
 * store's answer, and whom to wake once it is in.  idp_wait_stored is the
 * store's callback for every queued write, with the wait as its argument.
 */
struct idp_wait {
	enum store_rc	  rc;
	void		(*resume)(void *);
	void		 *arg;
};
void idp_wait_stored(void *arg, enum store_rc rc);

/*
 * A grant waiting for the store's group commit (idp_token_start): what
 * grants.c keeps of every one, and what the grant's start leaves for its
 * finish, in the grant's own member of u.
 */
struct idp_pending {
	struct idp_wait		 wait;
	const struct idp_grant	*grant;
	char			 client_id[TW_ID_LEN + 1];
	char			 client_addr[64];	/* for the limits; "" if unknown */
	union {
		struct {	/* grant_client_credentials.c */
			struct store_token	 tok;	/* scopes point to "" */
			uint8_t			 secret_digest[HASH_LEN];
		} cc;
		struct {	/* grant_refresh.c */
			uint8_t			 digest[HASH_LEN];
			struct store_issue	 issue;	/* access.scopes owned */
			struct store_grant	 grant;
		} refresh;
	} u;
};
/*
 * A grant's queued half.  start fills p->u and queues its write with
 * idp_wait_stored and &p->wait: IDP_OK, and p is not the start's to touch
 * again; or an error, with nothing queued and nothing of p's own left
 * allocated.  finish, once the store has answered (p->wait.rc), fills resp
 * and frees what p->u holds.
 */
typedef enum idp_err idp_grant_start_fn(struct idp *idp, const struct idp_grant *g,
    const struct idp_token_request *req, struct idp_token_response *resp,
    struct idp_pending *p) MUST_CHECK;
typedef enum idp_err idp_grant_finish_fn(struct idp *idp, struct idp_pending *p,
    struct idp_token_response *resp) MUST_CHECK;

/* One grant type: its name, who may use it, what it counts as, what runs it. */
struct idp_grant {
	const char		*grant_type;	/* the parameter, exactly */
	unsigned		 flags;		/* IDP_GRANT_* */
	enum idp_err		 public_client;	/* the answer to a public client; IDP_OK: served */
	enum metric_grant	 metric;
	idp_grant_fn		*run;
	idp_grant_start_fn	*start;		/* NULL: always answered at once */
	idp_grant_finish_fn	*finish;
};

idp_grant_fn idp_grant_client_credentials;	/* grant_client_credentials.c */
idp_grant_start_fn idp_grant_client_credentials_start;
idp_grant_finish_fn idp_grant_client_credentials_finish;
idp_grant_fn idp_grant_code;			/* grant_code.c */
idp_grant_fn idp_grant_refresh;			/* grant_refresh.c */
idp_grant_start_fn idp_grant_refresh_start;
idp_grant_finish_fn idp_grant_refresh_finish;
idp_grant_fn idp_grant_device;			/* device.c */
idp_grant_fn idp_grant_mock;			/* grant_mock.c */

/* ---- client authentication and its limits (client_auth.c) ---- */

/*
 * Checks the client of req under the rules of g: the app must exist; a
 * public one gets g->public_client; a confidential one must send its
 * secret (unless g has IDP_GRANT_SECRET_IF_SENT, the app has the twitch
 * profile and it sent none), which must match.  Fills *app on IDP_OK
 * (clear with store_app_clear).
 */
enum idp_err idp_client_auth(struct idp *idp, const struct idp_grant *g,
    const struct idp_token_request *req, struct store_app *app) MUST_CHECK;
/*
 * idp_client_auth for the user-token grants, which need of the app only
 * whether it is public (*is_public, if not NULL) and its profile
 * (resp->oauth2, set here).
 */
enum idp_err idp_grant_client(struct idp *idp, const struct idp_grant *g,
    const struct idp_token_request *req, struct idp_token_response *resp,
    int *is_public) MUST_CHECK;
/*
 * The same for a secret already hashed: secret_digest is its SHA-256, or
 * NULL if none was sent.  app may be NULL when only the verdict matters.
 */
enum idp_err idp_client_auth_digest(struct idp *idp, const struct idp_grant *g,
    const char *client_id, const uint8_t *secret_digest, struct store_app *app) MUST_CHECK;
/*
 * IDP_OK if client_id names an app, public or not, for what a client id
 * alone may start (the device flow, revocation); else
 * IDP_ERR_INVALID_CLIENT, or IDP_ERR_UNAVAILABLE.  *oauth2 (if not NULL):
 * whether it has the oauth2 profile.
 */
enum idp_err idp_client_known(struct idp *idp, const char *client_id, int *oauth2) MUST_CHECK;
/* Before a grant: IDP_ERR_CLIENT_THROTTLED (resp->retry_after) if addr failed too often. */
enum idp_err idp_client_limit_before(struct idp *idp, const char *addr,
    struct idp_token_response *resp) MUST_CHECK;
/*
 * After a grant: counts err if it is a failed authentication, and turns it
 * into IDP_ERR_CLIENT_THROTTLED past the limits; else returns err.
 */
enum idp_err idp_client_limit_after(struct idp *idp, const char *client_id,
    const char *addr, enum idp_err err, struct idp_token_response *resp) MUST_CHECK;

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

/* ---- validation (validate.c) ---- */

/*
 * The stored token presented (any length) if it exists and is unexpired at
 * now; else IDP_ERR_INVALID_ACCESS_TOKEN.  Clear *tok with store_token_clear.
 * token_id (NULL: not wanted) gets its token id (audit.h) either way, from
 * the digest the lookup made.
 */
enum idp_err idp_live_token(struct idp *idp, const char *token, size_t token_len,
    int64_t now, struct store_token *tok, char *token_id) MUST_CHECK;
/* The token id (audit.h) of an access token's key (idp_access_token_key). */
void idp_token_id_of_key(const uint8_t key[HASH_LEN], char out[TW_AUDIT_TOKEN_ID_LEN + 1]);
/* The key the pages' tokens and cookies are signed with (pagekeys.c). */
void idp_page_key_init(struct idp *idp);
/* Signs payload_json as a JWT with the signing key (keys.c). */
enum idp_err idp_sign_jwt(struct idp *idp, const char *payload_json, char **out) MUST_CHECK;

/* What an id_token says (oidc.c). */
struct id_token_in {
	const char		*issuer;
	const char		*client_id;
	const struct store_user	*user;
	const char		*nonce;		/* NULL or "": none */
	const char		*claims;	/* the claims request, or NULL */
	const char		*scopes;	/* the grant's: which claims it allows */
	const char		*access_token;	/* for at_hash, or NULL */
	const char		*code;		/* for c_hash, or NULL */
};

/* A signed id_token (malloc'd) in *out. */
enum idp_err idp_id_token(struct idp *idp, const struct id_token_in *in, char **out)
    MUST_CHECK;
/* True if the space-separated scopes include openid. */
int idp_has_openid(const char *scopes);
/* -1 if claims (NULL or "" is none) is not a JSON object of objects. */
int idp_claims_ok(const char *claims) MUST_CHECK;

/*
 * Folds a request's HTTP Basic credentials into its client_id and
 * client_secret: IDP_OK (also when there are none), or why not.  Basic is
 * the oauth2 profile's way (*oauth2 says whether the app has it): a twitch
 * app is told to send parameters, as Twitch takes them.  One way at a time:
 * Basic with a client_secret parameter, or with another client_id, is an
 * error (RFC 6749 2.3).  The credentials stay the caller's.
 */
enum idp_err idp_client_basic(struct idp *idp, struct idp_token_request *req, int *oauth2)
    MUST_CHECK;

/* ---- the oauth2 profile (profile.c) ---- */

/*
 * scopes_canonical for a request of an app: for an oauth2-profile app,
 * offline_access is accepted and dropped.
 */
int idp_scopes_requested(int oauth2, const char *list, char **canonical, char *bad,
    size_t bad_len) MUST_CHECK;

/* ---- PKCE (pkce.c) ---- */

/*
 * What a code requested with code_challenge and code_challenge_method is
 * bound to, into out ("" without a challenge): NULL, or what is wrong with
 * them (for invalid_request).  s256_only refuses plain (oauth2-profile
 * apps: RFC 7636 4.2 and the OAuth security BCP).
 */
const char *idp_pkce_bind(const char *challenge, const char *method, int s256_only,
    char out[IDP_PKCE_LEN + 1]) MUST_CHECK;
/* The proof a token request's code_verifier (NULL: none) gives, into out. */
void idp_pkce_proof(const char *verifier, char out[IDP_PKCE_LEN + 1]);

/* Maps a store result: NOTFOUND becomes not_found, failures UNAVAILABLE. */
enum idp_err idp_from_store(enum store_rc rc, enum idp_err not_found) MUST_CHECK;
/* True if s is absent or empty (Twitch treats "client_id=" as missing). */
static inline int
idp_blank(const char *s)
{
	return s == 0 || s[0] == '\0';
}

#endif
