/* Internals shared by the files of src/idp/. */
#ifndef IDP_IMPL_H
#define IDP_IMPL_H

#include "idp.h"
#include "throttle.h"

struct idp {
	struct store		*store;
	struct idp_config	 cfg;
	struct throttle		*login_throttle;	/* failed sign-ins per login */
	struct throttle		*addr_throttle;		/* ... per client address */
	struct throttle		*activate_throttle;	/* wrong user codes per address */
	struct bucket		*activate_bucket;	/* ... from everyone together */
};

/*
 * Checks a client's credentials for the user-token grants: the app must
 * exist and, if confidential, the secret must match (constant time).
 * Fills *app on IDP_OK (clear with store_app_clear).
 */
enum idp_err idp_client_auth(struct idp *idp, const char *client_id, const char *secret,
    struct store_app *app);
/* A fresh random token of len characters and its digest. */
void idp_new_secret(char *out, size_t len, uint8_t digest[HASH_LEN]);
/*
 * Fresh user access (and, with with_refresh, refresh) tokens in clear in
 * resp, their digests and lifetimes in *issue, for the store to keep.
 */
void idp_mint_user_tokens(struct idp *idp, struct store_issue *issue, int with_refresh,
    struct idp_token_response *resp);
/* The device code grant of idp_token (device.c). */
enum idp_err idp_device_token(struct idp *idp, const struct idp_token_request *req,
    struct idp_token_response *resp);

/* Maps a store result: NOTFOUND becomes not_found, failures UNAVAILABLE. */
enum idp_err idp_from_store(enum store_rc rc, enum idp_err not_found);
/* True if s is absent or empty (Twitch treats "client_id=" as missing). */
static inline int
idp_blank(const char *s)
{
	return s == 0 || s[0] == '\0';
}

#endif
