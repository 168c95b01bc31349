/*
 * Minting: the random bearer secrets every grant hands out (access and
 * refresh tokens, codes, client secrets, session cookies) and the store
 * keys they are kept under.
 *
 * Invariants: a secret exists in clear only in the caller's buffer, which
 * goes to the client once; the store sees only its digest (or, for access
 * tokens, the stamp and a digest, below).  Randomness is rand_alnum's
 * (RAND_bytes, checked).
 */
#include <openssl/crypto.h>
#include <string.h>

#include "../common/clock.h"
#include "../common/hash.h"
#include "../common/rand.h"
#include "idp_impl.h"

void
idp_new_secret(char *out, size_t len, uint8_t digest[HASH_LEN])
{
	rand_alnum(out, len);
	hash_sha256(out, len, digest);
}

/*
 * Access tokens begin with a stamp: five characters counting milliseconds
 * (modulo 36^5, about 16.8 hours), then 25 random ones (129 bits, within
 * RFC 6749's bound of 2^-128 for guessing).  Their store key is the stamp
 * followed by the first 27 bytes of the token's SHA-256, so the keys of
 * tokens issued together are neighbours in the store's index: a commit of
 * many new tokens writes a few pages, not one random page per token, which
 * is most of what issuing a token costs.  The stamp is not secret.
 *
 * Tokens issued before stamps existed are stored under their plain SHA-256;
 * lookups that miss try that too (legacy_digest in validate.c and
 * revoke.c), so an upgrade loses none.
 */
#define STAMP_LEN	5
#define STAMP_MOD	60466176u	/* 36^5 */

void
idp_access_token_key(const char *token, size_t len, uint8_t key[HASH_LEN])
{
	uint8_t digest[HASH_LEN];

	memset(key, 0, STAMP_LEN);
	memcpy(key, token, len < STAMP_LEN ? len : STAMP_LEN);
	hash_sha256(token, len, digest);
	memcpy(key + STAMP_LEN, digest, HASH_LEN - STAMP_LEN);
	OPENSSL_cleanse(digest, sizeof(digest));
}

void
idp_token_id_of_key(const uint8_t key[HASH_LEN], char out[TW_AUDIT_TOKEN_ID_LEN + 1])
{
	static const char hex[] = "0123456789abcdef";

	/* After the stamp, the key is the token's SHA-256. */
	for (size_t i = 0; i < TW_AUDIT_TOKEN_ID_LEN / 2; i++) {
		out[2 * i] = hex[key[STAMP_LEN + i] >> 4];
		out[2 * i + 1] = hex[key[STAMP_LEN + i] & 0xf];
	}
	out[TW_AUDIT_TOKEN_ID_LEN] = '\0';
}

void
idp_token_id(const char *token, size_t len, char out[TW_AUDIT_TOKEN_ID_LEN + 1])
{
	uint8_t key[HASH_LEN];

	idp_access_token_key(token, len, key);
	idp_token_id_of_key(key, out);
}

void
idp_new_access_token(char out[TW_ID_LEN + 1], uint8_t key[HASH_LEN])
{
	uint64_t ms = clock_wall_ms() % STAMP_MOD;

	for (int i = STAMP_LEN - 1; i >= 0; i--, ms /= 36)
		out[i] = RAND_ALNUM[ms % 36];
	rand_alnum(out + STAMP_LEN, TW_ID_LEN - STAMP_LEN);
	idp_access_token_key(out, TW_ID_LEN, key);
}

void
idp_mint_user_tokens(struct idp *idp, struct store_issue *issue, int with_refresh,
    struct idp_token_response *resp)
{
	int64_t now = clock_now();

	memset(issue, 0, sizeof(*issue));
	idp_new_access_token(resp->access_token, issue->access.hash);
	issue->access.created_at = now;
	issue->access.expires_at = now + idp->cfg.user_token_ttl;
	if (with_refresh) {
		issue->has_refresh = 1;
		idp_new_secret(resp->refresh_token, TW_REFRESH_LEN, issue->refresh_hash);
	}
	resp->expires_in = idp->cfg.user_token_ttl;
	resp->user_token = 1;
}
