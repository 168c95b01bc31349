/*
 * The OpenID Connect claims request parameter (a JSON object of objects,
 * OIDC Core 5.5).  Promise: checking it never crashes or leaks, and gives
 * the same verdict twice.
 */
#include "../src/idp/idp_impl.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *claims = fuzz_cstr(data, size);
	int a = idp_claims_ok(claims);

	FUZZ_ASSERT(a == 0 || a == -1);
	FUZZ_ASSERT(idp_claims_ok(claims) == a);
	free(claims);
	return 0;
}
