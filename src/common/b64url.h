/*
 * base64url without padding (RFC 4648 section 5, as JOSE uses it).  The
 * decoder is strict: only the URL alphabet, no padding, no whitespace, and
 * the unused low bits of the last character must be zero, so every byte
 * string has exactly one encoding (a JWS cannot be altered into another
 * text that verifies).
 */
#ifndef B64URL_H
#define B64URL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Characters needed for n bytes, without the NUL. */
size_t b64url_len(size_t n);
/* Encodes n bytes into out (b64url_len(n) + 1 bytes, NUL-terminated). */
void b64url_encode(const void *in, size_t n, char *out);
/* Bytes len characters decode to at most (for sizing out). */
size_t b64url_decoded_max(size_t len);
/* Decodes len characters into out; the byte count, or -1 if malformed. */
ssize_t b64url_decode(const char *in, size_t len, uint8_t *out);
/*
 * The same for standard base64 (RFC 4648 section 4: '+' and '/'), padded
 * with '=' to a multiple of 4 or not at all, as HTTP Basic credentials come.
 */
ssize_t b64_decode(const char *in, size_t len, uint8_t *out);

#endif
