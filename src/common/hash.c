/*
 * SHA-256 through OpenSSL 3's EVP.  The EVP_MD is fetched once: an implicit
 * fetch on every digest takes a global lock, which shows on the validate
 * path.
 */
#include "hash.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "xmalloc.h"

static EVP_MD *sha256_md;

void
hash_init(void)
{
	if (sha256_md == NULL && (sha256_md = EVP_MD_fetch(NULL, "SHA256", NULL)) == NULL)
		fatal("OpenSSL has no SHA-256");
}

void
hash_cleanup(void)
{
	EVP_MD_free(sha256_md);
	sha256_md = NULL;
}

void
hash_sha256(const void *data, size_t len, uint8_t out[HASH_LEN])
{
	unsigned int outlen = 0;

	hash_init();
	if (EVP_Digest(data, len, out, &outlen, sha256_md, NULL) != 1 || outlen != HASH_LEN)
		fatal("SHA-256 failed");
}

bool
hash_equal(const uint8_t a[HASH_LEN], const uint8_t b[HASH_LEN])
{
	return CRYPTO_memcmp(a, b, HASH_LEN) == 0;
}

void
hex_encode(const uint8_t *in, size_t len, char *out)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < len; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 0xf];
	}
	out[2 * len] = '\0';
}
