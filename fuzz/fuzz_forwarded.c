/*
 * X-Forwarded-For behind trusted proxies.  Promise: the answer is always
 * an address in canonical form, whatever the header holds.
 */
#include "../src/http/forwarded.h"
#include "fuzz.h"

static const char *const proxies[] = { "10.0.0.1", "::1" };

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *xff = fuzz_cstr(data, size), out[64], canon[64];

	forwarded_client("10.0.0.1", xff, proxies, 2, out, sizeof(out));
	FUZZ_ASSERT(addr_canon(out, canon, sizeof(canon)) == 0);
	FUZZ_ASSERT(strcmp(out, canon) == 0);
	free(xff);
	return 0;
}
