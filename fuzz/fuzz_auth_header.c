/*
 * Authorization headers ("OAuth x", "Bearer x", "Basic x").  Promises: a
 * token is a slice of the header, non-empty and trimmed; Basic credentials
 * decode into two non-empty NUL-terminated strings within their buffers,
 * or into nothing.
 */
#include <string.h>

#include "../src/common/auth_header.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct str h = str_make((const char *)data, size), tok = { NULL, 0 };
	enum auth_scheme s = auth_header_parse(h, &tok);

	if (s == AUTH_OAUTH || s == AUTH_BEARER) {
		FUZZ_ASSERT(tok.len > 0);
		FUZZ_ASSERT(tok.p >= h.p && tok.p + tok.len <= h.p + h.len);
		FUZZ_ASSERT(tok.p[0] != ' ' && tok.p[tok.len - 1] != ' ');
	}
	if (s == AUTH_BASIC) {
		char id[32], secret[48];

		if (auth_basic_decode(tok, id, sizeof(id), secret, sizeof(secret)) == 0) {
			FUZZ_ASSERT(strlen(id) > 0 && strlen(id) < sizeof(id));
			FUZZ_ASSERT(strlen(secret) > 0 && strlen(secret) < sizeof(secret));
		} else
			FUZZ_ASSERT(id[0] == '\0' && secret[0] == '\0');
	}
	return 0;
}
