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

#include <stddef.h>
#include <stdint.h>

#include "../common/limits.h"
#include "../store/store.h"
#include "errors.h"

struct idp_config {
	int64_t	app_token_ttl;		/* seconds */
};

struct idp;

/* Uses store (not owned) with cfg (copied). */
struct idp *idp_new(struct store *store, const struct idp_config *cfg);
void idp_free(struct idp *idp);
void idp_config_defaults(struct idp_config *cfg);

/* ---- apps (apps.c) ---- */

/*
 * Registers an app.  On success *app is filled (free with store_app_clear)
 * and, for a confidential app, secret receives the client secret: the only
 * time it exists in clear.
 */
enum idp_err idp_app_create(struct idp *idp, const char *name,
    char *const *redirect_uris, size_t n_redirect_uris, int is_public,
    struct store_app *app, char secret[TW_ID_LEN + 1]);
/* Makes a new secret; the old one stops working at once. */
enum idp_err idp_app_reset_secret(struct idp *idp, const char *client_id,
    char secret[TW_ID_LEN + 1]);
enum idp_err idp_app_redirect_add(struct idp *idp, const char *client_id,
    const char *uri);
enum idp_err idp_app_redirect_remove(struct idp *idp, const char *client_id,
    const char *uri);
/* Deletes the app; its tokens stop validating at once. */
enum idp_err idp_app_delete(struct idp *idp, const char *client_id);
enum idp_err idp_app_get(struct idp *idp, const char *client_id,
    struct store_app *app);
/* Checks a candidate redirect URI (also used by pages and the console). */
int idp_redirect_uri_ok(const char *uri);

/* ---- tokens (tokens.c) ---- */

/* What POST /oauth2/token received; NULL or "" means absent. */
struct idp_token_request {
	const char	*grant_type;
	const char	*client_id;
	const char	*client_secret;
	const char	*scope;
};

struct idp_token_response {
	char	access_token[TW_ID_LEN + 1];
	int64_t	expires_in;
};

enum idp_err idp_token(struct idp *idp, const struct idp_token_request *req,
    struct idp_token_response *resp);

/* What /oauth2/validate says about a token. */
struct idp_token_info {
	char	 client_id[TW_ID_LEN + 1];
	int64_t	 user_id;		/* 0 for an app token */
	char	*scopes;		/* space-separated; owned */
	int64_t	 expires_in;
};

void idp_token_info_clear(struct idp_token_info *info);
/* token is the presented bytes (not NUL-terminated). */
enum idp_err idp_validate(struct idp *idp, const char *token, size_t token_len,
    struct idp_token_info *info);
/*
 * Revokes token if it belongs to client_id.  IDP_OK also when the token is
 * unknown or someone else's (RFC 7009: the caller cannot act on it), but
 * never when the store failed.
 */
enum idp_err idp_revoke(struct idp *idp, const char *client_id, const char *token);

#endif
