/*
 * PKCE (RFC 7636): a code requested with a code_challenge is redeemed only
 * with the code_verifier it was made from.
 *
 * One rule for both ends: a code is bound to BASE64URL(SHA256(verifier)).
 * For S256 that is the challenge as sent; for plain (the challenge is the
 * verifier) it is computed here, so that no verifier is kept in clear.  The
 * token request's proof is the same function of the verifier it sends, and
 * the store redeems the code only when the two are equal ("" and "" for a
 * code without a challenge): a missing verifier, a wrong one, and one sent
 * for a code that had no challenge (a downgrade) all fail the same test.
 */
#include <openssl/crypto.h>
#include <string.h>

#include "../common/b64url.h"
#include "../common/hash.h"
#include "idp_impl.h"

/* RFC 7636 4.1: 43 to 128 of ALPHA / DIGIT / "-" / "." / "_" / "~". */
static int
pkce_value_ok(const char *v)
{
	size_t len = strlen(v);

	return len >= TW_PKCE_MIN && len <= TW_PKCE_MAX &&
	    strspn(v, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~") ==
	    len;
}

static void
pkce_s256(const char *verifier, char out[IDP_PKCE_LEN + 1])
{
	uint8_t digest[HASH_LEN];

	hash_sha256(verifier, strlen(verifier), digest);
	b64url_encode(digest, sizeof(digest), out);
	OPENSSL_cleanse(digest, sizeof(digest));
}

const char *
idp_pkce_bind(const char *challenge, const char *method, int s256_only,
    char out[IDP_PKCE_LEN + 1])
{
	uint8_t digest[HASH_LEN];	/* b64url_decoded_max(IDP_PKCE_LEN) is HASH_LEN */

	out[0] = '\0';
	if (idp_blank(challenge))
		return idp_blank(method) ? NULL :
		    "code_challenge_method was sent without a code_challenge";
	if (idp_blank(method) || strcmp(method, "plain") == 0) {
		/* RFC 7636 4.3: no method means plain; 4.2: S256 is the one to use. */
		if (s256_only)
			return "code_challenge_method must be S256 for this app (plain, the "
			    "default when none is given, is not accepted)";
		if (!pkce_value_ok(challenge))
			return "code_challenge must be " TW_STR(TW_PKCE_MIN) " to "
			    TW_STR(TW_PKCE_MAX) " characters of A-Z a-z 0-9 - . _ ~";
		pkce_s256(challenge, out);
		return NULL;
	}
	if (strcmp(method, "S256") != 0)
		return "code_challenge_method must be S256 or plain";
	if (strlen(challenge) != IDP_PKCE_LEN ||
	    b64url_decode(challenge, IDP_PKCE_LEN, digest) != HASH_LEN)
		return "an S256 code_challenge is " TW_STR(IDP_PKCE_LEN) " characters of "
		    "base64url (the SHA-256 of the code_verifier)";
	memcpy(out, challenge, IDP_PKCE_LEN + 1);
	return NULL;
}

void
idp_pkce_proof(const char *verifier, char out[IDP_PKCE_LEN + 1])
{
	out[0] = '\0';
	if (idp_blank(verifier))
		return;
	if (!pkce_value_ok(verifier)) {
		/* Never equal to a binding, which is base64url. */
		memcpy(out, "!", 2);
		return;
	}
	pkce_s256(verifier, out);
}
