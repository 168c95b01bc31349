/*
 * Browser sessions.  The cookie value is random; the store keeps its
 * SHA-256 only, like every other bearer secret.
 */
#include <string.h>

#include "../common/clock.h"
#include "../common/hash.h"
#include "../common/rand.h"
#include "../common/log.h"
#include "idp_impl.h"

enum idp_err
idp_session_start(struct idp *idp, int64_t user_id, char value[TW_SESSION_LEN + 1])
{
	uint8_t digest[HASH_LEN];
	int64_t now = clock_now();
	enum store_rc rc;

	idp_new_secret(value, TW_SESSION_LEN, digest);
	rc = store_session_insert(idp->store, digest, user_id, now, now + idp->cfg.session_ttl);
	if (rc != STORE_OK)
		memset(value, 0, TW_SESSION_LEN + 1);
	return idp_from_store(rc, IDP_ERR_UNKNOWN_USER);
}

enum idp_err
idp_session_user(struct idp *idp, const char *value, size_t len, struct store_user *out)
{
	uint8_t digest[HASH_LEN];

	memset(out, 0, sizeof(*out));
	if (len != TW_SESSION_LEN)
		return IDP_ERR_UNKNOWN_USER;
	hash_sha256(value, len, digest);
	return idp_from_store(store_session_get(idp->store, digest, clock_now(), out),
	    IDP_ERR_UNKNOWN_USER);
}

void
idp_session_end(struct idp *idp, const char *value, size_t len)
{
	uint8_t digest[HASH_LEN];

	if (len != TW_SESSION_LEN)
		return;
	hash_sha256(value, len, digest);
	/* The browser forgets its cookie either way; the row would outlive it. */
	if (store_session_delete(idp->store, digest) == STORE_ERROR)
		log_warn("sign-out: the session stays valid until it expires (database failed)");
}
