/*
 * Verifies an OpenID Connect id_token the way a careful relying party does
 * (OIDC Core 3.1.3.7, 3.2.2.11): the issuer's discovery document names its
 * issuer and JWKS; the signature must verify with the JWKS key the header
 * names (RS256 only); iss, aud (and azp), exp, iat and nonce must match;
 * at_hash must match the access token when given.
 */
#ifndef CLIENT_IDTOKEN_H
#define CLIENT_IDTOKEN_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "../common/compiler.h"

struct idtoken_check {
	const char	*issuer_base;	/* "https://id.twitch.tv" */
	const char	*client_id;
	const char	*nonce;
	const char	*access_token;	/* for at_hash, or NULL */
	int		 need_at_hash;	/* implicit "token id_token" */
	int64_t		 now;
};

/*
 * Fetches discovery and JWKS from the issuer and verifies id_token.
 * Returns 0 with *claims (the payload object; json_decref it), or -1 with
 * the reason in err.
 */
int idtoken_verify(const struct idtoken_check *chk, const char *id_token, json_t **claims,
    char *err, size_t err_len) MUST_CHECK;
/* The checks after the signature, on a payload already trusted (for tests). */
int idtoken_check_claims(const struct idtoken_check *chk, const char *issuer, json_t *claims,
    char *err, size_t err_len) MUST_CHECK;

#endif
