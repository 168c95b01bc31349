/* Unit tests of hash: SHA-256 against known vectors, digest comparison. */
#include <stdint.h>

#include "../../src/common/hash.h"
#include "t.h"

static void
sha256_known_vectors(void)
{
	uint8_t d[HASH_LEN], e[HASH_LEN];
	char hex[2 * HASH_LEN + 1];

	hash_sha256("abc", 3, d);
	hex_encode(d, HASH_LEN, hex);
	CHECK_STR(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	hash_sha256("", 0, d);
	hex_encode(d, HASH_LEN, hex);
	CHECK_STR(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	hash_sha256("abd", 3, e);
	CHECK(!hash_equal(d, e));
	CHECK(hash_equal(e, e));
}

void
suite_hash(void)
{
	RUN(sha256_known_vectors);
}
