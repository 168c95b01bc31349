/*
 * OpenID Connect signing keys: RSA 2048, RS256.
 *
 * The private key is a secret, so the database never holds it in clear: it
 * is sealed with AES-256-GCM under the server's secret file (cfg.key_secret,
 * TW_KEY_SECRET_LEN random bytes kept outside the database), with the key
 * id as associated data so a sealed key cannot be moved to another id.
 * Stored: nonce (12) | ciphertext | tag (16).
 *
 * The newest key that is not retired signs.  `twauth keys rotate` adds a
 * new one and retires the old in one transaction; a retired key stays in
 * the JWKS until every id_token it signed has expired (the id_token lifetime
 * plus TW_KEY_PUBLISH_GRACE).  Servers read the key list when they sign and
 * when they publish, so a rotation by one is seen by all at once; the
 * decrypted key is cached by key id.
 */
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/clock.h"
#include "../common/jws.h"
#include "../common/log.h"
#include "../common/rand.h"
#include "../common/xmalloc.h"
#include "idp_impl.h"

#define NONCE_LEN	12
#define TAG_LEN		16

/* Seals plain under secret with kid as associated data; 0 or -1. */
static int
seal(const uint8_t *secret, const char *kid, const uint8_t *plain, size_t len,
    uint8_t **out, size_t *out_len)
{
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	uint8_t *buf = xmalloc(NONCE_LEN + len + TAG_LEN);
	int n = 0, fin = 0, ok;

	rand_bytes(buf, NONCE_LEN);
	ok = ctx != NULL &&
	    EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), NULL, secret, buf) == 1 &&
	    EVP_EncryptUpdate(ctx, NULL, &n, (const uint8_t *)kid, (int)strlen(kid)) == 1 &&
	    EVP_EncryptUpdate(ctx, buf + NONCE_LEN, &n, plain, (int)len) == 1 &&
	    EVP_EncryptFinal_ex(ctx, buf + NONCE_LEN + n, &fin) == 1 &&
	    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, TAG_LEN,
	    buf + NONCE_LEN + n + fin) == 1;
	EVP_CIPHER_CTX_free(ctx);
	if (!ok) {
		xfree_secret(buf, NONCE_LEN + len + TAG_LEN);
		return -1;
	}
	*out = buf;
	*out_len = NONCE_LEN + (size_t)(n + fin) + TAG_LEN;
	return 0;
}

/* Opens what seal made; the private key, or NULL (wrong secret, tampered). */
static EVP_PKEY *
unseal(const uint8_t *secret, const char *kid, const uint8_t *in, size_t len)
{
	EVP_CIPHER_CTX *ctx;
	uint8_t *plain;
	const uint8_t *p;
	size_t body;
	int n = 0, fin = 0, ok;
	EVP_PKEY *key = NULL;

	if (len < NONCE_LEN + TAG_LEN + 1)
		return NULL;
	body = len - NONCE_LEN - TAG_LEN;
	plain = xmalloc(body);
	ctx = EVP_CIPHER_CTX_new();
	ok = ctx != NULL &&
	    EVP_DecryptInit_ex(ctx, EVP_aes_256_gcm(), NULL, secret, in) == 1 &&
	    EVP_DecryptUpdate(ctx, NULL, &n, (const uint8_t *)kid, (int)strlen(kid)) == 1 &&
	    EVP_DecryptUpdate(ctx, plain, &n, in + NONCE_LEN, (int)body) == 1 &&
	    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, TAG_LEN,
	    (void *)(in + len - TAG_LEN)) == 1 &&
	    EVP_DecryptFinal_ex(ctx, plain + n, &fin) == 1;
	EVP_CIPHER_CTX_free(ctx);
	if (ok) {
		p = plain;
		key = d2i_AutoPrivateKey(NULL, &p, (long)(n + fin));
	}
	xfree_secret(plain, body);
	return key;
}

/* Makes a key and stores it: the first one, or (rotate) the next one. */
static enum idp_err
make_key(struct idp *idp, int rotate, char kid[TW_KID_LEN + 1])
{
	struct store_key k;
	EVP_PKEY *key;
	uint8_t *der = NULL, *pub = NULL;
	int der_len, pub_len;
	enum store_rc rc = STORE_ERROR;

	if (!idp->cfg.has_key_secret)
		return IDP_ERR_NO_KEY_SECRET;
	if ((key = EVP_RSA_gen(TW_RSA_BITS)) == NULL)
		fatal("cannot generate an RSA key");
	memset(&k, 0, sizeof(k));
	rand_alnum(k.kid, TW_KID_LEN);
	der_len = i2d_PrivateKey(key, &der);
	pub_len = i2d_PUBKEY(key, &pub);
	if (der_len > 0 && pub_len > 0 && seal(idp->cfg.key_secret, k.kid, der,
	    (size_t)der_len, &k.private_enc, &k.private_len) == 0) {
		k.public_der = pub;
		k.public_len = (size_t)pub_len;
		k.created_at = clock_now();
		rc = store_key_add(idp->store, &k, rotate);
	}
	if (der != NULL)
		OPENSSL_clear_free(der, (size_t)der_len);
	OPENSSL_free(pub);
	if (k.private_enc != NULL)
		xfree_secret(k.private_enc, k.private_len);
	EVP_PKEY_free(key);
	if (rc == STORE_OK && kid != NULL)
		memcpy(kid, k.kid, sizeof(k.kid));
	if (rc == STORE_CONFLICT)
		return IDP_OK;		/* another server made the first key */
	return idp_from_store(rc, IDP_ERR_UNAVAILABLE);
}

/* The signing key (newest, not retired) in keys, or NULL. */
static const struct store_key *
signing_key(const struct store_key *keys, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (keys[i].retired_at == 0)
			return &keys[i];
	return NULL;
}

