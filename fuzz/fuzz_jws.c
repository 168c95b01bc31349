/*
 * What the client takes from an issuer to verify an id_token: the compact
 * JWS (parsed without a key, and checked against a key of ours, which a
 * fuzzed signature must never pass), its claims (idtoken_check_claims) and
 * JWK members (jwk_rsa_public, from "n\ne").  Promises: no crash or leak;
 * opened parts are NUL-terminated text; a forged signature never verifies;
 * refused claims come with a reason.
 */
#include <jansson.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include "../src/client/idtoken.h"
#include "../src/common/jws.h"
#include "fuzz.h"

static EVP_PKEY *
our_key(void)
{
	static EVP_PKEY *key;

	if (key == NULL && (key = EVP_RSA_gen(2048)) == NULL)
		abort();
	return key;
}

static void
check_claims(const char *payload)
{
	struct idtoken_check chk = {
		.issuer_base = "https://id.twitch.tv", .client_id = "abc", .nonce = "n0nce",
		.access_token = "token", .need_at_hash = 1, .now = 1700000000,
	};
	json_t *claims = json_loads(payload, JSON_REJECT_DUPLICATES, NULL);
	char err[256];

	err[0] = '\0';
	/* A refusal always says why. */
	if (json_is_object(claims) && idtoken_check_claims(&chk, "https://id.twitch.tv/oauth2",
	    claims, err, sizeof(err)) == -1)
		FUZZ_ASSERT(err[0] != '\0');
	json_decref(claims);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstr(data, size), *header = NULL, *payload = NULL, *nl;
	size_t len = strlen(s);
	EVP_PKEY *k;

	if (jws_open_rs256(NULL, s, len, &header, &payload) == 0) {
		FUZZ_ASSERT(header != NULL && payload != NULL);
		check_claims(payload);
		free(header);
		free(payload);
	}
	/* No input the fuzzer makes is signed with a key made here. */
	FUZZ_ASSERT(jws_open_rs256(our_key(), s, len, &header, &payload) == -1);
	if ((nl = strchr(s, '\n')) != NULL) {
		*nl = '\0';
		if ((k = jwk_rsa_public(s, nl + 1)) != NULL)
			EVP_PKEY_free(k);
	}
	free(s);
	return 0;
}
