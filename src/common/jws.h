/*
 * Compact JWS signed with RS256 (RFC 7515, RFC 7518 section 3.3), the shape
 * of OpenID Connect id_tokens, and RSA public keys as JWK members.  OpenSSL
 * 3's EVP API does the cryptography; keys are EVP_PKEY.  JSON is passed in
 * and out as text: callers build and read it with jansson.
 */
#ifndef JWS_H
#define JWS_H

#include <openssl/evp.h>
#include <stddef.h>

#include "limits.h"	/* TW_MAX_JWS, TW_MAX_JWK_MEMBER: what we parse */

/*
 * header_json.payload_json signed with key (RSA private key): returns the
 * compact serialization (malloc'd), or NULL if OpenSSL failed.
 */
char *jws_sign_rs256(EVP_PKEY *key, const char *header_json, const char *payload_json);
/*
 * Splits jws (len bytes) and decodes its parts; *header and *payload
 * receive the JSON texts (malloc'd, NUL-terminated).  With key not NULL the
 * RS256 signature must verify too.  Returns 0, or -1 (nothing allocated)
 * when malformed, too long, or the signature does not verify.  The caller
 * still checks the header says "alg":"RS256".
 */
int jws_open_rs256(EVP_PKEY *key, const char *jws, size_t len, char **header, char **payload);

/* An RSA public key from the JWK members n and e (base64url); NULL if bad. */
EVP_PKEY *jwk_rsa_public(const char *n, const char *e);
/* The n and e members (base64url, malloc'd) of key; 0 or -1. */
int jwk_rsa_members(EVP_PKEY *key, char **n, char **e);

#endif
