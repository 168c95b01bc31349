/* Random identifiers; see rand.h. */
#include "rand.h"

#include <openssl/rand.h>
#include <string.h>

#include "xmalloc.h"

void
rand_bytes(void *out, size_t len)
{
	if (len > 0 && RAND_bytes(out, (int)len) != 1)
		fatal("RAND_bytes failed: no secure randomness");
}

void
rand_from_alphabet(char *out, size_t len, const char *alphabet)
{
	size_t n = strlen(alphabet), i = 0;
	/* Largest multiple of n that fits a byte: bytes above it are redrawn. */
	unsigned limit = (unsigned)(256 - 256 % n);
	unsigned char pool[64];

	while (i < len) {
		rand_bytes(pool, sizeof(pool));
		for (size_t k = 0; k < sizeof(pool) && i < len; k++)
			if (pool[k] < limit)
				out[i++] = alphabet[pool[k] % n];
	}
	out[len] = '\0';
	memset(pool, 0, sizeof(pool));
}

void
rand_alnum(char *out, size_t len)
{
	rand_from_alphabet(out, len, RAND_ALNUM);
}
