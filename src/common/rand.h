/*
 * Unpredictable identifiers from OpenSSL's CSPRNG.  A failure of RAND_bytes is
 * fatal: a server that cannot make secrets must not make guessable ones.
 */
#ifndef RAND_H
#define RAND_H

#include <stddef.h>

void rand_bytes(void *out, size_t len);
/*
 * Writes len characters from [0-9a-z] plus a NUL into out (len + 1 bytes),
 * uniformly distributed (rejection sampling, no modulo bias).  This is the
 * shape of Twitch's client ids, secrets and tokens.
 */
void rand_alnum(char *out, size_t len);
/* The alphabet of rand_alnum, in order: a character's index is its digit. */
#define RAND_ALNUM "0123456789abcdefghijklmnopqrstuvwxyz"
/* As rand_alnum, from a caller's alphabet of at most 256 characters. */
void rand_from_alphabet(char *out, size_t len, const char *alphabet);

#endif
