/*
 * Revocation (RFC 7009, as Twitch answers it): POST /oauth2/revoke with
 * client_id and token.
 *
 * Invariants: a well-formed request is answered IDP_OK whether or not the
 * token existed or was the client's, so revoke cannot be used to probe
 * tokens; only a store failure says otherwise.  The store revokes only a
 * token of client_id; a refresh token takes its whole grant with it.  Who
 * asks is idp_client_identify's: an oauth2 app's confidential clients
 * authenticate (RFC 7009 2.1), a twitch app's client id is enough.  A
 * presented token is looked up by both digests it may be kept under, in
 * one write, so a revocation is one commit (shared with others by the
 * group commit when it is queued).
 */
#include <openssl/crypto.h>
#include <stdlib.h>
#include <string.h>

#include "../common/hash.h"
#include "../common/xmalloc.h"
#include "idp_impl.h"

#define REVOKE_DIGESTS	2

/* A revocation queued for the group commit. */
struct idp_revocation {
	struct idp_wait	wait;
	uint8_t		digests[REVOKE_DIGESTS][HASH_LEN];
	char		client_id[TW_ID_LEN + 1];
};

/*
 * The checks every revocation passes, then the digests to revoke: IDP_OK
 * with *revoke set (0: a token too long to be one, answered as unknown)
 * and client_id filled.
 */
static enum idp_err
revoke_prepare(struct idp *idp, const struct idp_client_creds *who, const char *token,
    char client_id[TW_ID_LEN + 1], uint8_t digests[REVOKE_DIGESTS][HASH_LEN], int *revoke,
    struct idp_answer_shape *shape)
{
	enum idp_err err;

	*revoke = 0;
	if ((err = idp_client_identify(idp, who, client_id, shape)) != IDP_OK)
		return err;
	if (idp_blank(token))
		return IDP_ERR_MISSING_OAUTH_TOKEN;
	if (strlen(token) > TW_MAX_TOKEN_LEN)
		return IDP_OK;
	/* An access token; else a refresh token (or a legacy_digest access token). */
	idp_access_token_key(token, strlen(token), digests[0]);
	hash_sha256(token, strlen(token), digests[1]);
	*revoke = 1;
	return IDP_OK;
}

static enum idp_err
revoke_outcome(enum store_rc rc)
{
	return rc == STORE_OK || rc == STORE_NOTFOUND ? IDP_OK : IDP_ERR_UNAVAILABLE;
}

enum idp_err
idp_revoke(struct idp *idp, const char *client_id, const char *token)
{
	struct idp_client_creds who = { .way = IDP_AUTH_PARAMS, .client_id = client_id };
	uint8_t digests[REVOKE_DIGESTS][HASH_LEN];
	char id[TW_ID_LEN + 1];
	struct idp_answer_shape shape;
	enum idp_err err;
	int revoke;

	err = revoke_prepare(idp, &who, token, id, digests, &revoke, &shape);
	if (err != IDP_OK || !revoke)
		return err;
	err = revoke_outcome(store_token_revoke(idp->store, digests, REVOKE_DIGESTS, id));
	OPENSSL_cleanse(digests, sizeof(digests));
	return err;
}

enum idp_err
idp_revoke_start(struct idp *idp, const struct idp_client_creds *who, const char *token,
    struct idp_revocation **pending, void (*resume)(void *), void *arg,
    struct idp_answer_shape *shape)
{
	struct idp_revocation *p;
	enum idp_err err;
	int revoke;

	*pending = NULL;
	p = xcalloc(1, sizeof(*p));
	err = revoke_prepare(idp, who, token, p->client_id, p->digests, &revoke, shape);
	if (err != IDP_OK || !revoke) {
		OPENSSL_cleanse(p, sizeof(*p));
		free(p);
		return err;
	}
	p->wait.resume = resume;
	p->wait.arg = arg;
	/* The store may answer, and resume run, before this returns. */
	*pending = p;
	store_token_revoke_queued(idp->store, p->digests, REVOKE_DIGESTS, p->client_id,
	    idp_wait_stored, &p->wait);
	return IDP_OK;
}

enum idp_err
idp_revoke_finish(struct idp_revocation *p)
{
	enum idp_err err = revoke_outcome(p->wait.rc);

	OPENSSL_cleanse(p, sizeof(*p));
	free(p);
	return err;
}