/*
 * The private key of k, from the cache or decrypted now; a new reference
 * (EVP_PKEY_free it) or NULL if the secret does not open it.
 */
static EVP_PKEY *
private_key(struct idp *idp, const struct store_key *k)
{
	EVP_PKEY *key = NULL;

	pthread_mutex_lock(&idp->key_lock);
	if (idp->key != NULL && strcmp(idp->key_kid, k->kid) == 0) {
		key = idp->key;
		EVP_PKEY_up_ref(key);
	}
	pthread_mutex_unlock(&idp->key_lock);
	if (key != NULL || !idp->cfg.has_key_secret)
		return key;
	if ((key = unseal(idp->cfg.key_secret, k->kid, k->private_enc, k->private_len)) == NULL)
		return NULL;
	pthread_mutex_lock(&idp->key_lock);
	EVP_PKEY_free(idp->key);
	idp->key = key;
	memcpy(idp->key_kid, k->kid, sizeof(idp->key_kid));
	EVP_PKEY_up_ref(key);
	pthread_mutex_unlock(&idp->key_lock);
	return key;
}

enum idp_err
idp_keys_ensure(struct idp *idp)
{
	struct store_key *keys = NULL;
	const struct store_key *k;
	EVP_PKEY *key;
	size_t n = 0;
	enum idp_err err;

	if (store_key_list(idp->store, &keys, &n) != STORE_OK)
		return IDP_ERR_UNAVAILABLE;
	if ((k = signing_key(keys, n)) == NULL) {
		char kid[TW_KID_LEN + 1] = "";

		store_key_list_free(keys, n);
		if ((err = make_key(idp, 0, kid)) != IDP_OK)
			return err;
		if (kid[0] != '\0') {
			log_info("made the first OpenID Connect signing key");
			return IDP_OK;
		}
		/* Another server made it a moment ago: its key must open with our secret. */
		return idp_keys_ensure(idp);
	}
	/* Fail now, not at the first sign-in, if the secret file is not the one. */
	key = private_key(idp, k);
	err = key != NULL ? IDP_OK : idp->cfg.has_key_secret ? IDP_ERR_KEY_SECRET_MISMATCH :
	    IDP_ERR_NO_KEY_SECRET;
	EVP_PKEY_free(key);
	store_key_list_free(keys, n);
	return err;
}

enum idp_err
idp_keys_rotate(struct idp *idp, char kid[TW_KID_LEN + 1])
{
	return make_key(idp, 1, kid);
}

/* Whether k is in the JWKS at now. */
static int
published(const struct idp *idp, const struct store_key *k, int64_t now)
{
	return k->retired_at == 0 ||
	    k->retired_at + idp->cfg.id_token_ttl + TW_KEY_PUBLISH_GRACE > now;
}

void
idp_key_info_free(struct idp_key_info *keys, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(keys[i].n);
		free(keys[i].e);
	}
	free(keys);
}

enum idp_err
idp_keys_list(struct idp *idp, int published_only, struct idp_key_info **out, size_t *n)
{
	struct store_key *keys = NULL;
	size_t count = 0;
	int64_t now = clock_now();

	*out = NULL;
	*n = 0;
	if (store_key_list(idp->store, &keys, &count) != STORE_OK)
		return IDP_ERR_UNAVAILABLE;
	*out = xcalloc(count ? count : 1, sizeof(**out));
	for (size_t i = 0; i < count; i++) {
		const struct store_key *k = &keys[i];
		struct idp_key_info *ki = &(*out)[*n];
		const uint8_t *p = k->public_der;
		EVP_PKEY *pub;

		if (published_only && !published(idp, k, now))
			continue;
		pub = d2i_PUBKEY(NULL, &p, (long)k->public_len);
		if (pub == NULL || jwk_rsa_members(pub, &ki->n, &ki->e) == -1) {
			log_error("signing key %s: unreadable public key", k->kid);
			EVP_PKEY_free(pub);
			continue;
		}
		EVP_PKEY_free(pub);
		memcpy(ki->kid, k->kid, sizeof(ki->kid));
		ki->created_at = k->created_at;
		ki->retired_at = k->retired_at;
		ki->state = k->retired_at == 0 ? KEY_SIGNING : published(idp, k, now) ?
		    KEY_PUBLISHED : KEY_EXPIRED;
		(*n)++;
	}
	store_key_list_free(keys, count);
	return IDP_OK;
}

enum idp_err
idp_sign_jwt(struct idp *idp, const char *payload_json, char **out)
{
	struct store_key *keys = NULL;
	const struct store_key *k;
	char header[80];
	EVP_PKEY *key = NULL;
	size_t n = 0;
	enum idp_err err = IDP_OK;

	*out = NULL;
	if (store_key_list(idp->store, &keys, &n) != STORE_OK)
		return IDP_ERR_UNAVAILABLE;
	if ((k = signing_key(keys, n)) == NULL)
		err = IDP_ERR_NO_SIGNING_KEY;
	else if ((key = private_key(idp, k)) == NULL)
		err = IDP_ERR_KEY_SECRET_MISMATCH;
	else {
		snprintf(header, sizeof(header), "{\"alg\":\"RS256\",\"kid\":\"%s\",\"typ\":\"JWT\"}",
		    k->kid);
		if ((*out = jws_sign_rs256(key, header, payload_json)) == NULL)
			err = IDP_ERR_UNAVAILABLE;
	}
	if (err != IDP_OK)
		log_error("cannot sign an id_token: %s", idp_err_info(err)->message);
	EVP_PKEY_free(key);
	store_key_list_free(keys, n);
	return err;
}
