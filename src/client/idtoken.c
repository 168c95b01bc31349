/* id_token verification for the client; see idtoken.h. */
#include "idtoken.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/b64url.h"
#include "../common/hash.h"
#include "../common/jws.h"
#include "../common/limits.h"
#include "../common/str.h"
#include "oauth.h"

static int
aud_has(json_t *aud, const char *client_id)
{
	size_t i;
	json_t *v;

	if (json_is_string(aud))
		return strcmp(json_string_value(aud), client_id) == 0;
	json_array_foreach(aud, i, v)
		if (json_is_string(v) && strcmp(json_string_value(v), client_id) == 0)
			return 1;
	return 0;
}

/* at_hash: the left half of SHA-256 of the access token, base64url. */
static int
at_hash_ok(const char *claim, const char *access_token)
{
	uint8_t d[HASH_LEN];
	char want[HASH_LEN];

	hash_sha256(access_token, strlen(access_token), d);
	b64url_encode(d, HASH_LEN / 2, want);
	return strcmp(claim, want) == 0;
}

int
idtoken_check_claims(const struct idtoken_check *chk, const char *issuer, json_t *claims,
    char *err, size_t err_len)
{
	const char *iss = json_string_value(json_object_get(claims, "iss"));
	const char *nonce = json_string_value(json_object_get(claims, "nonce"));
	const char *azp = json_string_value(json_object_get(claims, "azp"));
	const char *at_hash = json_string_value(json_object_get(claims, "at_hash"));
	json_t *aud = json_object_get(claims, "aud");
	json_t *exp = json_object_get(claims, "exp");
	json_t *iat = json_object_get(claims, "iat");

	if (iss == NULL || strcmp(iss, issuer) != 0)
		return str_errf(err, err_len, "id_token iss is \"%s\", not the issuer \"%s\"",
		    iss ? iss : "", issuer);
	if (!json_is_string(json_object_get(claims, "sub")))
		return str_errf(err, err_len, "id_token has no sub");
	if (aud == NULL || !aud_has(aud, chk->client_id))
		return str_errf(err, err_len, "id_token aud does not name client %s",
		    chk->client_id);
	if (json_is_array(aud) && json_array_size(aud) > 1 &&
	    (azp == NULL || strcmp(azp, chk->client_id) != 0))
		return str_errf(err, err_len, "id_token has several audiences and azp is not us");
	if (!json_is_integer(exp) || json_integer_value(exp) + TW_CLIENT_CLOCK_LEEWAY <= chk->now)
		return str_errf(err, err_len, "id_token has expired");
	if (!json_is_integer(iat) || json_integer_value(iat) > chk->now + TW_CLIENT_CLOCK_LEEWAY)
		return str_errf(err, err_len, "id_token iat is missing or in the future");
	if (chk->nonce != NULL && (nonce == NULL || strcmp(nonce, chk->nonce) != 0))
		return str_errf(err, err_len, "id_token nonce does not match the request's");
	if (chk->access_token != NULL && at_hash != NULL &&
	    !at_hash_ok(at_hash, chk->access_token))
		return str_errf(err, err_len, "id_token at_hash does not match the access token");
	if (chk->need_at_hash && at_hash == NULL)
		return str_errf(err, err_len, "id_token has no at_hash for its access token");
	return 0;
}

/* The RSA key of jwks the header's kid names (or the only one if no kid). */
static EVP_PKEY *
find_key(json_t *jwks, const char *kid, char *err, size_t err_len)
{
	json_t *keys = json_object_get(jwks, "keys"), *k, *found = NULL;
	size_t i, rsa = 0;

	json_array_foreach(keys, i, k) {
		const char *kty = json_string_value(json_object_get(k, "kty"));
		const char *kkid = json_string_value(json_object_get(k, "kid"));

		if (kty == NULL || strcmp(kty, "RSA") != 0)
			continue;
		rsa++;
		if (kid == NULL || (kkid != NULL && strcmp(kid, kkid) == 0))
			found = k;
	}
	if (found == NULL || (kid == NULL && rsa != 1)) {
		str_errf(err, err_len, "the issuer's JWKS has no key \"%s\"", kid ? kid : "");
		return NULL;
	}
	return jwk_rsa_public(json_string_value(json_object_get(found, "n")),
	    json_string_value(json_object_get(found, "e")));
}

int
idtoken_verify(const struct idtoken_check *chk, const char *id_token, json_t **claims,
    char *err, size_t err_len)
{
	json_t *disco = NULL, *jwks = NULL, *header = NULL;
	char url[2300], *htext = NULL, *ptext = NULL;
	const char *issuer, *jwks_uri, *alg;
	struct oauth_err oe;
	EVP_PKEY *key = NULL;
	int ret = -1;

	*claims = NULL;
	snprintf(url, sizeof(url), "%s/oauth2/.well-known/openid-configuration",
	    chk->issuer_base);
	if (oauth_get_json(url, (void **)&disco, &oe) != OAUTH_OK) {
		str_errf(err, err_len, "discovery failed: %s", oe.message);
		goto out;
	}
	issuer = json_string_value(json_object_get(disco, "issuer"));
	jwks_uri = json_string_value(json_object_get(disco, "jwks_uri"));
	/* OIDC Discovery 4.3: the issuer is the URL discovery was fetched under. */
	snprintf(url, sizeof(url), "%s/oauth2", chk->issuer_base);
	if (issuer == NULL || strcmp(issuer, url) != 0 || jwks_uri == NULL) {
		str_errf(err, err_len, "discovery names issuer \"%s\", expected \"%s\"",
		    issuer ? issuer : "", url);
		goto out;
	}
	if (oauth_get_json(jwks_uri, (void **)&jwks, &oe) != OAUTH_OK) {
		str_errf(err, err_len, "fetching the JWKS failed: %s", oe.message);
		goto out;
	}
	if (jws_open_rs256(NULL, id_token, strlen(id_token), &htext, &ptext) == -1 ||
	    (header = json_loads(htext, 0, NULL)) == NULL) {
		str_errf(err, err_len, "the id_token is not a well-formed JWS");
		goto out;
	}
	alg = json_string_value(json_object_get(header, "alg"));
	if (alg == NULL || strcmp(alg, "RS256") != 0) {
		str_errf(err, err_len, "id_token alg is \"%s\"; only RS256 is accepted",
		    alg ? alg : "");
		goto out;
	}
	key = find_key(jwks, json_string_value(json_object_get(header, "kid")), err, err_len);
	if (key == NULL)
		goto out;
	free(htext);
	free(ptext);
	htext = ptext = NULL;
	if (jws_open_rs256(key, id_token, strlen(id_token), &htext, &ptext) == -1) {
		str_errf(err, err_len, "the id_token signature does not verify");
		goto out;
	}
	if ((*claims = json_loads(ptext, 0, NULL)) == NULL || !json_is_object(*claims)) {
		str_errf(err, err_len, "the id_token payload is not a JSON object");
		goto out;
	}
	ret = idtoken_check_claims(chk, issuer, *claims, err, err_len);
out:
	if (ret == -1) {
		json_decref(*claims);
		*claims = NULL;
	}
	EVP_PKEY_free(key);
	free(htext);
	free(ptext);
	json_decref(header);
	json_decref(jwks);
	json_decref(disco);
	return ret;
}
