/* Unit tests of b64url: base64url without padding, strict on decoding. */
#include <stdint.h>

#include "../../src/common/b64url.h"
#include "t.h"

static void
b64url_round_trips_and_is_strict(void)
{
	uint8_t all[256], back[400];
	char enc[400];

	for (int i = 0; i < 256; i++)
		all[i] = (uint8_t)i;
	for (size_t n = 0; n <= 256; n += (n < 8 ? 1 : 37)) {
		b64url_encode(all, n, enc);
		CHECK(strlen(enc) == b64url_len(n));
		CHECK(strchr(enc, '=') == NULL && strchr(enc, '+') == NULL &&
		    strchr(enc, '/') == NULL);
		CHECK(b64url_decode(enc, strlen(enc), back) == (ssize_t)n);
		CHECK(memcmp(all, back, n) == 0);
	}
	b64url_encode("\xfb\xff", 2, enc);
	CHECK_STR(enc, "-_8");
	CHECK(b64url_decode("Zg", 2, back) == 1 && back[0] == 'f');
	CHECK(b64url_decode("Zh", 2, back) == -1);	/* non-zero spare bits */
	CHECK(b64url_decode("Zg==", 4, back) == -1);	/* padding */
	CHECK(b64url_decode("Z+8/", 4, back) == -1);	/* the other alphabet */
	CHECK(b64url_decode("Zm9vY", 5, back) == -1);	/* 6 bits left over */
	CHECK(b64url_decode("Zm 9v", 5, back) == -1);
	CHECK(b64url_decode("", 0, back) == 0);
}

void
suite_b64url(void)
{
	RUN(b64url_round_trips_and_is_strict);
}
