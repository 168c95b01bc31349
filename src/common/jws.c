/* RS256 compact JWS and RSA JWK members; see jws.h. */
#include "jws.h"

#include <openssl/core_names.h>
#include <openssl/param_build.h>
#include <openssl/rsa.h>
#include <stdlib.h>
#include <string.h>

#include "b64url.h"
#include "xmalloc.h"

/* "x" as base64url, appended at out; returns the characters written. */
static size_t
put_b64(char *out, const void *data, size_t len)
{
	b64url_encode(data, len, out);
	return b64url_len(len);
}

char *
jws_sign_rs256(EVP_PKEY *key, const char *header_json, const char *payload_json)
{
	size_t hlen = strlen(header_json), plen = strlen(payload_json);
	size_t input_len = b64url_len(hlen) + 1 + b64url_len(plen);
	size_t sig_len = (size_t)EVP_PKEY_get_size(key);
	char *out = xmalloc(input_len + 1 + b64url_len(sig_len) + 1);
	uint8_t *sig = xmalloc(sig_len);
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	size_t o;

	o = put_b64(out, header_json, hlen);
	out[o++] = '.';
	o += put_b64(out + o, payload_json, plen);
	if (md == NULL || EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL, key) != 1 ||
	    EVP_DigestSign(md, sig, &sig_len, (const uint8_t *)out, input_len) != 1) {
		free(out);
		out = NULL;
	} else {
		out[o++] = '.';
		put_b64(out + o, sig, sig_len);
	}
	EVP_MD_CTX_free(md);
	free(sig);
	return out;
}

/* Decodes one base64url part into a NUL-terminated malloc'd string. */
static char *
decode_part(const char *p, size_t len, size_t *out_len)
{
	uint8_t *buf = xmalloc(b64url_decoded_max(len) + 1);
	ssize_t n = b64url_decode(p, len, buf);

	if (n < 0) {
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	if (out_len != NULL)
		*out_len = (size_t)n;
	return (char *)buf;
}

static int
verify(EVP_PKEY *key, const char *input, size_t input_len, const uint8_t *sig,
    size_t sig_len)
{
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	int ok;

	ok = md != NULL && EVP_PKEY_get_base_id(key) == EVP_PKEY_RSA &&
	    EVP_DigestVerifyInit(md, NULL, EVP_sha256(), NULL, key) == 1 &&
	    EVP_DigestVerify(md, sig, sig_len, (const uint8_t *)input, input_len) == 1;
	EVP_MD_CTX_free(md);
	return ok ? 0 : -1;
}

int
jws_open_rs256(EVP_PKEY *key, const char *jws, size_t len, char **header, char **payload)
{
	const char *dot1, *dot2;
	char *h = NULL, *p = NULL, *sig = NULL;
	size_t hlen, plen, sig_len = 0;

	*header = *payload = NULL;
	if (len == 0 || len > TW_MAX_JWS || memchr(jws, '\0', len) != NULL)
		return -1;
	if ((dot1 = memchr(jws, '.', len)) == NULL ||
	    (dot2 = memchr(dot1 + 1, '.', len - (size_t)(dot1 + 1 - jws))) == NULL ||
	    memchr(dot2 + 1, '.', len - (size_t)(dot2 + 1 - jws)) != NULL)
		return -1;
	if ((h = decode_part(jws, (size_t)(dot1 - jws), &hlen)) == NULL ||
	    (p = decode_part(dot1 + 1, (size_t)(dot2 - dot1 - 1), &plen)) == NULL ||
	    (sig = decode_part(dot2 + 1, len - (size_t)(dot2 + 1 - jws), &sig_len)) == NULL)
		goto fail;
	/* JSON texts with a NUL inside would read differently in C. */
	if (strlen(h) != hlen || strlen(p) != plen)
		goto fail;
	if (key != NULL && verify(key, jws, (size_t)(dot2 - jws), (uint8_t *)sig, sig_len) != 0)
		goto fail;
	free(sig);
	*header = h;
	*payload = p;
	return 0;
fail:
	free(h);
	free(p);
	free(sig);
	return -1;
}

/* A BIGNUM from base64url; NULL if malformed or empty. */
static BIGNUM *
bn_from_b64(const char *s)
{
	size_t len = strlen(s);
	uint8_t *buf;
	ssize_t n;
	BIGNUM *bn = NULL;

	if (len == 0 || len > TW_MAX_JWK_MEMBER)
		return NULL;
	buf = xmalloc(b64url_decoded_max(len));
	if ((n = b64url_decode(s, len, buf)) > 0)
		bn = BN_bin2bn(buf, (int)n, NULL);
	free(buf);
	return bn;
}

EVP_PKEY *
jwk_rsa_public(const char *n, const char *e)
{
	BIGNUM *bn_n = bn_from_b64(n), *bn_e = bn_from_b64(e);
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	OSSL_PARAM *params = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	EVP_PKEY *key = NULL;

	if (bn_n == NULL || bn_e == NULL || bld == NULL ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, bn_n) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, bn_e) ||
	    (params = OSSL_PARAM_BLD_to_param(bld)) == NULL ||
	    (ctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL)) == NULL ||
	    EVP_PKEY_fromdata_init(ctx) != 1 ||
	    EVP_PKEY_fromdata(ctx, &key, EVP_PKEY_PUBLIC_KEY, params) != 1)
		key = NULL;
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	BN_free(bn_n);
	BN_free(bn_e);
	return key;
}

static char *
bn_to_b64(const BIGNUM *bn)
{
	int len = BN_num_bytes(bn);
	uint8_t *buf = xmalloc(len > 0 ? (size_t)len : 1);
	char *out;

	BN_bn2bin(bn, buf);
	out = xmalloc(b64url_len((size_t)len) + 1);
	b64url_encode(buf, (size_t)len, out);
	free(buf);
	return out;
}

int
jwk_rsa_members(EVP_PKEY *key, char **n, char **e)
{
	BIGNUM *bn_n = NULL, *bn_e = NULL;
	int rc = -1;

	*n = *e = NULL;
	if (EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_RSA_N, &bn_n) == 1 &&
	    EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_RSA_E, &bn_e) == 1) {
		*n = bn_to_b64(bn_n);
		*e = bn_to_b64(bn_e);
		rc = 0;
	}
	BN_free(bn_n);
	BN_free(bn_e);
	return rc;
}
