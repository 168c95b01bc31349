/*
 * Unit tests of jws, RS256 JWS: RFC 7515 Appendix A.2's example
 * signed and checked byte for byte, tampering refused, JWK round trips.
 */
#include <openssl/core_names.h>
#include <openssl/param_build.h>
#include <openssl/rsa.h>
#include <stdio.h>
#include <stdlib.h>

#include "../../src/common/b64url.h"
#include "../../src/common/jws.h"
#include "t.h"

/* RFC 7515 Appendix A.2 (the RSA key of RFC 7517 Appendix A.2, public facts). */
static const char rfc_n[] =
    "ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp-Vaw-4qPCJrcS2mJ"
    "PMEzP1Pt0Bm4d4QlL-yRT-SFd2lZS-pCgNMsD1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0"
    "LOL-bSf63kpaSHSXndS5z5rexMdbBYUsLA9e-KXBdQOS-UTo7WTBEMa2R2CapHg665xsmtdVMTBQY4uD"
    "Zlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxXFvUK-DWNmoudF8NAco9_h9iaGNj8q2ethFkMLs91kzk2"
    "PAcDTW9gb54h4FRWyuXpoQ";
static const char rfc_d[] =
    "Eq5xpGnNCivDflJsRQBXHx1hdR1k6Ulwe2JZD50LpXyWPEAeP88vLNO97IjlA7_GQ5sLKMgvfTeXZx9S"
    "E-7YwVol2NXOoAJe46sui395IW_GO-pWJ1O0BkTGoVEn2bKVRUCgu-GjBVaYLU6f3l9kJfFNS3E0QbVd"
    "xzubSu3Mkqzjkn439X0M_V51gfpRLI9JYanrC4D4qAdGcopV_0ZHHzQlBjudU2QvXt4ehNYTCBr6XCLQ"
    "UShb1juUO1ZdiYoFaFQT5Tw8bGUl_x_jTj3ccPDVZFD9pIuhLhBOneufuBiB4cS98l2SR_RQyGWSeWjn"
    "czT0QU91p1DhOVRuOopznQ";
static const char rfc_header[] = "{\"alg\":\"RS256\"}";
static const char rfc_payload[] =
    "{\"iss\":\"joe\",\r\n \"exp\":1300819380,\r\n \"http://example.com/is_root\":true}";
static const char rfc_jws[] =
    "eyJhbGciOiJSUzI1NiJ9"
    ".eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb"
    "290Ijp0cnVlfQ"
    ".cC4hiUPoj9Eetdgtv3hF80EGrhuB__dzERat0XF9g2VtQgr9PJbu3XOiZj5RZmh7AAuHIm4Bh-0Qc_lF5Y"
    "Kt_O8W2Fp5jujGbds9uJdbF9CUAr7t1dnZcAcQjbKBYNX4BAynRFdiuB--f_nZLgrnbyTyWzO75vRK5h6x"
    "BArLIARNPvkSjtQBMHlb1L07Qe7K0GarZRmB_eSN9383LcOLn6_dO--xi12jzDwusC-eOkHWEsqtFZESc6"
    "BfI7noOPqvhJ1phCnvWh6IeYI2w9QOYEUipUTI8np6LbgGY9Fs98rqVt5AXLIhWkWywlVmtVrBp0igcN_I"
    "oypGlUPQGe77Rw";

static BIGNUM *
bn(const char *b64)
{
	uint8_t buf[512];
	ssize_t n = b64url_decode(b64, strlen(b64), buf);

	return n > 0 ? BN_bin2bn(buf, (int)n, NULL) : NULL;
}

/* The RFC's private key from n, e and d. */
static EVP_PKEY *
rfc_private_key(void)
{
	BIGNUM *n = bn(rfc_n), *e = bn("AQAB"), *d = bn(rfc_d);
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	OSSL_PARAM *params;
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL);
	EVP_PKEY *key = NULL;

	OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, n);
	OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, e);
	OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_D, d);
	params = OSSL_PARAM_BLD_to_param(bld);
	if (EVP_PKEY_fromdata_init(ctx) != 1 ||
	    EVP_PKEY_fromdata(ctx, &key, EVP_PKEY_KEYPAIR, params) != 1)
		key = NULL;
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	BN_free(n);
	BN_free(e);
	BN_free(d);
	return key;
}

static void
jws_matches_rfc7515_a2(void)
{
	EVP_PKEY *priv = rfc_private_key(), *pub = jwk_rsa_public(rfc_n, "AQAB");
	char *jws, *h, *p, *n, *e;

	CHECK(priv != NULL && pub != NULL);
	if (priv == NULL || pub == NULL)
		goto out;
	/* PKCS#1 v1.5 is deterministic: the very bytes of the RFC. */
	jws = jws_sign_rs256(priv, rfc_header, rfc_payload);
	CHECK_STR(jws, rfc_jws);
	free(jws);
	CHECK(jws_open_rs256(pub, rfc_jws, strlen(rfc_jws), &h, &p) == 0);
	CHECK_STR(h, rfc_header);
	CHECK_STR(p, rfc_payload);
	free(h);
	free(p);
	CHECK(jwk_rsa_members(pub, &n, &e) == 0);
	CHECK_STR(n, rfc_n);
	CHECK_STR(e, "AQAB");
	free(n);
	free(e);
out:
	EVP_PKEY_free(priv);
	EVP_PKEY_free(pub);
}

static void
jws_refuses_tampering(void)
{
	EVP_PKEY *pub = jwk_rsa_public(rfc_n, "AQAB");
	EVP_PKEY *other = EVP_RSA_gen(2048);
	char bad[sizeof(rfc_jws)], *h, *p;
	size_t len = strlen(rfc_jws);
	const char *dot = strchr(rfc_jws, '.');

	/* One character of the payload changed. */
	memcpy(bad, rfc_jws, sizeof(bad));
	bad[dot - rfc_jws + 5] ^= 1;
	CHECK(jws_open_rs256(pub, bad, len, &h, &p) == -1);
	/* One bit of the signature flipped. */
	memcpy(bad, rfc_jws, sizeof(bad));
	bad[len - 3] = bad[len - 3] == 'A' ? 'B' : 'A';
	CHECK(jws_open_rs256(pub, bad, len, &h, &p) == -1);
	/* Another key, a missing part, an extra part, no signature. */
	CHECK(jws_open_rs256(other, rfc_jws, len, &h, &p) == -1);
	CHECK(jws_open_rs256(pub, rfc_jws, (size_t)(strrchr(rfc_jws, '.') - rfc_jws), &h, &p) == -1);
	CHECK(jws_open_rs256(pub, "a.b.c.d", 7, &h, &p) == -1);
	CHECK(jws_open_rs256(pub, "eyJhbGciOiJub25lIn0.e30.", 24, &h, &p) == -1);
	CHECK(h == NULL && p == NULL);
	/* Without a key it only decodes (to read the kid first). */
	CHECK(jws_open_rs256(NULL, "eyJhbGciOiJub25lIn0.e30.", 24, &h, &p) == 0);
	CHECK_STR(h, "{\"alg\":\"none\"}");
	CHECK_STR(p, "{}");
	free(h);
	free(p);
	CHECK(jwk_rsa_public("", "AQAB") == NULL);
	CHECK(jwk_rsa_public("!!", "AQAB") == NULL);
	EVP_PKEY_free(pub);
	EVP_PKEY_free(other);
}

void
suite_jws(void)
{
	RUN(jws_matches_rfc7515_a2);
	RUN(jws_refuses_tampering);
}
