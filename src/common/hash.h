/*
 * SHA-256 digests of secrets, and comparing them in constant time.  Tokens,
 * codes and client secrets are high-entropy random strings, so a plain
 * SHA-256 is enough to keep the database from holding anything usable.
 */
#ifndef HASH_H
#define HASH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HASH_LEN 32

/* Fetches the digest implementation once; call before threads start. */
void hash_init(void);
void hash_cleanup(void);
void hash_sha256(const void *data, size_t len, uint8_t out[HASH_LEN]);
/* Constant-time equality of two digests (CRYPTO_memcmp). */
bool hash_equal(const uint8_t a[HASH_LEN], const uint8_t b[HASH_LEN]);
/* Lowercase hex of len bytes into out (2 * len + 1 bytes). */
void hex_encode(const uint8_t *in, size_t len, char *out);

#endif
