/*
 * Authorization headers ("OAuth x", "Bearer x").  Promises: a token is a
 * slice of the header, non-empty and trimmed.
 */
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
	return 0;
}
